//! One view per page kind. Each module holds its context structs beside the code that fills
//! them, and has the same shape: `render(&View, …) -> Result<String, Diagnostic>`, reading the
//! model only through `View::r`.

mod entry;
mod glossary;
mod home;
mod page;
mod quotes;
mod source;
mod sources;

use super::context::View;
use super::reads::Record;
use super::{Job, Urls};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;

/// The quote index's group pages (a throwaway view: the jobs' own views read what they show).
pub(crate) fn quote_jobs(v: &View<'_>) -> Vec<Job> {
    quotes::jobs(v)
}

/// The output file `job` writes.
pub(crate) fn output_file(v: &View<'_>, job: Job) -> String {
    match job {
        Job::Sitemap => "sitemap.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::DossierJson => "dossier.json".into(),
        Job::NotFound => "404.html".into(),
        _ => Urls::output_file(&url(v, job)),
    }
}

/// The site path of `job`'s page.
fn url(v: &View<'_>, job: Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Sources => Urls::sources(),
        Job::NotFound => "404.html".into(),
        Job::Quotes => Urls::quotes(),
        Job::QuoteGroup(q, n) => quotes::url(v, q, n),
        Job::Glossary => Urls::glossary(),
        Job::Source(i) => Urls::source(v.r.seed_id(i)),
        Job::Page(i) => Urls::page(v.r.page_path(i)),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::DossierJson => "dossier.json".into(),
    }
}

/// Renders `job`: its bytes, what it read, and the templates it used.
pub(crate) fn render(
    v: View<'_>,
    job: Job,
) -> Result<(String, Record, BTreeSet<&'static str>), Diagnostic> {
    let url = url(&v, job);
    let output = match job {
        Job::Home => home::render(&v, &url),
        Job::Sources => sources::render(&v, &url),
        Job::NotFound => v.page("404.html", &url, tera::Context::new()),
        Job::Quotes => quotes::render(&v, &url),
        Job::QuoteGroup(q, n) => quotes::render_group(&v, &url, q, n),
        Job::Glossary => glossary::render(&v, &url),
        Job::Source(s) => source::render(&v, &url, s),
        Job::Page(p) => match v.r.page(p).entry {
            Some(e) => entry::render(&v, &url, p, e),
            None => page::render(&v, &url, p),
        },
        Job::Sitemap => sitemap(&v),
        Job::Robots => {
            let mut ctx = tera::Context::new();
            ctx.insert("sitemap_url", &v.urls.absolute("sitemap.xml"));
            v.r.site();
            v.template("robots.txt", &ctx)
                .map_err(|e| super::templates::failed(v.theme, "robots.txt", &url, e))
        }
        Job::DossierJson => Ok(super::data::dossier_json(&v.r, v.urls)),
    }?;
    let (record, used) = v.finish();
    Ok((output, record, used))
}

/// `/sitemap.xml`: every page's absolute URL, sorted.
fn sitemap(v: &View<'_>) -> Result<String, Diagnostic> {
    let r = &v.r;
    let mut paths = vec![String::new(), Urls::sources(), Urls::quotes()];
    if r.entries().len() > 0 {
        paths.push(Urls::glossary());
    }
    paths.extend(quotes::jobs(v).into_iter().map(|job| url(v, job)));
    paths.extend(r.seeds().map(|s| Urls::source(r.seed_id(s))));
    paths.extend(
        r.pages()
            .map(|p| r.page_path(p))
            .filter(|p| !matches!(*p, "" | "glossary"))
            .map(Urls::page),
    );
    paths.sort();
    let urls: Vec<String> = paths.iter().map(|p| v.urls.absolute(p)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    r.site();
    v.template("sitemap.xml", &ctx)
        .map_err(|e| super::templates::failed(v.theme, "sitemap.xml", "sitemap.xml", e))
}
