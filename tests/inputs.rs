//! Nothing is dropped in silence: every file or folder of the dossier that is not read (it
//! cannot be, it is a link, it is not a regular file, it is too large) is a located diagnostic,
//! and a failed build leaves the previous output as it was.

mod common;
use common::*;
use dossier::diagnostics::{Diagnostic, Diagnostics};
use std::os::unix::fs::symlink;
use std::process::Command;

fn with_code(diags: &Diagnostics, code: &str) -> Vec<Diagnostic> {
    diags
        .sorted()
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The dossier binary with `args`; as root, without the capabilities that let root read any
/// file, so that permissions apply as they do to a user.
fn dossier_as_user(args: &[&str]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_dossier");
    let mut command = if unsafe_is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", "--", bin]);
        c
    } else {
        Command::new(bin)
    };
    command.args(args).output().expect("the binary runs")
}

fn unsafe_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn an_unreadable_content_folder_is_an_error_and_the_previous_site_stays() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    chmod(&f.path("content/essays"), 0o000);
    let root = f.root();
    let out = dossier_as_user(&["build", "--root", root.to_str().unwrap()]);
    chmod(&f.path("content/essays"), 0o755);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E200]: cannot read this folder: Permission denied (os error 13)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("= note: in content/essays\n"), "{stderr}");
    assert!(
        stderr.contains(
            "= help: its files would be missing from the site; make it readable, or move it out of content/"
        ),
        "{stderr}"
    );
    assert!(snapshot(&f.out()) == before, "the previous output changed");
}

#[test]
fn an_unreadable_sidecar_says_so_and_not_that_there_is_none() {
    let f = Fixture::new("basic");
    chmod(&f.path("seeds/alpha.yaml"), 0o000);
    let root = f.root();
    let out = dossier_as_user(&["check", "--root", root.to_str().unwrap()]);
    chmod(&f.path("seeds/alpha.yaml"), 0o644);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E200]: cannot read sidecar: Permission denied (os error 13)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("= note: in seeds/alpha.yaml\n"), "{stderr}");
    assert!(
        !stderr.contains("W205]: seed has no provenance sidecar\n = note: in seeds/alpha.txt"),
        "{stderr}"
    );
}

#[test]
fn a_path_too_long_for_the_system_is_an_error() {
    let (_, diags) = after(|f| {
        // Made step by step from inside, as no single call can name the whole path.
        let script = "import os\nos.chdir('content/essays')\nfor _ in range(18):\n    os.mkdir('d' * 250)\n    os.chdir('d' * 250)\nopen('page.md', 'w').write('---\\ntitle: deep\\n---\\n')\n";
        let status = Command::new("python3")
            .arg("-c")
            .arg(script)
            .current_dir(f.root())
            .status()
            .unwrap();
        assert!(status.success());
    });
    let e = only_error(&diags);
    assert_eq!(e.code, "E200");
    assert_eq!(
        e.message,
        "path too long for the system: what is below it cannot be read"
    );
    assert!(e.location.file.starts_with("content/essays/ddd"), "{e:?}");
    assert_eq!(
        e.hint.as_deref(),
        Some("its files would be missing from the site; shorten the names of its folders")
    );
}

#[test]
fn symbolic_links_are_warnings_and_not_followed() {
    let (f, diags) = after(|f| {
        let outside = f.dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "root:x:0:0\n").unwrap();
        std::fs::write(
            outside.join("page.md"),
            "---\ntitle: Linked\n---\nLinked text.\n",
        )
        .unwrap();
        symlink(outside.join("secret.txt"), f.path("seeds/linked.txt")).unwrap();
        symlink(outside.join("page.md"), f.path("content/linked.md")).unwrap();
        symlink(&outside, f.path("content/folder")).unwrap();
        std::fs::remove_file(f.path("seeds/alpha.yaml")).unwrap();
        symlink("/etc/passwd", f.path("seeds/alpha.yaml")).unwrap();
    });
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let links = with_code(&diags, "W210");
    let files: Vec<&str> = links.iter().map(|d| d.location.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "content/folder",
            "content/linked.md",
            "seeds/alpha.yaml",
            "seeds/linked.txt"
        ]
    );
    for d in &links {
        assert_eq!(
            d.message,
            "symbolic link skipped: only regular files inside the dossier are read"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("replace the link by a copy of the file or folder it points to")
        );
    }
    // Not followed: no seed, no page, no sidecar read (and no "no sidecar" warning).
    assert!(!f.out().join("sources/linked").exists());
    assert!(!f.out().join("linked").exists());
    assert!(!f.out().join("folder").exists());
    assert!(
        with_code(&diags, "W205")
            .iter()
            .all(|d| d.location.file != "seeds/alpha.txt"),
        "{}",
        diags.render_human()
    );
    assert!(!diags.render_human().contains("root:"));
}

