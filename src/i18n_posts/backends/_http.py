"""The one HTTP runner every HTTP backend uses, and the base class those backends share.

A backend only says how a batch becomes a request (`build`) and how a response becomes
texts (`parse`). The runner owns the `httpx.AsyncClient`: per-request timeout, retries
with exponential backoff and jitter on timeouts, connection errors, 429 (honouring
`Retry-After`) and 5xx; no retry on 400 (unless the backend offers a fallback request)
and a stop on 401/403 (the key is wrong: every call would fail). Every message is
redacted: no key, `Authorization` header or key parameter is ever printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BackendError, BackendUnavailable, UsageError
from . import BaseBackend, BatchRequest, Usage


@dataclass(frozen=True, slots=True)
class Call:
    """One HTTP request, as a backend describes it."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    stream: bool = False
    """Read the answer as a stream (`collect` makes it one body): the read timeout then
    applies between chunks, so a slow answer that keeps coming is not taken for a dead one."""


class HttpBackend(BaseBackend):
    """Base of HTTP backends. Subclasses set `name`, `OPTIONS` and implement `build`/`parse`."""

    name = "http"
    translates = True
    mode = "async"
    base_url = "https:"
    OPTIONS: frozenset[str] = frozenset()
    COMMON = frozenset({"timeout", "deadline", "max_retries", "api_key_env", "base_url"})
    key_env = ""

    def __init__(self, options: dict[str, str], transport: httpx.AsyncBaseTransport | None = None) -> None:
        unknown = set(options) - self.OPTIONS - self.COMMON
        if unknown:
            raise UsageError(
                f"backend {self.name}: unknown option(s) {', '.join(sorted(unknown))} "
                f"(known: {', '.join(sorted(self.OPTIONS | self.COMMON))})"
            )
        self.options = options
        self.timeout = _number(self.name, options, "timeout", 60.0)
        self.deadline = _number(self.name, options, "deadline", 4 * self.timeout)
        """Seconds for a whole call: a server that trickles bytes resets the read timeout, not this."""
        if not (self.timeout > 0 and self.deadline > 0):
            raise UsageError(f"backend {self.name}: timeout and deadline must be more than 0 seconds")
        self.max_retries = int(_number(self.name, options, "max_retries", 4))
        self.key_env = options.get("api_key_env", self.key_env)
        self.key = os.environ.get(self.key_env, "") if self.key_env else ""
        if not self.key.isascii() or any(c in self.key for c in "\r\n"):
            raise UsageError(
                f"backend {self.name}: the key in ${self.key_env} holds characters an HTTP header "
                "cannot carry (non-ASCII or a line break); copy it again"
            )
        self.usage = Usage()
        self.transport = transport
        self._client: httpx.AsyncClient | None = None
        self._sleep = asyncio.sleep

    # -- to implement ------------------------------------------------------------------
    def build(self, request: BatchRequest) -> Call:
        raise NotImplementedError

    def parse(self, request: BatchRequest, response: httpx.Response) -> dict[str, str]:
        raise NotImplementedError

    def deadline_of(self, request: BatchRequest) -> float:
        """Seconds a whole call for `request` may take (a backend may scale it with the batch)."""
        return self.deadline

    async def collect(self, response: httpx.Response) -> bytes:
        """The body of a streamed answer, as `parse` reads it (a backend that streams says how)."""
        return await response.aread()

    def fallback(self, call: Call, response: httpx.Response) -> Call | None:
        """Another request to try when the service refuses this one with 400 (e.g. an option
        it does not support), or None."""
        return None

    # -- the runner ----------------------------------------------------------------------
    def translate(self, request: BatchRequest) -> dict[str, str]:
        """Blocking form (one call); runs use `translate_async`."""

        async def once() -> dict[str, str]:
            try:
                return await self.translate_async(request)
            finally:
                await self.aclose()

        return asyncio.run(once())

    async def translate_async(self, request: BatchRequest) -> dict[str, str]:
        call = self.build(request)
        deadline = self.deadline_of(request)
        attempt = refused = 0
        while True:
            try:
                response = await asyncio.wait_for(self._send(call), deadline)
            except httpx.TimeoutException:
                problem = f"no answer within {self.timeout:g}s"
            except asyncio.TimeoutError:
                problem = f"no complete answer within {deadline:g}s (the deadline of a call)"
            except httpx.ConnectError as exc:
                # refused, or no such host: nothing is listening there; retrying will not help
                where = httpx.URL(call.url)
                problem = f"cannot connect to {where.scheme}://{where.netloc.decode()} ({_reason(exc)})"
                refused += 1
                if refused >= 2:  # one retry, for a server that was just restarting
                    raise BackendUnavailable(
                        self.name, self.redact(problem + "; is the server running?")
                    ) from None
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                status = response.status_code
                if status < 400:
                    return self.parse(request, response)
                problem = self.redact(f"HTTP {status}{_error_text(response)}")[:300]
                if status in (401, 403):
                    hint = f" (check the key in ${self.key_env})" if self.key_env else ""
                    raise BackendUnavailable(
                        self.name, self.redact(f"the service refused the credentials: {problem}{hint}")
                    )
                if status == 400:
                    other = self.fallback(call, response)
                    if other is None:
                        raise BackendError(self.name, self.redact(problem))
                    call = other
                    continue
                if status != 429 and status < 500:
                    raise BackendError(self.name, self.redact(problem))
                if attempt < self.max_retries:
                    await self._sleep(self._delay(attempt, response))
                    attempt += 1
                    continue
                raise BackendError(self.name, self.redact(f"{problem} after {attempt + 1} attempts"))
            if attempt >= self.max_retries:
                raise BackendError(self.name, self.redact(f"{problem} after {attempt + 1} attempts"))
            await self._sleep(self._delay(attempt, None))
            attempt += 1

    async def _send(self, call: Call) -> httpx.Response:
        client = self._client_()
        if not call.stream:
            return await client.request(
                call.method, call.url, headers=call.headers, json=call.json, data=call.data
            )
        async with client.stream(
            call.method, call.url, headers=call.headers, json=call.json, data=call.data
        ) as response:
            if response.status_code >= 400 or "text/event-stream" not in response.headers.get(
                "content-type", ""
            ):
                await response.aread()  # an error, or a server that answered without streaming
                return response
            body = await self.collect(response)
        return httpx.Response(response.status_code, content=body, request=response.request)

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            after = response.headers.get("retry-after", "")
            try:
                return min(max(float(after), 0.0), 120.0)
            except ValueError:
                pass
        return min(0.5 * 2**attempt, 30.0) * (0.5 + random.random())

    def _client_(self) -> httpx.AsyncClient:
        if self._client is None:
            # plain-HTTP services (local servers) need no TLS context: loading one costs ~30 ms
            tls = self.base_url.startswith("https:")
            self._client = httpx.AsyncClient(
                transport=self.transport,
                timeout=self.timeout,
                verify=tls,
                limits=httpx.Limits(max_connections=64),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def redact(self, message: str) -> str:
        """`message` with every secret (the key, header values) removed. Redact before cutting
        a message short: a secret cut in two would leave its first half."""
        for secret in sorted(self.secrets(), key=len, reverse=True):
            if secret:
                message = message.replace(secret, "***")
        return message

    def secrets(self) -> list[str]:
        """What must never be printed: the key; subclasses add theirs (header values)."""
        return [self.key]

    def require_key(self) -> str:
        if not self.key:
            raise UsageError(
                f"backend {self.name}: set the API key in the environment variable "
                f"{self.key_env} (or name another with --backend-option api_key_env=NAME)"
            )
        return self.key


def _number(name: str, options: dict[str, str], key: str, default: float) -> float:
    try:
        return float(options.get(key, default))
    except ValueError:
        raise UsageError(f"backend {name}: {key} must be a number") from None


def _error_text(response: httpx.Response) -> str:
    """A short reason from an error body (JSON `error.message` or the first line of text)."""
    try:
        data = response.json()
        err = data.get("error", data) if isinstance(data, dict) else data
        msg = err.get("message") if isinstance(err, dict) else err
        text = str(msg or "")
    except (ValueError, json.JSONDecodeError):
        text = response.text.strip().splitlines()[0] if response.text.strip() else ""
    return f": {text[:2000]}" if text else ""  # redacted, then cut, by the caller


def _reason(exc: Exception) -> str:
    """The last line of a connection error's own words (`Connection refused`, a DNS failure)."""
    text = str(exc).strip().splitlines()
    return (text[-1] if text else type(exc).__name__)[:120]
