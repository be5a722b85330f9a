"""The pipeline: load -> segment -> memory -> translate -> check -> assemble -> write.

This is the one composition of the stages. Its steps are used by `translate` (here, in
`translate_post`) and by `sync` (`sync/post.py`, which adds what only a repository has:
hand edits of outputs, the state line, links between posts). `run_posts` is the one
scheduler: posts start as the backend's queue runs low, and a run stops for all posts when
the backend is unavailable or a budget is reached.

    post = prepare(path, segmenter)                       load, segment
    plan = reuse(post.units, memory, checks)               memory/reuse.py
    new, issues = await translator.translate_async(...)    translate (and check each answer)
    record(memory, units, new, runner.origin)              memory/reuse.py
    text = build(post, done, segmenter, rewrite)           assemble, check the document
    write_atomic(out, text)                                write
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from .assemble import assemble
from .check import CheckContext, check_document
from .errors import (
    BackendUnavailable,
    BudgetExceeded,
    PostError,
    TranslationFailed,
    UsageError,
)
from .load import load_post, parse_post
from .model import Issue, LocalizedPost, SegmentedPost
from .segment import Segmenter
from .translate import Translator
from .write import sync_dirs, write_atomic

if TYPE_CHECKING:
    from .config import Config

T = TypeVar("T")


# -- the steps ------------------------------------------------------------------------------


def prepare(path: Path, segmenter: Segmenter, data: bytes | None = None) -> SegmentedPost:
    """Load (or parse `data` read from `path`) and segment."""
    return segmenter.segment(load_post(path) if data is None else parse_post(path, data))


def build(
    post: SegmentedPost,
    done: dict[str, str],
    segmenter: Segmenter,
    rewrite: Callable[[str], str] | None = None,
    locale: str | None = None,
) -> str:
    """Assemble the translations into the post (links through `rewrite`; with `locale`, the
    front matter fields set for it) and check the result's structure; `TranslationFailed` if
    it would not be the same document."""
    text = assemble(post, done, rewrite, segmenter.options.field_values(locale) if locale else None)
    if text != post.source.text:
        issues = check_document(segmenter.md_of(post), post.source, text, post.blocks)
        if issues:
            raise failure(post.source.path, issues, post=post)
    return text


def failure(
    path: Path | str, issues: Sequence[Issue], note: str = "", post: SegmentedPost | None = None
) -> TranslationFailed:
    """The error of a post whose units (or document) still fail: the first issue, in the
    reader's terms when the post is given (messages.py), and how many more."""
    from .messages import describe  # noqa: PLC0415

    first = issues[0]
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    unit = next((u for u in post.units if u.id == first.unit_id), None) if post is not None else None
    if unit is not None and post is not None:
        said = describe(first, unit, post.source.text)
    else:
        said = f"unit {first.unit_id}: {first.message}" if first.unit_id else first.message
    return TranslationFailed(path, f"{said}{more}; not written{note}", first.line or None, tuple(issues))


# -- translate: one post, optionally with a repository's memory -------------------------------


@dataclass(frozen=True, slots=True)
class FileResult:
    """What `translate_post` did."""

    source: Path
    output: Path
    post: LocalizedPost
    written: bool
    """False when the output already held these bytes."""
    notes: tuple[str, ...] = ()
    """What the segmenter left as it is (to report)."""
    places: tuple[str, ...] = ()
    """Every place the notes speak of (`line N: what`), for `-v`."""


@dataclass(frozen=True, slots=True)
class RepoMemory:
    """The memory of a configured repository, for `translate` run inside it: a source the
    configuration translates is segmented as `sync` segments it, and its memory is read
    and fed by the same rules."""

    cfg: Config
    sources: frozenset[str]
    """The repository's source posts (POSIX paths relative to the root)."""
    segmenter: Segmenter
    """Built from the configuration's segmentation options."""

    def locate(self, path: Path, locale: str) -> tuple[Path, str] | None:
        """(memory file, source path in the repository) of `path`, if the config translates it."""
        from .repo import memory_of  # noqa: PLC0415

        if locale not in self.cfg.target_locales:
            return None
        try:
            rel = path.resolve().relative_to(self.cfg.root).as_posix()
        except ValueError:
            return None
        if rel not in self.sources:
            return None
        return self.cfg.inside(memory_of(self.cfg, rel, locale), "memory"), rel


