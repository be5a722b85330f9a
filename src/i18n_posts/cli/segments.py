"""`i18n-posts segments FILE`: the translatable units of a post."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._run import handled


def segments(
    file: Annotated[Path, typer.Argument(help="A post.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the translatable units of a post."""
    import json

    from ..load import load_post
    from ..segment import segment

    with handled():
        post = segment(load_post(file))
    if as_json:
        data = [
            {
                "id": u.id,
                "kind": u.kind,
                "line": u.line,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "placeholders": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "label": p.label,
                        "source": post.source.text[p.start : p.end],
                    }
                    for p in u.placeholders
                ],
            }
            for u in post.units
        ]
        typer.echo(json.dumps({"file": str(file), "units": data}, ensure_ascii=False, indent=2))
        return
    for u in post.units:
        typer.echo(f"{u.id:>5} {u.line:>4} {u.kind:<15} {u.text!r}")
    typer.echo(f"{len(post.units)} units", err=True)
