"""A dialect -> its configured markdown-it parser, and the note for syntax it does not read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .._syntax.markdown import make_parser
from ..model import Unit
from ._base import Dialect
from .detect import _ANY_SIGN, _FENCED


def _no_vitepress_containers(md: Any) -> None:
    md.block.ruler.disable("container_vp")


def build_parser(dialect: Dialect) -> Any:
    """The base (VitePress) parser with `dialect`'s extensions."""
    extra = () if dialect.vitepress_containers else (_no_vitepress_containers,)
    return make_parser((*extra, *dialect.extensions))


def foreign_note(dialect: Dialect, text: str) -> tuple[str, tuple[str, ...]] | None:
    """One note for the syntax of other generators found in `text` (naming the first place),
    and every place (`line N: what`), or None."""
    if not _ANY_SIGN.search(text):
        return None
    prose = None
    found: list[tuple[int, str]] = []
    for pattern, what in dialect.foreign:
        if re.search(pattern, text) is None:
            continue
        prose = _FENCED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text) if prose is None else prose
        found += [(m.start(), what) for m in re.finditer(pattern, prose)]
    if not found:
        return None
    found.sort()
    places = tuple(f"line {text.count(chr(10), 0, at) + 1}: {what}" for at, what in found)
    more = f" (and {len(found) - 1} more such places)" if len(found) > 1 else ""
    note = (
        f"{places[0]}{more}, which the {dialect.name} dialect does not read: it is translated "
        "as text (choose the post's generator with dialect / --dialect)"
    )
    return note, places


_OPENERS = re.compile(r"\{\{[<%]|\{%|^[ \t]*(?:!!!|\?\?\?|/{3})", re.M)


def leftover_note(units: Sequence[Unit]) -> tuple[str, tuple[str, ...]] | None:
    """One note for generator syntax that reached a unit's text (a tag that never closes):
    the segmenter could not read it, and it is translated as text; and every place."""
    bad = [u for u in units if u.context == "markdown" and _OPENERS.search(u.text)]
    if not bad:
        return None
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    places = tuple(f"line {u.line}: {_opener(u.text)} that is never closed" for u in bad)
    return f"line {bad[0].line}: a tag or marker that is never closed{more}: it is translated as text", places


def _opener(text: str) -> str:
    m = _OPENERS.search(text)
    return f"`{m.group(0).strip()}`" if m else "a tag"
