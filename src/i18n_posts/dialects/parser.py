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


def foreign_note(dialect: Dialect, text: str) -> str | None:
    """One note for the first syntax of another generator found in `text`, or None."""
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
    at, what = min(found)
    line = text.count("\n", 0, at) + 1
    more = f" (and {len(found) - 1} more such places)" if len(found) > 1 else ""
    return (
        f"line {line}: {what}{more}, which the {dialect.name} dialect does not read: it is translated "
        "as text (choose the post's generator with dialect / --dialect)"
    )


_OPENERS = re.compile(r"\{\{[<%]|\{%|^[ \t]*(?:!!!|\?\?\?|/{3})", re.M)


def leftover_note(units: Sequence[Unit]) -> str | None:
    """One note for generator syntax that reached a unit's text (a tag that never closes):
    the segmenter could not read it, and it is translated as text."""
    bad = [u for u in units if u.context == "markdown" and _OPENERS.search(u.text)]
    if not bad:
        return None
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    return f"line {bad[0].line}: a tag or marker that is never closed{more}: it is translated as text"
