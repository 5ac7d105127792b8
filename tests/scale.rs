//! Lists that grow with the dossier are paginated: an entry's concordance (a few lines per
//! source on the entry page, every line on `/glossary/<id>/page/<n>/`), the glossary's index,
//! the list of sources, and the home page's sources. Counts shown equal what can be reached.
//!
//! The page sizes are the theme's: 3 lines and 50 sources on an entry page, 100 lines a
//! concordance page, 100 sources and 100 entries a list page, 12 sources on the home page.

mod common;
use common::*;
use std::collections::BTreeSet;

const GENERATED_SEEDS: usize = 98;

/// The basic fixture (3 seeds) with 98 generated seeds (101 in all) and 101 glossary entries:
/// - `zorbax`: 3 occurrences in one seed (exactly what an entry page shows of a source);
/// - `quillon`: 4 in one seed (one more);
/// - `vexmoor`: 100 in 98 seeds (exactly one concordance page; more sources than previewed);
/// - `brimwald`: 101, in 99 seeds and a commentary page (one line on a second page);
/// - 97 entries named nowhere.
fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    for i in 0..GENERATED_SEEDS {
        let mut text = format!("Seed {i} names Vexmoor and Brimwald.\n\nNothing here.\n");
        match i {
            0 => {
                text.push_str("\nZorbax.\n\nZorbax again.\n\nZorbax, a third time. Vexmoor too.\n")
            }
            1 => text.push_str("\nQuillon. Quillon.\n\nQuillon and Quillon. Vexmoor.\n"),
            2 => text.push_str("\nBrimwald twice: Brimwald.\n"),
            _ => {}
        }
        f.write(&format!("seeds/gen-{i:03}.txt"), &text);
        // Dates so that the home page's "most recently published" order is known.
        f.write(
            &format!("seeds/gen-{i:03}.yaml"),
            &format!(
                "title: \"Generated {i}\"\npublished: 2020-01-{:02}\n",
                1 + i % 28
            ),
        );
    }
    f.write(
        "content/essays/brimwald.md",
        "---\ntitle: On Brimwald\n---\nBrimwald is a generated name.\n",
    );
    for (id, term) in [
        ("zorbax", "Zorbax"),
        ("quillon", "Quillon"),
        ("vexmoor", "Vexmoor"),
        ("brimwald", "Brimwald"),
    ] {
        f.write(
            &format!("content/glossary/{id}.md"),
            &format!("---\nterm: {term}\nkind: place\n---\nA generated place.\n"),
        );
    }
    for i in 0..97 {
        let kind = ["term", "person", "organization", "event"][i % 4];
        f.write(
            &format!("content/glossary/nonce-{i:03}.md"),
            &format!("---\nterm: \"Nonce{i:03}\"\nkind: {kind}\n---\nNamed nowhere.\n"),
        );
    }
    f
}

/// The output file a site href (under `/sub/`) names.
fn file_of(href: &str) -> String {
    let path = href.split('#').next().unwrap();
    let rel = path.strip_prefix("/sub/").expect("under the base path");
    format!("{rel}index.html")
}

/// The number in an element's text, e.g. "101 occurrences in 100 sources" → 101.
fn first_number(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no number in {s:?}"))
}

/// The entry page's count, its KWIC lines, and every line of the concordance pages reached
/// by following "next" from the entry page (each page's file, with its lines).
fn walk(f: &Fixture, id: &str) -> (usize, usize, Vec<(String, Vec<String>)>) {
    let entry = f.html(&format!("glossary/{id}/index.html"));
    let heading = text(&select(&entry, "#h-concordance .count")[0]);
    let count = first_number(&heading);
    let preview = select(&entry, ".concordance .kwic li").len();
    let mut pages = Vec::new();
    let mut next = select(&entry, ".concordance a[rel=next]")
        .first()
        .map(|a| a.value().attr("href").unwrap().to_string());
    while let Some(href) = next {
        let file = file_of(&href);
        let doc = f.html(&file);
        let lines = select(&doc, ".concordance .kwic li")
            .iter()
            .map(|li| {
                let a = li.select(&scraper::Selector::parse("a").unwrap()).next();
                // The markup, not only the text: two occurrences in one sentence read the same.
                format!(
                    "{} {}",
                    a.unwrap().value().attr("href").unwrap(),
                    li.inner_html()
                )
            })
            .collect();
        next = select(&doc, "a[rel=next]")
            .first()
            .map(|a| a.value().attr("href").unwrap().to_string());
        pages.push((file, lines));
        assert!(pages.len() < 50, "the pager loops");
    }
    (count, preview, pages)
}

