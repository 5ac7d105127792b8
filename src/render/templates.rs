//! The theme's templates: compiled once per set of sources, and for each template the key of
//! its source with every template it names, so a page is re-rendered when any of them changes.

use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::load::theme::Theme;
use crate::model::Dossier;
use std::collections::BTreeMap;

/// Compiles every template; a template that does not compile is an error at its file.
pub(super) fn compile(dossier: &Dossier, diags: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    let templates = dossier
        .theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(templates) {
        Ok(()) => Some(tera),
        Err(e) => {
            let fallback = format!("themes/{}/templates", dossier.config.theme);
            let (location, message) = located(&dossier.theme, &e, &fallback);
            diags.push(Diagnostic::error(
                code::THEME,
                location,
                format!("template does not compile: {message}"),
            ));
            None
        }
    }
}

/// A template failed to render a page: an error at the template's file (the one the error
/// happened in, which may be one `template` extends or includes), at its line and column
/// when Tera says.
pub(super) fn failed(theme: &Theme, template: &str, url: &str, e: tera::Error) -> Diagnostic {
    let (location, message) = located(theme, &e, template);
    Diagnostic::error(
        code::THEME,
        location,
        format!("template failed for /{url}: {message}"),
    )
}

/// Where Tera's error `e` is, by the template's name (never by a name in its text, which may
/// quote the template it extends), and its message: at the line and column in the template's
/// file for a syntax or rendering error, else at the file of the template it names, else at
/// `fallback`'s.
fn located(theme: &Theme, e: &tera::Error, fallback: &str) -> (Location, String) {
    let origin = |name: &str| {
        theme
            .templates
            .get(name)
            .map_or_else(|| name.to_string(), |t| t.origin.clone())
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = origin(report.filename());
            let location = match theme.templates.get(report.filename()) {
                Some(t) => {
                    let range = report.span().range.clone();
                    let end = range.end.max(range.start + 1);
                    Location::span(file, &t.source, range.start..end)
                }
                None => Location::file(file),
            };
            (location, report.message().to_string())
        }
        tera::ErrorKind::CircularExtend { tpl: name, .. }
        | tera::ErrorKind::CircularInclude { tpl: name, .. }
        | tera::ErrorKind::MissingParent { current: name, .. } => {
            (Location::file(origin(name)), e.to_string())
        }
        // Checks across templates (a block no parent has, an unknown filter) come as reports
        // in text: the first one's `error:` line and ` --> name:line:column`.
        tera::ErrorKind::Msg(text) => match reported(theme, text) {
            Some((name, at, message)) => {
                let t = &theme.templates[name];
                let end = t.source[at..]
                    .chars()
                    .next()
                    .map_or(at, |c| at + c.len_utf8());
                (Location::span(origin(name), &t.source, at..end), message)
            }
            None => (Location::file(origin(fallback)), e.to_string()),
        },
        _ => (Location::file(origin(fallback)), e.to_string()),
    }
}

/// In a Tera report: the template named by its first ` --> name:line:column` line, the byte
/// offset of that line and column in its source, and the message of its `error:` line.
fn reported<'a>(theme: &'a Theme, text: &str) -> Option<(&'a str, usize, String)> {
    let message = text
        .lines()
        .next()?
        .trim()
        .strip_prefix("error: ")?
        .to_string();
    let at = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let (name, t) = theme.templates.get_key_value(parts.next()?)?;
    let line_start: usize = t
        .source
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let in_line = t.source[line_start..]
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(0, |(i, _)| i);
    Some((name.as_str(), line_start + in_line, message))
}

/// For each template, a key of its source and of every template it names (`extends`,
/// `include`, `import`), transitively. A name is found as a quoted string, which may
/// over-count but never misses one.
pub(super) fn closures(theme: &Theme) -> BTreeMap<String, u64> {
    let names: Vec<&String> = theme.templates.keys().collect();
    let refers: BTreeMap<&str, Vec<&str>> = theme
        .templates
        .iter()
        .map(|(name, t)| {
            let named = names
                .iter()
                .filter(|n| {
                    t.source.contains(&format!("\"{n}\"")) || t.source.contains(&format!("'{n}'"))
                })
                .map(|n| n.as_str())
                .collect();
            (name.as_str(), named)
        })
        .collect();
    theme
        .templates
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::from([name.as_str()]);
            let mut todo = vec![name.as_str()];
            while let Some(n) = todo.pop() {
                for &m in refers.get(n).into_iter().flatten() {
                    if seen.insert(m) {
                        todo.push(m);
                    }
                }
            }
            let sources: Vec<(&str, &str)> = seen
                .into_iter()
                .map(|n| (n, theme.templates[n].source.as_str()))
                .collect();
            (name.clone(), crate::fingerprint::key(&sources))
        })
        .collect()
}
