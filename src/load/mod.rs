//! Stage 1, load: files on disk become typed inputs. Only this stage reads the dossier's files
//! and knows their layout; every problem becomes a diagnostic and loading carries on.

pub mod assets;
mod decode;
pub mod files;
pub mod git;
pub mod pages;
pub mod seeds;
pub mod theme;

use crate::config::{BaseUrl, Config};
use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use pages::Page;
pub use seeds::Seed;

/// What the user asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The dossier's folder: `dossier.yaml`, `seeds/`, `content/` and `themes/` are in it.
    pub root: PathBuf,
    /// Overrides `base_url` from the configuration.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// The value of `SOURCE_DATE_EPOCH` (the command line passes the environment's): the build
    /// time, where one is wanted. Empty counts as not set.
    pub source_date_epoch: Option<std::ffi::OsString>,
}

/// Everything the later stages need, read from disk.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// `dossier.yaml` as parsed; the defaults (with an empty title) when it failed.
    pub config: Config,
    /// The base URL in effect: `--base-url` if given, else the configuration's; `/` when invalid.
    pub base: BaseUrl,
    /// Shared with the load cache: a rebuild does not copy what did not change.
    pub seeds: Vec<Arc<Seed>>,
    /// Commentary pages under `content/` in walk order (by file name, folder by folder),
    /// drafts left out unless asked for; pages whose file could not be read are missing.
    pub pages: Vec<Arc<Page>>,
    /// Paths of draft pages left out of this build, for better hints.
    pub drafts: BTreeSet<String>,
    /// The configured theme over the built-in one.
    pub theme: theme::Theme,
    /// Files published as they are: `static/` and page assets.
    pub assets: assets::Assets,
    /// The git history of `seeds/`; empty when the dossier is not in a repository.
    pub history: git::History,
    /// The build time `SOURCE_DATE_EPOCH` gives, when it is set (and valid).
    pub build_time: Option<crate::date::Date>,
}

/// Load results kept between builds of one session, by file and content hash: an unchanged
/// seed is not decoded or indexed again, an unchanged page not parsed again.
#[derive(Default)]
pub struct Cache {
    seeds: Cached<Seed>,
    pages: Cached<Page>,
}

/// Loads the dossier at `options.root`, reusing what `cache` holds for unchanged files.
pub fn load(options: &Options, cache: &mut Cache, diags: &mut Diagnostics) -> Inputs {
    let root = options.root.as_path();
    let mut found = Vec::new();
    let (config, config_text) = load_config(root, &mut found);
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.clone());
    let base = match BaseUrl::parse(&base_url) {
        Ok(base) => base,
        Err(message) => {
            if options.base_url.is_some() {
                found.push(Diagnostic::error(
                    code::CONFIG,
                    Location::file("--base-url"),
                    message,
                ));
            }
            BaseUrl::parse("/").expect("`/` is a valid base path")
        }
    };
    let seeds = load_seeds(root, &mut cache.seeds, &mut found);
    let (pages, drafts) = load_pages(root, options.drafts, &mut cache.pages, &mut found);
    if seeds.is_empty() && pages.is_empty() && root.is_dir() {
        nothing_to_build(&drafts, &mut found);
    }
    let theme_at = crate::yaml::key_location(crate::config::FILE, &config_text, "theme");
    let theme = theme::load(root, &config.theme, theme_at, &mut found);
    let assets = assets::load(root, &mut found);
    let history = git::history(root, "seeds");
    let epoch = options
        .source_date_epoch
        .as_deref()
        .filter(|v| !v.is_empty());
    let build_time = build_time(epoch, &mut found);
    diags.extend(found);
    Inputs {
        config,
        base,
        seeds,
        pages,
        drafts,
        theme,
        assets,
        history,
        build_time,
    }
}

