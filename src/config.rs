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
    /// Build the offline search (`/search/`, its index and the header's box); `true` when
    /// absent.
    #[serde(default = "default_true")]
    pub search: bool,
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
fn default_true() -> bool {
    true
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
        if let Some((message, hint)) = language_problem(&config.language) {
            problems.push(
                Diagnostic::error(
                    code::CONFIG,
                    crate::yaml::key_location(FILE, text, "language"),
                    message,
                )
                .with_hint(hint),
            );
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
        if base_url.starts_with("//") || base_url.starts_with("/\\") {
            return Err(format!(
                "base_url `{base_url}` starts with two slashes: browsers read it as another host (`//host/`), not a path"
            ));
        }
        if base_url.starts_with('/') && base_url.contains(['\\', '?', '#']) {
            return Err(format!(
                "base_url `{base_url}` must be a path of `/`-separated names, without `\\`, `?` or `#`"
            ));
        }
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
        for scheme_relative in ["//evil.example/", "/\\evil.example/", "///x"] {
            assert_eq!(
                BaseUrl::parse(scheme_relative),
                Err(format!("base_url `{scheme_relative}` starts with two slashes: browsers read it as another host (`//host/`), not a path"))
            );
        }
    }

    #[test]
    fn misspelt_key_names_key_and_line() {
        let errs = Config::parse("title: t\nglossary:\n  lnk: all\n").unwrap_err();
        assert_eq!(errs[0].location.line, 3, "{errs:?}");
        assert!(errs[0].message.contains("lnk"), "{}", errs[0].message);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `link`?"));
    }
}

/// What is wrong with `tag` as a BCP 47 language tag (RFC 5646 §2.1), as (message, hint);
/// `None` when it is well formed. Primary subtags of 4 to 8 letters are well formed in the
/// grammar but reserved and unregistered, so they are refused too (`english` → `en`).
pub fn language_problem(tag: &str) -> Option<(String, String)> {
    if well_formed_language(tag) {
        return None;
    }
    let named = [
        ("english", "en"),
        ("swedish", "sv"),
        ("french", "fr"),
        ("german", "de"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
        ("dutch", "nl"),
        ("danish", "da"),
        ("norwegian", "nb"),
        ("finnish", "fi"),
        ("polish", "pl"),
        ("russian", "ru"),
        ("ukrainian", "uk"),
        ("arabic", "ar"),
        ("chinese", "zh"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("greek", "el"),
        ("turkish", "tr"),
        ("latin", "la"),
        ("hebrew", "he"),
        ("hindi", "hi"),
        ("persian", "fa"),
    ];
    let lower = tag.trim().to_ascii_lowercase();
    let hint = match named.iter().find(|(name, _)| lower.starts_with(name)) {
        Some((_, code)) => format!("write the language's tag, `{code}`, not its name"),
        None => "use a BCP 47 tag such as `en`, `en-GB`, `sv` or `pt-BR`".to_string(),
    };
    Some((format!("`{tag}` is not a BCP 47 language tag"), hint))
}

fn well_formed_language(tag: &str) -> bool {
    const GRANDFATHERED: [&str; 26] = [
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
        "art-lojban",
        "cel-gaulish",
        "no-bok",
        "no-nyn",
        "zh-guoyu",
        "zh-hakka",
        "zh-min",
        "zh-min-nan",
        "zh-xiang",
    ];
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let alpha = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let alnum = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    let subtags: Vec<&str> = lower.split('-').collect();
    let mut i = 0;
    let private = |from: usize| {
        from + 1 < subtags.len() && subtags[from + 1..].iter().all(|s| alnum(s, 1..=8))
    };
    if subtags[0] == "x" {
        return private(0);
    }
    // language: 2–3 letters and up to three extlangs (4–8 letters are reserved, unregistered).
    if !alpha(subtags[0], 2..=3) {
        return false;
    }
    i += 1;
    let mut extlangs = 0;
    while i < subtags.len() && extlangs < 3 && alpha(subtags[i], 3..=3) {
        i += 1;
        extlangs += 1;
    }
    if i < subtags.len() && alpha(subtags[i], 4..=4) {
        i += 1; // script
    }
    if i < subtags.len()
        && (alpha(subtags[i], 2..=2)
            || (subtags[i].len() == 3 && subtags[i].bytes().all(|b| b.is_ascii_digit())))
    {
        i += 1; // region
    }
    let variant = |s: &str| {
        alnum(s, 5..=8) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit() && alnum(s, 4..=4))
    };
    while i < subtags.len() && variant(subtags[i]) {
        i += 1;
    }
    while i < subtags.len() && subtags[i] != "x" && alnum(subtags[i], 1..=1) {
        i += 1; // extension singleton, then at least one 2–8 subtag
        let from = i;
        while i < subtags.len() && alnum(subtags[i], 2..=8) {
            i += 1;
        }
        if i == from {
            return false;
        }
    }
    if i < subtags.len() && subtags[i] == "x" {
        return private(i);
    }
    i == subtags.len()
}

#[cfg(test)]
mod language_tests {
    use super::language_problem;

    #[test]
    fn bcp47_tags() {
        for ok in [
            "en",
            "en-GB",
            "sv",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "de-CH-1996",
            "es-419",
            "x-whatever",
            "i-klingon",
            "en-a-bbb-x-a-ccc",
            "zh-yue",
        ] {
            assert_eq!(language_problem(ok), None, "{ok}");
        }
        for bad in [
            "", "english", "e", "en_GB", "en-", "en--GB", "123", "en-a", "engl", "en-x",
        ] {
            assert!(language_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(
            language_problem("english"),
            Some((
                "`english` is not a BCP 47 language tag".into(),
                "write the language's tag, `en`, not its name".into()
            ))
        );
    }
}
