//! `/quotes/`: the quote index, and one page per group, paginated.
//!
//! Every quotation is listed once. Direct speech is listed under its speaker; a commentary
//! quotation of four words or more in a source's own narrative voice under the source's author
//! or publisher; one inside a source's direct speech with that speech (as where it is cited);
//! a shorter one, or a source's own title, is not speech and is listed under "Quoted in
//! commentary", by the page that quotes it. The index shows each group with its count and
//! links to its page, `/quotes/<id>/` (then `/quotes/<id>/2/`, … with [`PER_PAGE`] quotations
//! each), so that no page grows with the dossier.

use crate::diagnostics::Diagnostic;
use crate::model::{EntryId, Quotation, QuoteId, QuoteOrigin, QuoteRole, Voice};
use crate::render::context::{LinkCtx, View};
use crate::render::{Job, Urls};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Quotations on one page of a group.
pub(crate) const PER_PAGE: usize = 100;

/// The group of the quotations the commentary quotes that are not speech.
const FRAGMENTS: &str = "in-commentary";
/// The group of speech whose speaker is not known.
const UNATTRIBUTED: &str = "unattributed";

/// The parts of the index, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// People named by the sources (and the glossary).
    Speakers,
    /// The sources' authors and publishers, for their own narrative voice.
    Voices,
    Unattributed,
    Fragments,
}

/// One group: its page id, name, part, speaker's entry and quotations (in listing order).
struct Group<'a> {
    id: String,
    name: String,
    part: Part,
    entry: Option<EntryId>,
    quotes: Vec<(QuoteId, &'a Quotation)>,
}

/// Every group in index order, with the group of each quotation: made once per build from
/// every quotation and shared by the index and every group page.
pub(crate) struct Groups<'a> {
    list: Vec<Group<'a>>,
    /// Quotation → its group's position in `list`.
    of: HashMap<QuoteId, usize>,
}

/// The group id of a quotation, or `None` when it is shown with the speech it is inside.
fn group_of(q: &Quotation) -> Option<(Part, String, String)> {
    let id = |s: &str| match s {
        // A speaker cannot take the ids of the index's own groups.
        FRAGMENTS | UNATTRIBUTED => format!("{s}-speaker"),
        _ => s.to_string(),
    };
    match q.role {
        QuoteRole::InSpeech => None,
        QuoteRole::Fragment => Some((
            Part::Fragments,
            "Quoted in commentary".into(),
            FRAGMENTS.into(),
        )),
        QuoteRole::Speech | QuoteRole::Narrative => Some(match &q.speaker {
            Some(s) if s.voice == Voice::Named => (Part::Speakers, s.name.clone(), id(&s.id)),
            Some(s) => (Part::Voices, s.name.clone(), id(&s.id)),
            None => (
                Part::Unattributed,
                "Unattributed".into(),
                UNATTRIBUTED.into(),
            ),
        }),
    }
}

/// Every group, in index order: speakers by name, then the sources' voices, the unattributed
/// speech, and the commentary's other quotations. Reads every quotation, as one question; made
/// once per build (a large group has a page per 100 quotations, each of which would otherwise
/// group and sort them all).
fn groups<'a>(v: &View<'a>) -> &'a Groups<'a> {
    v.r.all_quotations_once(&v.orders.quotes, |all| {
        let mut by_id: BTreeMap<String, Group<'a>> = BTreeMap::new();
        for (q, quotation) in all {
            let Some((part, name, id)) = group_of(quotation) else {
                continue;
            };
            let group = by_id.entry(id.clone()).or_insert_with(|| Group {
                entry: speaker_entry(quotation, part),
                id,
                name,
                part,
                quotes: Vec::new(),
            });
            // A person who is also a source's author is one group, among the speakers.
            group.part = group.part.min(part);
            group.quotes.push((q, quotation));
        }
        let mut list: Vec<Group<'a>> = by_id.into_values().collect();
        for g in &mut list {
            if g.part == Part::Fragments {
                // By the page that quotes them, then where they are in the source.
                g.quotes
                    .sort_by_key(|(id, q)| (q.cited_by.first().map(|c| c.0), *id));
            }
        }
        list.sort_by(|a, b| (a.part, &a.name, &a.id).cmp(&(b.part, &b.name, &b.id)));
        let of = list
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.quotes.iter().map(move |(q, _)| (*q, i)))
            .collect();
        Groups { list, of }
    })
}

