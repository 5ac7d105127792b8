//! Every YAML call of the project (configuration, seed sidecars, front matter) goes through here,
//! so that swapping serde_yaml for its maintained fork is a one-module change.

use crate::diagnostics::{Diagnostic, Location};
use serde::de::DeserializeOwned;
use std::ops::Range;

pub mod limits;

/// Parses the YAML found at `range` of `text` (the whole contents of `file`) into `T`.
/// Errors carry the file, line and column of the problem and, for a misspelt key, the
/// nearest known one as a hint.
pub fn parse<T: DeserializeOwned>(
    code: &'static str,
    file: &str,
    text: &str,
    range: Range<usize>,
) -> Result<T, Diagnostic> {
    let source = &text[range.clone()];
    // An empty document is an empty mapping: every field of our formats is optional or defaulted.
    let source = if source.trim().is_empty() {
        "{}"
    } else {
        source
    };
    // Refused before the parser sees it: nesting and alias expansion the parser pays dearly for.
    if let Err(refusal) = limits::check(source) {
        let at = range.start + refusal.at.min(range.len());
        return Err(Diagnostic::error(
            code,
            Location::span(file, text, at..at + 1),
            refusal.message,
        )
        .with_hint(refusal.hint));
    }
    serde_yaml::from_str(source).map_err(|err| {
        let raw = err.to_string();
        let location = match construct_start(source, &raw) {
            Some(at) => {
                let start = range.start + at.min(range.len());
                Location::span(file, text, start..start)
            }
            None => match err.location() {
                Some(at) => {
                    let start = range.start + at.index().min(range.len());
                    Location::span(file, text, start..start)
                }
                None => Location::file(file),
            },
        };
        let message = strip_position(&raw);
        // serde_yaml puts a duplicate key at the start of its mapping: point at the second
        // occurrence instead, and say where the first is.
        let duplicate = err.location().and_then(|at| {
            let key = message
                .split("duplicate field `")
                .nth(1)?
                .strip_suffix('`')?;
            let (first, second) = duplicate_key(source, at.index(), key)?;
            let line = |i: usize| Location::span(file, text, range.start + i..range.start + i).line;
            Some((key.len(), second, line(first)))
        });
        if let Some((len, second, first_line)) = duplicate {
            let start = range.start + second;
            return Diagnostic::error(
                code,
                Location::span(file, text, start..start + len),
                format!("{message}: set again here, first on line {first_line}"),
            )
            .with_hint("keep one of the two");
        }
        let hint = unknown_key_hint(&message).or_else(|| {
            message
                .contains("while scanning a quoted scalar")
                .then(|| "the quotation mark opened here is never closed".to_string())
        });
        let mut diagnostic = Diagnostic::error(code, location, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        diagnostic
    })
}

/// The byte range of the YAML front matter between `---` lines at the very start of a
/// Markdown file, and the offset where the body begins. `None` when there is none.
pub fn front_matter(text: &str) -> Option<(Range<usize>, usize)> {
    let start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = start + first_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((yaml_start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// A required text that may not be null (`~`, `null` or nothing after the key), which YAML
/// would otherwise turn into the text `~`; blank text is refused as well.
fn required_text<'de, D: serde::Deserializer<'de>>(d: D, key: &str) -> Result<String, D::Error> {
    use serde::Deserialize;
    match Option::<String>::deserialize(d)? {
        Some(text) if !text.trim().is_empty() => Ok(text),
        Some(_) => Err(serde::de::Error::custom(format!("`{key}` is empty"))),
        None => Err(serde::de::Error::custom(format!(
            "`{key}` is null (`~`, `null` or nothing after `{key}:`), not a text"
        ))),
    }
}

/// A page's `title`, which may not be null or blank.
pub fn required_title<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "title")
}

/// A glossary entry's `term`, which may not be null or blank.
pub fn required_term<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required_text(d, "term")
}

/// A mapping of texts whose keys may be written once each (serde's own maps keep the last of
/// two): a key written twice is the same "duplicate field" error as a struct's.
pub fn unique_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = std::collections::BTreeMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping of texts")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate field `{key}`")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique)
}

/// For dates such as `2018-11` or `2018`, which YAML may read as numbers: keep them as written.
pub fn scalar_as_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
        Scalar::F(f) => f.to_string(),
    }))
}

