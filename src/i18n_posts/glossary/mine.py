"""Glossary mining: posts -> candidate terms that the glossary does not cover yet.

Only translatable text is mined: each post goes through the `Segmenter` and only the
`source_segments` of its units are read, so code, URLs, markup and untranslated
attributes never yield a candidate. Three kinds of candidates:

- **gloss**: an inline gloss, `中文（English）`, `中文(English)` or `English（中文）`; the
  English part is the suggestion. The Chinese part is what follows the last function
  word before the bracket (`加入飞桨核心框架贡献者俱乐部（PFCC）` -> 飞桨核心框架贡献者俱乐部).
- **ngram**: a frequent run of 2-8 Han characters that looks like a name. Kept only if it
  has no punctuation or digits; does not start or end with a function word or particle
  (`_FUNCTION`, `_START`, `_END`); is not mostly function words; is not made only of
  everyday words (`_COMMON`: 开源项目 goes); has varied neighbours, an effective number
  (exp of the entropy) of at least 2.5 on each side, so that fragments such as 发工 (from
  开发工作, 研发工程师) go; is maximal: dropped when a kept n-gram one character wider occurs
  at least 80% as often (the rule "equal counts", loosened so that a name nearly always
  written in full wins) or any wider n-gram 95% as often; and is not another candidate or
  glossary term plus everyday words (注意力计算, 飞桨研发).
- **latin**: a frequent Latin name (CamelCase, acronym, letters with digits, a Capitalized
  word not usually written in lower case, an @handle), alone or as 2-3 such words in a
  row (`AI Studio`), seen in at least two posts; proposed as dnt.

Whatever the glossary covers is left out: a candidate that one term or alias matches
whole, that glossary matches cover entirely, or that is part of a glossary form (for
Latin candidates: whole words of it). Results are sorted by count, then posts, then term.
`mine` is pure; `extract_candidates` reads the posts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import Glossary

CandidateKind = Literal["gloss", "ngram", "latin"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_AFTER_DIGIT = re.compile(r"[0-9][ \t]*$")
_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*"
_LATIN_RUN = re.compile(rf"(?<![A-Za-z0-9_@.+-])@?{_WORD}(?: {_WORD})*(?![A-Za-z0-9_@+-])")
_ZH_EN = re.compile(rf"([{_HAN}]{{2,}})[ \t]*[（(][ \t]*([A-Za-z][A-Za-z0-9 .&'+/-]{{0,60}}?)[ \t]*[）)]")
_EN_ZH = re.compile(rf"((?:{_WORD} ){{0,3}}{_WORD})[ \t]*[（(][ \t]*([{_HAN}]{{2,16}})[ \t]*[）)]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_MAX_N = 8
_MAX_LATIN = 3
_MAXIMAL, _FRAGMENT, _VARIETY = 0.8, 0.95, 2.5

# Function words, pronouns, conjunctions, adverbs, light verbs: never at the edge of a name.
from ._zh_words import (  # noqa: E402
    _COMMON,
    _CUT,
    _END,
    _FUNCTION,
    _GLUE,
    _INSIDE,
    _LATIN_STOP,
    _MEASURE,
    _NUMERALS,
    _START,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A term found in the posts that the glossary does not cover."""

    term: str
    """The source form, as written in the posts."""
    count: int
    """Occurrences in the translatable text of all posts."""
    posts: int
    """How many posts it occurs in."""
    example: str
    """A short piece of a sentence around one occurrence."""
    kind: CandidateKind
    """gloss (glossed inline), ngram (frequent Han n-gram) or latin (a name to keep as is)."""
    suggestion: str = ""
    """The target form: the English of an inline gloss, the term itself for latin, else ""."""


def extract_candidates(
    posts: list[Path], glossary: Glossary, min_count: int = 3, limit: int = 200
) -> list[Candidate]:
    """Mine `posts` for terms missing from `glossary`, most frequent first (at most `limit`).
    Raises `LoadError` for a file that is not a post."""
    from ..load import load_post  # noqa: PLC0415
    from ..segment import Segmenter  # noqa: PLC0415

    segmenter = Segmenter()
    texts = [[s for u in segmenter.segment(load_post(p)).units for s in u.source_segments] for p in posts]
    return mine(texts, glossary, min_count, limit)


