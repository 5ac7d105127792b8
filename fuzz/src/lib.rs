//! The fuzz harnesses: one function per target, each taking the fuzzer's bytes, driving one
//! part of `dossier` and asserting what must hold for any input. `fuzz_targets/*.rs` only call
//! these; `tests/fuzz_regressions.rs` includes this file and calls the same functions on the
//! saved inputs, so a crash found once stays a plain test.
//!
//! Multi-part inputs are split at NUL bytes (`\0`), so that the seed corpus can be written by
//! hand: `text \0 quotation`, `names \0 text`, `page \0 dossier.yaml`.

use dossier::diagnostics::{Diagnostic, Diagnostics};
use std::ops::Range;
use std::sync::Arc;

/// What every diagnostic must be: a stable code, a message, a location that points inside
/// its source line, and both renderings.
fn check_diagnostic(d: &Diagnostic) {
    let code = d.code.as_bytes();
    assert!(
        code.len() == 4
            && matches!(code[0], b'E' | b'W')
            && code[1..].iter().all(u8::is_ascii_digit),
        "diagnostic without a code: {d:?}"
    );
    assert!(!d.message.is_empty(), "diagnostic without a message: {d:?}");
    let loc = &d.location;
    assert!(
        loc.marked.start <= loc.marked.end && loc.marked.end <= loc.source_line.len(),
        "marked range outside its line: {d:?}"
    );
    assert!(
        loc.source_line.is_char_boundary(loc.marked.start)
            && loc.source_line.is_char_boundary(loc.marked.end),
        "marked range splits a character: {d:?}"
    );
    let human = d.render_human();
    assert!(
        human.contains(d.code),
        "human rendering lost the code: {human}"
    );
}

fn check_all<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diags {
        check_diagnostic(d);
    }
}

fn check_diagnostics(diags: &Diagnostics) {
    check_all(diags.iter());
    let json: serde_json::Value =
        serde_json::from_str(&diags.render_json()).expect("the JSON rendering parses");
    assert!(
        json.is_array() || json.is_object(),
        "JSON rendering: {json}"
    );
    diags.render_human();
}

fn is_range_in(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

/// Splits at the first NUL: (before, after), after empty when there is none.
fn split_nul(text: &str) -> (&str, &str) {
    text.split_once('\0').unwrap_or((text, ""))
}

/// Target 1: front matter splitting and every YAML parse of the project: a page's front matter (as
/// a commentary page, a glossary entry, a section index), `dossier.yaml` and a seed's sidecar.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((yaml, body_start)) = dossier::yaml::front_matter(text) {
        assert!(is_range_in(text, &yaml), "front matter {yaml:?}");
        assert!(yaml.end <= body_start && body_start <= text.len());
        assert!(text.is_char_boundary(body_start));
    }
    for file in [
        "content/fuzz.md",
        "content/glossary/fuzz.md",
        "content/_index.md",
    ] {
        let mut diags = Vec::new();
        let page = dossier::load::pages::load_page(file, text.to_string(), &mut diags);
        check_all(&diags);
        if let Some(page) = page {
            let _ = page.body();
            assert!(!page.path.contains(".."));
        }
    }
    match dossier::config::Config::parse(text) {
        Ok(_) => {}
        Err(diags) => check_all(&diags),
    }
    let mut diags = Vec::new();
    let sidecar = Some(("seeds/fuzz.yaml".to_string(), text.to_string()));
    dossier::load::seeds::load_seed("fuzz.txt", SEED.as_bytes().to_vec(), sidecar, &mut diags);
    check_all(&diags);
}

/// The seed every dossier-level harness cites.
const SEED: &str = "First paragraph line one, said Alpha.\nFirst paragraph line two.\n\n\
“We are not afraid,” said Maria Lopez. “We walk together.”\n\n\
Second paragraph <script>alert(1)</script> & more... [sic]\n\nThird paragraph.\n";

const SIDECAR: &str = "id: alpha\ntitle: Alpha\nkind: news-report\npublisher: The Gazette\n\
published: 2019-03\nurl: https://example.com/alpha\nnotes: |\n  See [the first](seed:alpha#p1).\n";

const ENTRY: &str = "---\nterm: Maria Lopez\naliases: [Lopez, \"ALPHA\"]\nkind: person\n---\n\
A person in [the source](seed:alpha#p2).\n";

