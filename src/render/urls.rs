//! The site's URL layout, in one place: every link the site contains and every file
//! it writes is named here, so that a base URL with a path is honoured everywhere.

use crate::config::BaseUrl;
use crate::model::{SeedAnchor, Target};
use crate::render::reads::Reader;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in a path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\');

/// Site-relative paths (no leading `/`) of what the site holds, and their hrefs.
#[derive(Clone, Debug)]
pub struct Urls {
    base: BaseUrl,
}

impl Urls {
    /// The layout under `base`.
    pub fn new(base: &BaseUrl) -> Self {
        Urls { base: base.clone() }
    }

    /// An href for the site-relative `path`: the base path prefixed.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base.path, path)
    }

    /// The absolute URL of `path`, for the sitemap; a path when the base has no origin.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base.origin, self.href(path))
    }

    /// A commentary page's folder: `<path>/`, or `""` (the site's root) for the home page.
    pub fn page(path: &str) -> String {
        if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        }
    }

    /// The list of seeds.
    pub fn sources() -> String {
        "sources/".into()
    }

    /// A seed's page, by seed id (not escaped: a valid id needs none).
    pub fn source(id: &str) -> String {
        format!("sources/{id}/")
    }

    /// The original file, published next to its seed's page.
    pub fn source_file(id: &str, file_name: &str) -> String {
        format!("sources/{id}/{}", utf8_percent_encode(file_name, SEGMENT))
    }

    /// A seed's citation file in a format, beside its page: `sources/<id>/<id>.<extension>`.
    pub fn source_cite(id: &str, extension: &str) -> String {
        format!("sources/{id}/{id}.{extension}")
    }

    /// Every source's citation in one file of a format: `sources/sources.<extension>`.
    pub fn sources_cite(extension: &str) -> String {
        format!("sources/sources.{extension}")
    }

    /// Where a site-relative URL path is written: folders get an `index.html`.
    pub fn output_file(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// The glossary's index; an entry's page is [`Urls::page`] of its path, `glossary/<id>/`.
    pub fn glossary() -> String {
        "glossary/".into()
    }

    /// Page `n` (1-based) of a paginated list whose first page is `first` (a folder path):
    /// `first` itself, then `<first>page/<n>/`.
    pub fn paged(first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{first}page/{n}/")
        }
    }

    /// The list of tags.
    pub fn tags() -> String {
        "tags/".into()
    }

    /// A tag's list of pages, by the tag's slug.
    pub fn tag(slug: &str) -> String {
        format!("tags/{slug}/")
    }

    /// The search page; its index is under `search/` too (`search/index.json`, …).
    pub fn search() -> String {
        "search/".into()
    }

    /// The quote index.
    pub fn quotes() -> String {
        "quotes/".into()
    }

    /// Page `n` (1-based) of a group of the quote index: `quotes/<id>/`, `quotes/<id>/<n>/`.
    pub fn quote_group(id: &str, n: usize) -> String {
        if n <= 1 {
            format!("quotes/{}/", utf8_percent_encode(id, SEGMENT))
        } else {
            format!("quotes/{}/{n}/", utf8_percent_encode(id, SEGMENT))
        }
    }

    /// The href of a quoted passage: its anchor on the seed page, plus a URL text fragment
    /// (`:~:text=start,end`) so that browsers highlight it even in other renderings.
    pub fn passage(&self, seed_id: &str, quotation_id: &str, parts: &[&str]) -> String {
        let fragment = crate::text::passage_fragment(parts);
        format!(
            "{}#{quotation_id}:~:text={fragment}",
            self.href(&Urls::source(seed_id))
        )
    }

    /// The fragment for a place in a seed page (`#p3`, `#L12`), empty for the whole seed.
    pub fn anchor(anchor: SeedAnchor) -> String {
        match anchor {
            SeedAnchor::Whole => String::new(),
            SeedAnchor::Paragraph(n) => format!("#p{n}"),
            SeedAnchor::Line(n) => format!("#L{n}"),
        }
    }

    /// A published file (`static/`, a page asset) by its output path, each segment escaped.
    pub fn file(path: &str) -> String {
        path.split('/')
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The href a resolved link target is written as; `written` is the link as the author wrote it.
    pub fn target(&self, r: &Reader<'_>, target: &Target, written: &str) -> String {
        match target {
            Target::AsWritten => written.to_string(),
            Target::SamePage(fragment) => format!("#{fragment}"),
            Target::Seed { seed, anchor } => {
                format!(
                    "{}{}",
                    self.href(&Urls::source(r.seed_id(*seed))),
                    Urls::anchor(*anchor)
                )
            }
            Target::File { path, fragment } => {
                let mut href = self.href(&Urls::file(path));
                if let Some(f) = fragment {
                    href.push('#');
                    href.push_str(f);
                }
                href
            }
            Target::Page { page, anchor } => {
                let mut href = self.href(&Urls::page(r.page_path(*page)));
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(a);
                }
                href
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_honour_the_base_path() {
        let urls = Urls::new(&BaseUrl::parse("https://x.github.io/repo/").unwrap());
        assert_eq!(
            urls.href(&Urls::source("iom-voa")),
            "/repo/sources/iom-voa/"
        );
        assert_eq!(
            urls.absolute(&Urls::page("a/b")),
            "https://x.github.io/repo/a/b/"
        );
        assert_eq!(
            Urls::source_file("a", "my file.txt"),
            "sources/a/my%20file.txt"
        );
        assert_eq!(Urls::output_file("a/b/"), "a/b/index.html");
        assert_eq!(
            urls.href(&Urls::file("notes/trip/my map.png")),
            "/repo/notes/trip/my%20map.png"
        );
        assert_eq!(Urls::output_file(""), "index.html");
        assert_eq!(Urls::paged(&Urls::sources(), 1), "sources/");
        assert_eq!(Urls::paged("glossary/x/", 3), "glossary/x/page/3/");
    }
}