def repo_memory(cwd: Path) -> RepoMemory | None:
    """The memory of the repository configured at `cwd`, if any."""
    from .config import find_config  # noqa: PLC0415
    from .repo import discover, segment_options  # noqa: PLC0415

    cfg = find_config(cwd)
    if cfg is None:
        return None
    return RepoMemory(cfg, frozenset(discover(cfg)), Segmenter(segment_options(cfg)))


def output_path(template: str, source: Path, locale: str) -> Path:
    """Fill `template` ({dir}, {stem}, {ext}, {name}, {locale}) for `source`."""
    from .config import template_problem  # noqa: PLC0415

    if problem := template_problem(template):
        raise UsageError(f"--output: {problem}")
    try:
        out = template.format(
            dir=str(source.parent), stem=source.stem, ext=source.suffix, name=source.name, locale=locale
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageError(f"bad --output template {template!r}: {exc}") from None
    return Path(out)


def output_of_other(
    path: Path, template: str, locales: Sequence[str], memory: RepoMemory | None
) -> str | None:
    """Why `path`, given to `translate`, is itself a translation and must not be translated
    again (`a.en.md` from a run with `{dir}/{stem}.{locale}{ext}`), or None: it is what
    `template` (naming the locale) makes of a post that exists, or an output of the
    configured repository."""
    if memory is not None:
        from .repo import output_of  # noqa: PLC0415

        try:
            rel = path.resolve().relative_to(memory.cfg.root).as_posix()
        except ValueError:
            rel = None
        for src in sorted(memory.sources) if rel is not None else ():
            if any(output_of(memory.cfg, src, loc) == rel for loc in memory.cfg.target_locales):
                return f"the translation of {src} (configured in {memory.cfg.path.name})"
    from .config import template_problem  # noqa: PLC0415

    # only a template that writes the locale into the path tells outputs apart from posts
    # (with `{dir}/{stem}2{ext}`, `p2.md` may be a post of its own: writing over it is refused)
    for locale in locales if template_problem(template) is None and "{locale}" in template else ():
        m = _template_pattern(template, locale).fullmatch(str(path))
        if m is None or "dir" not in m.groupdict():
            continue
        g = m.groupdict()
        name = g.get("name") or (g["stem"] + g.get("ext", path.suffix) if g.get("stem") else None)
        if name is None:
            continue
        source = Path(g["dir"]) / name
        if source != path and source.is_file():
            return f"the translation of {source} (--output {template!r})"
    return None


def _template_pattern(template: str, locale: str) -> re.Pattern[str]:
    """`template` as a pattern that reads its fields back from a path made with `locale`."""
    import string  # noqa: PLC0415

    field_re = {"dir": ".*", "stem": "[^/]+?", "ext": r"(?:\.[^./]*)?", "name": "[^/]+"}
    out, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name == "locale":
            out.append(re.escape(locale))
        elif name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>{field_re[name]})")
    return re.compile("".join(out))


