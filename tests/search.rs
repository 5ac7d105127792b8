//! Offline search (issue 11): the index files a browser fetches (`search/index.json`, term
//! shards, one fragment per document), read back as `search.js` reads them: each word where it
//! is (seed paragraph, commentary section, glossary entry), folded without diacritics, grouped by
//! stem, every result's link pointing at an element that exists, and index files that stay small
//! as the dossier grows.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// The built index: manifest, every shard merged (words → postings, stems → words) and the
/// fragments by document number.
struct Index {
    manifest: Value,
    words: BTreeMap<String, String>,
    stems: BTreeMap<String, Vec<String>>,
    fragments: Vec<Value>,
    shard_sizes: Vec<usize>,
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn index(out: &std::path::Path) -> Index {
    let manifest = read_json(&out.join("search/index.json"));
    let mut index = Index {
        words: BTreeMap::new(),
        stems: BTreeMap::new(),
        fragments: Vec::new(),
        shard_sizes: Vec::new(),
        manifest,
    };
    let shards = index.manifest["shards"].as_array().unwrap().len();
    for n in 0..shards {
        let path = out.join(format!("search/t/{n}.json"));
        index
            .shard_sizes
            .push(std::fs::metadata(&path).unwrap().len() as usize);
        let shard = read_json(&path);
        let first = index.manifest["shards"][n].as_str().unwrap();
        for (w, p) in shard["w"].as_object().unwrap() {
            assert!(
                w.as_str() >= first,
                "{w} is in shard {n} which starts at {first}"
            );
            index
                .words
                .insert(w.clone(), p.as_str().unwrap().to_string());
        }
        for (s, ws) in shard["s"].as_object().unwrap() {
            let ws = ws.as_array().unwrap().iter();
            index.stems.insert(
                s.clone(),
                ws.map(|w| w.as_str().unwrap().to_string()).collect(),
            );
        }
    }
    let docs = index.manifest["docs"].as_u64().unwrap() as usize;
    for n in 0..docs {
        index
            .fragments
            .push(read_json(&out.join(format!("search/f/{n}.json"))));
    }
    index
}

/// Postings as `search.js` decodes them: (document, blocks).
fn decode(postings: &str) -> Vec<(usize, Vec<usize>)> {
    let mut doc = 0;
    postings
        .split(';')
        .map(|part| {
            let (d, blocks) = part.split_once(':').unwrap();
            doc += usize::from_str_radix(d, 36).unwrap();
            let blocks = blocks
                .split(',')
                .map(|b| usize::from_str_radix(b, 36).unwrap())
                .collect();
            (doc, blocks)
        })
        .collect()
}

impl Index {
    /// Where `word` is: (document URL + anchor, block text), one per block.
    fn places(&self, word: &str) -> Vec<(String, String)> {
        let Some(postings) = self.words.get(word) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (doc, blocks) in decode(postings) {
            let f = &self.fragments[doc];
            for b in blocks {
                if b == 0 {
                    out.push((f["u"].as_str().unwrap().to_string(), f["t"].to_string()));
                    continue;
                }
                let block = &f["b"][b - 1];
                let anchor = block[0].as_str().unwrap();
                let url = f["u"].as_str().unwrap();
                let place = if anchor.is_empty() {
                    url.to_string()
                } else {
                    format!("{url}#{anchor}")
                };
                out.push((place, block[2].as_str().unwrap().to_string()));
            }
        }
        out
    }
}

fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "seeds/route.txt",
        "The march left San Pedro Sula at dawn.\n\nIn Querétaro the marchers rested; \
         Tegucigalpa was far behind.\n\nThey sailed on. Sailing was faster.\n",
    );
    f.write(
        "content/notes/route.md",
        "---\ntitle: \"Route notes\"\n---\nAn introduction.\n\n## Where they rested\n\n\
         The [second paragraph](seed:route#p2) names Querétaro.\n\n## Later\n\nNothing of note.\n",
    );
    f
}

