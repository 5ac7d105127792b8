//! Verified quotations, direct speech, the quote index, `dossier.json` and the W3C
//! annotations, on a fixture dossier with a seed full of speech.

mod common;
use common::*;
use std::process::Command;

const SPEECH: &str = "The mayor of Malmö, Ana Lopez, spoke to reporters on Monday.\n\
“We will open the shelter to everyone who needs it tonight,” Lopez said. She added that “the city has room for many more.”\n\
\n\
A resident was less sure. “I do not think the shelter is big enough for all of us,” said one man, who did not give his name.\n\
\n\
“Nobody will be turned away from the shelter tonight,” Lopez said.\n\
The shelter opened at nine.\n";

const QUOTING: &str = "---\ntitle: Quoting\n---\n\
The mayor promised to [“open the shelter to everyone”](seed:speech#p1).\n\n\
Elided: [“We will open the shelter … tonight”](seed:speech#p1).\n\n\
> “Nobody will be turned away”\n\
> — [Ana Lopez](seed:speech)\n";

fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.write("seeds/speech.txt", SPEECH);
    f.write(
        "seeds/speech.yaml",
        "title: \"Mayor opens shelter\"\nquotes:\n  - text: \"I do not think the shelter is big enough for all of us\"\n    speaker: unnamed-resident\n",
    );
    f.write("content/quoting.md", QUOTING);
    f
}

fn json(f: &Fixture, file: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(f.out().join(file)).unwrap()).unwrap()
}

#[test]
fn quotations_link_to_their_highlighted_passage() {
    let f = fixture();
    f.build_ok();
    let page = f.html("quoting/index.html");
    let quotes = select(&page, "a.quote");
    assert_eq!(quotes.len(), 3, "inline, elided and blockquote quotations");
    let href = quotes[0].value().attr("href").unwrap();
    let (path, fragment) = href.split_once('#').unwrap();
    assert_eq!(path, "/sub/sources/speech/");
    let (id, directive) = fragment.split_once(":~:text=").unwrap();
    assert_eq!(directive, "open%20the%20shelter%20to%20everyone");
    let seed = f.html("sources/speech/index.html");
    let anchor = select(&seed, &format!("#{id}"));
    assert_eq!(anchor.len(), 1);
    assert_eq!(
        anchor[0].value().classes().collect::<Vec<_>>(),
        ["q-anchor"]
    );
    // The passage's first mark follows its anchor (the elided quotation cuts it in two).
    let marks = select(&seed, &format!("#{id} + mark"));
    assert_eq!(text(&marks[0]), "open the shelter");
    assert!(marks[0].value().classes().any(|c| c == "q-cited"));
    assert!(
        marks[0]
            .value()
            .attr("title")
            .unwrap()
            .contains("quoted in Quoting"),
        "{:?}",
        marks[0].value().attr("title")
    );
    assert_eq!(broken_links(&f.out(), "/sub/"), Vec::<String>::new());
}

