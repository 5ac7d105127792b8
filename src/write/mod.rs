//! Stage 4, write: the rendered site goes to the output folder, all or nothing. The site is
//! written to a temporary folder beside the output and swapped in only when complete
//! (`swap`); the tool replaces only a folder that carries its marker file (keeping a `.git`
//! inside it), deletes only folders of its own making that carry the marker, never writes
//! outside the output folder, and writes one build at a time ([`lock`]). Files whose bytes did
//! not change are hard-linked from the current output instead of written again.

use crate::diagnostics::{code, Diagnostic, Location};
use crate::render::Site;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[doc(hidden)]
pub mod faults;
pub mod lock;
mod swap;

/// The marker file that says "dossier made this folder; it may be replaced".
pub const MARKER: &str = ".dossier-output";

const MARKER_TEXT: &str =
    "This folder is the output of `dossier build`. It is replaced on every build.\n";

/// Writes `site` to `output`. `root` is the dossier's root, which is never replaced.
pub fn write_site(root: &Path, output: &Path, site: &Site) -> Result<usize, Diagnostic> {
    Staging::open(root, output)?.finish(site)
}

/// The output being written: the refusal rules passed, the lock taken, what killed builds left
/// dealt with, a temporary folder beside the output that files go to as they are made
/// ([`put`](Staging::put), from any thread), and swapped in by [`finish`](Staging::finish).
/// Dropped unfinished, it is removed and the output is untouched.
pub struct Staging {
    shown: String,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// The staging folder; `None` once finished.
    dir: Option<PathBuf>,
    /// The folders above the output that `open` had to make (removed again if unfinished).
    created: Vec<PathBuf>,
    /// The current output, when it is one of ours: unchanged files are hard-linked from it.
    previous: Option<PathBuf>,
    /// Folders made so far (relative), each made once.
    folders: Mutex<HashSet<PathBuf>>,
    written: AtomicUsize,
    lock: Option<lock::Lock>,
    /// Warnings about what killed builds left, for [`take_warnings`](Staging::take_warnings).
    warnings: Vec<Diagnostic>,
}

impl Staging {
    /// Checks the refusal rules, takes the lock, deals with what killed builds left beside the
    /// output, and makes the temporary folder beside `output`.
    pub fn open(root: &Path, output: &Path) -> Result<Staging, Diagnostic> {
        let shown = output.display().to_string();
        let refuse = |message: String, hint: &str| refusal(&shown, message, hint);
        // Compared as the system sees them, so a symbolic link cannot lead into the sources.
        let out = resolved(output);
        let root = resolved(root);
        if root.starts_with(&out) {
            return Err(refuse(
                format!("refusing to write the site to {shown}: it holds the dossier itself"),
                "choose an output folder inside the dossier, such as `public`",
            ));
        }
        for kept in ["seeds", "content", "themes", "static"] {
            if out.starts_with(root.join(kept)) || out.starts_with(resolved(&root.join(kept))) {
                return Err(refuse(
                    format!(
                        "refusing to write the site into {kept}/, which holds the dossier's sources"
                    ),
                    "choose an output folder such as `public`",
                ));
            }
        }
        // A link that is left after resolving leads nowhere.
        if swap::exists(&out) && !out.is_dir() {
            return Err(refuse(
                format!("{shown} exists and is not a folder"),
                "remove it or choose another output folder",
            ));
        }
        let io = |what: &str, e: std::io::Error| io_error(&shown, what, e);
        let parent = out
            .parent()
            .ok_or_else(|| {
                refuse(
                    format!("{shown} has no parent folder"),
                    "choose another output folder",
                )
            })?
            .to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let created: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|a| !a.exists())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(&parent).map_err(|e| io("create the output's parent folder", e))?;
        // From here on, a refusal drops the staging and with it the lock and made folders.
        let mut staging = Staging {
            shown: shown.clone(),
            out,
            parent,
            name,
            dir: None,
            created,
            previous: None,
            folders: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            lock: None,
            warnings: Vec::new(),
        };
        staging.lock = Some(lock::Lock::acquire(&staging.parent, &staging.name, &shown)?);
        staging.warnings = swap::recover(&staging.place())?;
        let out = &staging.out;
        if out.exists() {
            let non_empty = fs::read_dir(out)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true);
            if non_empty && !out.join(MARKER).is_file() {
                return Err(refuse(
                    format!(
                        "refusing to replace {shown}: it is not empty and was not created by dossier"
                    ),
                    "choose an empty or new output folder, or move its contents away yourself",
                ));
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(&staging.place().staging_prefix())
            .tempdir_in(&staging.parent)
            .map_err(|e| io("create a temporary folder beside the output", e))?
            .keep();
        staging.dir = Some(dir);
        // Marked at once: what a killed build leaves is recognisably dossier's.
        fs::write(staging.staging().join(MARKER), MARKER_TEXT)
            .map_err(|e| io("write the marker file", e))?;
        staging.previous = out.join(MARKER).is_file().then(|| out.clone());
        Ok(staging)
    }

