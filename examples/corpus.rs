//! Writes a generated dossier for trying changes at real size:
//! `cargo run --release --example corpus -- DIR [SEEDS PARAGRAPHS PAGES CITES QUOTES]`
//! (default 2,000 seeds × 20 paragraphs, 2,000 pages × 10 citations, 2 quotations per page).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: corpus DIR [SEEDS PARAGRAPHS PAGES CITES QUOTES]");
        std::process::exit(2);
    };
    let n = |i: usize, default: usize| {
        args.get(i)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(default)
    };
    let root = std::path::Path::new(dir);
    std::fs::create_dir_all(root).expect("create the folder");
    corpus::generate_with_quotes(root, n(1, 2000), n(2, 20), n(3, 2000), n(4, 10), n(5, 2));
}
