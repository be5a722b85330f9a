"""Heading ids as each site generator makes them: one table of sluggers, `SLUGGERS`.

A `Slugger` says which text of a heading a generator reads (code spans, an image's alt, a
bare URL; entities decoded or as written; its typography), how it turns that text into an
id and how it tells a page's equal ids apart. Each was checked against the generator's own
build output on Chinese and English headings (tests/test_slugs.py):

    vitepress   VitePress 1.6 / VuePress 2: @mdit-vue's `slugify`, markdown-it-anchor's
                text (`text` and `code_inline`, entities as written) and de-duplication
    hugo        Hugo (goldmark, autoHeadingIDType = "github"): Unicode letters, digits and
                `_` kept, lower case; the typographer's dashes dropped; a bare URL is no text
    hexo        Hexo (hexo-renderer-marked, hexo-util `slugize`): case kept, accents
                spelled in ASCII, smartypants quotes and dashes kept
    jekyll      Jekyll (kramdown, `input: GFM`, its default): word characters, `-` and
                spaces kept, lower case; equal ids numbered but not reserved
    github      Docusaurus (github-slugger), and plain CommonMark as GitHub shows it
    mkdocs      mkdocs (Python-Markdown toc's default `slugify`): ASCII only, so a Chinese
                heading gets `_1`, `_2`...
    pymdownx    mkdocs-material with `pymdownx.slugs.slugify(case="lower")`: Unicode kept
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
_PUNCT = "~`!@#$%^&*()\\-_+=\\[\\]{}|\\\\;:\"'<>,.?/"
_SPECIAL = re.compile("[" + _JS_SPACE + _PUNCT + "\u201c\u201d\u2018\u2019]+")
_HEXO_SPECIAL = re.compile("[" + _JS_SPACE + _PUNCT + "]+")
_COMBINING = re.compile("[\u0300-\u036f]")


# JS `\d` and `$` (without the m flag) are ASCII digits and the very end.
_EDGE_DASHES = re.compile(r"^-+|-+\Z")
_LEADING_DIGIT = re.compile(r"^([0-9])")


def slugify(text: str) -> str:
    """The id VitePress gives a heading whose text is `text` (before de-duplication)."""
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    s = _SPECIAL.sub("-", _CONTROL.sub("", s))
    s = _EDGE_DASHES.sub("", re.sub("-{2,}", "-", s))
    return _LEADING_DIGIT.sub(r"_\1", s).lower()


def _hexo(text: str) -> str:
    """hexo-renderer-marked: the heading's HTML unescaped and stripped of tags, trimmed, then
    hexo-util's `slugize` (accents in ASCII, specials to `-`), case kept."""
    from ._diacritics import DIACRITICS  # noqa: PLC0415

    s = re.sub(r"<[^<>]*>", "", text).strip()
    s = "".join(DIACRITICS.get(c, c) if c > "\u007e" else c for c in s)
    s = _HEXO_SPECIAL.sub("-", _CONTROL.sub("", s))
    return _EDGE_DASHES.sub("", re.sub("-{2,}", "-", s))


def _smartypants(text: str) -> str:
    """hexo-renderer-marked's smartypants (marked's, before it left marked) on a text run."""
    s = text.replace("---", "\u2014").replace("--", "\u2013")
    s = re.sub('(^|[-\u2014/(\\[{"' + _JS_SPACE + "])'", "\\1\u2018", s).replace("'", "\u2019")
    s = re.sub("(^|[-\u2014/(\\[{\u2018" + _JS_SPACE + '])"', "\\1\u201c", s).replace('"', "\u201d")
    return s.replace("...", "\u2026")


def _drop_dashes(text: str) -> str:
    """goldmark's and kramdown's typography: `--` and `---` become dashes, which no id keeps."""
    return re.sub("---|--", "", text)


_CIRCLED = re.compile("[\u24b6-\u24e9\U0001f130-\U0001f149\U0001f150-\U0001f169\U0001f170-\U0001f189]")


def _word(c: str) -> bool:
    """Ruby's `\\p{Word}` and github-slugger's kept characters (alphabetic, marks, decimal
    digits, connector punctuation): letters, marks, Nd, Nl, Pc, and circled letters."""
    cat = unicodedata.category(c)
    return cat[0] in "LM" or cat in ("Nd", "Nl", "Pc") or _CIRCLED.match(c) is not None


