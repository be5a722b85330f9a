"""Every in-page link of built pages reaches an element id: `python tests/anchors_resolve.py
PAGE.html[=URL] ... [N]`. A link is `#id`, or `URL#id` where the page is served at URL (Hugo
writes in-page links so). Prints the links checked; exits 1 if one leads nowhere or a page has
fewer than N (default 1) in-page links. `.ci/build-sites` runs it on the pages a generator built from
the anchors fixtures (tests/data/dialects/anchors/toc-*.md) and from their translations."""

from __future__ import annotations

import html
import re
import sys
from urllib.parse import unquote


def unresolved(page: str, url: str = "") -> tuple[int, list[str]]:
    """(in-page links, those whose fragment is no id of the page)."""
    ids = {html.unescape(m.group(1)) for m in re.finditer(r"\sid=\"([^\"]+)\"", page)}
    links = [
        unquote(html.unescape(m.group(2)))
        for m in re.finditer(r"\shref=\"([^\"#]*)#([^\"]+)\"", page)
        if m.group(1) in ("", url)
    ]
    return len(links), [f for f in links if f not in ids]


def main(args: list[str]) -> int:
    least = int(args[-1]) if args and args[-1].isdigit() else 1
    bad = 0
    for arg in [a for a in args if not a.isdigit()]:
        path, _, url = arg.partition("=")
        with open(path, encoding="utf-8") as f:
            n, missing = unresolved(f.read(), url)
        listed = ": " + ", ".join(missing) if missing else ""
        print(f"{path}: {n} in-page links, {len(missing)} unresolved{listed}")
        bad += bool(missing) or n < least
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
