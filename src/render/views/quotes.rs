//! `/quotes/`: every quotation, by speaker (unattributed last), then source.

use crate::diagnostics::Diagnostic;
use crate::model::{Quotation, QuoteOrigin, SeedId};
use crate::render::context::{LinkCtx, View};
use crate::render::Urls;
use serde::Serialize;
use std::collections::BTreeMap;

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

pub(super) fn render(v: &View<'_>, url: &str) -> Result<String, Diagnostic> {
    let all: Vec<&Quotation> = v.r.quotations().map(|q| v.r.quotation(q)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("speakers", &quote_index(v, &all));
    ctx.insert("total", &all.len());
    v.page("quotes.html", url, ctx)
}

fn quote_index(v: &View<'_>, all: &[&Quotation]) -> Vec<SpeakerCtx> {
    let r = &v.r;
    let mut by_speaker: BTreeMap<(bool, String, String), BTreeMap<SeedId, Vec<&Quotation>>> =
        BTreeMap::new();
    // Seed speech by seed, to find the commentary quotations inside it.
    let mut speech: BTreeMap<SeedId, Vec<&Quotation>> = BTreeMap::new();
    for q in all.iter().filter(|q| q.origin == QuoteOrigin::Seed) {
        speech.entry(q.seed).or_default().push(q);
    }
    let inside_speech = |q: &Quotation| {
        q.origin == QuoteOrigin::Commentary
            && speech.get(&q.seed).is_some_and(|list| {
                list.iter()
                    .any(|s| s.span().start <= q.span().start && q.span().end <= s.span().end)
            })
    };
    // A commentary quotation of a seed's direct speech is listed under that speech.
    for q in all.iter().filter(|q| !inside_speech(q)) {
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
        .map(|((_, name, id), sources)| SpeakerCtx {
            url: r
                .entry_by_id(&id)
                .map(|e| v.urls.href(&Urls::page(r.entry(e).path))),
            count: sources.values().map(Vec::len).sum(),
            sources: sources
                .into_iter()
                .map(|(seed, quotes)| {
                    let (s, _, _) = r.seed(seed);
                    QuoteSource {
                        title: s.title().to_string(),
                        url: v.urls.href(&Urls::source(&s.id)),
                        count: quotes.len(),
                        quotes: quotes
                            .into_iter()
                            .map(|q| {
                                let parts: Vec<&str> =
                                    q.parts.iter().map(|p| &s.text[p.clone()]).collect();
                                let mut pages: Vec<_> =
                                    q.cited_by.iter().map(|(p, _)| *p).collect();
                                pages.sort_unstable();
                                pages.dedup();
                                QuoteEntry {
                                    exact: parts.join(" … "),
                                    url: v.urls.passage(&s.id, &q.id, &parts),
                                    origin: match q.origin {
                                        QuoteOrigin::Seed => "speech",
                                        QuoteOrigin::Commentary => "commentary",
                                    },
                                    paragraph: q.paragraph,
                                    cited_by: pages.into_iter().map(|p| v.page_link(p)).collect(),
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
            id,
            name,
        })
        .collect()
}
