//! A rebuild that panics must not end the preview: [`compile`] runs a session's compile under
//! `catch_unwind` and turns a panic into an "internal error" diagnostic, shown like any failed
//! build, with the session replaced by a fresh one (its caches may be half-updated).

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::model::Dossier;
use crate::render::Site;
use crate::Session;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};

/// Test-only: makes a rebuild panic when it returns true for the dossier's root, to check
/// that the preview survives. Settable only through the library, never from the command line.
#[doc(hidden)]
#[derive(Clone)]
pub struct FaultHook(pub Arc<dyn Fn(&Path) -> bool + Send + Sync>);

impl std::fmt::Debug for FaultHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaultHook")
    }
}

thread_local! {
    /// Set while this thread runs a guarded compile.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}
/// Guarded compiles running in the process: their rayon workers' panics are theirs too.
static GUARDS: AtomicUsize = AtomicUsize::new(0);
/// Where the last quieted panic happened (`file:line:col`).
static LAST_LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the panic hook, once per process, by one that stays silent for panics of a guarded
/// compile (on its thread, or on a rayon worker while one runs) and records where they
/// happened, so the terminal shows one diagnostic instead of a panic report. Every other panic
/// goes to the previous hook, as does every panic when `RUST_BACKTRACE` asks for details.
fn quiet_guarded_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let guarded = GUARDED.with(Cell::get)
                || GUARDS.load(Ordering::SeqCst) > 0 && rayon::current_thread_index().is_some();
            let details = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
            if guarded {
                if let Some(l) = info.location() {
                    *LAST_LOCATION.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some(format!("{}:{}:{}", l.file(), l.line(), l.column()));
                }
            }
            if !guarded || details {
                previous(info);
            }
        }));
    });
}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// The compile's result, or, when it panicked, no site and one internal error located at
/// `trigger` (the file whose change started the rebuild). The session is then replaced.
pub(crate) fn compile(
    session: &mut Session,
    fault: Option<&FaultHook>,
    trigger: &str,
) -> (Option<(Dossier, Site)>, Diagnostics) {
    quiet_guarded_panics();
    GUARDED.with(|g| g.set(true));
    GUARDS.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(|| {
        if fault.is_some_and(|f| (f.0)(&session.options.load.root)) {
            panic!("fault injected by the test hook");
        }
        session.compile()
    }));
    GUARDS.fetch_sub(1, Ordering::SeqCst);
    GUARDED.with(|g| g.set(false));
    let payload = match result {
        Ok(compiled) => return compiled,
        Err(payload) => payload,
    };
    *session = Session::new(session.options.clone());
    let location = LAST_LOCATION
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let mut message = payload_message(&*payload);
    if let Some(at) = location {
        message.push_str(&format!(" (at {at})"));
    }
    crashed(trigger, &message)
}

/// No site, and one internal error located at `trigger` saying `what` went wrong.
pub(crate) fn crashed(trigger: &str, what: &str) -> (Option<(Dossier, Site)>, Diagnostics) {
    let mut diags = Diagnostics::default();
    diags.push(
        Diagnostic::error(
            code::INTERNAL,
            Location::file(trigger),
            format!("internal error: {what}"),
        )
        .with_hint(
            "this is a bug in dossier, not in your files: please report it with this message \
             and the change that caused it; the preview keeps the last good build and starts \
             afresh on the next save",
        ),
    );
    (None, diags)
}
