"""Plain CommonMark with GitHub's tables, strikethrough and footnotes: no generator syntax."""

from __future__ import annotations

from ._base import Dialect
from .vitepress import _FOREIGN

DIALECT = Dialect(name="commonmark", vitepress_containers=False, foreign=_FOREIGN)
