"""Reads an Atom feed with feedparser and checks what Atom (RFC 4287) requires of it.

Usage: parse.py FEED BASE_URL

Fails (exit status 1, the problems on stderr) when the feed is not well-formed Atom 1.0, when
the feed lacks its id, title, updated or rel="self" link, when an entry lacks its id, title,
updated, link or content, or when a URL in an entry's content is not absolute or, on the
base URL's host, not under its path. Prints the feed as JSON on stdout for the caller's own
checks: {"id", "title", "updated", "self", "entries": [{"id", "title", "updated", "link",
"content"}]}.
"""

import json
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser

# Check the content as written: no sanitising, no resolving of relative URLs by feedparser.
feedparser.SANITIZE_HTML = False
feedparser.RESOLVE_RELATIVE_URIS = False


class Urls(HTMLParser):
    """Every URL attribute of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "cite", "poster") and value is not None:
                self.urls.append((f"<{tag} {name}={value!r}>", value))


def main():
    path, base = sys.argv[1], sys.argv[2]
    base_parts = urlsplit(base)
    with open(path, "rb") as f:
        data = f.read()
    d = feedparser.parse(data)
    problems = []
    if d.bozo:
        problems.append(f"not well-formed: {d.bozo_exception}")
    if d.version != "atom10":
        problems.append(f"not Atom 1.0 but {d.version!r}")
    feed = d.feed
    for key in ("id", "title", "updated"):
        if not feed.get(key):
            problems.append(f"the feed has no {key}")
    if not feed.get("updated_parsed"):
        problems.append(f"the feed's updated {feed.get('updated')!r} is not a date")
    selves = [l.href for l in feed.get("links", []) if l.get("rel") == "self"]
    if len(selves) != 1:
        problems.append(f"the feed has {len(selves)} rel=self links")
    if not feed.get("authors") and not all(e.get("authors") for e in d.entries):
        problems.append("neither the feed nor every entry has an author")
    entries = []
    for i, e in enumerate(d.entries):
        name = e.get("id") or f"entry {i + 1}"
        for key in ("id", "title", "updated", "link"):
            if not e.get(key):
                problems.append(f"{name}: no {key}")
        if not e.get("updated_parsed"):
            problems.append(f"{name}: updated {e.get('updated')!r} is not a date")
        contents = e.get("content", [])
        if len(contents) != 1 or contents[0].type != "text/html":
            problems.append(f"{name}: no single content of type html")
            continue
        html = contents[0].value
        parser = Urls()
        parser.feed(html)
        for attr, url in parser.urls:
            parts = urlsplit(url)
            if not parts.scheme or not parts.netloc:
                problems.append(f"{name}: relative URL in content: {attr}")
            elif parts.netloc == base_parts.netloc and not parts.path.startswith(
                base_parts.path
            ):
                problems.append(f"{name}: URL outside {base_parts.path}: {attr}")
        entries.append(
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "updated": e.get("updated"),
                "link": e.get("link"),
                "content": html,
            }
        )
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    json.dump(
        {
            "id": feed.get("id"),
            "title": feed.get("title"),
            "updated": feed.get("updated"),
            "self": selves[0],
            "entries": entries,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
