//! Commentary pages: `content/**/*.md` with YAML front matter.

use crate::diagnostics::{code, Diagnostic, Location};
use crate::markdown::{self, Scan};
use serde::{Deserialize, Serialize};

/// A page's front matter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Required, not null or blank; a page with broken front matter gets its path as title so
    /// it still loads.
    #[serde(deserialize_with = "crate::yaml::required_title")]
    pub title: String,
    /// The `date:` as written, which [`load_page`] checks and moves into `date`.
    #[serde(
        default,
        rename = "date",
        skip_serializing,
        deserialize_with = "crate::yaml::scalar_as_string"
    )]
    pub date_written: Option<String>,
    /// The page's date, when it is a valid one.
    #[serde(skip_deserializing)]
    pub date: Option<crate::date::Date>,
    /// Shown under the page's title; may be empty.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Used where the page is summarised; when absent, an excerpt of its text (at most 200
    /// characters, cut at a word).
    pub summary: Option<String>,
    /// Listed on the page as written, each linking to its tag's page (`/tags/<slug>/`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Left out of the build unless `--drafts` (its path is kept for hints).
    #[serde(default)]
    pub draft: bool,
    /// Sort key among pages, lowest first, before the title (navigation; the home page's
    /// list after the date). A page without one sorts before every weighted page.
    pub weight: Option<i64>,
    /// Show a table of contents built from the page's headings.
    #[serde(default)]
    pub toc: bool,
}

/// What a glossary entry is about.
#[derive(
    Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A word or phrase explained (`term`, the default).
    #[default]
    Term,
    /// A person, to whom direct speech in seeds can be attributed (`person`).
    Person,
    /// An organization (`organization`).
    Organization,
    /// A place (`place`).
    Place,
    /// An event (`event`).
    Event,
}

impl Kind {
    /// The name used in front matter, CSS classes and anchors.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Term => "term",
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Place => "place",
            Kind::Event => "event",
        }
    }

    /// Every kind, in the order the glossary index lists them.
    pub const ALL: [Kind; 5] = [
        Kind::Term,
        Kind::Person,
        Kind::Organization,
        Kind::Place,
        Kind::Event,
    ];

    /// People, organizations and places form the index of names.
    pub fn is_name(self) -> bool {
        matches!(self, Kind::Person | Kind::Organization | Kind::Place)
    }

    /// The heading of the kind's section on the glossary index.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Term => "Terms",
            Kind::Person => "People",
            Kind::Organization => "Organizations",
            Kind::Place => "Places",
            Kind::Event => "Events",
        }
    }
}

/// The front matter of a glossary entry, `content/glossary/<id>.md`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The entry's name and the page's title; found in texts like an alias. Required, not null.
    #[serde(deserialize_with = "crate::yaml::required_term")]
    pub term: String,
    /// Other names found in texts as this entry (spellings, short forms).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the entry is about; `term` when absent.
    #[serde(default)]
    pub kind: Kind,
    /// Default: true for a name in all capitals (an acronym), false otherwise.
    pub case_sensitive: Option<bool>,
    /// Copied to the page's `draft`: the entry is left out unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

impl Entry {
    /// The term and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A commentary page as loaded.
#[derive(Clone, Debug)]
pub struct Page {
    /// The page's id and URL path: `""` for the home page, else e.g. `analysis/framing`.
    pub path: String,
    /// `content/…/x.md`, relative to the root.
    pub file: String,
    /// The whole file as read, front matter included; spans in `scan` are byte offsets in it.
    pub text: String,
    /// Byte offset in `text` where the Markdown body starts, after the closing `---` line;
    /// 0 when there is no front matter.
    pub body_start: usize,
    /// The front matter; for a glossary entry, made from it (title = term, draft).
    pub front: FrontMatter,
    /// The body's headings, links, passages and text nodes, found once at load.
    pub scan: Scan,
    /// Set for a glossary entry (`content/glossary/<id>.md`); its title is the term.
    pub entry: Option<Entry>,
    /// A hash of the file's text, set by `load`: rebuilds compare it to tell what changed.
    pub fingerprint: u64,
}

impl Page {
    /// The Markdown body: `text` after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Whether the page is rendered at its own URL. The home page (`/`) and the glossary's
    /// introduction (shown on the generated `/glossary/`) are not.
    pub fn has_own_url(&self) -> bool {
        !matches!(self.path.as_str(), "" | "glossary")
    }

