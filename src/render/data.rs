//! The dossier as data: `/dossier.json` and `/annotations.jsonld` (W3C Web Annotations), both
//! views of the model, sorted and deterministic.

use super::urls::Urls;
use crate::markdown::Link;
use crate::model::{Dossier, Quotation, QuoteOrigin};
use serde_json::{json, Value};

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

fn exact(d: &Dossier, q: &Quotation) -> String {
    let seed = &d.seeds[q.seed];
    q.parts
        .iter()
        .map(|r| &seed.text[r.clone()])
        .collect::<Vec<_>>()
        .join(" … ")
}

/// `/dossier.json`: sources, pages and quotations, each sorted by id.
pub fn dossier_json(d: &Dossier, urls: &Urls) -> String {
    let sources: Vec<Value> = d
        .seeds
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "file": s.path,
                "url": urls.href(&Urls::source(&s.id)),
                "original": urls.href(&Urls::source_file(&s.id, &s.file_name)),
                "sha256": s.sha256,
                "bytes": s.bytes.len(),
                "encoding": s.encoding,
                "lines": s.lines.len(),
                "paragraphs": s.paragraphs.len(),
                "words": s.words,
                "provenance": s.sidecar,
            })
        })
        .collect();
    let pages: Vec<Value> = d
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cites: Vec<&str> = d
                .sources_of_page(i)
                .keys()
                .map(|&s| d.seeds[s].id.as_str())
                .collect();
            json!({
                "path": p.path,
                "url": urls.href(&Urls::page(&p.path)),
                "title": p.front.title,
                "date": p.front.date,
                "cites": cites,
            })
        })
        .collect();
    let mut quotations: Vec<Value> = d
        .quotations
        .iter()
        .map(|q| {
            let seed = &d.seeds[q.seed];
            let span = q.span();
            let cited_by: std::collections::BTreeSet<&str> = q
                .cited_by
                .iter()
                .map(|(p, _)| d.pages[*p].path.as_str())
                .collect();
            json!({
                "id": q.id,
                "source": seed.id,
                "paragraph": q.paragraph,
                "start": seed.code_points(span.start),
                "end": seed.code_points(span.end),
                "exact": exact(d, q),
                "speaker": q.speaker.as_ref().map(|s| s.id.clone()),
                "speaker_name": q.speaker.as_ref().map(|s| s.name.clone()),
                "origin": q.origin,
                "cited_by": cited_by,
                "url": format!("{}#{}", urls.href(&Urls::source(&seed.id)), q.id),
            })
        })
        .collect();
    quotations.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let glossary: Vec<Value> = d
        .glossary
        .entries
        .iter()
        .enumerate()
        .filter_map(|(e, &p)| {
            let page = &d.pages[p];
            let entry = page.entry.as_ref()?;
            let mut by_source: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
            for o in d.glossary.occurrences_of(e) {
                let key = match o.place {
                    crate::glossary::Place::Seed { seed, .. } => d.seeds[seed].id.as_str(),
                    crate::glossary::Place::Page { page, .. } => d.pages[page].path.as_str(),
                };
                *by_source.entry(key).or_default() += 1;
            }
            Some(json!({
                "id": page.path.trim_start_matches("glossary/"),
                "term": entry.term,
                "kind": entry.kind,
                "aliases": entry.aliases,
                "url": urls.href(&Urls::page(&page.path)),
                "occurrences": { "total": d.glossary.occurrences_of(e).len(), "by_source": by_source },
            }))
        })
        .collect();
    let doc = json!({
        "title": d.config.title,
        "base_url": urls.absolute(""),
        "sources": sources,
        "pages": pages,
        "glossary": glossary,
        "quotations": quotations,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The target of an annotation: the seed's original file, with a quote and a position selector.
fn target(
    d: &Dossier,
    urls: &Urls,
    seed: usize,
    span: std::ops::Range<usize>,
    exact: &str,
) -> Value {
    let s = &d.seeds[seed];
    let before = &s.text[..span.start];
    let from = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let prefix = &before[from..];
    let suffix: String = s.text[span.end..].chars().take(CONTEXT_CHARS).collect();
    json!({
        "type": "SpecificResource",
        "source": iri(urls, &Urls::source_file(&s.id, &s.file_name)),
        "selector": [
            { "type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix },
            { "type": "TextPositionSelector", "start": s.code_points(span.start), "end": s.code_points(span.end) },
        ],
    })
}

fn body(d: &Dossier, urls: &Urls, page: usize, link: usize) -> Value {
    let p = &d.pages[page];
    json!({
        "id": iri(urls, &format!("{}#{}", Urls::page(&p.path), Link::anchor(link))),
        "type": "Text",
        "format": "text/html",
        "language": d.config.language,
        "title": p.front.title,
    })
}

/// `/annotations.jsonld`: one annotation per verified quotation and per margin note.
pub fn annotations(d: &Dossier, urls: &Urls) -> String {
    let collection = iri(urls, "annotations.jsonld");
    let mut items: Vec<Value> = Vec::new();
    for q in d
        .quotations
        .iter()
        .filter(|q| q.origin == QuoteOrigin::Commentary)
    {
        let (page, link) = q.cited_by[0];
        items.push(json!({
            "id": format!("{collection}#{}", q.id),
            "type": "Annotation",
            "motivation": "quoting",
            "body": body(d, urls, page, link),
            "target": target(d, urls, q.seed, q.span(), &exact(d, q)),
        }));
    }
    for c in &d.citations {
        let Some(paragraph) = c.paragraph else {
            continue;
        };
        let seed = &d.seeds[c.seed];
        let range = seed.paragraph_range(paragraph);
        // The citing page, the seed, the paragraph and the link's words: prose edited around
        // the link keeps the id.
        let words = &d.pages[c.page].scan.links[c.link].text;
        let id = crate::fingerprint::stable_id(
            "n",
            &[
                d.pages[c.page].path.as_str(),
                &seed.id,
                &paragraph.to_string(),
                words,
            ],
        );
        items.push(json!({
            "id": format!("{collection}#{id}"),
            "type": "Annotation",
            "motivation": "commenting",
            "body": body(d, urls, c.page, c.link),
            "target": target(d, urls, c.seed, range.clone(), &seed.text[range]),
        }));
    }
    // The same words citing the same paragraph twice from one page: `-2`, `-3`, … in page order.
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_string())
        .collect();
    crate::fingerprint::number_repeats(ids.iter_mut());
    for (item, id) in items.iter_mut().zip(ids) {
        item["id"] = Value::from(id);
    }
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let doc = json!({
        "@context": ANNO_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": format!("Quotations and margin notes of {}", d.config.title),
        "total": items.len(),
        "first": {
            "id": format!("{collection}#page-1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
