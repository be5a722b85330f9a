"""Where a repository's translations stand, per post and locale, without changing anything.

It is `sync --check` (`run.py`: unchanged posts are told from the hashes in their PO files,
without being parsed) read in a maintainer's terms, plus who made the remembered
translations, counted from the PO files' comments without babel:

    up to date   the output is what the memory and the source make
    stale        N units have no valid translation (or the output is behind the memory)
    missing      there is no output yet
    edited       the output was edited by hand since the last sync (sync keeps the edits)
    orphaned     the source is gone; the output and the memory are left
    failed       the post cannot be read or planned (the message says why)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..memory.po import KEPT_SOURCE, REVIEWED
from ..memory.state import text_digest
from ..repo import memory_of
from .plan import SyncContext
from .report import PostReport
from .run import run_sync

State = Literal["up to date", "stale", "missing", "edited", "orphaned", "failed"]


@dataclass(frozen=True, slots=True)
class Origins:
    """Who made a post's remembered translations (current entries of its PO file)."""

    entries: int = 0
    """Current entries (not obsolete)."""
    reviewed: int = 0
    """Written or changed by a person."""
    machine: int = 0
    """Made by a backend and not changed since."""
    kept_source: int = 0
    """Units the post was last written with in the source language (`on_unit_failure =
    "keep-source"`: they failed their checks); the next sync sends them again."""


@dataclass(frozen=True, slots=True)
class PostStatus:
    """Where one post stands in one locale."""

    source: str
    """The source post, relative to the root."""
    locale: str
    output: str
    """The output, relative to the root."""
    state: State
    stale_units: int = 0
    """Units without a valid translation (a sync sends them)."""
    origins: Origins = Origins()
    message: str = ""
    """Why, for `failed`, `stale` and `orphaned`."""


def repository_status(ctx: SyncContext) -> list[PostStatus]:
    """The status of every post (this shard) in every locale of `ctx`, which must be a
    `--check` context (nothing is sent or written)."""
    if ctx.options.writes:
        raise ValueError("repository_status needs a check context")
    reports: list[PostReport] = []
    run_sync(ctx, reports.append)
    out = [_status(ctx, r) for r in reports]
    if ctx.digests is not None:
        ctx.digests.save()  # with the counts of origins
    return out


def _status(ctx: SyncContext, r: PostReport) -> PostStatus:
    cfg = ctx.cfg
    po = cfg.root / memory_of(cfg, r.source, r.locale)
    origins = Origins(*_counts(ctx, po))
    state: State
    message = r.message
    if r.status in ("orphaned", "failed"):
        state = r.status  # type: ignore[assignment]
    elif r.status == "unchanged":
        state = "up to date"
    elif not (cfg.root / r.output).is_file():
        state, message = "missing", ""
    elif r.reviewed:
        state, message = (
            "edited",
            f"{r.reviewed} hand edit{'s' if r.reviewed > 1 else ''} not yet in the memory",
        )
    else:
        state = "stale"
    return PostStatus(r.source, r.locale, r.output, state, r.sent, origins, message)


def _counts(ctx: SyncContext, po: Path) -> list[int]:
    """`count_origins`, remembered between runs by the file's size and time (sync/digests.py)."""

    def count(p: Path) -> list[int]:
        o = count_origins(p)
        return [o.entries, o.reviewed, o.machine, o.kept_source]

    return (ctx.digests.derived(po, "origins", count) if ctx.digests else None) or count(po)


_ENTRY = re.compile(
    r"^# (machine:[^\n]*|reviewed)\n"  # the origin: the first translator comment
    r"((?:#[^~\n][^\n]*\n|#\n)*)"  # other comments and flags (not obsolete: #~)
    r'msgid (?:"[^\n]*"\n)+msgstr ((?:"[^\n]*"(?:\n|$))+)',
    re.M,
)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def count_origins(po: Path) -> Origins:
    """Count a PO file's current entries by origin, from its comments (no babel: fast).

    A machine entry whose msgstr no longer matches the digest the machine left was edited in
    the PO file: it counts as reviewed, as the memory's own rule has it (`Entry.reviewed`)."""
    try:
        text = po.read_bytes().decode("utf-8", "replace")
    except OSError:
        return Origins()
    # every entry but the header; obsolete entries are `#~ msgid`
    entries = max(text.count("\nmsgid ") + text.startswith("msgid ") - 1, 0)
    reviewed = machine = 0
    for m in _ENTRY.finditer(text):
        origin, flags, msgstr = m.groups()
        if "#, fuzzy" in flags:
            continue  # a starting point for a revision: neither
        if origin == REVIEWED:
            reviewed += 1
            continue
        mark = re.search(r"#([0-9a-f]{8})$", origin)
        if mark and mark.group(1) != text_digest(_unquote(msgstr)):
            reviewed += 1
        else:
            machine += 1
    kept = len(re.findall(f"^# {KEPT_SOURCE}\n", text, re.M))
    return Origins(entries, reviewed, machine, kept)


def _unquote(lines: str) -> str:
    """The text of a PO string's quoted lines."""
    joined = "".join(_STRING.findall(lines))
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), joined) if "\\" in joined else joined
