"""HTTP backends against httpx.MockTransport: one handler per failure mode."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from i18n_posts.backends import BatchRequest, GlossaryHint, RequestUnit
from i18n_posts.backends.mt import DeepLBackend, LibreTranslateBackend, from_markup, to_markup
from i18n_posts.backends.openai import OpenAIBackend, parse_units
from i18n_posts.errors import BackendError, BackendUnavailable, BadAnswer, UsageError

KEY = "sk-secret-123"
REQ = BatchRequest(
    (RequestUnit("u1", "运行 <x1/> 检查"), RequestUnit("u2", "<g2>飞桨</g2>很好")),
    "zh",
    "en",
    (GlossaryHint("飞桨", "PaddlePaddle"),),
    title="标题",
    context="前文",
)


def completion(units, finish="stop"):
    return {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps({"units": units})},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5},
    }


GOOD = [{"id": "1", "text": "Run <x1/> to check"}, {"id": "2", "text": "<g2>PaddlePaddle</g2> is good"}]
"""Answers use the request's short ids (1, 2, ...), which the backend maps back to unit ids."""


class Script:
    """A MockTransport handler answering with the queued responses (or exceptions), then GOOD."""

    def __init__(self, *steps):
        self.steps, self.requests = list(steps), []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if self.steps else httpx.Response(200, json=completion(GOOD))
        if isinstance(step, Exception):
            raise step
        return step


def backend(monkeypatch, handler, cls=OpenAIBackend, **opts):
    monkeypatch.setenv("TEST_KEY", KEY)
    options = {"base_url": "https://llm.example/v1", "model": "m", "api_key_env": "TEST_KEY", **opts}
    if cls is not OpenAIBackend:
        options = {"api_key_env": "TEST_KEY", "base_url": "https://mt.example"}
    b = cls(options, transport=httpx.MockTransport(handler))
    b.sleeps = []

    async def no_sleep(s):
        b.sleeps.append(s)

    b._sleep = no_sleep
    return b


def run(b, request=REQ):
    async def go():
        try:
            return await b.translate_async(request)
        finally:
            await b.aclose()

    return asyncio.run(go())


def test_request_carries_units_prompt_glossary_and_key(monkeypatch):
    h = Script()
    b = backend(monkeypatch, h)
    assert run(b) == {"u1": "Run <x1/> to check", "u2": "<g2>PaddlePaddle</g2> is good"}
    r = h.requests[0]
    assert r.url == "https://llm.example/v1/chat/completions"
    assert r.headers["authorization"] == f"Bearer {KEY}"
    body = json.loads(r.content)
    assert body["response_format"]["type"] == "json_schema" and body["temperature"] == 0
    assert body["response_format"]["json_schema"]["schema"]["properties"]["units"]["minItems"] == 2
    system, user = body["messages"][0]["content"], json.loads(body["messages"][1]["content"])
    assert (
        "Chinese" in system and "English" in system and "飞桨 = PaddlePaddle" in system and "<gN>" in system
    )
    assert user["units"] == [{"id": "1", "text": "运行 <x1/> 检查"}, {"id": "2", "text": "<g2>飞桨</g2>很好"}]
    assert list(user) == ["units"]  # the title and context are for the model, not to translate:
    assert "The post's title: 标题" in system and "The text just before: 前文" in system
    assert b.usage.total == 15


def test_429_with_retry_after_then_success(monkeypatch):
    h = Script(httpx.Response(429, headers={"Retry-After": "2"}, json={"error": {"message": "slow down"}}))
    b = backend(monkeypatch, h)
    assert run(b)["u1"] == "Run <x1/> to check"
    assert b.sleeps == [2.0] and len(h.requests) == 2


def test_5xx_and_timeouts_and_connection_errors_are_retried_with_backoff(monkeypatch):
    h = Script(httpx.Response(500, text="oops"), httpx.ReadTimeout("slow"), httpx.ConnectError("down"))
    b = backend(monkeypatch, h)
    assert run(b)["u2"].startswith("<g2>")
    assert len(h.requests) == 4 and len(b.sleeps) == 3
    assert b.sleeps[2] > b.sleeps[0] * 1.4  # exponential (with jitter in [0.5, 1.5))


def test_retries_run_out(monkeypatch):
    h = Script(*[httpx.Response(503)] * 3)
    b = backend(monkeypatch, h, max_retries="2")
    with pytest.raises(BackendError, match="HTTP 503 after 3 attempts"):
        run(b)


@pytest.mark.parametrize("status", [401, 403])
def test_auth_errors_stop_and_never_show_the_key(monkeypatch, status):
    h = Script(httpx.Response(status, json={"error": {"message": f"Incorrect API key provided: {KEY}"}}))
    b = backend(monkeypatch, h)
    with pytest.raises(BackendUnavailable) as exc:
        run(b)
    msg = str(exc.value)
    assert "openai" in msg and str(status) in msg and "TEST_KEY" in msg
    assert KEY not in msg and len(h.requests) == 1


