"""The translation memory: one gettext PO file per post and locale, read and written with babel.

An entry per unit: msgid = the unit's source text (placeholders as `<x1/>` / `<g2>...</g2>`,
stable and readable), msgstr = its validated translation, a reference to the source line,
and a translator comment saying how it was made (`machine: BACKEND` or `reviewed` for a
person's edit). A unit whose source changed keeps its old translation as a fuzzy entry with
the previous msgid (`#|`) until it is translated again; units that vanished are kept as
obsolete entries (`#~`) of the last change, for the next revision.

The header comment carries a state line (hashes of the source, the output, the entries,
the glossary and the config) so that `sync` can tell an unchanged post without parsing it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .state import digest, entries_part, read_state, text_digest

REVIEWED = "reviewed"
KEPT_SOURCE = "kept in the source language"
"""The origin of a fuzzy, empty entry: the unit failed its checks and the post was written
with it untranslated (`on_unit_failure = "keep-source"`); the next sync sends it again."""
_LONG_RUN = re.compile(r"\S{1000,}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One remembered translation."""

    source: str
    """The unit's source text (the msgid)."""
    translation: str
    """Its translation (the msgstr)."""
    origin: str = ""
    """`machine: BACKEND` or `reviewed`."""
    fuzzy: bool = False
    """The source changed since: a starting point for a revision, not a translation to use."""
    previous: str = ""
    """For fuzzy entries: the source text the translation was made for."""
    line: int = 0
    """The unit's line in the source post."""
    notes: tuple[str, ...] = ()
    """Other translator comments (`# conflict: ...` keeps a version a conflict set aside)."""

    @property
    def machine_digest(self) -> str | None:
        """For a machine translation: the digest of the text the machine wrote."""
        m = re.search(r"#([0-9a-f]{8})$", self.origin)
        return m.group(1) if m and self.origin.startswith("machine:") else None

    @property
    def reviewed(self) -> bool:
        """A person wrote or changed it: it is used as it is, never replaced by a machine."""
        if self.origin == REVIEWED:
            return True
        # machine entries carry a digest of the text they were given: a msgstr edited in the
        # PO file no longer matches it
        m = re.search(r"#([0-9a-f]{8})$", self.origin)
        return bool(m) and m.group(1) != text_digest(self.translation)


@dataclass
class Memory:
    """The entries of one post in one locale."""

    path: Path
    source: str
    """The post's path, relative to the repository."""
    locale: str
    entries: dict[str, Entry] = field(default_factory=dict)
    obsolete: dict[str, Entry] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    created: Any = None
    """The PO file's creation date (a datetime), kept so rewrites do not churn the header."""

    def get(self, source: str) -> Entry | None:
        return self.entries.get(source)


