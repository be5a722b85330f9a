"""The `openai` backend: any OpenAI-compatible chat completions API (OpenAI, DeepSeek, Qwen on
DashScope, ERNIE on Qianfan, Ollama, vLLM, llama.cpp ...).

A batch goes in the user message as a JSON object (`units` with `id` and `text`, beside the
title and the text just before); the system prompt gives the task, the locales, the
placeholder rules and the glossary terms of the batch, and asks for the same JSON object
back with every `text` translated. The answer is parsed strictly: invalid JSON fails the
call; duplicated ids are dropped and missing ones left out (the translate stage sends them
again); the answer's texts are then checked like every other backend's.
"""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import urlparse

import httpx

from ..errors import BackendError, UsageError
from . import BatchRequest
from ._http import Call, HttpBackend

PRESETS: dict[str, tuple[str, str, str]] = {
    # name: (base_url, default model, key variable)
    "openai": ("https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY"),
    "deepseek": ("https://api.deepseek.com/v1", "deepseek-chat", "DEEPSEEK_API_KEY"),
    "qwen": ("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus", "DASHSCOPE_API_KEY"),
    "qianfan": ("https://qianfan.baidubce.com/v2", "ernie-4.5-turbo-128k", "QIANFAN_API_KEY"),
    "ollama": ("http://localhost:11434/v1", "", ""),
    "vllm": ("http://localhost:8000/v1", "", ""),
}
"""`--backend-option preset=NAME` fills in base_url, model and api_key_env (each can still be set)."""

_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.S)

SYSTEM = (
    "Translate this {src} tech blog post into fluent {dst}: reply with the same JSON, "
    'each "text" translated. Keep ids, line breaks, Latin-script names and every tag: <xN/> as is, '
    "<gN>...</gN> around its translated text."
)


class OpenAIBackend(HttpBackend):
    """Options: preset, base_url, model, api_key_env (default OPENAI_API_KEY), timeout (s),
    temperature (default 0), max_retries, response_format (json_object or none),
    header.NAME=VALUE (extra headers)."""

    name = "openai"
    OPTIONS = frozenset({"preset", "model", "temperature", "response_format"})
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
        super().__init__(options, transport)
        self.base_url = options["base_url"].rstrip("/")
        self.model = options.get("model", model)
        if not self.model:
            raise UsageError(f"backend openai: choose a model with --backend-option model=NAME ({preset})")
        try:
            self.temperature = float(options.get("temperature", "0"))
        except ValueError:
            raise UsageError("backend openai: temperature must be a number") from None
        self.response_format = options.get("response_format", "json_object") != "none"
        host = urlparse(self.base_url).hostname or ""
        if not self.key and host not in ("localhost", "127.0.0.1", "::1"):
            self.require_key()

    def secrets(self) -> list[str]:
        return [*super().secrets(), *self.headers.values()]

    def build(self, request: BatchRequest) -> Call:
        # ids are short numbers within the request: every character is paid for
        payload: dict[str, object] = {"title": request.title} if request.title else {}
        if request.context:
            payload["context"] = request.context
        payload["units"] = [
            {
                "id": str(k),
                "text": u.text,
                **({"note": u.hint} if u.hint else {}),
                **(
                    {"previous": {"source": u.previous_source, "translation": u.previous_translation}}
                    if u.previous_translation
                    else {}
                ),
            }
            for k, u in enumerate(request.units, 1)
        ]
        body: dict[str, object] = {
            "model": self.model,
            "temperature": self.temperature,
            "messages": [
                {"role": "system", "content": system_prompt(request)},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))},
            ],
        }
        if self.response_format:
            body["response_format"] = {"type": "json_object"}
        headers = {**self.headers}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        return Call("POST", f"{self.base_url}/chat/completions", headers, body)

    def fallback(self, call: Call, response: httpx.Response) -> Call | None:
        """Servers that do not know `response_format` get the request without it."""
        if (
            isinstance(call.json, dict)
            and "response_format" in call.json
            and "response_format" in response.text
        ):
            self.response_format = False
            return Call(
                call.method,
                call.url,
                call.headers,
                {k: v for k, v in call.json.items() if k != "response_format"},
            )
        return None

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
        if choice.get("finish_reason") == "length":
            raise BackendError(
                self.name, "the answer was cut off (output token limit); the batch will be split"
            )
        answers = parse_units(self.name, content or "")
        ids = {str(k): u.id for k, u in enumerate(request.units, 1)}
        return {ids[k]: v for k, v in answers.items() if k in ids}


def system_prompt(request: BatchRequest) -> str:
    text = SYSTEM.format(src=language(request.source_locale), dst=language(request.target_locale))
    if request.glossary:
        terms = "\n".join(
            f"{g.source} = {g.target}" + (f" -- {g.note}" if g.note and len(g.note) <= 40 else "")
            for g in request.glossary
        )
        text += f"\nAlways use these terms:\n{terms}"
    if any(u.previous_translation for u in request.units):
        text += (
            '\nA unit with "previous" changed since it was translated: revise that translation to the new '
            "text, keeping its wording where it still fits."
        )
    if any(u.hint for u in request.units):
        text += '\nA unit\'s "note" says what an earlier answer got wrong; do not translate the note.'
    return text


def parse_units(backend: str, content: str) -> dict[str, str]:
    """{id: text} from a model's answer: the JSON object (maybe in a ```json fence) with `units`."""
    m = _FENCE.match(content)
    if m:
        content = m.group(1)
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise BackendError(backend, "the model's answer is not valid JSON") from None
    units = data.get("units") if isinstance(data, dict) else data
    if not isinstance(units, list):
        raise BackendError(backend, 'the model\'s answer has no "units" list')
    out: dict[str, str] = {}
    seen: set[str] = set()
    for u in units:
        if not isinstance(u, dict) or not isinstance(u.get("text"), str):
            continue
        uid = str(u.get("id"))
        if uid in seen:
            out.pop(uid, None)  # duplicated: trust neither
            continue
        seen.add(uid)
        out[uid] = u["text"]
    return out


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
