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
    pager_at(current, total, label, |n| {
        v.urls.href(&Urls::paged(first, n))
    })
}

/// The same, for a list whose page `n` is at `href(n)`. Only the pages shown are visited, so
/// a list's pagers cost O(pages) in all, not O(pages²).
pub(crate) fn pager_at(
    current: usize,
    total: usize,
    label: impl Fn(usize) -> String,
    href: impl Fn(usize) -> String,
) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let mut shown = vec![1, total];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut links = Vec::new();
    let mut last = 0;
    for n in shown {
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

    #[test]
    fn a_pager_shows_the_ends_and_two_either_side() {
        let shown = |current, total| -> Vec<usize> {
            pager_at(current, total, |n| n.to_string(), |n| n.to_string())
                .map(|p| p.links.iter().map(|l| l.n).collect())
                .unwrap_or_default()
        };
        assert_eq!(shown(1, 1), Vec::<usize>::new());
        assert_eq!(shown(1, 2), [1, 2]);
        assert_eq!(shown(1, 9), [1, 2, 3, 0, 9]);
        assert_eq!(shown(5, 9), [1, 0, 3, 4, 5, 6, 7, 0, 9]);
        assert_eq!(shown(4, 9), [1, 2, 3, 4, 5, 6, 0, 9]);
        assert_eq!(shown(9, 9), [1, 0, 7, 8, 9]);
        assert_eq!(shown(300, 300).len(), 5);
    }
}
