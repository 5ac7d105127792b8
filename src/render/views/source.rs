//! `/sources/<id>/`: a seed's text first (title, one line of provenance, then the text), with
//! paragraph and line anchors, its quoted passages and glossary links, and in the margin one
//! compact marker per cited passage and per paragraph whose notes open on demand; the full
//! provenance record, measured facts, history and what cites the source follow the text.

use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkOut};
use crate::model::{Citation, Occurrence, Quotation, QuoteOrigin, SeedId};
use crate::render::context::{LinkCtx, SourceSummary, View};
use crate::render::{highlight, sanitize, Urls};
use crate::text::excerpt;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

#[derive(Serialize)]
struct Field {
    key: &'static str,
    label: &'static str,
    value: String,
    is_url: bool,
    inferred: Option<String>,
}

#[derive(Serialize)]
struct NoteCtx {
    page_title: String,
    url: String,
    link_text: String,
    excerpt: String,
    /// The citing page is a glossary entry, not commentary.
    entry: bool,
}

/// A passage of the seed quoted by the commentary, with the notes that quote it.
#[derive(Serialize)]
struct PassageCtx {
    /// The first quotation's id: the passage's anchor; its notes are `notes-<id>`.
    id: String,
    /// Every quotation of these words, space-separated (for `data-q`).
    ids: String,
    /// The quoted words, shortened for the marker.
    quote: String,
    /// A URL text fragment that finds the quoted words (`start,end` when long).
    fragment: String,
    notes: Vec<NoteCtx>,
}

#[derive(Serialize)]
struct LineCtx<'a> {
    number: usize,
    segments: Vec<SegmentCtx<'a>>,
}

/// A piece of a line, inside the same set of quoted passages.
#[derive(Serialize)]
struct SegmentCtx<'a> {
    text: &'a str,
    /// Ids of the quotations that start here (their anchors).
    anchors: Vec<&'a str>,
    quoted: bool,
    /// Quoted by the commentary (not only direct speech of the seed).
    cited: bool,
    /// Ids of the quotations covering this piece, space-separated (for `data-q`).
    ids: String,
    /// This piece starts a passage the commentary quotes: it takes keyboard focus.
    starts_cited: bool,
    title: String,
    /// The glossary link on this piece, as HTML (the theme's `term.html`).
    term: Option<String>,
}

#[derive(Serialize)]
struct SpeechCtx {
    speaker: Option<String>,
    speaker_url: String,
    excerpt: String,
    url: String,
}

#[derive(Serialize)]
struct ParagraphCtx<'a> {
    number: usize,
    /// A URL text fragment that finds the paragraph (its first and last words when long).
    fragment: String,
    lines: Vec<LineCtx<'a>>,
    /// Passages of this paragraph quoted by the commentary, in text order, with their notes.
    passages: Vec<PassageCtx>,
    /// Notes citing the paragraph as a whole (or a line of it) without quoting it.
    notes: Vec<NoteCtx>,
    speech: Vec<SpeechCtx>,
    /// Every note on the paragraph: its passages' and its own.
    count: usize,
    /// Numbers of the blank lines that follow, so every `#L<n>` has its anchor.
    blank_after: Vec<usize>,
}

#[derive(Serialize)]
struct SourceCtx<'a> {
    #[serde(flatten)]
    summary: SourceSummary,
    publisher_inferred: bool,
    file_name: &'a str,
    file_url: String,
    sidecar: Option<&'a str>,
    bytes: usize,
    sha256: &'a str,
    fixity: &'static str,
    encoding: &'a str,
    bom: bool,
    crlf: bool,
    lossy: bool,
    line_count: usize,
    provenance: Vec<Field>,
    notes: Option<String>,
    history: Vec<&'a crate::load::git::Commit>,
    whole_notes: Vec<NoteCtx>,
    blank_before: Vec<usize>,
    text: Vec<ParagraphCtx<'a>>,
    /// Commentary pages citing the source.
    cited_by: Vec<LinkCtx>,
    /// Glossary entries citing the source.
    cited_by_entries: Vec<LinkCtx>,
    /// Notes on the source in all: on passages, paragraphs and the whole.
    note_count: usize,
    /// How to cite it.
    cite: CiteCtx,
}

