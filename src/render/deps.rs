//! What each rendered page reads from the model, so that a rebuild re-renders only the pages
//! whose inputs changed. A page's key hashes its template (with every template it extends or
//! includes), the site-wide settings and the fingerprint of each input it reads; equal keys
//! mean equal bytes. Keep [`Renderer::reads`] in step with the context functions in `mod.rs`:
//! a read missing here serves a stale page, which `tests/incremental.rs` exists to catch.

use super::{Job, Renderer};
use crate::model::Target;
use std::collections::BTreeMap;

/// One input a rendered page may read, beyond the site-wide settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Input {
    /// A seed: its bytes, sidecar, and git history.
    Seed(usize),
    /// A commentary page's file (so also its title, links, glossary entry).
    Page(usize),
    /// A glossary entry's URL and tooltip (the first sentence of its definition).
    Tip(usize),
    /// Every glossary entry's names and kind: what is matched in texts and who speaks.
    Names,
}

/// The fingerprint of every input of one build.
pub(super) struct Fingerprints {
    seeds: Vec<u64>,
    pages: Vec<u64>,
    tips: Vec<u64>,
    names: u64,
    /// Configuration, base URL and navigation: read by every page.
    site: u64,
    /// Each template with the templates it refers to, by name.
    templates: BTreeMap<String, u64>,
}

impl Fingerprints {
    pub(super) fn new(r: &Renderer<'_>) -> Fingerprints {
        let d = r.dossier;
        let glossary = &d.glossary;
        let names = crate::fingerprint::key(
            &glossary
                .entries
                .iter()
                .map(|&p| (&d.pages[p].path, &d.pages[p].entry))
                .collect::<Vec<_>>(),
        );
        let config = serde_json::to_string(&d.config).unwrap_or_default();
        let nav = serde_json::to_string(&r.site).unwrap_or_default();
        Fingerprints {
            seeds: d
                .seeds
                .iter()
                .map(|s| {
                    let history: Vec<&str> = d
                        .history_of_seed(s)
                        .iter()
                        .map(|c| c.hash.as_str())
                        .collect();
                    crate::fingerprint::key(&(s.fingerprint, &s.path, history))
                })
                .collect(),
            pages: d
                .pages
                .iter()
                .map(|p| crate::fingerprint::key(&(p.fingerprint, &p.file)))
                .collect(),
            tips: glossary
                .entries
                .iter()
                .zip(&glossary.tips)
                .map(|(&p, tip)| crate::fingerprint::key(&(&d.pages[p].path, tip)))
                .collect(),
            names,
            site: crate::fingerprint::key(&(config, &d.base.origin, &d.base.path, nav)),
            templates: template_closures(&d.theme),
        }
    }

    /// The key of `job`'s output with `template`, or `None` when the page reads the whole
    /// dossier (the home page and the indexes), which is rendered every time.
    pub(super) fn key(&self, r: &Renderer<'_>, job: Job, template: &str) -> Option<u64> {
        let inputs = r.reads(job)?;
        // The page's own input is named apart: two pages that read the same set of inputs
        // (two pages linking only to each other) are still two pages.
        let own = match job {
            Job::Source(i) => Some(self.seeds[i]),
            Job::Page(i) => Some(self.pages[i]),
            _ => None,
        };
        let what = (job.tag(), own, template, self.templates.get(template));
        Some(self.key_of(what, inputs))
    }

    /// The key of page `page`'s annotations: its quotations and margin notes, with the
    /// passages of the seeds they point to.
    pub(super) fn annotations_key(&self, r: &Renderer<'_>, page: usize) -> u64 {
        let mut inputs = vec![Input::Page(page)];
        inputs.extend(r.dossier.targets[page].iter().filter_map(linked));
        self.key_of(("annotations", self.pages[page]), inputs)
    }

