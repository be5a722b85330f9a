"""`translate` inside a configured repository reads and adds to the repository's memory."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from i18n_posts.cli import app

from conftest import DATA

POST = DATA / "posts" / "inline.md"
OUT = "src/en/posts/{stem}{ext}"
CONFIG = (
    'include = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'
)


def test_translate_reuses_and_feeds_the_memory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "src" / "posts").mkdir(parents=True)
    shutil.copy(POST, tmp_path / "src" / "posts" / "a.md")
    (tmp_path / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    # translate first: the memory is created
    r = runner.invoke(
        app, ["translate", "src/posts/a.md", "--to", "en", "--backend", "pseudo", "--output", OUT]
    )
    assert r.exit_code == 0, r.output
    po = tmp_path / "locales" / "en" / "src" / "posts" / "a.po"
    assert po.is_file() and "# machine: pseudo" in po.read_text(encoding="utf-8")
    # translating again needs nothing from the backend: a failing one does not matter
    fail = f"command={shutil.which('false')}"
    r = runner.invoke(
        app,
        [
            "translate",
            "src/posts/a.md",
            "--to",
            "en",
            "--backend",
            "command",
            "--backend-option",
            fail,
            "--output",
            OUT,
        ],
    )
    assert r.exit_code == 0, r.output
    out = tmp_path / "src" / "en" / "posts" / "a.md"
    first = out.read_bytes()
    assert b"../../images/" in first  # links re-pointed for the output's folder
    # and sync builds its own output from the same memory, sending nothing
    r = runner.invoke(app, ["sync", "--config", "i18n-posts.toml"])
    assert r.exit_code == 0, r.output
    assert "0 units sent" in r.output
    assert out.read_bytes() == first
