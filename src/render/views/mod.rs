//! One view per page kind. Each module holds its context structs beside the code that fills
//! them, and has the same shape: `render(&View, …) -> Result<String, Diagnostic>`, reading the
//! model only through `View::r`.

mod entry;
mod feed;
mod glossary;
mod home;
mod jsonld;
mod page;
mod paging;
mod quotes;
mod search;
mod sitemap;
mod source;
mod sources;
mod tags;

use super::context::{summary, MetaCtx, View};
use super::reads::Record;
use super::{Job, Urls};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;
use std::sync::OnceLock;

pub(crate) use entry::concordance_pages;

/// The orders of the lists that have many pages (a quote group, the glossary's index), made
/// once per build and shared by their pages rather than made again by each: each page still
/// records the one question its list is made from (see [`super::reads::Reader::all_quotations_once`]).
#[derive(Default)]
pub(crate) struct Orders<'a> {
    quotes: OnceLock<quotes::Groups<'a>>,
    glossary: OnceLock<glossary::Order<'a>>,
}

/// How many pages the list of `seeds` sources has.
pub(crate) fn sources_pages(seeds: usize) -> usize {
    paging::pages(seeds, paging::SOURCES_PER_PAGE)
}

/// How many pages the glossary's index of `entries` entries has.
pub(crate) fn glossary_pages(entries: usize) -> usize {
    paging::pages(entries, paging::ENTRIES_PER_PAGE)
}

/// `/sitemap.xml`, and its parts when the site has more URLs than one sitemap may hold (a
/// throwaway view, like [`quote_jobs`]).
pub(crate) fn sitemap_jobs(v: &View<'_>) -> Vec<Job> {
    sitemap::jobs(v)
}

/// The quote index's group pages (a throwaway view: the jobs' own views read what they show).
pub(crate) fn quote_jobs(v: &View<'_>) -> Vec<Job> {
    quotes::jobs(v)
}

/// `/tags/` and every tag's pages, when some page has tags (a throwaway view, like
/// [`quote_jobs`]).
pub(crate) fn tag_jobs(v: &View<'_>) -> Vec<Job> {
    let tags = tags::read(v);
    if tags.is_empty() {
        return Vec::new();
    }
    let mut jobs = vec![Job::Tags];
    for (i, t) in tags.iter().enumerate() {
        jobs.extend((1..=tags::tag_pages(t.pages.len())).map(|n| Job::Tag(i, n)));
    }
    jobs
}

pub(crate) use tags::collect as collect_tags;

/// Whether the site has an Atom feed: only when the base URL has an origin, since a feed's
/// ids and links must be absolute.
pub(crate) fn has_feed(base: &crate::config::BaseUrl) -> bool {
    !base.origin.is_empty()
}

/// The feed's path under the base path (`atom.xml`).
pub(crate) const FEED_FILE: &str = feed::FILE;

/// The output file `job` writes.
pub(crate) fn output_file(v: &View<'_>, job: Job) -> String {
    match job {
        Job::Sitemap(n) => sitemap::file(n),
        Job::Robots => "robots.txt".into(),
        Job::DossierJson => "dossier.json".into(),
        Job::NotFound => "404.html".into(),
        Job::Feed => feed::FILE.into(),
        Job::SourceCite(..) | Job::SourcesCite(_) => url(v, job),
        _ => Urls::output_file(&url(v, job)),
    }
}

/// The site path of `job`'s page.
fn url(v: &View<'_>, job: Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Sources(n) => Urls::paged(&Urls::sources(), n),
        Job::NotFound => "404.html".into(),
        Job::Quotes => Urls::quotes(),
        Job::Glossary(n) => Urls::paged(&Urls::glossary(), n),
        Job::Concordance(e, n) => Urls::paged(&Urls::page(v.r.entry_path(e)), n),
        Job::QuoteGroup(q, n) => quotes::url(v, q, n),
        Job::Source(i) => Urls::source(v.r.seed_id(i)),
        Job::Page(i) => Urls::page(v.r.page_path(i)),
        Job::Tags => Urls::tags(),
        Job::Tag(i, n) => tags::url(v, i, n),
        Job::Search => Urls::search(),
        Job::Sitemap(n) => sitemap::file(n),
        Job::Robots => "robots.txt".into(),
        Job::DossierJson => "dossier.json".into(),
        Job::Feed => feed::FILE.into(),
        Job::SourceCite(s, f) => Urls::source_cite(v.r.seed_id(s), f.extension()),
        Job::SourcesCite(f) => Urls::sources_cite(f.extension()),
    }
}

