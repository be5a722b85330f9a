"""`sync --json`'s report, read defensively (fields may be added: `schema`, `totals`, tokens,
cost), and the Markdown job summary made of it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Mode = Literal["sync", "check", "preview"]

STATUSES = ("new", "changed", "edited", "unchanged", "stale", "failed", "orphaned", "pruned")
"""The statuses a summary counts, in the order it shows them."""

_BUDGET = re.compile(r"max[-_ ](tokens|chars)|budget", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Problem:
    """One failing unit of a failed post."""

    line: int | None
    """1-based line of the unit in the source."""
    message: str


@dataclass(frozen=True, slots=True)
class PostLine:
    """One post in one locale, as the report tells it."""

    source: str
    locale: str
    output: str
    status: str
    units: int
    """Units sent (sync) or to send (check, preview)."""
    chars: int
    written: bool
    message: str
    tokens: float | None
    """Tokens used or estimated, when the report gives them per post."""
    calls: float | None = None
    """Backend calls made or needed, when the report gives them per post."""
    problems: tuple[Problem, ...] = ()
    """A failed post's failing units, when the report lists them."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one `sync --json` run said."""

    posts: tuple[PostLine, ...]
    stopped: str | None
    """Why the run stopped early (a budget, a backend that is gone), if it did."""
    tokens: float | None
    """Tokens the service reported or, failing that, our estimate; None if unknown."""
    cost: float | None
    currency: str
    calls: float | None = None
    duration: float | None = None
    """Seconds the run took."""

    @property
    def budget_stop(self) -> bool:
        """The run stopped at its budget: the work so far is kept, the rest waits."""
        return self.stopped is not None and bool(_BUDGET.search(self.stopped))

    def count(self, *statuses: str) -> int:
        return sum(1 for p in self.posts if p.status in statuses)

    def not_done(self) -> tuple[PostLine, ...]:
        """Failed posts that only wait for a run with budget left (a budget stop's leftovers)."""
        if not self.budget_stop:
            return ()
        return tuple(p for p in self.posts if p.status == "failed" and "not done" in p.message)

    def failed(self) -> tuple[PostLine, ...]:
        """Posts that failed for a reason of their own."""
        waiting = set(self.not_done())
        return tuple(p for p in self.posts if p.status == "failed" and p not in waiting)


def read_report(data: Any) -> SyncReport:
    """The report in `data` (parsed JSON); ValueError if it is not a sync report."""
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise ValueError("not a sync --json report (no list of posts)")
    posts = tuple(_post(p) for p in data["posts"] if isinstance(p, dict))
    totals = data.get("totals") if isinstance(data.get("totals"), dict) else {}
    # the totals when they count something, else the posts' own counts (a dry run estimates
    # per post, and the totals of a run that sent nothing are zeros)
    tokens = _first(totals, "tokens", "tokens_estimated", "estimated_tokens") or _sum(p.tokens for p in posts)
    calls = _first(totals, "calls") or _sum(p.calls for p in posts)
    cost, currency = _cost(_pick(totals, "cost", "estimated_cost", "cost_estimated") or data.get("cost"))
    currency = str(totals.get("currency") or currency)
    stopped = data.get("stopped")
    duration = _first(totals, "duration_s", "duration")
    return SyncReport(posts, str(stopped) if stopped else None, tokens, cost, currency, calls, duration)


def counts(report: SyncReport, sep: str = ", ") -> str:
    """ "2 new, 87 unchanged, 1 left for the next run" (a budget's leftovers are not failures)."""
    waiting = len(report.not_done())
    counted = [(s, report.count(s) - (waiting if s == "failed" else 0)) for s in STATUSES]
    counted += [("left for the next run", waiting)]
    return sep.join(f"{n} {s}" for s, n in counted if n) or "no posts"


