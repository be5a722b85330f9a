"""Digests of files and PO states, remembered between runs by (size, mtime), like git's index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..memory.state import digest, read_state


class FileDigests:
    """Digests of files (and PO states), remembered between runs by (size, mtime) like git's
    index, so that a no-op sync reads no file it read last time. Kept outside the repository
    (~/.cache/i18n-posts); a missing or stale entry just means reading the file again."""

    def __init__(self, root: Path) -> None:
        import json  # noqa: PLC0415
        import os  # noqa: PLC0415

        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "i18n-posts"
        self.path = base / f"{digest(str(root).encode())}.json"
        try:
            self.data: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}
        self.changed = False

    def _get(self, path: Path, compute: Callable[[Path], Any], kind: str = "") -> Any:
        try:
            st = path.stat()
        except OSError:
            return None
        key, sig = str(path) + kind, [st.st_size, st.st_mtime_ns]
        hit = self.data.get(key)
        if hit is not None and hit[:2] == sig:
            return hit[2]
        value = compute(path)
        import time  # noqa: PLC0415

        # "racy" files (changed within the last seconds) are not remembered: a same-size edit
        # within the file system's time resolution would otherwise go unseen
        if time.time_ns() - st.st_mtime_ns > 3_000_000_000:
            self.data[key] = [*sig, value]
            self.changed = True
        return value

    def file(self, path: Path) -> str | None:
        return self._get(path, lambda p: digest(p.read_bytes()))

    def state(self, path: Path) -> tuple[dict[str, str], str] | None:
        v = self._get(path, lambda p: list(read_state(p) or ()) or None)
        return (v[0], v[1]) if v else None

    def derived(self, path: Path, kind: str, compute: Callable[[Path], Any]) -> Any:
        """`compute(path)` (a JSON value) remembered as `kind` of the file, like its digest."""
        return self._get(path, compute, f"#{kind}")

    def save(self) -> None:
        if not self.changed:
            return
        import json  # noqa: PLC0415

        from ..write import write_atomic  # noqa: PLC0415

        try:
            # not flushed: a cache lost or torn by a power cut is read as empty
            write_atomic(self.path, json.dumps(self.data).encode(), durable=False)
        except OSError:
            pass  # a cache: never worth failing a run for
