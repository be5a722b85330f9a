"""Property tests: the pipeline keeps every byte it does not translate.

Posts are generated (structured Markdown as blog posts use it, and arbitrary text rich in
Markdown punctuation) and run through segment -> translate -> assemble in-process.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from i18n_posts.assemble import assemble
from i18n_posts.backends.offline import IdentityBackend, PseudoBackend
from i18n_posts.check import check_document
from i18n_posts.errors import LoadError
from i18n_posts.glossary import Glossary
from i18n_posts.load import parse_post
from i18n_posts.model import TAG, SegmentedPost
from i18n_posts.segment import Segmenter
from i18n_posts.translate import Translator

SEGMENTER = Segmenter()
PATH = Path("generated.md")
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


# -- strategies: inline text ---------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "飞桨",
        "模型",
        "训练",
        "推理",
        "数据集",
        "开发者",
        "社区",
        "黑客松",
        "文档",
        "你好世界",
        "Paddle",
        "PaddleOCR",
        "GPU",
        "hello",
        "world",
        "v2.0",
        "API",
        "3",
        "2024",
        "x",
        "—— 作者",
        "1。",
        "【飞桨】",
        "（模型）",
        "～～",
        "＃",
    ]
)
PUNCT = st.sampled_from(
    [
        "",
        "",
        "",
        "，",
        "。",
        "、",
        "：",
        "！",
        "？",
        ",",
        ".",
        "（注）",
        "“引号”",
        " - ",
        "【注】",
        "《书名》",
        "——",
        "～",
        "……",
        "；",
    ]
)


@st.composite
def plain(draw: st.DrawFn) -> str:
    """A few words of CJK and Latin text, without Markdown markup."""
    words = draw(st.lists(WORDS, min_size=1, max_size=4))
    sep = draw(st.sampled_from(["", " "]))
    return sep.join(words) + draw(PUNCT)


URLS = st.sampled_from(
    [
        "https://www.paddlepaddle.org.cn",
        "https://github.com/PaddlePaddle/Paddle/pull/123",
        "https://example.com/a_b?q=1&x=2",
        "./other-post.md",
        "../images/图片.png",
        "/zh/blog/#锚点",
    ]
)
TITLES = st.sampled_from(["标题", "Title 说明", "飞桨官网", 'a \\"quoted\\" one'])

ATOMS = st.one_of(
    plain(),
    st.builds(lambda t: f"`{t}`", st.sampled_from(["code", "print('你好')", "a|b", "x * y", "<div>"])),
    st.just("`` a ` b ``"),
    st.builds(lambda t, u, ti: f'[{t}]({u} "{ti}")', plain(), URLS, TITLES),
    st.builds(lambda t, u: f"[{t}]({u})", plain(), URLS),
    st.builds(lambda t, u: f"[{t}](<{u}>)", plain(), URLS),
    st.builds(lambda t, u, ti: f'![{t}]({u} "{ti}")', plain(), URLS, TITLES),
    st.builds(lambda t, u: f"![{t}]({u})", plain(), URLS),
    st.builds(lambda t, r: f"[{t}][{r}]", plain(), st.sampled_from(["ref", "参考", "Ref"])),
    st.sampled_from(["[ref]", "[参考][]", "[未定义的引用]"]),
    st.sampled_from(
        [
            "<https://example.com>",
            "<mailto:dev@example.com>",
            "https://github.com/x/y",
            "www.paddlepaddle.org.cn",
            "dev@example.com",
        ]
    ),
    st.builds(lambda t: f'<span style="color: red">{t}</span>', plain()),
    st.builds(lambda t: f"<kbd>{t}</kbd>", st.sampled_from(["Ctrl", "C"])),
    st.builds(lambda t: f"<code>{t}</code>", st.sampled_from(["x < y", "飞桨"])),
    st.sampled_from(["<br/>", "<br>", '<img src="a.png" alt="图片说明">', "<!-- 注释 -->"]),
    st.sampled_from(["&amp;", "&nbsp;", "&copy;", "&#123;", "&lt;tag&gt;"]),
    st.sampled_from(["\\*", "\\_", "\\`", "\\[", "\\#", "\\\\", "\\<"]),
    st.sampled_from(["$x^2$", "$\\alpha + \\beta$", "$$E = mc^2$$", "$5"]),
    st.sampled_from(["[^1]", "[^note]"]),
    st.sampled_from(["*", "_", "**", "~", "<", ">", "[", "]", "|", "&", "#"]),  # stray punctuation
)


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda mark, t: f"{mark}{t}{mark}", st.sampled_from(["*", "**", "_", "__", "~~", "***"]), inner
    )


INLINE_ITEM = st.recursive(ATOMS, _wrap, max_leaves=4)


@st.composite
def inline(draw: st.DrawFn) -> str:
    """One line of inline Markdown."""
    parts = draw(st.lists(INLINE_ITEM, min_size=1, max_size=5))
    seps = draw(st.lists(st.sampled_from(["", " ", " "]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True)).strip() or "文字"


@st.composite
def lines(draw: st.DrawFn, max_lines: int = 3) -> str:
    """Several lines of inline text, joined by soft or hard breaks."""
    n = draw(st.integers(1, max_lines))
    out = draw(inline())
    for _ in range(n - 1):
        out += draw(st.sampled_from(["\n", "\n", "  \n", "\\\n"])) + draw(inline())
    return out


# -- strategies: blocks ------------------------------------------------------------------------


def _atx(level: int, text: str, closing: str, attrs: str) -> str:
    return "#" * level + " " + text + closing + attrs


ATX = st.builds(
    _atx,
    st.integers(1, 6),
    inline(),
    st.sampled_from(["", "", " #", " ###"]),
    st.sampled_from(["", "", " {#custom-id}"]),
)
SETEXT = st.builds(lambda t, u: f"{t}\n{u}", lines(2), st.sampled_from(["===", "---", "======"]))
PARAGRAPH = lines()

FENCE = st.builds(
    lambda fence, lang, body: f"{fence}{lang}\n{body}\n{fence}",
    st.sampled_from(["```", "~~~", "````"]),
    st.sampled_from(["", "python", "bash", "python [训练.py]"]),
    st.sampled_from(
        ["# 注释\nprint('你好')", "x = 1  # 输出", "*不是强调* [不是链接](x)", "<div>原样</div>"]
    ),
)
INDENTED_CODE = st.sampled_from(["    export A=1\n    # 注释", "    python train.py --配置 x.yaml"])
MATH_BLOCK = st.sampled_from(["$$\nx^2 + y^2 = 1\n$$", "$$\n\\text{损失} = \\sum_i x_i\n$$"])
RULE = st.sampled_from(["---", "***", "* * *", "___"])


@st.composite
def bullet_list(draw: st.DrawFn, depth: int = 0) -> str:
    ordered = draw(st.booleans())
    marker = draw(st.sampled_from(["-", "*", "+"]))
    items = []
    for k in range(draw(st.integers(1, 3))):
        m = f"{k + 1}." if ordered else marker
        pad = " " * (len(m) + 1)
        task = draw(st.sampled_from(["", "", "[ ] ", "[x] "])) if not ordered else ""
        item = f"{m} {task}{draw(inline())}"
        extra = draw(st.sampled_from(["none", "none", "nested", "code", "para"]))
        if extra == "nested" and depth < 2:
            sub = draw(bullet_list(depth + 1))
            item += "\n" + "\n".join(pad + ln if ln else ln for ln in sub.split("\n"))
        elif extra == "code":
            code = draw(FENCE)
            item += "\n\n" + "\n".join(pad + ln for ln in code.split("\n"))
        elif extra == "para":
            item += "\n\n" + pad + draw(inline())
        items.append(item)
    sep = draw(st.sampled_from(["\n", "\n", "\n\n"]))
    return sep.join(items)


@st.composite
def blockquote(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "plain", "alert", "nested", "list", "code"]))
    if kind == "alert":
        body = draw(st.sampled_from(["[!NOTE]", "[!TIP]", "[!WARNING]"])) + "\n" + draw(lines(2))
    elif kind == "nested":
        body = draw(inline()) + "\n>\n> " + draw(inline())
    elif kind == "list":
        body = draw(bullet_list(1))
    elif kind == "code":
        body = draw(FENCE)
    else:
        body = draw(lines())
    prefix = draw(st.sampled_from(["> ", ">"]))
    return "\n".join(prefix + ln if ln else ">" for ln in body.split("\n"))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@st.composite
def table(draw: st.DrawFn) -> str:
    cols = draw(st.integers(1, 3))
    header = [_cell(draw(inline())) for _ in range(cols)]
    align = [draw(st.sampled_from(["---", ":---", "---:", ":---:"])) for _ in range(cols)]
    rows = [
        [
            _cell(draw(st.one_of(inline(), st.just(""), st.just("a \\| b"), st.just("`x \\| y`"))))
            for _ in range(cols)
        ]
        for _ in range(draw(st.integers(1, 3)))
    ]
    outer = draw(st.booleans())

    def row(cells: list[str]) -> str:
        body = " | ".join(cells)
        return f"| {body} |" if outer else body

    if not outer and cols == 1:
        outer = True  # a one-column table needs its pipes
    return "\n".join([row(header), row(align)] + [row(r) for r in rows])


@st.composite
def html_block(draw: st.DrawFn) -> str:
    t = draw(plain())
    kind = draw(st.sampled_from(["figure", "div", "comment", "details", "center", "p"]))
    if kind == "figure":
        alt = draw(plain())
        return (
            f'<figure>\n  <img src="../images/图.png" alt="{alt}" />\n'
            f"  <figcaption>{t}</figcaption>\n</figure>"
        )
    if kind == "div":
        inner = draw(
            st.sampled_from(
                [
                    t,
                    f"{t}<br/>{t}",
                    f"<strong>{t}</strong> &amp; {t}",
                    f'<a href="https://example.com" title="{t}">{t}</a>',
                ]
            )
        )
        return f'<div class="note">\n{inner}\n</div>'
    if kind == "comment":
        return f"<!-- {t}\n  多行注释 -->"
    if kind == "details":
        return f"<details>\n<summary>{t}</summary>\n\n{draw(inline())}\n\n</details>"
    if kind == "center":
        return f"<center>{t}</center>"
    return f'<p align="center">\n  {t}\n</p>'


@st.composite
def container(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["tip", "warning", "danger", "info", "details", "note"]))
    title = draw(st.sampled_from(["", " " + draw(plain()), " " + draw(inline())]))
    colons = draw(st.sampled_from([":::", "::::"]))
    body = draw(st.one_of(lines(), bullet_list(1), FENCE))
    return f"{colons} {name}{title}\n{body}\n{colons}"


FOOTNOTE_DEF = st.builds(lambda label, t: f"[^{label}]: {t}", st.sampled_from(["1", "note"]), lines(2))
REF_DEF = st.builds(
    lambda label, u, title: f"[{label}]: {u}{title}",
    st.sampled_from(["ref", "参考", "Ref"]),
    URLS,
    st.sampled_from(["", ' "参考标题"', " '单引号标题'", " (括号标题)"]),
)

BLOCK = st.one_of(
    ATX,
    SETEXT,
    PARAGRAPH,
    PARAGRAPH,
    FENCE,
    INDENTED_CODE,
    MATH_BLOCK,
    RULE,
    bullet_list(),
    blockquote(),
    table(),
    html_block(),
    container(),
    FOOTNOTE_DEF,
    REF_DEF,
)

FM_VALUE = st.one_of(
    plain(),
    st.builds(lambda t: f'"{t}"', plain()),
    st.builds(lambda t: f"'{t}'", plain()),
    st.builds(lambda a, b: f">-\n   {a}\n   {b}", plain(), plain()),
)


@st.composite
def front_matter(draw: st.DrawFn, title_first: bool = False) -> str:
    fields = []
    if draw(st.booleans()):
        fields.append("title: " + draw(FM_VALUE))
    if draw(st.booleans()):
        fields.append("description: " + draw(FM_VALUE))
    fields.append("date: 2024-06-12")
    if draw(st.booleans()):
        fields.append("author:\n   name: 王欢\n   github: wanghuancoder")
    order = draw(st.permutations(fields))
    if title_first:  # keep `title:` before `description:`
        keys = [f.split(":")[0] for f in order]
        if "title" in keys and "description" in keys:
            i, j = keys.index("title"), keys.index("description")
            if j < i:
                order[i], order[j] = order[j], order[i]
    return "---\n" + "\n".join(order) + "\n---\n"


@st.composite
def posts(draw: st.DrawFn, fm_tabs: bool = True, title_first: bool = False) -> str:
    """A whole post: front matter, blocks, line endings, BOM, trailing white space.

    `fm_tabs=False` leaves out trailing tabs in the front matter, `title_first=True` keeps
    `title:` before `description:` (both were bugs once; the properties now use neither)."""
    blocks = draw(st.lists(BLOCK, min_size=0, max_size=7))
    seps = draw(
        st.lists(
            st.sampled_from(["\n\n", "\n\n", "\n\n", "\n\n\n", "\n"]),
            min_size=len(blocks),
            max_size=len(blocks),
        )
    )
    body = "".join(b + s for b, s in zip(blocks, seps, strict=True))
    fm = draw(front_matter(title_first)) if draw(st.booleans()) else ""
    text = fm + (draw(st.sampled_from(["", "\n"])) if fm else "") + body
    ls = text.split("\n")
    trailing = draw(
        st.lists(
            st.sampled_from(["", "", "", "", " ", "  ", "\t", " \t"]), min_size=len(ls), max_size=len(ls)
        )
    )
    if not fm_tabs:
        for k in range(fm.count("\n")):
            trailing[k] = trailing[k].replace("\t", " ")
    text = "\n".join(line + t for line, t in zip(ls, trailing, strict=True))
    text = text.rstrip("\n") + draw(st.sampled_from(["", "\n", "\n\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


# -- strategies: arbitrary text ----------------------------------------------------------------

TOKENS = st.one_of(
    st.sampled_from(list("*_[]()<>!#|\\`$~:-+=&;{}\"'.,/ \t") + ["\n", "\r\n", "\n", " ", " "]),
    st.sampled_from(list("飞桨模型训练你好世界，。：、；！？（）【】《》“”～…—")),
    st.sampled_from(list("abcxyz019")),
    st.sampled_from(
        [
            "---\n",
            "> ",
            "- ",
            "1. ",
            "```",
            "::: tip ",
            "[^1]",
            "http://a.b",
            "&amp;",
            "<br>",
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "    ",
            "|---|",
            "\ufeff",
            "title: ",
        ]
    ),
)
ARBITRARY = st.lists(TOKENS, max_size=80).map("".join)


# -- helpers -------------------------------------------------------------------------------------

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _segment(text: str) -> SegmentedPost:
    try:
        source = parse_post(PATH, text.encode("utf-8"))
    except LoadError:
        assume(False)
        raise  # unreachable: assume(False) raises
    return SEGMENTER.segment(source)


def _check_spans(post: SegmentedPost) -> None:
    n = len(post.source.text)
    assert len({u.id for u in post.units}) == len(post.units), "unit ids are not unique"
    for u in post.units:
        assert 0 <= u.start <= u.end <= n, f"{u.id} span {u.start}:{u.end} outside the text ({n})"
        for p in u.placeholders:
            assert u.start <= p.start <= p.end <= u.end, f"{u.id} placeholder {p.name} outside its unit"
        for a, b in u.breaks:
            assert u.start <= a <= b <= u.end, f"{u.id} break outside its unit"


def _check_sorted(post: SegmentedPost) -> None:
    starts = [u.start for u in post.units]
    assert starts == sorted(starts), f"units are not sorted by start: {[(u.id, u.start) for u in post.units]}"


def _assert_identity_roundtrip(text: str) -> None:
    post = _segment(text)
    _check_spans(post)
    assert post.source.text.encode("utf-8") == text.encode("utf-8")
    assert assemble(post, {u.id: u.text for u in post.units}) == post.source.text
    done, issues = Translator.of(IdentityBackend({}), Glossary.of(())).translate(post)
    assert issues == []
    assert set(done) == {u.id for u in post.units}
    assert assemble(post, done) == post.source.text


def _pseudo_output(text: str) -> tuple[SegmentedPost, str | None]:
    """The post and its pseudo translation (None if the translator reported issues)."""
    post = _segment(text)
    done, issues = Translator.of(PseudoBackend({}), Glossary.of(())).translate(post)
    if issues:
        return post, None
    return post, assemble(post, done)


# -- properties ------------------------------------------------------------------------------------


@settings(max_examples=300, **SETTINGS)
@given(posts())
@example('---\ntitle: 标题\n---\n\n# 飞桨 {#id}\n\n正文 **加粗** `code` [链接](https://a.b "标题")。\n')
@example("\ufeff---\r\ntitle: 标题\r\n---\r\n\r\n| 甲 \\| 乙 | 丙 |\r\n| --- | --- |\r\n| 1 | 2 |")
def test_identity_roundtrips_structured_posts(text: str) -> None:
    _assert_identity_roundtrip(text)


@settings(max_examples=500, **SETTINGS)
@given(ARBITRARY)
@example("")
@example("\ufeff")
@example("*_[]()<>!#|\\`$~:-+=&;{}")
@example("飞桨\r\n\r\n> 模型  \r\n> 训练\t")
def test_identity_roundtrips_arbitrary_text(text: str) -> None:
    _assert_identity_roundtrip(text)


@settings(max_examples=300, **SETTINGS)
@given(posts())
def test_units_are_sorted_by_start(text: str) -> None:
    post = _segment(text)
    _check_sorted(post)


@settings(max_examples=500, **SETTINGS)
@given(ARBITRARY)
def test_units_of_arbitrary_text_are_sorted_by_start(text: str) -> None:
    _check_sorted(_segment(text))


@settings(max_examples=300, **SETTINGS)
@given(posts())
@example("# 飞桨\n\n- 模型\n- 训练\n\n| 甲 | 乙 |\n| - | - |\n| 丙 | 丁 |\n")
@example("# 飞桨\n\n::: tip\n飞桨  \n1。飞桨\n:::")  # a line after a hard break
@example("[^1]: 飞桨\n\n1。\n飞桨\n===")  # a setext heading starting like a list item
@example("飞桨 \r\n飞桨\\ \r\n飞桨\r\n\r\n# 飞桨")  # an escaped space before a CRLF line break
@example("---\ntitle: >-\n  飞桨\n  模型\ndescription: '训练'\n---\n\n> [!NOTE]\n> 飞桨  \n> 模型\n")
def test_pseudo_translation_keeps_block_structure(text: str) -> None:
    post, out = _pseudo_output(text)
    assume(out is not None)  # the translator refused some unit: nothing would be written
    assert check_document(SEGMENTER.md, post.source, out) == []


@settings(max_examples=300, **SETTINGS)
@given(posts())
@example('---\ntitle: 飞桨\ndescription: 模型\n---\n\n::: tip 提示\n[链接](https://a.b "标题")\n:::\n')
def test_pseudo_translation_leaves_no_source_text(text: str) -> None:
    """Every translatable text of the output (segmented again) is free of Han characters:
    no unit was skipped."""
    post, out = _pseudo_output(text)
    assume(out is not None)
    again = SEGMENTER.segment(parse_post(PATH, out.encode("utf-8")))
    left = [u.text for u in again.units if HAN.search(TAG.sub("", u.text))]
    assert left == []


# -- minimal failures found by the properties above, pinned ------------------------------------
# Each one failed once (the one still marked xfail fails today). The properties found them
# with the pseudo backend;
# escaping bugs are written with explicit translations, as a real backend could return them;
# segmentation bugs go through the pseudo backend, so that a fix changing the unit texts
# still makes them pass.


def _unit_output(source: str, translate: dict[str, str]) -> tuple[SegmentedPost, str]:
    """Assemble `source` with the units whose text is a key of `translate` replaced."""
    post = _segment(source)
    texts = {u.text: u.id for u in post.units}
    missing = set(translate) - set(texts)
    assert not missing, f"no unit has the text(s) {missing}; units: {[u.text for u in post.units]}"
    return post, assemble(post, {texts[k]: v for k, v in translate.items()})


def _inline_structure(md_text: str) -> list[list[str]]:
    """The markup tokens (not the text) of each inline run, as a reader's Markdown parser sees them."""
    md = MarkdownIt("commonmark").enable("strikethrough")
    return [
        [c.type for c in t.children or [] if c.type not in ("text", "text_special", "softbreak")]
        for t in md.parse(md_text)
        if t.type == "inline"
    ]