def read_memory(path: Path, source: str, locale: str) -> Memory:
    """The memory in `path` (empty if the file does not exist). PO errors name file and line."""
    from babel.messages.pofile import PoFileError, read_po  # noqa: PLC0415

    mem = Memory(path, source, locale)
    if not path.exists():
        return mem
    try:
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except PoFileError as exc:
        raise ConfigError(path, f"invalid PO file: {exc}", getattr(exc, "lineno", None)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(path, f"cannot read the translation memory: {exc}") from None
    st = read_state(path)
    mem.state = st[0] if st else {}
    from datetime import datetime  # noqa: PLC0415

    mem.created = catalog.creation_date if isinstance(catalog.creation_date, datetime) else None
    previous = _previous_ids(data) if b"\n#| msgid" in data else {}
    for msg in catalog:
        if not msg.id or not isinstance(msg.id, str) or not isinstance(msg.string, str) or not msg.string:
            continue
        mem.entries[msg.id] = _entry(msg, previous.get(msg.id, ""))
    for msg in catalog.obsolete.values():
        if isinstance(msg.id, str) and isinstance(msg.string, str) and msg.string:
            mem.obsolete[msg.id] = _entry(msg)
    return mem


def _previous_ids(data: bytes) -> dict[str, str]:
    """msgid -> its previous msgid (the `#| msgid` of a fuzzy entry): babel's reader skips
    those lines, and a revision needs the source its old translation was made for."""
    from babel.messages.pofile import unescape  # noqa: PLC0415

    out: dict[str, str] = {}
    for block in data.decode("utf-8", "replace").split("\n\n"):
        if "#| msgid" not in block:
            continue
        prev: list[str] = []
        cur: list[str] = []
        where: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("#| msgid "):
                where, rest = prev, line[9:]
            elif line.startswith('#| "') and where is prev:
                rest = line[3:]
            elif line.startswith("msgid "):
                where, rest = cur, line[6:]
            elif line.startswith('"') and where is cur:
                rest = line
            else:
                where = None
                continue
            where.append(unescape(rest))
        if prev and cur:
            out["".join(cur)] = "".join(prev)
    return out


def _entry(msg: object, previous: str = "") -> Entry:
    comments = [c for c in msg.user_comments if c.startswith(("machine:", REVIEWED))]  # type: ignore[attr-defined]
    notes = tuple(c for c in msg.user_comments if c not in comments[:1])  # type: ignore[attr-defined]
    prev = msg.previous_id  # type: ignore[attr-defined]
    return Entry(
        source=msg.id,  # type: ignore[attr-defined]
        translation=msg.string,  # type: ignore[attr-defined]
        origin=comments[0] if comments else "",
        fuzzy=msg.fuzzy,  # type: ignore[attr-defined]
        previous=(prev[0] if isinstance(prev, list | tuple) and prev else prev or "") or previous,
        line=msg.locations[0][1] if msg.locations else 0,  # type: ignore[attr-defined]
        notes=notes,
    )


def render_memory(mem: Memory, order: list[tuple[str, int]], state: dict[str, str]) -> bytes:
    """The PO file for `mem`: entries in document order (`order`: msgid, line), then the
    entries of no unit in `order`, then the obsolete ones.

    `state` goes in the header comment, with the digest of the entries added."""
    from datetime import datetime, timezone  # noqa: PLC0415

    from babel.messages.catalog import Catalog  # noqa: PLC0415
    from babel.messages.pofile import write_po  # noqa: PLC0415

    created = mem.created or datetime.now(timezone.utc).replace(second=0, microsecond=0)
    catalog = Catalog(
        locale=None,
        project="i18n-posts",
        version=mem.source,
        fuzzy=False,
        creation_date=created,
        revision_date=created,
        header_comment="# Translation memory of i18n-posts: HEADER",
    )
    catalog.language_team = mem.locale
    seen: set[str] = set()
    # then the entries of no unit of the post (kept until sync makes them obsolete: a save in
    # the middle of a run, or `translate`, never drops what it did not translate)
    rest = [(k, e.line) for k, e in mem.entries.items()]
    for msgid, line in [*order, *rest]:
        e = mem.entries.get(msgid)
        if e is None or msgid in seen:
            continue
        seen.add(msgid)
        catalog.add(
            msgid,
            e.translation,
            locations=[(mem.source, line)],
            user_comments=([e.origin] if e.origin else []) + list(e.notes),
            flags=["fuzzy"] if e.fuzzy else [],
            previous_id=e.previous or (),
        )
    for msgid, e in mem.obsolete.items():
        if msgid not in seen:
            catalog.obsolete[msgid] = _message(e, mem.source)
    buf = io.BytesIO()
    # babel wraps at 76 columns with a regex that takes quadratic time on a long run without
    # white space (a 50,000-character one: a minute); such a file is written unwrapped
    entries = [*mem.entries.values(), *mem.obsolete.values()]
    long_run = any(_LONG_RUN.search(t) for e in entries for t in (e.source, e.translation, e.previous))
    write_po(buf, catalog, width=0 if long_run else 76, include_previous=True, sort_output=False)
    data = buf.getvalue()
    data = re.sub(rb'^"Language: .*\\n"\n', b"", data, flags=re.M)
    data = data.replace(
        b'"Language-Team:', f'"Language: {_language(mem.locale)}\\n"\n"Language-Team:'.encode(), 1
    )
    state = {**state, "entries": digest(entries_part(data))}
    line = " ".join(f"{k}={v}" for k, v in sorted(state.items()))
    header = (
        f"# Translation memory of i18n-posts for {mem.source} ({mem.locale}).\n"
        f"# Edit a msgstr and run `i18n-posts sync`: it reaches the output, nothing is sent.\n"
        f"# i18n-posts-state: {line}"
    ).encode()
    return data.replace(b"# Translation memory of i18n-posts: HEADER", header, 1)


def _message(e: Entry, source: str) -> object:
    from babel.messages.catalog import Message  # noqa: PLC0415

    return Message(
        e.source,
        e.translation,
        locations=[(source, e.line)],
        user_comments=([e.origin] if e.origin else []) + list(e.notes),
        flags=["fuzzy"] if e.fuzzy else [],
    )


def _language(code: str) -> str:
    """The `Language:` header value: gettext spells locales `zh_CN`, `en_US`, `zh_Hant`."""
    return code.replace("-", "_")
