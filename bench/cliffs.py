#!/usr/bin/env python3
"""Cliff benchmarks: inputs that once made `dossier build` quadratic (issue 13), each built at
two sizes, n and 2n. A time ratio near 2 means linear, near 4 quadratic.

    python3 bench/cliffs.py BINARY [--scale F] [--only NAME,...] [--timeout S] [--work DIR]

BINARY is the dossier binary to measure (e.g. ./target/release/dossier). --scale multiplies
every size (default 1: 2n is the size named in the issue, except `entries`: 5,000 entries
against a one-line seed of 100,000 words, half the issue's 10,000 and 200,000, so that it
finishes); --scale 0.01 is a smoke run of a few
seconds. A build that fails with an error diagnostic is reported as "refused: <code>"; one that
runs past --timeout seconds (default 300) as "timeout". Each build is timed once (the median of
three when it takes under two seconds), with its peak RSS (/usr/bin/time's maximum resident
set size) and the size of what it wrote. "excess" is the time minus that of the same dossier
without the cliff's content, and "excess ratio" compares those: the ratio to read when the
times are small. Only the standard library is used.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

FILLER = ("the report of the border caravan said that people on the road asked for "
          "protection from violence and the government made a statement").split()


def words(n, offset=0):
    """n filler words, deterministic."""
    return [FILLER[(i * 7 + offset) % len(FILLER)] for i in range(n)]


def entry_name(i):
    """A made-up two-word proper name, distinct for every i, never a filler word."""
    onsets, vowels = "bdklmnrvzq", "aeiouy"

    def word(n, syllables):
        w = ""
        for _ in range(syllables):
            w += onsets[n % 10] + vowels[(n // 10) % 6]
            n //= 60
        return (w + "x").capitalize()

    return f"{word((i * 7919 + 12345) % 12_960_000, 4)} {word(i * 31 + 7, 2)}"


def base(root, config_extra=""):
    """A minimal dossier: one seed, a home page."""
    os.makedirs(f"{root}/seeds", exist_ok=True)
    os.makedirs(f"{root}/content", exist_ok=True)
    with open(f"{root}/dossier.yaml", "w") as f:
        f.write('title: "Cliff"\nbase_url: "https://example.org/cliff/"\n' + config_extra)
    with open(f"{root}/content/_index.md", "w") as f:
        f.write("---\ntitle: Home\n---\nA cliff.\n")
    text = "\n\n".join(" ".join(words(40, p)) + "." for p in range(20))
    write(f"{root}/seeds/s.txt", text + "\n")
    write(f"{root}/seeds/s.yaml", 'title: "A seed"\n')


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def self_links(root, n):
    """A page with n headings and n links to them (`#hN`), ten links a paragraph."""
    base(root)
    if n == 0:
        return
    body = "".join(f"## H{i}\n\nSection {i}.\n\n" for i in range(n))
    links = [f"[{i}](#h{i})" for i in range(n)]
    body += "".join(" ".join(links[i:i + 10]) + "\n\n" for i in range(0, n, 10))
    write(f"{root}/content/links.md", "---\ntitle: Links\n---\n" + body)


def quotes_one_paragraph(root, n):
    """A page whose one paragraph holds n verified quotations of one seed."""
    base(root)
    if n == 0:
        return
    sentences = [f"Kalo{s:03}x " + " ".join(words(11, s)) for s in range(400)]
    write(f"{root}/seeds/q.txt", "\n\n".join(s + "." for s in sentences) + "\n")
    write(f"{root}/seeds/q.yaml", 'title: "Quoted"\n')
    quotes = []
    for i in range(n):
        w = sentences[i % 400].split()
        quotes.append(f"[“{' '.join(w[:6 + i % 5])}”](seed:q)")
    write(f"{root}/content/paragraph.md", "---\ntitle: Quotes\n---\n" + " ".join(quotes) + "\n")


def glossary_hits_one_line(root, n):
    """A seed whose one line names a glossary entry n times."""
    base(root)
    write(f"{root}/content/glossary/zorblax.md", '---\nterm: "Zorblax"\n---\nA name.\n')
    write(f"{root}/seeds/line.txt", "the report of Zorblax was read. " * n + "\n")
    write(f"{root}/seeds/line.yaml", 'title: "One line"\n')


def long_term(root, n):
    """A glossary term of about n characters, written once in a seed."""
    base(root)
    term = []
    length = 0
    i = 0
    while length < n:
        w = FILLER[(i * 5) % len(FILLER)]
        term.append(w)
        length += len(w) + 1
        i += 1
    term = " ".join(term)
    write(f"{root}/content/glossary/long.md", f'---\nterm: "{term}"\n---\nA long name.\n')
    write(f"{root}/seeds/long.txt", f"Before. {term}. After.\n")
    write(f"{root}/seeds/long.yaml", 'title: "Long"\n')


def entries_against_line(root, n):
    """n glossary entries, each named once in a one-line seed of 20 n words."""
    base(root)
    line = []
    for i in range(n):
        write(f"{root}/content/glossary/n{i:05}.md",
              f'---\nterm: "{entry_name(i)}"\n---\nA generated entry.\n')
        line += words(18, i)
        line.append(entry_name(i))
    write(f"{root}/seeds/line.txt", " ".join(line) + ".\n")
    write(f"{root}/seeds/line.yaml", 'title: "One line"\n')


def yaml_brackets(root, n):
    """A page whose front matter's title is n bytes of nested flow brackets (a type error)."""
    base(root)
    write(f"{root}/content/brackets.md",
          "---\ntitle: " + "[" * (n // 2) + "]" * (n // 2) + "\n---\nText.\n")


def yaml_aliases(root, n):
    """dossier.yaml anchoring a 50,000-character string and naming it n times in `authors`."""
    anchored = " ".join(words(8400))[:50_000]
    base(root, f'description: &a "{anchored}"\nauthors: [' + ", ".join(["*a"] * n) + "]\n"
        if n else "")


# name, generator, n (2n is the size), unit
CLIFFS = [
    ("self-links", self_links, 10_000, "links to the page's own headings"),
    ("quotes", quotes_one_paragraph, 7_500, "quotations in one paragraph"),
    ("glossary-hits", glossary_hits_one_line, 20_000, "hits of one name on one seed line"),
    ("long-term", long_term, 50_000, "characters in one glossary term"),
    ("entries", entries_against_line, 2_500, "entries vs a one-line seed of 20 words each"),
    ("yaml-brackets", yaml_brackets, 100_000, "bytes of nested YAML flow brackets"),
    ("yaml-aliases", yaml_aliases, 200, "aliases of a 50 KB anchored string"),
]


def build(binary, root, timeout):
    """(seconds, peak RSS MB, output MB, outcome) of one build of root."""
    out = f"{root}-out"
    shutil.rmtree(out, ignore_errors=True)
    rss_file = f"{root}.rss"
    start = time.monotonic()
    try:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss_file, binary, "build", "--root", root,
             "--output", out],
            capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, float("nan"), 0.0, "timeout"
    elapsed = time.monotonic() - start
    with open(rss_file) as f:
        rss = int(f.read().split()[-1]) / 1024
    size = sum(os.path.getsize(os.path.join(d, name))
               for d, _, names in os.walk(out) for name in names) / 1e6
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode == 0:
        warnings = sorted(set(re.findall(r"warning\[(W\d+)\]", proc.stderr)))
        return elapsed, rss, size, "built" + (f" (warnings {', '.join(warnings)})" if warnings else "")
    codes = sorted(set(re.findall(r"error\[(E\d+)\]", proc.stderr)))
    if codes:
        return elapsed, rss, size, "refused: " + ", ".join(codes)
    return elapsed, rss, size, f"failed (exit {proc.returncode}): {proc.stderr.strip()[:200]}"


def measure(binary, root, timeout):
    first = build(binary, root, timeout)
    if first[0] >= 2 or first[3] == "timeout":
        return first
    runs = sorted([first, build(binary, root, timeout), build(binary, root, timeout)])
    return runs[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--work", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    only = set(filter(None, args.only.split(",")))
    unknown = only - {c[0] for c in CLIFFS}
    if unknown:
        sys.exit(f"unknown cliff(s): {', '.join(sorted(unknown))}")
    work = tempfile.mkdtemp(prefix="dossier-cliffs-", dir=args.work)
    failed = False
    try:
        print(f"binary: {binary}; scale {args.scale}; work dir {work}")
        print("| cliff | n | time n | time 2n | ratio | excess ratio | peak RSS n / 2n | "
              "output n / 2n | outcome |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, generate, n, unit in CLIFFS:
            if only and name not in only:
                continue
            n = max(1, round(n * args.scale))
            results = []
            for size in (0, n, 2 * n):
                root = f"{work}/{name}-{size}"
                generate(root, size)
                results.append(measure(binary, root, args.timeout))
                shutil.rmtree(root, ignore_errors=True)
            (t0, *_), (t1, r1, o1, s1), (t2, r2, o2, s2) = results
            ratio = t2 / t1
            excess = (t2 - t0) / (t1 - t0) if t1 - t0 > 0.005 else float("nan")
            outcome = s1 if s1 == s2 else f"{s1} / {s2}"
            failed |= any(s.startswith("failed") for s in (s1, s2))
            print(f"| {name} | {n:,} {unit} | {t1:.3f} s | {t2:.3f} s | {ratio:.2f} | "
                  f"{excess:.2f} | {r1:.0f} / {r2:.0f} MB | {o1:.1f} / {o2:.1f} MB | {outcome} |",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
