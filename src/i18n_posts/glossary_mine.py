"""Glossary mining: posts -> candidate terms that the glossary does not cover yet.

Only translatable text is mined: each post goes through the `Segmenter` and only the
`source_segments` of its units are read, so code, URLs, markup and the attributes that
are not translated never yield a candidate. Three kinds of candidates:

- **gloss**: an inline gloss in the prose, `中文（English）`, `中文(English)` or
  `English（中文）`; the English part becomes the suggestion.
- **ngram**: a frequent run of 2-8 Han characters that looks like a name: it has no
  punctuation or digits, does not start or end with a function word or particle, is not
  mostly made of function words, and is maximal (an n-gram is dropped when a longer
  surviving n-gram containing it occurs as often).
- **latin**: a frequent Latin token that looks like a name (CamelCase, an acronym, letters
  with digits, a Capitalized word, an @handle), seen in at least two posts; a dnt suggestion.

Whatever the glossary covers is left out: a candidate that one term or alias matches
whole, that glossary matches cover entirely, or that is part of a glossary form (for
Latin candidates: a whole word of it). `mine` is pure; `extract_candidates` reads posts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .glossary import Glossary

CandidateKind = Literal["gloss", "ngram", "latin"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*"
_LATIN = re.compile(rf"(?<![A-Za-z0-9_@.+-])@?{_LATIN_WORD}(?![A-Za-z0-9_@+-])")
_ZH_EN = re.compile(rf"([{_HAN}]{{2,}})[ \t]*[（(][ \t]*([A-Za-z][A-Za-z0-9 .&'+/-]{{0,60}}?)[ \t]*[）)]")
_EN_ZH = re.compile(rf"((?:{_LATIN_WORD} ){{0,3}}{_LATIN_WORD})[ \t]*[（(][ \t]*([{_HAN}]{{2,16}})[ \t]*[）)]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NUMERALS = frozenset("〇一二三四五六七八九十百千万亿两几第")
_MAX_N = 8

# Function words, pronouns, conjunctions, adverbs and light verbs, plus a few generic nouns
# that never make a glossary entry by themselves. A name does not start or end with one.
_FUNCTION_WORDS = frozenset("""
我们 你们 他们 她们 它们 咱们 大家 自己 自身 本身 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里 这次
这是 那是 这位 一个 一些 一下 一种 一点 一起 一直 一定 一样 一次 一位 一名 一项 一步 一方面 一般 可以 可能
能够 需要 应该 必须 已经 正在 还是 还有 就是 也是 都是 不是 没有 不会 不能 不同 不断 不仅 而且 并且 或者 以及
因为 所以 但是 然而 如果 虽然 即使 只要 只有 由于 因此 同时 然后 之后 之前 之间 之一 之中 以后 以前 以上
以下 以来 其中 其他 其它 其实 什么 怎么 怎样 如何 为什么 为了 关于 对于 通过 进行 使用 利用 采用 基于 根据
按照 包括 包含 作为 成为 属于 具有 目前 现在 当时 当前 时候 时间 非常 十分 特别 比较 更加 最后 首先 其次
另外 此外 例如 比如 很多 许多 所有 每个 各种 各个 这么 那么 多么 曾经 还要 就会 也会 都会 觉得 认为 希望
感觉 知道 发现 看到 出现 开始 继续 来说 的话 方面 部分 过程 问题 情况 方式 方法 东西 事情 内容 相关 主要
重要 真正 真的 确实 当然 尤其 甚至 几乎 总是 往往 经常 有些 有的 有点 只是 不过 否则 从而 进而 于是 并不
依然 仍然 即可 等等 之类 左右 上面 下面 里面 前面 后面 中间 当中 一些 如此 这一 那一 所以 大量 更多 很大
提供 支持 实现 完成 参与 参加 加入 添加 引入 举办 开展 带来 带领 帮助 负责 称为 叫做 得到 获得 取得 感谢
同学 老师 小伙伴 朋友 我们的 如下 以下 如图 下图 上图 所示 本文 本次 本期 今年 去年 明年 今天 最近 未来
""".split())
_START_CHARS = frozenset("的了是在和与及或而但并也都就还又很太更最让把被给对从向往于以之其这那哪每各该此些吗呢吧啊呀哦嘛着过得将再才只即若且所虽等为由我你他她它您")
_END_CHARS = frozenset("的了是在和与及或而但并也都就还又很太更最让把被给对从向往于以之其这那哪每各该此吗呢吧啊呀哦嘛着过得将要个些们再才只即若且等为由我你他她它您")
_LATIN_STOP = frozenset("""
a an the and or of to in on for with by is are be as at it this that from i we you pr prs ai api apis gpu gpus
cpu cpus ok id ids url urls qa faq demo todo tips step note
""".split())


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
    """The target form from an inline gloss (or the term itself for latin), else ""."""


def extract_candidates(posts: list[Path], glossary: Glossary, min_count: int = 3,
                       limit: int = 200) -> list[Candidate]:
    """Mine `posts` for terms missing from `glossary`, most frequent first (at most `limit`).
    Raises `LoadError` for a file that is not a post."""
    from .load import load_post  # noqa: PLC0415
    from .segment import Segmenter  # noqa: PLC0415

    segmenter = Segmenter()
    texts = [[s for u in segmenter.segment(load_post(p)).units for s in u.source_segments] for p in posts]
    return mine(texts, glossary, min_count, limit)


def mine(texts: Sequence[Sequence[str]], glossary: Glossary, min_count: int = 3,
         limit: int = 200) -> list[Candidate]:
    """The candidates in `texts` (per post, its plain-text segments), most frequent first."""
    covered = _Coverage(glossary)
    found: dict[str, tuple[CandidateKind, int, int, str]] = {}  # term -> kind, count, posts, suggestion
    for term, (count, posts) in _ngrams(texts, min_count, covered).items():
        found[term] = ("ngram", count, posts, "")
    for term, (count, posts, spelling) in _latin(texts, min_count, covered).items():
        found[term] = ("latin", count, posts, spelling)
    glosses = _glosses(texts, covered)
    joined = ["\n".join(segs) for segs in texts]
    for zh, en in glosses.items():
        counts = [j.count(zh) for j in joined]
        count, n_posts = sum(counts), sum(1 for c in counts if c)
        if count >= min_count:
            found[zh] = ("gloss", count, n_posts, en)
    order = sorted(found.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0]))[: max(limit, 0)]
    return [Candidate(term, count, n_posts, _example(joined, term), kind, suggestion)
            for term, (kind, count, n_posts, suggestion) in order]


class _Coverage:
    """Whether the glossary already covers a candidate."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.forms = [f for t in glossary.terms for f in (t.source, *t.aliases)]
        self.folded = "\n".join(f.casefold() for f in self.forms)

    def __call__(self, text: str) -> bool:
        spans = [(m.start, m.end) for m in self.glossary.find(text)]
        pos = 0
        for a, b in spans:
            if a > pos and text[pos:a].strip():
                break
            pos = max(pos, b)
        else:
            if spans and not text[pos:].strip():
                return True  # one term, or terms side by side
        if _HAN_RUN.search(text):
            return any(text in f for f in self.forms)
        word = rf"(?<![A-Za-z0-9_]){re.escape(text.casefold())}(?![A-Za-z0-9_])"
        return re.search(word, self.folded) is not None


