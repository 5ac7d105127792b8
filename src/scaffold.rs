//! Starting points an author would otherwise guess at: `dossier init` writes a dossier that
//! builds at once (with a GitHub Pages workflow), `dossier new seed|page|term` writes one file
//! with its front matter or sidecar. Nothing here ever overwrites a file; every refusal is a
//! diagnostic with a hint. The date a seed was retrieved is passed in, so tests can fix it.

use crate::diagnostics::{code, Diagnostic, Location};
use crate::paths::is_valid_id;
use std::path::Path;

/// The example seed's id, file stem and the one place its name is written.
const EXAMPLE_SEED: &str = "example";

/// The text `init` writes as its example seed: original, short, and marked as an example.
const EXAMPLE_TEXT: &str = "\
An example source, written for a new dossier. Replace it with a real text, kept byte for byte as you found it, and update its sidecar (seeds/example.yaml).

The footbridge over the Mill Stream will close for repairs on the first Monday of next month. The parish council expects the work to take six weeks.

Walkers can cross at the weir, ten minutes upstream. The council said the weir path \"will be lit and gritted every evening while the bridge is shut\".
";

/// The GitHub Pages workflow `init` writes. `@@REPO@@` is the tool's repository.
const PAGES_WORKFLOW: &str = r#"# Builds this dossier and publishes it on GitHub Pages.
# Once: in the repository's Settings → Pages, set "Source" to "GitHub Actions".
# Then every push to the default branch publishes https://<owner>.github.io/<repository>/.
name: Publish on GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # EDIT if needed: where the `dossier` tool is installed from (it is not on crates.io).
  DOSSIER_GIT: "@@REPO@@"
  DOSSIER_BRANCH: "main"

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install dossier
        run: cargo install --locked --git "$DOSSIER_GIT" --branch "$DOSSIER_BRANCH" dossier
      - name: Build
        env:
          OWNER: ${{ github.repository_owner }}
          REPO: ${{ github.event.repository.name }}
        run: |
          owner="${OWNER,,}"
          # A project site lives under /<repository>/; a user or organization site at the root.
          if [ "${REPO,,}" = "${owner}.github.io" ]; then
            base_url="https://${owner}.github.io/"
          else
            base_url="https://${owner}.github.io/${REPO}/"
          fi
          dossier check --strict
          dossier build --base-url "$base_url" --output public
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

/// Where `init`'s workflow installs the tool from when the crate names no repository.
const REPOSITORY_PLACEHOLDER: &str = "https://github.com/OWNER/dossier";

/// What `init` and `new` wrote, as paths relative to the dossier root, in writing order.
pub type Written = Vec<String>;

/// A JSON string is a valid YAML double-quoted scalar: the safe way to write any text.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// `tear-gas` → `Tear gas`: a name to start from, made from a file or folder name.
fn humanise(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn refusal(file: &str, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(code::SCAFFOLD, Location::file(file), message).with_hint(hint)
}

fn io_error(file: &str, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        code::IO,
        Location::file(file),
        format!("cannot {action} `{file}`: {error}"),
    )
}

/// Writes `bytes` to `root/rel`, creating its folders; refuses an existing file.
fn create(root: &Path, rel: &str, bytes: &[u8], written: &mut Written) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(rel, "create the folder of", &e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => refusal(
                rel,
                format!("`{rel}` already exists"),
                "dossier never overwrites a file: move it away or choose another name".to_string(),
            ),
            _ => io_error(rel, "create", &e),
        })?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| io_error(rel, "write", &e))?;
    written.push(rel.to_string());
    Ok(())
}

/// Refuses when `rel` (under `root`) exists, before anything is written.
fn refuse_existing(root: &Path, rel: &str, what: &str, hint: &str) -> Result<(), Diagnostic> {
    if root.join(rel).exists() {
        return Err(refusal(
            rel,
            format!("`{rel}` already exists: `new {what}` never overwrites a file"),
            hint.to_string(),
        ));
    }
    Ok(())
}

