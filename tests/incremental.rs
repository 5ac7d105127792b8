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
        "Third paragraph",
        "*Third*\nparagraph",
    ];
    match rng.next() % 16 {
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
        10 => {
            // Titles show in other pages' backlinks, in margin notes and in the quote index.
            let page = rng.pick(&["content/essays/two.md", "content/essays/three.md"]);
            let Ok(text) = std::fs::read_to_string(f.path(page)) else {
                return "retitle a missing page".into();
            };
            let title = text.lines().find(|l| l.starts_with("title:")).unwrap_or("");
            let retitled = format!("title: \"Essay {}\"", rng.next() % 50);
            f.write(page, &text.replacen(title, &retitled, 1));
            format!("retitle {page}")
        }
        11 => {
            // A definition is every link's tooltip; names and aliases decide what is linked.
            let path = f.path("content/glossary/alpha.md");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let (front, definition) = text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("---\n"))
                .unwrap_or(("term: Alpha\nkind: place\n", "A place.\n"));
            let (front, definition) = if rng.next().is_multiple_of(2) {
                let aliases = rng.pick(&[
                    "",
                    "aliases: [Third]\n",
                    "aliases: [Third paragraph]\n",
                    "aliases: [legacy]\n",
                    "aliases: [shelter, Third]\n",
                ]);
                (
                    format!("term: Alpha\n{aliases}kind: place\n"),
                    definition.to_string(),
                )
            } else {
                let definition = rng.pick(&["A place.", "A different place. More.", "Land."]);
                (front.to_string(), format!("{definition}\n"))
            };
            f.write(
                "content/glossary/alpha.md",
                &format!("---\n{front}---\n{definition}"),
            );
            "edit the glossary entry".into()
        }
        12 => {
            // A seed without a recorded sha256, so its text can change without a fixity error.
            let mut bytes = std::fs::read(f.path("seeds/legacy.txt")).unwrap();
            bytes.extend(format!("\nA shelter paragraph {}.\n", rng.next() % 5).bytes());
            std::fs::write(f.path("seeds/legacy.txt"), bytes).unwrap();
            "extend a seed".into()
        }
        13 => {
            // The base template, which every page extends.
            let base = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/base.html"),
            )
            .unwrap();
            let marked = base.replacen(
                "</body>",
                &format!("<!-- v{} --></body>", rng.next() % 3),
                1,
            );
            f.write("themes/default/templates/base.html", &marked);
            "override the base template".into()
        }
        14 => {
            // Who speaks: a sidecar naming a speaker, which the quote index and entries show.
            let text = std::fs::read_to_string(f.path("seeds/alpha.yaml")).unwrap();
            let text = match text.split_once("quotes:") {
                Some((before, _)) => before.to_string(),
                None => format!(
                    "{text}quotes:\n  - text: \"{}\"\n    speaker: {}\n",
                    rng.pick(&["Third paragraph", "Second paragraph"]),
                    rng.pick(&["alpha", "jane-doe"])
                ),
            };
            f.write("seeds/alpha.yaml", &text);
            "toggle a sidecar quote".into()
        }
        15 => {
            // A person entry, which attribution and the glossary index read.
            let path = "content/glossary/jane-doe.md";
            if f.path(path).exists() {
                std::fs::remove_file(f.path(path)).unwrap();
                "remove a person".into()
            } else {
                f.write(path, "---\nterm: Jane Doe\nkind: person\n---\nA speaker.\n");
                "add a person".into()
            }
        }
        _ => {
            f.write("content/essays/one.md", "---\ntitle: \"Essay one\"\n---\n# Intro\n\n## Intro\n\nRewritten, citing [¶1](seed:alpha#p1) and [two](two.md).\n");
            "rewrite essay one".into()
        }
    }
}

/// Compiles `session` again and a fresh session, and asserts both give the same site and
/// diagnostics. Returns whether the build succeeded.
fn assert_rebuild_is_full_build(session: &mut Session, f: &Fixture, log: &[String]) -> bool {
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
    full.is_some()
}

