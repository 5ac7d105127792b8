//! The fingerprint of every answer a [`Reader`](super::Reader) can give on one model, computed
//! once per build (in parallel) and shared by every view.

use super::{Query, Record};
use crate::model::{
    Citation, Dossier, EntryId, Id, Occurrence, PageId, Place, Quotation, QuoteId, SeedId, Target,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;

/// The fingerprints of one model's answers, computed once per build and shared by every view.
pub struct Prints<'a> {
    pub(super) d: &'a Dossier,
    site: u64,
    seeds: Vec<[u64; 4]>,
    pages: Vec<[u64; 2]>,
    entries: Vec<[u64; 3]>,
    quotations: Vec<u64>,
    lists: [u64; 6],
    all_quotations: u64,
    all_entries: u64,
    everything: u64,
    seed_ids: HashMap<&'a str, SeedId>,
    pub(super) page_paths: HashMap<&'a str, PageId>,
    pub(super) entry_ids: HashMap<&'a str, EntryId>,
    quotation_ids: HashMap<&'a str, QuoteId>,
    pub(super) spoken_by: HashMap<EntryId, Vec<QuoteId>>,
}

fn key(value: &impl Hash) -> u64 {
    crate::fingerprint::key(value)
}

impl<'a> Prints<'a> {
    /// `site` is the fingerprint of the site-wide settings every page sees.
    pub fn new(d: &'a Dossier, site: u64) -> Prints<'a> {
        let names = Names { d };
        let seeds = d
            .seeds
            .values()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|s| {
                let history: Vec<&str> = d
                    .history_of_seed(&s.seed)
                    .iter()
                    .map(|c| c.hash.as_str())
                    .collect();
                let notes: Vec<_> = s
                    .note_targets
                    .iter()
                    .chain(&s.note_images)
                    .map(|t| names.target(t))
                    .collect();
                [
                    key(&(s.fingerprint, &s.path, history, notes)),
                    key(&s
                        .citations
                        .iter()
                        .map(|c| names.citation(c))
                        .collect::<Vec<_>>()),
                    key(&s
                        .quotations
                        .iter()
                        .map(|&q| names.quotation(&d.quotations[q]))
                        .collect::<Vec<_>>()),
                    key(&s
                        .terms
                        .iter()
                        .map(|o| names.occurrence(o))
                        .collect::<Vec<_>>()),
                ]
            })
            .collect();
        let pages = d
            .pages
            .values()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|p| {
                // Whether an image's file exists changes the page's HTML: it is part of the answer.
                let targets: Vec<_> = p
                    .targets
                    .iter()
                    .chain(&p.images)
                    .map(|t| names.target(t))
                    .collect();
                let citations: Vec<_> = p.citations.iter().map(|c| names.citation(c)).collect();
                let quotations: Vec<(usize, &str)> = p
                    .quotations
                    .iter()
                    .map(|(&l, &q)| (l, d.quotations[q].id.as_str()))
                    .collect();
                let entry = p.entry.map(|e| d.entries[e].id.as_str());
                let terms: Vec<_> = p.terms.iter().map(|o| names.occurrence(o)).collect();
                let backlinks: Vec<&str> = p
                    .backlinks
                    .iter()
                    .map(|&b| d.pages[b].path.as_str())
                    .collect();
                [
                    key(&(
                        p.fingerprint,
                        &p.file,
                        targets,
                        citations,
                        quotations,
                        entry,
                        terms,
                    )),
                    key(&backlinks),
                ]
            })
            .collect();
        let entries = d
            .entries
            .values()
            .map(|e| {
                let occurrences: Vec<_> =
                    e.occurrences.iter().map(|o| names.occurrence(o)).collect();
                [
                    key(&(
                        &e.id,
                        &d.pages[e.page].path,
                        &e.term,
                        &e.aliases,
                        e.kind,
                        &e.tip,
                    )),
                    key(&occurrences),
                    0,
                ]
            })
            .collect::<Vec<_>>();
        let quotations = d
            .quotations
            .values()
            .map(|q| key(&names.quotation(q)))
            .collect();
        let entry_ids: HashMap<&str, EntryId> =
            d.entries.iter().map(|(i, e)| (e.id.as_str(), i)).collect();
        let mut spoken_by: HashMap<EntryId, Vec<QuoteId>> = HashMap::new();
        for (id, q) in d.quotations.iter() {
            if let Some(&e) = q
                .speaker
                .as_ref()
                .and_then(|s| entry_ids.get(s.id.as_str()))
            {
                spoken_by.entry(e).or_default().push(id);
            }
        }
        let mut entries = entries;
        for (e, list) in &spoken_by {
            entries[e.index()][2] = key(&list
                .iter()
                .map(|&q| quotations_key(d, q))
                .collect::<Vec<_>>());
        }
        let lists = [
            key(&d.seeds.values().map(|s| &s.id).collect::<Vec<_>>()),
            key(&d.pages.values().map(|p| &p.path).collect::<Vec<_>>()),
            key(&d.entries.values().map(|e| &e.id).collect::<Vec<_>>()),
            key(&d.quotations.values().map(|q| &q.id).collect::<Vec<_>>()),
            key(&d
                .pages
                .values()
                .filter(|p| !p.front.tags.is_empty())
                .map(|p| {
                    let f = &p.front;
                    let date = f.date.as_ref().map(|d| d.to_string());
                    (&p.path, &f.tags, date, f.weight, &f.title)
                })
                .collect::<Vec<_>>()),
            key(&super::dated(d)
                .map(|(i, date)| (&d.pages[i].path, date.as_str()))
                .collect::<Vec<_>>()),
        ];
        let everything = key(&(site, &seeds, &pages, &entries, &quotations, lists));
        let all_quotations = key(&(lists[3], &quotations));
        let all_entries = key(&(lists[2], entries.iter().map(|e| e[0]).collect::<Vec<_>>()));
        Prints {
            d,
            site,
            seeds,
            pages,
            entries,
            quotations,
            lists,
            all_quotations,
            all_entries,
            everything,
            seed_ids: d.seeds.iter().map(|(i, s)| (s.id.as_str(), i)).collect(),
            page_paths: d.pages.iter().map(|(i, p)| (p.path.as_str(), i)).collect(),
            entry_ids,
            quotation_ids: d
                .quotations
                .iter()
                .map(|(i, q)| (q.id.as_str(), i))
                .collect(),
            spoken_by,
        }
    }

    /// The fingerprint of `query`'s answer on this model; `None` when what it names is gone.
    pub fn answer(&self, query: &Query) -> Option<u64> {
        let seed = |id: &String| {
            self.seed_ids
                .get(id.as_str())
                .map(|s| &self.seeds[s.index()])
        };
        let page = |p: &String| {
            self.page_paths
                .get(p.as_str())
                .map(|p| &self.pages[p.index()])
        };
        let entry = |e: &String| {
            self.entry_ids
                .get(e.as_str())
                .map(|e| &self.entries[e.index()])
        };
        Some(match query {
            Query::Site => self.site,
            Query::Seed(id) => seed(id)?[0],
            Query::SeedCitations(id) => seed(id)?[1],
            Query::SeedQuotations(id) => seed(id)?[2],
            Query::SeedTerms(id) => seed(id)?[3],
            Query::Page(path) => page(path)?[0],
            Query::Backlinks(path) => page(path)?[1],
            Query::Entry(id) => entry(id)?[0],
            Query::Occurrences(id) => entry(id)?[1],
            Query::SpokenBy(id) => entry(id)?[2],
            Query::Quotation(id) => self.quotations[self.quotation_ids.get(id.as_str())?.index()],
            Query::PageAt(path) => key(&self.page_paths.contains_key(path.as_str())),
            Query::EntryById(id) => key(&self.entry_ids.contains_key(id.as_str())),
            Query::Seeds => self.lists[0],
            Query::Pages => self.lists[1],
            Query::Entries => self.lists[2],
            Query::Quotations => self.lists[3],
            Query::Tagged => self.lists[4],
            Query::Dated => self.lists[5],
            Query::AllQuotations => self.all_quotations,
            Query::AllEntries => self.all_entries,
            Query::Everything => self.everything,
        })
    }

    /// Whether every query of `record` has the same answer on this model.
    pub fn unchanged(&self, record: &Record) -> bool {
        record
            .iter()
            .all(|(q, print)| self.answer(q) == Some(*print))
    }
}

