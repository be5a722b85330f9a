"""The review pages in a real browser: headless Chromium (Debian's `chromium`, driven through
Playwright's Python client) against the real `i18n-posts review --serve` process, and
the static report opened from files. The machine's network is closed; every request a
page makes is watched, and any request that is not to the review server (or, for the
static report, not the page's own file) fails the test.

Skipped, with the reason, where Chromium or Playwright is missing (.ci/run installs both)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from i18n_posts.memory.po import REVIEWED
from i18n_posts.review.collect import collect_post, review_context
from test_review import DATA, OUT, PO, POST, SCRIPT, Repo, add_hostile_post, find_cfg, make_repo

CHROMIUM = os.environ.get("I18N_POSTS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium for the module, with an empty profile of its own."""
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


class Watch:
    """Every request of a page; those not `allowed` are refused and remembered."""

    def __init__(self, page: Any, allowed: str) -> None:
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self.route)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.allowed = allowed

    def route(self, route: Any) -> None:
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()


@pytest.fixture
def pages(browser: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for p in opened:
        p.close()


def open_page(browser: Any, pages: list[Any], url: str, allowed: str) -> tuple[Any, Watch]:
    page = browser.new_page()
    pages.append(page)
    watch = Watch(page, allowed)
    page.goto(url)
    return page, watch


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return make_repo(tmp_path, monkeypatch, spawn=True)


@pytest.fixture
def serve(repo: Repo) -> Iterator[str]:
    """`i18n-posts review --serve` in the repository, for real; yields the address it prints."""
    proc = subprocess.Popen(
        [str(SCRIPT), "review", "--serve", "--port", "0"],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[\w-]+)", line)
        assert m, line + proc.stderr.read()  # type: ignore[union-attr]
        yield m.group(1)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)  # also closes the pipes


def post_url(index: str, source: str) -> str:
    base, token = index.split("/?token=")
    return f"{base}/post?path={source}&locale=en&token={token}"


def paragraph_with_a_pair(repo: Repo) -> Any:
    ctx = review_context(find_cfg(repo))
    return next(
        u
        for u in collect_post(ctx, POST, "en").units
        if u.unit.kind == "paragraph" and "</g1>" in u.unit.text
    )


def edit(page: Any, uid: str) -> Any:
    row = page.locator(f"article#{uid}")
    row.locator("button.edit").click()
    return row


def test_edit_a_unit_see_a_placeholder_error_fix_it_save_and_sync_keeps_it(browser, pages, serve, repo: Repo):
    u = paragraph_with_a_pair(repo)
    page, watch = open_page(browser, pages, post_url(serve, POST), serve.split("/?")[0])
    row = edit(page, u.unit.id)
    area = row.locator("textarea")
    assert area.input_value() == u.translation
    area.fill(u.translation.replace("</g1>", "", 1))  # the tag deleted
    checks = row.locator(".live-issues")
    sync_api.expect(checks).to_contain_text("placeholders lost: </g1>")
    sync_api.expect(row.locator("button.save")).to_be_disabled()
    fixed = u.translation + " Reviewed in the browser."
    area.fill(fixed)
    sync_api.expect(checks).to_contain_text("passes the checks")
    sync_api.expect(row.locator(".preview")).to_contain_text("Reviewed in the browser.")
    row.locator("button.save").click()
    sync_api.expect(page.locator("#banner")).to_contain_text("saved line")
    sync_api.expect(row).to_have_attribute("data-state", "reviewed")
    sync_api.expect(row.locator(".tgt")).to_contain_text("Reviewed in the browser.")
    assert watch.foreign == [] and watch.errors == []
    # the memory holds it as reviewed, the output holds it, and sync sends nothing and keeps it
    e = repo.memory().entries[u.unit.text]
    assert (e.translation, e.origin, e.fuzzy) == (fixed, REVIEWED, False)
    assert "#. reviewed" not in (repo.root / PO).read_text(encoding="utf-8")
    assert "Reviewed in the browser." in (repo.root / OUT).read_text(encoding="utf-8")
    code, text = repo.run("sync", "-v")
    assert code == 0 and "sync: 1 unchanged; 0 units sent" in text, text
    assert repo.sent() == []
    assert repo.memory().entries[u.unit.text].translation == fixed
    assert "Reviewed in the browser." in (repo.root / OUT).read_text(encoding="utf-8")


