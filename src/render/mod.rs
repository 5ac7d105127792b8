//! Stage 3, render: the model becomes the site's files as bytes. Only this stage knows Tera
//! and HTML. Rendering a page is a pure function of the model and that page.

pub mod data;
mod deps;
pub mod highlight;
pub mod sanitize;
pub mod urls;

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::markdown::{self, LinkOut};
use crate::model::{Dossier, Target};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
pub use urls::Urls;

/// The rendered site: output path (relative, `/`-separated) → bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What rendering keeps between builds of a session: the compiled templates (by the hash of
/// their sources), each page's output (by the key of everything it reads, see `deps.rs`) and
/// each commentary body's HTML (by the hash of everything it is made of), which a template
/// edit re-renders around.
#[derive(Default)]
pub struct Cache {
    templates: Option<(u64, tera::Tera)>,
    pages: std::collections::HashMap<u64, String>,
    /// Each page's annotations (id, JSON), by the key of what they read.
    annotations: std::collections::HashMap<u64, Vec<(String, String)>>,
    html: std::sync::Mutex<std::collections::HashMap<u64, String>>,
    used: std::sync::Mutex<std::collections::HashSet<u64>>,
    rendered: Vec<String>,
}

impl Cache {
    /// The commentary HTML for `key`, made by `make` when it is not cached.
    fn html(&self, key: u64, make: impl FnOnce() -> String) -> String {
        self.used.lock().map(|mut u| u.insert(key)).ok();
        if let Some(html) = self.html.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return html;
        }
        let html = make();
        if let Ok(mut m) = self.html.lock() {
            m.insert(key, html.clone());
        }
        html
    }

    /// Drops what the last build did not use, so the cache never grows without bound.
    fn prune(&mut self) {
        let used = std::mem::take(self.used.get_mut().expect("not poisoned"));
        self.html
            .get_mut()
            .expect("not poisoned")
            .retain(|k, _| used.contains(k));
    }

    /// The output files of pages the last render made anew rather than reused, sorted.
    pub fn rendered(&self) -> &[String] {
        &self.rendered
    }
}

/// Renders every file of the site. Template problems go to `diags`.
pub fn render(dossier: &Dossier, cache: &mut Cache, diags: &mut Diagnostics) -> Site {
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
        cache.templates = compile_templates(dossier, diags).map(|t| (templates_key, t));
    }
    if cache.templates.is_none() {
        return Site::default();
    }
    let mut seed_terms = vec![Vec::new(); dossier.seeds.len()];
    let mut page_terms = vec![Vec::new(); dossier.pages.len()];
    for o in dossier.glossary.occurrences.iter().filter(|o| o.linked) {
        match o.place {
            crate::glossary::Place::Seed { seed, .. } => seed_terms[seed].push(o),
            crate::glossary::Place::Page { page, .. } => page_terms[page].push(o),
        }
    }
    for list in seed_terms.iter_mut().chain(page_terms.iter_mut()) {
        list.sort_by_key(|o| (o.place, o.range.start));
    }
    let urls = Urls::new(&dossier.base);
    let previous = std::mem::take(&mut cache.pages);
    let r = Renderer {
        dossier,
        site: Renderer::site_ctx(dossier, &urls),
        urls,
        tera: &cache.templates.as_ref().expect("compiled above").1,
        seed_terms,
        page_terms,
        cache,
    };
    let prints = deps::Fingerprints::new(&r);
    let mut site = Site::default();
    let (pages, rendered) = r.pages(&prints, previous, &mut site, diags);
    for seed in &dossier.seeds {
        site.files.insert(
            format!("sources/{}/{}", seed.id, seed.file_name),
            seed.bytes.to_vec(),
        );
    }
    for (path, bytes) in &dossier.theme.statics {
        site.files.insert(path.clone(), bytes.clone());
    }
    site.files
        .insert("sitemap.xml".into(), r.sitemap().into_bytes());
    site.files.insert(
        "dossier.json".into(),
        data::dossier_json(dossier, &r.urls).into_bytes(),
    );
    let annotations = r.annotations(&prints, &cache.annotations);
    site.files.insert(
        "annotations.jsonld".into(),
        data::annotations(
            dossier,
            &r.urls,
            annotations.iter().flat_map(|(_, items)| items).collect(),
        )
        .into_bytes(),
    );
    site.files.insert(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            r.urls.absolute("sitemap.xml")
        )
        .into_bytes(),
    );
    site.files.insert(".nojekyll".into(), Vec::new());
    let cname = dossier.config.cname.trim();
    if !cname.is_empty() {
        site.files
            .insert("CNAME".into(), format!("{cname}\n").into_bytes());
    }
    drop(r);
    cache.pages = pages;
    cache.annotations = annotations.into_iter().collect();
    cache.rendered = rendered;
    cache.prune();
    site
}

