//! What every view works with ([`View`]: the recording reader, URLs, templates) and the
//! context pieces several views share: links, the site settings, source summaries, term links.

use super::reads::{Reader, Record};
use super::urls::Urls;
use crate::model::{Dossier, EntryId, PageId, SeedId};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

/// One view's means: everything it reads of the model goes through `r`.
pub(crate) struct View<'a> {
    pub r: Reader<'a>,
    pub urls: &'a Urls,
    pub tera: &'a tera::Tera,
    pub theme: &'a crate::load::theme::Theme,
    pub site: &'a SiteCtx<'a>,
    pub html: &'a HtmlCache,
    /// The orders of the lists of many pages, made once per build and shared by their pages.
    pub orders: &'a super::views::Orders<'a>,
    pub used: RefCell<BTreeSet<&'static str>>,
    /// What the page's head says about it (set before the view runs; see [`MetaCtx`]).
    pub meta: RefCell<MetaCtx>,
}

impl View<'_> {
    /// Renders `template` with `ctx` plus the site settings and the page's URL, recording the
    /// template as used.
    pub fn page(
        &self,
        template: &'static str,
        url: &str,
        mut ctx: tera::Context,
    ) -> Result<String, crate::diagnostics::Diagnostic> {
        self.r.site();
        ctx.insert("site", self.site);
        ctx.insert("current_url", &self.urls.href(url));
        let mut meta = self.meta.take();
        if meta.title.is_empty() {
            meta.title = self.site.title.to_string();
        }
        if meta.kind.is_empty() {
            meta.kind = "website";
        }
        if meta.description.is_empty() {
            meta.description = self.site.description.to_string();
        }
        if url != "404.html" {
            meta.canonical = self.urls.absolute(url);
            meta.absolute = meta.canonical.contains("://");
        }
        ctx.insert("meta", &meta);
        self.template(template, &ctx)
            .map_err(|e| super::templates::failed(self.theme, template, url, e))
    }

    /// Renders a template (a page or a partial), recording it as used.
    pub fn template(
        &self,
        template: &'static str,
        ctx: &tera::Context,
    ) -> tera::TeraResult<String> {
        self.used.borrow_mut().insert(template);
        self.tera.render(template, ctx)
    }

    /// What was read and which templates were used.
    pub fn finish(self) -> (Record, BTreeSet<&'static str>) {
        (self.r.into_record(), self.used.into_inner())
    }

    /// A link to page `p` with its title.
    pub fn page_link(&self, p: PageId) -> LinkCtx {
        let page = self.r.page(p).page;
        LinkCtx {
            title: page.front.title.clone(),
            url: self.urls.href(&Urls::page(&page.path)),
        }
    }

    /// The HTML of a glossary link on `text` (the theme's `term.html` partial).
    pub fn term_html(&self, entry: EntryId, text: &str, tip_id: &str) -> String {
        let e = self.r.entry(entry);
        let mut ctx = tera::Context::new();
        ctx.insert("text", text);
        ctx.insert("href", &self.urls.href(&Urls::page(e.path)));
        ctx.insert("tip", e.tip);
        ctx.insert("tip_id", tip_id);
        // A partial ends without the newline an editor adds to its file.
        self.template("term.html", &ctx)
            .map(|html| html.trim_end_matches('\n').to_string())
            .unwrap_or_else(|_| text.to_string())
    }

    /// The summary line of seed `s` for lists of sources.
    pub fn source_summary(&self, s: SeedId) -> SourceSummary {
        let (seed, _, _) = self.r.seed(s);
        let p = &seed.sidecar;
        SourceSummary {
            id: seed.id.clone(),
            title: seed.title().to_string(),
            url: self.urls.href(&Urls::source(&seed.id)),
            kind: p.kind.clone(),
            publisher: p.publisher.clone(),
            published: p.published.as_ref().map(ToString::to_string),
            published_inferred: p.inferred.contains_key("published"),
            words: seed.words,
            paragraphs: seed.paragraphs.len(),
            citations: self.r.seed_citations(s).len(),
        }
    }
}

/// Commentary bodies' HTML, by the hash of everything it is made of: a template edit re-renders
/// pages without converting their Markdown again.
#[derive(Default)]
pub(crate) struct HtmlCache {
    html: Mutex<HashMap<u64, String>>,
    used: Mutex<HashSet<u64>>,
    /// Whether HTML is kept for the next build (not in a one-off build).
    pub keep: bool,
}

impl HtmlCache {
    /// The HTML for `key`, made by `make` when it is not cached.
    pub fn get(&self, key: u64, make: impl FnOnce() -> String) -> String {
        if !self.keep {
            return make();
        }
        lock(&self.used).insert(key);
        if let Some(html) = lock(&self.html).get(&key).cloned() {
            return html;
        }
        let html = make();
        lock(&self.html).insert(key, html.clone());
        html
    }

