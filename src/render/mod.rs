//! Stage 3, render: the model becomes the site's files as bytes. Only this stage knows Tera
//! and HTML. Each page kind is a view (`views/`) that reads the model through a recording
//! [`reads::Reader`]; a page is rendered again only when something it read changed.

pub(crate) mod cite;
mod context;
pub mod data;
pub mod highlight;
pub mod reads;
pub mod sanitize;
pub mod search;
mod templates;
pub mod urls;
mod views;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Dossier, EntryId, Id, PageId, QuoteId, SeedId};
use context::{SiteCtx, View};
use rayon::prelude::*;
use reads::{Prints, Reader, Record};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
pub use urls::Urls;

/// The rendered site: output path (relative, `/`-separated) → bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// Every output file, sorted by path: pages, static files, originals, data exports; only
    /// those not given to a [`Sink`] already. Shared, not copied, with the session's cache:
    /// a rebuild that reuses a page does not copy its bytes.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// The paths of the files given to a [`Sink`] as they were rendered (empty without one).
    pub streamed: BTreeSet<String>,
}

impl Site {
    /// Whether the site has a file at `path`, kept or streamed.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.streamed.contains(path)
    }
}

/// Where a build puts each page as soon as it is rendered (path, bytes), from any thread,
/// so the whole site is never held in memory. A sink's error stops nothing but is reported.
pub type Sink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync);

/// A page rendered by an earlier build: what it read, with which templates, and its bytes.
struct Kept {
    /// Each template rendered, with the key of its closure.
    templates: Vec<(String, u64)>,
    record: Record,
    output: Arc<[u8]>,
}

/// One page's annotations (id, JSON) with the record of what making them read.
type PageAnnotations = (Record, Vec<(String, String)>);

/// What rendering keeps between builds of a session: the compiled templates (by the hash of
/// their sources), each output file with the record of what its view read, and each
/// commentary body's HTML (by the hash of everything it is made of), which a template edit
/// re-renders around.
#[derive(Default)]
pub struct Cache {
    templates: Option<(u64, tera::Tera)>,
    pages: HashMap<String, Kept>,
    /// Each page's annotations, by page path.
    annotations: HashMap<String, PageAnnotations>,
    html: context::HtmlCache,
    search: search::Cache,
    rendered: Vec<String>,
}

impl Cache {
    /// The output files the last render made anew rather than reused, sorted.
    pub fn rendered(&self) -> &[String] {
        &self.rendered
    }
}

/// One output file: which view makes it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Job {
    Home,
    /// Page n (1-based) of the list of sources.
    Sources(usize),
    NotFound,
    Quotes,
    /// Page n (1-based) of the glossary's index.
    Glossary(usize),
    /// Page `n` (1-based) of the quote index's group of this quotation.
    QuoteGroup(QuoteId, usize),
    Source(SeedId),
    Page(PageId),
    /// Page n (n ≥ 2) of an entry's full concordance; page 1 is the entry's own page.
    Concordance(EntryId, usize),
    /// `/tags/`.
    Tags,
    /// Page n (1-based) of the tag at this position of the sorted list of tags.
    Tag(usize, usize),
    /// `/search/`.
    Search,
    /// `/sitemap.xml` (0), or its n-th part when it is a sitemap index.
    Sitemap(usize),
    Robots,
    DossierJson,
    /// `/atom.xml` (only with a base URL that has an origin).
    Feed,
    /// A source's citation file in one format, beside its page.
    SourceCite(SeedId, cite::Format),
    /// Every source's citation in one file of a format, `/sources/sources.<ext>`.
    SourcesCite(cite::Format),
}

/// Renders every file of the site. Template problems go to `diags`.
pub fn render(dossier: &Dossier, cache: &mut Cache, diags: &mut Diagnostics) -> Site {
    render_into(dossier, cache, diags, None)
}

