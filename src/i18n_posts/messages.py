"""Issues in a maintainer's terms: a unit is named by its line and a short quote of its
source, a placeholder by what it stands for ("the link 'installation guide'"), never by
the ids a backend sees (`u2`, `<g1>`).

    describe(issue, unit, source)   one issue, said about `unit` of the post text `source`
    problem(issue, unit, source)    what is wrong, placeholders named by what they stand for
    quote(text)                     a short quote of a unit's text, placeholders dropped
    plural(n, word)                 "1 unit", "2 units"
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the model is not loaded for `plural`: every command's start imports it)
    from .model import Issue, Placeholder, Unit

NOUNS = {
    "link": "the link",
    "image": "the image",
    "code": "the code",
    "math": "the formula",
    "url": "the URL",
    "strong": "the bold text",
    "em": "the italic text",
    "em/strong": "the bold italic text",
    "s": "the struck-out text",
    "entity": "the character reference",
    "escape": "the escaped character",
    "line break": "the line break",
    "footnote": "the footnote reference",
}
_LOST = "placeholders lost: "
_EXTRA = "placeholders not in the source: "
_ORDER = re.compile(r"^</g(\d+)> closes out of order$")


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 unit`, `2 units` (`many` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def quote(text: str, width: int = 32, unit: Unit | None = None, source: str = "") -> str:
    """`text` on one line, cut to about `width` characters, without placeholders (with `unit`
    and the post's `source`, a standalone one shows the source text it stands for)."""
    from .model import TAG  # noqa: PLC0415

    if unit is not None and source:
        spans = {p.tag: source[p.start : p.end] for p in unit.placeholders if p.kind == "standalone"}
        text = TAG.sub(lambda m: spans.get(m.group(0), ""), text)
    plain = " ".join(TAG.sub("", text).split())
    return plain if len(plain) <= width else plain[: width - 1].rstrip() + "…"


def what(unit: Unit, p: Placeholder, source: str) -> str:
    """What the placeholder `p` of `unit` stands for: "the link 'installation guide'"."""
    noun = NOUNS.get(p.label) or (f"the <{p.label[5:]}> tag" if p.label.startswith("html:") else "the markup")
    if p.kind != "standalone":
        m = re.search(f"<{p.name}>(.*?)</{p.name}>", unit.text, re.S)
        inner = quote(m.group(1), 40) if m else ""
    else:
        inner = " ".join(source[p.start : p.end].split()) if 0 <= p.start < p.end <= len(source) else ""
        if len(inner) > 40:
            inner = inner[:39] + "…"
    return f"{noun} '{inner}'" if inner else noun


def describe(issue: Issue, unit: Unit | None, source: str = "") -> str:
    """`issue` in the reader's terms, naming the unit by a quote of its source (the line is
    the caller's: `file:line:`): "the translation of “见安装指南。” lost the link '安装指南'"."""
    if unit is None:
        return issue.message
    said = problem(issue, unit, source)
    subject = f"the translation of “{quote(unit.text, unit=unit, source=source)}”"
    return (
        f"{subject} {said[len('the translation ') :]}"
        if said.startswith("the translation ")
        else f"{subject}: {said}"
    )


def problem(issue: Issue, unit: Unit, source: str = "") -> str:
    """What is wrong, with placeholders named by what they stand for (`source`: the post's
    text, to quote what a standalone placeholder replaced; without it, only its kind)."""
    from .model import TAG  # noqa: PLC0415

    message = issue.message
    by_name = {p.name: p for p in unit.placeholders}
    if message.startswith(_LOST):
        names = list(dict.fromkeys(m.group(1) or m.group(2) or m.group(3) for m in TAG.finditer(message)))
        found = [by_name.get(f"x{n}") or by_name.get(f"g{n}") for n in names]
        if found and all(found):
            more = re.search(r"\(and \d+ more\)$", message)
            lost = _join([what(unit, p, source) for p in found if p is not None])
            return f"the translation lost {lost}" + (f" {more.group(0)}" if more else "")
    if message.startswith(_EXTRA):
        return f"the translation has markup the source does not have ({message[len(_EXTRA) :]})"
    m = _ORDER.match(message)
    if m and f"g{m.group(1)}" in by_name:
        return f"the translation moves {what(unit, by_name[f'g{m.group(1)}'], source)} out of its place"
    return message


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
