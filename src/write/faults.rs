//! Test-only switches of the write stage, for `tests/write_faults.rs`, which sets them in a
//! child process: kill the process (`abort`) just before the k-th rename or delete that
//! replaces an output, and force the way the output is replaced. Nothing sets them in normal
//! use, where each step costs one atomic read.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

static ABORT_AT: AtomicUsize = AtomicUsize::new(0);
static STEPS: AtomicUsize = AtomicUsize::new(0);
static MODE: AtomicU8 = AtomicU8::new(0);

/// How an existing output is replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Chosen by the system: an atomic exchange where the system has one, else two renames;
    /// in place when the output is a mount point.
    Auto,
    /// Two renames (the output aside, the new one in), as on systems without an exchange.
    Renames,
    /// In place, file by file, as for a mount point.
    InPlace,
}

/// Aborts the process just before step `k` (1-based; 0 never).
pub fn abort_at(k: usize) {
    ABORT_AT.store(k, Ordering::SeqCst);
}

/// Forces how an existing output is replaced.
pub fn force(mode: Mode) {
    MODE.store(mode as u8, Ordering::SeqCst);
}

/// How many steps this process has taken.
pub fn steps() -> usize {
    STEPS.load(Ordering::SeqCst)
}

pub(super) fn mode() -> Mode {
    match MODE.load(Ordering::Relaxed) {
        1 => Mode::Renames,
        2 => Mode::InPlace,
        _ => Mode::Auto,
    }
}

/// A rename or delete is about to happen.
pub(super) fn step(what: &str) {
    let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    if n == ABORT_AT.load(Ordering::Relaxed) {
        eprintln!("fault injection: killed at step {n}, before {what}");
        std::process::abort();
    }
}
