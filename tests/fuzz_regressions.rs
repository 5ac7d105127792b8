//! The fuzz harnesses of `fuzz/` (cargo-fuzz, nightly) run as plain tests on stable: every
//! input a fuzzer once crashed on is kept under `tests/fixtures/fuzz/<target>/` and replayed
//! here, with the hand-made seed corpus of each target (`fuzz/corpus/<target>/seed-*`).
//! The harness code is the fuzzers' own (`fuzz/src/lib.rs`), included as it is.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

/// The saved input `name` of `target`.
fn saved(target: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `harness` on every saved crash and every seed of `target`; fails when there are none.
fn replay_all(target: &str, harness: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/fixtures/fuzz").join(target), root.join("fuzz/corpus").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if dir.ends_with(target) && dir.starts_with(root.join("fuzz")) && !name.starts_with("seed-") {
                // What a local fuzzing run added to the corpus: not part of the tests.
                continue;
            }
            files.push(path);
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no saved inputs for {target}");
    for path in files {
        let bytes = std::fs::read(&path).expect("a saved input");
        eprintln!("{target}: {}", path.display());
        harness(&bytes);
    }
}

#[test]
fn front_matter_corpus() {
    replay_all("front_matter", harness::front_matter);
}

#[test]
fn references_corpus() {
    replay_all("references", harness::references);
}

#[test]
fn quotes_corpus() {
    replay_all("quotes", harness::quotes);
}

#[test]
fn seed_decode_corpus() {
    replay_all("seed_decode", harness::seed_decode);
}

#[test]
fn glossary_corpus() {
    replay_all("glossary", harness::glossary);
}

#[test]
fn whole_build_corpus() {
    replay_all("whole_build", harness::whole_build);
}
