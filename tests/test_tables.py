"""Translated tables are padded as prettier pads them (where the source table is), so a post
kept formatted by prettier stays formatted in translation; other tables are left as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from i18n_posts._syntax.tables import layout, width
from i18n_posts.assemble import assemble
from i18n_posts.load import load_post
from i18n_posts.segment import Segmenter

CORPUS = sorted((Path(__file__).resolve().parent / "data" / "corpus").glob("*.md"))


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("abc", 3),
        ("飞桨", 4),
        ("🪂", 2),
        ("❤️", 2),
        ("👍🏽", 2),
        ("👨‍👩‍👧", 2),
        ("🇨🇳", 2),
        ("é", 1),
        ("a\u200bb", 3),
        ("（）", 4),
    ],
)
def test_width_counts_columns_as_prettier_does(text: str, columns: int) -> None:
    assert width(text) == columns


def _tables(text: str) -> list[list[str]]:
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines) - 1:
        if "|" in lines[i] and re.fullmatch(r"[ \t>]*\|(\s*:?-+:?\s*\|)+\s*", lines[i + 1]):
            j = i
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                j += 1
            out.append(lines[i:j])
            i = j
        else:
            i += 1
    return out


def test_every_table_of_the_corpus_is_laid_out_as_its_formatter_left_it() -> None:
    tables = [t for p in CORPUS for t in _tables(p.read_text(encoding="utf-8"))]
    assert len(tables) >= 30
    assert [t for t in tables if layout(t) != t] == []


def _translate(text: str, tr: dict[str, str], tmp_path: Path) -> str:
    (tmp_path / "p.md").write_bytes(text.encode())
    post = Segmenter().segment(load_post(tmp_path / "p.md"))
    by_text = {u.id: tr[u.text] for u in post.units if u.text in tr}
    return assemble(post, by_text)


def test_a_translated_table_is_padded_to_its_new_widths(tmp_path: Path) -> None:
    src = "| 阶段 | 任务     | 时间 |\r\n| :--: | -------- | ---: |\r\n|  一  | 阅读文档 | 一周 |\r\n"
    tr = {"阶段": "Stage", "任务": "Task", "阅读文档": "Read the docs", "一周": "1 w"}
    assert _translate(src, tr, tmp_path) == (
        "| Stage | Task          | 时间 |\r\n| :---: | ------------- | ---: |\r\n"
        "|  一   | Read the docs |  1 w |\r\n"
    )


def test_a_table_its_source_did_not_pad_so_is_left_as_written(tmp_path: Path) -> None:
    src = "| 阶段 | 任务 |\n| - | - |\n| 一 | 阅读文档 |\n"
    out = _translate(src, {"阶段": "Stage", "阅读文档": "Read the docs"}, tmp_path)
    assert out == "| Stage | 任务 |\n| - | - |\n| 一 | Read the docs |\n"