/// The links to a citation's files, one per format.
#[derive(Serialize)]
pub(super) struct DownloadsCtx {
    csl: String,
    bib: String,
    ris: String,
}

/// The citation of a source: formatted, the start of a passage's one-line citation, and its
/// files.
#[derive(Serialize)]
struct CiteCtx {
    /// The formatted author–date citation.
    text: String,
    /// `Creator (date), “Title”`: the page adds `, ¶ <n>, <link>` for a passage.
    line: String,
    /// The absolute URL of the source's page.
    page_url: String,
    #[serde(flatten)]
    files: DownloadsCtx,
}

/// The citation files of seed `s`, or with `None` of every source.
pub(super) fn downloads(v: &View<'_>, s: Option<SeedId>) -> DownloadsCtx {
    use crate::render::cite::Format;
    let file = |f: Format| {
        v.urls.href(&match s {
            Some(s) => Urls::source_cite(v.r.seed_id(s), f.extension()),
            None => Urls::sources_cite(f.extension()),
        })
    };
    DownloadsCtx {
        csl: file(Format::Csl),
        bib: file(Format::Bib),
        ris: file(Format::Ris),
    }
}

pub(super) fn render(v: &View<'_>, url: &str, i: SeedId) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("source", &source_ctx(v, i));
    v.page("source.html", url, ctx)
}

