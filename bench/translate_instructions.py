#!/usr/bin/env python3
"""Count the instructions (valgrind's callgrind: independent of the machine's load) of
`i18n-posts translate --backend pseudo` over the corpus and of a bare markdown-it-py parse of
the same files, each in one fresh process (interpreter start included), as
`translate_speed.py` times them. Takes a few minutes (callgrind runs Python ~50 times slower).
Usage: python bench/translate_instructions.py [--posts DIR] [--only translate|bare]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POSTS, compile_package  # noqa: E402
from translate_speed import BARE  # noqa: E402

TRANSLATE = "import sys; from i18n_posts.cli import main; sys.argv[0] = 'i18n-posts'; sys.exit(main())"


def instructions(cmd: list[str], cwd: Path) -> int:
    """Instructions callgrind counted for `cmd` (which must succeed)."""
    run = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd]
    out = subprocess.run(run, cwd=cwd, capture_output=True, text=True, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise SystemExit(f"no count in callgrind's output:\n{out.stderr[-2000:]}")
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=Path, default=POSTS)
    ap.add_argument("--only", choices=("translate", "bare"))
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for p in sorted(args.posts.glob("*.md")):
            shutil.copy(p, Path(tmp) / p.name)
            names.append(p.name)
        counts: dict[str, int] = {}
        if args.only != "translate":
            counts["bare"] = instructions([sys.executable, "-c", BARE, *names], Path(tmp))
        if args.only != "bare":
            out = f"{tmp}/out/{{stem}}.{{locale}}{{ext}}"
            cmd = [sys.executable, "-c", TRANSLATE, "translate", *names, "--to", "en", "--backend", "pseudo"]
            counts["translate"] = instructions([*cmd, "--output", out], Path(tmp))
    for what, n in counts.items():
        print(f"{what}: {n / 1e9:.3f} G instructions ({len(names)} posts)")
    if len(counts) == 2:
        print(f"ratio: {counts['translate'] / counts['bare']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
