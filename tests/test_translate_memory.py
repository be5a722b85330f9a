"""`translate` inside a configured repository reads and adds to the repository's memory, by the
same rules as `sync`: reuse, origins, what is kept."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app

from conftest import DATA

POST = DATA / "posts" / "inline.md"
OUT = "src/en/posts/{stem}{ext}"
CONFIG = (
    'include = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'
)


@pytest.fixture
def blog(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "src" / "posts").mkdir(parents=True)
    shutil.copy(POST, tmp_path / "src" / "posts" / "a.md")
    (tmp_path / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_translate_reuses_the_memory_and_sync_agrees(blog):
    assert invoke("sync").exit_code == 0
    po = blog / "locales" / "en" / "src" / "posts" / "a.po"
    assert "# machine: pseudo" in po.read_text(encoding="utf-8")
    # translating again needs nothing from the backend: a failing one does not matter
    fail = f"command={shutil.which('false')}"
    r = invoke("translate", "src/posts/a.md", "--to", "en", "--backend", "command", "--backend-option", fail,
               "--output", "copy/{stem}{ext}")  # fmt: skip
    assert r.exit_code == 0, r.output
    copy = (blog / "copy" / "a.md").read_text(encoding="utf-8")
    assert "../src/images/" in copy or "images/" in copy  # links re-pointed for the copy's folder
    r = invoke("sync")
    assert r.exit_code == 0 and "0 units sent" in r.output, r.output


def test_a_preview_backend_never_writes_into_the_memory(blog):
    r = invoke("translate", "src/posts/a.md", "--to", "en", "--backend", "pseudo", "--output", OUT)
    assert r.exit_code == 0, r.output
    assert not (blog / "locales").exists()  # pseudo text would be published by the next sync


def test_translate_keeps_every_entry_and_records_origins_as_sync_does(blog, service):
    # the config translates a front matter key that `translate`'s defaults do not
    config = CONFIG.replace(
        "[backend]", 'front_matter_keys = ["title", "description", "author.name"]\n[backend]'
    )
    (blog / "i18n-posts.toml").write_text(config, encoding="utf-8")
    assert invoke("sync").exit_code == 0
    po = blog / "locales" / "en" / "src" / "posts" / "a.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "田川"' in text
    # a person reviews the author's name in the PO file
    text = re.sub(r'(msgid "田川"\nmsgstr )"[^"]*"', r'\1"Tian Chuan"', text)
    po.write_text(text, encoding="utf-8")
    # the post changes: one new paragraph for the backend, and the last one goes
    post = blog / "src" / "posts" / "a.md"
    last = "版权所有&nbsp;&copy;&nbsp;飞桨开源社区，保留所有权利。"
    assert last in post.read_text(encoding="utf-8")
    gone = re.search(r'msgid "(版权所有[^"]*)"', text).group(1)
    post.write_text(post.read_text(encoding="utf-8").replace(last, "新增的一段话。"), encoding="utf-8")
    r = invoke("translate", "src/posts/a.md", "--to", "en", "--backend", "openai",
               "--backend-option", f"base_url={service.base_url}", "--backend-option", "model=any",
               "--backend-option", "api_key_env=FAKE_KEY", "--output", "copy/{stem}{ext}")  # fmt: skip
    assert r.exit_code == 0, r.output
    after = po.read_text(encoding="utf-8")
    assert 'msgid "田川"\nmsgstr "Tian Chuan"' in after  # the reviewed config-only unit is kept
    assert f'msgid "{gone}"' in after  # and the entry of the unit that went: sync makes it obsolete
    assert "Tian Chuan" in (blog / "copy" / "a.md").read_text(encoding="utf-8")
    # the new unit's origin is written as sync writes it: backend/model and the text's digest
    assert re.search(
        r"# machine: openai/any #[0-9a-f]{8}\n#: src/posts/a\.md:\d+\nmsgid \"新增的一段话。\"", after
    )
    # sync takes it from there with nothing to send, and keeps the review
    r = invoke("sync")
    assert r.exit_code == 0 and "0 units sent" in r.output, r.output
    assert "Tian Chuan" in (blog / "src" / "en" / "posts" / "a.md").read_text(encoding="utf-8")


def test_segmentation_options_a_configured_post_does_not_use_are_named(blog):
    args = ["--output", "copy/{stem}{ext}", "--front-matter-key", "author.name", "--anchors", "keep"]
    r = invoke("translate", "src/posts/a.md", "--to", "en", "--backend", "pseudo", *args)
    assert r.exit_code == 0, r.output
    assert "is a post of the repository configured in i18n-posts.toml" in r.output
    assert "--front-matter-key, --anchors not used for it" in r.output
    assert "田川" in (blog / "copy" / "a.md").read_text(encoding="utf-8")  # the config's keys: not translated
    outside = blog / "elsewhere.md"
    shutil.copy(POST, outside)
    r = invoke("translate", str(outside), "--to", "en", "--backend", "pseudo",
               "--front-matter-key", "author.name")  # fmt: skip
    assert r.exit_code == 0 and "not used" not in r.output, r.output
    assert "田川" not in outside.with_name("elsewhere.en.md").read_text(encoding="utf-8")  # used there
