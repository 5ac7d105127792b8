//! The `dossier` command line: parses arguments, runs the library, prints diagnostics and
//! sets the exit status (0 success, 1 the dossier has errors, 2 wrong usage).

use clap::{Parser, Subcommand, ValueEnum};
use dossier::{diagnostics::Diagnostics, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Build annotated dossiers: source texts with provenance and cross-linked commentary"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The dossier's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override `base_url` from dossier.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Serve the site from memory, rebuilding and reloading the browser on every save.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of native file-system events (network shares, containers).
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Run every check of a build without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also fail on seeds without a provenance sidecar.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Start a dossier in an empty (or new) folder: it builds at once, and publishes on GitHub Pages.
    Init {
        /// The folder to create the dossier in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a seed, a commentary page or a glossary entry to a dossier; never overwrites.
    New {
        #[command(subcommand)]
        what: New,
        /// The dossier's root folder.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
    },
    /// Package the dossier and its built site for keeping elsewhere.
    Export {
        #[command(subcommand)]
        what: Export,
    },
}

#[derive(Subcommand)]
enum Export {
    /// Write a BagIt bag (RFC 8493): the dossier's files and the built site, with sha256
    /// manifests; dated by SOURCE_DATE_EPOCH or the last git commit.
    Bagit {
        /// The folder to write the bag to: new or empty.
        dir: PathBuf,
        /// The dossier's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Build the site with this base URL instead of `base_url` from dossier.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum New {
    /// Copy a text into seeds/ byte for byte and write its sidecar (sha256, retrieved today).
    Seed {
        /// The text file to copy.
        file: PathBuf,
        /// The seed's id (default: the file name without its extension).
        #[arg(long)]
        id: Option<String>,
    },
    /// Write content/PATH.md with a front-matter skeleton.
    Page {
        /// The page's path under content/, such as `notes/first`.
        path: String,
    },
    /// Write content/glossary/ID.md with a glossary entry's skeleton.
    Term {
        /// The entry's id, such as `tear-gas`.
        id: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            if let Some(status) = bad_base_url(base_url.as_deref()) {
                return status;
            }
            let mut options = options_for(root);
            options.output = output;
            options.load.base_url = base_url;
            options.load.drafts = drafts;
            let diags = dossier::build(&options);
            finish(&diags, Format::Human, Some(&options))
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            poll,
            drafts,
        } => {
            let mut build = options_for(root);
            build.load.drafts = drafts;
            let mut options = dossier::serve::ServeOptions::new(build);
            options.bind = bind;
            options.port = port;
            options.poll = poll;
            match dossier::serve::run(options, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            root,
            strict,
            format,
        } => {
            let mut options = options_for(root);
            options.strict = strict;
            let diags = dossier::check(&options);
            finish(&diags, format, None)
        }
        Command::Init { dir } => {
            let result = dossier::scaffold::init(&dir, &dossier::date::today_utc());
            let next = format!(
                "next: `dossier serve --root {}` shows the site and reloads it as you edit",
                dir.display()
            );
            written(&dir, result, Some(&next))
        }
        Command::New { what, root } => {
            let result = match what {
                New::Seed { file, id } => dossier::scaffold::new_seed(
                    &root,
                    &file,
                    id.as_deref(),
                    &dossier::date::today_utc(),
                ),
                New::Page { path } => dossier::scaffold::new_page(&root, &path),
                New::Term { id } => dossier::scaffold::new_term(&root, &id),
            };
            written(&root, result, None)
        }
        Command::Export {
            what:
                Export::Bagit {
                    dir,
                    root,
                    base_url,
                },
        } => {
            if let Some(status) = bad_base_url(base_url.as_deref()) {
                return status;
            }
            let mut build = options_for(root);
            build.load.base_url = base_url;
            let options = dossier::export::bagit::BagOptions {
                build,
                target: dir.clone(),
            };
            let diags = dossier::export::bagit::export(&options);
            let status = finish(&diags, Format::Human, None);
            if !diags.has_errors() {
                eprintln!("exported a BagIt bag to {}", dir.display());
            }
            status
        }
    }
}

/// A `--base-url` that is not one is wrong usage: its error, and exit status 2.
fn bad_base_url(base_url: Option<&str>) -> Option<ExitCode> {
    let message = dossier::config::BaseUrl::parse(base_url?).err()?;
    let mut diags = Diagnostics::default();
    diags.push(
        dossier::diagnostics::Diagnostic::error(
            dossier::diagnostics::code::CONFIG,
            dossier::diagnostics::Location::file("--base-url"),
            message,
        )
        .with_hint("give an http(s) URL such as `https://example.org/dossier/`, or a path such as `/dossier/`"),
    );
    eprint!("{}", diags.render_human());
    Some(ExitCode::from(2))
}

/// Options for the dossier at `root`, with the build time `SOURCE_DATE_EPOCH` gives.
fn options_for(root: PathBuf) -> BuildOptions {
    let mut options = BuildOptions::new(root);
    options.load.source_date_epoch = std::env::var_os(dossier::load::BUILD_TIME);
    options
}

/// Lists what `init` or `new` wrote, or shows why it wrote nothing.
fn written(
    root: &std::path::Path,
    result: Result<dossier::scaffold::Written, dossier::diagnostics::Diagnostic>,
    next: Option<&str>,
) -> ExitCode {
    match result {
        Ok(files) => {
            for rel in files {
                eprintln!("created {}", root.join(rel).display());
            }
            if let Some(next) = next {
                eprintln!("{next}");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            let mut diags = Diagnostics::default();
            diags.push(diagnostic);
            finish(&diags, Format::Human, None)
        }
    }
}

fn finish(diags: &Diagnostics, format: Format, built: Option<&BuildOptions>) -> ExitCode {
    match format {
        Format::Human => eprint!("{}", diags.render_human()),
        Format::Json => println!("{}", diags.render_json()),
    }
    if diags.has_errors() {
        return ExitCode::from(1);
    }
    if let Some(options) = built {
        eprintln!("built {}", options.output_dir().display());
    }
    ExitCode::SUCCESS
}
