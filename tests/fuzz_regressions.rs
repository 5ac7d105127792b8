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
    for dir in [
        root.join("tests/fixtures/fuzz").join(target),
        root.join("fuzz/corpus").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if dir.ends_with(target)
                && dir.starts_with(root.join("fuzz"))
                && !name.starts_with("seed-")
            {
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

/// `quotes`, a 2-second timeout: a quotation of 180 words not in a seed of 330 aligned word
/// by word with every window of the seed for the "did you mean" (cost: seed × quotation²).
/// Windows sharing too few words with the quotation are now skipped without an alignment.
#[test]
fn quotes_timeout_closest_long_quotation() {
    harness::quotes(&saved("quotes", "timeout-closest-long-quotation"));
}

/// The same at the size of a long source: a 300-word quotation with three words changed, in
/// a seed of 30,000 words, still gets its passage offered (9.9 s before, 45 ms after).
#[test]
fn quotes_closest_scales_with_the_seed_not_its_square() {
    use dossier::quotes::matcher::{Quote, SeedIndex};
    let words: Vec<String> = (0..30_000)
        .map(|i| format!("w{}", (i * 7919) % 5003))
        .collect();
    let seed = words.join(" ");
    let mut quoted: Vec<String> = words[20_000..20_300].to_vec();
    for i in [10, 150, 290] {
        quoted[i] = "changed".to_string();
    }
    let index = SeedIndex::new(&seed);
    let quote = Quote::parse(&quoted.join(" "));
    let started = std::time::Instant::now();
    assert!(index.find(&quote, None).is_empty());
    let closest = index.closest(&quote, None).expect("the passage is offered");
    let elapsed = started.elapsed();
    assert_eq!(closest.distance, 3);
    assert_eq!(&seed[closest.range], words[20_000..20_300].join(" "));
    assert!(elapsed.as_secs() < 3, "closest took {elapsed:?}");
    eprintln!("closest over 30,000 words: {elapsed:?}");
}
