//! Citations: the example's two sources are cited as one would by hand (the formatted citation
//! on the page, CSL-JSON, BibTeX and RIS, exactly); CSL-JSON validates against the Citation
//! Style Language's schema (vendored in `tests/csl/`), BibTeX parses with Python's
//! `bibtexparser` 1.x, RIS follows its tag rules; a source without provenance is cited with
//! `n.d.` and nothing invented.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const IOM_TEXT: &str = "Voice of America [inferred] (2018 [inferred]). IOM: the migrant caravan is an annual event and no threat [inferred]. Copy in The 2018 migrant caravan: two framings, https://example.github.io/caravan-dossier/sources/iom-voa/. sha256: 358476bda17798e38c8b84a722396e90069ac9998712da1471c48d45bb7d59c9";
const IMA_TEXT: &str = "International Migrants Alliance (IMA) (2018-11 [inferred]). Statement: IMA on the violence vs Central American migrants at the US-Mexico border. Copy in The 2018 migrant caravan: two framings, https://example.github.io/caravan-dossier/sources/ima-statement/. sha256: 6ce47b758dba237ec0fcaeb226c724b34c42e4bcc6eb2124823214356591a640";

const IOM_NOTE: &str = "Copy in The 2018 migrant caravan: two framings, https://example.github.io/caravan-dossier/sources/iom-voa/. sha256: 358476bda17798e38c8b84a722396e90069ac9998712da1471c48d45bb7d59c9. Inferred by the editors: title, publisher, published.";
const IMA_NOTE: &str = "Copy in The 2018 migrant caravan: two framings, https://example.github.io/caravan-dossier/sources/ima-statement/. sha256: 6ce47b758dba237ec0fcaeb226c724b34c42e4bcc6eb2124823214356591a640. Inferred by the editors: published.";

/// The example dossier (the repository root) built into a temporary folder, at its own base URL.
fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = Some(tmp.path().join("site"));
    let diags = dossier::build(&options);
    assert!(!diags.has_errors(), "{}", diags.render_human());
    let site = tmp.path().join("site");
    (tmp, site)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn page(site: &Path, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(site, rel))
}

#[test]
fn example_sources_are_cited_as_by_hand_on_their_pages() {
    let (_tmp, site) = example();
    for (id, want) in [("iom-voa", IOM_TEXT), ("ima-statement", IMA_TEXT)] {
        let doc = page(&site, &format!("sources/{id}/index.html"));
        let cite = select(&doc, "details#cite .citation");
        assert_eq!(cite.len(), 1, "{id}: one citation");
        assert_eq!(text(&cite[0]), want);
        let files: Vec<String> = select(&doc, "details#cite .cite-files a[download]")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        let base = "/caravan-dossier/sources";
        assert_eq!(
            files,
            [
                format!("{base}/{id}/{id}.csl.json"),
                format!("{base}/{id}/{id}.bib"),
                format!("{base}/{id}/{id}.ris"),
            ]
        );
    }
    // What a passage's citation starts with, and each paragraph's text fragment.
    let doc = page(&site, "sources/iom-voa/index.html");
    assert_eq!(
        attr(&doc, ".seed-text", "data-cite"),
        "Voice of America [inferred] (2018 [inferred]), \u{201c}IOM: the migrant caravan is an annual event and no threat\u{201d} [inferred]"
    );
    assert_eq!(
        attr(&doc, ".seed-text", "data-url"),
        "https://example.github.io/caravan-dossier/sources/iom-voa/"
    );
    assert_eq!(
        attr(&doc, "#p1", "data-frag"),
        "The%20International%20Organization%20for,and%20poses%20no%20threat%2E"
    );
    assert!(!select(&doc, "details.on-passage[data-frag]").is_empty());
    let list = page(&site, "sources/index.html");
    let all: Vec<String> = select(&list, ".cite-files a[download]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        all,
        [
            "/caravan-dossier/sources/sources.csl.json",
            "/caravan-dossier/sources/sources.bib",
            "/caravan-dossier/sources/sources.ris"
        ]
    );
}