/// The configuration and its text; a failed one is replaced by defaults so that loading can
/// go on and report every other problem too.
fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> (Config, String) {
    let fallback = || Config::parse("title: ''").expect("the minimal configuration parses");
    let file = crate::config::FILE;
    let path = root.join(file);
    let read = files::read(&path, file, "configuration", files::MAX_CONFIG).and_then(|bytes| {
        files::utf8(bytes, file, "configuration").map_err(files::Unread::Refused)
    });
    match read {
        Ok(text) => {
            let config = Config::parse(&text).unwrap_or_else(|errors| {
                diags.extend(errors);
                fallback()
            });
            (config, text)
        }
        Err(files::Unread::Missing) if !root.is_dir() => {
            diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    Location::file(root.display().to_string()),
                    format!("no folder {}", root.display()),
                )
                .with_hint(format!(
                    "check the path given to `--root`; `dossier init {}` creates a dossier there",
                    root.display()
                )),
            );
            (fallback(), String::new())
        }
        Err(files::Unread::Missing) => {
            let e = std::fs::read(&path).err().map_or_else(
                || "it disappeared while being read".to_string(),
                |e| e.to_string(),
            );
            diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    Location::file(file),
                    format!("cannot read {file}: {e}"),
                )
                .with_hint(format!(
                    "is {} a dossier? `dossier init DIR` creates one",
                    root.display()
                )),
            );
            (fallback(), String::new())
        }
        // Like every other file of the dossier, the configuration is not read through a link;
        // without it nothing can be built, so this is an error rather than W210.
        Err(files::Unread::Link) => {
            diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    Location::file(file),
                    format!(
                        "{file} is a symbolic link: only regular files inside the dossier are read"
                    ),
                )
                .with_hint("replace the link by a copy of the file it points to"),
            );
            (fallback(), String::new())
        }
        Err(files::Unread::Refused(d)) => {
            diags.push(d);
            (fallback(), String::new())
        }
    }
}

/// A dossier with no seeds and no pages would replace the previous site by an empty one (a
/// wrong `--root`, an emptied or unmounted folder): an error, unless another error already
/// says why nothing was read.
fn nothing_to_build(drafts: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    if diags.iter().any(Diagnostic::is_error) {
        return;
    }
    let hint = match drafts.len() {
        0 => "add a seed (`dossier new seed FILE`) or a page (`dossier new page PATH`); \
              a new dossier's `dossier init DIR` has both"
            .to_string(),
        n => format!(
            "{n} draft page{} left out: build with `--drafts` to include {}, \
             or set `draft: false`",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "it" } else { "them" }
        ),
    };
    diags.push(
        Diagnostic::error(
            code::NOTHING,
            Location::file("content/"),
            "nothing to build: no seeds in seeds/ and no commentary pages in content/",
        )
        .with_hint(hint),
    );
}

/// Whether a name is skipped by every walk of `seeds/` and `content/`: hidden names.
fn hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Files of `found` with extension `ext`.
fn with_ext(found: &[files::Found], ext: &str) -> Vec<PathBuf> {
    found
        .iter()
        .filter(|f| f.path.extension().is_some_and(|x| x == ext))
        .map(|f| f.path.clone())
        .collect()
}

/// By file: the content hash, what was loaded, and the problems found.
type Cached<T> = HashMap<PathBuf, (u64, Option<Arc<T>>, Vec<Diagnostic>)>;
/// One file loaded (or taken from the cache): path, content hash, result, problems.
type Loaded<T> = (PathBuf, u64, Option<Arc<T>>, Vec<Diagnostic>);

