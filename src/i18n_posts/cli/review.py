"""`i18n-posts review`: a bilingual review page per post and an index (static files), or
`--serve` them on 127.0.0.1, where edits are saved into the memory as reviewed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._run import Terminated, handled


def review(
    posts: Annotated[
        list[Path] | None, typer.Argument(help="Posts to review (default: every post of the config).")
    ] = None,
    locale: Annotated[
        list[str] | None, typer.Option("--locale", help="Target locale (default: every configured one).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder of the static report (default: build/review).")
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="Serve the pages on 127.0.0.1 and save edits into the memory.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve (0: a free one).", min=0, max=65535)] = 0,
    config: Annotated[Path | None, typer.Option("--config", help="Config file (as for sync).")] = None,
) -> None:
    """Review translations: source and translation side by side, with the checks and the glossary."""
    from ..config import find_config
    from ..errors import UsageError
    from ..review import review_context, select, write_report

    with handled():
        cfg = find_config(Path.cwd(), config)
        if cfg is None:
            raise UsageError(
                "no i18n-posts.toml here (nor [tool.i18n-posts] in pyproject.toml); "
                "run from the repository root or give --config FILE"
            )
        locales = list(locale or cfg.target_locales)
        for loc in locales:
            if loc not in cfg.target_locales:
                raise UsageError(f"--locale {loc}: not a target locale of {cfg.path.name}")
        ctx = review_context(cfg)
        sources = select(ctx, posts or [], Path.cwd())
        if serve:
            from ..review.server import serve_forever

            def started(url: str) -> None:
                typer.echo(f"review: serving {len(sources)} post(s) at {url}")
                typer.echo("(the token in the address is needed for every page and save; Ctrl-C stops)")

            try:
                serve_forever(ctx, sources, locales, port, started)
            except (KeyboardInterrupt, Terminated):  # the way to stop a server: not an error
                typer.echo("review: stopped")
            return
        folder = out if out is not None else cfg.root / "build" / "review"
        report = write_report(ctx, sources, locales, folder)
    units = sum(len(r.units) for r in report.reviews)
    issues = sum(r.count("failing", "warned") for r in report.reviews)
    pages = len(report.pages)
    typer.echo(f"review: {pages} page(s), {units} units, {issues} with issues; open {report.index}")
