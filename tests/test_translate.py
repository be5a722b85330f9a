"""The translate stage with in-process backends: batching, validation, retries, stopping."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.backends import BaseBackend, BatchRequest
from i18n_posts.backends.offline import pseudo_text
from i18n_posts.backends.runner import RunOptions
from i18n_posts.errors import BackendError, BackendUnavailable
from i18n_posts.glossary import Glossary, Term
from i18n_posts.load import parse_post
from i18n_posts.translate import TranslateOptions, Translator

POST = "# 标题 `a`\n\n第一段[链接](u)。\n\n第二段**重点**。\n\n第三段。\n"


class Scripted(BaseBackend):
    """Answers with pseudo translations, damaged by `damage(call number, request, answers)`."""

    name = "scripted"

    def __init__(self, damage=None):
        super().__init__({})
        self.damage, self.requests = damage, []

    def translate(self, request: BatchRequest) -> dict[str, str]:
        self.requests.append(request)
        answers = {
            u.id: pseudo_text(u.text, [(g.source, g.target) for g in request.glossary]) for u in request.units
        }
        if self.damage:
            answers = self.damage(len(self.requests), request, answers)
        return answers


NO_TERMS = Glossary.of(())


def run(segmenter, backend, text=POST, glossary=NO_TERMS, **opts):
    post = segmenter.segment(parse_post(Path("p.md"), text.encode()))
    run_keys = {"concurrency", "max_failures", "max_tokens", "max_chars"}
    run_opts = RunOptions(**{k: v for k, v in opts.items() if k in run_keys})
    options = TranslateOptions(**{k: v for k, v in opts.items() if k not in run_keys})
    tr = Translator.of(backend, glossary, options, run_opts)
    done, issues = tr.translate(post)
    return post, tr, done, issues


def test_all_units_in_one_batch_with_batch_unique_placeholders(segmenter):
    b = Scripted()
    post, tr, done, issues = run(segmenter, b)
    assert issues == [] and set(done) == {u.id for u in post.units}
    assert len(b.requests) == 1
    texts = [u.text for u in b.requests[0].units]
    assert texts[0].endswith("<x1/>") and "<g2>" in texts[1] and "<g3>" in texts[2]
    assert done["u2"].count("<g1>") == 1  # renamed back to the unit's own names


def test_budget_splits_batches_in_document_order(segmenter):
    b = Scripted()
    run(segmenter, b, batch_chars=10)
    assert [len(r.units) for r in b.requests] == [1, 1, 1, 1]
    assert [r.units[0].id for r in b.requests] == ["u1", "u2", "u3", "u4"]


def test_missing_unit_is_retried_alone(segmenter):
    def drop_second(n, request, answers):
        return {k: v for k, v in answers.items() if n > 1 or k != "u2"}

    b = Scripted(drop_second)
    post, tr, done, issues = run(segmenter, b)
    assert issues == [] and len(done) == 4
    assert [u.id for u in b.requests[1].units] == ["u2"]


def test_swapped_ids_never_pass(segmenter):
    def rotate(n, request, answers):
        ids = list(answers)
        return dict(zip(ids[1:] + ids[:1], answers.values(), strict=True))

    post, tr, done, issues = run(segmenter, Scripted(rotate))
    # a shuffled answer is refused whole; the batch is split until a unit is alone (where
    # nothing can be swapped): every unit ends up with its own text, none with another's
    assert issues == []
    sizes = [len(r.units) for r in tr.backend.requests]
    assert sizes[0] == 4 and sizes.count(1) == 4
    for u in post.units:
        assert done[u.id] == pseudo_text(u.text, [])


def test_lost_placeholder_retried_then_reported(segmenter):
    def lose(n, request, answers):
        return {k: v.replace("<x1/>", "") for k, v in answers.items()}

    post, tr, done, issues = run(segmenter, Scripted(lose), retries=1)
    assert [(i.unit_id, i.code) for i in issues] == [("u1", "placeholder")]
    assert "u1" not in done and len(done) == 3
    assert len(tr.backend.requests) == 2


def test_glossary_terms_reach_the_backend_and_are_checked(segmenter):
    g = Glossary.of([Term("标题", "Title"), Term("不在文中", "absent")])
    b = Scripted()
    post, tr, done, issues = run(segmenter, b, glossary=g)
    assert [h.source for h in b.requests[0].glossary] == ["标题"]
    assert issues == [] and "Title" in done["u1"]

    def ignore_glossary(n, request, answers):
        return {k: v.replace("Title", "Heading") for k, v in answers.items()}

    post, tr, done, issues = run(segmenter, Scripted(ignore_glossary), glossary=g)
    assert [i.code for i in issues] == ["glossary"]


class Failing(BaseBackend):
    name = "failing"

    def __init__(self):
        super().__init__({})
        self.calls = 0

    def translate(self, request):
        self.calls += 1
        raise BackendError("failing", "boom")


def test_backend_failing_in_a_row_stops_the_run(segmenter):
    b = Failing()
    with pytest.raises(BackendUnavailable, match="3 times in a row"):
        run(segmenter, b, max_failures=3, retries=5)
    assert b.calls == 3


def test_a_single_failure_is_retried(segmenter):
    class Flaky(Scripted):
        def translate(self, request):
            if not self.requests:
                self.requests.append(request)
                raise BackendError("flaky", "temporary")
            return super().translate(request)

    post, tr, done, issues = run(segmenter, Flaky())
    assert issues == [] and len(done) == 4 and tr.runner.failures_in_a_row == 0


def test_a_missed_term_gets_a_retry_that_names_it_then_fails_or_warns(segmenter):
    g = Glossary.of([Term("标题", "Title")])

    def ignore_glossary(n, request, answers):
        return {k: v.replace("Title", "Heading") for k, v in answers.items()}

    b = Scripted(ignore_glossary)
    post, tr, done, issues = run(segmenter, b, glossary=g, retries=1)
    assert [i.code for i in issues] == ["glossary"] and "u1" not in done
    retry = b.requests[1].units
    assert [u.id for u in retry] == ["u1"] and "'Title'" in retry[0].hint

    post, tr, done, issues = run(
        segmenter, Scripted(ignore_glossary), glossary=g, retries=1, glossary_mode="warn"
    )
    assert issues == [] and "Heading" in done["u1"]
    assert [w.code for w in tr.warnings] == ["glossary"]


def test_a_retry_after_a_missed_term_writes_the_term_in_its_target_form(segmenter):
    g = Glossary.of([Term("标题", "Title"), Term("段", "paragraph", enforced=False)])

    def own_word(n, request, answers):  # renders the Chinese term its own way, keeps Latin text
        return {k: v.replace("Title", "Heading") if "标题" in u.text else v
                for u, (k, v) in zip(request.units, answers.items(), strict=True)}  # fmt: skip

    b = Scripted(own_word)
    post, tr, done, issues = run(segmenter, b, text="# 标题 `a`\n\n第一段。\n", glossary=g, retries=1)
    assert issues == [] and done["u1"].startswith("Title")
    first, retry = b.requests[0].units[0], b.requests[1].units[0]
    assert (first.text, retry.text) == ("标题 <x1/>", "Title <x1/>")
    assert [u.text for u in b.requests[0].units[1:]] == ["第一段。"]  # a hint-only term stays


def test_a_unit_that_lost_its_paired_tags_is_sent_again_with_them_as_markdown_links(segmenter):
    import re

    def drop_pairs(n, request, answers):  # a model that drops the tags but keeps Markdown
        return {k: re.sub(r"</?g\d+>", "", v) for k, v in answers.items()}

    b = Scripted(drop_pairs)
    post, tr, done, issues = run(segmenter, b, text="第一段[链接](u)和**重点**。\n\n第二段。\n", retries=2)
    assert issues == [] and re.search(r"<g1>.+</g1>.+<g2>.+</g2>", done["u1"]), done
    first, retry = b.requests[0].units[0], b.requests[1].units[0]
    assert first.text == "第一段<g1>链接</g1>和<g2>重点</g2>。"
    assert retry.text == "第一段[链接](#g1)和[重点](#g2)。" and "[text](#gN)" in retry.hint
    assert len(b.requests) == 2  # the other unit passed at once; the retry went alone

    def drop_all(n, request, answers):  # links or tags: always lost
        return {k: re.sub(r"</?g\d+>|\]\(#g\d+\)|\[", "", v) for k, v in answers.items()}

    b = Scripted(drop_all)
    post, tr, done, issues = run(segmenter, b, text="第一段[链接](u)。\n", retries=2)
    assert [i.code for i in issues] == ["placeholder"]
    # links once, then the tags again, named
    assert [r.units[0].text for r in b.requests[1:]] == ["第一段[链接](#g1)。", "第一段<g1>链接</g1>。"]
    assert "<g1>" in b.requests[2].units[0].hint


def test_do_not_translate_terms_travel_as_placeholders(segmenter):
    g = Glossary.of([Term("PaddleOCR", "PaddleOCR", dnt=True)])

    def mangle(n, request, answers):  # a backend that would "translate" the name if it saw it
        return {k: v.replace("PaddleOCR", "Paddle OCR") for k, v in answers.items()}

    b = Scripted(mangle)
    post, tr, done, issues = run(
        segmenter, b, text="# 标题 `a`\n\n用 PaddleOCR 识别 PaddleOCR。\n", glossary=g
    )
    assert issues == []
    sent = b.requests[0].units[1]
    assert "PaddleOCR" not in sent.text and sent.text.count("<x") == 2
    assert [label for _, label in sent.placeholders] == ["keep: PaddleOCR", "keep: PaddleOCR"]
    assert done["u2"].count("PaddleOCR") == 2


def test_a_unit_that_lost_a_placeholder_goes_again_alone_with_it_named(segmenter):
    def lose_once(n, request, answers):
        return {k: v.replace("<x1/>", "") for k, v in answers.items()} if n == 1 else answers

    post, tr, done, issues = run(segmenter, Scripted(lose_once))
    assert issues == [] and len(done) == 4
    retry = tr.backend.requests[1]
    assert [u.id for u in retry.units] == ["u1"] and "<x1/>" in retry.units[0].hint


def test_a_backend_that_never_answers_a_batch_usably_stops_the_run(segmenter):
    """Swapped ids every time: splitting down to single units would hide a broken backend at the
    cost of a call per unit; after `max_bad_batches` unusable batch answers in a row the run stops."""

    def swap(n, request, answers):
        return dict(reversed(list(answers.items())))  # the ids come back out of order

    text = "".join(f"第{n}段，有一些文字。\n\n第{n}段的第二段。\n\n" for n in range(40))
    b = Scripted(swap)
    with pytest.raises(BackendUnavailable, match="no usable answer to 8 batches in a row"):
        run(segmenter, b, text=text, batch_chars=60)
    assert len(b.requests) < 40  # far fewer calls than units (80)


def test_an_occasional_bad_batch_answer_is_split_and_the_run_goes_on(segmenter):
    def swap_first(n, request, answers):
        return dict(reversed(list(answers.items()))) if n == 1 else answers

    post, tr, done, issues = run(segmenter, Scripted(swap_first))
    assert issues == [] and set(done) == {u.id for u in post.units}
