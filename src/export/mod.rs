//! Exports: the dossier's own files and its built site, packaged for keeping elsewhere. An
//! export reads the dossier through the library's compile (so a dossier with errors, a seed
//! failing fixity among them, exports nothing) and through `load`'s naming rules, and writes
//! only inside its target folder: into a temporary folder beside it, renamed into place when
//! complete.
//!
//! Which files of the root are the dossier's: `dossier.yaml`, and every file under `content/`,
//! `seeds/`, `static/` and `themes/`, except hidden names and `~` backups (skipped everywhere,
//! as a build skips them). Anything else at the root (a README, the output folder, `.git/`,
//! `target/`, `node_modules/`) is not part of the dossier.

pub mod bagit;

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::assets::is_skipped;
use std::fs;
use std::path::{Path, PathBuf};

/// The folders of the root that hold the dossier's sources, in the order they are walked.
pub const FOLDERS: [&str; 4] = ["content", "seeds", "static", "themes"];

/// One file of the dossier: its path relative to the root (`/`-separated) and where it is.
pub struct SourceFile {
    /// `seeds/report.txt`, `dossier.yaml`, …
    pub rel: String,
    /// The file on disk.
    pub path: PathBuf,
}

/// The dossier's files, sorted by path. Symbolic links and other non-regular files, and names
/// that are not UTF-8, are left out with warning W701 (never silently).
pub fn dossier_files(root: &Path, diags: &mut Diagnostics) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let config = root.join(crate::config::FILE);
    if config.is_file() {
        files.push(SourceFile {
            rel: crate::config::FILE.to_string(),
            path: config,
        });
    }
    for folder in FOLDERS {
        let walk = walkdir::WalkDir::new(root.join(folder))
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped(&e.file_name().to_string_lossy()));
        for entry in walk.filter_map(Result::ok) {
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let shown = rel.to_string_lossy().replace('\\', "/");
            let skip = |message: String, hint: &str| {
                Diagnostic::warning(code::EXPORT_SKIPPED, Location::file(&shown), message)
                    .with_hint(hint.to_string())
            };
            let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
                diags.push(skip(
                    format!("{shown}: the file's name is not UTF-8; it is left out of the export"),
                    "rename it: a bag's manifests name files in UTF-8",
                ));
                continue;
            };
            if kind.is_symlink() {
                diags.push(skip(
                    format!("{rel} is a symbolic link; it is left out of the export"),
                    "an export holds files, not links: put the file itself there if it belongs to the dossier",
                ));
            } else if !kind.is_file() {
                diags.push(skip(
                    format!("{rel} is not a regular file; it is left out of the export"),
                    "only regular files are exported",
                ));
            } else {
                files.push(SourceFile {
                    rel,
                    path: entry.into_path(),
                });
            }
        }
    }
    files
}

/// The target folder of an export, checked: new or empty, a folder, and not among the
/// dossier's sources (where the next export would take it in).
pub struct Target {
    shown: String,
    path: PathBuf,
}

impl Target {
    /// Checks `target` for the dossier at `root`; every refusal is error E700.
    pub fn check(root: &Path, target: &Path) -> Result<Target, Diagnostic> {
        let shown = target.display().to_string();
        let path = crate::paths::absolute(target);
        let root = crate::paths::absolute(root);
        let t = Target { shown, path };
        if path_is_source(&root, &t.path) {
            return Err(t.refuse(
                format!("refusing to export into {}: it is part of the dossier's sources", t.shown),
                "choose a folder outside dossier.yaml, content/, seeds/, static/ and themes/, such as `bag`",
            ));
        }
        if t.path.exists() || t.path.is_symlink() {
            if !t.path.is_dir() || t.path.is_symlink() {
                return Err(t.refuse(
                    format!(
                        "refusing to export into {}: it exists and is not a folder",
                        t.shown
                    ),
                    "choose a new or empty folder",
                ));
            }
            let non_empty = fs::read_dir(&t.path)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true);
            if non_empty {
                return Err(t.refuse(
                    format!("refusing to export into {}: it is not empty", t.shown),
                    "an export is written only into a new or empty folder: choose another, or move its contents away yourself",
                ));
            }
        }
        Ok(t)
    }

    fn refuse(&self, message: String, hint: &str) -> Diagnostic {
        Diagnostic::error(code::EXPORT, Location::file(&self.shown), message)
            .with_hint(hint.to_string())
    }

    fn io(&self, what: &str, e: std::io::Error) -> Diagnostic {
        self.refuse(
            format!("cannot {what}: {e}"),
            "check permissions and free space",
        )
    }

    /// Writes `files` (path relative to the target, `/`-separated → bytes) into a temporary
    /// folder beside the target, then renames it into place. On any failure the temporary
    /// folder is removed and the target is left as it was.
    pub fn write_all<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<(), Diagnostic> {
        let parent = self.path.parent().ok_or_else(|| {
            self.refuse(
                format!(
                    "refusing to export into {}: it has no parent folder",
                    self.shown
                ),
                "choose a new or empty folder",
            )
        })?;
        fs::create_dir_all(parent).map_err(|e| {
            self.io(
                &format!("create the target's parent folder {}", parent.display()),
                e,
            )
        })?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.dossier-export-"))
            .tempdir_in(parent)
            .map_err(|e| self.io("create a temporary folder beside the target", e))?;
        for (rel, bytes) in files {
            let inside = Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !inside {
                return Err(self.refuse(
                    format!("refusing to write `{rel}` outside the target folder"),
                    "this is a bug in dossier",
                ));
            }
            let path = staging.path().join(rel);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder)
                    .map_err(|e| self.io(&format!("create the folder of {rel}"), e))?;
            }
            fs::write(&path, bytes).map_err(|e| self.io(&format!("write {rel}"), e))?;
        }
        let was_folder = self.path.is_dir();
        if was_folder {
            // Checked empty above; `remove_dir` fails if something appeared since.
            fs::remove_dir(&self.path)
                .map_err(|e| self.io("replace the empty target folder", e))?;
        }
        let staged = staging.keep();
        fs::rename(&staged, &self.path).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            if was_folder {
                let _ = fs::create_dir(&self.path);
            }
            self.io("move the export into place", e)
        })
    }
}

/// Whether `path` is the configuration, or in (or is) one of the source folders.
fn path_is_source(root: &Path, path: &Path) -> bool {
    path == root.join(crate::config::FILE)
        || FOLDERS
            .iter()
            .any(|folder| path.starts_with(root.join(folder)))
}
