"""Linear cost: each stage must grow with the size of the post and the number of posts, not
faster. Every case runs at a size and at half of it; a linear cost gives a ratio near 2.

    python bench/scale.py [--cases big,units,emphasis,posts] [--posts 2000]

- big: `translate --backend pseudo` of one post of ~16 MB (paragraphs of Chinese text)
- units: a post of 50,000 one-line paragraphs, through `translate` and through `sync`
- emphasis: one line with 20,000 `**bold**` pairs
- memory: a PO file with one unit of 200,000 characters without white space
- lint: `glossary lint` of 600 Latin terms
- posts: a repository of N posts (copies of the corpus), synced; then one post added and
  synced again: only that post is parsed (the time must not grow with N)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _common import CLI, POSTS, compile_package

CONFIG = 'include = ["posts/*.md"]\noutput = "en/{stem}{ext}"\n[backend]\nname = "pseudo"\n'


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _translate(tmp: Path, name: str, text: str, env: dict[str, str]) -> float:
    (tmp / name).write_text(text, encoding="utf-8")
    cmd = [CLI, "translate", name, "--to", "en", "--backend", "pseudo", "--output", "out/{name}"]
    return _run(cmd, tmp, env)


def _sync_one(tmp: Path, name: str, text: str, env: dict[str, str]) -> float:
    repo = tmp / f"repo-{name}"
    (repo / "posts").mkdir(parents=True)
    (repo / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    (repo / "posts" / name).write_text(text, encoding="utf-8")
    return _run([CLI, "sync"], repo, env)


def big(size: int) -> str:
    para = "这是一个很长的段落，用来测试大文件的处理速度，飞桨社区的文章。" * 20 + "\n\n"
    return para * max(1, size // len(para.encode()))


def units(n: int) -> str:
    return "\n".join(f"第{i}段文字，飞桨社区。\n" for i in range(n))


def emphasis(n: int) -> str:
    return "飞" + "**甲**乙" * n + "\n"


def _po(n: int) -> float:
    from i18n_posts.memory.po import Entry, Memory, render_memory

    mem = Memory(Path("x.po"), "a.md", "en")
    text = "飞" * n
    mem.entries[text] = Entry(text, "x" * n, "machine: pseudo")
    t = time.perf_counter()
    render_memory(mem, [(text, 1)], {})
    return time.perf_counter() - t


def _lint(tmp: Path, n: int, env: dict[str, str]) -> float:
    import random

    rnd = random.Random(1)
    lines = ["terms:"]
    for i in range(n):
        w = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        lines.append(f"  - zh: Term{w}{i}\n    en: Word{w}{i}")
    path = tmp / f"glossary-{n}.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _run([CLI, "glossary", "lint", str(path)], tmp, env)


def posts_case(tmp: Path, n: int, env: dict[str, str]) -> tuple[float, float]:
    """(first sync of n posts, sync after adding one post)."""
    repo = tmp / f"posts-{n}"
    (repo / "posts").mkdir(parents=True)
    (repo / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    corpus = sorted(POSTS.glob("*.md"))
    for i in range(n):
        shutil.copyfile(corpus[i % len(corpus)], repo / "posts" / f"p{i:05d}.md")
    first = _run([CLI, "sync"], repo, env)
    time.sleep(3.5)  # files written in the last 3 s are always hashed again (racy timestamps)
    shutil.copyfile(corpus[0], repo / "posts" / "added.md")
    return first, _run([CLI, "sync"], repo, env)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="big,units,emphasis,memory,lint,posts")
    ap.add_argument("--posts", type=int, default=2000)
    args = ap.parse_args()
    cases = set(args.cases.split(","))
    compile_package()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"))
        rows: list[tuple[str, float, float]] = []
        if "big" in cases:
            mb = 1024 * 1024
            rows.append(
                ("translate, 16 MB post (vs 8 MB)", _translate(tmp, "b16.md", big(16 * mb), env),
                 _translate(tmp, "b8.md", big(8 * mb), env))
            )  # fmt: skip
        if "units" in cases:
            rows.append(
                ("translate, 50,000 units (vs 25,000)", _translate(tmp, "u50.md", units(50_000), env),
                 _translate(tmp, "u25.md", units(25_000), env))
            )  # fmt: skip
            rows.append(
                ("sync, 50,000 units (vs 25,000)", _sync_one(tmp, "u50.md", units(50_000), env),
                 _sync_one(tmp, "u25.md", units(25_000), env))
            )  # fmt: skip
        if "emphasis" in cases:
            full = _translate(tmp, "e20.md", emphasis(20_000), env)
            rows.append(
                (
                    "translate, 20,000 emphasis pairs (vs 10,000)",
                    full,
                    _translate(tmp, "e10.md", emphasis(10_000), env),
                )
            )
        if "memory" in cases:
            rows.append(("memory, a 200,000-character run (vs 100,000)", _po(200_000), _po(100_000)))
        if "lint" in cases:
            rows.append(
                ("glossary lint, 600 Latin terms (vs 300)", _lint(tmp, 600, env), _lint(tmp, 300, env))
            )
        if "posts" in cases:
            n = args.posts
            first_full, added_full = posts_case(tmp, n, env)
            first_half, added_half = posts_case(tmp, n // 2, env)
            rows.append((f"sync, first run of {n} posts (vs {n // 2})", first_full, first_half))
            rows.append((f"sync, one post added to {n} (vs {n // 2})", added_full, added_half))
        for what, full, half in rows:
            print(f"{what:<50} {full:8.2f} s  {half:8.2f} s  ratio {full / half:4.2f}")


if __name__ == "__main__":
    main()
