//! What search counts as a word, in Rust and (word for word) in the theme's `search.js`: a run
//! of letters, digits and combining marks (Unicode `Alphabetic`, `N*`, `M*`), apostrophes
//! inside it included; folded to lower case without diacritics (NFKD, combining marks dropped),
//! typographic apostrophes as `'`; English stems by the Snowball (Porter 2) algorithm, the same
//! one the page's `stem.js` runs on a query.
//!
//! Not UAX #29 word boundaries: implementations disagree where it matters (Chromium's splits
//! `U.S.` and `soil.This`, unicode-segmentation keeps each as one word), and a word the page
//! cuts differently from the index is never found. The rule here is one regular expression in
//! `search.js`.

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words too common to find anything (Lucene's English stop set, sorted); a query of only
/// these is answered with a hint instead of every page.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Longer words are not indexed: no one types them, and they would make a shard of their own.
pub const LONGEST: usize = 40;

/// The folded words of `text` worth indexing, in order: stop words and words over
/// [`LONGEST`] characters left out.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    split(text)
        .map(fold)
        .filter(|w| w.chars().count() <= LONGEST && !is_stop_word(w))
}

/// Whether `word` is one of [`STOP_WORDS`] (none is longer than 5 bytes: most words are
/// answered without a search).
fn is_stop_word(word: &str) -> bool {
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)
}

/// The words of `text` as written: `search.js`'s
/// `/[\p{Alphabetic}\p{N}\p{M}]+(?:['’][\p{Alphabetic}\p{N}\p{M}]+)*/gu`.
pub fn split(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(is_word_char)?;
        let mut end = start;
        let mut chars = rest[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
            } else if matches!(c, '\'' | '\u{2019}')
                && chars.peek().is_some_and(|&(_, next)| is_word_char(next))
            {
                continue;
            } else {
                break;
            }
        }
        let word = &rest[start..end];
        rest = &rest[end..];
        Some(word)
    })
}

/// A word as search compares it: compatibility-decomposed, combining marks dropped, lower
/// case, `’` as `'`. Borrowed when it is that already (most words of most texts).
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(word.to_ascii_lowercase());
        }
        return Cow::Borrowed(word);
    }
    let bare: String = word
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    Cow::Owned(bare.to_lowercase())
}

/// Porter 2 stems: only words of ASCII letters and apostrophes are stemmed (the algorithm is
/// defined on those; `stem.js` makes the same choice), others are their own stem.
pub struct Stems(Stemmer);

impl Stems {
    /// The English stemmer.
    pub fn new() -> Stems {
        Stems(Stemmer::create(Algorithm::English))
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
            self.0.stem(word).into_owned()
        } else {
            word.to_string()
        }
    }
}

impl Default for Stems {
    fn default() -> Self {
        Stems::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_apostrophes() {
        let w: Vec<_> = words("The Café’s résumé, NAÏVE and 2018 — Tijuana.").collect();
        assert_eq!(w, ["cafe's", "resume", "naive", "2018", "tijuana"]);
        // Decomposed input folds to the same word.
        assert_eq!(fold("Cafe\u{301}"), "cafe");
    }

    #[test]
    fn splits_at_anything_but_letters_digits_marks_and_inner_apostrophes() {
        let w: Vec<&str> = split("U.S. soil.This isn't ’quoted’ — 3,000 l'été naïve").collect();
        assert_eq!(
            w,
            ["U", "S", "soil", "This", "isn't", "quoted", "3", "000", "l'été", "naïve"]
        );
    }

    #[test]
    fn stems_english_words_only() {
        let s = Stems::new();
        assert_eq!(s.stem("migrants"), "migrant");
        assert_eq!(s.stem("sailing"), s.stem("sailed"));
        assert_eq!(s.stem("government's"), "govern");
        assert_eq!(s.stem("2018"), "2018");
        assert_eq!(s.stem("μετανάστες"), "μετανάστες");
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5 && is_stop_word(w)));
    }

    #[test]
    fn leaves_out_stop_words_and_very_long_words() {
        let long = "x".repeat(LONGEST + 1);
        let text = format!("the caravan of {long} migrants");
        assert_eq!(words(&text).collect::<Vec<_>>(), ["caravan", "migrants"]);
    }
}
