"""Plain CommonMark with GitHub's tables, strikethrough and footnotes: no generator syntax;
heading ids as GitHub makes them (github-slugger)."""

from __future__ import annotations

from ._base import Dialect
from .vitepress import _FOREIGN

DIALECT = Dialect(name="commonmark", vitepress_containers=False, foreign=_FOREIGN, slugger="github")