fn load_seeds(
    root: &Path,
    cache: &mut Cached<Seed>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<Seed>> {
    let found_files = files::walk(root, "seeds", 1, hidden, Some(&mut *diags));
    let texts = with_ext(&found_files, "txt");
    let previous = std::mem::take(cache);
    let loaded: Vec<Loaded<Seed>> = texts
        .par_iter()
        .map(|path| {
            let mut found = Vec::new();
            let rel = crate::paths::relative(root, path);
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = match files::read(path, &rel, "seed", u64::MAX) {
                Ok(bytes) => bytes,
                Err(unread) => {
                    if let files::Unread::Refused(d) = unread {
                        found.push(d);
                    }
                    return (path.clone(), 0, None, found);
                }
            };
            let sidecar_path = path.with_extension("yaml");
            let sidecar_rel = crate::paths::relative(root, &sidecar_path);
            let read = files::read(&sidecar_path, &sidecar_rel, "sidecar", files::MAX_SIDECAR)
                .and_then(|bytes| {
                    files::utf8(bytes, &sidecar_rel, "sidecar").map_err(files::Unread::Refused)
                });
            // A sidecar that is there but is not read is reported as such (a link by the
            // walk), not as a missing one too.
            let mut unread_sidecar = false;
            let sidecar = match read {
                Ok(text) => Some((sidecar_rel, text)),
                Err(files::Unread::Missing) => None,
                Err(files::Unread::Link) => {
                    unread_sidecar = true;
                    None
                }
                Err(files::Unread::Refused(d)) => {
                    unread_sidecar = true;
                    found.push(d);
                    None
                }
            };
            let hash = seeds::fingerprint(&bytes, sidecar.as_ref());
            if found.is_empty() && !unread_sidecar {
                if let Some((h, seed, diags)) = previous.get(path) {
                    if *h == hash {
                        return (path.clone(), hash, seed.clone(), diags.clone());
                    }
                }
            }
            let seed = seeds::load_seed(&file_name, bytes, sidecar, &mut found);
            if unread_sidecar {
                found.retain(|d| d.code != code::NO_SIDECAR);
            }
            (path.clone(), hash, Some(Arc::new(seed)), found)
        })
        .collect();
    let loaded: Vec<(Option<Arc<Seed>>, Vec<Diagnostic>)> = loaded
        .into_iter()
        .map(|(path, hash, seed, found)| {
            cache.insert(path, (hash, seed.clone(), found.clone()));
            (seed, found)
        })
        .collect();
    let mut out = Vec::new();
    for (seed, found) in loaded {
        diags.extend(found);
        out.extend(seed);
    }
    let stems: BTreeSet<PathBuf> = texts.iter().map(|p| p.with_extension("")).collect();
    for sidecar in with_ext(&found_files, "yaml") {
        if !stems.contains(&sidecar.with_extension("")) {
            diags.push(
                Diagnostic::warning(
                    code::ORPHAN_SIDECAR,
                    Location::file(crate::paths::relative(root, &sidecar)),
                    "sidecar without a seed: there is no .txt file of the same name",
                )
                .with_hint("rename it to match its seed, or remove it"),
            );
        }
    }
    out
}

fn load_pages(
    root: &Path,
    drafts: bool,
    cache: &mut Cached<Page>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Arc<Page>>, BTreeSet<String>) {
    let found_files = files::walk(root, "content", usize::MAX, hidden, Some(&mut *diags));
    let files = with_ext(&found_files, "md");
    let previous = std::mem::take(cache);
    let loaded: Vec<Loaded<Page>> = files
        .par_iter()
        .map(|path| {
            let mut found = Vec::new();
            let rel = crate::paths::relative(root, path);
            let read = files::read(path, &rel, "page", files::MAX_PAGE)
                .and_then(|bytes| files::utf8(bytes, &rel, "page").map_err(files::Unread::Refused));
            match read {
                Ok(text) => {
                    let hash = crate::fingerprint::key(&text);
                    match previous.get(path) {
                        Some((h, page, diags)) if *h == hash => {
                            (path.clone(), hash, page.clone(), diags.clone())
                        }
                        _ => {
                            let page = pages::load_page(&rel, text, &mut found);
                            (path.clone(), hash, page.map(Arc::new), found)
                        }
                    }
                }
                Err(unread) => {
                    if let files::Unread::Refused(d) = unread {
                        found.push(d);
                    }
                    (path.clone(), 0, None, found)
                }
            }
        })
        .collect();
    let loaded: Vec<(Option<Arc<Page>>, Vec<Diagnostic>)> = loaded
        .into_iter()
        .map(|(path, hash, page, found)| {
            if hash != 0 {
                cache.insert(path, (hash, page.clone(), found.clone()));
            }
            (page, found)
        })
        .collect();
    let mut out = Vec::new();
    let mut skipped = BTreeSet::new();
    for (page, found) in loaded {
        diags.extend(found);
        match page {
            Some(p) if p.front.draft && !drafts => {
                skipped.insert(p.path.clone());
            }
            Some(p) => out.push(p),
            None => {}
        }
    }
    (out, skipped)
}

/// The environment variable that fixes a build's time, as reproducible builds define it.
pub const BUILD_TIME: &str = "SOURCE_DATE_EPOCH";

/// The build time `SOURCE_DATE_EPOCH` (seconds since 1970-01-01T00:00:00Z) gives; a value that
/// is not such a number is an error, as the reproducible-builds specification asks.
pub fn build_time(
    value: Option<&std::ffi::OsStr>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::date::Date> {
    let value = value?;
    let text = value.to_string_lossy();
    let date = text
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|s| *s >= 0)
        .and_then(crate::date::Date::from_epoch);
    if date.is_none() {
        diags.push(
            Diagnostic::error(
                code::CONFIG,
                Location::file(BUILD_TIME),
                format!("{BUILD_TIME} `{text}` is not a number of seconds since 1970-01-01T00:00:00Z"),
            )
            .with_hint("set it to a whole number such as `1700000000` (`git log -1 --format=%ct` gives the last commit's), or unset it"),
        );
    }
    date
}
