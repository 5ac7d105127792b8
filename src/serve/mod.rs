//! `dossier serve`: the live preview. Three parts, one file each: [`watch`] turns file-system
//! events into "something changed", this module rebuilds with a [`Session`] (reusing what is
//! unchanged) and keeps the last good site in memory, and `http` serves it under the site's
//! base path with a live-reload channel. Nothing is written to disk: the deployment output
//! folder is never touched.

mod client;
mod guard;
mod http;
mod net;
pub mod watch;

#[doc(hidden)]
pub use guard::FaultHook;
pub use net::{
    HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_HEADERS, MAX_HEADER_BYTES, MAX_STREAMS, WRITE_TIMEOUT,
};

use crate::diagnostics::Diagnostics;
use crate::render::Site;
use crate::{BuildOptions, Session};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What `dossier serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// What each rebuild does; its `output` is unused, since nothing is written.
    pub build: BuildOptions,
    /// The address to listen on (`--bind`); `127.0.0.1`, local only, by default.
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Poll the file system instead of native events.
    pub poll: bool,
    /// How long a file's event waits before it is delivered: the quiet gap that gathers one
    /// save's several events (truncate, write, rename) into one rebuild. Events that arrive
    /// during a rebuild start another one, and a rebuild with newer events waiting announces
    /// nothing, so the gap can be short.
    pub debounce: Duration,
    /// How long a rebuild may run before the open pages say it is still running (the last good
    /// site is served meanwhile).
    pub rebuild_budget: Duration,
    /// Test-only: see [`FaultHook`].
    #[doc(hidden)]
    pub fault: Option<FaultHook>,
}

/// The default [`ServeOptions::rebuild_budget`]: a rebuild of a large dossier takes a second or
/// two; past this, something (a template that loops, a huge file) is wrong or slow.
pub const REBUILD_BUDGET: Duration = Duration::from_secs(5);

impl ServeOptions {
    /// Serves `build` on 127.0.0.1:1111 with native events and a 15 ms quiet gap (a save's
    /// later events that miss it rebuild to the same site, which announces nothing).
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build,
            bind: "127.0.0.1".into(),
            port: 1111,
            poll: false,
            debounce: Duration::from_millis(15),
            rebuild_budget: REBUILD_BUDGET,
            fault: None,
        }
    }
}

/// What the server shows: the last good site and, when the last rebuild failed, its errors.
pub(crate) struct State {
    pub site: Site,
    pub base_path: String,
    pub errors: Option<Diagnostics>,
    /// While a rebuild runs past its budget: what the pages say about it.
    pub slow: Option<String>,
    /// `instance-generation`: changes on every rebuild and every server start.
    pub version: String,
}

/// A message to the open pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Reload,
    Css,
    Failed,
    /// A rebuild runs past its budget: the pages reload to say so.
    Slow,
}

pub(crate) struct Shared {
    pub state: RwLock<State>,
    pub clients: Mutex<Vec<tokio::sync::mpsc::Sender<(Event, String)>>>,
    pub stop: AtomicBool,
}

impl Shared {
    fn broadcast(&self, event: Event) {
        let version = self.state().version.clone();
        // A page that has not read its last events has them waiting: it drops this one, never
        // blocking the rebuild; a closed stream is forgotten.
        self.clients().retain(|c| {
            !matches!(
                c.try_send((event.clone(), version.clone())),
                Err(tokio::sync::mpsc::error::TrySendError::Closed(_))
            )
        });
    }

    // A thread that panicked holding a lock poisons it. Every write under these locks is a
    // whole-field assignment, so the value is usable: recover it rather than stop serving.

    pub(crate) fn state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn state_mut(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn clients(
        &self,
    ) -> std::sync::MutexGuard<'_, Vec<tokio::sync::mpsc::Sender<(Event, String)>>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running preview server.
pub struct Server {
    /// The address bound; its port is the one chosen when 0 was asked for.
    pub addr: SocketAddr,
    /// The URL of the site's home page.
    pub url: String,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    /// Rebuilds done, with how long each took from the first event to the broadcast.
    pub rebuilds: Arc<Mutex<Vec<Duration>>>,
}

impl Server {
    /// Blocks until the server stops.
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Stops serving and watching.
    pub fn stop(mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Builds the site, starts watching and serving. Fails (with a sentence to show the user) when
/// the address cannot be bound. A first build with errors still starts the server, showing them.
pub fn start(options: ServeOptions) -> Result<Server, String> {
    let mut session = Session::new(options.build.clone());
    let budget = options.rebuild_budget;
    let (compiled, diags) = compile_within(
        &mut session,
        options.fault.as_ref(),
        "dossier.yaml",
        budget,
        || {
            eprintln!(
                "still building after {}: a theme template may loop, or a file may be very large",
                seconds(budget)
            )
        },
    );
    eprint!("{}", diags.render_human());
    let base_path = compiled
        .as_ref()
        .map(|(d, _)| d.base.path.clone())
        .unwrap_or_else(|| "/".into());
    let instance = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let shared = Arc::new(Shared {
        state: RwLock::new(State {
            errors: compiled.is_none().then_some(diags),
            site: compiled.map(|(_, s)| s).unwrap_or_default(),
            base_path: base_path.clone(),
            slow: None,
            version: format!("{instance}-0"),
        }),
        clients: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
    });

    let addr = match options.bind.parse::<std::net::Ipv6Addr>() {
        Ok(_) => format!("[{}]:{}", options.bind, options.port),
        Err(_) => format!("{}:{}", options.bind, options.port),
    };
    let (listener, local) = net::bind(&addr)?;
    let url = format!("http://{local}{base_path}");
    let http_thread = net::spawn(
        listener,
        shared.clone(),
        http::Hosts::for_address(local.ip()),
    )?;

    let (changes_tx, changes_rx) = mpsc::channel::<watch::Change>();
    let watcher = watch::spawn(
        &options.build.load.root,
        options.poll,
        options.debounce,
        changes_tx,
        shared.clone(),
    );
    let watcher = match watcher {
        Ok(watcher) => watcher,
        Err(e) => {
            shared.stop.store(true, Ordering::SeqCst);
            let _ = http_thread.join();
            return Err(e);
        }
    };
    let rebuilds = Arc::new(Mutex::new(Vec::new()));
    let rebuild_thread = {
        let shared = shared.clone();
        let rebuilds = rebuilds.clone();
        let fault = options.fault.clone();
        std::thread::spawn(move || {
            rebuild_loop(
                session, changes_rx, shared, rebuilds, instance, fault, budget,
            )
        })
    };
    Ok(Server {
        addr: local,
        url,
        shared,
        threads: vec![http_thread, rebuild_thread, watcher],
        rebuilds,
    })
}

/// `budget` as the user reads it: whole seconds, else milliseconds.
fn seconds(budget: Duration) -> String {
    match budget.subsec_millis() {
        0 => format!("{} s", budget.as_secs()),
        _ => format!("{} ms", budget.as_millis()),
    }
}

/// [`guard::compile`] on a thread of its own, so that `on_slow` runs once it has taken longer
/// than `budget` (the compile itself cannot be interrupted: it goes on, and its result is
/// returned when it ends). Without a thread to be had, the compile runs here, unwatched.
fn compile_within(
    session: &mut Session,
    fault: Option<&FaultHook>,
    trigger: &str,
    budget: Duration,
    on_slow: impl FnOnce(),
) -> (Option<(crate::model::Dossier, Site)>, Diagnostics) {
    let watched = std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let session = &mut *session;
        let build = std::thread::Builder::new()
            .name("dossier-rebuild".into())
            .spawn_scoped(scope, move || {
                let compiled = guard::compile(session, fault, trigger);
                let _ = done.send(());
                compiled
            })
            .ok()?;
        if finished.recv_timeout(budget) == Err(mpsc::RecvTimeoutError::Timeout) {
            on_slow();
        }
        // guard::compile catches the compile's panics; a panic past it is reported the same.
        Some(
            build
                .join()
                .unwrap_or_else(|_| guard::crashed(trigger, "the rebuild thread panicked")),
        )
    });
    watched.unwrap_or_else(|| guard::compile(session, fault, trigger))
}

fn rebuild_loop(
    mut session: Session,
    changes: mpsc::Receiver<watch::Change>,
    shared: Arc<Shared>,
    rebuilds: Arc<Mutex<Vec<Duration>>>,
    instance: u128,
    fault: Option<FaultHook>,
    budget: Duration,
) {
    let mut generation = 0u64;
    // Batches already rebuilt but not announced, because newer ones were waiting by then.
    let mut unannounced: Vec<watch::Change> = Vec::new();
    let mut silent = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        let first = match unannounced.is_empty() {
            true => match changes.recv_timeout(Duration::from_millis(200)) {
                Ok(first) => Some(first),
                Err(_) => continue,
            },
            false => None,
        };
        // A burst arrives as several batches: take everything waiting, rebuild once.
        let mut batch = std::mem::take(&mut unannounced);
        batch.extend(first);
        batch.extend(changes.try_iter());
        let started = batch
            .iter()
            .map(|c| c.at)
            .min()
            .unwrap_or_else(Instant::now);
        let css_only = batch.iter().all(|c| {
            c.paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
                && !c.paths.is_empty()
        });
        let root = session.options.load.root.clone();
        let trigger = batch
            .iter()
            .flat_map(|c| &c.paths)
            .next()
            .map_or_else(|| "dossier.yaml".to_string(), |p| relative(&root, p));
        // A panic becomes an internal error shown like a failed build; the session is renewed.
        // Past its budget, the pages say it is still running, over the last good build.
        let (compiled, diags) =
            compile_within(&mut session, fault.as_ref(), &trigger, budget, || {
                let detail = format!(
                    "after {} (since {trigger} changed): a theme template may loop, or a file \
                     may be very large",
                    seconds(budget)
                );
                eprintln!("still rebuilding {detail}; serving the last good build");
                let notice = format!(
                    "Still rebuilding {detail}. Showing the last good build until the rebuild ends."
                );
                shared.state_mut().slow = Some(notice);
                shared.broadcast(Event::Slow);
            });
        // Saved again during the rebuild (or the save's later events came after the quiet
        // gap): this build is already stale, so rebuild with the newer batches at once
        // rather than reload the pages twice. What the stale build saw stays in the batch.
        // Never more than twice in a row, so that a file rewritten nonstop still shows.
        let newer: Vec<watch::Change> = changes.try_iter().collect();
        silent = if newer.is_empty() { silent } else { silent + 1 };
        if !newer.is_empty() && silent <= 2 {
            unannounced = batch;
            unannounced.extend(newer);
            continue;
        }
        unannounced = newer;
        silent = 0;
        generation += 1;
        eprint!("{}", diags.render_human());
        let mut previous = None;
        let event = {
            let mut state = shared.state_mut();
            let was_slow = state.slow.take().is_some();
            match compiled {
                Some((dossier, site)) => {
                    // Nothing to show when the site is what the pages already have (a save
                    // that changed nothing, or an editor's second event for one save after
                    // the quiet gap): a reload then would only lose the reader's state.
                    let unchanged =
                        state.errors.is_none() && !was_slow && same_files(&state.site, &site);
                    if !unchanged {
                        state.version = format!("{instance}-{generation}");
                    }
                    // The old site is freed after the lock is released and the reload sent.
                    previous = Some(std::mem::replace(&mut state.site, site));
                    state.base_path = dossier.base.path.clone();
                    state.errors = None;
                    eprintln!(
                        "rebuilt ({} ms, {} pages re-rendered)",
                        started.elapsed().as_millis(),
                        session.rendered().len()
                    );
                    if unchanged {
                        None
                    } else if css_only {
                        Some(Event::Css)
                    } else {
                        Some(Event::Reload)
                    }
                }
                None => {
                    state.version = format!("{instance}-{generation}");
                    state.errors = Some(diags);
                    eprintln!("rebuild failed: still serving the last good build");
                    Some(Event::Failed)
                }
            }
        };
        if let Some(event) = event {
            shared.broadcast(event);
        }
        rebuilds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(started.elapsed());
        drop(previous);
    }
}

/// Whether two builds wrote the same files with the same bytes (a kept page is shared, so
/// most are compared by pointer).
fn same_files(a: &Site, b: &Site) -> bool {
    a.streamed == b.streamed
        && a.files.len() == b.files.len()
        && a.files
            .iter()
            .zip(&b.files)
            .all(|((pa, ba), (pb, bb))| pa == pb && (Arc::ptr_eq(ba, bb) || ba == bb))
}

/// `path` relative to the dossier's root, with `/` separators, for a diagnostic.
fn relative(root: &Path, path: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Serves until interrupted: what `dossier serve` runs.
pub fn run(options: ServeOptions, open: bool) -> Result<(), String> {
    let root: PathBuf = options.build.load.root.clone();
    let server = start(options)?;
    eprintln!(
        "serving {} at {} (Ctrl-C to stop)",
        root.display(),
        server.url
    );
    if open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        if std::process::Command::new(opener)
            .arg(&server.url)
            .spawn()
            .is_err()
        {
            eprintln!("could not open a browser; visit {}", server.url);
        }
    }
    server.wait();
    Ok(())
}
