"""The `i18n-posts` command: one module per command, mounted here. The only package that
prints or exits; errors map to exit codes in one place (`_run.handled`).

Exit codes: 0 all done, 1 some file failed (or the backend gave up), 2 usage or config error.
Heavy modules are imported inside the commands so that `--help` and `--version` start fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__

app = typer.Typer(
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Translate Markdown blog posts byte-exactly: only the prose changes.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"i18n-posts {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """i18n-posts: faithful localized copies of Markdown posts."""


def _mount() -> None:
    from . import glossary, review, segments, status, sync, translate
    from ._help import EPILOGS

    app.command("translate", epilog=EPILOGS["translate"])(translate.translate)
    app.command("segments", epilog=EPILOGS["segments"])(segments.segments)
    app.command("sync", epilog=EPILOGS["sync"])(sync.sync)
    app.command("status", epilog=EPILOGS["status"])(status.status)
    app.command("review", epilog=EPILOGS.get("review"))(review.review)
    app.add_typer(glossary.app, name="glossary", help="Glossary tools: lint, extract candidates, report.")


_mount()


def main() -> None:
    app()
