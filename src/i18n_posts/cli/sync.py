"""`i18n-posts sync`: bring every translation of a configured repository up to date."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._run import err, handled, usage


def sync(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Config file (default: ./i18n-posts.toml or \\[tool.i18n-posts] in ./pyproject.toml).",
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
    as_json: Annotated[bool, typer.Option("--json", help="A machine-readable report on stdout.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List unchanged posts too.")] = False,
) -> None:
    """Bring every translation of the repository up to date, incrementally (see i18n-posts.toml)."""
    from ..config import find_config
    from ..errors import ConfigError, UsageError
    from ..memory.state import digest
    from ..repo import config_digest
    from ..sync import SyncContext, SyncOptions, run_sync

    m = __import__("re").fullmatch(r"(\d+)/(\d+)", shard)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        usage(f"--shard expects I/N with 1 <= I <= N, got {shard!r}")
    with handled():
        cfg = find_config(Path.cwd(), config)
        if cfg is None:
            raise UsageError(
                "no i18n-posts.toml here (nor [tool.i18n-posts] in pyproject.toml); "
                "run from the repository root or give --config FILE"
            )
        gpath = cfg.inside(cfg.glossary, "glossary") if cfg.glossary else None
        if gpath is not None and not gpath.is_file():
            raise ConfigError(cfg.path, f"glossary {cfg.glossary!r} not found")
        options = SyncOptions(
            check=check,
            dry_run=dry_run,
            prune=prune,
            force=force,
            shard=(int(m.group(1)), int(m.group(2))),
            partial=partial,
            max_tokens=max_tokens if max_tokens is not None else cfg.max_tokens,
            max_chars=max_chars if max_chars is not None else cfg.max_chars,
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

    ctx = SyncContext(
        cfg,
        options,
        make_backend,
        digest(gpath.read_bytes()) if gpath else "-",
        config_digest(cfg),
        price=price,
    )
    reports = []

    def report(r) -> None:
        reports.append(r)
        if as_json:
            return
        if r.status == "failed":
            err(r.message)
        elif r.status in ("orphaned", "pruned", "stale") or (r.status == "edited"):
            typer.echo(f"{r.status}: {r.source} [{r.locale}] {r.message}")
        elif r.status != "unchanged" or verbose:
            what = "would send" if dry_run else "sent"
            calls = f" in {r.calls} call(s), about {r.tokens} tokens" if r.calls else ""
            typer.echo(
                f"{r.status}: {r.source} -> {r.output} ({what} {r.sent} units, {r.chars} chars{calls}; "
                f"reused {r.reused}{'; wrote it' if r.written else ''})"
                + (f"; {r.message}" if r.message else "")
            )

    with handled():
        stop = run_sync(ctx, report)
    spent = _spent(ctx)
    if stop is not None:
        done = sum(r.status in ("new", "changed", "unchanged", "edited") for r in reports)
        failed_now = [r for r in reports if r.status == "failed"]
        err(
            f"stopped: {stop}; {done} of {len(reports)} post(s) up to date, {len(failed_now)} not done"
            " (every translation that arrived is kept in the memory: the next sync goes on from there)"
        )
    bad = [r for r in reports if r.status in ("failed", "stale")]
    if as_json:
        import json

        typer.echo(
            json.dumps(
                {
                    "posts": [r.as_dict() for r in reports],
                    "stopped": str(stop) if stop else None,
                    "ok": not bad and stop is None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        counts: dict[str, int] = {}
        for r in reports:
            counts[r.status] = counts.get(r.status, 0) + 1
        sent = sum(r.sent for r in reports)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no posts"
        typer.echo(
            f"sync: {summary}; {sent} units {'to send' if dry_run or check else 'sent'}{spent}",
            err=bool(bad or stop),
        )
    raise typer.Exit(1 if bad or stop else 0)


def _spent(ctx) -> str:  # noqa: ANN001
    """ ", in 3 calls, about 12000 tokens, about 0.0042 USD (price: ...)" for the summary line."""
    from ..backends.prices import Estimate, money

    if ctx.options.dry_run:
        est = ctx.estimate or Estimate()
        tokens, calls, what = est.tokens, est.calls, "would take"
    elif ctx.runner is not None:
        r = ctx.runner
        used = r.backend.usage
        est = Estimate(r.calls, used.prompt, used.completion, r.chars_sent)
        if not used.total:  # the service reports no usage: our estimate
            est = Estimate(r.calls, r.tokens_in, r.tokens_estimated - r.tokens_in, r.chars_sent)
        tokens, calls, what = est.tokens, est.calls, "took"
    else:
        return ""
    if not calls:
        return ""
    text = f"; {what} {calls} call(s), about {tokens} tokens"
    cost = est.cost(ctx.price)
    if cost == 0:
        text += f", no cost ({ctx.price.source})"
    elif cost is not None:
        text += f", about {money(cost, ctx.price.currency)} ({ctx.price.source})"
    elif ctx.cfg.backend.get("name") not in (None, "", "identity", "pseudo", "command"):
        text += " (no price known: set price_input_per_mtok and price_output_per_mtok in [backend])"
    return text
