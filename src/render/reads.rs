//! The only way a view reaches the model: a [`Reader`] that records each query it answers with
//! a fingerprint of the answer. A rendered page is kept with its record; the next build reuses
//! the page exactly when every recorded query has the same fingerprint on the new model, so a
//! view that starts reading something new depends on it without declaring anything.
//!
//! Queries name entities by their stable names (seed id, page path, entry id, quotation id), not
//! by index, so that adding a seed shifts no page's record. For the same reason an answer's
//! fingerprint hashes the names of the entities it refers to, and a view that follows such a
//! reference reads that entity through the reader too.

use crate::config::BaseUrl;
use crate::load::{Page, Seed};
use crate::model::{
    Citation, Dossier, Entry, EntryId, Id, Occurrence, PageId, Place, Quotation, QuoteId, SeedId,
    Target,
};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

/// One question a view asked of the model.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Query {
    /// The configuration, base URL and navigation.
    Site,
    /// A seed as loaded (bytes, sidecar, notes and their targets, git history).
    Seed(String),
    /// The citations of a seed.
    SeedCitations(String),
    /// The quotations of a seed.
    SeedQuotations(String),
    /// The linked glossary names in a seed.
    SeedTerms(String),
    /// A page as loaded, with its links' targets, citations, quotations, entry and term links.
    Page(String),
    /// The pages linking to a page.
    Backlinks(String),
    /// A glossary entry: names, kind, tooltip and URL.
    Entry(String),
    /// Every occurrence of an entry's names.
    Occurrences(String),
    /// The quotations attributed to an entry's person.
    SpokenBy(String),
    /// One quotation.
    Quotation(String),
    /// Which page has this path, if any.
    PageAt(String),
    /// Which entry has this id, if any.
    EntryById(String),
    /// The list of every seed (by id), page (by path), entry or quotation.
    Seeds,
    Pages,
    Entries,
    Quotations,
    /// The whole model (for the data export that lists everything).
    Everything,
}

/// What a view read: each query with the fingerprint of its answer.
pub type Record = Vec<(Query, u64)>;

/// The fingerprints of one model's answers, computed once per build and shared by every view.
pub struct Prints<'a> {
    d: &'a Dossier,
    site: u64,
    seeds: Vec<[u64; 4]>,
    pages: Vec<[u64; 2]>,
    entries: Vec<[u64; 3]>,
    quotations: Vec<u64>,
    lists: [u64; 4],
    everything: u64,
    seed_ids: HashMap<&'a str, SeedId>,
    page_paths: HashMap<&'a str, PageId>,
    entry_ids: HashMap<&'a str, EntryId>,
    quotation_ids: HashMap<&'a str, QuoteId>,
    spoken_by: HashMap<EntryId, Vec<QuoteId>>,
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
                let notes: Vec<_> = s.note_targets.iter().map(|t| names.target(t)).collect();
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
                let targets: Vec<_> = p.targets.iter().map(|t| names.target(t)).collect();
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
        ];
        let everything = key(&(site, &seeds, &pages, &entries, &quotations, lists));
        Prints {
            d,
            site,
            seeds,
            pages,
            entries,
            quotations,
            lists,
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
            speaker,
            cited,
        )
    }
}

/// A page of the model as a view sees it: the loaded page and what resolve found about it.
pub struct PageRead<'a> {
    pub page: &'a Page,
    pub targets: &'a [Target],
    pub citations: &'a [Citation],
    /// Link index → the quotation that link makes.
    pub quotations: &'a BTreeMap<usize, QuoteId>,
    pub entry: Option<EntryId>,
    pub terms: &'a [Occurrence],
}

/// A glossary entry as a view sees it, without its occurrences (a separate query).
pub struct EntryRead<'a> {
    pub id: &'a str,
    pub term: &'a str,
    pub aliases: &'a [String],
    pub kind: crate::load::pages::Kind,
    pub tip: &'a str,
    /// The path of the entry's page.
    pub path: &'a str,
}

/// The recording accessor one view renders through.
pub struct Reader<'a> {
    d: &'a Dossier,
    prints: &'a Prints<'a>,
    log: RefCell<Record>,
}

