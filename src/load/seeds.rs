//! Seeds: the source texts under `seeds/`, decoded for display but never changed, with their
//! provenance sidecars and the facts the tool measures.

use super::decode::{decode, line_ranges, paragraphs};
use crate::diagnostics::{code, Diagnostic, Location};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ops::Range;

/// A provenance sidecar, `seeds/<name>.yaml`. Every field is optional.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// The seed's id in references and URLs, overriding the file stem.
    pub id: Option<String>,
    /// The source's title; the file name stands in when absent.
    pub title: Option<String>,
    /// Free text such as `news-report` or `interview`; not checked against a list.
    pub kind: Option<String>,
    /// Who published the source.
    pub publisher: Option<String>,
    /// The source's authors, as written.
    #[serde(default)]
    pub authors: Vec<String>,
    /// `published:` as written, which [`load_seed`] checks and moves into `published`.
    #[serde(
        default,
        rename = "published",
        skip_serializing,
        deserialize_with = "crate::yaml::scalar_as_string"
    )]
    pub published_written: Option<String>,
    /// When the source was published, if that is a valid date.
    #[serde(skip_deserializing)]
    pub published: Option<crate::date::Date>,
    /// `retrieved:` as written, which [`load_seed`] checks and moves into `retrieved`.
    #[serde(
        default,
        rename = "retrieved",
        skip_serializing,
        deserialize_with = "crate::yaml::scalar_as_string"
    )]
    pub retrieved_written: Option<String>,
    /// When the source was retrieved, if that is a valid date.
    #[serde(skip_deserializing)]
    pub retrieved: Option<crate::date::Date>,
    /// Where the source was published, as written (not checked).
    pub url: Option<String>,
    /// A copy in a web archive, as written (not checked).
    pub archived_url: Option<String>,
    /// The source's language tag, as written.
    pub language: Option<String>,
    /// Who holds the rights and on what terms, as written.
    pub rights: Option<String>,
    /// The recorded hash of the seed's bytes (hex, any case): a mismatch is a fixity error.
    pub sha256: Option<String>,
    /// Field name → what it was inferred from.
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub inferred: BTreeMap<String, String>,
    /// The editor's remarks, Markdown.
    pub notes: Option<String>,
    /// Overrides for automatic quote attribution.
    #[serde(default)]
    pub quotes: Vec<QuoteOverride>,
}

/// Field names of [`Sidecar`] that may be listed under `inferred`.
const INFERABLE: &[&str] = &[
    "title",
    "kind",
    "publisher",
    "authors",
    "published",
    "retrieved",
    "url",
    "archived_url",
    "language",
    "rights",
];

/// One item of a sidecar's `quotes:`: who says these words of the seed.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QuoteOverride {
    /// The words as the seed has them (matched like a quotation); an error if they do not occur.
    pub text: String,
    /// The speaker's id, meant to be a glossary entry id; it names detected speech that overlaps
    /// the words, or a new quotation of them.
    pub speaker: String,
}

/// A paragraph of a seed: lines separated from others by blank lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// 1-based number, the `#p<n>` anchor.
    pub number: usize,
    /// 0-based indexes into [`Seed::lines`], end exclusive.
    pub lines: Range<usize>,
}

