"""Assembly: translations go back into the original text; what would become markup is escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.assemble import assemble
from i18n_posts.load import parse_post
from i18n_posts.segment import Segmenter, SegmentOptions


def seg(segmenter, text: str):
    return segmenter.segment(parse_post(Path("t.md"), text.encode()))


def translate(segmenter, text: str, *pairs: tuple[str, str]) -> str:
    post = seg(segmenter, text)
    by_text = dict(pairs)
    tr = {u.id: by_text[u.text] for u in post.units if u.text in by_text}
    return assemble(post, tr)


def test_prose_that_looks_like_a_tag_is_escaped(segmenter):
    out = translate(
        segmenter,
        "使用 kill <进程号> 结束进程\n",
        ("使用 kill <进程号> 结束进程", "Run kill <PID> to stop it"),
    )
    assert out == "Run kill &lt;PID> to stop it\n"


def test_literal_markup_characters_are_escaped(segmenter):
    out = translate(segmenter, "幂写作 2 ** 3。\n", ("幂写作 2 ** 3。", "a power is 2 ** 3, or **this**"))
    assert out == "a power is 2 \\*\\* 3, or \\*\\*this\\*\\*\n"


def test_cjk_emphasis_the_author_wrote_as_a_pair_stays_markup(segmenter):
    # CommonMark does not close `**` after the code span when a Han character follows
    pair = ("因此<g1>建议 <x2/></g1>和", "so <g1>use <x2/></g1> and")
    out = translate(segmenter, "因此**建议 `x`**和\n", pair)
    assert out == "so **use `x`** and\n"


def test_line_starts_that_would_become_blocks_are_escaped(segmenter):
    out = translate(segmenter, "第一行\n第二行\n", ("第一行\n第二行", "First line\n1. second line"))
    assert out == "First line\n1\\. second line\n"
    out = translate(segmenter, "第一行\n", ("第一行", "# not a heading"))
    assert out == "\\# not a heading\n"


def test_pipes_in_table_cells_are_escaped(segmenter):
    text = "| 甲 | 乙 |\n|---|---|\n| 或 | 与 |\n"
    out = translate(segmenter, text, ("或", "a | b"))
    assert out == "| 甲 | 乙 |\n|---|---|\n| a \\| b | 与 |\n"


def test_line_breaks_reuse_the_source_prefix_and_newline(segmenter):
    text = "> 第一行\r\n> 第二行\r\n"
    out = translate(segmenter, text, ("第一行\n第二行", "line one \n line two"))
    assert out == "> line one\r\n> line two\r\n"


def test_extra_newlines_without_breaks_become_spaces(segmenter):
    out = translate(segmenter, "## 标题\n", ("标题", "A\ntitle"))
    assert out == "## A title\n"


def test_emphasis_pairs_are_tightened(segmenter):
    out = translate(
        segmenter, "这是**重点**内容\n", ("这是<g1>重点</g1>内容", "this is <g1> key </g1> content")
    )
    assert out == "this is **key** content\n"


def test_shortcut_reference_link_keeps_its_key(segmenter):
    text = "见[飞桨]。\n\n[飞桨]: https://x.org\n"
    out = translate(segmenter, text, ("见<g1>飞桨</g1>。", "See <g1>PaddlePaddle</g1>."))
    assert out == "See [PaddlePaddle][飞桨].\n\n[飞桨]: https://x.org\n"


def test_link_title_is_a_nested_unit(segmenter):
    text = '看[文档](https://x.org "官方文档")\n'
    out = translate(
        segmenter, text, ("看<g1>文档</g1>", "See <g1>the docs</g1>"), ("官方文档", 'the "official" docs')
    )
    assert out == 'See [the docs](https://x.org "the &quot;official&quot; docs")\n'


def test_attributes_and_html_text(segmenter):
    text = '<figure>\n  <img src="a.png" alt="合影" />\n  <figcaption>活动 & 合影</figcaption>\n</figure>\n'
    out = translate(segmenter, text, ("合影", "Group photo"), ("活动 & 合影", "Event <b> photo"))
    assert out == (
        '<figure>\n  <img src="a.png" alt="Group photo" />\n'
        "  <figcaption>Event &lt;b> photo</figcaption>\n</figure>\n"
    )


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("title: 标题\n", "A title", "title: A title\n"),
        ("title: 标题\n", "Open Source: a story", 'title: "Open Source: a story"\n'),
        # quoted as prettier quotes: double around a ', single around a " (whatever the source's)
        ("title: '标题'\n", "It's here", 'title: "It\'s here"\n'),
        ('title: "标题"\n', 'Say "hi"', "title: 'Say \"hi\"'\n"),
        ('title: "标题"\n', 'Say "hi", it\'s', "title: 'Say \"hi\", it''s'\n"),
        ("title: '标题'\n", "a\\b: c", 'title: "a\\\\b: c"\n'),
        ("title: 标题\n", "true", 'title: "true"\n'),
        ("description: >-\n  一段\n  描述\n", "A description", 'description: "A description"\n'),
    ],
)
def test_front_matter_values_are_replaced_in_place(segmenter, source, value, expected):
    _check_front_matter(segmenter, source, value, expected)


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("title: 标题\n", "Open Source: a story", "title: 'Open Source: a story'\n"),
        ('title: "标题"\n', "Open Source: a story", "title: 'Open Source: a story'\n"),
        ("title: 标题\n", "It's: here", 'title: "It\'s: here"\n'),
        ("title: 标题\n", "A title", "title: A title\n"),
    ],
)
def test_front_matter_quote_single_is_prettiers_single_quote(source, value, expected):
    _check_front_matter(Segmenter(SegmentOptions(quote="'")), source, value, expected)


def _check_front_matter(segmenter, source, value, expected):
    import yaml

    text = f"---\n# 注释\n{source}date: 2024-01-01\n---\n正文\n"
    post = seg(segmenter, text)
    fm = [u for u in post.units if u.kind == "front_matter"]
    out = assemble(post, {fm[0].id: value})
    assert out == f"---\n# 注释\n{expected}date: 2024-01-01\n---\n正文\n"
    key = source.split(":")[0]
    assert yaml.safe_load(out.split("---\n")[1])[key] == value


def test_display_math_inside_a_list_paragraph_is_protected(segmenter):
    text = "- 时延：\n  $$T_{\\text{total}} = a + b$$\n"
    post = seg(segmenter, text)
    assert [u.text for u in post.units] == ["时延：\n<x1/>"]


def test_a_new_vue_interpolation_is_escaped(segmenter):
    out = translate(segmenter, "用法见文档\n", ("用法见文档", "use {{ value }} here"))
    # markdown-it would decode a character reference back to `{{`: Vue skips v-pre elements
    assert out == "use <span v-pre>{{</span> value }} here\n"
    # in an HTML block, markdown-it copies the text as it is and Vue reads the reference as text
    out = translate(segmenter, "<p>用法见文档</p>\n", ("用法见文档", "use {{ value }} here"))
    assert out == "<p>use &#123;&#123; value }} here</p>\n"
    # one the source already had stays (it was meant)
    out = translate(segmenter, "值为 {{ x }}\n", ("值为 {{ x }}", "the value is {{ x }}"))
    assert out == "the value is {{ x }}\n"


def test_image_alt_is_inline_markdown_too(segmenter):
    text = "![a `代码` 和 *强调*](x.png)\n"
    post = seg(segmenter, text)
    assert [u.text for u in post.units] == ["<g1>a <x2/> 和 <g3>强调</g3></g1>"]
    out = translate(segmenter, text, (post.units[0].text, "<g1>a <x2/> and [<g3>stress</g3>]</g1>"))
    assert out == "![a `代码` and \\[*stress*\\]](x.png)\n"