def mine(
    texts: Sequence[Sequence[str]], glossary: Glossary, min_count: int = 3, limit: int = 200
) -> list[Candidate]:
    """The candidates in `texts` (for each post, its plain-text segments), most frequent first."""
    covered = _Coverage(glossary)
    floor = max(min_count, 1)
    found: dict[str, tuple[CandidateKind, int, int, str]] = {}  # term -> kind, count, posts, suggestion
    ngrams = _ngrams(texts, floor, covered)
    known = set(ngrams) | {f for f in covered.forms if _HAN_RUN.fullmatch(f)}
    for term, (count, posts) in ngrams.items():
        if not _splits(term, known):  # 注意力计算 is 注意力 + 计算; 飞桨研发 is 飞桨 + 研发
            found[term] = ("ngram", count, posts, "")
    for term, (count, posts) in _latin(texts, floor, covered).items():
        found[term] = ("latin", count, posts, term)
    joined = ["\n".join(segs) for segs in texts]
    for zh, en in _glosses(texts, covered).items():
        counts = [j.count(zh) for j in joined]
        if sum(counts) >= floor and not _splits(zh, known):
            found[zh] = ("gloss", sum(counts), sum(1 for c in counts if c), en)
    order = sorted(found.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0]))[: max(limit, 0)]
    return [
        Candidate(term, count, n_posts, _example(joined, term), kind, suggestion)
        for term, (kind, count, n_posts, suggestion) in order
    ]


