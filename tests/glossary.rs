//! The glossary: entries, `term:` references, occurrences in seeds and commentary, linking per
//! mode, the index and concordance pages, and `dossier.json`'s counts.

mod common;
use common::*;

const SEED: &str =
    "The IOM said the caravan was normal. Mexico's border towns saw the caravan pass.\n\
\n\
In Mexico City, iom staff (lowercase, not the acronym) met the Migrant Caravan again.\n\
\n\
“We have seen the caravan every year,” Millman said.\n";

fn fixture(mode: &str) -> Fixture {
    let f = Fixture::new("basic");
    f.edit(
        "dossier.yaml",
        "language: en",
        &format!("language: en\nglossary:\n  link: {mode}"),
    );
    f.write("seeds/report.txt", SEED);
    f.write("content/glossary/iom.md", "---\nterm: IOM\naliases: [\"International Organization for Migration\"]\nkind: organization\n---\nAn intergovernmental organization. It works on migration.\n");
    f.write("content/glossary/mexico.md", "---\nterm: Mexico\nkind: place\n---\nA country. Not to be confused with [the IOM](term:iom).\n");
    f.write("content/glossary/caravan.md", "---\nterm: migrant caravan\naliases: [caravan]\n---\nA group travelling together. Mexico is on its way.\n");
    f.write(
        "content/glossary/joel-millman.md",
        "---\nterm: Joel Millman\naliases: [Millman]\nkind: person\n---\nA spokesman of the IOM.\n",
    );
    f.write(
        "content/reading.md",
        "---\ntitle: Reading\n---\n# The caravan in Mexico\n\nThe caravan crossed Mexico. The caravan rested.\n\nThe IOM spoke; see [the caravan entry](term:caravan) and `caravan` in code.\n\n```text\ncaravan\n```\n",
    );
    f
}

fn terms_in(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, &format!("{css} a.term"))
        .iter()
        .map(text)
        .collect()
}

#[test]
fn first_per_page_links_once_and_never_in_headings_code_links_or_the_own_page() {
    let f = fixture("first-per-page");
    f.build_ok();
    let page = f.html("reading/index.html");
    assert_eq!(terms_in(&page, ".prose"), ["caravan", "Mexico", "IOM"]);
    assert!(select(&page, "h1 a.term, code a.term, pre a.term").is_empty());
    let entry_link = select(&page, ".prose a[href='/sub/glossary/caravan/']");
    assert_eq!(
        entry_link
            .iter()
            .filter(|a| !a.value().classes().any(|c| c == "term"))
            .count(),
        1,
        "the term: link stays as written"
    );
    // A glossary entry does not link to itself, but links others.
    let mexico = f.html("glossary/mexico/index.html");
    assert!(!select(&mexico, ".definition a.term")
        .iter()
        .any(|a| a.value().attr("href") == Some("/sub/glossary/mexico/")));
    let caravan = f.html("glossary/caravan/index.html");
    assert_eq!(terms_in(&caravan, ".definition"), ["Mexico"]);
    // Seeds are linked too, once per page.
    let seed = f.html("sources/report/index.html");
    assert_eq!(
        terms_in(&seed, ".seed-text"),
        ["IOM", "caravan", "Mexico", "Millman"]
    );
}

#[test]
fn linked_terms_carry_their_definition_as_an_accessible_tooltip() {
    let f = fixture("first-per-page");
    f.build_ok();
    let page = f.html("reading/index.html");
    let link = &select(&page, ".prose a.term")[2];
    assert_eq!(link.value().attr("href"), Some("/sub/glossary/iom/"));
    let tip_id = link.value().attr("aria-describedby").unwrap();
    let tip = select(&page, &format!("#{tip_id}"));
    assert_eq!(tip[0].value().attr("role"), Some("tooltip"));
    assert_eq!(text(&tip[0]), "An intergovernmental organization.");
}

#[test]
fn linking_modes() {
    let count = |mode: &str| {
        let f = fixture(mode);
        f.build_ok();
        (
            terms_in(&f.html("reading/index.html"), ".prose").len(),
            terms_in(&f.html("sources/report/index.html"), ".seed-text").len(),
        )
    };
    assert_eq!(count("none"), (0, 0));
    assert_eq!(count("first-per-page"), (3, 4));
    // Per paragraph: caravan+Mexico in the first, IOM in the second; seed ¶1 IOM, caravan, Mexico;
    // ¶2 Mexico, caravan; ¶3 caravan, Millman.
    assert_eq!(count("first-per-paragraph"), (3, 7));
    // All: caravan ×2, Mexico, IOM in the page; every occurrence in the seed.
    assert_eq!(count("all"), (4, 8));
}

