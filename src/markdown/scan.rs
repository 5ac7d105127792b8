//! Reading a commentary body: headings with stable ids, links with their spans and the passages
//! around them, blockquote quotation candidates, text nodes and plain text.

use super::options;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

/// A heading of a commentary page with its stable id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Heading {
    /// 1 (`#`, or a `===` underline) to 6 (`######`).
    pub level: u8,
    /// The heading's plain text (inline code included), trimmed.
    pub text: String,
    /// The `{#id}` written, else a slug of `text`; made unique in the page by a `-n` suffix.
    pub id: String,
    /// Its index in [`Scan::blocks`]: the blocks after it, up to the next heading, are its
    /// section.
    #[serde(skip)]
    pub block: usize,
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
    /// The plain text of the innermost block (paragraph, list item, cell, heading) around it,
    /// shared by every link of that block (a paragraph of thousands of links holds it once).
    pub passage: Arc<str>,
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
    /// Every link in document order (not images); the n-th gets the n-th [`LinkOut`](super::LinkOut).
    pub links: Vec<Link>,
    /// Every image in document order, with the spans of its destination (its `text` and
    /// `passage` are left empty); the n-th gets the n-th image source of [`to_html`](super::to_html()).
    pub images: Vec<Link>,
    /// Blockquotes that end in a single link, the candidates for verified quotations.
    pub blockquotes: Vec<BlockQuote>,
    /// The opening of the page's plain text, white space collapsed, at most [`OPENING`]
    /// characters (for summaries and a glossary entry's tooltip): its blocks (paragraph, list
    /// item, cell, heading, code block) in order, a block that does not end a sentence followed
    /// by ` ·`, so that blocks never run together. Only the opening is kept: the whole text
    /// was a fifth of a large build's memory, and no reader looks further.
    pub plain: String,
    /// Every text event, in order (the n-th here is the n-th `Event::Text` of
    /// [`to_html`](super::to_html())); [`Scan::text`] gives a node's text.
    pub texts: Vec<TextNode>,
    /// The text of the nodes outside any block, one after another (a node in a block is read
    /// from its block's text, so that no text is held twice).
    loose: String,
    /// Plain text of each block (paragraph, list item, cell, heading), in document order.
    pub blocks: Vec<String>,
}

/// How many characters of a page's plain text [`Scan::plain`] keeps: more than a summary
/// (200) or a tooltip's first sentence (240, else cut) can show.
pub const OPENING: usize = 1_000;

/// A run of text of a page, where the glossary looks for terms; its text is [`Scan::text`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextNode {
    /// The length of the event's text (entities and escapes decoded), in bytes.
    pub len: usize,
    /// Where a node outside any block starts in the scan's loose text.
    loose: usize,
    /// The block holding it (index into [`Scan::blocks`]), and the byte offset where its text
    /// starts in that block's text; `None` outside any block.
    pub block: Option<(usize, usize)>,
    /// Not in a heading, code, a link or an image: a term here may become a link.
    pub linkable: bool,
    /// Not code or an image's text: a term here counts as an occurrence.
    pub countable: bool,
}

impl Scan {
    /// The text of node `i` of [`Scan::texts`].
    pub fn text(&self, i: usize) -> &str {
        let node = &self.texts[i];
        match node.block {
            Some((b, off)) => &self.blocks[b][off..off + node.len],
            None => &self.loose[node.loose..node.loose + node.len],
        }
    }
}

/// Scans `text[body_start..]`; spans are relative to the start of `text`.
pub fn scan(text: &str, body_start: usize) -> Scan {
    let body = &text[body_start..];
    let mut scan = Scan::default();
    // Open blocks whose text is a "passage": (block index, text so far, links started inside).
    let mut passages: Vec<(usize, String, Vec<usize>)> = Vec::new();
    let mut in_code = false;
    let mut image_depth = 0usize;
    let mut heading: Option<(u8, Option<String>, String, usize)> = None;
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
                            scan.blocks.len() - 1,
                        ))
                    }
                    Tag::Image { dest_url, .. } => {
                        scan.images.push(Link {
                            dest: dest_url.to_string(),
                            span: body_start + range.start..body_start + range.end,
                            dest_span: dest_span(body, body_start, range.clone(), &dest_url),
                            text: String::new(),
                            passage: Arc::from(""),
                        });
                    }
                    Tag::Link { dest_url, .. } => {
                        let index = scan.links.len();
                        scan.links.push(Link {
                            dest: dest_url.to_string(),
                            span: body_start + range.start..body_start + range.end,
                            dest_span: dest_span(body, body_start, range.clone(), &dest_url),
                            text: String::new(),
                            passage: Arc::from(""),
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
                    if let Some((level, id, text, block)) = heading.take() {
                        scan.headings.push(Heading {
                            level,
                            text: text.trim().to_string(),
                            id: id.unwrap_or_default(),
                            block,
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
                if let Some((_, _, h, _)) = heading.as_mut() {
                    h.push_str(&t);
                }
                for (_, l) in link_stack.iter_mut() {
                    l.push_str(&t);
                }
                if matches!(event_kind, EventKind::Text) {
                    let block = passages.last().map(|(b, p, _)| (*b, p.len()));
                    if block.is_none() {
                        scan.loose.push_str(&t);
                    }
                    scan.texts.push(TextNode {
                        len: t.len(),
                        loose: scan.loose.len() - if block.is_none() { t.len() } else { 0 },
                        block,
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
    scan.plain = opening(&scan.plain);
    scan.texts.shrink_to_fit();
    scan.loose.shrink_to_fit();
    scan
}

/// The first [`OPENING`] characters of `plain`, white space collapsed.
fn opening(plain: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in plain.split_whitespace() {
        if chars >= OPENING {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars().take(OPENING.saturating_sub(chars)) {
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// The byte span of a link's or image's destination in the file (the whole link when it is
/// not written inline, as with a reference definition).
fn dest_span(body: &str, body_start: usize, range: Range<usize>, dest: &str) -> Range<usize> {
    match body[range.clone()].rfind(dest) {
        Some(i) if !dest.is_empty() => {
            let start = body_start + range.start + i;
            start..start + dest.len()
        }
        _ => body_start + range.start..body_start + range.end,
    }
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
        let text: Arc<str> = Arc::from(crate::text::collapse_whitespace(&raw));
        scan.blocks[block] = raw;
        // Kept for the whole build: no room to grow into.
        scan.blocks[block].shrink_to_fit();
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
