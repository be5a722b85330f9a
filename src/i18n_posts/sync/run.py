"""`sync` over a repository: discover the posts, tell the unchanged ones apart without parsing
them, run the others through the pipeline (the one scheduler, `pipeline.run_posts`), link
again the posts that linked into a post before it had a translation, report orphans."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import BackendUnavailable, BudgetExceeded, I18nPostsError, TranslationFailed
from ..repo import discover, in_shard, orphans, output_of
from .digests import FileDigests
from .plan import Plan, SyncContext, plan_post
from .report import PostReport


def run_sync(ctx: SyncContext, report: Callable[[PostReport], None]) -> I18nPostsError | None:
    """Sync every post of the repository (this shard) in every locale; `report` each outcome.

    Unchanged posts are told apart first, without parsing them or starting an event loop.
    Returns the error that stopped the run (backend unavailable, budget reached), if any."""
    if not ctx.options.writes:
        return _run(ctx, report)  # --check, --dry-run: nothing written, no lock
    from .lock import RepoLock  # noqa: PLC0415

    with RepoLock(ctx.cfg.inside(ctx.cfg.memory, "memory")) as lock:
        ctx.tmp = lock.tmp
        return _run(ctx, report)


def _run(ctx: SyncContext, report: Callable[[PostReport], None]) -> I18nPostsError | None:
    cfg, opts = ctx.cfg, ctx.options
    sources = discover(cfg, strict=True)
    if ctx.digests is None:
        ctx.digests = FileDigests(cfg.root)
    for locale in cfg.target_locales:
        ctx.posts[locale] = {s: output_of(cfg, s, locale) for s in sources}
    ctx.sources = frozenset(sources)
    if ctx.links is None:
        from .links_index import NAME, LinksIndex  # noqa: PLC0415

        ctx.links = LinksIndex(cfg.inside(cfg.memory, "memory") / NAME)
    slow: list[tuple[PostReport, Plan]] = []
    for s in sources:
        for locale in cfg.target_locales:
            cfg.inside(output_of(cfg, s, locale), "output")
            if not in_shard(s, opts.shard):
                continue
            try:
                r, plan = plan_post(ctx, s, locale)
            except I18nPostsError as exc:
                report(PostReport(s, locale, output_of(cfg, s, locale), "failed", message=str(exc)))
                continue
            except OSError as exc:  # e.g. the output path is a folder, a file cannot be read
                message = f"{s}: cannot read {exc.filename or 'a file'}: {exc.strerror or exc}"
                report(PostReport(s, locale, output_of(cfg, s, locale), "failed", message=message))
                continue
            if plan is not None:
                slow.append((r, plan))
            else:
                report(r)
    stop = None
    if slow:
        import asyncio  # noqa: PLC0415  (a no-op sync never needs it)

        ctx.check_locales()
        ctx.orphans = orphans(cfg, sources, ctx.digests.state)
        stop = asyncio.run(_run_slow(ctx, slow, report))
    ctx.digests.save()
    if opts.writes:
        ctx.links.drop_missing(ctx.sources)
        ctx.links.save(ctx.tmp)
    for src, locale, out, po in orphans(cfg, sources, ctx.digests.state):
        if opts.prune and opts.writes:
            keep = {cfg.path.resolve(), *(cfg.inside(s, "source") for s in sources)}
            for rel in (out, po):
                p = cfg.inside(rel, "output")
                if p.is_file() and not p.is_symlink() and p not in keep:
                    p.unlink()
            report(PostReport(src, locale, out, "pruned", message=f"removed {out} and {po}"))
        else:
            message = f"source is gone; `sync --prune` removes {out} and {po}"
            report(PostReport(src, locale, out, "orphaned", message=message))
    return stop


async def _run_slow(
    ctx: SyncContext, jobs: list[tuple[PostReport, Plan]], report: Callable[[PostReport], None]
) -> I18nPostsError | None:
    from ..pipeline import Job, run_posts  # noqa: PLC0415
    from .post import sync_post  # noqa: PLC0415

    def job(r: PostReport, plan: Plan) -> Job[tuple[PostReport, Plan]]:
        async def work(prepared: Callable[[], None]) -> PostReport:
            if ctx.on_start is not None:
                ctx.on_start(plan.source, plan.locale)
            prepared()  # parsing is cheap beside a call: start the next post at once
            return await sync_post(ctx, plan, r)

        return Job((r, plan), work)

    def outcome(key: tuple[PostReport, Plan], result: object) -> None:
        r, plan = key
        if isinstance(result, PostReport):
            ctx.anchor_cache.pop((plan.source, plan.locale), None)  # its headings may be translated now
            report(result)
        elif isinstance(result, BackendUnavailable | BudgetExceeded):
            report(
                PostReport(
                    plan.source,
                    plan.locale,
                    r.output,
                    "failed",
                    message=f"{plan.source}: not done, the run stopped first",
                )
            )
        elif isinstance(result, I18nPostsError):
            failed = PostReport(plan.source, plan.locale, r.output, "failed", message=str(result))
            if isinstance(result, TranslationFailed):
                failed.problems = [
                    {"line": i.line, "unit": i.unit_id, "code": i.code, "message": i.message}
                    for i in result.issues
                ]
            report(failed)
        elif isinstance(result, OSError):  # a full or read-only disk, a folder where a file goes
            where = result.filename or r.output
            message = f"{plan.source}: cannot write {where}: {result.strerror or result}"
            report(PostReport(plan.source, plan.locale, r.output, "failed", message=message))
        else:  # a bug of ours: the post fails, the run goes on, and the report says so
            message = f"{plan.source}: internal error ({type(result).__name__}: {result}); please report it"
            report(PostReport(plan.source, plan.locale, r.output, "failed", message=message))

    try:
        stop = await run_posts(
            [job(r, p) for r, p in jobs],
            outcome,
            lambda: ctx.runner.waiting if ctx.runner is not None else 0,
            max(2, 2 * ctx.cfg.concurrency),
        )
        if stop is None:
            # links into posts that had no translation yet when they were written
            for source, locale in sorted(ctx.relink):
                ctx.relink.discard((source, locale))
                r, plan = plan_post(ctx, source, locale, force=True)
                if plan is None:
                    continue
                try:
                    result = await sync_post(ctx, plan, r)
                except (BackendUnavailable, BudgetExceeded) as exc:
                    stop = exc
                    break
                if result.written:
                    report(result)
        return stop
    finally:
        if ctx.runner is not None:
            await ctx.runner.aclose()
