"""The one runner of a run: every call to the backend, for every post and every locale,
goes through it.

It owns what must be shared by the whole run: the backend (one client, one connection
pool), the `concurrency` slots, the count of batches waiting for one (the pipeline starts
posts as it runs low), the token and character budgets, the failure streak that stops the
run when the service is down, and what was spent. The translate stage, one per target
locale, turns units into requests and answers into validated translations through it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..errors import BackendError, BackendUnavailable, BadAnswer, BudgetExceeded
from . import Backend, BatchRequest
from ._tokens import estimate_tokens


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Limits of a run, over all posts and locales."""

    concurrency: int = 4
    """Batches in flight at once."""
    max_failures: int = 3
    """Backend calls failing in a row before the run stops."""
    max_bad_batches: int = 8
    """Batches of several units answered unusably in a row (none usable since) before the run stops."""
    max_tokens: int | None = None
    """Stop before the estimated tokens sent and received would pass this."""
    max_chars: int | None = None
    """Stop before the characters sent would pass this (for MT services)."""


@dataclass
class Runner:
    """Sends requests to one backend for a whole run; counts what it sent."""

    backend: Backend
    options: RunOptions = field(default_factory=RunOptions)
    calls: int = 0
    chars_sent: int = 0
    units_sent: int = 0
    tokens_estimated: int = 0
    tokens_in: int = 0
    """Of `tokens_estimated`, those of the prompts (the rest: of the answers)."""
    failures_in_a_row: int = 0
    """Calls in a row the service did not answer (connection, timeouts, 5xx after retries)."""
    bad_answers: int = 0
    """Calls the service answered with something unusable (the batch is split, the run goes on)."""
    bad_batches_in_a_row: int = 0
    """Answers to batches of several units that could not be used, with no usable one since."""
    waiting: int = 0
    """Batches waiting for a free slot."""
    stopped: BackendUnavailable | BudgetExceeded | None = None
    """Set when the run must stop: every later call raises it."""
    _slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = field(default=None, repr=False)

    def batch_answered(self, usable: bool, error: str = "") -> None:
        """Count the answer to a batch of several units. A model that answers badly now and then
        gets its batches split and resent; one that has not answered a single batch usably for
        `max_bad_batches` in a row (ids swapped every time, say) stops the run: splitting
        everything down to single units would cost a call per unit and hide a broken backend."""
        if usable:
            self.bad_batches_in_a_row = 0
            return
        self.bad_batches_in_a_row += 1
        if self.bad_batches_in_a_row >= self.options.max_bad_batches and self.stopped is None:
            self.stopped = BackendUnavailable(
                self.backend.name,
                f"no usable answer to {self.bad_batches_in_a_row} batches in a row (last: {error}); "
                "lower batch_chars or check the backend",
            )
            raise self.stopped

    @property
    def origin(self) -> str:
        """Who makes the translations, as the memory records it: `machine: NAME[/MODEL]`, and
        ` style=DIGEST` when the backend follows a style guide of the repository's own."""
        b = self.backend
        return (
            f"machine: {b.name}"
            + (f"/{b.model}" if b.model else "")
            + (f" style={b.style_tag}" if b.style_tag else "")
        )

    @property
    def waits(self) -> bool:
        """True when calls wait on something outside the process (network, programs)."""
        return self.backend.mode != "inline"

    async def send(self, request: BatchRequest) -> tuple[dict[str, str], str]:
        """(answers by unit id, "") or ({}, why the call failed). Raises `BackendUnavailable`
        or `BudgetExceeded` when the run must stop."""
        self.waiting += 1
        slot = self._semaphore()
        try:
            await slot.acquire()
        finally:
            self.waiting -= 1
        try:
            return await self._call(request)
        finally:
            slot.release()

    async def _call(self, request: BatchRequest) -> tuple[dict[str, str], str]:
        if self.stopped is not None:
            raise self.stopped
        self._spend(request)
        backend = self.backend
        try:
            if backend.mode == "async":
                answers = await backend.translate_async(request)
            elif backend.mode == "thread":
                answers = await asyncio.to_thread(backend.translate, request)
            else:
                answers = backend.translate(request)
        except BackendUnavailable as exc:
            self.stopped = exc
            raise
        except BadAnswer as exc:  # the service is up: a model that answers badly is not a dead service
            self.bad_answers += 1
            return {}, str(exc)
        except BackendError as exc:
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= self.options.max_failures:
                self.stopped = BackendUnavailable(
                    exc.backend,
                    f"failed {self.failures_in_a_row} times in a row "
                    f"(last error: {str(exc).split(': ', 1)[-1]})",
                )
                raise self.stopped from None
            return {}, str(exc)
        self.failures_in_a_row = 0
        return answers, ""

    def _spend(self, request: BatchRequest) -> None:
        chars = sum(len(u.text) for u in request.units)
        sent, answer = request_token_split(request)
        tokens = sent + answer
        o = self.options
        calls = f"{self.calls} call" + ("" if self.calls == 1 else "s")
        if o.max_tokens is not None and self.tokens_estimated + tokens > o.max_tokens:
            raise self._stop(
                BudgetExceeded(
                    f"the next request would pass --max-tokens {o.max_tokens} "
                    f"(spent about {self.tokens_estimated} tokens in {calls})"
                )
            )
        if o.max_chars is not None and self.chars_sent + chars > o.max_chars:
            raise self._stop(
                BudgetExceeded(
                    f"the next request would pass --max-chars {o.max_chars} "
                    f"(sent {self.chars_sent} characters in {calls})"
                )
            )
        self.calls += 1
        self.chars_sent += chars
        self.units_sent += len(request.units)
        self.tokens_estimated += tokens
        self.tokens_in += sent

    def _stop(self, exc: BudgetExceeded) -> BudgetExceeded:
        self.stopped = exc
        return exc

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            n = max(1, self.options.concurrency)
            if self.backend.max_concurrency:  # a local server that answers one request at a time
                n = min(n, self.backend.max_concurrency)
            self._slots = (loop, asyncio.Semaphore(n))
        return self._slots[1]

    async def aclose(self) -> None:
        await self.backend.aclose()


def request_tokens(request: BatchRequest) -> int:
    """Estimated tokens of a request and its answer (the answer about as long as the text)."""
    sent, answer = request_token_split(request)
    return sent + answer


def request_token_split(request: BatchRequest) -> tuple[int, int]:
    """Estimated (input, output) tokens of a request: the prompt (units, glossary, context and
    about 150 of instructions) and an answer about as long as the text."""
    text = sum(estimate_tokens(u.text) for u in request.units)
    glossary = sum(estimate_tokens(g.source + g.target + g.note) for g in request.glossary)
    return text + glossary + estimate_tokens(request.context or "") + 150, text
