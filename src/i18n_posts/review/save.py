"""One reviewer's edit of one unit, into the repository: checked by the rules of sync, stored
in the post's PO file as a reviewed entry (the entry a hand edit gets), and the post synced
(sync's own steps, `sync/post.py`, with nothing sent) so that its output is reassembled and
written atomically. The next `sync` finds the post unchanged and keeps the edit.

Edits never overwrite each other: each save holds the repository's lock (`sync/lock.py`,
so a running sync and a second server wait their turn), reads the PO file again and
changes only its own entry, so two tabs editing other units of one post both keep their
edits; an edit whose unit was changed since its page was loaded (by another tab, or a sync)
is refused with a message saying so, never silently replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check import CheckContext, check_unit
from ..errors import I18nPostsError, PostError
from ..memory.po import REVIEWED, Entry, read_memory, render_memory
from ..pipeline import prepare
from ..repo import memory_of, output_of
from .collect import BLOCKING, PostReview, collect_post

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Issue, SegmentedPost, Unit
    from ..sync import SyncContext


class EditRefused(I18nPostsError):
    """A save that cannot be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save did."""

    review: PostReview
    """The post as it is now."""
    written: bool
    """The output was rewritten (False: it already held these bytes, or could not be built)."""
    message: str
    """What happened to the output, for the reviewer."""


def find_unit(ctx: SyncContext, source: str, uid: str, msgid: str) -> tuple[SegmentedPost, Unit]:
    """The post `source` and its unit `uid`, which must still have the source text `msgid`."""
    post = prepare(ctx.cfg.inside(source, "source"), ctx.segmenter)
    for u in post.units:
        if u.id == uid:
            if u.text != msgid:
                break
            return post, u
    raise EditRefused(f"{source} changed since this page was loaded (its unit {uid} is not the same); reload")


def check_edit(ctx: SyncContext, source: str, locale: str, unit: Unit, text: str) -> list[Issue]:
    """The issues of `text` as the translation of `unit` (sync's checks)."""
    return check_unit(unit, text, CheckContext(ctx.glossary(locale)))


def save_edit(
    ctx: SyncContext, source: str, locale: str, uid: str, msgid: str, text: str, base: str
) -> Saved:
    """Store `text` as the reviewed translation of unit `uid` (source text `msgid`) and sync
    the post. `base` is the translation the reviewer started from: if the memory holds
    another one now (and not `text`), the save is refused."""
    from ..sync.lock import RepoLock  # noqa: PLC0415

    cfg = ctx.cfg
    with RepoLock(cfg.inside(cfg.memory, "memory")) as lock:
        ctx.tmp = lock.tmp
        try:
            post, unit = find_unit(ctx, source, uid, msgid)
            blocking = [i for i in check_edit(ctx, source, locale, unit, text) if i.code in BLOCKING]
            if blocking:
                raise EditRefused(f"not saved: {blocking[0].message}")
            po = cfg.inside(memory_of(cfg, source, locale), "memory")
            if _edited_by_hand(ctx, source, locale, po):
                # sync's rule first: a person's edits of the output go into the memory, so that
                # this save neither replaces them nor is replaced by them
                _sync(ctx, source, locale)
            mem = read_memory(po, source, locale)
            e = mem.get(msgid)
            now = e.translation if e is not None else ""
            if now != base and now != text:
                raise EditRefused(
                    f"line {unit.line} was changed since this page was loaded (in another tab, or by sync); "
                    f"it now reads: {now!r}. Reload the page to see it, then edit again"
                )
            mem.entries[msgid] = Entry(msgid, text, REVIEWED, line=unit.line)
            # "source=pending": should the sync below stop, the next sync looks at this post again
            state = {**mem.state, "src": source, "source": "pending"}
            from ..write import write_atomic  # noqa: PLC0415

            write_atomic(po, render_memory(mem, [(u.text, u.line) for u in post.units], state), lock.tmp)
            written, message = _sync(ctx, source, locale)
        finally:
            ctx.tmp = None  # the lock's folder goes with the lock
    return Saved(collect_post(ctx, source, locale), written, message)


def _edited_by_hand(ctx: SyncContext, source: str, locale: str, po: Path) -> bool:
    """The output is not the one sync wrote last (sync/post.py's `take_edits` rule)."""
    from ..memory.state import digest, read_state  # noqa: PLC0415

    out = ctx.cfg.inside(output_of(ctx.cfg, source, locale), "output")
    if not out.is_file():
        return False
    st = read_state(po)
    return st is None or st[0].get("output") != digest(out.read_bytes())


def _sync(ctx: SyncContext, source: str, locale: str) -> tuple[bool, str]:
    """Sync one post as `sync` does (nothing is sent: the backend is never made)."""
    import asyncio  # noqa: PLC0415

    from ..errors import UsageError  # noqa: PLC0415
    from ..sync import plan_post  # noqa: PLC0415
    from ..sync.post import sync_post  # noqa: PLC0415

    ctx.anchor_cache.clear()  # headings may read differently now
    report, plan = plan_post(ctx, source, locale, force=True)
    assert plan is not None  # force: always planned
    try:
        report = asyncio.run(sync_post(ctx, plan, report))
    except UsageError:  # the backend was asked for: units without a translation
        return False, "saved in the memory; the output is not rebuilt until sync translates the rest"
    except PostError as exc:
        return False, f"saved in the memory; the output is not rebuilt: {exc}"
    finally:
        ctx.relink.clear()
    return report.written, f"{report.output} {'rewritten' if report.written else 'already up to date'}"
