//! The search index as files a browser fetches piece by piece: a small manifest, term shards
//! split by key order so that a query fetches one or two, and one fragment per document with
//! the text of its blocks, fetched only for the results shown.
//!
//! - `search/index.json`: `{"version", "docs", "shards": [first key of each shard], "stop",
//!   "longest"}`.
//! - `search/t/<n>.json`: `{"w": {word: postings}, "s": {stem: [words]}}`. Postings list each
//!   document holding the word as `<doc delta>:<block>,<block>…`, separated by `;`, numbers in
//!   base 36, block 0 being the title. A word in more than one document in [`COMMON`] lists
//!   only the documents (`<doc delta>;…`): its blocks would make its shard several times
//!   larger, and the page finds them in the fragment it fetches anyway. A stem is listed only
//!   when it stands for more than its own word.
//! - `search/f/<doc>.json`: `{"t": title, "k": kind, "u": URL, "b": [[anchor, label, text]…]}`,
//!   block `n` being `b[n-1]`.

use super::words::{Stems, LONGEST, STOP_WORDS};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::BTreeMap;

/// Shards are cut once they pass this many bytes (a word's postings are never split).
pub const SHARD_BYTES: usize = 12_000;

/// A word in more than one document in this many is listed without its blocks (in dossiers
/// of at least [`COMMON`] × 8 documents).
pub const COMMON: usize = 8;

/// One searchable document: its fragment (JSON) and each folded word with the blocks it is in,
/// packed (a 10,000-page dossier has four million of these: one string and one number list
/// per word was half the memory of its build).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    /// `search/f/<doc>.json`'s content.
    pub fragment: String,
    /// The words one after another, sorted; word `i` ends at `ends[i]`.
    text: String,
    ends: Vec<u32>,
    /// The blocks of each word one after another; word `i`'s end at `block_ends[i]`.
    blocks: Vec<u32>,
    block_ends: Vec<u32>,
}

impl Doc {
    /// A document of `words`: each word once, sorted, with the blocks holding it (ascending;
    /// 0 is the title).
    pub fn new<'a>(fragment: String, words: impl IntoIterator<Item = (&'a str, &'a [u32])>) -> Doc {
        let mut doc = Doc {
            fragment,
            ..Doc::default()
        };
        for (word, blocks) in words {
            doc.text.push_str(word);
            doc.ends.push(doc.text.len() as u32);
            doc.blocks.extend_from_slice(blocks);
            doc.block_ends.push(doc.blocks.len() as u32);
        }
        // Every document is kept until the index is written: without this, the room the
        // vectors grew into was a third of their size.
        doc.text.shrink_to_fit();
        doc.ends.shrink_to_fit();
        doc.blocks.shrink_to_fit();
        doc.block_ends.shrink_to_fit();
        doc
    }

    /// Word `i` (in sorted order) and its blocks.
    pub fn word(&self, i: usize) -> (&str, &[u32]) {
        let start = |ends: &[u32]| if i == 0 { 0 } else { ends[i - 1] as usize };
        (
            &self.text[start(&self.ends)..self.ends[i] as usize],
            &self.blocks[start(&self.block_ends)..self.block_ends[i] as usize],
        )
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the document has no word.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Each word in sorted order with its blocks.
    pub fn words(&self) -> impl Iterator<Item = (&str, &[u32])> + '_ {
        (0..self.len()).map(|i| self.word(i))
    }
}

/// A word's documents, each with the blocks holding it.
type Postings<'a> = Vec<(u32, &'a [u32])>;

/// A key of the index with its encoded postings (a word) and its words (a stem).
type Keyed<'a> = (&'a str, (Option<String>, Option<&'a [&'a str]>));

