//! Direct speech in seeds: text in “…” or "…" of four words or more, attributed to the
//! speaker named with a verb of speech in the same or an adjacent sentence.

use std::ops::Range;

/// Quoted speech shorter than this many words is left to the sidecar's `quotes:`.
pub const MIN_WORDS: usize = 4;

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "tweeted",
    "tweets",
    "stated",
    "states",
    "declared",
    "explained",
    "noted",
    "asked",
    "wrote",
    "writes",
    "argued",
    "insisted",
    "warned",
    "according",
];
const PRONOUNS: &[&str] = &["he", "she", "they"];
/// Verbs whose object is the listener, not the speaker ("told Reuters").
const TO_LISTENER: &[&str] = &["told", "tells", "asked"];
/// Lower-case words a role may have between a verb and a name ("said harbour master Ellen
/// Brandt"): any word but these, which start something else ("said in Tijuana", "said that").
const NOT_A_ROLE: &[&str] = &[
    "that", "to", "in", "on", "at", "of", "from", "for", "with", "by", "and", "but", "or", "as",
    "when", "while", "after", "before", "during", "about", "it", "this", "there", "his", "her",
    "their", "its", "not", "he", "she", "they", "we", "i", "you", "was", "is", "were", "had",
    "has", "would", "will",
];
/// How many lower-case role words may stand between a verb and a name.
const MAX_ROLE_WORDS: usize = 3;

/// One stretch of direct speech in a seed's decoded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speech {
    /// Byte range of the words inside the quotation marks.
    pub range: Range<usize>,
    /// The speaker's name as the text gives it at its fullest (`Joel Millman` for `Millman`).
    pub speaker: Option<String>,
}

/// Finds direct speech in `text`, paragraph by paragraph (`paragraphs` are byte ranges).
pub fn find(text: &str, paragraphs: &[Range<usize>]) -> Vec<Speech> {
    // Names are only needed to attribute speech, and most texts of a large dossier have none.
    let names = std::cell::OnceCell::new();
    let names = || names.get_or_init(|| capitalised_names(text));
    let mut out: Vec<Speech> = Vec::new();
    for paragraph in paragraphs {
        for range in quoted_spans(text, paragraph.clone()) {
            // “…,” Lopez said: the comma belongs to the sentence around the quotation.
            let inner = text[range.clone()].trim_end_matches([',', ' ']);
            let range = range.start..range.start + inner.len();
            if text[range.clone()].split_whitespace().count() < MIN_WORDS {
                continue;
            }
            let speaker = attribute(text, paragraph.clone(), range.clone()).and_then(|name| {
                if PRONOUNS.contains(&name.to_lowercase().as_str()) {
                    // "He said": the last speaker, or else the last full name, before the quotation.
                    let last_name = names()
                        .iter()
                        .rev()
                        .find(|(at, _)| *at < range.start)
                        .map(|(_, n)| n.clone());
                    return out
                        .iter()
                        .rev()
                        .find_map(|s| s.speaker.clone())
                        .or(last_name);
                }
                Some(fullest_name(&name, names()))
            });
            out.push(Speech { range, speaker });
        }
    }
    out
}

/// Byte ranges inside balanced quotation marks within `within`. Curly quotes nest; straight
/// quotes pair up; a quotation left open at the end of the paragraph is dropped.
fn quoted_spans(text: &str, within: Range<usize>) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut open_at = 0;
    let mut straight: Option<usize> = None;
    for (i, c) in text[within.clone()].char_indices() {
        let at = within.start + i;
        match c {
            '“' => {
                if depth == 0 && straight.is_none() {
                    open_at = at + c.len_utf8();
                }
                depth += 1;
            }
            '”' if depth > 0 => {
                depth -= 1;
                if depth == 0 && straight.is_none() {
                    spans.push(open_at..at);
                }
            }
            '"' if depth == 0 => match straight.take() {
                Some(start) => spans.push(start..at),
                None => straight = Some(at + 1),
            },
            _ => {}
        }
    }
    spans
}

