//! Theme files: the built-in theme embedded in the binary, overridden file by file by a
//! dossier's own `themes/<name>/templates/*.html` and `themes/<name>/static/**`.

use crate::diagnostics::{code, Diagnostic, Location};
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in templates, by name.
pub const BUILT_IN_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "sources.html",
        include_str!("../../themes/default/templates/sources.html"),
    ),
    (
        "source.html",
        include_str!("../../themes/default/templates/source.html"),
    ),
    (
        "tags.html",
        include_str!("../../themes/default/templates/tags.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "tag.html",
        include_str!("../../themes/default/templates/tag.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "quotes.html",
        include_str!("../../themes/default/templates/quotes.html"),
    ),
    (
        "glossary.html",
        include_str!("../../themes/default/templates/glossary.html"),
    ),
    (
        "glossary_entry.html",
        include_str!("../../themes/default/templates/glossary_entry.html"),
    ),
    (
        "term.html",
        include_str!("../../themes/default/templates/term.html"),
    ),
    (
        "glossary_concordance.html",
        include_str!("../../themes/default/templates/glossary_concordance.html"),
    ),
    (
        "pager.html",
        include_str!("../../themes/default/templates/pager.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "robots.txt",
        include_str!("../../themes/default/templates/robots.txt"),
    ),
    (
        "atom.xml",
        include_str!("../../themes/default/templates/atom.xml"),
    ),
];

/// What a file under `templates/` may be: HTML pages and partials, the sitemap, robots.txt.
const TEMPLATE_EXTENSIONS: &[&str] = &[".html", ".xml", ".txt"];

/// The built-in static files, by path below the site root.
pub const BUILT_IN_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "terms.js",
        include_bytes!("../../themes/default/static/terms.js"),
    ),
    (
        "source.js",
        include_bytes!("../../themes/default/static/source.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "stem.js",
        include_bytes!("../../themes/default/static/stem.js"),
    ),
];

/// A template's source and where it came from (for diagnostics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// `themes/<name>/templates/<file>` relative to the root, or `(built-in theme)/templates/<file>`.
    pub origin: String,
    /// The template's text (Tera syntax).
    pub source: String,
}

/// The theme in effect: templates by name and static files by output path.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Path below `templates/` (`page.html`, `term.html`) → template; the theme's own
    /// replace the built-in ones of the same name.
    pub templates: BTreeMap<String, Template>,
    /// Path below the site root (`style.css`) → bytes; the theme's own replace the built-in ones.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Path below the site root → the file of the dossier's theme it comes from
    /// (`themes/<name>/static/…`); built-in files are not in it.
    pub static_origins: BTreeMap<String, String>,
}

/// Loads the theme `name` from `root/themes/<name>/` over the built-in one.
pub fn load(
    root: &Path,
    name: &str,
    configured_at: Location,
    diags: &mut Vec<Diagnostic>,
) -> Theme {
    let mut theme = Theme::default();
    for (file, source) in BUILT_IN_TEMPLATES {
        theme.templates.insert(
            file.to_string(),
            Template {
                origin: format!("(built-in theme)/templates/{file}"),
                source: source.to_string(),
            },
        );
    }
    for (file, bytes) in BUILT_IN_STATIC {
        theme.statics.insert(file.to_string(), bytes.to_vec());
    }
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name != "default" {
            diags.push(
                Diagnostic::error(
                    code::THEME,
                    configured_at,
                    format!("theme `{name}` not found: there is no folder themes/{name}/"),
                )
                .with_hint("use `theme: default` for the built-in theme"),
            );
        }
        return theme;
    }
    for (sub, is_template) in [("templates", true), ("static", false)] {
        // The same walk as the dossier's folders: what cannot be read, links and what is not
        // a regular file are reported, never dropped in silence.
        let dir = format!("themes/{name}/{sub}");
        let found = super::files::walk(
            root,
            &dir,
            usize::MAX,
            super::assets::is_skipped,
            Some(diags),
        );
        for file in found {
            let base = root.join(&dir);
            let rel = crate::paths::relative(&base, &file.path);
            let origin = crate::paths::relative(root, &file.path);
            let what = if is_template {
                "template"
            } else {
                "static file"
            };
            let bytes = match super::files::read(&file.path, &origin, what, u64::MAX) {
                Ok(bytes) => bytes,
                Err(super::files::Unread::Refused(d)) => {
                    diags.push(d);
                    continue;
                }
                // Gone since the walk, or replaced by a link: the next build says so.
                Err(_) => continue,
            };
            if !is_template {
                theme.static_origins.insert(rel.clone(), origin);
                theme.statics.insert(rel, bytes);
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(source) if TEMPLATE_EXTENSIONS.iter().any(|x| rel.ends_with(x)) => {
                    theme.templates.insert(rel, Template { origin, source });
                }
                Ok(_) => diags.push(
                    Diagnostic::warning(
                        code::THEME,
                        Location::file(origin),
                        "not a template: skipped",
                    )
                    .with_hint(format!(
                        "templates end in {}; files to publish go in themes/{name}/static/",
                        TEMPLATE_EXTENSIONS.join(", ")
                    )),
                ),
                Err(_) => diags.push(Diagnostic::error(
                    code::THEME,
                    Location::file(origin),
                    "template is not UTF-8",
                )),
            }
        }
    }
    theme
}
