//! `dossier.yaml`: the site configuration.

use crate::diagnostics::{code, Diagnostic};
use serde::{Deserialize, Serialize};

/// How glossary terms are linked in seeds and commentary.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LinkMode {
    /// Only each entry's first occurrence on a page (commentary page or seed page) is a link.
    #[default]
    FirstPerPage,
    /// Each entry's first occurrence in every paragraph is a link.
    FirstPerParagraph,
    /// Every occurrence is a link.
    All,
    /// No occurrence is a link; occurrences are still found and counted.
    None,
}

/// The `glossary:` section of `dossier.yaml`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    /// Which occurrences of a term become links (`glossary.link`); `first-per-page` when absent.
    #[serde(default)]
    pub link: LinkMode,
}

/// The parsed `dossier.yaml`. Unknown keys are errors, so typos never pass silently.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's title, shown on every page; the only required key.
    pub title: String,
    /// As written; `/` when absent. Checked by [`BaseUrl::parse`], which links use.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The site's `<meta name="description">`; empty (and omitted) when absent.
    #[serde(default)]
    pub description: String,
    /// The site's language tag (`<html lang>`, Web Annotations); `en` when absent.
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's authors, shown in the footer; may be empty.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The folder name under `themes/` that overrides the built-in theme; `default` when absent.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The `glossary:` settings.
    #[serde(default)]
    pub glossary: GlossaryConfig,
    /// Publish commentary HTML as written instead of sanitising it; `false` when absent.
    #[serde(default)]
    pub unsafe_html: bool,
    /// The domain written to a `CNAME` file (GitHub Pages); no file when empty.
    #[serde(default)]
    pub cname: String,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}

/// The name of the configuration file at the dossier root.
pub const FILE: &str = "dossier.yaml";

impl Config {
    /// Parses `text`, the contents of `dossier.yaml`, and checks what serde cannot.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let config: Config =
            crate::yaml::parse(code::CONFIG, FILE, text, 0..text.len()).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        if let Err(message) = BaseUrl::parse(&config.base_url) {
            problems.push(
                Diagnostic::error(code::CONFIG, crate::yaml::key_location(FILE, text, "base_url"), message)
                    .with_hint("use a full URL such as \"https://user.github.io/repo/\" or a path such as \"/\""),
            );
        }
        if !crate::paths::is_valid_id(&config.theme) {
            problems.push(Diagnostic::error(
                code::CONFIG,
                crate::yaml::key_location(FILE, text, "theme"),
                format!("theme name `{}` is not a folder name of lowercase letters, digits, `-` and `_`", config.theme),
            ));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}

/// The site's base URL split into what links need: an origin (may be empty) and a path that
/// starts and ends with `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme, host and port (`https://example.org`), no trailing `/`; empty for a bare path.
    pub origin: String,
    /// The path every site URL is prefixed with: starts and ends with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Splits `base_url` (a path, or an http(s) URL without query or fragment); the error is
    /// the message for a diagnostic.
    pub fn parse(base_url: &str) -> Result<BaseUrl, String> {
        let base_url = base_url.trim();
        let with_slash = |p: &str| {
            let p = p.trim_end_matches('/');
            format!("{p}/")
        };
        if base_url.starts_with('/') {
            return Ok(BaseUrl {
                origin: String::new(),
                path: with_slash(base_url),
            });
        }
        let url = url::Url::parse(base_url)
            .map_err(|e| format!("base_url `{base_url}` is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "base_url `{base_url}` must be an http(s) URL or a path"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "base_url `{base_url}` must not have a query or fragment"
            ));
        }
        Ok(BaseUrl {
            origin: url.origin().ascii_serialization(),
            path: with_slash(url.path()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_paths() {
        let b = BaseUrl::parse("https://example.github.io/caravan-dossier").unwrap();
        assert_eq!(b.origin, "https://example.github.io");
        assert_eq!(b.path, "/caravan-dossier/");
        assert_eq!(BaseUrl::parse("/").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("/sub/").unwrap().path, "/sub/");
        assert!(BaseUrl::parse("ftp://x/").is_err());
    }

    #[test]
    fn misspelt_key_names_key_and_line() {
        let errs = Config::parse("title: t\nglossary:\n  lnk: all\n").unwrap_err();
        assert_eq!(errs[0].location.line, 3, "{errs:?}");
        assert!(errs[0].message.contains("lnk"), "{}", errs[0].message);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `link`?"));
    }
}
