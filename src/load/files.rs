//! Which files of the dossier are read, and how: a walk that reports every folder it cannot
//! read, every path too long for the system and every symbolic link it does not follow, and
//! reads that take only regular files, up to a size limit (a FIFO, a device or a link to
//! `/dev/zero` never hangs a build or fills its memory).

use crate::diagnostics::{code, Diagnostic, Location};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The largest sidecar read, in bytes.
pub const MAX_SIDECAR: u64 = 1 << 20;
/// The largest `dossier.yaml` read, in bytes.
pub const MAX_CONFIG: u64 = 1 << 20;
/// The largest commentary page read, in bytes.
pub const MAX_PAGE: u64 = 8 << 20;

/// A file found by [`walk`]: its path and its name.
pub(super) struct Found {
    pub path: PathBuf,
    pub name: String,
}

/// The regular files under `root/dir` (down to `max_depth`), sorted by name, names for which
/// `skipped` is true left out (folders included). With `report`, a folder that cannot be
/// read, a path too long, a symbolic link and a file that is not a regular one each become a
/// diagnostic: an error where the site would lose what is there, a warning for a link.
pub(super) fn walk(
    root: &Path,
    dir: &str,
    max_depth: usize,
    skipped: fn(&str) -> bool,
    report: Option<&mut Vec<Diagnostic>>,
) -> Vec<Found> {
    let mut sink = Vec::new();
    let diags = match report {
        Some(d) => d,
        None => &mut sink,
    };
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root.join(dir))
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().map_or_else(|| root.join(dir), Path::to_path_buf);
                let missing = e.depth() == 0
                    && e.io_error()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                if !missing {
                    diags.push(walk_error(root, &at, dir, &e));
                }
                continue;
            }
        };
        let rel = crate::paths::relative(root, entry.path());
        let kind = entry.file_type();
        if kind.is_symlink() {
            diags.push(link_skipped(&rel));
        } else if kind.is_file() {
            out.push(Found {
                name: entry.file_name().to_string_lossy().into_owned(),
                path: entry.into_path(),
            });
        } else if !kind.is_dir() {
            diags.push(not_regular(&rel));
        }
    }
    out
}

/// The system's error number for a name or path too long (`ErrorKind::InvalidFilename` is
/// newer than the crate's minimum Rust).
#[cfg(target_os = "linux")]
const ENAMETOOLONG: i32 = 36;
#[cfg(not(target_os = "linux"))]
const ENAMETOOLONG: i32 = 63;

fn walk_error(root: &Path, at: &Path, dir: &str, e: &walkdir::Error) -> Diagnostic {
    let rel = crate::paths::relative(root, at);
    let too_long = e
        .io_error()
        .and_then(std::io::Error::raw_os_error)
        .is_some_and(|n| n == ENAMETOOLONG);
    let lost = if dir == "seeds" {
        "its seeds would be missing from the site"
    } else {
        "its files would be missing from the site"
    };
    if too_long {
        Diagnostic::error(
            code::IO,
            Location::file(rel),
            "path too long for the system: what is below it cannot be read",
        )
        .with_hint(format!("{lost}; shorten the names of its folders"))
    } else {
        let reason = e
            .io_error()
            .map_or_else(|| e.to_string(), ToString::to_string);
        Diagnostic::error(
            code::IO,
            Location::file(rel),
            format!("cannot read this folder: {reason}"),
        )
        .with_hint(format!(
            "{lost}; make it readable, or move it out of {dir}/"
        ))
    }
}

/// The warning for a symbolic link that is not followed.
pub(super) fn link_skipped(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        code::LINK_SKIPPED,
        Location::file(rel),
        "symbolic link skipped: only regular files inside the dossier are read",
    )
    .with_hint("replace the link by a copy of the file or folder it points to")
}

fn not_regular(rel: &str) -> Diagnostic {
    Diagnostic::error(
        code::IO,
        Location::file(rel),
        "not a regular file (a FIFO, socket or device): it is not read",
    )
    .with_hint("replace it by a regular file, or remove it")
}

/// Why [`read`] returned no bytes.
pub(super) enum Unread {
    /// There is no such file.
    Missing,
    /// A symbolic link, not followed.
    Link,
    /// Something that cannot or must not be read: the diagnostic says what.
    Refused(Diagnostic),
}

/// The bytes of the regular file `path` (`rel` from the root), at most `limit` of them
/// (`what` names it in messages: `sidecar`, `page`, `seed`).
pub(super) fn read(path: &Path, rel: &str, what: &str, limit: u64) -> Result<Vec<u8>, Unread> {
    let refused = |message: String| {
        Unread::Refused(Diagnostic::error(code::IO, Location::file(rel), message))
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unread::Missing),
        Err(e) => return Err(refused(format!("cannot read {what}: {e}"))),
    };
    if meta.file_type().is_symlink() {
        return Err(Unread::Link);
    }
    if !meta.is_file() {
        return Err(Unread::Refused(not_regular(rel)));
    }
    let too_large = || {
        Unread::Refused(
            Diagnostic::error(
                code::IO,
                Location::file(rel),
                format!("{what} is larger than {}: it is not read", size(limit)),
            )
            .with_hint(format!("a {what} may hold at most {} bytes", limit)),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(limit.saturating_add(1)).read_to_end(&mut bytes));
    match read {
        Ok(_) if bytes.len() as u64 > limit => Err(too_large()),
        Ok(_) => Ok(bytes),
        Err(e) => Err(refused(format!("cannot read {what}: {e}"))),
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// `bytes` as UTF-8, or an error at the line and column of the first byte that is not.
pub(super) fn utf8(bytes: Vec<u8>, rel: &str, what: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let bad = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(bytes);
        // The lossy text has the same valid prefix, so `bad` is the first U+FFFD in it.
        let location = Location::span(rel, &lossy, bad..bad + '\u{fffd}'.len_utf8());
        Diagnostic::error(
            code::IO,
            location,
            format!(
                "{what} is not valid UTF-8: byte 0x{:02X} is not part of a character",
                bytes[bad]
            ),
        )
        .with_hint("save the file as UTF-8")
    })
}
