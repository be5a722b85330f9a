"""`i18n-posts review`: the static report and the review server's API, for real, in a throwaway
copy of the example repository (the post, its committed memory, the glossary). The browser
drives the same server in test_review_browser.py.

The copy's backend is tests/data/sync/recorder.py, which logs every request it receives:
`sent()` tells whether a sync sent anything."""

from __future__ import annotations

import gc
import html
import json
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app
from i18n_posts.glossary import Glossary
from i18n_posts.memory.po import REVIEWED, Entry, read_memory, render_memory
from i18n_posts.review.collect import collect_post, review_context
from i18n_posts.review.render import clean, source_marker

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
RECORDER = DATA / "sync" / "recorder.py"
SCRIPT = Path(sys.executable).parent / "i18n-posts"
POST = "examples/posts/xdu-xjtu-os.md"
OUT = "examples/site/en/xdu-xjtu-os.md"
PO = "locales/en/examples/posts/xdu-xjtu-os.po"

HOSTILE_POST = """\
---
title: 标题 <script>window.__xss = 1</script>
---

这是一段文字 <script>window.__xss = 2</script> 和 " onerror="window.__xss = 3" 的说明。

另一段 <img src=x onerror="window.__xss = 4"> 图片。
"""
HOSTILE_TRANSLATION = 'Text <script>window.__xss = 5</script> and " onerror="window.__xss = 6" here'


