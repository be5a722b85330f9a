"""mkdocs-material (Python-Markdown with pymdownx): admonitions, details, content tabs and
blocks, whose bodies are Markdown.

    !!! tip "提示"          ???+ note "展开"        === "Python"          /// warning | 注意
        正文 (indented)         正文                    正文                 正文
                                                                         ///

A marker line is a block of its own: its quoted title (or the text after `|`) is a unit,
the rest of the line is kept. An indented body is parsed as Markdown at its indentation
(not as indented code), so its paragraphs, lists and fences are read as mkdocs reads them;
a block's body runs to its closing `///`. Attribute lists `{ #id }` are kept.
"""

from __future__ import annotations

import re
from typing import Any

from . import attrs
from ._base import Dialect
from ._rules import add_block_rule, add_value, indent_ok, line_text

MARKER = re.compile(
    r"(?:(!!!|\?\?\?\+?)((?:[ \t]+[A-Za-z][\w-]*)*)(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'))?"
    r"|(===\+?)[ \t]+(\"[^\"\n]*\"|'[^'\n]*'))[ \t]*$"
)
BLOCK = re.compile(r"(/{3,})[ \t]*([A-Za-z][\w-]*)(?:[ \t]*\|[ \t]*(.*?))?[ \t]*$")


def _admonition(state: Any, start: int, end: int, silent: bool) -> bool:
    if not indent_ok(state, start) or MARKER.match(line_text(state, start)) is None:
        return False
    if silent:
        return True
    body = state.sCount[start] + 4
    last = n = start + 1
    while n < end:
        if not state.isEmpty(n):
            if state.sCount[n] < body:
                break
            last = n + 1
        n += 1
    _nest(state, "mkdocs", start, start + 1, last, body)
    return True


def _block(state: Any, start: int, end: int, silent: bool) -> bool:
    if not indent_ok(state, start):
        return False
    m = BLOCK.match(line_text(state, start))
    if m is None:
        return False
    slashes = m.group(1)
    close = re.compile(r"[ \t]*" + slashes + r"[ \t]*$")
    opener = re.compile(r"[ \t]*" + slashes + r"[ \t]*[A-Za-z]")
    depth, n = 0, start + 1
    while n < end:
        line = state.src[state.bMarks[n] : state.eMarks[n]]
        if opener.match(line):
            depth += 1
        elif close.match(line):
            if not depth:
                break
            depth -= 1
        n += 1
    if silent:
        return True
    body = start + 1
    while body < n and not state.isEmpty(body) and state.sCount[body] >= state.sCount[start] + 4:
        body += 1  # the block's options (indented YAML) are no prose
    _nest(state, "mkdocs_block", start, body, n, state.blkIndent)
    if n < end:  # (a block left open runs to the end of the document, as pymdownx reads it)
        state.push("mkdocs_block_end", "", 0).map = [n, n + 1]
        state.line = n + 1
    return True


def _nest(state: Any, kind: str, marker: int, first: int, last: int, indent: int) -> None:
    """Tokens: `kind`_open (the marker line), the body's blocks (lines first..last read at
    `indent`), `kind`_close."""
    token = state.push(kind + "_open", "div", 1)
    token.map = [marker, last]
    old = state.blkIndent, state.lineMax, state.parentType
    state.blkIndent, state.lineMax, state.parentType = indent, last, kind
    state.md.block.tokenize(state, first, last)
    state.blkIndent, state.lineMax, state.parentType = old
    state.push(kind + "_close", "div", -1)
    state.line = last


def extension(md: Any) -> None:
    add_block_rule(md, "mkdocs", _admonition)
    add_block_rule(md, "mkdocs_block", _block)


def marker_title(run: Any, tokens: list[Any], i: int) -> None:
    """The title of an admonition, details or tab marker (inside its quotes) or of a block."""
    tok = tokens[i]
    if tok.map is None:
        return
    ls, line = run.line(tok.map[0])
    lead = len(line) - len(line.lstrip())
    m = (MARKER if tok.type == "mkdocs_open" else BLOCK).match(line, lead)
    if m is None:
        return
    g = (3 if m.group(3) else 5) if tok.type == "mkdocs_open" else 3
    if m.group(g):
        a, b = m.span(g)
        if tok.type == "mkdocs_open":
            a, b = a + 1, b - 1
        add_value(run, ls + a, ls + b)


DIALECT = Dialect(
    name="mkdocs",
    slugger="mkdocs",
    extensions=(extension, attrs.extension),
    handlers=(("mkdocs_open", marker_title), ("mkdocs_block_open", marker_title)),
)
