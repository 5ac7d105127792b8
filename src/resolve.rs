//! Stage 2, resolve: the loaded inputs become the [`Dossier`] model. Ids are checked for
//! uniqueness, every reference is resolved (or reported with the nearest existing target),
//! and the citation and backlink maps are derived.

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Inputs, Page, Seed};
use crate::model::{
    Citation, Dossier, Entry, Id, IdVec, PageId, PageNode, Quotation, QuoteId, SeedAnchor, SeedId,
    SeedNode, Speaker, Target,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What the engines resolve uses keep between a session's rebuilds.
#[derive(Default)]
pub struct Cache {
    glossary: crate::glossary::Cache,
    quotes: crate::quotes::Cache,
}

/// First URL segments the site generates itself; pages may not take them.
const RESERVED: &[&str] = &["sources", "quotes", "search"];

/// Builds the model. Problems go to `diags`; the model is returned regardless, so that a
/// `check` still sees every problem at once.
pub fn resolve(inputs: Inputs, cache: &mut Cache, diags: &mut Diagnostics) -> Dossier {
    let Inputs {
        config,
        base,
        mut seeds,
        mut pages,
        drafts,
        theme,
        history,
    } = inputs;
    seeds.sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    pages.sort_by(|a, b| a.path.cmp(&b.path).then(a.file.cmp(&b.file)));
    check_unique_seeds(&seeds, diags);
    check_unique_pages(&pages, diags);

    // With duplicate ids (an error reported above), references go to the first seed.
    let mut seed_ids: BTreeMap<&str, SeedId> = BTreeMap::new();
    for (i, s) in seeds.iter().enumerate() {
        seed_ids
            .entry(s.id.as_str())
            .or_insert(SeedId::from_index(i));
    }
    let seed_files: BTreeMap<&str, SeedId> = seeds
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), SeedId::from_index(i)))
        .collect();
    let page_paths: BTreeMap<&str, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), PageId::from_index(i)))
        .collect();
    let page_files: BTreeMap<&str, PageId> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.file.as_str(), PageId::from_index(i)))
        .collect();
    let resolver = Resolver {
        seeds: &seeds,
        pages: &pages,
        seed_ids,
        seed_files,
        page_paths,
        page_files,
        drafts: &drafts,
    };

    let mut targets = Vec::with_capacity(pages.len());
    let mut citations = Vec::new();
    let mut backlinks = vec![BTreeSet::new(); pages.len()];
    for (i, page) in pages.iter().enumerate() {
        let pi = PageId::from_index(i);
        let mut page_targets = Vec::with_capacity(page.scan.links.len());
        for (li, link) in page.scan.links.iter().enumerate() {
            let target = match resolver.resolve(Origin::Page(page), &link.dest) {
                Ok(target) => target,
                Err(problem) => {
                    let location = Location::span(&page.file, &page.text, link.dest_span.clone());
                    diags.push(problem.into_diagnostic(location));
                    Target::AsWritten
                }
            };
            match &target {
                Target::Seed { seed, anchor } => citations.push(Citation {
                    page: pi,
                    link: li,
                    seed: *seed,
                    paragraph: match *anchor {
                        SeedAnchor::Whole => None,
                        SeedAnchor::Paragraph(n) => Some(n),
                        SeedAnchor::Line(n) => seeds[seed.index()].paragraph_of_line(n),
                    },
                }),
                Target::Page { page: to, .. } if *to != pi => {
                    backlinks[to.index()].insert(pi);
                }
                _ => {}
            }
            page_targets.push(target);
        }
        targets.push(page_targets);
    }
    // Links in a sidecar's notes resolve like the commentary's, relative to seeds/.
    let note_targets: Vec<Vec<Target>> = seeds
        .iter()
        .enumerate()
        .map(|(si, seed)| {
            let si = SeedId::from_index(si);
            let Some(notes) = &seed.notes else {
                return Vec::new();
            };
            notes
                .scan
                .links
                .iter()
                .zip(&notes.link_locations)
                .map(|(link, at)| {
                    resolver
                        .resolve(Origin::Notes(si), &link.dest)
                        .unwrap_or_else(|problem| {
                            diags.push(problem.into_diagnostic(at.clone()));
                            Target::AsWritten
                        })
                })
                .collect()
        })
        .collect();
    citations.sort();
    let (quotations, quotation_of_link) =
        crate::quotes::resolve(&seeds, &pages, &targets, &mut cache.quotes, diags);
    let entries: IdVec<_, Entry> = crate::glossary::resolve(
        &pages,
        &seeds,
        config.glossary.link,
        &mut cache.glossary,
        diags,
    )
    .into();
    let mut quotations: IdVec<QuoteId, Quotation> = quotations.into();
    attribute_to_glossary(&mut quotations, &entries);

    let mut seed_nodes: IdVec<SeedId, SeedNode> = seeds
        .into_iter()
        .zip(note_targets)
        .map(|(seed, note_targets)| SeedNode {
            seed,
            note_targets,
            citations: Vec::new(),
            quotations: Vec::new(),
            terms: Vec::new(),
        })
        .collect();
    let mut page_nodes: IdVec<PageId, PageNode> = pages
        .into_iter()
        .zip(targets)
        .zip(backlinks)
        .map(|((page, targets), backlinks)| PageNode {
            page,
            targets,
            citations: Vec::new(),
            backlinks,
            quotations: BTreeMap::new(),
            entry: None,
            terms: Vec::new(),
        })
        .collect();
    for c in citations {
        seed_nodes[c.seed].citations.push(c.clone());
        page_nodes[c.page].citations.push(c);
    }
    for (id, q) in quotations.iter() {
        seed_nodes[q.seed].quotations.push(id);
    }
    for ((page, link), q) in quotation_of_link {
        page_nodes[page].quotations.insert(link, q);
    }
    for (id, e) in entries.iter() {
        page_nodes[e.page].entry = Some(id);
        for o in e.occurrences.iter().filter(|o| o.linked) {
            match o.place {
                crate::model::Place::Seed { seed, .. } => seed_nodes[seed].terms.push(o.clone()),
                crate::model::Place::Page { page, .. } => page_nodes[page].terms.push(o.clone()),
            }
        }
    }
    for terms in seed_nodes
        .values_mut()
        .map(|s| &mut s.terms)
        .chain(page_nodes.values_mut().map(|p| &mut p.terms))
    {
        terms.sort_by_key(|o| (o.place, o.range.start));
    }

    Dossier {
        config,
        base,
        theme,
        history,
        seeds: seed_nodes,
        pages: page_nodes,
        entries,
        quotations,
    }
}