class Repo:
    """A copy of the example repository with the recorder as its backend."""

    def __init__(self, root: Path, log: Path, spawn: bool = False) -> None:
        self.root, self.log, self.spawn = root, log, spawn

    def run(self, *args: str) -> tuple[int, str]:
        """The command, in this process (or, with `spawn`, as a program: a test that drives a
        browser holds an event loop in this thread)."""
        if self.spawn:
            p = subprocess.run(
                [str(SCRIPT), *args], cwd=self.root, capture_output=True, text=True, timeout=600
            )
            assert "Traceback" not in p.stderr, p.stderr
            return p.returncode, p.stdout + p.stderr
        result = CliRunner().invoke(app, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        code, text = result.exit_code, result.stdout + result.stderr
        del result
        gc.collect()
        assert "Traceback" not in text, text
        return code, text

    def sent(self) -> list[dict[str, Any]]:
        """The units the recorder received since the last call (the log is then cleared)."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        self.log.unlink()
        return [u for line in lines if line for u in json.loads(line)["units"]]

    def memory(self, source: str = POST) -> Any:
        po = self.root / "locales" / "en" / Path(source).with_suffix(".po")
        return read_memory(po, source, "en")

    def set_entry(self, source: str, msgid: str, entry: Entry) -> None:
        """Change one PO entry as a person editing the file would (state line kept)."""
        mem = self.memory(source)
        old = mem.entries.get(msgid)
        mem.entries[msgid] = entry
        order = [(k, e.line) for k, e in mem.entries.items()]
        mem.path.write_bytes(
            render_memory(mem, order, {k: v for k, v in mem.state.items() if k != "entries"})
        )
        assert old is None or old != entry


def make_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spawn: bool = False) -> Repo:
    root = tmp_path / "repo"
    (root / "examples" / "posts").mkdir(parents=True)
    shutil.copyfile(ROOT / POST, root / POST)
    shutil.copytree(ROOT / "locales" / "en", root / "locales" / "en")
    shutil.copyfile(ROOT / "glossary.yml", root / "glossary.yml")
    (root / ".git").mkdir()  # the repository's root for config discovery
    log = tmp_path / "calls.log"
    cmd = shlex.join([sys.executable, str(RECORDER), str(log)])
    (root / "i18n-posts.toml").write_text(
        'source_locale = "zh"\ntarget_locales = ["en"]\ninclude = ["examples/posts/*.md"]\n'
        'output = "examples/site/{locale}/{stem}{ext}"\nmemory = "locales"\nglossary = "glossary.yml"\n'
        f'\n[backend]\nname = "command"\ncommand = {json.dumps(cmd)}\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = Repo(root, log, spawn)
    code, text = repo.run("sync")
    assert code == 0, text
    assert repo.sent() == []  # the committed memory has every unit
    return repo


def add_hostile_post(repo: Repo) -> str:
    """A post whose text and whose translation hold `<script>` and `" onerror=`; synced."""
    rel = "examples/posts/hostile.md"
    (repo.root / rel).write_text(HOSTILE_POST, encoding="utf-8")
    code, text = repo.run("sync")
    assert code == 0, text
    mem = repo.memory(rel)
    para = next(k for k in mem.entries if k.startswith("这是一段文字"))
    repo.set_entry(rel, para, Entry(para, HOSTILE_TRANSLATION, REVIEWED, line=mem.entries[para].line))
    return rel


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return make_repo(tmp_path, monkeypatch)


# -- rendering --------------------------------------------------------------------------------------


def text_of(fragment: str) -> str:
    """What a browser shows of `fragment` (tags removed, references decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def attributes(fragment: str) -> set[str]:
    """The attribute names of every tag in `fragment`, as a browser parses it."""
    from html.parser import HTMLParser

    names: set[str] = set()

    class P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            names.update(k for k, _ in attrs)

    P().feed(fragment)
    return names


def test_clean_shows_any_tag_but_formatting_as_text_and_keeps_no_attribute():
    got = clean(
        '<p>a <script>alert(1)</script> <img src="x" onerror="alert(2)" alt="pic"> '
        '<a href="https://e.x/?a=1&amp;b=&quot;2" onclick="x()">link</a> <strong class=z>b</strong> '
        '<span style="x">s</span>"',
        source_marker(Glossary.of(())),
    )
    assert "<script" not in got and attributes(got) == {"class", "title"}
    assert "a <script>alert(1)</script> [pic]" in text_of(got)
    assert '<span class="img" title="x">[pic]</span>' in got
    assert '<span class="link" title="https://e.x/?a=1&amp;b=&quot;2">link</span>' in got
    assert "<strong>b</strong>" in got
    assert '<span style="x">s</span>"' in text_of(got)


def test_clean_escapes_broken_markup_at_the_end():
    got = clean('x <img src="a" onerror=', source_marker(Glossary.of(())))
    assert got == "x &lt;img src=&quot;a&quot; onerror="


# -- the static report -----------------------------------------------------------------------------


def test_review_writes_a_page_per_post_and_an_index(repo: Repo):
    code, text = repo.run("review", "--out", "report")
    assert code == 0, text
    assert "1 page(s), 50 units" in text
    page = (repo.root / "report" / "en" / "examples" / "posts" / "xdu-xjtu-os.html").read_text(
        encoding="utf-8"
    )
    index = (repo.root / "report" / "index.html").read_text(encoding="utf-8")
    assert page.count('<article class="unit') == 50
    assert "100%</b> reviewed" in page and "the output is what sync writes" in page
    assert 'href="en/examples/posts/xdu-xjtu-os.html"' in index
    # self-contained: no address of another site, no file loaded from anywhere
    for doc in (page, index):
        assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in doc
        assert " src=" not in doc and "<link" not in doc
    assert '<mark class="term" title="飞桨开源社区 → PaddlePaddle Open Source Community' in page


def test_states_follow_the_rules_of_sync(repo: Repo):
    mem = repo.memory()
    keys = list(mem.entries)
    ctx = review_context(find_cfg(repo))
    units = {u.unit.text: u for u in collect_post(ctx, POST, "en").units}
    with_tags = next(k for k in keys if "</g1>" in k)
    e = mem.entries[with_tags]
    repo.set_entry(POST, with_tags, Entry(with_tags, "machine text", "machine: x/y #00000000", line=e.line))
    fuzzy = keys[3]
    repo.set_entry(
        POST,
        fuzzy,
        Entry(fuzzy, "old", "machine: x/y", fuzzy=True, previous="旧的原文", line=units[fuzzy].unit.line),
    )
    term = next(k for k in keys if "飞桨开源社区" in k and "<" not in k and k not in (fuzzy, with_tags))
    repo.set_entry(POST, term, Entry(term, "No term here", REVIEWED, line=units[term].unit.line))
    gone = keys[5]
    mem = repo.memory()
    del mem.entries[gone]
    mem.path.write_bytes(render_memory(mem, [(k, e.line) for k, e in mem.entries.items()], {}))
    got = {u.unit.text: u for u in collect_post(review_context(find_cfg(repo)), POST, "en").units}
    assert got[with_tags].state == "failing" and "placeholders lost" in got[with_tags].issues[0].message
    assert got[fuzzy].state == "fuzzy" and got[fuzzy].previous == "旧的原文"
    assert got[term].state == "warned" and got[term].issues[0].code == "glossary"
    assert got[gone].state == "missing"
    kept = next(
        k for k, u in units.items() if u.state == "reviewed" and k not in (with_tags, fuzzy, term, gone)
    )
    assert got[kept].state == "reviewed"
    code, text = repo.run("review", "--out", "report")
    page = (repo.root / "report" / "en" / "examples" / "posts" / "xdu-xjtu-os.html").read_text(
        encoding="utf-8"
    )
    assert code == 0, text
    assert "<del>旧的原文</del>" in page  # the fuzzy unit's previous source, as a diff
    assert "some units have no usable translation" in page


def find_cfg(repo: Repo) -> Any:
    from i18n_posts.config import find_config

    return find_config(repo.root)


def test_review_names_a_file_that_is_not_a_post_and_exits_2(repo: Repo):
    code, text = repo.run("review", "README.md")
    assert code == 2 and "README.md: not" in text
    code, text = repo.run("review", "--locale", "fr")
    assert code == 2 and "--locale fr" in text


def test_static_report_of_a_hostile_post_shows_its_scripts_as_text(repo: Repo):
    rel = add_hostile_post(repo)
    code, text = repo.run("review", rel, "--out", "report")
    assert code == 0, text
    page = (repo.root / "report" / "en" / "examples" / "posts" / "hostile.html").read_text(encoding="utf-8")
    scripts = page.count("<script")
    assert scripts == 1  # the page's own, with its nonce
    shown = text_of(page)
    for n in (1, 2, 5):
        assert f"<script>window.__xss = {n}</script>" in shown
    assert '" onerror="window.__xss = 3"' in shown and '" onerror="window.__xss = 6"' in shown
    assert '<span class="img" title="x">[]</span> 图片' in page  # an image: its path, never its handlers
    assert "onerror" not in attributes(page)


# -- the server's API ------------------------------------------------------------------------------


@pytest.fixture
def server(repo: Repo):
    from i18n_posts.review.server import ReviewServer

    ctx = review_context(find_cfg(repo))
    s = ReviewServer(ctx, [POST], ["en"]).start()
    yield s
    s.close()


def call(server: Any, path: str, body: dict | None = None, token: str | None = None, host: str | None = None):
    url = f"http://127.0.0.1:{server.port}{path}"
    headers = {"X-Review-Token": server.token if token is None else token}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if host is not None:
        headers["Host"] = host
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers)) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def unit_with_pair(repo: Repo) -> tuple[str, str, str]:
    ctx = review_context(find_cfg(repo))
    u = next(
        x
        for x in collect_post(ctx, POST, "en").units
        if "</g1>" in x.unit.text and x.unit.kind == "paragraph"
    )
    return u.unit.id, u.unit.text, u.translation