fn compile_templates(dossier: &Dossier, diags: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    let templates = dossier
        .theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(templates) {
        Ok(()) => Some(tera),
        Err(e) => {
            let origin = dossier
                .theme
                .templates
                .iter()
                .find(|(name, _)| e.to_string().contains(name.as_str()))
                .map_or_else(
                    || format!("themes/{}/templates", dossier.config.theme),
                    |(_, t)| t.origin.clone(),
                );
            diags.push(Diagnostic::error(
                code::THEME,
                Location::file(origin),
                format!("template does not compile: {e}"),
            ));
            None
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Job {
    Home,
    Sources,
    NotFound,
    Quotes,
    Glossary,
    Source(usize),
    Page(usize),
}

/// One page of a render: made anew, or (`result: None`) the last build's under the same key.
struct Output {
    job: Job,
    path: String,
    key: Option<u64>,
    result: Option<Result<String, Diagnostic>>,
}

impl Job {
    /// What kind of page this is, for cache keys.
    fn tag(self) -> u8 {
        match self {
            Job::Home => 0,
            Job::Sources => 1,
            Job::NotFound => 2,
            Job::Quotes => 3,
            Job::Glossary => 4,
            Job::Source(_) => 5,
            Job::Page(_) => 6,
        }
    }
}

struct Renderer<'a> {
    dossier: &'a Dossier,
    urls: Urls,
    /// The site-wide part of every page's context (settings and navigation).
    site: SiteCtx<'a>,
    tera: &'a tera::Tera,
    /// Linked glossary occurrences by seed and by page, in document order.
    seed_terms: Vec<Vec<&'a crate::glossary::Occurrence>>,
    page_terms: Vec<Vec<&'a crate::glossary::Occurrence>>,
    cache: &'a Cache,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    authors: &'a [String],
    base: &'a str,
    style: String,
    nav: Vec<LinkCtx>,
}

#[derive(Serialize, Clone)]
struct LinkCtx {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    path: &'a str,
    url: String,
    file: &'a str,
    date: Option<&'a str>,
    authors: &'a [String],
    tags: &'a [String],
    summary: String,
    content: String,
    toc: Vec<&'a markdown::Heading>,
    cites: Vec<CitedSource>,
    backlinks: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct CitedSource {
    id: String,
    title: String,
    url: String,
    paragraphs: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct SourceSummary<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    kind: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<&'a str>,
    published_inferred: bool,
    words: usize,
    paragraphs: usize,
    citations: usize,
}

#[derive(Serialize)]
struct Field {
    key: &'static str,
    label: &'static str,
    value: String,
    is_url: bool,
    inferred: Option<String>,
}

#[derive(Serialize)]
struct NoteCtx {
    page_title: String,
    url: String,
    link_text: String,
    excerpt: String,
}

#[derive(Serialize)]
struct LineCtx<'a> {
    number: usize,
    segments: Vec<SegmentCtx<'a>>,
}

/// A piece of a line, inside the same set of quoted passages.
#[derive(Serialize)]
struct SegmentCtx<'a> {
    text: &'a str,
    /// Ids of the quotations that start here (their anchors).
    anchors: Vec<&'a str>,
    quoted: bool,
    /// Quoted by the commentary (not only direct speech of the seed).
    cited: bool,
    title: String,
    /// A glossary link on this piece.
    term: Option<markdown::TermLink>,
}

#[derive(Serialize, Clone)]
struct EntrySummary {
    term: String,
    url: String,
    kind: &'static str,
    count: usize,
    letter: String,
    aliases: Vec<String>,
    tip: String,
}

#[derive(Serialize)]
struct KindCtx {
    id: String,
    title: &'static str,
    letters: Vec<String>,
    entries: Vec<EntrySummary>,
}

#[derive(Serialize)]
struct KwicLine {
    before: String,
    term: String,
    after: String,
    url: String,
    label: String,
}

#[derive(Serialize)]
struct ConcordanceSource {
    title: String,
    url: String,
    kind: &'static str,
    count: usize,
    lines: Vec<KwicLine>,
}

#[derive(Serialize)]
struct EntryCtx {
    id: String,
    term: String,
    kind: &'static str,
    aliases: Vec<String>,
    total: usize,
    concordance: Vec<ConcordanceSource>,
    quotations: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct SpeechCtx {
    speaker: Option<String>,
    speaker_url: String,
    excerpt: String,
    url: String,
}

#[derive(Serialize)]
struct QuoteEntry {
    exact: String,
    url: String,
    origin: &'static str,
    paragraph: usize,
    cited_by: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct QuoteSource {
    title: String,
    url: String,
    count: usize,
    quotes: Vec<QuoteEntry>,
}

#[derive(Serialize)]
struct SpeakerCtx {
    id: String,
    name: String,
    url: Option<String>,
    count: usize,
    sources: Vec<QuoteSource>,
}

#[derive(Serialize)]
struct ParagraphCtx<'a> {
    number: usize,
    lines: Vec<LineCtx<'a>>,
    notes: Vec<NoteCtx>,
    speech: Vec<SpeechCtx>,
    /// Numbers of the blank lines that follow, so every `#L<n>` has its anchor.
    blank_after: Vec<usize>,
}

#[derive(Serialize)]
struct SourceCtx<'a> {
    #[serde(flatten)]
    summary: SourceSummary<'a>,
    file_name: &'a str,
    file_url: String,
    sidecar: Option<&'a str>,
    bytes: usize,
    sha256: &'a str,
    fixity: &'static str,
    encoding: &'a str,
    bom: bool,
    crlf: bool,
    lossy: bool,
    line_count: usize,
    provenance: Vec<Field>,
    notes: Option<String>,
    history: Vec<&'a crate::load::git::Commit>,
    whole_notes: Vec<NoteCtx>,
    blank_before: Vec<usize>,
    text: Vec<ParagraphCtx<'a>>,
    cited_by: Vec<LinkCtx>,
}

impl Renderer<'_> {
    /// Every page of the site into `site`: those whose key is in `previous` taken from it,
    /// the rest rendered. Returns the pages by key, for the next build, and the output paths
    /// of those rendered.
    fn pages(
        &self,
        prints: &deps::Fingerprints,
        mut previous: std::collections::HashMap<u64, String>,
        site: &mut Site,
        diags: &mut Diagnostics,
    ) -> (std::collections::HashMap<u64, String>, Vec<String>) {
        let d = self.dossier;
        let mut jobs = vec![Job::Home, Job::Sources, Job::NotFound, Job::Quotes];
        if !d.glossary.entries.is_empty() {
            jobs.push(Job::Glossary);
        }
        jobs.extend((0..d.seeds.len()).map(Job::Source));
        // `content/glossary/_index.md` introduces /glossary/ rather than being a page of its own.
        jobs.extend(
            (0..d.pages.len())
                .filter(|&i| d.pages[i].has_own_url())
                .map(Job::Page),
        );
        let outputs: Vec<Output> = jobs
            .par_iter()
            .map(|&job| {
                let key = prints.key(self, job, self.template(job));
                let result = match key {
                    Some(k) if previous.contains_key(&k) => None,
                    _ => Some(self.render_job(job)),
                };
                Output {
                    job,
                    path: Urls::output_file(&self.url(job)),
                    key,
                    result,
                }
            })
            .collect();
        let mut pages = std::collections::HashMap::new();
        let mut rendered = Vec::new();
        for out in outputs {
            let result = match out.result {
                Some(result) => {
                    rendered.push(out.path.clone());
                    result
                }
                // Moved, not copied, from the last build's pages: they can be large.
                None => out
                    .key
                    .and_then(|k| previous.remove(&k).or_else(|| pages.get(&k).cloned()))
                    .map_or_else(|| self.render_job(out.job), Ok),
            };
            match result {
                Ok(html) => {
                    site.files.insert(out.path, html.clone().into_bytes());
                    if let Some(k) = out.key {
                        pages.insert(k, html);
                    }
                }
                Err(d) => diags.push(d),
            }
        }
        rendered.sort();
        (pages, rendered)
    }

    /// Each page's annotations with their key: taken from `previous` when the key is there,
    /// else made.
    fn annotations(
        &self,
        prints: &deps::Fingerprints,
        previous: &std::collections::HashMap<u64, Vec<(String, String)>>,
    ) -> Vec<(u64, Vec<(String, String)>)> {
        (0..self.dossier.pages.len())
            .into_par_iter()
            .map(|i| {
                let key = prints.annotations_key(self, i);
                let items = previous
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| data::page_annotations(self.dossier, &self.urls, i));
                (key, items)
            })
            .collect()
    }

    /// The template that renders `job`.
    fn template(&self, job: Job) -> &'static str {
        match job {
            Job::Home => "index.html",
            Job::Sources => "sources.html",
            Job::NotFound => "404.html",
            Job::Quotes => "quotes.html",
            Job::Glossary => "glossary.html",
            Job::Source(_) => "source.html",
            Job::Page(i) if self.dossier.glossary.entry_of_page(i).is_some() => {
                "glossary_entry.html"
            }
            Job::Page(_) => "page.html",
        }
    }

    /// The site path of `job`'s page.
    fn url(&self, job: Job) -> String {
        let d = self.dossier;
        match job {
            Job::Home => String::new(),
            Job::Sources => Urls::sources(),
            Job::NotFound => "404.html".into(),
            Job::Quotes => Urls::quotes(),
            Job::Glossary => Urls::glossary(),
            Job::Source(i) => Urls::source(&d.seeds[i].id),
            Job::Page(i) => Urls::page(&d.pages[i].path),
        }
    }

    fn render_job(&self, job: Job) -> Result<String, Diagnostic> {
        let d = self.dossier;
        let mut ctx = tera::Context::new();
        match job {
            Job::Home => {
                let home = d.pages.iter().position(|p| p.path.is_empty());
                if let Some(i) = home {
                    ctx.insert("page", &self.page_ctx(i));
                }
                ctx.insert("sources", &self.source_summaries());
                ctx.insert("latest", &self.latest_pages());
            }
            Job::Sources => ctx.insert("sources", &self.source_summaries()),
            Job::NotFound => {}
            Job::Quotes => {
                ctx.insert("speakers", &self.quote_index());
                ctx.insert("total", &self.dossier.quotations.len());
            }
            Job::Source(i) => ctx.insert("source", &self.source_ctx(i)),
            Job::Glossary => {
                if let Some(i) = d.pages.iter().position(|p| p.path == "glossary") {
                    ctx.insert("page", &self.page_ctx(i));
                }
                let (kinds, names) = self.glossary_index();
                ctx.insert("kinds", &kinds);
                ctx.insert("names", &names);
            }
            Job::Page(i) => {
                ctx.insert("page", &self.page_ctx(i));
                if let Some(e) = d.glossary.entry_of_page(i) {
                    ctx.insert("entry", &self.entry_ctx(e));
                }
            }
        }
        let template = self.template(job);
        let url = self.url(job);
        ctx.insert("site", &self.site);
        ctx.insert("current_url", &self.urls.href(&url));
        self.tera.render(template, &ctx).map_err(|e| {
            let origin = d
                .theme
                .templates
                .get(template)
                .map_or(template.to_string(), |t| t.origin.clone());
            Diagnostic::error(
                code::THEME,
                Location::file(origin),
                format!("template failed for /{url}: {e}"),
            )
        })
    }

    fn site_ctx<'d>(d: &'d Dossier, urls: &Urls) -> SiteCtx<'d> {
        let mut nav = vec![
            LinkCtx {
                title: "Sources".into(),
                url: urls.href(&Urls::sources()),
            },
            LinkCtx {
                title: "Quotes".into(),
                url: urls.href(&Urls::quotes()),
            },
        ];
        if !d.glossary.entries.is_empty() {
            nav.push(LinkCtx {
                title: "Glossary".into(),
                url: urls.href(&Urls::glossary()),
            });
        }
        let mut top: Vec<_> = d
            .pages
            .iter()
            .filter(|p| p.has_own_url() && !p.path.contains('/'))
            .collect();
        top.sort_by(|a, b| (a.front.weight, &a.front.title).cmp(&(b.front.weight, &b.front.title)));
        nav.extend(top.into_iter().map(|p| LinkCtx {
            title: p.front.title.clone(),
            url: urls.href(&Urls::page(&p.path)),
        }));
        SiteCtx {
            title: &d.config.title,
            description: &d.config.description,
            language: &d.config.language,
            authors: &d.config.authors,
            base: &d.base.path,
            style: urls.href("style.css"),
            nav,
        }
    }

    fn source_summary(&self, i: usize) -> SourceSummary<'_> {
        let s = &self.dossier.seeds[i];
        SourceSummary {
            id: &s.id,
            title: s.title(),
            url: self.urls.href(&Urls::source(&s.id)),
            kind: s.sidecar.kind.as_deref(),
            publisher: s.sidecar.publisher.as_deref(),
            published: s.sidecar.published.as_deref(),
            published_inferred: s.sidecar.inferred.contains_key("published"),
            words: s.words,
            paragraphs: s.paragraphs.len(),
            citations: self.dossier.seed_citations[i].len(),
        }
    }

    fn source_summaries(&self) -> Vec<SourceSummary<'_>> {
        (0..self.dossier.seeds.len())
            .map(|i| self.source_summary(i))
            .collect()
    }

    /// Commentary pages, newest first (undated last), then by weight and title.
    fn latest_pages(&self) -> Vec<BTreeMap<&'static str, String>> {
        let mut pages: Vec<_> = self
            .dossier
            .pages
            .iter()
            .filter(|p| p.has_own_url() && p.entry.is_none())
            .collect();
        pages.sort_by(|a, b| {
            b.front
                .date
                .cmp(&a.front.date)
                .then(a.front.weight.cmp(&b.front.weight))
                .then(a.front.title.cmp(&b.front.title))
        });
        pages
            .into_iter()
            .take(20)
            .map(|p| {
                BTreeMap::from([
                    ("title", p.front.title.clone()),
                    ("url", self.urls.href(&Urls::page(&p.path))),
                    ("date", p.front.date.clone().unwrap_or_default()),
                    ("summary", summary(p)),
                ])
            })
            .collect()
    }

    fn page_ctx(&self, i: usize) -> PageCtx<'_> {
        let d = self.dossier;
        let page = &d.pages[i];
        let links: Vec<LinkOut> = page
            .scan
            .links
            .iter()
            .zip(&d.targets[i])
            .enumerate()
            .map(|(li, (link, target))| {
                if let Some(&q) = d.quotation_of_link.get(&(i, li)) {
                    let q = &d.quotations[q];
                    let seed = &d.seeds[q.seed];
                    let parts: Vec<&str> = q.parts.iter().map(|r| &seed.text[r.clone()]).collect();
                    return LinkOut {
                        href: self.urls.passage(&seed.id, &q.id, &parts),
                        id: Some(markdown::Link::anchor(li)),
                        class: Some("cite quote"),
                    };
                }
                let (id, class) = match target {
                    Target::Seed { .. } => (Some(markdown::Link::anchor(li)), Some("cite")),
                    Target::Page { .. } => (Some(markdown::Link::anchor(li)), Some("xref")),
                    _ => (None, None),
                };
                LinkOut {
                    href: self.urls.target(d, target, &link.dest),
                    id,
                    class,
                }
            })
            .collect();
        let terms = self.page_terms(i);
        let key = crate::fingerprint::key(&(
            page.body(),
            &links,
            &page.scan.headings,
            &terms,
            d.config.unsafe_html,
        ));
        let content = self.cache.html(key, || {
            let html = markdown::to_html(
                page.body(),
                &links,
                &page.scan.headings,
                &terms,
                &highlight::code_block,
            );
            if d.config.unsafe_html {
                html
            } else {
                sanitize::clean(&html)
            }
        });
        let cites = d
            .sources_of_page(i)
            .into_iter()
            .map(|(si, paragraphs)| {
                let seed = &d.seeds[si];
                let url = self.urls.href(&Urls::source(&seed.id));
                CitedSource {
                    id: seed.id.clone(),
                    title: seed.title().to_string(),
                    paragraphs: paragraphs
                        .into_iter()
                        .map(|n| LinkCtx {
                            title: format!("¶{n}"),
                            url: format!("{url}#p{n}"),
                        })
                        .collect(),
                    url,
                }
            })
            .collect();
        PageCtx {
            title: &page.front.title,
            path: &page.path,
            url: self.urls.href(&Urls::page(&page.path)),
            file: &page.file,
            date: page.front.date.as_deref(),
            authors: &page.front.authors,
            tags: &page.front.tags,
            summary: summary(page),
            content,
            toc: if page.front.toc {
                page.scan
                    .headings
                    .iter()
                    .filter(|h| (2..=3).contains(&h.level))
                    .collect()
            } else {
                Vec::new()
            },
            cites,
            backlinks: d.backlinks[i]
                .iter()
                .map(|&from| self.page_link(from))
                .collect(),
        }
    }

    fn page_link(&self, i: usize) -> LinkCtx {
        let p = &self.dossier.pages[i];
        LinkCtx {
            title: p.front.title.clone(),
            url: self.urls.href(&Urls::page(&p.path)),
        }
    }

    fn source_ctx(&self, i: usize) -> SourceCtx<'_> {
        let d = self.dossier;
        let s = &d.seeds[i];
        let mut by_paragraph = d.citations_of_seed(i);
        // One passage citing the same paragraph twice is one margin note.
        for cites in by_paragraph.values_mut() {
            cites.dedup_by(|a, b| {
                a.page == b.page
                    && d.pages[a.page].scan.links[a.link].passage
                        == d.pages[b.page].scan.links[b.link].passage
            });
        }
        let note = |c: &crate::model::Citation| {
            let page = &d.pages[c.page];
            let link = &page.scan.links[c.link];
            NoteCtx {
                page_title: page.front.title.clone(),
                url: format!(
                    "{}#{}",
                    self.urls.href(&Urls::page(&page.path)),
                    markdown::Link::anchor(c.link)
                ),
                link_text: link.text.clone(),
                excerpt: excerpt(&link.passage, 280),
            }
        };
        let whole_notes = by_paragraph
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .map(note)
            .collect();
        let text = s
            .paragraphs
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let next = s
                    .paragraphs
                    .get(k + 1)
                    .map_or(s.lines.len(), |n| n.lines.start);
                ParagraphCtx {
                    number: p.number,
                    lines: p
                        .lines
                        .clone()
                        .map(|l| LineCtx {
                            number: l + 1,
                            segments: self.segments(i, l),
                        })
                        .collect(),
                    speech: self.speech_notes(i, p.number),
                    notes: by_paragraph
                        .remove(&Some(p.number))
                        .unwrap_or_default()
                        .into_iter()
                        .map(note)
                        .collect(),
                    blank_after: (p.lines.end + 1..=next).collect(),
                }
            })
            .collect();
        let first = s
            .paragraphs
            .first()
            .map_or(s.lines.len(), |p| p.lines.start);
        let mut citing: Vec<usize> = d.citations_to_seed(i).map(|c| c.page).collect();
        citing.dedup();
        let recorded = s.sidecar.sha256.as_deref();
        SourceCtx {
            summary: self.source_summary(i),
            file_name: &s.file_name,
            file_url: self.urls.href(&Urls::source_file(&s.id, &s.file_name)),
            sidecar: s.sidecar_path.as_deref(),
            bytes: s.bytes.len(),
            sha256: &s.sha256,
            fixity: match recorded {
                Some(r) if r.trim().eq_ignore_ascii_case(&s.sha256) => "verified",
                Some(_) => "mismatch",
                None => "unrecorded",
            },
            encoding: &s.encoding,
            bom: s.had_bom,
            crlf: s.crlf,
            lossy: s.lossy,
            line_count: s.lines.len(),
            provenance: provenance_fields(s),
            notes: s
                .sidecar
                .notes
                .as_deref()
                .zip(s.notes.as_ref())
                .map(|(n, notes)| {
                    let links: Vec<LinkOut> = notes
                        .scan
                        .links
                        .iter()
                        .zip(&d.note_targets[i])
                        .map(|(link, target)| LinkOut {
                            href: self.urls.target(d, target, &link.dest),
                            id: None,
                            class: None,
                        })
                        .collect();
                    sanitize::clean(&markdown::to_html(
                        n,
                        &links,
                        &notes.scan.headings,
                        &markdown::TermLinks::new(),
                        &highlight::code_block,
                    ))
                }),
            history: d.history_of_seed(s),
            whole_notes,
            blank_before: (1..=first).collect(),
            text,
            cited_by: citing.into_iter().map(|p| self.page_link(p)).collect(),
        }
    }

    /// A link to glossary entry `entry` (its range is filled in by the caller where needed).
    fn term_link(&self, entry: usize, tip_id: String) -> markdown::TermLink {
        let d = self.dossier;
        markdown::TermLink {
            range: 0..0,
            href: self
                .urls
                .href(&Urls::page(&d.pages[d.glossary.entries[entry]].path)),
            tip: d.glossary.tips[entry].clone(),
            tip_id,
        }
    }

    /// The glossary links of page `page`, by text node.
    fn page_terms(&self, page: usize) -> markdown::TermLinks {
        let mut out = markdown::TermLinks::new();
        for o in &self.page_terms[page] {
            if let crate::glossary::Place::Page { node, .. } = o.place {
                let mut link = self.term_link(o.entry, format!("tip-{node}-{}", o.range.start));
                link.range = o.range.clone();
                out.entry(node).or_default().push(link);
            }
        }
        out
    }

    /// /glossary/: entries by kind, alphabetically, and the index of names.
    fn glossary_index(&self) -> (Vec<KindCtx>, Vec<EntrySummary>) {
        let d = self.dossier;
        let summary = |e: usize| {
            let page = &d.pages[d.glossary.entries[e]];
            let entry = page.entry.as_ref().expect("glossary entries have an entry");
            EntrySummary {
                term: entry.term.clone(),
                url: self.urls.href(&Urls::page(&page.path)),
                kind: entry.kind.label(),
                count: d.glossary.occurrences_of(e).len(),
                letter: entry
                    .term
                    .chars()
                    .find(|c| c.is_alphanumeric())
                    .map_or('#', |c| c.to_uppercase().next().unwrap_or(c))
                    .to_string(),
                aliases: entry.aliases.clone(),
                tip: d.glossary.tips[e].clone(),
            }
        };
        let mut all: Vec<(crate::load::pages::Kind, EntrySummary)> = (0..d.glossary.entries.len())
            .map(|e| {
                let kind = d.pages[d.glossary.entries[e]]
                    .entry
                    .as_ref()
                    .map(|x| x.kind)
                    .unwrap_or_default();
                (kind, summary(e))
            })
            .collect();
        all.sort_by(|a, b| {
            a.1.term
                .to_lowercase()
                .cmp(&b.1.term.to_lowercase())
                .then(a.1.url.cmp(&b.1.url))
        });
        let kinds = crate::load::pages::Kind::ALL
            .iter()
            .filter_map(|&k| {
                let entries: Vec<EntrySummary> = all
                    .iter()
                    .filter(|(kind, _)| *kind == k)
                    .map(|(_, e)| e.clone())
                    .collect();
                let mut letters: Vec<String> = entries.iter().map(|e| e.letter.clone()).collect();
                letters.dedup();
                (!entries.is_empty()).then(|| KindCtx {
                    id: k.label().to_string(),
                    title: k.plural(),
                    letters,
                    entries,
                })
            })
            .collect();
        let names = all
            .into_iter()
            .filter(|(k, _)| k.is_name())
            .map(|(_, e)| e)
            .collect();
        (kinds, names)
    }

    /// /glossary/<id>/: the entry with its concordance.
    fn entry_ctx(&self, e: usize) -> EntryCtx {
        let d = self.dossier;
        let page_index = d.glossary.entries[e];
        let page = &d.pages[page_index];
        let entry = page.entry.as_ref().expect("glossary entries have an entry");
        let mut groups: Vec<ConcordanceSource> = Vec::new();
        for o in d.glossary.occurrences_of(e) {
            let (title, url, kind, line) = match o.place {
                crate::glossary::Place::Seed { seed, paragraph } => {
                    let s = &d.seeds[seed];
                    let para = s.paragraph_range(paragraph);
                    let url = self.urls.href(&Urls::source(&s.id));
                    let line = kwic(
                        &s.text[para.clone()],
                        o.range.start - para.start..o.range.end - para.start,
                        format!("{url}#p{paragraph}"),
                        format!("¶{paragraph}"),
                    );
                    (s.title().to_string(), url, "source", line)
                }
                crate::glossary::Place::Page { page: p, node } => {
                    let pg = &d.pages[p];
                    let n = &pg.scan.texts[node];
                    let url = self.urls.href(&Urls::page(&pg.path));
                    let (text, range) = match n.block {
                        Some((b, off)) => (
                            pg.scan.blocks[b].as_str(),
                            off + o.range.start..off + o.range.end,
                        ),
                        None => (n.text.as_str(), o.range.clone()),
                    };
                    let line = kwic(text, range.clone(), String::new(), String::new());
                    let fragment = text_fragment(&line.before, &text[range], &line.after);
                    let line = KwicLine {
                        url: format!("{url}#:~:text={fragment}"),
                        ..line
                    };
                    (pg.front.title.clone(), url, "commentary", line)
                }
            };
            match groups.last_mut() {
                Some(g) if g.url == url => {
                    g.count += 1;
                    g.lines.push(line);
                }
                _ => groups.push(ConcordanceSource {
                    title,
                    url,
                    kind,
                    count: 1,
                    lines: vec![line],
                }),
            }
        }
        let quotations = d
            .quotations
            .iter()
            .filter(|q| q.origin == crate::model::QuoteOrigin::Seed)
            .filter(|q| {
                q.speaker
                    .as_ref()
                    .is_some_and(|s| format!("glossary/{}", s.id) == page.path)
            })
            .map(|q| {
                let s = &d.seeds[q.seed];
                let parts: Vec<&str> = q.parts.iter().map(|r| &s.text[r.clone()]).collect();
                LinkCtx {
                    title: parts.join(" … "),
                    url: self.urls.passage(&s.id, &q.id, &parts),
                }
            })
            .collect();
        EntryCtx {
            id: page.path.trim_start_matches("glossary/").to_string(),
            term: entry.term.clone(),
            kind: entry.kind.label(),
            aliases: entry.aliases.clone(),
            total: d.glossary.occurrences_of(e).len(),
            concordance: groups,
            quotations,
        }
    }

    /// Line `line` of seed `seed`, cut where quoted passages start and end.
    fn segments(&self, seed: usize, line: usize) -> Vec<SegmentCtx<'_>> {
        let d = self.dossier;
        let s = &d.seeds[seed];
        let range = s.lines[line].clone();
        let quotes: Vec<&crate::model::Quotation> = d.quotations_of_seed(seed).iter().collect();
        let terms: Vec<&&crate::glossary::Occurrence> = self.seed_terms[seed]
            .iter()
            .filter(|o| o.range.start < range.end && range.start < o.range.end)
            .collect();
        let mut cuts = vec![range.start, range.end];
        for q in &quotes {
            for p in &q.parts {
                cuts.extend([p.start, p.end].into_iter().filter(|c| range.contains(c)));
            }
        }
        for o in &terms {
            cuts.extend(
                [o.range.start, o.range.end]
                    .into_iter()
                    .filter(|c| range.contains(c)),
            );
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .map(|w| {
                let piece = w[0]..w[1];
                let covering: Vec<&&crate::model::Quotation> = quotes
                    .iter()
                    .filter(|q| {
                        q.parts
                            .iter()
                            .any(|p| p.start <= piece.start && piece.end <= p.end)
                    })
                    .collect();
                let cited_in: std::collections::BTreeSet<&str> = covering
                    .iter()
                    .flat_map(|q| {
                        q.cited_by
                            .iter()
                            .map(|(p, _)| d.pages[*p].front.title.as_str())
                    })
                    .collect();
                let speakers: std::collections::BTreeSet<&str> = covering
                    .iter()
                    .filter_map(|q| q.speaker.as_ref().map(|s| s.name.as_str()))
                    .collect();
                let mut title = speakers.into_iter().collect::<Vec<_>>().join(", ");
                if !cited_in.is_empty() {
                    if !title.is_empty() {
                        title.push_str(" · ");
                    }
                    title.push_str("quoted in ");
                    title.push_str(&cited_in.into_iter().collect::<Vec<_>>().join(", "));
                }
                let term = terms
                    .iter()
                    .find(|o| o.range.start <= piece.start && piece.end <= o.range.end)
                    .map(|o| self.term_link(o.entry, format!("tip-{}", piece.start)));
                SegmentCtx {
                    term,
                    text: &s.text[piece.clone()],
                    anchors: quotes
                        .iter()
                        .filter(|q| q.parts[0].start == piece.start)
                        .map(|q| q.id.as_str())
                        .collect(),
                    quoted: !covering.is_empty(),
                    cited: covering
                        .iter()
                        .any(|q| q.origin == crate::model::QuoteOrigin::Commentary),
                    title,
                }
            })
            .collect()
    }

    /// The seed's own direct speech in paragraph `paragraph`, for the margin.
    fn speech_notes(&self, seed: usize, paragraph: usize) -> Vec<SpeechCtx> {
        let d = self.dossier;
        d.quotations_of_seed(seed)
            .iter()
            .filter(|q| q.paragraph == paragraph && q.origin == crate::model::QuoteOrigin::Seed)
            .map(|q| SpeechCtx {
                speaker: q.speaker.as_ref().map(|s| s.name.clone()),
                speaker_url: format!(
                    "{}#{}",
                    self.urls.href(&Urls::quotes()),
                    q.speaker.as_ref().map_or("unattributed", |s| s.id.as_str())
                ),
                excerpt: excerpt(&d.seeds[seed].text[q.span()], 80),
                url: format!("#{}", q.id),
            })
            .collect()
    }

    /// Every quotation, by speaker (unattributed last), then source.
    fn quote_index(&self) -> Vec<SpeakerCtx> {
        let d = self.dossier;
        let mut by_speaker: BTreeMap<
            (bool, String, String),
            BTreeMap<usize, Vec<&crate::model::Quotation>>,
        > = BTreeMap::new();
        let inside_speech = |q: &crate::model::Quotation| {
            q.origin == crate::model::QuoteOrigin::Commentary
                && d.quotations_of_seed(q.seed).iter().any(|s| {
                    s.origin == crate::model::QuoteOrigin::Seed
                        && s.seed == q.seed
                        && s.span().start <= q.span().start
                        && q.span().end <= s.span().end
                })
        };
        // A commentary quotation of a seed's direct speech is listed under that speech.
        for q in d.quotations.iter().filter(|q| !inside_speech(q)) {
            let key = match &q.speaker {
                Some(s) => (false, s.name.clone(), s.id.clone()),
                None => (
                    true,
                    "Unattributed: the sources' own words".into(),
                    "unattributed".into(),
                ),
            };
            by_speaker
                .entry(key)
                .or_default()
                .entry(q.seed)
                .or_default()
                .push(q);
        }
        by_speaker
            .into_iter()
            .map(|((_, name, id), sources)| {
                let glossary = d.pages.iter().find(|p| p.path == format!("glossary/{id}"));
                SpeakerCtx {
                    url: glossary.map(|p| self.urls.href(&Urls::page(&p.path))),
                    count: sources.values().map(Vec::len).sum(),
                    sources: sources
                        .into_iter()
                        .map(|(seed, quotes)| {
                            let s = &d.seeds[seed];
                            QuoteSource {
                                title: s.title().to_string(),
                                url: self.urls.href(&Urls::source(&s.id)),
                                count: quotes.len(),
                                quotes: quotes
                                    .into_iter()
                                    .map(|q| {
                                        let parts: Vec<&str> =
                                            q.parts.iter().map(|r| &s.text[r.clone()]).collect();
                                        let mut pages: Vec<usize> =
                                            q.cited_by.iter().map(|(p, _)| *p).collect();
                                        pages.sort_unstable();
                                        pages.dedup();
                                        QuoteEntry {
                                            exact: parts.join(" … "),
                                            url: self.urls.passage(&s.id, &q.id, &parts),
                                            origin: match q.origin {
                                                crate::model::QuoteOrigin::Seed => "speech",
                                                crate::model::QuoteOrigin::Commentary => {
                                                    "commentary"
                                                }
                                            },
                                            paragraph: q.paragraph,
                                            cited_by: pages
                                                .into_iter()
                                                .map(|p| self.page_link(p))
                                                .collect(),
                                        }
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                    id,
                    name,
                }
            })
            .collect()
    }

    fn sitemap(&self) -> String {
        let d = self.dossier;
        let mut paths = vec![String::new(), Urls::sources(), Urls::quotes()];
        if !d.glossary.entries.is_empty() {
            paths.push(Urls::glossary());
        }
        paths.extend(d.seeds.iter().map(|s| Urls::source(&s.id)));
        paths.extend(
            d.pages
                .iter()
                .filter(|p| p.has_own_url())
                .map(|p| Urls::page(&p.path)),
        );
        paths.sort();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for path in paths {
            xml.push_str("  <url><loc>");
            let _ = pulldown_cmark_escape::escape_html(&mut xml, &self.urls.absolute(&path));
            xml.push_str("</loc></url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

fn provenance_fields(s: &crate::load::Seed) -> Vec<Field> {
    let p = &s.sidecar;
    let authors = (!p.authors.is_empty()).then(|| p.authors.join("; "));
    let fields: [(&'static str, &'static str, Option<String>, bool); 10] = [
        ("title", "Title", p.title.clone(), false),
        ("kind", "Kind", p.kind.clone(), false),
        ("publisher", "Publisher", p.publisher.clone(), false),
        ("authors", "Authors", authors, false),
        ("published", "Published", p.published.clone(), false),
        ("retrieved", "Retrieved", p.retrieved.clone(), false),
        ("url", "URL", p.url.clone(), true),
        (
            "archived_url",
            "Archived copy",
            p.archived_url.clone(),
            true,
        ),
        ("language", "Language", p.language.clone(), false),
        ("rights", "Rights", p.rights.clone(), false),
    ];
    fields
        .into_iter()
        .filter_map(|(key, label, value, is_url)| {
            let inferred = p.inferred.get(key).cloned();
            let value = value.or_else(|| inferred.as_ref().map(|_| "unknown".to_string()))?;
            Some(Field {
                key,
                label,
                is_url: is_url && (value.starts_with("https://") || value.starts_with("http://")),
                value,
                inferred,
            })
        })
        .collect()
}

/// How many words of context a concordance line shows on each side.
const KWIC_WORDS: usize = 7;

/// A keyword-in-context line: a few words either side of `range` in `text`.
fn kwic(text: &str, range: std::ops::Range<usize>, url: String, label: String) -> KwicLine {
    let before: Vec<&str> = text[..range.start].split_whitespace().collect();
    let after: Vec<&str> = text[range.end..].split_whitespace().collect();
    let lead = if before.len() > KWIC_WORDS {
        "… "
    } else {
        ""
    };
    let tail = if after.len() > KWIC_WORDS { " …" } else { "" };
    let space_before = text[..range.start].ends_with(char::is_whitespace);
    let space_after = text[range.end..].starts_with(char::is_whitespace);
    KwicLine {
        before: format!(
            "{lead}{}{}",
            before[before.len().saturating_sub(KWIC_WORDS)..].join(" "),
            if space_before && !before.is_empty() {
                " "
            } else {
                ""
            }
        ),
        term: text[range].to_string(),
        after: format!(
            "{}{}{tail}",
            if space_after && !after.is_empty() {
                " "
            } else {
                ""
            },
            after[..after.len().min(KWIC_WORDS)].join(" ")
        ),
        url,
        label,
    }
}

/// A URL text fragment (`prefix-,term,-suffix`) that finds this occurrence on its page.
fn text_fragment(before: &str, term: &str, after: &str) -> String {
    crate::text::text_fragment(before, term, after)
}

/// The page's summary, or its first words.
fn summary(page: &crate::load::Page) -> String {
    match &page.front.summary {
        Some(s) => s.clone(),
        None => excerpt(&page.scan.plain, 200),
    }
}

/// `text` cut at a word boundary near `max` characters.
fn excerpt(text: &str, max: usize) -> String {
    crate::text::excerpt(text, max)
}
