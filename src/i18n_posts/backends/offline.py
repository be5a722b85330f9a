"""Offline backends: `identity` (the round-trip test) and `pseudo` (a deterministic preview)."""

from __future__ import annotations

import re

from ..errors import UsageError
from . import BatchRequest

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TAG = re.compile(r"</?[xg]\d+/?>")
_PUNCT = str.maketrans({
    "，": ", ", "。": ". ", "、": ", ", "；": "; ", "：": ": ", "？": "? ", "！": "! ",
    "（": " (", "）": ") ", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"',
    "【": "[", "】": "]", "～": "~", "…": "...", "—": "-", "「": '"', "」": '"',
})
_SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fu", "ga", "ho", "ji", "vo", "ze", "bu")


def _no_options(name: str, options: dict[str, str]) -> None:
    if options:
        raise UsageError(f"backend {name} takes no options (got {', '.join(sorted(options))})")


class IdentityBackend:
    """Returns every text unchanged: the output must equal the input byte for byte."""

    name = "identity"

    def __init__(self, options: dict[str, str]) -> None:
        _no_options(self.name, options)

    def translate(self, request: BatchRequest) -> dict[str, str]:
        return {u.id: u.text for u in request.units}


class PseudoBackend:
    """A deterministic pseudo-translation: glossary terms -> their targets, other Han text
    -> pseudo words, full-width punctuation -> ASCII; placeholders and spacing kept."""

    name = "pseudo"

    def __init__(self, options: dict[str, str]) -> None:
        _no_options(self.name, options)

    def translate(self, request: BatchRequest) -> dict[str, str]:
        terms = sorted(request.glossary, key=lambda g: -len(g.source))
        return {u.id: pseudo_text(u.text, [(g.source, g.target) for g in terms]) for u in request.units}


def pseudo_text(text: str, terms: list[tuple[str, str]]) -> str:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    parts = []
    pos = 0
    for m in _TAG.finditer(text):  # never touch placeholders
        parts.append(_pseudo(text[pos : m.start()], terms))
        parts.append(m.group(0))
        pos = m.end()
    parts.append(_pseudo(text[pos:], terms))
    body = re.sub(r"(<g\d+>) +| +(</g\d+>)", lambda m: m.group(1) or m.group(2), "".join(parts))
    return lead + body.strip() + trail if body.strip() else text


def _pseudo(s: str, terms: list[tuple[str, str]]) -> str:
    for src, dst in terms:
        if src != dst:
            s = s.replace(src, f" {dst} ")
    s = _HAN.sub(lambda m: " " + "".join(_SYLLABLES[ord(c) % 16] for c in m.group(0)[:3]) + " ", s)
    s = s.translate(_PUNCT)
    s = re.sub(r"[ ]{2,}", " ", s)
    return re.sub(r" ([,.;:?!)])", r"\1", s)
