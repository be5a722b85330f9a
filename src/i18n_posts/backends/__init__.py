"""Translation backends: the `Backend` protocol, the request a backend receives, and the
registry that finds backends by name in the entry-point group `i18n_posts.backends`.

A backend turns a `BatchRequest` into {unit id: translated text}. It does no retrying of
its own: the translate stage validates, retries and splits batches; HTTP backends (next)
share one runner for concurrency, timeouts and backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from ..errors import UsageError

if TYPE_CHECKING:
    from ..glossary import Term

GROUP = "i18n_posts.backends"

BUILT_IN = {
    "command": "i18n_posts.backends.command:CommandBackend",
    "deepl": "i18n_posts.backends.mt:DeepLBackend",
    "identity": "i18n_posts.backends.offline:IdentityBackend",
    "libretranslate": "i18n_posts.backends.mt:LibreTranslateBackend",
    "openai": "i18n_posts.backends.openai:OpenAIBackend",
    "pseudo": "i18n_posts.backends.offline:PseudoBackend",
}
"""The backends this package registers in `GROUP` (pyproject.toml; a test keeps the two the
same), so that naming one reads no distribution's metadata: importing importlib.metadata and
reading every installed package's entry points costs more than a small post takes to
translate. Another name is looked up in the entry points."""


@dataclass(frozen=True, slots=True)
class RequestUnit:
    """One unit as a backend sees it."""

    id: str
    """Unique within the request."""
    text: str
    """Text with placeholders (<xN/>, <gN>...</gN>) and "\\n" line breaks."""
    placeholders: tuple[tuple[str, str], ...] = ()
    """(tag, what it stands for) for each placeholder, e.g. ("<x1/>", "code")."""
    kind: str = "paragraph"
    """What the unit is in the post (heading, paragraph, table_cell, ...)."""
    hint: str = ""
    """Why an earlier answer was refused (e.g. a glossary term it missed), for a retry."""
    previous_source: str = ""
    """When the unit's source changed: the source text of the translation below."""
    previous_translation: str = ""
    """...and that translation: revise it rather than start again, so the diff stays small."""


@dataclass(frozen=True, slots=True)
class GlossaryHint:
    """A glossary term that occurs in the request."""

    source: str
    target: str
    note: str = ""
    """The term's `guidance` for the translator (a glossary `note` is for maintainers: never sent)."""


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """Units of one post, in document order, with what helps translate them."""

    units: tuple[RequestUnit, ...]
    source_locale: str
    target_locale: str
    glossary: tuple[GlossaryHint, ...] = ()
    title: str | None = None
    """The post's title, for context."""
    context: str = ""
    """The text just before the batch (placeholders removed), for context."""
    retry: int = 0
    """How many times these units were sent before (0: the first call): a backend that
    samples may answer a retry otherwise (the same prompt at temperature 0 gets the same
    answer again)."""


@dataclass
class Usage:
    """What a service reported using, summed over calls (0 where it reports nothing)."""

    prompt: int = 0
    completion: int = 0

    @property
    def total(self) -> int:
        return self.prompt + self.completion


CallMode = Literal["inline", "thread", "async"]


@runtime_checkable
class Backend(Protocol):
    """What every backend is. Built-ins subclass `BaseBackend`, which gives each optional
    member its default; a plugin may do the same (only `name` and `translate` are its own).

    The run never asks a backend what it can do by probing it: every capability is here."""

    name: str
    """The name it is registered under; recorded in the memory (`machine: NAME/MODEL`)."""
    model: str
    """The model or engine the answers come from, "" if there is no choice of one."""
    translates: bool
    """True for a real translator: its answers must leave none of the source script, and
    `translate` writes them into a repository's memory. False for previews and round-trip
    tests (identity, pseudo)."""
    mode: CallMode
    """How the runner calls it: `inline` (in the event loop: fast, in-process), `thread`
    (`translate` blocks on I/O, e.g. a program: run in worker threads, several at once) or
    `async` (`translate_async` is a coroutine, e.g. HTTP)."""
    usage: Usage
    """Tokens the service reported (summed over the run)."""
    max_concurrency: int
    """Most calls the service takes at once (0: no limit of its own). A local server on CPU
    answers one at a time: more in flight only queue there and time out together."""
    batch_chars: int
    """The most characters of unit text a call should carry for this service to answer well
    (0: no limit of its own; the run's `batch_chars` applies, the smaller of the two wins)."""
    style_tag: str
    """A digest of the style guide its answers follow when it is not the default one ("": the
    default or none); recorded in the memory, so `sync --force-style` finds what another
    style made."""

    def __init__(self, options: dict[str, str]) -> None:
        """`options` are the `--backend-option KEY=VALUE` pairs (or `[backend]` keys)."""
        ...

    def translate(self, request: BatchRequest) -> dict[str, str]:
        """Translations by unit id; may omit units. Raise `BackendError` on failure."""
        ...

    async def translate_async(self, request: BatchRequest) -> dict[str, str]:
        """The same as a coroutine (used when `mode` is `async`)."""
        ...

    def use_glossary(self, target_locale: str, terms: tuple[Term, ...]) -> None:
        """The glossary of one target locale, given once per locale before any call (DeepL
        makes a glossary of its own from it); most backends get terms with each request."""
        ...

    async def aclose(self) -> None:
        """Release connections at the end of a run."""
        ...


class BaseBackend:
    """Defaults of every optional member of `Backend`."""

    name = "backend"
    model = ""
    translates = False
    mode: CallMode = "inline"
    max_concurrency = 0
    batch_chars = 0
    style_tag = ""

    def __init__(self, options: dict[str, str]) -> None:
        self.options = options
        self.usage = Usage()

    def translate(self, request: BatchRequest) -> dict[str, str]:
        raise NotImplementedError

    async def translate_async(self, request: BatchRequest) -> dict[str, str]:
        return self.translate(request)

    def use_glossary(self, target_locale: str, terms: tuple[Term, ...]) -> None:
        return None

    async def aclose(self) -> None:
        return None


def available() -> dict[str, Any]:
    """Backend name -> entry point."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load_backend(name: str, options: dict[str, str]) -> Backend:
    """Instantiate the backend registered as `name` (a built-in one is ours, whatever else
    is installed under its name)."""
    if name in BUILT_IN:
        import importlib  # noqa: PLC0415

        module, _, attr = BUILT_IN[name].partition(":")
        cls = getattr(importlib.import_module(module), attr)
    else:
        eps = available()
        if name not in eps:
            known = ", ".join(sorted({*eps, *BUILT_IN})) or "none"
            raise UsageError(f"unknown backend {name!r} (available: {known})")
        cls = eps[name].load()
    backend = cls(options)
    if not isinstance(backend, Backend):
        missing = sorted(m for m in _MEMBERS if not hasattr(backend, m))
        raise UsageError(
            f"backend {name!r} lacks {', '.join(missing)}: subclass i18n_posts.backends.BaseBackend"
        )
    return backend


_MEMBERS = (
    "name",
    "model",
    "translates",
    "mode",
    "usage",
    "max_concurrency",
    "batch_chars",
    "style_tag",
    "translate",
    "translate_async",
    "use_glossary",
    "aclose",
)
