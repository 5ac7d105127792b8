//! Watching the dossier's sources (`seeds/`, `content/`, `themes/`, `static/`, `dossier.yaml`) with notify
//! and a debouncer. Every way editors save arrives as some create, modify, remove or rename
//! event; all of them simply mean "rebuild", so the rebuild never has to trust event kinds.

use super::Shared;
use notify::{EventKind, RecursiveMode, Watcher};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, FileIdCache};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A batch of relevant changed paths, and when the batch was seen.
#[derive(Debug)]
pub struct Change {
    /// The changed paths under the root, as the watcher gives them, editor temp files left out;
    /// never empty.
    pub paths: Vec<PathBuf>,
    /// When the debouncer delivered the batch, i.e. after its wait, not at the first event.
    pub at: Instant,
}

/// The source folders, watched recursively: `content/` holds page assets too, `static/` the
/// files copied to the site root.
const WATCHED_DIRS: &[&str] = &["seeds", "content", "themes", "static"];

/// Editor temp and swap files, which never change what is built.
pub fn is_editor_temp(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.starts_with(".#")
        || name.starts_with('.')
            && (name.ends_with(".swp") || name.ends_with(".swx") || name.ends_with(".swo"))
        || name == "4913"
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name.ends_with(".crswap")
}

/// Whether an event can change a file's content or existence. Reading files (which every
/// rebuild does) raises access events; those must not trigger another rebuild.
fn changes_content(kind: &EventKind) -> bool {
    use notify::event::{MetadataKind, ModifyKind};
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(
                ModifyKind::Data(_)
                    | ModifyKind::Name(_)
                    | ModifyKind::Any
                    | ModifyKind::Other
                    // What the polling watcher reports for a file rewritten with the same size.
                    | ModifyKind::Metadata(MetadataKind::WriteTime)
            )
            | EventKind::Any
            | EventKind::Other
    )
}

/// Whether a changed path can change the site.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    let in_sources = WATCHED_DIRS.contains(&first.as_str()) || first == crate::config::FILE;
    in_sources
        && !is_editor_temp(path)
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(".git"))
}

/// Starts the watcher thread; it sends a [`Change`] for each batch of relevant events.
pub(crate) fn spawn(
    root: &Path,
    poll: bool,
    debounce: Duration,
    changes: Sender<Change>,
    shared: Arc<Shared>,
) -> Result<JoinHandle<()>, String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let fail = |e: notify::Error| format!("cannot watch {}: {e}", root.display());
    // Watches are in place before this returns, so no save right after start is missed.
    let mut watched = Vec::new();
    if poll {
        // notify's poller compares modification times in whole seconds; comparing contents
        // catches a second save within the same second (text dossiers are cheap to hash).
        let config = notify::Config::default()
            .with_poll_interval(debounce.max(Duration::from_millis(200)))
            .with_compare_contents(true);
        let mut debouncer = new_debouncer_opt::<_, notify::PollWatcher, _>(
            debounce,
            None,
            tx,
            notify_debouncer_full::NoCache,
            config,
        )
        .map_err(fail)?;
        watch_dirs(&mut debouncer, &root, &mut watched);
        Ok(std::thread::spawn(move || {
            watch_loop(debouncer, watched, root, rx, changes, shared)
        }))
    } else {
        let mut debouncer =
            notify_debouncer_full::new_debouncer(debounce, None, tx).map_err(fail)?;
        watch_dirs(&mut debouncer, &root, &mut watched);
        Ok(std::thread::spawn(move || {
            watch_loop(debouncer, watched, root, rx, changes, shared)
        }))
    }
}

fn watch_dirs<T: Watcher, C: FileIdCache>(
    debouncer: &mut Debouncer<T, C>,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) {
    if !watched.iter().any(|w| w == root)
        && debouncer.watch(root, RecursiveMode::NonRecursive).is_ok()
    {
        watched.push(root.to_path_buf());
    }
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir()
            && !watched.contains(&path)
            && debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
        {
            watched.push(path);
        }
    }
    watched.retain(|w| w.exists() || w == root);
}

fn watch_loop<T: Watcher, C: FileIdCache>(
    mut debouncer: Debouncer<T, C>,
    mut watched: Vec<PathBuf>,
    root: PathBuf,
    events: mpsc::Receiver<DebounceEventResult>,
    changes: Sender<Change>,
    shared: Arc<Shared>,
) {
    while !shared.stop.load(Ordering::SeqCst) {
        let Ok(result) = events.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        let at = Instant::now();
        let paths: Vec<PathBuf> = match result {
            Ok(events) => events
                .iter()
                .filter(|e| changes_content(&e.kind))
                .flat_map(|e| e.paths.iter().cloned())
                .filter(|p| is_relevant(&root, p))
                .collect(),
            // Overflowed queues and other watcher errors: rebuild everything to be safe.
            Err(_) => vec![root.join(crate::config::FILE)],
        };
        // A source folder created or removed at the root: (re)watch it.
        watch_dirs(&mut debouncer, &root, &mut watched);
        if !paths.is_empty() && changes.send(Change { paths, at }).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_and_editor_files_do_not() {
        let root = Path::new("/d");
        for p in [
            "/d/content/a.md",
            "/d/seeds/x.txt",
            "/d/themes/t/static/s.css",
            "/d/static/logo.png",
            "/d/content/notes/trip/map.png",
            "/d/dossier.yaml",
            "/d/content/new",
        ] {
            assert!(is_relevant(root, Path::new(p)), "{p}");
        }
        for p in [
            "/d/public/index.html",
            "/d/target/x",
            "/d/content/a.md~",
            "/d/content/.a.md.swp",
            "/d/content/4913",
            "/d/content/.#a.md",
            "/d/content/a.md___jb_tmp___",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_relevant(root, Path::new(p)), "{p}");
        }
    }
}