fn quotations_key(d: &Dossier, q: QuoteId) -> u64 {
    key(&Names { d }.quotation(&d.quotations[q]))
}

/// Entities by their stable names, for fingerprints that survive renumbering.
struct Names<'a> {
    d: &'a Dossier,
}

impl<'a> Names<'a> {
    fn seed(&self, s: SeedId) -> &'a str {
        &self.d.seeds[s].id
    }
    fn page(&self, p: PageId) -> &'a str {
        &self.d.pages[p].path
    }
    fn target(&self, t: &'a Target) -> (u8, &'a str, String) {
        match t {
            Target::AsWritten => (0, "", String::new()),
            Target::SamePage(f) => (1, f, String::new()),
            Target::Seed { seed, anchor } => (2, self.seed(*seed), format!("{anchor:?}")),
            Target::Page { page, anchor } => (3, self.page(*page), format!("{anchor:?}")),
            Target::File { path, fragment } => (4, path, format!("{fragment:?}")),
        }
    }
    fn citation(&self, c: &Citation) -> (&'a str, usize, &'a str, Option<usize>) {
        (self.page(c.page), c.link, self.seed(c.seed), c.paragraph)
    }
    fn place(&self, p: &Place) -> (&'a str, usize) {
        match *p {
            Place::Seed { seed, paragraph } => (self.seed(seed), paragraph),
            Place::Page { page, node } => (self.page(page), node),
        }
    }
    fn occurrence(&self, o: &Occurrence) -> impl Hash + 'a {
        (
            self.d.entries[o.entry].id.as_str(),
            self.place(&o.place),
            o.range.clone(),
            o.linked,
        )
    }
    fn quotation(&self, q: &'a Quotation) -> impl Hash + 'a {
        let speaker = q.speaker.as_ref().map(|s| {
            (
                s.id.as_str(),
                s.name.as_str(),
                s.entry.map(|e| self.d.entries[e].id.as_str()),
                s.voice,
                s.inferred,
            )
        });
        let cited: Vec<(&str, usize)> =
            q.cited_by.iter().map(|&(p, l)| (self.page(p), l)).collect();
        (
            q.id.as_str(),
            self.seed(q.seed),
            q.parts.clone(),
            q.paragraph,
            q.origin,
            q.role,
            speaker,
            cited,
        )
    }
}
