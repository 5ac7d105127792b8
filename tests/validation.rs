//! Validation gaps closed and diagnostics that say what is true: each case's exact message,
//! place and exit status, with the previous output left as it was.

mod common;
use common::*;
use dossier::diagnostics::Diagnostic;
use std::process::Command;

/// Builds once, applies `breakage`, builds again: the single error, after checking that the
/// first output survived byte for byte.
fn error_after(breakage: impl FnOnce(&Fixture)) -> Diagnostic {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    breakage(&f);
    let diags = f.build();
    assert!(diags.has_errors(), "the broken dossier built");
    assert!(snapshot(&f.out()) == before, "the previous output changed");
    only_error(&diags)
}

fn page(f: &Fixture, rel: &str, text: &str) {
    f.write(rel, text);
}

#[test]
fn an_empty_quotation_is_an_error_not_a_plain_citation() {
    for inner in ["", " ", "\u{200b}", "\u{feff}\u{200d}"] {
        let e = error_after(|f| {
            let text = format!("---\ntitle: Q\n---\nSee [“{inner}”](seed:alpha#p1).\n");
            page(f, "content/q.md", &text);
        });
        assert_at(&e, "E310", "content/q.md", 4, 5);
        assert_eq!(
            e.message,
            "empty quotation: its quotation marks hold no words"
        );
        assert_eq!(e.hint.as_deref(), Some("put the source's words between the marks, or remove the marks to cite the source without quoting it"));
    }
}

#[test]
fn a_sidecar_speaker_must_be_a_glossary_entry() {
    let e = error_after(|f| {
        let text = f.read("seeds/alpha.yaml");
        f.write(
            "seeds/alpha.yaml",
            &format!("{text}quotes:\n  - text: \"Third paragraph\"\n    speaker: jane-do\n"),
        );
        f.write(
            "content/glossary/jane-doe.md",
            "---\nterm: Jane Doe\nkind: person\n---\nA speaker.\n",
        );
    });
    assert_at(&e, "E201", "seeds/alpha.yaml", 14, 5);
    assert_eq!(e.message, "`speaker: jane-do` is not a glossary entry");
    assert_eq!(e.hint.as_deref(), Some("did you mean `jane-doe`?"));
}

#[test]
fn an_empty_or_blank_alias_is_an_error() {
    // At the very item, in flow or block style.
    for (aliases, line, column) in [
        ("[\"\"]", 3, 11),
        ("[\" \"]", 3, 11),
        ("[\"Doe\", \"\\u200b\"]", 3, 18),
        ("\n  - Doe\n  - ''", 5, 5),
    ] {
        let e = error_after(|f| {
            f.write(
                "content/glossary/jane-doe.md",
                &format!("---\nterm: Jane Doe\naliases: {aliases}\n---\nA speaker.\n"),
            );
        });
        assert_at(&e, "E300", "content/glossary/jane-doe.md", line, column);
        assert_eq!(e.message, "an alias is empty: it would name nothing");
    }
}

#[test]
fn a_null_or_blank_title_or_term_is_an_error() {
    for (rel, front, message) in [
        (
            "content/n.md",
            "title: ~",
            "`title` is null (`~`, `null` or nothing after `title:`), not a text",
        ),
        (
            "content/n.md",
            "title: null",
            "`title` is null (`~`, `null` or nothing after `title:`), not a text",
        ),
        ("content/n.md", "title: \"  \"", "`title` is empty"),
        (
            "content/glossary/n.md",
            "term:",
            "`term` is null (`~`, `null` or nothing after `term:`), not a text",
        ),
    ] {
        let e = error_after(|f| f.write(rel, &format!("---\n{front}\n---\nText.\n")));
        assert_at(&e, "E300", rel, 2, 1);
        assert_eq!(e.message, message);
    }
}

#[test]
fn ids_windows_reserves_are_errors() {
    for name in ["con", "nul", "aux", "prn", "com1", "lpt9"] {
        let e =
            error_after(|f| f.write(&format!("content/{name}.md"), "---\ntitle: R\n---\nText.\n"));
        assert_at(&e, "E203", &format!("content/{name}.md"), 0, 0);
        assert_eq!(
            e.message,
            format!("`{name}` in the page path `{name}` is a device name Windows reserves: its folder could not be created there")
        );
        assert_eq!(
            e.hint.as_deref(),
            Some(format!("rename it, e.g. to `{name}-1`").as_str())
        );
    }
    let f = Fixture::new("basic");
    f.edit("seeds/alpha.yaml", "id: alpha", "id: aux");
    let diags = f.build();
    let e = diags
        .sorted()
        .into_iter()
        .find(|d| d.code == "E203")
        .unwrap();
    assert_at(&e, "E203", "seeds/alpha.yaml", 1, 1);
    assert_eq!(
        e.message,
        "seed id `aux` is a device name Windows reserves: its folder could not be created there"
    );
    let e = error_after(|f| f.write("content/notes/com3/index.md", "---\ntitle: R\n---\nText.\n"));
    assert_eq!(e.location.file, "content/notes/com3/index.md");
    assert!(dossier::paths::is_reserved("NUL.txt") && dossier::paths::is_reserved("Com1"));
    assert!(!dossier::paths::is_reserved("com0") && !dossier::paths::is_reserved("console"));
}

