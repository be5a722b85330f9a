"""Stage 7, write: text -> a file, atomically.

The bytes go to a temporary file in the destination folder, are flushed to disk and then
renamed over the destination, so a reader (or a killed run) sees the old file or the new
one, never a half-written one, and no temporary file is left behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, tmp_dir: Path | None = None) -> bool:
    """Write `data` to `path`; return False (and touch nothing) if the file already holds it.

    `tmp_dir` (on the same file system) holds the temporary file instead of `path`'s folder,
    so that even a process killed mid-write leaves nothing beside the outputs."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    if tmp_dir is not None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir or path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno == errno.EXDEV and tmp_dir is not None:
            return write_atomic(path, data)  # the output is on another file system: a temp beside it
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
