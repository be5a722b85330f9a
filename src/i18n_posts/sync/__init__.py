"""`sync`: plan and run the pipeline over a repository, incrementally, with a memory.

For each source post (config `include`/`exclude`) and target locale: if the hashes in its
PO file's state line still match the source, the output, the entries, the glossary and the
config, the post is unchanged and is not even parsed. Otherwise it is segmented; an output
that differs from what we wrote last is aligned back to its units and the differences are
stored as reviewed translations (a person's edits are never lost); remembered translations
that still pass the checks are reused; the rest are sent to the backend (a unit whose
source changed goes with its previous translation, to be revised); the memory is saved as
soon as a post's translations arrive; the output is assembled and written only if its bytes
change. Orphans (memory files whose source is gone) are reported, and removed with --prune.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..config import Config
from ..errors import BackendUnavailable, BudgetExceeded, ConfigError, I18nPostsError, PostError
from ..links.repo import rewriter
from ..memory.state import digest, read_state, text_digest
from ..repo import discover, in_shard, memory_of, orphans, output_of
from .digests import FileDigests

Status = Literal["unchanged", "new", "changed", "edited", "orphaned", "failed", "stale", "pruned"]


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """How to run."""

    check: bool = False
    """Send nothing, write nothing: report what is missing or stale."""
    dry_run: bool = False
    """Send nothing, write nothing: report what would be sent."""
    prune: bool = False
    """Remove outputs and memory of posts whose source is gone."""
    force: bool = False
    """Overwrite outputs edited by hand that no longer align with their source."""
    shard: tuple[int, int] = (1, 1)
    """(I, N): process the I-th of N deterministic parts of the posts."""
    partial: bool = False
    """Write posts even if some units fail."""


@dataclass(slots=True)
class PostReport:
    """What happened to one post in one locale."""

    source: str
    locale: str
    output: str
    status: Status
    sent: int = 0
    """Units sent to the backend."""
    chars: int = 0
    """Characters of unit text to send (dry run) or sent."""
    reused: int = 0
    """Units taken from the memory."""
    reviewed: int = 0
    """Hand edits of the output taken into the memory."""
    written: bool = False
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


@dataclass
class SyncContext:
    """Shared by the posts of a run; heavy parts are made on first use."""

    cfg: Config
    options: SyncOptions
    make_translator: Callable[[], Any]
    glossary_digest: str
    config_digest: str
    _segmenter: Any = None
    _translator: Any = None
    _glossary: Any = None
    posts: dict[str, dict[str, str]] = field(default_factory=dict)
    """locale -> {source path: output path} for every source (links to other posts)."""
    anchor_cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    digests: Any = None
    """A `FileDigests`, when the run may use one."""
    posts_digest: str = ""
    """Digest of the set of posts: links between posts change when one is added or removed."""
    relink: set[tuple[str, str]] = field(default_factory=set)
    """Posts whose links into another post were written before that post had a translation."""

    @property
    def segmenter(self) -> Any:
        if self._segmenter is None:
            from ..segment import Segmenter, SegmentOptions  # noqa: PLC0415

            opts = SegmentOptions(front_matter_keys=self.cfg.front_matter_keys)
            if self.cfg.attributes:
                opts = SegmentOptions(
                    self.cfg.front_matter_keys,
                    {k.lower(): frozenset(v) for k, v in self.cfg.attributes.items()},
                )
            self._segmenter = Segmenter(opts)
        return self._segmenter

    @property
    def translator(self) -> Any:
        if self._translator is None:
            self._translator = self.make_translator()
        return self._translator


def quick_check(
    ctx: SyncContext, source: str, locale: str, force: bool = False
) -> tuple[PostReport, tuple[Any, ...]]:
    """(report, ()) if the post is unchanged (nothing parsed), else (report, what the slow path needs)."""
    cfg, opts = ctx.cfg, ctx.options
    out_rel = output_of(cfg, source, locale)
    out_path = cfg.inside(out_rel, "output")
    po_path = cfg.inside(memory_of(cfg, source, locale), "memory")
    src_path = cfg.root / source
    if out_path == src_path:
        raise ConfigError(cfg.path, f"the output of {source} would be the source itself")
    report = PostReport(source, locale, out_rel, "unchanged")
    files = ctx.digests
    src_digest = files.file(src_path) if files else None
    st = files.state(po_path) if files else None
    state = {
        "src": source,
        "out": out_rel,
        "source": src_digest,
        "glossary": ctx.glossary_digest,
        "config": ctx.config_digest,
        "posts": ctx.posts_digest,
    }
    if (
        st is not None
        and not (opts.force or force)
        and all(st[0].get(k) == v for k, v in state.items())
        and st[0].get("entries") == st[1]
        and st[0].get("output") == files.file(out_path)
    ):
        return report, ()  # nothing changed: not even parsed
    src_bytes = src_path.read_bytes()
    out_bytes = out_path.read_bytes() if out_path.is_file() else None
    state["source"] = digest(src_bytes)
    return report, (src_bytes, out_bytes, out_path, po_path, read_state(po_path), state)


async def sync_post(ctx: SyncContext, source: str, locale: str) -> PostReport:
    """Bring one post's output and memory in `locale` up to date (see the module docstring)."""
    report, slow = quick_check(ctx, source, locale)
    return await _slow(ctx, source, locale, report, *slow) if slow else report


