"""GitHub Actions' side of a run: workflow commands on stdout (`::error file=...,line=...::`),
outputs appended to `$GITHUB_OUTPUT`, the Markdown job summary appended to
`$GITHUB_STEP_SUMMARY`. Pure formatting plus two appends; no state."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning", "notice"]


@dataclass(frozen=True, slots=True)
class Annotation:
    """One message GitHub shows on the run and, with a file, on the file's line in the diff."""

    level: Level
    message: str
    file: str | None = None
    """Relative to the repository root (GitHub's workspace)."""
    line: int | None = None
    title: str = "i18n-posts"

    def command(self) -> str:
        """The workflow command that makes GitHub show it."""
        props = [f"file={_property(self.file)}"] if self.file else []
        if self.file and self.line:
            props.append(f"line={self.line}")
        props.append(f"title={_property(self.title)}")
        return f"::{self.level} {','.join(props)}::{_data(self.message)}"

    def plain(self) -> str:
        """The same for a terminal (a pre-commit hook, a local run): `file:line: level: message`."""
        where = (
            f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        )
        return f"{where}{self.level}: {self.message}"


_LOCATED = re.compile(r"(?:error: )?(?P<file>[^\s:][^:\n]*?)(?::(?P<line>\d+))?: (?P<message>.+)", re.DOTALL)


def locate(message: str, root: Path, workspace: Path) -> tuple[str | None, int | None, str]:
    """(file, line, the rest) of a message of ours (`path[:line]: problem`), the file made
    relative to `workspace` (the repository GitHub checked out) when it is inside it."""
    m = _LOCATED.fullmatch(message.strip())
    if m is None:
        return None, None, message.strip()
    path = Path(m.group("file"))
    path = path if path.is_absolute() else root / path
    try:
        rel = path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return None, None, message.strip()
    line = m.group("line")
    return rel, int(line) if line else None, m.group("message")


def write_outputs(path: Path, values: Mapping[str, str]) -> None:
    """Append `name=value` lines (a heredoc for a multi-line value) to $GITHUB_OUTPUT."""
    with path.open("a", encoding="utf-8") as f:
        for name, value in values.items():
            if "\n" in value or "\r" in value:
                delimiter = f"i18n_posts_{uuid.uuid4().hex}"
                f.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                f.write(f"{name}={value}\n")


def append_summary(path: Path, markdown: str) -> None:
    """Append to $GITHUB_STEP_SUMMARY (several steps of a job may write to it)."""
    with path.open("a", encoding="utf-8") as f:
        f.write(markdown.rstrip("\n") + "\n")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