/// A seed as loaded: original bytes, decoded text and the measured facts.
#[derive(Clone, Debug)]
pub struct Seed {
    /// The sidecar's `id`, else the file stem; may be invalid (reported as an error).
    pub id: String,
    /// `seeds/<file_name>`, relative to the root.
    pub path: String,
    /// The file's name with its `.txt`, as it is published next to the seed's page.
    pub file_name: String,
    /// `seeds/<stem>.yaml`, relative to the root, when the sidecar exists and could be read.
    pub sidecar_path: Option<String>,
    /// The original bytes (shared between a session's rebuilds).
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// The sha256 of `bytes`, lowercase hex.
    pub sha256: String,
    /// The encoding as detected (WHATWG name, e.g. `UTF-8`, `windows-1252`, `UTF-16LE`).
    pub encoding: String,
    /// Whether the bytes started with a byte order mark (UTF-8 or UTF-16); it is not in `text`.
    pub had_bom: bool,
    /// Whether the decoded text had a CRLF line break; lone CRs are normalised to `\n` too but
    /// do not set it.
    pub crlf: bool,
    /// Whether decoding needed replacement characters.
    pub lossy: bool,
    /// Decoded text, without BOM, with line breaks normalised to `\n`.
    pub text: String,
    /// Byte ranges of each line in `text`, without the line break.
    pub lines: Vec<Range<usize>>,
    /// Code points before the start of each line.
    pub line_code_points: Vec<usize>,
    /// The paragraphs in order; `paragraphs[n - 1]` is paragraph `n`.
    pub paragraphs: Vec<Paragraph>,
    /// Runs of non-white-space in `text`, shown as the word count.
    pub words: usize,
    /// The parsed sidecar, dates checked; all fields empty when there is none or it failed.
    pub sidecar: Sidecar,
    /// Where each of the sidecar's `quotes:` is written (its `text:`), for resolve's
    /// diagnostics: the quotations are matched there.
    pub quote_locations: Vec<Location>,
    /// Where each of the sidecar's `quotes:` names its `speaker:`, for resolve's check that
    /// it is a glossary entry.
    pub speaker_locations: Vec<Location>,
    /// The sidecar's `notes:`, parsed once here for resolve (its links) and render.
    pub notes: Option<Notes>,
    /// A hash of the seed's bytes and its sidecar's text, set by `load`: rebuilds compare it
    /// to tell what changed.
    pub fingerprint: u64,
}

impl Seed {
    /// The text of 0-based line `index`, without its line break; panics past the last line.
    pub fn line(&self, index: usize) -> &str {
        &self.text[self.lines[index].clone()]
    }

    /// The paragraph holding 1-based line `line`, if the line is not blank.
    pub fn paragraph_of_line(&self, line: usize) -> Option<usize> {
        let index = line.checked_sub(1)?;
        let after = self.paragraphs.partition_point(|p| p.lines.start <= index);
        let p = &self.paragraphs[after.checked_sub(1)?];
        p.lines.contains(&index).then_some(p.number)
    }

    /// The paragraph holding byte offset `at` of the decoded text (the nearest before it
    /// when `at` is on a blank line).
    pub fn paragraph_at(&self, at: usize) -> usize {
        let line = self.lines.partition_point(|l| l.end < at);
        // Paragraphs are in text order: a binary search, since this is asked per occurrence.
        let after = self.paragraphs.partition_point(|p| p.lines.start <= line);
        after
            .checked_sub(1)
            .map_or(1, |i| self.paragraphs[i].number)
    }

    /// Byte range of paragraph `number` (1-based) in the decoded text.
    pub fn paragraph_range(&self, number: usize) -> Range<usize> {
        let p = &self.paragraphs[number - 1];
        self.lines[p.lines.start].start..self.lines[p.lines.end - 1].end
    }

    /// Code points before byte offset `at`: positions for W3C selectors and `dossier.json`.
    /// Counts from the start of `at`'s line, so the cost is a line's length, not the text's.
    pub fn code_points(&self, at: usize) -> usize {
        let line = self
            .lines
            .partition_point(|l| l.start <= at)
            .saturating_sub(1);
        match self.lines.get(line) {
            Some(l) if l.start <= at => {
                self.line_code_points[line] + self.text[l.start..at].chars().count()
            }
            _ => self.text[..at].chars().count(),
        }
    }

    /// The sidecar's title, else the file name.
    pub fn title(&self) -> &str {
        self.sidecar.title.as_deref().unwrap_or(&self.file_name)
    }
}

/// A sidecar's `notes:` as Markdown.
#[derive(Clone, Debug)]
pub struct Notes {
    /// The notes' links, headings and text; spans are byte offsets in the `notes:` value.
    pub scan: crate::markdown::Scan,
    /// Where each of `scan.links` is written in the sidecar, so that resolve can report a
    /// broken one there.
    pub link_locations: Vec<Location>,
    /// Where each of `scan.images` is written in the sidecar.
    pub image_locations: Vec<Location>,
}

