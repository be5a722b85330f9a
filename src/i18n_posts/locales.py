"""Locale codes: `zh`, `zh-CN`, `zh_CN`, `zh-Hans`, `en-US` ... parsed with babel, and the
rules that follow from them: which glossary column serves a locale, which script a source
language is written in, what an LLM is told the language is called.

The code a user wrote is kept as written (`Locale.code`): it names folders (`locales/en-US/`)
and fills templates. babel's locale data is loaded on first use (~40 ms), so the no-op
`sync`, which never needs it, does not pay for it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_SYNTAX = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

SCRIPTS = {
    "zh": r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]",
    "ja": r"[\u3040-\u30ff\u4e00-\u9fff]",
    "ko": r"[\uac00-\ud7af]",
}
"""By language: characters that should not survive a translation out of it. (Compiled on
first use: patterns of large ranges take milliseconds, which the no-op `sync` does not pay.)"""


@dataclass(frozen=True, slots=True)
class Locale:
    """A parsed locale code."""

    code: str
    """As the user wrote it (`zh-CN`): used for folders, templates and messages."""
    language: str
    """ISO 639 language (`zh`)."""
    script: str | None
    """ISO 15924 script, written or implied by the region (`zh-TW` -> `Hant`), or None."""
    territory: str | None
    """Region (`CN`, `US`), or None."""

    @property
    def name(self) -> str:
        """English name of the language (`Chinese (Simplified, China)`), for prompts. (Read
        on first use: babel's names take longer to load than a small post to translate.)"""
        return _display_name(self.code)

    @property
    def source_script(self) -> re.Pattern[str] | None:
        """Characters of this language's script that a translation out of it must not keep."""
        return source_script(self.language)

    @property
    def tag(self) -> str:
        """The BCP 47 spelling (`zh-CN`), for headers such as a PO file's `Language:`."""
        return "-".join(p for p in (self.language, _written_script(self), self.territory) if p)


def _written_script(loc: Locale) -> str | None:
    parts = re.split(r"[-_]", loc.code)
    return loc.script if any(p.lower() == (loc.script or "").lower() for p in parts[1:]) else None


def is_locale_syntax(code: str) -> bool:
    """True when `code` looks like a locale code (checked without babel)."""
    return bool(_SYNTAX.match(code))


COMMON: dict[str, tuple[str, str | None, str | None]] = {
    "de": ("de", None, None),
    "en": ("en", None, None),
    "en-US": ("en", None, "US"),
    "es": ("es", None, None),
    "fr": ("fr", None, None),
    "ja": ("ja", None, None),
    "ko": ("ko", None, None),
    "zh": ("zh", None, None),
    "zh-CN": ("zh", "Hans", "CN"),
    "zh-Hans": ("zh", "Hans", None),
    "zh-Hant": ("zh", "Hant", None),
    "zh-TW": ("zh", "Hant", "TW"),
}
"""(language, script, territory) of common codes, as babel parses them (a test compares each
with babel): a run from zh to en does not import babel, which takes longer than a small
post to translate. Any other code is parsed by babel."""


@functools.lru_cache(maxsize=64)
def parse_locale(code: str) -> Locale:
    """Parse `code`; ValueError (with a message naming it) if babel does not know it."""
    if code in COMMON:
        return Locale(code, *COMMON[code])
    from babel.core import Locale as BabelLocale  # noqa: PLC0415
    from babel.core import UnknownLocaleError  # noqa: PLC0415

    if not is_locale_syntax(code):
        raise ValueError(f"{code!r} is not a locale code (e.g. zh, zh-CN, en-US)")
    try:
        loc = BabelLocale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown locale {code!r} (e.g. zh, zh-CN, zh-Hant, en-US, ja)") from None
    return Locale(code, loc.language, loc.script, loc.territory)


@functools.lru_cache(maxsize=64)
def _display_name(code: str) -> str:
    from babel.core import Locale as BabelLocale  # noqa: PLC0415

    return BabelLocale.parse(code.replace("-", "_")).get_display_name("en") or code


def best_column(columns: Iterable[str], locale: Locale) -> str | None:
    """The glossary column (locale code) that serves `locale`, or None.

    Preferred: the same code; then the same language and script (`zh-TW` and `zh-Hant`
    serve each other); then the bare language (`zh` serves `zh-CN` and `zh-Hans`, `en`
    serves `en-US`), which a Traditional locale takes only when no Traditional column is
    there; never another language."""
    best: tuple[int, str] | None = None
    want = _norm(locale.code)
    for col in columns:
        if not is_locale_syntax(col):
            continue
        if _norm(col) == want:
            return col
        try:
            other = parse_locale(col)
        except ValueError:
            continue
        if other.language != locale.language:
            continue
        bare = other.code == other.language
        if other.script == locale.script and other.territory == locale.territory:
            rank = 1  # the same locale spelt otherwise (zh_TW, zh-Hant-TW)
        elif other.script == locale.script and not bare and other.territory is None:
            rank = 2  # the script without a region (zh-Hant for zh-TW)
        elif other.script == locale.script and not bare:
            rank = 3  # the same script in another region (zh-HK for zh-TW)
        elif bare:
            rank = 4  # the bare language: a fallback for every variant of it
        elif locale.code == locale.language:
            rank = 5  # a bare locale takes any variant of its language
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, col)
    return best[1] if best else None


def _norm(code: str) -> str:
    return code.replace("_", "-").lower()


@functools.lru_cache(maxsize=16)
def source_script(code: str) -> re.Pattern[str] | None:
    """The script of `code`'s language (`zh-CN` -> Han), without loading babel."""
    pattern = SCRIPTS.get(re.split(r"[-_]", code, maxsplit=1)[0].lower())
    return re.compile(pattern) if pattern else None
