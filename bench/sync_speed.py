#!/usr/bin/env python3
"""`sync` over the corpus: a no-op run against `i18n-posts --version` (same run, interleaved),
and a run after editing one sentence of one post. Uses the built-in pseudo backend.

    python bench/sync_speed.py [--runs 15] [--posts DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
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
        posts = sorted(args.posts.glob("*.md"))
        repo = blog_of(posts, Path(tmp))
        first = timed([CLI, "sync"], repo)
        noop, version = [], []
        for _ in range(args.runs):
            version.append(timed([CLI, "--version"], repo))
            noop.append(timed([CLI, "sync"], repo))
        target = repo / "src" / "posts" / posts[0].name
        text = target.read_text(encoding="utf-8")
        i = text.index("。", text.index("\n---", 4) + 4)
        target.write_text(text[:i] + "，新增一句话" + text[i:], encoding="utf-8")
        edit = timed([CLI, "sync"], repo)
    mv, mn = statistics.median(version), statistics.median(noop)
    print(f"{len(posts)} posts; first sync {first:.2f}s")
    print(
        f"i18n-posts --version: median {mv * 1000:.0f} ms; no-op sync: median {mn * 1000:.0f} ms; "
        f"ratio {mn / mv:.2f}x"
    )
    print(f"sync after editing one sentence of one post: {edit * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
