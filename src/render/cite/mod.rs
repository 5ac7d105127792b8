//! Citations of a source, built from its provenance sidecar through the [`Reader`]: each field
//! as recorded, marked when the editors inferred it, and absent when it is not recorded (never
//! filled in). One model, four forms: the formatted author–date citation on the source page
//! (`n.d.` for a missing date, `[inferred]` after an inferred field), and the CSL-JSON
//! ([`csl`]), BibTeX ([`bibtex`]) and RIS ([`ris`]) files beside it and on `/sources/`.

mod bibtex;
mod csl;
mod ris;

use crate::date::{Date, Precision};
use crate::model::SeedId;
use crate::render::reads::Reader;
use crate::render::Urls;

/// A citation file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// CSL-JSON (`.csl.json`): an array of items.
    Csl,
    /// BibTeX (`.bib`).
    Bib,
    /// RIS (`.ris`), lines ending in CR LF.
    Ris,
}

impl Format {
    /// Every format, in the order the pages offer them.
    pub const ALL: [Format; 3] = [Format::Csl, Format::Bib, Format::Ris];

    /// The file name's extension, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csl => "csl.json",
            Format::Bib => "bib",
            Format::Ris => "ris",
        }
    }
}

/// A value of the sidecar and whether the editors inferred it.
#[derive(Clone, Debug)]
pub(crate) struct Field<T> {
    pub value: T,
    pub inferred: bool,
}

/// What kind of work a source is, as far as citation formats distinguish, read from the
/// sidecar's free-text `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Genre {
    News,
    Report,
    Interview,
    Speech,
    Other,
}

/// What a citation of one source says.
#[derive(Clone, Debug)]
pub(crate) struct SourceCite {
    /// The seed's id: the key of its BibTeX entry, the id of its CSL item.
    pub id: String,
    /// The title; the file name when the sidecar has none.
    pub title: Field<String>,
    /// The authors as written (none when not recorded).
    pub authors: Field<Vec<String>>,
    pub publisher: Option<Field<String>>,
    pub published: Option<Field<Date>>,
    pub retrieved: Option<Field<Date>>,
    /// Where the source was published.
    pub url: Option<Field<String>>,
    pub language: Option<String>,
    /// The sidecar's `kind`, as written.
    pub kind: Option<String>,
    /// The dossier's title.
    pub dossier: String,
    /// The absolute URL of the source's page in the dossier.
    pub page_url: String,
    /// The sha256 of the source's bytes, as measured.
    pub sha256: String,
}

/// The citation of seed `s`.
pub(crate) fn source(r: &Reader<'_>, urls: &Urls, s: SeedId) -> SourceCite {
    let (seed, _, _) = r.seed(s);
    let (config, _) = r.site();
    let p = &seed.sidecar;
    let inferred = |key: &str| p.inferred.contains_key(key);
    let field = |key: &str, value: Option<String>| {
        value.map(|value| Field {
            value,
            inferred: inferred(key),
        })
    };
    let date = |key: &str, value: &Option<Date>| {
        value.clone().map(|value| Field {
            value,
            inferred: inferred(key),
        })
    };
    SourceCite {
        id: seed.id.clone(),
        title: Field {
            value: seed.title().to_string(),
            inferred: p.title.is_some() && inferred("title"),
        },
        authors: Field {
            value: p.authors.clone(),
            inferred: !p.authors.is_empty() && inferred("authors"),
        },
        publisher: field("publisher", p.publisher.clone()),
        published: date("published", &p.published),
        retrieved: date("retrieved", &p.retrieved),
        url: field("url", p.url.clone()),
        language: p.language.clone(),
        kind: p.kind.clone(),
        dossier: config.title.clone(),
        page_url: urls.absolute(&Urls::source(&seed.id)),
        sha256: seed.sha256.clone(),
    }
}

/// ` [inferred]` after an inferred field.
fn mark(inferred: bool) -> &'static str {
    if inferred {
        " [inferred]"
    } else {
        ""
    }
}

/// `s` ended as a sentence: a full stop unless it ends in one (or `?`, `!`).
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

impl SourceCite {
    /// Who the source is by: its authors, else its publisher (an organisation's own text).
    fn creator(&self) -> Option<String> {
        if !self.authors.value.is_empty() {
            return Some(self.authors.value.join(", ") + mark(self.authors.inferred));
        }
        self.publisher
            .as_ref()
            .map(|p| format!("{}{}", p.value, mark(p.inferred)))
    }

    /// The publication date as written, or `n.d.`.
    fn date(&self) -> String {
        match &self.published {
            Some(d) => format!("{}{}", d.value.as_str(), mark(d.inferred)),
            None => "n.d.".into(),
        }
    }

    /// The title with its mark.
    fn title(&self) -> String {
        format!("{}{}", self.title.value, mark(self.title.inferred))
    }

