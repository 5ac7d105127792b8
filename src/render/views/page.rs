//! `/<path>/`: a commentary page, with the sources it cites and the pages linking to it.

use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkOut};
use crate::model::{PageId, Target};
use crate::render::context::{summary, LinkCtx, View};
use crate::render::{highlight, sanitize, Urls};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    title: &'a str,
    path: &'a str,
    url: String,
    file: &'a str,
    date: Option<&'a str>,
    authors: &'a [String],
    tags: &'a [String],
    /// The tags with the URL of each one's page: `title` (the tag as written), `url`.
    tag_links: Vec<LinkCtx>,
    summary: String,
    content: String,
    toc: Vec<&'a markdown::Heading>,
    cites: Vec<CitedSource>,
    backlinks: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct CitedSource {
    id: String,
    title: String,
    url: String,
    paragraphs: Vec<LinkCtx>,
}

pub(super) fn render(v: &View<'_>, url: &str, p: PageId) -> Result<String, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page_ctx(v, p));
    v.page("page.html", url, ctx)
}

/// The context of page `i` as every template that shows a page sees it.
pub(super) fn page_ctx<'a>(v: &View<'a>, i: PageId) -> PageCtx<'a> {
    let r = &v.r;
    let read = r.page(i);
    let page = read.page;
    let content = content(v, i, true);
    let mut cited: std::collections::BTreeMap<
        crate::model::SeedId,
        std::collections::BTreeSet<usize>,
    > = std::collections::BTreeMap::new();
    for c in read.citations {
        cited.entry(c.seed).or_default().extend(c.paragraph);
    }
    let cites = cited
        .into_iter()
        .map(|(si, paragraphs)| {
            let (seed, _, _) = r.seed(si);
            let url = v.urls.href(&Urls::source(&seed.id));
            CitedSource {
                id: seed.id.clone(),
                title: seed.title().to_string(),
                paragraphs: paragraphs
                    .into_iter()
                    .map(|n| LinkCtx {
                        title: format!("¶{n}"),
                        url: format!("{url}#p{n}"),
                    })
                    .collect(),
                url,
            }
        })
        .collect();
    PageCtx {
        title: &page.front.title,
        path: &page.path,
        url: v.urls.href(&Urls::page(&page.path)),
        file: &page.file,
        date: page.front.date.as_ref().map(|d| d.as_str()),
        authors: &page.front.authors,
        tags: &page.front.tags,
        tag_links: page
            .front
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| LinkCtx {
                title: t.to_string(),
                url: v.urls.href(&Urls::tag(&crate::text::slug(t))),
            })
            .collect(),
        summary: summary(page),
        content,
        toc: if page.front.toc {
            page.scan
                .headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .collect()
        } else {
            Vec::new()
        },
        cites,
        backlinks: r
            .backlinks(i)
            .iter()
            .map(|&from| v.page_link(from))
            .collect(),
    }
}

/// The HTML of page `i`'s body: links resolved, glossary links (with `terms`: their tooltips
/// need the theme's style, which a feed reader does not have), highlighted code, sanitised
/// unless `unsafe_html` (cached by everything it is made of).
pub(super) fn content(v: &View<'_>, i: PageId, terms: bool) -> String {
    let r = &v.r;
    let read = r.page(i);
    let page = read.page;
    let links: Vec<LinkOut> = page
        .scan
        .links
        .iter()
        .zip(read.targets)
        .enumerate()
        .map(|(li, (link, target))| {
            if let Some(&q) = read.quotations.get(&li) {
                let q = r.quotation(q);
                let (seed, _, _) = r.seed(q.seed);
                let parts: Vec<&str> = q.parts.iter().map(|p| &seed.text[p.clone()]).collect();
                return LinkOut {
                    href: v.urls.passage(&seed.id, &q.id, &parts),
                    id: Some(markdown::Link::anchor(li)),
                    class: Some("cite quote"),
                };
            }
            let (id, class) = match target {
                Target::Seed { .. } => (Some(markdown::Link::anchor(li)), Some("cite")),
                Target::Page { .. } => (Some(markdown::Link::anchor(li)), Some("xref")),
                _ => (None, None),
            };
            LinkOut {
                href: v.urls.target(r, target, &link.dest),
                id,
                class,
            }
        })
        .collect();
    let images: Vec<String> = page
        .scan
        .images
        .iter()
        .zip(read.images)
        .map(|(image, target)| v.urls.target(r, target, &image.dest))
        .collect();
    let with_terms = terms;
    let mut terms = markdown::TermLinks::new();
    for o in read.terms.iter().filter(|_| with_terms) {
        if let crate::model::Place::Page { node, .. } = o.place {
            let text = page.scan.text(node);
            let html = text
                .get(o.range.clone())
                .map(|t| v.term_html(o.entry, t, &format!("tip-{node}-{}", o.range.start)));
            if let Some(html) = html {
                terms.entry(node).or_default().push(markdown::TermLink {
                    range: o.range.clone(),
                    html,
                });
            }
        }
    }
    let (config, _) = r.site();
    let unsafe_html = config.unsafe_html;
    let key = crate::fingerprint::key(&(
        page.body(),
        &links,
        &images,
        &page.scan.headings,
        &terms,
        unsafe_html,
    ));
    v.html.get(key, || {
        let html = markdown::to_html(
            page.body(),
            &links,
            &images,
            &page.scan.headings,
            &terms,
            &highlight::code_block,
        );
        if unsafe_html {
            html
        } else {
            sanitize::clean(&html)
        }
    })
}
