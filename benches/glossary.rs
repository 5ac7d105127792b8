//! `cargo bench --bench glossary`: the cost of finding glossary terms in a fixed text as the
//! number of entries grows (10, 1,000, 10,000). One automaton runs over the text, so the time
//! should grow with the text and the number of matches, not with the number of entries.

use dossier::glossary::TermMatcher;
use std::time::Instant;

/// Deterministic pseudo-words: "ka", "kabo", … from a seed.
fn word(mut n: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "bo", "ri", "ten", "sa", "lu", "mi", "dor", "ve", "qua", "zi", "pel",
    ];
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[(n % SYLLABLES.len() as u64) as usize]);
        n /= SYLLABLES.len() as u64;
        if n == 0 {
            break;
        }
    }
    w
}

fn main() {
    // ~1 million words of text over a vocabulary of 20,000 pseudo-words.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut text = String::new();
    for i in 0..1_000_000u64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(&word(state % 20_000));
        text.push(if i % 15 == 14 { '.' } else { ' ' });
        if i % 15 == 14 {
            text.push(' ');
        }
    }
    println!(
        "glossary matching benchmark ({} MB of text)",
        text.len() / 1_000_000
    );
    for entries in [10u64, 1_000, 10_000] {
        // Single words and two-word names, so that leftmost-longest has work to do.
        let names: Vec<String> = (0..entries)
            .map(|e| {
                if e % 2 == 0 {
                    word(e * 2)
                } else {
                    format!("{} {}", word(e * 2), word(e * 2 + 1))
                }
            })
            .collect();
        let t = Instant::now();
        let matcher =
            TermMatcher::new(names.iter().enumerate().map(|(i, n)| (i, n.as_str(), None)));
        let build = t.elapsed();
        let mut runs = Vec::new();
        let mut found = 0;
        for _ in 0..5 {
            let t = Instant::now();
            found = matcher.find(&text).len();
            runs.push(t.elapsed());
        }
        runs.sort();
        println!(
            "{entries:>6} entries: build automaton {:>7.2} ms, find {:>7.1} ms (median of 5), {found} occurrences",
            build.as_secs_f64() * 1e3,
            runs[2].as_secs_f64() * 1e3
        );
    }
}
