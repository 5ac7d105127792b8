//! The glossary: entries' terms and aliases found as whole words in every seed and
//! commentary page with one Aho-Corasick automaton, counted for the concordance, and linked
//! per `glossary.link`.

use crate::config::LinkMode;
use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Page, Seed};
use crate::model::{Entry, EntryId, Id, Occurrence, PageId, Place, SeedId};
use crate::text::{collapse_whitespace, lowercase_with_map, normalise};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

mod matcher;
pub use matcher::TermMatcher;

/// The first sentence of a definition, for a tooltip.
fn first_sentence(plain: &str) -> String {
    let text = collapse_whitespace(plain);
    let end = text
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .find(|&i| {
            // Not after an initial or abbreviation such as "U.N." or "Dr.".
            let word = text[..i - 1].rsplit(' ').next().unwrap_or("");
            let abbreviation = word.contains('.')
                || word.len() <= 3
                    && word.starts_with(char::is_uppercase)
                    && word.chars().all(char::is_alphabetic);
            !abbreviation
        })
        .unwrap_or(text.len());
    let sentence = &text[..end];
    if sentence.chars().count() > 240 {
        let cut: String = sentence.chars().take(240).collect();
        format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a))
    } else {
        sentence.to_string()
    }
}

/// Finds every occurrence and decides which become links.
/// What glossary matching keeps between a session's rebuilds: the automaton (while the names
/// are unchanged) and the matches of every text it has seen (by the text's hash).
#[derive(Default)]
pub struct Cache {
    matcher: Option<(u64, TermMatcher)>,
    found: HashMap<u64, Matches>,
}

/// Where names occur in one text: (byte range, entry).
type Matches = Vec<(Range<usize>, usize)>;

