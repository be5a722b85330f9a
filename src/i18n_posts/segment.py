"""Stage 2, segment: a `SourcePost` -> a `SegmentedPost` (its translatable units).

The body is parsed by markdown-it (block level); block tokens are dispatched through
`_HANDLERS`, a table from token type to handler, so a new construct is one entry. Each
handler locates its block's text in the source (markdown-it gives lines, not offsets)
and turns it into pieces: Markdown inline text through `_markdown.inline_pieces`, HTML
through `_html.html_runs`. Front matter values come from `_frontmatter`.

Guarantee: units do not overlap except that a unit may lie inside a placeholder of
another (a link title inside a link); every character outside the units is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ._syntax import html_runs as _html
from ._syntax.frontmatter import front_matter_fields
from ._syntax.markdown import MAX_NESTING, inline_pieces, make_parser
from ._syntax.pieces import Piece, build_unit
from ._syntax.signature import block_signature
from .dialects import Dialect, detect
from .dialects import get as get_dialect
from .dialects.mdx import TEXT_PROPS
from .dialects.parser import build_parser, foreign_note, leftover_note
from .dialects.toml_front import front_matter_reader
from .dialects.values import INNER_LABELS, inner_spans
from .model import Context, SegmentedPost, SourcePost, Unit, UnitKind

DEFAULT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"alt", "title", "aria-label", "placeholder"})
}
_HEADING_ATTRS = re.compile(r"[ \t]*\{[#.][^{}]*\}[ \t]*$")
_BLOCK_MARKER = re.compile(r"\[[ xX]\][ \t]+|\[![A-Za-z]+\][ \t]*(?:\n|$)")
_MARKER_PARENTS = frozenset({"list_item_open", "blockquote_open"})
_REF_DEF = re.compile(
    r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*(?:<([^>\n]*)>|(\S+))"
    r"(?:[ \t]+(?:\"([^\"\n]*)\"|'([^'\n]*)'|\(([^()\n]*)\)))?[ \t]*$"
)
URL_ATTRS = frozenset({"href", "src", "poster", "data"})
_CONTAINER = re.compile(r"^[ \t]*:{3,}[ \t]*\S+[ \t]*")


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """What to translate besides prose."""

    front_matter_keys: tuple[str, ...] = ("title", "description")
    """Front matter keys whose string values are translated (dotted paths for nested keys)."""
    attributes: dict[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_ATTRIBUTES))
    """HTML attributes translated, per tag name (lower case); "*" applies to every tag."""
    url_attributes: frozenset[str] = URL_ATTRS
    """HTML (and component) attributes that hold URLs, re-pointed in a copy in another folder."""
    front_matter_set: tuple[tuple[str, str], ...] = (("lang", "{locale}"), ("locale", "{locale}"))
    """(key, value) of the front matter fields a copy sets where the source has them; the
    value's `{locale}` is the copy's locale code."""

    def field_values(self, locale: str) -> dict[str, str]:
        """`front_matter_set` filled in for `locale`."""
        return {k: v.replace("{locale}", locale) for k, v in self.front_matter_set}

    dialect: str = "auto"
    """The site generator's Markdown (`i18n_posts.dialects`): `auto` detects it per post."""
    quote: str = '"'
    """The quote of a translated front matter value that needs one and holds neither quote."""
    jsx_text_props: tuple[str, ...] = TEXT_PROPS
    """MDX: the props of JSX components whose string values are prose (`<Tabs values={[{label:
    '...'}]}>`: keys inside a prop's braces too); other props are code."""
    anchors: str = "auto"
    """How in-page anchors of a copy follow its translated headings (`links.anchor_settings`):
    `auto` as the post's generator makes heading ids, a generator's name, or `keep`."""

    def attrs_for(self, tag: str) -> frozenset[str]:
        return self.attributes.get("*", frozenset()) | self.attributes.get(tag.lower(), frozenset())