/// The glossary entry of a group's speaker, if any (from its first quotation).
fn speaker_entry(quotation: &Quotation, part: Part) -> Option<EntryId> {
    quotation
        .speaker
        .as_ref()
        .filter(|_| part != Part::Fragments)
        .and_then(|s| s.entry)
}

/// The group pages: for each group, its first quotation and each page number.
pub(crate) fn jobs(v: &View<'_>) -> Vec<Job> {
    groups(v)
        .list
        .iter()
        .flat_map(|g| {
            let first = g.quotes[0].0;
            (1..=g.quotes.len().div_ceil(PER_PAGE)).map(move |n| Job::QuoteGroup(first, n))
        })
        .collect()
}

/// The title of page `n` of the group of quotation `first`, for the page's head.
pub(crate) fn title(v: &View<'_>, first: QuoteId, n: usize) -> String {
    let name =
        group_of(v.r.quotation(first)).map_or_else(|| "Quoted in commentary".into(), |g| g.1);
    match n {
        1 => format!("Quotes: {name}"),
        n => format!("Quotes: {name}, page {n}"),
    }
}

/// The site path of page `n` of the group of quotation `first`.
pub(crate) fn url(v: &View<'_>, first: QuoteId, n: usize) -> String {
    let id = group_of(v.r.quotation(first)).map_or_else(|| FRAGMENTS.to_string(), |g| g.2);
    Urls::quote_group(&id, n)
}

