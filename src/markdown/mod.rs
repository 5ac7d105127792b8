//! The Markdown format, in one place: what a commentary body holds (headings, links and the
//! passages around them, with byte spans) and how it becomes HTML once its links are resolved.
//! Both directions parse with the same options, so the n-th link or heading of one is the n-th
//! of the other.

mod html;
mod scan;

pub use html::{to_html, LinkOut, TermLink, TermLinks};
pub use scan::{scan, BlockQuote, Heading, Link, Scan, TextNode, OPENING};

use pulldown_cmark::Options;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
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
        assert_eq!(&*s.links[0].passage, "The IOM says it is normal.");
        assert_eq!(&*s.links[1].passage, "item x y");
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
            &[],
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
