"""Checks that catch a wrong translation, not only a broken one (part of stage 5, check).

A weak model's answers can be well-formed and still wrong: another unit's sentence under
this unit's id, a sentence cut off, Chinese left in the middle of English, a maintainer's
glossary note copied into the text. Each check here has the shape of every check,
`(unit, text, context) -> Iterable[Issue]`, and was measured on the human reference
translation of the example (it must accept all of it: `tests/test_fidelity.py`) and on a
real model's answers (`bench/README.md`). Like `check.check_translated`, they hold real
translators only (`CheckContext.source_script` set): previews and test doubles that only
mark a text are not translations.

* **carry**: what translation cannot change comes back: every number, Latin-script word of
  two letters or more (names, products, code words; any case), emoji and URL of the source
  text appears in the answer. Tolerance: a number may be reformatted (`10000` -> `10,000`),
  a number of 1 to 12 may be written out (`3` may become "three" or, before 月, a month's
  name), and a few Latin words have English words of their own (PPT -> slides).
* **length**: an answer much shorter or longer than expected (another unit's text, or a
  sentence cut short, or invented content). Expected English length: 3.5 characters per
  Han character plus the other characters as they are; the answer must be within 0.25x to
  3x of that, for units of 12 Han characters or more (the reference: 0.89x to 1.55x; the
  lower bound leaves room for the test servers' one letter per Han character).
* **ending**: a source that ends a sentence (。！？…) needs an answer that ends one; quotes
  and brackets balanced in the source stay balanced.
* **han**: any Han character left in the answer is refused (outside the glossary's target
  forms), not only a majority of them (`check.check_translated`).
* **note**: text of a glossary note (meant for maintainers) never appears in an answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

from .glossary import Glossary
from .model import TAG, Issue, Unit


class CheckContext(Protocol):
    """What these checks read of `check.CheckContext` (declared here: check.py imports this module)."""

    glossary: Glossary
    source_script: re.Pattern[str] | None


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9+#]*(?:[._-][A-Za-z0-9+#]+)*")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55]")
_URL = re.compile(r"https?://[^\s<>()\"'，。）]+")
_ENDS = "。！？!?…～~.;；"
_TRAILING = " \t\n\"'”’」』)）]】》*_`\ufe0f" + "".join(chr(c) for c in range(0x1F300, 0x1FB00))
_PAIRS = (("(", ")"), ("“", "”"), ("[", "]"))
_ENGLISH_FOR = {"ppt": ("slide", "presentation", "powerpoint", "deck"), "app": ("application",)}
"""Latin words Chinese text uses where English has a word of its own (the reference: PPT -> slides)."""
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月日号]")
_SENTENCE_END = re.compile(r"[.!?…~:;)\]\"'”’]$")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", TAG.sub(" ", text))


def check_carried(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """Numbers, Latin-script words, emoji and URLs of the source are in the answer."""
    if ctx.source_script is None:  # a preview backend (pseudo, identity) translates nothing
        return
    src, out = _plain(unit.text), _plain(text)
    missing: list[str] = []
    out_numbers = {n.replace(",", "") for n in _NUMBER.findall(out)}
    small_ok = {m.group(1) for m in _MONTH_DAY.finditer(src)}
    for n in dict.fromkeys(_NUMBER.findall(src)):
        key = n.replace(",", "")
        if key in out_numbers:
            continue
        if key.isdigit() and (int(key) <= 12 or key in small_ok):
            continue  # may be written out ("three", "March")
        missing.append(n)
    low = out.lower()
    squeezed = re.sub(r"[\s_-]+", "", low)  # PullRequest -> "Pull Request"
    out_words = {w.lower() for w in _LATIN.findall(out)}
    for w in dict.fromkeys(_LATIN.findall(src)):
        if len(w) < 2 or w.lower() in out_words or w.lower() in low or w.lower() in squeezed:
            continue
        if any(e in low for e in _ENGLISH_FOR.get(w.lower(), ())):
            continue
        missing.append(w)
    missing += [e for e in dict.fromkeys(_EMOJI.findall(src)) if e not in out]
    missing += [u for u in dict.fromkeys(_URL.findall(src)) if u not in out]
    if missing:
        shown = ", ".join(missing[:5]) + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else "")
        yield Issue(unit.id, "carry", f"the answer lost what translation keeps: {shown}", unit.line)


def check_length(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """An answer of about the length the source leads one to expect."""
    if ctx.source_script is None:  # a preview backend (pseudo, identity) translates nothing
        return
    src = TAG.sub("", unit.text)
    han = sum(len(m) for m in _HAN.findall(src))
    if han < 12:
        return
    expected = 3.5 * han + (len(src) - han)
    got = len(TAG.sub("", text))
    if got < 0.25 * expected:
        yield Issue(unit.id, "length", "the answer is far shorter than the source (cut off?)", unit.line)
    elif got > 3 * expected:
        yield Issue(unit.id, "length", "the answer is far longer than the source (added text?)", unit.line)


def check_ending(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """A sentence of the source ends as a sentence; brackets and quotes stay balanced."""
    if ctx.source_script is None:  # a preview backend (pseudo, identity) translates nothing
        return
    src = TAG.sub("", unit.text).rstrip(_TRAILING)
    out = TAG.sub("", text).rstrip(_TRAILING)
    if src and src[-1] in _ENDS and out and not _SENTENCE_END.search(out) and not _HAN.search(out[-1]):
        yield Issue(unit.id, "ending", "the answer stops mid-sentence where the source ends one", unit.line)
    s = unicodedata.normalize("NFKC", TAG.sub("", unit.text))
    t = TAG.sub("", text)
    for a, b in _PAIRS:
        if s.count(a) == s.count(b) and t.count(a) != t.count(b):
            yield Issue(unit.id, "ending", f"the answer opens and closes {a}{b} unevenly", unit.line)
            return
    if s.count('"') % 2 == 0 and (s.count("“") == s.count("”")) and t.count('"') % 2:
        yield Issue(unit.id, "ending", 'the answer has an unpaired "', unit.line)


def han_left(unit: Unit, text: str, glossary: Glossary) -> list[str]:
    """The runs of Han characters left in `text`, the translation of `unit`, outside the
    target forms of the glossary's terms in the unit (a retry writes them in: translate.py)."""
    left = _HAN.findall(TAG.sub(" ", text))
    if not left:
        return []
    allowed = [t.target for t in glossary.terms_in(unit.source_segments)]
    return [run for run in left if not any(run in a for a in allowed)]


