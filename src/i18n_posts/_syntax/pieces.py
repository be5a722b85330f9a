"""Pieces -> a `Unit`: the one place where unit texts and placeholder names are made.

Segmenters (Markdown inline, HTML, front matter) describe a unit as a list of pieces in
source coordinates: text to translate, markup to protect (standalone or paired), and line
breaks. This module trims the ends, numbers the placeholders and writes the text a
backend sees.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from ..model import Context, Placeholder, Unit, UnitKind

VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
RAW_INLINE_TAGS = frozenset({"code", "kbd", "samp", "var", "math", "svg"})
"""Inline HTML elements whose content is never translated (kept whole as one placeholder)."""

PieceKind = Literal["text", "standalone", "open", "close", "break"]


class Piece(NamedTuple):
    """A span of the source inside a unit. (A named tuple, not a frozen dataclass: a post
    makes hundreds of them, and a tuple is built several times faster.)"""

    kind: PieceKind
    """text to translate, markup to keep (standalone, or one side of a pair), or a line break."""
    start: int
    """Start in the post text."""
    end: int
    """End in the post text."""
    label: str = ""
    """What the markup is (for placeholders)."""
    pair: int = -1
    """For open/close pieces: a key shared by the two sides of a pair."""
    ref_label: str | None = None
    """See `Placeholder.ref_label`."""


def has_letters(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def build_unit(
    text: str,
    uid: str,
    kind: UnitKind,
    context: Context,
    pieces: list[Piece],
    line: int,
) -> Unit | None:
    """Make a unit of `pieces` (in document order), or None if there is nothing to translate."""
    pieces = _trim(text, pieces)
    if not pieces or not has_letters("".join(text[p.start : p.end] for p in pieces if p.kind == "text")):
        return None
    out: list[str] = []
    placeholders: list[Placeholder] = []
    breaks: list[tuple[int, int]] = []
    segments: list[str] = []
    names: dict[int, str] = {}
    n = 0
    for p in pieces:
        if p.kind == "text":
            s = text[p.start : p.end]
            out.append(s)
            segments.append(s)
        elif p.kind == "break":
            out.append("\n")
            breaks.append((p.start, p.end))
        else:
            if p.kind == "close":
                name = names[p.pair]
                out.append(f"</{name}>")
            else:
                n += 1
                name = f"x{n}" if p.kind == "standalone" else f"g{n}"
                if p.kind == "open":
                    names[p.pair] = name
                out.append(f"<{name}/>" if p.kind == "standalone" else f"<{name}>")
            placeholders.append(Placeholder(name, p.kind, p.start, p.end, p.label, p.ref_label))
    return Unit(
        id=uid,
        kind=kind,
        context=context,
        start=pieces[0].start,
        end=pieces[-1].end,
        line=line,
        text="".join(out),
        placeholders=tuple(placeholders),
        breaks=tuple(breaks),
        source_segments=tuple(segments),
    )


def _trim(text: str, pieces: list[Piece]) -> list[Piece]:
    """Drop white space and breaks at both ends; keep markup."""
    pieces = [p for p in pieces if p.end > p.start or p.kind in ("open", "close")]
    while pieces and (
        pieces[0].kind == "break"
        or (pieces[0].kind == "text" and not text[pieces[0].start : pieces[0].end].strip())
    ):
        pieces.pop(0)
    while pieces and (
        pieces[-1].kind == "break"
        or (pieces[-1].kind == "text" and not text[pieces[-1].start : pieces[-1].end].strip())
    ):
        pieces.pop()
    if not pieces:
        return pieces
    first, last = pieces[0], pieces[-1]
    if first.kind == "text":
        s = text[first.start : first.end]
        pieces[0] = Piece("text", first.start + len(s) - len(s.lstrip()), first.end)
    if last.kind == "text":
        last = pieces[-1]
        s = text[last.start : last.end]
        pieces[-1] = Piece("text", last.start, last.end - (len(s) - len(s.rstrip())))
    return pieces


def split_breaks(text: str, start: int, end: int) -> list[Piece]:
    """Text pieces of text[start:end], with each run of white space holding a newline as a break."""
    out: list[Piece] = []
    i = start
    while i < end:
        j = text.find("\n", i, end)
        if j < 0:
            out.append(Piece("text", i, end))
            break
        a = j
        while a > i and text[a - 1] in " \t\r":
            a -= 1
        b = j + 1
        while b < end and text[b] in " \t\r\n":
            b += 1
        if a > i:
            out.append(Piece("text", i, a))
        out.append(Piece("break", a, b))
        i = b
    return out


def balance(pieces: list[Piece]) -> list[Piece]:
    """Make pairs that lack a side or do not nest properly standalone placeholders."""
    sides: dict[int, int] = {}
    for p in pieces:
        if p.kind in ("open", "close"):
            sides[p.pair] = sides.get(p.pair, 0) + 1
    bad = {pid for pid, n in sides.items() if n != 2}
    stack: list[int] = []
    for p in pieces:
        if p.pair in bad or p.kind not in ("open", "close"):
            continue
        if p.kind == "open":
            stack.append(p.pair)
        elif stack and stack[-1] == p.pair:
            stack.pop()
        else:
            bad.add(p.pair)
            if p.pair in stack:
                stack.remove(p.pair)
    return [
        Piece("standalone", p.start, p.end, p.label, -1, p.ref_label)
        if p.pair in bad and p.kind != "standalone"
        else p
        for p in pieces
    ]


def raw_html_pieces(pieces: list[Piece], raw_tags: frozenset[str] = frozenset()) -> list[Piece]:
    """`<code>...</code>` and the like (labels html:TAG) become one standalone piece, content included."""
    raw = raw_tags or RAW_INLINE_TAGS
    out: list[Piece] = []
    skip_until = -1
    for i, p in enumerate(pieces):
        if p.start < skip_until:
            continue
        if p.kind == "open" and p.label.startswith("html:") and p.label[5:] in raw:
            close = next(x for x in pieces[i + 1 :] if x.kind == "close" and x.pair == p.pair)
            out.append(Piece("standalone", p.start, close.end, p.label))
            skip_until = close.end
        else:
            out.append(p)
    return out
