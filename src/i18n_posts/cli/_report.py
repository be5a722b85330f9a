"""The JSON report of `translate --json` and `sync --json`: one shape for both.

    {"schema": 1, "command": "sync", "ok": true, "stopped": null,
     "totals": {"posts": {"new": 2, "unchanged": 87}, "units_sent": 14, "chars_sent": 2310,
                "tokens": 1804, "tokens_estimated": 1950, "calls": 3, "duration_s": 4.2,
                "cost": null},
     "posts": [{"source": ..., "status": ..., ...}, ...]}

`tokens` is what the service reported (null when it reports nothing), `tokens_estimated`
our estimate of what was sent and received; `cost` is null while it is unknown. A change
that removes or renames a field raises `SCHEMA`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SCHEMA = 1


def totals(
    statuses: Sequence[str],
    runner: Any | None,
    duration: float,
) -> dict[str, Any]:
    """The totals of a run: posts by status, what was sent (through `runner`, if one was made)."""
    by_status: dict[str, int] = {}
    for s in statuses:
        by_status[s] = by_status.get(s, 0) + 1
    reported = runner.backend.usage.total if runner is not None else 0
    return {
        "posts": dict(sorted(by_status.items())),
        "units_sent": runner.units_sent if runner is not None else 0,
        "chars_sent": runner.chars_sent if runner is not None else 0,
        "tokens": reported or None,
        "tokens_estimated": runner.tokens_estimated if runner is not None else 0,
        "calls": runner.calls if runner is not None else 0,
        "duration_s": round(duration, 3),
        "cost": None,
    }


def render(
    command: str,
    posts: list[dict[str, Any]],
    total: dict[str, Any],
    ok: bool,
    stopped: str | None,
) -> str:
    """The report as JSON text."""
    import json  # noqa: PLC0415

    doc = {"schema": SCHEMA, "command": command, "ok": ok, "stopped": stopped}
    doc |= {"totals": total, "posts": posts}
    return json.dumps(doc, ensure_ascii=False, indent=2)