def test_the_server_wants_its_token_and_its_host_and_serves_only_the_posts(server, repo: Repo):
    assert server.httpd.server_address[0] == "127.0.0.1"  # loopback only
    assert call(server, f"/?token={server.token}")[0] == 200
    assert call(server, "/?token=wrong")[0] == 403
    assert call(server, "/")[0] == 403
    assert call(server, f"/?token={server.token}", host="evil.example:80")[0] == 403
    for path in (
        "../../etc/passwd",
        "i18n-posts.toml",
        "/etc/passwd",
        "examples/posts/../posts/xdu-xjtu-os.md",
    ):
        assert call(server, f"/post?path={path}&locale=en&token={server.token}")[0] == 404
    uid, msgid, tr = unit_with_pair(repo)
    body = {"source": POST, "locale": "en", "unit": uid, "msgid": msgid, "text": tr + " x", "base": tr}
    assert call(server, "/api/save", body, token="")[0] == 403
    assert call(server, "/api/save", {**body, "source": "../../x.md"})[0] == 404
    assert repo.memory().entries[msgid].translation == tr  # nothing was saved


def test_a_save_that_loses_a_placeholder_is_refused_and_nothing_changes(server, repo: Repo):
    uid, msgid, tr = unit_with_pair(repo)
    before = (repo.root / PO).read_bytes(), (repo.root / OUT).read_bytes()
    broken = tr.replace("</g1>", "", 1)
    status, text = call(
        server, "/api/check", {"source": POST, "locale": "en", "unit": uid, "msgid": msgid, "text": broken}
    )
    assert status == 200 and json.loads(text)["blocking"] is True
    assert "placeholders lost: </g1>" in json.loads(text)["issues"][0]
    body = {"source": POST, "locale": "en", "unit": uid, "msgid": msgid, "text": broken, "base": tr}
    status, text = call(server, "/api/save", body)
    assert status == 409 and "placeholders lost" in json.loads(text)["error"]
    assert ((repo.root / PO).read_bytes(), (repo.root / OUT).read_bytes()) == before


