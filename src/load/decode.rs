//! A seed's bytes become text: the encoding detected and decoded, then its lines and
//! paragraphs, the units every anchor (`#L<n>`, `#p<n>`) and citation counts in.

use super::seeds::Paragraph;
use std::ops::Range;

/// A seed's bytes as text.
pub(super) struct Decoded {
    pub text: String,
    pub encoding: String,
    pub bom: bool,
    pub lossy: bool,
}

/// UTF-8 (with or without BOM), UTF-16 with BOM, else the legacy encoding chardetng guesses.
pub(super) fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: encoding.name().to_string(),
            bom: true,
            lossy,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: "UTF-8".into(),
            bom: false,
            lossy: false,
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, lossy) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name().to_string(),
        bom: false,
        lossy,
    }
}

pub(super) fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push(start..i);
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    lines
}

/// Paragraphs are separated by blank lines; a text with no blank line at all has one
/// paragraph per non-empty line.
pub(super) fn paragraphs(text: &str, lines: &[Range<usize>]) -> Vec<Paragraph> {
    let blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    let has_blank_separator = lines.iter().any(blank);
    let mut out = Vec::new();
    let mut current: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if blank(line) {
            if let Some(start) = current.take() {
                out.push(start..i);
            }
        } else if !has_blank_separator {
            out.push(i..i + 1);
        } else if current.is_none() {
            current = Some(i);
        }
    }
    if let Some(start) = current {
        out.push(start..lines.len());
    }
    out.into_iter()
        .enumerate()
        .map(|(n, lines)| Paragraph {
            number: n + 1,
            lines,
        })
        .collect()
}