    fn key_of(&self, what: impl std::hash::Hash, mut inputs: Vec<Input>) -> u64 {
        inputs.sort_unstable();
        inputs.dedup();
        // Fingerprints, not indexes: adding a seed shifts indexes but changes no page.
        let prints: Vec<(u8, u64)> = inputs
            .into_iter()
            .map(|input| match input {
                Input::Seed(i) => (0, self.seeds[i]),
                Input::Page(i) => (1, self.pages[i]),
                Input::Tip(e) => (2, self.tips[e]),
                Input::Names => (3, self.names),
            })
            .collect();
        crate::fingerprint::key(&(what, self.site, prints))
    }
}

/// The seed or page a link reads (its URL, anchors, quoted words, title).
fn linked(target: &Target) -> Option<Input> {
    match target {
        Target::Seed { seed, .. } => Some(Input::Seed(*seed)),
        Target::Page { page, .. } => Some(Input::Page(*page)),
        Target::AsWritten | Target::SamePage(_) => None,
    }
}

/// For each template, a key of its source and of every template it names (`extends`,
/// `include`, `import`), transitively. A name is found as a quoted string, which may
/// over-count but never misses one.
fn template_closures(theme: &crate::load::theme::Theme) -> BTreeMap<String, u64> {
    let names: Vec<&String> = theme.templates.keys().collect();
    let refers: BTreeMap<&str, Vec<&str>> = theme
        .templates
        .iter()
        .map(|(name, t)| {
            let named = names
                .iter()
                .filter(|n| {
                    t.source.contains(&format!("\"{n}\"")) || t.source.contains(&format!("'{n}'"))
                })
                .map(|n| n.as_str())
                .collect();
            (name.as_str(), named)
        })
        .collect();
    theme
        .templates
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::from([name.as_str()]);
            let mut todo = vec![name.as_str()];
            while let Some(n) = todo.pop() {
                for &m in refers.get(n).into_iter().flatten() {
                    if seen.insert(m) {
                        todo.push(m);
                    }
                }
            }
            let sources: Vec<(&str, &str)> = seen
                .into_iter()
                .map(|n| (n, theme.templates[n].source.as_str()))
                .collect();
            (name.clone(), crate::fingerprint::key(&sources))
        })
        .collect()
}

impl Renderer<'_> {
    /// The inputs `job` reads besides the site-wide settings; `None` for everything.
    pub(super) fn reads(&self, job: Job) -> Option<Vec<Input>> {
        let d = self.dossier;
        let mut inputs = Vec::new();
        match job {
            Job::Home | Job::Sources | Job::Quotes | Job::Glossary => return None,
            Job::NotFound => {}
            Job::Page(i) => {
                inputs.extend([Input::Page(i), Input::Names]);
                // Links, with a quotation's words and the sources cited: a quotation's link
                // targets its seed.
                inputs.extend(d.targets[i].iter().filter_map(linked));
                inputs.extend(d.backlinks[i].iter().map(|&p| Input::Page(p)));
                inputs.extend(self.page_terms[i].iter().map(|o| Input::Tip(o.entry)));
                if let Some(e) = d.glossary.entry_of_page(i) {
                    // The concordance, and the speech of the person the entry is about.
                    inputs.extend(d.glossary.occurrences_of(e).iter().map(|o| match o.place {
                        crate::glossary::Place::Seed { seed, .. } => Input::Seed(seed),
                        crate::glossary::Place::Page { page, .. } => Input::Page(page),
                    }));
                    let id = d.pages[i].path.trim_start_matches("glossary/");
                    inputs.extend(
                        d.quotations
                            .iter()
                            .filter(|q| q.speaker.as_ref().is_some_and(|s| s.id == id))
                            .map(|q| Input::Seed(q.seed)),
                    );
                }
            }
            Job::Source(i) => {
                inputs.extend([Input::Seed(i), Input::Names]);
                // The links of its sidecar's notes.
                inputs.extend(d.note_targets[i].iter().filter_map(linked));
                // Margin notes, "cited in", and the quoted passages with their titles (a
                // quotation's link is a citation too).
                inputs.extend(d.citations_to_seed(i).map(|c| Input::Page(c.page)));
                inputs.extend(self.seed_terms[i].iter().map(|o| Input::Tip(o.entry)));
            }
        }
        Some(inputs)
    }
}
