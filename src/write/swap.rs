//! Replacing the output with the finished staging folder, recoverably at every step, and
//! recovering what a killed build left beside the output.
//!
//! Where the system can exchange two folders atomically (Linux), the staging folder and the
//! output trade places in one step, so the output is always a complete site; the output's
//! `.git` then moves from the old site into the new one, and the old site is deleted. Elsewhere
//! the output is renamed aside to `.<name>.dossier-old` first. A mount point cannot be renamed:
//! its contents are replaced in place, file by file. A folder is deleted only when it carries
//! the marker (deleted last, so a half-deleted folder stays recognisable) and holds no `.git`.

use super::faults::{self, step, Mode};
use super::{io_error, Diagnostic, MARKER};
use crate::diagnostics::{code, Location};
use std::collections::HashSet;
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

/// The output folder and what lies beside it.
pub(super) struct Place<'a> {
    pub shown: &'a str,
    pub out: &'a Path,
    pub parent: &'a Path,
    pub name: &'a str,
}

impl Place<'_> {
    fn old(&self) -> PathBuf {
        self.parent.join(format!(".{}.dossier-old", self.name))
    }

    /// The prefix of a staging folder's name.
    pub fn staging_prefix(&self) -> String {
        format!(".{}.dossier-new-", self.name)
    }

    fn io(&self, what: &str, e: io::Error) -> Diagnostic {
        io_error(self.shown, what, e)
    }
}

/// Puts the complete site in `staging` where the output is.
pub(super) fn swap(place: &Place, staging: &Path) -> Result<(), Diagnostic> {
    let out = place.out;
    if !exists(out) {
        step("moving the new output in place");
        return fs::rename(staging, out).map_err(|e| place.io("move the new output in place", e));
    }
    let mode = match faults::mode() {
        Mode::Auto if is_mount_point(out, place.parent) => Mode::InPlace,
        mode => mode,
    };
    match mode {
        Mode::InPlace => return in_place(place, staging),
        Mode::Renames => return renames(place, staging),
        Mode::Auto => {}
    }
    step("exchanging the new output with the old");
    match exchange(staging, out) {
        Ok(()) => {}
        Err(e) if moves_nothing(&e) => return in_place(place, staging),
        Err(e) if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported) => {
            return renames(place, staging)
        }
        Err(e) => return Err(place.io("swap in the new output", e)),
    }
    // `staging` now holds the old output.
    keep_git(place, staging)?;
    remove_ours(staging).map_err(|e| place.io("remove the old output", e))
}

/// The output renamed aside, the new one renamed in: for systems without an exchange.
fn renames(place: &Place, staging: &Path) -> Result<(), Diagnostic> {
    let (out, old) = (place.out, place.old());
    if exists(&old) {
        return Err(in_the_way(place, &old));
    }
    step("moving the old output aside");
    match fs::rename(out, &old) {
        Ok(()) => {}
        Err(e) if moves_nothing(&e) => return in_place(place, staging),
        Err(e) => return Err(place.io("move the old output aside", e)),
    }
    step("moving the new output in place");
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(place.io("swap in the new output", e));
    }
    keep_git(place, &old)?;
    remove_ours(&old).map_err(|e| place.io("remove the old output", e))
}

/// Moves the old output's `.git` (in `from`) into the new output.
fn keep_git(place: &Place, from: &Path) -> Result<(), Diagnostic> {
    if exists(&from.join(".git")) {
        step("moving .git into the new output");
        fs::rename(from.join(".git"), place.out.join(".git"))
            .map_err(|e| place.io("keep the output's .git", e))?;
    }
    Ok(())
}