/// Whole-word, case-aware occurrences counted independently of the tool.
fn naive_count(text: &str, name: &str, case_sensitive: bool) -> usize {
    let (hay, needle) = if case_sensitive {
        (text.to_string(), name.to_string())
    } else {
        (text.to_lowercase(), name.to_lowercase())
    };
    hay.match_indices(&needle)
        .filter(|(i, _)| {
            let before = hay[..*i].chars().next_back();
            let after = hay[i + needle.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .count()
}

#[test]
fn concordance_counts_equal_an_independent_count_and_dossier_json() {
    let f = fixture("first-per-page");
    f.build_ok();
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
            .unwrap();
    let entry = |id: &str| {
        data["glossary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    // In the seed: IOM once (case-sensitive acronym), caravan 4 times (one as part of "Migrant
    // Caravan", the longer alias), Mexico twice (Mexico's counts), Millman once.
    let expected = [
        ("iom", naive_count(SEED, "IOM", true)),
        ("caravan", naive_count(SEED, "caravan", false)),
        ("mexico", naive_count(SEED, "Mexico", false)),
        ("joel-millman", naive_count(SEED, "Millman", false)),
    ];
    assert_eq!(expected.map(|(_, n)| n), [1, 4, 2, 1]);
    for (id, n) in expected {
        let e = entry(id);
        assert_eq!(e["occurrences"]["by_source"]["report"], n, "{id}: {e}");
        let page = concordance(&f, id);
        let total: usize = select(&page, ".kwic li").len();
        assert_eq!(
            serde_json::json!(total),
            e["occurrences"]["total"],
            "{id}: concordance lines = dossier.json total"
        );
        let report_lines = select(&page, ".kwic-group")
            .iter()
            .find(|g| text(g).contains("report.txt"))
            .map(|g| {
                g.select(&scraper::Selector::parse(".kwic li").unwrap())
                    .count()
            });
        assert_eq!(report_lines, Some(n), "{id}");
    }
    // Commentary occurrences, except code, are counted: the page has caravan ×4 (heading, two in
    // text, the term: link's text), Mexico ×2, IOM ×1.
    assert_eq!(entry("caravan")["occurrences"]["by_source"]["reading"], 4);
    assert_eq!(entry("mexico")["occurrences"]["by_source"]["reading"], 2);
    // The concordance line shows the term in context and links to its paragraph.
    let page = f.html("glossary/joel-millman/index.html");
    let line = &select(&page, ".kwic li a")[0];
    assert_eq!(line.value().attr("href"), Some("/sub/sources/report/#p3"));
    assert_eq!(
        text(line),
        "“We have seen the caravan every year,” Millman said."
    );
    assert_eq!(text(&select(&page, ".kwic-term")[0]), "Millman");
}

#[test]
fn the_index_lists_entries_by_kind_with_an_index_of_names() {
    let f = fixture("first-per-page");
    f.build_ok();
    let page = f.html("glossary/index.html");
    let kinds: Vec<String> = select(&page, "section.kind h2").iter().map(text).collect();
    assert_eq!(kinds, ["Terms", "People", "Organizations", "Places"]);
    let names: Vec<String> = select(&page, ".name-list a").iter().map(text).collect();
    assert_eq!(names, ["IOM", "Joel Millman", "Mexico"]);
    assert_eq!(select(&page, "#term-M").len(), 1, "letter anchors");
    // A person's speech is listed on their entry, and the quote index links to the entry.
    let millman = f.html("glossary/joel-millman/index.html");
    assert_eq!(select(&millman, ".entry-quotes li").len(), 1);
    let quotes = f.html("quotes/index.html");
    assert_eq!(
        attr(&quotes, "#joel-millman a", "href"),
        "/sub/quotes/joel-millman/"
    );
    let millman = f.html("quotes/joel-millman/index.html");
    assert_eq!(
        attr(&millman, "h1 a", "href"),
        "/sub/glossary/joel-millman/"
    );
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}

#[test]
fn a_term_claimed_twice_is_an_error_naming_both_files() {
    let f = fixture("first-per-page");
    f.build_ok();
    let before = snapshot(&f.out());
    f.write(
        "content/glossary/mexico-city.md",
        "---\nterm: Mexico City\naliases: [mexico]\nkind: place\n---\nA city.\n",
    );
    let diags = f.build();
    assert!(snapshot(&f.out()) == before);
    let e = only_error(&diags);
    assert_eq!(
        (e.code, e.location.file.as_str(), e.location.line),
        ("E320", "content/glossary/mexico-city.md", 3)
    );
    assert_eq!(e.message, "`mexico` is claimed by both content/glossary/mexico.md and content/glossary/mexico-city.md");
}

#[test]
fn unknown_term_references_suggest_the_nearest_entry() {
    let f = fixture("first-per-page");
    f.edit("content/reading.md", "term:caravan", "term:caravn");
    let e = only_error(&f.build());
    assert_eq!(
        (e.code, e.location.file.as_str()),
        ("E301", "content/reading.md")
    );
    assert_eq!(e.message, "no glossary entry `caravn`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `term:caravan`?"));
}

#[test]
fn glossary_pages_are_deterministic() {
    let f = fixture("all");
    f.build_ok();
    let first = snapshot(&f.out().join("glossary"));
    std::fs::remove_dir_all(f.out()).unwrap();
    f.build_ok();
    assert!(snapshot(&f.out().join("glossary")) == first);
}

#[test]
fn a_name_split_by_emphasis_or_a_line_break_is_counted_but_not_linked() {
    let split = "---\ntitle: Split\n---\nA *migrant* caravan, then a migrant\ncaravan; `migrant` caravan; and a *migrant caravan*.\n";
    for (mode, linked) in [
        ("first-per-page", vec!["caravan"]),
        ("all", vec!["caravan", "migrant caravan"]),
    ] {
        let f = fixture(mode);
        f.write("content/split.md", split);
        f.build_ok();
        // Split by emphasis, split by a line break, "caravan" after inline code (the code is
        // not part of a name), and the whole name inside emphasis.
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
                .unwrap();
        let caravan = data["glossary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "caravan")
            .unwrap()
            .clone();
        assert_eq!(caravan["occurrences"]["by_source"]["split"], 4, "{mode}");
        let entry = concordance(&f, "caravan");
        let group = select(&entry, ".kwic-group")
            .into_iter()
            .find(|g| text(g).contains("Split"))
            .expect("the page's concordance lines");
        let terms: Vec<String> = group
            .select(&scraper::Selector::parse(".kwic-term").unwrap())
            .map(|t| text(&t))
            .collect();
        assert_eq!(
            terms,
            [
                "migrant caravan",
                "migrant caravan",
                "caravan",
                "migrant caravan"
            ]
        );
        // Only names inside one text node become links.
        assert_eq!(
            terms_in(&f.html("split/index.html"), ".prose"),
            linked,
            "{mode}"
        );
    }
}

/// The `.kwic-term` texts and the whole lines of the concordance group of source or page
/// `title` on entry `id`'s page.
/// The page with every concordance line of entry `id` (fewer than 100 here): its second page
/// when its own page shows only some, else its own page.
fn concordance(f: &Fixture, id: &str) -> scraper::Html {
    let second = format!("glossary/{id}/page/2/index.html");
    if f.out().join(&second).exists() {
        f.html(&second)
    } else {
        f.html(&format!("glossary/{id}/index.html"))
    }
}

fn concordance_of(f: &Fixture, id: &str, title: &str) -> (Vec<String>, Vec<String>) {
    let entry = concordance(f, id);
    let Some(group) = select(&entry, ".kwic-group")
        .into_iter()
        .find(|g| text(&select_in(g, "h3 a")[0]) == title)
    else {
        return (Vec::new(), Vec::new());
    };
    let terms = select_in(&group, ".kwic-term").iter().map(text).collect();
    let lines = select_in(&group, ".kwic li")
        .iter()
        .map(|l| text(l).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (terms, lines)
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

fn by_source(f: &Fixture, id: &str) -> serde_json::Value {
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
            .unwrap();
    data["glossary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap()["occurrences"]
        .clone()
}

#[test]
fn a_name_split_by_a_line_break_counts_and_one_split_by_a_paragraph_break_does_not() {
    let f = fixture("first-per-page");
    // Paragraphs separated by blank lines: a line break inside ¶1, a blank line between ¶2 and
    // ¶3 (white space on it too), then a shorter name inside ¶3 that must still be found.
    f.write(
        "seeds/hard-wrapped.txt",
        "The migrant\ncaravan rested in Tapachula.\n\nThen came the migrant\n  \ncaravan again, moving north.\n",
    );
    // No blank line at all: every line is a paragraph, so this line break is a paragraph break.
    f.write("seeds/lines.txt", "The migrant\ncaravan rested.\n");
    f.write(
        "content/wrapped.md",
        "---\ntitle: Wrapped\n---\nA migrant\ncaravan here.\n\nAnd a migrant\n\ncaravan there.\n",
    );
    f.build_ok();

    let occurrences = by_source(&f, "caravan");
    assert_eq!(occurrences["by_source"]["hard-wrapped"], 2, "{occurrences}");
    assert_eq!(occurrences["by_source"]["lines"], 1, "{occurrences}");
    assert_eq!(occurrences["by_source"]["wrapped"], 2, "{occurrences}");
    let entry = concordance(&f, "caravan");
    assert_eq!(
        serde_json::json!(select(&entry, ".kwic li").len()),
        occurrences["total"],
        "concordance lines = dossier.json total"
    );

    let (terms, lines) = concordance_of(&f, "caravan", "hard-wrapped.txt");
    assert_eq!(terms, ["migrant caravan", "caravan"]);
    assert_eq!(
        lines,
        [
            "The migrant caravan rested in Tapachula. ¶1",
            "caravan again, moving north. ¶3"
        ]
    );
    let (terms, lines) = concordance_of(&f, "caravan", "lines.txt");
    assert_eq!(terms, ["caravan"]);
    assert_eq!(lines, ["caravan rested. ¶2"]);
    let (terms, lines) = concordance_of(&f, "caravan", "Wrapped");
    assert_eq!(terms, ["migrant caravan", "caravan"]);
    assert_eq!(lines, ["A migrant caravan here.", "caravan there."]);
}

#[test]
fn a_seed_name_split_by_a_line_break_is_linked_in_both_of_its_lines() {
    let f = fixture("first-per-page");
    f.write(
        "seeds/hard-wrapped.txt",
        "The migrant\ncaravan rested.\n\nThe caravan left.\n",
    );
    f.write("seeds/lines.txt", "The migrant\ncaravan rested.\n");
    f.build_ok();
    let page = std::fs::read_to_string(f.out().join("sources/hard-wrapped/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(
        doc.errors,
        Vec::<std::borrow::Cow<str>>::new(),
        "valid HTML"
    );
    // Each line is its own element, so the name is linked once in each: both halves link to
    // the entry, each with its own tooltip; the name's later occurrence is not linked.
    let halves: Vec<(String, String, String)> = select(&doc, ".seed-text a.term")
        .iter()
        .map(|a| {
            let line = a
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|e| {
                    e.value()
                        .has_class("line", scraper::CaseSensitivity::CaseSensitive)
                })
                .and_then(|e| e.value().attr("id"))
                .unwrap()
                .to_string();
            (text(a), line, a.value().attr("href").unwrap().to_string())
        })
        .collect();
    let href = "/sub/glossary/caravan/".to_string();
    assert_eq!(
        halves,
        [
            ("migrant".into(), "L1".into(), href.clone()),
            ("caravan".into(), "L2".into(), href.clone())
        ]
    );
    let tips: Vec<String> = select(&doc, ".seed-text a.term")
        .iter()
        .map(|a| a.value().attr("aria-describedby").unwrap().to_string())
        .collect();
    assert_ne!(tips[0], tips[1]);
    for tip in &tips {
        assert_eq!(
            text(&select(&doc, &format!("#{tip}"))[0]),
            "A group travelling together."
        );
    }
    // A seed of one paragraph per line: the line break is a paragraph break, so only the
    // second line's "caravan" is a name, and linked.
    let lines = f.html("sources/lines/index.html");
    assert_eq!(
        select(&lines, ".seed-text a.term")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["caravan"]
    );
    assert_eq!(select(&lines, "#p2 a.term").len(), 1);
}
