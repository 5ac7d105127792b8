//! The core build on a real fixture dossier: every page, every reference form, the seed pages'
//! provenance, margin notes, theme, publishing files and safety, checked in the parsed HTML.

mod common;
use common::*;

#[test]
fn builds_every_url_under_the_base_path() {
    let f = Fixture::new("basic");
    f.build_ok();
    for file in [
        "index.html",
        "sources/index.html",
        "sources/alpha/index.html",
        "sources/alpha/alpha.txt",
        "sources/legacy/index.html",
        "sources/wide/utf16.txt",
        "essays/one/index.html",
        "essays/two/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "CNAME",
        "style.css",
        dossier::write::MARKER,
    ] {
        assert!(f.out().join(file).is_file(), "missing {file}");
    }
    assert!(
        !f.out().join("draft").exists(),
        "drafts are skipped without --drafts"
    );
    assert_eq!(
        std::fs::read_to_string(f.out().join("CNAME")).unwrap(),
        "dossier.example.org\n"
    );
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/sub/essays/one/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/sub/sources/alpha/</loc>"),
        "{sitemap}"
    );
    let robots = std::fs::read_to_string(f.out().join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.org/sub/sitemap.xml"),
        "{robots}"
    );
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
    let doc = f.html("404.html");
    assert_eq!(attr(&doc, "link[rel=stylesheet]", "href"), "/sub/style.css");
}

#[test]
fn every_reference_form_is_rewritten_to_a_base_aware_url() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("essays/one/index.html");
    let hrefs: Vec<String> = select(&doc, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    for expected in [
        "/sub/sources/alpha/",
        "/sub/sources/alpha/#p2",
        "/sub/sources/alpha/#L6",
        "/sub/sources/alpha/#p1",
        "/sub/essays/two/",
        "/sub/essays/two/#details",
        "/sub/",
        "https://example.com/x",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "no link to {expected} in {hrefs:?}"
        );
    }
    assert_eq!(
        attr(&doc, "a[href='/sub/sources/alpha/#p2']", "id"),
        "cite-2"
    );
    assert_eq!(
        attr(&doc, "a[href='/sub/sources/alpha/#p2']", "class"),
        "cite"
    );
}

#[test]
fn seed_pages_show_provenance_measured_facts_and_anchors() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("sources/alpha/index.html");
    // The title from YAML is escaped text, not markup.
    assert_eq!(text(&select(&doc, "h1")[0]), "<b>Alpha</b> & co");
    assert!(select(&doc, "h1 b").is_empty());
    // Paragraph and line anchors.
    for id in ["p1", "p2", "p3", "L1", "L2", "L3", "L4", "L5", "L6"] {
        assert_eq!(select(&doc, &format!("#{id}")).len(), 1, "anchor {id}");
    }
    assert_eq!(select(&doc, "#p1 .line").len(), 2);
    // Seed text is escaped: the script in the seed is text; the only scripts are the theme's
    // files and the page's JSON-LD (data, not code).
    assert!(select(&doc, "script:not([src]):not([type='application/ld+json'])").is_empty());
    assert_eq!(select(&doc, "script[type='application/ld+json']").len(), 1);
    let scripts: Vec<&str> = select(&doc, "script")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert_eq!(scripts, ["/sub/terms.js", "/sub/source.js"]);
    assert!(text(&select(&doc, "#p2")[0]).contains("<script>alert(1)</script> & more."));
    // Inferred provenance is marked, with its reason.
    let published = text(&select(&doc, ".field-published")[0]);
    assert!(
        published.contains("2019-03") && published.contains("inferred"),
        "{published}"
    );
    assert!(
        published.contains("the text mentions a spring <em>event</em>"),
        "{published}"
    );
    assert!(!select(&doc, ".field-publisher")[0]
        .value()
        .classes()
        .any(|c| c == "is-inferred"));
    assert_eq!(
        attr(&doc, ".field-url a", "href"),
        "https://example.com/alpha"
    );
    // Measured facts and fixity.
    let facts = text(&select(&doc, ".facts")[0]);
    let bytes = std::fs::read(f.path("seeds/alpha.txt")).unwrap();
    assert!(facts.contains(&format!("{} bytes", bytes.len())), "{facts}");
    assert!(facts.contains("matches the recorded checksum"), "{facts}");
    assert!(facts.contains("UTF-8"), "{facts}");
    // Notes are Markdown.
    assert_eq!(text(&select(&doc, ".notes em")[0]), "remark");
    // The original bytes are published unchanged.
    assert_eq!(
        std::fs::read(f.out().join("sources/alpha/alpha.txt")).unwrap(),
        bytes
    );
}

