//! `/glossary/<id>/`: an entry's definition, its person's quoted speech, and its concordance
//! (keyword-in-context lines grouped by source).

use super::page::page_ctx;
use crate::diagnostics::Diagnostic;
use crate::model::{EntryId, PageId, Place, QuoteOrigin};
use crate::render::context::{LinkCtx, View};
use crate::render::Urls;
use serde::Serialize;

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
    count: usize,
    lines: Vec<KwicLine>,
}

#[derive(Serialize)]
struct EntryCtx {
    id: String,
    term: String,
    kind: &'static str,
    aliases: Vec<String>,
    total: usize,
    concordance: Vec<ConcordanceSource>,
    quotations: Vec<LinkCtx>,
}

pub(super) fn render(v: &View<'_>, url: &str, p: PageId, e: EntryId) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page_ctx(v, p));
    ctx.insert("entry", &entry_ctx(v, e));
    v.page("glossary_entry.html", url, ctx)
}

fn entry_ctx(v: &View<'_>, e: EntryId) -> EntryCtx {
    let r = &v.r;
    let entry = r.entry(e);
    let occurrences = r.occurrences(e);
    let mut groups: Vec<ConcordanceSource> = Vec::new();
    for o in occurrences {
        let (title, url, kind, line) = match o.place {
            Place::Seed { seed, paragraph } => {
                let (s, _, _) = r.seed(seed);
                // Context from the paragraphs the match starts and ends in, not assuming they
                // are one (the glossary keeps a name inside its paragraph, but a concordance
                // line must not depend on that).
                let para = s.paragraph_range(paragraph);
                let last = s.paragraph_range(s.paragraph_at(o.range.end));
                let context = para.start.min(o.range.start)..last.end.max(o.range.end);
                let url = v.urls.href(&Urls::source(&s.id));
                let line = kwic(
                    &s.text[context.clone()],
                    o.range.start - context.start..o.range.end - context.start,
                    format!("{url}#p{paragraph}"),
                    format!("¶{paragraph}"),
                );
                (s.title().to_string(), url, "source", line)
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
                    None => (n.text.as_str(), o.range.clone()),
                };
                let line = kwic(text, range.clone(), String::new(), String::new());
                let fragment = crate::text::text_fragment(&line.before, &text[range], &line.after);
                let line = KwicLine {
                    url: format!("{url}#:~:text={fragment}"),
                    ..line
                };
                (pg.front.title.clone(), url, "commentary", line)
            }
        };
        match groups.last_mut() {
            Some(g) if g.url == url => {
                g.count += 1;
                g.lines.push(line);
            }
            _ => groups.push(ConcordanceSource {
                title,
                url,
                kind,
                count: 1,
                lines: vec![line],
            }),
        }
    }
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
    EntryCtx {
        id: entry.id.to_string(),
        term: entry.term.to_string(),
        kind: entry.kind.label(),
        aliases: entry.aliases.to_vec(),
        total: occurrences.len(),
        concordance: groups,
        quotations,
    }
}

/// How many words of context a concordance line shows on each side.
const KWIC_WORDS: usize = 7;

/// A keyword-in-context line: a few words either side of `range` in `text`.
fn kwic(text: &str, range: std::ops::Range<usize>, url: String, label: String) -> KwicLine {
    let before: Vec<&str> = text[..range.start].split_whitespace().collect();
    let after: Vec<&str> = text[range.end..].split_whitespace().collect();
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
