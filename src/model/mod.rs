//! The dossier model: plain data in the middle of the pipeline. Resolve builds it from the
//! loaded inputs; every view of the site (pages, margin notes, the quote index, the
//! concordance, `dossier.json`, annotations) reads it and nothing else. Entities are referred
//! to by typed ids ([`SeedId`], [`PageId`], [`EntryId`], [`QuoteId`]) and what resolve found
//! about each one lives with it.

mod ids;

pub use ids::{EntryId, Id, IdVec, PageId, QuoteId, SeedId};

use crate::config::{BaseUrl, Config};
use crate::load::pages::Kind;
use crate::load::{assets::Assets, git::History, theme::Theme, Page, Seed};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

/// Where in a seed a reference points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeedAnchor {
    /// The seed as a whole: no fragment.
    Whole,
    /// 1-based paragraph number, `#p<n>`; checked to exist.
    Paragraph(usize),
    /// 1-based line number, `#L<n>`; checked to exist (it may be a blank line).
    Line(usize),
}

/// What a link of a commentary page (or of a sidecar's notes) resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Left as written: an external URL, or a link that failed to resolve (and was reported).
    AsWritten,
    /// An anchor of the same page.
    SamePage(String),
    /// A seed's page (`seed:`, a relative path to the `.txt`, or `#…` in its sidecar's notes).
    Seed {
        /// The seed.
        seed: SeedId,
        /// Where in it.
        anchor: SeedAnchor,
    },
    /// A file published as it is (a file of `static/` or a page asset): a relative path to
    /// it, or `/path` from the site root.
    File {
        /// Its output path, relative to the site root.
        path: String,
        /// The fragment as written (`#page=2`), not checked.
        fragment: Option<String>,
    },
    /// A commentary page (`page:`, a relative path to the `.md`) or a glossary entry (`term:`).
    Page {
        /// The page; for `term:`, the entry's page.
        page: PageId,
        /// A heading id or link anchor (`cite-N`) checked to exist on that page.
        anchor: Option<String>,
    },
}

/// A commentary passage citing a seed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Citation {
    /// The citing page.
    pub page: PageId,
    /// Index into the page's links.
    pub link: usize,
    /// The cited seed.
    pub seed: SeedId,
    /// The paragraph cited (1-based; a line anchor counts as its paragraph), `None` for the seed
    /// as a whole or a blank line.
    pub paragraph: Option<usize>,
}

/// Where a quotation comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteOrigin {
    /// Direct speech found in a seed (or named in its sidecar's `quotes:`).
    Seed,
    /// A verified quotation in the commentary.
    Commentary,
}

/// How a speaker was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    /// Named by the text around direct speech, or by the sidecar's `quotes:`.
    Named,
    /// The source's own narrative voice: its `authors:` in the sidecar.
    Author,
    /// The source's own narrative voice: its `publisher:` in the sidecar (no authors known).
    Publisher,
}

/// What a quotation is in the quote index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteRole {
    /// Direct speech in a seed (or named in its sidecar's `quotes:`): listed under its speaker.
    Speech,
    /// A commentary quotation inside a seed's direct speech: shown with that speech.
    InSpeech,
    /// A commentary quotation of four words or more in the source's own narrative voice:
    /// listed under the source's author or publisher.
    Narrative,
    /// A commentary quotation of fewer than four words outside direct speech, or of the
    /// source's own title: not speech, listed under the commentary page that quotes it.
    Fragment,
}

/// Who is quoted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Speaker {
    /// A glossary-style id (`joel-millman`): the entry's id when the glossary has the person.
    pub id: String,
    /// As shown: the entry's term when the glossary has the person, else the name the seed
    /// gives (or, for a sidecar's speaker id, that id in words).
    pub name: String,
    /// The glossary entry of this person, if there is one.
    #[serde(skip)]
    pub entry: Option<EntryId>,
    /// How the speaker was found: named in the text, or the source's own voice.
    pub voice: Voice,
    /// The sidecar lists the field this speaker comes from under `inferred:`.
    pub inferred: bool,
}

/// A quoted passage of a seed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quotation {
    /// Stable id (`q-` and 12 hex digits), derived from the citing page (for commentary),
    /// the seed and the quoted words: the passage's anchor and its annotation's id.
    pub id: String,
    /// The seed quoted.
    pub seed: SeedId,
    /// Byte ranges of the quoted parts in the seed's decoded text (several for an elision).
    pub parts: Vec<Range<usize>>,
    /// The 1-based paragraph where the quotation starts.
    pub paragraph: usize,
    /// Seed speech or a commentary quotation.
    pub origin: QuoteOrigin,
    /// Where the quote index lists it.
    pub role: QuoteRole,
    /// Who says it; `None` when unattributed.
    pub speaker: Option<Speaker>,
    /// The commentary links quoting it: the quotation itself for commentary, the commentary
    /// quotations inside it for seed speech.
    pub cited_by: Vec<(PageId, usize)>,
}

