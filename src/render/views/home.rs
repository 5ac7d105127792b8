//! `/`: the home page's own text, the sources, and the latest commentary.

use super::page::page_ctx;
use crate::diagnostics::Diagnostic;
use crate::render::context::{summary, View};
use crate::render::Urls;
use std::collections::BTreeMap;

pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    if let Some(home) = v.r.page_at("") {
        ctx.insert("page", &page_ctx(v, home));
    }
    let sources: Vec<_> = v.r.seeds().map(|s| v.source_summary(s)).collect();
    ctx.insert("sources", &sources);
    ctx.insert("latest", &latest_pages(v));
    v.page("index.html", url, ctx)
}

/// Commentary pages, newest first (undated last), then by weight and title.
fn latest_pages(v: &View<'_>) -> Vec<BTreeMap<&'static str, String>> {
    let mut pages: Vec<_> =
        v.r.pages()
            .map(|p| v.r.page(p))
            .filter(|p| p.page.has_own_url() && p.entry.is_none())
            .map(|p| p.page)
            .collect();
    pages.sort_by(|a, b| {
        b.front
            .date
            .cmp(&a.front.date)
            .then(a.front.weight.cmp(&b.front.weight))
            .then(a.front.title.cmp(&b.front.title))
    });
    pages
        .into_iter()
        .take(20)
        .map(|p| {
            BTreeMap::from([
                ("title", p.front.title.clone()),
                ("url", v.urls.href(&Urls::page(&p.path))),
                (
                    "date",
                    p.front.date.iter().map(ToString::to_string).collect(),
                ),
                ("summary", summary(p)),
            ])
        })
        .collect()
}
