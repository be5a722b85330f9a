#!/usr/bin/env python3
"""`sync` over the corpus: a no-op run against `i18n-posts --version` (same run, interleaved),
and a run after editing one sentence of one post. Uses the built-in pseudo backend.

    python bench/sync_speed.py [--runs 15] [--posts DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "pfcc-blog" / "posts"
LOCAL = ROOT / "tests" / "data" / "corpus"
CLI = str(Path(sys.executable).parent / "i18n-posts")
CONFIG = (
    'include = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'
)


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def compile_package() -> None:
    """Bytecode for our modules, as a pip install (not editable) would have: with
    PYTHONDONTWRITEBYTECODE set (as on our CI machines) an editable install compiles
    every module on every start, which is not what users run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--posts", type=Path, default=SHARED if SHARED.is_dir() else LOCAL)
    args = ap.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "src" / "posts").mkdir(parents=True)
        posts = sorted(args.posts.glob("*.md"))
        for p in posts:
            shutil.copy(p, repo / "src" / "posts" / p.name)
        (repo / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
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
