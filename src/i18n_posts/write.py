"""Stage 7, write: text -> a file, atomically.

The bytes go to a temporary file in the destination folder (or `tmp_dir`) and are renamed
over the destination, so a reader (or a killed run) sees the old file or the new one, never
a half-written one, and no temporary file is left behind.

Durability is the caller's choice. The memory (PO files, the paid-for work) and the outputs
of `sync` (whose digest the memory records) are `durable`: flushed to disk before the rename.
The outputs of `translate` are derived data, rebuilt by running it again: they are renamed
without a flush each, and `sync_dirs` makes a batch of renames durable with one `fsync` of
each folder. `sync`'s digest cache is not flushed either (read as empty if torn).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: bytes, tmp_dir: Path | None = None, durable: bool = True) -> bool:
    """Write `data` to `path`; return False (and touch nothing) if the file already holds it.

    `tmp_dir` (on the same file system) holds the temporary file instead of `path`'s folder,
    so that even a process killed mid-write leaves nothing beside the outputs. `durable`
    flushes the bytes to disk before the rename (a power cut then leaves the old file or the
    new one); without it a power cut may leave the old file, the new one, or (on some file
    systems) an empty one."""
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
            if durable:
                f.flush()
                os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno == errno.EXDEV and tmp_dir is not None:
            # the output is on another file system: a temp beside it
            return write_atomic(path, data, durable=durable)
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def sync_dirs(paths: Iterable[Path]) -> None:
    """One `fsync` of each folder holding `paths`: the renames into it survive a power cut
    (on ext4, whose rename over a file also orders the file's data first, so do the bytes).
    A folder that cannot be opened or synced (some file systems refuse) is passed over."""
    for folder in sorted({p.parent for p in paths}):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