#[test]
fn legacy_and_utf16_seeds_are_decoded_and_published_unchanged() {
    let f = Fixture::new("basic");
    let diags = f.build_ok();
    let legacy = f.html("sources/legacy/index.html");
    assert!(text(&select(&legacy, ".facts")[0]).contains("windows-1252"));
    assert!(text(&select(&legacy, "#p1")[0]).contains("Le café est très bon"));
    let wide = f.html("sources/wide/index.html");
    let facts = text(&select(&wide, ".facts")[0]);
    assert!(
        facts.contains("UTF-16LE") && facts.contains("byte-order mark") && facts.contains("CRLF"),
        "{facts}"
    );
    assert_eq!(text(&select(&wide, "#L1")[0]), "Line one €");
    for name in ["legacy/legacy.txt", "wide/utf16.txt"] {
        let seed = name.split('/').nth(1).unwrap();
        assert_eq!(
            std::fs::read(f.out().join("sources").join(name)).unwrap(),
            std::fs::read(f.path(&format!("seeds/{seed}"))).unwrap()
        );
    }
    // The legacy seed has no sidecar: a warning, not an error.
    let warning = diags
        .iter()
        .find(|d| d.code == "W205")
        .expect("no-sidecar warning");
    assert_eq!(warning.location.file, "seeds/legacy.txt");
}

#[test]
fn margin_notes_and_backlinks_link_both_ways() {
    let f = Fixture::new("basic");
    f.build_ok();
    let seed = f.html("sources/alpha/index.html");
    let note = select(&seed, "#p2 .margin-notes a");
    assert_eq!(note.len(), 1);
    assert_eq!(
        note[0].value().attr("href"),
        Some("/sub/essays/one/#cite-2")
    );
    assert_eq!(text(&note[0]), "Essay one");
    // #L6 is in paragraph 3; the whole-seed citation goes to the top.
    assert_eq!(select(&seed, "#p3 .margin-notes a").len(), 1);
    assert_eq!(
        attr(&seed, ".whole-notes a", "href"),
        "/sub/essays/one/#cite-1"
    );
    assert!(select(&seed, "#p2 .margin-notes p")[0]
        .text()
        .collect::<String>()
        .contains("Text cites the alpha source"));

    let one = f.html("essays/one/index.html");
    let cites: Vec<String> = select(&one, ".cites a").iter().map(text).collect();
    assert_eq!(cites, ["<b>Alpha</b> & co", "¶1", "¶2", "¶3"]);
    let backlinks: Vec<String> = select(&one, ".backlinks a").iter().map(text).collect();
    assert_eq!(backlinks, ["Fixture home", "Essay two"]);
    let two = f.html("essays/two/index.html");
    assert_eq!(
        select(&two, ".backlinks a")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["Essay one"]
    );
}

#[test]
fn commentary_markdown_features() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("essays/one/index.html");
    let ids: Vec<&str> = select(&doc, ".prose h1, .prose h2")
        .iter()
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids, ["intro", "intro-1"]);
    assert_eq!(
        select(&doc, ".toc a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect::<Vec<_>>(),
        ["#intro-1"]
    );
    assert_eq!(select(&doc, ".prose table td").len(), 2);
    assert_eq!(select(&doc, ".prose del").len(), 1);
    assert_eq!(select(&doc, ".prose input[type=checkbox]").len(), 2);
    assert_eq!(select(&doc, ".prose input[checked]").len(), 1);
    assert_eq!(select(&doc, ".footnote-definition").len(), 1);
    let rust = select(&doc, "pre.code[data-lang=rust]");
    assert_eq!(rust.len(), 1);
    assert!(!select(&doc, "pre.code[data-lang=rust] span[class^='hl-']").is_empty());
    assert!(text(&rust[0]).contains("\"<tag>\""));
    let plain = select(&doc, "pre.code[data-lang=nosuchlang]");
    assert_eq!(text(&plain[0]), "<plain> text\n");
    assert!(select(&doc, "pre.code[data-lang=nosuchlang] span").is_empty());
    assert_eq!(
        select(&doc, ".meta time")[0].value().attr("datetime"),
        Some("2024-01-02")
    );
}