#[test]
fn example_citation_files_are_as_written_by_hand() {
    let (_tmp, site) = example();
    let iom_bib = format!(
        "@misc{{iom-voa,\nyear = {{2018}},\nlanguage = {{en}},\nnote = {{{IOM_NOTE}}},\npublisher = {{{{Voice of America}}}},\ntitle = {{{{IOM: the migrant caravan is an annual event and no threat}}}},\ntype = {{news-report}},\nurl = {{https://example.github.io/caravan-dossier/sources/iom-voa/}},\n}}\n"
    );
    let ima_bib = format!(
        "@misc{{ima-statement,\nyear = {{2018}},\nmonth = {{11}},\nlanguage = {{en}},\nnote = {{{IMA_NOTE}}},\npublisher = {{{{International Migrants Alliance (IMA)}}}},\ntitle = {{{{Statement: IMA on the violence vs Central American migrants at the US-Mexico border}}}},\ntype = {{statement}},\nurl = {{https://example.github.io/caravan-dossier/sources/ima-statement/}},\n}}\n"
    );
    assert_eq!(read(&site, "sources/iom-voa/iom-voa.bib"), iom_bib);
    assert_eq!(
        read(&site, "sources/ima-statement/ima-statement.bib"),
        ima_bib
    );
    assert_eq!(
        read(&site, "sources/sources.bib"),
        format!("{ima_bib}\n{iom_bib}")
    );

    let iom_ris = format!(
        "TY  - NEWS\r\nID  - iom-voa\r\nTI  - IOM: the migrant caravan is an annual event and no threat\r\nPB  - Voice of America\r\nPY  - 2018\r\nDA  - 2018///\r\nUR  - https://example.github.io/caravan-dossier/sources/iom-voa/\r\nLA  - en\r\nM3  - news-report\r\nDB  - The 2018 migrant caravan: two framings\r\nN1  - {IOM_NOTE}\r\nER  - \r\n"
    );
    let ima_ris = format!(
        "TY  - GEN\r\nID  - ima-statement\r\nTI  - Statement: IMA on the violence vs Central American migrants at the US-Mexico border\r\nPB  - International Migrants Alliance (IMA)\r\nPY  - 2018\r\nDA  - 2018/11//\r\nUR  - https://example.github.io/caravan-dossier/sources/ima-statement/\r\nLA  - en\r\nM3  - statement\r\nDB  - The 2018 migrant caravan: two framings\r\nN1  - {IMA_NOTE}\r\nER  - \r\n"
    );
    assert_eq!(read(&site, "sources/iom-voa/iom-voa.ris"), iom_ris);
    assert_eq!(
        read(&site, "sources/ima-statement/ima-statement.ris"),
        ima_ris
    );
    assert_eq!(
        read(&site, "sources/sources.ris"),
        format!("{ima_ris}\r\n{iom_ris}")
    );

    let iom_csl = serde_json::json!({
        "id": "iom-voa",
        "type": "article-newspaper",
        "title": "IOM: the migrant caravan is an annual event and no threat",
        "publisher": "Voice of America",
        "issued": {"date-parts": [[2018]]},
        "URL": "https://example.github.io/caravan-dossier/sources/iom-voa/",
        "genre": "news-report",
        "language": "en",
        "archive": "The 2018 migrant caravan: two framings",
        "archive_location": "https://example.github.io/caravan-dossier/sources/iom-voa/",
        "note": IOM_NOTE,
    });
    let ima_csl = serde_json::json!({
        "id": "ima-statement",
        "type": "document",
        "title": "Statement: IMA on the violence vs Central American migrants at the US-Mexico border",
        "publisher": "International Migrants Alliance (IMA)",
        "issued": {"date-parts": [[2018, 11]]},
        "URL": "https://example.github.io/caravan-dossier/sources/ima-statement/",
        "genre": "statement",
        "language": "en",
        "archive": "The 2018 migrant caravan: two framings",
        "archive_location": "https://example.github.io/caravan-dossier/sources/ima-statement/",
        "note": IMA_NOTE,
    });
    let json = |rel: &str| -> serde_json::Value {
        serde_json::from_str(&read(&site, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    assert_eq!(
        json("sources/iom-voa/iom-voa.csl.json"),
        serde_json::json!([iom_csl])
    );
    assert_eq!(
        json("sources/ima-statement/ima-statement.csl.json"),
        serde_json::json!([ima_csl])
    );
    assert_eq!(
        json("sources/sources.csl.json"),
        serde_json::json!([ima_csl, iom_csl])
    );
}

/// The basic fixture with a source that has every field a citation uses, characters BibTeX
/// must escape, two authors and a full date; `legacy` has no sidecar at all.
fn full_fixture() -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "seeds/alpha.yaml",
        "id: alpha\ntitle: \"Rates {up} 50% & more_ #1 ~ $2 \\\\ back\"\nkind: report\npublisher: \"Smith & Sons\"\nauthors: [\"Jane Q. Public\", \"Ahmed Ben Ali\"]\npublished: 2019-03-07\nretrieved: 2024-01-05\nurl: \"https://example.com/a_b?x=1%202&y=2#frag\"\nlanguage: en\ninferred:\n  authors: \"the byline\"\n",
    );
    f.build_ok();
    f
}

#[test]
fn a_source_with_every_field_is_cited_with_each() {
    let f = full_fixture();
    let doc = f.html("sources/alpha/index.html");
    let hash = text(&select(&doc, ".facts code.hash")[0]);
    assert_eq!(
        text(&select(&doc, ".citation")[0]),
        format!("Jane Q. Public, Ahmed Ben Ali [inferred] (2019-03-07). Rates {{up}} 50% & more_ #1 ~ $2 \\ back. Smith & Sons. Retrieved 2024-01-05 from https://example.com/a_b?x=1%202&y=2#frag. Copy in Fixture dossier, https://example.org/sub/sources/alpha/. sha256: {hash}")
    );
    let ris = std::fs::read_to_string(f.out().join("sources/alpha/alpha.ris")).unwrap();
    assert!(ris.starts_with("TY  - RPRT\r\n"), "{ris}");
    for line in [
        "AU  - Jane Q. Public\r\n",
        "AU  - Ahmed Ben Ali\r\n",
        "DA  - 2019/03/07/\r\n",
        "Y2  - 2024/01/05/\r\n",
        "UR  - https://example.com/a_b?x=1%202&y=2#frag\r\n",
    ] {
        assert!(ris.contains(line), "{line:?} in {ris}");
    }
}

#[test]
fn a_source_without_provenance_is_cited_with_nd_and_nothing_invented() {
    let f = full_fixture();
    let doc = f.html("sources/legacy/index.html");
    let hash = text(&select(&doc, ".facts code.hash")[0]);
    assert_eq!(
        text(&select(&doc, ".citation")[0]),
        format!("legacy.txt (n.d.). Copy in Fixture dossier, https://example.org/sub/sources/legacy/. sha256: {hash}")
    );
    let bib = std::fs::read_to_string(f.out().join("sources/legacy/legacy.bib")).unwrap();
    assert_eq!(
        bib,
        format!("@misc{{legacy,\nnote = {{Copy in Fixture dossier, https://example.org/sub/sources/legacy/. sha256: {hash}.}},\ntitle = {{{{legacy.txt}}}},\nurl = {{https://example.org/sub/sources/legacy/}},\n}}\n")
    );
    let csl: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(f.out().join("sources/legacy/legacy.csl.json")).unwrap(),
    )
    .unwrap();
    let keys: Vec<&String> = csl[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "URL",
            "archive",
            "archive_location",
            "id",
            "note",
            "title",
            "type"
        ]
    );
    let ris = std::fs::read_to_string(f.out().join("sources/legacy/legacy.ris")).unwrap();
    let tags: Vec<&str> = ris.lines().map(|l| &l[..2]).collect();
    assert_eq!(tags, ["TY", "ID", "TI", "UR", "DB", "N1", "ER"]);
}

