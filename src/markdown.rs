//! The Markdown format, in one place: what a commentary body holds (headings, links and the
//! passages around them, with byte spans) and how it becomes HTML once its links are resolved.
//! Both directions parse with the same options, so the n-th link or heading of one is the n-th
//! of the other.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::ops::Range;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading of a commentary page with its stable id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Heading {
    /// 1 (`#`, or a `===` underline) to 6 (`######`).
    pub level: u8,
    /// The heading's plain text (inline code included), trimmed.
    pub text: String,
    /// The `{#id}` written, else a slug of `text`; made unique in the page by a `-n` suffix.
    pub id: String,
}

/// A link as written, before resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The destination as pulldown-cmark gives it (references and escapes resolved).
    pub dest: String,
    /// Byte span of the whole link, relative to the start of the file.
    pub span: Range<usize>,
    /// Byte span of the destination (or of the whole link when it is not written inline),
    /// relative to the start of the file.
    pub dest_span: Range<usize>,
    /// The link's text, plain.
    pub text: String,
    /// The plain text of the innermost block (paragraph, list item, cell, heading) around it.
    pub passage: String,
}

impl Link {
    /// The HTML id given to the link in its page, so that backlinks can point at it.
    pub fn anchor(index: usize) -> String {
        format!("cite-{}", index + 1)
    }
}

/// A blockquote whose last line is a single link: a candidate cited quotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockQuote {
    /// The quoted text: the blockquote without its last line.
    pub text: String,
    /// Index of the link on the last line.
    pub link: usize,
}

/// What the load stage learns from a Markdown body.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// Every heading in document order, ids assigned.
    pub headings: Vec<Heading>,
    /// Every link in document order (not images); the n-th gets the n-th [`LinkOut`].
    pub links: Vec<Link>,
    /// Blockquotes that end in a single link, the candidates for verified quotations.
    pub blockquotes: Vec<BlockQuote>,
    /// Plain text of the page (for summaries and, later, search): one block (paragraph, list
    /// item, cell, heading, code block) per line, a block that does not end a sentence followed
    /// by ` ·`, so that blocks never run together when white space is collapsed.
    pub plain: String,
    /// Every text event, in order (the n-th here is the n-th `Event::Text` of [`to_html`]).
    pub texts: Vec<TextNode>,
    /// Plain text of each block (paragraph, list item, cell, heading), in document order.
    pub blocks: Vec<String>,
}

/// A run of text of a page, where the glossary looks for terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextNode {
    /// The event's text, entities and escapes decoded.
    pub text: String,
    /// The block holding it (index into [`Scan::blocks`]), and the byte offset where its text
    /// starts in that block's text; `None` outside any block.
    pub block: Option<(usize, usize)>,
    /// Not in a heading, code, a link or an image: a term here may become a link.
    pub linkable: bool,
    /// Not code or an image's text: a term here counts as an occurrence.
    pub countable: bool,
}