def _ngrams(texts: Sequence[Sequence[str]], min_count: int, covered: _Coverage) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for m in _HAN_RUN.finditer(seg):
                run, n = m.group(), m.end() - m.start()
                for k in range(2, min(_MAX_N, n) + 1):
                    here.update(run[i : i + k] for i in range(n - k + 1))
        counts.update(here)
        posts.update(here.keys())
    keep = {g: c for g, c in counts.items() if c >= max(min_count, 1) and _name_like(g)}
    # maximal: a longer kept n-gram one character wider with the same count makes this one redundant
    wider: dict[str, int] = {}
    for g, c in keep.items():
        for part in (g[1:], g[:-1]):
            if len(part) >= 2:
                wider[part] = max(wider.get(part, 0), c)
    return {g: (c, posts[g]) for g, c in keep.items() if wider.get(g, 0) < c and not covered(g)}


def _name_like(g: str) -> bool:
    """A Han n-gram that could be a name or a term rather than a phrase."""
    if g[0] in _START_CHARS or g[-1] in _END_CHARS or g[0] in _NUMERALS or "第" in g:
        return False
    hit = [False] * len(g)
    for i in range(len(g)):
        for k in (4, 3, 2):
            if g[i : i + k] in _FUNCTION_WORDS:
                if i == 0 or i + k == len(g):
                    return False
                hit[i : i + k] = [True] * k
    return sum(hit) * 2 < len(g)


