"""Issues in a maintainer's terms: the unit quoted, a lost placeholder named by what it
stands for, plurals; and the one message of a post that fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.check import CheckContext, check_unit
from i18n_posts.glossary import Glossary
from i18n_posts.load import parse_post
from i18n_posts.messages import describe, plural, quote
from i18n_posts.pipeline import failure
from i18n_posts.segment import Segmenter

TEXT = "# 标题\n\n运行 `pip install` 查看[安装指南](install.md)和**重点**，![图](a.png)，<kbd>Ctrl</kbd>。\n"
FULL = "Run <x1/> to see <g2>the guide</g2> and <g3>this</g3>, <g4>figure</g4>, <x5/>."


@pytest.fixture(scope="module")
def post():
    return Segmenter().segment(parse_post(Path("p.md"), TEXT.encode()))


def issues_of(post, answer: str):  # noqa: ANN001, ANN201
    unit = post.units[1]
    return unit, list(check_unit(unit, answer, CheckContext(Glossary.of(()))))


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (FULL.replace("<g2>", "").replace("</g2>", ""), "lost the link '安装指南'"),
        (FULL.replace("<x1/>", "pip"), "lost the code '`pip install`'"),
        (FULL.replace("<g3>this</g3>", "this"), "lost the bold text '重点'"),
        (FULL.replace("<g4>figure</g4>", ""), "lost the image '图'"),
        (FULL.replace("<x5/>", "Ctrl"), "lost the <kbd> tag '<kbd>Ctrl</kbd>'"),
        (FULL.replace("<x1/>", "").replace("<x5/>", ""), "lost the code '`pip install`' and the <kbd> tag"),
        (FULL + " <x9/>", "has markup the source does not have (<x9/>)"),
    ],
)
def test_a_lost_placeholder_is_named_by_what_it_stands_for(post, answer: str, said: str) -> None:  # noqa: ANN001
    unit, issues = issues_of(post, answer)
    assert issues, answer
    text = describe(issues[0], unit, post.source.text)
    assert (
        text.startswith("the translation of “运行 `pip install` 查看安装指南和重点，图，<k…” ")
        and said in text
    ), text
    assert "<g" not in text and "u2" not in text


def test_a_failing_post_names_the_file_the_line_and_a_quote(post) -> None:  # noqa: ANN001
    unit, issues = issues_of(post, FULL.replace("<g2>", "").replace("</g2>", ""))
    exc = failure(post.source.path, issues, post=post)
    said = "the translation of “运行 `pip install` 查看安装指南和重点，图，<k…” lost the link '安装指南'"
    assert str(exc) == f"p.md:3: {said}; not written"


def test_quote_and_plural() -> None:
    assert quote("a <g1>very</g1> long sentence that goes on and on and on", 20) == "a very long sentenc…"
    assert quote("one\nline") == "one line"
    assert quote("a <x1/> b") == "a b"
    assert [plural(n, "unit") for n in (0, 1, 2, 1500)] == ["0 units", "1 unit", "2 units", "1,500 units"]