/// Scans `text[body_start..]`; spans are relative to the start of `text`.
pub fn scan(text: &str, body_start: usize) -> Scan {
    let body = &text[body_start..];
    let mut scan = Scan::default();
    // Open blocks whose text is a "passage": (block index, text so far, links started inside).
    let mut passages: Vec<(usize, String, Vec<usize>)> = Vec::new();
    let mut in_code = false;
    let mut image_depth = 0usize;
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut link_stack: Vec<(usize, String)> = Vec::new();
    let mut quotes: Vec<QuoteFrame> = Vec::new();
    // A block ended since the last text of `plain`.
    let mut block_ended = false;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let event_kind = match &event {
            Event::Text(_) => EventKind::Text,
            _ => EventKind::Other,
        };
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::BlockQuote(_) => quotes.push(QuoteFrame::default()),
                    Tag::Paragraph => {
                        if let Some(q) = quotes.last_mut() {
                            q.new_line();
                        }
                    }
                    Tag::Link { .. } => {
                        if let Some(q) = quotes.last_mut() {
                            q.line_links.push(scan.links.len());
                        }
                    }
                    _ => {}
                }
                match &tag {
                    Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. } => {
                        passages.push((scan.blocks.len(), String::new(), Vec::new()));
                        scan.blocks.push(String::new());
                    }
                    Tag::CodeBlock(_) => in_code = true,
                    Tag::Image { .. } => image_depth += 1,
                    _ => {}
                }
                match tag {
                    Tag::Heading { level, id, .. } => {
                        heading = Some((
                            level_number(level),
                            id.map(|s| s.to_string()),
                            String::new(),
                        ))
                    }
                    Tag::Link { dest_url, .. } => {
                        let src = &body[range.clone()];
                        let dest_span = match src.rfind(dest_url.as_ref()) {
                            Some(i) if !dest_url.is_empty() => {
                                let start = body_start + range.start + i;
                                start..start + dest_url.len()
                            }
                            _ => body_start + range.start..body_start + range.end,
                        };
                        let index = scan.links.len();
                        scan.links.push(Link {
                            dest: dest_url.to_string(),
                            span: body_start + range.start..body_start + range.end,
                            dest_span,
                            text: String::new(),
                            passage: String::new(),
                        });
                        if let Some((_, _, links)) = passages.last_mut() {
                            links.push(index);
                        }
                        link_stack.push((index, String::new()));
                    }
                    _ => {}
                }
            }
            Event::End(end) => match end {
                TagEnd::CodeBlock => {
                    in_code = false;
                    block_ended = true;
                }
                TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                TagEnd::BlockQuote(_) => {
                    if let Some(q) = quotes.pop() {
                        if let Some(bq) = q.finish() {
                            scan.blockquotes.push(bq);
                        }
                    }
                }
                TagEnd::Link => {
                    if let Some((index, text)) = link_stack.pop() {
                        scan.links[index].text = text;
                    }
                }
                TagEnd::Heading(_) => {
                    if let Some((level, id, text)) = heading.take() {
                        scan.headings.push(Heading {
                            level,
                            text: text.trim().to_string(),
                            id: id.unwrap_or_default(),
                        });
                    }
                    close_passage(&mut passages, &mut scan);
                    block_ended = true;
                }
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell => {
                    close_passage(&mut passages, &mut scan);
                    block_ended = true;
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                for (_, l) in link_stack.iter_mut() {
                    l.push_str(&t);
                }
                if matches!(event_kind, EventKind::Text) {
                    scan.texts.push(TextNode {
                        text: t.to_string(),
                        block: passages.last().map(|(b, p, _)| (*b, p.len())),
                        linkable: heading.is_none()
                            && !in_code
                            && link_stack.is_empty()
                            && image_depth == 0,
                        countable: !in_code && image_depth == 0,
                    });
                }
                if let Some((_, p, _)) = passages.last_mut() {
                    p.push_str(&t);
                }
                if let Some(q) = quotes.last_mut() {
                    q.text.push_str(&t);
                    if link_stack.is_empty() {
                        q.line_outside.push_str(&t);
                    }
                }
                if std::mem::take(&mut block_ended) {
                    end_plain_block(&mut scan.plain);
                }
                scan.plain.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, p, _)) = passages.last_mut() {
                    p.push(' ');
                }
                for (_, l) in link_stack.iter_mut() {
                    l.push(' ');
                }
                if let Some(q) = quotes.last_mut() {
                    q.new_line();
                }
                scan.plain.push(' ');
            }
            _ => {}
        }
    }
    assign_heading_ids(&mut scan);
    scan
}

/// The state of an open blockquote while scanning: its text and what its current line holds.
#[derive(Default)]
struct QuoteFrame {
    text: String,
    line_start: usize,
    line_links: Vec<usize>,
    line_outside: String,
}

impl QuoteFrame {
    fn new_line(&mut self) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.line_start = self.text.len();
        self.line_links.clear();
        self.line_outside.clear();
    }

    /// A quotation when the last line is one link, with at most dashes and punctuation around it.
    fn finish(self) -> Option<BlockQuote> {
        let only_punctuation = self.line_outside.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '—' | '–' | '-' | '―' | '~' | '(' | ')' | ',' | '.' | ':')
        });
        let text = self.text[..self.line_start].trim();
        (self.line_links.len() == 1 && only_punctuation && !text.is_empty()).then(|| BlockQuote {
            text: text.to_string(),
            link: self.line_links[0],
        })
    }
}

/// Ends the last block of `plain` before the next one starts: a new line, after ` ·` when the
/// block does not end a sentence or a clause (a list item, a heading), so that collapsed white
/// space does not run "The IOM report" and "The IMA statement" together.
fn end_plain_block(plain: &mut String) {
    let text = plain.trim_end();
    if text.is_empty() {
        return;
    }
    let last = text
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_'));
    let ended = last.is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | ',' | '·'));
    plain.truncate(text.len());
    plain.push_str(if ended { "\n" } else { " ·\n" });
}

enum EventKind {
    Text,
    Other,
}

