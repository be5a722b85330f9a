"""One writer per repository: a lock file holding the holder's pid, and a temporary folder
that belongs to the run alone.

`locales/.lock` is created exclusively; a lock whose process is gone (a killed run) is
stale and taken over. `--check`, `--dry-run` and `status` write nothing and take no lock.
Temporary files of a run live in `locales/.tmp/<pid>/`; what a killed run left there is
removed by the next run that holds the lock. Nothing in `.tmp` is followed: a symlink in
its place is an error, never a folder whose files are deleted.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import I18nPostsError, UsageError


class RepoLocked(I18nPostsError):
    """Another run holds the repository."""


class RepoLock:
    """`with RepoLock(folder):` the run holds the repository; `.tmp` is its temporary folder."""

    def __init__(self, memory: Path) -> None:
        self.memory = memory
        self.path = memory / ".lock"
        self.tmp = memory / ".tmp" / str(os.getpid())

    def __enter__(self) -> RepoLock:
        _refuse_symlink(self.memory)
        self.created = not self.memory.exists()
        self.memory.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                holder = _holder(self.path)
                if holder is not None and _alive(holder):
                    raise RepoLocked(
                        f"another sync (pid {holder}) is writing this repository; wait for it to end "
                        f"(or delete {self.path} if that process is not i18n-posts)"
                    ) from None
                self.path.unlink(missing_ok=True)  # stale: its run was killed
                continue
            with os.fdopen(fd, "w") as f:
                f.write(f"{os.getpid()}\n")
            break
        else:
            raise RepoLocked(f"cannot take the lock {self.path}")
        self._clean()
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if _holder(self.path) == os.getpid():
            self.path.unlink(missing_ok=True)
        if self.created:  # a run that wrote nothing leaves no empty memory folder behind
            for p in (self.tmp.parent, self.memory):
                try:
                    p.rmdir()
                except FileNotFoundError:
                    continue
                except OSError:
                    break

    def _clean(self) -> None:
        """Remove what killed runs left in `.tmp` (we hold the lock: no other run is writing)."""
        base = self.tmp.parent
        _refuse_symlink(base)
        if not base.exists():
            return
        for entry in os.scandir(base):
            if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)  # rmtree never follows symlinks


def _refuse_symlink(path: Path) -> None:
    for p in (path, path / ".tmp"):
        if p.is_symlink():
            raise UsageError(f"{p} is a symbolic link; i18n-posts writes only real folders (remove it)")


def _holder(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