def _github(text: str) -> str:
    """github-slugger: lower case; what is not a word character, a space or `-` is dropped."""
    return "".join(c for c in text.lower() if c in " -" or _word(c)).replace(" ", "-")


def _kramdown_gfm(text: str) -> str:
    """kramdown-parser-gfm's `generate_gfm_header_id`: as github-slugger, tabs as spaces."""
    return "".join(c for c in text.lower() if c in " \t-" or _word(c)).replace(" ", "-").replace("\t", "-")


def _hugo(text: str) -> str:
    """Hugo's `sanitizeAnchorName` (github type): a space or `-` is `-`; Unicode letters,
    decimal digits and `_` are kept in lower case; the rest is dropped; nothing: `heading`."""
    out = []
    for c in text:
        if c in " -":
            out.append("-")
        elif c == "_" or unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd":
            out.append(c.lower()[0])  # Go's unicode.ToLower maps one rune to one
    return "".join(out) or "heading"


def _toc_text(text: str) -> str:
    return " ".join(text.split())  # Python-Markdown's toc collapses the heading's white space


def _mkdocs(text: str) -> str:
    """Python-Markdown toc's `slugify(value, "-")` (mkdocs' default)."""
    s = unicodedata.normalize("NFKD", _toc_text(text)).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^\w\s-]", "", s).strip().lower()
    return re.sub(r"[-\s]+", "-", s)


def _pymdownx(text: str) -> str:
    """`pymdownx.slugs.slugify(case="lower")` with toc's separator `-`."""
    s = re.sub(r"</?[^>]*>", "", unicodedata.normalize("NFC", _toc_text(text))).strip().lower()
    return re.sub(r"[^\w\- ]", "", s).replace(" ", "-")


Dedupe = Literal["anchor", "github", "counter", "toc"]
"""How a page's equal ids are told apart:
`anchor` (markdown-it-anchor, Hugo): explicit ids reserved in order, a taken id gets the
first free `-1`, `-2`...; `github` (github-slugger): a counter per id, generated ids
reserved, explicit ones not; `counter` (kramdown GFM, Hexo): the n-th equal id gets `-n`,
nothing reserved; `toc` (Python-Markdown): every explicit id reserved first, a taken or
empty id gets `_1`, `_2`..."""


@dataclass(frozen=True, slots=True)
class Slugger:
    """How one site generator makes the ids of a page's headings."""

    name: str
    """The name `anchors` takes (`anchors = "hugo"`)."""
    slug: Callable[[str], str]
    """A heading's text -> its id, before de-duplication."""
    dedupe: Dedupe
    """How equal ids are told apart (see `Dedupe`)."""
    entities: bool = True
    """Whether `&amp;` reaches the slug as `&` (VitePress keeps it as written)."""
    alt: bool = False
    """Whether an image's alt text is part of the heading's text."""
    autolinks: bool = True
    """Whether a bare URL or `<https://...>` is part of the heading's text."""
    typography: Callable[[str], str] | None = None
    """What the generator's typographer does to the text (not to code spans)."""
    explicit_ids: bool = True
    """Whether a trailing `{#id}` is the heading's id (Hexo reads it as text)."""

    def text(self, markdown_inline: str) -> str:
        """The text of a heading whose inline Markdown is `markdown_inline`, as the generator
        reads it for the id. (A trailing `{#id}` must be removed first.)"""
        tokens = _parser(self.entities).parseInline(markdown_inline)
        return "".join(self._texts((tokens[0].children or []) if tokens else []))

    def _texts(self, tokens: Sequence[Token]) -> Iterator[str]:
        in_autolink = False
        for t in tokens:
            if t.type == "link_open" and t.markup in ("linkify", "autolink") and not self.autolinks:
                in_autolink = True
            elif t.type == "link_close" and in_autolink:
                in_autolink = False
            elif in_autolink:
                continue
            elif t.type == "text":
                yield self.typography(t.content) if self.typography else t.content
            elif t.type == "code_inline":
                yield t.content
            elif t.type == "image" and self.alt:
                yield from self._texts(t.children or [])

    def ids(self, headings: Sequence[tuple[str, str | None]]) -> list[str]:
        """The ids of a page's headings, in order: each is (inline Markdown, explicit id or None)."""
        if not self.explicit_ids:  # `{#id}` is text to this generator
            headings = [(t if i is None else f"{t} {{#{i}}}", None) for t, i in headings]
        slugs = [self.slug(self.text(text)) for text, _ in headings]
        explicit = [id_ for _, id_ in headings]
        return dedupe(self.dedupe, slugs, explicit)