#[derive(Serialize)]
struct GroupLink {
    id: String,
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct PartCtx {
    id: &'static str,
    title: &'static str,
    about: &'static str,
    count: usize,
    groups: Vec<GroupLink>,
}

/// `/quotes/`: the parts, each group with its count and a link to its page.
pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let mut parts: Vec<PartCtx> = Vec::new();
    for g in &groups(v).list {
        if parts.last().is_none_or(|p| p.id != part_id(g.part)) {
            let (title, about) = part_text(g.part);
            parts.push(PartCtx {
                id: part_id(g.part),
                title,
                about,
                count: 0,
                groups: Vec::new(),
            });
        }
        let part = parts.last_mut().expect("pushed above");
        part.count += g.quotes.len();
        part.groups.push(GroupLink {
            id: g.id.clone(),
            name: match g.part {
                Part::Fragments => "All, by the page that quotes them".into(),
                _ => g.name.clone(),
            },
            url: v.urls.href(&Urls::quote_group(&g.id, 1)),
            count: g.quotes.len(),
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert("total", &parts.iter().map(|p| p.count).sum::<usize>());
    ctx.insert("parts", &parts);
    ctx.insert("group", &false);
    v.page("quotes.html", url, ctx)
}

fn part_id(part: Part) -> &'static str {
    match part {
        Part::Speakers => "part-speakers",
        Part::Voices => "part-voices",
        Part::Unattributed => "part-unattributed",
        Part::Fragments => "part-commentary",
    }
}

fn part_text(part: Part) -> (&'static str, &'static str) {
    match part {
        Part::Speakers => (
            "Speakers",
            "Direct speech in the sources, by the person the text or its record names.",
        ),
        Part::Voices => (
            "The sources' own voice",
            "Passages the commentary quotes from a source's own narrative, outside any direct speech, under the source's authors or, where none are known, its publisher.",
        ),
        Part::Unattributed => (
            "Unattributed",
            "Direct speech whose speaker neither the text nor the source's record names, and narrative of sources with no known author or publisher.",
        ),
        Part::Fragments => (
            "Quoted in commentary",
            "Words the commentary quotes that are not speech: fewer than four words, or a source's own title; by the page that quotes them.",
        ),
    }
}

#[derive(Serialize)]
struct QuoteEntry {
    id: String,
    exact: String,
    url: String,
    origin: &'static str,
    paragraph: usize,
    source: LinkCtx,
    /// For a source's own voice: which field of its record names the speaker, and whether that
    /// was inferred.
    voice: Option<&'static str>,
    inferred: bool,
    cited_by: Vec<LinkCtx>,
}

/// Consecutive quotations under one heading: a source, or for "Quoted in commentary" the
/// page quoting them.
#[derive(Serialize)]
struct Section {
    title: String,
    url: String,
    count: usize,
    quotes: Vec<QuoteEntry>,
}

/// Page `n` of the group of quotation `first`.
pub(super) fn render_group(
    v: &View<'_>,
    url: &str,
    first: QuoteId,
    n: usize,
) -> Result<String, Diagnostic> {
    let groups = groups(v);
    let Some(&i) = groups.of.get(&first) else {
        return v.page("404.html", url, tera::Context::new());
    };
    let g = &groups.list[i];
    let entry_url = g.entry.map(|e| v.urls.href(&Urls::page(v.r.entry(e).path)));
    let pages = g.quotes.len().div_ceil(PER_PAGE);
    let from = (n - 1) * PER_PAGE;
    let shown = &g.quotes[from.min(g.quotes.len())..(from + PER_PAGE).min(g.quotes.len())];
    let mut sections: Vec<Section> = Vec::new();
    for (_, q) in shown {
        let entry = quote_entry(v, q);
        let (title, url) = if g.part == Part::Fragments {
            let page = q.cited_by.first().map(|&(p, _)| v.page_link(p));
            page.map_or_else(|| (String::new(), String::new()), |l| (l.title, l.url))
        } else {
            (entry.source.title.clone(), entry.source.url.clone())
        };
        match sections.last_mut() {
            Some(s) if s.url == url => {
                s.count += 1;
                s.quotes.push(entry);
            }
            _ => sections.push(Section {
                title,
                url,
                count: 1,
                quotes: vec![entry],
            }),
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert(
        "group",
        &serde_json::json!({
            "id": g.id,
            "name": g.name,
            "url": entry_url,
            "part": part_text(g.part).0,
            "about": part_text(g.part).1,
            "fragments": g.part == Part::Fragments,
            "count": g.quotes.len(),
            "from": from + 1,
            "to": from + shown.len(),
            "index": v.urls.href(&Urls::quotes()),
        }),
    );
    ctx.insert("sections", &sections);
    let pager = super::paging::pager_at(
        n,
        pages,
        |k| k.to_string(),
        |k| v.urls.href(&Urls::quote_group(&g.id, k)),
    );
    ctx.insert("pager", &pager);
    ctx.insert("pager_label", &format!("Pages of {}", g.name));
    v.page("quotes.html", url, ctx)
}

fn quote_entry(v: &View<'_>, q: &Quotation) -> QuoteEntry {
    let (s, _, _) = v.r.seed(q.seed);
    let parts: Vec<&str> = q.parts.iter().map(|p| &s.text[p.clone()]).collect();
    let mut pages: Vec<_> = q.cited_by.iter().map(|(p, _)| *p).collect();
    pages.sort_unstable();
    pages.dedup();
    let speaker = q.speaker.as_ref();
    QuoteEntry {
        id: q.id.clone(),
        exact: parts.join(" … "),
        url: v.urls.passage(&s.id, &q.id, &parts),
        origin: match q.origin {
            QuoteOrigin::Seed => "speech",
            QuoteOrigin::Commentary => "commentary",
        },
        paragraph: q.paragraph,
        source: LinkCtx {
            title: s.title().to_string(),
            url: v.urls.href(&Urls::source(&s.id)),
        },
        voice: speaker.and_then(|s| match s.voice {
            Voice::Named => None,
            Voice::Author => Some("author"),
            Voice::Publisher => Some("publisher"),
        }),
        inferred: speaker.is_some_and(|s| s.inferred),
        cited_by: pages.into_iter().map(|p| v.page_link(p)).collect(),
    }
}
