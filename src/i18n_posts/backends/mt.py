"""Machine translation services: `deepl` (/v2/translate) and `libretranslate` (/translate).

Placeholders travel as XML/HTML tags (`<x1/>`, `<g2>...</g2>` already are), so the services
keep them in place (`tag_handling=xml`, `format=html`); other `<`, `>` and `&` are escaped on
the way out and unescaped on the way back. DeepL gets the run's glossary through its glossary
API where the language pair has one; otherwise the shared post-check enforces the terms.
"""

from __future__ import annotations

import asyncio
import html
import re

import httpx

from ..errors import BackendError
from ..glossary import Term
from . import BatchRequest
from ._http import Call, HttpBackend

_TAGS = re.compile(r"(</?[xg]\d+/?>)")


def to_markup(text: str) -> str:
    """Unit text -> XML: our tags kept, everything else escaped."""
    return "".join(p if _TAGS.fullmatch(p) else html.escape(p, quote=False) for p in _TAGS.split(text))


def from_markup(text: str) -> str:
    return "".join(p if _TAGS.fullmatch(p) else html.unescape(p) for p in _TAGS.split(text))


class DeepLBackend(HttpBackend):
    """Options: api_key_env (default DEEPL_AUTH_KEY), base_url (default: the free or pro endpoint
    by the key), formality, glossary (on/off), timeout, max_retries."""

    name = "deepl"
    OPTIONS = frozenset({"formality", "glossary"})
    key_env = "DEEPL_AUTH_KEY"

    def __init__(self, options: dict[str, str], transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(options, transport)
        self.require_key()
        free = self.key.endswith(":fx")
        self.base_url = options.get(
            "base_url", "https://api-free.deepl.com" if free else "https://api.deepl.com"
        )
        self.base_url = self.base_url.rstrip("/").removesuffix("/v2")
        self.use_deepl_glossary = options.get("glossary", "on") != "off"
        self.terms: dict[str, tuple[Term, ...]] = {}
        """Target locale -> its glossary terms."""
        self.glossary_ids: dict[str, str | None] = {}
        """Target locale -> the id of DeepL's glossary made from those terms (None: none)."""
        self._glossary_lock: asyncio.Lock | None = None

    def use_glossary(self, target_locale: str, terms: tuple[Term, ...]) -> None:
        """Called once per target locale by its translator."""
        self.terms[target_locale] = terms

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"DeepL-Auth-Key {self.key}"}

    def build(self, request: BatchRequest) -> Call:
        data: dict[str, str | list[str]] = {
            "text": [to_markup(u.text) for u in request.units],
            "source_lang": re.split(r"[-_]", request.source_locale)[0].upper(),
            "target_lang": _deepl_target(request.target_locale),
            "tag_handling": "xml",
            "split_sentences": "nonewlines",
            "preserve_formatting": "1",
        }
        if request.context:
            data["context"] = request.context
        if gid := self.glossary_ids.get(request.target_locale):
            data["glossary_id"] = gid
        if "formality" in self.options:
            data["formality"] = self.options["formality"]
        return Call("POST", f"{self.base_url}/v2/translate", self._auth(), data=data)

    def parse(self, request: BatchRequest, response: httpx.Response) -> dict[str, str]:
        try:
            items = response.json()["translations"]
            texts = [str(t["text"]) for t in items]
        except (ValueError, KeyError, TypeError):
            raise BackendError(self.name, "the answer is not DeepL's translations JSON") from None
        if len(texts) != len(request.units):
            raise BackendError(self.name, f"{len(texts)} translations for {len(request.units)} texts")
        return {u.id: from_markup(t) for u, t in zip(request.units, texts, strict=True)}

    async def translate_async(self, request: BatchRequest) -> dict[str, str]:
        loc = request.target_locale
        if self.use_deepl_glossary and self.terms.get(loc) and loc not in self.glossary_ids:
            await self._ensure_glossary(request)
        return await super().translate_async(request)

    async def _ensure_glossary(self, request: BatchRequest) -> None:
        if self._glossary_lock is None:
            self._glossary_lock = asyncio.Lock()
        async with self._glossary_lock:
            loc = request.target_locale
            if loc in self.glossary_ids or not self.use_deepl_glossary:
                return
            self.glossary_ids[loc] = None
            src, dst = (
                request.source_locale.split("-")[0].lower(),
                request.target_locale.split("-")[0].lower(),
            )
            client = self._client_()
            try:
                pairs = (
                    await client.get(f"{self.base_url}/v2/glossary-language-pairs", headers=self._auth())
                ).json()
                supported = {
                    (p["source_lang"].lower(), p["target_lang"].lower())
                    for p in pairs.get("supported_languages", [])
                }
                if (src, dst) not in supported:
                    return  # the post-check still enforces the terms
                entries = "\n".join(
                    f"{t.source}\t{t.target}" for t in self.terms[loc] if "\t" not in t.source + t.target
                )
                r = await client.post(
                    f"{self.base_url}/v2/glossaries",
                    headers=self._auth(),
                    data={
                        "name": "i18n-posts",
                        "source_lang": src,
                        "target_lang": dst,
                        "entries": entries,
                        "entries_format": "tsv",
                    },
                )
                self.glossary_ids[loc] = r.json()["glossary_id"] if r.status_code < 300 else None
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                self.glossary_ids[loc] = None


def _deepl_target(locale: str) -> str:
    """DeepL's target code: English and Portuguese need a variant, Chinese names its script."""
    from ..locales import parse_locale  # noqa: PLC0415

    try:
        loc = parse_locale(locale)
    except ValueError:
        return locale.replace("_", "-").upper()
    if loc.language == "zh":
        return "ZH-HANT" if loc.script == "Hant" else "ZH-HANS"
    if loc.language in ("en", "pt"):
        default = {"en": "US", "pt": "BR"}[loc.language]
        return f"{loc.language.upper()}-{loc.territory or default}"
    return loc.language.upper()


class LibreTranslateBackend(HttpBackend):
    """Options: base_url (default http://localhost:5000), api_key_env (optional), timeout, max_retries."""

    name = "libretranslate"
    key_env = "LIBRETRANSLATE_API_KEY"

    def __init__(self, options: dict[str, str], transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(options, transport)
        self.base_url = options.get("base_url", "http://localhost:5000").rstrip("/")

    def build(self, request: BatchRequest) -> Call:
        body: dict[str, object] = {
            "q": [to_markup(u.text) for u in request.units],
            "source": request.source_locale.split("-")[0],
            "target": request.target_locale.split("-")[0],
            "format": "html",
        }
        if self.key:
            body["api_key"] = self.key
        return Call("POST", f"{self.base_url}/translate", {}, body)

    def parse(self, request: BatchRequest, response: httpx.Response) -> dict[str, str]:
        try:
            texts = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise BackendError(self.name, "the answer is not LibreTranslate's JSON") from None
        if isinstance(texts, str):
            texts = [texts]
        if len(texts) != len(request.units):
            raise BackendError(self.name, f"{len(texts)} translations for {len(request.units)} texts")
        return {u.id: from_markup(str(t)) for u, t in zip(request.units, texts, strict=True)}
