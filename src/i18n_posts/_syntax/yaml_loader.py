"""The one YAML loader (PyYAML's C loader where built, else the pure one) and the one
mapping of its errors to a message and a 1-based line. PyYAML is imported on first use:
the CLI starts without it."""

from __future__ import annotations

from typing import Any


def compose(text: str) -> Any:
    """The node tree of `text` (positions kept, for replacing values in place)."""
    import yaml  # noqa: PLC0415

    return yaml.compose(text, Loader=_loader())


def load(text: str) -> Any:
    """The value of `text` (safe: plain data only)."""
    import yaml  # noqa: PLC0415

    return yaml.load(text, Loader=_loader())


def yaml_errors() -> type[Exception]:
    """The exception class both functions raise for invalid YAML."""
    import yaml  # noqa: PLC0415

    return yaml.YAMLError


def problem(exc: Exception, first_line: int = 1) -> tuple[str, int | None]:
    """(what is wrong, line) of a YAML error; `first_line` is the line where the text starts."""
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return what, (first_line + mark.line if mark is not None else None)


def _loader() -> Any:
    import yaml  # noqa: PLC0415

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)
