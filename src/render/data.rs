//! The dossier as data: `/dossier.json` and `/annotations.jsonld` (W3C Web Annotations), both
//! views of the model, sorted and deterministic.

use super::reads::Reader;
use super::urls::Urls;
use crate::load::Seed;
use crate::markdown::Link;
use crate::model::{Dossier, PageId, Place, Quotation, QuoteOrigin};
use serde::Serialize;
use serde_json::Value;

/// The W3C Web Annotation JSON-LD context; it must be exactly this string.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// How many characters of context a `TextQuoteSelector` carries on each side.
const CONTEXT_CHARS: usize = 32;

/// An absolute IRI for a site path: the base URL when it has an origin, else a URN.
fn iri(urls: &Urls, path: &str) -> String {
    let abs = urls.absolute(path);
    if abs.starts_with("http") {
        abs
    } else {
        format!("urn:x-dossier:{}", abs.trim_start_matches('/'))
    }
}

fn exact(seed: &Seed, q: &Quotation) -> String {
    q.parts
        .iter()
        .map(|r| &seed.text[r.clone()])
        .collect::<Vec<_>>()
        .join(" … ")
}

/// `/dossier.json`. Fields are in alphabetical order, as are the keys of the maps inside it.
#[derive(Serialize)]
struct DossierJson<'a> {
    base_url: String,
    glossary: Vec<EntryJson<'a>>,
    pages: Vec<PageJson<'a>>,
    quotations: Vec<QuotationJson<'a>>,
    sources: Vec<SourceJson<'a>>,
    /// Sorted by slug.
    tags: Vec<TagJson>,
    title: &'a str,
}

#[derive(Serialize)]
struct TagJson {
    name: String,
    /// The paths of the pages with the tag, newest first.
    pages: Vec<String>,
    slug: String,
    url: String,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    bytes: usize,
    encoding: &'a str,
    file: &'a str,
    id: &'a str,
    lines: usize,
    original: String,
    paragraphs: usize,
    /// A JSON value rather than the sidecar itself, so that its keys are sorted too.
    provenance: Value,
    sha256: &'a str,
    url: String,
    words: usize,
}

#[derive(Serialize)]
struct PageJson<'a> {
    cites: Vec<&'a str>,
    date: Option<&'a str>,
    path: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct QuotationJson<'a> {
    cited_by: std::collections::BTreeSet<&'a str>,
    end: usize,
    exact: String,
    id: &'a str,
    origin: QuoteOrigin,
    paragraph: usize,
    role: crate::model::QuoteRole,
    source: &'a str,
    speaker: Option<&'a str>,
    speaker_inferred: bool,
    speaker_name: Option<&'a str>,
    start: usize,
    url: String,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    aliases: &'a [String],
    id: &'a str,
    kind: crate::load::pages::Kind,
    occurrences: OccurrencesJson<'a>,
    term: &'a str,
    url: String,
}

#[derive(Serialize)]
struct OccurrencesJson<'a> {
    /// By seed id or page path.
    by_source: std::collections::BTreeMap<&'a str, usize>,
    total: usize,
}

