//! `/glossary/` and `/glossary/page/<n>/`: entries by kind, alphabetically,
//! [`ENTRIES_PER_PAGE`] a page, with links to where each kind and each letter begins; on a
//! glossary of one page, then the index of names.

use super::page::page_ctx;
use super::paging::{self, ENTRIES_PER_PAGE};
use crate::diagnostics::Diagnostic;
use crate::load::pages::Kind;
use crate::model::EntryId;
use crate::render::context::View;
use crate::render::Urls;
use serde::Serialize;

#[derive(Serialize, Clone)]
struct EntrySummary {
    term: String,
    url: String,
    kind: &'static str,
    count: usize,
    letter: String,
    aliases: Vec<String>,
    tip: String,
    /// The anchor of the first entry of its kind and letter (`person-K`), else empty.
    anchor: String,
    /// The entry page's site path (for the JSON-LD, not the template).
    #[serde(skip)]
    path: String,
}

/// What orders the index, for every entry (the term in lower case, then the path: two entries
/// whose terms differ only in case are an error).
struct Row<'a> {
    e: EntryId,
    lower: String,
    path: &'a str,
    letter: char,
    /// As [`EntrySummary::anchor`].
    anchor: String,
}

#[derive(Serialize)]
struct LetterLink {
    letter: String,
    url: String,
}

#[derive(Serialize)]
struct KindCtx {
    id: String,
    title: &'static str,
    /// Entries of this kind in the whole glossary.
    count: usize,
    /// Where the kind's first entry is.
    url: String,
    /// Whether the kind began on an earlier page.
    continued: bool,
    letters: Vec<LetterLink>,
    /// Its entries on this page.
    entries: Vec<EntrySummary>,
}

pub(super) fn render(v: &View<'_>, url: &str, n: usize) -> Result<String, Diagnostic> {
    let r = &v.r;
    let mut ctx = tera::Context::new();
    if let Some(intro) = r.page_at("glossary") {
        if n == 1 {
            ctx.insert("page", &page_ctx(v, intro));
        } else {
            ctx.insert(
                "page",
                &serde_json::json!({ "title": r.page(intro).page.front.title, "content": "" }),
            );
        }
    }
    // Every entry is read as one question, and the index's order is made from it once per
    // build (the glossary has a page per 100 entries, each of which would otherwise sort them
    // all); the summaries and their occurrence counts are read for the entries shown.
    let Order { rows: all, kinds } = order(v);
    let summary = |row: &Row<'_>| {
        let entry = r.entry(row.e);
        EntrySummary {
            term: entry.term.to_string(),
            url: v.urls.href(&Urls::page(entry.path)),
            kind: entry.kind.label(),
            count: r.occurrences(row.e).len(),
            letter: row.letter.to_string(),
            aliases: entry.aliases.to_vec(),
            tip: entry.tip.to_string(),
            anchor: row.anchor.clone(),
            path: Urls::page(entry.path),
        }
    };
    let total = paging::pages(all.len(), ENTRIES_PER_PAGE);
    let shown = paging::range(n, all.len(), ENTRIES_PER_PAGE);
    let mut names: Vec<EntrySummary> = if total == 1 {
        all.iter()
            .filter(|(k, _)| k.is_name())
            .map(|(_, row)| summary(row))
            .collect()
    } else {
        Vec::new()
    };
    names.sort_by(|a, b| {
        a.term
            .to_lowercase()
            .cmp(&b.term.to_lowercase())
            .then(a.url.cmp(&b.url))
    });
    let mut sections: Vec<KindCtx> = Vec::new();
    for i in shown.clone() {
        let (kind, e) = &all[i];
        if sections.last().is_none_or(|k| k.id != kind.label()) {
            let whole = kinds
                .iter()
                .find(|k| k.id == kind.label())
                .expect("every kind listed");
            sections.push(KindCtx {
                id: whole.id.clone(),
                title: whole.title,
                count: whole.count,
                url: whole.url.clone(),
                continued: i > 0 && all[i - 1].0 == *kind,
                letters: whole
                    .letters
                    .iter()
                    .map(|l| LetterLink {
                        letter: l.letter.clone(),
                        url: l.url.clone(),
                    })
                    .collect(),
                entries: Vec::new(),
            });
        }
        sections
            .last_mut()
            .expect("pushed above")
            .entries
            .push(summary(e));
    }
    let terms: Vec<(String, String)> = sections
        .iter()
        .flat_map(|k| &k.entries)
        .map(|e| (e.term.clone(), e.path.clone()))
        .collect();
    v.meta.borrow_mut().jsonld = super::jsonld::script(&super::jsonld::term_set(v, &terms));
    ctx.insert("index", kinds);
    ctx.insert("kinds", &sections);
    ctx.insert("names", &names);
    ctx.insert("entries_total", &all.len());
    ctx.insert("first", &(shown.start + 1));
    ctx.insert("last", &shown.end);
    ctx.insert(
        "pager",
        &paging::pager(v, &Urls::glossary(), n, total, |k| k.to_string()),
    );
    ctx.insert("pager_label", "Pages of the glossary");
    v.page("glossary.html", url, ctx)
}

