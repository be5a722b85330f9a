"""Stage 5, check: a unit and its translation -> the issues found (possibly none).

Every check has the shape `(unit, text, context) -> Iterable[Issue]`; all run, they
report and never raise. A translation with an issue is retried and never assembled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ._syntax.signature import block_kinds, block_signature
from .check_fidelity import FIDELITY_CHECKS
from .errors import PostError
from .glossary import Glossary, misses
from .model import TAG, Issue, SourcePost, Unit

_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LOOSE_TAG = re.compile(r"</?\s*[xg]\s*\d+\s*/?\s*>", re.I)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What checks may need besides the unit and its translation."""

    glossary: Glossary
    """Terms to enforce."""
    source_script: re.Pattern[str] | None = None
    """Characters of the source language's script: a translation still full of them is refused."""


Check = Callable[[Unit, str, CheckContext], Iterable[Issue]]


def check_placeholders(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """Every placeholder exactly once, none invented, pairs opened before closed and nested."""
    if not unit.placeholders and "<" not in text:
        return
    matches = list(TAG.finditer(text))
    tags = [m.group(0) for m in matches]
    lost: list[str] = []
    extra: list[str] = []
    if tags != [p.tag for p in unit.placeholders]:  # not the source's own order: count them
        expected, found = Counter(p.tag for p in unit.placeholders), Counter(tags)
        lost = sorted((expected - found).elements())
        extra = sorted((found - expected).elements())
    if lost:
        yield Issue(unit.id, "placeholder", f"placeholders lost: {' '.join(lost)}", unit.line)
    if extra:
        yield Issue(unit.id, "placeholder", f"placeholders not in the source: {' '.join(extra)}", unit.line)
    stray = len(_LOOSE_TAG.findall(text)) - len(tags)
    if stray > 0:
        yield Issue(unit.id, "placeholder", "malformed placeholders (e.g. <x 1>)", unit.line)
    if lost or extra:
        return
    stack: list[str] = []
    for m in matches:
        if m.group(2):
            stack.append(m.group(2))
        elif m.group(3):
            if not stack or stack[-1] != m.group(3):
                yield Issue(unit.id, "placeholder", f"</g{m.group(3)}> closes out of order", unit.line)
                return
            stack.pop()


def check_structure(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """No blank line where the source had none (it would end a paragraph or an HTML block);
    no control character, lone surrogate or non-character that the source did not have."""
    if _BLANK_LINE.search(text) and not _BLANK_LINE.search(unit.text):
        yield Issue(unit.id, "structure", "a blank line would split the block", unit.line)
    bad = {c for c in _INVALID.findall(text) if c not in unit.text}
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in sorted(bad))
        yield Issue(
            unit.id, "structure", f"the answer holds characters no post may hold ({shown})", unit.line
        )
    if not text.strip() and unit.text.strip():
        yield Issue(unit.id, "structure", "empty translation", unit.line)


def check_glossary(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """Each enforced term of the source has its target form; no forbidden form appears."""
    terms = ctx.glossary.terms_in(unit.source_segments)
    if not terms:
        return
    for _, message in misses(terms, TAG.sub(" ", text)):
        yield Issue(unit.id, "glossary", message, unit.line)


def check_translated(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """A translation must leave the source script (names in it may stay, not the prose)."""
    rx = ctx.source_script
    if rx is None:
        return
    before = len(rx.findall(unit.text))
    if before >= 2 and (text == unit.text or len(rx.findall(TAG.sub("", text))) * 2 > before):
        yield Issue(unit.id, "untranslated", "the answer is still in the source language", unit.line)


CHECKS: tuple[Check, ...] = (
    check_placeholders,
    check_structure,
    check_glossary,
    check_translated,
    *FIDELITY_CHECKS,
)


def check_unit(unit: Unit, text: str, ctx: CheckContext) -> list[Issue]:
    """All issues of `text` as the translation of `unit`."""
    return [issue for check in CHECKS for issue in check(unit, text, ctx)]


def check_document(
    md: object, source: SourcePost, output: str, source_blocks: tuple[tuple[str, int], ...] | None = None
) -> list[Issue]:
    """The assembled post must have the source's block structure and valid front matter.

    `source_blocks` (from `SegmentedPost.blocks`) saves parsing the source again."""
    from .load import parse_post  # noqa: PLC0415

    try:
        out = parse_post(source.path, output.encode("utf-8"))
    except PostError as exc:
        return [Issue("", "structure", f"the assembled post is invalid: {exc.reason}")]
    if (out.front_matter is None) != (source.front_matter is None):
        return [Issue("", "structure", "the assembled post lost or gained its front matter")]
    a = (
        list(source_blocks)
        if source_blocks is not None
        else block_signature(
            md.parse(  # type: ignore[attr-defined]
                source.text[source.body_start :].replace("\r\n", "\n"), {}
            ),
            source,
        )
    )
    b = block_kinds(md.parse(out.text[out.body_start :].replace("\r\n", "\n"), {}))  # type: ignore[attr-defined]
    for (ta, la), tb in zip(a, b, strict=False):  # lengths compared below
        if ta != tb:
            return [
                Issue("", "structure", f"the translation changes the document structure ({ta} -> {tb})", la)
            ]
    if len(a) != len(b):
        return [
            Issue("", "structure", f"the translation changes the number of blocks ({len(a)} -> {len(b)})")
        ]
    return []
