"""What the benchmark scripts share: where the corpus is, the CLI, bytecode, timing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "pfcc-blog" / "posts"
LOCAL = ROOT / "tests" / "data" / "corpus"
POSTS = SHARED if SHARED.is_dir() else LOCAL
"""The 89 corpus posts: ../shared when it is there, else the copy in the tests."""
CLI = str(Path(sys.executable).parent / "i18n-posts")


PSEUDO_CONFIG = (
    'include = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'
)
"""The config of the benches' throwaway blog: the posts under src/posts, the pseudo backend."""


def blog_of(posts: list[Path], repo: Path) -> Path:
    """A throwaway blog at `repo` holding copies of `posts` (src/posts/) and `PSEUDO_CONFIG`."""
    import shutil  # noqa: PLC0415

    (repo / "src" / "posts").mkdir(parents=True)
    for p in posts:
        shutil.copy(p, repo / "src" / "posts" / p.name)
    (repo / "i18n-posts.toml").write_text(PSEUDO_CONFIG, encoding="utf-8")
    return repo


def compile_package() -> None:
    """Bytecode for our modules, as a pip install (not editable) would have: with
    PYTHONDONTWRITEBYTECODE set (as on our CI machines) an editable install compiles
    every module on every start, which is not what users run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    """Seconds a command takes (it must succeed)."""
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def timed_cpu(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of a command (it must succeed). The CPU time
    depends less than the wall time on what else the machine runs."""
    import resource  # noqa: PLC0415

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