#[test]
fn links_in_a_sidecars_notes_resolve_like_the_commentarys() {
    let f = Fixture::new("basic");
    f.edit(
        "seeds/alpha.yaml",
        "Editor's *remark* about the source.",
        "Editor's *remark*: compare [the legacy text](seed:legacy#p1), [essay one](../content/essays/one.md), [its second paragraph](#p2) and [elsewhere](https://example.com/).",
    );
    f.build_ok();
    let doc = f.html("sources/alpha/index.html");
    let hrefs: Vec<&str> = select(&doc, ".notes.prose a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "/sub/sources/legacy/#p1",
            "/sub/essays/one/",
            "/sub/sources/alpha/#p2",
            "https://example.com/"
        ]
    );
}

#[test]
fn raw_html_is_sanitised_unless_unsafe_html() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("essays/one/index.html");
    let raw = select(&doc, "div.raw");
    assert_eq!(raw.len(), 1);
    assert!(raw[0].value().attr("onclick").is_none());
    assert!(select(
        &doc,
        "script:not([src='/sub/terms.js']):not([type='application/ld+json'])"
    )
    .is_empty());
    assert!(select(&doc, "a[href^='javascript']").is_empty());

    f.edit(
        "dossier.yaml",
        "language: en",
        "language: en\nunsafe_html: true",
    );
    f.build_ok();
    let doc = f.html("essays/one/index.html");
    assert_eq!(select(&doc, "div.raw script").len(), 1);
    assert!(select(&doc, "div.raw")[0].value().attr("onclick").is_some());
}

#[test]
fn drafts_are_built_with_the_flag() {
    let f = Fixture::new("basic");
    let mut options = f.options();
    options.load.drafts = true;
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert!(f.out().join("draft/index.html").is_file());
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let f = Fixture::new("basic");
    let mut options = f.options();
    options.load.base_url = Some("https://other.example/deep/path/".into());
    let out = f.dir.path().join("elsewhere/site");
    options.output = Some(out.clone());
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert_eq!(broken_links(&out, "/deep/path/"), Vec::<String>::new());
    let doc =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    assert_eq!(attr(&doc, ".site-title", "href"), "/deep/path/");
}

#[test]
fn the_built_in_theme_is_embedded_and_templates_can_be_overridden() {
    let f = Fixture::new("basic");
    assert!(!f.path("themes").exists());
    f.build_ok();
    let css = std::fs::read_to_string(f.out().join("style.css")).unwrap();
    assert!(css.contains("prefers-color-scheme: dark"));
    // No resource from elsewhere: every stylesheet, script and image is the site's own.
    let doc = f.html("sources/alpha/index.html");
    // (The canonical link is the page's own absolute URL, not a resource.)
    for el in select(
        &doc,
        "link[href]:not([rel='canonical']), script[src], img[src]",
    ) {
        let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
        assert!(url.starts_with("/sub/"), "external resource {url}");
    }

    f.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"custom\">{{ page.title }}</p>{% endblock main %}",
    );
    f.write("themes/default/static/extra.txt", "extra");
    f.build_ok();
    let doc = f.html("essays/one/index.html");
    assert_eq!(text(&select(&doc, "#custom")[0]), "Essay one");
    // Templates that were not overridden still come from the built-in theme.
    assert_eq!(
        select(&f.html("sources/alpha/index.html"), ".provenance").len(),
        1
    );
    assert!(f.out().join("extra.txt").is_file());
}

