"""Where a post's heading ids go in its translation (`AnchorMap`), from its headings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from ..model import SegmentedPost

from .slugs import SLUGGERS, VITEPRESS, Slugger, slugify
from .urls import _FRAGMENT_SAFE, _decode


@dataclass(frozen=True, slots=True)
class AnchorMap:
    """Where a post's heading ids went in its translation."""

    pairs: tuple[tuple[str, str], ...]
    """(source id, translated id) for each heading, in document order."""
    slugged_fragments: bool = True
    """Whether a fragment may be written as a heading's text (VitePress 2 slugifies it)."""

    @classmethod
    def from_headings(
        cls,
        source: Sequence[tuple[str, str | None]],
        translated: Sequence[tuple[str, str | None]],
        slugger: Slugger = VITEPRESS,
    ) -> AnchorMap:
        """Pair the headings of a post with those of its translation (same count, same order).

        Each heading is (inline Markdown text, explicit id or None); each side's ids
        are computed and de-duplicated on their own, as the generator (`slugger`) does
        for each page.
        """
        if len(source) != len(translated):
            raise ValueError(f"{len(source)} source headings but {len(translated)} translated ones")
        ids = slugger.ids(source), slugger.ids(translated)
        return cls(tuple(zip(*ids, strict=True)), slugger is VITEPRESS)

    def target(self, fragment: str) -> str:
        """The fragment (no `#`) to write for `fragment` of the source; unknown ones unchanged.

        Tried in turn: as written, percent-decoded (the answer is then encoded too) and
        slugified (VitePress 2 slugifies link fragments, so `#Foo Bar` reaches "foo-bar").
        A text fragment (`#id:~:text=...`) keeps its directive.
        """
        frag, sep, directive = fragment.partition(":~:")
        if not frag:
            return fragment
        new = self._lookup(frag)
        if new is None:
            decoded = _decode(frag)
            new = self._lookup(decoded)
            if new is not None and decoded != frag:
                new = quote(new, safe=_FRAGMENT_SAFE)
            elif new is None and self.slugged_fragments:
                new = self._lookup(slugify(decoded))
        return fragment if new is None else new + sep + directive

    def _lookup(self, slug: str) -> str | None:
        """The translated id of the heading whose source id is `slug`; None for none, and for
        a heading whose id stays (the fragment is then kept as written, byte for byte)."""
        return next((new for old, new in self.pairs if old == slug and new != old), None)


def slugger_for(anchors: str, dialect: str) -> Slugger | None:
    """The slugger of the `anchors` setting for a post read as `dialect`: `auto` the dialect's
    own, a slugger's or a dialect's name that one, `keep` none (links are left as written)."""
    from ..dialects import DIALECTS  # noqa: PLC0415

    if anchors == "keep":
        return None
    if anchors in SLUGGERS:
        return SLUGGERS[anchors]
    return SLUGGERS[DIALECTS[dialect if anchors == "auto" else anchors].slugger]


def anchors_for(
    post: SegmentedPost, done: Mapping[str, str] | None, anchors: str = "auto"
) -> AnchorMap | None:
    """Source heading ids -> the ids of the headings as translated (`done`: unit id -> text),
    over every heading of the post in order, with the slugger of `anchors` (`keep`: None)."""
    from ..assemble import render_unit  # noqa: PLC0415

    text = post.source.text
    lines = text.split("\n")
    by_line = {u.line: u for u in post.units if u.kind == "heading"}
    pairs_src, pairs_out = [], []
    for kind, line in post.blocks:
        if not kind.startswith("heading_open"):
            continue
        raw = lines[line - 1] if line - 1 < len(lines) else ""
        m = re.search(r"\{#([^{}\s]+)\}[ \t]*\r?$", raw)
        explicit = m.group(1) if m else None
        u = by_line.get(line)
        if u is None:
            plain = re.sub(r"^[ \t]*#{1,6}[ \t]*|[ \t]+#+[ \t]*$|\{#[^{}]*\}", "", raw).strip()
            pairs_src.append((plain, explicit))
            pairs_out.append((plain, explicit))
            continue
        pairs_src.append((text[u.start : u.end], explicit))
        pairs_out.append((render_unit(post, done or {}, u), explicit))
    if not pairs_src:
        return None
    slugger = slugger_for(anchors, post.dialect)
    if slugger is None:
        return None
    try:
        return AnchorMap.from_headings(pairs_src, pairs_out, slugger)
    except ValueError:
        return None