def test_400_is_not_retried(monkeypatch):
    h = Script(httpx.Response(400, json={"error": {"message": "bad model"}}))
    with pytest.raises(BackendError, match="HTTP 400: bad model"):
        run(backend(monkeypatch, h))


def test_response_format_fallback(monkeypatch):
    refused = httpx.Response(400, json={"error": {"message": "response_format is not supported"}})
    h = Script(refused, refused)
    b = backend(monkeypatch, h)
    assert run(b)["u1"] == "Run <x1/> to check"
    # json_schema -> json_object -> none
    assert json.loads(h.requests[0].content)["response_format"]["type"] == "json_schema"
    assert json.loads(h.requests[1].content)["response_format"] == {"type": "json_object"}
    assert "response_format" not in json.loads(h.requests[2].content)
    assert b.response_format == "none"  # later calls go without it


def test_answers_parsed_strictly(monkeypatch):
    bad = {"choices": [{"message": {"content": "Sure! Here it is: {"}, "finish_reason": "stop"}]}
    with pytest.raises(BackendError, match="not valid JSON"):
        run(backend(monkeypatch, Script(httpx.Response(200, json=bad))))
    with pytest.raises(BackendError, match="not a chat completion"):
        run(backend(monkeypatch, Script(httpx.Response(200, text="<html>"))))
    cut = completion(GOOD, "length")
    cut["choices"][0]["message"]["content"] = '{"units": [{"id": "1", "te'
    with pytest.raises(BadAnswer, match="cut off"):
        run(backend(monkeypatch, Script(httpx.Response(200, json=cut))))
    # cut off after a complete unit: that unit is kept (the other is asked again)
    cut["choices"][0]["message"]["content"] = json.dumps({"units": GOOD})[:-30]
    assert run(backend(monkeypatch, Script(httpx.Response(200, json=cut)))) == {"u1": "Run <x1/> to check"}
    missing = completion(GOOD[:1])
    assert run(backend(monkeypatch, Script(httpx.Response(200, json=missing)))) == {
        "u1": "Run <x1/> to check"
    }


def test_parse_units_drops_duplicates_and_unwraps_fences():
    units = '[{"id": "u1", "text": "a"}, {"id": "u1", "text": "b"}, {"id": "u2", "text": "c"}]'
    content = '```json\n{"units": ' + units + "}\n```"
    assert parse_units("openai", content) == {"u2": "c"}


def test_presets_and_missing_key(monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    with pytest.raises(UsageError, match="DEEPSEEK_API_KEY"):
        OpenAIBackend({"preset": "deepseek"})
    b = OpenAIBackend({"preset": "ollama", "model": "qwen2.5"})
    assert b.base_url == "http://localhost:11434/v1" and not b.key
    with pytest.raises(UsageError, match="unknown option"):
        OpenAIBackend({"preset": "ollama", "model": "x", "colour": "red"})


def test_markup_escaping_round_trip():
    text = "a < b & <x1/> <g2>c > d</g2>"
    assert to_markup(text) == "a &lt; b &amp; <x1/> <g2>c &gt; d</g2>"
    assert from_markup(to_markup(text)) == text


def test_deepl_sends_xml_and_uses_its_glossary(monkeypatch):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v2/glossary-language-pairs":
            return httpx.Response(
                200, json={"supported_languages": [{"source_lang": "zh", "target_lang": "en"}]}
            )
        if request.url.path == "/v2/glossaries":
            return httpx.Response(201, json={"glossary_id": "g-1"})
        form = dict(httpx.QueryParams(request.content.decode()).multi_items())
        texts = httpx.QueryParams(request.content.decode()).get_list("text")
        assert (
            form["tag_handling"] == "xml" and form["glossary_id"] == "g-1" and form["target_lang"] == "EN-US"
        )
        return httpx.Response(
            200, json={"translations": [{"text": t.replace("飞桨", "PaddlePaddle")} for t in texts]}
        )

    b = backend(monkeypatch, handler, DeepLBackend)
    from i18n_posts.glossary import Term

    b.use_glossary("en", (Term("飞桨", "PaddlePaddle"),))
    out = run(b)
    assert out["u2"] == "<g2>PaddlePaddle</g2>很好"
    assert seen[0].headers["authorization"] == f"DeepL-Auth-Key {KEY}"
    assert [r.url.path for r in seen] == ["/v2/glossary-language-pairs", "/v2/glossaries", "/v2/translate"]


def test_libretranslate_uses_html_format(monkeypatch):
    def handler(request):
        body = json.loads(request.content)
        assert body["format"] == "html" and body["source"] == "zh"
        return httpx.Response(200, json={"translatedText": [q.upper() for q in body["q"]]})

    out = run(backend(monkeypatch, handler, LibreTranslateBackend))
    assert out == {"u1": "运行 <X1/> 检查", "u2": "<G2>飞桨</G2>很好"}