/// `new` works inside a dossier: its root must hold `dossier.yaml`.
fn require_dossier(root: &Path) -> Result<(), Diagnostic> {
    if root.join(crate::config::FILE).is_file() {
        return Ok(());
    }
    Err(refusal(
        &root.display().to_string(),
        format!("no {} in `{}`", crate::config::FILE, root.display()),
        "run `dossier new` in a dossier's root folder, or pass `--root <folder>`; `dossier init` starts a new dossier".to_string(),
    ))
}

/// The sidecar of a seed whose bytes are `bytes`, as `new seed` and `init` write it.
fn sidecar(title: &str, bytes: &[u8], retrieved: &str, extra: &str) -> String {
    use sha2::{Digest, Sha256};
    let sha256 = crate::fingerprint::hex(&Sha256::digest(bytes));
    format!(
        "title: {}  # EDIT: the source's own title, or yours (then say so under `inferred`)\n\
         # kind: news-report\n\
         # publisher: \"\"\n\
         # authors: []\n\
         # published: \"YYYY-MM-DD\"\n\
         # url: \"https://…\"\n\
         # language: en\n\
         retrieved: \"{retrieved}\"\n\
         sha256: \"{sha256}\"\n\
         {extra}",
        quoted(title)
    )
}

/// `dossier init DIR`: a dossier that builds at once, in an empty (or missing) folder.
/// `today` is the `retrieved` date of the example seed (`YYYY-MM-DD`).
pub fn init(dir: &Path, today: &str) -> Result<Written, Diagnostic> {
    let shown = dir.display().to_string();
    if dir.exists() && !dir.is_dir() {
        return Err(refusal(
            &shown,
            format!("`{shown}` is a file, not a folder"),
            "name a new or empty folder: `dossier init my-dossier`".to_string(),
        ));
    }
    if dir.is_dir() {
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(&shown, "read", &e))?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".git")
            .collect();
        names.sort();
        if let Some(first) = names.first() {
            return Err(refusal(
                &shown,
                format!(
                    "`{shown}` is not empty (it holds `{first}`{}): init writes only into an empty folder",
                    if names.len() > 1 {
                        format!(" and {} more", names.len() - 1)
                    } else {
                        String::new()
                    }
                ),
                "name a new folder: `dossier init my-dossier` (a folder holding only `.git` is fine)"
                    .to_string(),
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(&shown, "create", &e))?;
    let name = crate::paths::absolute(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = match humanise(&name) {
        t if t.is_empty() => "My dossier".to_string(),
        t => t,
    };

    let mut written = Written::new();
    let config = format!(
        "title: {}\n\
         description: \"What this dossier collects, and why, in one sentence.\"  # EDIT\n\
         # The address the site is published at. `dossier serve` and the GitHub Pages workflow\n\
         # (.github/workflows/pages.yml) pass their own with --base-url.\n\
         base_url: \"/\"\n\
         language: en\n\
         authors: [\"The dossier's editors\"]  # EDIT\n\
         glossary:\n  link: first-per-page\n",
        quoted(&title)
    );
    create(dir, crate::config::FILE, config.as_bytes(), &mut written)?;
    create(
        dir,
        &format!("seeds/{EXAMPLE_SEED}.txt"),
        EXAMPLE_TEXT.as_bytes(),
        &mut written,
    )?;
    let notes = "kind: notice\n\
                 inferred:\n  title: \"an example: the text has no title, this one is ours\"\n\
                 notes: |\n  An example source written by `dossier init`, to show how a seed, its sidecar, a\n  \
                 commentary page and a glossary entry fit together. Replace it with a real text:\n  \
                 `dossier new seed path/to/text.txt` copies it here and writes its sidecar.\n";
    create(
        dir,
        &format!("seeds/{EXAMPLE_SEED}.yaml"),
        sidecar(
            "Example: the footbridge closes for repairs",
            EXAMPLE_TEXT.as_bytes(),
            today,
            notes,
        )
        .as_bytes(),
        &mut written,
    )?;
    let home = format!(
        "---\n\
         title: {}\n\
         summary: \"What this dossier collects, in a sentence.\"\n\
         ---\n\
         This is the home page (`content/_index.md`). It introduces the sources and the commentary.\n\
         Everything below is an example to replace.\n\
         \n\
         - **[The example source](seed:{EXAMPLE_SEED})**: a short notice, with its provenance.\n\
         - **[A first reading](page:first-reading)**: commentary that quotes it.\n\
         - **[The glossary](page:glossary)**: terms defined once, counted wherever they occur.\n",
        quoted(&title)
    );
    create(dir, "content/_index.md", home.as_bytes(), &mut written)?;
    let page = format!(
        "---\n\
         title: \"A first reading\"\n\
         summary: \"An example commentary page: replace it with your own.\"\n\
         tags: [example]\n\
         ---\n\
         Commentary is Markdown. A link to a paragraph of a source is a citation: the notice\n\
         announces a closure first ([¶2](seed:{EXAMPLE_SEED}#p2)) and the way round it second.\n\
         \n\
         A link whose text is in quotation marks is a **verified quotation**: the build fails if\n\
         the words are not in the paragraph it cites. The council promises that the weir path\n\
         [“will be lit and gritted every evening”](seed:{EXAMPLE_SEED}#p3).\n\
         \n\
         The word footbridge is defined in the [glossary](term:footbridge); every page that uses it\n\
         links to the definition.\n"
    );
    create(
        dir,
        "content/first-reading.md",
        page.as_bytes(),
        &mut written,
    )?;
    create(
        dir,
        "content/glossary/_index.md",
        b"---\ntitle: \"Glossary\"\n---\nThe terms the sources use, defined in our own words.\n",
        &mut written,
    )?;
    let term = format!(
        "---\n\
         term: \"footbridge\"\n\
         aliases: []\n\
         kind: term  # term | person | organization | place | event\n\
         ---\n\
         A bridge for people on foot. In the example source it is the crossing that closes\n\
         ([¶2](seed:{EXAMPLE_SEED}#p2)).\n"
    );
    create(
        dir,
        "content/glossary/footbridge.md",
        term.as_bytes(),
        &mut written,
    )?;
    create(dir, ".gitignore", b"/public\n", &mut written)?;
    let repository = match env!("CARGO_PKG_REPOSITORY") {
        "" => REPOSITORY_PLACEHOLDER,
        r => r,
    };
    create(
        dir,
        ".github/workflows/pages.yml",
        PAGES_WORKFLOW.replace("@@REPO@@", repository).as_bytes(),
        &mut written,
    )?;
    Ok(written)
}

/// `dossier new seed FILE [--id ID]`: copies FILE byte for byte to `seeds/<id>.txt` and writes
/// its sidecar (`title` from the file name, `sha256`, `retrieved: today`).
pub fn new_seed(
    root: &Path,
    file: &Path,
    id: Option<&str>,
    today: &str,
) -> Result<Written, Diagnostic> {
    require_dossier(root)?;
    let shown = file.display().to_string();
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = id.map_or_else(|| stem.clone(), str::to_string);
    if !is_valid_id(&id) {
        return Err(Diagnostic::error(
            code::BAD_ID,
            Location::file(&shown),
            format!("seed id `{id}` may only hold lowercase letters, digits, `-` and `_`"),
        )
        .with_hint(format!("pass `--id {}`", crate::text::suggest_id(&id))));
    }
    let bytes = std::fs::read(file).map_err(|e| io_error(&shown, "read", &e))?;
    let text_rel = format!("seeds/{id}.txt");
    let sidecar_rel = format!("seeds/{id}.yaml");
    let hint = format!("choose another id: `--id {id}-2`");
    refuse_existing(root, &text_rel, "seed", &hint)?;
    refuse_existing(root, &sidecar_rel, "seed", &hint)?;
    let mut written = Written::new();
    create(root, &text_rel, &bytes, &mut written)?;
    create(
        root,
        &sidecar_rel,
        sidecar(&humanise(&stem), &bytes, today, "").as_bytes(),
        &mut written,
    )?;
    Ok(written)
}

/// The page path of `new page PATH`: `notes/first`, `notes/first.md` and
/// `content/notes/first.md` all name `content/notes/first.md`.
fn page_path(path: &str) -> String {
    let path = path.trim_matches('/').replace('\\', "/");
    let path = path.strip_prefix("content/").unwrap_or(&path);
    path.strip_suffix(".md").unwrap_or(path).to_string()
}

/// `dossier new page PATH`: `content/PATH.md` with a front-matter skeleton.
pub fn new_page(root: &Path, path: &str) -> Result<Written, Diagnostic> {
    require_dossier(root)?;
    let path = page_path(path);
    let segments: Vec<&str> = path.split('/').collect();
    if let Some(bad) = segments.iter().find(|s| !is_valid_id(s)) {
        let fixed: Vec<String> = segments
            .iter()
            .map(|s| {
                if is_valid_id(s) {
                    s.to_string()
                } else {
                    crate::text::suggest_id(s)
                }
            })
            .collect();
        return Err(Diagnostic::error(
            code::BAD_ID,
            Location::file(format!("content/{path}.md")),
            format!(
                "page path segment `{bad}` may only hold lowercase letters, digits, `-` and `_`"
            ),
        )
        .with_hint(format!("use `dossier new page {}`", fixed.join("/"))));
    }
    let rel = format!("content/{path}.md");
    let hint = "dossier never overwrites a file: choose another path";
    refuse_existing(root, &rel, "page", hint)?;
    refuse_existing(root, &format!("content/{path}/index.md"), "page", hint)?;
    let last = match segments.as_slice() {
        [.., parent, "_index"] => parent,
        [.., last] => last,
        [] => &"page",
    };
    let title = match humanise(last) {
        t if t.is_empty() || t == "Index" => "Home".to_string(),
        t => t,
    };
    let text = format!(
        "---\n\
         title: {}  # EDIT\n\
         # summary: \"One sentence, shown in lists and link previews.\"\n\
         # date: \"YYYY-MM-DD\"\n\
         # authors: []\n\
         # tags: []\n\
         # weight: 10\n\
         # toc: true\n\
         draft: true  # remove when the page is ready to publish\n\
         ---\n\
         Commentary in Markdown. Cite a source's paragraph as `[¶1](seed:<id>#p1)`, quote it as\n\
         `[“its exact words”](seed:<id>#p1)`, link a page as `[title](page:<path>)` and a glossary\n\
         entry as `[name](term:<id>)`.\n",
        quoted(&title)
    );
    let mut written = Written::new();
    create(root, &rel, text.as_bytes(), &mut written)?;
    Ok(written)
}

/// `dossier new term ID`: `content/glossary/ID.md` with term, kind and aliases to fill in.
pub fn new_term(root: &Path, id: &str) -> Result<Written, Diagnostic> {
    require_dossier(root)?;
    let rel = format!("content/glossary/{id}.md");
    if !is_valid_id(id) {
        return Err(Diagnostic::error(
            code::BAD_ID,
            Location::file(&rel),
            format!("glossary id `{id}` may only hold lowercase letters, digits, `-` and `_`"),
        )
        .with_hint(format!(
            "use `dossier new term {}`",
            crate::text::suggest_id(id)
        )));
    }
    refuse_existing(
        root,
        &rel,
        "term",
        "dossier never overwrites a file: edit the entry, or choose another id",
    )?;
    let term = id.replace(['-', '_'], " ");
    let text = format!(
        "---\n\
         term: {}  # EDIT: the name as the sources write it\n\
         aliases: []  # other names that mean the same, e.g. [\"…\"]\n\
         kind: term  # term | person | organization | place | event\n\
         ---\n\
         What the name means in this dossier, in your own words, and which sources use it.\n",
        quoted(&term)
    );
    let mut written = Written::new();
    create(root, &rel, text.as_bytes(), &mut written)?;
    Ok(written)
}
