//! Writes a generated dossier for trying changes at real size:
//! `cargo run --release --example corpus -- DIR [SEEDS PARAGRAPHS PAGES CITES QUOTES ENTRIES]`
//! (default 2,000 seeds × 20 paragraphs, 2,000 pages × 10 citations, 2 quotations per page,
//! and the small glossary of twelve terms; with ENTRIES, that many generated entries named in
//! the texts instead, e.g. `DIR 2000 20 2000 10 3 1000` for 6,000 quotations and 1,000 entries).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: corpus DIR [SEEDS PARAGRAPHS PAGES CITES QUOTES ENTRIES]");
        std::process::exit(2);
    };
    let n = |i: usize, default: usize| {
        args.get(i)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(default)
    };
    let root = std::path::Path::new(dir);
    std::fs::create_dir_all(root).expect("create the folder");
    if args.get(1).map(String::as_str) == Some("--prose") {
        corpus::generate_prose(root, n(2, 10_000), n(3, 930), n(4, 50_000));
        return;
    }
    corpus::generate_scaled(
        root,
        &corpus::Scale {
            seeds: n(1, 2000),
            paragraphs: n(2, 20),
            pages: n(3, 2000),
            cites_per_page: n(4, 10),
            quotes_per_page: n(5, 2),
            entries: n(6, 0),
        },
    );
}
