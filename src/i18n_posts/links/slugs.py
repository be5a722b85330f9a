"""Heading ids as VitePress 1.6 makes them (checked against its build output): @mdit-vue's
`slugify`, markdown-it-anchor's text of a heading (`text` and `code_inline` tokens, after
VitePress's `restoreEntities`) and markdown-it-anchor's de-duplication."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token


# JS `\s` spelled out: Python's `\s` also matches U+001C-U+001F and U+0085 and misses
# U+FEFF, so it is not used. (U+00A0, U+2000-U+200A and U+3000 become a plain space
# under NFKD anyway; U+FEFF and U+180E stay as they are.) Node's newer Unicode data
# gives other results only for characters assigned after Python's (14.0 in 3.11).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CONTROL = re.compile("[\u0000-\u001f]")
_PUNCT = "~`!@#$%^&*()\\-_+=\\[\\]{}|\\\\;:\"'\u201c\u201d\u2018\u2019<>,.?/"
_SPECIAL = re.compile("[" + _JS_SPACE + _PUNCT + "]+")
_COMBINING = re.compile("[\u0300-\u036f]")


# JS `\d` and `$` (without the m flag) are ASCII digits and the very end.
_EDGE_DASHES = re.compile(r"^-+|-+\Z")
_LEADING_DIGIT = re.compile(r"^([0-9])")


def slugify(text: str, keep_case: bool = False) -> str:
    """The id VitePress gives a heading whose text is `text` (before de-duplication);
    `keep_case` as Hexo does."""
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    s = _SPECIAL.sub("-", _CONTROL.sub("", s))
    s = _EDGE_DASHES.sub("", re.sub("-{2,}", "-", s))
    s = _LEADING_DIGIT.sub(r"_\1", s)
    return s if keep_case else s.lower()


def unique_slugs(
    texts: Sequence[str], ids: Sequence[str | None] | None = None, keep_case: bool = False
) -> list[str]:
    """The ids of a page's headings, in order, as markdown-it-anchor de-duplicates them.

    `texts` are the headings' plain texts (see `heading_plain_text`); `ids[i]`, when
    given, is heading i's explicit `{#id}`, used verbatim and reserved like any slug.
    A taken slug gets the first free `-1`, `-2`...: "foo", "foo", "foo-1" give "foo",
    "foo-1", "foo-1-1". (VitePress refuses to build a page with two equal explicit
    ids; here they are kept as written.)
    """
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"{len(texts)} heading texts but {len(ids)} ids")
    taken: set[str] = set()
    out: list[str] = []
    for i, text in enumerate(texts):
        explicit = ids[i] if ids is not None else None
        slug = explicit if explicit is not None else slugify(text, keep_case)
        unique, n = slug, 1
        while explicit is None and unique in taken:
            unique, n = f"{slug}-{n}", n + 1
        taken.add(unique)
        out.append(unique)
    return out


def heading_plain_text(markdown_inline: str) -> str:
    """The text VitePress slugifies for a heading whose inline Markdown is `markdown_inline`.

    The `text` and `code_inline` tokens, in order: emphasis markers, link targets,
    raw HTML tags and images (alt included) are dropped; a bare URL is percent-decoded
    as linkify shows it. An entity or an `\\&` next to other text stays as written
    (`A &amp; B` -> "A &amp; B"), as VitePress's `restoreEntities` leaves it.
    Not handled: a trailing `{#id}` or `{.attrs}` (remove it first) and `:emoji:`
    shortcodes, which VitePress drops from the text when it knows the name.
    """
    return _plain_text(_parser(), markdown_inline)


@functools.cache
def _parser() -> MarkdownIt:
    """markdown-it as VitePress sets it up, as far as heading text is concerned (one a run)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"html": True, "linkify": True})
    md.linkify.set({"fuzzy_link": False})
    md.core.ruler.at("text_join", _restore_entities)
    return md


def _plain_text(md: MarkdownIt, markdown_inline: str) -> str:
    tokens = md.parseInline(markdown_inline)
    children = (tokens[0].children or []) if tokens else []
    return "".join(t.content for t in children if t.type in {"text", "code_inline"})


def _restore_entities(state: StateCore) -> None:
    """VitePress's `text_join`: joined text keeps entities and `\\&` as written."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        run: list[Token] = []
        for token in [*block.children, None]:
            if token is not None and token.type in {"text", "text_special"}:
                token.type = "text"
                run.append(token)
                continue
            if len(run) > 1:
                run[-1].content = "".join(_written(t) for t in run)
                run[-1].info = run[-1].markup = ""
            out.extend(run[-1:])
            run = []
            if token is not None:
                out.append(token)
        block.children = out


def _written(token: Token) -> str:
    if token.info == "entity":
        return token.markup
    if token.info == "escape" and token.content == "&":
        return "&amp;"
    return token.content