fn dossier_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_bad_or_scheme_relative_base_url_is_refused_with_status_two() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    let root = f.root();
    for (url, message) in [
        ("//evil.example/", "error[E100]: base_url `//evil.example/` starts with two slashes: browsers read it as another host (`//host/`), not a path\n"),
        ("/\\evil.example/", "error[E100]: base_url `/\\evil.example/` starts with two slashes: browsers read it as another host (`//host/`), not a path\n"),
        ("ftp://x/", "error[E100]: base_url `ftp://x/` must be an http(s) URL or a path\n"),
    ] {
        let out = dossier_cli(&["build", "--root", root.to_str().unwrap(), "--base-url", url]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains("= note: in --base-url\n"), "{stderr}");
    }
    assert!(snapshot(&f.out()) == before);
}

#[test]
fn a_malformed_sha256_says_so_and_not_that_the_source_was_altered() {
    let e = error_after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "sha256: \"3535d694",
            "sha256: \"zz35d694",
        )
    });
    assert_at(&e, "E201", "seeds/alpha.yaml", 7, 1);
    assert_eq!(
        e.message,
        "sha256 is not 64 hexadecimal digits (it has 64 characters), so seeds/alpha.txt cannot be checked against it"
    );
    let e = error_after(|f| f.edit("seeds/alpha.yaml", "c60ff14c\"", "\""));
    assert_eq!(
        e.message,
        "sha256 is not 64 hexadecimal digits (it has 56 characters), so seeds/alpha.txt cannot be checked against it"
    );
}

#[test]
fn unclosed_and_toml_front_matter_say_what_is_wrong() {
    let e = error_after(|f| f.write("content/u.md", "---\ntitle: U\n\nText without an end.\n"));
    assert_at(&e, "E300", "content/u.md", 1, 1);
    assert_eq!(
        e.message,
        "front matter is not closed: no `---` line ends it"
    );
    let e = error_after(|f| f.write("content/t.md", "+++\ntitle = \"T\"\n+++\nText.\n"));
    assert_at(&e, "E300", "content/t.md", 1, 1);
    assert_eq!(
        e.message,
        "TOML front matter is not supported; use YAML between --- lines"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("replace both `+++` lines by `---`, and write `title = \"…\"` as `title: …`")
    );
    let e = error_after(|f| f.write("content/none.md", "Just text.\n"));
    assert_eq!(e.message, "page has no front matter");
}

#[test]
fn binary_seeds_and_utf16_without_a_bom_are_errors() {
    let utf16: Vec<u8> = "Plain words here.\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let f = Fixture::new("basic");
    std::fs::write(f.path("seeds/utf16nobom.txt"), &utf16).unwrap();
    std::fs::write(
        f.path("seeds/binary.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    let diags = f.build();
    let errors: Vec<Diagnostic> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.code == "E211")
        .collect();
    assert_eq!(errors.len(), 2, "{}", diags.render_human());
    assert_at(&errors[0], "E211", "seeds/binary.txt", 0, 0);
    assert_eq!(errors[0].message, "seed is not text: it holds 3 NUL bytes");
    assert_at(&errors[1], "E211", "seeds/utf16nobom.txt", 0, 0);
    assert_eq!(
        errors[1].message,
        "seed looks like UTF-16 without a byte order mark (18 NUL bytes): it would be decoded wrongly"
    );
}

#[test]
fn a_few_control_characters_in_a_seed_never_reach_the_html() {
    let f = Fixture::new("basic");
    let text = format!(
        "{}A bell\u{7} and an escape\u{1b} in prose.\n",
        "Plain prose words. ".repeat(20)
    );
    f.write("seeds/controls.txt", &text);
    let diags = f.build();
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let w = diags
        .sorted()
        .into_iter()
        .find(|d| d.code == "W206" && d.location.file == "seeds/controls.txt")
        .expect("a decoding warning");
    assert_eq!(
        w.message,
        "seed could not be decoded cleanly as UTF-8; some characters are shown as �"
    );
    let html = std::fs::read_to_string(f.out().join("sources/controls/index.html")).unwrap();
    assert!(!html.contains('\u{7}') && !html.contains('\u{1b}'));
    assert!(html.contains("A bell\u{fffd} and an escape\u{fffd} in prose."));
    // The original bytes are published unchanged.
    assert_eq!(
        std::fs::read_to_string(f.out().join("sources/controls/controls.txt")).unwrap(),
        text
    );
}
