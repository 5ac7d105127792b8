//! Inputs that once took minutes or gigabytes (issue 13's cliffs), built at a size that was slow
//! before: each now builds with the right result, or is refused with a located error before the
//! expensive work. Their speed is measured by `examples/cliffs.rs` and the benchmarks, never
//! here.

mod common;
use common::*;
use dossier::diagnostics::Diagnostic;
use dossier::BuildOptions;
use std::path::PathBuf;

#[path = "../examples/cliffs.rs"]
#[allow(dead_code)]
mod cliffs;

/// The dossier of `case` at size `n`, in a fresh temporary folder.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(case: &str, n: usize) -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        cliffs::generate(case, n, &dir.path().join("dossier")).expect("a known case");
        Case { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("dossier")
    }

    fn build(&self) -> dossier::diagnostics::Diagnostics {
        dossier::build(&BuildOptions::new(self.root()))
    }

    fn build_ok(&self) {
        let diags = self.build();
        assert!(!diags.has_errors(), "{}", diags.render_human());
    }

    fn html(&self, rel: &str) -> scraper::Html {
        let path = self.root().join("public").join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        scraper::Html::parse_document(&text)
    }

    fn errors(&self) -> Vec<Diagnostic> {
        let diags = self.build();
        diags
            .sorted()
            .into_iter()
            .filter(|d| d.is_error())
            .collect()
    }
}

#[test]
fn twenty_thousand_links_to_the_pages_own_headings_resolve() {
    // Was 72 s and 2.5 GB: every link listed every anchor of its page.
    let case = Case::new("self-links", 20_000);
    case.build_ok();
    let doc = case.html("links/index.html");
    let links = select(&doc, ".prose a[href^='#part-']");
    assert_eq!(links.len(), 20_000);
    assert_eq!(links[19_999].value().attr("href"), Some("#part-9"));
    assert!(broken_links(&case.root().join("public"), "/").is_empty());
}

#[test]
fn fifteen_thousand_quotations_in_one_paragraph_link_to_their_passages() {
    // Was 4.9 GB: every link copied its whole paragraph.
    let case = Case::new("quotes-paragraph", 15_000);
    case.build_ok();
    let doc = case.html("quoting/index.html");
    let quotes = select(&doc, ".prose a.cite.quote");
    assert_eq!(quotes.len(), 15_000);
    assert!(quotes.iter().all(|a| a
        .value()
        .attr("href")
        .unwrap()
        .starts_with("/sources/source/#q-")));
    assert!(broken_links(&case.root().join("public"), "/").is_empty());
}

#[test]
fn forty_thousand_names_on_one_line_get_their_concordance_lines() {
    // Was 15 s of render: each concordance line split the whole paragraph.
    let case = Case::new("term-line", 40_000);
    case.build_ok();
    // 400 pages of 100 lines after the overview: the last one ends the text.
    let doc = case.html("glossary/mora/page/401/index.html");
    assert_eq!(
        text(&select(&doc, "h1")[0]),
        "Mora: occurrences 39901–40000 of 40000"
    );
    let lines = select(&doc, "ol.kwic > li");
    assert_eq!(lines.len(), 100);
    let before = text(&select(&doc, "ol.kwic > li .kwic-before")[99]);
    let after = text(&select(&doc, "ol.kwic > li .kwic-after")[99]);
    // The generator writes "<word> Mora <word> " 40,000 times: seven words either side.
    assert!(
        before.starts_with("… ") && before.ends_with(' '),
        "{before:?}"
    );
    assert_eq!(before.split_whitespace().count(), 8, "{before:?}");
    assert_eq!(after.split_whitespace().count(), 1, "{after:?}");
    assert!(
        !after.contains('…'),
        "the last line reaches the end: {after:?}"
    );
}

#[test]
fn five_thousand_entries_against_a_one_line_seed_of_a_hundred_thousand_words() {
    // Was over 300 s at twice this size (each concordance line split the whole line).
    let case = Case::new("entries", 5_000);
    case.build_ok();
    let doc = case.html("glossary/e0/index.html");
    let line = text(&select(&doc, "ol.kwic > li")[0]);
    assert!(line.contains("Term0"), "{line}");
    // 100 entries a glossary page.
    assert!(case
        .root()
        .join("public/glossary/page/50/index.html")
        .is_file());
    assert!(!case.root().join("public/glossary/page/51").exists());
}

#[test]
fn a_glossary_name_of_a_hundred_thousand_characters_is_refused_at_the_name() {
    // Was over 30 s: a repetitive name is compared at every place its text could start.
    let case = Case::new("long-term", 100_000);
    let errors = case.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_at(e, "E300", "content/glossary/long.md", 2, 8);
    assert_eq!(
        e.message,
        "a glossary name of 100000 characters is refused (at most 200)"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("shorten the term or alias: longer names are refused, as matching them can take minutes")
    );
}

#[test]
fn brackets_nested_100_thousand_deep_are_refused_at_the_one_too_deep() {
    // Was 110 s before the type error: the parser is quadratic in the depth.
    let case = Case::new("yaml-depth", 100_000);
    let errors = case.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    // `authors: ` and 32 brackets, then the 33rd.
    assert_at(e, "E100", "dossier.yaml", 2, 10 + 32);
    assert_eq!(e.message, "brackets nested more than 32 deep are refused");
    assert_eq!(
        e.hint.as_deref(),
        Some("flatten the value: nesting this deep is refused before parsing, as it would take minutes to read")
    );
}

#[test]
fn deep_brackets_in_front_matter_are_located_in_their_file() {
    let case = Case::new("self-links", 1);
    let page = case.root().join("content/links.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let deep = format!("tags: {}{}\n", "[".repeat(50), "]".repeat(50));
    std::fs::write(
        &page,
        text.replacen(
            "title: \"Links\"\n",
            &format!("title: \"Links\"\n{deep}"),
            1,
        ),
    )
    .unwrap();
    let errors = case.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_at(&errors[0], "E300", "content/links.md", 3, 7 + 32);
}

#[test]
fn aliases_that_expand_beyond_256_kib_are_refused_at_the_alias() {
    // A 400-line `dossier.yaml` repeating a 1 KiB string 400 times wrote 400 KiB into every
    // page; a large front matter could exhaust memory.
    let case = Case::new("yaml-alias", 400);
    let errors = case.errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    // `&a "x…x"` is 1,029 bytes: the 255th alias passes 256 KiB. Aliases start on line 4.
    let nth = (256 * 1024) / 1029 + 1;
    assert_at(&errors[0], "E300", "content/aliases.md", 4 + nth, 5);
    assert_at(&errors[1], "E100", "dossier.yaml", 3 + nth, 5);
    assert_eq!(
        errors[1].message,
        "aliases expand this YAML by more than 256 KiB"
    );
    assert_eq!(
        errors[1].hint.as_deref(),
        Some(
            "write the value once, or repeat it less: each `*a` counts the size of what `&a` names"
        )
    );
    // Under the limit, the same file builds.
    Case::new("yaml-alias", 200).build_ok();
}
