//! The last of "nothing dropped or trusted in silence" and "diagnostics that mislead": an
//! empty dossier never replaces a site, a sitemap over its URL limit becomes an index,
//! duplicate keys and broken override templates are reported where they are, and the theme's
//! own files are walked like the dossier's.

mod common;
use common::*;
use dossier::diagnostics::Diagnostics;
use std::process::Command;

/// Builds once, applies `change`, builds again: the diagnostics of the second build, after
/// checking that a failed one left the first output byte for byte.
fn after(change: impl FnOnce(&Fixture)) -> (Fixture, Diagnostics) {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    change(&f);
    let diags = f.build();
    if diags.has_errors() {
        assert!(snapshot(&f.out()) == before, "the previous output changed");
    }
    (f, diags)
}

fn dossier(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .expect("the binary runs")
}

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
