"""`i18n-posts sync`: bring every translation of a configured repository up to date."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._console import relative
from ._repo import CONFIG_HELP, open_repo
from ._run import handled, usage


def sync(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=CONFIG_HELP,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Send nothing, write nothing; exit 1 if anything is missing or stale."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove outputs and memory of deleted posts.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite outputs whose hand edits no longer align with their source."),
    ] = False,
    shard: Annotated[str, typer.Option(help="I/N: process a deterministic 1/N of the posts.")] = "1/1",
    partial: Annotated[bool, typer.Option(help="Write posts even if some units fail.")] = False,
    max_tokens: Annotated[
        int | None,
        typer.Option(
            min=1, help="Stop before the estimated tokens would pass N (default: config max_tokens)."
        ),
    ] = None,
    max_chars: Annotated[
        int | None,
        typer.Option(min=1, help="Stop before the characters sent would pass N (default: config max_chars)."),
    ] = None,
    force_style: Annotated[
        bool,
        typer.Option(
            "--force-style",
            help="Translate again what the machine made under another style guide ([backend] style, "
            "prompt_file); a person's translations stay.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="A machine-readable report on stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and warnings.")] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List unchanged posts too, and every place of syntax a note names."
        ),
    ] = False,
) -> None:
    """Bring every translation of the repository up to date, incrementally (see i18n-posts.toml)."""
    from ..errors import UsageError
    from ..memory.state import digest
    from ..repo import config_digest
    from ..sync import SyncContext, SyncOptions, run_sync

    m = __import__("re").fullmatch(r"(\d+)/(\d+)", shard)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        usage(f"--shard expects I/N with 1 <= I <= N, got {shard!r}")
    with handled():
        cfg, gpath = open_repo(config)
        options = SyncOptions(
            check=check,
            dry_run=dry_run,
            prune=prune,
            force=force,
            shard=(int(m.group(1)), int(m.group(2))),
            partial=partial,
            max_tokens=max_tokens if max_tokens is not None else cfg.max_tokens,
            max_chars=max_chars if max_chars is not None else cfg.max_chars,
            force_style=force_style,
        )
        from ..backends.prices import split_price

        backend_name = cfg.backend.get("name", "")
        backend_opts, price = split_price(backend_name, {k: v for k, v in cfg.backend.items() if k != "name"})

    def make_backend():  # only when something must be sent
        from ..backends import load_backend

        opts = dict(backend_opts)
        name = backend_name
        if not name:
            raise UsageError(
                f"{cfg.path}: some units need translating: configure a backend "
                '([backend] name = "openai", preset = "deepseek", ... see the README)'
            )
        return load_backend(name, opts)

    import time

    from ..repo import discover, in_shard
    from ._console import Display, Spent, plural
    from ._report import render, totals

    began = time.monotonic()
    with handled():
        ctx = SyncContext(
            cfg,
            options,
            make_backend,
            digest(gpath.read_bytes()) if gpath else "-",
            config_digest(cfg),
            price=price,
        )
        planned = {
            (s, loc)
            for s in discover(cfg, strict=True)
            if in_shard(s, options.shard)
            for loc in cfg.target_locales
        }
    reports = []
    display = Display(
        len(planned),
        quiet=quiet,
        as_json=as_json,
        spent=lambda: Spent.of(ctx.runner),
    )
    ctx.on_start = lambda source, locale: display.started(f"{source} [{locale}]")
    seen: set[tuple[str, str]] = set()

    def report(r) -> None:
        reports.append(r)
        key = (r.source, r.locale)
        first = key in planned and key not in seen
        seen.add(key)
        line = ""
        if r.status == "failed":
            display.error(r.message)
        elif r.status in ("orphaned", "pruned", "stale"):
            line = f"{r.source} [{r.locale}]: {r.message or r.status}"
        elif r.status != "unchanged" or verbose:
            line = describe(r, dry_run)
        if first:
            display.finished(f"{r.source} [{r.locale}]", r.status, line)
        elif line:
            display.line(r.status, line)
        for place in r.places if verbose else ():
            display.warning(f"{r.source}: {place}")

    with handled(), display:
        stop = run_sync(ctx, report)
    spent = _spent(ctx)
    if stop is not None:
        done = sum(r.status in ("new", "changed", "rebuilt", "unchanged", "edited") for r in reports)
        not_done = sum(r.status == "failed" for r in reports)
        display.error(
            f"stopped: {stop}; {done} of {plural(len(reports), 'post')} up to date, {not_done} not done"
            " (every translation that arrived is kept in the memory: the next sync goes on from there)"
        )
    bad = [r for r in reports if r.status in ("failed", "stale")]
    ok = not bad and stop is None
    if as_json:
        total = totals([r.status for r in reports], ctx.runner, time.monotonic() - began)
        total.update(_costs(ctx))
        posts = [{**r.as_dict(), "message": relative(r.message)} for r in reports]
        typer.echo(render("sync", posts, total, ok, str(stop) if stop else None))
    else:
        counts: dict[str, int] = {}
        for r in reports:
            counts[r.status] = counts.get(r.status, 0) + 1
        # what the backend was sent (a failed post's units too); what would be, for --check and --dry-run
        sent = ctx.runner.units_sent if ctx.runner is not None else sum(r.sent for r in reports)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no posts"
        verb = "to send" if dry_run or check else "sent"
        display.summary(f"sync: {summary}; {plural(sent, 'unit')} {verb}{spent}", ok)
    raise typer.Exit(0 if ok else 1)


def describe(r, dry_run: bool) -> str:  # noqa: ANN001  (a PostReport)
    """One line about a post that sync worked on, in the reader's terms."""
    from ._console import plural

    what = [
        f"{plural(r.sent, 'unit')} {'to send' if dry_run else 'sent'}"
        + (f", {r.chars:,} characters" if r.sent else "")
    ]
    if r.reused:
        what.append(f"{r.reused} from memory")
    if r.written:
        what.append("written")
    if r.calls:  # a dry run's estimate
        what[0] += f" in {plural(r.calls, 'call')}, about {r.tokens:,} tokens"
    line = f"{r.source} -> {r.output} ({'; '.join(what)})"
    return f"{line}; {r.message}" if r.message else line


