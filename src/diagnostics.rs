//! Diagnostics are data: every stage pushes them into a [`Diagnostics`] sink and carries on;
//! the CLI (or the dev server) decides how to show them and what the exit status is.

use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

/// How bad a diagnostic is. Errors stop the output from being written; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` and `build`; nothing is written.
    Error,
    /// Reported; the build still writes the site (unless `check --strict` escalates it).
    Warning,
}

/// Stable diagnostic codes. They are part of the CLI's contract (`check --format json`).
pub mod code {
    /// `dossier.yaml` is missing, is not valid YAML, has an unknown key or a wrong type.
    pub const CONFIG: &str = "E100";
    /// The configured theme does not exist, or a template of it does not compile or render.
    pub const THEME: &str = "E101";
    /// A file could not be read.
    pub const IO: &str = "E200";
    /// A seed's sidecar is not valid YAML, has an unknown key or a wrong type.
    pub const SIDECAR: &str = "E201";
    /// A seed's bytes no longer match the sha256 recorded in its sidecar.
    pub const FIXITY: &str = "E202";
    /// An id or a path is not made of lowercase letters, digits, `-` and `_`.
    pub const BAD_ID: &str = "E203";
    /// Two seeds or pages claim the same id or URL (also when they differ only in case).
    pub const DUPLICATE: &str = "E204";
    /// A seed has no provenance sidecar (a warning, an error under `check --strict`).
    pub const NO_SIDECAR: &str = "W205";
    /// A seed could not be decoded without replacement characters.
    pub const DECODING: &str = "W206";
    /// A sidecar without a seed next to it.
    pub const ORPHAN_SIDECAR: &str = "W207";
    /// A file in `content/` outside every page folder, which is not published.
    pub const UNPUBLISHED: &str = "W208";
    /// Two files claim one output path: a static file or page asset and a generated file,
    /// or a page asset and a file of `static/`.
    pub const COLLISION: &str = "E209";
    /// A symbolic link in `seeds/`, `content/`, `static/` or the theme's folders, which is
    /// not followed.
    pub const LINK_SKIPPED: &str = "W210";
    /// A seed is not text: NUL bytes (binary, or UTF-16 without a byte order mark), or
    /// control characters in more than 1% of its bytes.
    pub const NOT_TEXT: &str = "E211";
    /// Nothing to build: the dossier has no seeds and no commentary pages.
    pub const NOTHING: &str = "E212";
    /// A commentary page's front matter is missing or invalid.
    pub const FRONT_MATTER: &str = "E300";
    /// A reference names a seed, page or term that does not exist.
    pub const UNRESOLVED: &str = "E301";
    /// A reference names an anchor that does not exist in its target.
    pub const MISSING_ANCHOR: &str = "E302";
    /// A relative link climbs out of the dossier's root.
    pub const OUTSIDE_ROOT: &str = "E303";
    /// A quotation does not occur in the seed it cites.
    pub const QUOTE_NOT_FOUND: &str = "E310";
    /// A quotation occurs in several places and no paragraph says which is meant.
    pub const QUOTE_AMBIGUOUS: &str = "W311";
    /// Two glossary entries claim the same term or alias.
    pub const DUPLICATE_TERM: &str = "E320";
    /// The output folder cannot be used or written.
    pub const OUTPUT: &str = "E500";
    /// Another build is writing the same output folder (its lock is held).
    pub const OUTPUT_LOCKED: &str = "E501";
    /// A folder dossier needs beside the output is not its own, or a killed build's leftover
    /// holds a `.git` that cannot go back into the output: left alone.
    pub const OUTPUT_IN_THE_WAY: &str = "E502";
    /// What a killed build left beside the output was recovered or removed, or a folder of
    /// such a name that is not dossier's was left alone.
    pub const OUTPUT_RECOVERED: &str = "W503";
    /// `init` or `new` refuses to write: a non-empty folder, an existing file, no dossier.
    pub const SCAFFOLD: &str = "E600";
    /// `export` refuses its target folder (not empty, not a folder, among the dossier's
    /// sources) or cannot write it.
    pub const EXPORT: &str = "E700";
    /// A file of the dossier is left out of an export: a symbolic link, not a regular file,
    /// or a name that is not UTF-8.
    pub const EXPORT_SKIPPED: &str = "W701";
    /// An export has no date: `SOURCE_DATE_EPOCH` is not set and the dossier has no git commit.
    pub const NO_EXPORT_DATE: &str = "W703";
    /// A bug in dossier: a rebuild of the preview panicked (the panic's message is shown).
    pub const INTERNAL: &str = "E900";
}