async def translate_post(
    path: Path,
    out: Path,
    segmenter: Segmenter,
    translator: Translator,
    partial: bool = False,
    cpu: Executor | None = None,
    prepared: Callable[[], None] | None = None,
    memory: RepoMemory | None = None,
) -> FileResult:
    """Translate the post at `path` into `out`; `TranslationFailed` if units still fail
    (unless `partial`: then those units stay in the source language). With `cpu`, parsing
    and assembling run in that executor, so the event loop keeps the requests going."""
    if out.resolve() == path.resolve():
        raise UsageError(f"{path}: the output path is the source itself; choose another --output")
    locale = translator.options.target_locale
    where = memory.locate(path, locale) if memory is not None else None
    if where is not None and memory is not None:
        segmenter = memory.segmenter
    loop = asyncio.get_running_loop()
    try:
        post = await loop.run_in_executor(cpu, prepare, path, segmenter) if cpu else prepare(path, segmenter)
    finally:
        if prepared is not None:
            prepared()  # the scheduler starts the next post when the backend's queue runs low
    if where is None:
        done, issues = await translator.translate_async(post)
    else:
        done, issues = await _with_memory(post, translator, *where, memory)  # type: ignore[arg-type]
    if issues and not partial:
        raise failure(path, issues, post=post)
    if cpu:
        return await loop.run_in_executor(
            cpu, _finish, path, out, post, done, issues, segmenter, locale, translator.backend.translates
        )
    return _finish(path, out, post, done, issues, segmenter, locale, translator.backend.translates)


async def _with_memory(
    post: SegmentedPost, translator: Translator, po: Path, source: str, repo: RepoMemory
) -> tuple[dict[str, str], list[Issue]]:
    """Translate with the repository's memory: reuse what it has, store what is new (only a
    real translator's answers), keep every other entry."""
    from .memory.po import read_memory, render_memory  # noqa: PLC0415
    from .memory.reuse import record, reuse  # noqa: PLC0415
    from .repo import output_of  # noqa: PLC0415

    locale = translator.options.target_locale
    mem = read_memory(po, source, locale)
    plan = reuse(post.units, mem, CheckContext(translator.glossary))
    new, issues = await translator.translate_async(post, tuple(plan.todo), plan.previous)
    if new and translator.backend.translates:
        record(mem, {u.id: u for u in plan.todo}, new, translator.runner.origin)
        # the repository's own output may now be behind: the next sync looks at this post again
        state = {**mem.state, "src": source, "out": output_of(repo.cfg, source, locale), "source": "pending"}
        write_atomic(po, render_memory(mem, [(u.text, u.line) for u in post.units], state))
    return {**plan.done, **new}, issues


def _finish(
    path: Path,
    out: Path,
    post: SegmentedPost,
    done: dict[str, str],
    issues: list[Issue],
    segmenter: Segmenter,
    locale: str,
    translates: bool,
) -> FileResult:
    from .links import rewriter_for_copy  # noqa: PLC0415

    # the front matter says which language the copy is in, unless nothing was translated
    lang = locale if translates else None
    text = build(post, done, segmenter, rewriter_for_copy(post, done, out, segmenter.options.anchors), lang)
    result = LocalizedPost(post.source, locale, text, tuple(issues), len(post.units))
    try:
        # derived data: renamed into place without a flush each (`translate_files` syncs the
        # folders once); the memory it came from was written durably before
        written = write_atomic(out, text.encode("utf-8"), durable=False)
    except OSError as exc:
        raise PostError(path, f"cannot write {out}: {exc.strerror or exc}") from None
    return FileResult(path, out, result, written, post.notes, post.note_places)


# -- the scheduler ----------------------------------------------------------------------------

Stop = BackendUnavailable | BudgetExceeded


@dataclass(frozen=True, slots=True)
class Job(Generic[T]):
    """One post (in one locale) for `run_posts`."""

    key: T
    """What the caller knows the post by; given back with its outcome."""
    work: Callable[[Callable[[], None]], Awaitable[object]]
    """The post's work; it calls the function it is given once its parsing is done."""


