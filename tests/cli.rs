//! The command line: exit statuses, `check --format json`, `check --strict`, and the
//! compiler-style error display.

mod common;
use common::*;

#[test]
fn build_succeeds_with_status_zero() {
    let f = Fixture::new("basic");
    let root = f.root();
    let out = dossier(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(f.out().join("index.html").is_file());
}

#[test]
fn errors_exit_with_one_and_print_like_a_compiler() {
    let f = Fixture::new("basic");
    f.edit("content/essays/two.md", "seed:legacy#p1", "seed:legasy#p1");
    let out = dossier(&["build", "--root", f.root().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[E301]: no seed with the id `legasy`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/essays/two.md:7:67"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `seed:legacy`?"),
        "{stderr}"
    );
    assert!(!f.out().exists());
}

#[test]
fn wrong_usage_exits_with_two() {
    assert_eq!(dossier(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(dossier(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_writes_nothing_and_reports_json() {
    let f = Fixture::new("basic");
    f.edit("content/essays/one.md", "seed:alpha#p2", "seed:alpha#p7");
    let out = dossier(&[
        "check",
        "--root",
        f.root().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 1);
    let error = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["code"], "E302");
    assert_eq!(error["file"], "content/essays/one.md");
    assert_eq!(error["line"], 8);
    assert_eq!(error["column"], 81);
    assert_eq!(error["hint"], "it has paragraphs #p1–#p3 and lines #L1–#L6");
    assert!(!f.out().exists(), "check never writes");
}

#[test]
fn strict_check_fails_on_seeds_without_a_sidecar() {
    let f = Fixture::new("basic");
    let root = f.root();
    let root = root.to_str().unwrap();
    assert_eq!(dossier(&["check", "--root", root]).status.code(), Some(0));
    let out = dossier(&["check", "--root", root, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[W205]: seed has no provenance sidecar"),
        "{stderr}"
    );
    assert!(stderr.contains("seeds/legacy.txt"), "{stderr}");
}

#[test]
fn a_bad_base_url_is_an_error_wherever_it_is_given() {
    let f = Fixture::new("basic");
    let root = f.root();
    let out = dossier(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--base-url",
        "ftp://example.org/x/",
    ]);
    // A bad `--base-url` is wrong usage: status 2, as for any bad argument.
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error[E100]: base_url `ftp://example.org/x/` must be an http(s) URL or a path"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("in --base-url"), "{stderr}");
    assert!(!f.out().exists());

    f.edit(
        "dossier.yaml",
        "https://example.org/sub/",
        "example.org/sub",
    );
    let e = only_error(&dossier::check(&f.options()));
    assert_eq!(
        (e.code, e.location.file.as_str(), e.location.line),
        ("E100", "dossier.yaml", 2)
    );
    assert!(
        e.message
            .starts_with("base_url `example.org/sub` is not a URL"),
        "{}",
        e.message
    );
}

#[test]
fn init_then_build_then_check_strict_succeed_with_the_real_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("fresh");
    let root_s = root.to_str().unwrap();
    let out = dossier(&["init", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("created {root_s}/seeds/example.txt")),
        "{stderr}"
    );
    let out = dossier(&["build", "--root", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root.join("public/index.html").is_file());
    let out = dossier(&["check", "--strict", "--root", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The seed's sidecar records today's date (the one wall-clock reading).
    let sidecar = std::fs::read_to_string(root.join("seeds/example.yaml")).unwrap();
    let retrieved = sidecar
        .lines()
        .find_map(|l| l.strip_prefix("retrieved: \""))
        .unwrap();
    assert!(dossier::date::Date::parse(retrieved.trim_end_matches('"')).is_ok());

    // A second init into the same folder refuses, with status 1 and a compiler-style error.
    let out = dossier(&["init", root_s]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error[E600]: `{root_s}` is not empty (it holds `.github` and "
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: name a new folder"), "{stderr}");
}

#[test]
fn new_seed_page_and_term_with_the_real_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("d");
    let root_s = root.to_str().unwrap();
    assert_eq!(dossier(&["init", root_s]).status.code(), Some(0));
    let text = tmp.path().join("minutes.txt");
    std::fs::write(&text, b"Minutes of the meeting.\n").unwrap();
    let out = dossier(&["new", "seed", text.to_str().unwrap(), "--root", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(root.join("seeds/minutes.txt")).unwrap(),
        b"Minutes of the meeting.\n"
    );
    let out = dossier(&["new", "seed", text.to_str().unwrap(), "--root", root_s]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "error[E600]: `seeds/minutes.txt` already exists: `new seed` never overwrites a file"
    ));
    let out = dossier(&["new", "page", "notes/minutes", "--root", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dossier(&["new", "term", "--root", root_s, "Parish Council"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("help: use `dossier new term parish-council`"));
    let out = dossier(&["check", "--strict", "--root", root_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Wrong usage is status 2.
    assert_eq!(dossier(&["new"]).status.code(), Some(2));
    assert_eq!(dossier(&["new", "seed"]).status.code(), Some(2));
}
