//! `dossier export bagit`: the example dossier's bag validates with the Library of Congress's
//! `bagit` Python package, two exports are byte-identical, a seed's manifest line repeats its
//! sidecar's sha256, and every refusal (a non-empty target, a seed failing fixity, a bad
//! `SOURCE_DATE_EPOCH`) writes nothing and says why.

mod common;
use common::*;
use dossier::diagnostics::{Diagnostic, Diagnostics};
use dossier::export::bagit::{export, BagOptions};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The example dossier (the repository's own files of it) copied into `<tmp>/dossier`.
fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tmp.path().join("dossier");
    for folder in ["content", "seeds", "themes"] {
        copy_tree(&repo.join(folder), &root.join(folder));
    }
    std::fs::copy(repo.join("dossier.yaml"), root.join("dossier.yaml")).unwrap();
    (tmp, root)
}

fn options(root: &Path, target: &Path, epoch: Option<&str>) -> BagOptions {
    let mut build = dossier::BuildOptions::new(root);
    build.load.source_date_epoch = epoch.map(std::ffi::OsString::from);
    BagOptions {
        build,
        target: target.to_path_buf(),
    }
}

fn only(diags: &Diagnostics, code: &str) -> Diagnostic {
    let found: Vec<_> = diags.iter().filter(|d| d.code == code).cloned().collect();
    assert_eq!(found.len(), 1, "one {code}:\n{}", diags.render_human());
    found.into_iter().next().unwrap()
}

fn assert_clean(diags: &Diagnostics) {
    assert_eq!(diags.iter().count(), 0, "{}", diags.render_human());
}

/// `python3 -m bagit --validate DIR`; fails (never skips) when the package is missing.
fn validate(bag: &Path) {
    let out = Command::new("python3")
        .args(["-m", "bagit", "--validate", "--quiet"])
        .arg(bag)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named bagit"),
        "the Python package `bagit` is missing: python3 -m pip install 'bagit>=1.8,<2'"
    );
    assert!(out.status.success(), "bagit --validate failed:\n{stderr}");
}

/// The manifest as path → sha256.
fn manifest(bag: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(bag.join("manifest-sha256.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let (hash, path) = l.split_once("  ").expect("two spaces");
            (path.to_string(), hash.to_string())
        })
        .collect()
}

#[test]
fn the_example_bag_validates_and_two_exports_are_byte_identical() {
    let (tmp, root) = example();
    let (one, two) = (tmp.path().join("bag"), tmp.path().join("again"));
    assert_clean(&export(&options(&root, &one, Some("1700000000"))));
    std::fs::create_dir(&two).unwrap(); // an empty folder is a fine target too
    assert_clean(&export(&options(&root, &two, Some("1700000000"))));
    validate(&one);
    let (a, b) = (snapshot(&one), snapshot(&two));
    assert!(a.len() > 100, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs", path.display());
    }
    assert_eq!(
        names(&one),
        [
            "bag-info.txt",
            "bagit.txt",
            "data",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt"
        ]
    );
    assert_eq!(names(&one.join("data")), ["dossier", "site"]);
    assert_eq!(
        names(&one.join("data/dossier")),
        ["content", "dossier.yaml", "seeds", "themes"]
    );
    assert_eq!(
        std::fs::read_to_string(one.join("bagit.txt")).unwrap(),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let payload: Vec<_> = a
        .iter()
        .filter(|(p, _)| p.starts_with("data"))
        .map(|(_, b)| b.len())
        .collect();
    assert_eq!(
        std::fs::read_to_string(one.join("bag-info.txt")).unwrap(),
        format!(
            "Bag-Software-Agent: dossier {}\nBagging-Date: 2023-11-14\n\
             External-Description: The 2018 migrant caravan: two framings\nPayload-Oxum: {}.{}\n",
            env!("CARGO_PKG_VERSION"),
            payload.iter().sum::<usize>(),
            payload.len()
        )
    );
    // The site is the one `build` writes, without its output marker.
    let site = tmp.path().join("site");
    let mut build = dossier::BuildOptions::new(&root);
    build.output = Some(site.clone());
    assert_clean(&dossier::build(&build));
    let mut built = snapshot(&site);
    built.remove(Path::new(dossier::write::MARKER));
    let bagged: BTreeMap<PathBuf, Vec<u8>> = snapshot(&one.join("data/site"));
    assert!(built == bagged, "data/site/ is the built site");
    // The dossier's files are there byte for byte.
    for rel in [
        "dossier.yaml",
        "content/method.md",
        "themes/default/static/style.css",
    ] {
        assert_eq!(
            std::fs::read(one.join("data/dossier").join(rel)).unwrap(),
            std::fs::read(root.join(rel)).unwrap(),
            "{rel}"
        );
    }
    // Nothing is left beside the targets.
    assert_eq!(names(tmp.path()), ["again", "bag", "dossier", "site"]);
}

#[test]
fn a_seeds_manifest_line_is_its_sidecars_sha256() {
    let (tmp, root) = example();
    let bag = tmp.path().join("bag");
    assert_clean(&export(&options(&root, &bag, Some("0"))));
    let manifest = manifest(&bag);
    let mut seeds = 0;
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let sidecar: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let recorded = sidecar["sha256"].as_str().unwrap().to_lowercase();
        let seed = path.with_extension("txt");
        let name = seed.file_name().unwrap().to_string_lossy();
        assert_eq!(manifest[&format!("data/dossier/seeds/{name}")], recorded);
        seeds += 1;
    }
    assert_eq!(seeds, 2);
    // Every line is the file's own sha256, and every payload file has a line.
    let files: Vec<_> = snapshot(&bag.join("data")).into_keys().collect();
    assert_eq!(files.len(), manifest.len());
    for (path, hash) in &manifest {
        let bytes = std::fs::read(bag.join(path)).unwrap();
        assert_eq!(
            &format!("{:x}", sha2::Sha256::digest(&bytes)),
            hash,
            "{path}"
        );
    }
    assert!(std::fs::read_to_string(bag.join("bag-info.txt"))
        .unwrap()
        .contains("\nBagging-Date: 1970-01-01\n"));
}

