//! Tags (issue 11): `/tags/` lists every tag with its page count, `/tags/<tag>/` the pages
//! with the tag (newest first, paginated), a page's labels link there, and tags are in
//! `dossier.json`, the sitemap and the navigation.

mod common;
use common::*;

fn page(f: &Fixture, path: &str, title: &str, date: &str, tags: &str) {
    f.write(
        &format!("content/{path}.md"),
        &format!("---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\nText of {title}.\n"),
    );
}

fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    page(&f, "t/one", "One", "2020-01-01", "Method, sources");
    page(&f, "t/two", "Two", "2021-01-01", "method");
    page(&f, "t/three", "Three", "2019-01-01", "method, Ökonomie");
    f
}

#[test]
fn the_index_lists_each_tag_once_with_its_count() {
    let f = fixture();
    f.build_ok();
    let doc = f.html("tags/index.html");
    let items: Vec<(String, String)> = select(&doc, ".tag-index li")
        .iter()
        .map(|li| {
            let a = li
                .select(&scraper::Selector::parse("a").unwrap())
                .next()
                .unwrap();
            (text(&a), a.value().attr("href").unwrap().to_string())
        })
        .collect();
    // `Method` and `method` share a slug: one tag, named as most pages spell it.
    assert_eq!(
        items,
        [
            ("method".to_string(), "/sub/tags/method/".to_string()),
            ("Ökonomie".to_string(), "/sub/tags/okonomie/".to_string()),
            ("sources".to_string(), "/sub/tags/sources/".to_string()),
        ]
    );
    let counts: Vec<String> = select(&doc, ".tag-index .count").iter().map(text).collect();
    assert_eq!(counts, ["3 pages", "1 page", "1 page"]);
    let nav: Vec<String> = select(&doc, "nav[aria-label=Site] a")
        .iter()
        .map(text)
        .collect();
    assert!(nav.contains(&"Tags".to_string()), "{nav:?}");
}

#[test]
fn a_tag_page_lists_its_pages_newest_first_and_labels_link_to_it() {
    let f = fixture();
    f.build_ok();
    let doc = f.html("tags/method/index.html");
    let titles: Vec<String> = select(&doc, ".page-list > li > a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(titles, ["Two", "One", "Three"]);
    let one = f.html("t/one/index.html");
    let labels: Vec<(String, String)> = select(&one, "ul.tags a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        labels,
        [
            ("Method".to_string(), "/sub/tags/method/".to_string()),
            ("sources".to_string(), "/sub/tags/sources/".to_string()),
        ]
    );
    assert!(
        broken_links(&f.out(), "/sub/").is_empty(),
        "{:?}",
        broken_links(&f.out(), "/sub/")
    );
}

#[test]
fn no_tags_no_tag_pages_and_no_nav_item() {
    let f = Fixture::new("basic");
    f.build_ok();
    assert!(!f.out().join("tags").exists());
    let doc = f.html("index.html");
    let nav: Vec<String> = select(&doc, "nav[aria-label=Site] a")
        .iter()
        .map(text)
        .collect();
    assert!(!nav.contains(&"Tags".to_string()), "{nav:?}");
}

#[test]
fn a_tag_with_more_than_a_hundred_pages_is_paginated() {
    let f = Fixture::new("basic");
    for i in 0..101 {
        page(
            &f,
            &format!("many/p{i:03}"),
            &format!("P{i:03}"),
            "2020-01-01",
            "big",
        );
    }
    f.build_ok();
    let first = f.html("tags/big/index.html");
    assert_eq!(select(&first, ".page-list > li").len(), 100);
    let second = f.html("tags/big/page/2/index.html");
    let rest: Vec<String> = select(&second, ".page-list > li > a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(rest, ["P100"]);
    assert!(!f.out().join("tags/big/page/3").exists());
    assert_eq!(attr(&first, "a[rel=next]", "href"), "/sub/tags/big/page/2/");
}

#[test]
fn tags_are_in_dossier_json_and_the_sitemap() {
    let f = fixture();
    f.build_ok();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
            .unwrap();
    let tags = json["tags"].as_array().unwrap();
    let slugs: Vec<&str> = tags.iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["method", "okonomie", "sources"]);
    assert_eq!(tags[0]["name"], "method");
    assert_eq!(tags[0]["url"], "/sub/tags/method/");
    assert_eq!(
        tags[0]["pages"],
        serde_json::json!(["t/two", "t/one", "t/three"])
    );
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    for path in [
        "/sub/tags/</loc>",
        "/sub/tags/method/</loc>",
        "/sub/tags/okonomie/</loc>",
    ] {
        assert!(sitemap.contains(path), "{path} not in\n{sitemap}");
    }
}

#[test]
fn a_page_cannot_take_the_tags_url() {
    let f = Fixture::new("basic");
    f.write("content/tags/x.md", "---\ntitle: X\n---\nx\n");
    let d = only_error(&f.build());
    assert_eq!(d.message, "the URL /tags/x/ belongs to the generated site");
    assert_eq!(d.location.file, "content/tags/x.md");
    assert_eq!(
        d.hint.as_deref(),
        Some("pages may not live under /sources/, /quotes/, /search/, /tags/")
    );
}

#[test]
fn a_tag_too_long_for_a_folder_name_is_an_error_at_the_tag_and_the_rest_is_checked() {
    let f = Fixture::new("basic");
    let long = "x".repeat(300);
    f.write(
        "content/t/long.md",
        &format!("---\ntitle: Long\ntags: [ok, {long}]\n---\nText.\n"),
    );
    // Another mistake in another page is reported in the same build.
    f.write("content/t/broken.md", "---\ntitle: [\n---\nx\n");
    let diags = f.build();
    let tag: Vec<_> = diags
        .iter()
        .filter(|d| d.message.starts_with("a tag of"))
        .collect();
    assert_eq!(tag.len(), 1, "{}", diags.render_human());
    assert_at(tag[0], "E300", "content/t/long.md", 3, 12);
    assert_eq!(
        tag[0].message,
        "a tag of 300 characters is too long to be a folder's name (its slug may have at most 100)"
    );
    assert_eq!(
        tag[0].hint.as_deref(),
        Some("shorten the tag: each tag has a page at `/tags/<tag>/`")
    );
    assert!(
        diags
            .iter()
            .any(|d| d.location.file == "content/t/broken.md"),
        "{}",
        diags.render_human()
    );
    // What was wrong before: a build that failed writing a folder name (E500).
    assert!(diags.iter().all(|d| d.code != "E500"));
}