fn seed() -> dossier::load::Seed {
    let mut diags = Vec::new();
    let sidecar = Some(("seeds/alpha.yaml".to_string(), SIDECAR.to_string()));
    dossier::load::seeds::load_seed("alpha.txt", SEED.as_bytes().to_vec(), sidecar, &mut diags)
}

/// Target 2: the reference parser and the Markdown scan on an arbitrary body: the body is scanned and
/// written as HTML directly, then, under a fixed front matter, resolved in a dossier of one
/// seed, one glossary entry and a second page (in memory: no files).
pub fn references(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let scan = dossier::markdown::scan(body, 0);
    for link in &scan.links {
        assert!(is_range_in(body, &link.span), "link span {:?}", link.span);
        assert!(
            is_range_in(body, &link.dest_span),
            "destination span {:?}",
            link.dest_span
        );
    }
    for i in 0..scan.texts.len() {
        let _ = scan.text(i);
    }
    let _ = dossier::markdown::to_html(
        body,
        &[],
        &[],
        &scan.headings,
        &Default::default(),
        &|_, code| code.to_string(),
    );

    let front = "---\ntitle: Fuzz\ntags: [a]\n---\n";
    let mut diags = Vec::new();
    let pages: Vec<_> = [
        ("content/notes/fuzz.md", format!("{front}{body}")),
        ("content/glossary/maria-lopez.md", ENTRY.to_string()),
        (
            "content/other.md",
            "---\ntitle: Other\n---\n# Details\n".to_string(),
        ),
    ]
    .into_iter()
    .filter_map(|(file, text)| dossier::load::pages::load_page(file, text, &mut diags))
    .map(Arc::new)
    .collect();
    let config = dossier::config::Config::parse("title: Fuzz\n").expect("the configuration parses");
    let theme = dossier::load::theme::load(
        std::path::Path::new("/nonexistent"),
        "default",
        dossier::diagnostics::Location::file("dossier.yaml"),
        &mut diags,
    );
    let inputs = dossier::load::Inputs {
        config,
        base: dossier::config::BaseUrl::parse("/").expect("`/` is a base URL"),
        seeds: vec![Arc::new(seed())],
        pages,
        drafts: Default::default(),
        theme,
        assets: Default::default(),
        history: Default::default(),
        build_time: None,
    };
    let mut all = Diagnostics::default();
    all.extend(diags);
    let _ = dossier::resolve::resolve(inputs, &mut Default::default(), &mut all);
    check_diagnostics(&all);
}

/// Target 3: the quotation matcher: `seed text \0 quotation`. Every occurrence lies inside the text,
/// on character boundaries, in order, and inside the window it was looked for in.
pub fn quotes(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (text, quotation) = split_nul(input);
    let quotation = if quotation.is_empty() {
        text
    } else {
        quotation
    };
    let index = dossier::quotes::matcher::SeedIndex::new(text);
    let quote = dossier::quotes::matcher::Quote::parse(quotation);
    assert!(quote.parts.iter().all(|p| !p.is_empty()));
    let _ = quote.words();
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    for within in [None, Some(0..half), Some(half..text.len())] {
        for occurrence in index.find(&quote, within.clone()) {
            assert_eq!(occurrence.parts.len(), quote.parts.len());
            let mut last = 0;
            for part in &occurrence.parts {
                assert!(is_range_in(text, part), "part {part:?} of {occurrence:?}");
                assert!(part.start >= last, "parts out of order: {occurrence:?}");
                last = part.end;
            }
            if let Some(w) = &within {
                let span = occurrence.span();
                assert!(
                    w.start <= span.start && span.end <= w.end,
                    "{span:?} outside {w:?}"
                );
            }
        }
        if let Some(closest) = index.closest(&quote, within) {
            assert!(
                is_range_in(text, &closest.range),
                "closest {:?}",
                closest.range
            );
        }
    }
    let _ = dossier::quotes::quoted(quotation);
}