def test_front_matter_description_before_title_is_translated() -> None:
    source = "---\ndescription: 描述\ntitle: 标题\n---\n\n正文\n"
    post, out = _unit_output(source, {"描述": "Description", "标题": "Title", "正文": "Body"})
    assert out == "---\ndescription: Description\ntitle: Title\n---\n\nBody\n"


def test_front_matter_block_scalar_with_trailing_tab() -> None:
    source = "---\ntitle: >-\n  飞桨\t\n---\n"
    post, out = _unit_output(source, {"飞桨\t": "PaddlePaddle"})
    front = out.split("---\n")[1]
    assert yaml.load(front, Loader=yaml.SafeLoader) == {"title": "PaddlePaddle"}


def test_tilde_next_to_strikethrough() -> None:
    source = "飞桨～~~`code`~~\n"
    post, out = _unit_output(source, {"飞桨～<g1><x2/></g1>": "Paddle~<g1><x2/></g1>"})
    assert _inline_structure(out) == _inline_structure(source)


def test_parenthesized_link_title() -> None:
    source = "[链接](https://a.b (飞桨官网))\n"
    post, out = _unit_output(
        source, {"<g1>链接</g1>": "<g1>link</g1>", "飞桨官网": "PaddlePaddle (official)"}
    )
    assert _inline_structure(out) == _inline_structure(source)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "segmentation/escaping: in `**飞*_**` markdown-it pairs the delimiter runs only partly; the unit "
        "keeps the literal `_` and `*` as text, and escaping them in a translation (`\\_`, `\\*`) "
        "changes how the other delimiters pair, so the emphasis changes"
    ),
)
def test_partly_paired_delimiter_runs() -> None:
    source = "**飞*_**\n"  # <em><em>飞</em>_</em>*
    post, out = _pseudo_output(source)
    assert out is not None
    assert _inline_structure(out) == _inline_structure(source)


def test_adjacent_strikethroughs_stay_paired() -> None:
    source = "~~甲~~~~乙~~\n"
    post, out = _pseudo_output(source)
    assert out is not None
    assert _inline_structure(out) == _inline_structure(source)
