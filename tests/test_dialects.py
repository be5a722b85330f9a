"""Dialects: the fixture posts in tests/data/dialects (one or more per generator, written from
the generators' documentation) segment as expected, round-trip through the identity and
pseudo backends, keep their generator syntax, and are detected from the file or repository."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from i18n_posts.assemble import assemble
from i18n_posts.backends import BatchRequest, RequestUnit
from i18n_posts.backends.offline import PseudoBackend
from i18n_posts.check import check_document
from i18n_posts.dialects import DIALECTS, detect
from i18n_posts.load import load_post, parse_post
from i18n_posts.segment import Segmenter, SegmentOptions

from conftest import DATA, HAN

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

FIXTURES = sorted(p for p in (DATA / "dialects").iterdir() if p.suffix in (".md", ".mdx"))
EXPECTED = DATA / "dialects" / "expected"
ids = [p.name for p in FIXTURES]
TAG = re.compile(
    r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}|\{:[^{}\n]*\}|\{[ \t]*#[\w-]+[ \t]*\}", re.S
)
MARKER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|===|/{3}|:{3}).*$|^(?:import|export) .*$", re.M)


def _units(post):
    return [
        {
            "id": u.id,
            "kind": u.kind,
            "line": u.line,
            "text": u.text,
            "placeholders": [post.source.text[p.start : p.end] for p in u.placeholders if p.kind != "close"],
        }
        for u in post.units
    ]


def _pseudo(post):
    request = BatchRequest(tuple(RequestUnit(u.id, u.text) for u in post.units), "zh", "en")
    return PseudoBackend({}).translate(request)


@pytest.mark.parametrize("path", FIXTURES, ids=ids)
def test_units_match_expected(path, segmenter):
    post = segmenter.segment(load_post(path))
    expected = json.loads((EXPECTED / f"{path.name}.json").read_text(encoding="utf-8"))
    assert _units(post) == expected


@pytest.mark.parametrize("path", FIXTURES, ids=ids)
def test_identity_round_trip(path, segmenter):
    post = segmenter.segment(load_post(path))
    assert post.notes == ()
    assert assemble(post, {u.id: u.text for u in post.units}).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize("path", FIXTURES, ids=ids)
def test_pseudo_translates_prose_and_keeps_generator_syntax(path, segmenter):
    post = segmenter.segment(load_post(path))
    out = assemble(post, _pseudo(post))
    assert check_document(segmenter.md_for(post.source), post.source, out, post.blocks) == []
    src = post.source.text
    # every tag, attribute list and marker line without prose is kept as it was, in order
    kept = [t for t in TAG.findall(src) + MARKER.findall(src) if not re.search(HAN, t)]
    got = TAG.findall(out) + MARKER.findall(out)
    assert [t for t in got if t in kept] == kept
    # a tag holding prose keeps its name and its quotes balanced
    for a, b in zip(TAG.findall(src), TAG.findall(out), strict=True):
        assert a.split()[:2] == b.split()[:2] or re.search(HAN, a.split()[1])
        assert a.count('"') == b.count('"')
    # code bodies of templates are never translated
    bodies = re.findall(
        r"\{[{%][<%]?\s*(highlight|codeblock|raw)\b[^\n]*\n(.*?)\n\{[{%][<%]?\s*/?(?:end)?\1", src, re.S
    )
    assert bool(bodies) == bool(re.search(r"\{[{%][<%]?\s*(?:highlight|codeblock|raw)\b", src))
    for _, body in bodies:
        assert body in out
    if post.source.front_matter_format == "toml":
        a, b = (tomllib.loads(t.split("+++")[1]) for t in (src, out))
        assert {k: v for k, v in a.items() if k not in ("title", "description")} == {
            k: v for k, v in b.items() if k not in ("title", "description")
        }
        assert not re.search(HAN, b["title"])


def test_toml_values_are_written_as_valid_toml(segmenter, tmp_path):
    post = segmenter.segment(parse_post(tmp_path / "a.md", "+++\ntitle = '标题'\n+++\n\n正文\n".encode()))
    title = next(u for u in post.units if u.kind == "front_matter")
    out = assemble(post, {title.id: 'It\'s "quoted" \\ here'})
    assert tomllib.loads(out.split("+++")[1])["title"] == 'It\'s "quoted" \\ here'


def test_a_quote_in_a_translated_caption_keeps_the_shortcode_whole(segmenter, tmp_path):
    src = '{{< figure src="a.png" caption="图一" >}}\n'
    post = segmenter.segment(parse_post(tmp_path / "a.md", src.encode()))
    (unit,) = post.units
    assert (unit.text, unit.context) == ("图一", "template")
    out = assemble(post, {unit.id: 'The "new" design'})
    assert out == '{{< figure src="a.png" caption="The \u201cnew\u201d design" >}}\n'


def test_liquid_include_arguments_are_translated(segmenter, tmp_path):
    src = '{% include note.html content="这是一条提示" url="/a/b" %}\n'
    post = segmenter.segment(parse_post(tmp_path / "a.md", src.encode()))
    assert [u.text for u in post.units] == ["这是一条提示"]


def test_a_liquid_tag_in_a_code_fence_does_not_decide_the_dialect(tmp_path):
    text = "# 标题\n\n```\n{% raw %}\n/// doc\n```\n"
    assert detect(tmp_path / "a.md", text).name == "vitepress"


@pytest.mark.parametrize(
    ("marker", "dialect"),
    [
        (".vitepress/config.mts", "vitepress"),
        (".vuepress/config.js", "vuepress"),
        ("docusaurus.config.js", "docusaurus"),
        ("mkdocs.yml", "mkdocs"),
        ("hugo.toml", "hugo"),
        ("_config.yml", "jekyll"),
    ],
)
def test_the_repository_decides_the_dialect(tmp_path, marker, dialect):
    (tmp_path / ".git").mkdir()
    (tmp_path / marker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / marker).write_text("", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    post = tmp_path / "docs" / "a.md"
    assert detect(post, "{{< x >}}\n").name == dialect  # the repository wins over the file


def test_hexo_is_told_from_jekyll_by_its_config(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "_config.yml").write_text("title: x\nnew_post_name: :title.md\n", encoding="utf-8")
    assert detect(tmp_path / "a.md", "x\n").name == "hexo"


@pytest.mark.parametrize(
    ("text", "name", "dialect"),
    [
        ("+++\ntitle = 'x'\n+++\n", "a.md", "hugo"),
        ("x {{< ref a >}}\n", "a.md", "hugo"),
        ("x\n", "a.mdx", "docusaurus"),
        (":::tip[提示]\nx\n:::\n", "a.md", "docusaurus"),
        ('!!! note "提示"\n    x\n', "a.md", "mkdocs"),
        ("title: x\n---\nbody\n", "a.md", "hexo"),
        ("{% include a.html %}\n", "a.md", "jekyll"),
        ("# 标题\n\n::: tip 提示\nx\n:::\n", "a.md", "vitepress"),
    ],
)
def test_the_file_decides_without_a_repository_marker(tmp_path, text, name, dialect):
    assert detect(tmp_path / name, text).name == dialect


def test_syntax_of_another_generator_is_reported_once(tmp_path):
    seg = Segmenter(SegmentOptions(dialect="vitepress"))
    src = "正文 {{< ref a >}}\n\n更多 {{< ref b >}}\n"
    post = seg.segment(parse_post(tmp_path / "a.md", src.encode()))
    assert len(post.notes) == 1
    assert "line 1: a Hugo shortcode (and 1 more such places)" in post.notes[0]


def test_every_dialect_builds_a_parser_and_reads_a_post(tmp_path):
    for name in DIALECTS:
        seg = Segmenter(SegmentOptions(dialect=name))
        post = seg.segment(parse_post(tmp_path / "a.md", "# 标题\n\n正文\n".encode()))
        assert [u.text for u in post.units] == ["标题", "正文"], name


def test_dialect_front_matter_keys_are_translated_by_default(tmp_path):
    src = "---\ntitle: 首页\nhero:\n  tagline: 口号\nfeatures:\n  - title: 特性\n    details: 细节\n---\n"
    post = Segmenter().segment(parse_post(tmp_path / "index.md", src.encode()))
    assert sorted(u.text for u in post.units) == sorted(["首页", "口号", "特性", "细节"])


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "i18n_posts", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_translate_takes_the_dialect_and_segmentation_options(tmp_path):
    post = tmp_path / "a.md"
    post.write_text(
        '---\ntitle: 标题\nsummary: 摘要\n---\n\n<img alt="图" data-caption="说明">\n', encoding="utf-8"
    )
    p = _cli(
        "translate", "a.md", "--to", "en", "--backend", "pseudo", "--dialect", "hugo",
        "--front-matter-key", "summary", "--attribute", "img=data-caption", cwd=tmp_path,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = (tmp_path / "a.en.md").read_text(encoding="utf-8")
    assert "标题" in out  # only the keys asked for
    assert not re.search(HAN, out.replace("标题", ""))
    bad = _cli(
        "translate", "a.md", "--to", "en", "--backend", "identity", "--dialect", "gatsby", cwd=tmp_path
    )
    assert bad.returncode == 2
    assert "unknown dialect 'gatsby'" in bad.stderr and "Traceback" not in bad.stderr


def test_the_config_key_is_checked(tmp_path):
    from i18n_posts.config import load_config
    from i18n_posts.errors import ConfigError

    (tmp_path / "i18n-posts.toml").write_text('dialect = "mkdocs"\n', encoding="utf-8")
    assert load_config(tmp_path / "i18n-posts.toml").dialect == "mkdocs"
    (tmp_path / "i18n-posts.toml").write_text('target_locales = ["en"]\ndialect = "wiki"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="dialect must be one of") as exc:
        load_config(tmp_path / "i18n-posts.toml")
    assert exc.value.line == 2


def test_invalid_toml_front_matter_is_a_load_error_naming_the_line(tmp_path):
    from i18n_posts.errors import LoadError

    with pytest.raises(LoadError) as exc:
        parse_post(tmp_path / "a.md", b"+++\ntitle = 'x'\ndate = \n+++\n")
    assert "invalid TOML front matter" in str(exc.value) and exc.value.line == 3


def test_hexo_heading_ids_keep_their_case():
    from i18n_posts.links import SLUGGERS, AnchorMap

    hexo = SLUGGERS["hexo"]
    amap = AnchorMap.from_headings([("安装 Hexo", None)], [("Install Hexo", None)], hexo)
    assert amap.target("安装-Hexo") == "Install-Hexo"
    same = AnchorMap.from_headings([("安装 Hexo", None)], [("安装 Hexo", None)], hexo)
    assert same.target("安装-Hexo") == "安装-Hexo"


def test_translate_keeps_a_hexo_in_page_link_as_written(tmp_path):
    src = (DATA / "dialects" / "hexo-tags.md").read_bytes()
    (tmp_path / "a.md").write_bytes(src)
    p = _cli("translate", "a.md", "--to", "en", "--backend", "identity", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "a.en.md").read_bytes() == src
    assert b"(#\xe5\xae\x89\xe8\xa3\x85-Hexo)" in src


def test_cjk_emphasis_keeps_the_authors_markup(segmenter, tmp_path):
    src = "**注意：**正文，以及 2 * 3 * 4。\n"
    post = segmenter.segment(parse_post(tmp_path / "a.md", src.encode()))
    (unit,) = post.units
    assert unit.text == "<g1>注意：</g1>正文，以及 2 * 3 * 4。"
    out = assemble(post, {unit.id: "<g1>Note:</g1> the text, and 2 * 3 * 4."})
    assert out == "**Note:** the text, and 2 \\* 3 \\* 4.\n"
    from markdown_it import MarkdownIt

    assert "<strong>Note:</strong>" in MarkdownIt("commonmark").render(out)


def test_docusaurus_repositories_include_mdx_posts(tmp_path):
    from i18n_posts.config import load_config

    (tmp_path / "i18n-posts.toml").write_text('dialect = "docusaurus"\n', encoding="utf-8")
    assert load_config(tmp_path / "i18n-posts.toml").include == ("**/*.md", "**/*.mdx")


def test_json_front_matter_values_are_replaced_as_json(segmenter, tmp_path):
    src = '{\n  "title": "标题",\n  "tags": ["标签"],\n  "date": "2024-05-01"\n}\n\n正文\n'
    post = segmenter.segment(parse_post(tmp_path / "a.md", src.encode()))
    assert post.source.front_matter_format == "json"
    assert [u.text for u in post.units] == ["标题", "正文"]
    out = assemble(post, {post.units[0].id: 'A "title"', post.units[1].id: "Text"})
    head, body = out.split("\n}\n", 1)
    assert json.loads(head + "\n}") == {"title": 'A "title"', "tags": ["标签"], "date": "2024-05-01"}
    assert body == "\nText\n"


EDGE = sorted((DATA / "dialects" / "edge").iterdir())
"""Odd input: tags that never close, nesting, CRLF, a block left open, MDX expressions."""


@pytest.mark.parametrize("path", EDGE, ids=[p.name for p in EDGE])
def test_odd_generator_syntax_is_read_whole_and_round_trips(segmenter, path):
    name, src = path.name, path.read_bytes().decode("utf-8")
    post = segmenter.segment(load_post(path))
    assert assemble(post, {u.id: u.text for u in post.units}) == src
    out = assemble(post, _pseudo(post))
    assert check_document(segmenter.md_for(post.source), post.source, out, post.blocks) == []
    # no prose is swallowed by a tag that never closes, and no code or marker is sent
    if name == "broken-hugo.md":  # Hugo would not build it either: said once, sent as text
        assert post.notes == ("line 1: a tag or marker that is never closed: it is translated as text",)
    else:
        assert post.notes == ()
    texts = " ".join(re.sub(r"<[^>]+>", "", u.text) for u in post.units if u.line > 1)
    assert not re.search(r"\{\{|\{%|!!!|///|import", texts)
    left = re.sub(r"\{\{<.*?>\}\}", "", out.split("+++")[-1])
    assert not re.search(HAN, left.replace("没闭合", "")), left


@pytest.mark.parametrize("name", ["mkdocs-material.md", "hugo-shortcodes.md", "docusaurus-tabs.mdx"])
def test_a_hand_edited_translation_aligns_back(segmenter, tmp_path, name):
    from i18n_posts.align import align

    post = segmenter.segment(load_post(DATA / "dialects" / name))
    tr = _pseudo(post)
    value = next(u for u in post.units if u.context == "template")
    tr[value.id] = "A title, edited"
    out = assemble(post, tr)
    result = align(post, parse_post(tmp_path / name, out.encode()), segmenter)
    assert result.problem == ""
    assert result.translations[value.id] == "A title, edited"
    assert assemble(post, result.translations) == out


DEFAULTS = sorted((DATA / "dialects" / "defaults").glob("*.mdx"))
"""Posts a dialect translates more of than check-fidelity counts as prose (see its README)."""


@pytest.mark.parametrize("path", DEFAULTS, ids=[p.name for p in DEFAULTS])
def test_dialect_defaults_round_trip_and_keep_the_structure(segmenter, path):
    post = segmenter.segment(load_post(path))
    assert assemble(post, {u.id: u.text for u in post.units}).encode("utf-8") == path.read_bytes()
    out = assemble(post, _pseudo(post))
    assert check_document(segmenter.md_for(post.source), post.source, out, post.blocks) == []


def test_docusaurus_translates_sidebar_label_and_keywords_item_by_item(segmenter):
    import yaml

    path = DATA / "dialects" / "defaults" / "docusaurus-front-matter.mdx"
    post = segmenter.segment(load_post(path))
    front = [u.text for u in post.units if u.kind == "front_matter"]
    assert front == ["安装指南", "如何安装本工具", "安装", "安装", "教程", "Docusaurus"]
    out = assemble(post, {u.id: f"x {u.text}, 'y'" for u in post.units})
    meta = yaml.safe_load(out.split("---")[1])
    assert meta["keywords"] == ["x 安装, 'y'", "x 教程, 'y'", "x Docusaurus, 'y'"]
    assert meta["sidebar_label"] == "x 安装, 'y'"
    assert (meta["id"], meta["sidebar_position"], meta["tags"]) == ("install", 2, ["docs"])


def test_docusaurus_tabs_translate_their_labels_not_their_values(segmenter):
    path = DATA / "dialects" / "defaults" / "docusaurus-jsx-props.mdx"
    post = segmenter.segment(load_post(path))
    assert [u.text for u in post.units if u.kind == "attribute"] == [
        "苹果电脑",
        "其他系统",
        "苹果电脑",
        "其他系统",
        "小贴士",
    ]
    out = assemble(post, _pseudo(post))
    for code in ("value: 'mac'", 'value="other"', 'icon={"灯泡"}', 'href="/docs/intro"', 'groupId="os"'):
        assert code in out


def test_a_backslash_before_han_text_is_translated_and_kept(segmenter, tmp_path):
    from markdown_it import MarkdownIt

    src = "路径 C:\\调试\\a 中的文件。\n"
    post = segmenter.segment(parse_post(tmp_path / "a.md", src.encode()))
    (unit,) = post.units
    assert (unit.text, unit.placeholders) == ("路径 C:\\调试\\a 中的文件。", ())
    out = assemble(post, {unit.id: "The file in C:\\debug\\a, or C:\\*"})
    assert out == "The file in C:\\debug\\a, or C:\\\\\\*\n"
    # rendered, every backslash is still a backslash
    assert MarkdownIt().renderInline(out.strip()) == "The file in C:\\debug\\a, or C:\\*"


FOREIGN = (
    '# 标题\n\n{{< figure src="a.png" caption="图一" >}}\n\n正文 {{< ref "b.md" >}} 结束。\n\n'
    "{% include a.html %}\n"
)


def test_syntax_of_another_generator_is_one_note_and_every_place_is_listed(tmp_path):
    post = Segmenter(SegmentOptions(dialect="vitepress")).segment(
        parse_post(tmp_path / "a.md", FOREIGN.encode())
    )
    assert len(post.notes) == 1 and post.notes[0].startswith("line 3: a Hugo shortcode (and 2 more")
    assert post.note_places == (
        "line 3: a Hugo shortcode",
        "line 5: a Hugo shortcode",
        "line 7: a Liquid tag",
    )


def test_a_tag_never_closed_lists_each_place(tmp_path):
    src = "# 标题\n\n{{< foo\n\n正文 {{% bar\n"
    post = Segmenter(SegmentOptions(dialect="hugo")).segment(parse_post(tmp_path / "a.md", src.encode()))
    assert len(post.notes) == 1
    assert post.note_places == ("line 3: `{{<` that is never closed", "line 5: `{{%` that is never closed")


def test_translate_says_a_note_once_and_lists_the_places_with_v(tmp_path):
    (tmp_path / "a.md").write_text(FOREIGN, encoding="utf-8")
    args = ("translate", "a.md", "--to", "en", "--backend", "pseudo", "--dialect", "vitepress", "--force")
    quiet = _cli(*args, cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr.count("warning:") == 1
    assert "line 3: a Hugo shortcode (and 2 more such places)" in quiet.stderr
    loud = _cli(*args, "-v", cwd=tmp_path)
    assert loud.returncode == 0 and loud.stderr.count("warning:") == 4
    for place in ("a.md: line 5: a Hugo shortcode", "a.md: line 7: a Liquid tag"):
        assert place in loud.stderr


def test_sync_says_a_note_once_for_a_post_in_two_locales(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(FOREIGN, encoding="utf-8")
    (tmp_path / "i18n-posts.toml").write_text(
        'target_locales = ["en", "ja"]\ninclude = ["posts/*.md"]\ndialect = "vitepress"\n'
        '[backend]\nname = "pseudo"\n'
    )
    p = _cli("sync", "-v", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (p.stdout + p.stderr).count("a Hugo shortcode (and 2 more such places)") == 1
    assert p.stderr.count("posts/a.md: line 7: a Liquid tag") == 1


JSX = (
    "<Tabs groupId=\"os\" values={[{label: '苹果电脑', value: '苹果'}, {\"label\": \"其他\", value: 'x'}]}>\n"
    "</Tabs>\n\n"
    '<Highlight color="#25c2a0" title="绿色" data-id="标识">高亮</Highlight>和'
    ' <Card title={cond ? "是" : "否"} icon={"图标"} />\n\n'
    '<Details summary="摘要" description="描述" />\n'
)


def test_jsx_text_props_are_translated_and_other_props_are_code(tmp_path):
    seg = Segmenter(SegmentOptions(dialect="docusaurus"))
    post = seg.segment(parse_post(tmp_path / "a.mdx", JSX.encode()))
    values = [u.text for u in post.units if u.kind == "attribute"]
    assert values == ["苹果电脑", "其他", "绿色", "是", "否", "描述"]
    assert assemble(post, {u.id: u.text for u in post.units}) == JSX


def test_jsx_text_props_can_be_chosen(tmp_path):
    seg = Segmenter(SegmentOptions(dialect="docusaurus", jsx_text_props=("summary", "value", "icon")))
    post = seg.segment(parse_post(tmp_path / "a.mdx", JSX.encode()))
    values = [u.text for u in post.units if u.kind == "attribute"]
    assert values == ["苹果", "绿色", "图标", "摘要"]  # (title: an HTML attribute everywhere)


def test_translate_and_the_config_take_jsx_text_props(tmp_path):
    from i18n_posts.config import load_config
    from i18n_posts.repo import segment_options

    (tmp_path / "a.mdx").write_text(JSX, encoding="utf-8")
    args = ["translate", "a.mdx", "--to", "en", "--backend", "pseudo", "--jsx-text-prop", "summary"]
    p = _cli(*args, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    out = (tmp_path / "a.en.mdx").read_text(encoding="utf-8")
    assert 'summary="摘要"' not in out and 'description="描述"' in out and "'苹果电脑'" in out
    (tmp_path / "i18n-posts.toml").write_text('jsx_text_props = ["summary"]\n')
    assert segment_options(load_config(tmp_path / "i18n-posts.toml")).jsx_text_props == ("summary",)
