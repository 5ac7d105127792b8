//! One build at a time per output folder: an advisory lock on `.<name>.dossier-lock` beside the
//! output, holding the builder's process id. The system releases it when the process ends,
//! however it ends, so a killed build never leaves a lock that blocks the next one; the file is
//! removed by the build that holds it when it is done.

use super::{io_error, Diagnostic};
use crate::diagnostics::{code, Location};
use std::fs::{self, File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock on an output folder, released (and its file removed) when dropped.
pub struct Lock {
    path: PathBuf,
    /// Held open: the lock lives as long as this handle.
    _file: File,
}

impl Lock {
    /// Takes the lock for the output `<parent>/<name>`, or says which process holds it.
    pub fn acquire(parent: &Path, name: &str, shown: &str) -> Result<Lock, Diagnostic> {
        let path = parent.join(format!(".{name}.dossier-lock"));
        let io = |e| io_error(shown, "lock the output folder", e);
        // A holder removes the file as it finishes: a handle on a file that is no longer at
        // the path locks nothing anyone else sees, so open again (a few times at most).
        for _ in 0..16 {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(held(shown, &path, &mut file)),
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0).map_err(io)?;
            write!(file, "{}", std::process::id()).map_err(io)?;
            return Ok(Lock { path, _file: file });
        }
        Err(io(std::io::Error::other(
            "the lock file keeps being replaced",
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock the file as it goes.
        let _ = fs::remove_file(&self.path);
    }
}

/// The diagnostic for a lock held by another build, with its process id when it wrote one.
fn held(shown: &str, path: &Path, file: &mut File) -> Diagnostic {
    let mut text = String::new();
    let _ = file.rewind().and_then(|_| file.read_to_string(&mut text));
    let pid = text.trim().parse::<u32>().ok();
    let message = match pid {
        Some(pid) => format!("another build is writing {shown} (pid {pid})"),
        None => format!("another build is writing {shown}"),
    };
    Diagnostic::error(code::OUTPUT_LOCKED, Location::file(shown), message).with_hint(format!(
        "wait for it to finish; if no build is running, another program holds {}",
        path.display()
    ))
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.is_file()
}
