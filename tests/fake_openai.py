"""A fake translation service on 127.0.0.1 for the HTTP backends' tests (stdlib only).

One server speaks three APIs:

* OpenAI chat completions: ``POST /v1/chat/completions`` (and ``GET /v1/models``);
* DeepL: ``POST /v2/translate``, ``POST|GET /v2/glossaries``, ``GET|DELETE /v2/glossaries/{id}``,
  ``GET /v2/glossary-language-pairs``;
* LibreTranslate: ``POST /translate``.

Answers are pseudo translations (every Han character -> "x", full-width punctuation -> ASCII,
placeholders and a text's leading/trailing white space kept), so tests need no key and no
internet. Faults are scripted per request (``svc.script(...)``, ``svc.always(...)``) and every
request is recorded (``svc.requests``).

In-process::

    with FakeService(latency=0.0, api_key="sk-test") as svc:
        svc.base_url   # "http://127.0.0.1:PORT/v1"  (OpenAI base URL)
        svc.root_url   # "http://127.0.0.1:PORT"     (DeepL / LibreTranslate base URL)

As a script (prints the OpenAI base URL on the first line, then serves until killed)::

    python tests/fake_openai.py --port 0 --latency 0.2 [--api-key K]
"""

from __future__ import annotations

import argparse
import collections
import csv
import http
import io
import json
import math
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FakeService", "fake_service_fixture", "pseudo", "STEPS"]

# ----------------------------------------------------------------------------- pseudo translation

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLACEHOLDER = re.compile(r"<x\d+\s*/>|</?g\d+>")
_PUNCT = {
    "，": ", ",
    "。": ". ",
    "、": ", ",
    "；": "; ",
    "：": ": ",
    "？": "? ",
    "！": "! ",
    "（": " (",
    "）": ") ",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "《": '"',
    "》": '"',
    "【": "[",
    "】": "]",
    "〔": "[",
    "〕": "]",
    "「": '"',
    "」": '"',
    "『": '"',
    "』": '"',
    "～": "~",
    "…": "...",
    "—": "-",
    "　": " ",
}
_CLOSERS = set(",.;:?!)]}，。、；：？！）】〕」』”’》")  # no space before these


def _ascii_punct(ch: str) -> str | None:
    if ch in _PUNCT:
        return _PUNCT[ch]
    if "\uff01" <= ch <= "\uff5e":  # other full-width forms: ＃ -> #, ０ -> 0, Ａ -> A
        return chr(ord(ch) - 0xFEE0)
    return None


