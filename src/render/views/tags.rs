//! `/tags/` and `/tags/<tag>/`: the tags of the commentary pages' front matter, with the pages
//! that carry each, newest first, [`TAG_PAGES_PER_PAGE`] a page.
//!
//! A tag is known by its URL slug ([`crate::text::slug`]): `Method` and `method` are one tag,
//! shown with the spelling most pages use (on a tie, the one that sorts first).

use super::paging::{self, TAG_PAGES_PER_PAGE};
use crate::diagnostics::Diagnostic;
use crate::load::pages::Page;
use crate::render::context::{newest_first, summary, View};
use crate::render::Urls;
use serde::Serialize;
use std::collections::BTreeMap;

/// One tag and the pages that carry it, newest first (undated last), then by weight and title.
pub(crate) struct Tag<'a> {
    pub slug: String,
    pub name: String,
    pub pages: Vec<&'a Page>,
}

/// Every tag of `pages` (those with a URL of their own), sorted by case-folded name, then slug.
pub(crate) fn collect<'a>(pages: impl Iterator<Item = &'a Page>) -> Vec<Tag<'a>> {
    let mut by_slug: BTreeMap<String, (BTreeMap<&'a str, usize>, Vec<&'a Page>)> = BTreeMap::new();
    for page in pages.filter(|p| p.has_own_url()) {
        let mut seen = Vec::new();
        for t in &page.front.tags {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            let slug = crate::text::slug(t);
            let (names, pages) = by_slug.entry(slug.clone()).or_default();
            *names.entry(t).or_default() += 1;
            if !seen.contains(&slug) {
                pages.push(page);
                seen.push(slug);
            }
        }
    }
    let mut tags: Vec<Tag<'a>> = by_slug
        .into_iter()
        .map(|(slug, (names, mut pages))| {
            let name = names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            pages.sort_by(|a, b| newest_first(a, b));
            Tag { slug, name, pages }
        })
        .collect();
    // Case- and diacritic-folded, so that `Ökonomie` sorts with the o's.
    tags.sort_by_cached_key(|t| (deunicode::deunicode(&t.name).to_lowercase(), t.slug.clone()));
    tags
}

/// The tags as a view reads them: the tagged pages' tags, through the reader.
pub(crate) fn read<'a>(v: &View<'a>) -> Vec<Tag<'a>> {
    collect(v.r.tagged_pages())
}

/// How many pages the list of a tag carried by `pages` pages has.
pub(crate) fn tag_pages(pages: usize) -> usize {
    paging::pages(pages, TAG_PAGES_PER_PAGE)
}

#[derive(Serialize)]
struct TagCtx {
    name: String,
    slug: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct PageItem {
    title: String,
    url: String,
    date: Option<String>,
    summary: String,
}

/// `/tags/`.
pub(super) fn render_index(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let tags: Vec<TagCtx> = read(v)
        .iter()
        .map(|t| TagCtx {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: v.urls.href(&Urls::tag(&t.slug)),
            count: t.pages.len(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("tags", &tags);
    v.page("tags.html", url, ctx)
}

/// Page `n` of `/tags/<tag>/`, the tag at position `i` of [`read`]'s list.
pub(super) fn render_tag(
    v: &View<'_>,
    url: &str,
    i: usize,
    n: usize,
) -> Result<String, Diagnostic> {
    let tags = read(v);
    let Some(tag) = tags.get(i) else {
        return v.page("tag.html", url, tera::Context::new());
    };
    let total = tag_pages(tag.pages.len());
    let shown = paging::range(n, tag.pages.len(), TAG_PAGES_PER_PAGE);
    let pages: Vec<PageItem> = tag.pages[shown.clone()]
        .iter()
        .map(|p| {
            // The summary is the page's text: read it as such.
            let summary = v.r.page_at(&p.path).map(|i| summary(v.r.page(i).page));
            PageItem {
                title: p.front.title.clone(),
                url: v.urls.href(&Urls::page(&p.path)),
                date: p.front.date.as_ref().map(|d| d.to_string()),
                summary: summary.unwrap_or_default(),
            }
        })
        .collect();
    let first = Urls::tag(&tag.slug);
    let mut ctx = tera::Context::new();
    ctx.insert(
        "tag",
        &TagCtx {
            name: tag.name.clone(),
            slug: tag.slug.clone(),
            url: v.urls.href(&first),
            count: tag.pages.len(),
        },
    );
    ctx.insert("pages", &pages);
    ctx.insert("total", &tag.pages.len());
    ctx.insert("first", &(shown.start + 1));
    ctx.insert("last", &shown.end);
    ctx.insert("tags_url", &v.urls.href(&Urls::tags()));
    ctx.insert(
        "pager",
        &paging::pager(v, &first, n, total, |k| k.to_string()),
    );
    ctx.insert("pager_label", &format!("Pages of the tag {}", tag.name));
    v.page("tag.html", url, ctx)
}

/// The site path of page `n` of the tag at position `i`.
pub(super) fn url(v: &View<'_>, i: usize, n: usize) -> String {
    let tags = read(v);
    let slug = tags.get(i).map(|t| t.slug.as_str()).unwrap_or("missing");
    Urls::paged(&Urls::tag(slug), n)
}

/// The title of page `n` of the tag at position `i`.
pub(super) fn title(v: &View<'_>, i: usize, n: usize) -> String {
    let tags = read(v);
    let name = tags.get(i).map(|t| t.name.as_str()).unwrap_or("");
    if n > 1 {
        format!("Tag: {name} (page {n})")
    } else {
        format!("Tag: {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, tags: &[&str]) -> Page {
        let text = format!("---\ntitle: {path}\ntags: [{}]\n---\nx", tags.join(", "));
        crate::load::pages::load_page(&format!("content/{path}.md"), text, &mut Vec::new()).unwrap()
    }

    #[test]
    fn one_tag_per_slug_named_by_the_most_frequent_spelling() {
        let pages = [
            page("a", &["Method", "sources"]),
            page("b", &["method"]),
            page("c", &["method"]),
        ];
        let tags = collect(pages.iter());
        let names: Vec<_> = tags
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.pages.len()))
            .collect();
        assert_eq!(names, [("method", "method", 3), ("sources", "sources", 1)]);
    }
}