#[test]
fn direct_speech_is_found_attributed_and_indexed() {
    let f = fixture();
    f.build_ok();
    let data = json(&f, "dossier.json");
    let speech: Vec<(String, serde_json::Value)> = data["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["origin"] == "seed" && q["source"] == "speech")
        .map(|q| {
            (
                q["exact"].as_str().unwrap().to_string(),
                q["speaker"].clone(),
            )
        })
        .collect();
    let mut speech = speech;
    speech.sort_by_key(|a| SPEECH.find(&a.0));
    assert_eq!(
        speech,
        [
            (
                "We will open the shelter to everyone who needs it tonight".to_string(),
                serde_json::json!("ana-lopez")
            ),
            (
                "the city has room for many more.".to_string(),
                serde_json::json!("ana-lopez")
            ),
            (
                "I do not think the shelter is big enough for all of us".to_string(),
                serde_json::json!("unnamed-resident")
            ),
            (
                "Nobody will be turned away from the shelter tonight".to_string(),
                serde_json::json!("ana-lopez")
            ),
        ]
    );
    let index = f.html("quotes/index.html");
    let speakers: Vec<String> = select(&index, "section.speaker > h2")
        .iter()
        .map(|h| text(h).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        speakers,
        ["Ana Lopez 3 quotations", "Unnamed Resident 1 quotation"]
    );
    // The commentary's quotations of her speech are listed under her entry, with the page citing it.
    let cited: Vec<String> = select(&index, "#ana-lopez .quote-entry .meta a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(cited, ["Quoting", "Quoting"]);
}

#[test]
fn dossier_json_positions_count_code_points() {
    let f = fixture();
    f.build_ok();
    let data = json(&f, "dossier.json");
    let chars: Vec<char> = SPEECH.chars().collect();
    let quotations = data["quotations"].as_array().unwrap();
    let ids: Vec<&str> = quotations
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "quotations are sorted by id");
    for q in quotations
        .iter()
        .filter(|q| q["source"] == "speech" && !q["exact"].as_str().unwrap().contains(" … "))
    {
        let (start, end) = (
            q["start"].as_u64().unwrap() as usize,
            q["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            q["exact"].as_str().unwrap()
        );
    }
    let inline = quotations
        .iter()
        .find(|q| q["exact"] == "open the shelter to everyone")
        .unwrap();
    assert_eq!(inline["origin"], "commentary");
    assert_eq!(inline["paragraph"], 1);
    assert_eq!(inline["speaker"], "ana-lopez", "inside her direct speech");
    assert_eq!(inline["cited_by"], serde_json::json!(["quoting"]));
    let source = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "speech")
        .unwrap();
    assert_eq!(source["paragraphs"], 3);
    assert_eq!(source["file"], "seeds/speech.txt");
}

#[test]
fn a_misquotation_fails_with_the_closest_passage() {
    let f = fixture();
    f.build_ok();
    let before = snapshot(&f.out());
    f.edit(
        "content/quoting.md",
        "open the shelter to everyone",
        "close the shelter to everyone",
    );
    let diags = f.build();
    assert!(snapshot(&f.out()) == before);
    let e = only_error(&diags);
    assert_eq!(
        (
            e.code,
            e.location.file.as_str(),
            e.location.line,
            e.location.column
        ),
        ("E310", "content/quoting.md", 4, 23)
    );
    assert_eq!(
        e.message,
        "quotation not found in ¶1 of `speech`: “close the shelter to everyone”"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean “open the shelter to everyone” (¶1)? the source has “open” where the quotation has “close”.")
    );
}

#[test]
fn a_quotation_from_the_wrong_paragraph_is_not_found_there() {
    let f = fixture();
    f.edit(
        "content/quoting.md",
        "everyone”](seed:speech#p1)",
        "everyone”](seed:speech#p3)",
    );
    let e = only_error(&f.build());
    assert_eq!(
        e.message,
        "quotation not found in ¶3 of `speech`: “open the shelter to everyone”"
    );
}

#[test]
fn an_ambiguous_quotation_is_a_warning_and_not_anchored() {
    let f = fixture();
    f.write(
        "content/ambiguous.md",
        "---\ntitle: Ambiguous\n---\nIt says [“the shelter”](seed:speech).\n",
    );
    let diags = f.build_ok();
    let w = diags
        .iter()
        .find(|d| d.code == "W311")
        .expect("ambiguity warning");
    assert_eq!(
        w.message,
        "quotation occurs 3 times in `speech` (¶1, ¶2, ¶3): it is not anchored to any of them"
    );
    assert_eq!(
        w.hint.as_deref(),
        Some("cite the paragraph you mean, e.g. `seed:speech#p1`")
    );
    assert_eq!(
        (w.location.file.as_str(), w.location.line),
        ("content/ambiguous.md", 4)
    );
    let page = f.html("ambiguous/index.html");
    assert!(select(&page, "a.quote").is_empty());
    assert_eq!(attr(&page, ".prose a", "href"), "/sub/sources/speech/");
}

#[test]
fn sidecar_quotes_that_do_not_occur_are_errors() {
    let f = fixture();
    f.edit(
        "seeds/speech.yaml",
        "big enough for all of us",
        "big enough for everyone",
    );
    let e = only_error(&f.build());
    assert_eq!(
        (e.code, e.location.file.as_str(), e.location.line),
        ("E310", "seeds/speech.yaml", 3)
    );
    assert_eq!(e.message, "`quotes:` names “I do not think the shelter is big enough for everyone”, which does not occur in seeds/speech.txt");
}

#[test]
fn annotation_ids_survive_unrelated_edits() {
    let f = fixture();
    f.build_ok();
    let ids = |f: &Fixture| -> Vec<String> {
        json(f, "annotations.jsonld")["first"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = ids(&f);
    assert!(first
        .iter()
        .all(|id| id.starts_with("https://example.org/sub/annotations.jsonld#")));
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "A duplicate heading, edited.",
    );
    f.edit(
        "content/essays/two.md",
        "The legacy text,",
        "The old legacy text,",
    );
    f.write(
        "content/another.md",
        "---\ntitle: Another\n---\nMore on [“the city has room for many more”](seed:speech#p1).\n",
    );
    f.build_ok();
    let second = ids(&f);
    for id in &first {
        assert!(
            second.contains(id),
            "{id} disappeared after an unrelated edit"
        );
    }
    assert_eq!(
        second.len(),
        first.len() + 2,
        "one quotation and one margin note more"
    );
}

/// Runs the W3C schema validation on `file`; true when it passes.
fn w3c_valid(file: &std::path::Path) -> (bool, String) {
    let tests = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/w3c/web-annotation-tests"
    );
    let out = Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/w3c/validate.py"),
            tests,
        ])
        .arg(file)
        .output()
        .expect("python3 runs (CI installs it with the jsonschema package)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !report.contains("ModuleNotFoundError"),
        "python3 needs the jsonschema package: {report}"
    );
    (out.status.success(), report)
}

#[test]
fn annotations_validate_against_the_w3c_schemas() {
    let f = fixture();
    f.build_ok();
    let file = f.out().join("annotations.jsonld");
    let doc = json(&f, "annotations.jsonld");
    assert_eq!(doc["@context"], "http://www.w3.org/ns/anno.jsonld");
    let (ok, report) = w3c_valid(&file);
    assert!(ok, "{report}");
    let quoting = doc["first"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["motivation"] == "quoting")
        .unwrap();
    let selectors = quoting["target"]["selector"].as_array().unwrap();
    assert_eq!(selectors[0]["type"], "TextQuoteSelector");
    assert_eq!(selectors[1]["type"], "TextPositionSelector");

    // The validation can fail: a wrong context, and an annotation without a target.
    let mut bad = doc.clone();
    bad["@context"] = "http://www.w3.org/ns/anno.json".into();
    std::fs::write(&file, serde_json::to_string(&bad).unwrap()).unwrap();
    assert!(!w3c_valid(&file).0, "a wrong @context must fail");
    let mut bad = doc.clone();
    bad["first"]["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("target");
    std::fs::write(&file, serde_json::to_string(&bad).unwrap()).unwrap();
    assert!(
        !w3c_valid(&file).0,
        "an annotation without a target must fail"
    );
}

#[test]
fn the_example_dossiers_annotations_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = Some(tmp.path().join("site"));
    assert!(!dossier::build(&options).has_errors());
    let (ok, report) = w3c_valid(&tmp.path().join("site/annotations.jsonld"));
    assert!(ok, "{report}");
}
