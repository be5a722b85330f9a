"""Translation backends: the `Backend` protocol, the request a backend receives, and the
registry that finds backends by name in the entry-point group `i18n_posts.backends`.

A backend turns a `BatchRequest` into {unit id: translated text}. It does no retrying of
its own: the translate stage validates, retries and splits batches; HTTP backends (next)
share one runner for concurrency, timeouts and backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from ..errors import UsageError

GROUP = "i18n_posts.backends"


@dataclass(frozen=True, slots=True)
class RequestUnit:
    """One unit as a backend sees it."""

    id: str
    """Unique within the request."""
    text: str
    """Text with placeholders (<xN/>, <gN>...</gN>) and "\\n" line breaks."""
    placeholders: tuple[tuple[str, str], ...] = ()
    """(tag, what it stands for) for each placeholder, e.g. ("<x1/>", "code")."""
    kind: str = "paragraph"
    """What the unit is in the post (heading, paragraph, table_cell, ...)."""
    hint: str = ""
    """Why an earlier answer was refused (e.g. a glossary term it missed), for a retry."""
    previous_source: str = ""
    """When the unit's source changed: the source text of the translation below."""
    previous_translation: str = ""
    """...and that translation: revise it rather than start again, so the diff stays small."""


@dataclass(frozen=True, slots=True)
class GlossaryHint:
    """A glossary term that occurs in the request."""

    source: str
    target: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """Units of one post, in document order, with what helps translate them."""

    units: tuple[RequestUnit, ...]
    source_locale: str
    target_locale: str
    glossary: tuple[GlossaryHint, ...] = ()
    title: str | None = None
    """The post's title, for context."""
    context: str = ""
    """The text just before the batch (placeholders removed), for context."""


@runtime_checkable
class Backend(Protocol):
    """What every backend implements. `options` are the `--backend-option KEY=VALUE` pairs."""

    name: str

    def __init__(self, options: dict[str, str]) -> None: ...

    def translate(self, request: BatchRequest) -> dict[str, str]:
        """Translations by unit id; may omit units. Raise `BackendError` on failure."""
        ...


def available() -> dict[str, Any]:
    """Backend name -> entry point."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load_backend(name: str, options: dict[str, str]) -> Backend:
    """Instantiate the backend registered as `name`."""
    eps = available()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none"
        raise UsageError(f"unknown backend {name!r} (available: {known})")
    cls = eps[name].load()
    return cls(options)