/// Renders `job`: its bytes, what it read, and the templates it used.
pub(crate) fn render(
    v: View<'_>,
    job: Job,
) -> Result<(String, Record, BTreeSet<&'static str>), Diagnostic> {
    let url = url(&v, job);
    let mut head = meta(&v, job);
    head.jsonld = jsonld::for_job(&v, job, &head.title);
    *v.meta.borrow_mut() = head;
    let output = match job {
        Job::Home => home::render(&v, &url),
        Job::Sources(n) => sources::render(&v, &url, n),
        Job::NotFound => v.page("404.html", &url, tera::Context::new()),
        Job::Quotes => quotes::render(&v, &url),
        Job::Glossary(n) => glossary::render(&v, &url, n),
        Job::Concordance(e, n) => entry::render_page(&v, &url, e, n),
        Job::QuoteGroup(q, n) => quotes::render_group(&v, &url, q, n),
        Job::Source(s) => source::render(&v, &url, s),
        Job::Page(p) => match v.r.page(p).entry {
            Some(e) => entry::render(&v, &url, p, e),
            None => page::render(&v, &url, p),
        },
        Job::Tags => tags::render_index(&v, &url),
        Job::Tag(i, n) => tags::render_tag(&v, &url, i, n),
        Job::Search => search::render(&v, &url),
        Job::Sitemap(n) => sitemap::render(&v, n),
        Job::Robots => {
            let mut ctx = tera::Context::new();
            ctx.insert("sitemap_url", &v.urls.absolute("sitemap.xml"));
            v.r.site();
            v.template("robots.txt", &ctx)
                .map_err(|e| super::templates::failed(v.theme, "robots.txt", &url, e))
        }
        Job::DossierJson => Ok(super::data::dossier_json(&v.r, v.urls)),
        Job::Feed => feed::render(&v),
        Job::SourceCite(s, f) => Ok(super::cite::file(&v.r, v.urls, Some(s), f)),
        Job::SourcesCite(f) => Ok(super::cite::file(&v.r, v.urls, None, f)),
    }?;
    let (record, used) = v.finish();
    Ok((output, record, used))
}

/// What the head of `job`'s page says about it: its own title and a description (the page's
/// summary, a source's first words; the site's description for the lists).
fn meta(v: &View<'_>, job: Job) -> MetaCtx {
    let r = &v.r;
    let page_summary = |path: &str| r.page_at(path).map(|p| summary(r.page(p).page));
    match job {
        Job::Home => MetaCtx::new("", &page_summary("").unwrap_or_default(), false),
        Job::Sources(_) => MetaCtx::new("Sources", "", false),
        Job::Quotes => MetaCtx::new("Quotes", "", false),
        Job::QuoteGroup(q, n) => MetaCtx::new(&quotes::title(v, q, n), "", false),
        Job::Glossary(_) => MetaCtx::new(
            "Glossary",
            &page_summary("glossary").unwrap_or_default(),
            false,
        ),
        Job::NotFound => MetaCtx::new("Not found", "", false),
        Job::Source(s) => {
            let (seed, _, _) = r.seed(s);
            MetaCtx::new(seed.title(), &crate::text::excerpt(&seed.text, 200), true)
        }
        Job::Page(p) => {
            let read = r.page(p);
            let title = match read.entry {
                Some(e) => r.entry(e).term,
                None => &read.page.front.title,
            };
            MetaCtx::new(title, &summary(read.page), true)
        }
        Job::Concordance(e, _) => {
            let entry = r.entry(e);
            let title = format!("{} (all occurrences)", entry.term);
            MetaCtx::new(&title, entry.tip, true)
        }
        Job::Tags => MetaCtx::new("Tags", "", false),
        Job::Tag(i, n) => MetaCtx::new(&tags::title(v, i, n), "", false),
        Job::Search => MetaCtx::new("Search", "", false),
        Job::Sitemap(_)
        | Job::Robots
        | Job::DossierJson
        | Job::Feed
        | Job::SourceCite(..)
        | Job::SourcesCite(_) => MetaCtx::default(),
    }
}