/// Checks the top-level date field `key`, read as text (`written`) from the YAML at `range` of
/// `text` (the whole contents of `file`). An invalid date is an error at its value and is left
/// out, so that the rest of the file still counts.
pub fn date(
    code: &'static str,
    file: &str,
    text: &str,
    range: Range<usize>,
    key: &str,
    written: Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::date::Date> {
    let written = written?;
    match crate::date::Date::parse(&written) {
        Ok(date) => Some(date),
        Err(invalid) => {
            let reason = invalid.reason.map(|r| format!(": {r}")).unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    code,
                    value_location(file, text, range, key),
                    format!("`{written}` is not a date{reason}"),
                )
                .with_hint(format!("write `{key}` as {}", crate::date::FORMS)),
            );
            None
        }
    }
}

/// Where the value of the top-level `key` is written on the key's line (without a trailing
/// comment), else the key, else the whole file. Block style only; not a YAML parser.
fn value_location(file: &str, text: &str, range: Range<usize>, key: &str) -> Location {
    let mut offset = range.start;
    for line in text[range].split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            let after_key = rest.trim_start_matches([' ', '\t']);
            if let Some(value) = after_key.strip_prefix(':') {
                let key_end = offset + key.len();
                let start = line.len() - value.trim_start_matches([' ', '\t']).len();
                let value = &line[start..];
                let value = value.find(" #").map_or(value, |i| &value[..i]).trim_end();
                if value.is_empty() {
                    return Location::span(file, text, offset..key_end);
                }
                return Location::span(file, text, offset + start..offset + start + value.len());
            }
        }
        offset += line.len();
    }
    Location::file(file)
}

/// The byte offsets in `source` of the first two keys `key` of the block mapping that starts
/// at `start`: keys at the mapping's column, up to the first line indented less. Block style
/// only (a key in a flow mapping is not found); not a YAML parser.
fn duplicate_key(source: &str, start: usize, key: &str) -> Option<(usize, usize)> {
    let start = start.min(source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let column = start - line_start;
    let mut found = Vec::new();
    let mut offset = line_start;
    for (n, line) in source[line_start..].split_inclusive('\n').enumerate() {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        let blank = content.trim().is_empty() || content.starts_with('#');
        if n > 0 && !blank && indent < column {
            break;
        }
        if (n == 0 || indent == column) && line.len() > column {
            let at = &line[column..];
            let named = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .into_iter()
                .find(|k| {
                    at.strip_prefix(k.as_str())
                        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
                });
            if let Some(k) = named {
                let quote = usize::from(k.len() > key.len());
                found.push(offset + column + quote);
                if found.len() == 2 {
                    return Some((found[0], found[1]));
                }
            }
        }
        offset += line.len();
    }
    None
}

/// serde_yaml appends " at line L column C"; the location is shown separately.
fn strip_position(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let mut skip = digits(after);
        if let Some(col) = after[skip..].strip_prefix(" column ") {
            skip += " column ".len() + digits(col);
        }
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// For a scanner error such as "… at line 3 column 1, while scanning a quoted scalar at
/// line 1 column 8": the byte offset in `source` where the broken construct starts (the
/// second position), since the first one is where the parser gave up, often the closing `---`.
fn construct_start(source: &str, message: &str) -> Option<usize> {
    let tail = &message[message.find(", while ")?..];
    let at = &tail[tail.rfind(" at line ")? + " at line ".len()..];
    let (line, col) = at.split_once(" column ")?;
    let line: usize = line.trim().parse().ok()?;
    let col: usize = col
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    let line_start: usize = source
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line_text = source[line_start..].split('\n').next().unwrap_or("");
    let in_line = line_text
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map_or(line_text.len(), |(i, _)| i);
    Some(line_start + in_line)
}

/// For "unknown field `x`, expected one of `a`, `b`": "did you mean `a`?" when one is close.
fn unknown_key_hint(message: &str) -> Option<String> {
    let after = message.split("unknown field `").nth(1)?;
    let (unknown, rest) = after.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let nearest = crate::paths::nearest(unknown, expected.iter().copied());
    Some(match nearest {
        Some(key) => format!("did you mean `{key}`?"),
        None => format!("known keys: {}", expected.join(", ")),
    })
}

/// The first line of `text` (a YAML file) that sets the top-level `key`, or the whole file.
pub fn key_location(file: impl Into<String>, text: &str, key: &str) -> Location {
    path_location(file, text, &[key])
}

/// The line that sets `path` (e.g. `["inferred", "published"]`) in a block-style YAML
/// mapping, or the whole file. Good enough to point at a key; not a YAML parser.
pub fn path_location(file: impl Into<String>, text: &str, path: &[&str]) -> Location {
    let mut offset = 0;
    let mut depth = 0;
    let mut parent_indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        let inside = parent_indent.is_none_or(|p| indent > p);
        if !inside && !content.trim().is_empty() {
            break;
        }
        if let Some(key) = path.get(depth) {
            let sets_key = content
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
            if sets_key && (depth > 0 || indent == 0) {
                if depth + 1 == path.len() {
                    let start = offset + indent;
                    return Location::span(file, text, start..start + key.len());
                }
                depth += 1;
                parent_indent = Some(indent);
            }
        }
        offset += line.len();
    }
    Location::file(file)
}

/// The `index`-th item (0-based) of the list under the top-level `key`, written in flow style
/// on the key's line (`key: [a, "b"]`) or in block style (`- a` lines below it); the key when
/// it cannot be found. Not a YAML parser.
pub fn list_value_location(file: &str, text: &str, key: &str, index: usize) -> Location {
    let at_key = key_location(file, text, key);
    if at_key.line == 0 {
        return at_key;
    }
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at_key.line - 1)
        .map(str::len)
        .sum();
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let Some(colon) = text[line_start..line_end].find(':') else {
        return at_key;
    };
    let after = line_start + colon + 1;
    let value = &text[after..line_end];
    let found = match value.trim_start().strip_prefix('[') {
        Some(_) => flow_items(&text[..line_end], after + value.find('[').unwrap_or(0) + 1),
        None => block_items(text, line_end),
    };
    match found.get(index) {
        Some(span) => Location::span(file, text, span.clone()),
        None => at_key,
    }
}