#[test]
fn a_non_empty_target_is_refused_and_left_alone() {
    let (tmp, root) = example();
    let bag = tmp.path().join("bag");
    std::fs::create_dir(&bag).unwrap();
    std::fs::write(bag.join("notes.txt"), "mine").unwrap();
    let diags = export(&options(&root, &bag, Some("0")));
    let d = only(&diags, "E700");
    assert_eq!(
        d.message,
        format!("refusing to export into {}: it is not empty", bag.display())
    );
    assert_eq!(d.location.file, bag.display().to_string());
    assert_eq!(
        d.hint.as_deref(),
        Some("an export is written only into a new or empty folder: choose another, or move its contents away yourself")
    );
    assert_eq!(names(&bag), ["notes.txt"]);
    assert_eq!(names(tmp.path()), ["bag", "dossier"]);

    let file = tmp.path().join("bag/notes.txt");
    let d = only(&export(&options(&root, &file, Some("0"))), "E700");
    assert_eq!(
        d.message,
        format!(
            "refusing to export into {}: it exists and is not a folder",
            file.display()
        )
    );
    let inside = root.join("seeds/bag");
    let d = only(&export(&options(&root, &inside, Some("0"))), "E700");
    assert_eq!(
        d.message,
        format!(
            "refusing to export into {}: it is part of the dossier's sources",
            inside.display()
        )
    );
    assert!(!inside.exists());
}

#[test]
fn a_target_that_cannot_be_written_is_an_error() {
    let (tmp, root) = example();
    let file = tmp.path().join("file");
    std::fs::write(&file, "a file, not a folder").unwrap();
    let bag = file.join("bag");
    let d = only(&export(&options(&root, &bag, Some("0"))), "E700");
    assert_eq!(
        d.message,
        format!(
            "cannot create the target's parent folder {}: File exists (os error 17)",
            file.display()
        )
    );
    assert_eq!(d.hint.as_deref(), Some("check permissions and free space"));
}

#[test]
fn a_name_that_is_not_utf8_is_left_out_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let (tmp, root) = example();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.bin");
    std::fs::write(root.join("seeds").join(name), "x").unwrap();
    let bag = tmp.path().join("bag");
    let diags = export(&options(&root, &bag, Some("0")));
    let d = only(&diags, "W701");
    assert_eq!(
        d.message,
        "seeds/caf\u{FFFD}.bin: the file's name is not UTF-8; it is left out of the export"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("rename it: a bag's manifests name files in UTF-8")
    );
    assert_eq!(names(&bag.join("data/dossier/seeds")).len(), 4);
    validate(&bag);
}

#[test]
fn a_line_break_in_a_name_is_percent_encoded_in_the_manifest() {
    let (tmp, root) = example();
    std::fs::create_dir(root.join("static")).unwrap();
    std::fs::write(root.join("static/two\nlines.txt"), "y").unwrap();
    let bag = tmp.path().join("bag");
    assert_clean(&export(&options(&root, &bag, Some("0"))));
    let manifest = manifest(&bag);
    assert!(manifest.contains_key("data/dossier/static/two%0Alines.txt"));
    assert!(manifest.contains_key("data/site/two%0Alines.txt"));
    validate(&bag);
}

#[test]
fn a_seed_failing_fixity_exports_nothing() {
    let (tmp, root) = example();
    let seed = root.join("seeds/000_af23199f87a247d1.txt");
    let mut bytes = std::fs::read(&seed).unwrap();
    bytes.extend_from_slice(b"\nA sentence added later.\n");
    std::fs::write(&seed, bytes).unwrap();
    let bag = tmp.path().join("bag");
    let diags = export(&options(&root, &bag, Some("0")));
    let d = only(&diags, "E202");
    assert_eq!(
        d.message,
        "seeds/000_af23199f87a247d1.txt no longer matches its recorded sha256: the source was altered"
    );
    assert!(!bag.exists());
    assert_eq!(names(tmp.path()), ["dossier"]);
    // Into an empty folder: it stays empty.
    std::fs::create_dir(&bag).unwrap();
    assert!(export(&options(&root, &bag, Some("0"))).has_errors());
    assert!(names(&bag).is_empty());
    assert_eq!(names(tmp.path()), ["bag", "dossier"]);
}