/// The sentence around `at` within the paragraph: from after the previous sentence end to
/// the next one, ignoring ends inside the quotation.
fn sentence_bounds(text: &str, paragraph: Range<usize>, quote: Range<usize>) -> (usize, usize) {
    let para = &text[paragraph.clone()];
    let is_end = |i: usize| {
        let before = para[..i].chars().next_back();
        let after = para[i..].chars().next();
        matches!(before, Some('.' | '!' | '?')) && after.is_none_or(char::is_whitespace)
    };
    let q_start = quote.start - paragraph.start;
    let q_end = quote.end - paragraph.start;
    let start = (0..q_start.saturating_sub(1))
        .rev()
        .find(|&i| para.is_char_boundary(i) && is_end(i))
        .unwrap_or(0);
    let end = (q_end + 1..=para.len())
        .find(|&i| para.is_char_boundary(i) && is_end(i))
        .unwrap_or(para.len());
    (paragraph.start + start, paragraph.start + end)
}

/// The name attributed to the speech at `quote`, from the same sentence (after the quotation,
/// then before it), then the adjacent sentences.
fn attribute(text: &str, paragraph: Range<usize>, quote: Range<usize>) -> Option<String> {
    let (start, end) = sentence_bounds(text, paragraph.clone(), quote.clone());
    let after = &text[quote.end..end];
    let before = &text[start..quote.start];
    if let Some(name) = speaker_in(after).or_else(|| speaker_in(before)) {
        return Some(name);
    }
    let previous = &text[paragraph.start..start];
    let previous = previous
        .trim_end()
        .rsplit_once(['.', '!', '?'])
        .map_or(previous, |(_, s)| s);
    let next = &text[end..paragraph.end];
    let next = next.split_inclusive(['.', '!', '?']).next().unwrap_or("");
    speaker_in(next).or_else(|| speaker_in(previous))
}

/// "Millman said", "said Millman", "He said", "according to Millman" in a stretch of text.
fn speaker_in(context: &str) -> Option<String> {
    let tokens: Vec<&str> = context
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | ':' | '“' | '”' | '"' | '(' | ')'))
        .filter(|t| !t.is_empty())
        .collect();
    let clean = |t: &str| {
        t.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .to_string()
    };
    let capitalised = |t: &str| clean(t).chars().next().is_some_and(char::is_uppercase);
    for (i, token) in tokens.iter().enumerate() {
        let verb = clean(token).to_lowercase();
        if !SPEECH_VERBS.contains(&verb.as_str()) {
            continue;
        }
        if i > 0 && PRONOUNS.contains(&clean(tokens[i - 1]).to_lowercase().as_str()) {
            return Some(clean(tokens[i - 1]));
        }
        // Name before the verb: the run of capitalised words ending right before it.
        let mut j = i;
        // A comma ends a phrase: "In Tijuana, Brandt said" is Brandt.
        while j > 0 && capitalised(tokens[j - 1]) && !tokens[j - 1].ends_with(',') && i - j < 3 {
            j -= 1;
        }
        if j < i {
            let name: Vec<String> = tokens[j..i].iter().map(|t| clean(t)).collect();
            return Some(name.join(" "));
        }
        // A role between commas before the verb: "Ellen Brandt, the harbour master, said".
        if i > 1 && tokens[i - 1].ends_with(',') {
            let role_start = (i.saturating_sub(1 + MAX_ROLE_WORDS + 1)..i - 1)
                .rev()
                .find(|&k| tokens[k].ends_with(','));
            if let Some(k) = role_start.filter(|&k| {
                capitalised(tokens[k]) && tokens[k + 1..i].iter().all(|t| !capitalised(t))
            }) {
                let mut j = k;
                while j > 0
                    && capitalised(tokens[j - 1])
                    && !tokens[j - 1].ends_with(',')
                    && k - j < 2
                {
                    j -= 1;
                }
                let name: Vec<String> = tokens[j..=k].iter().map(|t| clean(t)).collect();
                return Some(name.join(" "));
            }
        }
        // "Brandt told reporters": after such a verb comes the listener, not the speaker.
        if TO_LISTENER.contains(&verb.as_str()) {
            continue;
        }
        // Name after the verb ("said Millman", "according to Millman", "said harbour master
        // Ellen Brandt", "said Brandt, the harbour master").
        let mut k = i + 1;
        if verb == "according" && tokens.get(k).is_some_and(|t| clean(t) == "to") {
            k += 1;
        }
        // A role in lower case may come first; the name must follow it.
        let role = tokens[k.min(tokens.len())..]
            .iter()
            .take(MAX_ROLE_WORDS)
            .take_while(|t| {
                let w = clean(t).to_lowercase();
                !capitalised(t)
                    && !w.is_empty()
                    && w.chars().all(char::is_alphabetic)
                    && !NOT_A_ROLE.contains(&w.as_str())
            })
            .count();
        let mut run: Vec<String> = Vec::new();
        for t in tokens[(k + role).min(tokens.len())..].iter().take(3) {
            if !capitalised(t) {
                break;
            }
            run.push(clean(t));
            // "said Brandt, the harbour master": the name ends at the comma.
            if t.ends_with(',') {
                break;
            }
        }
        if !run.is_empty() {
            return Some(run.join(" "));
        }
    }
    None
}

