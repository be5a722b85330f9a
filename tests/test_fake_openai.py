"""Self-tests of the fake translation service (tests/fake_openai.py) through a real HTTP client."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from fake_openai import FakeService, fake_service_fixture, pseudo

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAGS = re.compile(r"<x\d+/>|</?g\d+>")
KEY = "sk-test"
UNITS = [
    {"id": "u1", "text": "你好，<g1>世界</g1>。"},
    {"id": "u2", "text": "  运行 <x1/> 命令（注意）：\n"},
    {"id": "u3", "text": "模型", "kind": "heading"},
]


@pytest.fixture(scope="module")
def server():
    yield from fake_service_fixture()


@pytest.fixture
def svc(server):
    server.reset()
    yield server
    assert not server.errors, server.errors
    server.reset()


@pytest.fixture
def client(svc):
    with httpx.Client(base_url=svc.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=5) as c:
        yield c


def chat_body(units=UNITS, response_format=True, **extra):
    user = {
        "source_locale": "zh",
        "target_locale": "en",
        "title": "标题",
        "context": "blog post",
        "units": units,
        **extra,
    }
    body = {
        "model": "gpt-fake",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": "Translate. Glossary: 模型 -> model"},
            {"role": "user", "content": json.dumps(user, ensure_ascii=False)},
        ],
    }
    if response_format:
        body["response_format"] = {"type": "json_object"}
    return body


def content_of(resp: httpx.Response) -> str:
    assert resp.status_code == 200, resp.text
    return resp.json()["choices"][0]["message"]["content"]


def units_of(resp: httpx.Response) -> list[dict]:
    return json.loads(content_of(resp))["units"]


# ----------------------------------------------------------------------------- pseudo translation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好，世界。", "xx, xx."),
        ("（注意）模型：", "(xx) xx:"),
        (" <g1>模型</g1>，<x2/>。 ", " <g1>xx</g1>, <x2/>. "),
        ("他说：“好。”", 'xx: "x."'),
        ("\n  第一段\n", "\n  xxx\n"),
        ("１２３！", "123!"),
        ("   ", "   "),
    ],
)
def test_pseudo(text, expected):
    assert pseudo(text) == expected


# ----------------------------------------------------------------------------- OpenAI


def test_chat_round_trip(svc, client):
    body = chat_body()
    resp = client.post("/chat/completions", json=body)
    assert resp.status_code == 200
    data = resp.json()
    assert data["object"] == "chat.completion"
    assert data["id"].startswith("chatcmpl-")
    assert isinstance(data["created"], int)
    assert data["model"] == "gpt-fake"
    choice = data["choices"][0]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    answer = json.loads(choice["message"]["content"])
    # every other key kept, at the top and in the units
    assert {k: v for k, v in answer.items() if k != "units"} == {
        "source_locale": "zh",
        "target_locale": "en",
        "title": "标题",
        "context": "blog post",
    }
    assert [u["id"] for u in answer["units"]] == ["u1", "u2", "u3"]
    assert answer["units"][2]["kind"] == "heading"
    texts = [u["text"] for u in answer["units"]]
    assert texts == ["xx, <g1>xx</g1>.", "  xx <x1/> xx (xx):\n", "xx"]  # glossary not applied
    for src, out in zip(UNITS, answer["units"], strict=True):
        assert not HAN.search(out["text"])
        assert TAGS.findall(out["text"]) == TAGS.findall(src["text"])
    usage = data["usage"]
    prompt_chars = sum(len(m["content"]) for m in body["messages"])
    assert usage["prompt_tokens"] == -(-prompt_chars // 2)
    assert usage["completion_tokens"] == -(-len(choice["message"]["content"]) // 2)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    # observed from the service side
    assert svc.count == 1
    rec = svc.requests[0]
    assert rec["path"] == "/v1/chat/completions"
    assert rec["headers"]["authorization"] == f"Bearer {KEY}"
    assert rec["json"] == body
    assert rec["units"] == 3 and rec["chars"] == sum(len(u["text"]) for u in UNITS)
    assert rec["t_start"] <= rec["t_end"]
    assert rec["step"] == "ok" and rec["status"] == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer sk-wrong"}, {"Authorization": KEY}])
def test_chat_auth(svc, headers):
    resp = httpx.post(svc.base_url + "/chat/completions", json=chat_body(), headers=headers, timeout=5)
    assert resp.status_code == 401
    assert resp.json()["error"] == {
        "message": "Incorrect API key provided",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }


def test_no_api_key_means_no_auth():
    with FakeService() as svc:
        resp = httpx.post(svc.base_url + "/chat/completions", json=chat_body(), timeout=5)
        assert resp.status_code == 200


def test_chat_rejects_a_user_message_without_units(client):
    body = chat_body()
    body["messages"][-1]["content"] = "translate this please"
    resp = client.post("/chat/completions", json=body)
    assert resp.status_code == 400
    assert "units" in resp.json()["error"]["message"]


@pytest.mark.parametrize("status", [400, 401, 403, 429, 500, 503])
def test_status_steps(svc, client, status):
    svc.script(f"status:{status}")
    resp = client.post("/chat/completions", json=chat_body())
    assert resp.status_code == status
    assert "retry-after" not in resp.headers
    error = resp.json()["error"]
    assert error["message"] and error["type"]
    assert client.post("/chat/completions", json=chat_body()).status_code == 200  # step consumed


def test_retry_after(svc, client):
    svc.script("status:429:retry-after=1", "status:503:retry-after=7")
    first = client.post("/chat/completions", json=chat_body())
    second = client.post("/chat/completions", json=chat_body())
    assert (first.status_code, first.headers["retry-after"]) == (429, "1")
    assert first.json()["error"]["code"] == "rate_limit_exceeded"
    assert (second.status_code, second.headers["retry-after"]) == (503, "7")


def test_steps_are_consumed_in_order(svc, client):
    svc.script("status:500", "ok", "status:429")
    codes = [client.post("/chat/completions", json=chat_body()).status_code for _ in range(4)]
    assert codes == [500, 200, 429, 200]
    assert [r["step"] for r in svc.requests] == ["status:500", "ok", "status:429", "ok"]
    assert svc.pending == []


def test_always(svc, client):
    svc.script("status:429")
    svc.always("status:503")
    codes = [client.post("/chat/completions", json=chat_body()).status_code for _ in range(3)]
    assert codes == [429, 503, 503]
    svc.always(None)
    assert client.post("/chat/completions", json=chat_body()).status_code == 200


@pytest.mark.parametrize("step", ["status:42", "status:abc", "timeout:", "nonsense", "status:429:retry=1"])
def test_unknown_steps_are_refused(svc, step):
    with pytest.raises(ValueError, match="unknown fake-service step"):
        svc.script(step)
    with pytest.raises(ValueError):
        svc.always(step)


def test_timeout(svc, client):
    svc.script("timeout:1")
    t0 = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.post("/chat/completions", json=chat_body(), timeout=0.2)
    assert time.monotonic() - t0 < 0.9
    assert client.post("/chat/completions", json=chat_body()).status_code == 200


def test_timeout_step_then_answers_normally(svc, client):
    svc.script("timeout:0.1")
    t0 = time.monotonic()
    units = units_of(client.post("/chat/completions", json=chat_body()))
    assert time.monotonic() - t0 >= 0.1
    assert [u["id"] for u in units] == ["u1", "u2", "u3"]


def test_bad_json(svc, client):
    svc.script("bad-json")
    content = content_of(client.post("/chat/completions", json=chat_body()))
    assert content.startswith("Sure! Here is the translation: {")
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


def test_truncated_json(svc, client):
    svc.script("truncated-json")
    resp = client.post("/chat/completions", json=chat_body())
    assert resp.json()["choices"][0]["finish_reason"] == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(content_of(resp))


def test_not_json_body(svc, client):
    svc.script("not-json-body")
    resp = client.post("/chat/completions", json=chat_body())
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        resp.json()


def test_disconnect(svc, client):
    svc.script("disconnect")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/chat/completions", json=chat_body())
    assert client.post("/chat/completions", json=chat_body()).status_code == 200


@pytest.mark.parametrize(
    ("step", "ids"),
    [
        ("missing-id", ["u1", "u2"]),
        ("extra-id", ["u1", "u2", "u3", "zz-extra-1"]),
        ("duplicate-id", ["u1", "u1", "u2", "u3"]),
        ("swap-ids", ["u2", "u3", "u1"]),
        ("ok", ["u1", "u2", "u3"]),
    ],
)
def test_id_faults(svc, client, step, ids):
    svc.script(step)
    assert [u["id"] for u in units_of(client.post("/chat/completions", json=chat_body()))] == ids


def test_drop_placeholder(svc, client):
    svc.script("drop-placeholder")
    texts = [u["text"] for u in units_of(client.post("/chat/completions", json=chat_body()))]
    assert texts == ["xx, xx.", "  xx  xx (xx):\n", "xx"]
    assert not any(TAGS.search(t) for t in texts)


def test_untranslated(svc, client):
    svc.script("untranslated")
    assert units_of(client.post("/chat/completions", json=chat_body())) == UNITS


def test_no_response_format_fallback(svc, client):
    svc.always("no-response-format")
    resp = client.post("/chat/completions", json=chat_body())
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == "response_format is not supported by this model"
    # what a backend does next: the same request without response_format
    fallback = client.post("/chat/completions", json=chat_body(response_format=False))
    assert [u["id"] for u in units_of(fallback)] == ["u1", "u2", "u3"]
    assert [r["status"] for r in svc.requests] == [400, 200]


def test_unknown_path(client):
    resp = client.post("/embeddings", json={})
    assert resp.status_code == 404
    assert "error" in resp.json()


def test_models(client):
    assert client.get("/models").json()["data"][0]["id"]


def test_latency_settable_at_runtime(svc, client):
    svc.latency = 0.2
    t0 = time.monotonic()
    assert client.post("/chat/completions", json=chat_body()).status_code == 200
    assert time.monotonic() - t0 >= 0.2
    svc.reset()
    assert svc.latency == 0.0


# ----------------------------------------------------------------------------- DeepL


@pytest.fixture
def deepl(svc):
    headers = {"Authorization": f"DeepL-Auth-Key {KEY}"}
    with httpx.Client(base_url=svc.root_url + "/v2", headers=headers, timeout=5) as c:
        yield c


def test_deepl_round_trip_form(svc, deepl):
    texts = ["你好，<x1/>世界。", " <g1>模型</g1> "]
    resp = deepl.post(
        "/translate", data={"text": texts, "source_lang": "ZH", "target_lang": "EN-US", "tag_handling": "xml"}
    )
    assert resp.status_code == 200
    assert resp.json() == {
        "translations": [
            {"detected_source_language": "ZH", "text": "xx, <x1/>xx."},
            {"detected_source_language": "ZH", "text": " <g1>xx</g1> "},
        ]
    }
    rec = svc.requests[-1]
    assert rec["json"]["text"] == texts and rec["json"]["tag_handling"] == "xml"
    assert (rec["units"], rec["chars"]) == (2, sum(map(len, texts)))


def test_deepl_round_trip_json_single_text(deepl):
    resp = deepl.post("/translate", json={"text": ["模型"], "target_lang": "EN"})
    assert resp.json()["translations"][0]["text"] == "xx"


def test_deepl_auth(svc):
    for headers in ({}, {"Authorization": "DeepL-Auth-Key nope"}, {"Authorization": f"Bearer {KEY}"}):
        resp = httpx.post(
            svc.root_url + "/v2/translate",
            data={"text": "模型", "target_lang": "EN"},
            headers=headers,
            timeout=5,
        )
        assert resp.status_code == 403
        assert resp.json()["message"]


def test_deepl_glossary(svc, deepl):
    pairs = deepl.get("/glossary-language-pairs").json()["supported_languages"]
    assert {"source_lang": "zh", "target_lang": "en"} in pairs
    created = deepl.post(
        "/glossaries",
        data={
            "name": "blog",
            "source_lang": "zh",
            "target_lang": "en",
            "entries": "模型\tmodel\n大模型\tLLM\n",
            "entries_format": "tsv",
        },
    )
    assert created.status_code == 201
    info = created.json()
    gid = info["glossary_id"]
    assert gid.startswith("g-") and info["entry_count"] == 2 and info["ready"] is True
    assert deepl.get(f"/glossaries/{gid}").json()["name"] == "blog"

    text = "训练模型和大模型。"
    with_glossary = deepl.post(
        "/translate",
        data={
            "text": text,
            "source_lang": "ZH",
            "target_lang": "EN-GB",
            "glossary_id": gid,
            "tag_handling": "xml",
        },
    )
    assert with_glossary.json()["translations"][0]["text"] == "xx model x LLM."
    without = deepl.post("/translate", data={"text": text, "source_lang": "ZH", "target_lang": "EN"})
    assert without.json()["translations"][0]["text"] == "xxxxxxxx."

    assert (
        deepl.post("/translate", data={"text": text, "target_lang": "EN", "glossary_id": "g-404"}).status_code
        == 400
    )
    assert deepl.delete(f"/glossaries/{gid}").status_code == 204
    assert deepl.get(f"/glossaries/{gid}").status_code == 404


def test_deepl_faults(svc, deepl):
    form = {"text": ["一", "二", "三"], "source_lang": "ZH", "target_lang": "EN"}
    svc.script("status:429:retry-after=2", "missing-id", "not-json-body", "untranslated")
    limited = deepl.post("/translate", data=form)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "2")
    assert limited.json() == {"message": "Too many requests"}
    assert len(deepl.post("/translate", data=form).json()["translations"]) == 2
    with pytest.raises(json.JSONDecodeError):
        deepl.post("/translate", data=form).json()
    untranslated = deepl.post("/translate", data=form).json()["translations"]
    assert [t["text"] for t in untranslated] == ["一", "二", "三"]


# ----------------------------------------------------------------------------- LibreTranslate


def test_libre_round_trip(svc):
    url = svc.root_url + "/translate"
    one = httpx.post(
        url,
        json={"q": "<b>模型</b>，好。", "source": "zh", "target": "en", "format": "html", "api_key": KEY},
        timeout=5,
    )
    assert one.json() == {"translatedText": "<b>xx</b>, x."}
    many = httpx.post(
        url,
        json={"q": ["一", "二 <x1/>"], "source": "zh", "target": "en", "format": "text", "api_key": KEY},
        timeout=5,
    )
    assert many.json() == {"translatedText": ["x", "x <x1/>"]}
    assert [(r["units"], r["chars"]) for r in svc.requests] == [(1, 12), (2, 8)]
    svc.script("missing-id")
    damaged = httpx.post(
        url, json={"q": ["一", "二"], "source": "zh", "target": "en", "api_key": KEY}, timeout=5
    )
    assert damaged.json() == {"translatedText": ["x"]}


def test_libre_auth(svc):
    for extra in ({}, {"api_key": "nope"}):
        body = {"q": "模型", "source": "zh", "target": "en", **extra}
        resp = httpx.post(svc.root_url + "/translate", json=body, timeout=5)
        assert resp.status_code == 403
        assert resp.json() == {"error": "Invalid API key"}


# ----------------------------------------------------------------------------- concurrency, life cycle


def test_concurrency_async(svc):
    svc.latency = 0.3

    async def main():
        headers = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(base_url=svc.base_url, headers=headers, timeout=5) as c:
            return await asyncio.gather(
                *(
                    c.post("/chat/completions", json=chat_body([{"id": f"u{i}", "text": "你好"}]))
                    for i in range(8)
                )
            )

    responses = asyncio.run(main())
    assert [units_of(r) for r in responses] == [[{"id": f"u{i}", "text": "xx"}] for i in range(8)]
    assert svc.count == 8
    assert svc.max_concurrent >= 4
    assert all(r["t_end"] - r["t_start"] >= 0.3 for r in svc.requests)


def test_concurrency_threads(svc, client):
    svc.latency = 0.2
    results = []

    def one(i):
        results.append(client.post("/chat/completions", json=chat_body()).status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 6
    assert svc.max_concurrent >= 4


def test_clean_shutdown_with_pending_and_keep_alive_requests():
    before = set(threading.enumerate())
    with FakeService(api_key=KEY) as svc:
        headers = {"Authorization": f"Bearer {KEY}"}
        with httpx.Client(base_url=svc.base_url, headers=headers, timeout=5) as keep_alive:
            assert keep_alive.post("/chat/completions", json=chat_body()).status_code == 200
            svc.script("timeout:30")
            with pytest.raises(httpx.ReadTimeout):
                httpx.post(svc.base_url + "/chat/completions", json=chat_body(), headers=headers, timeout=0.1)
            t0 = time.monotonic()
            svc.close()  # a kept-alive connection and a sleeping handler: neither may block
            assert time.monotonic() - t0 < 1.0
    assert set(threading.enumerate()) <= before
    with pytest.raises(RuntimeError, match="not started"):
        _ = svc.port


def test_fixture_generator():
    gen = fake_service_fixture(latency=0.0, api_key=None)
    svc = next(gen)
    assert httpx.get(svc.base_url + "/models", timeout=5).status_code == 200
    with pytest.raises(StopIteration):
        next(gen)


def test_script_mode():
    script = Path(__file__).with_name("fake_openai.py")
    cmd = [sys.executable, str(script), "--port", "0", "--latency", "0.05", "--api-key", "k-script"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            base_url = proc.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url), base_url
            resp = httpx.post(
                base_url + "/chat/completions",
                json=chat_body(),
                headers={"Authorization": "Bearer k-script"},
                timeout=5,
            )
            assert [u["text"] for u in json.loads(content_of(resp))["units"]][2] == "xx"
        finally:
            proc.terminate()
            proc.wait(timeout=5)
        assert proc.returncode == 0, proc.stderr.read()