#[test]
fn every_occurrence_is_reachable_from_the_entry_page_and_counts_agree() {
    let f = fixture();
    f.build_ok();

    // Exactly three lines in one source: the entry page shows them all, no further page.
    let (count, preview, pages) = walk(&f, "zorbax");
    assert_eq!((count, preview), (3, 3));
    assert!(pages.is_empty(), "{pages:?}");
    assert!(!f.out().join("glossary/zorbax/page/2/index.html").exists());

    // Four: three shown, a link to all four, and a page that lists the four.
    let (count, preview, pages) = walk(&f, "quillon");
    assert_eq!((count, preview), (4, 3));
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].0, "glossary/quillon/page/2/index.html");
    assert_eq!(pages[0].1.len(), 4);
    let entry = f.html("glossary/quillon/index.html");
    let all = select(&entry, ".kwic-all a");
    assert_eq!(text(&all[0]), "All 4 occurrences in Generated 1");
    assert_eq!(
        all[0].value().attr("href"),
        Some("/sub/glossary/quillon/page/2/#in-1")
    );

    // 100 lines: one full page. 98 sources: 50 previewed, "48 more sources".
    let (count, preview, pages) = walk(&f, "vexmoor");
    assert_eq!(count, 100);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].1.len(), 100);
    let entry = f.html("glossary/vexmoor/index.html");
    assert_eq!(select(&entry, ".kwic-group").len(), 50);
    assert!(preview <= 50 * 3);
    let more = select(&entry, ".concordance > .kwic-all a");
    assert_eq!(text(&more[0]), "48 more sources");
    // The 51st source's group begins on page 2, under the anchor the link names.
    let page2 = f.html("glossary/vexmoor/page/2/index.html");
    let anchor = more[0]
        .value()
        .attr("href")
        .unwrap()
        .split('#')
        .nth(1)
        .unwrap();
    assert_eq!(select(&page2, &format!("#{anchor}")).len(), 1);

    // 101 lines: a second page holding one line; a commentary line among them.
    let (count, _, pages) = walk(&f, "brimwald");
    assert_eq!(count, 101);
    let sizes: Vec<usize> = pages.iter().map(|(_, l)| l.len()).collect();
    assert_eq!(sizes, [100, 1]);
    let lines: BTreeSet<&String> = pages.iter().flat_map(|(_, l)| l).collect();
    assert_eq!(lines.len(), 101, "each occurrence once");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("/sub/essays/brimwald/#:~:text=")),
        "the commentary occurrence is listed"
    );
    assert!(
        lines
            .iter()
            .filter(|l| l.contains("/sub/sources/gen-002/#p"))
            .count()
            == 3,
        "one source's lines, all of them"
    );
    // The last page links back and names its place in the whole.
    let last = f.html("glossary/brimwald/page/3/index.html");
    assert!(select(&last, "a[rel=next]").is_empty());
    assert_eq!(
        select(&last, "a[rel=prev]")[0].value().attr("href"),
        Some("/sub/glossary/brimwald/page/2/")
    );
    assert!(text(&select(&last, "h1")[0]).contains("101–101 of 101"));

    // Every page is in the sitemap, and every link of the site resolves.
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    for page in [
        "glossary/quillon/page/2/",
        "glossary/brimwald/page/3/",
        "glossary/page/2/",
        "sources/page/2/",
    ] {
        assert!(
            sitemap.contains(&format!("https://example.org/sub/{page}<")),
            "{page} not in the sitemap"
        );
    }
    assert!(!sitemap.contains("glossary/zorbax/page/"));
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}

#[test]
fn sources_glossary_and_home_are_paginated_at_their_boundaries() {
    let f = fixture();
    f.build_ok();

    // 101 sources: 100, then 1; each listed once.
    let one = f.html("sources/index.html");
    let two = f.html("sources/page/2/index.html");
    assert_eq!(select(&one, ".source-table tbody tr").len(), 100);
    assert_eq!(select(&two, ".source-table tbody tr").len(), 1);
    assert_eq!(
        select(&one, "nav.pager a[rel=next]")[0]
            .value()
            .attr("href"),
        Some("/sub/sources/page/2/")
    );
    assert_eq!(
        select(&two, "nav.pager [aria-current=page]").len(),
        2,
        "the current page is marked in both pagers"
    );

    // The home page shows the 12 most recently published and links to all 101.
    let home = f.html("index.html");
    let cards = select(&home, ".home-sources .card-title");
    assert_eq!(cards.len(), 12);
    assert!(text(&cards[0]).starts_with("Generated"), "dated first");
    let all = select(&home, ".home-sources a[href='/sub/sources/']");
    assert_eq!(text(&all[0]), "All 101 sources");

    // 101 entries: every one linked exactly once from the index's two pages.
    let g1 = f.html("glossary/index.html");
    let g2 = f.html("glossary/page/2/index.html");
    let mut linked = Vec::new();
    for doc in [&g1, &g2] {
        for a in select(doc, "dl.entries dt a") {
            linked.push(a.value().attr("href").unwrap().to_string());
        }
    }
    assert_eq!(linked.len(), 101);
    assert_eq!(linked.iter().collect::<BTreeSet<_>>().len(), 101);
    // The kind index counts the whole glossary on either page.
    let counts = |doc: &scraper::Html| -> usize {
        select(doc, ".kind-index .count")
            .iter()
            .map(|c| first_number(&text(c)))
            .sum()
    };
    assert_eq!((counts(&g1), counts(&g2)), (101, 101));

    // One seed fewer: exactly 100 sources, one page, no pager, no page 2.
    std::fs::remove_file(f.path("seeds/gen-097.txt")).unwrap();
    std::fs::remove_file(f.path("seeds/gen-097.yaml")).unwrap();
    f.build_ok();
    let one = f.html("sources/index.html");
    assert_eq!(select(&one, ".source-table tbody tr").len(), 100);
    assert!(select(&one, "nav.pager").is_empty());
    assert!(!f.out().join("sources/page/2/index.html").exists());
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}
