"""Markdown tables laid out as prettier lays them out, so that a translated table of a post kept
formatted by prettier is formatted too: its cells change width, the padding must follow.

prettier (3.x, markdown) writes each row as `| a | b |`, each column padded to its widest cell
(at least 3), by the alignment of its delimiter cell (`:-:` centre, `--:` right, else left), the
delimiter row as dashes of the column's width, and measures text as it is shown: wide and
full-width characters count 2, combining marks and control characters 0, an emoji 2.
`layout` is applied only to a table whose source is already laid out so (assembly checks), so
a table prettier would write otherwise, or one of another formatter, is never touched."""

from __future__ import annotations

import re
import unicodedata

_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_DELIMITER = re.compile(r":?-+:?")
_EMOJI_SEQUENCE = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"  # a flag
    "|[0-9#*]\ufe0f?\u20e3"  # a keycap
    "|.[\ufe0f\U0001f3fb-\U0001f3ff](?:\u200d.[\ufe0f\U0001f3fb-\U0001f3ff]?)*"  # emoji presentation
    "|.(?:\u200d.[\ufe0f]?)+",  # a ZWJ sequence
    re.S,
)


def width(text: str) -> int:
    """How many columns `text` takes, as prettier counts them."""
    if text.isascii():
        return len(text)
    sequences = len(_EMOJI_SEQUENCE.findall(text))
    return 2 * sequences + sum(_width(c) for c in _EMOJI_SEQUENCE.sub("", text))


def _width(c: str) -> int:
    o = ord(c)
    if o <= 0x1F or 0x7F <= o <= 0x9F or unicodedata.category(c) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def split_row(line: str) -> tuple[str, list[str]] | None:
    """A row's prefix (indentation, `>` markers) and its trimmed cells; None if it is not
    written between pipes."""
    prefix = _PREFIX.match(line).group(0)  # type: ignore[union-attr]
    body = line[len(prefix) :].rstrip(" \t")
    if not body.startswith("|") or not body.endswith("|") or body.endswith("\\|") or len(body) < 2:
        return None
    cells, start, k = [], 1, 1
    while k < len(body):
        if body[k] == "\\":
            k += 2
            continue
        if body[k] == "|":
            cells.append(body[start:k].strip(" \t"))
            start = k + 1
        k += 1
    return prefix, cells


def layout(rows: list[str]) -> list[str] | None:
    """`rows` (a table's lines, without line ends) padded as prettier pads them; None for what
    is not a table of rows between pipes with one cell per column."""
    parsed = [split_row(r) for r in rows]
    if len(rows) < 2 or any(p is None for p in parsed):
        return None
    prefixes = {p[0] for p in parsed}  # type: ignore[index]
    table = [p[1] for p in parsed]  # type: ignore[index]
    columns = len(table[0])
    if len(prefixes) != 1 or any(len(r) != columns for r in table):
        return None
    if not all(_DELIMITER.fullmatch(c) for c in table[1]):
        return None
    aligns = [("l" if c.startswith(":") else "") + ("r" if c.endswith(":") else "") for c in table[1]]
    widths = [max([3] + [width(r[i]) for k, r in enumerate(table) if k != 1]) for i in range(columns)]
    prefix = prefixes.pop()
    out = []
    for k, r in enumerate(table):
        if k == 1:
            cells = [
                (":" if a in ("l", "lr") else "-") + "-" * (w - 2) + (":" if a in ("r", "lr") else "-")
                for a, w in zip(aligns, widths, strict=True)
            ]
        else:
            cells = [_pad(c, w, a) for c, w, a in zip(r, widths, aligns, strict=True)]
        out.append(f"{prefix}| {' | '.join(cells)} |")
    return out


def _pad(cell: str, w: int, align: str) -> str:
    spaces = w - width(cell)
    before = spaces if align == "r" else spaces // 2 if align == "lr" else 0
    return " " * before + cell + " " * (spaces - before)


def table_span(text: str, pos: int) -> tuple[int, int]:
    """The span of the table whose row holds `pos`: its lines around that row that are not
    blank and hold a pipe (without the last line's end)."""
    a = text.rfind("\n", 0, pos) + 1
    while a > 0:
        prev = text.rfind("\n", 0, a - 1) + 1
        if not _is_row(text[prev : a - 1]):
            break
        a = prev
    b = text.find("\n", pos)
    while b >= 0:
        nxt = text.find("\n", b + 1)
        if not _is_row(text[b + 1 : len(text) if nxt < 0 else nxt]):
            break
        b = nxt
    b = len(text) if b < 0 else b
    return a, b - 1 if b > a and text[b - 1] == "\r" else b


def relayout(new: str, old: str) -> str:
    """`new` (a table's translated text) laid out as prettier would, if `old` (its source) is
    laid out so; else `new` as it is."""
    crlf = "\r\n" in old
    rows = old.replace("\r\n", "\n").split("\n")
    if layout(rows) != rows:
        return new
    out = layout(new.replace("\r\n", "\n").split("\n"))
    return new if out is None else ("\r\n" if crlf else "\n").join(out)


def _is_row(line: str) -> bool:
    return "|" in line and line.strip() != ""
