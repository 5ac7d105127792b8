//! `dossier init` and `dossier new seed|page|term`, through the library: what `init` writes
//! builds at once and passes `check --strict`; `new seed` copies bytes exactly; every refusal
//! (a non-empty folder, an existing file, a bad id, no dossier) is a diagnostic with a hint.

mod common;
use common::*;
use dossier::scaffold;
use dossier::BuildOptions;
use sha2::{Digest, Sha256};
use std::path::Path;

const TODAY: &str = "2026-01-02";

fn strict(root: &Path) -> dossier::diagnostics::Diagnostics {
    let mut options = BuildOptions::new(root.to_path_buf());
    options.strict = true;
    dossier::check(&options)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh dossier made by `init` in `<tmp>/my-notes`.
fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("my-notes");
    scaffold::init(&root, TODAY).expect("init succeeds");
    (tmp, root)
}

#[test]
fn init_writes_a_dossier_that_builds_at_once_and_passes_check_strict() {
    let (_tmp, root) = initialised();
    let diags = strict(&root);
    assert_eq!(
        diags.sorted().len(),
        0,
        "no error or warning:\n{}",
        diags.render_human()
    );
    let diags = dossier::build(&BuildOptions::new(root.clone()));
    assert!(!diags.has_errors(), "{}", diags.render_human());
    assert_eq!(diags.warning_count(), 0, "{}", diags.render_human());
    let home = scraper::Html::parse_document(
        &std::fs::read_to_string(root.join("public/index.html")).unwrap(),
    );
    let title = text(&select(&home, "title")[0]);
    assert!(
        title.contains("My notes"),
        "the title comes from the folder: {title}"
    );

    // The sidecar pins the seed's exact bytes and records the date it was given.
    let seed = std::fs::read(root.join("seeds/example.txt")).unwrap();
    let sidecar = std::fs::read_to_string(root.join("seeds/example.yaml")).unwrap();
    assert!(
        sidecar.contains(&format!("sha256: \"{}\"", sha256_hex(&seed))),
        "{sidecar}"
    );
    assert!(sidecar.contains("retrieved: \"2026-01-02\""), "{sidecar}");

    // Everything the brief lists is there.
    for rel in [
        "dossier.yaml",
        "content/_index.md",
        "content/first-reading.md",
        "content/glossary/footbridge.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(root.join(rel).is_file(), "{rel}");
    }
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).unwrap(),
        "/public\n"
    );
}

#[test]
fn init_quotation_is_verified_so_a_changed_word_fails() {
    let (_tmp, root) = initialised();
    let page = root.join("content/first-reading.md");
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.contains("“will be lit and gritted every evening”"));
    std::fs::write(&page, text.replace("gritted every", "salted every")).unwrap();
    let error = only_error(&strict(&root));
    assert_eq!(error.code, "E310");
    assert_eq!(error.location.file, "content/first-reading.md");
}

#[test]
fn init_workflow_builds_with_the_project_site_base_url_and_deploys_with_official_actions() {
    let (_tmp, root) = initialised();
    let workflow = std::fs::read_to_string(root.join(".github/workflows/pages.yml")).unwrap();
    for needle in [
        "pages: write",
        "id-token: write",
        "uses: actions/checkout@v4",
        "uses: actions/configure-pages@v5",
        "uses: actions/upload-pages-artifact@v3",
        "uses: actions/deploy-pages@v4",
        "REPO: ${{ github.event.repository.name }}",
        "OWNER: ${{ github.repository_owner }}",
        "base_url=\"https://${owner}.github.io/${REPO}/\"",
        "dossier build --base-url \"$base_url\" --output public",
        "cargo install --locked --git \"$DOSSIER_GIT\"",
    ] {
        assert!(workflow.contains(needle), "{needle} in:\n{workflow}");
    }
}

#[test]
fn init_refuses_a_non_empty_folder_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("busy");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("notes.txt"), "mine").unwrap();
    let error = scaffold::init(&root, TODAY).unwrap_err();
    assert_eq!(error.code, "E600");
    assert_eq!(
        error.message,
        format!(
            "`{}` is not empty (it holds `notes.txt`): init writes only into an empty folder",
            root.display()
        )
    );
    assert_eq!(error.location.file, root.display().to_string());
    assert_eq!(
        error.hint.as_deref(),
        Some("name a new folder: `dossier init my-dossier` (a folder holding only `.git` is fine)")
    );
    let names: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert_eq!(names.len(), 1, "nothing written beside notes.txt");
}

#[test]
fn init_accepts_a_folder_holding_only_git() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    scaffold::init(&root, TODAY).expect("a fresh clone is fine");
    assert!(!strict(&root).has_errors());
}

#[test]
fn new_seed_copies_bytes_exactly_and_its_sidecar_pins_them() {
    let (tmp, root) = initialised();
    // Windows-1252 bytes (not UTF-8), CRLF line ends and no final line break.
    let bytes: &[u8] = b"Caf\xe9 au lait, \x93quoted\x94.\r\n\r\nSecond paragraph";
    let file = tmp.path().join("letter-1921.txt");
    std::fs::write(&file, bytes).unwrap();
    let written = scaffold::new_seed(&root, &file, None, TODAY).unwrap();
    assert_eq!(written, ["seeds/letter-1921.txt", "seeds/letter-1921.yaml"]);
    assert_eq!(
        std::fs::read(root.join("seeds/letter-1921.txt")).unwrap(),
        bytes
    );
    let sidecar = std::fs::read_to_string(root.join("seeds/letter-1921.yaml")).unwrap();
    assert!(
        sidecar.contains(&format!("sha256: \"{}\"", sha256_hex(bytes))),
        "{sidecar}"
    );
    assert!(sidecar.contains("retrieved: \"2026-01-02\""), "{sidecar}");
    assert!(
        sidecar.starts_with("title: \"Letter 1921\"  # EDIT"),
        "{sidecar}"
    );
    // The sidecar is valid and its checksum is the one the build verifies.
    let diags = strict(&root);
    assert!(!diags.has_errors(), "{}", diags.render_human());

    // `--id` names it otherwise.
    let written = scaffold::new_seed(&root, &file, Some("letter-b"), TODAY).unwrap();
    assert_eq!(written[0], "seeds/letter-b.txt");
    assert_eq!(
        std::fs::read(root.join("seeds/letter-b.txt")).unwrap(),
        bytes
    );
}