    /// The formatted author–date citation: `Creator (date). Title. Publisher. Retrieved
    /// <date> from <url>. Copy in <dossier>, <page>. sha256: <hex>`.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        match self.creator() {
            Some(creator) => {
                parts.push(format!("{creator} ({}).", self.date()));
                parts.push(sentence(&self.title()));
            }
            None => parts.push(format!("{} ({}).", self.title(), self.date())),
        }
        if !self.authors.value.is_empty() {
            if let Some(p) = &self.publisher {
                parts.push(sentence(&format!("{}{}", p.value, mark(p.inferred))));
            }
        }
        let retrieved = self
            .retrieved
            .as_ref()
            .map(|d| format!("Retrieved {}{}", d.value.as_str(), mark(d.inferred)));
        let url = self
            .url
            .as_ref()
            .map(|u| format!("{}{}", u.value, mark(u.inferred)));
        match (retrieved, url) {
            (Some(r), Some(u)) => parts.push(format!("{r} from {u}.")),
            (Some(r), None) => parts.push(format!("{r}.")),
            (None, Some(u)) => parts.push(format!("{u}.")),
            (None, None) => {}
        }
        parts.push(self.copy());
        parts.push(format!("sha256: {}", self.sha256));
        parts.join(" ")
    }

    /// Where the dossier keeps the text: `Copy in <dossier>, <page>.`
    fn copy(&self) -> String {
        if self.dossier.trim().is_empty() {
            format!("Copy at {}.", self.page_url)
        } else {
            format!("Copy in {}, {}.", self.dossier, self.page_url)
        }
    }

    /// The start of a one-line citation of a passage: `Creator (date), "Title"`; the page
    /// adds `, ¶ <n>, <link>`.
    pub fn line(&self) -> String {
        let title = format!(
            "\u{201c}{}\u{201d}{}",
            self.title.value,
            mark(self.title.inferred)
        );
        match self.creator() {
            Some(creator) => format!("{creator} ({}), {title}", self.date()),
            None => format!("{title} ({})", self.date()),
        }
    }

    /// The note every file format carries: the dossier's copy, the hash, and which fields the
    /// editors inferred.
    fn note(&self) -> String {
        let mut note = format!("{} sha256: {}.", self.copy(), self.sha256);
        let inferred = self.inferred_fields();
        if !inferred.is_empty() {
            note.push_str(" Inferred by the editors: ");
            note.push_str(&inferred.join(", "));
            note.push('.');
        }
        note
    }

    /// The sidecar names of the fields given here that the editors inferred.
    fn inferred_fields(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut add = |name, inferred| {
            if inferred {
                names.push(name)
            }
        };
        add("title", self.title.inferred);
        add("authors", self.authors.inferred);
        add(
            "publisher",
            self.publisher.as_ref().is_some_and(|f| f.inferred),
        );
        add(
            "published",
            self.published.as_ref().is_some_and(|f| f.inferred),
        );
        add(
            "retrieved",
            self.retrieved.as_ref().is_some_and(|f| f.inferred),
        );
        add("url", self.url.as_ref().is_some_and(|f| f.inferred));
        names
    }

    /// The link a file format gives: where the source was published, else the dossier's copy.
    fn link(&self) -> &str {
        self.url.as_ref().map_or(&self.page_url, |u| &u.value)
    }

    /// The kind of work, from the sidecar's `kind` (`news-report` is news).
    fn genre(&self) -> Genre {
        let kind = self.kind.as_deref().unwrap_or_default().to_lowercase();
        if kind.contains("news") {
            Genre::News
        } else if kind.contains("interview") {
            Genre::Interview
        } else if kind.contains("speech") {
            Genre::Speech
        } else if kind.contains("report") {
            Genre::Report
        } else {
            Genre::Other
        }
    }
}

/// A date's parts as written: year, then month and day when given.
fn date_parts(d: &Date) -> Vec<i64> {
    let day = d.as_str().split(['T', 't', ' ']).next().unwrap_or_default();
    let n = match d.precision() {
        Precision::Year => 1,
        Precision::Month => 2,
        Precision::Day | Precision::Instant => 3,
    };
    day.split('-')
        .take(n)
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// The citation file of seed `s` (or, with `None`, of every source) in format `f`.
pub(crate) fn file(r: &Reader<'_>, urls: &Urls, s: Option<SeedId>, f: Format) -> String {
    let cites: Vec<SourceCite> = match s {
        Some(s) => vec![source(r, urls, s)],
        None => r.seeds().map(|s| source(r, urls, s)).collect(),
    };
    match f {
        Format::Csl => csl::file(&cites),
        Format::Bib => bibtex::file(&cites),
        Format::Ris => ris::file(&cites),
    }
}
