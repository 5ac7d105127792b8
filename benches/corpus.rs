//! A generator of large synthetic dossiers, for benchmarks: `seeds` source texts of
//! `paragraphs` paragraphs each, and `pages` commentary pages citing them. [`generate_scaled`]
//! adds a glossary of real size (entries named in the texts with Zipf-like frequencies) for
//! trying indexes and concordances at the size of a real dossier.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "migrants",
    "border",
    "caravan",
    "report",
    "statement",
    "government",
    "asylum",
    "protection",
    "violence",
    "annual",
    "event",
    "organization",
    "spokesman",
    "said",
    "troops",
    "people",
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "from",
];

/// A deterministic pseudo-random sequence (xorshift), so corpora are identical across runs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push('.');
    s
}

/// Writes the corpus into `root` (which should be empty).
pub fn generate(root: &Path, seeds: usize, paragraphs: usize, pages: usize, cites_per_page: usize) {
    generate_with_quotes(root, seeds, paragraphs, pages, cites_per_page, 0);
}

/// Like [`generate`], with `quotes_per_page` verified quotations of 6–15 words on each page
/// (every other one citing its paragraph, the others the whole seed).
pub fn generate_with_quotes(
    root: &Path,
    seeds: usize,
    paragraphs: usize,
    pages: usize,
    cites_per_page: usize,
    quotes_per_page: usize,
) {
    generate_scaled(
        root,
        &Scale {
            seeds,
            paragraphs,
            pages,
            cites_per_page,
            quotes_per_page,
            entries: 0,
        },
    );
}

/// The size of a generated dossier.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Source texts.
    pub seeds: usize,
    /// Paragraphs per source text (three sentences of twelve words each).
    pub paragraphs: usize,
    /// Commentary pages.
    pub pages: usize,
    /// Citations of a paragraph per page.
    pub cites_per_page: usize,
    /// Verified quotations per page (at most `cites_per_page`).
    pub quotes_per_page: usize,
    /// Glossary entries with generated names, each named in the texts (one name in about every
    /// paragraph, the n-th entry about 1/n as often as the first) and in the commentary. With
    /// 0, the small glossary of twelve two-word terms of [`generate`] instead.
    pub entries: usize,
}

/// A made-up proper name for entry `i`, unique for every `i` (two or three syllables each
/// side, capitalised), made of letters that never spell one of the corpus's words.
pub fn entry_name(i: usize) -> String {
    const ONSETS: &[&str] = &["b", "d", "k", "l", "m", "n", "r", "v", "z", "q"];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "y"];
    let word = |mut n: usize, syllables: usize| {
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(ONSETS[n % ONSETS.len()]);
            n /= ONSETS.len();
            w.push_str(VOWELS[n % VOWELS.len()]);
            n /= VOWELS.len();
        }
        w.push('x');
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    // 7,919 is prime to 10 × 6 × 10 × 6 × …, so scrambling keeps the names distinct.
    format!(
        "{} {}",
        word((i * 7919 + 12_345) % 12_960_000, 4),
        word(i * 31 + 7, 2)
    )
}