def dedupe(kind: Dedupe, slugs: Sequence[str], explicit: Sequence[str | None]) -> list[str]:
    """A page's ids from its headings' slugs and explicit ids (None: none), as `kind` does."""
    taken: set[str] = {e for e in explicit if e is not None} if kind == "toc" else set()
    count: dict[str, int] = {}
    out: list[str] = []
    for slug, own in zip(slugs, explicit, strict=True):
        if own is not None:
            if kind == "anchor":
                taken.add(own)
            out.append(own)
            continue
        unique = slug
        if kind == "anchor":
            n = 1
            while unique in taken:
                unique, n = f"{slug}-{n}", n + 1
            taken.add(unique)
        elif kind == "github":
            while unique in count:
                count[slug] += 1
                unique = f"{slug}-{count[slug]}"
            count[unique] = 0
        elif kind == "counter":
            n = count.get(slug, 0)
            count[slug] = n + 1
            unique = f"{slug}-{n}" if n else slug
        else:
            while unique in taken or not unique:
                m = re.match(r"^(.*)_([0-9]+)$", unique)
                unique = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{unique}_1"
            taken.add(unique)
        out.append(unique)
    return out


VITEPRESS = Slugger("vitepress", slugify, "anchor", entities=False)
SLUGGERS: dict[str, Slugger] = {
    s.name: s
    for s in (
        VITEPRESS,
        Slugger("hugo", _hugo, "anchor", alt=True, autolinks=False, typography=_drop_dashes),
        Slugger("hexo", _hexo, "counter", typography=_smartypants, explicit_ids=False),
        Slugger("jekyll", _kramdown_gfm, "counter", typography=_drop_dashes),
        Slugger("github", _github, "github", alt=True),
        Slugger("mkdocs", _mkdocs, "toc"),
        Slugger("pymdownx", _pymdownx, "toc"),
    )
}
"""Every slugger by name (`anchors = NAME`)."""


def unique_slugs(texts: Sequence[str], ids: Sequence[str | None] | None = None) -> list[str]:
    """The ids VitePress gives a page's headings whose plain texts (`heading_plain_text`) are
    `texts`; `ids[i]`, when given, is heading i's explicit `{#id}`, used verbatim and reserved
    like any slug. A taken slug gets the first free `-1`, `-2`...: "foo", "foo", "foo-1" give
    "foo", "foo-1", "foo-1-1". (VitePress refuses to build a page with two equal explicit ids;
    here they are kept as written.)"""
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"{len(texts)} heading texts but {len(ids)} ids")
    return dedupe("anchor", [slugify(t) for t in texts], ids if ids is not None else [None] * len(texts))


def heading_plain_text(markdown_inline: str) -> str:
    """The text VitePress slugifies for a heading whose inline Markdown is `markdown_inline`.

    The `text` and `code_inline` tokens, in order: emphasis markers, link targets,
    raw HTML tags and images (alt included) are dropped; a bare URL is percent-decoded
    as linkify shows it. An entity or an `\\&` next to other text stays as written
    (`A &amp; B` -> "A &amp; B"), as VitePress's `restoreEntities` leaves it.
    Not handled: a trailing `{#id}` or `{.attrs}` (remove it first) and `:emoji:`
    shortcodes, which VitePress drops from the text when it knows the name.
    """
    return VITEPRESS.text(markdown_inline)


@functools.cache
def _parser(decoded: bool) -> MarkdownIt:
    """markdown-it as far as heading text is concerned (one of each a run); not `decoded`:
    as VitePress sets it up, entities kept as written."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"html": True, "linkify": True})
    md.linkify.set({"fuzzy_link": False})
    if not decoded:
        md.core.ruler.at("text_join", _restore_entities)
    return md


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
