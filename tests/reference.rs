//! `docs/reference.md` names every user-facing name, so that it cannot rot: the keys of
//! `dossier.yaml`, of a page's and a glossary entry's front matter and of a seed's sidecar are
//! taken from the real types (serialised), and every template's variables from the contexts
//! the templates really see (a theme whose templates print the paths of their whole context,
//! built over a dossier that has every kind of page, paginated lists included). Each of those
//! names must appear, in backticks, in its section of the reference; and each section's
//! complete example must load without a problem, so the reference names nothing that does
//! not exist.

use dossier::diagnostics::Diagnostics;
use dossier::load::pages::{load_page, FrontMatter};
use dossier::load::seeds::load_seed;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const REFERENCE: &str = include_str!("../docs/reference.md");

/// The text of the section under the heading `heading` (any level), down to the next heading
/// of the same or a higher level (outside code blocks).
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let mut start = None;
    let mut level = 0;
    let mut offset = 0;
    let mut fenced = false;
    for line in doc.split_inclusive('\n') {
        fenced ^= line.starts_with("```");
        let hashes = line.chars().take_while(|&c| c == '#').count();
        let is_heading = !fenced && hashes > 0 && line[hashes..].starts_with(' ');
        match start {
            None if is_heading && line[hashes..].trim() == heading => {
                start = Some(offset + line.len());
                level = hashes;
            }
            Some(s) if is_heading && hashes <= level => return &doc[s..offset],
            _ => {}
        }
        offset += line.len();
    }
    match start {
        Some(s) => &doc[s..],
        None => panic!("docs/reference.md has no heading `{heading}`"),
    }
}

/// The first fenced block of `section` whose info string is `info`.
fn example<'a>(section: &'a str, info: &str) -> &'a str {
    let fence = format!("```{info}\n");
    let start = section
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{info} example in the section"))
        + fence.len();
    let end = section[start..].find("```").expect("closed fence") + start;
    &section[start..end]
}

/// The names in `names` that `section` does not mention in backticks.
fn missing<'a>(section: &str, names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| !section.contains(&format!("`{n}`")))
        .cloned()
        .collect()
}