class _Coverage:
    """Whether the glossary already covers a candidate."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.forms = [f for t in glossary.terms for f in (t.source, *t.aliases)]
        self.folded = "\n".join(f.casefold() for f in self.forms)

    def __call__(self, text: str) -> bool:
        pos = 0
        matches = self.glossary.find(text)
        for m in matches:
            if text[pos : m.start].strip():
                break
            pos = m.end
        else:
            if matches and not text[pos:].strip():
                return True  # one term, or terms side by side
        if _HAN_RUN.search(text):
            return any(text in f for f in self.forms)
        word = rf"(?<![A-Za-z0-9_]){re.escape(text.casefold())}(?![A-Za-z0-9_])"
        return re.search(word, self.folded) is not None

    def ends_with_term(self, text: str) -> bool:
        return any(m.end == len(text) for m in self.glossary.find(text))


# -- Han n-grams ---------------------------------------------------------------------------------
def _runs(seg: str) -> Iterator[str]:
    """The Han runs of a segment, without the measure word after a number (3 个月 -> 月)."""
    for m in _HAN_RUN.finditer(seg):
        run = m.group()
        if _AFTER_DIGIT.search(seg, 0, m.start()):
            run = run[1:] if run[0] in _MEASURE else run
        yield run


def _ngrams(texts: Sequence[Sequence[str]], floor: int, covered: _Coverage) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for run in _runs(seg):
                n = len(run)
                for k in range(2, min(_MAX_N + 1, n) + 1):  # one wider than kept, to see the neighbours
                    here.update(run[i : i + k] for i in range(n - k + 1))
        counts.update(here)
        posts.update(here.keys())
    keep = {g: c for g, c in counts.items() if c >= floor and len(g) <= _MAX_N and _name_like(g)}
    wider: dict[str, tuple[list[int], list[int]]] = {}  # g -> counts of the n-grams one wider, left / right
    kept_wider: Counter[str] = Counter()
    for g, c in counts.items():
        if len(g) < 3:
            continue
        for part, side in ((g[1:], 0), (g[:-1], 1)):
            if part in keep:
                wider.setdefault(part, ([], []))[side].append(c)
                if g in keep:
                    kept_wider[part] = max(kept_wider[part], c)
    out = {}
    for g, c in keep.items():
        left, right = wider.get(g, ([], []))
        if kept_wider[g] >= c * _MAXIMAL or max(left + right, default=0) >= c * _FRAGMENT:
            continue
        if min(_variety(left, c), _variety(right, c)) < min(_VARIETY, 0.6 * c):
            continue
        if not covered(g):
            out[g] = (c, posts[g])
    return out


def _variety(neighbours: list[int], count: int) -> float:
    """The effective number of different neighbours on one side (exp of the entropy); each
    occurrence at the edge of a run counts as a neighbour of its own."""
    edge = max(count - sum(neighbours), 0)
    total = sum(neighbours) + edge
    h = -sum(n / total * math.log(n / total) for n in neighbours if n)
    h += edge * (1 / total) * math.log(total) if total else 0.0
    return math.exp(h)


def _name_like(g: str) -> bool:
    """A Han string that could be a name or a term rather than a phrase or an everyday word."""
    if (
        g[0] in _START
        or g[-1] in _END
        or g[0] in _NUMERALS
        or g[-1] in _NUMERALS
        or "第" in g
        or any(ch in _INSIDE for ch in g)
    ):
        return False
    n = len(g)
    function = [False] * n
    for i in range(n):
        for k in (4, 3, 2):
            if i + k <= n and g[i : i + k] in _FUNCTION:
                if i == 0 or i + k == n:
                    return False
                function[i : i + k] = [True] * k
    return sum(function) * 2 < n and not _splits(g)


def _splits(g: str, known: Container[str] = frozenset()) -> bool:
    """Whether `g` is a row of everyday words and `known` words other than itself (glue
    particles allowed between them): a phrase, not a name of its own."""
    n = len(g)
    reach = [True] + [False] * n
    for i in range(n):
        if not reach[i]:
            continue
        for k in range(2, min(_MAX_N, n - i) + 1):
            w = g[i : i + k]
            if w in _COMMON or w in _FUNCTION or (w != g and w in known):
                reach[i + k] = True
        if 0 < i < n - 1 and g[i] in _GLUE:
            reach[i + 1] = True
    return reach[n]


# -- Latin names ---------------------------------------------------------------------------------
def _latin(texts: Sequence[Sequence[str]], floor: int, covered: _Coverage) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    lower: Counter[str] = Counter()  # single words written all in lower case
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for m in _LATIN_RUN.finditer(seg):
                words = m.group().split(" ")
                for w in words:
                    if w.islower():
                        lower[w] += 1
                for i in range(len(words)):
                    for k in range(1, _MAX_LATIN + 1):
                        name = words[i : i + k]
                        if len(name) < k or not all(_latin_name_like(w) or _acronym(w) for w in name):
                            break
                        if any(map(_latin_name_like, name)):  # AI Studio, not AI alone
                            here[" ".join(name).casefold()] += 1
                            spellings[" ".join(name)] += 1
        counts.update(here)
        posts.update(here.keys())
    best: dict[str, str] = {}
    for spelling, _ in spellings.most_common():
        best.setdefault(spelling.casefold(), spelling)
    for key in [k for k in counts if k.endswith("s") and _acronym(best.get(k[:-1], ""))]:
        counts[key[:-1]] += counts.pop(key)  # LLMs is LLM
        posts[key[:-1]] = max(posts[key[:-1]], posts[key])
    # a Capitalized word that is also written in lower case is a word, not a name (Attention, Model)
    keep = {
        key: c
        for key, c in counts.items()
        if c >= floor and posts[key] >= 2 and not (_capitalized(best[key]) and lower[key] * 4 >= c)
    }
    longest: Counter[str] = Counter()
    for key, c in keep.items():
        words = key.split(" ")
        for part in (words[1:], words[:-1]):
            if part:
                longest[" ".join(part)] = max(longest[" ".join(part)], c)
    return {
        best[key]: (c, posts[key])
        for key, c in keep.items()
        if longest[key] < c * _MAXIMAL and not covered(best[key])
    }


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _capitalized(word: str) -> bool:
    return " " not in word and word[:1].isupper() and word[1:].islower() and word[1:].isalpha()


def _latin_name_like(tok: str) -> bool:
    if tok.startswith("@"):
        return len(tok) > 2
    if len(tok) < 2 or tok.casefold() in _LATIN_STOP:
        return False
    return tok[0].isupper() or any(ch.isupper() or ch.isdigit() for ch in tok[1:])


# -- inline glosses ------------------------------------------------------------------------------
def _glosses(texts: Sequence[Sequence[str]], covered: _Coverage) -> dict[str, str]:
    """Han form -> its most frequent English gloss."""
    seen: dict[str, Counter[str]] = {}
    for segs in texts:
        for seg in segs:
            for m in _ZH_EN.finditer(seg):
                zh, en = _gloss_han(m.group(1)), m.group(2).strip()
                if zh and _gloss_english(en) and not covered.ends_with_term(zh) and not covered(zh):
                    seen.setdefault(zh, Counter())[en] += 1
            for m in _EN_ZH.finditer(seg):
                words = m.group(1).split(" ")
                while words and words[0].casefold() in _LATIN_STOP:
                    words.pop(0)
                zh = m.group(2)
                if words and _name_like(zh) and not covered(zh):
                    seen.setdefault(zh, Counter())[" ".join(words)] += 1
    return {zh: c.most_common(1)[0][0] for zh, c in seen.items()}


def _gloss_english(en: str) -> bool:
    """Looks like a translation: one name, or words of which one is an ordinary word (not
    `A100 GPU`, a remark in brackets)."""
    words = en.split()
    if len(words) == 1:
        return any(ch.isalpha() for ch in en)
    return len(words) <= 8 and any(w.isalpha() and len(w) >= 3 and not w.isupper() for w in words)


def _gloss_han(run: str) -> str:
    """The end of a Han run that a following gloss is about: after the last function word."""
    cut = 0
    for i in range(len(run)):
        if run[i] in _CUT or run[i] in _NUMERALS:
            cut = i + 1
        for k in (4, 3, 2):
            if run[i : i + k] in _FUNCTION:
                cut = max(cut, i + k)
    zh = run[cut:]
    return zh if 2 <= len(zh) <= 16 and _name_like(zh) else ""


# -- output --------------------------------------------------------------------------------------
def _example(joined: Sequence[str], term: str, width: int = 30) -> str:
    """The sentence around the first occurrence of `term`, cut to about 2 * width characters."""
    if _HAN_RUN.search(term):
        pattern = re.compile(re.escape(term))
    else:
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(term)}(?![A-Za-z0-9_])")
    for text in joined:
        found = pattern.search(text)
        if found is None:
            continue
        i = found.start()
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, i)]
        a = max(starts[-1] if starts else 0, i - width)
        m = _SENTENCE_END.search(text, i + len(term))
        b = min(m.end() if m and m.group() != "\n" else m.start() if m else len(text), i + len(term) + width)
        cut = a > 0 and not _SENTENCE_END.match(text[a - 1])
        return ("…" if cut else "") + text[a:b].strip().lstrip("：:，,、；;）)").lstrip()
    return ""


def to_tsv(cands: Sequence[Candidate]) -> str:
    """Candidates as tab-separated values with a header row (tabs and newlines in values become spaces)."""
    rows = ["term\tcount\tposts\tkind\tsuggestion\texample"]
    for c in cands:
        cells = [c.term, str(c.count), str(c.posts), c.kind, c.suggestion, c.example]
        rows.append("\t".join(re.sub(r"\s*[\t\r\n]+\s*", " ", x) for x in cells))
    return "\n".join(rows) + "\n"


def to_yaml(cands: Sequence[Candidate], source_locale: str = "zh", target_locale: str = "en") -> str:
    """Candidates as a `terms:` list in the glossary format, to review and paste."""
    lines = ["terms:"]
    for c in cands:
        lines.append(f"  - {source_locale}: {_scalar(c.term)}")
        if c.kind == "latin":
            lines.append("    dnt: true")
        elif c.suggestion:
            lines.append(f"    {target_locale}: {_scalar(c.suggestion)}")
        else:
            lines.append(f'    {target_locale}: ""  # TODO')
        posts = f"{c.posts} post" + ("" if c.posts == 1 else "s")
        note = f"candidate: {c.count} occurrences in {posts}; e.g. {c.example}"
        lines.append(f"    note: {_scalar(note, plain=False)}")
    return "\n".join(lines) + "\n"


def _scalar(value: str, plain: bool = True) -> str:
    """`value` as a YAML scalar: plain when that reads back as the same string, else double-quoted."""
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    if plain and re.fullmatch(rf"[\w{_HAN}][\w{_HAN} .+-]*", value) and value == value.strip():
        if yaml.safe_load(value) == value:
            return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