const ENTRY: &str = "---\nterm: Alpha\naliases: [Third]\nkind: place\n---\nA place.\n";

#[test]
fn rebuilds_equal_full_builds_after_random_edit_sequences() {
    let (mut ok, mut failed) = (0, 0);
    for sequence in 0..24u64 {
        let f = Fixture::new("basic");
        f.write("content/glossary/alpha.md", ENTRY);
        let mut session = Session::new(f.options());
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ ((sequence + 1) * 0x1000_0001));
        let mut log = Vec::new();
        for _ in 0..10 {
            log.push(edit(&f, &mut rng));
            if assert_rebuild_is_full_build(&mut session, &f, &log) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
    }
    // Both outcomes are exercised: rebuilds that succeed and rebuilds with errors.
    assert!(
        ok >= 60 && failed >= 12,
        "{ok} successful and {failed} failed builds"
    );
}

/// Each input one page reads from another, changed alone, so that a view whose reads were not
/// recorded fails here even when random sequences miss it.
#[test]
fn each_cross_page_input_reaches_the_pages_that_read_it() {
    let f = Fixture::new("basic");
    f.write("content/glossary/alpha.md", ENTRY);
    let one = std::fs::read_to_string(f.path("content/essays/one.md")).unwrap();
    f.write(
        "content/essays/one.md",
        &format!("{one}\nThe Third paragraph is quoted: [“Third paragraph”](seed:alpha#p3).\n"),
    );
    f.write(
        "content/more/notes.md",
        "---\ntitle: Notes\n---\nOn [essay one](../essays/one.md).\n",
    );
    // Two pages that read exactly the same inputs (each other): their keys must still differ.
    f.write(
        "content/more/a.md",
        "---\ntitle: A\n---\nSee [b](b.md) on [¶1](seed:alpha#p1).\n",
    );
    f.write(
        "content/more/b.md",
        "---\ntitle: B\n---\nSee [a](a.md) on [¶1](seed:alpha#p1).\n",
    );
    let mut session = Session::new(f.options());
    let mut log = Vec::new();
    assert!(assert_rebuild_is_full_build(&mut session, &f, &log));
    let steps: [(&str, &str, &str, &str); 7] = [
        // Margin notes on the seeds essay two cites, and the link to it from essay one.
        (
            "retitle a page",
            "content/essays/two.md",
            "title: \"Essay two\"",
            "title: \"Essay 2\"",
        ),
        // Essay one's backlinks (it does not link to the notes).
        (
            "retitle a linking page",
            "content/more/notes.md",
            "title: Notes",
            "title: Remarks",
        ),
        // The link on "Third" (seed and page) widens to "Third paragraph".
        (
            "widen an alias",
            "content/glossary/alpha.md",
            "[Third]",
            "[Third paragraph]",
        ),
        // Every link's tooltip.
        (
            "edit a definition",
            "content/glossary/alpha.md",
            "A place.",
            "A different place.",
        ),
        // The cited source's title on essay one, and its quotation's words.
        (
            "retitle a seed",
            "seeds/alpha.yaml",
            "title: \"<b>Alpha</b> & co\"",
            "title: Alpha",
        ),
        // The concordance of Alpha lists essay one's words.
        (
            "mention a term",
            "content/essays/one.md",
            "A duplicate heading.",
            "A duplicate Alpha heading.",
        ),
        // Every page extends the base template.
        (
            "edit the base template",
            "themes/default/templates/base.html",
            "</body>",
            "<!-- edited --></body>",
        ),
    ];
    for (what, file, from, to) in steps {
        let path = f.path(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
                .unwrap()
        });
        assert!(text.contains(from), "{what}: {file} has no {from:?}");
        f.write(file, &text.replacen(from, to, 1));
        log.push(what.to_string());
        assert!(
            assert_rebuild_is_full_build(&mut session, &f, &log),
            "{log:?}"
        );
    }
}