/// The items of a flow list whose first item may start at `from` (just after `[`), up to its
/// `]` or the end of `text`: each one's span without surrounding blanks.
fn flow_items(text: &str, from: usize) -> Vec<Range<usize>> {
    let mut items = Vec::new();
    let (mut depth, mut quote, mut escaped) = (0usize, None, false);
    let mut start = from;
    let push = |start: usize, end: usize, items: &mut Vec<Range<usize>>| {
        let item = &text[start..end];
        let lead = item.len() - item.trim_start().len();
        items.push(start + lead..start + item.trim_end().len());
    };
    for (i, c) in text[from..].char_indices() {
        let i = from + i;
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' if depth > 0 => depth -= 1,
                ']' => {
                    push(start, i, &mut items);
                    return items;
                }
                ',' if depth == 0 => {
                    push(start, i, &mut items);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    push(start, text.len(), &mut items);
    items
}

/// The items of a block list on the lines after `from` (the end of its key's line): each
/// `- ` item's value, up to the first line that is neither an item, blank nor indented.
fn block_items(text: &str, from: usize) -> Vec<Range<usize>> {
    let mut items = Vec::new();
    let mut offset = from + 1;
    for line in text.get(from + 1..).unwrap_or("").split_inclusive('\n') {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if let Some(value) = content
            .strip_prefix('-')
            .filter(|v| v.is_empty() || v.starts_with([' ', '\n', '\r']))
        {
            let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
            let start = offset + indent + 1 + lead;
            let end = offset + line.trim_end().len();
            items.push(start..end.max(start));
        } else if !content.trim().is_empty() && indent == 0 {
            break;
        }
        offset += line.len();
    }
    items
}

/// The `k`-th `item:` key of the list under the top-level `list:` (e.g. the 2nd `text:` under
/// `quotes:`), or the list's key when it cannot be found.
pub fn list_item_location(
    sidecar_path: &str,
    sidecar_text: &str,
    list: &str,
    item: &str,
    k: usize,
) -> Location {
    let quotes = key_location(sidecar_path, sidecar_text, list);
    if quotes.line == 0 {
        return quotes;
    }
    let mut offset = 0;
    let mut seen = 0;
    for (n, line) in sidecar_text.split_inclusive('\n').enumerate() {
        if n + 1 > quotes.line
            && line
                .trim_start()
                .trim_start_matches("- ")
                .starts_with(&format!("{item}:"))
        {
            if seen == k {
                let col = line.find(&format!("{item}:")).unwrap_or(0);
                let end = offset + col + item.len() + 1;
                return Location::span(sidecar_path, sidecar_text, offset + col..end);
            }
            seen += 1;
        }
        offset += line.len();
    }
    quotes
}

/// Where each of `needles` (in order) is written in the value of the top-level `key`: at its
/// first occurrence after the previous one, or at the key when YAML escaping changed how it is
/// written.
pub fn value_texts_location(file: &str, text: &str, key: &str, needles: &[&str]) -> Vec<Location> {
    let at_key = key_location(file, text, key);
    let prefix = format!("{key}:");
    let mut from = text
        .match_indices(&prefix)
        .find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')
        .map_or(0, |(i, _)| i);
    needles
        .iter()
        .map(|needle| match text[from..].find(needle) {
            Some(i) if !needle.is_empty() => {
                let start = from + i;
                from = start + needle.len();
                Location::span(file, text, start..from)
            }
            _ => at_key.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn yaml_paths_find_nested_keys() {
        let text = "id: a\ninferred:\n    title: x\n    published: y\nnotes: z\n";
        let loc = path_location("s.yaml", text, &["inferred", "published"]);
        assert_eq!((loc.line, loc.column), (4, 5));
        assert_eq!(key_location("s.yaml", text, "notes").line, 5);
        assert_eq!(
            path_location("s.yaml", text, &["inferred", "notes"]).line,
            0
        );
    }

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: Option<String>,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_key_is_located_and_hinted() {
        let text = "title: a\ntitel: b\n";
        let err = parse::<Sample>("E100", "x.yaml", text, 0..text.len()).unwrap_err();
        assert_eq!(err.location.line, 2, "{err:?}");
        assert!(
            err.message.contains("unknown field `titel`"),
            "{}",
            err.message
        );
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_is_located() {
        let text = "title: a\nweight: heavy\n";
        let err = parse::<Sample>("E100", "x.yaml", text, 0..text.len()).unwrap_err();
        assert_eq!(err.location.line, 2, "{err:?}");
        assert!(err.message.contains("weight"), "{}", err.message);
    }

    #[test]
    fn list_items_are_found_in_flow_and_block_style() {
        let at = |text: &str, k: usize| {
            let l = list_value_location("f.md", text, "aliases", k);
            (l.line, l.column, l.source_line[l.marked].to_string())
        };
        let flow = "term: x\naliases: [\"Doe, J\", '', [a, b], z]\n";
        assert_eq!(at(flow, 0), (2, 11, "\"Doe, J\"".into()));
        assert_eq!(at(flow, 1), (2, 21, "''".into()));
        assert_eq!(at(flow, 3), (2, 33, "z".into()));
        assert_eq!(at(flow, 4), (2, 1, "aliases".into()));
        let block = "aliases:\n  - Doe\n\n  - \"\"\nterm: x\n- no\n";
        assert_eq!(at(block, 0), (2, 5, "Doe".into()));
        assert_eq!(at(block, 1), (4, 5, "\"\"".into()));
        assert_eq!(at(block, 2), (1, 1, "aliases".into()));
    }

    #[test]
    fn front_matter_is_found_with_offsets() {
        let text = "---\ntitle: a\n---\nbody\n";
        let (yaml, body) = front_matter(text).unwrap();
        assert_eq!(&text[yaml], "title: a\n");
        assert_eq!(&text[body..], "body\n");
        assert!(front_matter("title: a\n").is_none());
        assert!(front_matter("---\ntitle: a\n").is_none());
    }
}

#[cfg(test)]
mod construct_start {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_located_where_it_opens() {
        let text = "---\ntitle: \"Broken\ntags: [a]\n---\nbody\n";
        let (yaml, _) = front_matter(text).unwrap();
        let err = parse::<serde_yaml::Value>("E200", "c.md", text, yaml).unwrap_err();
        assert_eq!((err.location.line, err.location.column), (2, 8), "{err:#?}");
        assert_eq!(
            err.message,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
    }
}