async def _slow(
    ctx: SyncContext,
    source: str,
    locale: str,
    report: PostReport,
    src_bytes: bytes,
    out_bytes: bytes | None,
    out_path: Path,
    po_path: Path,
    st: tuple[dict[str, str], str] | None,
    state: dict[str, str],
) -> PostReport:
    from ..align import align  # noqa: PLC0415
    from ..assemble import assemble  # noqa: PLC0415
    from ..check import CheckContext, check_document, check_unit  # noqa: PLC0415
    from ..load import parse_post  # noqa: PLC0415
    from ..memory import REVIEWED, Entry, read_memory, render_memory  # noqa: PLC0415
    from ..write import write_atomic  # noqa: PLC0415

    cfg, opts = ctx.cfg, ctx.options
    post = ctx.segmenter.segment(parse_post(cfg.root / source, src_bytes))
    mem = read_memory(po_path, source, locale)
    report.status = "new" if not mem.entries and out_bytes is None else "changed"

    # 1. an output that is not what we wrote last: a person edited it
    if out_bytes is not None and (st is None or st[0].get("output") != digest(out_bytes)):
        try:
            aligned = align(
                post,
                parse_post(out_path, out_bytes),
                ctx.segmenter,
                lambda tr: rewriter(ctx, source, locale, post, tr),
            )
            problem = aligned.problem
        except PostError as exc:
            aligned, problem = None, exc.reason
        if problem and not opts.force:
            raise PostError(
                out_path,
                f"edited by hand and no longer matches {source} ({problem}); "
                "not overwritten (fix it, or run sync --force to replace it)",
            )
        if aligned is not None and not problem:
            had_memory = bool(mem.entries)
            for u in post.units:
                t = aligned.translations[u.id]
                e = mem.get(u.text)
                if t == u.text or (e is not None and not e.fuzzy and e.translation == t):
                    continue
                if e is None and had_memory:
                    continue  # this unit's source changed: the output holds the old translation
                mem.entries[u.text] = Entry(u.text, t, REVIEWED, line=u.line)
                report.reviewed += 1
            if report.reviewed:
                report.status = "edited"

    # 2. what the memory has, and what must be sent
    gl = ctx.translator.glossary if ctx._translator is not None else _glossary(ctx)
    check_ctx = CheckContext(gl)
    current = {u.text for u in post.units}
    vanished = {k: e for k, e in mem.entries.items() if k not in current}
    done: dict[str, str] = {}
    todo = []
    previous: dict[str, tuple[str, str]] = {}
    for u in post.units:
        e = mem.get(u.text)
        if e is not None and not e.fuzzy:
            issues = check_unit(u, e.translation, check_ctx)
            if e.reviewed and not [i for i in issues if i.code in ("placeholder", "structure")]:
                done[u.id] = e.translation  # a person's translation: glossary issues are theirs to judge
                report.reused += 1
                continue
            if e.reviewed:
                raise PostError(
                    po_path,
                    f"the reviewed translation of line {u.line} is broken: {issues[0].message}; "
                    "fix the msgstr (or delete the entry to have it translated again)",
                )
            if not issues:
                done[u.id] = e.translation
                report.reused += 1
                continue
        todo.append(u)
        prev = e if e is not None and e.fuzzy else _similar(u.text, vanished, mem.obsolete)
        if prev is not None:
            old = prev.previous or prev.source
            previous[u.id] = (old, prev.translation)
            mem.entries[u.text] = Entry(
                u.text, prev.translation, prev.origin, fuzzy=True, previous=old, line=u.line
            )
    from ..translate import SOURCE_SCRIPTS  # noqa: PLC0415

    script = SOURCE_SCRIPTS.get(cfg.source_locale)
    needed = [u for u in todo if script is None or script.search(u.text)]
    report.chars = sum(len(u.text) for u in needed)

    if opts.check or opts.dry_run:
        report.sent = len(needed)
        if needed and opts.dry_run:
            report.message = f"would send {len(needed)} unit(s), {report.chars} characters"
        elif needed:
            report.status = "stale"
            report.message = f"{len(needed)} unit(s) without a translation in {po_path.relative_to(cfg.root)}"
        elif report.reviewed:
            report.status = "stale"
            report.message = "the output was edited by hand; sync stores the edits in the memory"
        elif not todo:
            text = assemble(post, done, rewrite=rewriter(ctx, source, locale, post, done))
            if out_bytes is None or text.encode() != out_bytes:
                report.status = "stale"
                report.message = "the output is missing" if out_bytes is None else "the output is out of date"
            else:
                report.status = "unchanged"
        return report

    # 3. translate what is missing; keep what was paid for at once
    for u in todo:
        if u not in needed:  # nothing of the source language in it: it stays as it is
            done[u.id] = u.text
    if needed:
        tr = ctx.translator
        new, issues = await tr.translate_async(post, tuple(needed), previous)
        origin = f"machine: {getattr(tr.backend, 'name', 'backend')}"
        model = getattr(tr.backend, "model", "")
        origin += f"/{model}" if model else ""
        by_id = {u.id: u for u in needed}
        for uid, t in new.items():
            u = by_id[uid]
            mem.entries[u.text] = Entry(
                u.text, t, f"{origin} #{text_digest(t)}" if t != u.text else "", line=u.line
            )
            done[uid] = t
        report.sent = len(needed)
        if new or previous:
            # what was paid for is kept now; the output is still the one written last (its
            # digest stays), and "source=pending" makes the next run look at this post again
            last = st[0].get("output", "") if st else ""
            _save(
                po_path, render_memory(mem, _order(post), {**state, "source": "pending", "output": last}), cfg
            )
        if issues and not opts.partial:
            first = issues[0]
            raise PostError(
                cfg.root / source,
                f"unit {first.unit_id}: {first.message} (and {len(issues) - 1} more); "
                "not written (the translations that passed are kept in the memory)",
                first.line or None,
            )

    # 4. vanished units become the obsolete entries of this change
    if vanished:
        mem.obsolete = {k: v for k, v in vanished.items() if k not in current}
        for k in vanished:
            mem.entries.pop(k, None)

    # 5. assemble, check, write
    text = assemble(post, done, rewrite=rewriter(ctx, source, locale, post, done))
    if text != post.source.text:
        issues = check_document(ctx.segmenter.md, post.source, text, post.blocks)
        if issues:
            raise PostError(
                cfg.root / source,
                f"the translation would change the document structure: {issues[0].message}; not written",
                issues[0].line or None,
            )
    data = text.encode("utf-8")
    report.written = write_atomic(out_path, data, _tmp(cfg))
    _save(po_path, render_memory(mem, _order(post), {**state, "output": digest(data)}), cfg)
    return report


