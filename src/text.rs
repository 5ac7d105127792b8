//! Text as the quotation matcher, the glossary and the pages compare and show it: Unicode
//! normalisation (NFC, then quote, apostrophe, dash and white-space styles folded) with a map
//! back to the original bytes, lowercasing with a map, words, slugs, white space, excerpts and
//! URL text fragments. A leaf: it imports nothing of the crate, so every user agrees on what
//! "the same text" means.

use std::ops::Range;
use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Appends the folded form of `c`: one style of quotation mark, apostrophe and dash.
fn push_folded(out: &mut String, c: char) {
    match c {
        '“' | '”' | '„' | '‟' | '«' | '»' | '"' | '″' | '〝' | '〞' => out.push('"'),
        '‘' | '’' | '‚' | '‛' | '\'' | '`' | '′' => out.push('\''),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '-' => out.push('-'),
        '…' => out.push_str("..."),
        c => out.push(c),
    }
}

/// Builds the folded text and its byte map, one character at a time.
struct Folder {
    out: String,
    map: Vec<usize>,
    in_space: bool,
}

impl Folder {
    fn new(capacity: usize) -> Folder {
        Folder {
            out: String::with_capacity(capacity),
            map: Vec::with_capacity(capacity + 1),
            in_space: false,
        }
    }

    /// Folds `c`, whose output bytes map to original offset `at`.
    fn push(&mut self, c: char, at: usize) {
        if c.is_whitespace() {
            if !self.in_space {
                self.out.push(' ');
                self.map.push(at);
            }
            self.in_space = true;
            return;
        }
        self.in_space = false;
        let before = self.out.len();
        push_folded(&mut self.out, c);
        self.map
            .extend(std::iter::repeat_n(at, self.out.len() - before));
    }

    fn finish(mut self, end: usize) -> (String, Vec<usize>) {
        self.map.push(end);
        (self.out, self.map)
    }
}

/// Whether `c` is NFC and a starter that never combines with what precedes it (NFC quick
/// check Yes, combining class 0).
fn is_stable(c: char) -> bool {
    c < '\u{300}'
        || canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// Whether normalisation to NFC may start afresh before `c`: `c` is stable, or decomposes into
/// a stable starter and what follows it (such as U+212B ANGSTROM SIGN). Hangul vowel jamo and
/// some Indic vowel signs are starters too, but compose with the starter before them, so they
/// are not cluster starts.
fn starts_cluster(c: char) -> bool {
    if is_stable(c) {
        return true;
    }
    let mut first = None;
    decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    first.is_some_and(|d| d != c && is_stable(d))
}

/// `text` in NFC with white-space runs made one space and quotation marks, apostrophes,
/// dashes and `…` folded, with the byte offset in `text` of every byte of the result (plus
/// one entry for `text.len()`, the end). Within a cluster that NFC changes (a starter and the
/// characters composed or reordered with it) every byte maps to the cluster's start.
pub fn normalise(text: &str) -> (String, Vec<usize>) {
    let mut folder = Folder::new(text.len());
    // Most texts are ASCII or already NFC: then folding alone, with an exact map.
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        for (i, c) in text.char_indices() {
            folder.push(c, i);
        }
        return folder.finish(text.len());
    }
    let mut composed = String::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, first)) = chars.next() {
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if starts_cluster(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let cluster = &text[start..end];
        if end - start == first.len_utf8() && is_stable(first) {
            folder.push(first, start);
            start = end;
            continue;
        }
        composed.clear();
        composed.extend(cluster.nfc());
        if composed == cluster {
            for (i, c) in cluster.char_indices() {
                folder.push(c, start + i);
            }
        } else {
            for c in composed.chars() {
                folder.push(c, start);
            }
        }
        start = end;
    }
    folder.finish(text.len())
}

/// The range of the original text that normalised `range` came from, given the map of
/// [`normalise`] or [`lowercase_with_map`]. A range ending inside the output of one original
/// character (a composed cluster, `…` folded to `...`) ends after that character.
pub fn original_range(map: &[usize], range: Range<usize>) -> Range<usize> {
    let last = map.len() - 1;
    let start = map[range.start];
    if range.end >= last {
        return start..map[last];
    }
    if range.end == range.start {
        return start..start;
    }
    let before = map[range.end - 1];
    let mut e = range.end;
    while e < last && map[e] == before {
        e += 1;
    }
    start..map[e]
}

/// The normalised offset of original byte offset `at`: the first normalised byte that comes
/// from `at` or later.
pub fn normalised_offset(map: &[usize], at: usize) -> usize {
    map.partition_point(|&o| o < at)
}

/// `text` lowercased, with the byte offset in `text` of every byte of the result (plus one
/// for the end).
pub fn lowercase_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let before = out.len();
        out.extend(c.to_lowercase());
        map.extend(std::iter::repeat_n(i, out.len() - before));
    }
    map.push(text.len());
    (out, map)
}

