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
    Citation, Dossier, Entry, EntryId, Occurrence, PageId, Quotation, QuoteId, SeedId, Target,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

mod prints;
pub use prints::Prints;

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
    /// The list of every seed, fingerprinted by their ids in order.
    Seeds,
    /// The list of every page, fingerprinted by their paths in order.
    Pages,
    /// The list of every glossary entry, fingerprinted by their ids in order.
    Entries,
    /// The pages with tags, fingerprinted by their paths, tags, dates, weights and titles (what
    /// the tag lists sort and key by), not by their text.
    Tagged,
    /// The commentary pages with a date (not glossary entries), fingerprinted by their paths
    /// and dates, not by their text.
    Dated,
    /// The list of every quotation, fingerprinted by their ids in order.
    Quotations,
    /// Every quotation with its answer to [`Query::Quotation`], as one question (for the quote
    /// index's pages, which group them all: one record instead of one per quotation).
    AllQuotations,
    /// Every glossary entry with its answer to [`Query::Entry`], as one question (for the
    /// glossary's index pages, which sort them all: one record instead of one per entry).
    AllEntries,
    /// The whole model (for the data export that lists everything).
    Everything,
}

/// What a view read: each query with the fingerprint of its answer.
pub type Record = Vec<(Query, u64)>;

/// A page of the model as a view sees it: the loaded page and what resolve found about it.
pub struct PageRead<'a> {
    /// The page as loaded: front matter, text, scan.
    pub page: &'a Page,
    /// The target of each of its links (parallel to `page.scan.links`).
    pub targets: &'a [Target],
    /// The source of each of its images (parallel to `page.scan.images`).
    pub images: &'a [Target],
    /// The citations it makes, by link.
    pub citations: &'a [Citation],
    /// Link index → the quotation that link makes.
    pub quotations: &'a BTreeMap<usize, QuoteId>,
    /// The glossary entry the page defines, if it is one.
    pub entry: Option<EntryId>,
    /// Its linked glossary occurrences, in document order.
    pub terms: &'a [Occurrence],
}

/// A glossary entry as a view sees it, without its occurrences (a separate query).
pub struct EntryRead<'a> {
    /// The entry's id: its file stem under `content/glossary/`.
    pub id: &'a str,
    /// The entry's name as written.
    pub term: &'a str,
    /// Its other names, as written.
    pub aliases: &'a [String],
    /// What the entry is about.
    pub kind: crate::load::pages::Kind,
    /// The first sentence of its definition, for tooltips.
    pub tip: &'a str,
    /// The path of the entry's page.
    pub path: &'a str,
}

impl<'a> EntryRead<'a> {
    fn of(d: &'a Dossier, entry: &'a Entry) -> Self {
        EntryRead {
            id: &entry.id,
            term: &entry.term,
            aliases: &entry.aliases,
            kind: entry.kind,
            tip: &entry.tip,
            path: &d.pages[entry.page].path,
        }
    }
}

/// The recording accessor one view renders through.
pub struct Reader<'a> {
    d: &'a Dossier,
    prints: &'a Prints<'a>,
    log: RefCell<Record>,
}

impl<'a> Reader<'a> {
    /// A reader of the model `prints` was computed on, with an empty record.
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