/// Parses a sidecar's `notes`, with where each link's destination is written in the sidecar.
fn notes(notes: &str, sidecar_path: &str, sidecar_text: &str) -> Notes {
    let scan = crate::markdown::scan(notes, 0);
    let dests: Vec<&str> = scan.links.iter().map(|l| l.dest.as_str()).collect();
    let link_locations =
        crate::yaml::value_texts_location(sidecar_path, sidecar_text, "notes", &dests);
    let dests: Vec<&str> = scan.images.iter().map(|l| l.dest.as_str()).collect();
    let image_locations =
        crate::yaml::value_texts_location(sidecar_path, sidecar_text, "notes", &dests);
    Notes {
        scan,
        link_locations,
        image_locations,
    }
}

/// The fingerprint of a seed file and its sidecar (path and text).
pub fn fingerprint(bytes: &[u8], sidecar: Option<&(String, String)>) -> u64 {
    crate::fingerprint::key(&(bytes, sidecar))
}

/// Loads one seed from its bytes and optional sidecar text. Problems are pushed to `diags`;
/// a seed is returned whenever its bytes could be read, so later stages can still resolve
/// references to it and report their own problems.
pub fn load_seed(
    file_name: &str,
    bytes: Vec<u8>,
    sidecar: Option<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Seed {
    let path = format!("seeds/{file_name}");
    let fingerprint = fingerprint(&bytes, sidecar.as_ref());
    let stem = file_name.strip_suffix(".txt").unwrap_or(file_name);
    let sha256 = crate::fingerprint::hex(&Sha256::digest(&bytes));
    let mut decoded = decode(&bytes);
    if let Some(d) = not_text(&bytes, &decoded, &path) {
        diags.push(d);
    }
    // Control characters left (a few, or those of a seed refused above) never reach a page.
    if decoded.text.chars().any(is_stray_control) {
        decoded.text = decoded
            .text
            .chars()
            .map(|c| if is_stray_control(c) { '\u{fffd}' } else { c })
            .collect();
        decoded.lossy = true;
    }
    if decoded.lossy {
        diags.push(
            Diagnostic::warning(
                code::DECODING,
                Location::file(&path),
                format!(
                    "seed could not be decoded cleanly as {}; some characters are shown as �",
                    decoded.encoding
                ),
            )
            .with_hint("the original bytes are still published unchanged"),
        );
    }
    let text = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = line_ranges(&text);
    let mut line_code_points = Vec::with_capacity(lines.len());
    let mut counted = 0;
    let mut previous_end = 0;
    for l in &lines {
        counted += text[previous_end..l.start].chars().count();
        line_code_points.push(counted);
        previous_end = l.start;
    }
    let paragraphs = paragraphs(&text, &lines);
    let words = text.split_whitespace().count();

    let (sidecar_path, sidecar_text) = match sidecar {
        Some((path, text)) => (Some(path), text),
        None => (None, String::new()),
    };
    let (sidecar_path, sidecar) = match sidecar_path {
        Some(sidecar_path) => {
            let parsed = crate::yaml::parse::<Sidecar>(
                code::SIDECAR,
                &sidecar_path,
                &sidecar_text,
                0..sidecar_text.len(),
            );
            let sidecar = match parsed {
                Ok(mut s) => {
                    let mut date = |key, written| {
                        let range = 0..sidecar_text.len();
                        let (code, file, text) = (code::SIDECAR, &sidecar_path, &sidecar_text);
                        crate::yaml::date(code, file, text, range, key, written, diags)
                    };
                    s.published = date("published", s.published_written.take());
                    s.retrieved = date("retrieved", s.retrieved_written.take());
                    check_sidecar(&s, &sha256, &sidecar_path, &sidecar_text, &path, diags);
                    s
                }
                Err(d) => {
                    diags.push(d);
                    Sidecar::default()
                }
            };
            (Some(sidecar_path), sidecar)
        }
        None => {
            diags.push(
                Diagnostic::warning(
                    code::NO_SIDECAR,
                    Location::file(&path),
                    "seed has no provenance sidecar",
                )
                .with_hint(format!(
                    "create seeds/{stem}.yaml with at least `title` and `sha256: {sha256}`"
                )),
            );
            (None, Sidecar::default())
        }
    };

    if let (Some(tag), Some(sp)) = (&sidecar.language, &sidecar_path) {
        if let Some((message, hint)) = crate::config::language_problem(tag) {
            diags.push(
                Diagnostic::error(
                    code::SIDECAR,
                    crate::yaml::key_location(sp, &sidecar_text, "language"),
                    message,
                )
                .with_hint(hint),
            );
        }
    }
    let id = match &sidecar.id {
        Some(id) => id.clone(),
        None => stem.to_string(),
    };
    if !crate::paths::is_valid_id(&id) {
        let location = match (&sidecar.id, &sidecar_path) {
            (Some(_), Some(sp)) => crate::yaml::key_location(sp, &sidecar_text, "id"),
            _ => Location::file(&path),
        };
        diags.push(
            Diagnostic::error(
                code::BAD_ID,
                location,
                format!("seed id `{id}` may only hold lowercase letters, digits, `-` and `_`"),
            )
            .with_hint(format!(
                "set `id: {}` in the sidecar",
                crate::text::suggest_id(&id)
            )),
        );
    }
    if crate::paths::is_valid_id(&id) && crate::paths::is_reserved(&id) {
        let location = match (&sidecar.id, &sidecar_path) {
            (Some(_), Some(sp)) => crate::yaml::key_location(sp, &sidecar_text, "id"),
            _ => Location::file(&path),
        };
        diags.push(crate::paths::reserved_error(location, "seed id", &id));
    }

    let notes = match (&sidecar.notes, &sidecar_path) {
        (Some(text), Some(sp)) => Some(notes(text, sp, &sidecar_text)),
        _ => None,
    };

    let quote_locations = (0..sidecar.quotes.len())
        .map(|k| {
            sidecar_path.as_deref().map_or_else(
                || Location::file(&path),
                |sp| crate::yaml::list_item_location(sp, &sidecar_text, "quotes", "text", k),
            )
        })
        .collect();

    let speaker_locations = (0..sidecar.quotes.len())
        .map(|k| {
            sidecar_path.as_deref().map_or_else(
                || Location::file(&path),
                |sp| crate::yaml::list_item_location(sp, &sidecar_text, "quotes", "speaker", k),
            )
        })
        .collect();

    Seed {
        speaker_locations,
        id,
        path,
        file_name: file_name.to_string(),
        sidecar_path,
        bytes: std::sync::Arc::new(bytes),
        sha256,
        encoding: decoded.encoding,
        had_bom: decoded.bom,
        crlf: decoded.text.contains("\r\n"),
        lossy: decoded.lossy,
        text,
        lines,
        line_code_points,
        paragraphs,
        words,
        sidecar,
        quote_locations,
        notes,
        fingerprint,
    }
}

/// A control character that is no line break, tab or form feed.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')
}