class Segmenter:
    """Reusable: holds the configured parser (building it costs more than a small post)."""

    def __init__(self, options: SegmentOptions | None = None) -> None:
        self.options = options or SegmentOptions()
        self.md: MarkdownIt = make_parser()
        """The VitePress parser (other dialects' parsers: `md_for`)."""
        self.fixed: Dialect | None = (
            None if self.options.dialect == "auto" else get_dialect(self.options.dialect)
        )
        self._parsers: dict[str, MarkdownIt] = {"vitepress": self.md}
        self._repos: dict[Any, str | None] = {}

    def dialect_for(self, post: SourcePost) -> Dialect:
        return self.fixed or detect(post.path, post.text, self._repos)

    def md_for(self, post: SourcePost) -> MarkdownIt:
        """The parser for `post`'s dialect (to read a translation of it as it was read)."""
        return self._parser(self.dialect_for(post))

    def md_of(self, post: SegmentedPost) -> MarkdownIt:
        """The parser `post` was segmented with (its dialect is not detected again)."""
        return self._parser(get_dialect(post.dialect))

    def _parser(self, d: Dialect) -> MarkdownIt:
        if d.name not in self._parsers:
            self._parsers[d.name] = build_parser(d)
        return self._parsers[d.name]

    def segment(self, post: SourcePost, every_value: bool = False) -> SegmentedPost:
        """`every_value`: also make units of generator-syntax values in ASCII (`=== "Python"`),
        which are names and not sent; to read a translation, whose values are in English."""
        return _Run(self, post, every_value).segment()


def segment(post: SourcePost, options: SegmentOptions | None = None) -> SegmentedPost:
    """Cut `post` into units (builds a parser; use `Segmenter` for many posts)."""
    return Segmenter(options).segment(post)


