//! The floor for benchmarks (`bench/compare.sh`): the least a static site generator must do
//! with a folder of Markdown pages. `cargo run --release --example floor -- CONTENT OUT` reads
//! every `.md` file under `CONTENT`, drops its front matter (keeping `title:`), renders it with
//! pulldown-cmark in parallel with rayon into a minimal HTML shell, and writes it to
//! `OUT/<path without .md>/index.html`. No templates, no links resolved, no highlighting.

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT OUT");
        std::process::exit(2);
    };
    let (content, out) = (Path::new(content), Path::new(out));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let written: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read a page");
            let (title, body) = split_front_matter(&text);
            let mut page = String::with_capacity(body.len() * 3 / 2 + 256);
            page.push_str(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
            );
            pulldown_cmark_escape::escape_html(&mut page, title).expect("escape");
            page.push_str("</title></head>\n<body><main>\n");
            let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES);
            html::push_html(&mut page, parser);
            page.push_str("</main></body></html>\n");
            let rel = path
                .strip_prefix(content)
                .expect("under CONTENT")
                .with_extension("");
            let dir = out.join(rel);
            std::fs::create_dir_all(&dir).expect("create a folder");
            std::fs::write(dir.join("index.html"), &page).expect("write a page");
            1
        })
        .sum();
    println!("{written} pages");
}

/// The page's `title:` (empty when none) and its Markdown after the front matter.
fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    let Some(end) = rest.find("\n---\n") else {
        return ("", text);
    };
    let title = rest[..end]
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches('"'))
        .unwrap_or("");
    (title, &rest[end + 5..])
}
