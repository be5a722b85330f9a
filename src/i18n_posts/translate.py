"""Stage 4, translate: a `SegmentedPost` -> validated translations and the issues left.

Units go to the backend in batches, in document order, under a size budget, with the
post's title, a short running context and the glossary terms that occur in the batch.
Placeholders are renumbered across the batch, so a text returned under the wrong id
cannot pass. Every answer is checked (`check.py`); units that fail are sent again
(only those, in batches half as large each round, with a hint naming what the answer got
wrong) up to `retries` times; a retry shows the text in the form that helps (`_Forms`: missed
glossary terms and words an answer left in the source language written in). One
`Translator` a target locale (its options, its glossary); all of them send through the
run's one `Runner` (slots, budgets, the failure streak that stops the run:
`backends/runner.py`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .backends import Backend, BatchRequest, GlossaryHint, RequestUnit
from .backends.runner import Runner, RunOptions
from .check import CheckContext, check_unit
from .check_fidelity import han_left
from .glossary import Glossary, Match, Term
from .locales import source_script
from .model import TAG, Issue, Placeholder, SegmentedPost, Unit


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """How to translate into one locale."""

    source_locale: str = "zh"
    """The source locale code as configured (`zh`, `zh-CN`, ...)."""
    target_locale: str = "en"
    """The target locale code as configured (`en`, `en-US`, `ja`, ...): what the backend is asked for."""
    retries: int = 2
    """How many times a failing unit is sent again."""
    batch_chars: int = 6000
    """Budget of a batch, in characters of unit text."""
    context_chars: int = 200
    """Characters of the preceding text sent with a batch as context."""
    glossary_mode: str = "fail"
    """A unit that still misses a glossary term after its retries: `fail` (the post is not
    written) or `warn` (the translation is kept and a warning reported)."""
    on_unit_failure: str = "fail"
    """A unit that still fails after its retries (and after `glossary_mode`): `fail` (the post
    is not written) or `keep-source` (the post is written with that unit in the source
    language, the unit is not stored in the memory, so the next run sends it again, and it
    is reported: `Translator.kept_source`)."""


@dataclass
class Translator:
    """Translates posts into one locale, through the run's runner."""

    runner: Runner
    glossary: Glossary
    options: TranslateOptions = field(default_factory=TranslateOptions)
    warnings: list[Issue] = field(default_factory=list)
    """Glossary misses accepted in `warn` mode (reported, not fatal)."""
    kept_source: list[tuple[Path, Issue]] = field(default_factory=list)
    """(post, why) of each unit kept in the source language (`on_unit_failure = "keep-source"`)."""

    def __post_init__(self) -> None:
        # do-not-translate terms travel as placeholders: a backend cannot change them
        self._keep = _Some.of(self.glossary, lambda t: t.dnt)
        # the terms a retry writes in, in their target form, where an answer missed one
        self._write = _Some.of(self.glossary, lambda t: t.enforced and not t.dnt and t.target != t.source)
        self._script = source_script(self.options.source_locale)
        own = self.runner.backend.batch_chars
        self._batch_chars = min(self.options.batch_chars, own) if own else self.options.batch_chars
        self.runner.backend.use_glossary(self.options.target_locale, self.glossary.terms)

    @classmethod
    def of(
        cls,
        backend: Backend,
        glossary: Glossary | None = None,
        options: TranslateOptions | None = None,
        run: RunOptions | None = None,
    ) -> Translator:
        """A translator with a runner of its own (one locale, one backend)."""
        return cls(
            Runner(backend, run or RunOptions()), glossary or Glossary.of(()), options or TranslateOptions()
        )

    @property
    def backend(self) -> Backend:
        return self.runner.backend

    def translate(
        self, post: SegmentedPost, units: tuple[Unit, ...] | None = None
    ) -> tuple[dict[str, str], list[Issue]]:
        """Validated translations by unit id, and the issues of units that still fail."""
        return asyncio.run(self.translate_async(post, units))

    async def translate_async(
        self,
        post: SegmentedPost,
        units: tuple[Unit, ...] | None = None,
        previous: dict[str, tuple[str, str]] | None = None,
        on_answers: Callable[[dict[str, str]], None] | None = None,
    ) -> tuple[dict[str, str], list[Issue]]:
        """`previous` (unit id -> (old source, old translation)) asks the backend to revise;
        `on_answers` is given each batch's validated translations as soon as they arrive."""
        script = self._script
        ctx = CheckContext(self.glossary, script if self.backend.translates else None)
        pending = list(post.units if units is None else units)
        done: dict[str, str] = {}
        if script is not None:  # a unit without a character of the source script needs no translation
            done = {u.id: u.text for u in pending if not script.search(u.text)}
            pending = [u for u in pending if u.id not in done]
        issues: dict[str, list[Issue]] = {}
        last: dict[str, str] = {}
        forms = _Forms()
        budget = self._batch_chars
        for round_ in range(self.options.retries + 1):
            if not pending:
                break
            if round_:
                await self._gloss(post, pending, forms)
            # a unit that lost or doubled placeholders goes again alone, the missing ones named
            alone = [u for u in pending if any(i.code == "placeholder" for i in issues.get(u.id, ()))]
            if len(alone) > _ALONE:  # an answer that drops them all is not helped by going alone
                alone = []
            forms.as_links = {u.id for u in alone if u.id not in forms.tried_links and _linkable(u.text)}
            forms.tried_links |= forms.as_links
            rest = [u for u in pending if u not in alone]
            batches = [
                *_batches(rest, budget, self._keep),
                *(b for u in alone for b in _batches([u], 1, self._keep)),
            ]
            hints = {  # what the last answer got wrong, named, for the retry
                uid: "; ".join(
                    [_LINKS_HINT, *(i.message for i in found if i.code not in ("missing", "placeholder"))]
                    if uid in forms.as_links
                    else [i.message for i in found if i.code != "missing"]
                )
                for uid, found in issues.items()
            }
            failed_in: dict[int, list[Unit]] = {}

            async def run(
                k: int,
                batch: list[tuple[Unit, Unit, dict[str, str]]],
                hints: dict[str, str],
                failed_in: dict[int, list[Unit]],
                retry: int = round_,
            ) -> None:
                answers, error = await self.runner.send(
                    self._request(post, batch, hints, previous or {}, forms, retry)
                )
                if not error and _shuffled(batch, answers):
                    answers, error = {}, "the answer lists the units out of order (ids swapped?)"
                failed_in.setdefault(k, [])
                if len(batch) > 1:
                    self.runner.batch_answered(not error, error)
                if error and len(batch) > 1:
                    # an answer that could not be used (or none): send each half on its own,
                    # down to single units, before a unit counts as failed in this round
                    half = len(batch) // 2
                    await run(k, batch[:half], hints, failed_in, retry)
                    await run(k, batch[half:], hints, failed_in, retry)
                    return
                accepted: dict[str, str] = {}
                for unit, renamed, back in batch:
                    text = answers.get(renamed.id)
                    if text is not None and unit.id in forms.as_links:
                        text = _links_back(text)
                    found = (
                        [Issue(unit.id, "missing", error or "the backend returned no translation", unit.line)]
                        if text is None
                        else check_unit(renamed, text, ctx)
                    )
                    if found:
                        issues[unit.id] = found
                        if any(i.code == "glossary" for i in found):
                            forms.terms_written.add(unit.id)
                        if text is not None and any(i.code == "untranslated" for i in found):
                            forms.left_in(unit, han_left(renamed, text, ctx.glossary))
                        failed_in[k].append(unit)
                        if text is not None and all(i.code == "glossary" for i in found):
                            last[unit.id] = _back(text, back)
                    else:
                        accepted[unit.id] = done[unit.id] = _back(text, back)
                        issues.pop(unit.id, None)
                if accepted and on_answers is not None:
                    on_answers(accepted)  # kept at once: a run stopped later loses none of it

            await asyncio.gather(*(run(k, b, hints, failed_in) for k, b in enumerate(batches)))
            failed = [u for k in range(len(batches)) for u in failed_in.get(k, [])]
            pending = failed
            budget = max(1, budget // 2)  # a failing batch is split on the next round
        if self.options.glossary_mode == "warn":
            kept = {}
            for u in [u for u in pending if u.id in last and all(i.code == "glossary" for i in issues[u.id])]:
                kept[u.id] = done[u.id] = last[u.id]
                self.warnings.extend(issues[u.id])
                pending.remove(u)
            if kept and on_answers is not None:
                on_answers(kept)
        if self.options.on_unit_failure == "keep-source":
            for u in pending:  # the source text is always a valid unit: the post stays whole
                done[u.id] = u.text
                why = issues.get(u.id) or [Issue(u.id, "missing", "no answer", u.line)]
                self.kept_source.append((post.source.path, why[0]))
            pending = []
        return done, [i for u in pending for i in issues.get(u.id, [])]

    def plan(self, post: SegmentedPost, units: Sequence[Unit] | None = None) -> list[BatchRequest]:
        """The requests a run would send first for `post` (or these of its units), for dry runs
        and cost estimates."""
        script = self._script
        units = [
            u for u in (post.units if units is None else units) if script is None or script.search(u.text)
        ]
        return [self._request(post, b, {}, {}) for b in _batches(units, self._batch_chars, self._keep)]

    def _request(
        self,
        post: SegmentedPost,
        batch: list[tuple[Unit, Unit, dict[str, str]]],
        hints: dict[str, str],
        previous: dict[str, tuple[str, str]],
        forms: _Forms | None = None,
        retry: int = 0,
    ) -> BatchRequest:
        script = self._script  # a Latin term kept as is needs no hint
        context = _context(post, batch[0][0], self.options.context_chars)
        return BatchRequest(
            units=tuple(
                RequestUnit(
                    r.id,
                    forms.text(u.id, r.text, self._write) if forms else r.text,
                    tuple((p.tag, p.label) for p in r.placeholders),
                    r.kind,
                    hints.get(u.id, ""),
                    *previous.get(u.id, ("", "")),
                )
                for u, r, _ in batch
            ),
            source_locale=self.options.source_locale,
            target_locale=self.options.target_locale,
            glossary=tuple(
                GlossaryHint(t.source, t.target, t.guidance)
                for t in self.glossary.terms_in(seg for _, r, _ in batch for seg in r.source_segments)
                if t.source != t.target or (script is not None and script.search(t.source))
            ),
            # the title goes along as context, unless the batch translates it anyway
            title=None
            if any(u.kind == "front_matter" and u.text == post.title for u, _, _ in batch)
            else post.title,
            context=context,
            retry=retry,
        )

    async def _gloss(self, post: SegmentedPost, pending: list[Unit], forms: _Forms) -> None:
        """Words that answers left in the source language, each sent alone in one call (a small
        model translates a word it kept inside a sentence when it is given the word alone); the
        translations are written into the texts of the units sent again (`_Forms.words`). So
        is the one word left of a unit once its glossary terms are written in: a text that
        looks translated already (`Baidu PaddlePaddle产品经理Zhongkai Sun`) came back as it was."""
        script = self._script
        if script is None or not self.backend.translates:
            return
        for u in pending:
            if u.id in forms.terms_written:
                rest = TAG.sub(" ", _written_in(u.text, self._write))
                runs = re.findall(f"(?:{script.pattern})+", rest)
                if len(runs) == 1 and len(runs[0]) <= _NAME_CHARS:  # a caption's one word
                    forms.left_in(u, runs)
        left = dict.fromkeys(w for u in pending for w in forms.left.get(u.id, ()))
        words = [
            w
            for w in left
            # a glossary term's rendering is the glossary's (飞桨 alone came back as "Paddle")
            if w not in forms.sent and not self.glossary.find(w)
        ]
        if not words:
            return
        forms.sent.update(words)
        ids = {f"w{k}": w for k, w in enumerate(words, 1)}
        around = "\n".join(u.text for u in pending if any(w in u.text for w in forms.left.get(u.id, ())))
        request = BatchRequest(  # kind "word": the backend may say so (openai: in the prompt)
            units=tuple(RequestUnit(k, w, kind="word") for k, w in ids.items()),
            source_locale=self.options.source_locale,
            target_locale=self.options.target_locale,
            title=post.title,
            context=TAG.sub("", around)[: self.options.context_chars],
        )
        answers, _ = await self.runner.send(request)
        for k, w in ids.items():
            said = answers.get(k, "").strip().strip("\"'“”‘’.。")
            if said and _gloss_ok(w, said, script):
                forms.words[w] = said


_ALONE = 4
"""At most this many units of a post that lost placeholders go again one by one."""


@dataclass(slots=True)
class _Forms:
    """How a retry shows a unit's text to the backend, by what its last answer got wrong."""

    terms_written: set[str] = field(default_factory=set)
    """Units whose answer missed a glossary term: sent with the enforced terms already in
    their target form (a model that ignored the term's line in the prompt keeps a name
    written out in the text)."""
    left: dict[str, list[str]] = field(default_factory=dict)
    """Units whose answer left source-language words that occur in their source (or whose
    text has one such word left once the glossary terms are written in): those words."""
    words: dict[str, str] = field(default_factory=dict)
    """Such words, translated alone (`Translator._gloss`): written into the text of every unit
    of the post sent again that holds one, like the glossary's terms."""
    sent: set[str] = field(default_factory=set)
    """Words sent alone already: once a post, at temperature 0. (Sent again, sampled, the words
    that came back untranslated came back wrong: 咸阳 as "Xi'an", 北大讲课 as "PaddleTalks".)"""
    as_links: set[str] = field(default_factory=set)
    """Units that lost paired placeholders, sent this round with each pair as a Markdown link,
    `<g2>text</g2>` -> `[text](#g2)` (markup every model knows), turned back before the checks;
    once a unit, then the tags again, named."""
    tried_links: set[str] = field(default_factory=set)

    def left_in(self, unit: Unit, runs: list[str]) -> None:
        """Note the `runs` of source-language text an answer of `unit` left: those that occur in
        its source, when they are a few words (not a sentence left untranslated)."""
        runs = [r for r in dict.fromkeys(runs) if r in unit.text and len(r) <= _WORD_CHARS]
        if runs and len(runs) <= _WORDS:
            self.left[unit.id] = list(dict.fromkeys([*self.left.get(unit.id, ()), *runs]))

    def text(self, uid: str, text: str, terms: _Some) -> str:
        if uid in self.terms_written:
            text = _written_in(text, terms)
        # a word of the post translated alone goes into any unit sent again that holds it; a
        # single character (和, 味) only where an answer left it: alone, it may mean anything
        own = self.left.get(uid, ())
        words = {w: said for w, said in self.words.items() if w in text and (len(w) > 1 or w in own)}
        if words:
            text = _words_in(text, words)
        return _as_links(text) if uid in self.as_links else text


_NAME_CHARS = 4
"""A unit whose text, once its glossary terms are written in, has one run of source text of at
most 4 characters left (`Baidu PaddlePaddle产品经理Zhongkai Sun`) has that word sent alone; a
text with more left is a sentence, whose words alone would make a word salad of it."""
_WORD_CHARS = 8
_WORDS = 4
"""A unit's answer that left more than 4 runs of source text, or one of more than 8 characters,
left a sentence, not a word: its words are not sent alone."""


def _gloss_ok(word: str, said: str, script: re.Pattern[str]) -> bool:
    """True when `said` can be the translation of `word` alone: no source script, no tag, one
    line, not a sentence."""
    return (
        not script.search(said) and "<" not in said and "\n" not in said and len(said) <= 12 * len(word) + 20
    )


def _words_in(text: str, words: dict[str, str]) -> str:
    """`text` with each of `words` in its translation (tags are ASCII: never touched)."""
    rx = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return _write(text, ((m.start(), m.end(), words[m.group(0)]) for m in rx.finditer(text)))


def _write(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each span (start, end, words), in order, replaced by its words, spaced off
    from a Latin letter or digit beside it (`University现场` -> `University on-site`,
    `西电开源社区ZeroAurora` -> `Xidian Open Source Community ZeroAurora`)."""
    out: list[str] = []
    pos = 0
    for start, end, said in spans:
        before, after = text[start - 1 : start], text[end : end + 1]
        if before.isascii() and before.isalnum():
            said = " " + said
        if after.isascii() and after.isalnum():
            said += " "
        out += [text[pos:start], said]
        pos = end
    out.append(text[pos:])
    return "".join(out)


_PAIR = re.compile(r"<g(\d+)>([^<\[\]]*(?:<x\d+/>[^<\[\]]*)*)</g\1>")
_LINK = re.compile(r"\[([^\[\]]*)\]\(#g(\d+)\)")
_LINKS_HINT = "an earlier answer lost the [text](#gN) links: keep each one around its translated text"


def _linkable(text: str) -> bool:
    """True when every pair of the text holds no other pair and no bracket."""
    return "<g" in text and "<g" not in _as_links(text) and "](#g" not in text


def _as_links(text: str) -> str:
    return _PAIR.sub(lambda m: f"[{m.group(2)}](#g{m.group(1)})", text)


def _links_back(text: str) -> str:
    return _LINK.sub(lambda m: f"<g{m.group(2)}>{m.group(1)}</g{m.group(2)}>", text)


def _context(post: SegmentedPost, first: Unit, chars: int) -> str:
    """The text of the (up to) three units before `first`, placeholders removed: context for
    the batch that starts with it. (Found by bisection: a post may hold 50,000 units.)"""
    import bisect  # noqa: PLC0415

    units = post.units
    i = bisect.bisect_left(units, first.start, key=lambda u: u.start)
    before: list[str] = []
    while i > 0 and len(before) < 3:
        i -= 1
        u = units[i]
        if u.end <= first.start and u.kind != "front_matter":
            before.append(u.text)
    return TAG.sub("", "\n".join(reversed(before)))[-chars:] if before else ""


@dataclass(frozen=True, slots=True)
class _Some:
    """Some terms of a glossary, found as the whole glossary finds them: a term inside a longer
    one that is not chosen is not found (开源社, KAIYUANSHE, inside 开源社区, the common noun)."""

    glossary: Glossary
    terms: frozenset[Term]

    @classmethod
    def of(cls, glossary: Glossary, chosen: Callable[[Term], bool]) -> _Some:
        return cls(glossary, frozenset(t for t in glossary.terms if chosen(t)))

    def find(self, text: str) -> list[Match]:
        return [hit for hit in self.glossary.find(text) if hit.term in self.terms] if self.terms else []


def _terms_and_tags(text: str, terms: _Some) -> Iterator[tuple[str, str, Match | None]]:
    """`text` in pieces: ("text", s, None), ("term", s, the match), ("tag", a placeholder tag,
    None); terms are found between tags only."""
    pos = 0
    for m in [*TAG.finditer(text), None]:
        seg = text[pos : m.start() if m is not None else len(text)]
        last = 0
        for hit in terms.find(seg):
            yield "text", seg[last : hit.start], None
            yield "term", seg[hit.start : hit.end], hit
            last = hit.end
        yield "text", seg[last:], None
        if m is not None:
            yield "tag", m.group(0), None
            pos = m.end()


def _written_in(text: str, terms: _Some) -> str:
    """`text` with each term of `terms` in its target form (placeholder tags untouched)."""
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for _, s, hit in _terms_and_tags(text, terms):
        if hit is not None:
            spans.append((pos, pos + len(s), hit.term.target))
        pos += len(s)
    return _write(text, spans)


def _back(text: str, back: dict[str, str]) -> str:
    """`text` with the batch's placeholder names turned back into the unit's own."""
    return TAG.sub(lambda m: back[m.group(0)], text) if back else text


def _shuffled(batch: list[tuple[Unit, Unit, dict[str, str]]], answers: dict[str, str]) -> bool:
    """True when the answer's ids come in another order than the request's: texts given under
    each other's ids look like that, and nothing else can tell them apart when units have no
    placeholders (backends keep the order of the units they are sent)."""
    asked = [r.id for _, r, _ in batch if r.id in answers]
    known = set(asked)
    return [k for k in answers if k in known] != asked


def _batches(
    units: list[Unit], budget: int, keep: _Some | None = None
) -> Iterator[list[tuple[Unit, Unit, dict[str, str]]]]:
    """Batches in document order; each unit renamed so placeholder names are unique in the batch,
    and the terms of `keep` (do-not-translate) turned into placeholders too.

    Yields (unit, renamed unit, {batch tag: unit tag, or the kept term's text})."""
    batch: list[tuple[Unit, Unit, dict[str, str]]] = []
    size = 0
    n = 0
    for unit in units:
        if batch and size + len(unit.text) > budget:
            yield batch
            batch, size, n = [], 0, 0
        renamed, back, n = _rename(unit, n)
        if keep is not None and keep.terms:
            renamed, back, n = _protect(renamed, back, n, keep)
        batch.append((unit, renamed, back))
        size += len(unit.text)
    if batch:
        yield batch


def _protect(unit: Unit, back: dict[str, str], n: int, keep: _Some) -> tuple[Unit, dict[str, str], int]:
    """Terms to keep as written become standalone placeholders that stand for themselves."""
    out: list[str] = []
    segments: list[str] = []
    extra: list[Placeholder] = []
    back = dict(back)
    for kind, s, hit in _terms_and_tags(unit.text, keep):
        if hit is None:
            out.append(s)
            if kind == "text":
                segments.append(s)
            continue
        n += 1
        tag = f"<x{n}/>"
        out.append(tag)
        back[tag] = s
        extra.append(Placeholder(f"x{n}", "standalone", -1, -1, f"keep: {hit.term.source}"))
    if not extra:
        return unit, back, n
    for p in unit.placeholders:  # a unit that was not renamed maps its own tags to themselves
        back.setdefault(p.tag, p.tag)
    protected = replace(
        unit,
        text="".join(out),
        placeholders=(*unit.placeholders, *extra),
        source_segments=tuple(x for x in segments if x),
    )
    return protected, back, n


def _rename(unit: Unit, n: int) -> tuple[Unit, dict[str, str], int]:
    if not unit.placeholders:
        return unit, {}, n
    names: dict[str, str] = {}
    for p in unit.placeholders:
        if p.name not in names:
            n += 1
            names[p.name] = f"{p.name[0]}{n}"
    placeholders = tuple(
        Placeholder(names[p.name], p.kind, p.start, p.end, p.label, p.ref_label) for p in unit.placeholders
    )
    forth = {p.tag: q.tag for p, q in zip(unit.placeholders, placeholders, strict=True)}
    text = TAG.sub(lambda m: forth[m.group(0)], unit.text)
    back = {v: k for k, v in forth.items()}
    return replace(unit, text=text, placeholders=placeholders), back, n
