"""The command line where it speaks to a maintainer: config found from any folder of the
repository, a pattern that matches nothing is an error, a server that is not there is named."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app

CONFIG = 'include = ["src/posts/*.md"]\noutput = "src/en/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "blog"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "posts").mkdir(parents=True)
    (root / "src" / "posts" / "a.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (root / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    return root


def test_the_config_is_found_from_a_subfolder(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(blog / "src" / "posts")
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 0, r.output
    assert (blog / "src" / "en" / "posts" / "a.md").is_file()


def test_the_search_stops_at_the_repository_root(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = blog / "vendor" / "other"
    (inner / ".git").mkdir(parents=True)
    monkeypatch.chdir(inner)
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 2 and "no i18n-posts.toml" in r.output


def test_a_pattern_that_matches_nothing_is_an_error(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(blog)
    (blog / "i18n-posts.toml").write_text(CONFIG.replace("src/posts/*.md", "src/post/*.md"), encoding="utf-8")
    for args in (["sync"], ["sync", "--check"]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 2 and "include pattern 'src/post/*.md' matches no file" in r.output


def test_a_server_that_is_not_there_is_named_at_once(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.chdir(blog)
    url = f"http://127.0.0.1:{port}/v1"
    (blog / "i18n-posts.toml").write_text(
        CONFIG.replace('name = "pseudo"', f'name = "openai"\nbase_url = "{url}"\nmodel = "m"'),
        encoding="utf-8",
    )
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 1
    assert f"cannot connect to http://127.0.0.1:{port}" in r.output and "is the server running?" in r.output
    assert r.output.count("cannot connect") <= 2  # said once for the run (and once for the post)


def test_paths_in_messages_are_relative_to_the_repository_root(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (blog / "src" / "posts" / "bad.md").write_bytes(b"# \xff\n")
    monkeypatch.chdir(blog / "src")
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 1
    assert "error: src/posts/bad.md:1: not valid UTF-8" in r.stderr, r.stderr
    assert str(blog) not in r.stdout + r.stderr
    r = CliRunner().invoke(app, ["sync", "--json"])
    assert str(blog) not in r.stdout + r.stderr and "error: src/posts/bad.md:1:" in r.stderr