/// Where a diagnostic points: a file and, when known, a line and column with the line's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path relative to the dossier root, with `/` separators.
    pub file: String,
    /// 1-based line, 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column in characters, 0 when the whole file is meant.
    pub column: usize,
    /// The text of the line (without its line break), for the caret display.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_line: String,
    /// Byte range of the marked part within `source_line`.
    #[serde(skip)]
    pub marked: Range<usize>,
}

impl Location {
    /// The whole of `file`, without a position.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: 0,
            column: 0,
            source_line: String::new(),
            marked: 0..0,
        }
    }

    /// The byte range `span` of `text`, the contents of `file`.
    pub fn span(file: impl Into<String>, text: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let marked_start = start - line_start;
        let marked_end = (floor_char_boundary(text, span.end.min(text.len())).max(start)
            - line_start)
            .min(source_line.len())
            .max(marked_start);
        Location {
            file: file.into(),
            line,
            column,
            source_line: source_line.to_string(),
            marked: marked_start..marked_end,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in a dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// One of the stable codes in [`code`], such as `E301`.
    pub code: &'static str,
    /// Whether it fails the build; [`Diagnostics::escalate`] may raise a warning to an error.
    pub severity: Severity,
    /// What is wrong; how to fix it goes in `hint`.
    pub message: String,
    /// Boxed to keep `Result<_, Diagnostic>` small.
    #[serde(flatten)]
    pub location: Box<Location>,
    /// How to fix it, when there is something useful to say (`did you mean …?`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with `code` at `location`, without a hint.
    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            location: Box::new(location),
            hint: None,
        }
    }

    /// A warning with `code` at `location`, without a hint.
    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, location, message)
        }
    }

    /// The same diagnostic with `hint` set (replacing any earlier one).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether its severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic like a compiler does: code, message, `--> file:line:col`,
    /// the source line with a caret under the marked part, and the hint.
    /// Text from the dossier (a file name, a line, a name in the message) is shown with its
    /// control characters escaped ([`escape_terminal`]), so it cannot drive the terminal.
    pub fn render_human(&self) -> String {
        use annotate_snippets::{Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let escaped = self.escaped();
        let loc = &escaped.location;
        // annotate-snippets appends `:line:col` to the origin of a snippet itself.
        let origin = loc.file.clone();
        let mut message = level.title(&escaped.message).id(self.code);
        let marked = if loc.marked.is_empty() {
            // An empty span still deserves a visible caret.
            let end = loc.source_line[loc.marked.start..]
                .chars()
                .next()
                .map_or(loc.marked.start, |c| loc.marked.start + c.len_utf8());
            loc.marked.start..end
        } else {
            loc.marked.clone()
        };
        if loc.line > 0 {
            message = message.snippet(
                Snippet::source(&loc.source_line)
                    .line_start(loc.line)
                    .origin(&origin)
                    .annotation(level.span(marked)),
            );
        }
        let file_only;
        if loc.line == 0 {
            file_only = format!("in {origin}");
            message = message.footer(Level::Note.title(&file_only));
        }
        if let Some(hint) = &escaped.hint {
            message = message.footer(Level::Help.title(hint));
        }
        let out = Renderer::plain().render(message).to_string();
        out
    }
}

impl Diagnostic {
    /// The same diagnostic with every text escaped for a terminal, the marked part of the
    /// source line moved with its text.
    fn escaped(&self) -> Diagnostic {
        let loc = &self.location;
        let line = &loc.source_line;
        let (start, end) = (
            loc.marked.start.min(line.len()),
            loc.marked.end.min(line.len()),
        );
        let before = escape_terminal(line.get(..start).unwrap_or(""));
        let marked = escape_terminal(line.get(start..end).unwrap_or(""));
        let after = escape_terminal(line.get(end..).unwrap_or(""));
        Diagnostic {
            message: escape_terminal(&self.message),
            hint: self.hint.as_deref().map(escape_terminal),
            location: Box::new(Location {
                file: escape_terminal(&loc.file),
                source_line: format!("{before}{marked}{after}"),
                marked: before.len()..before.len() + marked.len(),
                ..(**loc).clone()
            }),
            ..self.clone()
        }
    }
}

