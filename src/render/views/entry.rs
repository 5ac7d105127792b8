//! `/glossary/<id>/`: an entry's definition, its person's quoted speech, and its concordance
//! (keyword-in-context lines grouped by source): the entry page previews the first sources, a
//! few lines each, and when that does not show every line, `/glossary/<id>/page/<n>/` (n ≥ 2)
//! list every occurrence, a bounded number a page.

use super::page::page_ctx;
use crate::diagnostics::Diagnostic;
use crate::model::{EntryId, Occurrence, PageId, Place, QuoteOrigin, SeedId};
use crate::render::context::{LinkCtx, View};
use crate::render::Urls;
use serde::Serialize;
use std::ops::Range;

#[derive(Serialize)]
struct KwicLine {
    before: String,
    term: String,
    after: String,
    url: String,
    label: String,
}

#[derive(Serialize)]
struct ConcordanceSource {
    title: String,
    url: String,
    kind: &'static str,
    /// Occurrences in this source, in all.
    count: usize,
    /// The id of the group on the concordance pages (`in-<n>`, n counting sources from 1).
    anchor: String,
    /// Where every occurrence in this source is listed, when this page shows only some.
    all_url: Option<String>,
    /// The 1-based number of the group's first line shown, in the whole concordance.
    start: usize,
    /// Whether the group began on an earlier page.
    continued: bool,
    lines: Vec<KwicLine>,
}

#[derive(Serialize)]
struct EntryCtx {
    id: String,
    term: String,
    kind: &'static str,
    url: String,
    aliases: Vec<String>,
    total: usize,
    /// How many sources (seeds and commentary pages) name the entry.
    sources: usize,
    /// How many sources the entry page previews (the first ones, in concordance order).
    previewed: usize,
    /// How many sources are not previewed.
    more: usize,
    /// The concordance page where the first source not previewed begins.
    more_url: Option<String>,
    concordance: Vec<ConcordanceSource>,
    quotations: Vec<LinkCtx>,
}

/// Lines the entry page shows per source, at most.
pub(crate) const PREVIEW_LINES: usize = 3;
/// Sources the entry page previews, at most; the rest are on the concordance pages.
pub(crate) const PREVIEW_SOURCES: usize = 50;
/// Lines per page of the full concordance (`/glossary/<id>/page/<n>/`, n ≥ 2).
pub(crate) const LINES_PER_PAGE: usize = 100;

/// Where an occurrence is: consecutive occurrences in the same place form a source's group.
#[derive(PartialEq)]
enum Source {
    Seed(SeedId),
    Page(PageId),
}

fn source(o: &Occurrence) -> Source {
    match o.place {
        Place::Seed { seed, .. } => Source::Seed(seed),
        Place::Page { page, .. } => Source::Page(page),
    }
}

/// Each source's occurrences, as ranges of `occurrences` (which resolve orders by source).
fn groups(occurrences: &[Occurrence]) -> Vec<Range<usize>> {
    let mut groups: Vec<Range<usize>> = Vec::new();
    for (i, o) in occurrences.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if source(&occurrences[g.start]) == source(o) => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    groups
}

/// How many pages of the full concordance an entry with `occurrences` has after its own page:
/// none when its page shows every line (few sources, few lines each), else every line again
/// at [`LINES_PER_PAGE`] a page, so that the pages alone reach every occurrence.
pub(crate) fn concordance_pages(occurrences: &[Occurrence]) -> usize {
    let groups = groups(occurrences);
    if groups.len() <= PREVIEW_SOURCES && groups.iter().all(|g| g.len() <= PREVIEW_LINES) {
        0
    } else {
        occurrences.len().div_ceil(LINES_PER_PAGE)
    }
}

/// The site page (2, 3, …) of the concordance that lists occurrence `i` (0-based).
fn page_of(i: usize) -> usize {
    2 + i / LINES_PER_PAGE
}

/// The lines of page `n` (n ≥ 2), as a range of occurrences.
fn lines_of(n: usize, total: usize) -> Range<usize> {
    super::paging::range(n - 1, total, LINES_PER_PAGE)
}

pub(super) fn render(v: &View<'_>, url: &str, p: PageId, e: EntryId) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page_ctx(v, p));
    let (entry, pager) = entry_ctx(v, e);
    ctx.insert("entry", &entry);
    ctx.insert("pager", &pager);
    ctx.insert("pager_label", "Pages of the concordance");
    v.page("glossary_entry.html", url, ctx)
}

