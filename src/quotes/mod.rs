//! Quotations: verified quotations of the commentary and direct speech found in the seeds,
//! resolved into [`Quotation`]s of the model.

pub mod matcher;
pub mod speech;

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Page, Seed};
use crate::model::{
    Id, PageId, Quotation, QuoteId, QuoteOrigin, QuoteRole, SeedAnchor, SeedId, Speaker, Target,
    Voice,
};
use matcher::{Quote, SeedIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// What quotation matching keeps between a session's rebuilds: each seed's normalised text
/// index, by the hash of its text (large, and slow to build for a big dossier).
#[derive(Default)]
pub struct Cache {
    indexes: HashMap<u64, Arc<SeedIndex>>,
}

impl Cache {
    /// The index of every seed's text, in order: reused when the text is unchanged, else built
    /// (in parallel). Indexes of texts no longer present are dropped.
    fn indexes(&mut self, seeds: &[Arc<Seed>]) -> Vec<Arc<SeedIndex>> {
        use rayon::prelude::*;
        let previous = std::mem::take(&mut self.indexes);
        let built: Vec<(u64, Arc<SeedIndex>)> = seeds
            .par_iter()
            .map(|s| {
                let key = crate::fingerprint::key(&s.text);
                let index = previous
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| Arc::new(SeedIndex::new(&s.text)));
                (key, index)
            })
            .collect();
        self.indexes = built.iter().cloned().collect();
        built.into_iter().map(|(_, i)| i).collect()
    }
}

const OPENING: &[char] = &['“', '"', '«', '„', '‘', '\''];
const CLOSING: &[char] = &['”', '"', '»', '“', '’', '\''];

/// The quoted words of a link text wrapped in quotation marks, without the marks.
pub fn quoted(text: &str) -> Option<&str> {
    let inner = marked(text)?;
    (!is_blank(inner)).then_some(inner)
}

/// What is between the quotation marks wrapping `text`, words or not.
fn marked(text: &str) -> Option<&str> {
    let t = text.trim();
    t.strip_prefix(OPENING)?.strip_suffix(CLOSING)
}

/// Whether `text` holds no visible character: white space, zero-width characters (U+200B–
/// U+200D, U+2060, U+FEFF) and soft hyphens only.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
            )
    })
}

/// Whether a quotation's text is quotation marks around nothing visible (`“”`, `“ ”`).
fn is_empty_quotation(text: &str) -> bool {
    marked(text).is_some_and(is_blank)
}

/// Finds the seeds' direct speech and verifies the commentary's quotations.
/// Returns every quotation, sorted by seed and position, and for each (page, link) making a
/// quotation the quotation's id.
pub fn resolve(
    seeds: &[Arc<Seed>],
    pages: &[Arc<Page>],
    targets: &[Vec<Target>],
    cache: &mut Cache,
    diags: &mut Diagnostics,
) -> (Vec<Quotation>, BTreeMap<(PageId, usize), QuoteId>) {
    let indexes = cache.indexes(seeds);
    let mut quotations = Vec::new();
    for (si, seed) in seeds.iter().enumerate() {
        let overrides = sidecar_quotes(seed, &indexes[si], diags);
        quotations.extend(seed_speech(SeedId::from_index(si), seed, &overrides));
    }
    for (pi, page) in pages.iter().enumerate() {
        for (li, target) in targets[pi].iter().enumerate() {
            let Target::Seed { seed, anchor } = target else {
                continue;
            };
            let link = &page.scan.links[li];
            let block = page.scan.blockquotes.iter().find(|b| b.link == li);
            let text = block.map_or(link.text.as_str(), |b| b.text.as_str());
            if is_empty_quotation(text) || (block.is_some() && is_blank(text)) {
                diags.push(
                    Diagnostic::error(
                        code::QUOTE_NOT_FOUND,
                        Location::span(&page.file, &page.text, link.span.clone()),
                        "empty quotation: its quotation marks hold no words",
                    )
                    .with_hint("put the source's words between the marks, or remove the marks to cite the source without quoting it"),
                );
                continue;
            }
            let written = match block {
                Some(block) => quoted(&block.text).unwrap_or(&block.text),
                None => match quoted(&link.text) {
                    Some(q) => q,
                    None => continue,
                },
            };
            let pi = PageId::from_index(pi);
            let (s, index) = (&seeds[seed.index()], &indexes[seed.index()]);
            if let Some(q) = verify(pi, li, page, *seed, s, index, *anchor, written, diags) {
                quotations.push(q);
            }
        }
    }
    // Commentary quotations inside a seed's direct speech are that speaker's words.
    let mut speech: BTreeMap<SeedId, Vec<usize>> = BTreeMap::new();
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
            quotations[i].role = QuoteRole::InSpeech;
            let cite = quotations[i].cited_by.clone();
            quotations[s].cited_by.extend(cite);
        } else {
            // Outside direct speech the words are the source's own: its authors', else its
            // publisher's. Speech is four words or more, and a source's title is not speech.
            let seed = &seeds[quotations[i].seed.index()];
            let q = &mut quotations[i];
            q.speaker = own_voice(seed);
            q.role = if is_narrative(seed, q) {
                QuoteRole::Narrative
            } else {
                QuoteRole::Fragment
            };
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
        .flat_map(|(i, q)| q.cited_by.first().map(|&l| (l, QuoteId::from_index(i))))
        .collect();
    (quotations, by_link)
}

