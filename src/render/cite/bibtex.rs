//! BibTeX: one `@misc` entry per source, keyed by the seed's id, written by the `biblatex`
//! crate (its escaping of `{`, `}`, `\`, `&`, `%`, `$`, `#`, `_`, `~`, `^`; URLs verbatim).
//! Names, titles and publishers are kept as written, in braces, so no style re-cases them
//! or splits an organisation's name into given and family names.

use super::SourceCite;
use biblatex::{Bibliography, Chunk, Entry, EntryType, Spanned};

/// `text` as one chunk, protected from re-casing (`{{…}}`) when `verbatim`.
fn chunks(text: &str, verbatim: bool) -> Vec<Spanned<Chunk>> {
    let chunk = if verbatim {
        Chunk::Verbatim(text.to_string())
    } else {
        Chunk::Normal(text.to_string())
    };
    vec![Spanned::detached(chunk)]
}

fn entry(c: &SourceCite) -> Entry {
    let mut e = Entry::new(c.id.clone(), EntryType::Misc);
    if !c.authors.value.is_empty() {
        // `{A} and {B}`: each name whole.
        let mut names = Vec::new();
        for (i, a) in c.authors.value.iter().enumerate() {
            if i > 0 {
                names.push(Spanned::detached(Chunk::Normal(" and ".into())));
            }
            names.push(Spanned::detached(Chunk::Verbatim(a.clone())));
        }
        e.set("author", names);
    }
    e.set("title", chunks(&c.title.value, true));
    if let Some(p) = &c.publisher {
        e.set("publisher", chunks(&p.value, true));
    }
    if let Some(d) = &c.published {
        e.set("date", chunks(&iso(&d.value), false));
    }
    if let Some(d) = &c.retrieved {
        e.set("urldate", chunks(&iso(&d.value), false));
    }
    e.set("url", chunks(c.link(), false));
    if let Some(l) = &c.language {
        e.set("language", chunks(l, false));
    }
    if let Some(k) = &c.kind {
        e.set("type", chunks(k, false));
    }
    e.set("note", chunks(&c.note(), false));
    e
}

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn iso(d: &crate::date::Date) -> String {
    let parts = super::date_parts(d);
    let mut out = parts.first().map(|y| format!("{y:04}")).unwrap_or_default();
    for p in parts.iter().skip(1) {
        out.push_str(&format!("-{p:02}"));
    }
    out
}

/// The entries of `cites` as a BibTeX file.
pub(super) fn file(cites: &[SourceCite]) -> String {
    let mut bib = Bibliography::new();
    for c in cites {
        bib.insert(entry(c));
    }
    bib.to_bibtex_string()
}
