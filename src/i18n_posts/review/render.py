"""A unit as a reader will see it, for the review page: the text that assembly writes in its
place (`assemble.render_unit`, what sync writes), rendered by markdown-it-py, then rebuilt
through an allowlist so that nothing from a post can run in the page.

Text from posts is hostile: a post holds raw HTML and `<script>`, a translation may hold
`" onerror=`. The HTML that markdown-it renders is parsed again (html.parser) and written
anew by us: formatting tags on the allowlist are kept without their attributes, a link
becomes underlined text with its URL in a tooltip, an image its alt text with its path, and
any other tag is shown as the text of the tag. Every text and attribute value is escaped
here, whatever markdown-it did. Glossary terms are marked in the text, with their form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from ..assemble import render_unit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from ..glossary import Glossary, Term
    from ..model import SegmentedPost, Unit

KEPT = frozenset(
    {"strong", "em", "b", "i", "u", "s", "del", "ins", "code", "kbd", "sub", "sup", "mark", "small", "br"}
)
"""Tags shown as formatting (attributes dropped)."""
_VOID = frozenset({"br", "img", "hr", "input", "wbr", "source", "meta", "link"})

Marker = Callable[[str], str]
"""Plain text -> escaped HTML with the glossary terms marked."""


def display_parser() -> MarkdownIt:
    """markdown-it as VitePress configures it, for display (html, tables, strikethrough, math)."""
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from mdit_py_plugins.dollarmath import dollarmath_plugin  # noqa: PLC0415

    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    return md.use(dollarmath_plugin, double_inline=True)


def render_side(
    md: MarkdownIt, post: SegmentedPost, unit: Unit, translations: dict[str, str], mark: Marker
) -> str:
    """Safe HTML of `unit` as assembly writes it with `translations` (unit id -> text; an
    empty mapping: the source)."""
    text = render_unit(post, translations, unit)
    if unit.context in ("yaml", "attribute"):
        return mark(text)  # a value, not markup: shown as written
    if unit.context == "html":
        return clean(text, mark)
    return clean(md.renderInline(text), mark)


def clean(fragment: str, mark: Marker) -> str:
    """`fragment` rebuilt through the allowlist (see the module docstring)."""
    p = _Cleaner(mark)
    p.feed(fragment)
    p.close()
    return p.result()


class _Cleaner(HTMLParser):
    def __init__(self, mark: Marker) -> None:
        super().__init__(convert_charrefs=True)
        self.mark = mark
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in KEPT:
            if tag != "br":
                self.open.append(tag)
            self.out.append(f"<{tag}>")
        elif tag == "a":
            self.open.append("a")
            self.out.append(f'<span class="link" title="{_attr(a.get("href", ""))}">')
        elif tag == "img":
            title = _attr(a.get("src", ""))
            self.out.append(f'<span class="img" title="{title}">[{self.mark(a.get("alt", ""))}]</span>')
        elif tag == "span" and "math" in a.get("class", ""):
            self.open.append("math")
            self.out.append('<span class="math">')
        else:
            self.out.append(f'<span class="tag">{html.escape(self.get_starttag_text() or "")}</span>')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.open[-1:] and tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        name = "math" if tag == "span" and self.open[-1:] == ["math"] else tag
        if name in self.open and (name in KEPT or name in ("a", "math")):
            while self.open:  # closes what was left open inside it too
                top = self.open.pop()
                self.out.append("</span>" if top in ("a", "math") else f"</{top}>")
                if top == name:
                    break
        elif tag not in _VOID:
            self.out.append(f'<span class="tag">{html.escape(f"</{tag}>")}</span>')

    def handle_data(self, data: str) -> None:
        self.out.append(self.mark(data))

    def handle_comment(self, data: str) -> None:
        self.out.append(f'<span class="tag">{html.escape(f"<!--{data}-->")}</span>')

    def handle_decl(self, decl: str) -> None:
        self.out.append(html.escape(f"<!{decl}>"))

    def unknown_decl(self, data: str) -> None:
        self.out.append(html.escape(f"<![{data}]>"))

    def handle_pi(self, data: str) -> None:
        self.out.append(html.escape(f"<?{data}>"))

    def result(self) -> str:
        rest = getattr(self, "rawdata", "")
        if rest:  # an unfinished tag at the end: text
            self.out.append(self.mark(rest))
        for top in reversed(self.open):
            self.out.append("</span>" if top in ("a", "math") else f"</{top}>")
        self.open.clear()
        return "".join(self.out)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def source_marker(glossary: Glossary) -> Marker:
    """Marks the glossary's source forms, with the form each must have."""

    def mark(text: str) -> str:
        out, pos = [], 0
        for m in glossary.find(text):
            out.append(html.escape(text[pos : m.start]))
            out.append(_mark(text[m.start : m.end], m.term))
            pos = m.end
        out.append(html.escape(text[pos:]))
        return "".join(out)

    return mark


def target_marker(terms: Iterable[Term]) -> Marker:
    """Marks the required forms of `terms` (a unit's terms) in a translation."""
    by_form = {t.target.casefold(): t for t in terms if t.target}
    if not by_form:
        return html.escape
    forms = sorted(by_form, key=len, reverse=True)
    rx = re.compile("|".join(re.escape(f) for f in forms), re.I)

    def mark(text: str) -> str:
        out, pos = [], 0
        for m in rx.finditer(text):
            out.append(html.escape(text[pos : m.start()]))
            out.append(_mark(m.group(0), by_form[m.group(0).casefold()]))
            pos = m.end()
        out.append(html.escape(text[pos:]))
        return "".join(out)

    return mark


def _mark(text: str, term: Term) -> str:
    tip = term.source if term.dnt else f"{term.source} → {term.target}"
    if term.note:
        tip += f" ({term.note})"
    return f'<mark class="term" title="{_attr(tip)}">{html.escape(text)}</mark>'


def diff(old: str, new: str) -> str:
    """Escaped HTML of the difference from `old` to `new` (characters: CJK has no spaces)."""
    import difflib  # noqa: PLC0415

    out = []
    for op, a, b, c, d in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape(old[a:b]))
            continue
        if b > a:
            out.append(f"<del>{html.escape(old[a:b])}</del>")
        if d > c:
            out.append(f"<ins>{html.escape(new[c:d])}</ins>")
    return "".join(out)