/// Replaces the output's contents by the staging folder's, file by file, for an output that
/// cannot be renamed (a mount point): the marker first (an interrupted update leaves a folder
/// the next build finishes), then every new file (each one renamed over the old, or copied
/// there and renamed when the staging folder is on another file system), then every file the
/// new site does not have; `.git` and the marker are kept.
fn in_place(place: &Place, staging: &Path) -> Result<(), Diagnostic> {
    let out = place.out;
    let io = |what: &str, e| place.io(what, e);
    if !out.join(MARKER).is_file() {
        step("marking the output");
        fs::write(out.join(MARKER), super::MARKER_TEXT).map_err(|e| io("mark the output", e))?;
    }
    let mut keep: HashSet<PathBuf> = [PathBuf::from(MARKER), PathBuf::from(".git")].into();
    let walk = walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| io("read the new output", e.into()))?;
        let rel = entry.path().strip_prefix(staging).unwrap_or(entry.path());
        if keep.contains(rel) {
            continue;
        }
        keep.insert(rel.to_path_buf());
        let target = out.join(rel);
        let there = fs::symlink_metadata(&target).ok();
        let shown = rel.display();
        if entry.file_type().is_dir() {
            if there.as_ref().is_some_and(|m| m.is_dir()) {
                continue;
            }
            if there.is_some() {
                step("removing a file where a folder goes");
                fs::remove_file(&target).map_err(|e| io(&format!("remove {shown}"), e))?;
            }
            fs::create_dir(&target).map_err(|e| io(&format!("create {shown}"), e))?;
        } else {
            if there.is_some_and(|m| m.is_dir()) {
                step("removing a folder where a file goes");
                fs::remove_dir_all(&target).map_err(|e| io(&format!("remove {shown}"), e))?;
            }
            step("moving a file into the output");
            move_file(entry.path(), &target).map_err(|e| io(&format!("write {shown}"), e))?;
        }
    }
    prune(out, Path::new(""), &keep).map_err(|e| io("remove an old file of the output", e))?;
    remove_ours(staging).map_err(|e| io("remove the temporary folder", e))
}

/// Removes what is under `out/rel` and not in `keep`.
fn prune(out: &Path, rel: &Path, keep: &HashSet<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(out.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel = rel.join(entry.file_name());
        let is_dir = entry.file_type()?.is_dir();
        if rel == Path::new(".git") || rel == Path::new(MARKER) {
            continue;
        }
        if keep.contains(&rel) {
            if is_dir {
                prune(out, &rel, keep)?;
            }
            continue;
        }
        step("removing an old file of the output");
        match is_dir {
            true => fs::remove_dir_all(entry.path())?,
            false => fs::remove_file(entry.path())?,
        }
    }
    Ok(())
}

/// Renames `from` over `to`, or copies it beside `to` and renames the copy over it when the
/// two are on different file systems.
fn move_file(from: &Path, to: &Path) -> io::Result<()> {
    match fs::rename(from, to) {
        Err(e) if e.kind() == ErrorKind::CrossesDevices => {
            let name = to.file_name().unwrap_or_default().to_string_lossy();
            let copy = to.with_file_name(format!(".{name}.dossier-copy"));
            fs::copy(from, &copy)?;
            fs::rename(&copy, to)
        }
        done => done,
    }
}

/// Deletes a folder of dossier's own: everything but the marker, then the marker, then the
/// folder. Killed halfway, it leaves a folder that still carries the marker (or is empty). A
/// folder holding a `.git` is never deleted.
pub(super) fn remove_ours(dir: &Path) -> io::Result<()> {
    if exists(&dir.join(".git")) {
        return Err(io::Error::other("it holds a .git folder"));
    }
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries.iter().filter(|e| e.file_name() != MARKER) {
        step("deleting part of a folder of dossier's");
        match entry.file_type()?.is_dir() {
            true => fs::remove_dir_all(entry.path())?,
            false => fs::remove_file(entry.path())?,
        }
    }
    if exists(&dir.join(MARKER)) {
        step("deleting the marker of a folder of dossier's");
        fs::remove_file(dir.join(MARKER))?;
    }
    step("deleting a folder of dossier's");
    fs::remove_dir(dir)
}