    fn place(&self) -> swap::Place<'_> {
        swap::Place {
            shown: &self.shown,
            out: &self.out,
            parent: &self.parent,
            name: &self.name,
        }
    }

    /// The warnings of `open` (leftovers of killed builds recovered, removed or left alone),
    /// once.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    fn staging(&self) -> &Path {
        self.dir.as_deref().expect("not finished")
    }

    /// Refuses a path that would leave the output folder (`..`, absolute, a prefix).
    fn inside(&self, rel: &str) -> Result<(), Diagnostic> {
        let outside = Path::new(rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
        if outside {
            return Err(refusal(
                &self.shown,
                format!("refusing to write `{rel}` outside the output folder"),
                "this is a bug in the theme or in dossier",
            ));
        }
        Ok(())
    }

    /// Writes one file of the site (`rel`: relative, `/`-separated) into the staging folder,
    /// or hard-links it from the current output when its bytes are unchanged (much less for
    /// the file system to do, and its modification time is kept).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.inside(rel)?;
        let io = |what: &str, e: std::io::Error| io_error(&self.shown, what, e);
        if let Some(folder) = Path::new(rel).parent() {
            let made = self
                .folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !made {
                fs::create_dir_all(self.staging().join(folder))
                    .map_err(|e| io(&format!("create the folder {}", folder.display()), e))?;
                self.folders
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_path_buf());
            }
        }
        let path = self.staging().join(rel);
        self.written.fetch_add(1, Ordering::Relaxed);
        if let Some(old) = self.previous.as_ref().map(|p| p.join(rel)) {
            if unchanged(&old, bytes) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        write_new(&path, bytes).map_err(|e| io(&format!("write {rel}"), e))
    }

    /// Writes the files of `site` not written yet, then the marker, and swaps the staging
    /// folder in for the output (keeping the output's `.git`). Returns how many files the
    /// output holds.
    pub fn finish(mut self, site: &Site) -> Result<usize, Diagnostic> {
        // Paths first, all of them, so nothing is written when one is refused.
        for rel in site.files.keys() {
            self.inside(rel)?;
        }
        // In parallel: the file system is the cost.
        site.files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.put(rel, bytes))?;
        let written = self.written.load(Ordering::Relaxed);
        let staging = self.dir.take().expect("not finished");
        if let Err(e) = swap::swap(&self.place(), &staging) {
            // Unless the swap got that far, the output is untouched: drop the new site.
            if swap::exists(&staging) {
                let _ = swap::remove_ours(&staging);
            }
            return Err(e);
        }
        faults::step("removing the lock file");
        self.lock.take();
        self.created.clear();
        Ok(written)
    }
}

/// Writes `bytes` to a new file at `path`. A file already there (a path given twice, after an
/// error) is removed first, never written through: it may be a hard link to the current output.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)?
        }
        file => file?,
    };
    file.write_all(bytes)
}

/// Drops a staging folder that was not finished, and the folders `open` made to hold it
/// (only those still empty): a build with errors leaves the disk as it found it.
impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = swap::remove_ours(&dir);
        }
        self.lock.take();
        for folder in self.parent.ancestors() {
            if !self.created.iter().any(|c| c == folder) || fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// `path` made absolute as the system sees it: every symbolic link of the part that exists
/// resolved (the rest, not made yet, cannot be a link).
fn resolved(path: &Path) -> PathBuf {
    let path = crate::paths::absolute(path);
    let mut rest = Vec::new();
    let mut base = path.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(base) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return path,
        }
    }
}

fn refusal(shown: &str, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(code::OUTPUT, Location::file(shown), message).with_hint(hint.to_string())
}

fn io_error(shown: &str, what: &str, e: std::io::Error) -> Diagnostic {
    refusal(
        shown,
        format!("cannot {what}: {e}"),
        "check permissions and free space",
    )
}

/// Whether `path` is a plain file (not a link to elsewhere) holding exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}
