"""`i18n-posts status`: where every translation of the repository stands (sync/status.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._repo import CONFIG_HELP, open_repo
from ._run import handled, usage

STATE_STYLES = {
    "up to date": "green",
    "stale": "yellow",
    "missing": "yellow",
    "edited": "magenta",
    "orphaned": "yellow",
    "failed": "bold red",
}


def status(
    locale: Annotated[
        str | None, typer.Option("--locale", help="Only this target locale (default: every one).")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A machine-readable report on stdout.")] = False,
) -> None:
    """Show where every post stands in every locale, and how much is reviewed.

    Up to date, stale (N units without a translation), missing, edited by hand, orphaned;
    the shares of reviewed and machine translations. Sends and writes nothing; exit 0."""
    from ..memory.state import digest
    from ..repo import config_digest
    from ..sync import SyncContext, SyncOptions
    from ..sync.status import repository_status

    with handled():
        cfg, gpath = open_repo(config)
        if locale is not None and locale not in cfg.target_locales:
            usage(
                f"--locale {locale}: not a target locale of {cfg.path.name} ({', '.join(cfg.target_locales)})"
            )

        def no_backend():  # noqa: ANN202  (status never sends)
            raise AssertionError("status sends nothing")

        ctx = SyncContext(
            cfg,
            SyncOptions(check=True),
            no_backend,
            digest(gpath.read_bytes()) if gpath else "-",
            config_digest(cfg),
        )
        rows = [s for s in repository_status(ctx) if locale is None or s.locale == locale]
    rows.sort(key=lambda s: (s.source, s.locale))
    if as_json:
        typer.echo(_json(rows))
    else:
        _table(rows)
    raise typer.Exit(0)


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _state(s: Any) -> str:
    if s.state == "stale" and s.stale_units:
        kept = f" ({s.origins.kept_source} kept in the source language)" if s.origins.kept_source else ""
        return f"stale: {s.stale_units} unit{'s' if s.stale_units != 1 else ''}{kept}"
    if s.state == "edited":
        return "edited by hand"
    return s.state


def _totals(rows: list[Any]) -> dict[str, Any]:
    states: dict[str, int] = {}
    for s in rows:
        states[s.state] = states.get(s.state, 0) + 1
    entries = sum(s.origins.entries for s in rows)
    reviewed = sum(s.origins.reviewed for s in rows)
    machine = sum(s.origins.machine for s in rows)
    return {
        "posts": len({s.source for s in rows}),
        "locales": len({s.locale for s in rows}),
        "states": dict(sorted(states.items())),
        "stale_units": sum(s.stale_units for s in rows),
        "kept_source": sum(s.origins.kept_source for s in rows),
        "entries": entries,
        "reviewed": reviewed,
        "machine": machine,
        "reviewed_pct": round(100 * reviewed / entries, 1) if entries else None,
        "machine_pct": round(100 * machine / entries, 1) if entries else None,
    }


def _json(rows: list[Any]) -> str:
    import json

    from ._report import SCHEMA

    posts = [
        {
            "source": s.source,
            "locale": s.locale,
            "output": s.output,
            "state": s.state,
            "stale_units": s.stale_units,
            "kept_source": s.origins.kept_source,
            "entries": s.origins.entries,
            "reviewed": s.origins.reviewed,
            "machine": s.origins.machine,
            "message": s.message,
        }
        for s in rows
    ]
    doc = {"schema": SCHEMA, "command": "status", "totals": _totals(rows), "posts": posts}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _table(rows: list[Any]) -> None:
    """Aligned columns, the same on a terminal (coloured) and in a log."""
    from ._console import _console, _Plain, plural

    head = ("post", "locale", "state", "reviewed", "machine")
    body = [
        (s.source, s.locale, _state(s), _pct(s.origins.reviewed, s.origins.entries),
         _pct(s.origins.machine, s.origins.entries))
        for s in rows
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def line(cells: tuple[str, ...]) -> str:
        left = [c.ljust(w) for c, w in zip(cells[:3], widths, strict=False)]
        right = [c.rjust(w) for c, w in zip(cells[3:], widths[3:], strict=False)]
        return "  ".join(left + right).rstrip()

    out = _console(False)

    def say(text: str, style: str = "", span: tuple[int, int] | None = None) -> None:
        if isinstance(out, _Plain):
            return out.line(text)
        from rich.text import Text

        t = Text(text, style="" if span else style)
        if span:
            t.stylize(style, *span)
        out.print(t)

    say(line(head), "bold")
    for s, cells in zip(rows, body, strict=True):
        start = sum(widths[:2]) + 4
        say(line(cells), STATE_STYLES.get(s.state, ""), (start, start + len(cells[2])))
    t = _totals(rows)
    states = ", ".join(f"{n} {k}" for k, n in t["states"].items()) or "no posts"
    share = f"; {t['reviewed_pct']:g}% reviewed, {t['machine_pct']:g}% machine" if t["entries"] else ""
    say(f"total: {plural(t['posts'], 'post')} x {plural(t['locales'], 'locale')}: {states}{share}")
