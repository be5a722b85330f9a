#!/usr/bin/env python3
"""Time `i18n-posts translate --backend pseudo` over the corpus against a bare markdown-it-py
parse of the same files, each in one fresh process (interpreter start included), and print
the ratio of the best of N runs of each. The runs are interleaved, so both see the same
machine; on a machine shared with other work the best run is the one least disturbed by it.
Each translate run writes every output (a fresh folder), as a first run does. CPU time
(user + system) is shown too: it depends less on the machine's other load.
Usage: python bench/translate_speed.py [--runs N] [--posts DIR]
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
from _common import CLI, POSTS, compile_package, timed_cpu  # noqa: E402

BARE = """
import sys
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
for f in sys.argv[1:]:
    with open(f, encoding="utf-8") as fh:
        md.parse(fh.read())
"""


def _runs(xs: list[float]) -> str:
    runs = ", ".join(f"{x:.3f}" for x in xs)
    return f"best {min(xs):.3f}s, median {statistics.median(xs):.3f}s (runs: {runs})"


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
        bare_cmd = [sys.executable, "-c", BARE, *files]
        ours, bare = [], []
        for n in range(args.runs):  # interleaved, so both see the same machine state
            out = f"{tmp}/out{n}/{{stem}}.{{locale}}{{ext}}"
            bare.append(timed_cpu(bare_cmd, Path(tmp)))
            ours.append(  # run outside any repository: no config, no memory
                timed_cpu(
                    [str(CLI), "translate", *files, "--to", "en", "--backend", "pseudo", "--output", out],
                    Path(tmp),
                )
            )
    size = sum(p.stat().st_size for p in args.posts.glob("*.md"))
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{len(files)} posts, {size / 1e6:.2f} MB"
    )
    for what, xs in (("markdown-it-py parse", bare), ("i18n-posts translate --backend pseudo", ours)):
        print(f"{what} (one process): wall {_runs([w for w, _ in xs])}")
        print(f"{' ' * len(what)}                CPU  {_runs([c for _, c in xs])}")
    wall = min(w for w, _ in ours) / min(w for w, _ in bare)
    cpu = min(c for _, c in ours) / min(c for _, c in bare)
    print(f"ratio (best of {args.runs}): wall {wall:.2f}x, CPU {cpu:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