def test_two_pages_edit_the_same_post_and_no_edit_is_lost(browser, pages, serve, repo: Repo):
    ctx = review_context(find_cfg(repo))
    first, second = [u for u in collect_post(ctx, POST, "en").units if u.unit.kind == "paragraph"][:2]
    allowed = serve.split("/?")[0]
    a, wa = open_page(browser, pages, post_url(serve, POST), allowed)
    b, wb = open_page(browser, pages, post_url(serve, POST), allowed)
    # both pages open their editors before either saves: other units, then the same unit
    row_a, row_b = edit(a, first.unit.id), edit(b, second.unit.id)
    row_a.locator("textarea").fill(first.translation + " (from page A)")
    row_b.locator("textarea").fill(second.translation + " (from page B)")
    same_b = edit(b, first.unit.id)
    same_b.locator("textarea").fill(first.translation + " (a late edit from page B)")
    row_a.locator("button.save").click()
    sync_api.expect(a.locator("#banner")).to_contain_text(f"saved line {first.unit.line} ")
    row_b.locator("button.save").click()
    sync_api.expect(b.locator("#banner")).to_contain_text(f"saved line {second.unit.line} ")
    mem = repo.memory()
    assert mem.entries[first.unit.text].translation.endswith("(from page A)")
    assert mem.entries[second.unit.text].translation.endswith("(from page B)")
    # page B's edit of the unit page A changed meanwhile is refused, and says so
    same_b.locator("button.save").click()
    sync_api.expect(same_b.locator(".error")).to_contain_text("changed since this page was loaded")
    sync_api.expect(b.locator("#banner")).to_contain_text("not saved")
    assert repo.memory().entries[first.unit.text].translation.endswith("(from page A)")
    # after a reload page B sees page A's edit and may edit it
    b.reload()
    row = edit(b, first.unit.id)
    assert row.locator("textarea").input_value().endswith("(from page A)")
    row.locator("textarea").fill(first.translation + " (from page A, then B)")
    row.locator("button.save").click()
    sync_api.expect(row.locator(".tgt")).to_contain_text("(from page A, then B)")
    out = (repo.root / OUT).read_text(encoding="utf-8")
    assert "(from page A, then B)" in out and "(from page B)" in out
    assert wa.foreign == wb.foreign == [] and wa.errors == wb.errors == []


XSS_CHECK = """() => ({
  flag: window.__xss === undefined ? null : window.__xss,
  handlers: [...document.querySelectorAll('*')]
    .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  scripts: [...document.scripts].filter(s => s.type !== 'application/json').length,
})"""


@pytest.fixture
def hostile(repo: Repo) -> str:
    return add_hostile_post(repo)


def test_scripts_and_handlers_in_a_post_and_its_translation_are_shown_as_text(
    browser, pages, hostile: str, serve, repo: Repo
):
    rel = hostile  # added before the server starts
    allowed = serve.split("/?")[0]
    page, watch = open_page(browser, pages, post_url(serve, rel), allowed)
    shown = page.locator("main").inner_text()
    for n in (2, 5):
        assert f"<script>window.__xss = {n}</script>" in shown
    assert '" onerror="window.__xss = 3"' in shown and '" onerror="window.__xss = 6"' in shown
    assert "<script>window.__xss = 1</script>" in page.locator("h1").inner_text()
    # in the editor and its live preview too
    para = page.locator("article.unit", has_text="这是一段文字")
    para.locator("button.edit").click()
    area = para.locator("textarea")
    area.fill(area.input_value() + ' <img src=x onerror="window.__xss = 7">')
    sync_api.expect(para.locator(".preview")).to_contain_text("window.__xss = 5")
    assert page.evaluate(XSS_CHECK) == {"flag": None, "handlers": 0, "scripts": 1}
    assert watch.dialogs == [] and watch.errors == []
    assert watch.foreign == []  # the post's <img src=x> is shown, never fetched
    # the static report of the same post
    code, text = repo.run("review", rel, "--out", "report")
    assert code == 0, text
    static = repo.root / "report" / "en" / "examples" / "posts" / "hostile.html"
    page2, watch2 = open_page(browser, pages, static.as_uri(), static.as_uri())
    assert "<script>window.__xss = 2</script>" in page2.locator("main").inner_text()
    assert page2.evaluate(XSS_CHECK) == {"flag": None, "handlers": 0, "scripts": 1}
    assert watch2.dialogs == [] and watch2.foreign == []


def test_the_static_report_of_the_example_and_ten_corpus_posts_opens_without_network(
    browser, pages, repo: Repo
):
    corpus = sorted((DATA / "corpus").glob("*.md"))[:10]
    for p in corpus:
        shutil.copyfile(p, repo.root / "examples" / "posts" / p.name)
    (repo.root / "i18n-posts.toml").write_text(
        (repo.root / "i18n-posts.toml").read_text(encoding="utf-8").split("[backend]")[0]
        + '[backend]\nname = "pseudo"\n',
        encoding="utf-8",
    )
    code, text = repo.run("sync")
    assert code == 0, text
    code, text = repo.run("review", "--out", "report")
    assert code == 0 and "11 page(s)" in text, text
    index = repo.root / "report" / "index.html"
    page, watch = open_page(browser, pages, index.as_uri(), index.as_uri())
    links = page.locator("table.index a")
    assert links.count() == 11
    hrefs = [links.nth(i).get_attribute("href") for i in range(11)]
    for href in hrefs:
        target = (index.parent / href).resolve()
        p, w = open_page(browser, pages, target.as_uri(), target.as_uri())
        n = p.locator("article.unit").count()
        assert n > 0 and p.locator("#counts").get_attribute("data-units") == str(n)
        assert w.foreign == [] and w.errors == [], (href, w.foreign, w.errors)
        p.close()
        pages.remove(p)
    assert watch.foreign == []
    # filters and keys work without a server
    p, w = open_page(browser, pages, (index.parent / hrefs[0]).resolve().as_uri(), "file://")
    p.locator("select[name=kind]").select_option("heading")
    shown = p.locator("article.unit:visible")
    assert shown.count() == p.locator('article.unit[data-kind="heading"]').count() > 0
    p.keyboard.press("j")
    assert p.evaluate("document.activeElement.dataset.kind") == "heading"
