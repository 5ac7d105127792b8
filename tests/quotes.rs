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
    f.write(
        "content/glossary/unnamed-resident.md",
        "---\nterm: Unnamed Resident\nkind: person\n---\nA resident.\n",
    );
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
    let speakers: Vec<String> = select(&index, "#part-speakers li")
        .iter()
        .map(|h| text(h).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(speakers, ["Ana Lopez 3", "Unnamed Resident 1"]);
    // The commentary's quotations of her speech are shown with it, with the page citing it.
    let lopez = f.html("quotes/ana-lopez/index.html");
    let cited: Vec<String> = select(&lopez, ".quote-entry .meta a")
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
        "quotation not in ¶3 of `speech`: found word for word in ¶1 (you cited ¶3)"
    );
    assert_eq!(e.hint.as_deref(), Some("cite `seed:speech#p1`"));
}

/// Replaces the first quotation of the fixture and returns the single error.
fn misquoted(quote: &str, anchor: &str) -> dossier::diagnostics::Diagnostic {
    let f = fixture();
    f.edit(
        "content/quoting.md",
        "[“open the shelter to everyone”](seed:speech#p1)",
        &format!("[“{quote}”](seed:speech{anchor})"),
    );
    let e = only_error(&f.build());
    assert_eq!(
        (
            e.code,
            e.location.file.as_str(),
            e.location.line,
            e.location.column
        ),
        ("E310", "content/quoting.md", 4, 23),
        "{e:#?}"
    );
    e
}

#[test]
fn a_quotation_with_nothing_close_gets_no_suggestion() {
    let e = misquoted("purple elephants dance quietly at dawn", "#p1");
    assert_eq!(
        e.message,
        "quotation not found in ¶1 of `speech`: “purple elephants dance quietly at dawn”"
    );
    assert_eq!(e.hint, None);
    // Half the words changed is still close: the threshold is inclusive.
    let e = misquoted("close the shelter to nobody", "#p1");
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean “open the shelter to everyone” (¶1)? the source has “open” where the quotation has “close”; the source has “everyone” where the quotation has “nobody”.")
    );
}

#[test]
fn a_suggestion_never_spans_a_paragraph_break() {
    // Word for word, "name. “Nobody will be turned" joins ¶2's end to ¶3's start: the
    // suggestion is the closest run of words inside one paragraph instead.
    let e = misquoted("name Nobody will be turned", "");
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean “Nobody will be turned away” (¶3)? the quotation has “name” that the source lacks; the source has “away” that the quotation lacks."),
        "{e:#?}"
    );
}

#[test]
fn a_capitalisation_only_difference_suggests_the_bracketed_form() {
    // Capitals must be the source's, the first letter's too; the hint's bracketed form verifies
    // (`[S]` is the source's letter in the other case).
    let e = misquoted("the Shelter is big enough", "#p2");
    assert_eq!(
        e.message,
        "quotation not found in ¶2 of `speech`: “the Shelter is big enough”"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("only capitalisation differs from ¶2; square brackets mark an editorial change: write “the [S]helter is big enough”")
    );
    let f = fixture();
    f.edit(
        "content/quoting.md",
        "[“open the shelter to everyone”](seed:speech#p1)",
        "[“the [S]helter is big enough”](seed:speech#p2)",
    );
    f.build_ok();
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

/// Every quotation listed on the quote index's group pages: (group id, words), in page order,
/// following each group's pagination. Checks on the way that every count shown (the total,
/// each part, each group, each heading) is the number of quotations listed under it.
fn listed(out: &std::path::Path, base: &str) -> Vec<(String, String)> {
    let read =
        |rel: &str| scraper::Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
    let number = |el: &scraper::ElementRef| text(el).trim().parse::<usize>().unwrap();
    let index = read("quotes/index.html");
    let lede = text(&select(&index, ".lede")[0]);
    let total: usize = lede.split_whitespace().next().unwrap().parse().unwrap();
    let mut all = Vec::new();
    let mut parts_sum = 0;
    for part in select(&index, "section.quote-part") {
        let part_count = number(
            &part
                .select(&scraper::Selector::parse("h2 .count").unwrap())
                .next()
                .unwrap(),
        );
        let mut in_part = 0;
        for li in part.select(&scraper::Selector::parse("li").unwrap()) {
            let id = li.value().attr("id").unwrap().to_string();
            let count = number(
                &li.select(&scraper::Selector::parse(".count").unwrap())
                    .next()
                    .unwrap(),
            );
            let href = li
                .select(&scraper::Selector::parse("a").unwrap())
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap()
                .to_string();
            let mut next = Some(href);
            let mut in_group = 0;
            let mut pages = 0;
            while let Some(href) = next.take() {
                pages += 1;
                let rel = format!("{}index.html", href.strip_prefix(base).unwrap());
                let page = read(&rel);
                for section in select(&page, "section.quote-section") {
                    let heading = number(
                        &section
                            .select(&scraper::Selector::parse("h2 .count").unwrap())
                            .next()
                            .unwrap(),
                    );
                    let quotes: Vec<String> = section
                        .select(&scraper::Selector::parse(".quote-entry blockquote a").unwrap())
                        .map(|a| {
                            text(&a)
                                .trim_start_matches('“')
                                .trim_end_matches('”')
                                .to_string()
                        })
                        .collect();
                    assert_eq!(heading, quotes.len(), "a heading's count on {rel}");
                    in_group += quotes.len();
                    all.extend(quotes.into_iter().map(|q| (id.clone(), q)));
                }
                // The next page, from the first pager's `rel="next"` link, if any.
                next = select(&page, "nav.pager a[rel=next]")
                    .first()
                    .map(|a| a.value().attr("href").unwrap().to_string());
            }
            assert!(pages >= 1);
            assert_eq!(count, in_group, "the count of {id} on the index");
            in_part += in_group;
        }
        assert_eq!(part_count, in_part, "a part's count on the index");
        parts_sum += in_part;
    }
    assert_eq!(total, parts_sum, "the total on the index");
    assert_eq!(total, all.len());
    all
}

fn build_example() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = Some(tmp.path().join("site"));
    options.load.base_url = Some("/".into());
    assert!(!dossier::build(&options).has_errors());
    tmp
}

