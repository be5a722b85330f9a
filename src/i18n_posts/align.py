"""Align a localized post with its source: (source `SegmentedPost`, localized text) ->
the translation of each unit, or the reason they do not align.

Used to check a human translation (the example's reference) with the same checks as
machine output, and to take hand edits of generated posts back into the memory. The
localized text is segmented like the source; units must correspond one to one (same
kinds, same protected markup), and assembling the source with the recovered
translations must give the localized text back byte for byte.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ._syntax.escape import vue_unescaped
from .assemble import assemble
from .model import TAG, Placeholder, SegmentedPost, SourcePost, Unit
from .segment import Segmenter


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of `align`."""

    translations: dict[str, str]
    """Unit id of the source -> its translation, for every unit (identical ones included)."""
    problem: str
    """Empty when the localized post aligns; else why not (with a line of the localized post)."""


def align(
    source: SegmentedPost,
    localized: SourcePost,
    segmenter: Segmenter,
    assemble_as: Callable[[dict[str, str]], str] | None = None,
) -> Alignment:
    """Recover unit translations of `source` from `localized`. `assemble_as(translations)`
    assembles the copy as its output is written (links re-pointed for its folder, front
    matter fields set), when that is not plain `assemble`."""
    # our own escape of a Vue `{{` (assemble writes it inside `<span v-pre>`) is not markup of
    # the translation: read it as the braces it stands for (assembly writes it again below)
    own = "<span v-pre>" not in source.source.text  # (a post may use v-pre itself: then it is markup)
    plain = vue_unescaped(localized.text) if own else localized.text
    out = segmenter.segment(localized if plain == localized.text else replace(localized, text=plain), True)
    out = _values_like(source, out, segmenter)
    if len(out.units) != len(source.units):
        return Alignment({}, f"{len(out.units)} translatable units, the source has {len(source.units)}")
    tr: dict[str, str] = {}
    for su, ou in zip(source.units, out.units, strict=True):
        if su.kind != ou.kind:
            return Alignment(
                tr, f"line {ou.line}: a {ou.kind} where the source has a {su.kind} (line {su.line})"
            )
        text = _translation(source, su, out, ou)
        if text is None:
            return Alignment(tr, f"line {ou.line}: the markup differs from the source's (line {su.line})")
        tr[su.id] = text
    if (assemble_as(tr) if assemble_as else assemble(source, tr)) != localized.text:
        return Alignment(tr, "the text outside the translatable units differs from the source")
    return Alignment(tr, "")


def _values_like(source: SegmentedPost, out: SegmentedPost, segmenter: Segmenter) -> SegmentedPost:
    """`out` (segmented with every value) without the values the source kept unsent: a title
    in ASCII (`=== "Python"`) is not a unit of the source, but its English rendering must be
    read as one. The source's unsent values are copied as they are, so they are dropped by text."""
    if not any(u.context == "template" for u in out.units):
        return out
    unsent = Counter(u.text for u in segmenter.segment(source.source, True).units if u.context == "template")
    unsent.subtract(u.text for u in source.units if u.context == "template")
    units = []
    for u in out.units:
        if u.context == "template" and unsent[u.text] > 0:
            unsent[u.text] -= 1
            continue
        units.append(u)
    return replace(out, units=tuple(units))


def _translation(source: SegmentedPost, su: Unit, out: SegmentedPost, ou: Unit) -> str | None:
    if su.context in ("yaml", "toml", "template"):  # plain values (the re-assembly checks them)
        return ou.text
    if su.context == "attribute":  # assembly writes a quote inside an attribute as &quot;
        return ou.text.replace("&quot;", '"') if '"' not in su.text else ou.text
    free: dict[str, list[Placeholder]] = defaultdict(list)
    for p in su.placeholders:
        if p.kind != "close":
            free[_key(source, p)].append(p)
    names: dict[str, str] = {}
    parts: list[str] = []
    pos = 0
    text = ou.text
    by_name = {(p.name, p.kind): p for p in ou.placeholders}
    for m in TAG.finditer(text):
        parts.append(text[pos : m.start()])
        pos = m.end()
        kind = "standalone" if m.group(1) else "open" if m.group(2) else "close"
        name = ("x" if kind == "standalone" else "g") + (m.group(1) or m.group(2) or m.group(3))
        p = by_name[(name, kind)]
        if kind == "close":
            if name not in names:
                return None
            parts.append(f"</{names[name]}>")
            continue
        key = _key(out, p)
        match = free.get(key)
        if not match and kind == "standalone" and p.label in ("entity", "escape"):
            raw = out.source.text[p.start : p.end]
            parts.append(html.unescape(raw) if p.label == "entity" else raw[1:])
            continue
        if not match:
            return None
        sp = match.pop(0)
        if sp.kind != kind:
            return None
        names[name] = sp.name
        parts.append(f"<{sp.name}/>" if kind == "standalone" else f"<{sp.name}>")
    parts.append(text[pos:])
    if any(free.values()):
        return None
    return "".join(parts)


def _key(post: SegmentedPost, p: Placeholder) -> str:
    """The text a placeholder stands for, with nested units (titles, alt) and link
    destinations blanked out (links may be re-pointed in a copy; the final re-assembly
    checks them)."""
    text = post.source.text
    spans = sorted(
        [
            (u.start, u.end)
            for u in post.units
            if p.start <= u.start and u.end <= p.end and (u.start, u.end) != (p.start, p.end)
        ]
        + [(a, b) for a, b in post.urls if p.start <= a and b <= p.end]
    )
    out, pos = [], p.start
    for a, b in spans:
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append("\0")
        pos = b
    out.append(text[pos : p.end])
    return "".join(out).replace("\r\n", "\n")
