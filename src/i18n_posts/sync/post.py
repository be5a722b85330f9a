"""One post in one locale under `sync`: the pipeline's steps (`pipeline.py`) plus what only a
repository has.

    edits   an output that is not what we wrote last was edited by a person: align it back
            to its units and store the differences as reviewed translations
    reuse   the memory's rule (memory/reuse.py)
    report  --check / --dry-run stop here
    send    what is missing goes to the translator; what passed is saved at once
    write   vanished units become obsolete; assemble, check, write; save the memory
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import PostError
from ..links.repo import link_targets, rewriter
from ..memory.po import KEPT_SOURCE, REVIEWED, Entry, Memory, read_memory, render_memory
from ..memory.reuse import Reuse, record, retire, reuse, similar
from ..memory.state import digest, text_digest
from ..messages import plural
from ..pipeline import build, failure, prepare
from ..write import write_atomic
from .links_index import presence
from .plan import Plan, SyncContext
from .report import PostReport

if TYPE_CHECKING:
    from ..model import SegmentedPost


async def sync_post(ctx: SyncContext, plan: Plan, report: PostReport) -> PostReport:
    """Bring one post's output and memory in one locale up to date."""
    cfg = ctx.cfg
    post = prepare(cfg.root / plan.source, ctx.segmenter, plan.src_bytes)
    if plan.locale == cfg.target_locales[0]:  # said once for the post, not once a locale
        for note in post.notes:
            _say(report, note)
        report.places = list(post.note_places)
    mem = read_memory(plan.po_path, plan.source, plan.locale)
    if plan.out_bytes is None:  # no output yet: made from scratch, or rebuilt from the memory
        report.status = "rebuilt" if mem.entries else "new"
    else:
        report.status = "changed"
    if not mem.entries and not plan.po_path.exists():
        adopt_renamed(ctx, plan, post, mem, report)
    take_edits(ctx, plan, post, mem, report)
    from ..check import CheckContext  # noqa: PLC0415

    restyle = ctx.style_tag if ctx.options.force_style else None
    todo = reuse(post.units, mem, CheckContext(ctx.glossary(plan.locale)), restyle)
    report.reused = len(todo.done)
    from ..locales import source_script  # noqa: PLC0415

    script = source_script(cfg.source_locale)
    needed = [u for u in todo.todo if script is None or script.search(u.text)]
    sent = {u.id for u in needed}
    report.chars = sum(len(u.text) for u in needed)
    if not ctx.options.writes:
        return _report_only(ctx, plan, post, todo, needed, report)
    for u in todo.todo:
        if u.id not in sent:  # nothing of the source language in it: it stays as it is
            todo.done[u.id] = u.text
    if needed:
        await _send(ctx, plan, post, mem, todo, needed, report)
    retire(mem, todo.vanished, {u.text for u in post.units})
    links = rewriter(ctx, plan.source, plan.locale, post, todo.done)
    text = build(post, todo.done, ctx.segmenter, links, plan.locale)
    data = text.encode("utf-8")
    report.written = write_atomic(plan.out_path, data, ctx.tmp)
    targets = link_targets(post, plan.source)
    if ctx.links is not None:
        ctx.links.record(plan.source, targets)
    state = {**plan.state, "output": digest(data), "posts": presence(targets, ctx.sources)}
    # on_unit_failure = "keep-source": what the translator left in the source language
    path, kept = post.source.path, []
    if needed:  # (only then is there a translator)
        kept = sorted(
            (w for p, w in ctx.translator(plan.locale).kept_source if p == path), key=lambda w: w.line
        )
    if kept:
        _say(report, f"{plural(len(kept), 'unit')} kept in the source language (line {kept[0].line}...)")
        state["source"] = "pending"  # the next sync sends them again
        by_id = {u.id: u for u in post.units}
        for w in kept:  # in the memory as fuzzy and empty, with why: for status and reviewers
            u = by_id[w.unit_id]
            mem.entries[u.text] = Entry(
                u.text,
                "",
                KEPT_SOURCE,
                fuzzy=True,
                line=u.line,
                notes=(f"why: {' '.join(w.message.split())[:300]}",),
            )
    saved = _save(ctx, mem, post, state)
    if report.status == "changed" and not (report.written or saved or report.sent or report.reviewed):
        report.status = "unchanged"  # read again (--force, a new config) and found as it was
    return report


