//! The import rules of ARCHITECTURE.md, checked on the source: every `crate::` path of every
//! module under `src/` (in `use` lines and inline, grouped imports included) is compared with
//! the rules, and each rule's sentence must appear in ARCHITECTURE.md word for word, so the
//! document and the check cannot drift apart.

use std::collections::BTreeSet;
use std::path::Path;

/// A rule: modules whose path starts with `module` may not use what `forbidden` names
/// (top-level modules of the crate, or an item such as `model::Dossier`).
struct Rule {
    sentence: &'static str,
    module: &'static str,
    forbidden: &'static [&'static str],
}

const ALL: &[&str] = &[
    "config",
    "date",
    "diagnostics",
    "export",
    "fingerprint",
    "glossary",
    "load",
    "markdown",
    "model",
    "paths",
    "quotes",
    "render",
    "resolve",
    "scaffold",
    "serve",
    "text",
    "write",
    "yaml",
];

const RULES: &[Rule] = &[
    Rule {
        sentence: "`text` imports nothing of the crate.",
        module: "text",
        forbidden: ALL,
    },
    Rule {
        sentence: "`diagnostics` imports nothing of the crate.",
        module: "diagnostics",
        forbidden: ALL,
    },
    Rule {
        sentence: "`fingerprint` imports nothing of the crate.",
        module: "fingerprint",
        forbidden: ALL,
    },
    Rule {
        sentence: "`date` imports nothing of the crate.",
        module: "date",
        forbidden: ALL,
    },
    Rule {
        sentence: "`load` imports no engine and no later stage: not `quotes`, `glossary`, `resolve`, `render`, `write`, `serve`.",
        module: "load",
        forbidden: &["quotes", "glossary", "resolve", "render", "write", "serve"],
    },
    Rule {
        sentence: "`model` imports no engine and no later stage: not `quotes`, `glossary`, `resolve`, `render`, `write`, `serve`.",
        module: "model",
        forbidden: &["quotes", "glossary", "resolve", "render", "write", "serve"],
    },
    Rule {
        sentence: "`quotes` does not import `glossary`.",
        module: "quotes",
        forbidden: &["glossary"],
    },
    Rule {
        sentence: "`glossary` does not import `quotes`: attribution to the glossary's people happens in `resolve`, the only stage that sees both.",
        module: "glossary",
        forbidden: &["quotes"],
    },
    Rule {
        sentence: "`resolve` imports no later stage: not `render`, `write`, `serve`.",
        module: "resolve",
        forbidden: &["render", "write", "serve"],
    },
    Rule {
        sentence: "`render` imports no engine and no other stage: not `quotes`, `glossary`, `resolve`, `write`, `serve`.",
        module: "render",
        forbidden: &["quotes", "glossary", "resolve", "write", "serve"],
    },
    Rule {
        sentence: "`render::views` reach the model only through the recording reader: they never name `model::Dossier`.",
        module: "render::views",
        forbidden: &["model::Dossier"],
    },
    Rule {
        sentence: "`markdown` imports only `text`, and emits no theme markup (a term link's HTML comes from the theme's `term.html`).",
        module: "markdown",
        forbidden: &[
            "config",
            "date",
            "diagnostics",
            "fingerprint",
            "glossary",
            "load",
            "model",
            "paths",
            "quotes",
            "render",
            "resolve",
            "serve",
            "write",
            "yaml",
        ],
    },
    Rule {
        sentence: "`write` imports only `diagnostics`, `paths` and `render::Site`.",
        module: "write",
        forbidden: &[
            "config",
            "date",
            "fingerprint",
            "glossary",
            "load",
            "markdown",
            "model",
            "quotes",
            "resolve",
            "serve",
            "text",
            "yaml",
        ],
    },
    Rule {
        sentence: "`scaffold` writes files without building: not `load`, `resolve`, `render`, `write`, `serve`.",
        module: "scaffold",
        forbidden: &["load", "resolve", "render", "write", "serve"],
    },
    Rule {
        sentence: "`export` reads the dossier only through the library's compile and `load`, and writes only inside its target: not `quotes`, `glossary`, `resolve`, `render`, `write`, `serve`, `scaffold`.",
        module: "export",
        forbidden: &[
            "quotes", "glossary", "resolve", "render", "write", "serve", "scaffold",
        ],
    },
];