/// The source's own voice: its sidecar's `authors:` (joined), else its `publisher:`, marked
/// inferred when that field is listed under `inferred:`; `None` when neither is known.
pub fn own_voice(seed: &Seed) -> Option<Speaker> {
    let sidecar = &seed.sidecar;
    let authors: Vec<&str> = sidecar
        .authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let (name, voice, field) = if !authors.is_empty() {
        let name = match authors.as_slice() {
            [one] => one.to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => unreachable!("not empty"),
        };
        (name, Voice::Author, "authors")
    } else {
        let publisher = sidecar.publisher.as_deref().map(str::trim)?;
        if publisher.is_empty() {
            return None;
        }
        (publisher.to_string(), Voice::Publisher, "publisher")
    };
    Some(Speaker {
        id: crate::text::suggest_id(&name),
        name,
        entry: None,
        voice,
        inferred: sidecar.inferred.contains_key(field),
    })
}

/// Whether a commentary quotation outside direct speech counts as the source speaking: four
/// words or more ([`speech::MIN_WORDS`]), and not the source's own title.
fn is_narrative(seed: &Seed, q: &Quotation) -> bool {
    let words: usize = q
        .parts
        .iter()
        .map(|p| seed.text[p.clone()].split_whitespace().count())
        .sum();
    let fold = |t: &str| {
        crate::text::normalise(t)
            .0
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let is_title = seed
        .sidecar
        .title
        .as_deref()
        .is_some_and(|t| fold(t) == fold(&seed.text[q.span()]));
    words >= speech::MIN_WORDS && !is_title
}

/// Where each of the sidecar's `quotes:` occurs: (byte ranges, speaker id). One that does not
/// occur is an error at its `text:` line.
fn sidecar_quotes(
    seed: &Seed,
    index: &SeedIndex,
    diags: &mut Diagnostics,
) -> Vec<(Vec<Range<usize>>, String)> {
    let mut out = Vec::new();
    for (quote, at) in seed.sidecar.quotes.iter().zip(&seed.quote_locations) {
        let found = index.find(&Quote::parse(&quote.text), None);
        if found.is_empty() {
            diags.push(
                Diagnostic::error(
                    code::QUOTE_NOT_FOUND,
                    at.clone(),
                    format!(
                        "`quotes:` names “{}”, which does not occur in {}",
                        quote.text, seed.path
                    ),
                )
                .with_hint("copy the words exactly as the source has them"),
            );
        }
        for occurrence in found {
            out.push((occurrence.parts, quote.speaker.clone()));
        }
    }
    out
}

fn speaker(seed: &Seed, name: Option<String>, id: Option<&str>) -> Option<Speaker> {
    match (name, id) {
        (Some(name), _) => Some(Speaker {
            id: crate::text::suggest_id(&name),
            name,
            entry: None,
            voice: Voice::Named,
            inferred: false,
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
                entry: None,
                voice: Voice::Named,
                inferred: false,
            })
        }
        (None, None) => None,
    }
}

