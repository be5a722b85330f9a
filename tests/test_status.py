"""`i18n-posts status`: every state a post can be in, the shares of reviewed and machine
translations, totals, `--locale`, `--json`, exit 0, and no parse of an unchanged post."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app
from i18n_posts.segment import Segmenter

CONFIG = (
    'target_locales = ["en", "ja"]\ninclude = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n'
    '[backend]\nname = "pseudo"\n'
)
POSTS = {
    "a.md": "# 标题甲\n\n甲的正文。\n",
    "b.md": "# 标题乙\n\n乙的正文。\n\n乙的第二段。\n",
    "c.md": "# 标题丙\n\n丙的正文。\n",
    "d.md": "# 标题丁\n\n丁的正文。\n",
    "e.md": "# 标题戊\n\n戊的正文。\n",
}


def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five posts synced into en and ja, then: b's source changed, c's output deleted, d's
    output edited by hand, e's source deleted, a msgstr of a's memory edited."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "blog"
    (root / ".git").mkdir(parents=True)
    posts = root / "src" / "posts"
    posts.mkdir(parents=True)
    for name, text in POSTS.items():
        (posts / name).write_text(text, encoding="utf-8")
    (root / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(root)
    assert invoke("sync")[0] == 0
    (posts / "b.md").write_text(
        POSTS["b.md"].replace("乙的第二段。", "乙的第二段，改了。\n\n新的一段。"), "utf-8"
    )
    (root / "src" / "en" / "posts" / "c.md").unlink()
    out = root / "src" / "en" / "posts" / "d.md"
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[2]  # the paragraph
    out.write_text(text.replace(first, "A sentence a person wrote."), encoding="utf-8")
    (posts / "e.md").unlink()
    po = root / "locales" / "en" / "src" / "posts" / "a.po"
    body = po.read_text(encoding="utf-8")
    msgstr = re.findall(r'^msgstr "(.+)"$', body, re.M)[-1]
    po.write_text(body.replace(f'msgstr "{msgstr}"', 'msgstr "The body of A, checked."'), encoding="utf-8")
    return root


def test_status_table(blog: Path) -> None:
    code, out, err = invoke("status", "--locale", "en")
    assert code == 0, err
    rows = out.splitlines()
    assert rows[0].split() == ["post", "locale", "state", "reviewed", "machine"]
    table = {r.split()[0]: re.split(r"\s{2,}", r)[2:] for r in rows[1:-1]}
    assert table == {
        "src/posts/a.md": ["stale", "50%", "50%"],  # the PO edit is not in the output yet
        "src/posts/b.md": ["stale: 2 units", "0%", "100%"],  # the memory as it is: sync retires the old
        "src/posts/c.md": ["missing", "0%", "100%"],
        "src/posts/d.md": ["edited by hand", "0%", "100%"],
        "src/posts/e.md": ["orphaned", "0%", "100%"],
    }
    assert (
        rows[-1]
        == "total: 5 posts x 1 locale: 1 edited, 1 missing, 1 orphaned, 2 stale; 9.1% reviewed, 90.9% machine"
    )


def test_status_json_and_every_locale(blog: Path) -> None:
    code, out, _ = invoke("status", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["schema"] == 1 and report["command"] == "status"
    states = {(p["source"], p["locale"]): p["state"] for p in report["posts"]}
    assert (
        states[("src/posts/a.md", "ja")] == "up to date" and states[("src/posts/c.md", "ja")] == "up to date"
    )
    assert states[("src/posts/b.md", "ja")] == "stale" and states[("src/posts/e.md", "ja")] == "orphaned"
    assert states[("src/posts/d.md", "en")] == "edited"
    b = next(p for p in report["posts"] if p["source"] == "src/posts/b.md" and p["locale"] == "en")
    assert b["stale_units"] == 2 and b["entries"] == 3 and b["machine"] == 3
    t = report["totals"]
    assert t["posts"] == 5 and t["locales"] == 2 and t["stale_units"] == 4
    assert t["states"] == {"edited": 1, "missing": 1, "orphaned": 2, "stale": 3, "up to date": 3}


def test_status_changes_nothing_and_parses_only_what_changed(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()}
    parsed: list[str] = []
    real = Segmenter.segment

    def segment(self, post, *args):  # noqa: ANN001, ANN002, ANN202
        parsed.append(post.path.name)
        return real(self, post, *args)

    monkeypatch.setattr(Segmenter, "segment", segment)
    assert invoke("status")[0] == 0
    assert {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()} == before
    # a.md (en: its memory changed), b.md (both), c.md (en: no output), d.md (en: edited; its
    # output is parsed too, to align the edit)
    assert sorted(parsed) == ["a.md", "b.md", "b.md", "c.md", "d.md", "d.md"]


def test_status_of_an_unknown_locale_is_a_usage_error(blog: Path) -> None:
    code, _, err = invoke("status", "--locale", "fr")
    assert code == 2 and "--locale fr: not a target locale" in err


def test_a_unit_kept_in_the_source_language_is_in_the_memory_status_and_next_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, service
) -> None:
    """on_unit_failure = keep-source: the post is written, the failing unit is a fuzzy empty
    entry of the PO file (with why), status counts it, and the next sync sends only it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("# Title\n\n正文，[链接](https://example.com)在这里。\n", encoding="utf-8")
    (tmp_path / "i18n-posts.toml").write_text(
        'include = ["a.md"]\noutput = "{locale}/{stem}{ext}"\non_unit_failure = "keep-source"\n'
        f'[backend]\nname = "openai"\nbase_url = "{service.base_url}"\nmodel = "any"\n'
        'api_key_env = "FAKE_KEY"\n',
        encoding="utf-8",
    )
    service.always("untranslated")  # the one unit to send can never pass
    code, out, err = invoke("sync")
    assert code == 0, out + err
    assert "1 unit kept in the source language" in out + err
    assert "正文，[链接](https://example.com)在这里。" in (tmp_path / "en" / "a.md").read_text(
        encoding="utf-8"
    )
    po = (tmp_path / "locales" / "en" / "a.po").read_text(encoding="utf-8")
    entry = r"# kept in the source language\n# why: [^\n]*still in the source language\n#: a.md:3\n#, fuzzy\n"
    assert re.search(entry + r'msgid "正文，<g1>链接</g1>在这里。"\nmsgstr ""', po), po
    code, out, _ = invoke("status", "--json")
    doc = json.loads(out)
    assert (doc["totals"]["kept_source"], doc["posts"][0]["state"]) == (1, "stale"), out
    code, out, _ = invoke("status")
    assert "stale: 1 unit (1 kept in the source language)" in out
    service.always(None)
    before = len(service.requests)
    code, out, err = invoke("sync")
    assert code == 0, out + err
    sent = [
        u for r in service.requests[before:] for u in re.findall("正文", r["json"]["messages"][-1]["content"])
    ]
    assert len(service.requests) - before == 1 and sent == ["正文"]
    assert "kept in the source language" not in (tmp_path / "locales" / "en" / "a.po").read_text(
        encoding="utf-8"
    )
    assert invoke("status", "--json")[1].count('"kept_source": 0') == 2
