//! RIS: one record per source, `TY` first and `ER` last, each line `XX  - value`, lines ending
//! in CR LF as the format's specification has them.

use super::{Genre, SourceCite};

/// A date as RIS writes it: `YYYY/MM/DD/` with empty parts for what is not known.
fn ris_date(d: &crate::date::Date) -> String {
    let parts = super::date_parts(d);
    let part = |i: usize, width: usize| {
        parts
            .get(i)
            .map(|p| format!("{p:0width$}"))
            .unwrap_or_default()
    };
    format!("{}/{}/{}/", part(0, 4), part(1, 2), part(2, 2))
}

/// A value on one line: line breaks become spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn record(c: &SourceCite, out: &mut String) {
    let mut tag = |tag: &str, value: &str| {
        out.push_str(tag);
        out.push_str("  - ");
        out.push_str(&one_line(value));
        out.push_str("\r\n");
    };
    tag(
        "TY",
        match c.genre() {
            Genre::News => "NEWS",
            Genre::Report => "RPRT",
            Genre::Interview | Genre::Speech | Genre::Other => "GEN",
        },
    );
    tag("ID", &c.id);
    tag("TI", &c.title.value);
    for a in &c.authors.value {
        tag("AU", a);
    }
    if let Some(p) = &c.publisher {
        tag("PB", &p.value);
    }
    if let Some(d) = &c.published {
        if let Some(year) = super::date_parts(&d.value).first() {
            tag("PY", &format!("{year:04}"));
        }
        tag("DA", &ris_date(&d.value));
    }
    if let Some(d) = &c.retrieved {
        tag("Y2", &ris_date(&d.value));
    }
    tag("UR", c.link());
    if let Some(l) = &c.language {
        tag("LA", l);
    }
    if let Some(k) = &c.kind {
        tag("M3", k);
    }
    if !c.dossier.trim().is_empty() {
        tag("DB", &c.dossier);
    }
    tag("N1", &c.note());
    out.push_str("ER  - \r\n");
}

/// The records of `cites` as an RIS file, a blank line between records.
pub(super) fn file(cites: &[SourceCite]) -> String {
    let mut out = String::new();
    for (i, c) in cites.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        record(c, &mut out);
    }
    out
}