def pseudo(text: str) -> str:
    """The fake's translation: Han characters -> "x", full-width punctuation -> ASCII (spaced
    like English, without doubling spaces), everything else (placeholders included) untouched;
    the text's leading and trailing white space is kept as it is."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    out: list[str] = []
    for i, ch in enumerate(core):
        if _HAN.match(ch):
            out.append("x")
            continue
        rep = _ascii_punct(ch)
        if rep is None:
            out.append(ch)
            continue
        prev = out[-1][-1:] if out else ""
        if rep.startswith(" ") and (not prev or prev.isspace() or prev in "([{"):
            rep = rep.lstrip()
        nxt = core[i + 1] if i + 1 < len(core) else ""
        if rep.endswith(" ") and (not nxt or nxt.isspace() or nxt in _CLOSERS):
            rep = rep.rstrip()
        out.append(rep)
    return lead + "".join(out).strip() + trail


_TERM_LINE = re.compile(r"^(\S[^=\n]*?) = (.+?)(?: -- .*)?$", re.M)
"""A glossary line of the system prompt: `飞桨 = PaddlePaddle -- a note`."""


def _apply_glossary(text: str, entries: list[tuple[str, str]]) -> str:
    """Source terms -> target terms (longest first), spaced off from neighbouring words."""
    if not entries:
        return text
    table = dict(entries)
    rx = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))

    def sub(m: re.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        word = table[m.group(0)]
        if before and (before.isalnum() or _HAN.match(before)):
            word = " " + word
        if after and (after.isalnum() or _HAN.match(after)):
            word += " "
        return word

    return rx.sub(sub, text)


# ----------------------------------------------------------------------------- scripted faults

STEPS = (
    "ok",
    "status:CODE",
    "status:CODE:retry-after=S",
    "timeout:S",
    "bad-json",
    "truncated-json",
    "not-json-body",
    "missing-id",
    "extra-id",
    "duplicate-id",
    "drop-placeholder",
    "drop-pairs",
    "own-terms",
    "untranslated",
    "swap-ids",
    "no-response-format",
    "no-json-schema",
    "no-stream",
    "fenced",
    "trailing-comma",
    "cut-unit",
    "as-list",
    "duplicate-key",
    "prose",
    "raw-quotes",
    "one-object",
    "han-left:WORD",
    "slow-stream:S",
    "disconnect",
)
_SIMPLE_STEPS = {s for s in STEPS if ":" not in s}
_SLOW_STREAM_STEP = re.compile(r"slow-stream:(\d+(?:\.\d*)?|\.\d+)")
_STATUS_STEP = re.compile(r"status:([1-5]\d\d)(?::retry-after=([^:\s]+))?")
_TIMEOUT_STEP = re.compile(r"timeout:(\d+(?:\.\d*)?|\.\d+)")
_HAN_LEFT_STEP = re.compile(r"han-left:(\S+)")


def _check_step(step: str) -> str:
    if not isinstance(step, str) or not (
        step in _SIMPLE_STEPS
        or _STATUS_STEP.fullmatch(step)
        or _TIMEOUT_STEP.fullmatch(step)
        or _SLOW_STREAM_STEP.fullmatch(step)
        or _HAN_LEFT_STEP.fullmatch(step)
    ):
        raise ValueError(f"unknown fake-service step {step!r} (known: {', '.join(STEPS)})")
    return step


_OPENAI_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request", "invalid_request_error", None),
    401: ("Incorrect API key provided", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to access this model", "invalid_request_error", "model_not_permitted"),
    404: ("Unknown request URL", "invalid_request_error", "unknown_url"),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request. Sorry about that!", "server_error", None),
    502: ("Bad gateway", "server_error", None),
    503: ("The engine is currently overloaded, please try again later", "server_error", None),
}
_DEEPL_ERRORS = {
    400: "Bad request",
    403: "Authorization failure, check auth_key",
    404: "Not found",
    413: "Request entity too large",
    429: "Too many requests",
    456: "Quota exceeded",
    500: "Internal server error",
    503: "Resource currently unavailable",
}
_LIBRE_ERRORS = {
    400: "Invalid request",
    403: "Invalid API key",
    404: "Not found",
    429: "Slowdown: too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
_HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response.</p>"
    b"<hr><address>nginx</address></body></html>\n"
)
_GLOSSARY_LANGS = ("de", "en", "es", "fr", "it", "ja", "ko", "pt", "ru", "zh")


class _Closing(Exception):
    """The service is shutting down: drop the request without answering."""


class _Reply(Exception):
    """An early answer (error) from deep inside a handler."""

    def __init__(self, status: int, payload: Any, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.payload, self.headers = status, payload, headers or {}


def _error(flavor: str, status: int, message: str | None = None, code: str | None = None) -> Any:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    if flavor == "openai":
        default, typ, dcode = _OPENAI_ERRORS.get(
            status, (phrase, "server_error" if status >= 500 else "invalid_request_error", None)
        )
        return {"error": {"message": message or default, "type": typ, "param": None, "code": code or dcode}}
    if flavor == "deepl":
        return {"message": message or _DEEPL_ERRORS.get(status, phrase)}
    return {"error": message or _LIBRE_ERRORS.get(status, phrase)}


def _flavor(path: str) -> str:
    if path.startswith("/v1/"):
        return "openai"
    if path.startswith("/v2/"):
        return "deepl"
    return "libre"


# ----------------------------------------------------------------------------- the server


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # handler threads are joined in server_close()
    block_on_close = True
    request_queue_size = 128  # many concurrent connects must not overflow the listen backlog

    def __init__(self, address: tuple[str, int], svc: FakeService):
        self.svc = svc
        self.connections: set[socket.socket] = set()
        self.conn_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind() calls socket.getfqdn(), a reverse DNS lookup that can take
        # seconds on a badly configured host; the fake needs no server name.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, _Closing)) or self.svc._closing.is_set():
            return  # the client went away (e.g. it timed out) or we are closing
        self.svc.errors.append(exc)

    def drop_connections(self) -> None:
        with self.conn_lock:
            conns = list(self.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real APIs
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.conn_lock:
            self.server.connections.add(self.connection)
        if self.server.svc._closing.is_set():  # accepted just as the service closes
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.server.conn_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # silence the per-request log lines
        pass

    def do_POST(self) -> None:
        self.server.svc._handle(self)

    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST


class FakeService:
    """The fake service; see the module docstring. Use it as a context manager, or call
    `start()` and `close()`."""

    def __init__(
        self, latency: float = 0.0, api_key: str | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.latency = latency
        self.api_key = api_key
        self._initial_latency = latency
        self._address = (host, port)
        self._lock = threading.Lock()
        self._steps: collections.deque[str] = collections.deque()
        self._always: str | None = None
        self._closing = threading.Event()
        self._in_flight = 0
        self._ids = 0
        self.max_concurrent = 0
        self.requests: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []
        """Unexpected exceptions inside the fake (answered with 500); should stay empty."""
        self.glossaries: dict[str, dict[str, Any]] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle

    def start(self) -> FakeService:
        if self._server is not None:
            raise RuntimeError("FakeService already started")
        self._closing.clear()
        self._server = _Server(self._address, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-service-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting, interrupt sleeping handlers, drop keep-alive connections, join every
        thread and close every socket."""
        server, self._server = self._server, None
        if server is None:
            return
        self._closing.set()
        server.shutdown()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        server.drop_connections()
        server.server_close()  # joins the handler threads

    def __enter__(self) -> FakeService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeService not started")
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        """ "http://127.0.0.1:PORT": the base URL for DeepL (/v2/...) and LibreTranslate (/translate)."""
        return f"http://{self._address[0]}:{self.port}"

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT/v1": the OpenAI-compatible base URL."""
        return self.root_url + "/v1"

    # -- scripting and observing

    def script(self, *steps: str) -> None:
        """Queue behaviours, consumed one per request in arrival order (see STEPS)."""
        checked = [_check_step(s) for s in steps]
        with self._lock:
            self._steps.extend(checked)

    def always(self, step: str | None) -> None:
        """A behaviour for every request once the script queue is empty; None turns it off."""
        with self._lock:
            self._always = None if step is None else _check_step(step)

    @property
    def pending(self) -> list[str]:
        """Scripted steps not consumed yet."""
        with self._lock:
            return list(self._steps)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset(self) -> None:
        """Forget requests, scripted steps, `always`, glossaries and errors; latency back to the
        constructor's value; max_concurrent restarts from the requests still in flight."""
        with self._lock:
            self.requests.clear()
            self._steps.clear()
            self._always = None
            self.glossaries.clear()
            self.errors.clear()
            self.max_concurrent = self._in_flight
            self.latency = self._initial_latency

    def _next_step(self) -> str:
        with self._lock:
            if self._steps:
                return self._steps.popleft()
            return self._always or "ok"

    def _next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self._closing.wait(seconds):
            raise _Closing

    # -- one request

    def _handle(self, h: _Handler) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self._in_flight)
        try:
            self._handle_tracked(h)
        except _Closing:
            h.close_connection = True
        except (ConnectionError, TimeoutError):
            h.close_connection = True  # the client went away
        finally:
            with self._lock:
                self._in_flight -= 1

    def _handle_tracked(self, h: _Handler) -> None:
        t_start = time.monotonic()
        split = urlsplit(h.path)
        path, method = split.path, h.command
        raw = _read_body(h)
        body, body_error = _parse_body(h, raw)
        units, chars = _measure(path, body)
        record: dict[str, Any] = {
            "method": method,
            "path": path,
            "query": split.query,
            "headers": {k.lower(): v for k, v in h.headers.items()},
            "json": body,
            "units": units,
            "chars": chars,
            "step": None,
            "status": None,
            "t_start": t_start,
            "t_end": None,
        }
        with self._lock:
            self.requests.append(record)
        step = self._next_step()
        record["step"] = step
        flavor = _flavor(path)

        def send(status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            if isinstance(payload, bytes):
                data, ctype = payload, "text/html; charset=utf-8"
            else:
                data = json.dumps(payload, ensure_ascii=False).encode()
                ctype = "application/json"
            record["status"] = status
            record["t_end"] = time.monotonic()
            _send(h, status, data, ctype, headers or {})

        if step == "disconnect":
            record["t_end"] = time.monotonic()
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if m := _STATUS_STEP.fullmatch(step):
            status = int(m.group(1))
            headers = {"Retry-After": m.group(2)} if m.group(2) else {}
            return send(status, _error(flavor, status), headers)
        if m := _TIMEOUT_STEP.fullmatch(step):
            self._sleep(float(m.group(1)))

        try:
            if body_error:
                raise _Reply(400, _error(flavor, 400, body_error))
            self._check_auth(flavor, h, body)
            payload, status, extra = self._route(method, path, body, step, flavor)
        except _Reply as r:
            return send(r.status, r.payload, r.headers)
        except Exception as exc:  # a bug in the fake: answer 500 and keep it for the tests
            self.errors.append(exc)
            return send(500, _error(flavor, 500, f"fake service bug: {exc!r}"))

        self._sleep(self.latency)
        if flavor == "openai" and status == 200 and isinstance(body, dict) and body.get("stream"):
            m = _SLOW_STREAM_STEP.fullmatch(step)
            record["status"] = status
            return self._stream(h, payload, float(m.group(1)) if m else 0.0, record)
        if step == "not-json-body":
            return send(200, _HTML_PAGE)
        if step in ("bad-json", "truncated-json") and flavor != "openai":
            text = json.dumps(payload, ensure_ascii=False)
            record["status"], record["t_end"] = status, time.monotonic()
            return _send(h, status, text[: len(text) // 2].encode(), "application/json", extra)
        send(status, payload, extra)

    def _stream(self, h: _Handler, payload: dict[str, Any], pause: float, record: dict[str, Any]) -> None:
        """A chat completion as server-sent events: the content in about 10 chunks, `pause`
        seconds apart, then the finish reason and usage."""
        content = payload["choices"][0]["message"]["content"]
        n = max(1, len(content) // 10)
        chunks = [content[i : i + n] for i in range(0, len(content), n)]
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()

        def event(data: dict[str, Any] | str) -> None:
            text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
            raw = f"data: {text}\n\n".encode()
            h.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
            h.wfile.flush()

        for piece in chunks:
            self._sleep(pause)
            event({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        finish = payload["choices"][0]["finish_reason"]
        event({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}], "usage": payload["usage"]})
        event("[DONE]")
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()
        record["t_end"] = time.monotonic()

    def _check_auth(self, flavor: str, h: _Handler, body: Any) -> None:
        if self.api_key is None:
            return
        auth = h.headers.get("Authorization", "")
        if flavor == "openai":
            if auth != f"Bearer {self.api_key}":
                raise _Reply(401, _error("openai", 401))
        elif flavor == "deepl":
            form_key = body.get("auth_key") if isinstance(body, dict) else None
            if auth != f"DeepL-Auth-Key {self.api_key}" and form_key != self.api_key:
                raise _Reply(403, _error("deepl", 403))
        else:
            key = body.get("api_key") if isinstance(body, dict) else None
            if key != self.api_key:
                raise _Reply(403, _error("libre", 403))

    def _route(
        self, method: str, path: str, body: Any, step: str, flavor: str
    ) -> tuple[Any, int, dict[str, str]]:
        if path == "/v1/chat/completions" and method == "POST":
            return self._chat(body, step), 200, {"x-request-id": f"req-{self._next_id()}"}
        if path == "/v1/models" and method == "GET":
            return (
                {
                    "object": "list",
                    "data": [{"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}],
                },
                200,
                {},
            )
        if path == "/v2/translate" and method == "POST":
            return self._deepl_translate(body, step), 200, {}
        if path == "/v2/glossary-language-pairs" and method == "GET":
            pairs = [
                {"source_lang": s, "target_lang": t}
                for s in _GLOSSARY_LANGS
                for t in _GLOSSARY_LANGS
                if s != t
            ]
            return {"supported_languages": pairs}, 200, {}
        if path == "/v2/glossaries" and method == "POST":
            return self._create_glossary(body), 201, {}
        if path == "/v2/glossaries" and method == "GET":
            with self._lock:
                return {"glossaries": [_glossary_info(g) for g in self.glossaries.values()]}, 200, {}
        if m := re.fullmatch(r"/v2/glossaries/([^/]+)", path):
            with self._lock:
                g = self.glossaries.get(m.group(1))
                if g is None:
                    raise _Reply(404, _error("deepl", 404, "Glossary not found"))
                if method == "GET":
                    return _glossary_info(g), 200, {}
                if method == "DELETE":
                    del self.glossaries[m.group(1)]
                    return None, 204, {}
        if path == "/translate" and method == "POST":
            return self._libre(body, step), 200, {}
        known = {
            "/v1/chat/completions",
            "/v1/models",
            "/v2/translate",
            "/v2/glossary-language-pairs",
            "/v2/glossaries",
            "/translate",
        }
        if path in known or path.startswith("/v2/glossaries/"):
            raise _Reply(405, _error(flavor, 405, f"method {method} not allowed on {path}"))
        raise _Reply(404, _error(flavor, 404, f"unknown path {path}"))

    # -- OpenAI chat completions

    def _chat(self, body: Any, step: str) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise _Reply(400, _error("openai", 400, "'messages' is a required property"))
        if body.get("stream") and step == "no-stream":
            raise _Reply(400, _error("openai", 400, "stream is not supported by this server"))
        fmt = body.get("response_format")
        if step == "no-json-schema" and isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            raise _Reply(400, _error("openai", 400, "response_format json_schema is not supported"))
        if step == "no-response-format" and fmt is not None:
            raise _Reply(
                400,
                _error(
                    "openai", 400, "response_format is not supported by this model", "unsupported_parameter"
                ),
            )
        request = _chat_request(body)
        if request is None:
            raise _Reply(
                400,
                _error(
                    "openai",
                    400,
                    "fake service: the last user message must be a "
                    'JSON object with "units": [{"id": str, "text": str}, ...]',
                ),
            )
        units = request["units"]
        # like a model that follows the prompt: system-prompt lines "term = target (note)" are applied
        system = "\n".join(
            _message_text(m) for m in body["messages"] if isinstance(m, dict) and m.get("role") == "system"
        )
        # own-terms: a small model that renders the terms its own way, whatever the prompt says
        terms = [] if step == "own-terms" else [(m.group(1), m.group(2)) for m in _TERM_LINE.finditer(system)]
        if step == "untranslated":
            out = [dict(u) for u in units]
        elif m := _HAN_LEFT_STEP.fullmatch(step):
            # what the 1.5B model did: one word left in Chinese inside an English sentence
            # ("The现场's enthusiasm"), though the word alone is translated
            word = m.group(1)
            out = [
                {**u, "text": word.join(pseudo(_apply_glossary(p, terms)) for p in u["text"].split(word))}
                if u["text"] != word
                else {**u, "text": pseudo(word)}
                for u in units
            ]
        else:
            out = [{**u, "text": pseudo(_apply_glossary(u["text"], terms))} for u in units]
        out = _damage(out, step)
        answer = {**request, "units": out}
        content = json.dumps(answer, ensure_ascii=False)
        finish = "stop"
        if step == "fenced":
            content = f"Here you go:\n```json\n{json.dumps(answer, ensure_ascii=False, indent=1)}\n```\nDone."
        elif step == "trailing-comma":
            content = content[:-2] + ",]}" if content.endswith("]}") else content
        elif step == "cut-unit":  # stopped inside the last unit's text, without saying so
            last = json.dumps(out[-1]["text"], ensure_ascii=False) if out else ""
            content = content[: content.rfind(last) + len(last) // 2] if last else content
        elif step == "as-list":
            content = json.dumps(out, ensure_ascii=False)
        elif step == "duplicate-key" and len(out) > 1:
            # what a model under a JSON grammar sent: each object has "text" twice, the
            # second being the next unit's: json.loads would keep that one
            parts = [
                f'{{"id": {json.dumps(u["id"])}, "text": {json.dumps(u["text"], ensure_ascii=False)}, '
                f'"text": {json.dumps(out[(i + 1) % len(out)]["text"], ensure_ascii=False)}}}'
                for i, u in enumerate(out)
            ]
            content = '{"units": [' + ", ".join(parts) + "]}"
        elif step == "raw-quotes":  # quotes inside the texts left unescaped
            content = content.replace('\\"', '"')
        elif step == "one-object" and len(out) == 1:  # the unit alone, not in a list
            content = json.dumps(out[0], ensure_ascii=False)
        if step == "prose":
            content = "I'm sorry, but I can only help with programming questions."
        if step == "bad-json":
            content = "Sure! Here is the translation: " + content
        elif step == "truncated-json":
            content, finish = content[: len(content) // 2], "length"
        prompt_chars = sum(len(_message_text(m)) for m in body["messages"] if isinstance(m, dict))
        p, c = math.ceil(prompt_chars / 2), math.ceil(len(content) / 2)
        return {
            "id": f"chatcmpl-{self._next_id()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
        }

    # -- DeepL

    def _deepl_translate(self, body: Any, step: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _Reply(400, _error("deepl", 400, "Value for 'text' not supplied."))
        texts = _as_list(body.get("text"))
        if not texts or not all(isinstance(t, str) for t in texts):
            raise _Reply(400, _error("deepl", 400, "Value for 'text' not supplied."))
        if not body.get("target_lang"):
            raise _Reply(400, _error("deepl", 400, "Value for 'target_lang' not supplied."))
        source = str(body.get("source_lang") or "")
        entries: list[tuple[str, str]] = []
        if gid := body.get("glossary_id"):
            with self._lock:
                g = self.glossaries.get(gid)
            if g is None:
                raise _Reply(400, _error("deepl", 400, "Value for 'glossary_id' not supported."))
            if not source:
                msg = "Use of a glossary requires the source_lang parameter."
                raise _Reply(400, _error("deepl", 400, msg))
            pair = (_base_lang(source), _base_lang(str(body["target_lang"])))
            if pair != (g["source_lang"], g["target_lang"]):
                raise _Reply(400, _error("deepl", 400, "Glossary language pair does not match the request."))
            entries = g["entries"]
        if step == "untranslated":
            out = list(texts)
        else:
            out = [pseudo(_apply_glossary(t, entries)) for t in texts]
        out = [u["text"] for u in _damage([{"id": str(i), "text": t} for i, t in enumerate(out)], step)]
        detected = (source or "zh").split("-")[0].upper()
        return {"translations": [{"detected_source_language": detected, "text": t} for t in out]}

    def _create_glossary(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _Reply(400, _error("deepl", 400, "Missing glossary parameters."))
        for key in ("name", "source_lang", "target_lang", "entries"):
            if not body.get(key):
                raise _Reply(400, _error("deepl", 400, f"Value for '{key}' not supplied."))
        fmt = body.get("entries_format", "tsv")
        source, target = _base_lang(str(body["source_lang"])), _base_lang(str(body["target_lang"]))
        if source not in _GLOSSARY_LANGS or target not in _GLOSSARY_LANGS or source == target:
            raise _Reply(400, _error("deepl", 400, "Unsupported glossary language pair."))
        try:
            entries = _parse_entries(str(body["entries"]), fmt)
        except ValueError as exc:
            raise _Reply(400, _error("deepl", 400, str(exc))) from None
        gid = f"g-{self._next_id()}"
        g = {
            "glossary_id": gid,
            "name": body["name"],
            "ready": True,
            "source_lang": source,
            "target_lang": target,
            "creation_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "entries": entries,
        }
        with self._lock:
            self.glossaries[gid] = g
        return _glossary_info(g)

    # -- LibreTranslate

    def _libre(self, body: Any, step: str) -> dict[str, Any]:
        if not isinstance(body, dict) or body.get("q") is None:
            raise _Reply(400, _error("libre", 400, "Invalid request: missing q parameter"))
        if not body.get("target"):
            raise _Reply(400, _error("libre", 400, "Invalid request: missing target parameter"))
        q = body["q"]
        texts = q if isinstance(q, list) else [q]
        if not all(isinstance(t, str) for t in texts):
            msg = "Invalid request: q must be a string or a list of strings"
            raise _Reply(400, _error("libre", 400, msg))
        out = list(texts) if step == "untranslated" else [pseudo(t) for t in texts]
        if isinstance(q, list):
            out = [u["text"] for u in _damage([{"id": str(i), "text": t} for i, t in enumerate(out)], step)]
        elif step == "drop-placeholder":
            out = [_PLACEHOLDER.sub("", out[0])]
        answer: dict[str, Any] = {"translatedText": out if isinstance(q, list) else out[0]}
        if body.get("source") == "auto":
            detected = {"confidence": 90.0, "language": "zh"}
            answer["detectedLanguage"] = [detected] * len(out) if isinstance(q, list) else detected
        return answer


# ----------------------------------------------------------------------------- helpers


def _damage(units: list[dict[str, Any]], step: str) -> list[dict[str, Any]]:
    """Apply a content fault to translated units [{"id", "text", ...}]."""
    if step == "missing-id":
        return units[:-1]
    if step == "extra-id":
        ids = {u.get("id") for u in units}
        n = 1
        while f"zz-extra-{n}" in ids:
            n += 1
        return [*units, {"id": f"zz-extra-{n}", "text": "extra"}]
    if step == "duplicate-id" and units:
        return [units[0], dict(units[0]), *units[1:]]
    if step == "drop-placeholder":
        return [{**u, "text": _PLACEHOLDER.sub("", u["text"])} for u in units]
    if step == "drop-pairs":  # what the 1.5B model did: paired tags lost, Markdown kept
        return [{**u, "text": re.sub(r"</?g\d+>", "", u["text"])} for u in units]
    if step == "swap-ids" and len(units) > 1:
        ids = [u["id"] for u in units]
        rotated = ids[1:] + ids[:1]
        return [{**u, "id": i} for u, i in zip(units, rotated, strict=True)]
    return units


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}]
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _chat_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON object in the last user message, if it has well-formed units."""
    users = [m for m in body["messages"] if isinstance(m, dict) and m.get("role") == "user"]
    if not users:
        return None
    try:
        request = json.loads(_message_text(users[-1]))
    except ValueError:
        return None
    if not isinstance(request, dict) or not isinstance(request.get("units"), list):
        return None
    for u in request["units"]:
        if not (isinstance(u, dict) and isinstance(u.get("id"), str) and isinstance(u.get("text"), str)):
            return None
    return request


def _measure(path: str, body: Any) -> tuple[int, int]:
    """(units, chars) of a request: chat units, DeepL texts or LibreTranslate q's."""
    texts: list[Any] = []
    if not isinstance(body, dict):
        return 0, 0
    if path == "/v1/chat/completions" and isinstance(body.get("messages"), list):
        request = _chat_request(body)
        texts = [u["text"] for u in request["units"]] if request else []
    elif path == "/v2/translate":
        texts = _as_list(body.get("text"))
    elif path == "/translate":
        texts = _as_list(body.get("q"))
    texts = [t for t in texts if isinstance(t, str)]
    return len(texts), sum(len(t) for t in texts)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _base_lang(code: str) -> str:
    return code.split("-")[0].lower()


def _parse_entries(text: str, fmt: str) -> list[tuple[str, str]]:
    if fmt == "tsv":
        rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    elif fmt == "csv":
        rows = [r for r in csv.reader(io.StringIO(text)) if r]
    else:
        raise ValueError(f"Unsupported entries_format {fmt!r}.")
    entries = []
    for row in rows:
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"Invalid glossary entry {row!r}.")
        entries.append((row[0].strip(), row[1].strip()))
    return entries


def _glossary_info(g: dict[str, Any]) -> dict[str, Any]:
    info = {k: v for k, v in g.items() if k != "entries"}
    info["entry_count"] = len(g["entries"])
    return info


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in h.headers.get("Transfer-Encoding", "").lower():
        chunks = []
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(h.rfile.read(size))
            h.rfile.readline()
    n = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(n) if n > 0 else b""


def _parse_body(h: BaseHTTPRequestHandler, raw: bytes) -> tuple[Any, str | None]:
    """(parsed body or None, error message or None). Form bodies become a dict whose repeated
    keys (and `text`, DeepL's repeatable field) are lists."""
    if not raw:
        return None, None
    ctype = h.headers.get("Content-Type", "").split(";")[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the request body is not UTF-8"
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        return {k: v if len(v) > 1 or k == "text" else v[0] for k, v in form.items()}, None
    try:
        return json.loads(text), None
    except ValueError:
        return None, "We could not parse the JSON body of your request."


def _send(h: BaseHTTPRequestHandler, status: int, data: bytes, ctype: str, headers: dict[str, str]) -> None:
    h.send_response(status)
    if status != 204:
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
    for k, v in headers.items():
        h.send_header(k, v)
    if h.close_connection:
        h.send_header("Connection", "close")
    # Headers and body in one write: two small writes meet the peer's delayed ACK (Nagle),
    # which costs ~40 ms per request on Linux.
    h._headers_buffer.append(b"\r\n")  # what end_headers() adds
    if status != 204 and h.command != "HEAD":
        h._headers_buffer.append(data)
    h.flush_headers()


# ----------------------------------------------------------------------------- pytest and script


def fake_service_fixture(latency: float = 0.0, api_key: str | None = "sk-test") -> Iterator[FakeService]:
    """A generator for a pytest fixture: one running FakeService (key "sk-test")."""
    with FakeService(latency=latency, api_key=api_key) as svc:
        yield svc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Fake OpenAI / DeepL / LibreTranslate service")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds added to every normal answer")
    ap.add_argument("--api-key", default=None, help="require this key (default: no auth)")
    args = ap.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with FakeService(latency=args.latency, api_key=args.api_key, host=args.host, port=args.port) as svc:
        print(svc.base_url, flush=True)
        while not stop.wait(1.0):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
