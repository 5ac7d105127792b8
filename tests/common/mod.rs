//! Helpers shared by the integration tests: fixture dossiers copied to temporary folders,
//! builds through the library, HTML parsed with a real parser, and a link checker.
#![allow(dead_code)]

use dossier::diagnostics::{Diagnostic, Diagnostics};
use dossier::BuildOptions;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A fixture dossier copied into a fresh temporary folder (as `<tmp>/dossier`).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&src, &dir.path().join("dossier"));
        Fixture { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("dossier")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replaces the first `from` in file `rel` by `to`, and fails if there is none.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> Diagnostics {
        dossier::build(&self.options())
    }

    /// Builds and fails the test on any error.
    pub fn build_ok(&self) -> Diagnostics {
        let diags = self.build();
        assert!(
            !diags.has_errors(),
            "build failed:\n{}",
            diags.render_human()
        );
        diags
    }

    pub fn html(&self, rel: &str) -> Html {
        let path = self.out().join(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for "nothing was lost" comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    doc.select(&selector).collect()
}

pub fn text(el: &scraper::ElementRef) -> String {
    el.text().collect::<String>()
}

pub fn attr(doc: &Html, css: &str, name: &str) -> String {
    let found = select(doc, css);
    let el = found
        .first()
        .unwrap_or_else(|| panic!("nothing matches {css}"));
    el.value()
        .attr(name)
        .unwrap_or_else(|| panic!("{css} has no {name}"))
        .to_string()
}

/// The single error of `diags` (fails when there is not exactly one).
pub fn only_error(diags: &Diagnostics) -> Diagnostic {
    let errors: Vec<Diagnostic> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "expected one error, got:\n{}",
        diags.render_human()
    );
    errors.into_iter().next().unwrap()
}

/// Checks every `href` and `src` of every HTML file in the site at `out`, published under
/// `base_path` (e.g. `/sub/`): each internal one must name a file of the site and, when it
/// has a fragment, an element with that id. Returns the broken ones.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let files = snapshot(out);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for (path, bytes) in &files {
        let rel = path.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            let set = select(&doc, "[id]")
                .iter()
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            ids.insert(rel.clone(), set);
            docs.push((rel, doc));
        }
    }
    let mut broken = Vec::new();
    for (rel, doc) in &docs {
        for el in select(doc, "[href], [src]") {
            let Some(link) = el.value().attr("href").or_else(|| el.value().attr("src")) else {
                continue;
            };
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = link
                .split_once('#')
                .map_or((link, None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                rel.clone()
            } else if let Some(site_path) = path.strip_prefix(base_path) {
                let decoded = percent_encoding::percent_decode_str(site_path)
                    .decode_utf8_lossy()
                    .into_owned();
                if decoded.is_empty() || decoded.ends_with('/') {
                    format!("{decoded}index.html")
                } else {
                    decoded
                }
            } else {
                broken.push(format!(
                    "{rel}: {link} is not under the base path {base_path}"
                ));
                continue;
            };
            if !files.contains_key(Path::new(&target)) {
                broken.push(format!("{rel}: {link} names no file ({target})"));
                continue;
            }
            // A text fragment directive (`#id:~:text=…`) is not part of the element id; a
            // fragment of another kind of file (`report.pdf#page=2`) is that file's business.
            let fragment = fragment
                .map(|f| f.split(":~:").next().unwrap_or(""))
                .filter(|_| target.ends_with(".html"));
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
                if !ids
                    .get(&target)
                    .is_some_and(|set| set.contains(fragment.as_ref()))
                {
                    broken.push(format!("{rel}: {link} names no anchor in {target}"));
                }
            }
        }
    }
    broken
}

/// Fails unless `d` has this code and location.
pub fn assert_at(d: &Diagnostic, code: &str, file: &str, line: usize, column: usize) {
    assert_eq!(
        (
            d.code,
            d.location.file.as_str(),
            d.location.line,
            d.location.column
        ),
        (code, file, line, column),
        "{d:#?}"
    );
}

/// Builds once, applies `change`, builds again: the diagnostics of the second build, after
/// checking that a failed one left the first output byte for byte.
pub fn after(change: impl FnOnce(&Fixture)) -> (Fixture, Diagnostics) {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    change(&f);
    let diags = f.build();
    if diags.has_errors() {
        assert!(snapshot(&f.out()) == before, "the previous output changed");
    }
    (f, diags)
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The dossier binary run with `args`.
pub fn dossier(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .expect("the binary runs")
}
