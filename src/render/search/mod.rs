//! Offline search: an index of the seeds (by paragraph), the commentary (by section) and the
//! glossary's entries, written as static files that the theme's `search.js` fetches piece by
//! piece (see [`index`] for the files). Each document is read through a recording reader and
//! kept with its record, so a rebuild re-reads only the documents that changed.

pub mod index;
pub mod words;

use super::reads::{Prints, Reader, Record};
use super::{Sink, Urls};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, SeedId};
use index::Doc;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// Site files as (site path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// What search keeps between builds: each document with the record of what it read, by key
/// (`s/<seed id>`, `p/<page path>`).
#[derive(Default)]
pub struct Cache {
    docs: HashMap<String, (Record, Arc<Doc>)>,
    /// The last index: its documents' keys in order, its manifest and shards. Reused when the
    /// same documents were all kept, so a rebuild that changed nothing searchable (a template,
    /// the style sheet) does not assemble the shards again.
    index: Option<(Vec<String>, Files)>,
}

/// Which document: a seed's page or a commentary page (glossary entries included).
#[derive(Clone, Copy)]
enum Source {
    Seed(SeedId),
    Page(PageId),
}

/// The index files of the model `prints` was computed on, as (site path, bytes), and the
/// paths of those given to `sink` instead (the fragments, when there is a sink: the documents
/// are then not kept for the next build either).
pub fn files(
    prints: &Prints<'_>,
    urls: &Urls,
    cache: &mut Cache,
    sink: Option<Sink<'_>>,
    diags: &mut Diagnostics,
) -> (Files, Vec<String>) {
    let r = Reader::new(prints);
    let mut sources: Vec<(String, Source)> = r
        .seeds()
        .map(|s| (format!("s/{}", r.seed_id(s)), Source::Seed(s)))
        .collect();
    sources.extend(
        r.pages()
            .map(|p| (format!("p/{}", r.page_path(p)), Source::Page(p))),
    );
    let previous = std::mem::take(&mut cache.docs);
    // Streamed, a fragment is written as soon as its document is made, and not kept.
    type Made = (String, (Record, Arc<Doc>), bool, Option<Diagnostic>);
    let docs: Vec<Made> = sources
        .into_par_iter()
        .enumerate()
        .map(|(n, (key, source))| {
            let kept = previous
                .get(&key)
                .filter(|(record, _)| prints.unchanged(record))
                .cloned();
            let reused = kept.is_some();
            let (record, doc) = kept.unwrap_or_else(|| {
                let r = Reader::new(prints);
                let doc = match source {
                    Source::Seed(s) => seed_doc(&r, urls, s),
                    Source::Page(p) => page_doc(&r, urls, p),
                };
                (r.into_record(), Arc::new(doc))
            });
            let Some(sink) = sink else {
                return (key, (record, doc), reused, None);
            };
            let written = sink(&index::fragment_path(n), doc.fragment.as_bytes()).err();
            let mut doc = Arc::unwrap_or_clone(doc);
            doc.fragment = String::new();
            let doc = Arc::new(doc);
            (key, (record, doc), reused, written)
        })
        .collect();
    let keys: Vec<String> = docs.iter().map(|(key, ..)| key.clone()).collect();
    let list: Vec<&Doc> = docs.iter().map(|(_, (_, d), ..)| &**d).collect();
    let shards = match cache.index.take() {
        Some((k, shards)) if k == keys && docs.iter().all(|(_, _, reused, _)| *reused) => shards,
        _ => index::files(&list),
    };
    if sink.is_none() {
        let mut files = shards.clone();
        files.extend(index::fragments(&list));
        cache.index = Some((keys, shards));
        cache.docs = docs
            .into_iter()
            .map(|(key, made, ..)| (key, made))
            .collect();
        return (files, Vec::new());
    }
    let mut paths = Vec::with_capacity(docs.len());
    for (n, (.., written)) in docs.into_iter().enumerate() {
        match written {
            None => paths.push(index::fragment_path(n)),
            Some(d) => diags.push(d),
        }
    }
    (shards, paths)
}

/// A seed's page: its title, then one block per paragraph (`#pN`).
fn seed_doc(r: &Reader<'_>, urls: &Urls, s: SeedId) -> Doc {
    let (seed, _, _) = r.seed(s);
    let blocks = seed
        .paragraphs
        .iter()
        .map(|p| {
            let lines: Vec<&str> = p.lines.clone().map(|l| seed.line(l)).collect();
            Block {
                anchor: format!("p{}", p.number),
                label: format!("¶{}", p.number),
                text: tidy(&lines.join(" ")).into_owned(),
            }
        })
        .collect();
    doc(
        seed.title(),
        "Source",
        &urls.href(&Urls::source(&seed.id)),
        blocks,
    )
}

/// A commentary page or glossary entry: its title, then one block per section (the text before
/// the first heading, then each heading with what follows it up to the next).
fn page_doc(r: &Reader<'_>, urls: &Urls, p: PageId) -> Doc {
    let read = r.page(p);
    let page = read.page;
    let (title, kind) = match read.entry {
        Some(e) => (r.entry(e).term, "Glossary"),
        None => (page.front.title.as_str(), "Commentary"),
    };
    let scan = &page.scan;
    let mut blocks = vec![Block::default()];
    let mut headings = scan.headings.iter().peekable();
    for (i, text) in scan.blocks.iter().enumerate() {
        if let Some(h) = headings.next_if(|h| h.block == i) {
            blocks.push(Block {
                anchor: h.id.clone(),
                label: h.text.clone(),
                text: String::new(),
            });
        }
        let section = blocks.last_mut().expect("one section at least");
        if !section.text.is_empty() {
            section.text.push(' ');
        }
        section.text.push_str(&tidy(text));
    }
    if blocks[0].text.is_empty() && blocks.len() > 1 {
        blocks.remove(0);
    }
    doc(title, kind, &urls.href(&Urls::page(&page.path)), blocks)
}

/// `text` with runs of white space as one space, trimmed; borrowed when it is so already
/// (most blocks: collapsing every one was a tenth of a 10,000-page build).
fn tidy(text: &str) -> std::borrow::Cow<'_, str> {
    let mut previous_space = true;
    let tidy = text.chars().all(|c| {
        let ok = c == ' ' && !previous_space || !c.is_whitespace();
        previous_space = c == ' ';
        ok
    }) && !text.ends_with(' ');
    if tidy {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(crate::text::collapse_whitespace(text))
    }
}

#[derive(Default)]
struct Block {
    anchor: String,
    label: String,
    text: String,
}

fn doc(title: &str, kind: &str, url: &str, blocks: Vec<Block>) -> Doc {
    let mut found: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    let texts = std::iter::once(title).chain(blocks.iter().map(|b| b.text.as_str()));
    for (n, text) in texts.enumerate() {
        for word in words::words(text) {
            let n = n as u32;
            match found.get_mut(word.as_ref()) {
                Some(list) if list.last() == Some(&n) => {}
                Some(list) => list.push(n),
                None => {
                    found.insert(word.into_owned(), vec![n]);
                }
            }
        }
    }
    let fragment = json!({
        "t": title,
        "k": kind,
        "u": url,
        "b": blocks.iter().map(|b| [&b.anchor, &b.label, &b.text]).collect::<Vec<_>>(),
    });
    let mut words: Vec<(String, Vec<u32>)> = found.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Doc::new(
        fragment.to_string(),
        words.iter().map(|(w, b)| (w.as_str(), b.as_slice())),
    )
}
