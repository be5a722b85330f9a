from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.errors import LoadError
from i18n_posts.load import load_post, parse_post

P = Path("post.md")


def test_front_matter_span_is_exact_with_bom_and_crlf():
    text = "\ufeff---\r\ntitle: 标题\r\n---\r\n\r\n正文\r\n"
    post = parse_post(P, text.encode())
    assert post.text == text
    assert post.newline == "\r\n"
    a, b = post.front_matter
    assert text[a:b] == "title: 标题\r\n"
    assert text[post.body_start :] == "\r\n正文\r\n"


def test_bom_without_front_matter_is_not_part_of_the_body():
    post = parse_post(P, "\ufeff# 标题\n".encode())
    assert post.front_matter is None
    assert post.body_start == 1


def test_unclosed_front_matter_is_just_markdown():
    post = parse_post(P, "---\ntitle: x\n\n正文".encode())
    assert post.front_matter is None and post.body_start == 0


def test_empty_and_only_front_matter_are_posts():
    assert parse_post(P, b"").text == ""
    post = parse_post(P, "---\ntitle: 只有元数据\n---\n".encode())
    assert post.body_start == len(post.text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("---\ntitle: 坏\n---\n".encode() + b"\xff\xfe\n", "not valid UTF-8"),
        ("---\ntitle: [未闭合\n  - : :\n---\n正文".encode(), "invalid YAML front matter"),
        ("---\n- a\n- b\n---\n正文".encode(), "not a mapping"),
    ],
)
def test_bad_posts_are_refused_with_file_and_reason(data, message):
    with pytest.raises(LoadError) as exc:
        parse_post(P, data)
    assert message in str(exc.value)
    assert str(exc.value).startswith("post.md")


def test_invalid_utf8_names_the_line():
    with pytest.raises(LoadError) as exc:
        parse_post(P, b"a\nb\n" + b"\xc3(")
    assert exc.value.line == 3


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="cannot read"):
        load_post(tmp_path / "nope.md")