#[test]
fn new_seed_refuses_to_overwrite_a_seed_or_a_sidecar() {
    let (tmp, root) = initialised();
    let file = tmp.path().join("example.txt");
    std::fs::write(&file, "other words").unwrap();
    let before = std::fs::read(root.join("seeds/example.txt")).unwrap();
    let error = scaffold::new_seed(&root, &file, None, TODAY).unwrap_err();
    assert_eq!(error.code, "E600");
    assert_eq!(
        error.message,
        "`seeds/example.txt` already exists: `new seed` never overwrites a file"
    );
    assert_eq!(error.location.file, "seeds/example.txt");
    assert_eq!(
        error.hint.as_deref(),
        Some("choose another id: `--id example-2`")
    );
    assert_eq!(
        std::fs::read(root.join("seeds/example.txt")).unwrap(),
        before
    );

    // A sidecar alone (its seed deleted) is not overwritten either, and no seed is copied.
    std::fs::write(root.join("seeds/lonely.yaml"), "title: \"kept\"\n").unwrap();
    let error = scaffold::new_seed(&root, &file, Some("lonely"), TODAY).unwrap_err();
    assert_eq!(
        error.message,
        "`seeds/lonely.yaml` already exists: `new seed` never overwrites a file"
    );
    assert!(!root.join("seeds/lonely.txt").exists());
}

#[test]
fn new_seed_rejects_a_bad_id_with_the_nearest_valid_one() {
    let (tmp, root) = initialised();
    let file = tmp.path().join("My Letter.txt");
    std::fs::write(&file, "words").unwrap();
    let error = scaffold::new_seed(&root, &file, None, TODAY).unwrap_err();
    assert_eq!(error.code, "E203");
    assert_eq!(
        error.message,
        "seed id `My Letter` may only hold lowercase letters, digits, `-` and `_`"
    );
    assert_eq!(error.hint.as_deref(), Some("pass `--id my-letter`"));
    let error = scaffold::new_seed(&root, &file, Some("Tear Gas!"), TODAY).unwrap_err();
    assert_eq!(error.hint.as_deref(), Some("pass `--id tear-gas`"));
    assert!(!root.join("seeds/my-letter.txt").exists());
}

#[test]
fn new_seed_reports_a_missing_file_and_a_missing_dossier() {
    let (tmp, root) = initialised();
    let missing = tmp.path().join("nowhere.txt");
    let error = scaffold::new_seed(&root, &missing, None, TODAY).unwrap_err();
    assert_eq!(error.code, "E200");
    assert!(
        error
            .message
            .starts_with(&format!("cannot read `{}`: ", missing.display())),
        "{}",
        error.message
    );
    let error = scaffold::new_seed(tmp.path(), &missing, None, TODAY).unwrap_err();
    assert_eq!(error.code, "E600");
    assert_eq!(
        error.message,
        format!("no dossier.yaml in `{}`", tmp.path().display())
    );
    assert!(error.hint.unwrap().contains("dossier init"));
}

#[test]
fn new_page_and_new_term_write_skeletons_that_check_and_never_overwrite() {
    let (_tmp, root) = initialised();
    assert_eq!(
        scaffold::new_page(&root, "notes/field-visit").unwrap(),
        ["content/notes/field-visit.md"]
    );
    let page = std::fs::read_to_string(root.join("content/notes/field-visit.md")).unwrap();
    assert!(
        page.starts_with("---\ntitle: \"Field visit\"  # EDIT\n"),
        "{page}"
    );
    assert_eq!(
        scaffold::new_term(&root, "weir").unwrap(),
        ["content/glossary/weir.md"]
    );
    let term = std::fs::read_to_string(root.join("content/glossary/weir.md")).unwrap();
    assert!(term.contains("term: \"weir\""), "{term}");
    assert!(term.contains("aliases: []"), "{term}");
    assert!(term.contains("kind: term"), "{term}");

    // Both build: the page (a draft until its author says otherwise) with drafts included too.
    let diags = strict(&root);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let mut options = BuildOptions::new(root.clone());
    options.strict = true;
    options.load.drafts = true;
    let diags = dossier::check(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());

    let error = scaffold::new_page(&root, "content/notes/field-visit.md").unwrap_err();
    assert_eq!(
        error.message,
        "`content/notes/field-visit.md` already exists: `new page` never overwrites a file"
    );
    let error = scaffold::new_term(&root, "weir").unwrap_err();
    assert_eq!(
        error.message,
        "`content/glossary/weir.md` already exists: `new term` never overwrites a file"
    );
    let error = scaffold::new_term(&root, "Mill Stream").unwrap_err();
    assert_eq!(error.code, "E203");
    assert_eq!(
        error.hint.as_deref(),
        Some("use `dossier new term mill-stream`")
    );
    let error = scaffold::new_page(&root, "Notes/Field Visit").unwrap_err();
    assert_eq!(error.code, "E203");
    assert_eq!(
        error.message,
        "page path segment `Notes` may only hold lowercase letters, digits, `-` and `_`"
    );
    assert_eq!(
        error.hint.as_deref(),
        Some("use `dossier new page notes/field-visit`")
    );
}