def _tmp(cfg: Config) -> Path:
    return cfg.root / cfg.memory / ".tmp"


def _save(path: Path, data: bytes, cfg: Config) -> None:
    from ..write import write_atomic  # noqa: PLC0415

    write_atomic(path, data, _tmp(cfg))


def _order(post: Any) -> list[tuple[str, int]]:
    return [(u.text, u.line) for u in post.units]


def _glossary(ctx: SyncContext) -> Any:
    if ctx._glossary is None:
        from ..glossary import Glossary, load_glossary  # noqa: PLC0415

        g = ctx.cfg.glossary
        ctx._glossary = (
            load_glossary(ctx.cfg.inside(g, "glossary"), ctx.cfg.source_locale, ctx.cfg.target_locales[0])
            if g
            else Glossary.of(())
        )
    return ctx._glossary


def _similar(text: str, *pools: dict[str, Any]) -> Any:
    """The remembered entry whose source is most like `text` (at least 60% alike)."""
    import difflib  # noqa: PLC0415

    best, score = None, 0.6
    for pool in pools:
        for src, e in pool.items():
            m = difflib.SequenceMatcher(None, text, src, autojunk=False)
            if m.real_quick_ratio() > score and m.quick_ratio() > score:
                r = m.ratio()
                if r > score:
                    best, score = e, r
    return best


