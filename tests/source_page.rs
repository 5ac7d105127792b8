//! The source page reads as a document (issue 10): title, one line of provenance, then the
//! text; one compact marker per cited passage and per paragraph, with the notes grouped under
//! it in a `<details>`; the full record and what cites the source after the text.

mod common;
use common::*;

const HARBOUR: &str = "The harbour log records the boats.\n\
\n\
On day one the master counted four boats. On day two the master counted nine boats and \
wrote it down. On day three the harbour was closed.\n\
\n\
The log ends there.\n";

fn fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.write("seeds/harbour.txt", HARBOUR);
    f.write(
        "seeds/harbour.yaml",
        "title: \"The harbour log\"\npublisher: \"Harbour office\"\npublished: 2018\n\
         inferred:\n  publisher: \"the log is kept by the office\"\n",
    );
    // Two pages quote the same words of ¶2, one quotes other words of it twice (one note),
    // two cite ¶2 as a whole, one cites the source as a whole; a glossary entry cites ¶3.
    f.write(
        "content/h/one.md",
        "---\ntitle: One\n---\nThe master [“counted four boats”](seed:harbour#p2).\n",
    );
    f.write(
        "content/h/two.md",
        "---\ntitle: Two\n---\nThe master [“counted four boats”](seed:harbour#p2), and \
         [“the harbour was closed”](seed:harbour#p2).\n\nAgain: [“the harbour was closed”](seed:harbour#p2).\n",
    );
    f.write(
        "content/h/three.md",
        "---\ntitle: Three\n---\nOn [the second paragraph](seed:harbour#p2); [the log](seed:harbour).\n",
    );
    f.write(
        "content/h/four.md",
        "---\ntitle: Four\n---\nSee [line 3](seed:harbour#L3).\n",
    );
    f.write(
        "content/glossary/log.md",
        "---\nterm: \"ledger\"\n---\nA book of records, as in [the harbour log](seed:harbour#p3).\n",
    );
    f
}

fn counts(doc: &scraper::Html, css: &str) -> Vec<usize> {
    select(doc, css)
        .iter()
        .map(|n| text(n).trim().parse().unwrap())
        .collect()
}

#[test]
fn notes_are_grouped_per_passage_and_per_paragraph_behind_markers_with_counts() {
    let f = fixture();
    f.build_ok();
    let doc = f.html("sources/harbour/index.html");

    // ¶2: one marker for "counted four boats" (quoted by two pages), one for "the harbour was
    // closed" (quoted twice by one page), one for the paragraph as a whole (two pages).
    let passages = select(&doc, "#p2 .margin-notes details.on-passage");
    assert_eq!(passages.len(), 2);
    assert_eq!(counts(&doc, "#p2 details.on-passage > summary .n"), [2, 2]);
    let quoted: Vec<String> = select(&doc, "#p2 details.on-passage > summary q")
        .iter()
        .map(text)
        .collect();
    assert_eq!(quoted, ["counted four boats", "the harbour was closed"]);
    let titles = |css: &str| -> Vec<String> {
        select(&doc, css)
            .iter()
            .map(|a| text(a))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles("#p2 details.on-passage:nth-of-type(1) .notes li > a"),
        ["One", "Two"]
    );
    assert_eq!(
        titles("#p2 details.on-passage:nth-of-type(2) .notes li > a"),
        ["Two", "Two"],
        "two passages of page Two quote the same words: two notes"
    );
    // Each passage marker is tied to its passage's marks in the text.
    for d in &passages {
        let ids = d.value().attr("data-q").unwrap();
        let first = ids.split(' ').next().unwrap();
        assert_eq!(
            d.value().attr("id"),
            Some(format!("notes-{first}").as_str())
        );
        for id in ids.split(' ') {
            assert_eq!(select(&doc, &format!("#{id}.q-anchor")).len(), 1);
            let marks = select(&doc, &format!("#p2 mark.q-cited[data-q~='{id}']"));
            assert!(!marks.is_empty(), "no mark for {id}");
        }
    }
    // Notes on the paragraph as a whole (a line counts as its paragraph).
    assert_eq!(counts(&doc, "#p2 details.on-paragraph > summary .n"), [2]);
    assert_eq!(
        titles("#p2 details.on-paragraph .notes li > a"),
        ["Four", "Three"],
        "by page path"
    );
    // A glossary entry's citation is marked as one, in its own paragraph.
    assert_eq!(counts(&doc, "#p3 details.on-paragraph > summary .n"), [1]);
    assert_eq!(select(&doc, "#p3 .notes li.from-entry").len(), 1);
    // ¶1 has no notes and no markers.
    assert!(select(&doc, "#p1 .margin-notes").is_empty());
    // Every marker is a closed disclosure: notes open on demand, with or without JavaScript.
    let markers = select(&doc, ".margin-notes details");
    assert_eq!(markers.len(), 4);
    assert!(markers.iter().all(|d| d.value().attr("open").is_none()));
    assert_eq!(
        select(&doc, ".margin-notes details > summary:first-child").len(),
        4
    );
    // The source's whole-source note and what cites it come after the text, in groups.
    assert_eq!(titles(".whole-notes .notes a"), ["Three"]);
    assert_eq!(
        titles(".cited-by .cited-pages a"),
        ["Four", "One", "Three", "Two"]
    );
    assert_eq!(titles(".cited-by .cited-entries a"), ["ledger"]);
}

#[test]
fn the_text_comes_first_after_one_line_of_provenance() {
    let f = fixture();
    f.build_ok();
    let doc = f.html("sources/harbour/index.html");
    let order: Vec<String> = select(
        &doc,
        "article.source h1, article.source .source-line, article.source .seed-text, article.source .after-text, article.source #record",
    )
    .iter()
    .map(|e| {
        e.value()
            .attr("class")
            .or(e.value().attr("id"))
            .unwrap_or(e.value().name())
            .to_string()
    })
    .collect();
    assert_eq!(
        order,
        [
            "h1",
            "meta source-line",
            "seed-text",
            "after-text",
            "provenance"
        ]
    );
    let line = text(&select(&doc, ".source-line")[0]);
    for part in [
        "Harbour office",
        "inferred",
        "2018",
        "no checksum recorded",
        "8 notes",
    ] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
    assert_eq!(attr(&doc, ".source-line .fixity-mark", "href"), "#record");
    // The full record is a disclosure after the text, with the fields, facts and the notes.
    assert_eq!(
        select(&doc, "details#record .field-publisher.is-inferred").len(),
        1
    );
    assert_eq!(select(&doc, "details#record .facts").len(), 1);
    // The page's script is the theme's own, published beside the stylesheet.
    assert_eq!(select(&doc, "script[src='/sub/source.js']").len(), 1);
    assert!(f.out().join("source.js").is_file());
}

#[test]
fn the_seeds_own_speech_is_a_marker_too() {
    let f = Fixture::new("basic");
    f.write(
        "seeds/speech.txt",
        "“We will open the shelter to everyone who needs it tonight,” Lopez said.\n",
    );
    f.write("seeds/speech.yaml", "title: \"Shelter\"\n");
    f.build_ok();
    let doc = f.html("sources/speech/index.html");
    assert_eq!(counts(&doc, "#p1 details.on-speech > summary .n"), [1]);
    assert_eq!(select(&doc, "#p1 details.on-speech .speech a").len(), 2);
    assert!(select(&doc, "#p1 details.on-passage").is_empty());
}