async def run_posts(
    jobs: Sequence[Job[T]],
    outcome: Callable[[T, object], None],
    waiting: Callable[[], int] = lambda: 0,
    ready: int = 2,
    started: Callable[[T], None] | None = None,
) -> Stop | None:
    """Run `jobs` concurrently; `outcome(key, result or exception)` as each ends (and
    `started(key)` as each begins, for a progress display).

    Posts start while fewer than `ready` batches wait for the backend (`waiting()`) or
    posts are being parsed: enough work to keep every slot busy, without parsing far ahead
    of the requests. Returns the error that stopped the run (backend unavailable, budget
    reached), if any: posts not finished by then get it as their outcome."""
    stop: Stop | None = None
    preparing = 0
    tasks: dict[asyncio.Task[None], T] = {}
    live: set[asyncio.Task[None]] = set()
    """Tasks not seen done yet (the loop below looks at these only: a run may have 2,000)."""
    finished: set[int] = set()

    def prepared() -> None:
        nonlocal preparing
        preparing -= 1

    async def one(i: int, job: Job[T]) -> None:
        if started is not None:
            started(job.key)
        try:
            result = await job.work(prepared)
        except asyncio.CancelledError:
            raise
        except (BackendUnavailable, BudgetExceeded) as exc:
            finished.add(i)
            outcome(job.key, exc)
            raise
        except Exception as exc:  # reported per post; the others go on
            result = exc
        finished.add(i)
        outcome(job.key, result)

    async def launch() -> None:
        nonlocal preparing
        for i, job in enumerate(jobs):
            while waiting() + preparing >= ready and stop is None:
                await asyncio.sleep(0.002)
            if stop is not None:
                return
            preparing += 1
            task = asyncio.create_task(one(i, job))
            tasks[task] = job.key
            live.add(task)
            await asyncio.sleep(0)

    launcher = asyncio.create_task(launch())
    try:
        while stop is None:
            running = {t for t in live if not t.done()} | (set() if launcher.done() else {launcher})
            if not running:
                break
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            live.difference_update(done)
            for t in done:
                if t is launcher and not t.cancelled() and t.exception() is not None:
                    raise t.exception()  # type: ignore[misc]  (a bug of ours: not silence)
                exc = None if t is launcher or t.cancelled() else t.exception()
                if isinstance(exc, BackendUnavailable | BudgetExceeded):
                    stop = exc
    finally:
        launcher.cancel()
        for t in tasks:
            if not t.done():
                t.cancel()
        await asyncio.gather(launcher, *tasks, return_exceptions=True)  # also retrieves every exception
        if stop is not None:
            for i, job in enumerate(jobs):
                if i not in finished:
                    outcome(job.key, stop)
    return stop


async def translate_files(
    jobs: list[tuple[Path, Path]],
    segmenter: Segmenter,
    translator: Translator,
    report: Callable[[Path, object], None],
    partial: bool = False,
    memory: RepoMemory | None = None,
    started: Callable[[Path], None] | None = None,
) -> Stop | None:
    """Translate (source, output) pairs concurrently; `report` each outcome as it comes
    (and `started` each post as it begins)."""
    runner = translator.runner
    # With a backend that waits (network, programs), parsing and assembling run in one worker
    # thread, so the event loop answers at once; a short switch interval hands it the
    # interpreter quickly when data arrives. An in-process backend needs none of that.
    cpu = ThreadPoolExecutor(1, thread_name_prefix="i18n-posts-cpu") if runner.waits else None
    interval = sys.getswitchinterval()
    if runner.waits:
        sys.setswitchinterval(0.0005)

    written: list[Path] = []

    def outcome(src: Path, result: object) -> None:
        if isinstance(result, FileResult) and result.written:
            written.append(result.output)
        report(src, result)

    def job(src: Path, out: Path) -> Job[Path]:
        return Job(
            src,
            lambda prepared: translate_post(src, out, segmenter, translator, partial, cpu, prepared, memory),
        )

    try:
        ready = max(2, runner.options.concurrency)
        return await run_posts([job(s, o) for s, o in jobs], outcome, lambda: runner.waiting, ready, started)
    finally:
        sync_dirs(written)
        if cpu is not None:
            cpu.shutdown(wait=True, cancel_futures=True)
        sys.setswitchinterval(interval)
        await runner.aclose()
