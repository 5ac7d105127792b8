//! The dossier model: plain data in the middle of the pipeline. Resolve builds it from the
//! loaded inputs; every view of the site (pages, margin notes, backlinks, sitemap, and later
//! the quote index, concordance and `dossier.json`) reads it and nothing else.

use crate::config::{BaseUrl, Config};
use crate::load::{git::History, theme::Theme, Page, Seed};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Where in a seed a reference points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SeedAnchor {
    Whole,
    Paragraph(usize),
    Line(usize),
}

/// What a link of a commentary page resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Left as written: an external URL, or a link that failed to resolve (and was reported).
    AsWritten,
    /// An anchor of the same page.
    SamePage(String),
    Seed {
        seed: usize,
        anchor: SeedAnchor,
    },
    Page {
        page: usize,
        anchor: Option<String>,
    },
}

/// A commentary passage citing a seed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    pub page: usize,
    /// Index into the page's links.
    pub link: usize,
    pub seed: usize,
    /// The paragraph cited, `None` for the seed as a whole.
    pub paragraph: Option<usize>,
}

/// Where a quotation comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteOrigin {
    /// Direct speech found in a seed (or named in its sidecar's `quotes:`).
    Seed,
    /// A verified quotation in the commentary.
    Commentary,
}

/// Who is quoted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Speaker {
    /// A glossary-style id (`joel-millman`).
    pub id: String,
    pub name: String,
}

/// A quoted passage of a seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// Stable id (`q-` and 12 hex digits), derived from the citing page (for commentary),
    /// the seed and the quoted words: the passage's anchor and its annotation's id.
    pub id: String,
    pub seed: usize,
    /// Byte ranges of the quoted parts in the seed's decoded text (several for an elision).
    pub parts: Vec<Range<usize>>,
    pub paragraph: usize,
    pub origin: QuoteOrigin,
    pub speaker: Option<Speaker>,
    /// The commentary links quoting it: the quotation itself for commentary, the commentary
    /// quotations inside it for seed speech.
    pub cited_by: Vec<(usize, usize)>,
}

impl Quotation {
    pub fn span(&self) -> Range<usize> {
        self.parts[0].start..self.parts[self.parts.len() - 1].end
    }
}

/// The resolved dossier.
#[derive(Clone, Debug)]
pub struct Dossier {
    pub config: Config,
    pub base: BaseUrl,
    /// Sorted by id.
    pub seeds: Vec<std::sync::Arc<Seed>>,
    /// Sorted by path; the home page (path `""`) first.
    pub pages: Vec<std::sync::Arc<Page>>,
    pub theme: Theme,
    pub history: History,
    /// For each page, the target of each of its links (parallel to `page.scan.links`).
    pub targets: Vec<Vec<Target>>,
    /// For each seed, the target of each link in its sidecar's notes.
    pub note_targets: Vec<Vec<Target>>,
    /// Every citation of a seed, sorted by page, then link.
    pub citations: Vec<Citation>,
    /// For each page, the pages linking to it.
    pub backlinks: Vec<BTreeSet<usize>>,
    /// Every quotation, sorted by seed, then position.
    pub quotations: Vec<Quotation>,
    /// (page, link) → the quotation that link makes.
    pub quotation_of_link: BTreeMap<(usize, usize), usize>,
    /// For each seed, the indexes of its citations in `citations`.
    pub seed_citations: Vec<Vec<usize>>,
    /// Glossary entries and every occurrence of their terms.
    pub glossary: crate::glossary::Glossary,
}

impl Dossier {
    /// Every citation of seed `seed`, in page order.
    pub fn citations_to_seed(&self, seed: usize) -> impl Iterator<Item = &Citation> {
        self.seed_citations[seed]
            .iter()
            .map(|&c| &self.citations[c])
    }

    /// Citations made by page `page` (they are contiguous: citations are sorted by page).
    pub fn citations_from_page(&self, page: usize) -> &[Citation] {
        let start = self.citations.partition_point(|c| c.page < page);
        let end = self.citations.partition_point(|c| c.page <= page);
        &self.citations[start..end]
    }

    /// Quotations of seed `seed` (contiguous: quotations are sorted by seed).
    pub fn quotations_of_seed(&self, seed: usize) -> &[Quotation] {
        let start = self.quotations.partition_point(|q| q.seed < seed);
        let end = self.quotations.partition_point(|q| q.seed <= seed);
        &self.quotations[start..end]
    }

    /// Citations of seed `seed`, by paragraph (`None` = the seed as a whole).
    pub fn citations_of_seed(&self, seed: usize) -> BTreeMap<Option<usize>, Vec<&Citation>> {
        let mut out: BTreeMap<Option<usize>, Vec<&Citation>> = BTreeMap::new();
        for c in self.citations_to_seed(seed) {
            out.entry(c.paragraph).or_default().push(c);
        }
        out
    }

    /// The seeds page `page` cites, each with the paragraphs cited.
    pub fn sources_of_page(&self, page: usize) -> BTreeMap<usize, BTreeSet<usize>> {
        let mut out: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for c in self.citations_from_page(page) {
            let paragraphs = out.entry(c.seed).or_default();
            paragraphs.extend(c.paragraph);
        }
        out
    }

    /// The history of a seed and its sidecar, newest first, without repeats.
    pub fn history_of_seed(&self, seed: &Seed) -> Vec<&crate::load::git::Commit> {
        let mut commits: Vec<_> = [Some(&seed.path), seed.sidecar_path.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(|p| self.history.get(p))
            .flatten()
            .collect();
        commits.sort_by(|a, b| b.date.cmp(&a.date).then(a.hash.cmp(&b.hash)));
        commits.dedup_by(|a, b| a.hash == b.hash);
        commits
    }
}
