"""Glossary compliance: source posts, their translations and a glossary -> a `Report`.

Pairing: a source pairs with a translation of the same stem, the file name without `.md`
and, for translations, without a locale suffix (`x.en.md` -> `x`); among several, with the
one whose folders agree with the source's over the longest tail (the same folder first,
then `zh/a/x.md` with `en/a/x.md` rather than `en/b/x.md`; the first given on a tie). Each
translation pairs once. So `posts/x.md` pairs with `posts/x.en.md` and `zh/a/x.md` with
`en/a/x.md`. A file given as both a source and a translation counts as a translation.
Files left without a partner are listed in `Report.unpaired`.

Per pair, the translation is aligned with the source unit by unit (`align.align`). Each
enforced term found in a source unit must have its target form in that unit's translation
and no forbidden form (the same test as the translate stage's `check_glossary`: case-
insensitive, markup ignored); a miss is a violation at the translation's line of that unit.
When the translation does not align, the pair falls back to whole-file counts: a term
whose target never occurs in the translation file, or a forbidden form that does, is a
violation, and `Report.fallbacks` says which pairs were checked that way and why.

Counts per term (`Report.rows`) cover the paired files only: occurrences in the sources'
translatable text, occurrences of the target in the translations (in the units' texts, or
in the whole file for fallback pairs; in any case, a Latin target where a word starts), and
the number of source posts with the term.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..messages import plural
from ..model import Unit
from . import CJK, LOCALE, Glossary, Term, misses


@dataclass(frozen=True, slots=True)
class ReportRow:
    """How one term fares across the paired posts."""

    term: Term
    """The glossary term."""
    source_count: int
    """Occurrences in the translatable text of the paired sources."""
    target_count: int
    """Occurrences of its target form in the paired translations."""
    posts: int
    """Paired source posts it occurs in."""


@dataclass(frozen=True, slots=True)
class Violation:
    """A translation that does not render a term as the glossary says."""

    file: Path
    """The translation."""
    line: int
    """1-based line in the translation (0 when only the whole file could be checked)."""
    term: Term
    """The glossary term."""
    message: str
    """What is wrong, with the source file and line."""


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of `compliance_report`."""

    rows: tuple[ReportRow, ...]
    """Terms that occur in the paired sources, most frequent first."""
    violations: tuple[Violation, ...]
    """Every miss, by translation file and line."""
    unpaired: tuple[Path, ...]
    """Sources without a translation and translations without a source."""
    pairs: tuple[tuple[Path, Path], ...] = ()
    """(source, translation) pairs that were checked."""
    fallbacks: tuple[tuple[Path, str], ...] = ()
    """Translations checked as whole files, with why they did not align."""

    def format_text(self) -> str:
        """The report for people: a table of terms, then violations, fallbacks and unpaired files."""
        out = [
            f"glossary compliance: {plural(len(self.pairs), 'pair')}, {len(self.fallbacks)} checked as "
            f"whole files, {len(self.unpaired)} unpaired, {plural(len(self.violations), 'violation')}"
        ]
        if self.rows:
            table = [("term", "target", "source", "target#", "posts")]
            table += [
                (
                    r.term.source + ("" if r.term.enforced else " (hint)"),
                    r.term.target,
                    str(r.source_count),
                    str(r.target_count),
                    str(r.posts),
                )
                for r in self.rows
            ]
            widths = [max(_width(row[i]) for row in table) for i in range(5)]
            for row in table:
                cells = [_pad(c, w, right=i >= 2) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
                out.append("  ".join(cells).rstrip())
        if self.violations:
            out.append(f"violations ({len(self.violations)}):")
            out += [f"  {v.file}:{v.line}: {v.message}" for v in self.violations]
        if self.fallbacks:
            out.append("checked as whole files (the translation does not align with its source):")
            out += [f"  {path}: {why}" for path, why in self.fallbacks]
        if self.unpaired:
            out.append(f"unpaired ({len(self.unpaired)}):")
            out += [f"  {p}" for p in self.unpaired]
        return "\n".join(out) + "\n"


def compliance_report(sources: list[Path], translations: list[Path], glossary: Glossary) -> Report:
    """Check `translations` against their `sources` (paired by stem and folder, see the module
    docstring). Raises `LoadError` for a file that is not a post."""
    from ..align import align  # noqa: PLC0415
    from ..load import load_post  # noqa: PLC0415
    from ..segment import Segmenter  # noqa: PLC0415

    pairs, unpaired = pair_files(sources, translations)
    segmenter = Segmenter()
    source_counts: Counter[Term] = Counter()
    target_counts: Counter[Term] = Counter()
    posts: Counter[Term] = Counter()
    violations: list[Violation] = []
    fallbacks: list[tuple[Path, str]] = []
    for src_path, tr_path in pairs:
        src = segmenter.segment(load_post(src_path))
        localized = load_post(tr_path)
        found: dict[str, list[Term]] = {}  # unit id -> terms, once per unit
        for unit in src.units:
            for seg in unit.source_segments:
                for m in glossary.find(seg):
                    source_counts[m.term] += 1
                    found.setdefault(unit.id, [])
                    if m.term not in found[unit.id]:
                        found[unit.id].append(m.term)
        terms = {t for ts in found.values() for t in ts}
        posts.update(terms)
        alignment = align(src, localized, segmenter)
        if alignment.problem:
            fallbacks.append((tr_path, alignment.problem))
            text = localized.text
            for t in terms:
                target_counts[t] += _occurrences(text, t.target)
            violations += _whole_file(tr_path, src_path, text, terms, found, src.units)
            continue
        out_units = None
        for i, unit in enumerate(src.units):
            text = _plain(alignment.translations.get(unit.id, ""))
            for t in terms:
                target_counts[t] += _occurrences(text, t.target)
            for t, message in misses(found.get(unit.id, []), text):
                if out_units is None:  # the translation's own lines, only when needed
                    out_units = segmenter.segment(localized).units
                violations.append(
                    Violation(tr_path, out_units[i].line, t, f"{message} (source {src_path}:{unit.line})")
                )
    violations.sort(key=lambda v: (str(v.file), v.line))
    rows = [ReportRow(t, n, target_counts[t], posts[t]) for t, n in source_counts.items()]
    rows.sort(key=lambda r: (-r.source_count, r.term.source))
    return Report(tuple(rows), tuple(violations), tuple(unpaired), tuple(pairs), tuple(fallbacks))


def pair_files(sources: list[Path], translations: list[Path]) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(source, translation) pairs by stem and folder (see the module docstring), and the files
    left without a partner (sources first)."""
    tr_set = {p.resolve() for p in translations}
    sources = [p for p in sources if p.resolve() not in tr_set]
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for p in translations:
        by_stem[_stem(p, strip_locale=True)].append(p)
    pairs: list[tuple[Path, Path]] = []
    unpaired: list[Path] = []
    for p in sources:
        candidates = by_stem.get(_stem(p, strip_locale=False))
        if not candidates:
            unpaired.append(p)
            continue
        folders = p.resolve().parent.parts
        best = max(candidates, key=lambda t: _common_tail(folders, t.resolve().parent.parts))  # first on ties
        candidates.remove(best)
        pairs.append((p, best))
    unpaired += [p for ps in by_stem.values() for p in ps]
    return pairs, unpaired


def _stem(path: Path, strip_locale: bool) -> str:
    name = path.name[: -len(path.suffix)] if path.suffix else path.name
    head, dot, tail = name.rpartition(".")
    return head if strip_locale and dot and head and LOCALE.match(tail) else name


def _common_tail(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many trailing folder names two paths share (all of them for the same folder)."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _plain(text: str) -> str:
    from ..model import TAG  # noqa: PLC0415

    return TAG.sub(" ", text)


def _whole_file(
    tr_path: Path,
    src_path: Path,
    text: str,
    terms: set[Term],
    found: dict[str, list[Term]],
    units: tuple[Unit, ...],
) -> list[Violation]:
    first_line: dict[Term, int] = {}
    for unit in units:
        for t in found.get(unit.id, []):
            first_line.setdefault(t, unit.line)
    folded = text.casefold()
    out = []
    for t in sorted(terms, key=lambda t: first_line[t]):
        if not t.enforced:
            continue
        if t.target.casefold() not in folded:
            where = f"source {src_path}:{first_line[t]}; whole-file check"
            out.append(
                Violation(
                    tr_path,
                    0,
                    t,
                    f"{t.source} must be rendered as {t.target!r}: "
                    f"the target never occurs in the file ({where})",
                )
            )
        for f in t.forbidden:
            i = folded.find(f.casefold())
            if i >= 0:
                out.append(
                    Violation(
                        tr_path,
                        text.count("\n", 0, i) + 1,
                        t,
                        f"{t.source}: forbidden form {f!r} used (whole-file check)",
                    )
                )
    return out


def _occurrences(text: str, target: str) -> int:
    """Non-overlapping occurrences in any case; a Latin target must start a word (so that
    "large models" counts for "large model", and "PaddlePaddle" once for "Paddle")."""
    body = re.escape(target)
    if not CJK.search(target[:1]):
        body = r"(?<![A-Za-z0-9_])" + body
    return len(re.findall(body, text, re.IGNORECASE))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(s))
    return fill + s if right else s + fill
