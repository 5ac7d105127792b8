//! Unicode normalisation: text stored decomposed (NFD) and composed (NFC) is the same text to
//! quotations and the glossary, while every position shown still points into the text as
//! written.

mod common;
use common::*;

/// The seed, composed (NFC, as typed on most keyboards).
const SEED: &str = "The mayor of Malmö spoke at the café on Monday. Every émigré is welcome at the café tonight, she said.\n\
\n\
The café closed at nine.\n";

const PASSAGE: &str = "Every émigré is welcome at the café tonight";

/// `text` with its accented letters decomposed (NFD): a letter followed by a combining mark.
fn nfd(text: &str) -> String {
    let out = text.replace('é', "e\u{301}").replace('ö', "o\u{308}");
    assert!(!out.contains(['é', 'ö']));
    out
}

fn json(f: &Fixture) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap()).unwrap()
}

fn quoting_page(passage: &str) -> String {
    format!("---\ntitle: Quoting\n---\nShe said [“{passage}”](seed:town#p1).\n")
}

/// Builds a seed `town` and a page quoting it, and checks that the quotation is verified, is
/// highlighted on the seed page as the seed writes it, and counts code points of that text.
fn assert_quoted(seed: &str, page: &str) {
    let f = Fixture::new("basic");
    f.write("seeds/town.txt", seed);
    f.write("content/quoting.md", page);
    f.build_ok();
    let in_seed = &seed[seed.find("Every").unwrap()..seed.find(", she").unwrap()];
    let html = f.html("quoting/index.html");
    let quotes = select(&html, "a.quote");
    assert_eq!(quotes.len(), 1);
    let href = quotes[0].value().attr("href").unwrap();
    let (path, fragment) = href.split_once('#').unwrap();
    assert_eq!(path, "/sub/sources/town/");
    let id = fragment.split_once(":~:text=").unwrap().0;
    let seed_page = f.html("sources/town/index.html");
    let marks = select(&seed_page, &format!("#{id} + mark"));
    assert_eq!(text(&marks[0]), in_seed);
    assert!(marks[0].value().classes().any(|c| c == "q-cited"));
    let data = json(&f);
    let q = data["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["origin"] == "commentary")
        .unwrap();
    assert_eq!(q["exact"], in_seed);
    let chars: Vec<char> = seed.chars().collect();
    let (start, end) = (
        q["start"].as_u64().unwrap() as usize,
        q["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[start..end].iter().collect::<String>(), in_seed);
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}

#[test]
fn a_decomposed_seed_is_quoted_from_composed_commentary() {
    assert_quoted(&nfd(SEED), &quoting_page(PASSAGE));
}

#[test]
fn a_composed_seed_is_quoted_from_decomposed_commentary() {
    assert_quoted(SEED, &nfd(&quoting_page(PASSAGE)));
}

#[test]
fn a_real_misquotation_of_a_decomposed_seed_still_fails_with_its_hint() {
    let f = Fixture::new("basic");
    f.write("seeds/town.txt", &nfd(SEED));
    f.write(
        "content/quoting.md",
        &quoting_page("Every émigré is welcome at the bar tonight"),
    );
    let e = only_error(&f.build());
    assert_eq!(
        (
            e.code,
            e.location.file.as_str(),
            e.location.line,
            e.location.column
        ),
        ("E310", "content/quoting.md", 4, 10)
    );
    assert_eq!(
        e.message,
        "quotation not found in ¶1 of `town`: “Every émigré is welcome at the bar tonight”"
    );
    // The passage is shown as the seed writes it; the differing words as compared.
    assert_eq!(
        e.hint.unwrap(),
        format!(
            "did you mean “{}” (¶1)? the source has “café” where the quotation has “bar”.",
            nfd(PASSAGE)
        )
    );
}

fn glossary_fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.edit(
        "dossier.yaml",
        "language: en",
        "language: en\nglossary:\n  link: all",
    );
    f.write("seeds/nfd.txt", &nfd(SEED));
    f.write("seeds/nfc.txt", SEED);
    // The term composed, its alias decomposed.
    f.write(
        "content/glossary/emigre.md",
        &format!(
            "---\nterm: émigré\naliases: [\"{}\"]\n---\nSomeone who left their country.\n",
            nfd("Malmö")
        ),
    );
    f.write(
        "content/notes.md",
        &nfd("---\ntitle: Notes\n---\nAn émigré in Malmö.\n"),
    );
    f
}

#[test]
fn glossary_names_are_found_whatever_the_normal_form() {
    let f = glossary_fixture();
    f.build_ok();
    let terms = |file: &str, css: &str| -> Vec<(String, String)> {
        select(&f.html(file), &format!("{css} a.term"))
            .iter()
            .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
            .collect()
    };
    let href = "/sub/glossary/emigre/".to_string();
    // Linked as written in each text.
    assert_eq!(
        terms("sources/nfd/index.html", ".seed-text"),
        [(nfd("Malmö"), href.clone()), (nfd("émigré"), href.clone())]
    );
    assert_eq!(
        terms("sources/nfc/index.html", ".seed-text"),
        [
            ("Malmö".to_string(), href.clone()),
            ("émigré".into(), href.clone())
        ]
    );
    assert_eq!(
        terms("notes/index.html", ".prose"),
        [(nfd("émigré"), href.clone()), (nfd("Malmö"), href)]
    );
    // Counted in the concordance and in dossier.json.
    let data = json(&f);
    let entry = data["glossary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "emigre")
        .unwrap()
        .clone();
    assert_eq!(
        entry["occurrences"]["by_source"],
        serde_json::json!({"nfc": 2, "nfd": 2, "notes": 2})
    );
    let page = f.html("glossary/emigre/index.html");
    assert_eq!(select(&page, ".kwic li").len(), 6);
    let mut shown: Vec<String> = select(&page, ".kwic-term").iter().map(text).collect();
    shown.sort();
    let mut expected = vec![
        "Malmö".to_string(),
        "émigré".into(),
        nfd("Malmö"),
        nfd("Malmö"),
        nfd("émigré"),
        nfd("émigré"),
    ];
    expected.sort();
    assert_eq!(shown, expected);
}

#[test]
fn a_name_claimed_in_both_normal_forms_is_a_duplicate() {
    let f = glossary_fixture();
    f.write(
        "content/glossary/cafe.md",
        "---\nterm: café\n---\nA coffee house.\n",
    );
    f.write(
        "content/glossary/coffee-house.md",
        &format!(
            "---\nterm: coffee house\naliases: [\"{}\"]\n---\nA café.\n",
            nfd("café")
        ),
    );
    let e = only_error(&f.build());
    assert_eq!(
        (e.code, e.location.file.as_str(), e.location.line),
        ("E320", "content/glossary/coffee-house.md", 3)
    );
    assert_eq!(
        e.message,
        format!(
            "`{}` is claimed by both content/glossary/cafe.md and content/glossary/coffee-house.md",
            nfd("café")
        )
    );
}
