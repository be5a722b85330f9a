"""Links in localized copies: VitePress heading ids, fragment mapping, relative URLs.

Expected ids were taken from VitePress 1.6.4's own output (`createMarkdownRenderer`
rendering `## <heading>`), not from this implementation.
"""

from __future__ import annotations

from pathlib import PurePosixPath as P

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n_posts.links import (
    AnchorMap,
    heading_plain_text,
    is_relative_url,
    rewrite_url,
    slugify,
    unique_slugs,
)

# --- slugify -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello World", "hello-world"),
        ("二、飞桨黑客松", "二、飞桨黑客松"),
        ("1. 分享飞桨开源社区", "_1-分享飞桨开源社区"),
        # "—" (U+2014) is not in rSpecial: only the spaces and "&" around it become "-"
        ("GraphNet & ai4c —— 下一代 AI Infra", "graphnet-ai4c-——-下一代-ai-infra"),
        ("  Ünïcödé  ", "unicode"),
        ("foo.bar(baz)", "foo-bar-baz"),
        ("3. 其他 repo 的社区开发者 PR 占比：🎉🎉🎉", "_3-其他-repo-的社区开发者-pr-占比-🎉🎉🎉"),
        ("一、 PFCC", "一、-pfcc"),
        ("二、Motivation", "二、motivation"),
        ("“引号”‘单’", "引号-单"),
        ("\uff11. 全角", "_1-全角"),  # NFKD turns the full-width digit into "1"
        ("Ⅻ ﬁ ㎏", "xii-fi-kg"),
        ("İstanbul", "istanbul"),
        ("ΟΔΟΣ", "οδος"),  # final sigma, like JS toLowerCase
        ("Straße", "straße"),
        ("foo_bar__baz", "foo-bar-baz"),
        ("--a--", "a"),
        ("\ta\n", "a"),
        ("—", "—"),
        ("&", ""),
    ],
)
def test_slugify_matches_vitepress(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("a\u3000b", "a-b"),  # ideographic space: NFKD gives " "
        ("a\u00a0b", "a-b"),
        ("a\ufeffb", "a-b"),  # JS \s has U+FEFF, Python's \s does not
        ("a\u0085b", "a\u0085b"),  # Python's \s has U+0085, JS \s does not
        ("a\u001cb", "ab"),  # a control character, removed (Python's \s would make "-")
        ("\u0663 x", "\u0663-x"),  # JS \d is ASCII only: no "_" before an Arabic-Indic digit
    ],
)
def test_slugify_uses_js_character_classes(text: str, slug: str) -> None:
    assert slugify(text) == slug


# --- heading text and de-duplication -------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("**粗体**文字", "粗体文字"),
        ("[link **t**](http://x) `code` <span>html</span> *em*", "link t code html em"),
        ("![alt *x*](a.png) pic", " pic"),
        ("A &amp; B", "A &amp; B"),  # VitePress's restoreEntities
        ("&amp;", "&"),  # an entity alone is decoded
        ("A \\& B \\* C", "A &amp; B * C"),
        ("a~~b~~c", "abc"),
        ("see https://example.com/%E4%B8%AD here", "see https://example.com/中 here"),
    ],
)
def test_heading_plain_text(markdown: str, text: str) -> None:
    assert heading_plain_text(markdown) == text


@pytest.mark.parametrize(
    ("markdown", "slug"),
    [
        ("A &amp; B", "a-amp-b"),
        ("&copy; 2024", "copy-2024"),
        ("`a` &lt;T&gt; `b`", "a-lt-t-gt-b"),
        ("![alt *x*](a.png) pic", "pic"),
        ("4. **社区开源贡献为飞桨带来了什么**", "_4-社区开源贡献为飞桨带来了什么"),
    ],
)
def test_heading_slug_matches_vitepress(markdown: str, slug: str) -> None:
    assert slugify(heading_plain_text(markdown)) == slug


def test_unique_slugs_numbers_duplicates() -> None:
    assert unique_slugs(["foo", "foo", "foo"]) == ["foo", "foo-1", "foo-2"]


def test_unique_slugs_skips_a_suffix_taken_by_a_real_heading() -> None:
    texts = ["Hello World", "Hello World", "Hello World-1", "Hello World"]
    assert unique_slugs(texts) == ["hello-world", "hello-world-1", "hello-world-1-1", "hello-world-2"]
    assert unique_slugs(["foo-1", "foo", "foo"]) == ["foo-1", "foo", "foo-2"]


def test_unique_slugs_reserves_explicit_ids() -> None:
    assert unique_slugs(["foo", "intro", "x"], ["intro", None, None]) == ["intro", "intro-1", "x"]


def test_unique_slugs_empty_slugs_are_numbered_too() -> None:
    assert unique_slugs(["&", "&"]) == ["", "-1"]