/// What killed builds left beside the output, dealt with before a build writes anything (the
/// lock is held, so no build is using them): the old output is put back when the output is
/// missing, a `.git` is moved back into the output, and the rest of every folder carrying the
/// marker is deleted. Folders without the marker are not dossier's and are left alone.
pub(super) fn recover(place: &Place) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut notes = Vec::new();
    let prefix = place.staging_prefix();
    let mut leftovers = vec![place.old()];
    if let Ok(dir) = fs::read_dir(place.parent) {
        let mut staging: Vec<PathBuf> = dir
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path())
            .collect();
        staging.sort();
        leftovers.extend(staging);
    }
    let note = |path: &Path, what: &str| {
        let message = format!("{}, left by an interrupted build: {what}", path.display());
        Diagnostic::warning(code::OUTPUT_RECOVERED, Location::file(place.shown), message)
    };
    for left in leftovers {
        let Ok(meta) = fs::symlink_metadata(&left) else {
            continue;
        };
        let io = |what: &str, e| place.io(&format!("{what} {}", left.display()), e);
        if !meta.is_dir() || !exists(&left.join(MARKER)) {
            // Not dossier's, or emptied up to its marker: only an empty folder is removed.
            if !meta.is_dir() || fs::remove_dir(&left).is_err() {
                notes.push(
                    Diagnostic::warning(
                        code::OUTPUT_RECOVERED,
                        Location::file(place.shown),
                        format!(
                            "{} is not dossier's (it has no {MARKER} marker): left alone",
                            left.display()
                        ),
                    )
                    .with_hint("dossier uses this name beside the output: move or rename it"),
                );
            }
            continue;
        }
        if left == place.old() && !exists(place.out) {
            step("putting the old output back");
            fs::rename(&left, place.out).map_err(|e| io("put back the old output from", e))?;
            notes.push(note(&left, "the previous output was put back"));
            continue;
        }
        if exists(&left.join(".git")) {
            if exists(&place.out.join(".git")) || !place.out.is_dir() {
                return Err(git_stuck(place, &left));
            }
            step("moving .git back into the output");
            fs::rename(left.join(".git"), place.out.join(".git"))
                .map_err(|e| io("move .git back from", e))?;
            notes.push(note(&left, "its .git was moved back into the output"));
        }
        remove_ours(&left).map_err(|e| io("remove", e))?;
        notes.push(note(&left, "removed"));
    }
    Ok(notes)
}

/// A folder of the old output's name that is not dossier's.
fn in_the_way(place: &Place, old: &Path) -> Diagnostic {
    Diagnostic::error(
        code::OUTPUT_IN_THE_WAY,
        Location::file(place.shown),
        format!(
            "cannot move the old output aside: {} is in the way and is not dossier's",
            old.display()
        ),
    )
    .with_hint("move or rename that folder, then build again")
}

/// A leftover holding a `.git` that cannot go back into the output.
fn git_stuck(place: &Place, left: &Path) -> Diagnostic {
    let why = match place.out.is_dir() {
        true => format!("{} has one too", place.shown),
        false => format!("{} is not a folder", place.shown),
    };
    Diagnostic::error(
        code::OUTPUT_IN_THE_WAY,
        Location::file(place.shown),
        format!(
            "{}, left by an interrupted build, holds a .git folder, and {why}: both are left alone",
            left.display()
        ),
    )
    .with_hint("keep the .git you want, delete the other, then build again")
}

/// Whether `path` exists, without following a last symbolic link.
pub(super) fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A rename that fails because the output is a mount point (busy) or on another file system
/// than its parent: nothing moved, and the output is updated in place instead.
fn moves_nothing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ResourceBusy | ErrorKind::CrossesDevices
    )
}

#[cfg(unix)]
fn is_mount_point(out: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(out), fs::metadata(parent)) {
        (Ok(a), Ok(b)) => a.dev() != b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &Path) -> bool {
    false
}

/// Exchanges two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(ErrorKind::Unsupported))
}