def check_han_left(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """No Han character left in the answer, except in the glossary's target forms."""
    if ctx.source_script is None:
        return
    left = han_left(unit, text, ctx.glossary)
    if left:
        shown = " ".join(dict.fromkeys(left[:5]))
        yield Issue(unit.id, "untranslated", f"Chinese left in the answer: {shown}", unit.line)


_NOTE_PARTS = re.compile(r"[;,.()\"“”]+")
_MAINTAINERS = re.compile(r"proposed|tsv|github|@|corpus|seed|slug|readme|pfcclab|/", re.I)
"""Words of a note that only maintainers write (where a form comes from, who is who)."""
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
"""Quoted parts of a note are renderings to use ('ERNIE, as Baidu's core AI capability'):
an answer may well contain them; the rest (where a form comes from, GitHub handles, what is
proposed) is for maintainers."""


def check_notes(unit: Unit, text: str, ctx: CheckContext) -> Iterable[Issue]:
    """No text of a glossary note (for maintainers) in the answer."""
    terms = [t for t in ctx.glossary.terms_in(unit.source_segments) if t.note]
    if not terms:
        return
    low, src = text.lower(), unit.text.lower()
    for t in terms:
        for part in _NOTE_PARTS.split(_QUOTED.sub(";", t.note)):
            part = part.strip().lower()
            if (
                len(part) >= 12
                and (len(part) >= 30 or _MAINTAINERS.search(part))
                and part in low
                and part not in src
            ):
                yield Issue(
                    unit.id, "glossary", f"the answer copies the glossary note of {t.source}", unit.line
                )
                return


FIDELITY_CHECKS = (check_carried, check_length, check_ending, check_han_left, check_notes)
