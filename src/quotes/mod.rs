//! Quotations: verified quotations of the commentary and direct speech found in the seeds,
//! resolved into [`Quotation`]s of the model.

pub mod matcher;
pub mod speech;

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Page, Seed};
use crate::model::{Quotation, QuoteOrigin, SeedAnchor, Speaker, Target};
use matcher::Quote;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const OPENING: &[char] = &['“', '"', '«', '„', '‘', '\''];
const CLOSING: &[char] = &['”', '"', '»', '“', '’', '\''];

/// The quoted words of a link text wrapped in quotation marks, without the marks.
pub fn quoted(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix(OPENING)?.strip_suffix(CLOSING)?;
    (!inner.trim().is_empty()).then_some(inner)
}

/// Finds the seeds' direct speech and verifies the commentary's quotations.
pub fn resolve(
    seeds: &[Arc<Seed>],
    pages: &[Arc<Page>],
    targets: &[Vec<Target>],
    diags: &mut Diagnostics,
) -> (Vec<Quotation>, BTreeMap<(usize, usize), usize>) {
    let mut quotations = Vec::new();
    for (si, seed) in seeds.iter().enumerate() {
        quotations.extend(seed_speech(si, seed));
    }
    for (pi, page) in pages.iter().enumerate() {
        for (li, target) in targets[pi].iter().enumerate() {
            let Target::Seed { seed, anchor } = target else {
                continue;
            };
            let link = &page.scan.links[li];
            let written = match page.scan.blockquotes.iter().find(|b| b.link == li) {
                Some(block) => quoted(&block.text).unwrap_or(&block.text),
                None => match quoted(&link.text) {
                    Some(q) => q,
                    None => continue,
                },
            };
            if let Some(q) = verify(pi, li, page, *seed, &seeds[*seed], *anchor, written, diags) {
                quotations.push(q);
            }
        }
    }
    // Commentary quotations inside a seed's direct speech are that speaker's words.
    let mut speech: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, q) in quotations.iter().enumerate() {
        if q.origin == QuoteOrigin::Seed {
            speech.entry(q.seed).or_default().push(i);
        }
    }
    for i in 0..quotations.len() {
        if quotations[i].origin != QuoteOrigin::Commentary {
            continue;
        }
        let span = quotations[i].span();
        let in_seed = speech
            .get(&quotations[i].seed)
            .map_or(&[][..], Vec::as_slice);
        if let Some(&s) = in_seed.iter().find(|&&s| {
            quotations[s].span().start <= span.start && span.end <= quotations[s].span().end
        }) {
            quotations[i].speaker = quotations[s].speaker.clone();
            let cite = quotations[i].cited_by.clone();
            quotations[s].cited_by.extend(cite);
        }
    }
    quotations.sort_by(|a, b| {
        (a.seed, a.span().start, a.origin, &a.id).cmp(&(b.seed, b.span().start, b.origin, &b.id))
    });
    // The same words quoted twice from one page get `-2`, `-3`, … in order.
    crate::fingerprint::number_repeats(quotations.iter_mut().map(|q| &mut q.id));
    let by_link = quotations
        .iter()
        .enumerate()
        .filter(|(_, q)| q.origin == QuoteOrigin::Commentary)
        .flat_map(|(i, q)| q.cited_by.first().map(|&l| (l, i)))
        .collect();
    (quotations, by_link)
}

/// Speakers become the glossary's people where an entry names them: by term or alias, or by
/// surname when exactly one person has it; a sidecar's speaker id names its entry directly.
pub fn attribute_to_glossary(
    quotations: &mut [Quotation],
    pages: &[Arc<Page>],
    glossary: &crate::glossary::Glossary,
) {
    let people: Vec<(&str, &crate::load::pages::Entry)> = glossary
        .entries
        .iter()
        .filter_map(|&p| {
            let e = pages[p].entry.as_ref()?;
            (e.kind == crate::load::pages::Kind::Person)
                .then(|| (pages[p].path.trim_start_matches("glossary/"), e))
        })
        .collect();
    let surname = |n: &str| n.split_whitespace().last().unwrap_or("").to_lowercase();
    for q in quotations.iter_mut() {
        let Some(speaker) = &q.speaker else { continue };
        let name = speaker.name.to_lowercase();
        let by_name = people
            .iter()
            .find(|(id, e)| *id == speaker.id || e.names().any(|n| n.to_lowercase() == name));
        let by_surname = || {
            let matching: Vec<_> = people
                .iter()
                .filter(|(_, e)| e.names().any(|n| surname(n) == surname(&name)))
                .collect();
            (matching.len() == 1).then(|| *matching[0])
        };
        if let Some((id, e)) = by_name.copied().or_else(by_surname) {
            q.speaker = Some(Speaker {
                id: id.to_string(),
                name: e.term.clone(),
            });
        }
    }
}

