//! The Atom feed: read by a real feed parser (Python's feedparser, through
//! `tests/feed/parse.py`, which also checks the elements Atom requires and that every URL in
//! an entry's content is absolute under the base path), newest first, at most 20 entries,
//! `updated` from the pages' dates (or `SOURCE_DATE_EPOCH`), linked from every page's head,
//! and absent when the base URL has no origin.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The feed at `site/atom.xml` as `parse.py` reads it; fails the test on any problem it finds.
fn parse(site: &Path, base: &str) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feed/parse.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(site.join("atom.xml"))
        .arg(base)
        .output()
        .expect("python3 runs (CI installs it with the feedparser package)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the feed does not pass (python3 needs the feedparser package):\n{stderr}"
    );
    serde_json::from_slice(&out.stdout).expect("parse.py prints JSON")
}

fn ids(feed: &serde_json::Value) -> Vec<&str> {
    feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

/// Every HTML file of the site, relative to it.
fn html_files(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(site).unwrap().to_path_buf())
        .collect()
}

#[test]
fn the_example_feed_is_atom_with_absolute_urls_under_the_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let base = "https://example.org/ci/sub-path/";
    let mut options = dossier::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.load.base_url = Some(base.into());
    options.output = Some(site.clone());
    let diags = dossier::build(&options);
    assert_eq!(diags.iter().count(), 0, "{}", diags.render_human());
    let feed = parse(&site, base);
    assert_eq!(feed["id"], format!("{base}atom.xml"));
    assert_eq!(feed["self"], format!("{base}atom.xml"));
    assert_eq!(feed["title"], "The 2018 migrant caravan: two framings");
    // Four dated pages of one date: by path.
    assert_eq!(
        ids(&feed),
        [
            "analysis/framing/",
            "analysis/voices/",
            "notes/ima-statement/",
            "notes/iom-voa/"
        ]
        .map(|p| format!("{base}{p}"))
    );
    assert_eq!(feed["updated"], "2026-11-23T00:00:00Z");
    let framing = &feed["entries"][0];
    assert_eq!(framing["link"], framing["id"]);
    let content = framing["content"].as_str().unwrap();
    assert!(
        content.contains(&format!(r#"href="{base}sources/iom-voa/#p5""#)),
        "{content}"
    );
    assert!(
        !content.contains("term-tip"),
        "glossary tooltips need the site's style: {content}"
    );
    // Every page's head links to the feed, the 404 page's too.
    let pages = html_files(&site);
    assert!(pages.len() > 20);
    for rel in pages {
        let doc = Html::parse_document(&std::fs::read_to_string(site.join(&rel)).unwrap());
        let links = select(
            &doc,
            "head link[rel=alternate][type='application/atom+xml']",
        );
        assert_eq!(links.len(), 1, "{}", rel.display());
        assert_eq!(
            links[0].value().attr("href"),
            Some("/ci/sub-path/atom.xml"),
            "{}",
            rel.display()
        );
    }
}

use scraper::Html;

#[test]
fn the_twenty_newest_dated_pages_newest_first_with_dates_as_rfc_3339() {
    let f = Fixture::new("basic");
    // 24 more dated pages (2001 … 2024, two of them partial dates), an undated one and one
    // that ties with essay one's date.
    for year in 2001..=2024 {
        let date = match year {
            2023 => "2023".to_string(),
            2022 => "2022-7".to_string(),
            _ => format!("{year}-03-04"),
        };
        f.write(
            &format!("content/years/y{year}.md"),
            &format!("---\ntitle: Year {year}\ndate: {date}\n---\nIn {year}.\n"),
        );
    }
    f.write(
        "content/years/tie.md",
        "---\ntitle: Tie\ndate: 2024-01-02\n---\nSame day as essay one.\n",
    );
    f.write(
        "content/years/undated.md",
        "---\ntitle: Undated\n---\nNo date.\n",
    );
    f.build_ok();
    let feed = parse(&f.out(), "https://example.org/sub/");
    let base = "https://example.org/sub/";
    let mut expected = vec![
        format!("{base}years/y2024/"),
        format!("{base}essays/one/"),
        format!("{base}years/tie/"),
    ];
    expected.extend((2006..=2023).rev().map(|y| format!("{base}years/y{y}/")));
    expected.truncate(20);
    assert_eq!(ids(&feed), expected);
    assert_eq!(feed["updated"], "2024-03-04T00:00:00Z");
    let updated = |id: &str| {
        feed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["updated"].as_str().unwrap().to_string())
    };
    assert_eq!(
        updated(&format!("{base}years/y2023/")).as_deref(),
        Some("2023-01-01T00:00:00Z")
    );
    assert_eq!(
        updated(&format!("{base}years/y2022/")).as_deref(),
        Some("2022-07-01T00:00:00Z")
    );
    // Essay one's content: its links absolute, its raw script gone.
    let one = &feed["entries"][1]["content"].as_str().unwrap();
    assert!(one.contains(r#"href="https://example.org/sub/sources/alpha/#p2""#));
    // A footnote reference: a same-page link, made absolute on the page's URL.
    assert!(one.contains(r#"href="https://example.org/sub/essays/one/#note""#));
    assert!(
        !one.contains("<script") && !one.contains("javascript:"),
        "{one}"
    );
}

#[test]
fn page_assets_in_the_feed_are_absolute() {
    let f = Fixture::new("assets");
    f.edit(
        "content/notes/trip/index.md",
        "title: \"The trip\"",
        "title: \"The trip\"\ndate: 2024-05-06",
    );
    f.build_ok();
    let feed = parse(&f.out(), "https://example.org/sub/");
    let content = feed["entries"][0]["content"].as_str().unwrap();
    for url in [
        r#"src="https://example.org/sub/notes/trip/map.png""#,
        r#"src="https://example.org/sub/notes/trip/img/detail.png""#,
        r#"src="https://example.org/sub/logo.svg""#,
        r#"href="https://example.org/sub/notes/trip/report.pdf#page=2""#,
    ] {
        assert!(content.contains(url), "{url} in {content}");
    }
}

/// Builds the basic fixture without dated pages with the binary, `SOURCE_DATE_EPOCH` set to
/// `epoch` when given.
fn build_undated(epoch: Option<&str>) -> (Fixture, std::process::Output) {
    let f = Fixture::new("basic");
    f.edit("content/essays/one.md", "date: 2024-01-02\n", "");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(["build", "--root", f.root().to_str().unwrap()]);
    cmd.env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    let out = cmd.output().expect("the binary runs");
    (f, out)
}

#[test]
fn without_dated_pages_updated_is_source_date_epoch_else_the_epoch() {
    let (f, out) = build_undated(None);
    assert!(out.status.success(), "{out:?}");
    let feed = parse(&f.out(), "https://example.org/sub/");
    assert_eq!(feed["updated"], "1970-01-01T00:00:00Z");
    assert!(ids(&feed).is_empty());

    let (f, out) = build_undated(Some("1700000000"));
    assert!(out.status.success(), "{out:?}");
    let first = std::fs::read(f.out().join("atom.xml")).unwrap();
    let feed = parse(&f.out(), "https://example.org/sub/");
    assert_eq!(feed["updated"], "2023-11-14T22:13:20Z");
    // A second build writes the same bytes.
    let (f, _) = build_undated(Some("1700000000"));
    assert_eq!(std::fs::read(f.out().join("atom.xml")).unwrap(), first);
}

#[test]
fn a_source_date_epoch_that_is_no_number_is_an_error() {
    let (f, out) = build_undated(Some("yesterday"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error[E100]: SOURCE_DATE_EPOCH `yesterday` is not a number of seconds since 1970-01-01T00:00:00Z"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("in SOURCE_DATE_EPOCH"), "{stderr}");
    assert!(!f.out().exists());
    // The library reports the same diagnostic.
    let mut diags = Vec::new();
    let date = dossier::load::build_time(Some(std::ffi::OsStr::new("-5")), &mut diags);
    assert!(date.is_none());
    assert_eq!(
        diags[0].message,
        "SOURCE_DATE_EPOCH `-5` is not a number of seconds since 1970-01-01T00:00:00Z"
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("set it to a whole number such as `1700000000` (`git log -1 --format=%ct` gives the last commit's), or unset it")
    );
}

#[test]
fn a_base_url_without_an_origin_has_no_feed() {
    let f = Fixture::new("basic");
    f.edit("dossier.yaml", "https://example.org/sub/", "/sub/");
    f.build_ok();
    assert!(!f.out().join("atom.xml").exists());
    let doc = f.html("index.html");
    assert!(select(&doc, "link[type='application/atom+xml']").is_empty());
}
