//! Static files and page assets: `static/` is copied to the site root over the theme's files,
//! the non-Markdown files of a page folder are published beside the page, image and file links
//! resolve like every reference (relative, or `/path` from the site root) under the base path,
//! and every problem is a located diagnostic.

mod common;
use common::*;
use dossier::diagnostics::Diagnostic;
use dossier::Session;

fn fixture() -> Fixture {
    Fixture::new("assets")
}

/// The fixture with `breakage` applied: its single error.
fn error_after(breakage: impl FnOnce(&Fixture)) -> Diagnostic {
    let f = fixture();
    breakage(&f);
    let diags = f.build();
    assert!(!f.out().exists(), "a failed build wrote output");
    only_error(&diags)
}

fn bytes(path: std::path::PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn files_are_published_and_links_point_at_them_under_the_base_path() {
    let f = fixture();
    let diags = f.build_ok();
    assert_eq!(diags.warning_count(), 0, "{}", diags.render_human());
    for (source, out) in [
        ("static/logo.svg", "logo.svg"),
        ("content/notes/trip/map.png", "notes/trip/map.png"),
        ("content/notes/trip/report.pdf", "notes/trip/report.pdf"),
        (
            "content/notes/trip/img/detail.png",
            "notes/trip/img/detail.png",
        ),
        // The project's static file wins over the theme's of the same path.
        ("static/favicon.svg", "favicon.svg"),
    ] {
        assert_eq!(bytes(f.path(source)), bytes(f.out().join(out)), "{out}");
    }
    assert!(!f.out().join("notes/trip/index.md").exists());
    assert!(!f.out().join("static").exists());

    let trip = f.html("notes/trip/index.html");
    let srcs = |doc: &scraper::Html| -> Vec<String> {
        select(doc, "main img")
            .iter()
            .map(|e| e.value().attr("src").unwrap().to_string())
            .collect()
    };
    let hrefs = |doc: &scraper::Html, ext: &str| -> Vec<String> {
        select(doc, "main a[href]")
            .iter()
            .map(|e| e.value().attr("href").unwrap().to_string())
            .filter(|h| h.split('#').next().unwrap().ends_with(ext))
            .collect()
    };
    assert_eq!(
        srcs(&trip),
        [
            "/sub/notes/trip/map.png",
            "/sub/notes/trip/img/detail.png",
            "/sub/logo.svg"
        ]
    );
    assert_eq!(attr(&trip, "main img", "alt"), "A map of the trip");
    assert_eq!(
        hrefs(&trip, ".pdf"),
        [
            "/sub/notes/trip/report.pdf",
            "/sub/notes/trip/report.pdf#page=2"
        ]
    );
    let essay = f.html("essays/one/index.html");
    assert_eq!(srcs(&essay), ["/sub/notes/trip/map.png"]);
    assert_eq!(hrefs(&essay, ".png"), ["/sub/notes/trip/map.png"]);
    assert_eq!(hrefs(&essay, ".svg"), ["/sub/logo.svg"]);
    assert_eq!(srcs(&f.html("index.html")), ["/sub/logo.svg"]);
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}

#[test]
fn a_second_build_is_identical_and_keeps_unchanged_assets_hard_linked() {
    use std::os::unix::fs::MetadataExt;
    let f = fixture();
    f.build_ok();
    let first = snapshot(&f.out());
    let inode = |rel: &str| std::fs::metadata(f.out().join(rel)).unwrap().ino();
    let (map, logo) = (inode("notes/trip/map.png"), inode("logo.svg"));
    f.build_ok();
    assert!(snapshot(&f.out()) == first, "the second build differs");
    assert_eq!(
        (inode("notes/trip/map.png"), inode("logo.svg")),
        (map, logo)
    );
}

#[test]
fn a_broken_image_is_located_and_the_nearest_file_suggested() {
    let e = error_after(|f| f.edit("content/notes/trip/index.md", "(map.png", "(map.pgn"));
    assert_at(&e, "E301", "content/notes/trip/index.md", 6, 22);
    assert_eq!(
        e.message,
        "`map.pgn` is not a file of this dossier (content/notes/trip/map.pgn)"
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `map.png`?"));
}

#[test]
fn a_broken_file_link_from_another_folder_suggests_the_path_from_there() {
    let e = error_after(|f| {
        f.edit(
            "content/essays/one.md",
            "(../notes/trip/map.png)",
            "(../notes/trip/mpa.png)",
        )
    });
    assert_at(&e, "E301", "content/essays/one.md", 4, 18);
    assert_eq!(
        e.message,
        "`../notes/trip/mpa.png` is not a file of this dossier (content/notes/trip/mpa.png)"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean `../notes/trip/map.png`?")
    );
}

#[test]
fn a_broken_site_path_suggests_the_nearest_file_of_the_site() {
    let e = error_after(|f| f.edit("content/notes/trip/index.md", "(/logo.svg)", "(/logo.sgv)"));
    assert_at(&e, "E301", "content/notes/trip/index.md", 9, 53);
    assert_eq!(e.message, "`/logo.sgv` is not a file of the site");
    assert_eq!(e.hint.as_deref(), Some("did you mean `/logo.svg`?"));
}

#[test]
fn an_image_must_be_a_file() {
    let e = error_after(|f| f.edit("content/_index.md", "(/logo.svg)", "(page:notes/trip)"));
    assert_at(&e, "E301", "content/_index.md", 4, 33);
    assert_eq!(e.message, "image `page:notes/trip` is not a file");
}

#[test]
fn a_stray_file_in_content_is_a_warning_and_a_link_to_it_an_error() {
    let f = fixture();
    f.write("content/essays/scan.png", "not published");
    let diags = f.build_ok();
    let warnings: Vec<Diagnostic> = diags
        .sorted()
        .into_iter()
        .filter(|d| !d.is_error())
        .collect();
    assert_eq!(warnings.len(), 1, "{}", diags.render_human());
    let w = &warnings[0];
    assert_at(w, "W208", "content/essays/scan.png", 0, 0);
    assert_eq!(
        w.message,
        "not published: content/essays/ is not a page folder (it has no index.md or _index.md)"
    );
    assert_eq!(
        w.hint.as_deref(),
        Some("move the file to static/, or into the folder of the page that shows it")
    );
    assert!(!f.out().join("essays/scan.png").exists());

    f.edit(
        "content/essays/one.md",
        "(../notes/trip/map.png)",
        "(scan.png)",
    );
    let e = only_error(&f.build());
    assert_at(&e, "E301", "content/essays/one.md", 4, 18);
    assert_eq!(
        e.message,
        "`scan.png` is not published: content/essays/scan.png is not in a page folder"
    );
}

#[test]
fn hidden_and_backup_files_are_skipped_without_a_word() {
    let f = fixture();
    f.write("content/notes/trip/.DS_Store", "x");
    f.write("content/essays/.gitkeep", "");
    f.write("content/notes/trip/index.md~", "old");
    f.write("static/.gitkeep", "");
    let diags = f.build_ok();
    assert_eq!(diags.warning_count(), 0, "{}", diags.render_human());
    assert!(!f.out().join("notes/trip/.DS_Store").exists());
    assert!(!f.out().join(".gitkeep").exists());
    assert!(!f.out().join("notes/trip/index.md~").exists());
}

#[test]
fn a_file_in_the_way_of_the_generated_site_is_an_error() {
    for (file, message) in [
        (
            "static/index.html",
            "static/index.html would replace the generated /index.html",
        ),
        (
            "static/dossier.json",
            "static/dossier.json would replace the generated /dossier.json",
        ),
        (
            "static/sources",
            "static/sources is published as /sources, a folder of the generated site (it holds /sources/index.html)",
        ),
        (
            "static/essays/one/index.html",
            "static/essays/one/index.html would replace the generated /essays/one/index.html",
        ),
        (
            "content/notes/trip/index.html",
            "content/notes/trip/index.html would replace the generated /notes/trip/index.html",
        ),
        (
            "static/robots.txt/x",
            "static/robots.txt/x is published as /robots.txt/x, under the generated file /robots.txt",
        ),
    ] {
        let e = error_after(|f| f.write(file, "in the way"));
        assert_at(&e, "E209", file, 0, 0);
        assert_eq!(e.message, message);
        assert_eq!(
            e.hint.as_deref(),
            Some("rename or move it: the site generates that path")
        );
    }
}

#[test]
fn a_static_file_and_a_page_asset_may_not_share_a_path() {
    let e = error_after(|f| f.write("static/notes/trip/map.png", "another map"));
    assert_at(&e, "E209", "content/notes/trip/map.png", 0, 0);
    assert_eq!(
        e.message,
        "content/notes/trip/map.png and static/notes/trip/map.png are both published as /notes/trip/map.png"
    );
}

#[test]
fn a_page_whose_image_appears_is_rendered_again() {
    let f = fixture();
    std::fs::remove_file(f.path("content/notes/trip/img/detail.png")).unwrap();
    let mut session = Session::new(f.options());
    let (site, diags) = session.compile();
    assert!(site.is_none());
    assert_eq!(
        only_error(&diags).message,
        "`img/detail.png` is not a file of this dossier (content/notes/trip/img/detail.png)"
    );
    std::fs::write(f.path("content/notes/trip/img/detail.png"), b"a detail").unwrap();
    let (site, diags) = session.compile();
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let (_, site) = site.unwrap();
    assert!(session
        .rendered()
        .contains(&"notes/trip/index.html".to_string()));
    let (fresh, _) = Session::new(f.options()).compile();
    assert!(
        fresh.unwrap().1 == site,
        "the rebuild differs from a full build"
    );
    assert_eq!(&site.files["notes/trip/img/detail.png"][..], b"a detail");
}
