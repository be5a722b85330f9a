"""Docusaurus (Markdown and MDX): admonitions `:::tip[标题]` (v3) or `:::tip 标题` (v2),
heading ids `{#id}`, and MDX (see `mdx`). Its `.mdx` files are posts too."""

from __future__ import annotations

import re
from typing import Any

from . import attrs, mdx
from ._base import Dialect
from ._rules import add_value

_OPEN = re.compile(
    r"[ \t]*(:{3,})[ \t]*([A-Za-z][\w-]*)(?:\[([^\]\n]*)\])?(\{[^}\n]*\})?(?:[ \t]+(.*?))?[ \t]*$"
)


def _validate(params: str, *args: Any) -> bool:
    return re.match(r"[ \t]*[A-Za-z][\w-]*", params) is not None


def containers(md: Any) -> None:
    from mdit_py_plugins.container import container_plugin  # noqa: PLC0415

    md.block.ruler.disable("container_vp")
    container_plugin(md, name="docusaurus", validate=_validate)


def title(run: Any, tokens: list[Any], i: int) -> None:
    """The title of an admonition: in its brackets, or after its type."""
    tok = tokens[i]
    if tok.map is None:
        return
    ls, line = run.line(tok.map[0])
    m = _OPEN.match(line)
    if m is None:
        return
    for g in (3, 5):
        if m.group(g):
            add_value(run, ls + m.start(g), ls + m.end(g))


DIALECT = Dialect(
    name="docusaurus",
    slugger="github",
    jsx=True,
    front_matter_keys=("sidebar_label", "keywords"),
    extensions=(containers, mdx.extension, attrs.extension),
    handlers=(("container_docusaurus_open", title), *mdx.HANDLERS),
    vitepress_containers=False,
)
