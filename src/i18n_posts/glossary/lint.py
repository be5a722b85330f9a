"""Glossary lint: a `glossary.yml` path -> the problems in it, each with its line.

The file is read here (PyYAML's node graph, for lines), not through `load_glossary`, so
that every problem is reported rather than the first one raised, and so that what the
loader quietly accepts is seen too (a duplicate key, a second entry for the same form).

Errors (the glossary would be applied wrongly): a source form given twice, by two terms
or by an alias and another term's form (`duplicate`, or `conflict` when their targets
differ); a key twice in one term (`duplicate-key`); an empty or non-string form
(`empty`, `bad-value`); a term with neither a target nor `dnt` (`no-target`); an unknown
field (`unknown-field`; accepted: `glossary.FIELDS` and locale codes); a forbidden form
equal to the target (`forbidden-target`); a dnt term with another target (`dnt-target`);
an entry that is not a mapping (`not-mapping`).

Warning: a term found inside another term whose target does not contain the shorter
one's target (`substring`: 飞桨 -> PaddlePaddle but 飞桨开源社区 -> "Feijiang community"),
unless the longer term is dnt or either term has a `context` (an ambiguous shorter term,
such as 推理 -> inference|reasoning, sets no expectation for the longer one), or a middle
term lies between them (开源社 in 开源社区 in 飞桨开源社区: only the middle one counts); it is an
error when the longer target contains a forbidden form of the shorter. Latin forms are
compared as the matcher sees them: on word boundaries, in any case unless `case_sensitive`.

A file that cannot be read or parsed, or has no `terms:` list, raises `ConfigError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError
from . import CJK, FIELDS, LOCALE

Severity = Literal["error", "warning"]
_Report = Callable[[int, Severity, str, str], None]  # line, severity, code, message


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One problem in a glossary file."""

    path: Path
    """The glossary file."""
    line: int
    """1-based line of the entry or field concerned."""
    severity: Severity
    """error (the glossary would be applied wrongly) or warning (worth a look)."""
    code: str
    """Kind of problem: duplicate, conflict, substring, empty, no-target, unknown-field, ..."""
    message: str
    """What is wrong, for people."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass(slots=True)
class _Entry:
    """What the checks across terms need of one term, for the language pair."""

    line: int
    """Line of the entry."""
    source: str
    """The source-locale form."""
    target: str
    """The target-locale form (the source form for dnt terms)."""
    dnt: bool
    """Kept as written."""
    context: bool
    """Has a `context` (a hint, not enforced)."""
    case_sensitive: bool
    """Latin forms match in this case only."""
    forms: list[tuple[str, int]] = field(default_factory=list)
    """Source form and aliases, with their lines."""
    forbidden: list[str] = field(default_factory=list)
    """Target forms that must not appear."""


def lint_glossary(path: Path, locales: tuple[str, str] = ("zh", "en")) -> list[LintIssue]:
    """Every problem of the glossary at `path` for the pair `locales`, in line order."""
    from . import read_tree  # noqa: PLC0415

    _, root = read_tree(path)
    if root is None:
        return []
    items = _terms_node(path, root)
    issues: list[LintIssue] = []

    def report(line: int, severity: Severity, code: str, message: str) -> None:
        issues.append(LintIssue(path, line, severity, code, message))

    entries = [e for node in items if (e := _entry(node, locales, report)) is not None]
    _duplicates(entries, report)
    _substrings(entries, report)
    return sorted(issues, key=lambda i: (i.line, i.severity != "error", i.code))


def _terms_node(path: Path, root: Any) -> list[Any]:
    import yaml  # noqa: PLC0415

    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "terms" and isinstance(v, yaml.SequenceNode):
                return list(v.value)
    raise ConfigError(path, "expected a mapping with a list under `terms:`", root.start_mark.line + 1)


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _entry(node: Any, locales: tuple[str, str], report: _Report) -> _Entry | None:
    """Check the fields of one term; return what the pair checks need (None if the term has
    no usable source form for the pair)."""
    import yaml  # noqa: PLC0415

    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        report(line, "error", "not-mapping", "a term must be a mapping of locale codes to forms")
        return None
    fields: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or (key not in FIELDS and not LOCALE.match(key)):
            report(_line(key_node), "error", "unknown-field", f"unknown field {key!r} in a term")
            continue
        if key in fields:
            report(_line(key_node), "error", "duplicate-key", f"field {key!r} given twice in one term")
        fields[key] = value_node
    from . import column  # noqa: PLC0415

    src, dst = column(fields, locales[0]) or locales[0], column(fields, locales[1]) or locales[1]
    forms: dict[str, str] = {}
    for key, value in fields.items():
        if key in FIELDS:
            continue
        form = _string(value)
        if form is None:
            report(_line(value), "error", "bad-value", f"the {key} form must be a string")
        elif not form.strip():
            report(_line(value), "error", "empty", f"the {key} form is empty")
        else:
            forms[key] = form
    for key in ("dnt", "case_sensitive"):
        if key in fields and fields[key].tag != "tag:yaml.org,2002:bool":
            report(
                _line(fields[key]),
                "error",
                "bad-value",
                f"{key} must be true or false, not {fields[key].value!r}",
            )
    aliases = _strings(fields.get("aliases"), "aliases", report)
    forbidden = [f for f, _ in _strings(fields.get("forbidden"), "forbidden", report)]
    source = forms.get(src)
    if source is None:
        return None
    dnt = _bool(fields.get("dnt"))
    target = forms.get(dst)
    if dnt and target is not None and target != source:
        report(
            _line(fields[dst]),
            "error",
            "dnt-target",
            f"{source!r} is dnt but has {dst}: {target!r} (dnt keeps the source form)",
        )
    if dnt:
        target = source
    if target is None:
        if dst not in fields:  # an empty or invalid one is reported above
            report(line, "error", "no-target", f"{source!r} has no {dst} form and is not dnt")
        return None
    for f in forbidden:
        if f.casefold() == target.casefold():
            report(
                _line(fields["forbidden"]),
                "error",
                "forbidden-target",
                f"{source!r}: the forbidden form {f!r} is its target",
            )
    entry = _Entry(
        line,
        source,
        target,
        dnt,
        "context" in fields,
        _bool(fields.get("case_sensitive")),
        [(source, _line(fields[src]))],
        forbidden,
    )
    for alias, alias_line in aliases:
        if alias == source:
            report(alias_line, "warning", "duplicate", f"{source!r}: an alias repeats the term's own form")
        else:
            entry.forms.append((alias, alias_line))
    return entry


def _string(node: Any) -> str | None:
    import yaml  # noqa: PLC0415

    if isinstance(node, yaml.ScalarNode) and node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null"):
        return "" if node.tag.endswith("null") else str(node.value)
    return None


def _bool(node: Any) -> bool:
    is_bool = node is not None and node.tag == "tag:yaml.org,2002:bool"
    return is_bool and node.value.lower() in ("true", "yes", "on")


def _strings(node: Any, key: str, report: _Report) -> list[tuple[str, int]]:
    """The strings of an `aliases`/`forbidden` field (one string or a list), with their lines."""
    import yaml  # noqa: PLC0415

    if node is None or node.tag == "tag:yaml.org,2002:null":
        return []
    values = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for v in values:
        s = _string(v)
        if s is None:
            report(_line(v), "error", "bad-value", f"{key} must be a list of strings")
        elif not s.strip():
            report(_line(v), "error", "empty", f"an empty string in {key}")
        else:
            out.append((s, _line(v)))
    return out


def _key(form: str, case_sensitive: bool) -> str:
    """The form as the matcher tells it apart (see `Glossary.of`)."""
    return form if case_sensitive or CJK.search(form) else form.casefold()


def _duplicates(entries: list[_Entry], report: _Report) -> None:
    first: dict[str, tuple[_Entry, str, int]] = {}
    for e in entries:
        for form, line in e.forms:
            key = _key(form, e.case_sensitive)
            seen = first.get(key)
            if seen is None:
                first[key] = (e, form, line)
                continue
            other, other_form, other_line = seen
            if other is e:
                report(line, "warning", "duplicate", f"{form!r} is given twice in the same term")
            elif other.target.casefold() == e.target.casefold():
                report(
                    line,
                    "error",
                    "duplicate",
                    f"{form!r} is already a source form on line {other_line} "
                    f"({other.source!r}); the matcher keeps only the first",
                )
            else:
                report(
                    line,
                    "error",
                    "conflict",
                    f"{form!r} -> {e.target!r} conflicts with "
                    f"line {other_line}: {other_form!r} -> {other.target!r}",
                )


def _contains(longer: str, shorter: str, case_sensitive: bool = False) -> bool:
    """Whether `shorter` occurs in `longer` as the matcher would find it."""
    if CJK.search(shorter):
        return shorter in longer
    fold = (lambda t: t) if case_sensitive else str.casefold
    if fold(shorter) not in fold(longer):
        return False  # the common case, without compiling a pattern for every pair of terms
    pattern = rf"(?<![A-Za-z0-9_]){re.escape(shorter)}(?![A-Za-z0-9_])"
    return re.search(pattern, longer, 0 if case_sensitive else re.IGNORECASE) is not None


def _inside(long: _Entry, short: _Entry) -> list[str]:
    """The forms of `short` found in a form of `long` (not equal to it)."""
    return [
        sf
        for lf, _ in long.forms
        for sf, _ in short.forms
        if lf != sf and _contains(lf, sf, short.case_sensitive)
    ]


def _substrings(entries: list[_Entry], report: _Report) -> None:
    for long in entries:
        if long.dnt or long.context:
            continue
        parts = {id(e): found for e in entries if e is not long and (found := _inside(long, e))}
        for short in entries:
            if short.context or id(short) not in parts:
                continue
            # 开源社 in 飞桨开源社区 is really 开源社区 in it: judge the middle term instead
            if any(
                m is not short
                and id(m) in parts
                and _inside(m, short)
                and max(map(len, parts[id(m)])) > max(map(len, parts[id(short)]))
                for m in entries
            ):
                continue
            if _contains(long.target, short.target):
                continue
            bad = [f for f in short.forbidden if _contains(long.target, f)]
            where = f"{long.source!r} -> {long.target!r} contains {short.source!r} (line {short.line})"
            if bad:
                report(
                    long.line,
                    "error",
                    "substring",
                    f"{where}, but its target has the forbidden form {bad[0]!r}",
                )
            else:
                report(
                    long.line,
                    "warning",
                    "substring",
                    f"{where}, but its target lacks {short.target!r}; add `context:` if that is intended",
                )
