//! `/`: the home page's own text, the most recently published sources, and the latest
//! commentary, each with a link to the full list when it shows only some.

use super::page::page_ctx;
use super::paging::HOME_SOURCES;
use crate::diagnostics::Diagnostic;
use crate::render::context::{newest_first, summary, View};
use crate::render::Urls;
use std::collections::BTreeMap;

/// Commentary pages the home page lists, at most.
const LATEST_PAGES: usize = 20;

pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    if let Some(home) = v.r.page_at("") {
        ctx.insert("page", &page_ctx(v, home));
    }
    // Newest first, undated last, then by id (the seeds' order).
    let mut seeds: Vec<_> =
        v.r.seeds()
            .map(|s| (v.r.seed(s).0.sidecar.published.clone(), s))
            .collect();
    seeds.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let sources: Vec<_> = seeds
        .iter()
        .take(HOME_SOURCES)
        .map(|&(_, s)| v.source_summary(s))
        .collect();
    ctx.insert("sources", &sources);
    ctx.insert("sources_total", &seeds.len());
    ctx.insert("sources_url", &v.urls.href(&Urls::sources()));
    let (latest, pages_total) = latest_pages(v);
    ctx.insert("latest", &latest);
    ctx.insert("pages_total", &pages_total);
    v.page("index.html", url, ctx)
}

/// Commentary pages, newest first (undated last), then by weight and title.
fn latest_pages(v: &View<'_>) -> (Vec<BTreeMap<&'static str, String>>, usize) {
    let mut pages: Vec<_> =
        v.r.pages()
            .map(|p| v.r.page(p))
            .filter(|p| p.page.has_own_url() && p.entry.is_none())
            .map(|p| p.page)
            .collect();
    pages.sort_by(|a, b| newest_first(a, b));
    let total = pages.len();
    let latest = pages
        .into_iter()
        .take(LATEST_PAGES)
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
        .collect();
    (latest, total)
}