/// Every key path of a JSON value: `glossary.link`, `quotes[].text`.
fn paths(value: &serde_json::Value, at: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let p = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                out.insert(p.clone());
                paths(v, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                paths(v, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

fn keys_of(value: &impl serde::Serialize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    paths(&serde_json::to_value(value).unwrap(), "", &mut out);
    out
}

/// The names in the first column of `section`'s tables: what it says exists.
fn table_names(section: &str) -> BTreeSet<String> {
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .flat_map(|l| {
            let cell = l.split(" |").next().unwrap_or_default();
            format!("`{cell}")
                .split('`')
                .skip(1)
                .step_by(2)
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `names` are all in the section `heading`, and its tables name nothing else.
fn assert_documented(heading: &str, names: &BTreeSet<String>) {
    let text = section(REFERENCE, heading);
    let missing = missing(text, names);
    assert!(
        missing.is_empty(),
        "docs/reference.md, section `{heading}`, does not document {missing:?}"
    );
    let unknown: Vec<_> = table_names(text).difference(names).cloned().collect();
    assert!(
        unknown.is_empty(),
        "docs/reference.md, section `{heading}`, documents what does not exist: {unknown:?}"
    );
}

#[test]
fn every_configuration_key_is_documented_and_the_example_is_complete() {
    let example = example(section(REFERENCE, "dossier.yaml"), "yaml");
    let config = dossier::config::Config::parse(example)
        .unwrap_or_else(|e| panic!("the dossier.yaml example does not load: {e:?}"));
    let keys = keys_of(&config);
    assert_documented("dossier.yaml", &keys);
    // The example writes every key: what the reference shows is all there is.
    assert_eq!(
        yaml_keys(example),
        keys,
        "the example should write every key"
    );
}

#[test]
fn every_front_matter_key_is_documented_and_the_example_loads() {
    let keys = keys_of(&FrontMatter::default());
    assert_documented("Front matter of commentary pages", &keys);
    let example = example(
        section(REFERENCE, "Front matter of commentary pages"),
        "yaml",
    );
    let text = format!("---\n{example}---\nBody.\n");
    let mut diags = Vec::new();
    let page = load_page("content/notes/example.md", text, &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        yaml_keys(example),
        keys,
        "the example should write every key"
    );
    assert!(page.front.date.is_some());
}

#[test]
fn every_glossary_entry_field_is_documented_and_the_example_loads() {
    let example = example(section(REFERENCE, "Glossary entries"), "yaml");
    let text = format!("---\n{example}---\nA definition.\n");
    let mut diags = Vec::new();
    let page = load_page("content/glossary/example.md", text, &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let keys = keys_of(page.entry.as_ref().unwrap());
    assert_documented("Glossary entries", &keys);
    assert_eq!(
        yaml_keys(example),
        keys,
        "the example should write every key"
    );
}

#[test]
fn every_sidecar_field_is_documented_and_the_example_loads() {
    let heading = "Seed sidecars";
    let sidecar = example(section(REFERENCE, heading), "yaml");
    let seed = example(section(REFERENCE, heading), "text");
    let mut diags = Vec::new();
    let loaded = load_seed(
        "example.txt",
        seed.as_bytes().to_vec(),
        Some(("seeds/example.yaml".into(), sidecar.into())),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let mut keys = keys_of(&loaded.sidecar);
    // `inferred` maps field names to reasons: its keys are values, not fields.
    keys.retain(|k| !k.starts_with("inferred."));
    assert_documented(heading, &keys);
    let mut written = yaml_keys(sidecar);
    written.retain(|k| !k.starts_with("inferred."));
    assert_eq!(written, keys, "the example should write every field");
}

/// Every key path of a YAML text, as written.
fn yaml_keys(yaml: &str) -> BTreeSet<String> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let mut out = BTreeSet::new();
    paths(&serde_json::to_value(value).unwrap(), "", &mut out);
    out
}

#[test]
fn every_diagnostic_code_is_documented() {
    let source = include_str!("../src/diagnostics.rs");
    let codes: BTreeSet<String> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split('"').nth(1))
        .map(String::from)
        .collect();
    assert!(codes.len() > 10, "{codes:?}");
    assert_documented("Diagnostic codes", &codes);
}

#[test]
fn every_template_is_documented_with_every_variable_it_sees() {
    let seen = template_variables();
    let templates = section(REFERENCE, "Templates");
    let shared = section(templates, "Shared variables");
    let mut problems = Vec::new();
    for (name, _) in dossier::load::theme::BUILT_IN_TEMPLATES {
        let heading = format!("`{name}`");
        if !templates.contains(&format!("### {heading}\n")) {
            problems.push(format!("no section `### {heading}`"));
            continue;
        }
        let own = section(templates, &heading);
        let Some(vars) = seen.get(*name) else {
            // Only extended or included: they see the context of the template using them.
            assert!(
                ["base.html", "pager.html"].contains(name),
                "{name} was never rendered"
            );
            continue;
        };
        for v in vars {
            let root = v.split(['.', '[']).next().unwrap();
            let in_shared = SHARED.contains(&root) && shared.contains(&format!("`{v}`"));
            if !in_shared && !own.contains(&format!("`{v}`")) {
                problems.push(format!("{name}: `{v}`"));
            }
        }
        for v in table_names(own).difference(vars) {
            problems.push(format!("{name}: `{v}` does not exist"));
        }
    }
    let all: BTreeSet<String> = seen.values().flatten().cloned().collect();
    for v in table_names(shared).difference(&all) {
        problems.push(format!("shared: `{v}` does not exist"));
    }
    let documented: Vec<&str> = templates
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
        .collect();
    for t in documented {
        if !dossier::load::theme::BUILT_IN_TEMPLATES
            .iter()
            .any(|(n, _)| *n == t)
        {
            problems.push(format!("`{t}` is not a template"));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/reference.md, section Templates, is out of date:\n{}",
        problems.join("\n")
    );
}

/// Variables documented once, under "Shared variables", for every template that sees them.
const SHARED: &[&str] = &[
    "site",
    "meta",
    "current_url",
    "page",
    "pager",
    "pager_label",
];

/// A component that prints the path of every key of a value, one `@@ <template> <path>` line
/// each (`[]` for the items of a list).
const WALK: &str = r#"{% component walk(v, at, t) %}{% if v is map %}{% for k, x in v %}
@@ {{ t }} {{ at ~ "." ~ k if at else k }}{{ <walk v={x} at={at ~ "." ~ k if at else k} t={t}/> }}{% endfor %}{% elif v is array %}{% for x in v %}{{ <walk v={x} at={at ~ "[]"} t={t}/> }}{% endfor %}{% endif %}{% endcomponent walk %}"#;

/// Template name → every variable path it was rendered with, over two dossiers (small lists
/// and paginated ones: the glossary's index of names shows only on a one-page glossary).
fn template_variables() -> BTreeMap<String, BTreeSet<String>> {
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for bulk in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dossier");
        write_dossier(&root, bulk);
        let (compiled, diags) = dossier::compile(&dossier::BuildOptions::new(&root));
        assert_no_errors(&diags);
        let (_, site) = compiled.unwrap();
        for bytes in site.files.values() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("@@ ") {
                    // A partial's lines can run into the text after it (`term.html`).
                    let mut words = rest.split_whitespace();
                    let (template, path) = (words.next().unwrap(), words.next().unwrap());
                    seen.entry(template.to_string())
                        .or_default()
                        .insert(path.to_string());
                }
            }
        }
    }
    seen
}

fn assert_no_errors(diags: &Diagnostics) {
    assert!(!diags.has_errors(), "{}", diags.render_human());
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A dossier with every kind of page and every context part non-empty: a seed with a full
/// sidecar, speech and its speaker's entry, quotations of each role, notes on passages,
/// paragraphs and the whole source, tags, backlinks, a table of contents and git history;
/// with `bulk`, enough seeds, entries, tagged pages and short quotations for every list to
/// have a second page.
fn write_dossier(root: &Path, bulk: bool) {
    write(
        root,
        "dossier.yaml",
        "title: Reference\nbase_url: https://example.org/sub/\ndescription: A test.\nauthors: [Ed]\n",
    );
    let seed = "The caravan left on Monday. The caravan was large.\n\n\
        “We are not here to cause trouble, we only want to work,” said Maria Lopez, a teacher.\n\n\
        The caravan reached the border. Officials called the caravan a normal annual event.\n";
    write(root, "seeds/main.txt", seed);
    let sha = {
        use sha2::Digest;
        dossier::fingerprint::hex(&sha2::Sha256::digest(seed.as_bytes()))
    };
    write(
        root,
        "seeds/main.yaml",
        &format!(
            "title: Main\nkind: news-report\npublisher: The Paper\nauthors: [Ann Writer]\n\
             published: 2018-10\nretrieved: 2024-01-02\nurl: https://example.com/a\n\
             archived_url: https://web.archive.org/a\nlanguage: en\nrights: CC BY\n\
             sha256: {sha}\ninferred:\n  publisher: the masthead\n\
             notes: See [¶1](#p1).\nquotes:\n  - text: we only want to work\n    speaker: maria-lopez\n"
        ),
    );
    write(
        root,
        "content/_index.md",
        "---\ntitle: Home\n---\nThe home page.\n",
    );
    write(
        root,
        "content/glossary/_index.md",
        "---\ntitle: Glossary\n---\nNames and terms.\n",
    );
    write(
        root,
        "content/glossary/caravan.md",
        "---\nterm: caravan\naliases: [caravans]\n---\nA group travelling together, as in [the report](seed:main#p1).\n",
    );
    write(
        root,
        "content/glossary/maria-lopez.md",
        "---\nterm: Maria Lopez\nkind: person\n---\nA teacher.\n",
    );
    write(
        root,
        "content/notes/quoting.md",
        "---\ntitle: Quoting\ndate: 2020-01-01\nauthors: [Ann]\nsummary: A page that quotes.\n\
         tags: [method]\nweight: 1\ntoc: true\n---\n## First part\n\n\
         She says [“we only want to work”](seed:main#p2); the report says\n\
         [“Officials called the caravan a normal annual event”](seed:main#p3), an\n\
         [“annual event”](seed:main#p3). See [¶1](seed:main#p1), [the source](seed:main),\n\
         [the other page](page:notes/other) and [Lopez](term:maria-lopez). The caravan moved.\n\n\
         ### Detail\n\nMore.\n",
    );
    write(
        root,
        "content/notes/other.md",
        "---\ntitle: Other\n---\nBack to [quoting](quoting.md).\n",
    );
    if bulk {
        for n in 0..100 {
            write(
                root,
                &format!("seeds/b{n:03}.txt"),
                &format!("Bulk text {n}.\n"),
            );
            write(
                root,
                &format!("content/glossary/g{n:03}.md"),
                &format!("---\nterm: Zeta{n:03}\n---\nEntry {n}.\n"),
            );
            write(
                root,
                &format!("content/bulk/p{n:03}.md"),
                &format!(
                    "---\ntitle: Bulk {n}\ntags: [method]\n---\nAn [“annual event”](seed:main#p3).\n"
                ),
            );
        }
    }
    for (name, _) in dossier::load::theme::BUILT_IN_TEMPLATES {
        let mut dump = format!("{{{{ <walk v={{__tera_context}} at=\"\" t=\"{name}\"/> }}}}\n");
        if *name == "page.html" {
            // The body holds the term links, made by `term.html`: their lines come with it.
            dump.push_str("{{ page.content | safe }}\n");
        }
        write(root, &format!("themes/default/templates/{name}"), &dump);
    }
    write(root, "themes/default/templates/walk.html", WALK);
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "seeds"]);
    git(&["commit", "-q", "-m", "Acquire the seeds"]);
}

/// Prints what the templates see, to write the reference from: `cargo test --test reference
/// print_template_variables -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_template_variables() {
    for (template, vars) in template_variables() {
        println!("## {template}");
        for v in vars {
            println!("  {v}");
        }
    }
}

#[test]
fn every_reference_form_is_documented_and_the_examples_resolve() {
    let references = section(REFERENCE, "References");
    // The forms as the resolver knows them, read from its source so that a new one fails here.
    let resolver = include_str!("../src/resolve/references.rs");
    let mut forms = BTreeSet::new();
    for name in ["SCHEMES", "EXTERNAL"] {
        let list = resolver
            .split(&format!("const {name}: &[&str] = &["))
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_else(|| panic!("no `{name}` in src/resolve/references.rs"));
        forms.extend(
            list.split(',')
                .map(|f| format!("{}:", f.trim().trim_matches('"'))),
        );
    }
    assert!(
        forms.contains("seed:") && forms.contains("https:"),
        "{forms:?}"
    );
    // Written `seed:<id>`, `https:`: in backticks, followed by what it takes.
    let missing: Vec<_> = forms
        .iter()
        .filter(|f| !references.contains(&format!("`{f}")))
        .collect();
    assert!(missing.is_empty(), "References does not name {missing:?}");

    // The examples, written into this repository's own dossier, build without a problem.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dossier");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["dossier.yaml", "seeds", "content"] {
        copy(&repo.join(part), &root.join(part));
    }
    let body: Vec<&str> = references
        .split("```markdown\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(
        body.len(),
        3,
        "the forms, a quotation link and a quoted blockquote"
    );
    write(
        &root,
        "content/analysis/example.md",
        &format!("---\ntitle: Example\n---\n{}", body.join("\n")),
    );
    let (_, diags) = dossier::compile(&dossier::BuildOptions::new(&root));
    assert_eq!(diags.iter().count(), 0, "{}", diags.render_human());
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}
