//! Code highlighting with syntect, as CSS classes (`hl-…`) so the theme owns the colours.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Blocks larger than this are shown as plain text: highlighting cost grows with size.
const MAX_BLOCK: usize = 256 * 1024;

/// The syntax set, loaded once per process (it is large, and each syntax compiles lazily).
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A fenced code block as HTML. An unknown language falls back to escaped plain text.
pub fn code_block(lang: &str, code: &str) -> String {
    let escaped = || {
        let mut s = String::new();
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut s, code);
        s
    };
    let set = syntaxes();
    let syntax = (!lang.is_empty() && code.len() <= MAX_BLOCK)
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escaped()
            }
        }
        None => escaped(),
    };
    let mut lang_attr = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut lang_attr, lang);
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        format!("<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{body}</code></pre>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_unknown_is_plain() {
        let html = code_block("rust", "fn main() { let x = \"<s>\"; }\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;s&gt;"), "{html}");
        let plain = code_block("no-such-lang", "<b>\n");
        assert_eq!(
            plain,
            "<pre class=\"code\" data-lang=\"no-such-lang\"><code>&lt;b&gt;\n</code></pre>\n"
        );
    }
}