/// Whether `c` belongs to a word.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of `text` (runs of [`is_word`] characters), with their byte offsets.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Every white-space run made one space, none at either end.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A URL-safe heading id: ASCII-folded, lowercase, words joined by `-` (`_` too becomes
/// `-`); `section` when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// A valid seed or page id close to `name`: unlike [`slug`] it keeps `_` (ids may contain
/// it) and makes every other non-alphanumeric character a `-`; `page` when nothing is left.
pub fn suggest_id(name: &str) -> String {
    let mut id = String::new();
    for c in deunicode::deunicode(name).chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "page".to_string()
    } else {
        id
    }
}

/// `text` with white space collapsed, cut at a word boundary near `max` characters.
pub fn excerpt(text: &str, max: usize) -> String {
    // Only the words that can be shown are collapsed (up to `max` + 1 characters), so the cost
    // does not grow with the text: a paragraph may be excerpted once per link in it.
    let mut shown = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > max {
            break;
        }
        if !shown.is_empty() {
            shown.push(' ');
            chars += 1;
        }
        for c in word.chars().take(max + 1 - chars.min(max + 1)) {
            shown.push(c);
            chars += 1;
        }
    }
    if chars <= max {
        return shown;
    }
    let cut: String = shown.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Percent-encoded for a URL text fragment.
fn fragment_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A URL text fragment (`prefix-,term,-suffix`) that finds `term` between up to three words of
/// `before` and of `after`.
pub fn text_fragment(before: &str, term: &str, after: &str) -> String {
    let clean = |s: &str| collapse_whitespace(&s.replace('…', " "));
    let before = clean(before);
    let after = clean(after);
    let prefix: Vec<&str> = before.split(' ').filter(|w| !w.is_empty()).collect();
    let suffix: Vec<&str> = after.split(' ').filter(|w| !w.is_empty()).collect();
    let mut fragment = String::new();
    if !prefix.is_empty() {
        fragment.push_str(&fragment_encode(
            &prefix[prefix.len().saturating_sub(3)..].join(" "),
        ));
        fragment.push_str("-,");
    }
    fragment.push_str(&fragment_encode(term));
    if !suffix.is_empty() {
        fragment.push_str(",-");
        fragment.push_str(&fragment_encode(&suffix[..suffix.len().min(3)].join(" ")));
    }
    fragment
}