class _Run:
    """The state of segmenting one post: the normalized body and its mapping to the source."""

    def __init__(self, seg: Segmenter, post: SourcePost, every_value: bool = False) -> None:
        self.seg, self.post, self.text, self.every_value = seg, post, post.text, every_value
        self.dialect = seg.dialect_for(post)
        self.md = seg._parser(self.dialect)
        body = post.text[post.body_start :]
        # markdown-it reads "\r\n" as "\n"; we parse the normalized body and map offsets back.
        self.drops = [m.start() - i for i, m in enumerate(re.finditer("\r\n", body))]
        self.nb = body.replace("\r\n", "\n").replace("\r", "\n")
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.nb)]
        self.pieces: list[tuple[UnitKind, Context, list[Piece]]] = []
        self.urls: list[tuple[int, int]] = []
        self.env: dict[str, Any] = {}
        self.jsx_props = frozenset(seg.options.jsx_text_props)

    # -- coordinates -------------------------------------------------------------------
    def src(self, npos: int) -> int:
        """A position in the normalized body -> a position in the post text."""
        return self.post.body_start + npos + bisect_left(self.drops, npos)

    def mapper(self, offs: list[int]) -> Callable[[int], int]:
        """Index into a block's text -> position in the post text, through `offs` (its
        normalized-body offsets); without CRLF line endings, a plain addition."""
        if not self.drops:
            base = self.post.body_start
            return lambda i: base + offs[i]
        return lambda i: self.src(offs[i])

    def line(self, n: int) -> tuple[int, str]:
        start = self.line_starts[n]
        end = self.nb.find("\n", start)
        return start, self.nb[start : end if end >= 0 else len(self.nb)]

    def align(
        self, first_line: int, content: str, trim_last: bool, heading: bool = False
    ) -> list[int] | None:
        """Normalized-body offsets of each character of `content` (plus its end), whose lines
        are the ends of the source lines from `first_line` on (markdown-it strips indentation
        and markers), or None if they cannot be found."""
        offs: list[int] = []
        parts = content.split("\n")
        for j, c in enumerate(parts):
            if first_line + j >= len(self.line_starts):
                return None
            ls, line = self.line(first_line + j)
            last = j == len(parts) - 1
            if heading:
                lead = len(line) - len(line.lstrip(" "))
                k = line.find(c, lead + len(line[lead:]) - len(line[lead:].lstrip("#")))
            else:
                end = len(line.rstrip()) if (last and trim_last) else len(line)
                k = end - len(c)
                if k < 0 or line[k:end] != c:
                    k = line.rfind(c)
            if k < 0:
                return None
            offs.extend(range(ls + k, ls + k + len(c)))
            if not last:
                offs.append(ls + len(line))
        offs.append(offs[-1] + 1 if offs else self.line_starts[first_line])
        return offs

    # -- units ---------------------------------------------------------------------------
    def add_inline(self, kind: UnitKind, context: Context, content: str, offs: list[int]) -> None:
        if not content.strip():
            return
        titles: list[tuple[int, int]] = []
        pieces = inline_pieces(self.md, self.env, content, self.mapper(offs), titles, self.urls)
        self.pieces.append((kind, context, pieces))
        for a, b in titles:
            self.pieces.append(("link_title", "attribute", [Piece("text", a, b)]))
        for p in pieces:
            if p.label.startswith("html:") and p.kind != "close":
                self.add_attributes(p.start, p.end, p.label[5:])
            elif p.label in INNER_LABELS:  # a shortcode's caption, an MDX string
                raw = self.text[p.start : p.end]
                for a, b in inner_spans(p.label, raw, self.every_value, self.jsx_props):
                    self.pieces.append(("attribute", "template", [Piece("text", p.start + a, p.start + b)]))

    def attrs_for(self, tag: str) -> frozenset[str]:
        """The attributes translated in a `tag` (as written): in MDX a component's (`<Tabs>`,
        capitalized) text props too."""
        names = self.seg.options.attrs_for(tag)
        return names | self.jsx_props if self.dialect.jsx and tag[:1].isupper() else names

    def add_attributes(self, a: int, b: int, tag: str) -> None:
        written = re.match(r"<([A-Za-z][^\s/>]*)", self.text[a:b])
        for x, y in _html.attribute_spans(
            self.text[a:b], self.attrs_for(written.group(1) if written else tag)
        ):
            self.pieces.append(("attribute", "attribute", [Piece("text", a + x, a + y)]))
        for x, y in _html.attribute_spans(self.text[a:b], self.seg.options.url_attributes):
            self.urls.append((a + x, a + y))

    def reference_titles(self, tokens: list[Token]) -> None:
        """Titles of link reference definitions: they make no token, so look in the lines
        that no top-level block claims."""
        covered = set()
        for t in tokens:
            if t.level == 0 and t.map:
                covered.update(range(t.map[0], t.map[1]))
        for n in range(len(self.line_starts)):
            if n in covered:
                continue
            ls, line = self.line(n)
            m = _REF_DEF.match(line)
            if m:
                u = 1 if m.group(1) is not None else 2
                self.urls.append((self.src(ls + m.start(u)), self.src(ls + m.end(u))))
                g = next((k for k in (3, 4, 5) if m.group(k) is not None), 0)
                if g and m.end(g) > m.start(g):
                    span = [Piece("text", self.src(ls + m.start(g)), self.src(ls + m.end(g)))]
                    self.pieces.append(("link_title", "attribute", span))

    def segment(self) -> SegmentedPost:
        post = self.post
        units: list[Unit] = []
        title = None
        fields: tuple = ()
        if post.front_matter is not None:
            if self.seg.options.front_matter_set and post.front_matter_format == "yaml":
                fields = tuple(
                    front_matter_fields(
                        post.text, post.front_matter, [k for k, _ in self.seg.options.front_matter_set]
                    )
                )
            keys = (*self.seg.options.front_matter_keys, *self.dialect.front_matter_keys)
            read = front_matter_reader(post.front_matter_format)
            units += sorted(read(post.text, post.front_matter, keys), key=lambda u: u.start)
            title = next((u.text for u in units if u.id == "" and u.kind == "front_matter"), None)
        tokens = self.md.parse(self.nb, self.env)
        handlers = {**_HANDLERS, **dict(self.dialect.handlers)} if self.dialect.handlers else _HANDLERS
        for i, tok in enumerate(tokens):
            handler = handlers.get(tok.type)
            if handler is not None:
                handler(self, tokens, i)
        if self.env.get("references"):
            self.reference_titles(tokens)
        newlines = [m.start() for m in re.finditer("\n", self.text)]
        self.pieces.sort(key=lambda c: (c[2][0].start, -c[2][-1].end) if c[2] else (0, 0))
        units = [replace(u, id=f"u{n}") for n, u in enumerate(units, 1)]  # front matter comes first
        for kind, context, pieces in self.pieces:
            line = bisect_left(newlines, pieces[0].start) + 1 if pieces else 0
            unit = build_unit(self.text, f"u{len(units) + 1}", kind, context, pieces, line)
            if unit is not None:
                units.append(unit)
        deepest = max((t.level for t in tokens), default=0)
        notes = (
            (f"nested deeper than {MAX_NESTING // 2} levels: the innermost blocks are left as they are",)
            if deepest >= MAX_NESTING - 2
            else ()
        )
        places: tuple[str, ...] = ()
        if self.dialect.foreign and (found := foreign_note(self.dialect, self.text)) is not None:
            notes, places = (*notes, found[0]), found[1]
        elif self.dialect.extensions and (found := leftover_note(units)) is not None:
            notes, places = (*notes, found[0]), found[1]
        blocks = tuple(block_signature(tokens, post))
        return SegmentedPost(
            post,
            tuple(units),
            title,
            blocks,
            tuple(sorted(self.urls)),
            notes,
            fields=fields,
            note_places=places,
            dialect=self.dialect.name,
            quote=self.seg.options.quote,
        )