/// `/dossier.json`: sources, pages, glossary and quotations, each sorted by id.
pub fn dossier_json(r: &Reader<'_>, urls: &Urls) -> String {
    use rayon::prelude::*;
    let d: &Dossier = r.everything();
    let sources = d
        .seeds
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|s| SourceJson {
            bytes: s.bytes.len(),
            encoding: &s.encoding,
            file: &s.path,
            id: &s.id,
            lines: s.lines.len(),
            original: urls.href(&Urls::source_file(&s.id, &s.file_name)),
            paragraphs: s.paragraphs.len(),
            provenance: serde_json::to_value(&s.sidecar).unwrap_or_default(),
            sha256: &s.sha256,
            url: urls.href(&Urls::source(&s.id)),
            words: s.words,
        })
        .collect();
    let pages = d
        .pages
        .iter()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&(i, p)| PageJson {
            cites: d
                .sources_of_page(i)
                .keys()
                .map(|&s| d.seeds[s].id.as_str())
                .collect(),
            date: p.front.date.as_ref().map(|d| d.as_str()),
            path: &p.path,
            title: &p.front.title,
            url: urls.href(&Urls::page(&p.path)),
        })
        .collect();
    let mut quotations: Vec<QuotationJson> = d
        .quotations
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|q| {
            let seed = &d.seeds[q.seed];
            let span = q.span();
            QuotationJson {
                cited_by: q
                    .cited_by
                    .iter()
                    .map(|(p, _)| d.pages[*p].path.as_str())
                    .collect(),
                end: seed.code_points(span.end),
                exact: exact(seed, q),
                id: &q.id,
                origin: q.origin,
                paragraph: q.paragraph,
                role: q.role,
                source: &seed.id,
                speaker: q.speaker.as_ref().map(|s| s.id.as_str()),
                speaker_inferred: q.speaker.as_ref().is_some_and(|s| s.inferred),
                speaker_name: q.speaker.as_ref().map(|s| s.name.as_str()),
                start: seed.code_points(span.start),
                url: format!("{}#{}", urls.href(&Urls::source(&seed.id)), q.id),
            }
        })
        .collect();
    quotations.sort_by(|a, b| a.id.cmp(b.id));
    let glossary = d
        .entries
        .values()
        .map(|entry| {
            let found = &entry.occurrences;
            let mut by_source = std::collections::BTreeMap::new();
            for o in found {
                let key = match o.place {
                    Place::Seed { seed, .. } => d.seeds[seed].id.as_str(),
                    Place::Page { page, .. } => d.pages[page].path.as_str(),
                };
                *by_source.entry(key).or_default() += 1;
            }
            EntryJson {
                aliases: &entry.aliases,
                id: &entry.id,
                kind: entry.kind,
                occurrences: OccurrencesJson {
                    by_source,
                    total: found.len(),
                },
                term: &entry.term,
                url: urls.href(&Urls::page(&d.pages[entry.page].path)),
            }
        })
        .collect();
    let mut tags: Vec<TagJson> = super::views::collect_tags(d.pages.values().map(|n| &*n.page))
        .into_iter()
        .map(|t| TagJson {
            url: urls.href(&Urls::tag(&t.slug)),
            pages: t.pages.iter().map(|p| p.path.clone()).collect(),
            name: t.name,
            slug: t.slug,
        })
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    let doc = DossierJson {
        base_url: urls.absolute(""),
        glossary,
        pages,
        quotations,
        sources,
        tags,
        title: &d.config.title,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// A W3C Web Annotation. Fields are in alphabetical order, the order `serde_json` gives the
/// collection around them, so the whole file reads consistently.
#[derive(Serialize)]
struct Annotation<'a> {
    body: Body<'a>,
    id: String,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The commentary passage an annotation comes from.
#[derive(Serialize)]
struct Body<'a> {
    format: &'static str,
    id: String,
    language: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The seed's original file, with a quote and a position selector.
#[derive(Serialize)]
struct Target<'a> {
    selector: (QuoteSelector<'a>, PositionSelector),
    source: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: std::borrow::Cow<'a, str>,
    prefix: &'a str,
    suffix: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn target<'a>(
    s: &'a Seed,
    urls: &Urls,
    span: std::ops::Range<usize>,
    exact: std::borrow::Cow<'a, str>,
) -> Target<'a> {
    let before = &s.text[..span.start];
    let from = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    Target {
        selector: (
            QuoteSelector {
                exact,
                prefix: &before[from..],
                suffix: s.text[span.end..].chars().take(CONTEXT_CHARS).collect(),
                kind: "TextQuoteSelector",
            },
            PositionSelector {
                end: s.code_points(span.end),
                start: s.code_points(span.start),
                kind: "TextPositionSelector",
            },
        ),
        source: iri(urls, &Urls::source_file(&s.id, &s.file_name)),
        kind: "SpecificResource",
    }
}

