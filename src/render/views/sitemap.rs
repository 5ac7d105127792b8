//! `/sitemap.xml`: every page's absolute URL, sorted, through the theme's `sitemap.xml`. A
//! sitemap holds at most 50,000 URLs and 50 MB (sitemaps.org): a site with more has a sitemap
//! index at `/sitemap.xml` over `/sitemap-1.xml`, `/sitemap-2.xml`…, each made by the template.

use super::super::{Job, Urls};
use super::{concordance_pages, glossary_pages, quotes, sources_pages, tag_jobs, url, View};
use crate::diagnostics::Diagnostic;
use std::ops::Range;

/// The most URLs one sitemap may hold.
pub(crate) const MAX_URLS: usize = 50_000;
/// The most bytes one sitemap may hold (50 MB), less room for its opening and closing lines.
pub(crate) const MAX_BYTES: usize = 50_000_000 - 1_000;
/// What the built-in template writes around each URL (`  <url><loc>`, `</loc></url>` and a
/// line break), for the byte budget.
const PER_URL: usize = 28;

/// The index's file (`sitemap.xml`, also the only sitemap of a small site), or the n-th part.
pub(crate) fn file(n: usize) -> String {
    match n {
        0 => "sitemap.xml".into(),
        n => format!("sitemap-{n}.xml"),
    }
}

/// `/sitemap.xml`, and `/sitemap-1.xml`… when the site has too many URLs for one.
pub(crate) fn jobs(v: &View<'_>) -> Vec<Job> {
    let parts = split(&urls(v), MAX_URLS, MAX_BYTES);
    let parts = if parts.len() > 1 { parts.len() } else { 0 };
    (0..=parts).map(Job::Sitemap).collect()
}

/// The ranges of `urls` that each part holds: at most `max_urls` URLs and `max_bytes` bytes
/// (escaped, with what the template writes around each) in each, in order; one range (maybe
/// empty) when they all fit in one sitemap.
pub(crate) fn split(urls: &[String], max_urls: usize, max_bytes: usize) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, url) in urls.iter().enumerate() {
        let size = escape(url).len() + PER_URL;
        if i > start && (i - start == max_urls || bytes + size > max_bytes) {
            parts.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    parts.push(start..urls.len());
    parts
}

/// Renders `/sitemap.xml` (n = 0) or its n-th part.
pub(crate) fn render(v: &View<'_>, n: usize) -> Result<String, Diagnostic> {
    let urls = urls(v);
    v.r.site();
    let parts = split(&urls, MAX_URLS, MAX_BYTES);
    let file = file(n);
    if n == 0 && parts.len() > 1 {
        return Ok(index(v, parts.len()));
    }
    let part = match n {
        0 => 0..urls.len(),
        n => parts.get(n - 1).cloned().unwrap_or(0..0),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls[part]);
    v.template("sitemap.xml", &ctx)
        .map_err(|e| super::super::templates::failed(v.theme, "sitemap.xml", &file, e))
}

/// The sitemap index over `parts` parts.
fn index(v: &View<'_>, parts: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let loc = v.urls.absolute(&file(n));
        xml.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&loc)
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// `text` escaped for XML character data.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.into();
    }
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .into()
}

/// Every page's absolute URL, sorted.
fn urls(v: &View<'_>) -> Vec<String> {
    let r = &v.r;
    let mut paths = vec![String::new(), Urls::quotes()];
    paths.extend((1..=sources_pages(r.seeds().len())).map(|n| Urls::paged(&Urls::sources(), n)));
    if r.entries().len() > 0 {
        paths.extend(
            (1..=glossary_pages(r.entries().len())).map(|n| Urls::paged(&Urls::glossary(), n)),
        );
    }
    for e in r.entries() {
        let first = Urls::page(r.entry_path(e));
        let extra = concordance_pages(r.occurrences(e));
        paths.extend((2..=1 + extra).map(|n| Urls::paged(&first, n)));
    }
    paths.extend(quotes::jobs(v).into_iter().map(|job| url(v, job)));
    paths.extend(tag_jobs(v).into_iter().map(|job| url(v, job)));
    paths.extend(r.seeds().map(|s| Urls::source(r.seed_id(s))));
    paths.extend(
        r.pages()
            .map(|p| r.page_path(p))
            .filter(|p| !matches!(*p, "" | "glossary"))
            .map(Urls::page),
    );
    paths.sort();
    paths.iter().map(|p| v.urls.absolute(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::split;

    fn urls(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("https://e.org/{i:05}/")).collect()
    }

    #[test]
    fn one_sitemap_up_to_the_limit_then_parts_of_at_most_the_limit() {
        assert_eq!(split(&urls(0), 3, usize::MAX), vec![0..0]);
        assert_eq!(split(&urls(3), 3, usize::MAX), vec![0..3]);
        assert_eq!(split(&urls(4), 3, usize::MAX), [0..3, 3..4]);
        assert_eq!(split(&urls(7), 3, usize::MAX), [0..3, 3..6, 6..7]);
        let at_scale = split(&urls(50_001), super::MAX_URLS, super::MAX_BYTES);
        assert_eq!(at_scale, [0..50_000, 50_000..50_001]);
    }

    #[test]
    fn parts_also_stay_under_the_byte_limit() {
        // Each URL is 20 bytes, 48 with what the template writes around it.
        assert_eq!(split(&urls(4), 100, 96), [0..2, 2..4]);
        assert_eq!(split(&urls(4), 100, 95), [0..1, 1..2, 2..3, 3..4]);
        // One URL larger than the budget still goes somewhere.
        assert_eq!(split(&urls(2), 100, 10), [0..1, 1..2]);
    }
}
