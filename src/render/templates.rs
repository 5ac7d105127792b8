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
            let origin = dossier
                .theme
                .templates
                .iter()
                .find(|(name, _)| e.to_string().contains(name.as_str()))
                .map_or_else(
                    || format!("themes/{}/templates", dossier.config.theme),
                    |(_, t)| t.origin.clone(),
                );
            diags.push(Diagnostic::error(
                code::THEME,
                Location::file(origin),
                format!("template does not compile: {e}"),
            ));
            None
        }
    }
}

/// A template failed to render a page: an error at the template's file.
pub(super) fn failed(
    theme: &Theme,
    template: &str,
    url: &str,
    e: impl std::fmt::Display,
) -> Diagnostic {
    let origin = theme
        .templates
        .get(template)
        .map_or(template.to_string(), |t| t.origin.clone());
    Diagnostic::error(
        code::THEME,
        Location::file(origin),
        format!("template failed for /{url}: {e}"),
    )
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