/// The glossary's index in order, made once per build from every entry and shared by its pages.
pub(crate) struct Order<'a> {
    /// Every entry by kind, then term in lower case, then path.
    rows: Vec<(Kind, Row<'a>)>,
    /// Each kind with where it and each of its letters begin (no entries).
    kinds: Vec<KindCtx>,
}

/// The glossary's [`Order`], reading every entry as one question.
fn order<'a>(v: &View<'a>) -> &'a Order<'a> {
    v.r.all_entries_once(&v.orders.glossary, |entries| {
        let mut all: Vec<(Kind, Row<'a>)> = entries
            .map(|(e, entry)| {
                let row = Row {
                    e,
                    lower: entry.term.to_lowercase(),
                    path: entry.path,
                    letter: entry
                        .term
                        .chars()
                        .find(|c| c.is_alphanumeric())
                        .map_or('#', |c| c.to_uppercase().next().unwrap_or(c)),
                    anchor: String::new(),
                };
                (entry.kind, row)
            })
            .collect();
        let order = |k: Kind| Kind::ALL.iter().position(|&x| x == k);
        all.sort_by(|a, b| {
            order(a.0)
                .cmp(&order(b.0))
                .then(a.1.lower.cmp(&b.1.lower).then(a.1.path.cmp(b.1.path)))
        });
        let href = |i: usize, anchor: &str| {
            format!(
                "{}#{anchor}",
                v.urls
                    .href(&Urls::paged(&Urls::glossary(), 1 + i / ENTRIES_PER_PAGE))
            )
        };
        // Each kind's and letter's first entry, in the whole glossary.
        let mut kinds: Vec<KindCtx> = Vec::new();
        for (i, (kind, e)) in all.iter_mut().enumerate() {
            if kinds.last().is_none_or(|k| k.id != kind.label()) {
                kinds.push(KindCtx {
                    id: kind.label().to_string(),
                    title: kind.plural(),
                    count: 0,
                    url: href(i, kind.label()),
                    continued: false,
                    letters: Vec::new(),
                    entries: Vec::new(),
                });
            }
            let k = kinds.last_mut().expect("pushed above");
            k.count += 1;
            // A letter is one character: `starts_with` compares it without allocating.
            if k.letters
                .last()
                .is_none_or(|l| !l.letter.starts_with(e.letter))
            {
                let anchor = format!("{}-{}", k.id, e.letter);
                k.letters.push(LetterLink {
                    letter: e.letter.to_string(),
                    url: href(i, &anchor),
                });
                e.anchor = anchor;
            }
        }
        Order { rows: all, kinds }
    })
}