def _estimate(ctx):  # noqa: ANN001, ANN202
    """What the run used (or, for a dry run, would use), or None if it made no call."""
    from ..backends.prices import Estimate

    if ctx.options.dry_run:
        return ctx.estimate
    if ctx.runner is None:
        return None
    r = ctx.runner
    used = r.backend.usage
    if used.total:
        return Estimate(r.calls, used.prompt, used.completion, r.chars_sent)
    return Estimate(r.calls, r.tokens_in, r.tokens_estimated - r.tokens_in, r.chars_sent)  # our estimate


def _costs(ctx) -> dict:  # noqa: ANN001
    """The JSON report's cost fields (null while the price or the usage is unknown)."""
    est = _estimate(ctx)
    cost = est.cost(ctx.price) if est is not None else (0.0 if ctx.price is not None else None)
    out = {"cost": None if cost is None else round(cost, 6)}
    out["currency"] = ctx.price.currency if ctx.price is not None else None
    out["price_source"] = ctx.price.source if ctx.price is not None else None
    if ctx.options.dry_run and est is not None:
        out |= {"calls": est.calls, "tokens_estimated": est.tokens}
    return out


def _spent(ctx) -> str:  # noqa: ANN001
    """ "; took 3 calls, about 12,000 tokens, about 0.0042 USD (where the price is from)" for the
    summary line ("" when no call was made)."""
    from ..backends.prices import money
    from ._console import plural

    est = _estimate(ctx)
    if est is None or not est.calls:
        return ""
    what = "would take" if ctx.options.dry_run else "took"
    text = f"; {what} {plural(est.calls, 'call')}, about {est.tokens:,} tokens"
    cost = est.cost(ctx.price)
    if cost == 0:
        text += f", no cost ({ctx.price.source})"
    elif cost is not None:
        text += f", about {money(cost, ctx.price.currency)} ({ctx.price.source})"
    elif ctx.cfg.backend.get("name") not in (None, "", "identity", "pseudo", "command"):
        text += " (no price known: set price_input_per_mtok and price_output_per_mtok in [backend])"
    return text
