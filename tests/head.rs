//! What every page tells browsers, search engines and link previews in its head (the theme's
//! icon, a canonical link, OpenGraph and Twitter card metadata, the glossary script), and
//! summaries whose blocks and list items do not run together.

mod common;
use common::*;
use std::path::PathBuf;

const DESCRIPTION: &str = "A dossier about alpha, for the tests.";

fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.edit(
        "dossier.yaml",
        "language: en",
        &format!("language: en\ndescription: \"{DESCRIPTION}\""),
    );
    f.write(
        "content/glossary/gazette.md",
        "---\nterm: Alpha Gazette\nkind: organization\n---\nA newspaper of the town of Alpha. It prints the news.\n",
    );
    f.write(
        "content/glossary/_index.md",
        "---\ntitle: Glossary\n---\nThe names the sources use.\n",
    );
    f.write(
        "content/section.md",
        "---\ntitle: Section\ndate: 2030-01-01\n---\nNotes on each source: its date and origin.\n\n- [Essay one](essays/one.md)\n- [Essay two](essays/two.md)\n\n## Further\n\nMore text\n",
    );
    f
}

/// The `content` of the `<meta>` with `attr="name"`, if there is one.
fn meta(doc: &scraper::Html, attr: &str, name: &str) -> Option<String> {
    select(doc, &format!("head meta[{attr}='{name}']"))
        .first()
        .map(|m| m.value().attr("content").unwrap_or_default().to_string())
}

fn canonical(doc: &scraper::Html) -> Option<String> {
    select(doc, "head link[rel='canonical']")
        .first()
        .map(|l| l.value().attr("href").unwrap().to_string())
}

#[test]
fn every_page_kind_has_an_icon_a_canonical_link_and_card_metadata() {
    let f = fixture();
    f.build_ok();
    let origin = "https://example.org";
    // (file, page URL path, og:title, og:type, the description's start)
    let pages = [
        (
            "index.html",
            "/sub/",
            "Fixture dossier",
            "website",
            "Welcome. Read essay one.",
        ),
        (
            "sources/index.html",
            "/sub/sources/",
            "Sources",
            "website",
            DESCRIPTION,
        ),
        (
            "sources/alpha/index.html",
            "/sub/sources/alpha/",
            "<b>Alpha</b> & co",
            "article",
            "First paragraph line one. First paragraph line two.",
        ),
        (
            "essays/one/index.html",
            "/sub/essays/one/",
            "Essay one",
            "article",
            "Intro · Text cites the alpha source as a whole",
        ),
        (
            "section/index.html",
            "/sub/section/",
            "Section",
            "article",
            "Notes on each source: its date and origin. Essay one · Essay two · Further · More text",
        ),
        (
            "glossary/index.html",
            "/sub/glossary/",
            "Glossary",
            "website",
            "The names the sources use.",
        ),
        (
            "glossary/gazette/index.html",
            "/sub/glossary/gazette/",
            "Alpha Gazette",
            "article",
            "A newspaper of the town of Alpha.",
        ),
        (
            "quotes/index.html",
            "/sub/quotes/",
            "Quotes",
            "website",
            DESCRIPTION,
        ),
    ];
    for (file, path, title, kind, description) in pages {
        let doc = f.html(file);
        let url = format!("{origin}{path}");
        assert_eq!(canonical(&doc).as_deref(), Some(url.as_str()), "{file}");
        assert_eq!(
            meta(&doc, "property", "og:url"),
            Some(url.clone()),
            "{file}"
        );
        assert_eq!(
            meta(&doc, "property", "og:title").as_deref(),
            Some(title),
            "{file}"
        );
        assert_eq!(
            meta(&doc, "name", "twitter:title").as_deref(),
            Some(title),
            "{file}"
        );
        assert_eq!(
            meta(&doc, "property", "og:type").as_deref(),
            Some(kind),
            "{file}"
        );
        assert_eq!(
            meta(&doc, "property", "og:site_name").as_deref(),
            Some("Fixture dossier"),
            "{file}"
        );
        assert_eq!(
            meta(&doc, "name", "twitter:card").as_deref(),
            Some("summary")
        );
        let said = meta(&doc, "name", "description").unwrap_or_default();
        assert!(
            said.starts_with(description),
            "{file}: description {said:?} does not start with {description:?}"
        );
        assert_eq!(meta(&doc, "property", "og:description"), Some(said.clone()));
        assert_eq!(meta(&doc, "name", "twitter:description"), Some(said));
        check_icon_and_script(&f, &doc, file);
    }

    // The 404 page is served at any URL: it has no canonical URL of its own.
    let missing = f.html("404.html");
    assert_eq!(canonical(&missing), None);
    assert_eq!(meta(&missing, "property", "og:url"), None);
    assert_eq!(
        meta(&missing, "property", "og:title").as_deref(),
        Some("Not found")
    );
    assert_eq!(
        meta(&missing, "name", "description").as_deref(),
        Some(DESCRIPTION)
    );
    check_icon_and_script(&f, &missing, "404.html");
}

fn check_icon_and_script(f: &Fixture, doc: &scraper::Html, file: &str) {
    let icon = select(doc, "head link[rel='icon']");
    assert_eq!(icon.len(), 1, "{file}: one icon");
    assert_eq!(icon[0].value().attr("href"), Some("/sub/favicon.svg"));
    assert_eq!(icon[0].value().attr("type"), Some("image/svg+xml"));
    let svg = std::fs::read_to_string(f.out().join("favicon.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
    let script = attr(doc, "head script", "src");
    assert_eq!(script, "/sub/terms.js", "{file}");
    assert!(f.out().join("terms.js").is_file());
}

#[test]
fn without_an_origin_the_canonical_link_is_a_path_and_there_is_no_og_url() {
    let f = fixture();
    let mut options = f.options();
    options.load.base_url = Some("/".into());
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let doc = f.html("essays/one/index.html");
    assert_eq!(canonical(&doc).as_deref(), Some("/essays/one/"));
    assert_eq!(meta(&doc, "property", "og:url"), None);
    assert_eq!(attr(&doc, "head link[rel='icon']", "href"), "/favicon.svg");
}

#[test]
fn summaries_keep_list_items_and_headings_apart() {
    let f = fixture();
    f.build_ok();
    let home = f.html("index.html");
    let summaries: Vec<String> = select(&home, ".home-latest li p")
        .iter()
        .map(text)
        .collect();
    assert!(
        summaries.contains(
            &"Notes on each source: its date and origin. Essay one · Essay two · Further · More text"
                .to_string()
        ),
        "{summaries:#?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.starts_with("Intro · Text cites the alpha source")),
        "a heading does not run into the paragraph after it: {summaries:#?}"
    );
}

#[test]
fn the_example_home_page_does_not_run_link_texts_together() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    options.output = Some(tmp.path().join("site"));
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let home =
        Html::parse_document(&std::fs::read_to_string(tmp.path().join("site/index.html")).unwrap());
    let summaries: Vec<String> = select(&home, ".home-latest li p")
        .iter()
        .map(text)
        .collect();
    let notes = summaries
        .iter()
        .find(|s| s.starts_with("One note on each source"))
        .expect("the notes section's summary");
    assert!(
        notes.contains("its date and origin. The IOM report · The IMA statement · "),
        "{notes}"
    );
    let analyses = summaries
        .iter()
        .find(|s| s.starts_with("Readings that compare"))
        .expect("the analyses' summary");
    assert!(
        analyses.contains("exodus. Whose voices: reporting"),
        "{analyses}"
    );
}

use scraper::Html;
