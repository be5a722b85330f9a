"""The one place that maps errors to exit codes and prints them, for every command.

    0  all done
    1  something failed (a post, the backend, a budget) or is stale (`--check`)
    2  usage or configuration error

Every command body runs inside `handled()`: an `I18nPostsError` becomes one line on stderr
and its exit code; an exception we did not expect becomes one line asking for a report,
never a traceback. Ctrl-C (SIGINT) exits 130 and SIGTERM 143, after the run's cleanup:
calls in flight are abandoned, and every translation that arrived is already in the memory
(it is saved batch by batch).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

REPORT_URL = "https://github.com/i18n-posts/i18n-posts/issues"


def err(msg: str) -> None:
    """One line on stderr (paths in the repository said relative to its root; `error:` in
    red on a terminal, unless NO_COLOR)."""
    from ._console import Display  # noqa: PLC0415

    Display(0).error(msg)


def usage(msg: str) -> NoReturn:
    """A usage error: say it, exit 2."""
    err(msg)
    raise typer.Exit(2)


def internal(where: str, exc: BaseException) -> str:
    """The line for a bug of ours."""
    prefix = f"{where}: " if where else ""
    return f"{prefix}internal error ({type(exc).__name__}: {exc}); please report it at {REPORT_URL}"


class Terminated(BaseException):
    """SIGTERM arrived: stop like Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def handled() -> Iterator[None]:
    """Run a command body: errors become a message and an exit code (see the module docstring)."""
    import signal  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from ..errors import I18nPostsError, UsageError  # noqa: PLC0415

    main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _terminate) if main else None
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except UsageError as exc:
        usage(str(exc))
    except I18nPostsError as exc:
        err(str(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err("interrupted; the translations that arrived are kept in the memory")
        raise typer.Exit(130) from None
    except Terminated:
        err("terminated; the translations that arrived are kept in the memory")
        raise typer.Exit(143) from None
    except Exception as exc:  # a bug of ours: one line, no traceback
        err(internal("", exc))
        raise typer.Exit(1) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, before)


def backend_options(pairs: list[str]) -> dict[str, str]:
    """`--backend-option KEY=VALUE` pairs as a dict."""
    out: dict[str, str] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            usage(f"--backend-option expects KEY=VALUE, got {p!r}")
        out[key.strip()] = value
    return out
