"""Helpers shared by the dialects' markdown-it rules, and the handler shape they use."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .._syntax.pieces import Piece, has_letters

INTERRUPTS = ["paragraph", "reference", "blockquote", "list"]
"""A dialect's block markers start a block even right after a paragraph's line."""

_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


def translatable(s: str) -> bool:
    """Whether a title or argument of generator syntax is sent: it holds a letter outside ASCII.

    Tab labels, shortcode arguments and tag words in ASCII are mostly names (`Python`,
    `info`, a file name) that a translator must leave alone; prose titles in the source
    language are the ones that need translating."""
    return any(ch.isalpha() and _NON_ASCII_LETTER.match(ch) for ch in s)


def line_text(state: Any, n: int) -> str:
    """Line `n` of a block state without its indentation."""
    return state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]]


def indent_ok(state: Any, n: int) -> bool:
    """Line `n` is not indented code where the block state stands."""
    return state.sCount[n] - state.blkIndent < 4


def add_block_rule(md: Any, name: str, rule: Any, before: str = "fence") -> None:
    md.block.ruler.before(before, name, rule, {"alt": INTERRUPTS})


def add_inline_rule(md: Any, name: str, rule: Any) -> None:
    md.inline.ruler.after("text", name, rule)


def opaque_inline(token: str, end: Callable[[str, int, int], int | None], opener: str = "{") -> Any:
    """An inline rule for generator syntax that opens with `opener`: where `end(src, pos, max)`
    finds where it stops, the span becomes one `token` (a placeholder), never text."""

    def rule(state: Any, silent: bool) -> bool:
        if state.src[state.pos] != opener:
            return False
        stop = end(state.src, state.pos, state.posMax)
        if stop is None:
            return False
        if not silent:
            state.push(token, "", 0).content = state.src[state.pos : stop]
        state.pos = stop
        return True

    return rule


def regex_end(rx: re.Pattern[str]) -> Callable[[str, int, int], int | None]:
    """`end` for `opaque_inline`: where a match of `rx` at the position ends."""

    def end(src: str, pos: int, stop: int) -> int | None:
        m = rx.match(src, pos, stop)
        return m.end() if m else None

    return end


def add_value(run: Any, a: int, b: int) -> None:
    """A unit for the normalized-body span a..b of `run` (a title, a quoted argument): plain
    text, whose quoting `values.render_value` keeps valid."""
    start, end = run.src(a), run.src(b)
    text = run.text[start:end]
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    if end - trail > start + lead and (translatable(text) or (run.every_value and has_letters(text))):
        run.pieces.append(("attribute", "template", [Piece("text", start + lead, end - trail)]))
