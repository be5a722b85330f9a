"""What `sync` is asked to do (`SyncOptions`) and what it tells about each post (`PostReport`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["unchanged", "new", "rebuilt", "changed", "edited", "orphaned", "failed", "stale", "pruned"]
"""`new`: no memory and no output yet; `rebuilt`: the output was missing and is made again from
the memory (a fresh clone); `changed`: the source, the memory, the glossary or the config moved."""


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """How to run."""

    check: bool = False
    """Send nothing, write nothing: report what is missing or stale."""
    dry_run: bool = False
    """Send nothing, write nothing: report what would be sent."""
    prune: bool = False
    """Remove outputs and memory of posts whose source is gone."""
    force: bool = False
    """Overwrite outputs edited by hand that no longer align with their source."""
    shard: tuple[int, int] = (1, 1)
    """(I, N): process the I-th of N deterministic parts of the posts."""
    partial: bool = False
    """Write posts even if some units fail."""
    max_tokens: int | None = None
    """Stop before the estimated tokens of the run would pass this (work so far is kept)."""
    max_chars: int | None = None
    """Stop before the characters sent would pass this."""
    force_style: bool = False
    """Translate again what the machine made under another style guide than the one configured
    now (a person's translations stay)."""

    @property
    def writes(self) -> bool:
        """False for --check and --dry-run."""
        return not (self.check or self.dry_run)


@dataclass(slots=True)
class PostReport:
    """What happened to one post in one locale."""

    source: str
    locale: str
    output: str
    status: Status
    sent: int = 0
    """Units sent to the backend."""
    chars: int = 0
    """Characters of unit text to send (dry run) or sent."""
    calls: int = 0
    """Requests it would take (dry run)."""
    tokens: int = 0
    """Estimated tokens of those requests, input and output (dry run)."""
    reused: int = 0
    """Units taken from the memory."""
    reviewed: int = 0
    """Hand edits of the output taken into the memory."""
    written: bool = False
    message: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    """A failed post's remaining problems, one a failing unit: `line`, `unit`, `code`, `message`."""
    places: list[str] = field(default_factory=list)
    """Every place of syntax the segmenter did not read (`line N: what`); `message` names the first."""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]
