//! CSL-JSON (the Citation Style Language's input format, `csl-data.json`): an array of items,
//! each with only the variables the provenance records. Written with serde: the schema's few
//! shapes used here (strings, names as `literal`, dates as `date-parts`) need no crate.

use super::{date_parts, Genre, SourceCite};
use serde::Serialize;

/// One CSL item.
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<DateVar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<DateVar>,
    #[serde(rename = "URL")]
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    /// The dossier, as the archive holding the copy.
    archive: &'a str,
    /// The copy's page in the dossier.
    archive_location: &'a str,
    note: String,
}

/// A name as written: CSL's `literal`, since splitting it into given and family names would
/// be a guess.
#[derive(Serialize)]
struct Name<'a> {
    literal: &'a str,
}

#[derive(Serialize)]
struct DateVar {
    #[serde(rename = "date-parts")]
    parts: [Vec<i64>; 1],
}

fn item(c: &SourceCite) -> Item<'_> {
    let date = |d: &crate::date::Date| DateVar {
        parts: [date_parts(d)],
    };
    Item {
        id: &c.id,
        kind: match c.genre() {
            Genre::News => "article-newspaper",
            Genre::Report => "report",
            Genre::Interview => "interview",
            Genre::Speech => "speech",
            Genre::Other => "document",
        },
        title: &c.title.value,
        author: c
            .authors
            .value
            .iter()
            .map(|a| Name { literal: a })
            .collect(),
        publisher: c.publisher.as_ref().map(|p| p.value.as_str()),
        issued: c.published.as_ref().map(|d| date(&d.value)),
        accessed: c.retrieved.as_ref().map(|d| date(&d.value)),
        url: c.link(),
        genre: c.kind.as_deref(),
        language: c.language.as_deref(),
        archive: &c.dossier,
        archive_location: &c.page_url,
        note: c.note(),
    }
}

/// The items of `cites` as a CSL-JSON file.
pub(super) fn file(cites: &[SourceCite]) -> String {
    let items: Vec<Item> = cites.iter().map(item).collect();
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_default();
    json.push('\n');
    json
}
