from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.errors import ConfigError
from i18n_posts.glossary import Glossary, Term, load_glossary

ROOT = Path(__file__).parent.parent


def terms(g: Glossary, text: str) -> list[str]:
    return [text[m.start : m.end] for m in g.find(text)]


def test_cjk_terms_match_without_word_boundaries_longest_first():
    g = Glossary.of(
        [Term("飞桨", "PaddlePaddle"), Term("飞桨开源社区", "PaddlePaddle Open Source Community")]
    )
    assert terms(g, "欢迎加入飞桨开源社区，飞桨很好") == ["飞桨开源社区", "飞桨"]


def test_latin_terms_match_on_word_boundaries_in_any_case():
    g = Glossary.of([Term("Paddle", "Paddle", dnt=True), Term("GLCC", "GLCC", case_sensitive=True)])
    assert terms(g, "PaddlePaddle and paddle, Paddle2 and GLCC/glcc") == ["paddle", "GLCC"]
    assert terms(g, "the Paddle framework, GLCC") == ["Paddle", "GLCC"]


def test_aliases_map_to_their_term():
    g = Glossary.of([Term("飞桨", "PaddlePaddle", aliases=("百度飞桨",))])
    assert [m.term.source for m in g.find("百度飞桨")] == ["飞桨"]


def test_terms_in_lists_each_term_once():
    g = Glossary.of([Term("飞桨", "PaddlePaddle"), Term("文心", "ERNIE")])
    assert [t.source for t in g.terms_in(["文心和飞桨", "飞桨"])] == ["文心", "飞桨"]


def test_shipped_glossary_loads_with_many_terms():
    g = load_glossary(ROOT / "glossary.yml", "zh", "en")
    assert len(g.terms) >= 150
    by = {t.source: t for t in g.terms}
    assert by["飞桨"].target == "PaddlePaddle"
    assert by["PaddleOCR"].dnt and by["PaddleOCR"].target == "PaddleOCR"
    assert not by["推理"].enforced


def test_errors_name_file_and_line(tmp_path):
    p = tmp_path / "g.yml"
    p.write_text(
        "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 文心\n    colour: red\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as exc:
        load_glossary(p, "zh", "en")
    assert str(exc.value).startswith(f"{p}:4:") and "colour" in str(exc.value)
    p.write_text("terms:\n  - zh: 飞桨\n    en: ''\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="non-empty"):
        load_glossary(p, "zh", "en")
    p.write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_glossary(p, "zh", "en")


def test_terms_inside_code_urls_and_attributes_are_not_matched(segmenter):
    from i18n_posts.load import parse_post

    text = '飞桨文档见 `飞桨` 与 <https://paddle.org/飞桨> 和 <span title="x" class="飞桨">文本</span>\n'
    post = segmenter.segment(parse_post(Path("t.md"), text.encode()))
    g = Glossary.of([Term("飞桨", "PaddlePaddle"), Term("paddle", "paddle", dnt=True)])
    found = [m.term.source for u in post.units for seg in u.source_segments for m in g.find(seg)]
    assert found == ["飞桨"]  # only the prose one, not the code, URL or class attribute