/// `text` with the characters that would act on a terminal written as `\u{…}` escapes: C0
/// controls but line break and tab, DEL, C1 controls, and the bidirectional overrides and
/// isolates that reorder what is shown.
pub fn escape_terminal(text: &str) -> String {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(acts) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The sink every stage writes into. Order of insertion is kept; [`Diagnostics::sorted`]
/// gives the order in which they are shown.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic after those already collected.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds several diagnostics, in their order, after those already collected.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any diagnostic is an error, i.e. whether the output must not be written.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors there are, each counted once, as [`Diagnostics::sorted`] lists them.
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are, each counted once, as [`Diagnostics::sorted`] lists them.
    pub fn warning_count(&self) -> usize {
        self.sorted().iter().filter(|d| !d.is_error()).count()
    }

    /// Diagnostics by file, line and column, so output is stable across runs.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        // The whole diagnostic is compared last, so that equal ones are adjacent and removed.
        items.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.code)
                .cmp(&(&b.location.file, b.location.line, b.location.column, b.code))
                .then_with(|| a.message.cmp(&b.message))
                .then_with(|| a.hint.cmp(&b.hint))
        });
        items.dedup();
        items
    }

    /// Every diagnostic as text, followed by a one-line summary.
    pub fn render_human(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render_human());
            out.push_str("\n\n");
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        if errors + warnings > 0 {
            let _ = writeln!(
                out,
                "{errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
        out
    }

    /// Every diagnostic as a JSON document for CI.
    pub fn render_json(&self) -> String {
        let doc = serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "diagnostics": self.sorted(),
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// The diagnostics in the order they were pushed (unsorted, duplicates kept).
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns every warning with `code` into an error (used by `check --strict`).
    pub fn escalate(&mut self, code: &str) {
        for d in &mut self.items {
            if d.code == code {
                d.severity = Severity::Error;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_gives_line_column_and_source_line() {
        let text = "---\ntitle: x\n---\nSee [here](seed:nope).\n";
        let start = text.find("seed:nope").unwrap();
        let loc = Location::span("content/a.md", text, start..start + 9);
        assert_eq!((loc.line, loc.column), (4, 12));
        assert_eq!(loc.source_line, "See [here](seed:nope).");
        assert_eq!(&loc.source_line[loc.marked.clone()], "seed:nope");
    }

    #[test]
    fn a_diagnostic_reported_twice_is_shown_and_counted_once() {
        let d = |message: &str| Diagnostic::error("E301", Location::file("a.md"), message);
        let mut all = Diagnostics::default();
        all.extend([d("one"), d("two"), d("one")]);
        assert_eq!(all.sorted().len(), 2);
        assert_eq!((all.error_count(), all.warning_count()), (2, 0));
        assert!(all.render_human().contains("2 errors"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "«é» [x](y)";
        let loc = Location::span("a.md", text, text.find('[').unwrap()..text.len());
        assert_eq!(loc.column, 5);
    }

    #[test]
    fn control_characters_are_escaped_in_human_output_and_the_caret_follows() {
        let text = "a\n\u{1b}]0;title\u{7} [x](seed:\u{202e}evil)\n";
        let start = text.find("seed:").unwrap();
        let d = Diagnostic::error(
            code::UNRESOLVED,
            Location::span("f\u{1b}[2J.md", text, start..start + 12),
            "no seed with the id `\u{202e}evil`",
        )
        .with_hint("not \u{9b}this");
        let out = d.render_human();
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(
            out.contains("error[E301]: no seed with the id `\\u{202e}evil`"),
            "{out}"
        );
        assert!(out.contains("--> f\\u{1b}[2J.md:2:"), "{out}");
        assert!(
            out.contains("2 | \\u{1b}]0;title\\u{7} [x](seed:\\u{202e}evil)\n"),
            "{out}"
        );
        let caret = " ".repeat("\\u{1b}]0;title\\u{7} [x](".len());
        assert!(
            out.contains(&format!("\n  | {caret}{}\n", "^".repeat(17))),
            "{out}"
        );
        assert!(out.contains("help: not \\u{9b}this"), "{out}");
        assert_eq!(escape_terminal("tab\tand\nline"), "tab\tand\nline");
    }

    #[test]
    fn human_rendering_has_code_arrow_caret_and_hint() {
        let text = "a\nbad line here\n";
        let d = Diagnostic::error(
            code::UNRESOLVED,
            Location::span("f.md", text, 6..10),
            "oops",
        )
        .with_hint("try this");
        let out = d.render_human();
        assert!(out.contains("error[E301]: oops"), "{out}");
        assert!(out.contains("--> f.md:2:5"), "{out}");
        assert!(out.contains("bad line here"), "{out}");
        assert!(out.contains("^^^^"), "{out}");
        assert!(out.contains("help: try this"), "{out}");
    }
}