/// The URL text fragment of a quoted passage given as its parts: the whole passage when it
/// is one short part, else `start,end` (its first and last four words).
pub fn passage_fragment(parts: &[&str]) -> String {
    // Only the words needed are split off: a part can be a whole paragraph.
    let words = |s: &str, first: bool| {
        let mut w: Vec<&str> = if first {
            s.split_whitespace().take(4).collect()
        } else {
            s.split_whitespace().rev().take(4).collect()
        };
        if !first {
            w.reverse();
        }
        w.join(" ")
    };
    let first = parts.first().copied().unwrap_or_default();
    let last = parts.last().copied().unwrap_or_default();
    if parts.len() == 1 && first.split_whitespace().nth(8).is_none() {
        fragment_encode(first)
    } else {
        format!(
            "{},{}",
            fragment_encode(&words(first, true)),
            fragment_encode(&words(last, false))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks what every map must satisfy: one entry per output byte plus the end, each inside
    /// the original and on a character boundary, never decreasing, the end at the original's end.
    fn assert_map_valid(original: &str, out: &str, map: &[usize]) {
        assert_eq!(map.len(), out.len() + 1);
        assert_eq!(map[out.len()], original.len());
        assert!(map.windows(2).all(|w| w[0] <= w[1]), "{map:?}");
        for &o in map {
            assert!(o <= original.len() && original.is_char_boundary(o));
        }
    }

    #[test]
    fn folding_maps_back_to_original_bytes() {
        let (norm, map) = normalise("a  “b”—c…");
        assert_eq!(norm, "a \"b\"-c...");
        assert_map_valid("a  “b”—c…", &norm, &map);
        assert_eq!(map[2], 3);
    }

    #[test]
    fn decomposed_text_is_composed_and_maps_to_cluster_starts() {
        // "Café élan" with both accents decomposed.
        let nfd = "Cafe\u{301} e\u{301}lan";
        let (norm, map) = normalise(nfd);
        assert_eq!(norm, "Café élan");
        assert_map_valid(nfd, &norm, &map);
        // Both bytes of the composed "é" map to the start of "e\u{301}".
        assert_eq!(&map[3..5], [3, 3]);
        assert_eq!(map[5], 6, "the space after the cluster maps to itself");
        assert_eq!(&map[6..8], [7, 7]);
        assert_eq!(map[8], 10);
        // A range over the composed word maps back over the whole cluster.
        assert_eq!(&nfd[original_range(&map, 0..5)], "Cafe\u{301}");
        assert_eq!(&nfd[original_range(&map, 6..norm.len())], "e\u{301}lan");
    }

    #[test]
    fn nfc_and_nfd_normalise_alike() {
        for (nfc, nfd) in [
            ("Malmö émigrés", "Malmo\u{308} e\u{301}migre\u{301}s"),
            // Canonical reordering: dot below (ccc 220) before acute (ccc 230).
            ("ệ", "e\u{302}\u{323}"),
            // Hangul syllables compose from jamo, which are all starters.
            ("한국", "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}"),
            // A singleton (ANGSTROM SIGN) becomes Å, alone in its cluster.
            ("Åa", "\u{212B}a"),
        ] {
            assert_eq!(normalise(nfd).0, normalise(nfc).0, "{nfd:?}");
            assert_eq!(normalise(nfc).0, nfc);
            let (out, map) = normalise(nfd);
            assert_map_valid(nfd, &out, &map);
        }
    }

    #[test]
    fn a_combining_mark_at_the_start_stays() {
        let (out, map) = normalise("\u{301}a");
        assert_eq!(out, "\u{301}a");
        assert_map_valid("\u{301}a", &out, &map);
    }

    #[test]
    fn lowercasing_keeps_a_map() {
        let (lower, map) = lowercase_with_map("ÉMIGRÉ İ");
        assert_eq!(lower, "émigré i\u{307}");
        assert_map_valid("ÉMIGRÉ İ", &lower, &map);
        assert_eq!(map[lower.len() - 1], "ÉMIGRÉ ".len());
    }

    #[test]
    fn words_with_offsets() {
        let w: Vec<_> = words("“Hi,” said Malmö’s").collect();
        assert_eq!(w, [(3, "Hi"), (10, "said"), (15, "Malmö"), (24, "s")]);
        assert!(is_word('é') && !is_word('-'));
    }

    #[test]
    fn slugs_and_ids_differ_on_purpose() {
        assert_eq!(slug("Ça va? Oui_non -- bien"), "ca-va-oui-non-bien");
        assert_eq!(slug("?!"), "section");
        assert_eq!(suggest_id("Über Alles!"), "uber-alles");
        assert_eq!(suggest_id("Oui_non?"), "oui_non");
        assert_eq!(suggest_id("?!"), "page");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("  a\n b  ", 10), "a b");
        assert_eq!(
            excerpt("The caravan is not an emergency, he said.", 34),
            "The caravan is not an emergency…"
        );
    }

    #[test]
    fn fragments() {
        assert_eq!(
            text_fragment(
                "one two three four… five",
                "the IOM",
                " six\nseven eight nine"
            ),
            "three%20four%20five-,the%20IOM,-six%20seven%20eight"
        );
        assert_eq!(text_fragment("", "IOM", ""), "IOM");
        assert_eq!(passage_fragment(&["a normal event"]), "a%20normal%20event");
        assert_eq!(
            passage_fragment(&["The next point I would make", "they are nowhere near"]),
            "The%20next%20point%20I,they%20are%20nowhere%20near"
        );
        // One long part: its first and last four words, across line breaks.
        assert_eq!(
            passage_fragment(&["one two\nthree four five six seven eight\n nine ten"]),
            "one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
        // Up to eight words are the fragment whole.
        assert_eq!(
            passage_fragment(&["a b c d e f g h"]),
            "a%20b%20c%20d%20e%20f%20g%20h"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Characters that exercise composition, reordering, folding and white space.
        const ALPHABET: &[char] = &[
            'a', 'e', 'E', 'o', ' ', '\n', '\t', '“', '’', '—', '…', 'é', 'ö', '\u{301}',
            '\u{308}', '\u{323}', '\u{302}', '\u{1100}', '\u{1161}', '\u{11A8}', '\u{212B}',
            '\u{0F73}', '\u{0B47}', '\u{0B3E}', 'İ',
        ];

        fn text() -> impl Strategy<Value = String> {
            proptest::collection::vec(proptest::sample::select(ALPHABET), 0..40)
                .prop_map(|cs| cs.into_iter().collect())
        }

        proptest! {
            #[test]
            fn normalising_any_text_equals_normalising_its_nfc(t in text()) {
                let nfc: String = t.nfc().collect();
                let (out, map) = normalise(&t);
                prop_assert_eq!(&out, &normalise(&nfc).0);
                assert_map_valid(&t, &out, &map);
            }

            #[test]
            fn normalising_is_idempotent(t in text()) {
                let once = normalise(&t).0;
                let (twice, map) = normalise(&once);
                prop_assert_eq!(&twice, &once);
                assert_map_valid(&once, &twice, &map);
            }

            #[test]
            fn normalised_ascii_maps_to_itself(t in "[ -~]{0,60}") {
                let once = normalise(&t).0;
                let (twice, map) = normalise(&once);
                prop_assert_eq!(&twice, &once);
                prop_assert_eq!(map, (0..=once.len()).collect::<Vec<_>>());
            }
        }
    }
}
