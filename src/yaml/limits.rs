//! What YAML text is refused before it is parsed: flow brackets nested deeper than
//! [`MAX_DEPTH`] (the parser's time grows with the square of the depth: 200 KB of `[` took
//! minutes) and aliases whose expansion would add more than [`MAX_EXPANSION`] bytes (a short
//! file can repeat a long anchored value thousands of times). A cheap scan of the text, not a
//! YAML parser: it knows quoted scalars, comments, block scalars, anchors and aliases, enough to
//! find brackets and aliases where YAML sees them.

use std::collections::HashMap;

/// How deep flow collections (`[…]`, `{…}`) may nest. Dossier's files need two or three levels.
pub const MAX_DEPTH: usize = 32;

/// How many bytes aliases (`*name`) may add to a YAML text once each is replaced by what its
/// anchor (`&name`) names, nested aliases included.
pub const MAX_EXPANSION: u64 = 256 * 1024;

/// Why a text is refused: the byte offset of the bracket or alias that crosses a limit, the
/// message and the hint.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Where: the bracket one level too deep, or the alias that passes the limit.
    pub at: usize,
    /// What is refused.
    pub message: String,
    /// What to do instead.
    pub hint: String,
}

/// Checks `source` against both limits; the first place that crosses one is refused.
pub fn check(source: &str) -> Result<(), Refusal> {
    let b = source.as_bytes();
    let mut depth = 0usize;
    // Whether a token may start here: at the start of a line, after `[`, `{`, `,`, or after
    // white space that follows an indicator (`:`, `-`, `?`) or a token start.
    let mut token_start = true;
    let mut line_start = 0usize;
    // Anchors: name → the byte range of the node it names (the latest definition wins).
    let mut anchors: HashMap<&str, (usize, usize)> = HashMap::new();
    // Aliases in text order: (offset, bytes it adds), with a running sum for the ranges.
    let mut alias_at: Vec<usize> = Vec::new();
    let mut alias_sum: Vec<u64> = vec![0];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                i += 1;
                line_start = i;
                token_start = true;
                continue;
            }
            b' ' | b'\t' => {
                if i > 0 && matches!(b[i - 1], b':' | b'-' | b'?' | b',') {
                    token_start = true;
                }
                i += 1;
                continue;
            }
            b'#' if i == line_start || b[i - 1] == b' ' || b[i - 1] == b'\t' => {
                i = line_end(b, i);
                continue;
            }
            b'"' | b'\'' if token_start => {
                i = quoted_end(b, i);
                token_start = false;
                continue;
            }
            b'|' | b'>' if token_start && depth == 0 => {
                i = block_scalar_end(b, line_start, i);
                continue;
            }
            b'[' | b'{' if token_start || depth > 0 => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Refusal {
                        at: i,
                        message: format!("brackets nested more than {MAX_DEPTH} deep are refused"),
                        hint: "flatten the value: nesting this deep is refused before parsing, \
                               as it would take minutes to read"
                            .into(),
                    });
                }
                token_start = true;
                i += 1;
                continue;
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            b',' if depth > 0 => {
                token_start = true;
                i += 1;
                continue;
            }
            b'&' | b'*' if token_start => {
                let end = name_end(b, i + 1);
                let name = &source[i + 1..end];
                if c == b'&' {
                    anchors.insert(name, (i, node_end(b, line_start, end)));
                } else {
                    // What the anchor names, with the aliases inside it expanded: every alias
                    // there comes before this one, so its size is known.
                    let adds = anchors.get(name).map_or(0, |&(start, stop)| {
                        if stop > i {
                            return 0; // an alias inside its own anchor: YAML refuses it
                        }
                        let from = alias_at.partition_point(|&a| a < start);
                        let to = alias_at.partition_point(|&a| a < stop);
                        (stop - start) as u64 + (alias_sum[to] - alias_sum[from])
                    });
                    let total = alias_sum.last().copied().unwrap_or(0).saturating_add(adds);
                    if total > MAX_EXPANSION {
                        return Err(Refusal {
                            at: i,
                            message: format!(
                                "aliases expand this YAML by more than {} KiB",
                                MAX_EXPANSION / 1024
                            ),
                            hint: format!(
                                "write the value once, or repeat it less: each `*{name}` counts \
                                 the size of what `&{name}` names"
                            ),
                        });
                    }
                    alias_at.push(i);
                    alias_sum.push(total);
                }
                token_start = false;
                i = end;
                continue;
            }
            _ => {}
        }
        token_start = false;
        i += 1;
    }
    Ok(())
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| from + n)
}

