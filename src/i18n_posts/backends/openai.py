"""The `openai` backend: any OpenAI-compatible chat completions API (OpenAI, DeepSeek, Qwen on
DashScope, ERNIE on Qianfan, Ollama, vLLM, llama.cpp ...).

A batch goes in the user message as a JSON object (`units` with `id` and `text`, nothing
else: Qwen2.5-Coder-1.5B translated a title or context found there, and sent it back in
place of the units); the system prompt gives the task, the locales, the placeholder rules,
the glossary terms of the batch, the post's title and the text before the batch as context,
and what earlier answers got wrong, and asks for the same JSON object back with every
`text` translated, under a JSON schema where the server supports one
(`response_format`, with a fallback for servers that do not). The answer is parsed strictly,
with the repairs that are safe (`_answers.py`); an answer that cannot be read is `BadAnswer`
(the batch is split and sent again); the answer's texts are then checked like every other
backend's. Local servers (presets llamacpp, ollama, vllm, lmstudio, or any loopback base_url)
get defaults that work on a CPU: see `LOCAL`.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import urlparse

import httpx

from ..errors import BackendError, BadAnswer, UsageError
from . import BatchRequest
from ._answers import AnswerError, parse_answer
from ._http import Call, HttpBackend
from ._prompt import load_style, style_tag, system_prompt

PRESETS: dict[str, tuple[str, str, str]] = {
    # name: (base_url, default model, key variable)
    "openai": ("https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY"),
    "deepseek": ("https://api.deepseek.com/v1", "deepseek-chat", "DEEPSEEK_API_KEY"),
    "qwen": ("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus", "DASHSCOPE_API_KEY"),
    "qianfan": ("https://qianfan.baidubce.com/v2", "ernie-4.5-turbo-128k", "QIANFAN_API_KEY"),
    "llamacpp": ("http://127.0.0.1:8080/v1", "", ""),
    "ollama": ("http://localhost:11434/v1", "", ""),
    "vllm": ("http://localhost:8000/v1", "", ""),
    "lmstudio": ("http://localhost:1234/v1", "", ""),
}
"""`--backend-option preset=NAME` fills in base_url, model and api_key_env (each can still be set)."""

_CPU_SERVER = {
    "timeout": "900",
    "batch_chars": "800",
    "deadline_per_char": "0.6",
    "answer_tokens": "auto",
    "stream": "true",
    "parallel": "1",
    "response_format": "none",
}

LOCAL: dict[str, dict[str, str]] = {
    # A model on a CPU: the prompt alone can take minutes before the first token, and a
    # batch's answer many more (Qwen2.5-Coder-1.5B on 2 cores: ~60 prompt and ~8 answer
    # tokens a second). So: a stream (bytes keep coming: a slow answer is not a dead one), a
    # long wait for the first byte, a deadline that grows with the batch, one call at a time
    # (these servers answer one request at a time: more in flight only queue and time out
    # together), no JSON grammar (llama.cpp samples about half as fast under one; answers are
    # repaired and checked instead), small batches (a small model's answer to a long batch
    # slides texts onto other ids and loops more; a failure costs less to send again).
    "llamacpp": _CPU_SERVER,
    "ollama": _CPU_SERVER,
    "lmstudio": _CPU_SERVER,
    # vLLM batches requests and decodes JSON schemas fast (guided decoding)
    "vllm": {
        "timeout": "300",
        "deadline_per_char": "0.2",
        "answer_tokens": "auto",
        "stream": "true",
        "response_format": "json_schema",
    },
}
"""Defaults of local servers, per preset. A loopback base_url without a preset gets the
llamacpp defaults. Each can still be set."""

FORMATS = ("json_schema", "json_object", "none")


class OpenAIBackend(HttpBackend):
    """Options: preset, base_url, model, api_key_env (default OPENAI_API_KEY), timeout (s,
    between bytes), deadline (s, a whole call), deadline_per_char (s per character of a batch:
    the deadline grows with it), temperature (default 0), retry_temperature (of the calls that
    send units again, default 0.5), max_retries, response_format
    (json_schema, json_object or none: each falls back to the next where a server refuses it),
    stream (true/false), parallel (calls at once, 0: as many as the run's concurrency),
    answer_tokens (max_tokens of a call: auto = scaled to the batch, the default of local servers;
    none; or a number), batch_chars (most characters of unit text a call carries: 800 on local
    CPU servers, else the run's batch_chars),
    style (a style guide appended to the system prompt; "none" for none), prompt_file (the same
    from a file), header.NAME=VALUE (extra headers)."""

    name = "openai"
    OPTIONS = frozenset(
        {
            "preset",
            "model",
            "temperature",
            "retry_temperature",
            "response_format",
            "stream",
            "parallel",
            "style",
            "prompt_file",
            "deadline_per_char",
            "answer_tokens",
            "batch_chars",
        }
    )
    key_env = "OPENAI_API_KEY"

    def __init__(self, options: dict[str, str], transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.headers = {k[7:]: v for k, v in options.items() if k.startswith("header.")}
        options = {k: v for k, v in options.items() if not k.startswith("header.")}
        preset = options.get("preset", "openai")
        if preset not in PRESETS:
            raise UsageError(f"backend openai: unknown preset {preset!r} (known: {', '.join(PRESETS)})")
        base, model, key_env = PRESETS[preset]
        if "preset" in options or "api_key_env" not in options:
            options = {"base_url": base, "api_key_env": key_env, **options}
        host = urlparse(options["base_url"]).hostname or ""
        local = LOCAL.get(preset) if "preset" in options else None
        if local is None and _loopback(host):
            local = LOCAL["llamacpp"]
        if local is not None:
            options = {**local, **options}
        super().__init__(options, transport)
        self.base_url = options["base_url"].rstrip("/")
        self.model = options.get("model", model)
        if not self.model:
            raise UsageError(f"backend openai: choose a model with --backend-option model=NAME ({preset})")
        try:
            self.temperature = float(options.get("temperature", "0"))
            self.retry_temperature = float(options.get("retry_temperature", "0.5"))
            self.per_char = float(options.get("deadline_per_char", "0"))
            self.max_concurrency = int(options.get("parallel", "0"))
            self.batch_chars = int(options.get("batch_chars", "0"))
        except ValueError:
            raise UsageError(
                "backend openai: temperature, retry_temperature, deadline_per_char, parallel and batch_chars "
                "must be numbers"
            ) from None
        fmt = options.get("response_format", "json_schema")
        if fmt not in FORMATS:
            raise UsageError(f"backend openai: response_format must be one of {', '.join(FORMATS)}")
        self.response_format = fmt
        stream = options.get("stream", "false").lower()
        if stream not in ("true", "false"):
            raise UsageError("backend openai: stream must be true or false")
        self.stream = stream == "true"
        self.style = load_style(options)
        self.style_tag = style_tag(self.style)
        tokens = options.get("answer_tokens", "none")
        if tokens not in ("auto", "none") and not tokens.isdigit():
            raise UsageError("backend openai: answer_tokens must be auto, none or a number")
        self.answer_tokens = tokens
        """`max_tokens` of a call: auto (scaled to the batch: a small model that loops stops
        there instead of filling its context), none, or a number."""
        if not self.key and not _loopback(host):
            self.require_key()

    def secrets(self) -> list[str]:
        return [*super().secrets(), *self.headers.values()]

    def deadline_of(self, request: BatchRequest) -> float:
        """The deadline of a call: the configured one, or more for a large batch on a slow server."""
        chars = sum(len(u.text) for u in request.units)
        if not self.per_char or "deadline" in self.options:  # a deadline given is the deadline
            return self.deadline
        return max(self.deadline, 120 + self.per_char * chars)

    def build(self, request: BatchRequest) -> Call:
        # ids are short numbers within the request: every character is paid for. The user
        # message holds the units only: a small model translates and sends back whatever else
        # it holds (the title, the context, the hints: they go in the system prompt)
        payload = {
            "units": [
                {
                    "id": str(k),
                    "text": u.text,
                    **(
                        {"previous": {"source": u.previous_source, "translation": u.previous_translation}}
                        if u.previous_translation
                        else {}
                    ),
                }
                for k, u in enumerate(request.units, 1)
            ]
        }
        src, dst = language(request.source_locale), language(request.target_locale)
        # a retry at temperature 0 would mostly get the refused answer again
        temperature = max(self.temperature, self.retry_temperature) if request.retry else self.temperature
        body: dict[str, object] = {
            "model": self.model,
            "temperature": temperature,
            "messages": [
                {"role": "system", "content": system_prompt(request, self.style, src, dst)},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))},
            ],
        }
        if self.response_format == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": _schema(len(request.units))}
        elif self.response_format == "json_object":
            body["response_format"] = {"type": "json_object"}
        if self.answer_tokens == "auto":
            body["max_tokens"] = 256 + 3 * sum(len(u.text) for u in request.units)
        elif self.answer_tokens != "none":
            body["max_tokens"] = int(self.answer_tokens)
        if self.stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        headers = {**self.headers}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        return Call("POST", f"{self.base_url}/chat/completions", headers, body, stream=self.stream)

    def fallback(self, call: Call, response: httpx.Response) -> Call | None:
        """A server that refuses a request option gets the request without it: json_schema ->
        json_object -> no response_format; stream_options, then the stream."""
        if not isinstance(call.json, dict):
            return None
        body = dict(call.json)
        text = response.text
        fmt = body.get("response_format")
        if isinstance(fmt, dict) and ("response_format" in text or "json_schema" in text or "schema" in text):
            if fmt.get("type") == "json_schema":
                self.response_format = "json_object"
                body["response_format"] = {"type": "json_object"}
            else:
                self.response_format = "none"
                del body["response_format"]
            return Call(call.method, call.url, call.headers, body, stream=call.stream)
        if "stream_options" in body and "stream_options" in text:
            del body["stream_options"]
            return Call(call.method, call.url, call.headers, body, stream=call.stream)
        if body.get("stream") and "stream" in text:
            self.stream = False
            body.pop("stream", None)
            body.pop("stream_options", None)
            return Call(call.method, call.url, call.headers, body, stream=False)
        return None

    async def collect(self, response: httpx.Response) -> bytes:
        """A streamed answer (server-sent events of chunks) as one chat completion body."""
        parts: list[str] = []
        finish = None
        usage: dict[str, object] = {}
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                chunk = json.loads(data)
            except ValueError:
                raise BadAnswer(self.name, "the streamed answer holds a chunk that is not JSON") from None
            if not isinstance(chunk, dict):
                continue
            usage = chunk.get("usage") or usage
            for choice in chunk.get("choices") or ():
                delta = choice.get("delta") or {}
                if isinstance(delta.get("content"), str):
                    parts.append(delta["content"])
                finish = choice.get("finish_reason") or finish
        body = {
            "choices": [{"message": {"content": "".join(parts)}, "finish_reason": finish}],
            "usage": usage,
        }
        return json.dumps(body).encode()

    def parse(self, request: BatchRequest, response: httpx.Response) -> dict[str, str]:
        try:
            data = response.json()
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError, RecursionError):
            raise BackendError(self.name, "the answer is not a chat completion") from None
        usage = data.get("usage") or {}
        self.usage.prompt += int(usage.get("prompt_tokens") or 0)
        self.usage.completion += int(usage.get("completion_tokens") or 0)
        ids = {str(k): u.id for k, u in enumerate(request.units, 1)}
        try:
            answers, _ = parse_answer(content or "", set(ids))
        except AnswerError as exc:
            if choice.get("finish_reason") == "length":
                raise BadAnswer(
                    self.name, "the answer was cut off (output token limit); the batch will be split"
                ) from None
            raise BadAnswer(self.name, str(exc)) from None
        return {ids[k]: v for k, v in answers.items() if k in ids}


def _schema(n: int) -> dict[str, object]:
    """The JSON schema of an answer of `n` units (OpenAI's `json_schema` response format)."""
    unit = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"],
        "additionalProperties": False,
    }
    units = {"type": "array", "items": unit, "minItems": n, "maxItems": n}
    schema = {
        "type": "object",
        "properties": {"units": units},
        "required": ["units"],
        "additionalProperties": False,
    }
    return {"name": "units", "strict": True, "schema": schema}


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def parse_units(backend: str, content: str) -> dict[str, str]:
    """{id: text} from a model's answer (see `_answers.py`); `BadAnswer` if it cannot be read."""
    try:
        return parse_answer(content)[0]
    except AnswerError as exc:
        raise BadAnswer(backend, str(exc)) from None


_LANGUAGES = {
    "zh": "Chinese",
    "zh-cn": "Simplified Chinese",
    "zh-hans": "Simplified Chinese",
    "zh-tw": "Traditional Chinese",
    "zh-hant": "Traditional Chinese",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "ru": "Russian",
    "it": "Italian",
    "vi": "Vietnamese",
}


@functools.cache
def language(locale: str) -> str:
    """English name of a locale for the prompt ("zh" -> "Chinese", "zh-TW" -> "Traditional
    Chinese"): common ones from a table, others from babel's name of the code, else the code."""
    known = _LANGUAGES.get(locale.lower().replace("_", "-"))
    if known:
        return known
    from ..locales import parse_locale  # noqa: PLC0415

    try:
        return parse_locale(locale).name
    except ValueError:
        return locale