#[test]
fn each_word_is_indexed_where_it_is_paragraph_or_section() {
    let f = fixture();
    f.build_ok();
    let idx = index(&f.out());
    // A seed's word: its paragraph.
    let places = idx.places("tegucigalpa");
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0].0, "/sub/sources/route/#p2");
    assert!(places[0].1.contains("Tegucigalpa"));
    // Folded: typed without its accent, found in the seed's paragraph and the page's section.
    let places: Vec<String> = idx.places("queretaro").into_iter().map(|p| p.0).collect();
    assert_eq!(
        places,
        [
            "/sub/sources/route/#p2",
            "/sub/notes/route/#where-they-rested"
        ]
    );
    // The text before the first heading is a section of its own, at the page's top.
    assert_eq!(
        idx.places("introduction")
            .into_iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        ["/sub/notes/route/"]
    );
    // Stop words are not indexed.
    assert!(!idx.words.contains_key("the"));
    assert_eq!(idx.manifest["stop"].as_array().unwrap().len(), 33);
}

#[test]
fn words_are_grouped_by_their_english_stem() {
    let f = fixture();
    f.build_ok();
    let idx = index(&f.out());
    assert_eq!(idx.stems["sail"], ["sailed", "sailing"]);
    // A word that is its own stem and alone needs no group.
    assert!(!idx.stems.contains_key("tegucigalpa"));
}

#[test]
fn every_result_links_to_an_element_that_exists() {
    let f = fixture();
    f.build_ok();
    let idx = index(&f.out());
    assert!(idx.fragments.len() >= 5);
    for fragment in &idx.fragments {
        let url = fragment["u"].as_str().unwrap();
        let rel = url.strip_prefix("/sub/").unwrap();
        let html = f.html(&format!("{rel}index.html"));
        for block in fragment["b"].as_array().unwrap() {
            let anchor = block[0].as_str().unwrap();
            if !anchor.is_empty() {
                assert_eq!(
                    select(&html, &format!("[id=\"{anchor}\"]")).len(),
                    1,
                    "{url}#{anchor}"
                );
            }
        }
    }
}

#[test]
fn the_search_page_and_the_header_box_point_at_the_index_under_the_base_path() {
    let f = fixture();
    f.build_ok();
    let page = f.html("search/index.html");
    assert_eq!(attr(&page, "#search", "data-index"), "/sub/search/");
    assert_eq!(attr(&page, "#search-status", "role"), "status");
    let home = f.html("index.html");
    assert_eq!(attr(&home, "form.site-search", "action"), "/sub/search/");
    assert_eq!(attr(&home, "form.site-search input", "name"), "q");
    let scripts: Vec<String> = select(&page, "script[src]")
        .iter()
        .map(|s| s.value().attr("src").unwrap().to_string())
        .collect();
    assert!(
        scripts.contains(&"/sub/search.js".to_string()),
        "{scripts:?}"
    );
    assert!(scripts.contains(&"/sub/stem.js".to_string()), "{scripts:?}");
    assert!(f.out().join("search.js").exists() && f.out().join("stem.js").exists());
}

#[test]
fn shards_stay_small_and_the_manifest_grows_slowly_with_the_dossier() {
    // 400 seeds of distinct words: the index is cut into many shards, none much over the
    // target unless it holds a single word, and the manifest lists only each shard's first key.
    let f = Fixture::new("basic");
    for i in 0..400 {
        let words: Vec<String> = (0..60)
            .map(|w| format!("w{}x{}", i * 7 + w, w % 13))
            .collect();
        f.write(
            &format!("seeds/g{i:03}.txt"),
            &format!("{}.\n\nCommon words here.\n", words.join(" ")),
        );
    }
    f.build_ok();
    let idx = index(&f.out());
    let shards = idx.shard_sizes.len();
    assert!(shards > 10, "{shards} shards");
    let target = dossier::render::search::index::SHARD_BYTES;
    for (n, size) in idx.shard_sizes.iter().enumerate() {
        assert!(*size < target + 2_000, "shard {n}: {size} bytes");
    }
    let manifest = std::fs::metadata(f.out().join("search/index.json"))
        .unwrap()
        .len();
    assert!(manifest < 2_000 + 16 * shards as u64, "{manifest} bytes");
}

#[test]
fn search_false_builds_no_index_page_or_box() {
    let f = Fixture::new("basic");
    f.edit(
        "dossier.yaml",
        "language: en",
        "language: en\nsearch: false",
    );
    f.build_ok();
    assert!(!f.out().join("search").exists());
    assert!(select(&f.html("index.html"), "form.site-search").is_empty());
}