impl Quotation {
    /// From the start of the first part to the end of the last.
    pub fn span(&self) -> Range<usize> {
        self.parts[0].start..self.parts[self.parts.len() - 1].end
    }
}

/// Where a glossary name occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// In a seed's decoded text, in paragraph `paragraph`.
    Seed {
        /// The seed.
        seed: SeedId,
        /// The 1-based paragraph where the occurrence starts.
        paragraph: usize,
    },
    /// In text node `node` of a commentary page.
    Page {
        /// The page.
        page: PageId,
        /// Index into the page's `scan.texts`.
        node: usize,
    },
}

/// One occurrence of an entry's term or alias.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Occurrence {
    /// The entry whose term or alias this is.
    pub entry: EntryId,
    /// The seed paragraph or page text node it is in.
    pub place: Place,
    /// Byte range in the seed's text or in the text node (for a name split over several
    /// nodes, it runs on past the node's end, into the rest of its block's text).
    pub range: Range<usize>,
    /// Whether this occurrence becomes a link to the entry.
    pub linked: bool,
}

/// A glossary entry (`content/glossary/<id>.md`), with every occurrence of its names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The entry's id: its file stem, used by `term:<id>` and in `/glossary/<id>/`.
    pub id: String,
    /// The page holding its definition.
    pub page: PageId,
    /// The entry's name as written in its front matter (also its page's title).
    pub term: String,
    /// Other names found as this entry, as written.
    pub aliases: Vec<String>,
    /// What the entry is about: term, person, organization, place or event.
    pub kind: Kind,
    /// The first sentence of its definition, for tooltips.
    pub tip: String,
    /// Every occurrence, by place, then position.
    pub occurrences: Vec<Occurrence>,
}

/// A seed with what resolve found about it.
#[derive(Clone, Debug)]
pub struct SeedNode {
    /// The seed as loaded (shared with the load cache).
    pub seed: Arc<Seed>,
    /// The target of each link in its sidecar's notes.
    pub note_targets: Vec<Target>,
    /// The source of each image in its sidecar's notes: a file, or as written.
    pub note_images: Vec<Target>,
    /// Every citation of it, by page, then link.
    pub citations: Vec<Citation>,
    /// Its quotations, by position.
    pub quotations: Vec<QuoteId>,
    /// Its linked glossary occurrences, in document order.
    pub terms: Vec<Occurrence>,
}

impl std::ops::Deref for SeedNode {
    type Target = Seed;
    fn deref(&self) -> &Seed {
        &self.seed
    }
}

/// A commentary page with what resolve found about it.
#[derive(Clone, Debug)]
pub struct PageNode {
    /// The page as loaded (shared with the load cache).
    pub page: Arc<Page>,
    /// The target of each of its links (parallel to `page.scan.links`).
    pub targets: Vec<Target>,
    /// The source of each of its images (parallel to `page.scan.images`): a file, or as written.
    pub images: Vec<Target>,
    /// The citations it makes, by link.
    pub citations: Vec<Citation>,
    /// The pages linking to it.
    pub backlinks: BTreeSet<PageId>,
    /// Link index → the quotation that link makes.
    pub quotations: BTreeMap<usize, QuoteId>,
    /// The glossary entry it defines, if it is one.
    pub entry: Option<EntryId>,
    /// Its linked glossary occurrences, in document order.
    pub terms: Vec<Occurrence>,
}

impl std::ops::Deref for PageNode {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.page
    }
}

/// The resolved dossier.
#[derive(Clone, Debug)]
pub struct Dossier {
    /// `dossier.yaml` as loaded.
    pub config: Config,
    /// The base URL in effect (`--base-url` over the configuration).
    pub base: BaseUrl,
    /// The theme's templates and static files.
    pub theme: Theme,
    /// Files published as they are (`static/`, page assets).
    pub assets: Assets,
    /// The git history of `seeds/`, by path relative to the root.
    pub history: History,
    /// The build time `SOURCE_DATE_EPOCH` gives, if set: the Atom feed's `updated` when no
    /// page has a date.
    pub build_time: Option<crate::date::Date>,
    /// Sorted by id.
    pub seeds: IdVec<SeedId, SeedNode>,
    /// Sorted by path; the home page (path `""`) first.
    pub pages: IdVec<PageId, PageNode>,
    /// Sorted by id.
    pub entries: IdVec<EntryId, Entry>,
    /// Sorted by seed, then position.
    pub quotations: IdVec<QuoteId, Quotation>,
}

impl Dossier {
    /// The seeds `page` cites, each with the paragraphs cited.
    pub fn sources_of_page(&self, page: PageId) -> BTreeMap<SeedId, BTreeSet<usize>> {
        let mut out: BTreeMap<SeedId, BTreeSet<usize>> = BTreeMap::new();
        for c in &self.pages[page].citations {
            out.entry(c.seed).or_default().extend(c.paragraph);
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
