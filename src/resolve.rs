//! Stage 2, resolve: the loaded inputs become the [`Dossier`] model. Ids are checked for
//! uniqueness, every reference is resolved (or reported with the nearest existing target),
//! and the citation and backlink maps are derived.

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Inputs, Page, Seed};
use crate::model::{Citation, Dossier, SeedAnchor, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// First URL segments the site generates itself; pages may not take them.
const RESERVED: &[&str] = &["sources", "quotes", "search"];

/// Builds the model. Problems go to `diags`; the model is returned regardless, so that a
/// `check` still sees every problem at once.
pub fn resolve(
    inputs: Inputs,
    glossary_cache: &mut crate::glossary::Cache,
    diags: &mut Diagnostics,
) -> Dossier {
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
    let mut seed_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in seeds.iter().enumerate() {
        seed_ids.entry(s.id.as_str()).or_insert(i);
    }
    let seed_files: BTreeMap<&str, usize> = seeds
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    let page_paths: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    let page_files: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.file.as_str(), i))
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
    for (pi, page) in pages.iter().enumerate() {
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
                        SeedAnchor::Line(n) => seeds[*seed].paragraph_of_line(n),
                    },
                }),
                Target::Page { page: to, .. } if *to != pi => {
                    backlinks[*to].insert(pi);
                }
                _ => {}
            }
            page_targets.push(target);
        }
        targets.push(page_targets);
    }
    // Links in a sidecar's notes resolve like the commentary's, relative to seeds/.
    let note_targets = seeds
        .iter()
        .enumerate()
        .map(|(si, seed)| {
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
    let mut seed_citations = vec![Vec::new(); seeds.len()];
    for (i, c) in citations.iter().enumerate() {
        seed_citations[c.seed].push(i);
    }
    let (mut quotations, quotation_of_link) =
        crate::quotes::resolve(&seeds, &pages, &targets, diags);
    let glossary =
        crate::glossary::resolve(&pages, &seeds, config.glossary.link, glossary_cache, diags);
    crate::quotes::attribute_to_glossary(&mut quotations, &pages, &glossary);

    Dossier {
        config,
        base,
        seeds,
        pages,
        theme,
        history,
        targets,
        note_targets,
        citations,
        backlinks,
        quotations,
        quotation_of_link,
        seed_citations,
        glossary,
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
    Notes(usize),
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
    seed_ids: BTreeMap<&'a str, usize>,
    seed_files: BTreeMap<&'a str, usize>,
    page_paths: BTreeMap<&'a str, usize>,
    page_files: BTreeMap<&'a str, usize>,
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

    fn seed_by_id(&self, id: &str) -> Result<usize, Problem> {
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

    fn page_by_path(&self, path: &str) -> Result<usize, Problem> {
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

    fn seed(&self, seed: usize, fragment: Option<&str>) -> Result<Target, Problem> {
        let s = &self.seeds[seed];
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

    fn page(&self, page: usize, fragment: Option<&str>) -> Result<Target, Problem> {
        let anchor = match fragment {
            None | Some("") => None,
            Some(f) => {
                self.page_anchor(&self.pages[page], f)?;
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
