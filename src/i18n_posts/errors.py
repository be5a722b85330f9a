"""The exceptions of i18n-posts, in one tree; `cli.py` maps them to exit codes.

    I18nPostsError
    ├── UsageError          bad options or configuration            -> exit 2
    │   └── ConfigError     a config or glossary file is wrong      -> exit 2
    ├── PostError           one post cannot be processed            -> exit 1
    │   ├── LoadError       not UTF-8, binary, bad front matter
    │   └── TranslationFailed  some units still fail after retries
    ├── BackendError        the backend cannot be used / keeps failing -> exit 1
    │   └── BackendUnavailable  failed repeatedly or refused the key: stop the run
    └── BudgetExceeded      the next call would pass --max-tokens/--max-chars -> exit 1

Messages never contain secrets: backends must redact before raising.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Issue


class I18nPostsError(Exception):
    """Base of every error the library raises on purpose."""


class UsageError(I18nPostsError):
    """The command line or an option is wrong."""


class ConfigError(UsageError):
    """A configuration or glossary file is wrong; names the file and, if known, the line."""

    def __init__(self, path: Path | str | None, message: str, line: int | None = None):
        self.path, self.line = path, line
        where = f"{path}" if path else ""
        if where and line:
            where += f":{line}"
        super().__init__(f"{where}: {message}" if where else message)


class PostError(I18nPostsError):
    """A post cannot be processed; names the file."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path, self.line, self.reason = path, line, message
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


class LoadError(PostError):
    """The file is not a readable post."""


class TranslationFailed(PostError):
    """Units of the post failed validation after all retries; nothing was written."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, issues: tuple[Issue, ...] = ()
    ):
        super().__init__(path, message, line)
        self.issues = issues
        """Every problem that remained (the message tells the first): one per failing unit."""


class BackendError(I18nPostsError):
    """A backend call failed (after the runner's retries, if any)."""

    def __init__(self, backend: str, message: str):
        self.backend = backend
        super().__init__(f"backend {backend}: {message}")


class BadAnswer(BackendError):
    """The service answered, but the answer cannot be used (not valid JSON, keys repeated,
    cut off): the batch is split and sent again; it does not count towards the failures in
    a row that stop a run (those say the service is down)."""


class BackendUnavailable(BackendError):
    """The backend failed so many times in a row that the run stops."""


class BudgetExceeded(I18nPostsError):
    """The next backend call would pass the run's token or character budget; the run stops."""