#[test]
fn an_edit_re_renders_only_the_pages_that_read_what_changed() {
    let f = Fixture::new("basic");
    let mut session = Session::new(f.options());
    let (first, _) = session.compile();
    let all = first.expect("the fixture builds").1;
    let pages: Vec<String> = all
        .files
        .keys()
        .filter(|p| {
            p.ends_with(".html")
                || [".csl.json", ".bib", ".ris"].iter().any(|e| p.ends_with(e))
                || ["atom.xml", "dossier.json", "robots.txt", "sitemap.xml"].contains(&p.as_str())
        })
        .cloned()
        .collect();
    assert_eq!(
        session.rendered(),
        pages,
        "a first build renders every page"
    );

    let (_, _) = session.compile();
    assert!(
        session.rendered().is_empty(),
        "nothing changed, nothing is rendered: {:?}",
        session.rendered()
    );

    let two = std::fs::read_to_string(f.path("content/essays/two.md")).unwrap();
    f.write(
        "content/essays/two.md",
        &format!("{two}\nA new closing sentence.\n"),
    );
    session.compile().0.expect("still builds");
    assert_eq!(
        session.rendered(),
        [
            // Reads everything.
            "dossier.json",
            // Links to essay two.
            "essays/one/index.html",
            "essays/two/index.html",
            // Lists the latest pages with their summaries.
            "index.html",
            // The seeds essay two cites show it in their margins.
            "sources/legacy/index.html",
            "sources/wide/index.html",
        ]
    );

    // A glossary entry whose term occurs in the third paragraph of seed alpha only.
    f.write(
        "content/glossary/third.md",
        "---\nterm: Third paragraph\n---\nThe last one.\n",
    );
    session.compile().0.expect("still builds");
    f.write(
        "content/glossary/third.md",
        "---\nterm: Third paragraph\n---\nThe last paragraph. Of alpha.\n",
    );
    session.compile().0.expect("still builds");
    assert_eq!(
        session.rendered(),
        [
            "dossier.json",
            // The entry, the glossary index, and the one page whose tooltip shows the definition.
            "glossary/index.html",
            "glossary/third/index.html",
            // Reads every page to list the latest commentary.
            "index.html",
            "sources/alpha/index.html",
        ]
    );
}

/// A view that starts to read something (a page that gains a citation, an entry that gains an
/// occurrence) depends on it from then on, with no declaration anywhere but the view's code.
#[test]
fn a_view_depends_on_what_it_starts_to_read() {
    let f = Fixture::new("basic");
    f.write("content/glossary/alpha.md", ENTRY);
    f.write(
        "content/more/three.md",
        "---\ntitle: Three\n---\nNothing cited yet.\n",
    );
    let mut session = Session::new(f.options());
    session.compile().0.expect("builds");
    let retitle = |f: &Fixture, title: &str| {
        let text = std::fs::read_to_string(f.path("seeds/alpha.yaml")).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("title:"))
            .unwrap()
            .to_string();
        f.write(
            "seeds/alpha.yaml",
            &text.replacen(&line, &format!("title: \"{title}\""), 1),
        );
    };
    let rendered = |session: &mut Session| {
        session.compile().0.expect("builds");
        session.rendered().to_vec()
    };

    // Page three does not read seed alpha: retitling alpha leaves it alone.
    retitle(&f, "Alpha one");
    assert!(!rendered(&mut session).contains(&"more/three/index.html".to_string()));
    // It gains a citation of alpha, and so shows alpha's title among the sources cited…
    f.write(
        "content/more/three.md",
        "---\ntitle: Three\n---\nNow citing [¶2](seed:alpha#p2).\n",
    );
    assert!(rendered(&mut session).contains(&"more/three/index.html".to_string()));
    // …so from now on a new title of alpha re-renders it.
    retitle(&f, "Alpha two");
    let after = rendered(&mut session);
    assert!(
        after.contains(&"more/three/index.html".to_string()),
        "{after:?}"
    );
    assert!(assert_rebuild_is_full_build(
        &mut session,
        &f,
        &["after".into()]
    ));

    // The entry's concordance does not read page three until three mentions the entry's name.
    f.write(
        "content/more/three.md",
        "---\ntitle: Three\n---\nNow citing [¶2](seed:alpha#p2), a text about nothing.\n",
    );
    assert!(!rendered(&mut session).contains(&"glossary/alpha/index.html".to_string()));
    f.write(
        "content/more/three.md",
        "---\ntitle: Three\n---\nNow citing [¶2](seed:alpha#p2), a text about Alpha.\n",
    );
    assert!(rendered(&mut session).contains(&"glossary/alpha/index.html".to_string()));
    // Retitling three now changes the concordance's group heading: the entry is re-rendered.
    f.write(
        "content/more/three.md",
        "---\ntitle: Three again\n---\nNow citing [¶2](seed:alpha#p2), a text about Alpha.\n",
    );
    let after = rendered(&mut session);
    assert!(
        after.contains(&"glossary/alpha/index.html".to_string()),
        "{after:?}"
    );
    assert!(assert_rebuild_is_full_build(
        &mut session,
        &f,
        &["end".into()]
    ));
}

