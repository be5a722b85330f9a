"""Outputs are stable under the site's formatter: with the PFCC blog's `.prettierrc`, prettier
would rewrite the English of no corpus post whose source it leaves alone (with the `pseudo` and
the hostile backend), so the blog's pre-commit hook (`prettier --write`) never turns a sync's
output into a hand edit. Tables are padded to their new widths; front matter values are quoted
as prettier quotes them (`front_matter_quote = "single"`, the blog's `singleQuote: true`).

Needs Node.js and prettier 3 in .ci/cache/vitepress (`.ci/run` installs it)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from vitepress_site import MODULES, prettier_differs, sync, write_config

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def _posts() -> list[Path]:
    """The corpus posts with a table, and some whose title a translation must quote (all 89
    take minutes here; `python tests/vitepress_site.py blog` checks every one)."""
    posts = sorted(CORPUS.glob("*.md"))
    tables = [p for p in posts if re.search(r"^[ \t]*\|", p.read_text(encoding="utf-8"), re.M)]
    titles = [p for p in posts if re.search(r"^title:.*[：｜【]", p.read_text(encoding="utf-8"), re.M)]
    return sorted(set(tables) | set(titles[::6]))


pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "prettier" / "bin" / "prettier.cjs").is_file(),
    reason=f"prettier is not installed in {MODULES} (.ci/run installs it)",
)


@pytest.mark.parametrize("backend", ["pseudo", "hostile"])
def test_english_posts_pass_prettier_where_their_sources_do(tmp_path: Path, backend: str) -> None:
    (tmp_path / "src" / "posts").mkdir(parents=True)
    posts = _posts()
    for p in posts:
        shutil.copy(p, tmp_path / "src" / "posts" / p.name)
    write_config(tmp_path, backend)
    s = sync(tmp_path)
    assert s.returncode == 0, s.stdout + s.stderr
    names = [p.name for p in posts]
    files = [f"src/posts/{n}" for n in names] + [f"src/en/posts/{n}" for n in names]
    differ = prettier_differs(tmp_path, files)
    sources = {f.rsplit("/", 1)[1] for f in differ if f.startswith("src/posts/")}
    english = {f.rsplit("/", 1)[1] for f in differ if f.startswith("src/en/posts/")}
    assert len(names) >= 20 and len(sources) <= 1  # the corpus is kept formatted: nearly all are checked
    assert english - sources == set()


def test_the_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("| a | b |\n| - | - |\n| ccc | d |\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("| a   | b   |\n| --- | --- |\n| ccc | d   |\n", encoding="utf-8")
    assert prettier_differs(tmp_path, ["a.md", "b.md"]) == {"a.md"}
