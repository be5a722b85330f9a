"""Stage 6, assemble: a `SegmentedPost` and validated translations -> the localized text.

Only unit spans are replaced; every other character is copied from the source. A unit
whose translation equals its source text is copied as it was (so the identity backend
gives the file back byte for byte). In a translation, placeholders are replaced by the
source text they stand for (in which nested units, such as a link title, are replaced in
turn), line breaks by the source's own line breaks (indentation, `>` markers, CRLF), and
text that would become markup where the source had none is escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping

from ._syntax.escape import LINE_START, Escaper, make_escaper
from ._syntax.frontmatter import render_scalar
from ._syntax.tables import relayout, table_span
from .dialects.values import render_toml, render_value
from .model import TAG, SegmentedPost, Unit

_CONTAINER_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)]|\[\^[^\]\n]+\]:)[ \t]*)*")
"""What may stand before a block's text on its line: indentation, quote and list markers,
a footnote's label."""

_LINE = "\x00"
"""Marks a line start while a unit is rendered (NUL never occurs in a post: load refuses it)."""

"""Placeholders in unit texts: <xN/> standalone, <gN>...</gN> paired."""


def assemble(
    post: SegmentedPost,
    translations: Mapping[str, str],
    rewrite: Callable[[str], str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> str:
    """The post's text with each unit in `translations` (unit id -> text) replaced, each link
    destination passed through `rewrite` (for a copy that lives in another folder), and each
    front matter field of `post.fields` whose key is in `fields` set to that value."""
    a = _Assembler(post, translations, rewrite, fields)
    out, pos = [], 0
    for x, y in _changed_tables(post, translations):  # their padding follows the new widths
        out += [a.range(pos, x), relayout(a.range(x, y), post.source.text[x:y])]
        pos = y
    out.append(a.range(pos, len(post.source.text)))
    return "".join(out)


def _changed_tables(post: SegmentedPost, translations: Mapping[str, str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for u in post.units:
        t = translations.get(u.id)
        if u.kind != "table_cell" or t is None or t == u.text or (spans and u.start < spans[-1][1]):
            continue
        x, y = table_span(post.source.text, u.start)
        cut = any(v.start < x < v.end or v.start < y < v.end for v in post.units)  # a unit around it
        if not cut and not (spans and x < spans[-1][1]):
            spans.append((x, y))
    return spans


def render_unit(post: SegmentedPost, translations: Mapping[str, str], unit: Unit) -> str:
    """What assembly writes in place of `unit` (its translation, or its source text)."""
    return _Assembler(post, translations).unit(unit)


class _Assembler:
    def __init__(
        self,
        post: SegmentedPost,
        translations: Mapping[str, str],
        rewrite: Callable[[str], str] | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        self.text = post.source.text
        self.quote = post.quote
        self.units = post.units
        self.starts = [u.start for u in post.units]
        self.tr = translations
        # spans of the source outside units that the copy writes differently: link
        # destinations (through `rewrite`) and front matter fields (a value of their own)
        subs: list[tuple[int, int, Callable[[str], str]]] = []
        if rewrite is not None:
            subs += [(a, b, rewrite) for a, b in post.urls]
        if fields:
            for f in post.fields:
                if f.key in fields:
                    value = render_scalar(fields[f.key], f.style, post.quote)
                    subs.append((f.start, f.end, lambda _old, v=value: v))
            subs.sort(key=lambda s: s[0])
        self.subs = subs
        self.sub_starts = [a for a, _, _ in subs]

    def copy(self, a: int, b: int) -> str:
        """text[a:b], with the link destinations and fields inside it rewritten."""
        first = bisect_left(self.sub_starts, a) if self.subs else 0
        if first == len(self.subs) or self.subs[first][0] >= b:
            return self.text[a:b]  # nothing to rewrite in it (most spans)
        out, pos = [], a
        for k in range(first, len(self.subs)):
            x, y, fn = self.subs[k]
            if x >= b:
                break
            if x < pos or y > b:
                continue
            out.append(self.text[pos:x])
            out.append(fn(self.text[x:y]))
            pos = y
        out.append(self.text[pos:b])
        return "".join(out)

    def range(self, a: int, b: int, inside: Unit | None = None) -> str:
        """text[a:b] with every unit that lies inside it (other than `inside`) replaced."""
        i = bisect_left(self.starts, a)
        if i == len(self.units) or self.units[i].start >= b:
            return self.copy(a, b)  # no unit inside (a placeholder's markup, mostly)
        out: list[str] = []
        pos = a
        while i < len(self.units):
            u = self.units[i]
            if u.start >= b:
                break
            if u.start < pos or u.end > b or u is inside:
                i += 1
                continue
            out.append(self.copy(pos, u.start))
            out.append(self.unit(u))
            pos = u.end
            i += 1
        out.append(self.copy(pos, b))
        return "".join(out)

    def unit(self, u: Unit) -> str:
        t = self.tr.get(u.id)
        if t is None or t == u.text:
            return self.range(u.start, u.end, inside=u)
        if u.context == "yaml":
            return render_scalar(t, u.yaml_style or "", self.quote)
        if u.context == "toml":
            return render_toml(t, u.yaml_style or '"')
        if u.context == "template":  # a quoted shortcode argument, an admonition title
            return render_value(t, self.text[u.start - 1 : u.start])
        return self.render(u, t)

    def render(self, u: Unit, t: str) -> str:
        # White space next to a line break would become indentation or a hard break
        if "\n" in t:
            t = _BREAK_SPACE.sub("\n", t) if u.breaks else _SPACE_BREAK.sub(" ", t)
        by_name = {(p.name, p.kind): p for p in u.placeholders}
        for p in u.placeholders:
            if p.kind == "standalone" and self.text.find("\n", p.start, p.end) >= 0:
                t = re.sub(rf"[ \t]*<{p.name}/>[ \t]*", f"<{p.name}/>", t)
        escape = make_escaper(u, TAG.sub("", t), self.text[u.start - 1 : u.start])
        t = _tighten_emphasis(u, t, self.text)
        out: list[str] = []
        opened: dict[str, int] = {}
        nbreak = 0
        starts: list[int] = []  # where in the source each line of the rendering starts
        pos = 0
        for m in TAG.finditer(t):
            nbreak = self._text(u, t[pos : m.start()], escape, out, nbreak, starts)
            if m.group(1):
                p = by_name[("x" + m.group(1), "standalone")]
                out.append(self.range(p.start, p.end))
                if self.text[p.start : p.end].rstrip(" \t").endswith("\n"):  # a hard break: a new line
                    out.append(_LINE)
                    starts.append(p.end)
            elif m.group(2):
                p = by_name[("g" + m.group(2), "open")]
                opened[p.name] = len(out)
                out.append(self.range(p.start, p.end))
            else:
                p = by_name[("g" + m.group(3), "close")]
                label = "".join(out[opened.get(p.name, len(out)) + 1 :])
                if p.ref_label is not None and label != p.ref_label:
                    out.append(f"][{p.ref_label}]")  # keep the reference key of [label] links
                else:
                    out.append(self.range(p.start, p.end))
            pos = m.end()
        self._text(u, t[pos:], escape, out, nbreak, starts)
        lines = "".join(out).split(_LINE)
        if u.context in ("markdown", "table"):
            # markup kept from the source (a literal `*`) followed by translated white space
            # could start a list or a heading where the source line did not: keep it literal
            first = 0 if self._block_start(u) else 1
            for k in range(first, len(lines)):
                m = LINE_START.match(lines[k])
                if m and not LINE_START.match(self.text[starts[k - 1] if k else u.start : u.end]):
                    line = lines[k]
                    i = (
                        m.end() - 1
                        if line[m.end() - 1 : m.end()] in ".)"
                        else len(line) - len(line.lstrip(" \t"))
                    )
                    lines[k] = line[:i] + "\\" + line[i:]
        return "".join(lines)

    def _block_start(self, u: Unit) -> bool:
        """Whether the unit begins a block's first line (after indentation, `>` and list
        markers): what it starts with could then be read as block markup."""
        if u.context not in ("markdown", "table") or u.kind == "table_cell":
            return False
        line = self.text[self.text.rfind("\n", 0, u.start) + 1 : u.start]
        return _CONTAINER_PREFIX.fullmatch(line) is not None

    def _text(self, u: Unit, s: str, escape: Escaper, out: list[str], nbreak: int, starts: list[int]) -> int:
        lines = s.split("\n")
        for k, line in enumerate(lines):
            if k:
                a, b = u.breaks[min(nbreak, len(u.breaks) - 1)]
                out.append(self.text[a:b])
                out.append(_LINE)
                starts.append(b)
                nbreak += 1
            out.append(escape(line))
        return nbreak


def _tighten_emphasis(u: Unit, t: str, text: str) -> str:
    """`<g1> bold </g1>` -> `<g1>bold</g1>` for emphasis: `** bold **` would not be bold.
    (One pass for all pairs: a post may hold thousands of them.)"""
    names = {p.name for p in u.placeholders if p.kind == "open" and text[p.start : p.end].strip("*_~") == ""}
    if not names:
        return t
    t = _OPEN_SPACE.sub(lambda m: m.group(1) if m.group(2) in names else m.group(0), t)
    return _SPACE_CLOSE.sub(lambda m: m.group(1) if m.group(2) in names else m.group(0), t)


_BREAK_SPACE = re.compile(r"[ \t]*\n[ \t]*")
_SPACE_BREAK = re.compile(r"\s*\n\s*")
_OPEN_SPACE = re.compile(r"(<(g\d+)>)\s+")
_SPACE_CLOSE = re.compile(r"\s+(</(g\d+)>)")
