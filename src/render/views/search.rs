//! `/search/`: the search form and where its results appear. The page is the same for every
//! dossier; the theme's `search.js` runs the query against the index files in `search/`.

use super::super::context::View;
use super::super::Urls;
use crate::diagnostics::Diagnostic;

/// Renders `search.html`.
pub(crate) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("index_url", &v.urls.href(&Urls::search()));
    ctx.insert("script", &v.urls.href("search.js"));
    ctx.insert("stemmer", &v.urls.href("stem.js"));
    v.page("search.html", url, ctx)
}