/// Runs of two or three capitalised words in the text (candidate full names), with offsets.
fn capitalised_names(text: &str) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let part_of_word =
            i < text.len() && (c.is_alphanumeric() || c == '-' || c == '\'' || c == '’');
        match (start, part_of_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
    };
    // Words are adjacent in a name only when separated by plain spaces.
    let adjacent =
        |a: &(usize, &str), b: &(usize, &str)| text[a.0 + a.1.len()..b.0].chars().all(|c| c == ' ');
    let mut names = Vec::new();
    for i in 0..words.len() {
        for len in [3, 2] {
            let run = &words[i..(i + len).min(words.len())];
            if run.len() == len
                && run.iter().all(|w| capitalised(w.1))
                && run.windows(2).all(|p| adjacent(&p[0], &p[1]))
            {
                let end = run[len - 1].0 + run[len - 1].1.len();
                names.push((words[i].0, text[words[i].0..end].to_string()));
            }
        }
    }
    names
}

/// Every full name (two or three capitalised words) the text contains.
pub fn names(text: &str) -> Vec<String> {
    capitalised_names(text)
        .into_iter()
        .map(|(_, n)| n)
        .collect()
}

/// `Millman` → `Joel Millman` when the text names him so somewhere; otherwise as given.
fn fullest_name(name: &str, names: &[(usize, String)]) -> String {
    names
        .iter()
        .map(|(_, n)| n)
        .filter(|n| n.len() > name.len() && n.ends_with(&format!(" {name}")))
        .min_by_key(|n| n.len())
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in text
            .match_indices('\n')
            .chain(std::iter::once((text.len(), "")))
        {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
        out
    }

    fn speech(text: &str) -> Vec<(String, Option<String>)> {
        find(text, &paragraphs(text))
            .into_iter()
            .map(|s| (text[s.range].to_string(), s.speaker))
            .collect()
    }

    #[test]
    fn the_iom_report_quotes_joel_millman_twice() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/000_af23199f87a247d1.txt"
        ))
        .unwrap();
        let found = speech(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].0.starts_with("The next point I would make"));
        assert!(found[1]
            .0
            .starts_with("We know from the rising number of deaths"));
        assert!(
            found
                .iter()
                .all(|(_, s)| s.as_deref() == Some("Joel Millman")),
            "{found:?}"
        );
    }

    #[test]
    fn the_ima_statement_has_no_quotation_of_four_words() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/003_4de4b0ce87d31f67.txt"
        ))
        .unwrap();
        assert_eq!(speech(&text), []);
    }

    #[test]
    fn attribution_forms() {
        assert_eq!(
            speech("Minister Ana Lopez said: “We will not give in to this.”"),
            [(
                "We will not give in to this.".into(),
                Some("Minister Ana Lopez".into())
            )]
        );
        // A role without a name is not a speaker we can name.
        assert_eq!(
            speech("The minister said: “We will not give in to this.”"),
            [("We will not give in to this.".into(), None)]
        );
        assert_eq!(
            speech("“This is a normal annual event,” said Ana Lopez."),
            [(
                "This is a normal annual event".into(),
                Some("Ana Lopez".into())
            )]
        );
        assert_eq!(
            speech("Ana Lopez spoke first. \"It was a long walk north,\" she said.\nAnd then “it went on for days and days,” he added."),
            [("It was a long walk north".into(), Some("Ana Lopez".into())), ("it went on for days and days".into(), Some("Ana Lopez".into()))]
        );
    }

    /// The common shapes of English news reporting, in sentences written the way reports are.
    #[test]
    fn reporting_shapes() {
        let brandt = Some("Ellen Brandt".to_string());
        // A role in lower case between the verb and the name.
        assert_eq!(
            speech("\"The harbour is full and the boats keep coming,\" said harbour master Ellen Brandt."),
            [("The harbour is full and the boats keep coming".into(), brandt.clone())]
        );
        // Surname, then the role after a comma; the full name from elsewhere in the text.
        assert_eq!(
            speech("Ellen Brandt runs the port.\n“We have never seen so many boats at once,” said Brandt, the harbour master."),
            [("We have never seen so many boats at once".into(), brandt.clone())]
        );
        // According to, after the quotation and before it.
        assert_eq!(
            speech("Ellen Brandt runs the port.\nThe port will close on Friday, according to Brandt: “There is no room left for anyone.”"),
            [("There is no room left for anyone.".into(), brandt.clone())]
        );
        assert_eq!(
            speech("“The port is closed until further notice,” according to the harbour master Ellen Brandt."),
            [("The port is closed until further notice".into(), brandt.clone())]
        );
        // The listener after "told" is not the speaker.
        assert_eq!(
            speech("Ellen Brandt runs the port.\n“We cannot take another ship this week,” Brandt told reporters on Tuesday."),
            [("We cannot take another ship this week".into(), brandt.clone())]
        );
        assert_eq!(
            speech("“We cannot take another ship this week,” a port official told Reuters."),
            [("We cannot take another ship this week".into(), None)]
        );
        // A role between commas, before the verb.
        assert_eq!(
            speech("“We have closed the port to all traffic,” Ellen Brandt, the harbour master, said on Friday."),
            [("We have closed the port to all traffic".into(), brandt.clone())]
        );
        // A phrase before the name, ended by a comma, is not part of it.
        assert_eq!(
            speech("In Tijuana, Brandt said: “The shelters are full to the doors.”"),
            [(
                "The shelters are full to the doors.".into(),
                Some("Brandt".into())
            )]
        );
        // A place after a preposition is not a speaker.
        assert_eq!(
            speech("“The shelters are full to the doors,” said the volunteers in Tijuana."),
            [("The shelters are full to the doors".into(), None)]
        );
    }

    #[test]
    fn unattributed_nested_and_unbalanced_quotes() {
        assert_eq!(
            speech("The sign read “no entry for anyone today” in red."),
            [("no entry for anyone today".into(), None)]
        );
        let nested = speech("“She told me “go home now” and left us there,” Millman said.");
        assert_eq!(
            nested,
            [(
                "She told me “go home now” and left us there".into(),
                Some("Millman".into())
            )]
        );
        assert_eq!(
            speech("An “open quote that never closes in this paragraph\nNext “short one”."),
            []
        );
        assert_eq!(
            speech("Stray ” closing mark, then “four words in here,” Bo said."),
            [("four words in here".into(), Some("Bo".into()))]
        );
    }
}
