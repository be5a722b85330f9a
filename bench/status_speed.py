#!/usr/bin/env python3
"""`status` of the 89 corpus posts after a sync (nothing changed), against the no-op `sync`
and `i18n-posts --version`, interleaved in the same run. Uses the built-in pseudo backend.

    python bench/status_speed.py [--runs 15] [--posts DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CLI, POSTS, blog_of, compile_package, timed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--posts", type=Path, default=POSTS)
    args = ap.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        posts = sorted(args.posts.glob("*.md"))
        repo = blog_of(posts, Path(tmp) / "blog")
        timed([CLI, "sync"], repo)
        time.sleep(3.5)  # past the digests' "racy" window: the runs below read what they remember
        timed([CLI, "status"], repo)  # the first status remembers the counts of origins
        version, noop, status = [], [], []
        for _ in range(args.runs):
            version.append(timed([CLI, "--version"], repo))
            noop.append(timed([CLI, "sync"], repo))
            status.append(timed([CLI, "status"], repo))
    mv, mn, ms = (statistics.median(x) for x in (version, noop, status))
    print(f"{len(posts)} posts, {args.runs} runs (medians)")
    print(f"--version {mv * 1000:.0f} ms; no-op sync {mn * 1000:.0f} ms; status {ms * 1000:.0f} ms")
    print(f"status / no-op sync: {ms / mn:.2f}x; status / --version: {ms / mv:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