/// The error for bytes that are not text in any encoding: NUL bytes without a UTF-16 byte
/// order mark, or control characters in more than 1% of the text.
fn not_text(bytes: &[u8], decoded: &super::decode::Decoded, path: &str) -> Option<Diagnostic> {
    if decoded.bom && decoded.encoding.starts_with("UTF-16") {
        return None;
    }
    let nul = bytes.iter().filter(|&&b| b == 0).count();
    let controls = decoded
        .text
        .chars()
        .filter(|&c| is_stray_control(c))
        .count();
    let (message, hint) = if nul > 0 {
        let even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = nul - even;
        if nul * 3 >= bytes.len() && (even == 0 || odd == 0) {
            (
                format!("seed looks like UTF-16 without a byte order mark ({nul} NUL bytes): it would be decoded wrongly"),
                "save it as UTF-8 (or as UTF-16 with a byte order mark)",
            )
        } else {
            (
                format!("seed is not text: it holds {nul} NUL bytes"),
                "seeds are text files; keep other files in static/ or a page folder",
            )
        }
    } else if controls * 100 > decoded.text.chars().count().max(1) {
        (
            format!("seed is not text: {controls} of its characters are control characters"),
            "seeds are text files; keep other files in static/ or a page folder",
        )
    } else {
        return None;
    };
    Some(Diagnostic::error(code::NOT_TEXT, Location::file(path), message).with_hint(hint))
}