/// The entries (sorted by id), each with every occurrence of its names.
pub fn resolve(
    pages: &[Arc<Page>],
    seeds: &[Arc<Seed>],
    mode: LinkMode,
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> Vec<Entry> {
    use rayon::prelude::*;
    let mut entries: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].entry.is_some())
        .collect();
    entries.sort_by(|&a, &b| pages[a].path.cmp(&pages[b].path));
    check_unique_names(pages, &entries, diags);
    let too_long = check_name_lengths(pages, &entries, diags);

    let names: Vec<(usize, &str, Option<bool>)> = entries
        .iter()
        .enumerate()
        .flat_map(|(e, &p)| {
            let entry = pages[p]
                .entry
                .as_ref()
                .expect("entries are pages with an entry");
            entry.names().map(move |n| (e, n, entry.case_sensitive))
        })
        .filter(|&(_, name, _)| !too_long.contains(name))
        .collect();
    let names_key = crate::fingerprint::key(&names);
    if cache.matcher.as_ref().is_none_or(|(k, _)| *k != names_key) {
        cache.matcher = Some((names_key, TermMatcher::new(names.iter().copied())));
        cache.found.clear();
    }
    let matcher = &cache.matcher.as_ref().expect("built above").1;
    // Every text to search, found in parallel; texts seen before are not searched again.
    // Commentary is searched block by block, so that a name split by emphasis or a line break
    // (`*migrant* caravan`) is still found; text outside any block, node by node.
    let page_texts: Vec<Vec<PageText>> = pages.iter().map(|p| page_texts(&p.scan)).collect();
    let texts: Vec<&str> = seeds
        .iter()
        .map(|s| &*s.text)
        .chain(pages.iter().zip(&page_texts).flat_map(|(p, texts)| {
            texts.iter().map(move |t| match *t {
                PageText::Block(b) => p.scan.blocks[b].as_str(),
                PageText::Node(n) => p.scan.text(n),
            })
        }))
        .collect();
    let previous = std::mem::take(&mut cache.found);
    let found: Vec<(u64, Matches)> = texts
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            // Seeds and commentary are matched by different rules: their keys differ.
            let seed = seeds.get(i);
            let key = crate::fingerprint::key(&(seed.is_some(), t));
            let matches = previous.get(&key).cloned().unwrap_or_else(|| match seed {
                // A name does not run across paragraphs (a blank line, or a line break in a
                // seed of one paragraph per line): such a match is no occurrence.
                Some(s) => matcher.find_where(t, |r| {
                    !t[r.clone()].contains('\n') || s.paragraph_at(r.start) == s.paragraph_at(r.end)
                }),
                None => matcher.find(t),
            });
            (key, matches)
        })
        .collect();
    let mut found = found.into_iter();
    let mut occurrences = Vec::new();

    for (si, seed) in seeds.iter().enumerate() {
        let mut linked = Linker::new(mode);
        let (key, matches) = found.next().unwrap_or_default();
        cache.found.insert(key, matches.clone());
        for (range, entry) in matches {
            let paragraph = seed.paragraph_at(range.start);
            let place = Place::Seed {
                seed: SeedId::from_index(si),
                paragraph,
            };
            occurrences.push(Occurrence {
                entry: EntryId::from_index(entry),
                place,
                range,
                linked: linked.link(entry, paragraph),
            });
        }
    }
    let entry_of_page: HashMap<usize, usize> =
        entries.iter().enumerate().map(|(e, &p)| (p, e)).collect();
    for (pi, (page, texts)) in pages.iter().zip(&page_texts).enumerate() {
        let own = entry_of_page.get(&pi).copied();
        let mut nodes_of_block: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, node) in page.scan.texts.iter().enumerate() {
            if let Some((b, _)) = node.block {
                nodes_of_block.entry(b).or_default().push(i);
            }
        }
        // (node, range in the node, entry, whether it lies inside that one node)
        let mut here: Vec<(usize, Range<usize>, usize, bool)> = Vec::new();
        // Names split over several nodes, as (block, range in the block's text).
        let mut split: Vec<(usize, Range<usize>)> = Vec::new();
        for text in texts {
            let (key, matches) = found.next().unwrap_or_default();
            cache.found.insert(key, matches.clone());
            for (range, entry) in matches {
                if own == Some(entry) {
                    continue;
                }
                match *text {
                    PageText::Node(n) => here.push((n, range, entry, true)),
                    PageText::Block(b) => {
                        let nodes = nodes_of_block.get(&b).map_or(&[][..], Vec::as_slice);
                        if let Some((n, in_node, false)) =
                            in_nodes(&page.scan, b, nodes, range.clone())
                        {
                            here.push((n, in_node, entry, false));
                            split.push((b, range));
                        }
                    }
                }
            }
        }
        // A split name is the longer match: what was found inside one of its nodes goes. A
        // block's matches do not overlap and come in order, so a binary search finds the one
        // that could cover a name (a page may hold thousands of split names).
        let mut split_in: HashMap<usize, Vec<Range<usize>>> = HashMap::new();
        for (b, r) in split {
            split_in.entry(b).or_default().push(r);
        }
        here.retain(|(n, range, _, whole)| {
            let Some((b, off)) = page.scan.texts[*n].block else {
                return true;
            };
            let Some(ranges) = split_in.get(&b).filter(|_| *whole) else {
                return true;
            };
            let (start, end) = (off + range.start, off + range.end);
            let i = ranges.partition_point(|r| r.end <= start);
            ranges.get(i).is_none_or(|r| r.start >= end)
        });
        // Linking goes in document order: node by node, then along each node.
        here.sort_by_key(|(n, range, _, _)| (*n, range.start));
        let mut linked = Linker::new(mode);
        for (node, range, entry, whole) in here {
            let n = &page.scan.texts[node];
            let block = n.block.map_or(usize::MAX, |(b, _)| b);
            // A name split over several text nodes is counted but not linked: a link cannot
            // span the emphasis or line break that splits it.
            let link = whole && n.linkable && linked.link(entry, block);
            occurrences.push(Occurrence {
                entry: EntryId::from_index(entry),
                place: Place::Page {
                    page: PageId::from_index(pi),
                    node,
                },
                range,
                linked: link,
            });
        }
    }
    occurrences.sort_by_key(|o| (o.entry, o.place, o.range.start));
    let mut occurrences = occurrences.into_iter().peekable();
    entries
        .iter()
        .enumerate()
        .map(|(e, &p)| {
            let page = &pages[p];
            let entry = page
                .entry
                .as_ref()
                .expect("entries are pages with an entry");
            let mut mine = Vec::new();
            while let Some(o) = occurrences.next_if(|o| o.entry.index() == e) {
                mine.push(o);
            }
            Entry {
                id: page.entry_id().unwrap_or(&page.path).to_string(),
                page: PageId::from_index(p),
                term: entry.term.clone(),
                aliases: entry.aliases.clone(),
                kind: entry.kind,
                tip: first_sentence(&page.scan.plain),
                occurrences: mine,
            }
        })
        .collect()
}

/// A text of a commentary page searched for names.
enum PageText {
    /// A countable text node.
    Node(usize),
    /// The text of a block (`Scan::blocks`) of several text nodes, for names split between
    /// them.
    Block(usize),
}

fn page_texts(scan: &crate::markdown::Scan) -> Vec<PageText> {
    let mut nodes_in_block: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, node) in scan.texts.iter().enumerate().filter(|(_, n)| n.countable) {
        out.push(PageText::Node(i));
        if let Some((b, _)) = node.block {
            *nodes_in_block.entry(b).or_default() += 1;
        }
    }
    out.extend(
        nodes_in_block
            .into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(b, _)| PageText::Block(b)),
    );
    out
}

/// Where a match at `range` of block `block`'s text lies among the block's text nodes: the
/// first node, the range relative to that node's start, and whether it lies inside that node.
/// `None` when part of it is not countable text (inline code, code, an image's text), apart
/// from the white space of a line break.
fn in_nodes(
    scan: &crate::markdown::Scan,
    block: usize,
    nodes: &[usize],
    range: Range<usize>,
) -> Option<(usize, Range<usize>, bool)> {
    let text = &scan.blocks[block];
    let mut first: Option<(usize, usize)> = None;
    let mut covered = range.start;
    for &i in nodes {
        let node = &scan.texts[i];
        let Some((_, off)) = node.block else { continue };
        let end = off + node.len;
        if end <= range.start || off >= range.end {
            continue;
        }
        if !node.countable || !text[covered..off.max(covered)].trim().is_empty() {
            return None;
        }
        first.get_or_insert((i, off));
        covered = covered.max(end);
    }
    let (node, off) = first?;
    if !text[covered.min(range.end)..range.end].trim().is_empty() {
        return None;
    }
    let whole = off <= range.start && range.end <= off + scan.texts[node].len;
    Some((
        node,
        range.start.saturating_sub(off)..range.end - off,
        whole,
    ))
}

