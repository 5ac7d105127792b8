//! Writes a small dossier that once hit a cliff (time or memory far beyond its size), for
//! benchmarks and tests: `cargo run --release --example cliffs -- CASE N DIR`.
//!
//! Cases (N is the size; doubling it should at most double the build's time and memory, or the
//! input is refused with a located error before the expensive work):
//! - `self-links`: one page with N links to its own headings (10 headings).
//! - `other-links`: the same N links to another page's headings (the baseline of `self-links`).
//! - `quotes-paragraph`: N quotations of a seed in one paragraph of a page.
//! - `term-line`: one glossary name N times on one line of a seed.
//! - `long-term`: a glossary term of N characters (`kaka…`) against a seed that repeats it
//!   (refused beyond 200 characters with E300, before matching).
//! - `entries`: N glossary entries against a one-line seed of 20 × N words.
//! - `yaml-depth`: `dossier.yaml` with a value of N nested flow brackets (refused beyond 32
//!   with E100, before parsing).
//! - `yaml-alias`: `dossier.yaml` whose anchored string of 1 KiB is repeated by N aliases, and a
//!   page whose front matter does the same (refused when they add more than 256 KiB: E100 and
//!   E300).

use std::fmt::Write as _;
use std::path::Path;

/// Every case's name, in the order above.
pub const CASES: &[&str] = &[
    "self-links",
    "other-links",
    "quotes-paragraph",
    "term-line",
    "long-term",
    "entries",
    "yaml-depth",
    "yaml-alias",
];

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
    std::fs::write(path, text).expect("write a file");
}

/// A pseudo-word from a number: "kabo", "riten", … (never a glossary name of these cases).
fn word(mut n: usize) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "bo", "ri", "ten", "sa", "lu", "mi", "dor", "ve", "qua", "zi", "pel",
    ];
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    w
}

fn config(root: &Path) {
    write(root, "dossier.yaml", "title: \"Cliff\"\nsearch: false\n");
}

fn seed(root: &Path, id: &str, text: &str) {
    write(root, &format!("seeds/{id}.txt"), text);
    write(
        root,
        &format!("seeds/{id}.yaml"),
        &format!("id: {id}\ntitle: \"Seed {id}\"\n"),
    );
}

fn headings(out: &mut String) {
    for h in 0..10 {
        writeln!(out, "## Part {h}\n\nSome words of part {h}.\n").unwrap();
    }
}

/// Writes the dossier of `case` at size `n` into `root` (created if needed).
pub fn generate(case: &str, n: usize, root: &Path) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| e.to_string())?;
    match case {
        "self-links" | "other-links" => {
            config(root);
            let mut page = String::from("---\ntitle: \"Links\"\n---\n");
            let prefix = if case == "self-links" {
                headings(&mut page);
                ""
            } else {
                let mut target = String::from("---\ntitle: \"Target\"\n---\n");
                headings(&mut target);
                write(root, "content/target.md", &target);
                "target.md"
            };
            page.push_str("Links:");
            for i in 0..n {
                write!(page, " [l{i}]({prefix}#part-{})", i % 10).unwrap();
                if i % 10 == 9 {
                    page.push('\n');
                }
            }
            page.push('\n');
            write(root, "content/links.md", &page);
        }
        "quotes-paragraph" => {
            config(root);
            let mut text = String::new();
            for i in 0..200 {
                write!(text, "{} {} {}. ", word(i), word(i + 1000), word(i + 2000)).unwrap();
            }
            seed(root, "source", &format!("{}\n", text.trim_end()));
            let mut page = String::from("---\ntitle: \"Quotes\"\n---\n");
            for i in 0..n {
                let k = i % 200;
                write!(page, "[“{} {}”](seed:source) ", word(k), word(k + 1000)).unwrap();
                if i % 10 == 9 {
                    page.push('\n');
                }
            }
            page.push('\n');
            write(root, "content/quoting.md", &page);
        }
        "term-line" => {
            config(root);
            write(
                root,
                "content/glossary/mora.md",
                "---\nterm: \"Mora\"\n---\nA name.\n",
            );
            let mut line = String::new();
            for i in 0..n {
                write!(line, "{} Mora {} ", word(i % 500), word(i % 300 + 700)).unwrap();
            }
            seed(root, "line", &format!("{}\n", line.trim_end()));
        }
        "long-term" => {
            // A repetitive name in a text that repeats it: every position is a candidate match.
            config(root);
            let term = "ka".repeat(n.div_ceil(2));
            write(
                root,
                "content/glossary/long.md",
                &format!("---\nterm: \"{term}\"\n---\nA long name.\n"),
            );
            seed(root, "text", &format!("{}{term} {term}.\n", "ka".repeat(n)));
        }
        "entries" => {
            config(root);
            for e in 0..n {
                write(
                    root,
                    &format!("content/glossary/e{e}.md"),
                    &format!("---\nterm: \"Term{e}\"\n---\nEntry {e}.\n"),
                );
            }
            let mut line = String::new();
            for i in 0..20 * n {
                if i % 20 == 0 {
                    write!(line, "Term{} ", (i / 20 * 7919) % n).unwrap();
                } else {
                    write!(line, "{} ", word(i % 3000)).unwrap();
                }
            }
            seed(root, "long", &format!("{}\n", line.trim_end()));
        }
        "yaml-depth" => {
            let text = format!(
                "title: \"Deep\"\nauthors: {}{}\n",
                "[".repeat(n),
                "]".repeat(n)
            );
            write(root, "dossier.yaml", &text);
        }
        "yaml-alias" => {
            let long = "x".repeat(1024);
            let mut text = format!("title: \"Aliases\"\ndescription: &a \"{long}\"\nauthors:\n");
            let mut front = format!("---\ntitle: \"Aliases\"\nsummary: &t \"{long}\"\nauthors:\n");
            for _ in 0..n {
                text.push_str("  - *a\n");
                front.push_str("  - *t\n");
            }
            front.push_str("---\nBody.\n");
            write(root, "dossier.yaml", &text);
            write(root, "content/aliases.md", &front);
        }
        other => {
            return Err(format!(
                "unknown case `{other}`: one of {}",
                CASES.join(", ")
            ))
        }
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [case, n, dir] = args.as_slice() else {
        eprintln!("usage: cliffs CASE N DIR   (CASE: {})", CASES.join(", "));
        std::process::exit(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number, not `{n}`");
        std::process::exit(2);
    };
    if let Err(message) = generate(case, n, Path::new(dir)) {
        eprintln!("{message}");
        std::process::exit(2);
    }
}
