"""Values inside generator syntax: which parts of an inline tag are units, and how a
translated value is written back so that its quoting stays valid.

A value unit (context `template`) is plain text between the delimiters the source used:
`"..."`, `'...'`, `` `...` ``, `[...]` or none. A translation keeps those delimiters
closed (a straight quote becomes a curly one, a bracket is escaped) and on one line.
TOML front matter values (context `toml`) are written as TOML strings.
"""

from __future__ import annotations

import json
import re

from .._syntax.pieces import has_letters
from . import mdx, templates
from ._rules import translatable

INNER_LABELS = frozenset({"template", "expr", "jsx"})
"""Labels of the inline placeholders that may hold units of their own."""


def inner_spans(
    label: str, raw: str, every_value: bool = False, props: frozenset[str] = frozenset(mdx.TEXT_PROPS)
) -> list[tuple[int, int]]:
    """Spans (in `raw`, the source text of an inline placeholder) of its prose values
    (`every_value`: of its values with letters, ASCII too; `props`: a JSX tag's text props)."""
    if label == "template":
        spans = templates.text_args(raw)
    else:
        spans = mdx.jsx_literals(raw, props) if label == "jsx" else mdx.literal_spans(raw)
    keep = has_letters if every_value else translatable
    return [(a, b) for a, b in spans if b > a and keep(raw[a:b])]


_CURLY = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019"), "`": ("\u2018", "\u2019")}


def render_value(text: str, before: str) -> str:
    """`text` as the new value of a template unit whose source had `before` just before it."""
    text = " ".join(text.split())
    if before in _CURLY:
        left, right = _CURLY[before]
        parts = text.split(before)
        text = "".join(p + (left if k % 2 == 0 else right) for k, p in enumerate(parts[:-1])) + parts[-1]
    elif before == "[":
        text = re.sub(r"([\[\]])", r"\\\1", text)
    elif before != "|":
        text = text.replace('"', "\u201d")
    # a tag's end inside a value would end the tag
    return re.sub(r"([%>}])\}", r"\1 }", text)


def render_toml(value: str, style: str) -> str:
    """`value` as a TOML string: a literal string ('...') when the source used one and it can
    hold the value, else a basic string (JSON's escapes are TOML's)."""
    if style == "'" and "'" not in value and not re.search(r"[\x00-\x1f\x7f]", value):
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)