/// Target 4: seed decoding and paragraph splitting: any bytes as a seed (without a sidecar). Lines and
/// paragraphs lie inside the text and in order, and every position question has an answer;
/// direct speech is found in it and it is indexed for quotations.
pub fn seed_decode(data: &[u8]) {
    let mut diags = Vec::new();
    let seed = dossier::load::seeds::load_seed("fuzz.txt", data.to_vec(), None, &mut diags);
    check_all(&diags);
    let text = &seed.text;
    assert!(!text.contains('\r'), "a CR was left in the text");
    assert_eq!(seed.lines.len(), seed.line_code_points.len());
    let mut last = 0;
    for (i, line) in seed.lines.iter().enumerate() {
        assert!(
            is_range_in(text, line) && line.start >= last,
            "line {i}: {line:?}"
        );
        assert!(!text[line.clone()].contains('\n'));
        last = line.end;
        let _ = seed.line(i);
        assert_eq!(
            seed.code_points(line.start),
            text[..line.start].chars().count()
        );
        let _ = seed.paragraph_of_line(i + 1);
    }
    let mut ranges = Vec::new();
    let mut next_line = 0;
    for (n, p) in seed.paragraphs.iter().enumerate() {
        assert_eq!(p.number, n + 1);
        assert!(p.lines.start >= next_line && p.lines.start < p.lines.end);
        assert!(p.lines.end <= seed.lines.len());
        next_line = p.lines.end;
        let range = seed.paragraph_range(p.number);
        assert!(is_range_in(text, &range));
        assert!(
            !text[range.clone()].trim().is_empty(),
            "blank paragraph {}",
            p.number
        );
        ranges.push(range);
    }
    for at in (0..=text.len()).step_by(1 + text.len() / 64) {
        let n = seed.paragraph_at(at);
        assert!(n >= 1 && (n <= seed.paragraphs.len() || seed.paragraphs.is_empty()));
        if text.is_char_boundary(at) {
            let _ = seed.code_points(at);
        }
    }
    for speech in dossier::quotes::speech::find(text, &ranges) {
        assert!(
            is_range_in(text, &speech.range),
            "speech {:?}",
            speech.range
        );
    }
    let _ = dossier::quotes::speech::names(text);
    let _ = dossier::quotes::matcher::SeedIndex::new(text);
}

/// Target 5: the glossary matcher: `names \0 text`, one name per line (`!name`: case-sensitive,
/// `?name`: case-insensitive, else the default rule). Matches are whole, in order, apart,
/// inside the text and of a known entry.
pub fn glossary(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (names, text) = split_nul(input);
    let names: Vec<(usize, &str, Option<bool>)> = names
        .lines()
        .enumerate()
        .map(|(i, line)| match line.as_bytes().first() {
            Some(b'!') => (i / 2, &line[1..], Some(true)),
            Some(b'?') => (i / 2, &line[1..], Some(false)),
            _ => (i / 2, line, None),
        })
        .collect();
    let entries = names.len();
    let matcher = dossier::glossary::TermMatcher::new(names);
    let check = |found: &[(Range<usize>, usize)]| {
        let mut last = 0;
        for (range, entry) in found {
            assert!(is_range_in(text, range), "match {range:?}");
            assert!(
                range.start >= last && range.start < range.end,
                "match {range:?} after {last}"
            );
            assert!(*entry < entries.max(1));
            last = range.end;
        }
    };
    check(&matcher.find(text));
    check(&matcher.find_where(text, |r| r.start % 2 == 0));
}

/// Target 6: the whole check of a one-page dossier, as the command line runs it, from files in a
/// temporary folder (a tmpfs when there is one): `page \0 dossier.yaml` (a fixed
/// configuration when there is no NUL), beside a fixed seed, its sidecar and a glossary entry.
/// Every diagnostic has a code and a location inside its line; no errors means a site.
pub fn whole_build(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (page, config) = match input.split_once('\0') {
        Some((page, config)) => (page, config),
        None => (input, "title: Fuzz\nbase_url: https://example.org/sub/\n"),
    };
    let shm = std::path::Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write("dossier.yaml", config);
    write("seeds/alpha.txt", SEED);
    write("seeds/alpha.yaml", SIDECAR);
    write("content/glossary/maria-lopez.md", ENTRY);
    write("content/notes/fuzz.md", page);
    let options = dossier::BuildOptions::new(root);
    let (site, diags) = dossier::compile(&options);
    check_diagnostics(&diags);
    assert_eq!(site.is_some(), !diags.has_errors());
}
