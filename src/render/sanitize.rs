//! The one sanitising function for commentary HTML: raw HTML in Markdown may not bring
//! scripts, event handlers or `javascript:` URLs.

use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(configured)
}

/// The sanitiser's rules (a builder is not `Clone`, so [`absolute`] makes its own).
fn configured() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "data-lang", "role", "aria-describedby"])
        .add_tags(["input", "section", "figure", "figcaption", "mark"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None);
    b
}

/// `html` with everything unsafe removed.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// `html` sanitised, with every relative URL (`href`, `src`, …; `#note`, `/base/page/`,
/// `map.png`) made absolute against `base`, for a page shown away from the site (the feed).
pub fn absolute(html: &str, base: &url::Url) -> String {
    let mut b = configured();
    b.url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()));
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_js_urls_go_markup_stays() {
        let dirty = r#"<p id="x" class="c" onclick="evil()">hi<script>alert(1)</script></p><a href="javascript:alert(1)">a</a><a href="/ok/#p1">b</a><input type="checkbox" checked disabled>"#;
        let clean = clean(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript"),
            "{clean}"
        );
        assert!(clean.contains(r#"<p id="x" class="c">hi</p>"#), "{clean}");
        assert!(clean.contains(r#"<a href="/ok/#p1">b</a>"#), "{clean}");
        assert!(clean.contains("checkbox"), "{clean}");
    }

    #[test]
    fn absolute_resolves_every_relative_url_against_the_page() {
        let base = url::Url::parse("https://example.org/sub/notes/a/").unwrap();
        let html = r##"<p><a href="#cite-1">a</a> <a href="/sub/sources/x/#p2">b</a> <a href="map.png">c</a> <img src="../b/i.png" alt=""> <a href="https://other.example/">d</a></p>"##;
        assert_eq!(
            absolute(html, &base),
            r#"<p><a href="https://example.org/sub/notes/a/#cite-1">a</a> <a href="https://example.org/sub/sources/x/#p2">b</a> <a href="https://example.org/sub/notes/a/map.png">c</a> <img src="https://example.org/sub/notes/b/i.png" alt=""> <a href="https://other.example/">d</a></p>"#
        );
    }
}
