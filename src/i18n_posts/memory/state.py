"""The state line of a PO memory file, read without babel (sync's fast path) and digests.

# i18n-posts-state: config=... entries=... glossary=... out=... output=... source=... src=...
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATE = re.compile(rb"^# i18n-posts-state: (.*)$", re.M)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def read_state(path: Path) -> tuple[dict[str, str], str] | None:
    """The state line of a PO file and the digest of its entries, without babel (fast path)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    m = STATE.search(data, 0, 4096)
    if not m:
        return None
    state = dict(kv.split("=", 1) for kv in m.group(1).decode().split() if "=" in kv)
    return state, digest(entries_part(data))


def entries_part(data: bytes) -> bytes:
    """Everything after the header entry (the first blank line)."""
    i = data.find(b"\n\n")
    return data[i + 2 :] if i >= 0 else b""
