//! Writing a commentary body as HTML once its links are resolved: links rewritten, term links
//! put in as the theme made them, code highlighted by the caller.

use super::{options, Heading};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// How one link is written out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkOut {
    /// The resolved destination; escaped when written.
    pub href: String,
    /// The `id` attribute, e.g. `cite-N` so that backlinks can point at the link.
    pub id: Option<String>,
    /// The `class` attribute: a fixed name of ours, so it is written unescaped.
    pub class: Option<&'static str>,
}

/// A glossary link to put on part of a text node: the HTML that replaces that part (made by
/// the theme's term partial, so this module emits no theme markup).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TermLink {
    /// Byte range within the text node.
    pub range: Range<usize>,
    /// The theme's rendering of the term link, written as is in place of `range`.
    pub html: String,
}

/// Text node index (as in [`Scan::texts`](super::Scan::texts)) → the term links in it, in order.
pub type TermLinks = std::collections::BTreeMap<usize, Vec<TermLink>>;

/// Renders `body` to HTML. `links`, `images` (each image's resolved source), `headings` and
/// the text nodes `terms` refers to are those [`scan`](super::scan()) found in the same body;
/// `highlight(lang, code)` turns a fenced code block into HTML.
pub fn to_html(
    body: &str,
    links: &[LinkOut],
    images: &[String],
    headings: &[Heading],
    terms: &TermLinks,
    highlight: &dyn Fn(&str, &str) -> String,
) -> String {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let mut link_index = 0;
    let mut image_index = 0;
    let mut heading_index = 0;
    let mut text_index = 0;
    let mut code: Option<(String, String)> = None;
    let events = Parser::new_ext(body, options()).flat_map(|event| -> Vec<Event> {
        match event {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let out = links.get(link_index).cloned().unwrap_or(LinkOut {
                    href: dest_url.to_string(),
                    id: None,
                    class: None,
                });
                link_index += 1;
                let mut html = String::from("<a href=\"");
                let _ = escape_href(&mut html, &out.href);
                html.push('"');
                if !title.is_empty() {
                    html.push_str(" title=\"");
                    let _ = escape_html(&mut html, &title);
                    html.push('"');
                }
                if let Some(id) = &out.id {
                    html.push_str(" id=\"");
                    let _ = escape_html(&mut html, id);
                    html.push('"');
                }
                if let Some(class) = out.class {
                    html.push_str(" class=\"");
                    html.push_str(class);
                    html.push('"');
                }
                html.push('>');
                vec![Event::InlineHtml(CowStr::from(html))]
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = images
                    .get(image_index)
                    .map_or(dest_url, |src| CowStr::from(src.clone()));
                image_index += 1;
                vec![Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })]
            }
            Event::End(TagEnd::Link) => vec![Event::InlineHtml(CowStr::Borrowed("</a>"))],
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = headings
                    .get(heading_index)
                    .map(|h| CowStr::from(h.id.clone()));
                heading_index += 1;
                vec![Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })]
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                Vec::new()
            }
            Event::Text(t) => {
                text_index += 1;
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                    return Vec::new();
                }
                match terms.get(&(text_index - 1)) {
                    Some(found) => {
                        let mut out = Vec::new();
                        let mut at = 0;
                        for link in found {
                            if link.range.start < at || link.range.end > t.len() {
                                continue;
                            }
                            if link.range.start > at {
                                out.push(Event::Text(CowStr::from(
                                    t[at..link.range.start].to_string(),
                                )));
                            }
                            out.push(Event::InlineHtml(CowStr::from(link.html.clone())));
                            at = link.range.end;
                        }
                        if at < t.len() {
                            out.push(Event::Text(CowStr::from(t[at..].to_string())));
                        }
                        out
                    }
                    None => vec![Event::Text(t)],
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap_or_default();
                vec![Event::Html(CowStr::from(highlight(&lang, &text)))]
            }
            other => vec![other],
        }
    });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}