#[derive(Serialize)]
struct PageCtx {
    first: usize,
    last: usize,
    groups: Vec<ConcordanceSource>,
}

/// `/glossary/<id>/page/<n>/` (n ≥ 2): lines of the full concordance, by source.
pub(super) fn render_page(
    v: &View<'_>,
    url: &str,
    e: EntryId,
    n: usize,
) -> Result<String, Diagnostic> {
    let r = &v.r;
    let entry = r.entry(e);
    let occurrences = r.occurrences(e);
    let first = Urls::page(entry.path);
    let lines = lines_of(n, occurrences.len());
    let mut groups = Vec::new();
    for (gi, g) in self::groups(occurrences).into_iter().enumerate() {
        let shown = g.start.max(lines.start)..g.end.min(lines.end);
        if shown.is_empty() {
            continue;
        }
        let mut group = group_ctx(v, occurrences, gi, &g, shown.start);
        group.continued = shown.start > g.start;
        group.lines = occurrences[shown].iter().map(|o| line(v, o)).collect();
        groups.push(group);
    }
    let total_pages = 1 + concordance_pages(occurrences);
    let pager = super::paging::pager(v, &first, n, total_pages, |k| {
        page_label(k, occurrences.len())
    });
    let mut ctx = tera::Context::new();
    ctx.insert(
        "entry",
        &serde_json::json!({
            "id": entry.id,
            "term": entry.term,
            "url": v.urls.href(&first),
            "total": occurrences.len(),
        }),
    );
    ctx.insert(
        "concordance",
        &PageCtx {
            first: lines.start + 1,
            last: lines.end,
            groups,
        },
    );
    ctx.insert("pager", &pager);
    ctx.insert("pager_label", "Pages of the concordance");
    v.page("glossary_concordance.html", url, ctx)
}

/// What the pager calls page `n`: the entry page, or the range of occurrences it lists.
fn page_label(n: usize, total: usize) -> String {
    if n == 1 {
        "Overview".into()
    } else {
        let l = lines_of(n, total);
        format!("{}–{}", l.start + 1, l.end)
    }
}

/// The heading of group `gi` (occurrences `g`), its first line shown being `first`.
fn group_ctx(
    v: &View<'_>,
    occurrences: &[Occurrence],
    gi: usize,
    g: &Range<usize>,
    first: usize,
) -> ConcordanceSource {
    let r = &v.r;
    let (title, url, kind) = match occurrences[g.start].place {
        Place::Seed { seed, .. } => {
            let (s, _, _) = r.seed(seed);
            (
                s.title().to_string(),
                v.urls.href(&Urls::source(&s.id)),
                "source",
            )
        }
        Place::Page { page, .. } => {
            let pg = r.page(page).page;
            (
                pg.front.title.clone(),
                v.urls.href(&Urls::page(&pg.path)),
                "commentary",
            )
        }
    };
    ConcordanceSource {
        title,
        url,
        kind,
        count: g.len(),
        anchor: format!("in-{}", gi + 1),
        all_url: None,
        start: first + 1,
        continued: false,
        lines: Vec::new(),
    }
}

/// One occurrence's concordance line.
fn line(v: &View<'_>, o: &Occurrence) -> KwicLine {
    let r = &v.r;
    match o.place {
        Place::Seed { seed, paragraph } => {
            let (s, _, _) = r.seed(seed);
            // Context from the paragraphs the match starts and ends in, not assuming they
            // are one (the glossary keeps a name inside its paragraph, but a concordance
            // line must not depend on that).
            let para = s.paragraph_range(paragraph);
            let last = s.paragraph_range(s.paragraph_at(o.range.end));
            let context = para.start.min(o.range.start)..last.end.max(o.range.end);
            let url = v.urls.href(&Urls::source(&s.id));
            kwic(
                &s.text[context.clone()],
                o.range.start - context.start..o.range.end - context.start,
                format!("{url}#p{paragraph}"),
                format!("¶{paragraph}"),
            )
        }
        Place::Page { page, node } => {
            let pg = r.page(page).page;
            let n = &pg.scan.texts[node];
            let url = v.urls.href(&Urls::page(&pg.path));
            let (text, range) = match n.block {
                Some((b, off)) => (
                    pg.scan.blocks[b].as_str(),
                    off + o.range.start..off + o.range.end,
                ),
                None => (pg.scan.text(node), o.range.clone()),
            };
            let line = kwic(text, range.clone(), String::new(), String::new());
            let fragment = crate::text::text_fragment(&line.before, &text[range], &line.after);
            KwicLine {
                url: format!("{url}#:~:text={fragment}"),
                ..line
            }
        }
    }
}