fn source_ctx<'a>(v: &View<'a>, i: SeedId) -> SourceCtx<'a> {
    let r = &v.r;
    let (s, note_targets, history) = r.seed(i);
    let quotes = r.seed_quotations(i);
    let terms = r.seed_terms(i);
    let note = |c: &Citation| {
        let page = r.page(c.page);
        let link = &page.page.scan.links[c.link];
        NoteCtx {
            page_title: page.page.front.title.clone(),
            url: format!(
                "{}#{}",
                v.urls.href(&Urls::page(&page.page.path)),
                markdown::Link::anchor(c.link)
            ),
            link_text: link.text.clone(),
            excerpt: excerpt(&link.passage, 280),
            entry: page.entry.is_some(),
        }
    };
    // A citation that quotes this seed is a note on the quoted passage; any other is a note on
    // the paragraph it cites (or, without one, on the whole source). One passage of a page
    // citing the same place twice is one note.
    let mut on_passage: BTreeMap<&str, Vec<NoteCtx>> = BTreeMap::new();
    let mut by_paragraph: BTreeMap<Option<usize>, Vec<NoteCtx>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for c in r.seed_citations(i) {
        let page = r.page(c.page);
        let quoted = page
            .quotations
            .get(&c.link)
            .map(|&q| r.quotation(q))
            .filter(|q| q.seed == i);
        let place = quoted.map_or(Err(c.paragraph), |q| Ok(q.id.as_str()));
        // The links of one block share its passage: compared by address, not by its text,
        // which a paragraph of thousands of links would hash once per link.
        let passage = std::sync::Arc::as_ptr(&page.page.scan.links[c.link].passage);
        if !seen.insert((place, c.page, passage.cast::<u8>() as usize)) {
            continue;
        }
        match place {
            Ok(id) => on_passage.entry(id).or_default().push(note(c)),
            Err(paragraph) => by_paragraph.entry(paragraph).or_default().push(note(c)),
        }
    }
    let whole_notes: Vec<NoteCtx> = by_paragraph.remove(&None).unwrap_or_default();
    let mut note_count = whole_notes.len();
    let text: Vec<ParagraphCtx> = s
        .paragraphs
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let next = s
                .paragraphs
                .get(k + 1)
                .map_or(s.lines.len(), |n| n.lines.start);
            // Quotations of the same words (from several pages) are one passage, one marker.
            let mut passages: Vec<(Vec<std::ops::Range<usize>>, PassageCtx)> = Vec::new();
            for q in quotes.iter().filter(|q| q.paragraph == p.number) {
                let Some(notes) = on_passage.remove(q.id.as_str()) else {
                    continue;
                };
                match passages.iter_mut().find(|(parts, _)| *parts == q.parts) {
                    Some((_, g)) => {
                        g.ids.push(' ');
                        g.ids.push_str(&q.id);
                        g.notes.extend(notes);
                    }
                    None => passages.push((
                        q.parts.clone(),
                        PassageCtx {
                            id: q.id.clone(),
                            ids: q.id.clone(),
                            quote: excerpt(&s.text[q.span()], 60),
                            fragment: crate::text::passage_fragment(
                                &q.parts
                                    .iter()
                                    .map(|p| &s.text[p.clone()])
                                    .collect::<Vec<_>>(),
                            ),
                            notes,
                        },
                    )),
                }
            }
            let passages: Vec<PassageCtx> = passages.into_iter().map(|(_, g)| g).collect();
            let notes = by_paragraph.remove(&Some(p.number)).unwrap_or_default();
            let count = notes.len() + passages.iter().map(|g| g.notes.len()).sum::<usize>();
            note_count += count;
            ParagraphCtx {
                number: p.number,
                fragment: paragraph_fragment(&s.text[s.paragraph_range(p.number)]),
                lines: p
                    .lines
                    .clone()
                    .map(|l| LineCtx {
                        number: l + 1,
                        segments: segments(v, s, &quotes, terms, l),
                    })
                    .collect(),
                speech: speech_notes(v, s, &quotes, p.number),
                passages,
                notes,
                count,
                blank_after: (p.lines.end + 1..=next).collect(),
            }
        })
        .collect();
    let first = s
        .paragraphs
        .first()
        .map_or(s.lines.len(), |p| p.lines.start);
    let mut citing: Vec<_> = r.seed_citations(i).iter().map(|c| c.page).collect();
    citing.dedup();
    let (entries, pages): (Vec<_>, Vec<_>) =
        citing.into_iter().partition(|&p| r.page(p).entry.is_some());
    let recorded = s.sidecar.sha256.as_deref();
    SourceCtx {
        summary: v.source_summary(i),
        publisher_inferred: s.sidecar.inferred.contains_key("publisher"),
        file_name: &s.file_name,
        file_url: v.urls.href(&Urls::source_file(&s.id, &s.file_name)),
        sidecar: s.sidecar_path.as_deref(),
        bytes: s.bytes.len(),
        sha256: &s.sha256,
        fixity: match recorded {
            Some(rec) if rec.trim().eq_ignore_ascii_case(&s.sha256) => "verified",
            Some(_) => "mismatch",
            None => "unrecorded",
        },
        encoding: &s.encoding,
        bom: s.had_bom,
        crlf: s.crlf,
        lossy: s.lossy,
        line_count: s.lines.len(),
        provenance: provenance_fields(s),
        notes: s
            .sidecar
            .notes
            .as_deref()
            .zip(s.notes.as_ref())
            .map(|(n, notes)| {
                let links: Vec<LinkOut> = notes
                    .scan
                    .links
                    .iter()
                    .zip(note_targets)
                    .map(|(link, target)| LinkOut {
                        href: v.urls.target(r, target, &link.dest),
                        id: None,
                        class: None,
                    })
                    .collect();
                let images: Vec<String> = notes
                    .scan
                    .images
                    .iter()
                    .zip(r.note_images(i))
                    .map(|(image, target)| v.urls.target(r, target, &image.dest))
                    .collect();
                sanitize::clean(&markdown::to_html(
                    n,
                    &links,
                    &images,
                    &notes.scan.headings,
                    &markdown::TermLinks::new(),
                    &highlight::code_block,
                ))
            }),
        history,
        whole_notes,
        blank_before: (1..=first).collect(),
        text,
        cited_by: pages.into_iter().map(|p| v.page_link(p)).collect(),
        cited_by_entries: entries.into_iter().map(|p| v.page_link(p)).collect(),
        note_count,
        cite: {
            let cite = crate::render::cite::source(r, v.urls, i);
            CiteCtx {
                text: cite.text(),
                line: cite.line(),
                page_url: cite.page_url.clone(),
                files: downloads(v, Some(i)),
            }
        },
    }
}