def test_unique_slugs_rejects_mismatched_ids() -> None:
    with pytest.raises(ValueError, match="2 heading texts but 1 ids"):
        unique_slugs(["a", "b"], [None])


# --- AnchorMap -------------------------------------------------------------------------


@pytest.fixture
def anchors() -> AnchorMap:
    return AnchorMap.from_headings(
        [("二、飞桨黑客松", None), ("目录", None), ("目录", None), ("飞桨简介", "intro")],
        [("II. PaddlePaddle Hackathon", None), ("Contents", None), ("Contents", None), ("About", "intro")],
    )


def test_anchor_map_pairs(anchors: AnchorMap) -> None:
    assert anchors.pairs == (
        ("二、飞桨黑客松", "ii-paddlepaddle-hackathon"),
        ("目录", "contents"),
        ("目录-1", "contents-1"),
        ("intro", "intro"),
    )


@pytest.mark.parametrize(
    ("fragment", "new"),
    [
        ("二、飞桨黑客松", "ii-paddlepaddle-hackathon"),
        ("%E4%BA%8C%E3%80%81%E9%A3%9E%E6%A1%A8%E9%BB%91%E5%AE%A2%E6%9D%BE", "ii-paddlepaddle-hackathon"),
        ("目录-1", "contents-1"),
        ("intro", "intro"),
        # VitePress 2 slugifies link fragments: `#Intro` reaches "intro", an id that stays, so
        # the fragment is kept as written (byte for byte; `#Foo Bar` of a heading that changes
        # is mapped: test_slugs)
        ("Intro", "Intro"),
        ("目录:~:text=abc", "contents:~:text=abc"),
        ("unknown", "unknown"),
        ("%E6%9C%AA%E7%9F%A5", "%E6%9C%AA%E7%9F%A5"),
        ("", ""),
    ],
)
def test_anchor_map_target(anchors: AnchorMap, fragment: str, new: str) -> None:
    assert anchors.target(fragment) == new


def test_a_fragment_of_a_heading_whose_id_stays_is_kept_as_written() -> None:
    amap = AnchorMap.from_headings([("目录", None), ("A", None)], [("目录", None), ("B", None)])
    assert amap.target("%e7%9b%ae%e5%bd%95") == "%e7%9b%ae%e5%bd%95"  # lower-case hex, not re-encoded
    assert amap.target("A") == "b"


def test_anchor_map_encodes_when_the_source_fragment_was_encoded() -> None:
    amap = AnchorMap.from_headings([("Contents", None)], [("目录", None)])
    assert amap.target("contents") == "目录"
    assert amap.target("%63ontents") == "%E7%9B%AE%E5%BD%95"


def test_anchor_map_rejects_different_counts() -> None:
    with pytest.raises(ValueError, match="2 source headings but 1"):
        AnchorMap.from_headings([("a", None), ("b", None)], [("a", None)])


# --- is_relative_url -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("a.png", True),
        ("./a.png", True),
        ("../images/a.png?x#y", True),
        ("@/a.png", True),
        ("", False),
        ("#frag", False),
        ("?q=1", False),
        ("/root.png", False),
        ("//host/a.png", False),
        ("https://x.com/a.png", False),
        ("mailto:a@b.c", False),
        ("data:image/png;base64,AAAA", False),
        ("C:/x.png", False),
        ("..\\images\\x.png", False),
        ("<./a b.png>", False),
        ("{{ $withBase('/a.png') }}", False),
    ],
)
def test_is_relative_url(url: str, relative: bool) -> None:
    assert is_relative_url(url) is relative


# --- rewrite_url -----------------------------------------------------------------------

SRC, OUT = P("src/posts/a.md"), P("src/en/posts/a.md")
DOC, DOC_EN = P("docs/a.md"), P("docs/a.en.md")
POSTS = {
    SRC: OUT,
    P("src/posts/b.md"): P("src/en/posts/b.md"),
    P("src/posts/g/index.md"): P("src/en/posts/g/index.md"),
    DOC: DOC_EN,
    P("docs/b.md"): P("docs/b.en.md"),
    P("docs/guide/index.md"): P("docs/guide/index.en.md"),
}
SELF = AnchorMap.from_headings([("一、背景", None)], [("1. Background", None)])
OTHER = AnchorMap.from_headings([("二、标题", None)], [("II. Title", None)])


def other_anchors(post: P) -> AnchorMap | None:
    return OTHER if post.name == "b.md" else None


def rewrite(url: str, source: P = SRC, output: P = OUT) -> str:
    return rewrite_url(url, source, output, POSTS, SELF, other_anchors)


