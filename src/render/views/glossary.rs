//! `/glossary/`: entries by kind, alphabetically, with letter anchors, then the index of names.

use super::page::page_ctx;
use crate::diagnostics::Diagnostic;
use crate::load::pages::Kind;
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
}

#[derive(Serialize)]
struct KindCtx {
    id: String,
    title: &'static str,
    letters: Vec<String>,
    entries: Vec<EntrySummary>,
}

pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let r = &v.r;
    let mut ctx = tera::Context::new();
    if let Some(intro) = r.page_at("glossary") {
        ctx.insert("page", &page_ctx(v, intro));
    }
    let mut all: Vec<(Kind, EntrySummary)> = r
        .entries()
        .map(|e| {
            let entry = r.entry(e);
            let summary = EntrySummary {
                term: entry.term.to_string(),
                url: v.urls.href(&Urls::page(entry.path)),
                kind: entry.kind.label(),
                count: r.occurrences(e).len(),
                letter: entry
                    .term
                    .chars()
                    .find(|c| c.is_alphanumeric())
                    .map_or('#', |c| c.to_uppercase().next().unwrap_or(c))
                    .to_string(),
                aliases: entry.aliases.to_vec(),
                tip: entry.tip.to_string(),
            };
            (entry.kind, summary)
        })
        .collect();
    all.sort_by(|a, b| {
        a.1.term
            .to_lowercase()
            .cmp(&b.1.term.to_lowercase())
            .then(a.1.url.cmp(&b.1.url))
    });
    let kinds: Vec<KindCtx> = Kind::ALL
        .iter()
        .filter_map(|&k| {
            let entries: Vec<EntrySummary> = all
                .iter()
                .filter(|(kind, _)| *kind == k)
                .map(|(_, e)| e.clone())
                .collect();
            let mut letters: Vec<String> = entries.iter().map(|e| e.letter.clone()).collect();
            letters.dedup();
            (!entries.is_empty()).then(|| KindCtx {
                id: k.label().to_string(),
                title: k.plural(),
                letters,
                entries,
            })
        })
        .collect();
    let names: Vec<EntrySummary> = all
        .into_iter()
        .filter(|(k, _)| k.is_name())
        .map(|(_, e)| e)
        .collect();
    ctx.insert("kinds", &kinds);
    ctx.insert("names", &names);
    v.page("glossary.html", url, ctx)
}