fn seed_speech(
    si: SeedId,
    seed: &Seed,
    overrides: &[(Vec<Range<usize>>, String)],
) -> Vec<Quotation> {
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
            role: QuoteRole::Speech,
            speaker: speaker(seed, s.speaker, None),
            cited_by: Vec::new(),
        })
        .collect();
    for (parts, speaker_id) in overrides {
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
                role: QuoteRole::Speech,
                speaker: who,
                cited_by: Vec::new(),
            }),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn verify(
    pi: PageId,
    li: usize,
    page: &Page,
    si: SeedId,
    seed: &Seed,
    index: &SeedIndex,
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
    let found = index.find(&quote, within.clone());
    let location = || Location::span(&page.file, &page.text, link.span.clone());
    let where_ = match paragraph {
        Some(n) => format!("¶{n} of `{}`", seed.id),
        None => format!("`{}`", seed.id),
    };
    if found.is_empty() && paragraph.is_some() {
        let elsewhere: BTreeSet<usize> = index
            .find(&quote, None)
            .iter()
            .map(|o| seed.paragraph_at(o.span().start))
            .collect();
        if let (Some(cited), Some(&at)) = (paragraph, elsewhere.iter().next()) {
            diags.push(
                Diagnostic::error(
                    code::QUOTE_NOT_FOUND,
                    location(),
                    format!(
                        "quotation not in ¶{cited} of `{}`: found word for word in ¶{at} (you cited ¶{cited})",
                        seed.id
                    ),
                )
                .with_hint(format!("cite `seed:{}#p{at}`", seed.id)),
            );
            return None;
        }
    }
    match found.len() {
        0 => {
            let mut d = Diagnostic::error(
                code::QUOTE_NOT_FOUND,
                location(),
                format!("quotation not found in {where_}: “{}”", written.trim()),
            );
            // A suggestion never spans a paragraph break: the closest passage of each
            // paragraph, the closest of those.
            let closest = match within {
                Some(r) => index.closest(&quote, Some(r)),
                None => (1..=seed.paragraphs.len())
                    .filter_map(|n| index.closest(&quote, Some(seed.paragraph_range(n))))
                    .min_by_key(|c| c.distance),
            };
            if let Some(closest) = closest {
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
                let at = seed.paragraph_at(closest.range.start);
                if diffs.is_empty() {
                    d = d.with_hint(match bracketed(written.trim(), passage) {
                        Some(fixed) => format!(
                            "only capitalisation differs from ¶{at}; square brackets mark an editorial change: write “{fixed}”"
                        ),
                        None => format!("did you mean “{passage}” (¶{at})? Only capitalisation differs."),
                    });
                } else {
                    d = d.with_hint(format!(
                        "did you mean “{passage}” (¶{at})? {}.",
                        diffs.join("; ")
                    ));
                }
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
                role: QuoteRole::Fragment,
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

/// The quotation with each word whose capitalisation differs from the source's written
/// with its changed first letter in square brackets (`[A] beacon`); `None` when the words do
/// not pair up or differ beyond the first letter's case.
fn bracketed(written: &str, source: &str) -> Option<String> {
    let (w, s): (Vec<&str>, Vec<&str>) = (
        written.split_whitespace().collect(),
        source.split_whitespace().collect(),
    );
    if w.len() != s.len() {
        return None;
    }
    let mut out = Vec::new();
    for (a, b) in w.iter().zip(&s) {
        if a == b {
            out.push(a.to_string());
            continue;
        }
        let mut ac = a.chars();
        let mut bc = b.chars();
        let (fa, fb) = (ac.next()?, bc.next()?);
        if ac.as_str() != bc.as_str() || !fa.to_lowercase().eq(fb.to_lowercase()) {
            return None;
        }
        out.push(format!("[{fa}]{}", ac.as_str()));
    }
    Some(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::{bracketed, quoted};

    #[test]
    fn capitalisation_changes_are_bracketed() {
        assert_eq!(
            bracketed("A beacon of hope", "a beacon of hope").as_deref(),
            Some("[A] beacon of hope")
        );
        assert_eq!(bracketed("A beacon", "a lamp"), None);
    }

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
