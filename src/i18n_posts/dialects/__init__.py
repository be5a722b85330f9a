"""Dialects: what a site generator adds to Markdown, as data plus small parser extensions.

A `Dialect` names the generator, the front matter keys a reader sees, and the markdown-it
extensions that teach the parser its syntax (Hugo shortcodes, Liquid tags, mkdocs
admonitions, Docusaurus containers, MDX). `DIALECTS` is the one table: adding a dialect is
one module and one entry. `detect` picks one for a post (`auto`) from the repository it
lives in and from the file itself.
"""

from __future__ import annotations

from ._base import Dialect
from .detect import detect
from .table import DIALECTS, NAMES, get

__all__ = ["DIALECTS", "NAMES", "Dialect", "detect", "get"]