#[test]
fn only_the_dossiers_files_are_bagged_and_links_are_left_out_with_a_warning() {
    let (tmp, root) = example();
    for (rel, text) in [
        ("README.md", "not the dossier's"),
        ("target/x", "a build folder"),
        ("content/.draft.md", "hidden"),
        ("content/method.md~", "a backup"),
        ("static/.DS_Store", "hidden"),
        ("static/robots-extra.txt", "published"),
    ] {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::os::unix::fs::symlink(root.join("README.md"), root.join("static/readme.md")).unwrap();
    let bag = tmp.path().join("bag");
    let diags = export(&options(&root, &bag, Some("0")));
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let link = only(&diags, "W701");
    assert_eq!(
        link.message,
        "static/readme.md is a symbolic link; it is left out of the export"
    );
    assert_eq!(link.location.file, "static/readme.md");
    assert_eq!(
        link.hint.as_deref(),
        Some("an export holds files, not links: put the file itself there if it belongs to the dossier")
    );
    validate(&bag);
    let dossier: Vec<String> = manifest(&bag)
        .into_keys()
        .filter_map(|p| p.strip_prefix("data/dossier/").map(String::from))
        .filter(|p| !p.starts_with("content/") && !p.starts_with("themes/"))
        .collect();
    assert_eq!(
        dossier,
        [
            "dossier.yaml",
            "seeds/000_af23199f87a247d1.txt",
            "seeds/000_af23199f87a247d1.yaml",
            "seeds/003_4de4b0ce87d31f67.txt",
            "seeds/003_4de4b0ce87d31f67.yaml",
            "static/robots-extra.txt",
        ]
    );
    assert!(!bag.join("data/dossier/content/method.md~").exists());
    assert!(bag.join("data/site/robots-extra.txt").is_file());
}

#[test]
fn a_pipe_is_left_out_with_a_warning() {
    let (tmp, root) = example();
    let fifo = root.join("seeds/pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let bag = tmp.path().join("bag");
    let diags = export(&options(&root, &bag, Some("0")));
    let d = only(&diags, "W701");
    assert_eq!(
        d.message,
        "seeds/pipe is not a regular file; it is left out of the export"
    );
    assert_eq!(d.hint.as_deref(), Some("only regular files are exported"));
    assert!(!bag.join("data/dossier/seeds/pipe").exists());
}

#[test]
fn without_source_date_epoch_the_bag_is_dated_by_the_last_commit_or_not_at_all() {
    let (tmp, root) = example();
    let bag = tmp.path().join("bag");
    let diags = export(&options(&root, &bag, None));
    let d = only(&diags, "W703");
    assert_eq!(
        d.message,
        "the bag has no Bagging-Date: SOURCE_DATE_EPOCH is not set and the dossier has no git commit"
    );
    assert_eq!(d.location.file, "SOURCE_DATE_EPOCH");
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(!info.contains("Bagging-Date"), "{info}");
    validate(&bag);

    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "@1600000000 +1400")
            .env("GIT_COMMITTER_DATE", "@1600000000 +1400")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "the dossier"]);
    let dated = tmp.path().join("dated");
    assert_clean(&export(&options(&root, &dated, None)));
    // 1600000000 is 2020-09-13T12:26:40Z (2020-09-14 at +14:00): the day is taken in UTC.
    let info = std::fs::read_to_string(dated.join("bag-info.txt")).unwrap();
    assert!(info.contains("\nBagging-Date: 2020-09-13\n"), "{info}");
}

fn cli(args: &[&str], epoch: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    command.output().expect("the binary runs")
}

#[test]
fn the_command_reads_source_date_epoch_and_takes_a_base_url() {
    let (tmp, root) = example();
    let bag = tmp.path().join("bag");
    let out = cli(
        &[
            "export",
            "bagit",
            bag.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--base-url",
            "https://example.org/archive/",
        ],
        Some("86400"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr,
        format!("exported a BagIt bag to {}\n", bag.display())
    );
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains("\nBagging-Date: 1970-01-02\n"), "{info}");
    let home = std::fs::read_to_string(bag.join("data/site/index.html")).unwrap();
    assert!(
        home.contains("https://example.org/archive/"),
        "the site has the base URL"
    );
    validate(&bag);

    let again = tmp.path().join("again");
    let out = cli(
        &[
            "export",
            "bagit",
            again.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ],
        Some("yesterday"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error[E100]: SOURCE_DATE_EPOCH `yesterday` is not a number of seconds since 1970-01-01T00:00:00Z"
        ),
        "{stderr}"
    );
    // Reported once, by the build, not again by the export.
    assert_eq!(stderr.matches("`yesterday`").count(), 1, "{stderr}");
    assert!(!again.exists());
}
