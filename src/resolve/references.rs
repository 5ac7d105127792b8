//! References: a link's destination (`seed:`, `page:`, `term:`, a relative path, an anchor)
//! resolved to a [`Target`], or a problem with the nearest existing target as a hint.

use crate::diagnostics::{code, Diagnostic, Location};
use crate::load::assets::Assets;
use crate::load::{Page, Seed};
use crate::model::{Id, PageId, SeedAnchor, SeedId, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Why a reference failed, before it is placed at a file position.
pub(super) struct Problem {
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

    pub(super) fn into_diagnostic(self, location: Location) -> Diagnostic {
        let d = Diagnostic::error(self.code, location, self.message);
        match self.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

/// Where a reference is written.
#[derive(Clone, Copy)]
pub(super) enum Origin<'a> {
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

pub(super) struct Resolver<'a> {
    pub seeds: &'a [Arc<Seed>],
    pub pages: &'a [Arc<Page>],
    pub seed_ids: BTreeMap<&'a str, SeedId>,
    pub seed_files: BTreeMap<&'a str, SeedId>,
    pub page_paths: BTreeMap<&'a str, PageId>,
    pub page_files: BTreeMap<&'a str, PageId>,
    /// Glossary entry id → the entry's page.
    pub entry_ids: BTreeMap<&'a str, PageId>,
    pub drafts: &'a BTreeSet<String>,
    /// Files published as they are, by source file and by output path.
    pub assets: &'a Assets,
    /// Every file at a path of its own in the site's root: assets and the theme's static files.
    pub site_files: BTreeSet<&'a str>,
    /// Every page's heading ids, by the page's file (see [`heading_ids`]).
    pub headings: HashMap<&'a str, HashSet<&'a str>>,
}

/// Every page's heading ids, for [`Resolver::headings`]: built once, so that checking a
/// link's anchor does not walk its page's headings.
pub(super) fn heading_ids(pages: &[Arc<Page>]) -> HashMap<&str, HashSet<&str>> {
    pages
        .iter()
        .map(|p| {
            let ids = p.scan.headings.iter().map(|h| h.id.as_str()).collect();
            (p.file.as_str(), ids)
        })
        .collect()
}

const SCHEMES: &[&str] = &["seed", "page", "term"];
const EXTERNAL: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

impl Resolver<'_> {
    pub(super) fn resolve(&self, from: Origin<'_>, dest: &str) -> Result<Target, Problem> {
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
        if before.starts_with('/') {
            return self.site_file(before, fragment);
        }
        let path = self.inside(from, before)?;
        if let Some(&seed) = self.seed_files.get(path.as_str()) {
            return self.seed(seed, fragment);
        }
        if let Some(&page) = self.page_files.get(path.as_str()) {
            return self.page(page, fragment);
        }
        if !path.ends_with(".md") && !path.ends_with(".txt")
            || self.assets.by_file.contains_key(&path)
            || self.assets.unpublished.contains(&path)
        {
            return self.file(from, before, &path, fragment);
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

    /// An image's source: a published file (relative, or `/path` from the site root) or an
    /// external URL; never a page or a seed.
    pub(super) fn image(&self, from: Origin<'_>, dest: &str) -> Result<Target, Problem> {
        let (before, fragment) = match dest.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (dest, None),
        };
        if let Some((scheme, _)) = before.split_once(':') {
            let scheme = scheme.to_ascii_lowercase();
            if EXTERNAL.contains(&scheme.as_str()) || scheme == "data" {
                return Ok(Target::AsWritten);
            }
        }
        if before.is_empty() || before.contains(':') {
            return Err(Problem::new(
                code::UNRESOLVED,
                format!("image `{dest}` is not a file"),
                Some("an image's source is a file in static/ or in a page's folder, or an http(s) URL".into()),
            ));
        }
        if before.starts_with('/') {
            return self.site_file(before, fragment);
        }
        let path = self.inside(from, before)?;
        self.file(from, before, &path, fragment)
    }

    /// `before` joined to the folder of `from`, refused when it leaves the root.
    fn inside(&self, from: Origin<'_>, before: &str) -> Result<String, Problem> {
        let decoded = percent_encoding::percent_decode_str(before).decode_utf8_lossy();
        crate::paths::join_inside(from.dir(), &decoded).ok_or_else(|| {
            Problem::new(
                code::OUTSIDE_ROOT,
                format!("link `{before}` leaves the dossier's root"),
                Some("link only to pages in content/ and seeds in seeds/".into()),
            )
        })
    }

    /// The published file at `path` (relative to the root), written `before` in `from`.
    fn file(
        &self,
        from: Origin<'_>,
        before: &str,
        path: &str,
        fragment: Option<&str>,
    ) -> Result<Target, Problem> {
        if let Some(out) = self.assets.by_file.get(path) {
            return Ok(Target::File {
                path: out.clone(),
                fragment: fragment.map(str::to_string),
            });
        }
        if self.assets.unpublished.contains(path) {
            return Err(Problem::new(
                code::UNRESOLVED,
                format!("`{before}` is not published: {path} is not in a page folder"),
                Some("move it to static/, or into the folder of the page that shows it (beside its index.md or _index.md)".into()),
            ));
        }
        let candidates = self.assets.by_file.keys().map(String::as_str);
        let hint = match crate::paths::nearest(path, candidates) {
            Some(near) => format!("did you mean `{}`?", relative_from(from.dir(), near)),
            None => "files to link to go in static/, or in a page's folder beside its index.md or _index.md".into(),
        };
        Err(Problem::new(
            code::UNRESOLVED,
            format!("`{before}` is not a file of this dossier ({path})"),
            Some(hint),
        ))
    }

    /// `/path`: a file at that path of the site (`static/`, page assets, the theme's files).
    fn site_file(&self, before: &str, fragment: Option<&str>) -> Result<Target, Problem> {
        let decoded = percent_encoding::percent_decode_str(before).decode_utf8_lossy();
        let path = decoded.trim_start_matches('/');
        if let Some(&out) = self.site_files.get(path) {
            return Ok(Target::File {
                path: out.to_string(),
                fragment: fragment.map(str::to_string),
            });
        }
        let hint = match crate::paths::nearest(path, self.site_files.iter().copied()) {
            Some(near) => format!("did you mean `/{near}`?"),
            None if self.page_paths.contains_key(path.trim_end_matches('/')) => format!(
                "`/…` links name files; link to that page with `page:{}`",
                path.trim_end_matches('/')
            ),
            None => {
                "`/…` links name files of static/ and of page folders, from the site's root".into()
            }
        };
        Err(Problem::new(
            code::UNRESOLVED,
            format!("`{before}` is not a file of the site"),
            Some(hint),
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

    /// A glossary entry's page, by the entry's id.
    fn term(&self, id: &str, fragment: Option<&str>) -> Result<Target, Problem> {
        match self.entry_ids.get(id) {
            Some(&page) => self.page(page, fragment),
            None => {
                let terms = self.entry_ids.keys().copied();
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
        // Asked once per link: no list of the page's anchors is made, so that a page of many
        // links to its own headings costs in proportion to its links.
        let is_link = fragment
            .strip_prefix("cite-")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| {
                (1..=page.scan.links.len()).contains(&n)
                    && crate::markdown::Link::anchor(n - 1) == fragment
            });
        let headings = self
            .headings
            .get(page.file.as_str())
            .is_some_and(|ids| ids.contains(fragment));
        if is_link || headings {
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