def _latin(texts: Sequence[Sequence[str]], min_count: int,
           covered: _Coverage) -> dict[str, tuple[int, int, str]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for m in _LATIN.finditer(seg):
                tok = m.group()
                if _latin_name_like(tok):
                    here[tok.casefold()] += 1
                    spellings[tok] += 1
        counts.update(here)
        posts.update(here.keys())
    best: dict[str, str] = {}
    for spelling, _ in spellings.most_common():
        best.setdefault(spelling.casefold(), spelling)
    out = {}
    for key, c in counts.items():
        if c >= min_count and posts[key] >= 2 and not covered(best[key]):
            out[best[key]] = (c, posts[key], best[key])
    return out


def _latin_name_like(tok: str) -> bool:
    if tok.startswith("@"):
        return len(tok) > 2
    if len(tok) < 2 or tok.casefold() in _LATIN_STOP:
        return False
    return tok[0].isupper() or any(ch.isupper() for ch in tok[1:]) or any(ch.isdigit() for ch in tok)


def _glosses(texts: Sequence[Sequence[str]], covered: _Coverage) -> dict[str, str]:
    """Han form -> its most frequent English gloss."""
    seen: dict[str, Counter[str]] = {}
    for segs in texts:
        for seg in segs:
            for m in _ZH_EN.finditer(seg):
                zh, en = _trim_han(m.group(1)), m.group(2).strip()
                if zh and _gloss_english(en) and not covered(zh) and not _ends_with_term(covered, zh):
                    seen.setdefault(zh, Counter())[en] += 1
            for m in _EN_ZH.finditer(seg):
                en, zh = _trim_latin(m.group(1)), m.group(2)
                if en and _name_like(zh) and not covered(zh):
                    seen.setdefault(zh, Counter())[en] += 1
    return {zh: c.most_common(1)[0][0] for zh, c in seen.items()}


def _trim_han(run: str) -> str:
    """The part of a Han run before a gloss that the gloss is about: what follows the last
    function word, particle or numeral."""
    cut = 0
    for i in range(len(run)):
        if run[i] in _START_CHARS or run[i] in _END_CHARS or run[i] in _NUMERALS:
            cut = i + 1
        for k in (4, 3, 2):
            if run[i : i + k] in _FUNCTION_WORDS:
                cut = max(cut, i + k)
    zh = run[cut:]
    return zh if 2 <= len(zh) <= 16 else ""


def _ends_with_term(covered: _Coverage, zh: str) -> bool:
    """A glossary term right before the bracket: the gloss is most likely about it."""
    return any(m.end == len(zh) for m in covered.glossary.find(zh))


def _gloss_english(en: str) -> bool:
    words = en.split()
    return bool(words) and len(words) <= 8 and any(ch.isalpha() for ch in en)


def _trim_latin(run: str) -> str:
    words = run.split(" ")
    while words and words[0].casefold() in _LATIN_STOP:
        words.pop(0)
    return " ".join(words)


def _example(joined: Sequence[str], term: str, width: int = 30) -> str:
    """The sentence around the first occurrence of `term`, cut to about 2 * width characters."""
    for text in joined:
        i = text.find(term)
        if i < 0:
            continue
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, i)]
        a = starts[-1] if starts else 0
        m = _SENTENCE_END.search(text, i + len(term))
        b = m.end() if m and m.group() != "\n" else (m.start() if m else len(text))
        a, b = max(a, i - width), min(b, i + len(term) + width)
        return ("…" if a > 0 and text[a - 1] != "\n" and not _SENTENCE_END.match(text[a - 1]) else "") + \
            text[a:b].strip()
    return ""


def to_tsv(cands: Sequence[Candidate]) -> str:
    """Candidates as tab-separated values with a header row (tabs and newlines in values become spaces)."""
    rows = ["term\tcount\tposts\tkind\tsuggestion\texample"]
    for c in cands:
        cells = [c.term, str(c.count), str(c.posts), c.kind, c.suggestion, c.example]
        rows.append("\t".join(re.sub(r"[\t\r\n]+", " ", x) for x in cells))
    return "\n".join(rows) + "\n"


def to_yaml(cands: Sequence[Candidate], source_locale: str = "zh", target_locale: str = "en") -> str:
    """Candidates as a `terms:` list in the glossary format, to review and paste."""
    lines = ["terms:"]
    for c in cands:
        lines.append(f"  - {source_locale}: {_quote(c.term)}")
        if c.kind == "latin":
            lines.append("    dnt: true")
        elif c.suggestion:
            lines.append(f"    {target_locale}: {_quote(c.suggestion)}")
        else:
            lines.append(f'    {target_locale}: ""  # TODO')
        posts = f"{c.posts} post" + ("" if c.posts == 1 else "s")
        note = f"candidate: {c.count} occurrences in {posts}; e.g. {c.example}"
        lines.append(f"    note: {_quote(note, always=True)}")
    return "\n".join(lines) + "\n"


def _quote(value: str, always: bool = False) -> str:
    """`value` as a YAML scalar: plain when that reads back as the same string, else double-quoted."""
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    if not always and re.fullmatch(rf"[\w{_HAN}][\w{_HAN} .+-]*", value) and value == value.strip():
        if yaml.safe_load(value) == value:
            return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