#[test]
fn the_example_quote_index_counts_and_attributes_every_quotation() {
    let tmp = build_example();
    let out = tmp.path().join("site");
    let mut got = listed(&out, "/");
    got.sort();
    let expected: &[(&str, &str)] = &[
        ("donald-trump", "stone-cold criminals"),
        ("ima", "It is the Central American migrant exodus, the direct result of the failure of neoliberal globalization"),
        ("ima", "This is the statement of the International Migrants Alliance (IMA)"),
        ("ima", "This is the statement of the International Migrants Alliance (IMA) as it condemns in the strongest terms possible the heightening brutality"),
        ("ima", "Trump and his ilk are the worst criminals"),
        ("ima", "What is purported by mainstream media as the migrant caravan is not a caravan."),
        ("ima", "a manifestation not only of the people’s will to survive but their defiance to imperialist imposition and control"),
        ("ima", "have been forced to flee their countries plagued with violence and abject poverty caused and further intensified by neoliberal policies imposed on them by the US government among others"),
        ("ima", "is the stone-cold criminal, not the migrants"),
        ("ima", "on Monday, November 26"),
        ("ima", "reeks of white supremacist chauvinism"),
        ("ima", "remain vigilant and will stand their ground at the US-Mexico border"),
        ("ima", "they should break all barriers, both physical and virtual"),
        ("in-commentary", "5,000"),
        ("in-commentary", "Statement: IMA on the violence vs Central American migrants at the US-Mexico border"),
        ("in-commentary", "relentless march"),
        ("in-commentary", "said"),
        ("in-commentary", "says"),
        ("joel-millman", "The next point I would make is that they are nowhere near the border yet, so it is a little bit difficult to respond to hypotheticals. You know, is it an invasion? They are hundreds of miles away.… I have never heard, generally, anyone thinking this was a threat to civil peace in these annual events"),
        ("joel-millman", "We know from the rising number of deaths on borders around the world what militarization means to the individuals who are crossing and the risks they are adding and the dangers. And, we know that it feeds the profits of the smugglers. So, we oppose it for many reasons and this would be no exception. Militarizing the border is not something we are ever in favor of"),
        ("voa", "The U.N. migration agency says"),
        ("voa", "The U.N. migration agency says"),
        ("voa", "a normal annual event that has been going on for more than a decade"),
        ("voa", "an invasion, a view the International Organization for Migration does not share"),
        ("voa", "are asylum seekers fleeing persecution and violence"),
        ("voa", "barriers and militarized borders tend not to deter border crossings, but rather support criminal organizations"),
        ("voa", "calls the migrant caravan moving toward the United States' southern border an invasion"),
        ("voa", "is an annual event and poses no threat"),
        ("voa", "is an annual event and poses no threat"),
        ("voa", "is sending more than 8,000 troops to the southern border"),
        ("voa", "is sending more than 8,000 troops to the southern border"),
        ("voa", "to voluntarily accept offers from Mexico and Honduras to help them return home"),
        ("voa", "told VOA the caravan is not an emergency"),
        ("voa", "wending its way through Mexico toward the United States"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, expected);

    // The commentary's quotations of direct speech are not listed again: they are shown with
    // the speech, and dossier.json gives them its speaker.
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("dossier.json")).unwrap()).unwrap();
    let mut in_speech: Vec<(String, String)> = data["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["role"] == "in-speech")
        .map(|q| {
            (
                q["speaker"].as_str().unwrap().to_string(),
                q["exact"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    in_speech.sort();
    let millman = |s: &str| ("joel-millman".to_string(), s.to_string());
    assert_eq!(
        in_speech,
        [
            ("donald-trump".to_string(), "stone-cold criminals".to_string()),
            millman("The next point I would make is that they are nowhere near the border yet … You know, is it an invasion? They are hundreds of miles away."),
            millman("They are hundreds of miles away."),
            millman("You know, is it an invasion? They are hundreds of miles away."),
            millman("feeds the profits of the smugglers"),
            millman("they are nowhere near the border yet … I have never heard, generally, anyone thinking this was a threat to civil peace"),
            millman("we know that it feeds the profits of the smugglers"),
            millman("we oppose it for many reasons and this would be no exception"),
        ]
    );
    // The IOM report's publisher is inferred; the IMA statement's is not.
    let voa = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("quotes/voa/index.html")).unwrap(),
    );
    assert_eq!(
        select(&voa, ".quote-entry").len(),
        select(&voa, ".quote-entry abbr.inferred").len()
    );
    let ima = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("quotes/ima/index.html")).unwrap(),
    );
    assert_eq!(select(&ima, ".quote-entry abbr.inferred").len(), 0);
    assert!(text(&select(&ima, ".quote-entry .meta")[0])
        .contains("the source's own words, its publisher's"));
    assert_eq!(broken_links(&out, "/"), Vec::<String>::new());
}