impl<'a> Reader<'a> {
    pub fn new(prints: &'a Prints<'a>) -> Reader<'a> {
        Reader {
            d: prints.d,
            prints,
            log: RefCell::new(Vec::new()),
        }
    }

    /// What was read, each query once.
    pub fn into_record(self) -> Record {
        let mut record = self.log.into_inner();
        let mut seen = std::collections::HashSet::new();
        record.retain(|(q, _)| seen.insert(q.clone()));
        record
    }

    fn note(&self, query: Query) {
        let print = self.prints.answer(&query).unwrap_or_default();
        self.log.borrow_mut().push((query, print));
    }

    /// The configuration and base URL.
    pub fn site(&self) -> (&'a crate::config::Config, &'a BaseUrl) {
        self.note(Query::Site);
        (&self.d.config, &self.d.base)
    }

    pub fn seeds(&self) -> impl ExactSizeIterator<Item = SeedId> + 'a {
        self.note(Query::Seeds);
        self.d.seeds.ids()
    }

    pub fn pages(&self) -> impl ExactSizeIterator<Item = PageId> + 'a {
        self.note(Query::Pages);
        self.d.pages.ids()
    }

    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryId> + 'a {
        self.note(Query::Entries);
        self.d.entries.ids()
    }

    pub fn quotations(&self) -> impl ExactSizeIterator<Item = QuoteId> + 'a {
        self.note(Query::Quotations);
        self.d.quotations.ids()
    }

    /// A seed with its notes' targets and its git history.
    pub fn seed(&self, s: SeedId) -> (&'a Seed, &'a [Target], Vec<&'a crate::load::git::Commit>) {
        let node = &self.d.seeds[s];
        self.note(Query::Seed(node.id.clone()));
        (
            &node.seed,
            &node.note_targets,
            self.d.history_of_seed(&node.seed),
        )
    }

    pub fn seed_citations(&self, s: SeedId) -> &'a [Citation] {
        let node = &self.d.seeds[s];
        self.note(Query::SeedCitations(node.id.clone()));
        &node.citations
    }

    /// The seed's quotations, by position.
    pub fn seed_quotations(&self, s: SeedId) -> Vec<&'a Quotation> {
        let node = &self.d.seeds[s];
        self.note(Query::SeedQuotations(node.id.clone()));
        node.quotations
            .iter()
            .map(|&q| &self.d.quotations[q])
            .collect()
    }

    pub fn seed_terms(&self, s: SeedId) -> &'a [Occurrence] {
        let node = &self.d.seeds[s];
        self.note(Query::SeedTerms(node.id.clone()));
        &node.terms
    }

    pub fn page(&self, p: PageId) -> PageRead<'a> {
        let node = &self.d.pages[p];
        self.note(Query::Page(node.path.clone()));
        PageRead {
            page: &node.page,
            targets: &node.targets,
            citations: &node.citations,
            quotations: &node.quotations,
            entry: node.entry,
            terms: &node.terms,
        }
    }

    pub fn backlinks(&self, p: PageId) -> &'a BTreeSet<PageId> {
        let node = &self.d.pages[p];
        self.note(Query::Backlinks(node.path.clone()));
        &node.backlinks
    }

    pub fn entry(&self, e: EntryId) -> EntryRead<'a> {
        let entry: &Entry = &self.d.entries[e];
        self.note(Query::Entry(entry.id.clone()));
        EntryRead {
            id: &entry.id,
            term: &entry.term,
            aliases: &entry.aliases,
            kind: entry.kind,
            tip: &entry.tip,
            path: &self.d.pages[entry.page].path,
        }
    }

    pub fn occurrences(&self, e: EntryId) -> &'a [Occurrence] {
        let entry = &self.d.entries[e];
        self.note(Query::Occurrences(entry.id.clone()));
        &entry.occurrences
    }

    /// The quotations attributed to entry `e`'s person, by seed and position.
    pub fn spoken_by(&self, e: EntryId) -> Vec<&'a Quotation> {
        self.note(Query::SpokenBy(self.d.entries[e].id.clone()));
        self.prints
            .spoken_by
            .get(&e)
            .into_iter()
            .flatten()
            .map(|&q| &self.d.quotations[q])
            .collect()
    }

    pub fn quotation(&self, q: QuoteId) -> &'a Quotation {
        let quotation = &self.d.quotations[q];
        self.note(Query::Quotation(quotation.id.clone()));
        quotation
    }

    pub fn page_at(&self, path: &str) -> Option<PageId> {
        self.note(Query::PageAt(path.to_string()));
        self.prints.page_paths.get(path).copied()
    }

    pub fn entry_by_id(&self, id: &str) -> Option<EntryId> {
        self.note(Query::EntryById(id.to_string()));
        self.prints.entry_ids.get(id).copied()
    }

    /// The whole model, for a view that lists everything (`dossier.json`): recorded as one
    /// query whose answer changes whenever anything does.
    pub fn everything(&self) -> &'a Dossier {
        self.note(Query::Everything);
        self.d
    }

    /// The stable names of a target's seed or page, which every answer holding the target
    /// already fingerprints, so reading them is not a query of its own.
    pub fn seed_id(&self, s: SeedId) -> &'a str {
        &self.d.seeds[s].id
    }

    /// See [`Reader::seed_id`].
    pub fn page_path(&self, p: PageId) -> &'a str {
        &self.d.pages[p].path
    }
}
