//! `/sources/`: every seed with its provenance summary.

use crate::diagnostics::Diagnostic;
use crate::render::context::View;

pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let sources: Vec<_> = v.r.seeds().map(|s| v.source_summary(s)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("sources", &sources);
    v.page("sources.html", url, ctx)
}