/// The manifest and term shards of the index of `docs` (numbered in this order), as (site
/// path, bytes); [`fragments`] are the other files.
pub fn files(docs: &[&Doc]) -> Vec<(String, Vec<u8>)> {
    // Each posting as (document, word number in it): a third of the memory of a slice.
    let mut postings: FxHashMap<&str, Vec<(u32, u32)>> = FxHashMap::default();
    for (n, doc) in docs.iter().enumerate() {
        for (i, (word, _)) in doc.words().enumerate() {
            postings.entry(word).or_default().push((n as u32, i as u32));
        }
    }
    let mut postings: Vec<(&str, Vec<(u32, u32)>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by_key(|(word, _)| *word);
    let stems: Vec<String> = postings
        .par_iter()
        .map_init(Stems::new, |stems, (word, _)| stems.stem(word))
        .collect();
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ((word, _), stem) in postings.iter().zip(&stems) {
        groups.entry(stem).or_default().push(word);
    }
    let encoded: Vec<String> = postings
        .par_iter()
        .map(|(_, list)| {
            let blocks = docs.len() < COMMON * 8 || list.len() * COMMON <= docs.len();
            let list: Postings<'_> = list
                .iter()
                .map(|&(d, i)| (d, docs[d as usize].word(i as usize).1))
                .collect();
            encode(&list, blocks)
        })
        .collect();
    // Key → (postings, stem group): one sorted key space, so a word and its stem group usually
    // share a shard. Both lists are sorted: merged rather than inserted into a map.
    let groups: Vec<(&str, &[&str])> = groups
        .iter()
        .filter(|(stem, words)| words.len() > 1 || words[0] != **stem)
        .map(|(stem, words)| (*stem, words.as_slice()))
        .collect();
    let mut keys: Vec<Keyed<'_>> = Vec::with_capacity(postings.len() + groups.len());
    let mut words = postings.iter().map(|(w, _)| *w).zip(encoded).peekable();
    let mut groups = groups.into_iter().peekable();
    loop {
        let next = match (words.peek(), groups.peek()) {
            (None, None) => break,
            (Some((w, _)), Some((g, _))) => w.cmp(g),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
        };
        keys.push(match next {
            std::cmp::Ordering::Less => {
                let (w, list) = words.next().expect("peeked");
                (w, (Some(list), None))
            }
            std::cmp::Ordering::Greater => {
                let (g, group) = groups.next().expect("peeked");
                (g, (None, Some(group)))
            }
            std::cmp::Ordering::Equal => {
                let (w, list) = words.next().expect("peeked");
                let (_, group) = groups.next().expect("peeked");
                (w, (Some(list), Some(group)))
            }
        });
    }

    let mut out = Vec::new();
    let mut firsts: Vec<&str> = Vec::new();
    let mut shard = (BTreeMap::new(), BTreeMap::new());
    let mut bytes = 0;
    for (key, (list, group)) in keys {
        if bytes >= SHARD_BYTES {
            out.push(shard_file(firsts.len() - 1, &shard));
            shard = Default::default();
            bytes = 0;
        }
        if bytes == 0 {
            firsts.push(key);
        }
        bytes += key.len() + 8;
        if let Some(list) = list {
            bytes += list.len();
            shard.0.insert(key, list);
        }
        if let Some(group) = group {
            bytes += group.iter().map(|w| w.len() + 3).sum::<usize>();
            shard.1.insert(key, group);
        }
    }
    if bytes > 0 {
        out.push(shard_file(firsts.len() - 1, &shard));
    }
    let manifest = json!({
        "version": 1,
        "docs": docs.len(),
        "shards": firsts,
        "stop": STOP_WORDS,
        "longest": LONGEST,
    });
    out.push((
        "search/index.json".into(),
        manifest.to_string().into_bytes(),
    ));
    out
}

/// The fragment files of `docs` (numbered in this order), as (site path, bytes).
pub fn fragments(docs: &[&Doc]) -> Vec<(String, Vec<u8>)> {
    docs.iter()
        .enumerate()
        .map(|(n, doc)| (fragment_path(n), doc.fragment.clone().into_bytes()))
        .collect()
}

/// The site path of document `n`'s fragment.
pub fn fragment_path(n: usize) -> String {
    format!("search/f/{n}.json")
}

type Shard<'a> = (BTreeMap<&'a str, String>, BTreeMap<&'a str, &'a [&'a str]>);

/// A shard as written: stem groups, then words with their postings.
#[derive(serde::Serialize)]
struct ShardJson<'a> {
    s: &'a BTreeMap<&'a str, &'a [&'a str]>,
    w: &'a BTreeMap<&'a str, String>,
}

