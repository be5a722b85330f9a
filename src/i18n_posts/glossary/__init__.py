"""Stage 3, glossary: `glossary.yml` -> a `Glossary` that finds terms in unit texts.

Format (a term maps locale codes to forms; other fields are optional):

    terms:
      - zh: 飞桨
        en: PaddlePaddle
        note: official English name       # for the glossary's maintainers: never sent
        guidance: the brand, not a paddle # sent to the model with the term
        aliases: [百度飞桨]               # other source spellings
        forbidden: [Flying Paddle]        # target forms that must not appear
      - zh: PaddleOCR
        dnt: true                         # kept as written
      - zh: 推理
        en: inference
        context: "inference in deployment; reasoning for 推理模型"   # a hint, not enforced

Matching uses one compiled pattern, longest term first: CJK terms match anywhere (no word
boundaries in unspaced text), Latin terms on word boundaries and, unless
`case_sensitive: true`, in any case. Errors name the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

FIELDS = frozenset(
    {
        "note",
        "guidance",
        "dnt",
        "kind",
        "status",
        "source",
        "context",
        "aliases",
        "forbidden",
        "case_sensitive",
    }
)
LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry for a language pair."""

    source: str
    """The form in the source language."""
    target: str
    """The form to use in the target language (the source form itself for dnt terms)."""
    note: str = ""
    """For the glossary's maintainers (where a form comes from, what is proposed): never sent
    to a backend, and an answer that copies it is refused."""
    guidance: str = ""
    """For the translator: sent to the backend with the term."""
    dnt: bool = False
    """Do not translate: keep the source form."""
    enforced: bool = True
    """Checked in translations (terms with a `context` are hints only)."""
    aliases: tuple[str, ...] = ()
    """Other source spellings."""
    forbidden: tuple[str, ...] = ()
    """Target forms that must not appear."""
    case_sensitive: bool = False
    """Match Latin source forms in this case only."""
    line: int = 0
    """Line of the entry in the glossary file."""


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text."""

    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class Glossary:
    """The terms of one language pair, with one compiled pattern over all of them."""

    terms: tuple[Term, ...] = ()
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _by_form: dict[str, Term] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, terms: Iterable[Term]) -> Glossary:
        terms = tuple(terms)
        forms: dict[str, Term] = {}
        for t in terms:
            for f in (t.source, *t.aliases):
                forms.setdefault(f if t.case_sensitive or CJK.search(f) else f.casefold(), t)
        alts = []
        for form, t in sorted(forms.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            body = re.escape(form)
            if not CJK.search(form):
                body = rf"(?<![A-Za-z0-9_]){body}(?![A-Za-z0-9_])"
                if not t.case_sensitive:
                    body = f"(?i:{body})"
            alts.append(body)
        # a lookahead on the possible first characters lets the engine skip most positions fast
        firsts = {c for f in forms for c in (f[0], f[0].lower(), f[0].upper())}
        pattern = (
            re.compile("(?=[" + "".join(map(re.escape, sorted(firsts))) + "])(?:" + "|".join(alts) + ")")
            if alts
            else None
        )
        return cls(terms, pattern, forms)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in `text`, longest term first at each position."""
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            s = m.group(0)
            t = self._by_form.get(s) or self._by_form.get(s.casefold())
            if t is not None:
                out.append(Match(t, m.start(), m.end()))
        return out

    def terms_in(self, texts: Iterable[str]) -> list[Term]:
        """The distinct terms occurring in any of `texts`, in order of first occurrence."""
        seen: dict[str, Term] = {}
        for text in texts:
            for m in self.find(text):
                seen.setdefault(m.term.source, m.term)
        return list(seen.values())


