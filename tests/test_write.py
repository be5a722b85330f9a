"""Where `write` flushes to disk: the memory and sync's outputs file by file, translate's outputs
(derived data) with one fsync of their folder. `os.fsync` is wrapped to record what each call
flushed (a file's name, or a folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts import write
from i18n_posts.cli import app
from i18n_posts.write import sync_dirs, write_atomic
from test_sync import Repo, repo  # noqa: F401  (the throwaway repository fixture)


@pytest.fixture
def flushed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each `os.fsync` call of `write` flushed: "dir:<path>" or the file's name."""
    seen: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        target = os.readlink(f"/proc/self/fd/{fd}")
        seen.append(f"dir:{target}" if os.path.isdir(target) else Path(target).name)
        real(fd)

    monkeypatch.setattr(write.os, "fsync", fsync)
    return seen


def test_translate_syncs_the_output_folder_once(tmp_path: Path, flushed: list[str]) -> None:
    for n in range(3):
        (tmp_path / f"p{n}.md").write_text(f"# 标题{n}\n\n第{n}段文字。\n", encoding="utf-8")
    out = tmp_path / "out"
    files = [str(tmp_path / f"p{n}.md") for n in range(3)]
    result = CliRunner().invoke(
        app, ["translate", *files, "--to", "en", "--backend", "pseudo", "--output", f"{out}/{{name}}"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["p0.md", "p1.md", "p2.md"]
    assert "标题" not in (out / "p1.md").read_text(encoding="utf-8")
    assert flushed == [f"dir:{out.resolve()}"]


def test_an_unchanged_translate_output_flushes_nothing(tmp_path: Path, flushed: list[str]) -> None:
    (tmp_path / "p.md").write_text("第一段文字。\n", encoding="utf-8")
    args = ["translate", str(tmp_path / "p.md"), "--to", "en", "--backend", "pseudo"]
    assert CliRunner().invoke(app, args).exit_code == 0
    flushed.clear()
    assert CliRunner().invoke(app, args).exit_code == 0
    assert flushed == []


def test_sync_flushes_each_output_and_memory_file(repo: Repo, flushed: list[str]) -> None:  # noqa: F811
    assert repo.sync().code == 0
    outputs = sorted(p.name for p in (repo.root / "src" / "en" / "posts").iterdir())
    memory = sorted(p.name for p in (repo.root / "locales" / "en" / "src" / "posts").iterdir())
    for name in outputs + memory:  # temporary files are named .<name>.<random>.tmp
        assert any(f.startswith(f".{name}.") for f in flushed), (name, flushed)


def test_a_file_written_without_flush_is_whole_and_no_temporary_is_left(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.md"
    assert write_atomic(target, b"new text\n", durable=False)
    assert target.read_bytes() == b"new text\n"
    assert not write_atomic(target, b"new text\n", durable=False)  # unchanged: untouched
    assert [p.name for p in target.parent.iterdir()] == ["out.md"]


def test_sync_dirs_passes_over_a_missing_folder(tmp_path: Path, flushed: list[str]) -> None:
    sync_dirs([tmp_path / "gone" / "a.md", tmp_path / "b.md", tmp_path / "c.md"])
    assert flushed == [f"dir:{tmp_path}"]


def test_the_digest_cache_is_saved_without_a_flush(
    tmp_path: Path, flushed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from i18n_posts.sync.digests import FileDigests

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    post = tmp_path / "a.md"
    post.write_text("第一段。\n", encoding="utf-8")
    os.utime(post, (1_000_000_000, 1_000_000_000))  # old enough to be remembered
    cache = FileDigests(tmp_path)
    assert cache.file(post) is not None
    cache.save()
    assert cache.path.is_file() and str(post) in cache.path.read_text(encoding="utf-8")
    assert flushed == []  # lost or torn by a power cut, it is read as empty