def copy_of(ctx: SyncContext, plan: Plan, post: SegmentedPost, done: dict[str, str]) -> str:
    """The output as sync writes it with translations `done` (unchecked)."""
    from ..assemble import assemble  # noqa: PLC0415

    links = rewriter(ctx, plan.source, plan.locale, post, done)
    return assemble(post, done, links, ctx.segmenter.options.field_values(plan.locale))


def take_edits(ctx: SyncContext, plan: Plan, post: SegmentedPost, mem: Memory, report: PostReport) -> None:
    """An output that differs from what we wrote last holds a person's edits: store them."""
    if plan.out_bytes is None or (
        plan.last is not None and plan.last.get("output") == digest(plan.out_bytes)
    ):
        return
    from ..align import align  # noqa: PLC0415
    from ..load import parse_post  # noqa: PLC0415

    try:
        aligned = align(
            post,
            parse_post(plan.out_path, plan.out_bytes),
            ctx.segmenter,
            lambda tr: copy_of(ctx, plan, post, tr),
        )
        problem = aligned.problem
    except PostError as exc:
        aligned, problem = None, exc.reason
    if problem and not ctx.options.force:
        raise PostError(
            plan.out_path,
            f"edited by hand and no longer matches {plan.source} ({problem}); "
            "not overwritten (fix it, or run sync --force to replace it)",
        )
    if aligned is None or problem:
        return
    current = {u.text for u in post.units}
    vanished = {k: e for k, e in mem.entries.items() if k not in current}
    notes: list[str] = []
    had_memory = bool(mem.entries)
    for u in post.units:
        t = aligned.translations[u.id]
        e = mem.get(u.text)
        if t == u.text or (e is not None and not e.fuzzy and e.translation == t):
            continue
        if e is not None and e.machine_digest == text_digest(t):
            continue  # the output still holds what the machine wrote: the PO file's edit stands
        if e is None and had_memory:
            # the unit's source changed too: the output holds an edit of the old translation
            old = similar(u.text, vanished)
            if old is None or old.translation == t:
                continue  # not edited: the old translation is in the memory already
            mem.entries[u.text] = Entry(u.text, t, REVIEWED, fuzzy=True, previous=old.source, line=u.line)
            notes.append(
                f"line {u.line}: edited while its source changed; the edit is kept (fuzzy) and revised"
            )
            report.reviewed += 1
            continue
        kept: tuple[str, ...] = ()
        if e is not None and not e.fuzzy and e.reviewed and e.machine_digest is not None:
            # edited in the PO file and in the output: the output's version is used, the PO
            # file's is kept beside it
            kept = (f"conflict: the PO file said: {e.translation}",)
            notes.append(f"line {u.line}: edited in both {plan.out_path.name} and the PO file; "
                         "the output's version is used, the PO file's is kept as a comment")  # fmt: skip
        mem.entries[u.text] = Entry(u.text, t, REVIEWED, line=u.line, notes=kept)
        report.reviewed += 1
    if report.reviewed:
        report.status = "edited"
        s = "s" if report.reviewed > 1 else ""
        for note in [f"{report.reviewed} hand edit{s} stored as reviewed", *notes]:
            _say(report, note)


def adopt_renamed(ctx: SyncContext, plan: Plan, post: SegmentedPost, mem: Memory, report: PostReport) -> None:
    """A new post that is an old one renamed (most of its units are in the memory of a post
    whose source is gone) takes that memory: nothing paid for or reviewed is lost."""
    texts = {u.text for u in post.units}
    if not texts:
        return
    best, score = None, 0.8
    for src, locale, _, po in ctx.orphans:
        if locale != plan.locale:
            continue
        old = read_memory(ctx.cfg.root / po, src, locale)
        share = len(texts & old.entries.keys()) / len(texts)
        if share >= score:
            best, score = old, share
    if best is None:
        return
    mem.entries.update(best.entries)
    mem.obsolete.update(best.obsolete)
    _say(report, f"renamed from {best.source}: its memory is reused")


