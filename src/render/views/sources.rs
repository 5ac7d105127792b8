//! `/sources/` and `/sources/page/<n>/`: the seeds with their provenance summaries, in id
//! order, [`SOURCES_PER_PAGE`] a page.

use super::paging::{self, SOURCES_PER_PAGE};
use crate::diagnostics::Diagnostic;
use crate::render::context::View;
use crate::render::Urls;

pub(super) fn render(v: &View<'_>, url: &str, n: usize) -> Result<String, Diagnostic> {
    let seeds: Vec<_> = v.r.seeds().collect();
    let total = paging::pages(seeds.len(), SOURCES_PER_PAGE);
    let shown = paging::range(n, seeds.len(), SOURCES_PER_PAGE);
    let sources: Vec<_> = seeds[shown.clone()]
        .iter()
        .map(|&s| v.source_summary(s))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("sources", &sources);
    ctx.insert("total", &seeds.len());
    ctx.insert("citations", &super::source::downloads(v, None));
    ctx.insert("first", &(shown.start + 1));
    ctx.insert("last", &shown.end);
    ctx.insert(
        "pager",
        &paging::pager(v, &Urls::sources(), n, total, |k| k.to_string()),
    );
    ctx.insert("pager_label", "Pages of the list of sources");
    v.page("sources.html", url, ctx)
}
