//! Pagination shared by the lists that grow with the dossier (sources, glossary index, an
//! entry's concordance): how many items a page holds, how many pages a list has, and the
//! pager a page shows (first, last and a few around the current one, so the pager stays small
//! however many pages there are).

use crate::render::context::View;
use crate::render::Urls;
use serde::Serialize;

/// Sources per page of `/sources/`.
pub(crate) const SOURCES_PER_PAGE: usize = 100;
/// Entries per page of `/glossary/`.
pub(crate) const ENTRIES_PER_PAGE: usize = 100;
/// Pages per page of `/tags/<tag>/`.
pub(crate) const TAG_PAGES_PER_PAGE: usize = 100;
/// Sources the home page shows (the most recently published), before linking to the list.
pub(crate) const HOME_SOURCES: usize = 12;

/// How many pages a list of `items` needs at `per` items a page (at least one, even empty).
pub(crate) fn pages(items: usize, per: usize) -> usize {
    items.div_ceil(per).max(1)
}

/// The items of page `n` (1-based) of a list of `items`.
pub(crate) fn range(n: usize, items: usize, per: usize) -> std::ops::Range<usize> {
    let start = ((n.max(1) - 1) * per).min(items);
    start..(start + per).min(items)
}

/// One link of a pager; `url` is empty for a gap (`…`).
#[derive(Serialize)]
pub(crate) struct PageLink {
    pub n: usize,
    pub label: String,
    pub url: String,
    pub current: bool,
}

/// The navigation between the pages of a list.
#[derive(Serialize)]
pub(crate) struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

/// The pager of page `current` of `total` pages of the list whose first page is `first`;
/// `None` when there is a single page. `label` names page `n` (its number, or what it holds).
pub(crate) fn pager(
    v: &View<'_>,
    first: &str,
    current: usize,
    total: usize,
    label: impl Fn(usize) -> String,
) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let href = |n: usize| v.urls.href(&Urls::paged(first, n));
    let mut links = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            if n > last + 1 {
                links.push(PageLink {
                    n: 0,
                    label: "…".into(),
                    url: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                n,
                label: label(n),
                url: href(n),
                current: n == current,
            });
            last = n;
        }
    }
    Some(Pager {
        current,
        total,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < total).then(|| href(current + 1)),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_ranges_cover_every_item_once() {
        assert_eq!(pages(0, 10), 1);
        assert_eq!(pages(10, 10), 1);
        assert_eq!(pages(11, 10), 2);
        for items in [0, 1, 9, 10, 11, 25] {
            let covered: Vec<usize> = (1..=pages(items, 10))
                .flat_map(|n| range(n, items, 10))
                .collect();
            assert_eq!(covered, (0..items).collect::<Vec<_>>());
        }
    }
}
