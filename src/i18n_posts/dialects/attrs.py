"""Attribute lists: kramdown IALs `{: .warning}`, `{:#id}` and attr_list's `{ #id .class }`
(mkdocs, Docusaurus heading ids). One placeholder inline; a line of them alone is a block
of its own, so it never joins the paragraph it follows."""

from __future__ import annotations

import re
from typing import Any

from ._rules import add_block_rule, add_inline_rule, indent_ok, opaque_inline, regex_end

ATTRS = re.compile(r"\{:[^{}\n]*\}|\{[ \t]*[#.][A-Za-z][^{}\n]*\}")


_inline = opaque_inline("attrs", regex_end(ATTRS))


def _block(state: Any, start: int, end: int, silent: bool) -> bool:
    if not indent_ok(state, start):
        return False
    pos, line_end = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    if not state.src.startswith("{", pos):
        return False
    while pos < line_end and (m := ATTRS.match(state.src, pos, line_end)) is not None:
        pos = m.end()
        while pos < line_end and state.src[pos] in " \t":
            pos += 1
    if pos < line_end:
        return False
    if not silent:
        state.push("attrs_block", "", 0).map = [start, start + 1]
    state.line = start + 1
    return True


def extension(md: Any) -> None:
    add_inline_rule(md, "attrs", _inline)
    add_block_rule(md, "attrs_block", _block)