/// The sentence of the rule that only `yaml` reads YAML: checked on the text, not on imports.
const ONLY_YAML: &str = "Only `yaml` reads YAML text: no other module names `serde_yaml`.";

/// The module path of a source file (`src/render/views/page.rs` → `render::views::page`).
fn module_of(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "mod")
        .collect();
    parts.join("::")
}

/// Every `crate::a::b` path in `source`, outside comments, with grouped imports
/// (`use crate::{a, b::{c, d}}`) expanded to their first two segments.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            if after.starts_with('{') {
                let end = after.find('}').map_or(after.len(), |e| e + 1);
                for item in after[1..end].split([',', '{', '}']) {
                    let item = item.trim();
                    if !item.is_empty() {
                        out.insert(item.to_string());
                    }
                }
                rest = &after[end.min(after.len())..];
            } else {
                let path: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                out.insert(path.trim_end_matches(':').to_string());
                rest = after;
            }
        }
    }
    out
}

/// Rule violations in one module's source, as "module uses path (sentence)".
fn violations(module: &str, source: &str) -> Vec<String> {
    let paths = crate_paths(source);
    let mut out = Vec::new();
    for rule in RULES {
        let applies = module == rule.module || module.starts_with(&format!("{}::", rule.module));
        if !applies {
            continue;
        }
        for path in &paths {
            let hit = rule
                .forbidden
                .iter()
                .filter(|f| !f.contains("::"))
                .any(|f| path == f || path.starts_with(&format!("{f}::")));
            if hit {
                out.push(format!("{module} uses crate::{path} ({})", rule.sentence));
            }
        }
        for f in rule.forbidden.iter().filter(|f| f.contains("::")) {
            let name = f.rsplit("::").next().unwrap_or(f);
            let names_it = source
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .any(|l| {
                    l.match_indices(name).any(|(i, _)| {
                        let before = l[..i].chars().next_back();
                        let after = l[i + name.len()..].chars().next();
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    })
                });
            if names_it {
                out.push(format!("{module} names {f} ({})", rule.sentence));
            }
        }
    }
    if module != "yaml" && source.contains("serde_yaml") {
        out.push(format!("{module} names serde_yaml ({ONLY_YAML})"));
    }
    if module == "markdown" && source.contains("class=\\\"term") {
        out.push(format!(
            "markdown writes a term link's markup ({})",
            RULES[11].sentence
        ));
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn modules_import_only_what_architecture_md_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut modules = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        let module = module_of(rel);
        if module == "lib" || module == "main" {
            continue;
        }
        modules += 1;
        let source = std::fs::read_to_string(entry.path()).unwrap();
        found.extend(violations(&module, &source));
    }
    assert!(modules > 20, "the walk found the modules ({modules})");
    assert!(
        found.is_empty(),
        "imports against ARCHITECTURE.md:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_rule_is_written_in_architecture_md() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    for sentence in RULES.iter().map(|r| r.sentence).chain([ONLY_YAML]) {
        assert!(
            doc.contains(sentence),
            "ARCHITECTURE.md lacks the rule: {sentence}"
        );
    }
}

#[test]
fn a_forbidden_import_is_caught_in_every_form() {
    let cases = [
        ("text", "use crate::diagnostics::Diagnostic;"),
        ("quotes::matcher", "use crate::glossary::TermMatcher;"),
        ("glossary", "    let x = crate::quotes::quoted(t);"),
        (
            "load::seeds",
            "use crate::{diagnostics::Location, quotes::matcher::SeedIndex};",
        ),
        ("model", "use crate::render::Site;"),
        ("render::views::page", "fn f(d: &crate::model::Dossier) {}"),
        (
            "render::views::page",
            "use crate::model::{Dossier, PageId};",
        ),
        ("markdown", "use crate::load::Page;"),
        ("resolve", "use crate::render::Urls;"),
        ("load::pages", "let v: serde_yaml::Value = todo!();"),
        ("export::bagit", "use crate::render::Site;"),
        ("export", "crate::write::write_site(root, out, &site)"),
    ];
    for (module, line) in cases {
        assert!(
            !violations(module, line).is_empty(),
            "{module}: `{line}` passed"
        );
    }
    // Comments and allowed imports are not violations.
    assert!(violations("glossary", "// crate::quotes is not imported here").is_empty());
    assert!(violations("render::views::page", "use crate::model::{PageId, Target};").is_empty());
    assert!(violations("quotes::matcher", "use crate::text::normalise;").is_empty());
}
