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
        )

    def make_backend():  # only when something must be sent
        from ..backends import load_backend

        opts = dict(cfg.backend)
        name = opts.pop("name", None)
        if not name:
            raise UsageError(
                f"{cfg.path}: some units need translating: configure a backend "
                '([backend] name = "openai", preset = "deepseek", ... see the README)'
            )
        return load_backend(name, opts)

    ctx = SyncContext(
        cfg, options, make_backend, digest(gpath.read_bytes()) if gpath else "-", config_digest(cfg)
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
            typer.echo(
                f"{r.status}: {r.source} -> {r.output} ({what} {r.sent} units, {r.chars} chars; "
                f"reused {r.reused}{'; wrote it' if r.written else ''})"
                + (f"; {r.message}" if r.message else "")
            )

    with handled():
        stop = run_sync(ctx, report)
    if stop is not None:
        err(f"stopped: {stop}")
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
            f"sync: {summary}; {sent} units {'to send' if dry_run or check else 'sent'}",
            err=bool(bad or stop),
        )
    raise typer.Exit(1 if bad or stop else 0)
