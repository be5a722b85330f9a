"""`translate --backend openai` end to end against the suite's own server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from i18n_posts.backends._prompt import WORDS
from i18n_posts.cli import app

from conftest import DATA, FAKE_KEY, HAN

POST = DATA / "posts" / "inline.md"


def translate(service, tmp_path, *extra: str, post=POST):
    src = tmp_path / post.name
    shutil.copy(post, src)
    args = [
        "translate",
        str(src),
        "--to",
        "en",
        "--backend",
        "openai",
        "--backend-option",
        f"base_url={service.base_url}",
        "--backend-option",
        "model=any",
        "--backend-option",
        "api_key_env=FAKE_KEY",
        "--backend-option",
        "timeout=2",
        *extra,
    ]
    result = CliRunner().invoke(app, args)
    out = src.with_name(f"{src.stem}.en{src.suffix}")
    return result, out


def assert_translated(out):
    text = out.read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    prose = re.sub(r"`[^`]*`|<[^>]*>|\]\([^)]*\)", "", body)
    assert not re.search(HAN, prose.replace("[^开发者数据]", ""))


def test_a_post_is_translated(service, tmp_path):
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0, result.output
    assert_translated(out)
    chat = [r for r in service.requests if r["path"].endswith("/chat/completions")]
    assert chat and chat[0]["headers"]["authorization"] == f"Bearer {FAKE_KEY}"


@pytest.mark.parametrize("step", ["status:429:retry-after=1", "status:500", "timeout:3", "disconnect"])
def test_transient_failures_are_retried(service, tmp_path, step):
    service.script(step)
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0, result.output
    assert_translated(out)
    assert service.count >= 2


def test_retry_after_is_honoured(service, tmp_path):
    service.script("status:429:retry-after=1")
    translate(service, tmp_path)
    first, second = service.requests[0], service.requests[1]
    assert second["t_start"] - first["t_end"] >= 0.9


def test_missing_id_is_retried_alone(service, tmp_path):
    service.script("missing-id")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0, result.output
    assert service.requests[1]["units"] == 1
    assert_translated(out)


def test_dropped_placeholders_are_retried_then_reported_and_nothing_written(service, tmp_path):
    service.always("drop-placeholder")
    result, out = translate(service, tmp_path, "--backend-option", "batch_chars=6000")  # one batch
    assert result.exit_code == 1
    assert "inline.md" in result.output and re.search(
        r"the translation of “[^”]+” lost the \w+", result.output
    )
    assert not out.exists()
    # the first call and two retries of the failing units (too many to go one by one), each
    # with what it lost named
    assert service.count == 3
    retry = service.requests[1]["json"]["messages"]
    units = json.loads(retry[1]["content"])["units"]
    named = re.findall(r"^unit (\d+): placeholders lost: <", retry[0]["content"], re.M)
    assert named == [u["id"] for u in units] and all(set(u) == {"id", "text"} for u in units)


def test_a_local_server_gets_small_batches(service, tmp_path):
    """A loopback server is taken for a model on a CPU: at most 800 characters of unit text a
    call (a small model slides texts onto other ids in a long answer)."""
    example = DATA.parent.parent / "examples" / "posts" / "xdu-xjtu-os.md"  # 2,467 characters to send
    result, out = translate(service, tmp_path, post=example)
    assert result.exit_code == 0, result.output
    sizes = [r["chars"] for r in service.requests]
    assert len(sizes) > 1 and max(sizes) <= 800, sizes


def test_lost_paired_tags_are_asked_for_again_as_markdown_links(service, tmp_path):
    post = tmp_path / "src" / "p.md"
    post.parent.mkdir()
    post.write_text(
        "---\ntitle: 标题\n---\n\n请看[文档](https://a.b/c)和**重点**。\n\n第二段。\n", encoding="utf-8"
    )
    service.always("drop-pairs")
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 0, result.output
    assert_translated(out)
    text = out.read_text(encoding="utf-8")
    assert re.search(r"\[[^\]]+\]\(https://a\.b/c\)", text) and re.search(r"\*\*[^*]+\*\*", text), text
    retries = [json.loads(r["json"]["messages"][1]["content"])["units"] for r in service.requests[1:]]
    assert retries and all(
        len(u) == 1 and "](#g" in u[0]["text"] and "<g" not in u[0]["text"] for u in retries
    )


def test_a_missed_term_is_written_in_for_the_retry(service, tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n", encoding="utf-8")
    service.always("own-terms")
    result, out = translate(service, tmp_path, "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    assert_translated(out)
    first = json.loads(service.requests[0]["json"]["messages"][1]["content"])["units"]
    again = [u for units in _sent_units(service, words=False)[1:] for u in units]
    assert any("飞桨" in u["text"] for u in first)
    assert again and all("飞桨" not in u["text"] and "PaddlePaddle" in u["text"] for u in again)


def test_a_term_inside_a_longer_term_is_not_written_in(service, tmp_path):
    # 开源社 (KAIYUANSHE, an org) inside 开源社区 (the common noun, a hint only): the real
    # glossary's pair; the retry once sent "ERNIEKAIYUANSHE区"
    glossary = tmp_path / "glossary.yml"
    glossary.write_text(
        "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 开源社\n    en: KAIYUANSHE\n"
        "  - zh: 开源社区\n    en: open source community\n    context: the common noun\n",
        encoding="utf-8",
    )
    post = _own_post(tmp_path, "飞桨开源社区走进课堂。\n")
    service.always("own-terms")
    translate(service, tmp_path, "--glossary", str(glossary), post=post)
    again = [u["text"] for units in _sent_units(service, words=False)[1:] for u in units]
    assert again and all(t.startswith("PaddlePaddle开源社区") for t in again), again


def test_a_term_written_in_is_spaced_off_a_latin_name(service, tmp_path):
    # the 1.5B model sent "Xidian Open Source CommunityZeroAurora" back as it was given
    glossary = tmp_path / "glossary.yml"
    term = "  - zh: 西电开源社区\n    en: Xidian Open Source Community\n"
    glossary.write_text("terms:\n" + term, encoding="utf-8")
    post = _own_post(tmp_path, "西电开源社区ZeroAurora分享了经验。\n")
    service.always("own-terms")
    translate(service, tmp_path, "--glossary", str(glossary), post=post)
    again = [u["text"] for units in _sent_units(service, words=False)[1:] for u in units]
    assert again and all(t.startswith("Xidian Open Source Community ZeroAurora分享") for t in again), again


def _own_post(tmp_path, body: str):
    """A post of its own, outside the folder `translate` copies it into."""
    post = tmp_path / "in" / "own.md"
    post.parent.mkdir()
    post.write_text(f"---\ntitle: 标题\n---\n\n{body}", encoding="utf-8")
    return post


def _sent_units(service, words: bool = True) -> list[list[dict]]:
    """The units of each chat request (`words=False`: not those of words sent alone)."""
    return [
        json.loads(r["json"]["messages"][1]["content"])["units"]
        for r in service.requests
        if words or WORDS not in r["json"]["messages"][0]["content"]
    ]


def test_a_word_left_in_the_source_language_is_sent_alone_then_written_in(service, tmp_path):
    # what the 1.5B model did: "The现场's enthusiasm", on every retry, until the word was
    # translated alone and written into the text
    post = _own_post(tmp_path, "PaddlePaddle现场的热情完全超出了预期。\n\n大家都很开心。\n")
    service.always("han-left:现场")
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 0, result.output
    assert_translated(out)
    sent = _sent_units(service)
    assert ["现场"] in [[u["text"] for u in units] for units in sent]  # the word alone
    again = [u["text"] for units in sent[2:] for u in units]
    assert again == ["PaddlePaddle xx的热情完全超出了预期。"]  # written in, spaced off the name
    # the first call and the word alone at temperature 0; the retry samples (else: same answer)
    assert [r["json"]["temperature"] for r in service.requests] == [0, 0, 0.5]


def test_a_word_whose_translation_alone_failed_is_not_sent_alone_again(service, tmp_path):
    # sent again, sampled, such words came back wrong (咸阳 as "Xi'an"): the unit fails instead
    post = _own_post(tmp_path, "PaddlePaddle现场的热情完全超出了预期。\n")
    service.script("han-left:现场", "untranslated")  # the word alone comes back untranslated
    service.always("han-left:现场")
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 1 and not out.exists()
    alone = [r["json"] for r in service.requests if WORDS in r["json"]["messages"][0]["content"]]
    assert len(alone) == 1 and alone[0]["temperature"] == 0


def test_the_few_words_left_once_the_terms_are_written_in_are_sent_alone_first(service, tmp_path):
    # "Baidu PaddlePaddle产品经理Zhongkai Sun" looked translated already: the 1.5B model sent it
    # back as it was, and the next retry named 产品经理
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n", encoding="utf-8")
    post = _own_post(tmp_path, "飞桨产品经理\n")
    service.always("own-terms")
    result, out = translate(service, tmp_path, "--glossary", str(glossary), post=post)
    assert result.exit_code == 0, result.output
    sent = [[u["text"] for u in units] for units in _sent_units(service)]
    assert sent[1:] == [["产品经理"], ["PaddlePaddle xxxx"]]


def test_a_single_character_translated_alone_goes_only_where_an_answer_left_it(service, tmp_path):
    # 和 alone became "with" and went into every unit sent again: "现状with未来趋势"
    post = _own_post(tmp_path, "PaddlePaddle现场和大家见面。\n\n老师和**同学**都来了。\n")
    # one unit a call, in order: the title; the first paragraph's answer leaves 和; the
    # second's loses its placeholders
    service.script("ok", "han-left:和", "drop-placeholder")
    result, out = translate(service, tmp_path, "--batch-chars", "5", "--concurrency", "1", post=post)
    assert result.exit_code == 0, result.output
    again = [u["text"] for units in _sent_units(service, words=False)[3:] for u in units]
    assert sorted(again) == ["PaddlePaddle现场x大家见面。", "老师和[同学](#g1)都来了。"], again  # 和 kept


def test_a_glossary_term_left_in_an_answer_is_not_sent_alone(service, tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n", encoding="utf-8")
    post = _own_post(tmp_path, "飞桨的热情完全超出了预期。\n")
    service.script("ok", "han-left:飞桨")  # the title; then an answer that leaves the term
    result, out = translate(service, tmp_path, "--glossary", str(glossary), "--batch-chars", "5", post=post)
    assert result.exit_code == 0, result.output
    assert all(WORDS not in r["json"]["messages"][0]["content"] for r in service.requests)
    again = [u["text"] for units in _sent_units(service)[2:] for u in units]
    assert again == ["PaddlePaddle的热情完全超出了预期。"]  # the glossary's form, written in


def test_a_word_left_again_and_again_without_a_translation_fails_the_post(service, tmp_path):
    post = _own_post(tmp_path, "PaddlePaddle现场的热情完全超出了预期。\n")
    service.always("untranslated")  # the word alone is not translated either: nothing to write in
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 1 and not out.exists()
    assert all("现场" in units[0]["text"] for units in _sent_units(service) if len(units[0]["text"]) > 2)


def test_unescaped_quotes_inside_a_text_are_repaired(service, tmp_path):
    post = _own_post(tmp_path, "他说“你好”，然后走了。\n")
    service.script("raw-quotes")  # "text": "xx "xx", xxxx."
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 0 and out.exists(), result.output
    assert service.count == 1  # read, not sent again
    assert 'xx"xx", xxxx.' in out.read_text(encoding="utf-8")


def test_one_unit_object_outside_a_list_is_read(service, tmp_path):
    post = _own_post(tmp_path, "大家都很开心。\n")
    service.script("one-object")  # {"id": "1", "text": "..."}
    result, out = translate(service, tmp_path, post=post)
    assert result.exit_code == 0 and out.exists(), result.output
    assert service.count == 1


def test_invalid_json_is_retried_then_success(service, tmp_path):
    service.script("bad-json")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0, result.output
    assert_translated(out)


def test_answer_cut_inside_a_unit_keeps_the_complete_ones(service, tmp_path):
    service.script("cut-unit")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0 and out.exists(), result.output
    first, second = service.requests[0], service.requests[1]
    assert second["units"] == 1 < first["units"]  # only the cut unit went again
    assert_translated(out)


@pytest.mark.parametrize("step", ["fenced", "trailing-comma", "as-list"])
def test_repairable_answers_are_read(service, tmp_path, step):
    service.script(step)
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0 and out.exists(), result.output
    assert service.count == 1  # nothing sent again
    assert_translated(out)


def test_repeated_keys_refuse_the_answer_and_split_the_batch(service, tmp_path):
    service.script("duplicate-key")  # texts slid onto the next unit's id
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0 and out.exists(), result.output
    assert service.requests[1]["units"] == service.requests[0]["units"] // 2  # split, not retried whole
    clean = tmp_path / "clean"
    clean.mkdir()
    again, expected = translate(service, clean)
    assert again.exit_code == 0
    assert out.read_bytes() == expected.read_bytes()  # every unit has its own text, none slid


def test_json_with_a_sentence_around_it_is_repaired(service, tmp_path):
    service.always("bad-json")  # "Sure! Here is the translation: {...}"
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0 and out.exists(), result.output


def test_invalid_json_every_time_fails_cleanly(service, tmp_path):
    service.always("prose")  # no JSON at all
    result, out = translate(service, tmp_path)
    assert result.exit_code == 1 and not out.exists()
    assert "not valid JSON" in result.output and "Traceback" not in result.output
    # a model that answers badly is not a dead service: the batch was split, the run not stopped
    assert "no usable answer to 8 batches in a row" in result.output  # a model, not a dead service
    assert min(r["units"] for r in service.requests) == 1


def test_untranslated_answers_are_refused(service, tmp_path):
    service.always("untranslated")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 1 and not out.exists()
    assert "still in the source language" in result.output


def test_wrong_key_is_a_clear_error_without_the_key(service, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_KEY", "sk-wrong-key-77")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 1 and not out.exists()
    assert "openai" in result.output and "401" in result.output and "FAKE_KEY" in result.output
    assert "sk-wrong-key-77" not in result.output and FAKE_KEY not in result.output
    assert service.count == 1  # no retrying with a key that was refused


def test_response_format_fallback(service, tmp_path):
    service.script("no-response-format")
    result, out = translate(service, tmp_path)
    assert result.exit_code == 0, result.output
    assert "response_format" not in service.requests[-1]["json"]


def test_dry_run_sends_nothing(service, tmp_path):
    result, out = translate(service, tmp_path, "--dry-run")
    assert result.exit_code == 0 and service.count == 0 and not out.exists()
    assert "total" in result.output


def test_budget_stops_before_passing_it(service, tmp_path):
    result, out = translate(service, tmp_path, "--max-tokens", "50")
    assert result.exit_code == 1 and service.count == 0 and not out.exists()
    assert "--max-tokens 50" in result.output


def test_concurrency_is_real(service, tmp_path):
    service.latency = 0.2
    posts = sorted((DATA / "corpus").glob("*.md"))[:12]
    files = []
    for p in posts:
        shutil.copy(p, tmp_path / p.name)
        files.append(str(tmp_path / p.name))
    result = CliRunner().invoke(
        app,
        [
            "translate",
            *files,
            "--to",
            "en",
            "--backend",
            "openai",
            "--backend-option",
            f"base_url={service.base_url}",
            "--backend-option",
            "model=any",
            "--backend-option",
            "api_key_env=FAKE_KEY",
            "--backend-option",
            "parallel=0",  # a loopback server is taken for a one-at-a-time local one otherwise
            "--concurrency",
            "6",
        ],
    )
    assert result.exit_code == 0, result.output
    assert service.max_concurrent >= 4


def test_a_slow_streaming_answer_is_not_taken_for_a_dead_one(service, tmp_path):
    # about 10 chunks 0.3 s apart: 3 s for the answer, longer than the 1 s between bytes allowed
    service.script("slow-stream:0.3")
    result, out = translate(
        service, tmp_path, "--backend-option", "timeout=1", "--backend-option", "stream=true"
    )
    assert result.exit_code == 0, result.output
    first = service.requests[0]
    assert first["json"]["stream"] is True and first["t_end"] - first["t_start"] > 1
    assert service.count == 1  # not abandoned and sent again
    assert_translated(out)


def test_a_server_that_does_not_stream_gets_plain_requests(service, tmp_path):
    service.script("no-stream")
    result, out = translate(service, tmp_path, "--backend-option", "stream=true")
    assert result.exit_code == 0, result.output
    assert service.requests[0]["json"]["stream"] is True and "stream" not in service.requests[1]["json"]


def test_a_local_server_gets_one_call_at_a_time_and_a_deadline_for_the_batch(monkeypatch):
    from i18n_posts.backends import BatchRequest, RequestUnit
    from i18n_posts.backends.openai import OpenAIBackend

    b = OpenAIBackend({"base_url": "http://127.0.0.1:8080/v1", "model": "m"})
    assert b.max_concurrency == 1 and b.stream and b.response_format == "none"
    small = BatchRequest((RequestUnit("u1", "短"),), "zh", "en")
    big = BatchRequest((RequestUnit("u1", "长" * 6000),), "zh", "en")
    assert b.deadline_of(big) > b.deadline_of(small) >= 120
    assert b.build(small).json["max_tokens"] == 256 + 3  # a looping small model stops there
    monkeypatch.setenv("X_KEY", "k")
    hosted = OpenAIBackend({"preset": "deepseek", "model": "m", "api_key_env": "X_KEY"})
    assert hosted.max_concurrency == 0 and not hosted.stream and hosted.response_format == "json_schema"
    assert OpenAIBackend({"preset": "vllm", "model": "m"}).max_concurrency == 0


def test_translate_never_overwrites_a_file_it_did_not_write(service, tmp_path):
    src = tmp_path / POST.name
    reference = src.with_name(f"{src.stem}.en{src.suffix}")
    reference.write_text("a human translation\n", encoding="utf-8")
    result, out = translate(service, tmp_path)
    assert (
        result.exit_code == 2 and "not written by translate" in result.output and "--force" in result.output
    )
    assert reference.read_text(encoding="utf-8") == "a human translation\n" and service.count == 0
    result, out = translate(service, tmp_path, "--force")
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") != "a human translation\n"
    again, _ = translate(service, tmp_path)  # what it wrote itself it may write again
    assert again.exit_code == 0, again.output


def test_keep_source_writes_the_post_with_the_failing_unit_untranslated(service, tmp_path):
    service.always("drop-placeholder")
    result, out = translate(service, tmp_path, "--on-unit-failure", "keep-source")
    assert result.exit_code == 0, result.output
    assert "left in the source language" in result.output
    text = out.read_text(encoding="utf-8")
    source = POST.read_text(encoding="utf-8")
    # units with placeholders stay as in the source; the others are translated
    assert re.search(HAN, text) and text != source