fn shard_file(n: usize, (words, stems): &Shard<'_>) -> (String, Vec<u8>) {
    let body = serde_json::to_vec(&ShardJson { s: stems, w: words }).unwrap_or_default();
    (format!("search/t/{n}.json"), body)
}

/// `<doc delta>:<block>,<block>;…` in base 36, or `<doc delta>;…` without `blocks`.
fn encode(list: &[(u32, &[u32])], with_blocks: bool) -> String {
    let mut out = String::new();
    let mut previous = 0;
    for (i, (doc, blocks)) in list.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        base36(doc - previous, &mut out);
        previous = *doc;
        if !with_blocks {
            continue;
        }
        out.push(':');
        for (j, b) in blocks.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            base36(*b, &mut out);
        }
    }
    out
}

/// Appends `n` in base 36 to `out`.
fn base36(n: u32, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 7];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(words: &[(&str, &[u32])]) -> Doc {
        Doc::new("{}".into(), words.iter().copied())
    }

    #[test]
    fn postings_are_delta_coded_in_base_36() {
        assert_eq!(encode(&[(3, &[1, 40]), (5, &[0])], true), "3:1,14;2:0");
        assert_eq!(encode(&[(3, &[1, 40]), (5, &[0])], false), "3;2");
        let b36 = |n| {
            let mut s = String::new();
            base36(n, &mut s);
            s
        };
        assert_eq!(b36(0), "0");
        assert_eq!(b36(36 * 36), "100");
        assert_eq!(b36(u32::MAX), "1z141z3");
    }

    #[test]
    fn words_and_their_stem_groups_share_one_key_space() {
        let a = doc(&[("sailed", &[1]), ("caravan", &[2])]);
        let b = doc(&[("sailing", &[3])]);
        let files: BTreeMap<String, String> = files(&[&a, &b])
            .into_iter()
            .chain(fragments(&[&a, &b]))
            .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
            .collect();
        assert_eq!(
            files["search/t/0.json"],
            r#"{"s":{"sail":["sailed","sailing"]},"w":{"caravan":"0:2","sailed":"0:1","sailing":"1:3"}}"#
        );
        let manifest: serde_json::Value =
            serde_json::from_str(&files["search/index.json"]).unwrap();
        assert_eq!(manifest["docs"], 2);
        assert_eq!(manifest["shards"], json!(["caravan"]));
        assert_eq!(files["search/f/1.json"], "{}");
    }

    #[test]
    fn common_words_list_documents_only() {
        let docs: Vec<Doc> = (0..100)
            .map(|i| {
                if i % 10 == 0 {
                    doc(&[("common", &[1]), ("rare", &[2, 3])])
                } else {
                    doc(&[("common", &[2])])
                }
            })
            .collect();
        let files = files(&docs.iter().collect::<Vec<_>>());
        let shard = String::from_utf8(files[0].1.clone()).unwrap();
        let shard: serde_json::Value = serde_json::from_str(&shard).unwrap();
        assert_eq!(shard["w"]["common"], "0".to_string() + &";1".repeat(99));
        assert_eq!(
            shard["w"]["rare"],
            "0:2,3;a:2,3;a:2,3;a:2,3;a:2,3;a:2,3;a:2,3;a:2,3;a:2,3;a:2,3"
        );
    }

    #[test]
    fn shards_are_cut_by_size_in_key_order() {
        let words: Vec<(String, Vec<u32>)> =
            (0..5000).map(|i| (format!("w{i:05}"), vec![1])).collect();
        let big = Doc::new(
            String::new(),
            words.iter().map(|(w, b)| (w.as_str(), b.as_slice())),
        );
        let files = files(&[&big]);
        let shards: Vec<_> = files
            .iter()
            .filter(|(p, _)| p.starts_with("search/t/"))
            .collect();
        assert!(shards.len() > 2);
        for (_, bytes) in &shards {
            assert!(bytes.len() < SHARD_BYTES + 200);
        }
        let manifest: serde_json::Value = serde_json::from_slice(
            &files
                .iter()
                .find(|(p, _)| p == "search/index.json")
                .unwrap()
                .1,
        )
        .unwrap();
        let firsts = manifest["shards"].as_array().unwrap();
        assert_eq!(firsts.len(), shards.len());
        assert_eq!(firsts[0], "w00000");
    }
}