fn check_sidecar(
    sidecar: &Sidecar,
    sha256: &str,
    sidecar_path: &str,
    sidecar_text: &str,
    seed_path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(recorded) = &sidecar.sha256 {
        let recorded = recorded.trim();
        if recorded.len() != 64 || !recorded.bytes().all(|b| b.is_ascii_hexdigit()) {
            diags.push(
                Diagnostic::error(
                    code::SIDECAR,
                    crate::yaml::key_location(sidecar_path, sidecar_text, "sha256"),
                    format!(
                        "sha256 is not 64 hexadecimal digits (it has {} characters), so {seed_path} cannot be checked against it",
                        recorded.chars().count()
                    ),
                )
                .with_hint(format!(
                    "{seed_path} hashes to {sha256}; if that file is the one you acquired, record `sha256: {sha256}`"
                )),
            );
        } else if !recorded.eq_ignore_ascii_case(sha256) {
            diags.push(
                Diagnostic::error(
                    code::FIXITY,
                    crate::yaml::key_location(sidecar_path, sidecar_text, "sha256"),
                    format!("{seed_path} no longer matches its recorded sha256: the source was altered"),
                )
                .with_hint(format!(
                    "its bytes now hash to {sha256}; restore the original file (e.g. `git checkout -- {seed_path}`), or, if this is a new acquisition, record it deliberately"
                )),
            );
        }
    }
    for field in sidecar.inferred.keys() {
        if !INFERABLE.contains(&field.as_str()) {
            let hint = match crate::paths::nearest(field, INFERABLE.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("inferable fields: {}", INFERABLE.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    code::SIDECAR,
                    crate::yaml::path_location(sidecar_path, sidecar_text, &["inferred", field]),
                    format!("`inferred` names `{field}`, which is not a provenance field"),
                )
                .with_hint(hint),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(bytes: &[u8]) -> Seed {
        let mut diags = Vec::new();
        load_seed("x.txt", bytes.to_vec(), None, &mut diags)
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let s = load(b"a\nb\n\n\nc\n  \nd");
        assert_eq!(s.paragraphs.len(), 3);
        assert_eq!(s.paragraphs[0].lines, 0..2);
        assert_eq!(s.paragraphs[2].lines, 6..7);
        assert_eq!(s.paragraph_of_line(7), Some(3));
        assert_eq!(s.paragraph_of_line(5), Some(2));
        assert_eq!(s.paragraph_of_line(4), None);
    }

    #[test]
    fn code_points_are_counted_in_the_decoded_text() {
        let s = load("é ü\nça «x»\n".as_bytes());
        let boundaries = s.text.char_indices().map(|(i, _)| i).chain([s.text.len()]);
        for at in boundaries {
            assert_eq!(s.code_points(at), s.text[..at].chars().count(), "at {at}");
        }
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        let s = load(b"one\ntwo\nthree");
        assert_eq!(s.paragraphs.len(), 3);
        assert_eq!(s.words, 3);
    }

    #[test]
    fn encodings_are_detected_and_bytes_kept() {
        let s = load(b"\xef\xbb\xbfcaf\xc3\xa9\r\nx\r\n");
        assert_eq!(
            (s.encoding.as_str(), s.had_bom, s.crlf),
            ("UTF-8", true, true)
        );
        assert_eq!(s.text, "café\nx\n");
        let s = load(b"\xff\xfec\x00\xe9\x00");
        assert_eq!((s.encoding.as_str(), s.text.as_str()), ("UTF-16LE", "cé"));
        let legacy = b"Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu, \xe0 bient\xf4t.";
        let s = load(legacy);
        assert_eq!(s.encoding, "windows-1252");
        assert!(s.text.contains("café"));
        assert_eq!(s.bytes.as_slice(), legacy);
    }
}
