//! Files published as they are: the dossier's root `static/` folder (copied to the site root,
//! over the theme's static files) and page assets, the non-Markdown files of a page folder in
//! `content/` (a folder with an `index.md` or `_index.md`), published beside that page.
//!
//! Hidden files and folders (`.DS_Store`, `.gitkeep`, `.git/`) and backup files (`name~`) are
//! skipped everywhere, as git users expect; any other file of `content/` that is not
//! published is a warning.

use crate::diagnostics::{code, Diagnostic, Location};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// The folder of files copied to the site root.
pub const STATIC: &str = "static";

/// One published file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Asset {
    /// Where it comes from, relative to the root (`static/logo.svg`, `content/notes/x/map.png`).
    pub file: String,
    /// Its bytes, published unchanged.
    pub bytes: Arc<[u8]>,
}

/// Every file published as it is, and the files of `content/` that are not.
#[derive(Clone, Debug, Default)]
pub struct Assets {
    /// Output path (relative to the site root, `/`-separated) → the file.
    pub published: BTreeMap<String, Asset>,
    /// Source file (relative to the root) → its output path.
    pub by_file: BTreeMap<String, String>,
    /// Files of `content/` that are not in a page folder, relative to the root.
    pub unpublished: BTreeSet<String>,
}

/// Whether a file or folder name is skipped without a word: hidden, or an editor's backup.
pub fn is_skipped(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~')
}

/// Reads `static/` and the page assets of `content/`.
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Assets {
    let mut assets = Assets::default();
    for (rel, _) in walk(root, STATIC, Some(&mut *diags)) {
        let out = rel[STATIC.len() + 1..].to_string();
        if let Some(bytes) = read(root, &rel, diags) {
            assets.by_file.insert(rel.clone(), out.clone());
            assets.published.insert(out, Asset { file: rel, bytes });
        }
    }
    // Its problems are reported by the walk for pages.
    let files = walk(root, "content", None);
    // Folders holding Markdown directly, and those holding the page of their own URL.
    let mut with_markdown = BTreeSet::new();
    let mut page_folders = BTreeSet::new();
    for (rel, name) in &files {
        if name.ends_with(".md") {
            let dir = parent(rel);
            with_markdown.insert(dir);
            if name == "index.md" || name == "_index.md" {
                page_folders.insert(dir);
            }
        }
    }
    for (rel, name) in &files {
        if name.ends_with(".md") {
            continue;
        }
        // The nearest folder up that holds Markdown decides: a page folder publishes it.
        let mut dir = parent(rel);
        while !with_markdown.contains(dir) && dir != "content" {
            dir = parent(dir);
        }
        if !page_folders.contains(dir) {
            diags.push(
                Diagnostic::warning(
                    code::UNPUBLISHED,
                    Location::file(rel.as_str()),
                    format!("not published: {dir}/ is not a page folder (it has no index.md or _index.md)"),
                )
                .with_hint("move the file to static/, or into the folder of the page that shows it"),
            );
            assets.unpublished.insert(rel.clone());
            continue;
        }
        let out = rel["content/".len()..].to_string();
        let Some(bytes) = read(root, rel, diags) else {
            continue;
        };
        if let Some(other) = assets.published.get(&out) {
            diags.push(
                Diagnostic::error(
                    code::COLLISION,
                    Location::file(rel.as_str()),
                    format!("{rel} and {} are both published as /{out}", other.file),
                )
                .with_hint("rename or remove one of them"),
            );
            // Links to it still resolve: the one error is the collision.
            assets.by_file.insert(rel.clone(), out);
            continue;
        }
        assets.by_file.insert(rel.clone(), out.clone());
        assets.published.insert(
            out,
            Asset {
                file: rel.clone(),
                bytes,
            },
        );
    }
    assets
}

/// The files under `root/dir` (relative to the root, with their names), sorted, skipped
/// names left out; what cannot be read and links reported into `report`.
fn walk(root: &Path, dir: &str, report: Option<&mut Vec<Diagnostic>>) -> Vec<(String, String)> {
    super::files::walk(root, dir, usize::MAX, is_skipped, report)
        .into_iter()
        .map(|f| (crate::paths::relative(root, &f.path), f.name))
        .collect()
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn read(root: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<Arc<[u8]>> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => Some(bytes.into()),
        Err(e) => {
            diags.push(Diagnostic::error(
                code::IO,
                Location::file(rel),
                format!("cannot read: {e}"),
            ));
            None
        }
    }
}