/// [`render`], giving pages and search fragments to `sink` as they are made instead of keeping
/// them (in the site or the cache) when there is one: for a one-off build, whose cache is not
/// used again. The site then holds only the other files, and the names of those streamed.
pub fn render_into(
    dossier: &Dossier,
    cache: &mut Cache,
    diags: &mut Diagnostics,
    sink: Option<Sink<'_>>,
) -> Site {
    cache.html.keep = sink.is_none();
    let templates_key = crate::fingerprint::key(
        &dossier
            .theme
            .templates
            .iter()
            .map(|(n, t)| (n, &t.source))
            .collect::<Vec<_>>(),
    );
    if cache
        .templates
        .as_ref()
        .is_none_or(|(k, _)| *k != templates_key)
    {
        cache.templates = templates::compile(dossier, diags).map(|t| (templates_key, t));
    }
    let Some((_, tera)) = &cache.templates else {
        return Site::default();
    };
    let urls = Urls::new(&dossier.base);
    let site_ctx = SiteCtx::new(dossier, &urls);
    let site_print = crate::fingerprint::key(&(
        serde_json::to_string(&dossier.config).unwrap_or_default(),
        &dossier.base.origin,
        &dossier.base.path,
        serde_json::to_string(&site_ctx).unwrap_or_default(),
        &dossier.build_time,
    ));
    let prints = Prints::new(dossier, site_print);
    let closures = templates::closures(&dossier.theme);
    let orders = views::Orders::default();
    let view = || View {
        r: Reader::new(&prints),
        urls: &urls,
        tera,
        theme: &dossier.theme,
        site: &site_ctx,
        html: &cache.html,
        orders: &orders,
        used: Default::default(),
        meta: Default::default(),
    };

    let mut jobs = vec![
        Job::Home,
        Job::NotFound,
        Job::Quotes,
        Job::Robots,
        Job::DossierJson,
    ];
    if dossier.config.search {
        jobs.push(Job::Search);
    }
    if views::has_feed(&dossier.base) {
        jobs.push(Job::Feed);
    }
    let pages = |n: usize| 1..=n;
    jobs.extend(pages(views::sources_pages(dossier.seeds.len())).map(Job::Sources));
    if !dossier.entries.is_empty() {
        jobs.extend(pages(views::glossary_pages(dossier.entries.len())).map(Job::Glossary));
    }
    for (e, entry) in dossier.entries.iter() {
        let extra = views::concordance_pages(&entry.occurrences);
        jobs.extend((2..=1 + extra).map(|n| Job::Concordance(e, n)));
    }
    jobs.extend(views::quote_jobs(&view()));
    jobs.extend(views::tag_jobs(&view()));
    jobs.extend(views::sitemap_jobs(&view()));
    jobs.extend(dossier.seeds.ids().map(Job::Source));
    for format in cite::Format::ALL {
        jobs.push(Job::SourcesCite(format));
        jobs.extend(dossier.seeds.ids().map(|s| Job::SourceCite(s, format)));
    }
    // `content/glossary/_index.md` introduces /glossary/ rather than being a page of its own.
    jobs.extend(
        dossier
            .pages
            .iter()
            .filter(|(_, p)| p.has_own_url())
            .map(|(i, _)| Job::Page(i)),
    );
    let previous = std::mem::take(&mut cache.pages);
    type Made = Option<Result<(String, Record, Vec<(String, u64)>), Diagnostic>>;
    let make = |job: Job| {
        views::render(view(), job).map(|(output, record, used)| {
            let used = used
                .into_iter()
                .map(|n| (n.to_string(), closures.get(n).copied().unwrap_or_default()))
                .collect();
            (output, record, used)
        })
    };
    // Streamed: the page goes to the sink at once, and only its record is kept.
    let stream = |file: &str, made: Made| match (sink, made) {
        (Some(sink), Some(Ok((output, record, templates)))) => {
            let written = sink(file, output.as_bytes());
            Some(written.map(|()| (String::new(), record, templates)))
        }
        (_, made) => made,
    };
    let outputs: Vec<(Job, String, Made)> = jobs
        .par_iter()
        .map(|&job| {
            let file = views::output_file(&view(), job);
            let reusable = previous.get(&file).is_some_and(|k| {
                k.templates
                    .iter()
                    .all(|(name, key)| closures.get(name) == Some(key))
                    && prints.unchanged(&k.record)
            });
            let made = stream(&file, (!reusable).then(|| make(job)));
            (job, file, made)
        })
        .collect();
    let mut site = Site::default();
    let mut previous = previous;
    let mut rendered = Vec::new();
    for (job, file, made) in outputs {
        // Two jobs writing one file (two pages at one path, an error already reported) share
        // one kept page: the second renders anew.
        let made = made.or_else(|| match previous.remove(&file) {
            Some(kept) => {
                site.files.insert(file.clone(), kept.output.clone());
                cache.pages.insert(file.clone(), kept);
                None
            }
            None => stream(&file, Some(make(job))),
        });
        let kept = match made {
            None => continue,
            Some(Ok((output, record, templates))) => {
                rendered.push(file.clone());
                Kept {
                    templates,
                    record,
                    output: Arc::from(output.into_bytes()),
                }
            }
            Some(Err(d)) => {
                diags.push(d);
                continue;
            }
        };
        if sink.is_some() {
            site.streamed.insert(file);
            continue;
        }
        site.files.insert(file.clone(), kept.output.clone());
        cache.pages.insert(file, kept);
    }
    rendered.sort();

    for seed in dossier.seeds.values() {
        site.files.insert(
            format!("sources/{}/{}", seed.id, seed.file_name),
            Arc::from(seed.bytes.as_slice()),
        );
    }
    let previous = std::mem::take(&mut cache.annotations);
    let annotations: Vec<(String, PageAnnotations)> = dossier
        .pages
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let kept = previous
                .get(&p.path)
                .filter(|(record, _)| prints.unchanged(record));
            let made = match kept {
                Some(k) => k.clone(),
                None => {
                    let r = Reader::new(&prints);
                    let items = data::page_annotations(&r, &urls, PageId::from_index(i));
                    (r.into_record(), items)
                }
            };
            (p.path.clone(), made)
        })
        .collect();
    site.files.insert(
        "annotations.jsonld".into(),
        data::annotations(
            &dossier.config.title,
            &urls,
            annotations
                .iter()
                .flat_map(|(_, (_, items))| items)
                .collect(),
        )
        .into_bytes()
        .into(),
    );
    cache.annotations = annotations.into_iter().collect();
    if dossier.config.search {
        let (files, streamed) = search::files(&prints, &urls, &mut cache.search, sink, diags);
        site.files
            .extend(files.into_iter().map(|(path, bytes)| (path, bytes.into())));
        site.streamed.extend(streamed);
    }

    site.files.insert(".nojekyll".into(), Arc::default());
    let cname = dossier.config.cname.trim();
    if !cname.is_empty() {
        site.files
            .insert("CNAME".into(), format!("{cname}\n").into_bytes().into());
    }
    publish_theme(dossier, &mut site, diags);
    publish_assets(dossier, &mut site, diags);
    cache.rendered = rendered;
    cache.html.prune();
    site
}