fn speaker(seed: &Seed, name: Option<String>, id: Option<&str>) -> Option<Speaker> {
    match (name, id) {
        (Some(name), _) => Some(Speaker {
            id: crate::text::suggest_id(&name),
            name,
        }),
        (None, Some(id)) => {
            // The name the seed gives the speaker, else the id in words.
            let from_text = speech::names(&seed.text)
                .into_iter()
                .find(|n| crate::text::suggest_id(n) == id);
            let name = from_text.unwrap_or_else(|| {
                id.split(['-', '_'])
                    .map(|w| {
                        let mut c = w.chars();
                        c.next().map_or(String::new(), |f| {
                            f.to_uppercase().collect::<String>() + c.as_str()
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            Some(Speaker {
                id: id.to_string(),
                name,
            })
        }
        (None, None) => None,
    }
}

fn seed_speech(si: usize, seed: &Seed) -> Vec<Quotation> {
    let paragraphs: Vec<_> = (1..=seed.paragraphs.len())
        .map(|n| seed.paragraph_range(n))
        .collect();
    let mut out: Vec<Quotation> = speech::find(&seed.text, &paragraphs)
        .into_iter()
        .map(|s| Quotation {
            id: crate::fingerprint::stable_id(
                "q",
                &[
                    "seed",
                    &seed.id,
                    &crate::text::normalise(&seed.text[s.range.clone()]).0,
                ],
            ),
            seed: si,
            paragraph: seed.paragraph_at(s.range.start),
            parts: vec![s.range],
            origin: QuoteOrigin::Seed,
            speaker: speaker(seed, s.speaker, None),
            cited_by: Vec::new(),
        })
        .collect();
    for (parts, speaker_id) in &seed.quote_overrides {
        let span = parts[0].start..parts[parts.len() - 1].end;
        let who = speaker(seed, None, Some(speaker_id));
        // The sidecar names the speaker of detected speech it overlaps, or adds a quotation.
        match out
            .iter_mut()
            .find(|q| q.span().start < span.end && span.start < q.span().end)
        {
            Some(q) => q.speaker = who,
            None => out.push(Quotation {
                id: crate::fingerprint::stable_id(
                    "q",
                    &[
                        "seed",
                        &seed.id,
                        &crate::text::normalise(&seed.text[span.clone()]).0,
                    ],
                ),
                seed: si,
                paragraph: seed.paragraph_at(span.start),
                parts: parts.clone(),
                origin: QuoteOrigin::Seed,
                speaker: who,
                cited_by: Vec::new(),
            }),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn verify(
    pi: usize,
    li: usize,
    page: &Page,
    si: usize,
    seed: &Seed,
    anchor: SeedAnchor,
    written: &str,
    diags: &mut Diagnostics,
) -> Option<Quotation> {
    let link = &page.scan.links[li];
    let paragraph = match anchor {
        SeedAnchor::Whole => None,
        SeedAnchor::Paragraph(n) => Some(n),
        SeedAnchor::Line(n) => seed.paragraph_of_line(n),
    };
    let within = paragraph.map(|n| seed.paragraph_range(n));
    let quote = Quote::parse(written);
    let found = seed.index.find(&quote, within.clone());
    let location = || Location::span(&page.file, &page.text, link.span.clone());
    let where_ = match paragraph {
        Some(n) => format!("¶{n} of `{}`", seed.id),
        None => format!("`{}`", seed.id),
    };
    match found.len() {
        0 => {
            let mut d = Diagnostic::error(
                code::QUOTE_NOT_FOUND,
                location(),
                format!("quotation not found in {where_}: “{}”", written.trim()),
            );
            if let Some(closest) = seed.index.closest(&quote, within) {
                let passage = &seed.text[closest.range.clone()];
                let diffs: Vec<String> = closest
                    .differences
                    .iter()
                    .take(4)
                    .map(|(q, s)| match (q.is_empty(), s.is_empty()) {
                        (false, false) => {
                            format!("the source has “{s}” where the quotation has “{q}”")
                        }
                        (true, _) => format!("the source has “{s}” that the quotation lacks"),
                        (_, true) => format!("the quotation has “{q}” that the source lacks"),
                    })
                    .collect();
                let diffs = if diffs.is_empty() {
                    "Only capitalisation differs.".to_string()
                } else {
                    format!("{}.", diffs.join("; "))
                };
                d = d.with_hint(format!(
                    "did you mean “{passage}” (¶{})? {diffs}",
                    seed.paragraph_at(closest.range.start)
                ));
            }
            diags.push(d);
            None
        }
        1 => {
            let occurrence = found.into_iter().next()?;
            let key = quote.parts.join(" … ");
            Some(Quotation {
                id: crate::fingerprint::stable_id("q", &["page", &page.path, &seed.id, &key]),
                seed: si,
                paragraph: seed.paragraph_at(occurrence.span().start),
                parts: occurrence.parts,
                origin: QuoteOrigin::Commentary,
                speaker: None,
                cited_by: vec![(pi, li)],
            })
        }
        n => {
            let places: BTreeSet<usize> = found
                .iter()
                .map(|o| seed.paragraph_at(o.span().start))
                .collect();
            let places: Vec<String> = places.iter().map(|p| format!("¶{p}")).collect();
            diags.push(
                Diagnostic::warning(
                    code::QUOTE_AMBIGUOUS,
                    location(),
                    format!("quotation occurs {n} times in {where_} ({}): it is not anchored to any of them", places.join(", ")),
                )
                .with_hint(format!("cite the paragraph you mean, e.g. `seed:{}#{}`", seed.id, places[0].replace('¶', "p"))),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quoted_link_texts() {
        assert_eq!(
            quoted("“a normal annual event”"),
            Some("a normal annual event")
        );
        assert_eq!(
            quoted("\"stone-cold criminals\""),
            Some("stone-cold criminals")
        );
        assert_eq!(quoted("¶3"), None);
        assert_eq!(quoted("“”"), None);
    }
}
