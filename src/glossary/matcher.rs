//! The glossary's matcher: every entry's names in one Aho-Corasick automaton, found as whole
//! words, leftmost-longest, in normalised text.

use crate::text::{is_word, lowercase_with_map, normalise};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// Whether `name` is matched case-sensitively: as configured, or when it is an acronym
/// (all its letters capitals, and more than one).
fn case_sensitive(name: &str, configured: Option<bool>) -> bool {
    configured.unwrap_or_else(|| {
        let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() > 1 && letters.iter().all(|c| c.is_uppercase())
    })
}

struct Pattern {
    entry: usize,
    /// The normalised name, for the case-sensitive comparison.
    norm: String,
    case_sensitive: bool,
}

/// One automaton over every term and alias, built once per build. It runs over lowercased,
/// normalised text (NFC; white space, quote, apostrophe and dash styles folded), so its cost grows
/// with the text, not with the number of entries; case-sensitive names are then compared with
/// the text as written.
pub struct TermMatcher {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

impl TermMatcher {
    /// `names`: (entry index, term or alias, configured case sensitivity).
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str, Option<bool>)>) -> TermMatcher {
        let mut patterns = Vec::new();
        let mut lowered = Vec::new();
        for (entry, name, configured) in names {
            let norm = normalise(name.trim()).0;
            if norm.is_empty() {
                continue;
            }
            lowered.push(lowercase_with_map(&norm).0);
            patterns.push(Pattern {
                entry,
                case_sensitive: case_sensitive(name, configured),
                norm,
            });
        }
        let automaton = (!lowered.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&lowered)
                .expect("the patterns are plain strings")
        });
        TermMatcher {
            automaton,
            patterns,
        }
    }

    /// Whole-word occurrences in `text`: (byte range in `text`, entry), leftmost-longest,
    /// not overlapping, in order.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        self.find_where(text, |_| true)
    }

    /// [`TermMatcher::find`] among the matches whose byte range `keep` accepts: one it
    /// refuses does not hide a shorter name inside it.
    pub fn find_where(
        &self,
        text: &str,
        keep: impl Fn(Range<usize>) -> bool,
    ) -> Vec<(Range<usize>, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let (norm, to_text) = normalise(text);
        let (lower, to_norm) = lowercase_with_map(&norm);
        let word = |c: Option<char>| c.is_some_and(is_word);
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        // Overlapping matches, so that a longer name that fails the word-boundary test does not
        // hide a shorter one that passes; leftmost-longest is then chosen among valid ones.
        for m in automaton.find_overlapping_iter(&lower) {
            let p = &self.patterns[m.pattern().as_usize()];
            let (start, end) = (to_norm[m.start()], to_norm[m.end()]);
            if end <= start
                || word(norm[..start].chars().next_back()) && word(norm[start..].chars().next())
                || word(norm[end..].chars().next()) && word(norm[..end].chars().next_back())
                || p.case_sensitive && norm[start..end] != p.norm
                || !keep(to_text[start]..to_text[end])
            {
                continue;
            }
            candidates.push((start, end, p.entry));
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut last_end = 0;
        for (start, end, entry) in candidates {
            if start >= last_end {
                out.push((to_text[start]..to_text[end], entry));
                last_end = end;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(names: &[(&str, Option<bool>)], text: &str) -> Vec<(String, usize)> {
        let m = TermMatcher::new(names.iter().enumerate().map(|(i, (n, c))| (i, *n, *c)));
        m.find(text)
            .into_iter()
            .map(|(r, e)| (text[r].to_string(), e))
            .collect()
    }

    #[test]
    fn whole_words_only() {
        let names = [("Trump", None), ("US", None)];
        assert_eq!(
            find(&names, "Trump and Trumpists, USA, US."),
            [("Trump".into(), 0), ("US".into(), 1)]
        );
        assert_eq!(
            find(&[("Mexico", None)], "Mexico's border; Mexico’s too"),
            [("Mexico".into(), 0), ("Mexico".into(), 0)]
        );
    }

    #[test]
    fn punctuation_inside_terms() {
        let names = [
            ("U.S.", None),
            ("C++", None),
            ("(parens)", None),
            ("people's", None),
            ("US-Mexico border", None),
        ];
        let text = "The U.S. and C++ (parens) for people’s sake at the US–Mexico\nborder.";
        assert_eq!(
            find(&names, text)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>(),
            ["U.S.", "C++", "(parens)", "people’s", "US–Mexico\nborder"]
        );
    }

    #[test]
    fn case_rules() {
        // Acronyms are case-sensitive by default; other names are not.
        assert_eq!(find(&[("IOM", None)], "IOM, iom, Iom").len(), 1);
        assert_eq!(
            find(
                &[("migrant caravan", None)],
                "Migrant Caravan, migrant caravan"
            )
            .len(),
            2
        );
        assert_eq!(find(&[("Caravan", Some(true))], "Caravan caravan").len(), 1);
        assert_eq!(find(&[("IOM", Some(false))], "IOM iom").len(), 2);
    }

    #[test]
    fn leftmost_longest_across_overlapping_names() {
        let names = [
            ("Central American", None),
            ("Central American migrants", None),
            ("American migrants", None),
            ("migrants", None),
        ];
        assert_eq!(
            find(&names, "Central American migrants and migrants"),
            [
                ("Central American migrants".into(), 1),
                ("migrants".into(), 3)
            ]
        );
        // A longer name that fails the word test does not hide a shorter one that passes.
        assert_eq!(
            find(&[("Mexico", None), ("Mexico Cit", None)], "Mexico City"),
            [("Mexico".into(), 0)]
        );
    }

    #[test]
    fn a_refused_match_does_not_hide_a_shorter_name_inside_it() {
        let m = TermMatcher::new([(0, "migrant caravan", None), (1, "caravan", None)]);
        let text = "a migrant\n\ncaravan";
        let found = m.find_where(text, |r| !text[r].contains('\n'));
        assert_eq!(found, [(11..18, 1)]);
    }

    #[test]
    fn non_ascii_text_and_names() {
        let names = [("Malmö", None), ("ÉMIGRÉ", None), ("émigré", None)];
        assert_eq!(
            find(&names, "MALMÖ, malmö; ÉMIGRÉ émigré"),
            [
                ("MALMÖ".to_string(), 0),
                ("malmö".to_string(), 0),
                ("ÉMIGRÉ".to_string(), 1),
                ("émigré".to_string(), 2),
            ]
        );
    }
}
