//! Each page's schema.org description as JSON-LD, for the head's
//! `<script type="application/ld+json">`: a source as the `CreativeWork` type closest to its
//! sidecar's `kind` (its sha256 as an identifier, the original as `isBasedOn`), commentary as
//! an `Article` citing its sources, the glossary as a `DefinedTermSet` of `DefinedTerm`s, the
//! lists as `CollectionPage`s, the search page as a `SearchResultsPage`.

use crate::model::{EntryId, PageId, SeedId};
use crate::render::context::{summary, View};
use crate::render::{Job, Urls};
use serde_json::{json, Map, Value};

/// The JSON-LD of `job`'s page, ready for a script element; empty for a page without one
/// (the 404 page, the files that are not pages). The glossary's index sets its own
/// ([`term_set`]), since only it knows which entries a page lists.
pub(super) fn for_job(v: &View<'_>, job: Job, title: &str) -> String {
    let here = url(v, &super::url(v, job));
    let value = match job {
        Job::Home => website(v),
        Job::Source(s) => source(v, s),
        Job::Page(p) => match v.r.page(p).entry {
            Some(e) => term(v, e),
            None => article(v, p),
        },
        Job::Concordance(e, _) => {
            let entry = v.r.entry(e);
            let mut page = web_page(v, "CollectionPage", title, &here);
            page.insert(
                "about".into(),
                json!({
                    "@type": "DefinedTerm",
                    "name": entry.term,
                    "url": v.urls.absolute(&Urls::page(entry.path)),
                }),
            );
            Value::Object(page)
        }
        Job::Sources(_) | Job::Quotes | Job::QuoteGroup(..) | Job::Tags | Job::Tag(..) => {
            Value::Object(web_page(v, "CollectionPage", title, &here))
        }
        Job::Glossary(_) => term_set(v, &[]),
        Job::Search => Value::Object(web_page(v, "SearchResultsPage", title, &here)),
        Job::NotFound
        | Job::Sitemap(_)
        | Job::Robots
        | Job::DossierJson
        | Job::Feed
        | Job::SourceCite(..)
        | Job::SourcesCite(_) => return String::new(),
    };
    script(&value)
}

/// The absolute URL of a site path (a path when the base URL has none).
fn url(v: &View<'_>, path: &str) -> String {
    v.urls.absolute(path)
}

/// `value` as the text of a script element: `<`, `>` and `&` written as JSON escapes, so no
/// text in it can close the element or open a comment.
pub(super) fn script(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The site as the `WebSite` every page is part of.
fn site_ref(v: &View<'_>) -> Value {
    let (config, _) = v.r.site();
    json!({ "@type": "WebSite", "name": config.title, "url": url(v, "") })
}

/// A page of the site that is neither a source nor commentary.
fn web_page(v: &View<'_>, kind: &str, title: &str, page_url: &str) -> Map<String, Value> {
    let (config, _) = v.r.site();
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!(kind));
    m.insert("name".into(), json!(title));
    m.insert("url".into(), json!(page_url));
    if !config.language.is_empty() {
        m.insert("inLanguage".into(), json!(config.language));
    }
    m.insert("isPartOf".into(), site_ref(v));
    m
}

/// The home page: the `WebSite` itself.
fn website(v: &View<'_>) -> Value {
    let (config, _) = v.r.site();
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("WebSite"));
    m.insert("name".into(), json!(config.title));
    if !config.description.is_empty() {
        m.insert("description".into(), json!(config.description));
    }
    m.insert("url".into(), json!(url(v, "")));
    if !config.language.is_empty() {
        m.insert("inLanguage".into(), json!(config.language));
    }
    if !config.authors.is_empty() {
        m.insert("author".into(), people(&config.authors));
    }
    Value::Object(m)
}

/// Names as schema.org `Person`s.
fn people(names: &[String]) -> Value {
    names
        .iter()
        .map(|n| json!({ "@type": "Person", "name": n }))
        .collect()
}

/// The schema.org type closest to a sidecar's free-text `kind`; `CreativeWork` for any other.
pub(super) fn source_type(kind: Option<&str>) -> &'static str {
    let kind = kind
        .unwrap_or_default()
        .trim()
        .to_lowercase()
        .replace([' ', '_'], "-");
    match kind.as_str() {
        "news-report" | "news-article" | "news" | "news-story" | "report-news" => "NewsArticle",
        "article" | "essay" | "op-ed" | "opinion" | "editorial" | "magazine-article" => "Article",
        "blog-post" | "blog" => "BlogPosting",
        "scholarly-article" | "journal-article" | "paper" | "academic-paper" => "ScholarlyArticle",
        "report" | "study" | "white-paper" => "Report",
        "book" => "Book",
        "chapter" | "book-chapter" => "Chapter",
        "thesis" | "dissertation" => "Thesis",
        "web-page" | "webpage" | "website" => "WebPage",
        "legislation" | "law" | "statute" | "regulation" => "Legislation",
        "letter" | "email" | "message" => "Message",
        "dataset" | "data" => "Dataset",
        _ => "CreativeWork",
    }
}

