//! `/atom.xml`: the newest dated commentary as an Atom feed (RFC 4287), each entry's full
//! body with every URL absolute. Written only when the base URL has an origin, since a feed
//! is read away from the site and Atom's ids and links are absolute.

use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::model::PageId;
use crate::render::context::{summary, View};
use crate::render::{sanitize, Urls};
use serde::Serialize;

/// How many entries the feed holds at most: the newest, so it does not grow with the dossier.
pub(crate) const FEED_ENTRIES: usize = 20;

/// The feed's file, under the base path.
pub(crate) const FILE: &str = "atom.xml";

#[derive(Serialize)]
struct FeedCtx<'a> {
    /// The feed's own absolute URL, which is also its id.
    id: String,
    /// The home page's absolute URL.
    home: String,
    title: &'a str,
    subtitle: &'a str,
    language: &'a str,
    /// The feed's authors: `dossier.yaml`'s `authors`, else the site's title.
    authors: Vec<String>,
    /// RFC 3339: the newest entry's date; without one, the build time, else the Unix epoch.
    updated: String,
    entries: Vec<EntryCtx<'a>>,
}

#[derive(Serialize)]
struct EntryCtx<'a> {
    /// The page's absolute URL: its id and its link.
    id: String,
    title: &'a str,
    /// The page's `date` in RFC 3339 (its start, in UTC, for a partial date).
    updated: String,
    authors: &'a [String],
    tags: &'a [String],
    summary: String,
    /// The page's body as HTML, every URL absolute (escaped into `<content type="html">`).
    content: String,
}

/// The feed's pages: commentary with a `date` (not glossary entries), newest first, ties by
/// path, at most [`FEED_ENTRIES`]. Only these pages are read whole, so an edit to another page
/// leaves the feed as it is.
fn entries(v: &View<'_>) -> Vec<(PageId, Date)> {
    let r = &v.r;
    let mut dated: Vec<(PageId, Date)> = r.dated_pages().map(|(p, d)| (p, d.clone())).collect();
    dated.sort_by(|(a, da), (b, db)| db.cmp(da).then(r.page_path(*a).cmp(r.page_path(*b))));
    dated.truncate(FEED_ENTRIES);
    dated
}

/// Renders `/atom.xml`.
pub(super) fn render(v: &View<'_>) -> Result<String, Diagnostic> {
    let r = &v.r;
    let (config, _) = r.site();
    let entries: Vec<EntryCtx<'_>> = entries(v)
        .into_iter()
        .map(|(p, date)| {
            let page = r.page(p).page;
            let id = v.urls.absolute(&Urls::page(&page.path));
            let html = super::page::content(v, p, false);
            let content = match url::Url::parse(&id) {
                Ok(base) => sanitize::absolute(&html, &base),
                Err(_) => html,
            };
            EntryCtx {
                id,
                title: &page.front.title,
                updated: date.rfc3339(),
                authors: &page.front.authors,
                tags: &page.front.tags,
                summary: crate::text::collapse_whitespace(&summary(page)),
                content,
            }
        })
        .collect();
    let updated = entries.first().map_or_else(
        || {
            r.build_time()
                .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), Date::rfc3339)
        },
        |e| e.updated.clone(),
    );
    let authors = if config.authors.is_empty() {
        vec![config.title.clone()]
    } else {
        config.authors.clone()
    };
    let feed = FeedCtx {
        id: v.urls.absolute(FILE),
        home: v.urls.absolute(""),
        title: &config.title,
        subtitle: &config.description,
        language: &config.language,
        authors,
        updated,
        entries,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("feed", &feed);
    v.template("atom.xml", &ctx)
        .map_err(|e| crate::render::templates::failed(v.theme, "atom.xml", FILE, e))
}
