//! Finding quoted words in a seed. Each seed's decoded text is normalised once
//! ([`crate::text::normalise`]: NFC, white space, quotation marks, apostrophes and dashes
//! reduced to one form) with a map back to byte offsets, and indexed by word, so that finding
//! a quotation costs about the length of the quotation times the occurrences of its rarest
//! word, not the length of the dossier.

use crate::text::{is_word, normalise, words};
use std::collections::HashMap;
use std::ops::Range;

/// How far apart (in normalised bytes) the parts of an elided quotation may be.
const ELISION_GAP: usize = 400;
/// How far apart the parts around an editorial insertion `[…]` may be.
const INSERTION_GAP: usize = 60;
/// Marks of an elision, longest first.
const ELISIONS: &[&str] = &["[...]", "[…]", "(...)", "(…)", "...", "…"];

/// A quotation split at elisions (`…`, `...`, `[...]`) and editorial insertions (`[words]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Normalised parts, in order, none empty.
    pub parts: Vec<String>,
    /// For each part after the first, how far it may follow the previous one.
    gaps: Vec<usize>,
}

impl Quote {
    /// Splits `quote`, as written, at elisions and `[insertions]` and normalises each part; a
    /// `[` without a closing `]` is kept as text.
    pub fn parse(quote: &str) -> Quote {
        let mut quote_out = Quote {
            parts: Vec::new(),
            gaps: Vec::new(),
        };
        let mut current = String::new();
        // The widest boundary seen since the last part: it limits the gap before the next.
        let mut gap = 0;
        let mut rest = quote;
        while let Some(c) = rest.chars().next() {
            let mut boundary = None;
            if let Some(e) = ELISIONS.iter().find(|e| rest.starts_with(**e)) {
                rest = rest[e.len()..].trim_start_matches('.');
                boundary = Some(ELISION_GAP);
            } else if let Some((letter, after)) = changed_letter(rest, &current) {
                // `[T]hey`: the letter as the source has it, so the word still matches.
                current.push_str(&letter);
                rest = after;
                continue;
            } else if c == '[' {
                if let Some(end) = rest.find(']') {
                    rest = &rest[end + 1..];
                    boundary = Some(INSERTION_GAP);
                }
            }
            match boundary {
                Some(g) => {
                    if quote_out.push_part(&current, gap) {
                        gap = 0;
                    }
                    current.clear();
                    gap = gap.max(g);
                }
                None => {
                    current.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        quote_out.push_part(&current, gap);
        quote_out
    }

    /// Adds `text` as the next part (unless it is blank); true when it was added.
    fn push_part(&mut self, text: &str, gap: usize) -> bool {
        let (norm, _) = normalise(text.trim());
        if norm.is_empty() {
            return false;
        }
        if !self.parts.is_empty() {
            self.gaps.push(gap);
        }
        self.parts.push(norm);
        true
    }

    /// The words of the quotation, for fuzzy comparison.
    pub fn words(&self) -> Vec<String> {
        self.parts
            .iter()
            .flat_map(|p| words(p).map(|(_, w)| w.to_lowercase()))
            .collect()
    }
}

/// A capital changed by the editor, `[T]hey` or `[a] beacon` at the start of a word: one
/// letter in brackets after no letter or digit. Returns the source's letter (the other case)
/// and the text after the `]`; `None` for an insertion such as `friend[s]` or `[the migrants]`.
fn changed_letter<'a>(rest: &'a str, before: &str) -> Option<(String, &'a str)> {
    let mut chars = rest.strip_prefix('[')?.chars();
    let letter = chars.next().filter(|c| c.is_alphabetic())?;
    let after = chars.as_str().strip_prefix(']')?;
    if before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let swapped: String = if letter.is_uppercase() {
        letter.to_lowercase().collect()
    } else {
        letter.to_uppercase().collect()
    };
    Some((swapped, after))
}

/// One place where a quotation occurs: the byte ranges (in the seed's decoded text) of its
/// parts, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// One byte range per part of the quotation, in order.
    pub parts: Vec<Range<usize>>,
}

impl Occurrence {
    /// From the start of the first part to the end of the last.
    pub fn span(&self) -> Range<usize> {
        self.parts[0].start..self.parts[self.parts.len() - 1].end
    }
}

/// The closest passage to a quotation that does not occur.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closest {
    /// Byte range in the seed's decoded text.
    pub range: Range<usize>,
    /// Word differences, as (quotation's words, source's words); an empty side is an
    /// insertion or deletion.
    pub differences: Vec<(String, String)>,
    /// Word-level edit distance between the quotation and the passage.
    pub distance: usize,
}

/// A passage is offered as "did you mean" only when at most this share of the quotation's
/// words (word-level edit distance over its word count) would have to change: 1/2.
pub fn close_enough(distance: usize, words: usize) -> bool {
    distance * 2 <= words
}