/// Two pages at one path are an error, and a rebuild of that state must report it again, not
/// stumble on the two pages sharing one output file.
#[test]
fn a_rebuild_with_two_pages_at_one_path_reports_it_again() {
    let f = Fixture::new("basic");
    f.write("content/twice.md", "---\ntitle: Once\n---\nOne.\n");
    f.write("content/twice/_index.md", "---\ntitle: Twice\n---\nTwo.\n");
    let mut session = Session::new(f.options());
    for _ in 0..3 {
        let (site, diags) = session.compile();
        assert!(site.is_none());
        assert!(
            diags
                .render_human()
                .contains("both become the page /twice/"),
            "{}",
            diags.render_human()
        );
    }
}

/// The order of a list of many pages (a quote group, the glossary's index) is made once per
/// build and shared by its pages; each page still depends on everything the order is made of,
/// whichever page made it, so a rebuild re-renders them all and equals a full build.
#[test]
fn the_pages_of_a_shared_order_each_depend_on_it() {
    let f = Fixture::new("basic");
    // 250 lines of speech by one speaker: three pages of her quote group.
    let speech: String = (1..=250)
        .map(|i| format!("“This is line {i} of what the mayor had to say,” said Ana Lopez.\n"))
        .collect();
    f.write("seeds/long.txt", &speech);
    // 150 entries: two pages of the glossary's index.
    for i in 0..150 {
        f.write(
            &format!("content/glossary/e{i:03}.md"),
            &format!("---\nterm: Entry {i:03}\n---\nEntry number {i}.\n"),
        );
    }
    let mut session = Session::new(f.options());
    session.compile().0.expect("the fixture builds");
    let groups = [
        "quotes/ana-lopez/2/index.html",
        "quotes/ana-lopez/3/index.html",
        "quotes/ana-lopez/index.html",
    ];
    let glossary = ["glossary/index.html", "glossary/page/2/index.html"];
    for page in groups.iter().chain(&glossary) {
        assert!(session.rendered().iter().any(|p| p == page), "{page}");
    }
    session.compile().0.expect("still builds");
    assert!(session.rendered().is_empty(), "{:?}", session.rendered());

    f.write(
        "seeds/more.txt",
        "“One more line for the end of the list,” said Ana Lopez.\n",
    );
    assert!(assert_rebuild_is_full_build(&mut session, &f, &[]));
    for page in groups {
        assert!(session.rendered().iter().any(|p| p == page), "{page}");
    }
    assert!(!session
        .rendered()
        .iter()
        .any(|p| p.starts_with("glossary/")));

    f.write(
        "content/glossary/a-first.md",
        "---\nterm: A first entry\n---\nFirst of all.\n",
    );
    assert!(assert_rebuild_is_full_build(&mut session, &f, &[]));
    for page in glossary {
        assert!(session.rendered().iter().any(|p| p == page), "{page}");
    }
    assert!(!session
        .rendered()
        .iter()
        .any(|p| p.starts_with("quotes/ana")));
}