fn body<'a>(r: &Reader<'a>, urls: &Urls, page: PageId, link: usize) -> Body<'a> {
    let p = r.page(page).page;
    Body {
        format: "text/html",
        id: iri(
            urls,
            &format!("{}#{}", Urls::page(&p.path), Link::anchor(link)),
        ),
        language: &r.site().0.language,
        title: &p.front.title,
        kind: "Text",
    }
}

/// The annotations page `page` makes (its verified quotations and margin notes), each as its
/// id and its JSON, indented for its place in the collection.
pub fn page_annotations(r: &Reader<'_>, urls: &Urls, page: PageId) -> Vec<(String, String)> {
    let collection = iri(urls, "annotations.jsonld");
    let mut items: Vec<Annotation> = Vec::new();
    let read = r.page(page);
    for (&link, &q) in read.quotations {
        let q = r.quotation(q);
        if q.origin != QuoteOrigin::Commentary || q.cited_by.first() != Some(&(page, link)) {
            continue;
        }
        let (seed, _, _) = r.seed(q.seed);
        items.push(Annotation {
            body: body(r, urls, page, link),
            id: format!("{collection}#{}", q.id),
            motivation: "quoting",
            target: target(seed, urls, q.span(), exact(seed, q).into()),
            kind: "Annotation",
        });
    }
    for c in read.citations {
        let Some(paragraph) = c.paragraph else {
            continue;
        };
        let (seed, _, _) = r.seed(c.seed);
        let range = seed.paragraph_range(paragraph);
        // The citing page, the seed, the paragraph and the link's words: prose edited around
        // the link keeps the id.
        let words = &read.page.scan.links[c.link].text;
        let id = crate::fingerprint::stable_id(
            "n",
            &[
                read.page.path.as_str(),
                &seed.id,
                &paragraph.to_string(),
                words,
            ],
        );
        items.push(Annotation {
            body: body(r, urls, c.page, c.link),
            id: format!("{collection}#{id}"),
            motivation: "commenting",
            target: target(seed, urls, range.clone(), seed.text[range].into()),
            kind: "Annotation",
        });
    }
    // Ids name the page, so repeats are within it: the same words citing the same paragraph
    // twice get `-2`, `-3`, … in link order.
    let mut ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    crate::fingerprint::number_repeats(ids.iter_mut());
    items
        .into_iter()
        .zip(ids)
        .map(|(mut item, id)| {
            item.id = id.clone();
            let json = serde_json::to_string_pretty(&item).unwrap_or_default();
            (id, format!("      {}", json.replace('\n', "\n      ")))
        })
        .collect()
}

/// `/annotations.jsonld`: one annotation per verified quotation and per margin note, from
/// every page's [`page_annotations`], sorted by id.
pub fn annotations(title: &str, urls: &Urls, mut items: Vec<&(String, String)>) -> String {
    let collection = iri(urls, "annotations.jsonld");
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let string = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::with_capacity(items.iter().map(|i| i.1.len() + 2).sum::<usize>() + 512);
    out.push_str(&format!(
        "{{\n  \"@context\": {},\n  \"first\": {{\n    \"id\": {},\n",
        string(ANNO_CONTEXT),
        string(&format!("{collection}#page-1"))
    ));
    if items.is_empty() {
        out.push_str("    \"items\": [],\n");
    } else {
        out.push_str("    \"items\": [\n");
        for (n, (_, json)) in items.iter().enumerate() {
            if n > 0 {
                out.push_str(",\n");
            }
            out.push_str(json);
        }
        out.push_str("\n    ],\n");
    }
    out.push_str(&format!(
        "    \"startIndex\": 0,\n    \"type\": \"AnnotationPage\"\n  }},\n  \"id\": {},\n  \"label\": {},\n  \"total\": {},\n  \"type\": \"AnnotationCollection\"\n}}\n",
        string(&collection),
        string(&format!("Quotations and margin notes of {title}")),
        items.len()
    ));
    out
}
