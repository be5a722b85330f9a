"""The pipeline for one post: load -> segment -> translate -> check -> assemble -> write.

`translate_file` is the whole job for one file; it returns what happened and raises only
`PostError` (this post failed) or `BackendUnavailable` (stop the run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .assemble import assemble
from .check import check_document
from .errors import TranslationFailed, UsageError
from .load import load_post
from .model import Issue, LocalizedPost
from .segment import Segmenter
from .translate import Translator
from .write import write_atomic

DEFAULT_OUTPUT = "{dir}/{stem}.{locale}{ext}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What `translate_file` did."""

    source: Path
    output: Path
    post: LocalizedPost
    written: bool
    """False when the output already held these bytes."""


def output_path(template: str, source: Path, locale: str) -> Path:
    """Fill `template` ({dir}, {stem}, {ext}, {name}, {locale}) for `source`."""
    try:
        out = template.format(dir=str(source.parent), stem=source.stem, ext=source.suffix,
                              name=source.name, locale=locale)
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageError(f"bad --output template {template!r}: {exc}") from None
    return Path(out)


def translate_file(path: Path, out: Path, segmenter: Segmenter, translator: Translator,
                   partial: bool = False) -> FileResult:
    """Translate the post at `path` into `out`; raise `TranslationFailed` if units still fail
    (unless `partial`: then those units stay in the source language)."""
    if out.resolve() == path.resolve():
        raise UsageError(f"{path}: the output path is the source itself; choose another --output")
    source = load_post(path)
    post = segmenter.segment(source)
    done, issues = translator.translate(post)
    if issues and not partial:
        raise _failed(path, issues)
    text = assemble(post, done)
    if text != source.text:
        doc = check_document(segmenter.md, source, text, post.blocks)
        if doc:
            raise _failed(path, doc)
    result = LocalizedPost(source, translator.options.target_locale, text, tuple(issues), len(post.units))
    written = write_atomic(out, text.encode("utf-8"))
    return FileResult(path, out, result, written)


def _failed(path: Path, issues: list[Issue]) -> TranslationFailed:
    first = issues[0]
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    unit = f"unit {first.unit_id}: " if first.unit_id else ""
    return TranslationFailed(path, f"{unit}{first.message}{more}; not written", first.line or None)