#[test]
fn builds_are_byte_for_byte_deterministic() {
    let f = Fixture::new("basic");
    f.build_ok();
    let first = snapshot(&f.out());
    std::fs::remove_dir_all(f.out()).unwrap();
    f.build_ok();
    let second = snapshot(&f.out());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            second[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_replaces_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new("basic");
    f.build_ok();
    let inode = |rel: &str| std::fs::metadata(f.out().join(rel)).unwrap().ino();
    let (seed_page, essay) = (
        inode("sources/legacy/index.html"),
        inode("essays/one/index.html"),
    );
    // A planted link in the output is never followed or kept, even when its target matches.
    let robots = std::fs::read(f.out().join("robots.txt")).unwrap();
    let elsewhere = f.path("robots-copy.txt");
    std::fs::write(&elsewhere, &robots).unwrap();
    std::fs::remove_file(f.out().join("robots.txt")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, f.out().join("robots.txt")).unwrap();

    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "A heading, twice.",
    );
    f.build_ok();
    // Unchanged bytes: the same file, hard-linked into the new output (and its time kept).
    assert_eq!(inode("sources/legacy/index.html"), seed_page);
    assert_ne!(inode("essays/one/index.html"), essay);
    assert!(f
        .read("public/essays/one/index.html")
        .contains("A heading, twice."));
    let robots_meta = std::fs::symlink_metadata(f.out().join("robots.txt")).unwrap();
    assert!(robots_meta.is_file(), "the symlink was kept");
    // The result is exactly a fresh build.
    let rebuilt = snapshot(&f.out());
    std::fs::remove_dir_all(f.out()).unwrap();
    f.build_ok();
    assert!(snapshot(&f.out()) == rebuilt);
}

#[test]
fn git_history_of_a_seed_is_listed() {
    let f = Fixture::new("basic");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(f.root())
            .args([
                "-c",
                "user.name=Ada Archivist",
                "-c",
                "user.email=ada@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .env("GIT_AUTHOR_DATE", "2024-05-06T07:08:09Z")
            .env("GIT_COMMITTER_DATE", "2024-05-06T07:08:09Z")
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "seeds", "content", "dossier.yaml"]);
    git(&["commit", "-q", "-m", "Acquire the alpha source"]);
    f.build_ok();
    let doc = f.html("sources/alpha/index.html");
    let history = text(&select(&doc, ".history")[0]);
    assert!(
        history.contains("2024-05-06")
            && history.contains("Ada Archivist")
            && history.contains("Acquire the alpha source"),
        "{history}"
    );
}

/// A build gives its pages to the output's staging folder as they are rendered instead of
/// holding the site: what it writes is, byte for byte, what a session compiles in memory (the
/// site `serve` serves), and an error still leaves the output as it was.
#[test]
fn a_streamed_build_writes_exactly_the_compiled_site() {
    let f = Fixture::new("basic");
    f.build_ok();
    let (compiled, _) = dossier::Session::new(f.options()).compile();
    let (_, site) = compiled.expect("compiles");
    assert!(site.streamed.is_empty(), "a session keeps every file");
    let mut written = snapshot(&f.out());
    written.remove(std::path::Path::new(dossier::write::MARKER));
    let expected: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> = site
        .files
        .into_iter()
        .map(|(p, b)| (std::path::PathBuf::from(p), b.to_vec()))
        .collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert!(written == expected, "the same bytes");

    let before = snapshot(&f.out());
    f.write(
        "content/essays/broken.md",
        "---\ntitle: [unclosed\n---\nBody\n",
    );
    assert!(dossier::build(&f.options()).has_errors());
    assert!(snapshot(&f.out()) == before, "an error writes nothing");
    let leftovers: Vec<_> = std::fs::read_dir(f.out().parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("dossier-new"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind");
}

/// A build with errors makes nothing on disk, not even the folders above a new output.
#[test]
fn a_failed_build_leaves_no_folder_behind() {
    let f = Fixture::new("basic");
    f.write(
        "content/essays/broken.md",
        "---\ntitle: [unclosed\n---\nBody\n",
    );
    let mut options = f.options();
    let outside = tempfile::tempdir().unwrap();
    options.output = Some(outside.path().join("new/deeper/site"));
    assert!(dossier::build(&options).has_errors());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