def run_sync(ctx: SyncContext, report: Callable[[PostReport], None]) -> I18nPostsError | None:
    """Sync every post of the repository (this shard) in every locale; `report` each outcome.

    Unchanged posts are told apart first, without parsing them or starting an event loop."""
    cfg, opts = ctx.cfg, ctx.options
    tmp = _tmp(cfg)
    if tmp.is_dir() and not (opts.check or opts.dry_run):
        for stray in tmp.iterdir():  # left by a run that was killed mid-write
            stray.unlink(missing_ok=True)
    sources = discover(cfg)
    if ctx.digests is None:
        ctx.digests = FileDigests(cfg.root)
    for locale in cfg.target_locales:
        ctx.posts[locale] = {s: output_of(cfg, s, locale) for s in sources}
    ctx.posts_digest = digest("\n".join(sources).encode())[:8]
    slow: list[tuple[str, str, PostReport, tuple[Any, ...]]] = []
    for s in sources:
        for locale in cfg.target_locales:
            cfg.inside(output_of(cfg, s, locale), "output")
            if not in_shard(s, opts.shard):
                continue
            try:
                r, rest = quick_check(ctx, s, locale)
            except I18nPostsError as exc:
                report(PostReport(s, locale, output_of(cfg, s, locale), "failed", message=str(exc)))
                continue
            if rest:
                slow.append((s, locale, r, rest))
            else:
                report(r)
    stop = None
    if slow:
        import asyncio  # noqa: PLC0415  (a no-op sync never needs it)

        stop = asyncio.run(_run_slow(ctx, slow, report))
    ctx.digests.save()
    for src, locale, out, po in orphans(cfg, sources, ctx.digests):
        if opts.prune and not (opts.check or opts.dry_run):
            for rel in (out, po):
                if rel:
                    p = cfg.inside(rel, "output")
                    if p.is_file():
                        p.unlink()
            report(PostReport(src, locale, out, "pruned", message=f"removed {out} and {po}"))
        else:
            report(
                PostReport(
                    src,
                    locale,
                    out,
                    "orphaned",
                    message=f"source is gone; `sync --prune` removes {out} and {po}",
                )
            )
    return stop


async def _run_slow(
    ctx: SyncContext,
    jobs: list[tuple[str, str, PostReport, tuple[Any, ...]]],
    report: Callable[[PostReport], None],
) -> I18nPostsError | None:
    import asyncio  # noqa: PLC0415

    cfg = ctx.cfg
    stop: I18nPostsError | None = None
    finished: set[tuple[str, str]] = set()

    async def one(source: str, locale: str, r: PostReport, rest: tuple[Any, ...]) -> None:
        try:
            result = await _slow(ctx, source, locale, r, *rest)
            ctx.anchor_cache.pop((source, locale), None)  # its headings may be translated now
            report(result)
        except (BackendUnavailable, BudgetExceeded):
            raise
        except I18nPostsError as exc:
            report(PostReport(source, locale, output_of(cfg, source, locale), "failed", message=str(exc)))
        finished.add((source, locale))

    tasks: list[asyncio.Task[None]] = []
    limit = max(2, 2 * cfg.concurrency)
    try:
        for job in jobs:
            while sum(1 for t in tasks if not t.done()) >= limit:
                await asyncio.wait([t for t in tasks if not t.done()], return_when=asyncio.FIRST_COMPLETED)
                _raise_stop(tasks)
            tasks.append(asyncio.create_task(one(*job)))
        while any(not t.done() for t in tasks):
            await asyncio.wait([t for t in tasks if not t.done()], return_when=asyncio.FIRST_COMPLETED)
            _raise_stop(tasks)
        _raise_stop(tasks)
        # links into posts that had no translation yet when they were written
        for source, locale in sorted(ctx.relink):
            ctx.relink.discard((source, locale))
            r, rest = quick_check(ctx, source, locale, force=True)
            result = await _slow(ctx, source, locale, r, *rest)
            if result.written:
                report(result)
    except (BackendUnavailable, BudgetExceeded) as exc:
        stop = exc
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # also retrieves every exception
        if stop is not None:
            for source, locale, r, _ in jobs:
                if (source, locale) not in finished:
                    report(
                        PostReport(source, locale, r.output, "failed", message=f"{source}: not done ({stop})")
                    )
        if ctx._translator is not None:
            close = getattr(ctx._translator.backend, "aclose", None)
            if close is not None:
                await close()
    return stop


def _raise_stop(tasks: list[Any]) -> None:
    for t in tasks:
        if t.done() and not t.cancelled() and isinstance(t.exception(), BackendUnavailable | BudgetExceeded):
            raise t.exception()
