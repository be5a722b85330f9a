"""The one file of cross-post state: which posts each post links to (`<memory>/links.json`).

A post's output depends on the other posts only through its links to them (a link to a post
that has a translation points to that translation). Its PO file records a digest of which of
its link targets exist (`posts=...`), or `posts=-` when it links to no post; this file keeps
the targets themselves, so that the no-op path can tell, without parsing, whether adding or
removing a post changes a post's links. Adding a post then changes that post's files, those
of the posts that link to it, and this file; not every PO file of the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..memory.state import digest

NAME = "links.json"


class LinksIndex:
    """source -> the posts it links to, read once a run and written back if it changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            links = data.get("links", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):
            links = {}
        self.links: dict[str, tuple[str, ...]] = {
            k: tuple(v)
            for k, v in links.items()
            if isinstance(v, list) and all(isinstance(t, str) for t in v)
        }
        self.changed = False

    def value(self, source: str, sources: frozenset[str]) -> str | None:
        """What the state line of `source` should say under `posts=` (None: not known here)."""
        targets = self.links.get(source)
        return None if targets is None else presence(targets, sources)

    def record(self, source: str, targets: tuple[str, ...]) -> None:
        if targets:
            if self.links.get(source) != targets:
                self.links[source] = targets
                self.changed = True
        elif source in self.links:
            del self.links[source]
            self.changed = True

    def drop_missing(self, sources: frozenset[str]) -> None:
        for source in [s for s in self.links if s not in sources]:
            del self.links[source]
            self.changed = True

    def save(self, tmp: Path | None = None) -> None:
        if not self.changed:
            return
        from ..write import write_atomic  # noqa: PLC0415

        if not self.links and not self.path.exists():
            return
        data = {"comment": "written by i18n-posts sync: the posts each post links to", "links": self.links}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"), tmp)
        self.changed = False


def presence(targets: tuple[str, ...], sources: frozenset[str]) -> str:
    """`-` for a post that links to no post, else a digest of which of its targets exist."""
    if not targets:
        return "-"
    return digest("\n".join(t for t in targets if t in sources).encode())[:8]