    /// The build time `SOURCE_DATE_EPOCH` gave, if any (part of the site's answer).
    pub fn build_time(&self) -> Option<&'a crate::date::Date> {
        self.note(Query::Site);
        self.d.build_time.as_ref()
    }

    /// Every seed, in the model's order (by id).
    pub fn seeds(&self) -> impl ExactSizeIterator<Item = SeedId> + 'a {
        self.note(Query::Seeds);
        self.d.seeds.ids()
    }

    /// Every page, in the model's order (by path, the home page first).
    pub fn pages(&self) -> impl ExactSizeIterator<Item = PageId> + 'a {
        self.note(Query::Pages);
        self.d.pages.ids()
    }

    /// The pages with tags, in the model's order. Only their path, tags, date, weight and title
    /// are recorded ([`Query::Tagged`]): read anything else through [`Reader::page`].
    pub fn tagged_pages(&self) -> impl Iterator<Item = &'a crate::load::pages::Page> + 'a {
        self.note(Query::Tagged);
        self.d
            .pages
            .values()
            .filter(|p| !p.front.tags.is_empty())
            .map(|p| &*p.page)
    }

    /// The commentary pages with their own URL and a `date` (glossary entries left out), in the
    /// model's order, with their dates. Only paths and dates are recorded ([`Query::Dated`]):
    /// read anything else through [`Reader::page`].
    pub fn dated_pages(&self) -> impl Iterator<Item = (PageId, &'a crate::date::Date)> + 'a {
        self.note(Query::Dated);
        dated(self.d)
    }

    /// Every glossary entry, in the model's order (by id).
    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryId> + 'a {
        self.note(Query::Entries);
        self.d.entries.ids()
    }

    /// Every quotation, in the model's order (by seed, then position).
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

    /// The source of each image in the seed's notes (part of the seed's answer).
    pub fn note_images(&self, s: SeedId) -> &'a [Target] {
        let node = &self.d.seeds[s];
        self.note(Query::Seed(node.id.clone()));
        &node.note_images
    }

    /// Every citation of the seed, by page, then link.
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

    /// The seed's linked glossary occurrences, in document order.
    pub fn seed_terms(&self, s: SeedId) -> &'a [Occurrence] {
        let node = &self.d.seeds[s];
        self.note(Query::SeedTerms(node.id.clone()));
        &node.terms
    }

    /// A page with what resolve found about it (not its backlinks: see [`Reader::backlinks`]).
    pub fn page(&self, p: PageId) -> PageRead<'a> {
        let node = &self.d.pages[p];
        self.note(Query::Page(node.path.clone()));
        PageRead {
            page: &node.page,
            targets: &node.targets,
            images: &node.images,
            citations: &node.citations,
            quotations: &node.quotations,
            entry: node.entry,
            terms: &node.terms,
        }
    }

    /// The pages linking to page `p`.
    pub fn backlinks(&self, p: PageId) -> &'a BTreeSet<PageId> {
        let node = &self.d.pages[p];
        self.note(Query::Backlinks(node.path.clone()));
        &node.backlinks
    }

    /// A glossary entry without its occurrences (see [`Reader::occurrences`]).
    pub fn entry(&self, e: EntryId) -> EntryRead<'a> {
        let entry: &Entry = &self.d.entries[e];
        self.note(Query::Entry(entry.id.clone()));
        EntryRead::of(self.d, entry)
    }

    /// Every occurrence of entry `e`'s names, linked or not, by place, then position.
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

    /// Every quotation with its id, in the model's order, read as one question.
    pub fn all_quotations(&self) -> impl ExactSizeIterator<Item = (QuoteId, &'a Quotation)> + 'a {
        self.note(Query::AllQuotations);
        self.d.quotations.iter()
    }

    /// Every glossary entry (without occurrences), in the model's order, read as one question.
    pub fn all_entries(&self) -> impl ExactSizeIterator<Item = (EntryId, EntryRead<'a>)> + 'a {
        self.note(Query::AllEntries);
        let d = self.d;
        d.entries
            .iter()
            .map(move |(e, entry)| (e, EntryRead::of(d, entry)))
    }

    /// A value made by `make` from every quotation ([`Reader::all_quotations`]) once per build
    /// and shared: the first reader to ask fills `cell`, which lives as long as the build, and
    /// the others reuse it. Every reader that asks records the one question, so a page built on
    /// the value depends on every quotation as if it had made it: `make` must read nothing else.
    pub fn all_quotations_once<T>(
        &self,
        cell: &'a OnceLock<T>,
        make: impl FnOnce(&mut dyn Iterator<Item = (QuoteId, &'a Quotation)>) -> T,
    ) -> &'a T {
        let mut all = self.all_quotations();
        cell.get_or_init(|| make(&mut all))
    }

    /// As [`Reader::all_quotations_once`], from every glossary entry ([`Reader::all_entries`]).
    pub fn all_entries_once<T>(
        &self,
        cell: &'a OnceLock<T>,
        make: impl FnOnce(&mut dyn Iterator<Item = (EntryId, EntryRead<'a>)>) -> T,
    ) -> &'a T {
        let mut all = self.all_entries();
        cell.get_or_init(|| make(&mut all))
    }

    /// One quotation.
    pub fn quotation(&self, q: QuoteId) -> &'a Quotation {
        let quotation = &self.d.quotations[q];
        self.note(Query::Quotation(quotation.id.clone()));
        quotation
    }

    /// The page whose path is `path` (`""` for the home page), if any.
    pub fn page_at(&self, path: &str) -> Option<PageId> {
        self.note(Query::PageAt(path.to_string()));
        self.prints.page_paths.get(path).copied()
    }

    /// The glossary entry with id `id`, if any.
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

    /// The path of entry `e`'s page (`glossary/<id>`, a function of its id, which the list of
    /// entries and every answer naming the entry fingerprint): not a query of its own, so a
    /// view that needs only the entry's URL does not depend on its definition.
    pub fn entry_path(&self, e: EntryId) -> &'a str {
        &self.d.pages[self.d.entries[e].page].path
    }
}

/// The pages [`Reader::dated_pages`] lists.
fn dated(d: &Dossier) -> impl Iterator<Item = (PageId, &crate::date::Date)> {
    d.pages.iter().filter_map(|(i, p)| {
        let date = p.front.date.as_ref()?;
        (p.entry.is_none() && p.has_own_url()).then_some((i, date))
    })
}
