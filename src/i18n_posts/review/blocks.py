"""The block a unit belongs to, as a reviewer names it (front matter, heading, paragraph, list
item, quote, table cell, caption...): the unit's kind, made finer by the markup just before
it in the source (a list marker on its line, the HTML tag it sits in). Display only: the
checks and the assembly go by the unit's kind."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import SegmentedPost, Unit

NAMES = {
    "front_matter": "front matter",
    "heading": "heading",
    "paragraph": "paragraph",
    "list_item": "list item",
    "quote": "quote",
    "table_cell": "table cell",
    "caption": "caption",
    "html_text": "HTML text",
    "attribute": "attribute",
    "container_title": "container title",
    "link_title": "link title",
}
"""Block -> its name, in the order the filter lists them."""

_LIST = re.compile(r"^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]")
_TAG = re.compile(r"<([A-Za-z][\w-]*)[^<>]*>[^<>]*\Z")
_HTML = {"figcaption": "caption", "caption": "caption", "li": "list_item", "p": "paragraph",
         "td": "table_cell", "th": "table_cell", "blockquote": "quote"}  # fmt: skip


def block_of(post: SegmentedPost, unit: Unit) -> str:
    """The block of `unit` (a key of `NAMES`)."""
    text = post.source.text
    if unit.kind == "paragraph":
        line = text[text.rfind("\n", 0, unit.start) + 1 : unit.start]
        if _LIST.match(line):
            return "list_item"
        return "quote" if line.lstrip().startswith(">") else "paragraph"
    if unit.kind == "html_text":
        m = _TAG.search(text, max(0, unit.start - 300), unit.start)
        if m is not None:
            name = m.group(1).lower()
            return "heading" if re.fullmatch(r"h[1-6]", name) else _HTML.get(name, "html_text")
    return unit.kind