def summary(report: SyncReport, mode: Mode, problems: list[str]) -> str:
    """The job summary: counts, units, tokens, cost, then the posts that need a look."""
    title = {"sync": "i18n-posts sync", "check": "i18n-posts check", "preview": "i18n-posts preview"}[mode]
    waiting = len(report.not_done())
    units = sum(p.units for p in report.posts)
    chars = sum(p.chars for p in report.posts)
    verb = "sent" if mode == "sync" else "to send"
    lines = [f"### {title}", "", f"**Posts**: {counts(report, ' · ')}", ""]
    lines.append(f"**Units {verb}**: {units} ({chars:,} characters)")
    if report.calls:
        lines.append(f"  · **calls**: {report.calls:,.0f}")
    tokens = f"about {report.tokens:,.0f}" if report.tokens else "0" if not units else "not reported"
    lines.append(f"  · **tokens**: {tokens}")
    cost = "unknown (no price configured)" if report.cost is None else f"{report.cost:.4f} {report.currency}"
    lines.append(f"  · **estimated cost**: {cost}")
    if report.duration is not None:
        lines.append(f"  · **took**: {report.duration:.1f} s")
    lines.append("")
    if report.stopped:
        done = report.count("new", "changed", "edited")
        left = f"{done} post(s) done, {waiting} left for the next run"
        lines += [f"> **Stopped**: {report.stopped}. {left}.", ""]
    missing = [f"`{p.source}` ({p.locale})" for p in report.posts if p.status == "new"]
    if missing and mode != "sync":
        more = f", and {len(missing) - 50} more" if len(missing) > 50 else ""
        lines += [f"**Without a translation yet** ({len(missing)}): {', '.join(missing[:50])}{more}", ""]
    if problems:
        lines += ["**Problems**", "", *[f"- {_cell(p)}" for p in problems], ""]
    shown = [p for p in report.posts if p.status != "unchanged"]
    if shown:
        head = "would send" if mode != "sync" else "sent"
        lines += [f"| post | locale | status | units {head} | characters | note |"]
        lines += ["|---|---|---|--:|--:|---|"]
        left = set(report.not_done())
        for p in shown[:200]:
            note = p.message or ("no translation yet" if p.status == "new" and mode != "sync" else "")
            status = "left for the next run" if p in left else p.status
            lines.append(
                f"| `{p.source}` | {p.locale} | {status} | {p.units} | {p.chars:,} | {_cell(note)} |"
            )
        if len(shown) > 200:
            lines.append(f"| ... {len(shown) - 200} more (see the report) | | | | | |")
        lines.append("")
    if mode == "preview" and units:
        lines.append("Nothing was sent: the translations are made by `sync` after the merge.")
    return "\n".join(lines) + "\n"


def _post(p: dict[str, Any]) -> PostLine:
    return PostLine(
        source=str(p.get("source", "?")),
        locale=str(p.get("locale", "")),
        output=str(p.get("output", "")),
        status=str(p.get("status", "")),
        units=int(_number(p.get("sent")) or 0),
        chars=int(_number(p.get("chars")) or 0),
        written=bool(p.get("written")),
        message=str(p.get("message") or ""),
        tokens=_first(p, "tokens", "tokens_estimated", "estimated_tokens"),
        calls=_first(p, "calls"),
        problems=tuple(_problem(x) for x in p.get("problems") or () if isinstance(x, dict)),
    )


def _problem(x: dict[str, Any]) -> Problem:
    line = x.get("line")
    unit = f"unit {x['unit']}: " if x.get("unit") else ""
    return Problem(line if isinstance(line, int) and line > 0 else None, f"{unit}{x.get('message', '')}")


def _pick(d: dict[str, Any], *names: str) -> Any:
    """The first of `names` that `d` has (the report's shape may still change)."""
    return next((d[n] for n in names if d.get(n) is not None), None)


def _first(d: dict[str, Any], *names: str) -> float | None:
    return _number(_pick(d, *names))


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _number(value: Any) -> float | None:
    """A count that may come as a number or as parts ({"input": ..., "output": ...})."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, dict):
        parts = [_number(v) for v in value.values()]
        known = [v for v in parts if v is not None]
        return sum(known) if known else None
    return None


def _cost(value: Any) -> tuple[float | None, str]:
    if isinstance(value, dict):
        amount = _number(value.get("amount", value.get("value", value.get("total"))))
        return amount, str(value.get("currency", "USD"))
    return _number(value), "USD"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
