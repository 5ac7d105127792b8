//! `dossier`: a static site generator for annotated dossiers.
//!
//! The pipeline runs in one direction: [`load`] reads files into typed inputs, [`resolve`]
//! turns them into the [`model::Dossier`], [`render`] turns the model into the site's bytes,
//! and [`write`](mod@write) puts them in the output folder. Problems are [`diagnostics`] collected along
//! the way; see `ARCHITECTURE.md`.

#![warn(missing_docs)]

pub mod config;
pub mod date;
pub mod diagnostics;
pub mod export;
pub mod fingerprint;
pub mod glossary;
pub mod load;
pub mod markdown;
pub mod model;
pub mod paths;
pub mod quotes;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod write;
pub mod yaml;

use diagnostics::{code, Diagnostics};
use std::path::PathBuf;

/// What a build or check was asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Where the dossier is and what loading may skip.
    pub load: load::Options,
    /// The output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    /// Treat warnings about missing provenance as errors (`check --strict`).
    pub strict: bool,
}

impl BuildOptions {
    /// Options for the dossier at `root`, everything else at its default.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            load: load::Options {
                root: root.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// The folder the site is written to: `output`, or `<root>/public`.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.load.root.join("public"))
    }
}

/// Runs load → resolve → render once. The site is `None` when there were errors.
pub fn compile(options: &BuildOptions) -> (Option<(model::Dossier, render::Site)>, Diagnostics) {
    Session::new(options.clone()).compile()
}

/// A sequence of builds of one dossier that keeps what is expensive and unchanged between
/// them (decoded and indexed seeds, parsed pages, compiled templates, rendered commentary).
/// A full build is a session's first compile: one code path, so the two cannot disagree.
pub struct Session {
    /// What every compile of the session does; may be changed between compiles.
    pub options: BuildOptions,
    load_cache: load::Cache,
    resolve_cache: resolve::Cache,
    render_cache: render::Cache,
}

impl Session {
    /// A session with empty caches: its first compile is a full build.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            load_cache: load::Cache::default(),
            resolve_cache: resolve::Cache::default(),
            render_cache: render::Cache::default(),
        }
    }

    /// Runs load → resolve → render. The site is `None` when there were errors.
    pub fn compile(&mut self) -> (Option<(model::Dossier, render::Site)>, Diagnostics) {
        self.compile_into(None)
    }

    /// [`compile`](Session::compile), giving the pages to `sink` as they are rendered rather
    /// than keeping them (see [`render::render_into`]): a one-off build's compile.
    pub fn compile_into(
        &mut self,
        sink: Option<render::Sink<'_>>,
    ) -> (Option<(model::Dossier, render::Site)>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
        let t = std::time::Instant::now();
        let inputs = load::load(&self.options.load, &mut self.load_cache, &mut diags);
        let loaded = t.elapsed();
        let dossier = resolve::resolve(inputs, &mut self.resolve_cache, &mut diags);
        if sink.is_some() {
            // A one-off build: the seed indexes and glossary matches are not needed again,
            // and render can use their memory.
            self.resolve_cache = resolve::Cache::default();
        }
        let resolved = t.elapsed();
        let site = render::render_into(&dossier, &mut self.render_cache, &mut diags, sink);
        if timings {
            // Phase times for profiling a dossier: DOSSIER_TIMINGS=1 dossier build.
            eprintln!(
                "load {:?}, resolve {:?}, render {:?} ({} pages rendered, the rest reused)",
                loaded,
                resolved - loaded,
                t.elapsed() - resolved,
                self.rendered().len()
            );
        }
        if self.options.strict {
            diags.escalate(code::NO_SIDECAR);
        }
        if diags.has_errors() {
            (None, diags)
        } else {
            (Some((dossier, site)), diags)
        }
    }

    /// The pages the last compile rendered anew (output paths, sorted); every other page was
    /// unchanged in what it reads and reused from the build before.
    pub fn rendered(&self) -> &[String] {
        self.render_cache.rendered()
    }
}

/// Everything but writing: the diagnostics of a full build.
pub fn check(options: &BuildOptions) -> Diagnostics {
    compile(options).1
}

/// A full build. Nothing is written when there are errors. Pages go to the output's staging
/// folder as they are rendered, so the site is never held in memory as a whole.
pub fn build(options: &BuildOptions) -> Diagnostics {
    // Without a root folder load fails; nothing is made beside an output that cannot be.
    let mut staging = match options.load.root.is_dir() {
        true => Some(write::Staging::open(
            &options.load.root,
            &options.output_dir(),
        )),
        false => None,
    };
    // Another build is writing the output: say so at once rather than after compiling.
    if let Some(Err(locked)) = &staging {
        if locked.code == code::OUTPUT_LOCKED {
            let mut diags = Diagnostics::default();
            diags.push(locked.clone());
            return diags;
        }
    }
    let discard = |_: &str, _: &[u8]| Ok(());
    let put = |path: &str, bytes: &[u8]| match &staging {
        Some(Ok(staging)) => staging.put(path, bytes),
        _ => discard(path, bytes),
    };
    let (compiled, mut diags) = Session::new(options.clone()).compile_into(Some(&put));
    // What killed builds left beside the output, recovered or removed by `open`.
    if let Some(Ok(staging)) = staging.as_mut() {
        diags.extend(staging.take_warnings());
    }
    let Some((_, site)) = compiled else {
        return diags;
    };
    let t = std::time::Instant::now();
    let staging = staging
        .unwrap_or_else(|| write::Staging::open(&options.load.root, &options.output_dir()))
        .map(|mut staging| {
            diags.extend(staging.take_warnings());
            staging
        });
    let written = staging.and_then(|staging| staging.finish(&site));
    match written {
        Ok(n) if std::env::var_os("DOSSIER_TIMINGS").is_some() => {
            eprintln!("write (the rest) {:?} ({n} files)", t.elapsed());
        }
        Ok(_) => {}
        Err(d) => diags.push(d),
    }
    diags
}