const NARRATIVE: &str = "The port closes after storms\n\
\n\
The port of Malmö closed on Friday after a week of storms and high water.\n\
\n\
Ellen Brandt runs the port. “We have never seen so many boats at once,” said Brandt, the harbour master.\n";

#[test]
fn narrative_voice_is_the_sources_authors_or_publisher_and_short_quotations_are_not_speech() {
    let f = fixture();
    f.write("seeds/gazette.txt", NARRATIVE);
    f.write(
        "seeds/gazette.yaml",
        "title: \"The port closes after storms\"\npublisher: \"Harbour Gazette\"\ninferred:\n  publisher: \"the masthead\"\n",
    );
    f.write("seeds/column.txt", NARRATIVE);
    f.write("seeds/column.yaml", "title: \"A column\"\nauthors: [\"Tom Ng\", \"Ida Berg\"]\npublisher: \"Harbour Gazette\"\n");
    f.write("seeds/anon.txt", NARRATIVE);
    f.write("seeds/anon.yaml", "title: \"Anonymous\"\n");
    f.write(
        "content/port.md",
        "---\ntitle: Port\n---\n\
         The Gazette says the port [“closed on Friday after a week”](seed:gazette#p2), \
         the column that it [“closed on Friday after a week”](seed:column#p2), \
         another that it [“closed on Friday after a week”](seed:anon#p2). \
         Only [“high water”](seed:gazette#p2), and [“The port closes after storms”](seed:gazette#p1) is a title. \
         Brandt: [“so many boats”](seed:gazette#p3).\n",
    );
    f.build_ok();
    let out = f.out();
    let got = listed(&out, "/sub/");
    let groups = |id: &str| -> Vec<String> {
        got.iter()
            .filter(|(g, _)| g == id)
            .map(|(_, q)| q.clone())
            .collect()
    };
    assert_eq!(groups("harbour-gazette"), ["closed on Friday after a week"]);
    assert_eq!(
        groups("tom-ng-and-ida-berg"),
        ["closed on Friday after a week"]
    );
    assert!(groups("unattributed").contains(&"closed on Friday after a week".to_string()));
    // Four words, but the source's own title: not speech.
    assert_eq!(
        groups("in-commentary"),
        ["The port closes after storms", "high water"]
    );
    // Brandt's words are her speech, found in each of the three seeds, with the fullest name.
    assert_eq!(groups("ellen-brandt").len(), 3);
    assert!(
        got.iter().all(|(_, q)| q != "so many boats"),
        "shown with her speech"
    );
    let index = f.html("quotes/index.html");
    let voices: Vec<String> = select(&index, "#part-voices li a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(voices, ["Harbour Gazette", "Tom Ng and Ida Berg"]);
    let gazette = f.html("quotes/harbour-gazette/index.html");
    assert_eq!(select(&gazette, ".quote-entry abbr.inferred").len(), 1);
    let column = f.html("quotes/tom-ng-and-ida-berg/index.html");
    assert!(select(&column, ".quote-entry abbr.inferred").is_empty());
    assert!(text(&select(&column, ".quote-entry .meta")[0])
        .contains("the source's own words, its author's"));
    let commentary = f.html("quotes/in-commentary/index.html");
    assert_eq!(text(&select(&commentary, ".quote-section h2 a")[0]), "Port");
    let data = json(&f, "dossier.json");
    let high = data["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["exact"] == "high water")
        .unwrap();
    assert_eq!(
        (
            high["role"].as_str(),
            high["speaker"].as_str(),
            high["speaker_inferred"].as_bool()
        ),
        (Some("fragment"), Some("harbour-gazette"), Some(true))
    );
}

/// A seed of `n` lines of direct speech by one speaker.
fn many_speeches(n: usize) -> String {
    (1..=n)
        .map(|i| format!("“This is line {i} of what the mayor had to say,” said Ana Lopez.\n"))
        .collect()
}

#[test]
fn a_large_group_is_paginated_at_its_boundaries() {
    for (n, pages) in [(100, 1), (101, 2), (200, 2), (201, 3)] {
        let f = Fixture::new("basic");
        f.write("seeds/long.txt", &many_speeches(n));
        f.build_ok();
        let out = f.out();
        let got = listed(&out, "/sub/");
        assert_eq!(got.iter().filter(|(g, _)| g == "ana-lopez").count(), n);
        for p in 2..=pages {
            assert!(
                out.join(format!("quotes/ana-lopez/{p}/index.html"))
                    .exists(),
                "{n}: page {p}"
            );
        }
        assert!(
            !out.join(format!("quotes/ana-lopez/{}/index.html", pages + 1))
                .exists(),
            "{n}: no page {}",
            pages + 1
        );
        let first = f.html("quotes/ana-lopez/index.html");
        // The pager shows above and below the list, only when there is more than one page,
        // with a link to each page (there are at most three here).
        let pagers = select(&first, "nav.pager");
        assert_eq!(pagers.len(), if pages > 1 { 2 } else { 0 }, "{n}");
        for nav in &pagers {
            let numbers: Vec<String> = nav
                .select(&scraper::Selector::parse("a:not([rel])").unwrap())
                .map(|a| text(&a))
                .collect();
            let want: Vec<String> = (1..=pages).map(|p| p.to_string()).collect();
            assert_eq!(numbers, want, "{n}");
        }
        assert_eq!(broken_links(&out, "/sub/"), Vec::<String>::new());
    }
}

#[test]
fn the_quote_index_of_five_thousand_quotations_has_no_page_over_500_kb() {
    let f = Fixture::new("basic");
    // 50 seeds of 100 lines of speech: 20 speakers, and 1,000 unattributed lines.
    for s in 0..50 {
        let text: String = (1..=100)
            .map(|i| match i % 5 {
                0 => format!("“Seed {s} line {i} is a long line of speech that nobody claims as their own, as reports often have it.”\n"),
                _ => format!("“Seed {s} line {i} is a long line of speech that a named speaker said at the harbour today,” said Speaker{} Person.\n", (s + i) % 20),
            })
            .collect();
        f.write(&format!("seeds/s{s:02}.txt"), &text);
    }
    f.build_ok();
    let out = f.out();
    let mut largest = (0, String::new());
    let mut quote_pages = 0;
    for entry in walkdir::WalkDir::new(out.join("quotes")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            quote_pages += 1;
            let size = entry.metadata().unwrap().len() as usize;
            if size > largest.0 {
                largest = (size, entry.path().display().to_string());
            }
        }
    }
    assert!(largest.0 < 500_000, "{largest:?}");
    eprintln!(
        "{quote_pages} quote pages, the largest {} bytes: {}",
        largest.0, largest.1
    );
    let got = listed(&out, "/sub/");
    assert!(got.len() >= 5_000, "{}", got.len());
    assert_eq!(
        got.iter().filter(|(g, _)| g == "unattributed").count(),
        1_000
    );
}
