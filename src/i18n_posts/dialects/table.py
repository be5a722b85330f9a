"""The dialect table: name -> `Dialect`. One entry per module of this package."""

from __future__ import annotations

from types import MappingProxyType

from ..errors import UsageError
from . import commonmark, docusaurus, hexo, hugo, jekyll, mkdocs, vitepress
from ._base import Dialect

DIALECTS: MappingProxyType[str, Dialect] = MappingProxyType(
    {
        d.name: d
        for d in (
            vitepress.DIALECT,
            vitepress.VUEPRESS,
            hugo.DIALECT,
            hexo.DIALECT,
            jekyll.DIALECT,
            docusaurus.DIALECT,
            mkdocs.DIALECT,
            commonmark.DIALECT,
        )
    }
)
"""Every dialect by name (read-only)."""

NAMES: tuple[str, ...] = ("auto", *DIALECTS)
"""What the `dialect` setting accepts: `auto` (detected per post) or a dialect's name."""


def get(name: str) -> Dialect:
    """The dialect called `name`; `UsageError` naming the known ones otherwise."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise UsageError(f"unknown dialect {name!r} (known: {', '.join(NAMES)})") from None
