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
        let page = f.html(&format!("glossary/{id}/index.html"));
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
        attr(&quotes, "#joel-millman h2 a", "href"),
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
        let entry = f.html("glossary/caravan/index.html");
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