    /// Drops what the last build did not use, so the cache never grows without bound.
    pub fn prune(&mut self) {
        let used = std::mem::take(lock(&self.used).deref_mut());
        lock(&self.html).retain(|k, _| used.contains(k));
    }
}

use std::ops::DerefMut;

/// A lock whose holder panicked still guards consistent data here (whole entries are inserted
/// at once), so it is taken over rather than given up.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a page's head tells search engines and link previews (canonical link, OpenGraph and
/// Twitter card): its own title, a description (the page's summary, else the site's), its
/// absolute URL and its kind.
#[derive(Serialize, Default)]
pub(crate) struct MetaCtx {
    /// The page's own title, without the site's (`og:title`); the site's title when empty.
    pub title: String,
    /// One or two sentences; the site's description when empty.
    pub description: String,
    /// `og:type`: `website` for the home page and the indexes, `article` for the others.
    pub kind: &'static str,
    /// The page's URL under the base URL (empty for the 404 page, which has no URL of its own).
    pub canonical: String,
    /// Whether `canonical` is absolute (the base URL has an origin), as `og:url` must be.
    pub absolute: bool,
    /// The page's schema.org description as JSON-LD, escaped for a script element (no `<`,
    /// `>` or `&`); empty for the 404 page.
    pub jsonld: String,
}

impl MetaCtx {
    /// A page's head with `title` and `description`; `article` says which `og:type` it is.
    pub fn new(title: &str, description: &str, article: bool) -> MetaCtx {
        MetaCtx {
            title: title.to_string(),
            description: crate::text::collapse_whitespace(description),
            kind: if article { "article" } else { "website" },
            ..MetaCtx::default()
        }
    }
}

/// The site-wide part of every page's context: settings and navigation.
#[derive(Serialize)]
pub(crate) struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    authors: &'a [String],
    base: &'a str,
    style: String,
    /// The theme's icon (`favicon.svg`) and glossary script (`terms.js`).
    icon: String,
    script: String,
    /// The search page, where the header's search box sends its query (`?q=`); empty when the
    /// dossier has no search (`search: false`).
    search: String,
    nav: Vec<LinkCtx>,
    /// The Atom feed's URL, for the head's `alternate` link; empty when there is none (a base
    /// URL without an origin).
    feed: String,
}

impl<'a> SiteCtx<'a> {
    pub fn new(d: &'a Dossier, urls: &Urls) -> SiteCtx<'a> {
        let mut nav = vec![
            LinkCtx {
                title: "Sources".into(),
                url: urls.href(&Urls::sources()),
            },
            LinkCtx {
                title: "Quotes".into(),
                url: urls.href(&Urls::quotes()),
            },
        ];
        if !d.entries.is_empty() {
            nav.push(LinkCtx {
                title: "Glossary".into(),
                url: urls.href(&Urls::glossary()),
            });
        }
        if d.pages
            .values()
            .any(|p| p.has_own_url() && !p.front.tags.is_empty())
        {
            nav.push(LinkCtx {
                title: "Tags".into(),
                url: urls.href(&Urls::tags()),
            });
        }
        let mut top: Vec<_> = d
            .pages
            .values()
            .filter(|p| p.has_own_url() && !p.path.contains('/'))
            .collect();
        top.sort_by(|a, b| (a.front.weight, &a.front.title).cmp(&(b.front.weight, &b.front.title)));
        nav.extend(top.into_iter().map(|p| LinkCtx {
            title: p.front.title.clone(),
            url: urls.href(&Urls::page(&p.path)),
        }));
        SiteCtx {
            title: &d.config.title,
            description: &d.config.description,
            language: &d.config.language,
            authors: &d.config.authors,
            base: &d.base.path,
            style: urls.href("style.css"),
            icon: urls.href("favicon.svg"),
            script: urls.href("terms.js"),
            search: if d.config.search {
                urls.href(&Urls::search())
            } else {
                String::new()
            },
            nav,
            feed: if super::views::has_feed(&d.base) {
                urls.href(super::views::FEED_FILE)
            } else {
                String::new()
            },
        }
    }
}

#[derive(Serialize, Clone)]
pub(crate) struct LinkCtx {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct SourceSummary {
    pub id: String,
    pub title: String,
    pub url: String,
    pub kind: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub published_inferred: bool,
    pub words: usize,
    pub paragraphs: usize,
    pub citations: usize,
}

/// The order of commentary lists: newest first (undated last), then by weight, title and path.
pub(crate) fn newest_first(a: &crate::load::Page, b: &crate::load::Page) -> std::cmp::Ordering {
    b.front
        .date
        .cmp(&a.front.date)
        .then(a.front.weight.cmp(&b.front.weight))
        .then(a.front.title.cmp(&b.front.title))
        .then(a.path.cmp(&b.path))
}

/// The page's summary, or its first words.
pub(crate) fn summary(page: &crate::load::Page) -> String {
    match &page.front.summary {
        Some(s) => s.clone(),
        None => crate::text::excerpt(&page.scan.plain, 200),
    }
}
