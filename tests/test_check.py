from __future__ import annotations

from pathlib import Path

from i18n_posts.check import CheckContext, check_document, check_unit
from i18n_posts.glossary import Glossary, Term
from i18n_posts.load import parse_post

CTX = CheckContext(
    Glossary.of(
        [
            Term("飞桨", "PaddlePaddle", forbidden=("Flying Paddle",)),
            Term("推理", "inference", enforced=False),
        ]
    )
)


def unit(segmenter, text: str):
    return segmenter.segment(parse_post(Path("t.md"), text.encode())).units[0]


def codes(segmenter, src: str, tr: str) -> list[str]:
    return [i.message for i in check_unit(unit(segmenter, src), tr, CTX)]


def test_good_translation_passes(segmenter):
    assert codes(segmenter, "用**飞桨** `x` 推理\n", "use <g1>PaddlePaddle</g1> <x2/> for reasoning") == []


def test_lost_invented_and_malformed_placeholders(segmenter):
    src = "用**飞桨** `x`\n"
    assert codes(segmenter, src, "use <g1>PaddlePaddle</g1>") == ["placeholders lost: <x2/>"]
    assert codes(segmenter, src, "use <g1>PaddlePaddle</g1> <x2/> <x3/>") == [
        "placeholders not in the source: <x3/>"
    ]
    assert "malformed" in codes(segmenter, src, "use <g1>PaddlePaddle</g1> <x2/> < x 4 />")[0]


def test_pairs_must_nest(segmenter):
    src = "用**飞桨*的*模型**\n"
    assert codes(segmenter, src, "<g1>PaddlePaddle <g2>the</g2> model</g1>") == []
    msgs = codes(segmenter, src, "<g1>PaddlePaddle <g2>the</g1> model</g2>")
    assert msgs and "out of order" in msgs[0]


def test_blank_line_and_empty(segmenter):
    assert codes(segmenter, "第一行\n第二行\n", "line one\n\nline two") == [
        "a blank line would split the block"
    ]
    assert codes(segmenter, "飞桨好\n", "  ")[0] == "empty translation"


def test_glossary_target_and_forbidden_forms(segmenter):
    assert codes(segmenter, "飞桨好\n", "Paddle is good") == ["飞桨 must be rendered as 'PaddlePaddle'"]
    assert codes(segmenter, "飞桨好\n", "PaddlePaddle (Flying Paddle) is good") == [
        "飞桨: forbidden form 'Flying Paddle' used"
    ]
    assert codes(segmenter, "飞桨好\n", "paddlepaddle is good") == []  # case does not matter


def test_document_structure_guard(segmenter):
    src = parse_post(Path("t.md"), "# 标题\n\n正文\n".encode())
    assert check_document(segmenter.md, src, "# Title\n\nBody\n") == []
    issues = check_document(segmenter.md, src, "# Title\n\n- Body\n")
    assert issues and "structure" in issues[0].message
    assert check_document(segmenter.md, src, "---\ntitle: [x\n---\n# T\n\nB\n")