/// Decides, occurrence by occurrence in document order, which become links.
struct Linker {
    mode: LinkMode,
    seen: BTreeSet<(usize, usize)>,
}

impl Linker {
    fn new(mode: LinkMode) -> Self {
        Linker {
            mode,
            seen: BTreeSet::new(),
        }
    }

    fn link(&mut self, entry: usize, paragraph: usize) -> bool {
        match self.mode {
            LinkMode::None => false,
            LinkMode::All => true,
            LinkMode::FirstPerPage => self.seen.insert((entry, 0)),
            LinkMode::FirstPerParagraph => self.seen.insert((entry, paragraph)),
        }
    }
}

/// How many characters a term or alias may have. Matching a name costs its length at every
/// place its text could start, which a repetitive name of thousands of characters turns into
/// minutes; real names are far shorter.
pub const MAX_NAME_CHARS: usize = 200;

/// Names longer than [`MAX_NAME_CHARS`] are errors at the name, and are left out of matching.
fn check_name_lengths<'a>(
    pages: &'a [Arc<Page>],
    entries: &[usize],
    diags: &mut Diagnostics,
) -> BTreeSet<&'a str> {
    let mut refused = BTreeSet::new();
    for &p in entries {
        let page = &pages[p];
        let entry = page
            .entry
            .as_ref()
            .expect("entries are pages with an entry");
        for (k, name) in entry.names().enumerate() {
            let key = if k == 0 { "term" } else { "aliases" };
            let visible = name.chars().any(|c| {
                !c.is_whitespace()
                    && !matches!(
                        c,
                        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
                    )
            });
            if !visible {
                let (what, hint) = if k == 0 {
                    (
                        "`term` is empty: an entry needs a name",
                        "write the entry's name after `term:`",
                    )
                } else {
                    (
                        "an alias is empty: it would name nothing",
                        "remove the empty alias, or write the name it stands for",
                    )
                };
                let location = match k {
                    0 => crate::yaml::key_location(&page.file, &page.text, key),
                    k => crate::yaml::list_value_location(&page.file, &page.text, key, k - 1),
                };
                diags.push(Diagnostic::error(code::FRONT_MATTER, location, what).with_hint(hint));
                refused.insert(name);
                continue;
            }
            let chars = name.trim().chars().count();
            if chars <= MAX_NAME_CHARS {
                continue;
            }
            let location = match page.text.find(name) {
                // At its start: the whole name would fill the terminal.
                Some(at) => Location::span(&page.file, &page.text, at..at),
                None => crate::yaml::key_location(
                    &page.file,
                    &page.text,
                    if k == 0 { "term" } else { "aliases" },
                ),
            };
            diags.push(
                Diagnostic::error(
                    code::FRONT_MATTER,
                    location,
                    format!(
                        "a glossary name of {chars} characters is refused (at most {MAX_NAME_CHARS})"
                    ),
                )
                .with_hint("shorten the term or alias: longer names are refused, as matching them can take minutes"),
            );
            refused.insert(name);
        }
    }
    refused
}

/// Two entries may not claim the same term or alias (compared without case and styles).
fn check_unique_names(pages: &[Arc<Page>], entries: &[usize], diags: &mut Diagnostics) {
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    for &p in entries {
        let entry = pages[p]
            .entry
            .as_ref()
            .expect("entries are pages with an entry");
        for (k, name) in entry.names().enumerate() {
            let key = lowercase_with_map(&normalise(name.trim()).0).0;
            match claimed.get(&key) {
                Some(&other) if other != p => {
                    let text = &pages[p].text;
                    let location = match text.find(name) {
                        Some(at) => Location::span(&pages[p].file, text, at..at + name.len()),
                        None => crate::yaml::key_location(
                            &pages[p].file,
                            text,
                            if k == 0 { "term" } else { "aliases" },
                        ),
                    };
                    diags.push(
                        Diagnostic::error(
                            code::DUPLICATE_TERM,
                            location,
                            format!("`{name}` is claimed by both {} and {}", pages[other].file, pages[p].file),
                        )
                        .with_hint("a term or alias may belong to one entry only: remove it from one of them"),
                    );
                }
                Some(_) => {}
                None => {
                    claimed.insert(key, p);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("The U.N. migration agency. It helps."),
            "The U.N. migration agency."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(
            first_sentence("It says so (¶2). Then more."),
            "It says so (¶2)."
        );
        assert_eq!(first_sentence("Ask Dr. Watson. Then."), "Ask Dr. Watson.");
    }
}
