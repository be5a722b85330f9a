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
from collections.abc import Mapping

from ._frontmatter import render_scalar
from .model import SegmentedPost, Unit

TAG = re.compile(r"<x(\d+)/>|<g(\d+)>|</g(\d+)>")
"""Placeholders in unit texts: <xN/> standalone, <gN>...</gN> paired."""

_HTML_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(?:[ \t]*)(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)])|=+[ \t]*$|-+[ \t]*$|\||`{3,}|~{3,}|:{3,})")
_MD_SPECIALS = "*_`[]~$\\"


def assemble(post: SegmentedPost, translations: Mapping[str, str]) -> str:
    """The post's text with each unit in `translations` (unit id -> text) replaced."""
    return _Assembler(post, translations).range(0, len(post.source.text))


class _Assembler:
    def __init__(self, post: SegmentedPost, translations: Mapping[str, str]) -> None:
        self.text = post.source.text
        self.units = post.units
        self.starts = [u.start for u in post.units]
        self.tr = translations

    def range(self, a: int, b: int, inside: Unit | None = None) -> str:
        """text[a:b] with every unit that lies inside it (other than `inside`) replaced."""
        out: list[str] = []
        pos = a
        i = bisect_left(self.starts, a)
        while i < len(self.units):
            u = self.units[i]
            if u.start >= b:
                break
            if u.start < pos or u.end > b or u is inside:
                i += 1
                continue
            out.append(self.text[pos : u.start])
            out.append(self.unit(u))
            pos = u.end
            i += 1
        out.append(self.text[pos:b])
        return "".join(out)

    def unit(self, u: Unit) -> str:
        t = self.tr.get(u.id)
        if t is None or t == u.text:
            return self.range(u.start, u.end, inside=u)
        if u.context == "yaml":
            return render_scalar(t, u.yaml_style or "")
        return self.render(u, t)

    def render(self, u: Unit, t: str) -> str:
        if not u.breaks:
            t = t.replace("\n", " ")
        by_name = {(p.name, p.kind): p for p in u.placeholders}
        escape = _escaper(u, t)
        out: list[str] = []
        opened: dict[str, int] = {}
        nbreak = 0
        pos = 0
        for m in TAG.finditer(t):
            nbreak = self._text(u, t[pos : m.start()], escape, out, nbreak)
            if m.group(1):
                p = by_name[("x" + m.group(1), "standalone")]
                out.append(self.range(p.start, p.end))
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
        self._text(u, t[pos:], escape, out, nbreak)
        return "".join(out)

    def _text(self, u: Unit, s: str, escape: _Escape, out: list[str], nbreak: int) -> int:
        lines = s.split("\n")
        for k, line in enumerate(lines):
            if k:
                a, b = u.breaks[min(nbreak, len(u.breaks) - 1)]
                out.append(self.text[a:b])
                nbreak += 1
            out.append(escape(line, at_line_start=k > 0))
        return nbreak


class _Escape:
    """Escapes, in translated text, the markup characters that the source text did not have."""

    def __init__(self, context: str, chars: str, html: bool, entity: bool, starts: frozenset[str]):
        self.context, self.chars, self.html, self.entity, self.starts = context, chars, html, entity, starts

    def __call__(self, s: str, at_line_start: bool = False) -> str:
        if not s:
            return s
        if self.entity:
            s = _ENTITY_LIKE.sub("&amp;", s)
        if self.html:
            s = _HTML_LIKE.sub("&lt;", s)
        if self.chars:
            s = re.sub("([" + re.escape(self.chars) + "])", r"\\\1", s)
        if at_line_start and self.context in ("markdown", "table"):
            m = _LINE_START.match(s)
            if m and s.strip()[:3] not in self.starts:
                i = len(s) - len(s.lstrip(" \t"))
                s = s[:i] + ("\\" if not s[i].isdigit() else "") + s[i:] if not s[i].isdigit() else (
                    s[: m.end()] + "\\" + s[m.end() :])
        return s


def _escaper(u: Unit, t: str) -> _Escape:
    src = "".join(u.source_segments)
    new = TAG.sub("", t)
    html = len(_HTML_LIKE.findall(new)) > len(_HTML_LIKE.findall(src))
    entity = len(_ENTITY_LIKE.findall(new)) > len(_ENTITY_LIKE.findall(src))
    chars = ""
    if u.context in ("markdown", "table"):
        specials = _MD_SPECIALS + ("|" if u.context == "table" else "")
        chars = "".join(c for c in specials if new.count(c) > src.count(c))
    elif u.context == "attribute":
        chars = ""
    starts = frozenset(line.strip()[:3] for line in u.text.split("\n")[1:])
    esc = _Escape(u.context, chars, html, entity, starts)
    if u.context == "attribute":
        return _AttrEscape(u, new, src)
    return esc


class _AttrEscape(_Escape):
    """Attribute values: the quote character and new entities."""

    def __init__(self, u: Unit, new: str, src: str) -> None:
        super().__init__("attribute", "", False, len(_ENTITY_LIKE.findall(new)) > len(_ENTITY_LIKE.findall(src)),
                         frozenset())

    def __call__(self, s: str, at_line_start: bool = False) -> str:
        s = super().__call__(s)
        return s.replace('"', "&quot;")