fn close_passage(passages: &mut Vec<(usize, String, Vec<usize>)>, scan: &mut Scan) {
    if let Some((block, raw, links)) = passages.pop() {
        let text = crate::text::collapse_whitespace(&raw);
        scan.blocks[block] = raw;
        for i in links {
            scan.links[i].passage = text.clone();
        }
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Ids from the heading text (or an explicit `{#id}`), unique within the page: a repeated
/// heading gets `-1`, `-2`, … in order, and link anchors are never reused.
fn assign_heading_ids(scan: &mut Scan) {
    let mut taken: BTreeSet<String> = (0..scan.links.len()).map(Link::anchor).collect();
    for h in &mut scan.headings {
        let base = if h.id.is_empty() {
            crate::text::slug(&h.text)
        } else {
            h.id.clone()
        };
        let mut id = base.clone();
        let mut n = 0;
        while taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        taken.insert(id.clone());
        h.id = id;
    }
}

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

/// Text node index (as in [`Scan::texts`]) → the term links in it, in order.
pub type TermLinks = std::collections::BTreeMap<usize, Vec<TermLink>>;

/// Renders `body` to HTML. `links`, `headings` and the text nodes `terms` refers to are those
/// [`scan`] found in the same body; `highlight(lang, code)` turns a fenced code block into HTML.
pub fn to_html(
    body: &str,
    links: &[LinkOut],
    headings: &[Heading],
    terms: &TermLinks,
    highlight: &dyn Fn(&str, &str) -> String,
) -> String {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let mut link_index = 0;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_stable_unique_ids() {
        let s = scan("# Intro\n## Intro\n## Intro\n### Ça va? {#custom}\n", 0);
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "intro-2", "custom"]);
        assert_eq!(s.headings[3].text, "Ça va?");
    }

    #[test]
    fn links_carry_spans_text_and_passage() {
        let text = "---\n---\nIntro.\n\nThe IOM [says](seed:iom-voa#p1) it is\nnormal.\n\n- item [x\ny](page:a)\n";
        let s = scan(text, 8);
        assert_eq!(s.links.len(), 2);
        assert_eq!(&text[s.links[0].dest_span.clone()], "seed:iom-voa#p1");
        assert_eq!(s.links[0].text, "says");
        assert_eq!(s.links[0].passage, "The IOM says it is normal.");
        assert_eq!(s.links[1].passage, "item x y");
        assert_eq!(
            s.links[1].text, "x y",
            "a line break inside a link is a space"
        );
    }

    #[test]
    fn plain_text_keeps_blocks_apart() {
        let plain = |body: &str| crate::text::collapse_whitespace(&scan(body, 0).plain);
        assert_eq!(
            plain("Intro about the origin.\n\n- [The IOM report](a.md)\n- [The IMA statement](b.md)\n"),
            "Intro about the origin. The IOM report · The IMA statement"
        );
        assert_eq!(
            plain("# Heading\nText *with\nemphasis*.\n\n> Quoted: \"so.\"\n\n| a | b |\n|---|---|\n| c | d |\n"),
            "Heading · Text with emphasis. Quoted: \"so.\" a · b · c · d"
        );
        assert_eq!(
            plain("1. one\n\n2. two\n\n   nested:\n   - x\n\n```\ncode\n```\nEnd"),
            "one · two · nested: x · code · End"
        );
    }

    #[test]
    fn blockquotes_ending_in_one_link_are_candidate_quotations() {
        let body = "> “They are hundreds\n> of miles away.”\n> — [Joel Millman](seed:iom-voa#p4)\n\n> Just a [link](x) in a quote.\n\n> Two lines\n>\n> [a](x) and [b](y)\n";
        let s = scan(body, 0);
        assert_eq!(
            s.blockquotes,
            [BlockQuote {
                text: "“They are hundreds of miles away.”".into(),
                link: 0
            }]
        );
    }

    #[test]
    fn rendering_rewrites_links_and_highlights_code() {
        let body = "# T\n\n[a](seed:x) and [b](https://e.org)\n\n```rust\nfn main() {}\n```\n";
        let s = scan(body, 0);
        let links = vec![
            LinkOut {
                href: "/sources/x/".into(),
                id: Some("cite-1".into()),
                class: Some("cite"),
            },
            LinkOut {
                href: "https://e.org".into(),
                id: None,
                class: None,
            },
        ];
        let html = to_html(
            body,
            &links,
            &s.headings,
            &TermLinks::new(),
            &|lang, code| format!("<pre data-lang=\"{lang}\">{}</pre>", code.trim()),
        );
        assert!(html.contains("<h1 id=\"t\">T</h1>"), "{html}");
        assert!(
            html.contains("<a href=\"/sources/x/\" id=\"cite-1\" class=\"cite\">a</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://e.org\">b</a>"), "{html}");
        assert!(
            html.contains("<pre data-lang=\"rust\">fn main() {}</pre>"),
            "{html}"
        );
    }
}
