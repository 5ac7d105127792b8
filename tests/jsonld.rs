//! Every page kind describes itself as schema.org JSON-LD in its head: one script element
//! whose text parses as JSON with the fields of its kind, and which no content can close.

mod common;
use common::*;
use serde_json::Value;

/// The JSON-LD of the page at `rel` (exactly one script element).
fn jsonld(f: &Fixture, rel: &str) -> Value {
    let doc = f.html(rel);
    let scripts = select(&doc, "head script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{rel}");
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"))
}

const BASE: &str = "https://example.org/sub/";

#[test]
fn every_page_kind_has_its_schema_org_description() {
    let f = Fixture::new("basic");
    f.write(
        "content/glossary/caravan.md",
        "---\nterm: Caravan\naliases: [caravans]\n---\nA group travelling together. More.\n",
    );
    f.edit(
        "content/essays/one.md",
        "toc: true",
        "toc: true\nauthors: [Ann]\ntags: [t1]",
    );
    f.build_ok();

    let home = jsonld(&f, "index.html");
    assert_eq!(home["@context"], "https://schema.org");
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(home["name"], "Fixture dossier");
    assert_eq!(home["url"], BASE);

    // A source: its sidecar's kind, hash and original.
    let alpha = jsonld(&f, "sources/alpha/index.html");
    assert_eq!(alpha["name"], "<b>Alpha</b> & co");
    assert_eq!(alpha["url"], format!("{BASE}sources/alpha/"));
    assert_eq!(alpha["identifier"]["@type"], "PropertyValue");
    assert_eq!(alpha["identifier"]["propertyID"], "sha256");
    let sha = {
        use sha2::Digest;
        dossier::fingerprint::hex(&sha2::Sha256::digest(
            std::fs::read(f.path("seeds/alpha.txt")).unwrap(),
        ))
    };
    assert_eq!(alpha["identifier"]["value"], sha);
    assert_eq!(alpha["@type"], "NewsArticle");
    assert_eq!(alpha["isBasedOn"], "https://example.com/alpha");
    assert_eq!(alpha["publisher"]["name"], "The Alpha Gazette");
    assert_eq!(alpha["datePublished"], "2019-03");
    // A seed without a sidecar kind is a CreativeWork.
    let legacy = jsonld(&f, "sources/legacy/index.html");
    assert_eq!(legacy["@type"], "CreativeWork");
    assert!(legacy.get("isBasedOn").is_none());

    // Commentary: an Article citing its sources.
    let one = jsonld(&f, "essays/one/index.html");
    assert_eq!(one["@type"], "Article");
    assert_eq!(one["headline"], "Essay one");
    assert_eq!(one["datePublished"], "2024-01-02");
    assert_eq!(one["author"][0]["name"], "Ann");
    assert_eq!(one["keywords"], serde_json::json!(["t1"]));
    assert_eq!(one["url"], format!("{BASE}essays/one/"));
    let cited: Vec<&str> = one["citation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["url"].as_str().unwrap())
        .collect();
    assert_eq!(cited, [format!("{BASE}sources/alpha/")]);
    assert_eq!(one["citation"][0]["name"], "<b>Alpha</b> & co");

    // The glossary: a term set of its page's terms, and each entry a term of the set.
    let glossary = jsonld(&f, "glossary/index.html");
    assert_eq!(glossary["@type"], "DefinedTermSet");
    assert_eq!(glossary["url"], format!("{BASE}glossary/"));
    let terms = glossary["hasDefinedTerm"].as_array().unwrap();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0]["@type"], "DefinedTerm");
    assert_eq!(terms[0]["name"], "Caravan");
    assert_eq!(terms[0]["url"], format!("{BASE}glossary/caravan/"));
    let entry = jsonld(&f, "glossary/caravan/index.html");
    assert_eq!(entry["@type"], "DefinedTerm");
    assert_eq!(entry["name"], "Caravan");
    assert_eq!(entry["description"], "A group travelling together.");
    assert_eq!(entry["alternateName"], serde_json::json!(["caravans"]));
    assert_eq!(entry["inDefinedTermSet"]["@type"], "DefinedTermSet");
    assert_eq!(entry["inDefinedTermSet"]["url"], format!("{BASE}glossary/"));

    // The lists and the search page.
    for (rel, kind, path) in [
        ("sources/index.html", "CollectionPage", "sources/"),
        ("quotes/index.html", "CollectionPage", "quotes/"),
        ("tags/index.html", "CollectionPage", "tags/"),
        ("tags/t1/index.html", "CollectionPage", "tags/t1/"),
        ("search/index.html", "SearchResultsPage", "search/"),
    ] {
        let v = jsonld(&f, rel);
        assert_eq!(v["@type"], kind, "{rel}");
        assert_eq!(v["url"], format!("{BASE}{path}"), "{rel}");
        assert_eq!(v["isPartOf"]["url"], BASE, "{rel}");
    }
    // The 404 page has no URL of its own and no description.
    let doc = f.html("404.html");
    assert!(select(&doc, "script[type='application/ld+json']").is_empty());
}

#[test]
fn a_title_cannot_close_the_script_element() {
    let f = Fixture::new("basic");
    let title = "Evil</script><script>alert(1)</script><!-- & -->";
    f.edit(
        "seeds/alpha.yaml",
        "title: \"<b>Alpha</b> & co\"",
        &format!("title: {title:?}"),
    );
    f.build_ok();
    let page = std::fs::read_to_string(f.out().join("sources/alpha/index.html")).unwrap();
    let head = &page[..page.find("</head>").unwrap()];
    let start = head.find("application/ld+json").unwrap();
    let script = &head[start..];
    let body = &script[script.find('>').unwrap() + 1..script.find("</script>").unwrap()];
    assert!(
        !body.contains('<') && !body.contains('>') && !body.contains('&'),
        "{body}"
    );
    let value: Value = serde_json::from_str(body).unwrap();
    assert_eq!(value["name"], title);
    // The page runs no script of the title's.
    let doc = f.html("sources/alpha/index.html");
    assert!(select(&doc, "script:not([src]):not([type='application/ld+json'])").is_empty());
}

#[test]
fn a_paged_glossary_lists_only_its_page_terms() {
    let f = Fixture::new("basic");
    for i in 0..101 {
        f.write(
            &format!("content/glossary/t{i:03}.md"),
            &format!("---\nterm: Term {i:03}\n---\nNumber {i}.\n"),
        );
    }
    f.build_ok();
    let names = |rel: &str| -> Vec<String> {
        jsonld(&f, rel)["hasDefinedTerm"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    let first = names("glossary/index.html");
    assert_eq!(first.len(), 100);
    assert_eq!(first[0], "Term 000");
    assert_eq!(names("glossary/page/2/index.html"), ["Term 100"]);
}