/// Runs `script` with Python on `args`; its standard output, or the test fails with its report.
fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (CI installs jsonschema and bibtexparser)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const VALIDATE_CSL: &str = r#"
import json, sys
from jsonschema import Draft7Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft7Validator.check_schema(schema)
for path in sys.argv[2:]:
    data = json.load(open(path, encoding="utf-8"))
    errors = list(Draft7Validator(schema).iter_errors(data))
    for e in errors:
        print(path, list(e.absolute_path), e.message)
    if errors:
        sys.exit(1)
    print(path, len(data))
"#;

#[test]
fn csl_json_validates_against_the_csl_schema() {
    let (_tmp, site) = example();
    let f = full_fixture();
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/csl/csl-data.json");
    let files = [
        site.join("sources/sources.csl.json"),
        site.join("sources/iom-voa/iom-voa.csl.json"),
        f.out().join("sources/sources.csl.json"),
        f.out().join("sources/alpha/alpha.csl.json"),
    ];
    let mut args: Vec<&Path> = vec![&schema];
    args.extend(files.iter().map(PathBuf::as_path));
    let out = python(VALIDATE_CSL, &args);
    assert!(out.contains("sources/sources.csl.json 2"), "{out}");
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[2]).unwrap()).unwrap();
    let alpha = &all[0];
    assert_eq!(
        alpha["author"],
        serde_json::json!([{"literal": "Jane Q. Public"}, {"literal": "Ahmed Ben Ali"}])
    );
    assert_eq!(
        alpha["issued"],
        serde_json::json!({"date-parts": [[2019, 3, 7]]})
    );
    assert_eq!(
        alpha["accessed"],
        serde_json::json!({"date-parts": [[2024, 1, 5]]})
    );
    assert_eq!(alpha["type"], "report");
}