#[test]
fn a_fifo_sidecar_or_page_does_not_hang_and_is_an_error() {
    let (_, diags) = after(|f| {
        std::fs::remove_file(f.path("seeds/alpha.yaml")).unwrap();
        for fifo in ["seeds/alpha.yaml", "content/fifo.md"] {
            let status = Command::new("mkfifo").arg(f.path(fifo)).status().unwrap();
            assert!(status.success());
        }
    });
    let errors = with_code(&diags, "E200");
    let files: Vec<&str> = errors.iter().map(|d| d.location.file.as_str()).collect();
    assert_eq!(files, ["content/fifo.md", "seeds/alpha.yaml"]);
    for e in &errors {
        assert_eq!(
            e.message,
            "not a regular file (a FIFO, socket or device): it is not read"
        );
    }
    assert!(
        with_code(&diags, "W205")
            .iter()
            .all(|d| d.location.file != "seeds/alpha.txt"),
        "{}",
        diags.render_human()
    );
}

#[test]
fn a_sidecar_over_one_mebibyte_is_not_read() {
    let (_, diags) = after(|f| {
        let mut text = f.read("seeds/alpha.yaml");
        text.push_str(&format!("rights: \"{}\"\n", "x".repeat(1 << 20)));
        f.write("seeds/alpha.yaml", &text);
    });
    let e = only_error(&diags);
    assert_at(&e, "E200", "seeds/alpha.yaml", 0, 0);
    assert_eq!(e.message, "sidecar is larger than 1 MiB: it is not read");
    assert_eq!(
        e.hint.as_deref(),
        Some("a sidecar may hold at most 1048576 bytes")
    );
}

#[test]
fn a_page_over_eight_mebibytes_is_not_read() {
    let (_, diags) = after(|f| {
        let text = format!("---\ntitle: Big\n---\n{}\n", "word ".repeat(2 << 20));
        f.write("content/big.md", &text);
    });
    let e = only_error(&diags);
    assert_at(&e, "E200", "content/big.md", 0, 0);
    assert_eq!(e.message, "page is larger than 8 MiB: it is not read");
}

#[test]
fn invalid_utf8_in_a_page_is_located_at_its_first_bad_byte() {
    let (_, diags) = after(|f| {
        std::fs::write(
            f.path("content/bad.md"),
            b"---\ntitle: Bad\n---\nGood line.\nCaf\xe9 ol\xe9.\n",
        )
        .unwrap();
    });
    let e = only_error(&diags);
    assert_at(&e, "E200", "content/bad.md", 5, 4);
    assert_eq!(
        e.message,
        "page is not valid UTF-8: byte 0xE9 is not part of a character"
    );
    assert_eq!(e.hint.as_deref(), Some("save the file as UTF-8"));
}

fn with_theme_static(f: &Fixture, rel: &str) {
    f.edit("dossier.yaml", "language: en", "language: en\ntheme: mine");
    f.write(&format!("themes/mine/static/{rel}"), "replaced");
}

#[test]
fn a_theme_static_file_never_replaces_a_seeds_published_original() {
    let (_, diags) = after(|f| with_theme_static(f, "sources/alpha/alpha.txt"));
    let e = only_error(&diags);
    assert_at(
        &e,
        "E209",
        "themes/mine/static/sources/alpha/alpha.txt",
        0,
        0,
    );
    assert_eq!(
        e.message,
        "themes/mine/static/sources/alpha/alpha.txt would replace the generated /sources/alpha/alpha.txt"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("rename or move it: the site generates that path")
    );
}

#[test]
fn a_theme_static_file_never_replaces_a_page_or_a_generated_folder() {
    let (_, diags) = after(|f| {
        with_theme_static(f, "index.html");
        f.write("themes/mine/static/sources", "a file where a folder is");
    });
    let errors = with_code(&diags, "E209");
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "themes/mine/static/index.html would replace the generated /index.html",
            "themes/mine/static/sources is published as /sources, a folder of the generated site (it holds /sources/alpha/alpha.bib)",
        ]
    );
}

#[test]
fn a_theme_may_still_replace_the_built_in_static_files() {
    let (f, diags) = after(|f| with_theme_static(f, "style.css"));
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert_eq!(
        std::fs::read_to_string(f.out().join("style.css")).unwrap(),
        "replaced"
    );
}

#[test]
fn control_characters_from_content_never_reach_the_terminal_raw() {
    let f = Fixture::new("basic");
    f.write(
        "content/evil.md",
        "---\ntitle: Evil\n---\nSee [x](<seed:\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}gel>).\n",
    );
    let root = f.root();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--root", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains(
            "error[E301]: no seed with the id `\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{202e}gel`\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 | See [x](<seed:\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{202e}gel>).\n"),
        "{stderr}"
    );
    // JSON keeps the text as it is, escaped by JSON itself.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "check",
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E301")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        message,
        "no seed with the id `\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}gel`"
    );
}