/// Speakers become the glossary's people where an entry names them: by term or alias, or by
/// surname when exactly one person has it; a sidecar's speaker id names its entry directly.
/// This is the one place that sees both quotations and the glossary.
fn attribute_to_glossary(
    quotations: &mut IdVec<QuoteId, Quotation>,
    entries: &IdVec<crate::model::EntryId, Entry>,
) {
    let people: Vec<(crate::model::EntryId, &Entry)> = entries
        .iter()
        .filter(|(_, e)| e.kind == crate::load::pages::Kind::Person)
        .collect();
    let names = |e: &'_ Entry| -> Vec<String> {
        std::iter::once(&e.term)
            .chain(&e.aliases)
            .map(|n| n.to_lowercase())
            .collect()
    };
    let surname = |n: &str| n.split_whitespace().last().unwrap_or("").to_lowercase();
    for q in quotations.values_mut() {
        let Some(speaker) = &q.speaker else { continue };
        let name = speaker.name.to_lowercase();
        let by_name = people
            .iter()
            .find(|(_, e)| e.id == speaker.id || names(e).contains(&name));
        let by_surname = || {
            let matching: Vec<_> = people
                .iter()
                .filter(|(_, e)| names(e).iter().any(|n| surname(n) == surname(&name)))
                .collect();
            (matching.len() == 1).then(|| *matching[0])
        };
        if let Some((id, e)) = by_name.copied().or_else(by_surname) {
            q.speaker = Some(Speaker {
                id: e.id.clone(),
                name: e.term.clone(),
                entry: Some(id),
            });
        }
    }
}

fn check_unique_seeds(seeds: &[Arc<Seed>], diags: &mut Diagnostics) {
    for pair in seeds.windows(2) {
        if pair[0].id == pair[1].id {
            let at = pair[1]
                .sidecar_path
                .clone()
                .unwrap_or_else(|| pair[1].path.clone());
            diags.push(
                Diagnostic::error(
                    code::DUPLICATE,
                    Location::file(at),
                    format!(
                        "seeds {} and {} both have the id `{}`",
                        pair[0].path, pair[1].path, pair[0].id
                    ),
                )
                .with_hint("give one of them another `id:` in its sidecar"),
            );
        }
    }
}

