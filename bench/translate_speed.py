#!/usr/bin/env python3
"""Time `i18n-posts translate --backend pseudo` over the corpus against a bare markdown-it-py
parse of the same files, each in one fresh process (interpreter start included), and print
the ratio. Usage: python bench/translate_speed.py [--runs N] [--posts DIR]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CLI, POSTS, compile_package, timed  # noqa: E402

BARE = """
import sys
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
for f in sys.argv[1:]:
    with open(f, encoding="utf-8") as fh:
        md.parse(fh.read())
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--posts", type=Path, default=POSTS)
    args = ap.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for p in sorted(args.posts.glob("*.md")):
            shutil.copy(p, Path(tmp) / p.name)
            files.append(str(Path(tmp) / p.name))
        out = f"{tmp}/out/{{stem}}.{{locale}}{{ext}}"
        ours_cmd = [str(CLI), "translate", *files, "--to", "en", "--backend", "pseudo", "--output", out]
        bare_cmd = [sys.executable, "-c", BARE, *files]
        ours, bare = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine state
            bare.append(timed(bare_cmd))
            ours.append(timed(ours_cmd))
    size = sum(p.stat().st_size for p in args.posts.glob("*.md"))
    mo, mb = statistics.median(ours), statistics.median(bare)
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{len(files)} posts, {size / 1e6:.2f} MB"
    )
    print(
        f"markdown-it-py parse (one process): median {mb:.3f}s  (runs: {', '.join(f'{x:.3f}' for x in bare)})"
    )
    print(
        f"i18n-posts translate --backend pseudo: median {mo:.3f}s  "
        f"(runs: {', '.join(f'{x:.3f}' for x in ours)})"
    )
    print(f"ratio: {mo / mb:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