/// Like [`generate_with_quotes`] with the sizes of `scale`; with `scale.entries == 0` it writes
/// exactly what [`generate_with_quotes`] writes.
pub fn generate_scaled(root: &Path, scale: &Scale) {
    let &Scale {
        seeds,
        paragraphs,
        pages,
        cites_per_page,
        quotes_per_page,
        entries,
    } = scale;
    // Names are drawn from a second sequence, so that the first one, and with it every
    // corpus without generated entries, is unchanged.
    let mut names = Rng(0x2545_f491_4f6c_dd1d);
    // Zipf-like: entry n (1-based) is picked with weight 1/n.
    let weights: Vec<f64> = (1..=entries).map(|n| 1.0 / n as f64).collect();
    let total: f64 = weights.iter().sum();
    let pick = move |rng: &mut Rng| {
        let mut x = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    std::fs::create_dir_all(root.join("seeds")).unwrap();
    std::fs::create_dir_all(root.join("content/essays")).unwrap();
    std::fs::write(
        root.join("dossier.yaml"),
        "title: Generated\nbase_url: \"https://example.org/gen/\"\n",
    )
    .unwrap();
    let mut texts: Vec<Vec<String>> = Vec::new();
    for s in 0..seeds {
        let mut text = String::new();
        let mut paras = Vec::new();
        for _ in 0..paragraphs {
            let mut para = String::new();
            for _ in 0..3 {
                para.push_str(&sentence(&mut rng, 12));
                para.push(' ');
            }
            if entries > 0 {
                let name = entry_name(pick(&mut names));
                para.push_str(&format!("{name} said so. "));
            }
            text.push_str(&para);
            text.push_str("\n\n");
            paras.push(para);
        }
        texts.push(paras);
        std::fs::write(root.join(format!("seeds/s{s:04}.txt")), &text).unwrap();
        std::fs::write(
            root.join(format!("seeds/s{s:04}.yaml")),
            format!("title: \"Seed {s}\"\nkind: document\n"),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Home\n---\nGenerated.\n",
    )
    .unwrap();
    // A small glossary of two-word terms made of the corpus's words.
    std::fs::create_dir_all(root.join("content/glossary")).unwrap();
    const KINDS: &[&str] = &["person", "place", "organization", "term", "event"];
    for i in 0..entries {
        let entry = format!(
            "---\nterm: \"{}\"\nkind: {}\n---\nA generated entry.\n",
            entry_name(i),
            KINDS[i % KINDS.len()]
        );
        std::fs::write(root.join(format!("content/glossary/n{i:05}.md")), entry).unwrap();
    }
    for (i, w) in WORDS
        .iter()
        .take(if entries > 0 { 0 } else { 12 })
        .enumerate()
    {
        let term = format!("{w} {}", WORDS[(i + 3) % WORDS.len()]);
        let entry = format!("---\nterm: \"{term}\"\n---\nA generated entry.\n");
        std::fs::write(root.join(format!("content/glossary/g{i:02}.md")), entry).unwrap();
    }
    for p in 0..pages {
        let mut md = format!("---\ntitle: \"Essay {p}\"\ndate: 2024-01-01\n---\n# Essay {p}\n\n");
        for c in 0..cites_per_page {
            let seed = rng.below(seeds);
            let para = rng.below(paragraphs) + 1;
            let _ = writeln!(
                md,
                "{} See [¶{para}](seed:s{seed:04}#p{para}).\n",
                sentence(&mut rng, 20)
            );
            if entries > 0 {
                let name = entry_name(pick(&mut names));
                let _ = writeln!(md, "On {name}, compare the other sources.\n");
            }
            if c < quotes_per_page {
                let (seed, para) = (rng.below(seeds), rng.below(paragraphs));
                let words: Vec<&str> = texts[seed][para].split_whitespace().collect();
                let len = 6 + rng.below(10);
                let start = rng.below(words.len() - len);
                let quote = words[start..start + len].join(" ");
                let anchor = if c % 2 == 0 {
                    format!("#p{}", para + 1)
                } else {
                    String::new()
                };
                let _ = writeln!(md, "It says [“{quote}”](seed:s{seed:04}{anchor}).\n");
            }
            if c % 5 == 4 {
                let _ = writeln!(
                    md,
                    "## Part {c}\n\nCompare [an essay](page:essays/e{:04}).\n",
                    rng.below(pages)
                );
            }
        }
        std::fs::write(root.join(format!("content/essays/e{p:04}.md")), md).unwrap();
    }
}

/// Made-up word `i` of a prose vocabulary: distinct for every `i`, pronounceable, with some
/// inflected forms (`-s`, `-ed`, `-ing`) so that stems group words as in English.
pub fn prose_word(i: usize) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gor", "lin", "mar", "tes",
        "bel", "cor", "fin", "hal", "pra", "sto",
    ];
    let (stem, form) = (i / 4, i % 4);
    let mut word = String::new();
    let mut n = stem;
    loop {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    word.push_str(["", "s", "ed", "ing"][form]);
    word
}

/// `pages` plain commentary pages of about `words` words each (paragraphs of 60 words under a
/// heading every four paragraphs, a list, a blockquote, two links to other pages, and in one
/// page of ten a Rust code block), drawn from a vocabulary of `vocabulary` made-up words with
/// Zipf frequencies (the n-th word about 1/n as often as the first), mixed with the English
/// words of the dossier corpus, so that an index sees the word distribution of real prose.
pub fn generate_prose(root: &Path, pages: usize, words: usize, vocabulary: usize) {
    std::fs::create_dir_all(root.join("seeds")).unwrap();
    std::fs::write(
        root.join("dossier.yaml"),
        "title: \"Prose corpus\"\nbase_url: \"https://example.org/prose/\"\n",
    )
    .unwrap();
    // Zipf by inverse transform over harmonic weights.
    let mut cumulative = Vec::with_capacity(vocabulary);
    let mut total = 0.0;
    for n in 1..=vocabulary {
        total += 1.0 / n as f64;
        cumulative.push(total);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pick = |rng: &mut Rng| {
        if rng.below(3) == 0 {
            return WORDS[rng.below(WORDS.len())].to_string();
        }
        let x = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * total;
        prose_word(cumulative.partition_point(|&c| c < x))
    };
    for p in 0..pages {
        let dir = root.join(format!("content/section-{:02}", p % 50));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = format!("---\ntitle: \"Page {p}: {}\"\n---\n", pick(&mut rng));
        for para in 0..words.div_ceil(60) {
            if para % 4 == 0 {
                let _ = writeln!(text, "\n## {} {}\n", pick(&mut rng), pick(&mut rng));
            }
            let sentence: Vec<String> = (0..60).map(|_| pick(&mut rng)).collect();
            let mut sentence = sentence.join(" ");
            // Two links to other pages, in the second and the sixth paragraph.
            if para == 1 || para == 5 {
                let other = rng.below(pages);
                let _ = write!(
                    sentence,
                    ", as [page {other}](page:section-{:02}/page-{other}) shows",
                    other % 50
                );
            }
            let _ = writeln!(text, "{sentence}.\n");
            // A list, a blockquote, and in one page of ten a code block.
            if para == 2 {
                for _ in 0..4 {
                    let item: Vec<String> = (0..8).map(|_| pick(&mut rng)).collect();
                    let _ = writeln!(text, "- {}", item.join(" "));
                }
                text.push('\n');
            }
            if para == 7 {
                let quote: Vec<String> = (0..30).map(|_| pick(&mut rng)).collect();
                let _ = writeln!(text, "> {}.\n", quote.join(" "));
            }
            if para == 9 && p % 10 == 0 {
                text.push_str("```rust\nfn main() {\n");
                for i in 0..8 {
                    let _ = writeln!(
                        text,
                        "    let {} = \"{}\".len() * {i};",
                        pick(&mut rng).replace(|c: char| !c.is_ascii_alphabetic(), ""),
                        pick(&mut rng)
                    );
                }
                text.push_str("}\n```\n\n");
            }
        }
        std::fs::write(dir.join(format!("page-{p}.md")), text).unwrap();
    }
}
