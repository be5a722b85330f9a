"""Checks that catch a wrong answer (check_fidelity.py): the answers Qwen2.5-Coder-1.5B gave
on the example are refused, and the human reference translation (the .en.md and the
memory in locales/) passes every check with no false alarm."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.align import align
from i18n_posts.check import CheckContext, check_unit
from i18n_posts.glossary import Glossary, Term, load_glossary
from i18n_posts.load import load_post
from i18n_posts.locales import source_script
from i18n_posts.memory.po import read_memory
from i18n_posts.model import Unit

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "examples/posts/xdu-xjtu-os.md"
REFERENCE = ROOT / "examples/posts/xdu-xjtu-os.en.md"
MEMORY = ROOT / "locales/en/examples/posts/xdu-xjtu-os.po"
GLOSSARY = load_glossary(ROOT / "glossary.yml", "zh", "en")
CTX = CheckContext(GLOSSARY, source_script("zh"))


def unit(text: str) -> Unit:
    return Unit("u1", "paragraph", "markdown", 0, len(text), 1, text, (), (), (text,))


def codes(text: str, answer: str, ctx: CheckContext = CTX) -> list[str]:
    return [i.code for i in check_unit(unit(text), answer, ctx)]


def test_the_reference_translation_passes_every_check(segmenter):
    post = segmenter.segment(load_post(SOURCE))
    a = align(post, load_post(REFERENCE), segmenter)
    assert a.problem == ""
    issues = [(u.id, i.message) for u in post.units for i in check_unit(u, a.translations[u.id], CTX)]
    assert issues == []  # zero false alarms over all 50 units


def test_the_reference_memory_passes_every_check(segmenter):
    post = segmenter.segment(load_post(SOURCE))
    mem = read_memory(MEMORY, "examples/posts/xdu-xjtu-os.md", "en")
    checked = 0
    for u in post.units:
        e = mem.get(u.text)
        if e is None or e.fuzzy or e.translation == u.text:
            continue
        assert check_unit(u, e.translation, CTX) == [], (u.text, e.translation)
        checked += 1
    assert checked >= 45


@pytest.mark.parametrize(
    ("source", "answer", "code"),
    [
        # another unit's sentence under this id (seen under a JSON grammar)
        ("👋 缘起：当“开源”不再是任务", "1. Sharing PaddlePaddle Open Source Community and", "carry"),
        ("2025 年 11 月底，我们出发了。", "We set out at the end of November.", "carry"),
        ("我们用 Paddle 和 GraphNet 做实验。", "We ran experiments with the framework.", "carry"),
        ("详见 https://github.com/PaddlePaddle/Paddle 。", "See the repository.", "carry"),
        # cut off mid-sentence
        (
            "学校附近有很多好玩的地方，同学们喜欢到附近走走，抓一抓“走地鸽”。",
            "There are many fun places near the school, students like to walk around nearby and catch some ",
            "ending",
        ),
        ("他说（这是真的）。", "He said (it is true.", "ending"),
        # Chinese left inside English
        ("现场的热情让我们印象深刻。", "The现场's enthusiasm impressed us.", "untranslated"),
        ("我们建立了联合微信群。", "We have set up a joint微信群.", "untranslated"),
        # far too short for its source
        (
            "飞桨开源社区与西电开源社区的同学们围坐在一起，畅谈开源那些事儿，从第一次接触开源说起。",
            "Hi.",
            "length",
        ),
    ],
)
def test_wrong_answers_of_the_real_model_are_refused(source, answer, code):
    assert code in codes(source, answer)


def test_a_copied_maintainer_note_is_refused_and_notes_are_not_sent():
    term = Term("李梦柳", "Mengliu Li", note="proposed: = 李梦柳 / 梦柳, GitHub @Ligoml.")
    ctx = CheckContext(Glossary.of([term]), source_script("zh"))
    copied = "Thanks to Mengliu Li (GitHub @Ligoml) for sharing."
    assert "glossary" in codes("感谢李梦柳的分享。", copied, ctx)
    assert codes("感谢李梦柳的分享。", "Thanks to Mengliu Li for sharing.", ctx) == []


def test_tolerances_numbers_written_out_and_words_english_has():
    assert codes("我们 3 个人在 3 月相聚。", "The three of us met in March.") == []
    assert codes("不是坐在下面听 PPT。", "Not sitting and listening to slides.") == []
    assert codes("共有 10000 人。", "There are 10,000 people.") == []
    assert codes("提交 PullRequest 即可。", "Just open a Pull Request.") == []


def test_checks_hold_real_translators_only():
    preview = CheckContext(GLOSSARY, None)  # identity, pseudo: nothing is translated
    assert codes("2025 年，我们出发了。", "x", preview) == []
