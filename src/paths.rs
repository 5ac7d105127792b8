//! Names and paths: what an id may look like, how a relative link is resolved without ever
//! leaving the dossier root, and which existing name is nearest to a misspelt one.

use std::path::{Component, Path, PathBuf};

/// Ids (seed ids, page path segments) are lowercase letters, digits, `-` and `_`, so that URLs
/// are the same on every file system, case-insensitive ones included.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Whether `name` (with or without an extension, in any case) is a device name Windows
/// reserves (`con`, `prn`, `aux`, `nul`, `com1`–`com9`, `lpt1`–`lpt9`): a file or folder of
/// that name cannot be created there, so a site holding one cannot be checked out or served.
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        s if s.len() == 4 && (s.starts_with("com") || s.starts_with("lpt")) => {
            matches!(s.as_bytes()[3], b'1'..=b'9')
        }
        _ => false,
    }
}

/// The error for an id or path segment Windows reserves (see [`is_reserved`]).
pub fn reserved_error(
    location: crate::diagnostics::Location,
    what: &str,
    id: &str,
) -> crate::diagnostics::Diagnostic {
    crate::diagnostics::Diagnostic::error(
        crate::diagnostics::code::BAD_ID,
        location,
        format!("{what} `{id}` is a device name Windows reserves: its folder could not be created there"),
    )
    .with_hint(format!("rename it, e.g. to `{id}-1`"))
}

/// The candidate nearest to `name` by edit distance, when it is close enough to be a typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 2).max(3);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Joins a relative link `target` to the folder `from_dir` (both relative to the dossier
/// root, `/`-separated) and normalises `.` and `..`. `None` when the result would climb out of
/// the root, which includes absolute paths.
pub fn join_inside(from_dir: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.starts_with('\\') || target.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in target.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `path` relative to `root` with `/` separators, for diagnostics and ids.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// An absolute, lexically normalised form of `path` (which need not exist), used to compare
/// folders such as the output and the dossier root.
pub fn absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve symlinks where the folder exists, so two spellings of one folder compare equal.
    out.canonicalize().unwrap_or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("iom-voa"));
        assert!(is_valid_id("000_af23"));
        assert!(!is_valid_id("IOM"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn joining_never_leaves_the_root() {
        assert_eq!(
            join_inside("content/analysis", "../notes/a.md").unwrap(),
            "content/notes/a.md"
        );
        assert_eq!(
            join_inside("content", "../seeds/x.txt").unwrap(),
            "seeds/x.txt"
        );
        assert_eq!(join_inside("content", "../../etc/passwd"), None);
        assert_eq!(join_inside("content", "/etc/passwd"), None);
        assert_eq!(join_inside("content", "..\\..\\x"), None);
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("iom-vao", ["iom-voa", "ima"]), Some("iom-voa"));
        assert_eq!(nearest("zzzzzzzz", ["iom-voa"]), None);
    }
}
