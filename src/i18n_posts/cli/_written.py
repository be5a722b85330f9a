"""What `translate` wrote: an output it did not write (a human reference translation, a
hand-made file) is not overwritten unless `--force`.

The record lives outside the repository (`~/.cache/i18n-posts/written.json`: resolved path
-> digest of the bytes written), so outputs stay byte-exact and nothing is added beside
them. A missing or unreadable record only means asking for `--force` once more.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _record_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "i18n-posts"
    return base / "written.json"


class Written:
    """The record, loaded once a run; `save` after the run."""

    def __init__(self) -> None:
        self.path = _record_path()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.data: dict[str, str] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}
        self.changed = False

    def foreign(self, out: Path) -> bool:
        """True when `out` exists and holds bytes this tool did not write there."""
        from ..memory.state import digest  # noqa: PLC0415

        if not out.is_file():  # nothing there (or a folder: writing it fails, named, later)
            return False
        try:
            data = out.read_bytes()
        except OSError:
            return True
        return self.data.get(str(out.resolve())) != digest(data)

    def wrote(self, out: Path, text: str) -> None:
        from ..memory.state import digest  # noqa: PLC0415

        self.data[str(out.resolve())] = digest(text.encode("utf-8"))
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        from ..write import write_atomic  # noqa: PLC0415

        try:
            write_atomic(self.path, json.dumps(self.data).encode(), durable=False)  # a cache: no flush
        except OSError:
            pass  # a record for safety, never worth failing a run for