fn check_unique_pages(pages: &[Arc<Page>], diags: &mut Diagnostics) {
    for pair in pages.windows(2) {
        if pair[0].path == pair[1].path {
            diags.push(
                Diagnostic::error(
                    code::DUPLICATE,
                    Location::file(&pair[1].file),
                    format!(
                        "{} and {} both become the page /{}/",
                        pair[0].file, pair[1].file, pair[0].path
                    ),
                )
                .with_hint("rename one of them"),
            );
        }
    }
    for page in pages {
        let first = page.path.split('/').next().unwrap_or("");
        if RESERVED.contains(&first) {
            diags.push(
                Diagnostic::error(
                    code::DUPLICATE,
                    Location::file(&page.file),
                    format!("the URL /{}/ belongs to the generated site", page.path),
                )
                .with_hint(format!(
                    "pages may not live under {}",
                    RESERVED
                        .iter()
                        .map(|r| format!("/{r}/"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}

/// Why a reference failed, before it is placed at a file position.
struct Problem {
    code: &'static str,
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(code: &'static str, message: String, hint: Option<String>) -> Self {
        Problem {
            code,
            message,
            hint,
        }
    }

    fn into_diagnostic(self, location: Location) -> Diagnostic {
        let d = Diagnostic::error(self.code, location, self.message);
        match self.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

/// Where a reference is written.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Page(&'a Page),
    /// The `notes:` of seed `n`'s sidecar.
    Notes(SeedId),
}

impl Origin<'_> {
    /// The folder relative links start from.
    fn dir(&self) -> &str {
        match self {
            Origin::Page(page) => page.dir(),
            Origin::Notes(_) => "seeds",
        }
    }
}

struct Resolver<'a> {
    seeds: &'a [Arc<Seed>],
    pages: &'a [Arc<Page>],
    seed_ids: BTreeMap<&'a str, SeedId>,
    seed_files: BTreeMap<&'a str, SeedId>,
    page_paths: BTreeMap<&'a str, PageId>,
    page_files: BTreeMap<&'a str, PageId>,
    drafts: &'a BTreeSet<String>,
}

const SCHEMES: &[&str] = &["seed", "page", "term"];
const EXTERNAL: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

impl Resolver<'_> {
    fn resolve(&self, from: Origin<'_>, dest: &str) -> Result<Target, Problem> {
        if let Some(fragment) = dest.strip_prefix('#') {
            return match from {
                Origin::Page(page) => self
                    .page_anchor(page, fragment)
                    .map(|_| Target::SamePage(fragment.to_string())),
                Origin::Notes(seed) => self.seed(seed, Some(fragment)),
            };
        }
        let (before, fragment) = match dest.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (dest, None),
        };
        if let Some((scheme, rest)) = before.split_once(':') {
            if !scheme.contains('/') {
                return match scheme {
                    "seed" => self.seed(self.seed_by_id(rest)?, fragment),
                    "page" => self.page(self.page_by_path(rest.trim_matches('/'))?, fragment),
                    "term" => self.term(rest, fragment),
                    s if EXTERNAL.contains(&s.to_ascii_lowercase().as_str()) => Ok(Target::AsWritten),
                    s => Err(Problem::new(
                        code::UNRESOLVED,
                        format!("unknown reference form `{s}:`"),
                        Some(match crate::paths::nearest(s, SCHEMES.iter().copied()) {
                            Some(near) => format!("did you mean `{near}:`?"),
                            None => "references are `seed:`, `page:`, `term:`, a relative path, or an http(s) URL".into(),
                        }),
                    )),
                };
            }
        }
        if before.is_empty() {
            return Err(Problem::new(
                code::UNRESOLVED,
                "empty link target".into(),
                None,
            ));
        }
        let decoded = percent_encoding::percent_decode_str(before).decode_utf8_lossy();
        let Some(path) = crate::paths::join_inside(from.dir(), &decoded) else {
            return Err(Problem::new(
                code::OUTSIDE_ROOT,
                format!("link `{before}` leaves the dossier's root"),
                Some("link only to pages in content/ and seeds in seeds/".into()),
            ));
        };
        if let Some(&seed) = self.seed_files.get(path.as_str()) {
            return self.seed(seed, fragment);
        }
        if let Some(&page) = self.page_files.get(path.as_str()) {
            return self.page(page, fragment);
        }
        let candidates = self
            .seed_files
            .keys()
            .chain(self.page_files.keys())
            .copied();
        let hint = match crate::paths::nearest(&path, candidates) {
            Some(near) => Some(format!(
                "did you mean `{}`?",
                relative_from(from.dir(), near)
            )),
            None if path.starts_with("content/")
                && self
                    .drafts
                    .contains(&crate::load::pages::page_path(&path["content/".len()..])) =>
            {
                Some(
                    "that page is a draft: build with --drafts, or link to it once it is published"
                        .into(),
                )
            }
            None => Some(
                "relative links must name a .md file in content/ or a .txt file in seeds/".into(),
            ),
        };
        Err(Problem::new(
            code::UNRESOLVED,
            format!("`{before}` is not a page or seed of this dossier ({path})"),
            hint,
        ))
    }

    fn seed_by_id(&self, id: &str) -> Result<SeedId, Problem> {
        self.seed_ids.get(id).copied().ok_or_else(|| {
            let hint = match crate::paths::nearest(id, self.seed_ids.keys().copied()) {
                Some(near) => format!("did you mean `seed:{near}`?"),
                None => format!("seeds: {}", short_list(self.seed_ids.keys().copied())),
            };
            Problem::new(
                code::UNRESOLVED,
                format!("no seed with the id `{id}`"),
                Some(hint),
            )
        })
    }

    fn page_by_path(&self, path: &str) -> Result<PageId, Problem> {
        self.page_paths.get(path).copied().ok_or_else(|| {
            let hint = if self.drafts.contains(path) {
                "that page is a draft: build with --drafts, or link to it once it is published"
                    .to_string()
            } else {
                match crate::paths::nearest(path, self.page_paths.keys().copied()) {
                    Some(near) => format!("did you mean `page:{near}`?"),
                    None => format!("pages: {}", short_list(self.page_paths.keys().copied())),
                }
            };
            Problem::new(code::UNRESOLVED, format!("no page `{path}`"), Some(hint))
        })
    }

    /// Glossary entries are pages under `glossary/` until the glossary has its own model.
    fn term(&self, id: &str, fragment: Option<&str>) -> Result<Target, Problem> {
        let path = format!("glossary/{id}");
        match self.page_paths.get(path.as_str()) {
            Some(&page) => self.page(page, fragment),
            None => {
                let terms = self
                    .page_paths
                    .keys()
                    .filter_map(|p| p.strip_prefix("glossary/"));
                let hint =
                    crate::paths::nearest(id, terms).map(|n| format!("did you mean `term:{n}`?"));
                Err(Problem::new(
                    code::UNRESOLVED,
                    format!("no glossary entry `{id}`"),
                    hint,
                ))
            }
        }
    }

    fn seed(&self, seed: SeedId, fragment: Option<&str>) -> Result<Target, Problem> {
        let s = &self.seeds[seed.index()];
        let anchor = match fragment {
            None | Some("") => SeedAnchor::Whole,
            Some(f) => {
                let number =
                    |prefix: char| f.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
                match (number('p'), number('L')) {
                    (Some(n), _) if (1..=s.paragraphs.len()).contains(&n) => {
                        SeedAnchor::Paragraph(n)
                    }
                    (_, Some(n)) if (1..=s.lines.len()).contains(&n) => SeedAnchor::Line(n),
                    _ => {
                        return Err(Problem::new(
                            code::MISSING_ANCHOR,
                            format!("seed `{}` has no anchor `#{f}`", s.id),
                            Some(format!(
                                "it has paragraphs #p1–#p{} and lines #L1–#L{}",
                                s.paragraphs.len(),
                                s.lines.len()
                            )),
                        ))
                    }
                }
            }
        };
        Ok(Target::Seed { seed, anchor })
    }

    fn page(&self, page: PageId, fragment: Option<&str>) -> Result<Target, Problem> {
        let anchor = match fragment {
            None | Some("") => None,
            Some(f) => {
                self.page_anchor(&self.pages[page.index()], f)?;
                Some(f.to_string())
            }
        };
        Ok(Target::Page { page, anchor })
    }

    fn page_anchor(&self, page: &Page, fragment: &str) -> Result<(), Problem> {
        let ids: Vec<String> = page
            .scan
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain((0..page.scan.links.len()).map(crate::markdown::Link::anchor))
            .collect();
        if ids.iter().any(|id| id == fragment) {
            return Ok(());
        }
        let headings = page.scan.headings.iter().map(|h| h.id.as_str());
        let hint = match crate::paths::nearest(fragment, headings) {
            Some(near) => format!("did you mean `#{near}`?"),
            None if page.scan.headings.is_empty() => "that page has no headings".into(),
            None => format!(
                "its headings: {}",
                short_list(page.scan.headings.iter().map(|h| h.id.as_str()))
            ),
        };
        Err(Problem::new(
            code::MISSING_ANCHOR,
            format!("{} has no heading `#{fragment}`", page.file),
            Some(hint),
        ))
    }
}

fn short_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        return "none yet".into();
    }
    let mut s = items
        .iter()
        .take(6)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > 6 {
        s.push_str(&format!(" and {} more", items.len() - 6));
    }
    s
}

/// `target` (relative to the root) as a relative link from folder `from_dir`.
fn relative_from(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative_from;

    #[test]
    fn relative_links_for_hints() {
        assert_eq!(
            relative_from("content/analysis", "seeds/a.txt"),
            "../../seeds/a.txt"
        );
        assert_eq!(relative_from("content", "content/b.md"), "b.md");
    }
}