/// A source page: the source itself, as our copy of it.
fn source(v: &View<'_>, s: SeedId) -> Value {
    let (seed, _, _) = v.r.seed(s);
    let p = &seed.sidecar;
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!(source_type(p.kind.as_deref())));
    m.insert("name".into(), json!(seed.title()));
    m.insert("url".into(), json!(url(v, &Urls::source(&seed.id))));
    if !p.authors.is_empty() {
        m.insert("author".into(), people(&p.authors));
    }
    if let Some(publisher) = &p.publisher {
        m.insert(
            "publisher".into(),
            json!({ "@type": "Organization", "name": publisher }),
        );
    }
    if let Some(d) = &p.published {
        m.insert("datePublished".into(), json!(d.as_str()));
    }
    if let Some(l) = &p.language {
        m.insert("inLanguage".into(), json!(l));
    }
    if let Some(original) = &p.url {
        m.insert("isBasedOn".into(), json!(original));
    }
    if let Some(archived) = &p.archived_url {
        m.insert("archivedAt".into(), json!(archived));
    }
    if let Some(rights) = &p.rights {
        m.insert("copyrightNotice".into(), json!(rights));
    }
    m.insert(
        "identifier".into(),
        json!({ "@type": "PropertyValue", "propertyID": "sha256", "value": seed.sha256 }),
    );
    m.insert(
        "encoding".into(),
        json!({
            "@type": "MediaObject",
            "contentUrl": url(v, &Urls::source_file(&seed.id, &seed.file_name)),
            "encodingFormat": "text/plain",
            "sha256": seed.sha256,
        }),
    );
    m.insert("isPartOf".into(), site_ref(v));
    Value::Object(m)
}

/// A commentary page: an `Article` citing the sources it links to.
fn article(v: &View<'_>, p: PageId) -> Value {
    let r = &v.r;
    let (config, _) = r.site();
    let read = r.page(p);
    let page = read.page;
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("Article"));
    m.insert("headline".into(), json!(page.front.title));
    m.insert("url".into(), json!(url(v, &Urls::page(&page.path))));
    let description = crate::text::collapse_whitespace(&summary(page));
    if !description.is_empty() {
        m.insert("description".into(), json!(description));
    }
    if let Some(d) = &page.front.date {
        m.insert("datePublished".into(), json!(d.as_str()));
    }
    if !page.front.authors.is_empty() {
        m.insert("author".into(), people(&page.front.authors));
    } else if !config.authors.is_empty() {
        m.insert("author".into(), people(&config.authors));
    }
    if !page.front.tags.is_empty() {
        m.insert("keywords".into(), json!(page.front.tags));
    }
    if !config.language.is_empty() {
        m.insert("inLanguage".into(), json!(config.language));
    }
    let mut cited: Vec<SeedId> = read.citations.iter().map(|c| c.seed).collect();
    cited.sort();
    cited.dedup();
    if !cited.is_empty() {
        let citation: Vec<Value> = cited
            .into_iter()
            .map(|s| {
                let (seed, _, _) = r.seed(s);
                json!({
                    "@type": source_type(seed.sidecar.kind.as_deref()),
                    "name": seed.title(),
                    "url": url(v, &Urls::source(&seed.id)),
                })
            })
            .collect();
        m.insert("citation".into(), Value::Array(citation));
    }
    m.insert("isPartOf".into(), site_ref(v));
    Value::Object(m)
}

/// The glossary as a term set (its first page's URL), with the page's own terms only, so the
/// description stays as small as the page.
fn glossary_ref(v: &View<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@type".into(), json!("DefinedTermSet"));
    m.insert("name".into(), json!("Glossary"));
    m.insert("url".into(), json!(url(v, &Urls::glossary())));
    m
}

/// A page of the glossary's index: the `DefinedTermSet` with the `(name, path)` of the terms
/// that page lists.
pub(super) fn term_set(v: &View<'_>, terms: &[(String, String)]) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.extend(glossary_ref(v));
    m.insert(
        "hasDefinedTerm".into(),
        terms
            .iter()
            .map(
                |(name, path)| json!({ "@type": "DefinedTerm", "name": name, "url": url(v, path) }),
            )
            .collect(),
    );
    m.insert("isPartOf".into(), site_ref(v));
    Value::Object(m)
}

/// A glossary entry: a `DefinedTerm` of the glossary's set.
fn term(v: &View<'_>, e: EntryId) -> Value {
    let entry = v.r.entry(e);
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("DefinedTerm"));
    m.insert("name".into(), json!(entry.term));
    if !entry.aliases.is_empty() {
        m.insert("alternateName".into(), json!(entry.aliases));
    }
    if !entry.tip.is_empty() {
        m.insert("description".into(), json!(entry.tip));
    }
    m.insert("url".into(), json!(url(v, &Urls::page(entry.path))));
    m.insert("inDefinedTermSet".into(), Value::Object(glossary_ref(v)));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_the_closest_type() {
        assert_eq!(source_type(Some("news-report")), "NewsArticle");
        assert_eq!(source_type(Some("Web page")), "WebPage");
        assert_eq!(source_type(Some("book")), "Book");
        assert_eq!(source_type(Some("report")), "Report");
        assert_eq!(source_type(Some("statement")), "CreativeWork");
        assert_eq!(source_type(None), "CreativeWork");
    }

    #[test]
    fn script_text_cannot_close_the_element() {
        let text = script(&json!({ "name": "</script><!-- & >" }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><!-- & >");
    }
}
