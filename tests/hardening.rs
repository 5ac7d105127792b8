//! The last of "nothing dropped or trusted in silence" and "diagnostics that mislead": an
//! empty dossier never replaces a site, a sitemap over its URL limit becomes an index,
//! duplicate keys and broken override templates are reported where they are, and the theme's
//! own files are walked like the dossier's.

mod common;
use common::*;
use std::process::Command;

#[test]
fn a_dossier_with_nothing_in_it_never_replaces_the_previous_site() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    std::fs::remove_dir_all(f.path("seeds")).unwrap();
    std::fs::remove_dir_all(f.path("content")).unwrap();
    let root = f.root();
    let out = dossier(&["build", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[E212]: nothing to build: no seeds in seeds/ and no commentary pages in content/\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("= note: in content/\n"), "{stderr}");
    assert!(
        stderr.contains("= help: add a seed (`dossier new seed FILE`) or a page (`dossier new page PATH`); a new dossier's `dossier init DIR` has both\n"),
        "{stderr}"
    );
    assert!(snapshot(&f.out()) == before, "the previous output changed");
}

#[test]
fn a_dossier_of_drafts_only_says_how_to_include_them() {
    let (_, diags) = after(|f| {
        std::fs::remove_dir_all(f.path("seeds")).unwrap();
        for page in [
            "content/_index.md",
            "content/essays/one.md",
            "content/essays/two.md",
        ] {
            std::fs::remove_file(f.path(page)).unwrap();
        }
    });
    let e = only_error(&diags);
    assert_at(&e, "E212", "content/", 0, 0);
    assert_eq!(
        e.hint.as_deref(),
        Some(
            "1 draft page is left out: build with `--drafts` to include it, or set `draft: false`"
        )
    );
}

/// Each sitemap file of the site at `out` parsed by Python's XML parser: its root element and
/// how many `<loc>`s it has, by file name.
fn sitemaps(out: &std::path::Path) -> serde_json::Value {
    let script = r#"
import json, pathlib, sys, xml.etree.ElementTree as ET
ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
found = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("sitemap*.xml")):
    root = ET.parse(path).getroot()
    locs = [e.text for e in root.iter(ns + "loc")]
    found[path.name] = {"root": root.tag.replace(ns, ""), "locs": len(locs), "first": locs[0]}
print(json.dumps(found))
"#;
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(out)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

#[test]
fn over_fifty_thousand_urls_the_sitemap_is_an_index_of_sitemaps() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dossier");
    std::fs::create_dir_all(root.join("content/p")).unwrap();
    std::fs::write(
        root.join("dossier.yaml"),
        "title: Big\nbase_url: https://example.org/sub/\n",
    )
    .unwrap();
    let page = |i: usize| {
        std::fs::write(
            root.join(format!("content/p/{i:05}.md")),
            format!("---\ntitle: P{i}\n---\nText.\n"),
        )
        .unwrap();
    };
    // The home page, the quotes and the sources list, and 49,997 pages: 50,000 URLs.
    (0..49_997).for_each(page);
    let options = dossier::BuildOptions::new(&root);
    let out = options.output_dir();
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert_eq!(
        sitemaps(&out),
        serde_json::json!({"sitemap.xml": {"root": "urlset", "locs": 50_000, "first": "https://example.org/sub/"}})
    );
    page(49_997);
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert_eq!(
        sitemaps(&out),
        serde_json::json!({
            "sitemap.xml": {"root": "sitemapindex", "locs": 2, "first": "https://example.org/sub/sitemap-1.xml"},
            "sitemap-1.xml": {"root": "urlset", "locs": 50_000, "first": "https://example.org/sub/"},
            "sitemap-2.xml": {"root": "urlset", "locs": 1, "first": "https://example.org/sub/sources/"},
        })
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.org/sub/sitemap.xml\n"),
        "{robots}"
    );
}

#[test]
fn a_duplicate_key_is_reported_where_it_is_set_again() {
    let (_, diags) = after(|f| {
        f.edit(
            "content/essays/one.md",
            "toc: true\n",
            "toc: true\ntitle: \"Again\"\n",
        )
    });
    let e = only_error(&diags);
    assert_at(&e, "E300", "content/essays/one.md", 5, 1);
    assert_eq!(
        e.message,
        "duplicate field `title`: set again here, first on line 2"
    );
    assert_eq!(e.hint.as_deref(), Some("keep one of the two"));
    assert_eq!(e.location.source_line, "title: \"Again\"");
    assert_eq!(e.location.marked, 0..5);
}

#[test]
fn a_duplicate_key_in_a_nested_mapping_or_a_list_item_is_found_too() {
    let (_, diags) = after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "inferred:\n  published: \"the text",
            "inferred:\n  \"published\": earlier\n\n  # a comment\n  published: \"the text",
        );
        f.edit(
            "seeds/alpha.yaml",
            "notes: |",
            "quotes:\n  - text: First paragraph\n    speaker: someone\n    text: line one\nnotes: |",
        );
    });
    let errors: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{}", diags.render_human());
    // The YAML parser stops at the first: the nested one (a map that once kept the last).
    assert_at(&errors[0], "E201", "seeds/alpha.yaml", 12, 3);
    assert_eq!(
        errors[0].message,
        "inferred: duplicate field `published`: set again here, first on line 9"
    );
    let (_, diags) = after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "notes: |",
            "quotes:\n  - text: First paragraph\n    speaker: someone\n    text: line one\nnotes: |",
        );
    });
    let e = only_error(&diags);
    assert_at(&e, "E201", "seeds/alpha.yaml", 13, 5);
    assert_eq!(
        e.message,
        "quotes[0]: duplicate field `text`: set again here, first on line 11"
    );
}

