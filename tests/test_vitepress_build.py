"""A VitePress build of a small site laid out like the PFCC blog (tests/data/site/: its
config with a second locale, the blog's Message, MessageBox and PodcastPlayer components
imported from `<script setup>`, images, maths, an in-page table of contents, a table, links
between posts, plus one real post), with the English made by `sync` with the `pseudo` backend
and with a hostile command backend (tests/data/backends/hostile.py): 0 compile failures, 0 dead
links (the build stops on either), an article body on every page, every in-page anchor
resolved, for the source and the English pages; what the hostile backend wrote shows as text.

Needs Node.js and VitePress 1.6.4 in .ci/cache/vitepress (`.ci/run` installs it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vitepress_site import article_body, build, element_ids, elements, in_page_links, lay_out, missing, sync

SITE = Path(__file__).resolve().parent / "data" / "site"

needs_vitepress = pytest.mark.skipif(missing() is not None, reason=f"VitePress build skipped: {missing()}")


@needs_vitepress
@pytest.mark.parametrize("backend", ["pseudo", "hostile"])
def test_the_site_builds_with_its_english_posts(tmp_path: Path, backend: str) -> None:
    lay_out(tmp_path, SITE, SITE / "posts", backend)
    s = sync(tmp_path)
    assert s.returncode == 0, s.stdout + s.stderr
    english = sorted((tmp_path / "src" / "en" / "posts").glob("*.md"))
    assert [p.name for p in english] == sorted(p.name for p in (SITE / "posts").glob("*.md"))

    b = build(tmp_path)
    assert b.ok, "\n".join(b.failures) or b.log[-3000:]
    assert len(b.pages) == 2 * len(english)
    assert b.no_body == ()
    assert b.unresolved == ()
    assert b.anchors >= 2 * 8  # the source's own in-page links, and the English ones

    dist = tmp_path / "src" / ".vitepress" / "dist"
    for md in english:
        page = (dist / "en" / "posts" / md.name).with_suffix(".html").read_text(encoding="utf-8")
        assert '<html lang="en-US"' in page
        source = (dist / "posts" / md.name).with_suffix(".html").read_text(encoding="utf-8")
        # what a translation wrote became no element, comment or heading: the same elements
        assert elements(page) == elements(source), md.name
        body = article_body(page)
        assert "5555" not in body  # no interpolation was compiled
        if backend == "hostile":  # and it is on the page, as text
            assert body.count("{{ 1234+4321 }}") > 0 and body.count("<PID>") > 0, md.name


@needs_vitepress
def test_a_broken_page_fails_the_build(tmp_path: Path) -> None:
    """The check can fail: a page Vue cannot compile stops the build."""
    lay_out(tmp_path, SITE, SITE / "posts", "pseudo")
    shutil.copy(SITE / "posts" / "podcast-post.md", tmp_path / "src" / "posts" / "broken.md")
    with (tmp_path / "src" / "posts" / "broken.md").open("a", encoding="utf-8") as f:
        f.write("\n<div>{{ unclosed\n")
    b = build(tmp_path)
    assert not b.ok and b.failures


def test_an_anchor_without_its_element_is_found() -> None:
    page = '<a href="#%E7%9B%AE%E5%BD%95">x</a><a class="header-anchor" href="#b">#</a><h2 id="目录">'
    assert in_page_links(page) == ["目录"] and "目录" in element_ids(page)
    assert in_page_links('<a href="#gone">x</a>') == ["gone"] and element_ids("<p id='x'>") == {"x"}
