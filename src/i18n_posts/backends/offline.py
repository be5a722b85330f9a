"""Offline backends: `identity` (the round-trip test) and `pseudo` (a deterministic preview)."""

from __future__ import annotations

import functools
import re

from ..errors import UsageError
from . import BaseBackend, BatchRequest

_HAN_CHAR = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_RUN = re.compile(f"{_HAN_CHAR}+")
_SPACES = re.compile(r"[ ]{2,}")
_TIGHT = re.compile(r" (?=[,.;:?!)]|</g\d+>)|(<g\d+>) ")
_PUNCT = str.maketrans(
    {
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
        "～": "~",
        "…": "...",
        "—": "-",
        "「": '"',
        "」": '"',
    }
)
_SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fu", "ga", "ho", "ji", "vo", "ze", "bu")


def _no_options(name: str, options: dict[str, str]) -> None:
    if options:
        raise UsageError(f"backend {name} takes no options (got {', '.join(sorted(options))})")


class IdentityBackend(BaseBackend):
    """Returns every text unchanged: the output must equal the input byte for byte."""

    name = "identity"

    def __init__(self, options: dict[str, str]) -> None:
        _no_options(self.name, options)
        super().__init__(options)

    def translate(self, request: BatchRequest) -> dict[str, str]:
        return {u.id: u.text for u in request.units}


class PseudoBackend(BaseBackend):
    """A deterministic pseudo-translation: glossary terms -> their targets, other Han text
    -> pseudo words, full-width punctuation -> ASCII; placeholders and spacing kept."""

    name = "pseudo"

    def __init__(self, options: dict[str, str]) -> None:
        _no_options(self.name, options)
        super().__init__(options)

    def translate(self, request: BatchRequest) -> dict[str, str]:
        terms = sorted(request.glossary, key=lambda g: -len(g.source))
        return {u.id: pseudo_text(u.text, [(g.source, g.target) for g in terms]) for u in request.units}


def pseudo_text(text: str, terms: list[tuple[str, str]]) -> str:
    """Glossary terms -> targets, Han runs -> pseudo words, full-width punctuation -> ASCII.
    Placeholders hold no Han character and no full-width punctuation, so they survive."""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    s = text
    for src, dst in terms:
        if src != dst and src in s:
            s = s.replace(src, f" {dst} ")
    s = _HAN_RUN.sub(_first_three, s).translate(_table())
    s = _SPACES.sub(" ", s)
    s = _TIGHT.sub(lambda m: m.group(1) or "", s).strip()
    return lead + s + trail if s else text


def _first_three(m: re.Match[str]) -> str:
    """A Han run's first three characters, set apart. (A function: a replacement template
    with groups is expanded by Python code for each match, which is slower.)"""
    return f" {m.group()[:3]} "


@functools.cache
def _table() -> dict[int, str]:
    """Han characters -> syllables, full-width punctuation -> ASCII."""
    ranges = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
    return {**{c: _SYLLABLES[c % 16] for a, b in ranges for c in range(a, b)}, **_PUNCT}