fn with_theme_page(f: &Fixture, page: &str) {
    f.edit("dossier.yaml", "language: en", "language: en\ntheme: mine");
    f.write("themes/mine/templates/page.html", page);
}

#[test]
fn a_broken_override_template_is_reported_in_its_own_file_not_in_the_one_it_extends() {
    let (_, diags) = after(|f| {
        with_theme_page(
            f,
            "{% extends \"base.html\" %}\n{% block main %}{{ page.title }{% endblock main %}\n",
        )
    });
    let e = only_error(&diags);
    assert_at(&e, "E101", "themes/mine/templates/page.html", 2, 31);
    assert_eq!(
        e.message,
        "template does not compile: Found `}` but expected }}."
    );
    assert_eq!(
        e.location.source_line,
        "{% block main %}{{ page.title }{% endblock main %}"
    );
}

#[test]
fn a_block_no_parent_has_and_an_unknown_filter_are_located_in_the_override() {
    let (_, diags) = after(|f| {
        with_theme_page(
            f,
            "{% extends \"base.html\" %}\n{% block content %}\n{% endblock content %}\n",
        )
    });
    let e = only_error(&diags);
    assert_at(&e, "E101", "themes/mine/templates/page.html", 2, 10);
    assert_eq!(
        e.message,
        "template does not compile: Block `content` is not defined in any parent template"
    );
    let (_, diags) = after(|f| {
        with_theme_page(
            f,
            "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.title | shout }}</p>\n{% endblock main %}\n",
        )
    });
    let e = only_error(&diags);
    assert_at(&e, "E101", "themes/mine/templates/page.html", 3, 20);
    assert_eq!(
        e.message,
        "template does not compile: Unknown filter `shout`"
    );
}

#[test]
fn a_template_that_fails_to_render_is_located_at_the_failing_expression() {
    let (_, diags) = after(|f| {
        with_theme_page(
            f,
            "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.nope.deeper }}</p>\n{% endblock main %}\n",
        )
    });
    let errors: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 2, "{}", diags.render_human());
    assert_at(&errors[0], "E101", "themes/mine/templates/page.html", 3, 12);
    assert!(
        errors[0]
            .message
            .starts_with("template failed for /essays/one/: Field `nope` is not defined."),
        "{}",
        errors[0].message
    );
}

#[test]
fn the_themes_own_folders_report_links_and_what_is_not_a_regular_file() {
    let (f, diags) = after(|f| {
        with_theme_page(f, "{% extends \"base.html\" %}\n");
        std::fs::create_dir_all(f.path("themes/mine/static")).unwrap();
        let outside = f.dir.path().join("outside.css");
        std::fs::write(&outside, "body { color: red }").unwrap();
        std::os::unix::fs::symlink(&outside, f.path("themes/mine/static/linked.css")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", f.path("themes/mine/templates/base.html"))
            .unwrap();
        let status = Command::new("mkfifo")
            .arg(f.path("themes/mine/static/fifo.css"))
            .status()
            .unwrap();
        assert!(status.success());
    });
    let links: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.code == "W210")
        .collect();
    let files: Vec<&str> = links.iter().map(|d| d.location.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "themes/mine/static/linked.css",
            "themes/mine/templates/base.html"
        ]
    );
    assert_eq!(
        links[0].message,
        "symbolic link skipped: only regular files inside the dossier are read"
    );
    let e = only_error(&diags);
    assert_at(&e, "E200", "themes/mine/static/fifo.css", 0, 0);
    assert_eq!(
        e.message,
        "not a regular file (a FIFO, socket or device): it is not read"
    );
    assert!(!f.out().join("linked.css").exists());
}

#[test]
fn an_unreadable_theme_folder_is_an_error() {
    let f = Fixture::new("basic");
    with_theme_page(&f, "{% extends \"base.html\" %}\n");
    f.write("themes/mine/static/css/extra.css", "p {}");
    use std::os::unix::fs::PermissionsExt;
    let folder = f.path("themes/mine/static/css");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = f.root();
    // As root, without the capabilities that let root read any folder.
    let root_user = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    let bin = env!("CARGO_BIN_EXE_dossier");
    let mut command = Command::new(if root_user { "setpriv" } else { bin });
    if root_user {
        command.args(["--bounding-set=-dac_override,-dac_read_search", "--", bin]);
    }
    let out = command
        .args(["check", "--root", root.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E200]: cannot read this folder: Permission denied (os error 13)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= note: in themes/mine/static/css\n"),
        "{stderr}"
    );
}

#[test]
fn a_symbolic_link_for_dossier_yaml_is_refused() {
    let (_, diags) = after(|f| {
        let outside = f.dir.path().join("elsewhere.yaml");
        std::fs::rename(f.path("dossier.yaml"), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, f.path("dossier.yaml")).unwrap();
    });
    let e = only_error(&diags);
    assert_at(&e, "E100", "dossier.yaml", 0, 0);
    assert_eq!(
        e.message,
        "dossier.yaml is a symbolic link: only regular files inside the dossier are read"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("replace the link by a copy of the file it points to")
    );
}