def test_saves_from_two_pages_keep_both_edits_and_refuse_a_stale_one(server, repo: Repo):
    ctx = review_context(find_cfg(repo))
    units = [u for u in collect_post(ctx, POST, "en").units if u.unit.kind == "paragraph"][:2]
    for u, word in zip(units, ("first edit", "second edit"), strict=True):
        body = {"source": POST, "locale": "en", "unit": u.unit.id, "msgid": u.unit.text,
                "text": f"{u.translation} ({word})", "base": u.translation}  # fmt: skip
        status, text = call(server, "/api/save", body)
        assert status == 200, text
    # a third page that loaded before the first save edits the first unit again: refused
    u = units[0]
    body = {"source": POST, "locale": "en", "unit": u.unit.id, "msgid": u.unit.text,
            "text": "a stale edit", "base": u.translation}  # fmt: skip
    status, text = call(server, "/api/save", body)
    assert status == 409 and "changed since this page was loaded" in json.loads(text)["error"]
    mem = repo.memory()
    out = (repo.root / OUT).read_text(encoding="utf-8")
    for u, word in zip(units, ("first edit", "second edit"), strict=True):
        e = mem.entries[u.unit.text]
        assert e.origin == REVIEWED and e.translation.endswith(f"({word})")
        assert f"({word})" in out
    assert "a stale edit" not in out
    code, text = repo.run("sync", "-v")
    assert code == 0 and "unchanged" in text and repo.sent() == []


def test_a_save_keeps_a_hand_edit_of_the_output_made_since_the_last_sync(server, repo: Repo):
    ctx = review_context(find_cfg(repo))
    first, second = [u for u in collect_post(ctx, POST, "en").units if u.unit.kind == "paragraph"][:2]
    out = repo.root / OUT
    text = out.read_text(encoding="utf-8")
    assert text.count(first.translation) == 1
    out.write_text(text.replace(first.translation, "Edited in the output by hand."), encoding="utf-8")
    body = {"source": POST, "locale": "en", "unit": second.unit.id, "msgid": second.unit.text,
            "text": "Edited in the review page.", "base": second.translation}  # fmt: skip
    status, answer = call(server, "/api/save", body)
    assert status == 200, answer
    mem = repo.memory()
    assert (mem.entries[first.unit.text].translation, mem.entries[first.unit.text].origin) == (
        "Edited in the output by hand.",
        REVIEWED,
    )
    assert mem.entries[second.unit.text].translation == "Edited in the review page."
    text = out.read_text(encoding="utf-8")
    assert "Edited in the output by hand." in text and "Edited in the review page." in text
    code, report = repo.run("sync", "-v")
    assert code == 0 and "1 unchanged" in report and repo.sent() == []