@pytest.mark.parametrize(
    ("url", "new"),
    [
        ("../images/a/x.png", "../../images/a/x.png"),
        ("./img.png", "../../posts/img.png"),
        ("img.png", "../../posts/img.png"),
        ("../../top.png", "../../../top.png"),
        ("../images/x.png?v=2", "../../images/x.png?v=2"),
        ("../images/x.png?v=2#part", "../../images/x.png?v=2#part"),
        ("./a.png?", "../../posts/a.png?"),
        ("./a.png#", "../../posts/a.png#"),
        ("./a.png#x?y", "../../posts/a.png#x?y"),
        ("./a.png?x#y#z", "../../posts/a.png?x#y#z"),
        ("./my%20file.png", "../../posts/my%20file.png"),
        ("./%e4%b8%ad.png", "../../posts/%e4%b8%ad.png"),
        ("./中%20文.png", "../../posts/中%20文.png"),
        ("./%FF.png", "../../posts/%FF.png"),
    ],
)
def test_rewrite_asset_from_a_deeper_output(url: str, new: str) -> None:
    assert rewrite(url) == new


@pytest.mark.parametrize(
    ("url", "new"),
    [
        ("./b.md#二、标题", "./b.md#ii-title"),
        ("b.md", "b.md"),
        ("./b#二、标题", "./b#ii-title"),
        ("./b.html?x=1#二、标题", "./b.html?x=1#ii-title"),
        ("./b.md#%E4%BA%8C%E3%80%81%E6%A0%87%E9%A2%98", "./b.md#ii-title"),
        ("./b.md#unknown", "./b.md#unknown"),
        ("./a.md#一、背景", "./a.md#_1-background"),
        ("./g/", "./g/"),
        ("./c.md#x", "../../posts/c.md#x"),  # not translated: keep the source file
        ("./c#x", "../../posts/c#x"),
    ],
)
def test_rewrite_links_to_posts(url: str, new: str) -> None:
    assert rewrite(url) == new


@pytest.mark.parametrize(
    ("url", "new"),
    [
        ("./b.md#二、标题", "./b.en.md#ii-title"),
        ("b.md", "b.en.md"),
        ("./b", "./b.en"),
        ("./b.html", "./b.en.html"),
        ("./guide/", "./guide/index.en"),
        ("./guide/index.md", "./guide/index.en.md"),
        ("./a.md#一、背景", "./a.en.md#_1-background"),
    ],
)
def test_rewrite_links_to_posts_in_the_same_folder(url: str, new: str) -> None:
    assert rewrite(url, DOC, DOC_EN) == new


@pytest.mark.parametrize(
    "url",
    ["./img.png", "../images/x.png", "img.png", "./x/../img.png", "./", ".", "./c.md#x", "./my%20f.png?a#b"],
)
def test_same_folder_output_leaves_other_urls_byte_for_byte(url: str) -> None:
    assert rewrite(url, DOC, DOC_EN) == url


@pytest.mark.parametrize(
    "url",
    ["https://x.com/a.png", "//host/a.png", "/root.png", "mailto:a@b.c", "", "?q=1", "..\\images\\x.png"],
)
def test_rewrite_leaves_non_relative_urls(url: str) -> None:
    assert rewrite(url) == url


def test_rewrite_maps_own_fragments() -> None:
    assert rewrite("#一、背景") == "#_1-background"
    assert rewrite("#unknown") == "#unknown"
    assert rewrite_url("#一、背景", SRC, OUT, POSTS, None) == "#一、背景"


def test_rewrite_without_other_anchors_keeps_the_fragment() -> None:
    assert rewrite_url("./b.md#二、标题", DOC, DOC_EN, POSTS, SELF) == "./b.en.md#二、标题"


def test_rewrite_re_encodes_a_translated_post_path() -> None:
    posts = {P("docs/my post.md"): P("docs/en/my post.md")}
    assert rewrite_url("./my%20post.md", DOC, DOC_EN, posts, None) == "./en/my%20post.md"
    assert rewrite_url("./my post.md", DOC, DOC_EN, posts, None) == "./en/my post.md"


def test_rewrite_rejects_an_output_outside_the_repository() -> None:
    with pytest.raises(ValueError, match="outside the repository"):
        rewrite_url("a.png", SRC, P("../elsewhere/a.md"), {}, None)


_SEGMENT = st.sampled_from(["e", "b.png", "..", ".", "中文", "x%20y", "c.md", "d"])
_URLS = st.builds(
    lambda lead, parts, tail: lead + "/".join(parts) + tail,
    st.sampled_from(["", "./", "../"]),
    st.lists(_SEGMENT, min_size=1, max_size=4),
    st.sampled_from(["", "?q=1", "#h", "?a#b", "/"]),
)


@given(_URLS)
def test_identity_output_changes_nothing(url: str) -> None:
    assert rewrite_url(url, SRC, SRC, {}, None) == url


@given(_URLS)
def test_output_in_the_same_folder_changes_no_asset_link(url: str) -> None:
    assert rewrite_url(url, DOC, DOC_EN, {DOC: DOC_EN}, None) == url
