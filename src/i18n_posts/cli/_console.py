"""The one output of a run (`translate`, `sync`): a progress display on a terminal, plain
stable lines elsewhere, and every message through the same console so that a log line prints
above the display instead of breaking it.

    terminal   a bar and one live line: n/N posts, the current post, units sent, tokens,
               elapsed and the time left; finished posts and errors print above it, coloured
    not one    (CI logs, pipes) one line per post as it finishes, no timing, no escapes
    --quiet    errors and warnings only
    --json     nothing on stdout but the report; failures still go to stderr

Colour follows Rich's rules: none when the stream is not a terminal or `NO_COLOR` is set.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..messages import plural

__all__ = ["Display", "Spent", "plural", "relative"]

STYLES = {
    "new": "green",
    "written": "green",
    "rebuilt": "cyan",
    "changed": "cyan",
    "edited": "magenta",
    "unchanged": "dim",
    "stale": "yellow",
    "orphaned": "yellow",
    "pruned": "yellow",
    "failed": "bold red",
    "error": "bold red",
    "warning": "yellow",
    "stopped": "bold red",
}


@dataclass
class Spent:
    """What the run has sent so far (read by the live line)."""

    units: int = 0
    chars: int = 0
    tokens: int = 0
    """Tokens the service reported (0: it reports none)."""
    tokens_estimated: int = 0

    @classmethod
    def of(cls, runner: Any | None) -> Spent:
        """What `runner` (a `Runner`, or None: nothing sent yet) has sent so far."""
        if runner is None:
            return cls()
        usage = runner.backend.usage.total
        return cls(runner.units_sent, runner.chars_sent, usage, runner.tokens_estimated)


def _console(stderr: bool) -> Any:
    """Rich's console on a terminal (or with FORCE_COLOR); elsewhere plain lines, and Rich is
    not even imported (a no-op sync in CI stays as fast as the program's start)."""
    import os  # noqa: PLC0415

    stream = sys.stderr if stderr else sys.stdout
    if not (stream.isatty() or os.environ.get("FORCE_COLOR")):
        return _Plain(stderr)
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


class _Plain:
    """The part of Rich's console a run uses, for a stream that is not a terminal."""

    is_terminal = False

    def __init__(self, stderr: bool) -> None:
        self.stderr = stderr

    def line(self, text: str, style: str = "") -> None:
        stream = sys.stderr if self.stderr else sys.stdout
        stream.write(text + "\n")
        stream.flush()


class Display:
    """Progress and messages of one run over `total` posts (see the module docstring)."""

    def __init__(
        self,
        total: int,
        *,
        quiet: bool = False,
        as_json: bool = False,
        spent: Callable[[], Spent] | None = None,
    ) -> None:
        self.total, self.quiet, self.as_json = total, quiet, as_json
        self.spent = spent or Spent
        self.err = _console(True)
        self.out = _console(False)
        self.done = 0
        self.working: dict[str, None] = {}
        """Posts begun and not finished, in the order they began."""
        self.began = time.monotonic()
        self.first_start: float | None = None
        self.done_before_start = 0
        self.live: Any = None
        self.live_on = (
            sys.stderr.isatty() and self.err.is_terminal and not quiet and not as_json and total > 0
        )

    # -- the live display ----------------------------------------------------------------------

    def __enter__(self) -> Display:
        if self.live_on:
            from rich.live import Live  # noqa: PLC0415

            shared = self.out.is_terminal  # stdout is the same screen: print it above the bar
            if shared:
                self.out = self.err
            self.live = Live(
                get_renderable=self._render,
                console=self.err,
                refresh_per_second=8,
                transient=True,
                redirect_stdout=shared,
                redirect_stderr=True,
            )
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None

    def _render(self) -> Any:
        from rich.progress_bar import ProgressBar  # noqa: PLC0415
        from rich.table import Table  # noqa: PLC0415
        from rich.text import Text  # noqa: PLC0415

        s = self.spent()
        elapsed = time.monotonic() - self.began
        parts = [f"{self.done}/{self.total} posts"]
        current = next(iter(self.working), "")
        if current:
            parts.append(current)
        parts.append(plural(s.units, "unit") + " sent")
        if s.tokens:
            parts.append(f"{s.tokens:,} tokens")
        elif s.tokens_estimated:
            parts.append(f"~{s.tokens_estimated:,} tokens")
        parts.append(f"{_clock(elapsed)} elapsed")
        left = self._left()
        if left is not None:
            parts.append(f"~{_clock(left)} left")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=24, no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.add_row(
            ProgressBar(total=max(self.total, 1), completed=self.done, width=24),
            Text(" · ".join(parts), no_wrap=True, overflow="ellipsis"),
        )
        return grid

    def _left(self) -> float | None:
        """Seconds left, from the pace of the posts that needed work."""
        if self.first_start is None:
            return None
        worked = self.done - self.done_before_start
        if worked <= 0:
            return None
        pace = (time.monotonic() - self.first_start) / worked
        return pace * max(self.total - self.done, 0)

    # -- events --------------------------------------------------------------------------------

    def started(self, name: str) -> None:
        """A post begins; the oldest post begun and not finished is the current post."""
        if self.first_start is None:
            self.first_start = time.monotonic()
            self.done_before_start = self.done
        self.working[name] = None

    def finished(self, name: str, state: str = "", line: str = "", *, stderr: bool = False) -> None:
        """The post `name` is done; `state: line` is printed unless quiet (or JSON)."""
        self.done += 1
        self.working.pop(name, None)
        if line:
            self.line(state, line, stderr=stderr)

    def line(self, state: str, line: str, *, stderr: bool = False) -> None:
        """A line about a post (`state:` coloured), unless quiet (or JSON)."""
        if self.quiet or self.as_json:
            return
        self._print(self.err if stderr else self.out, state, line)

    def error(self, message: str) -> None:
        """An error: always said, on stderr (also with --json and --quiet)."""
        self._print(self.err, "error", relative(message))

    def warning(self, message: str) -> None:
        self._print(self.err, "warning", relative(message))

    def summary(self, text: str, ok: bool) -> None:
        """The run's last line: on stdout when all went well, on stderr otherwise."""
        if self.as_json or (self.quiet and ok):
            return
        console = self.out if ok else self.err
        if isinstance(console, _Plain):
            return console.line(text)
        from rich.text import Text  # noqa: PLC0415

        console.print(Text(text, style="" if ok else "bold"))

    def _print(self, console: Any, state: str, line: str) -> None:
        if isinstance(console, _Plain):
            return console.line(f"{state}: {line}" if state else line)
        from rich.text import Text  # noqa: PLC0415

        text = Text()
        if state:
            text.append(f"{state}:", style=STYLES.get(state, ""))
            text.append(" ")
        text.append(line)
        console.print(text)


def relative(msg: str) -> str:
    """`msg` with the paths under the repository's root said relative to it (the root as the
    config is found: the current folder or a parent with the config, up to `.git`)."""
    import os  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        py = folder / "pyproject.toml"
        if (
            (folder / "i18n-posts.toml").is_file()
            or (folder / ".git").exists()
            or (py.is_file() and "[tool.i18n-posts]" in py.read_text(encoding="utf-8", errors="replace"))
        ):
            return msg.replace(f"{folder}{os.sep}", "") if folder.parent != folder else msg
    return msg


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