def _report_only(
    ctx: SyncContext, plan: Plan, post: SegmentedPost, todo: Reuse, needed: list, report: PostReport
) -> PostReport:
    """--check and --dry-run: what is missing or stale, nothing sent or written."""
    report.sent = len(needed)
    if needed and ctx.options.dry_run:
        from ..backends.prices import Estimate  # noqa: PLC0415

        est = Estimate.of(ctx.planner(plan.locale).plan(post, needed))
        report.calls, report.tokens = est.calls, est.tokens
        ctx.estimate = est if ctx.estimate is None else ctx.estimate + est
    elif needed:
        report.status = "stale"
        where = plan.po_path.relative_to(ctx.cfg.root)
        report.message = f"{plural(len(needed), 'unit')} without a translation in {where}"
    elif report.reviewed:
        report.status = "stale"
        report.message = "the output was edited by hand; sync stores the edits in the memory"
    elif not todo.todo:
        text = copy_of(ctx, plan, post, todo.done)
        if plan.out_bytes is None or text.encode() != plan.out_bytes:
            report.status = "stale"
            report.message = (
                "the output is missing" if plan.out_bytes is None else "the output is out of date"
            )
        else:
            report.status = "unchanged"
    return report


async def _send(
    ctx: SyncContext,
    plan: Plan,
    post: SegmentedPost,
    mem: Memory,
    todo: Reuse,
    needed: list,
    report: PostReport,
) -> None:
    """Translate what is missing; keep what was paid for at once."""
    tr = ctx.translator(plan.locale)
    units = {u.id: u for u in needed}
    last = plan.last.get("output", "") if plan.last else ""
    # the output is still the one written last (its digest stays), and "source=pending" makes
    # the next run look at this post again
    pending = {**plan.state, "source": "pending", "output": last}

    saver = _Saver(lambda: _save(ctx, mem, post, pending))

    def keep(answers: dict[str, str]) -> None:  # each batch's answers, saved as they arrive
        record(mem, units, answers, tr.runner.origin)
        saver.changed()

    if todo.previous:
        saver.changed()  # the starting points of the revisions
    try:
        new, issues = await tr.translate_async(post, tuple(needed), todo.previous, keep)
    finally:
        saver.flush()  # also when the run is stopped (Ctrl-C, SIGTERM, a budget)
    todo.done.update(new)
    report.sent = len(needed)
    if issues and not ctx.options.partial:
        raise failure(
            ctx.cfg.root / plan.source, issues, " (the translations that passed are kept in the memory)", post
        )


_CHEAP = 0.05
"""Seconds: a save that costs less is never put off."""


class _Saver:
    """Saves the memory as answers arrive. A costly save (a post of thousands of units) is made
    at most once per ten times its cost, so saves take at most a tenth of the run: one that
    comes too soon is made a little later (a timer), so even a killed run loses only the
    answers of the last moments; cheap saves are always made at once."""

    def __init__(self, save: Callable[[], None]) -> None:
        self.save = save
        self.cost = 0.0
        self.last = float("-inf")
        self.timer: asyncio.TimerHandle | None = None
        self.dirty = False
        self.saves = 0

    def changed(self) -> None:
        self.dirty = True
        # a save of a few milliseconds is always made at once (a killed run loses nothing that
        # arrived); only a costly one (a post of thousands of units) waits its turn
        wait = self.last + 10 * self.cost - time.monotonic() if self.cost > _CHEAP else 0
        if wait <= 0:
            self.flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(wait, self.flush)

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.dirty:
            return
        started = time.monotonic()
        self.save()
        self.dirty = False
        self.last = time.monotonic()
        # the first save also loads the PO writer: its time says nothing of the next ones
        self.cost = self.last - started if self.saves else 0.0
        self.saves += 1


def _say(report: PostReport, note: str) -> None:
    report.message = f"{report.message}; {note}" if report.message else note


def _save(ctx: SyncContext, mem: Memory, post: SegmentedPost, state: dict[str, str]) -> bool:
    """Write the memory; False if the file already held it."""
    return write_atomic(mem.path, render_memory(mem, [(u.text, u.line) for u in post.units], state), ctx.tmp)