const PARSE_BIB: &str = r#"
import json, sys
import bibtexparser
from bibtexparser.bparser import BibTexParser
entries = []
for path in sys.argv[1:]:
    parser = BibTexParser(common_strings=False)
    parser.ignore_nonstandard_types = False
    with open(path, encoding="utf-8") as f:
        db = bibtexparser.load(f, parser=parser)
    entries.extend(db.entries)
print(json.dumps(entries, sort_keys=True))
"#;

#[test]
fn bibtex_parses_with_bibtexparser() {
    let (_tmp, site) = example();
    let f = full_fixture();
    let example_bib = site.join("sources/sources.bib");
    let fixture_bib = f.out().join("sources/sources.bib");
    let out = python(PARSE_BIB, &[&example_bib, &fixture_bib]);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e["ID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ima-statement", "iom-voa", "alpha", "legacy", "wide"]);
    assert!(entries.iter().all(|e| e["ENTRYTYPE"] == "misc"));
    let iom = &entries[1];
    assert_eq!(
        iom["title"],
        "{IOM: the migrant caravan is an annual event and no threat}"
    );
    assert_eq!(iom["publisher"], "{Voice of America}");
    assert_eq!(iom["year"], "2018");
    assert_eq!(iom["note"], IOM_NOTE);
    let alpha = &entries[2];
    // TeX's special characters escaped (by the biblatex crate), so the entry parses whole.
    assert_eq!(
        alpha["title"],
        "{Rates \\{up\\} 50\\% \\& more\\_ \\#1 \\~ \\$2 \\\\ back}"
    );
    assert_eq!(alpha["author"], "{Jane Q. Public} and {Ahmed Ben Ali}");
    assert_eq!(alpha["publisher"], "{Smith \\& Sons}");
    assert_eq!(alpha["url"], "https://example.com/a_b?x=1%202&y=2#frag");
    assert_eq!(alpha["urldate"], "2024-01-05");
    assert_eq!(
        (
            alpha["year"].as_str(),
            alpha["month"].as_str(),
            alpha["day"].as_str()
        ),
        (Some("2019"), Some("03"), Some("07"))
    );
}

#[test]
fn ris_follows_its_tag_rules() {
    let (_tmp, site) = example();
    let f = full_fixture();
    for file in [
        site.join("sources/sources.ris"),
        f.out().join("sources/sources.ris"),
    ] {
        let ris = std::fs::read_to_string(&file).unwrap();
        assert!(ris.ends_with("ER  - \r\n"), "{ris}");
        let records: Vec<&str> = ris.trim_end_matches("\r\n").split("\r\n\r\n").collect();
        for record in &records {
            let lines: Vec<&str> = record.split("\r\n").collect();
            assert!(lines[0].starts_with("TY  - "), "TY first: {record}");
            assert_eq!(*lines.last().unwrap(), "ER  - ", "ER last: {record}");
            for line in &lines {
                let b = line.as_bytes();
                assert!(
                    b.len() >= 6
                        && b[0].is_ascii_uppercase()
                        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
                        && &line[2..6] == "  - ",
                    "not a tag line: {line:?}"
                );
            }
            assert_eq!(lines.iter().filter(|l| l.starts_with("TY")).count(), 1);
        }
        assert!(records.len() >= 2, "{ris}");
    }
}