/// Puts the theme's static files into the site, after every generated file: one that would
/// replace a generated file (a page, a seed's published original, a data file) or sit where a
/// generated folder is, is an error naming both, and is left out.
fn publish_theme(dossier: &Dossier, site: &mut Site, diags: &mut Diagnostics) {
    for (path, bytes) in &dossier.theme.statics {
        let folder = format!("{path}/");
        let inside = [
            site.files.range(folder.clone()..).next().map(|(p, _)| p),
            site.streamed.range(folder.clone()..).next(),
        ]
        .into_iter()
        .flatten()
        .filter(|p| p.starts_with(&folder))
        .min()
        .cloned();
        let origin = dossier.theme.static_origins.get(path);
        let clash = match (site.has(path), inside) {
            (true, _) => Some(format!("would replace the generated /{path}")),
            (false, Some(p)) => Some(format!(
                "is published as /{path}, a folder of the generated site (it holds /{p})"
            )),
            (false, None) => None,
        };
        match (clash, origin) {
            (Some(clash), Some(origin)) => diags.push(
                Diagnostic::error(
                    crate::diagnostics::code::COLLISION,
                    crate::diagnostics::Location::file(origin),
                    format!("{origin} {clash}"),
                )
                .with_hint("rename or move it: the site generates that path"),
            ),
            // A built-in file the site also generates is a bug caught by the tests.
            (Some(_), None) => {}
            (None, _) => {
                site.files.insert(path.clone(), Arc::from(bytes.as_slice()));
            }
        }
    }
}

/// Puts the dossier's own files (`static/`, page assets) into the site, over the theme's
/// static files of the same path. One that would replace a generated file, or sit where a
/// generated folder is (or under a generated file), is an error at that file.
fn publish_assets(dossier: &Dossier, site: &mut Site, diags: &mut Diagnostics) {
    let theme = &dossier.theme.statics;
    let generated = |path: &str| site.has(path) && !theme.contains_key(path);
    let mut publish = Vec::new();
    for (out, asset) in &dossier.assets.published {
        let folder = format!("{out}/");
        let first_inside = |mut paths: &mut dyn Iterator<Item = &String>| {
            Iterator::find(&mut paths, |p| !theme.contains_key(p.as_str()))
                .filter(|p| p.starts_with(&folder))
                .cloned()
        };
        let inside = [
            first_inside(&mut site.files.range(folder.clone()..).map(|(p, _)| p)),
            first_inside(&mut site.streamed.range(folder.clone()..)),
        ]
        .into_iter()
        .flatten()
        .min();
        let above = out
            .match_indices('/')
            .map(|(i, _)| &out[..i])
            .find(|above| generated(above));
        let file = &asset.file;
        let clash = if generated(out) {
            Some(format!("{file} would replace the generated /{out}"))
        } else if let Some(p) = inside {
            Some(format!(
                "{file} is published as /{out}, a folder of the generated site (it holds /{p})"
            ))
        } else {
            above.map(|a| format!("{file} is published as /{out}, under the generated file /{a}"))
        };
        match clash {
            Some(message) => diags.push(
                Diagnostic::error(
                    crate::diagnostics::code::COLLISION,
                    crate::diagnostics::Location::file(file),
                    message,
                )
                .with_hint("rename or move it: the site generates that path"),
            ),
            None => publish.push((out, asset)),
        }
    }
    for (out, asset) in publish {
        site.files.insert(out.clone(), asset.bytes.clone());
    }
}