fn entry_ctx(v: &View<'_>, e: EntryId) -> (EntryCtx, Option<super::paging::Pager>) {
    let r = &v.r;
    let entry = r.entry(e);
    let occurrences = r.occurrences(e);
    let first = Urls::page(entry.path);
    let all = groups(occurrences);
    let extra = concordance_pages(occurrences);
    let page_href = |i: usize, gi: usize| {
        format!(
            "{}#in-{}",
            v.urls.href(&Urls::paged(&first, page_of(i))),
            gi + 1
        )
    };
    let concordance: Vec<ConcordanceSource> = all
        .iter()
        .enumerate()
        .take(PREVIEW_SOURCES)
        .map(|(gi, g)| {
            let mut group = group_ctx(v, occurrences, gi, g, g.start);
            let shown = g.start..g.end.min(g.start + PREVIEW_LINES);
            if shown.end < g.end {
                group.all_url = Some(page_href(g.start, gi));
            }
            group.lines = occurrences[shown].iter().map(|o| line(v, o)).collect();
            group
        })
        .collect();
    let more_url = all
        .get(PREVIEW_SOURCES)
        .map(|g| page_href(g.start, PREVIEW_SOURCES));
    let pager = super::paging::pager(v, &first, 1, 1 + extra, |k| {
        page_label(k, occurrences.len())
    });
    let quotations = r
        .spoken_by(e)
        .into_iter()
        .filter(|q| q.origin == QuoteOrigin::Seed)
        .map(|q| {
            let (s, _, _) = r.seed(q.seed);
            let parts: Vec<&str> = q.parts.iter().map(|p| &s.text[p.clone()]).collect();
            LinkCtx {
                title: parts.join(" … "),
                url: v.urls.passage(&s.id, &q.id, &parts),
            }
        })
        .collect();
    let ctx = EntryCtx {
        id: entry.id.to_string(),
        term: entry.term.to_string(),
        kind: entry.kind.label(),
        url: v.urls.href(&first),
        aliases: entry.aliases.to_vec(),
        total: occurrences.len(),
        sources: all.len(),
        previewed: concordance.len(),
        more: all.len() - concordance.len(),
        more_url,
        concordance,
        quotations,
    };
    (ctx, pager)
}

/// How many words of context a concordance line shows on each side.
const KWIC_WORDS: usize = 7;

/// A keyword-in-context line: a few words either side of `range` in `text`.
fn kwic(text: &str, range: std::ops::Range<usize>, url: String, label: String) -> KwicLine {
    // Only the words shown, and one more to know whether to write "…": a line's cost does not
    // grow with its paragraph, which may hold thousands of occurrences.
    let mut before: Vec<&str> = text[..range.start]
        .split_whitespace()
        .rev()
        .take(KWIC_WORDS + 1)
        .collect();
    before.reverse();
    let after: Vec<&str> = text[range.end..]
        .split_whitespace()
        .take(KWIC_WORDS + 1)
        .collect();
    let lead = if before.len() > KWIC_WORDS {
        "… "
    } else {
        ""
    };
    let tail = if after.len() > KWIC_WORDS { " …" } else { "" };
    let space_before = text[..range.start].ends_with(char::is_whitespace);
    let space_after = text[range.end..].starts_with(char::is_whitespace);
    KwicLine {
        before: format!(
            "{lead}{}{}",
            before[before.len().saturating_sub(KWIC_WORDS)..].join(" "),
            if space_before && !before.is_empty() {
                " "
            } else {
                ""
            }
        ),
        term: crate::text::collapse_whitespace(&text[range]),
        after: format!(
            "{}{}{tail}",
            if space_after && !after.is_empty() {
                " "
            } else {
                ""
            },
            after[..after.len().min(KWIC_WORDS)].join(" ")
        ),
        url,
        label,
    }
}