/// Line `line` of seed `s`, cut where quoted passages and glossary links start and end.
fn segments<'a>(
    v: &View<'a>,
    s: &'a crate::load::Seed,
    quotes: &[&'a Quotation],
    terms: &[Occurrence],
    line: usize,
) -> Vec<SegmentCtx<'a>> {
    let range = s.lines[line].clone();
    let terms: Vec<&Occurrence> = terms
        .iter()
        .filter(|o| o.range.start < range.end && range.start < o.range.end)
        .collect();
    let mut cuts = vec![range.start, range.end];
    for q in quotes {
        for p in &q.parts {
            cuts.extend([p.start, p.end].into_iter().filter(|c| range.contains(c)));
        }
    }
    for o in &terms {
        cuts.extend(
            [o.range.start, o.range.end]
                .into_iter()
                .filter(|c| range.contains(c)),
        );
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Which quotations and terms cover each piece, by a sweep over the pieces rather than a
    // pass over every quotation of the seed per piece: every boundary of a part or a term
    // inside the line is a cut, so one that has begun and not ended covers the whole piece.
    let mut parts: Vec<(usize, usize, usize)> = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        parts.extend(
            q.parts
                .iter()
                .filter(|p| p.start < range.end && range.start < p.end)
                .map(|p| (p.start, p.end, i)),
        );
    }
    parts.sort_unstable();
    let mut anchored: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, q) in quotes.iter().enumerate() {
        if range.contains(&q.parts[0].start) {
            anchored.entry(q.parts[0].start).or_default().push(i);
        }
    }
    let mut next_part = 0;
    let mut next_term = 0;
    let mut open_parts: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut open_terms: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    // Quotation (or term) → how many of its open parts cover the piece.
    let mut covered: BTreeMap<usize, usize> = BTreeMap::new();
    let mut in_term: BTreeMap<usize, usize> = BTreeMap::new();
    let mut sweep = move |piece: &std::ops::Range<usize>| {
        while let Some(&(_, end, i)) = parts.get(next_part).filter(|p| p.0 <= piece.start) {
            open_parts.push(Reverse((end, i)));
            *covered.entry(i).or_default() += 1;
            next_part += 1;
        }
        while let Some(&o) = terms
            .get(next_term)
            .filter(|o| o.range.start <= piece.start)
        {
            open_terms.push(Reverse((o.range.end, next_term)));
            *in_term.entry(next_term).or_default() += 1;
            next_term += 1;
        }
        for (open, set) in [
            (&mut open_parts, &mut covered),
            (&mut open_terms, &mut in_term),
        ] {
            while let Some(&Reverse((_, i))) = open.peek().filter(|r| r.0 .0 <= piece.start) {
                open.pop();
                let n = set.get_mut(&i).expect("an open item is counted");
                *n -= 1;
                if *n == 0 {
                    set.remove(&i);
                }
            }
        }
        let covering: Vec<&&'a Quotation> = covered.keys().map(|&i| &quotes[i]).collect();
        let term = in_term.keys().next().map(|&i| terms[i]);
        (covering, term)
    };
    cuts.windows(2)
        .map(|w| {
            let piece = w[0]..w[1];
            let (covering, term) = sweep(&piece);
            let cited_in: BTreeSet<String> = covering
                .iter()
                .flat_map(|q| {
                    q.cited_by
                        .iter()
                        .map(|(p, _)| v.r.page(*p).page.front.title.clone())
                })
                .collect();
            let speakers: BTreeSet<&str> = covering
                .iter()
                .filter_map(|q| q.speaker.as_ref().map(|s| s.name.as_str()))
                .collect();
            let mut title = speakers.into_iter().collect::<Vec<_>>().join(", ");
            if !cited_in.is_empty() {
                if !title.is_empty() {
                    title.push_str(" · ");
                }
                title.push_str("quoted in ");
                title.push_str(&cited_in.into_iter().collect::<Vec<_>>().join(", "));
            }
            let text = &s.text[piece.clone()];
            let term = term.map(|o| v.term_html(o.entry, text, &format!("tip-{}", piece.start)));
            let starts_cited = covering
                .iter()
                .any(|q| q.parts[0].start == piece.start && q.origin == QuoteOrigin::Commentary);
            SegmentCtx {
                term,
                text,
                ids: covering
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                starts_cited,
                anchors: anchored
                    .get(&piece.start)
                    .into_iter()
                    .flatten()
                    .map(|&i| quotes[i].id.as_str())
                    .collect(),
                quoted: !covering.is_empty(),
                cited: covering.iter().any(|q| q.origin == QuoteOrigin::Commentary),
                title,
            }
        })
        .collect()
}