# -- handlers: token type -> what to do ------------------------------------------------------
Handler = Callable[[_Run, list[Token], int], None]


def _inline_block(run: _Run, tokens: list[Token], i: int) -> None:
    tok, opener = tokens[i], tokens[i - 1] if i else None
    if opener is None or tok.map is None or not tok.content:
        return
    if opener.type == "heading_open":
        content = tok.content
        atx = opener.markup.startswith("#")
        offs = run.align(tok.map[0], content, True, heading=atx)
        m = _HEADING_ATTRS.search(content)
        if m:
            content = content[: m.start()]
        kind: UnitKind = "heading"
    elif opener.type == "paragraph_open":
        content = tok.content
        offs = run.align(tok.map[0], content, True)
        kind = "paragraph"
        # a task-list box `[ ]` or a GitHub alert `[!NOTE]` opening the block is markup
        m = _BLOCK_MARKER.match(content) if i >= 2 and tokens[i - 2].type in _MARKER_PARENTS else None
        if m and offs is not None:
            content, offs = content[m.end() :], offs[m.end() :]
    else:
        return  # table cells are handled per row; other containers carry no inline text
    if offs is not None:
        run.add_inline(kind, "markdown", content, offs)


def _table_row(run: _Run, tokens: list[Token], i: int) -> None:
    tok = tokens[i]
    if tok.map is None:
        return
    cells: list[str] = []
    for t in tokens[i + 1 :]:
        if t.type == "tr_close":
            break
        if t.type == "inline":
            cells.append(t.content)
    ls, line = run.line(tok.map[0])
    spans = _split_row(line)
    for (a, b), content in zip(spans, cells, strict=False):  # extra cells are ignored, as markdown-it does
        raw = line[a:b]
        if raw.replace("\\|", "|") != content:
            continue  # markdown-it read this cell differently; leave it untouched
        run.add_inline("table_cell", "table", raw, list(range(ls + a, ls + b + 1)))


def _split_row(line: str) -> list[tuple[int, int]]:
    """Spans of the trimmed cell texts of a table row (pipes after a backslash do not split)."""
    m = re.match(r"^[ \t]*(?:>[ \t]?)*[ \t]*", line)
    start = m.end() if m else 0
    bounds = [start - 1] if not line.startswith("|", start) else []
    for k in range(start, len(line)):
        if line[k] == "|" and (k == 0 or line[k - 1] != "\\"):
            bounds.append(k)
    stripped = line.rstrip()
    if not stripped.endswith("|") or (len(stripped) > 1 and stripped[-2] == "\\"):
        bounds.append(len(line))
    spans = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        cell = line[a + 1 : b]
        lead = len(cell) - len(cell.lstrip())
        spans.append((a + 1 + lead, a + 1 + len(cell.rstrip())))
    return spans


def _html_block(run: _Run, tokens: list[Token], i: int) -> None:
    tok = tokens[i]
    if tok.map is None:
        return
    content = tok.content[:-1] if tok.content.endswith("\n") else tok.content
    offs = run.align(tok.map[0], content, False)
    if offs is None:
        return
    attrs: list[tuple[int, int]] = []
    modules: list[tuple[int, int]] = []
    for pieces in _html.html_runs(
        content,
        run.mapper(offs),
        run.attrs_for,
        attrs,
        (run.seg.options.url_attributes, run.urls),
        modules,
    ):
        run.pieces.append(("html_text", "html", pieces))
    # a module the script imports by relative path is re-pointed for a copy in another folder
    # when we can see what it names (a bundler may resolve `./x` to x.ts, x.vue or an alias:
    # a specifier that names no file beside the source is left as it is)
    folder = run.post.path.parent
    run.urls += [(a, b) for a, b in modules if (folder / run.text[a:b]).exists()]
    for a, b in attrs:
        run.pieces.append(("attribute", "attribute", [Piece("text", a, b)]))


def _container(run: _Run, tokens: list[Token], i: int) -> None:
    tok = tokens[i]
    if tok.map is None:
        return
    ls, line = run.line(tok.map[0])
    m = _CONTAINER.match(line)
    if not m:
        return
    a, b = m.end(), len(line.rstrip())
    if b > a:
        run.add_inline("container_title", "markdown", line[a:b], list(range(ls + a, ls + b + 1)))


_HANDLERS: dict[str, Handler] = {
    "inline": _inline_block,
    "tr_open": _table_row,
    "html_block": _html_block,
    "container_vp_open": _container,
}
"""Block token type -> handler. Fences, code blocks, math blocks, rules and front matter
have no entry: they are never translated."""
