//! Stage 2, resolve: the loaded inputs become the [`Dossier`] model. Ids are checked for
//! uniqueness, every reference is resolved (or reported with the nearest existing target),
//! and the citation and backlink maps are derived.

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::{Inputs, Page, Seed};
use crate::model::{
    Citation, Dossier, Entry, Id, IdVec, PageId, PageNode, Quotation, QuoteId, SeedAnchor, SeedId,
    SeedNode, Speaker, Target, Voice,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

mod references;

use references::{Origin, Resolver};

/// What the engines resolve uses keep between a session's rebuilds.
#[derive(Default)]
pub struct Cache {
    glossary: crate::glossary::Cache,
    quotes: crate::quotes::Cache,
}

/// First URL segments the site generates itself; pages may not take them.
const RESERVED: &[&str] = &["sources", "quotes", "search", "tags"];

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
        assets,
        history,
        build_time,
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
        entry_ids: pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p.entry_id()?, PageId::from_index(i))))
            .collect(),
        drafts: &drafts,
        assets: &assets,
        site_files: assets
            .published
            .keys()
            .chain(theme.statics.keys())
            .map(String::as_str)
            .collect(),
        headings: references::heading_ids(&pages),
    };

    let mut targets = Vec::with_capacity(pages.len());
    let mut images = Vec::with_capacity(pages.len());
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
        let sources = page.scan.images.iter().map(|image| {
            resolver
                .image(Origin::Page(page), &image.dest)
                .unwrap_or_else(|problem| {
                    let location = Location::span(&page.file, &page.text, image.dest_span.clone());
                    diags.push(problem.into_diagnostic(location));
                    Target::AsWritten
                })
        });
        images.push(sources.collect::<Vec<_>>());
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
    let note_images: Vec<Vec<Target>> = seeds
        .iter()
        .enumerate()
        .map(|(si, seed)| {
            let Some(notes) = &seed.notes else {
                return Vec::new();
            };
            let from = Origin::Notes(SeedId::from_index(si));
            notes
                .scan
                .images
                .iter()
                .zip(&notes.image_locations)
                .map(|(image, at)| {
                    resolver.image(from, &image.dest).unwrap_or_else(|problem| {
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
    check_speakers(&seeds, &entries, &drafts, diags);
    attribute_to_glossary(&mut quotations, &entries);

    let mut seed_nodes: IdVec<SeedId, SeedNode> = seeds
        .into_iter()
        .zip(note_targets)
        .zip(note_images)
        .map(|((seed, note_targets), note_images)| SeedNode {
            seed,
            note_targets,
            note_images,
            citations: Vec::new(),
            quotations: Vec::new(),
            terms: Vec::new(),
        })
        .collect();
    let mut page_nodes: IdVec<PageId, PageNode> = pages
        .into_iter()
        .zip(targets)
        .zip(images)
        .zip(backlinks)
        .map(|(((page, targets), images), backlinks)| PageNode {
            page,
            targets,
            images,
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
        assets,
        history,
        build_time,
        seeds: seed_nodes,
        pages: page_nodes,
        entries,
        quotations,
    }
}

/// Speakers become the glossary's people where an entry names them: by term or alias, or by
/// surname when exactly one person has it; a sidecar's speaker id names its entry directly.
/// A source's own voice (its authors or publisher) becomes the entry of any kind whose term or
/// alias is that name, or that name without a parenthesis (`Alliance (IMA)` → `Alliance`), or
/// the parenthesis alone (`IMA`): never by surname, and it stays marked as the source's voice.
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
        let found = if speaker.voice == Voice::Named {
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
            by_name.copied().or_else(by_surname)
        } else {
            let mut candidates = vec![name.clone()];
            if let Some((outside, inside)) = name.split_once('(') {
                candidates.push(outside.trim().to_string());
                candidates.push(inside.trim_end_matches(')').trim().to_string());
            }
            candidates.into_iter().find_map(|c| {
                entries
                    .iter()
                    .find(|(_, e)| !c.is_empty() && names(e).contains(&c))
            })
        };
        if let Some((id, e)) = found {
            q.speaker = Some(Speaker {
                id: e.id.clone(),
                name: e.term.clone(),
                entry: Some(id),
                voice: speaker.voice,
                inferred: speaker.inferred,
            });
        }
    }
}

/// A sidecar's `quotes[].speaker` names a glossary entry (a draft one counts): anything else
/// is an error at the speaker, with the nearest entry id as the hint.
fn check_speakers(
    seeds: &[Arc<Seed>],
    entries: &IdVec<crate::model::EntryId, Entry>,
    drafts: &std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let ids: std::collections::BTreeSet<&str> = entries.values().map(|e| e.id.as_str()).collect();
    for seed in seeds {
        for (quote, at) in seed.sidecar.quotes.iter().zip(&seed.speaker_locations) {
            let id = quote.speaker.as_str();
            if ids.contains(id) || drafts.contains(&format!("glossary/{id}")) {
                continue;
            }
            let hint = match crate::paths::nearest(id, ids.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "create content/glossary/{}.md with `kind: person` for this speaker",
                    crate::text::suggest_id(id)
                ),
            };
            diags.push(
                Diagnostic::error(
                    code::SIDECAR,
                    at.clone(),
                    format!("`speaker: {id}` is not a glossary entry"),
                )
                .with_hint(hint),
            );
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