/// The seed's own direct speech in paragraph `paragraph`, for the margin.
fn speech_notes(
    v: &View<'_>,
    s: &crate::load::Seed,
    quotes: &[&Quotation],
    paragraph: usize,
) -> Vec<SpeechCtx> {
    quotes
        .iter()
        .filter(|q| q.paragraph == paragraph && q.origin == QuoteOrigin::Seed)
        .map(|q| SpeechCtx {
            speaker: q.speaker.as_ref().map(|s| s.name.clone()),
            speaker_url: format!(
                "{}#{}",
                v.urls.href(&Urls::quotes()),
                q.speaker.as_ref().map_or("unattributed", |s| s.id.as_str())
            ),
            excerpt: excerpt(&s.text[q.span()], 80),
            url: format!("#{}", q.id),
        })
        .collect()
}

fn provenance_fields(s: &crate::load::Seed) -> Vec<Field> {
    let p = &s.sidecar;
    let authors = (!p.authors.is_empty()).then(|| p.authors.join("; "));
    let date = |d: &Option<crate::date::Date>| d.as_ref().map(ToString::to_string);
    let fields: [(&'static str, &'static str, Option<String>, bool); 10] = [
        ("title", "Title", p.title.clone(), false),
        ("kind", "Kind", p.kind.clone(), false),
        ("publisher", "Publisher", p.publisher.clone(), false),
        ("authors", "Authors", authors, false),
        ("published", "Published", date(&p.published), false),
        ("retrieved", "Retrieved", date(&p.retrieved), false),
        ("url", "URL", p.url.clone(), true),
        (
            "archived_url",
            "Archived copy",
            p.archived_url.clone(),
            true,
        ),
        ("language", "Language", p.language.clone(), false),
        ("rights", "Rights", p.rights.clone(), false),
    ];
    fields
        .into_iter()
        .filter_map(|(key, label, value, is_url)| {
            let inferred = p.inferred.get(key).cloned();
            let value = value.or_else(|| inferred.as_ref().map(|_| "unknown".to_string()))?;
            Some(Field {
                key,
                label,
                is_url: is_url && (value.starts_with("https://") || value.starts_with("http://")),
                value,
                inferred,
            })
        })
        .collect()
}

/// A paragraph's URL text fragment; white space collapsed only when the paragraph is short
/// enough to be the fragment whole (else its first and last words are split off as they are).
fn paragraph_fragment(text: &str) -> String {
    if text.split_whitespace().nth(8).is_none() {
        crate::text::passage_fragment(&[&crate::text::collapse_whitespace(text)])
    } else {
        crate::text::passage_fragment(&[text])
    }
}