/// A seed's normalised text and word index, built once per seed.
#[derive(Clone, Debug)]
pub struct SeedIndex {
    norm: String,
    map: Vec<usize>,
    /// Hash of a word → normalised offsets where it starts. Hash collisions only add
    /// candidates, which are verified against the text anyway.
    postings: HashMap<u64, Vec<usize>>,
}

fn word_key(word: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    word.hash(&mut h);
    h.finish()
}

impl SeedIndex {
    /// Normalises `text`, a seed's decoded text, and indexes its words.
    pub fn new(text: &str) -> SeedIndex {
        let (norm, map) = normalise(text);
        let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
        for (offset, word) in words(&norm) {
            postings.entry(word_key(word)).or_default().push(offset);
        }
        SeedIndex {
            norm,
            map,
            postings,
        }
    }

    /// The normalised offset of original byte offset `at` (the first normalised byte at or after it).
    fn to_norm(&self, at: usize) -> usize {
        crate::text::normalised_offset(&self.map, at)
    }

    fn to_original(&self, range: Range<usize>) -> Range<usize> {
        crate::text::original_range(&self.map, range)
    }

    fn at_word_boundaries(&self, start: usize, end: usize) -> bool {
        let before = self.norm[..start].chars().next_back();
        let first = self.norm[start..].chars().next();
        let last = self.norm[..end].chars().next_back();
        let after = self.norm[end..].chars().next();
        let glued_start = first.is_some_and(is_word) && before.is_some_and(is_word);
        let glued_end = last.is_some_and(is_word) && after.is_some_and(is_word);
        !glued_start && !glued_end
    }

    /// Normalised start offsets of `part` within `window` (normalised offsets).
    fn find_part(&self, part: &str, window: Range<usize>) -> Vec<usize> {
        let part_words: Vec<(usize, &str)> = words(part).collect();
        let interior: Vec<&(usize, &str)> = part_words
            .iter()
            .filter(|(o, w)| *o > 0 && o + w.len() < part.len())
            .collect();
        let anchor = interior
            .iter()
            .min_by_key(|(_, w)| self.postings.get(&word_key(w)).map_or(0, Vec::len))
            .copied();
        let mut found = Vec::new();
        match anchor {
            Some((offset, word)) => {
                for &p in self
                    .postings
                    .get(&word_key(word))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    let Some(start) = p.checked_sub(*offset) else {
                        continue;
                    };
                    let end = start + part.len();
                    if start >= window.start
                        && end <= window.end
                        && self.norm.get(start..end) == Some(part)
                        && self.at_word_boundaries(start, end)
                    {
                        found.push(start);
                    }
                }
            }
            None => {
                let Some(hay) = self.norm.get(window.clone()) else {
                    return found;
                };
                for (i, _) in hay.match_indices(part) {
                    let start = window.start + i;
                    if self.at_word_boundaries(start, start + part.len()) {
                        found.push(start);
                    }
                }
            }
        }
        found
    }

    /// Every occurrence of `quote` inside `within` (byte offsets in the decoded text; the
    /// whole text when `None`).
    pub fn find(&self, quote: &Quote, within: Option<Range<usize>>) -> Vec<Occurrence> {
        if quote.parts.is_empty() {
            return Vec::new();
        }
        let window = match within {
            Some(r) => self.to_norm(r.start)..self.to_norm(r.end),
            None => 0..self.norm.len(),
        };
        let mut out = Vec::new();
        for first in self.find_part(&quote.parts[0], window.clone()) {
            let mut ranges: Vec<Range<usize>> = Vec::with_capacity(quote.parts.len());
            ranges.push(first..first + quote.parts[0].len());
            for (part, gap) in quote.parts[1..].iter().zip(&quote.gaps) {
                let prev_end = ranges[ranges.len() - 1].end;
                let limit = (prev_end + gap + part.len()).min(window.end);
                let next = self.find_part(part, prev_end..limit).into_iter().min();
                match next {
                    Some(s) => ranges.push(s..s + part.len()),
                    None => break,
                }
            }
            if ranges.len() == quote.parts.len() {
                out.push(Occurrence {
                    parts: ranges.into_iter().map(|r| self.to_original(r)).collect(),
                });
            }
        }
        out
    }

    /// The passage of about the quotation's length, inside `within`, whose words differ
    /// least from the quotation's (word-level edit distance), with the differences.
    pub fn closest(&self, quote: &Quote, within: Option<Range<usize>>) -> Option<Closest> {
        let q = quote.words();
        if q.is_empty() {
            return None;
        }
        let window = match within {
            Some(r) => self.to_norm(r.start)..self.to_norm(r.end),
            None => 0..self.norm.len(),
        };
        // Only on the error path: the window's words, lowercased.
        let lowered: Vec<(usize, String)> = words(&self.norm)
            .filter(|(o, _)| window.contains(o))
            .map(|(o, w)| (o, w.to_lowercase()))
            .collect();
        let seed: Vec<&(usize, String)> = lowered.iter().collect();
        if seed.is_empty() {
            return None;
        }
        let n = q.len().min(seed.len());
        // Only a passage `close_enough` is offered: no window further away needs its distance.
        // A window differs in at least max(q, n) − (the words it shares with the quotation)
        // places, a count kept as the window slides, so most windows cost no alignment.
        let limit = q.len() / 2;
        let mut wanted: HashMap<&str, usize> = HashMap::new();
        for w in &q {
            *wanted.entry(w.as_str()).or_default() += 1;
        }
        let mut held: HashMap<&str, usize> = HashMap::new();
        let mut shared = 0;
        let mut best: Option<(usize, usize)> = None;
        for end in 0..seed.len() {
            let added = seed[end].1.as_str();
            let count = held.entry(added).or_default();
            *count += 1;
            if *count <= wanted.get(added).copied().unwrap_or(0) {
                shared += 1;
            }
            if end + 1 < n {
                continue;
            }
            let start = end + 1 - n;
            let bound = best.map_or(limit, |(bd, _)| bd.saturating_sub(1).min(limit));
            if q.len().max(n) - shared <= bound {
                let candidate: Vec<&str> =
                    seed[start..=end].iter().map(|(_, w)| w.as_str()).collect();
                if let Some(d) = distance_at_most(&q, &candidate, bound) {
                    best = Some((d, start));
                }
            }
            let removed = seed[start].1.as_str();
            let count = held.get_mut(removed).expect("a word of the window");
            if *count <= wanted.get(removed).copied().unwrap_or(0) {
                shared -= 1;
            }
            *count -= 1;
        }
        let (distance, start) = best?;
        let window_words: Vec<&str> = seed[start..start + n]
            .iter()
            .map(|(_, w)| w.as_str())
            .collect();
        let differences = edit_distance(&q, &window_words).1;
        let first = seed[start].0;
        let (last_off, last_word) = seed[start + n - 1];
        let range = self.to_original(first..last_off + last_word.len());
        Some(Closest {
            range,
            differences,
            distance,
        })
    }
}

