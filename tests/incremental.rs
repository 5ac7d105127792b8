//! A session's rebuild, which reuses what is unchanged, always equals a fresh full build:
//! checked after random sequences of the edits an author makes.

mod common;
use common::*;
use dossier::Session;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const PAGES: &[&str] = &[
    "content/essays/one.md",
    "content/essays/two.md",
    "content/_index.md",
    "content/new/page.md",
    "content/glossary/alpha.md",
];

/// One random edit of the kinds an author makes, valid or not.
fn edit(f: &Fixture, rng: &mut Rng) -> String {
    let words = [
        "alpha",
        "Alpha",
        "legacy",
        "paragraph",
        "shelter",
        "Second paragraph",
        "Third",
    ];
    match rng.next() % 10 {
        0 | 1 => {
            let page = rng.pick(PAGES);
            let extra = match rng.next() % 5 {
                0 => format!("\nMore about {} here.\n", rng.pick(&words)),
                1 => "\nSee [“Second paragraph”](seed:alpha#p2).\n".to_string(),
                2 if page.ends_with("one.md") => "\nSee [a broken one](seed:nope).\n".to_string(),
                3 => "\nLink to [two](page:essays/two) and [the term](term:alpha).\n".to_string(),
                _ => "\n## A new heading\n\nText.\n".to_string(),
            };
            let path = f.path(page);
            let old = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| format!("---\ntitle: New {page}\n---\n"));
            let old = if page.contains("glossary") && !old.contains("term:") {
                "---\nterm: Alpha\nkind: place\n---\nA place.\n".to_string()
            } else {
                old
            };
            f.write(page, &format!("{old}{extra}"));
            format!("append to {page}")
        }
        2 => {
            let page = rng.pick(&["content/new/page.md", "content/_index.md"]);
            let _ = std::fs::remove_file(f.path(page));
            format!("delete {page}")
        }
        3 => {
            let (from, to) = ("content/essays/two.md", "content/essays/three.md");
            if f.path(from).exists() {
                std::fs::rename(f.path(from), f.path(to)).unwrap();
            } else if f.path(to).exists() {
                std::fs::rename(f.path(to), f.path(from)).unwrap();
            }
            "rename essay two".into()
        }
        4 => {
            let title = format!("title: \"Alpha {}\"", rng.next() % 100);
            let text = std::fs::read_to_string(f.path("seeds/alpha.yaml")).unwrap();
            let line = text
                .lines()
                .find(|l| l.starts_with("title:"))
                .unwrap()
                .to_string();
            f.write("seeds/alpha.yaml", &text.replacen(&line, &title, 1));
            "retitle a seed".into()
        }
        5 => {
            f.write(
                "seeds/extra.txt",
                &format!(
                    "A new seed {}.\n\nWith the Second paragraph.\n",
                    rng.next() % 7
                ),
            );
            "write a seed".into()
        }
        6 => {
            let template = "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<p>v";
            f.write(
                "themes/default/templates/page.html",
                &format!("{template}{}</p>{{% endblock main %}}", rng.next() % 3),
            );
            "override a template".into()
        }
        7 => {
            let _ = std::fs::remove_file(f.path("themes/default/templates/page.html"));
            "remove the template override".into()
        }
        8 => {
            let mode = rng.pick(&["all", "none", "first-per-page", "first-per-paragraph"]);
            let text = std::fs::read_to_string(f.path("dossier.yaml")).unwrap();
            let text: String = text
                .lines()
                .filter(|l| !l.starts_with("glossary:") && !l.starts_with("  link:"))
                .map(|l| format!("{l}\n"))
                .collect();
            f.write(
                "dossier.yaml",
                &format!("{text}glossary:\n  link: {mode}\n"),
            );
            format!("link mode {mode}")
        }
        _ => {
            f.write("content/essays/one.md", "---\ntitle: \"Essay one\"\n---\n# Intro\n\n## Intro\n\nRewritten, citing [¶1](seed:alpha#p1) and [two](two.md).\n");
            "rewrite essay one".into()
        }
    }
}

#[test]
fn rebuilds_equal_full_builds_after_random_edit_sequences() {
    let (mut ok, mut failed) = (0, 0);
    for sequence in 0..12u64 {
        let f = Fixture::new("basic");
        f.write(
            "content/glossary/alpha.md",
            "---\nterm: Alpha\nkind: place\n---\nA place.\n",
        );
        let mut session = Session::new(f.options());
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((sequence + 1) * 0x1000_0001));
        let mut log = Vec::new();
        for _ in 0..8 {
            log.push(edit(&f, &mut rng));
            let (incremental, inc_diags) = session.compile();
            let (full, full_diags) = Session::new(f.options()).compile();
            if std::env::var("SHOW").is_ok() && full.is_none() {
                eprintln!("{log:?}\n{}", full_diags.render_human());
            }
            assert_eq!(
                inc_diags.render_human(),
                full_diags.render_human(),
                "diagnostics differ after {log:?}"
            );
            let incremental = incremental.map(|(_, site)| site);
            let full = full.map(|(_, site)| site);
            assert!(incremental == full, "sites differ after {log:?}");
            if full.is_some() {
                ok += 1;
            } else {
                failed += 1;
            }
        }
    }
    // Both outcomes are exercised: rebuilds that succeed and rebuilds with errors.
    assert!(
        ok >= 25 && failed >= 5,
        "{ok} successful and {failed} failed builds"
    );
}