    /// The glossary entry id this page defines: its file stem when it is
    /// `content/glossary/<id>.md`. The one place that knows the convention.
    pub fn entry_id(&self) -> Option<&str> {
        entry_id(&self.path)
    }

    /// The folder holding the page's file, for resolving relative links.
    pub fn dir(&self) -> &str {
        self.file.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// The entry id of the page at `path`, if it is a glossary entry.
fn entry_id(path: &str) -> Option<&str> {
    path.strip_prefix("glossary/")
        .filter(|id| !id.contains('/'))
}

/// The page path for `rel` (relative to `content/`, with `/`): `_index.md` and `index.md` name
/// their folder (the folder's page, beside which its assets are published).
pub fn page_path(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.rsplit_once('/') {
        Some((dir, "_index" | "index")) => dir.to_string(),
        None if stem == "_index" || stem == "index" => String::new(),
        _ => stem.to_string(),
    }
}

/// Loads one page. `None` when its path is unusable (the problem is in `diags`).
pub fn load_page(file: &str, text: String, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let rel = file.strip_prefix("content/").unwrap_or(file);
    let path = page_path(rel);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if !crate::paths::is_valid_id(segment) {
            diags.push(
                Diagnostic::error(
                    code::BAD_ID,
                    Location::file(file),
                    format!("`{segment}` in the page path `{path}` may only hold lowercase letters, digits, `-` and `_`"),
                )
                .with_hint(format!("rename it to `{}`", crate::text::suggest_id(segment))),
            );
            return None;
        }
        if crate::paths::is_reserved(segment) {
            diags.push(crate::paths::reserved_error(
                Location::file(file),
                &format!("`{segment}` in the page path"),
                segment,
            ));
            return None;
        }
    }
    let is_entry = entry_id(&path).is_some();
    let mut entry = None;
    // A page with broken front matter is still loaded, so that links to it resolve and only
    // the real problem is reported.
    let untitled = || FrontMatter {
        title: path.clone(),
        ..FrontMatter::default()
    };
    let (front, body_start) = match crate::yaml::front_matter(&text) {
        None => {
            diags.push(no_front_matter(file, &text, is_entry));
            (untitled(), 0)
        }
        Some((yaml, body_start)) if is_entry => {
            match crate::yaml::parse::<Entry>(code::FRONT_MATTER, file, &text, yaml) {
                Ok(e) => {
                    let front = FrontMatter {
                        title: e.term.clone(),
                        draft: e.draft,
                        ..FrontMatter::default()
                    };
                    entry = Some(e);
                    (front, body_start)
                }
                Err(d) => {
                    diags.push(d);
                    (untitled(), body_start)
                }
            }
        }
        Some((yaml, body_start)) => {
            match crate::yaml::parse::<FrontMatter>(code::FRONT_MATTER, file, &text, yaml.clone()) {
                Ok(mut front) => {
                    let written = front.date_written.take();
                    front.date = crate::yaml::date(
                        code::FRONT_MATTER,
                        file,
                        &text,
                        yaml,
                        "date",
                        written,
                        diags,
                    );
                    check_tags(&mut front.tags, file, &text, diags);
                    (front, body_start)
                }
                Err(d) => {
                    diags.push(d);
                    (untitled(), body_start)
                }
            }
        }
    };
    let scan = markdown::scan(&text, body_start);
    Some(Page {
        fingerprint: crate::fingerprint::key(&text),
        path,
        file: file.to_string(),
        text,
        body_start,
        front,
        scan,
        entry,
    })
}

/// Why a page has no front matter: none, one that is never closed, or TOML's `+++`.
fn no_front_matter(file: &str, text: &str, is_entry: bool) -> Diagnostic {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first = text[start..].split('\n').next().unwrap_or("").trim_end();
    let opening = Location::span(file, text, start..start + first.len());
    let key = if is_entry { "term" } else { "title" };
    match first {
        "---" => Diagnostic::error(
            code::FRONT_MATTER,
            opening,
            "front matter is not closed: no `---` line ends it",
        )
        .with_hint("end the front matter with a line holding only `---`, before the page's text"),
        "+++" => Diagnostic::error(
            code::FRONT_MATTER,
            opening,
            "TOML front matter is not supported; use YAML between --- lines",
        )
        .with_hint(format!(
            "replace both `+++` lines by `---`, and write `{key} = \"…\"` as `{key}: …`"
        )),
        _ => Diagnostic::error(
            code::FRONT_MATTER,
            Location::span(file, text, 0..0),
            "page has no front matter",
        )
        .with_hint(format!(
            "start the file with a `---` line, `{key}: …`, and another `---` line"
        )),
    }
}

/// How long a tag's slug may be, in bytes: it names the tag's folder (`/tags/<slug>/`), and
/// file systems refuse names over 255 bytes.
pub const MAX_TAG_SLUG: usize = 100;

/// Tags whose slug is too long to be a folder's name are errors at the tag, and are dropped so
/// that the rest of the page still builds.
fn check_tags(tags: &mut Vec<String>, file: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    let too_long: Vec<&str> = tags
        .iter()
        .filter(|t| crate::text::slug(t).len() > MAX_TAG_SLUG)
        .map(String::as_str)
        .collect();
    if too_long.is_empty() {
        return;
    }
    let places = crate::yaml::value_texts_location(file, text, "tags", &too_long);
    for (tag, place) in too_long.iter().zip(places) {
        // Marked at its start: the whole tag would fill the terminal.
        let place = Location {
            marked: place.marked.start..place.marked.start,
            ..place
        };
        diags.push(
            Diagnostic::error(
                code::FRONT_MATTER,
                place,
                format!(
                    "a tag of {} characters is too long to be a folder's name (its slug may have at most {MAX_TAG_SLUG})",
                    tag.chars().count()
                ),
            )
            .with_hint("shorten the tag: each tag has a page at `/tags/<tag>/`"),
        );
    }
    tags.retain(|t| crate::text::slug(t).len() <= MAX_TAG_SLUG);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_folder_tree() {
        assert_eq!(page_path("_index.md"), "");
        assert_eq!(page_path("analysis/_index.md"), "analysis");
        assert_eq!(page_path("analysis/framing.md"), "analysis/framing");
        assert_eq!(page_path("notes/trip/index.md"), "notes/trip");
        assert_eq!(page_path("index.md"), "");
    }

    #[test]
    fn missing_title_is_located() {
        let mut diags = Vec::new();
        let page = load_page("content/a.md", "---\ndate: 2020\n---\nx".into(), &mut diags);
        assert_eq!(page.unwrap().front.title, "a");
        assert_eq!(diags[0].code, "E300");
        assert!(
            diags[0].message.contains("missing field `title`"),
            "{}",
            diags[0].message
        );
        assert_eq!(diags[0].location.file, "content/a.md");
    }

    #[test]
    fn a_bad_date_leaves_the_rest_of_the_front_matter() {
        let mut diags = Vec::new();
        let text = "---\ntitle: A\ndate: 2018-13\ntags: [x]\n---\nx".to_string();
        let page = load_page("content/a.md", text, &mut diags).unwrap();
        assert_eq!(
            (
                page.front.title.as_str(),
                &page.front.tags[..],
                &page.front.date
            ),
            ("A", &["x".to_string()][..], &None)
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "`2018-13` is not a date: there is no month 13"
        );
        assert_eq!((diags[0].location.line, diags[0].location.column), (3, 7));
    }

    #[test]
    fn unquoted_years_and_days_are_dates() {
        for (yaml, text) in [
            ("2018", "2018"),
            ("2018-11-02", "2018-11-02"),
            ("'2018-9'", "2018-9"),
        ] {
            let mut diags = Vec::new();
            let source = format!("---\ntitle: A\ndate: {yaml}\n---\n");
            let page = load_page("content/a.md", source, &mut diags).unwrap();
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(page.front.date.as_ref().map(|d| d.as_str()), Some(text));
        }
    }
}