/// Word-level Levenshtein distance when it is at most `bound`, else `None`: two rows, given
/// up once a whole row is over the bound (no later row can come back under it).
fn distance_at_most(a: &[String], b: &[&str], bound: usize) -> Option<usize> {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let cost = usize::from(x != y);
            current[j + 1] = (previous[j + 1] + 1)
                .min(current[j] + 1)
                .min(previous[j] + cost);
        }
        if current.iter().all(|&d| d > bound) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= bound)
}

/// Word-level Levenshtein distance and the differences along one cheapest alignment.
fn edit_distance(a: &[String], b: &[&str]) -> (usize, Vec<(String, String)>) {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
        }
    }
    let mut diffs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]) {
            if a[i - 1] != b[j - 1] {
                diffs.push((a[i - 1].clone(), b[j - 1].to_string()));
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            diffs.push((a[i - 1].clone(), String::new()));
            i -= 1;
        } else {
            diffs.push((String::new(), b[j - 1].to_string()));
            j -= 1;
        }
    }
    diffs.reverse();
    (d[n][m], diffs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "IOM spokesman Joel Millman told VOA the caravan is not an emergency. He said it is a normal annual event that has been going on for more than a decade.\n“The next point I would make is that they are nowhere near the border yet, so it is a little bit difficult to respond to hypotheticals. You know, is it an invasion? They are hundreds of miles away.… I have never heard, generally, anyone thinking this was a threat to civil peace in these annual events,” Millman said.\nthe US-Mexico border and the US-Mexico border";

    fn find(q: &str) -> Vec<String> {
        let idx = SeedIndex::new(TEXT);
        idx.find(&Quote::parse(q), None)
            .iter()
            .map(|o| TEXT[o.span()].to_string())
            .collect()
    }

    #[test]
    fn exact_and_restyled_quotations_match() {
        assert_eq!(find("a normal annual event"), ["a normal annual event"]);
        assert_eq!(
            find("the   caravan is\nnot an emergency"),
            ["the caravan is not an emergency"]
        );
        assert_eq!(
            find("\"The next point I would make"),
            ["“The next point I would make"]
        );
        assert_eq!(find("the US–Mexico border").len(), 2);
    }

    #[test]
    fn a_changed_or_partial_word_does_not_match() {
        assert!(find("a normal yearly event").is_empty());
        assert!(find("normal annual even").is_empty());
        assert!(find("normal annual eventful").is_empty());
    }

    #[test]
    fn elisions_and_insertions() {
        assert_eq!(
            find("The next point I would make … they are nowhere near the border yet"),
            ["The next point I would make is that they are nowhere near the border yet"]
        );
        assert_eq!(
            find("They are hundreds of miles away... I have never heard"),
            ["They are hundreds of miles away.… I have never heard"]
        );
        assert_eq!(
            find("[The migrants] are nowhere near the border yet"),
            ["are nowhere near the border yet"]
        );
        assert_eq!(
            find("is that they [the migrants] are nowhere near"),
            ["is that they are nowhere near"]
        );
        // Parts out of order never match.
        assert!(find("nowhere near the border … The next point").is_empty());
    }

    #[test]
    fn a_bracketed_capital_is_the_source_letter_in_the_other_case() {
        assert_eq!(
            find("[T]hey are nowhere near the border yet […] You know"),
            ["they are nowhere near the border yet, so it is a little bit difficult to respond to hypotheticals. You know"]
        );
        assert_eq!(find("[t]he next point"), ["The next point"]);
        assert_eq!(find("[h]e said it"), ["He said it"]);
        // Not a changed capital: the letter is inserted, so the word does not match.
        assert!(find("[T]he next point").is_empty());
        assert!(find("is tha[t] they").is_empty());
    }

    #[test]
    fn paragraph_restriction() {
        let idx = SeedIndex::new(TEXT);
        let second = TEXT.find('“').unwrap()..TEXT.rfind("the US").unwrap();
        assert_eq!(
            idx.find(&Quote::parse("annual event"), Some(second.clone()))
                .len(),
            0
        );
        assert_eq!(
            idx.find(&Quote::parse("annual events"), Some(second)).len(),
            1
        );
    }

    #[test]
    fn closest_passage_shows_the_difference() {
        let idx = SeedIndex::new(TEXT);
        let c = idx
            .closest(&Quote::parse("the caravan is not a crisis"), None)
            .unwrap();
        assert_eq!(&TEXT[c.range], "the caravan is not an emergency");
        assert_eq!(
            c.differences,
            [
                ("a".to_string(), "an".to_string()),
                ("crisis".to_string(), "emergency".to_string())
            ]
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Word spans of TEXT, to cut quotations at word boundaries.
        fn word_spans() -> Vec<Range<usize>> {
            let mut spans = Vec::new();
            let mut start = None;
            for (i, c) in TEXT
                .char_indices()
                .chain(std::iter::once((TEXT.len(), ' ')))
            {
                match (start, c.is_alphanumeric() && i < TEXT.len()) {
                    (None, true) => start = Some(i),
                    (Some(s), false) => {
                        spans.push(s..i);
                        start = None;
                    }
                    _ => {}
                }
            }
            spans
        }

        fn restyle(text: &str, seed: u64) -> String {
            let mut out = String::new();
            for (k, c) in text.chars().enumerate() {
                let pick = (seed >> (k % 60)) & 3;
                match c {
                    ' ' | '\n' => out.push_str(["\n", "  ", " \t ", " "][pick as usize]),
                    '“' | '”' => out.push('"'),
                    '"' => out.push(['“', '”', '"', '«'][pick as usize]),
                    '’' | '\'' => out.push(['\'', '’', '‘', '\''][pick as usize]),
                    '-' | '–' | '—' => out.push(['-', '–', '—', '‐'][pick as usize]),
                    c => out.push(c),
                }
            }
            out
        }

        proptest! {
            #[test]
            fn a_rewrapped_restyled_substring_always_matches(a in 0usize..200, len in 1usize..40, style in any::<u64>()) {
                let spans = word_spans();
                let first = a % spans.len();
                let last = (first + len).min(spans.len() - 1);
                let range = spans[first].start..spans[last].end;
                let quote = restyle(&TEXT[range.clone()], style);
                let idx = SeedIndex::new(TEXT);
                let found = idx.find(&Quote::parse(&quote), None);
                prop_assert!(found.iter().any(|o| o.span() == range), "{quote:?} not found at {range:?}: {found:?}");
            }

            #[test]
            fn a_changed_word_never_matches(a in 0usize..200, len in 2usize..40, which in 0usize..40) {
                let spans = word_spans();
                let first = a % spans.len();
                let last = (first + len).min(spans.len() - 1);
                prop_assume!(last > first);
                let changed = &spans[first + which % (last - first + 1)];
                let quote = format!("{}zqxv{}", &TEXT[spans[first].start..changed.start], &TEXT[changed.end..spans[last].end]);
                let idx = SeedIndex::new(TEXT);
                prop_assert!(idx.find(&Quote::parse(&quote), None).is_empty(), "{quote:?} matched");
            }
        }
    }
}