/// The end of an anchor's or alias's name (`&name`, `*name`).
fn name_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || b",[]{}".contains(c))
        .map_or(b.len(), |n| from + n)
}

/// Just past the closing quote of the quoted scalar opening at `at`.
fn quoted_end(b: &[u8], at: usize) -> usize {
    let quote = b[at];
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn indent(b: &[u8], line_start: usize) -> usize {
    b[line_start..].iter().take_while(|&&c| c == b' ').count()
}

/// The end of the lines after `line_start`'s that are blank or indented more than it (a block
/// scalar's or a block collection's content).
fn more_indented_end(b: &[u8], line_start: usize, from: usize) -> usize {
    let own = indent(b, line_start);
    let mut end = line_end(b, from);
    while end < b.len() {
        let next = end + 1;
        let line = line_end(b, next);
        let blank = b[next..line].iter().all(|c| c.is_ascii_whitespace());
        if !blank && indent(b, next) <= own {
            break;
        }
        end = line;
    }
    end
}

/// The end of a block scalar (`|`, `>`) whose indicator is at `at`.
fn block_scalar_end(b: &[u8], line_start: usize, at: usize) -> usize {
    more_indented_end(b, line_start, at)
}

/// The end of the node an anchor ending at `from` names: a flow collection to its closing
/// bracket, a quoted scalar to its quote, a block collection (nothing after the anchor on its
/// line) to its last more-indented line, anything else to the end of the line.
fn node_end(b: &[u8], line_start: usize, from: usize) -> usize {
    let mut i = from;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    match b.get(i) {
        None | Some(b'\n') | Some(b'#') => more_indented_end(b, line_start, i),
        Some(b'"') | Some(b'\'') => quoted_end(b, i),
        Some(b'[') | Some(b'{') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' | b'\'' if matches!(b[j - 1], b'[' | b'{' | b',' | b' ') => {
                        j = quoted_end(b, j);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        Some(_) => line_end(b, i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_yaml_passes() {
        let text = "title: \"A [b] {c}\" # [[[\nauthors: [\"x\", 'y''s', z]\nnotes: |\n  [a](seed:x) [[[ {{{\n  more\ntags:\n  - [a, [b]]\n  - plain [text\n";
        assert_eq!(check(text), Ok(()));
    }

    #[test]
    fn deep_brackets_are_refused_at_the_one_too_deep() {
        let text = format!("a: 1\nb: {}{}\n", "[".repeat(40), "]".repeat(40));
        let refusal = check(&text).unwrap_err();
        assert_eq!(refusal.at, "a: 1\nb: ".len() + MAX_DEPTH);
        assert!(check(&format!("b: {}{}\n", "[".repeat(32), "]".repeat(32))).is_ok());
    }

    #[test]
    fn aliases_count_what_they_expand_to() {
        let long = "x".repeat(1000);
        let few = format!("a: &a \"{long}\"\nb: [*a, *a, *a]\n");
        assert_eq!(check(&few), Ok(()));
        let many = format!("a: &a \"{long}\"\nb: [{}]\n", vec!["*a"; 300].join(", "));
        let refusal = check(&many).unwrap_err();
        // Each alias adds the 1,005 bytes of `&a "x…x"`: the 261st passes 256 KiB.
        let nth = (MAX_EXPANSION / 1005) as usize;
        assert_eq!(
            refusal.at,
            format!("a: &a \"{long}\"\nb: [").len() + nth * 4
        );
    }

    #[test]
    fn nested_aliases_multiply() {
        // Ten of ten of ten of 100 bytes: 100 KB from a few hundred bytes, then a million.
        let mut text = format!("a: &a \"{}\"\n", "x".repeat(98));
        for (name, of) in [("b", "a"), ("c", "b"), ("d", "c")] {
            text.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{of}"); 10].join(", ")
            ));
        }
        assert_eq!(check(&text), Ok(()), "100 KB of expansion is allowed");
        text.push_str(&format!("e: [{}]\n", ["*d"; 10].join(", ")));
        let refusal = check(&text).unwrap_err();
        assert!(refusal.message.contains("256 KiB"), "{refusal:?}");
    }

    #[test]
    fn block_anchors_reach_their_last_more_indented_line() {
        let text = "base: &base\n  title: x\n  kind: y\nother: 1\n";
        let b = text.as_bytes();
        let end = node_end(b, 0, "base: &base".len());
        assert_eq!(&text[..end], "base: &base\n  title: x\n  kind: y");
    }
}
