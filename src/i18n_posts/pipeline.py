"""The pipeline for one post: load -> segment -> translate -> check -> assemble -> write,
and for many posts at once (`translate_files`), concurrently, sharing the backend's slots.

`translate_file` is the whole job for one file; it returns what happened and raises only
`PostError` (this post failed), `BackendUnavailable` or `BudgetExceeded` (stop the run).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .assemble import assemble
from .check import check_document
from .errors import (
    BackendUnavailable,
    BudgetExceeded,
    I18nPostsError,
    PostError,
    TranslationFailed,
    UsageError,
)
from .load import load_post
from .model import Issue, LocalizedPost, SegmentedPost
from .segment import Segmenter
from .translate import Translator
from .write import write_atomic

DEFAULT_OUTPUT = "{dir}/{stem}.{locale}{ext}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What `translate_file` did."""

    source: Path
    output: Path
    post: LocalizedPost
    written: bool
    """False when the output already held these bytes."""


def output_path(template: str, source: Path, locale: str) -> Path:
    """Fill `template` ({dir}, {stem}, {ext}, {name}, {locale}) for `source`."""
    try:
        out = template.format(
            dir=str(source.parent), stem=source.stem, ext=source.suffix, name=source.name, locale=locale
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageError(f"bad --output template {template!r}: {exc}") from None
    return Path(out)


def translate_file(
    path: Path, out: Path, segmenter: Segmenter, translator: Translator, partial: bool = False
) -> FileResult:
    """Translate the post at `path` into `out`; raise `TranslationFailed` if units still fail
    (unless `partial`: then those units stay in the source language)."""
    return asyncio.run(translate_file_async(path, out, segmenter, translator, partial))


async def translate_file_async(
    path: Path,
    out: Path,
    segmenter: Segmenter,
    translator: Translator,
    partial: bool = False,
    cpu: Executor | None = None,
    prepared: Callable[[], None] | None = None,
    memory: Callable[[Path], tuple[Path, str] | None] | None = None,
) -> FileResult:
    """`translate_file`, inside a running event loop. With `cpu`, parsing and assembling run
    in that executor, so the loop keeps the backend's requests going meanwhile."""
    if out.resolve() == path.resolve():
        raise UsageError(f"{path}: the output path is the source itself; choose another --output")
    loop = asyncio.get_running_loop()
    try:
        post = (
            await loop.run_in_executor(cpu, _prepare, path, segmenter) if cpu else _prepare(path, segmenter)
        )
    finally:
        if prepared is not None:
            prepared()  # the pipeline starts the next post when the backend's queue runs low
    where = memory(path) if memory is not None else None
    if where is None:
        done, issues = await translator.translate_async(post)
    else:  # inside a configured repository: reuse its memory and add to it
        done, issues = await _with_memory(post, translator, *where)
    if cpu:
        return await loop.run_in_executor(
            cpu, _finish, path, out, post, done, issues, segmenter, translator, partial
        )
    return _finish(path, out, post, done, issues, segmenter, translator, partial)


async def _with_memory(
    post: SegmentedPost, translator: Translator, po: Path, source: str
) -> tuple[dict[str, str], list[Issue]]:
    from .check import CheckContext, check_unit  # noqa: PLC0415
    from .memory import Entry, read_memory, render_memory  # noqa: PLC0415
    from .write import write_atomic  # noqa: PLC0415

    locale = translator.options.target_locale
    mem = read_memory(po, source, locale)
    ctx = CheckContext(translator.glossary)
    done = {
        u.id: e.translation
        for u in post.units
        if (e := mem.get(u.text)) and not e.fuzzy and (e.reviewed or not check_unit(u, e.translation, ctx))
    }
    new, issues = await translator.translate_async(post, tuple(u for u in post.units if u.id not in done))
    if new:
        name = getattr(translator.backend, "name", "backend")
        for u in post.units:
            if u.id in new and new[u.id] != u.text:
                mem.entries[u.text] = Entry(u.text, new[u.id], f"machine: {name}", line=u.line)
        # the repository's own output may now be behind: let the next sync look at it
        write_atomic(
            po, render_memory(mem, [(u.text, u.line) for u in post.units], {**mem.state, "source": "pending"})
        )
    return {**done, **new}, issues


def _prepare(path: Path, segmenter: Segmenter) -> SegmentedPost:
    return segmenter.segment(load_post(path))


def _finish(
    path: Path,
    out: Path,
    post: SegmentedPost,
    done: dict[str, str],
    issues: list[Issue],
    segmenter: Segmenter,
    translator: Translator,
    partial: bool,
) -> FileResult:
    source = post.source
    if issues and not partial:
        raise _failed(path, issues)
    from .links import rewriter_for_copy  # noqa: PLC0415

    text = assemble(post, done, rewriter_for_copy(post, done, out))
    if text != source.text:
        doc = check_document(segmenter.md, source, text, post.blocks)
        if doc:
            raise _failed(path, doc)
    result = LocalizedPost(source, translator.options.target_locale, text, tuple(issues), len(post.units))
    try:
        written = write_atomic(out, text.encode("utf-8"))
    except OSError as exc:
        raise PostError(path, f"cannot write {out}: {exc.strerror or exc}") from None
    return FileResult(path, out, result, written)


def _failed(path: Path, issues: list[Issue]) -> TranslationFailed:
    first = issues[0]
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    unit = f"unit {first.unit_id}: " if first.unit_id else ""
    return TranslationFailed(path, f"{unit}{first.message}{more}; not written", first.line or None)


Outcome = FileResult | I18nPostsError | Exception
"""What became of one file: its result, or the error that stopped it."""


def memory_locator(cwd: Path, locale: str) -> Callable[[Path], tuple[Path, str] | None] | None:
    """When `cwd` is a configured repository: a function giving the memory file (and the
    source's path in the repository) of a post that the configuration translates."""
    from .config import find_config  # noqa: PLC0415
    from .repo import discover, memory_of  # noqa: PLC0415

    cfg = find_config(cwd)
    if cfg is None or locale not in cfg.target_locales:
        return None
    sources = set(discover(cfg))

    def locate(path: Path) -> tuple[Path, str] | None:
        try:
            rel = path.resolve().relative_to(cfg.root).as_posix()
        except ValueError:
            return None
        return (cfg.inside(memory_of(cfg, rel, locale), "memory"), rel) if rel in sources else None

    return locate


async def translate_files(
    jobs: list[tuple[Path, Path]],
    segmenter: Segmenter,
    translator: Translator,
    report: Callable[[Path, Outcome], None],
    partial: bool = False,
    memory: Callable[[Path], tuple[Path, str] | None] | None = None,
) -> I18nPostsError | None:
    """Translate (source, output) pairs concurrently; `report` each outcome as it comes.

    Returns the error that stopped the run (backend unavailable, budget reached), if any;
    files not finished by then are reported with it and not written."""
    stop: I18nPostsError | None = None
    ready = max(2, translator.options.concurrency)
    # With a backend that waits (network, programs), parsing and assembling run in one worker
    # thread, so the event loop answers at once; a short switch interval hands it the
    # interpreter quickly when data arrives. An in-process backend needs none of that.
    waits = hasattr(translator.backend, "translate_async") or getattr(translator.backend, "blocking", False)
    cpu = ThreadPoolExecutor(1, thread_name_prefix="i18n-posts-cpu") if waits else None
    interval = sys.getswitchinterval()
    if waits:
        sys.setswitchinterval(0.0005)

    preparing = 0

    def prepared() -> None:
        nonlocal preparing
        preparing -= 1

    async def one(src: Path, out: Path) -> None:
        try:
            result = await translate_file_async(
                src, out, segmenter, translator, partial, cpu, prepared, memory
            )
            report(src, result)
        except (BackendUnavailable, BudgetExceeded) as exc:
            report(src, exc)
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # reported per file; the others go on
            report(src, exc)

    async def launch() -> None:
        # Posts start when the backend is about to run out of queued batches: enough work
        # to keep every slot busy, without parsing far ahead of the requests.
        nonlocal preparing
        for s, o in jobs:
            while translator.waiting + preparing >= ready and stop is None:
                await asyncio.sleep(0.002)
            if stop is not None:
                return
            preparing += 1
            tasks[asyncio.create_task(one(s, o))] = s
            await asyncio.sleep(0)

    tasks: dict[asyncio.Task[None], Path] = {}
    launcher = asyncio.create_task(launch())
    try:
        while stop is None:
            waiting = [t for t in tasks if not t.done()] + ([] if launcher.done() else [launcher])
            if not waiting:
                break
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                exc = None if t is launcher or t.cancelled() else t.exception()
                if isinstance(exc, BackendUnavailable | BudgetExceeded):
                    stop = exc
    finally:
        launcher.cancel()
        pending = [t for t in tasks if not t.done()]
        for t in pending:
            t.cancel()
        await asyncio.gather(launcher, *tasks, return_exceptions=True)  # also retrieves every exception
        if stop is not None:
            started = set(tasks.values())
            for t in pending:
                report(tasks[t], stop)
            for s, _ in jobs:
                if s not in started:
                    report(s, stop)
        if cpu is not None:
            cpu.shutdown(wait=True, cancel_futures=True)
        sys.setswitchinterval(interval)
        close = getattr(translator.backend, "aclose", None)
        if close is not None:
            await close()
    return stop
