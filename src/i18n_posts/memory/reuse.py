"""The rules of the memory, for every command: which remembered translation is used again,
and how a new one is recorded.

Reuse: a reviewed entry (a person's) is used as it is unless its placeholders or structure
are broken, which is an error to fix in the PO file, never a reason to pay for it again; a
machine entry is used if it still passes every check (the glossary may have changed); a
fuzzy entry, or the most similar entry of a vanished unit, goes to the backend with the
unit as the translation to revise. Record: a machine translation carries its origin and
the digest of its text (`machine: NAME/MODEL #1a2b3c4d`), so an edit of the msgstr in the
PO file shows as a person's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..check import CheckContext, check_unit
from ..errors import PostError
from ..messages import problem, quote
from ..model import Unit
from .po import Entry, Memory
from .state import text_digest


@dataclass(slots=True)
class Reuse:
    """What the memory gives a post, and what is left to translate."""

    done: dict[str, str] = field(default_factory=dict)
    """Unit id -> remembered translation that may be used as it is."""
    todo: list[Unit] = field(default_factory=list)
    """Units without one, in document order."""
    previous: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Unit id -> (old source, old translation), to revise rather than start again."""
    vanished: dict[str, Entry] = field(default_factory=dict)
    """Entries whose unit is no longer in the post (they become obsolete when it is written)."""


def reuse(units: Iterable[Unit], mem: Memory, ctx: CheckContext, restyle: str | None = None) -> Reuse:
    """Split `units` into remembered and to-do (see the module docstring). The starting
    points of revisions are recorded in `mem` as fuzzy entries. With `restyle` (the style tag
    of the backend now, "" for the default style: `sync --force-style`), a machine entry made
    under another style guide is translated again from scratch."""
    units = list(units)
    current = {u.text for u in units}
    out = Reuse(vanished={k: e for k, e in mem.entries.items() if k not in current})
    for u in units:
        e = mem.get(u.text)
        if (
            e is not None
            and restyle is not None
            and not e.fuzzy
            and not e.reviewed
            and style_of(e) != restyle
        ):
            out.todo.append(u)
            continue
        if e is not None and not e.fuzzy:
            issues = check_unit(u, e.translation, ctx)
            if e.reviewed and not [i for i in issues if i.code in ("placeholder", "structure")]:
                out.done[u.id] = e.translation  # a person's translation: glossary issues are theirs
                continue
            if e.reviewed:
                raise PostError(
                    mem.path,
                    f"the reviewed translation of line {u.line} (“{quote(u.text)}”) is broken: "
                    f"{_it(problem(issues[0], u))}; "
                    "fix the msgstr (or delete the entry to have it translated again)",
                )
            if not issues:
                out.done[u.id] = e.translation
                continue
        out.todo.append(u)
        prev = e if e is not None and e.fuzzy else similar(u.text, out.vanished, mem.obsolete)
        if prev is not None and prev.translation:  # (a unit kept in the source language has none)
            old = prev.previous or prev.source
            out.previous[u.id] = (old, prev.translation)
            mem.entries[u.text] = Entry(
                u.text, prev.translation, prev.origin, fuzzy=True, previous=old, line=u.line
            )
    return out


def style_of(e: Entry) -> str:
    """The style tag a machine entry was made under ("": the default style)."""
    m = _STYLE.search(e.origin)
    return m.group(1) if m else ""


_STYLE = re.compile(r" style=([0-9a-f]{8})\b")


def record(mem: Memory, units: Mapping[str, Unit], answers: Mapping[str, str], origin: str) -> None:
    """Store validated `answers` (unit id -> text) of the backend named by `origin`."""
    for uid, t in answers.items():
        u = units[uid]
        mem.entries[u.text] = Entry(
            u.text, t, f"{origin} #{text_digest(t)}" if t != u.text else "", line=u.line
        )


def retire(mem: Memory, vanished: Mapping[str, Entry], current: set[str]) -> None:
    """Entries of vanished units become the obsolete entries of this change."""
    if vanished:
        mem.obsolete = {k: v for k, v in vanished.items() if k not in current}
        for k in vanished:
            mem.entries.pop(k, None)


def similar(text: str, *pools: Mapping[str, Entry]) -> Entry | None:
    """The remembered entry whose source is most like `text` (at least 60% alike)."""
    import difflib  # noqa: PLC0415  (only when something changed)

    best, score = None, 0.6
    for pool in pools:
        for src, e in pool.items():
            m = difflib.SequenceMatcher(None, text, src, autojunk=False)
            if m.real_quick_ratio() > score and m.quick_ratio() > score:
                r = m.ratio()
                if r > score:
                    best, score = e, r
    return best


def _it(said: str) -> str:
    return "it " + said[len("the translation ") :] if said.startswith("the translation ") else said
