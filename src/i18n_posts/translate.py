"""Stage 4, translate: a `SegmentedPost` -> validated translations and the issues left.

Units go to the backend in batches, in document order, under a size budget, with the
post's title and the glossary terms that occur in the batch. Placeholders are numbered
across the batch, so a text returned under the wrong id cannot pass. Every answer is
checked (`check.py`); units that fail are sent again (failing units only, in batches
again) up to `retries` times. A backend that fails `max_failures` calls in a row stops
the run with `BackendUnavailable`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .assemble import TAG
from .backends import Backend, BatchRequest, GlossaryHint, RequestUnit
from .check import CheckContext, check_unit
from .errors import BackendError, BackendUnavailable
from .glossary import Glossary
from .model import Issue, Placeholder, SegmentedPost, Unit


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """How to talk to the backend."""

    source_locale: str = "zh"
    target_locale: str = "en"
    retries: int = 2
    """How many times a failing unit is sent again."""
    batch_chars: int = 6000
    """Budget of a batch, in characters of unit text."""
    max_failures: int = 3
    """Backend calls failing in a row before the run stops."""


@dataclass
class Translator:
    """Translates posts one after another with one backend; counts what it sent."""

    backend: Backend
    glossary: Glossary
    options: TranslateOptions = field(default_factory=TranslateOptions)
    failures_in_a_row: int = 0
    calls: int = 0
    chars_sent: int = 0

    def translate(self, post: SegmentedPost, units: tuple[Unit, ...] | None = None) -> tuple[dict[str, str], list[Issue]]:
        """Validated translations by unit id, and the issues of units that still fail."""
        ctx = CheckContext(self.glossary)
        pending = list(post.units if units is None else units)
        done: dict[str, str] = {}
        issues: dict[str, list[Issue]] = {}
        for _ in range(self.options.retries + 1):
            if not pending:
                break
            failed: list[Unit] = []
            for batch in _batches(pending, self.options.batch_chars):
                answers, error = self._call(post, batch)
                for unit, renamed, back in batch:
                    text = answers.get(renamed.id)
                    if text is None:
                        reason = error or "the backend returned no translation for this unit"
                        issues[unit.id] = [Issue(unit.id, "missing", reason, unit.line)]
                        failed.append(unit)
                        continue
                    found = check_unit(renamed, text, ctx)
                    if found:
                        issues[unit.id] = found
                        failed.append(unit)
                    else:
                        done[unit.id] = TAG.sub(lambda m: back[m.group(0)], text)
                        issues.pop(unit.id, None)
            pending = failed
        return done, [i for u in pending for i in issues.get(u.id, [])]

    def _call(self, post: SegmentedPost, batch: list[tuple[Unit, Unit, dict[str, str]]]) -> tuple[dict[str, str], str]:
        request = BatchRequest(
            units=tuple(RequestUnit(r.id, r.text, tuple((_tag(p), p.label) for p in r.placeholders), r.kind)
                        for _, r, _ in batch),
            source_locale=self.options.source_locale,
            target_locale=self.options.target_locale,
            glossary=tuple(GlossaryHint(t.source, t.target, t.note)
                           for t in self.glossary.terms_in(seg for _, r, _ in batch for seg in r.source_segments)),
            title=post.title,
        )
        self.calls += 1
        self.chars_sent += sum(len(u.text) for u in request.units)
        try:
            answers = self.backend.translate(request)
        except BackendError as exc:
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= self.options.max_failures:
                raise BackendUnavailable(exc.backend, f"failed {self.failures_in_a_row} times in a row; "
                                         f"stopping (last error: {str(exc).split(': ', 1)[-1]})") from None
            return {}, str(exc)
        self.failures_in_a_row = 0
        return answers, ""


def _batches(units: list[Unit], budget: int) -> Iterator[list[tuple[Unit, Unit, dict[str, str]]]]:
    """Batches in document order; each unit renamed so placeholder names are unique in the batch.

    Yields (unit, renamed unit, {batch tag: unit tag})."""
    batch: list[tuple[Unit, Unit, dict[str, str]]] = []
    size = 0
    n = 0
    for unit in units:
        if batch and size + len(unit.text) > budget:
            yield batch
            batch, size, n = [], 0, 0
        renamed, back, n = _rename(unit, n)
        batch.append((unit, renamed, back))
        size += len(unit.text)
    if batch:
        yield batch


def _rename(unit: Unit, n: int) -> tuple[Unit, dict[str, str], int]:
    if not unit.placeholders:
        return unit, {}, n
    names: dict[str, str] = {}
    for p in unit.placeholders:
        if p.name not in names:
            n += 1
            names[p.name] = f"{p.name[0]}{n}"
    placeholders = tuple(Placeholder(names[p.name], p.kind, p.start, p.end, p.label, p.ref_label)
                         for p in unit.placeholders)
    forth = {_tag(p): _tag(q) for p, q in zip(unit.placeholders, placeholders)}
    text = TAG.sub(lambda m: forth[m.group(0)], unit.text)
    back = {v: k for k, v in forth.items()}
    return replace(unit, text=text, placeholders=placeholders), back, n


def _tag(p: Placeholder) -> str:
    return f"<{p.name}/>" if p.kind == "standalone" else f"<{p.name}>" if p.kind == "open" else f"</{p.name}>"
