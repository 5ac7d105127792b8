//! `cargo bench --bench build`: times a full build (load → resolve → render → write) of the
//! example dossier and of generated dossiers, median of several runs. Prints the machine's
//! core count so figures can be compared.

mod corpus;

use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(label: &str, root: &std::path::Path, runs: usize) {
    let out = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(root);
    options.output = Some(out.path().join("site"));
    let mut compile = Vec::new();
    let mut build = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let (site, diags) = dossier::compile(&options);
        compile.push(t.elapsed());
        assert!(site.is_some(), "{}", diags.render_human());
        let t = Instant::now();
        let diags = dossier::build(&options);
        build.push(t.elapsed());
        assert!(!diags.has_errors());
    }
    println!(
        "{label:<52} compile {:>8.1} ms   build+write {:>8.1} ms",
        median(compile).as_secs_f64() * 1e3,
        median(build).as_secs_f64() * 1e3
    );
}

/// Matching alone: 600 quotations against 200 long seeds, indexes built once.
fn verification() {
    use dossier::quotes::matcher::{Quote, SeedIndex};
    let dir = tempfile::tempdir().unwrap();
    corpus::generate_with_quotes(dir.path(), 200, 200, 300, 4, 2);
    let texts: Vec<String> = (0..200)
        .map(|s| std::fs::read_to_string(dir.path().join(format!("seeds/s{s:04}.txt"))).unwrap())
        .collect();
    let t = Instant::now();
    let indexes: Vec<SeedIndex> = texts.iter().map(|t| SeedIndex::new(t)).collect();
    let index_time = t.elapsed();
    let mut quotes = Vec::new();
    for page in std::fs::read_dir(dir.path().join("content/essays")).unwrap() {
        let md = std::fs::read_to_string(page.unwrap().path()).unwrap();
        for part in md.split("[“").skip(1) {
            let (quote, rest) = part.split_once("”](seed:s").unwrap();
            let seed: usize = rest[..4].parse().unwrap();
            quotes.push((quote.to_string(), seed));
        }
    }
    let t = Instant::now();
    let mut found = 0;
    for (quote, seed) in &quotes {
        found += usize::from(!indexes[*seed].find(&Quote::parse(quote), None).is_empty());
    }
    let find_time = t.elapsed();
    assert_eq!(found, quotes.len());
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    println!(
        "verification: index {} seeds ({} words) {:.1} ms (one core); {} quotations {:.2} ms, {:.1} µs each",
        texts.len(),
        words,
        index_time.as_secs_f64() * 1e3,
        quotes.len(),
        find_time.as_secs_f64() * 1e3,
        find_time.as_secs_f64() * 1e6 / quotes.len() as f64
    );
}

/// Normalisation alone (`text::normalise`, run on every seed when it is loaded), on the same
/// seeds as ASCII, with every `e` accented (NFC, non-ASCII) and decomposed (NFD).
fn normalisation() {
    let dir = tempfile::tempdir().unwrap();
    corpus::generate_with_quotes(dir.path(), 50, 200, 1, 4, 0);
    let ascii: String = (0..50)
        .map(|s| std::fs::read_to_string(dir.path().join(format!("seeds/s{s:04}.txt"))).unwrap())
        .collect();
    for (label, text) in [
        ("ASCII", ascii.clone()),
        ("NFC", ascii.replace('e', "é")),
        ("NFD", ascii.replace('e', "e\u{301}")),
    ] {
        let t = Instant::now();
        let (norm, _) = dossier::text::normalise(&text);
        let elapsed = t.elapsed();
        assert!(norm.len() <= text.len());
        println!(
            "normalisation: {label:<5} {:>5.1} MB in {:>6.1} ms ({:.0} MB/s)",
            text.len() as f64 / 1e6,
            elapsed.as_secs_f64() * 1e3,
            text.len() as f64 / 1e6 / elapsed.as_secs_f64()
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("dossier build benchmark ({cores} cores)");
    time(
        "example dossier (2 seeds, 7 pages)",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        10,
    );
    verification();
    normalisation();
    // Quotation verification: 200 long seeds (200 paragraphs, ~7,000 words each), 300 pages;
    // the same corpus with 0, 300 and 600 quotations.
    for quotes in [0, 1, 2] {
        let dir = tempfile::tempdir().unwrap();
        corpus::generate_with_quotes(dir.path(), 200, 200, 300, 4, quotes);
        let label = format!("200 long seeds, 300 pages, {} quotations", 300 * quotes);
        time(&label, dir.path(), 3);
    }
    for (seeds, paragraphs, pages, cites) in
        [(20, 50, 40, 20), (200, 100, 400, 25), (2000, 20, 2000, 10)]
    {
        let dir = tempfile::tempdir().unwrap();
        corpus::generate(dir.path(), seeds, paragraphs, pages, cites);
        let label =
            format!("generated: {seeds} seeds × {paragraphs} ¶, {pages} pages × {cites} cites");
        time(&label, dir.path(), 3);
    }
}