def misses(terms: Iterable[Term], text: str) -> list[tuple[Term, str]]:
    """The glossary rule, for the check of every answer and for the compliance report: each
    enforced term must have its target form in `text` (in any case) and none of its
    forbidden forms. Returns (term, what is wrong) pairs."""
    folded = text.casefold()
    out = []
    for t in terms:
        if not t.enforced:
            continue
        if t.target.casefold() not in folded:
            out.append((t, f"{t.source} must be rendered as {t.target!r}"))
        out += [(t, f"{t.source}: forbidden form {f!r} used") for f in t.forbidden if f.casefold() in folded]
    return out


def column(keys: Iterable[str], code: str) -> str | None:
    """The column (a term's locale key) that serves the locale `code`: the same code, else
    the same language and script, else the bare language (`zh` serves `zh-CN`, `zh-Hans`;
    `zh-TW` or `zh-Hant` is preferred for Traditional Chinese; `en` serves `en-US`)."""
    from ..locales import best_column, parse_locale  # noqa: PLC0415

    keys = [k for k in keys if k not in FIELDS]
    if code in keys:
        return code
    try:
        return best_column(keys, parse_locale(code))
    except ValueError:  # a code babel does not know: only the same spelling serves it
        return None


def read_tree(path: Path) -> tuple[str, Any]:
    """The glossary file's text and YAML node tree (None when empty); errors name file and line."""
    from .._syntax import yaml_loader  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read glossary: {exc}") from None
    try:
        return text, yaml_loader.compose(text)
    except yaml_loader.yaml_errors() as exc:
        what, line = yaml_loader.problem(exc)
        raise ConfigError(path, f"invalid YAML: {what}", line) from None


def load_glossary(path: Path, source_locale: str, target_locale: str) -> Glossary:
    """Read `path` and keep the terms that have a form for `source_locale` and, unless they
    are kept as written (dnt), for `target_locale` (columns chosen by `column`)."""
    from .._syntax import yaml_loader  # noqa: PLC0415

    text, root = read_tree(path)
    if root is None:
        return Glossary.of(())
    data = yaml_loader.load(text)
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(path, "expected a mapping with a list under `terms:`", 1)
    lines = _item_lines(root)
    terms = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        terms.extend(_term(path, item, line, source_locale, target_locale))
    return Glossary.of(terms)


def _item_lines(root: object) -> list[int]:
    import yaml  # noqa: PLC0415

    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "terms" and isinstance(v, yaml.SequenceNode):
                return [n.start_mark.line + 1 for n in v.value]
    return []


def _term(path: Path, item: object, line: int | None, src: str, dst: str) -> list[Term]:
    if not isinstance(item, dict):
        raise ConfigError(path, "a term must be a mapping of locale codes to forms", line)
    for key in item:
        if key not in FIELDS and not (isinstance(key, str) and LOCALE.match(key)):
            raise ConfigError(path, f"unknown field {key!r} in a term", line)
    for key in ("dnt", "case_sensitive"):
        if key in item and not isinstance(item[key], bool):
            raise ConfigError(path, f"{key} must be true or false", line)
    forms = {k: v for k, v in item.items() if k not in FIELDS}
    for k, v in forms.items():
        if not isinstance(v, str) or not v.strip():
            raise ConfigError(path, f"the {k} form must be a non-empty string", line)
    src_key, dst_key = column(forms, src), column(forms, dst)
    source = forms.get(src_key) if src_key else None
    if source is None:
        return []
    dnt = bool(item.get("dnt", False))
    target = source if dnt else (forms.get(dst_key) if dst_key else None)
    if target is None:
        return []
    return [
        Term(
            source=source,
            target=target,
            note=str(item.get("note") or ""),
            guidance=str(item.get("guidance") or ""),
            dnt=dnt,
            enforced="context" not in item,
            aliases=tuple(_str_list(path, item, "aliases", line)),
            forbidden=tuple(_str_list(path, item, "forbidden", line)),
            case_sensitive=bool(item.get("case_sensitive", False)),
            line=line or 0,
        )
    ]


def _str_list(path: Path, item: dict, key: str, line: int | None) -> list[str]:
    v = item.get(key) or []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise ConfigError(path, f"{key} must be a list of strings", line)
    return v
