"""TOML front matter (Hugo's `+++` ... `+++`) and JSON front matter -> units, values
replaced in place.

TOML has no parser that keeps positions in the standard library, and a re-dump would lose
comments and order, so the lines are scanned: `key = "string"` and `key = 'string'` on one
line, at the top level or in a `[table]` (the dotted path is `table.key`). Each value is
decoded by tomllib; the unit covers the string with its quotes, and `values.render_toml`
writes the translation as a valid TOML string. A JSON value is found by `front.json_spans`
and written the same way (a JSON string is a TOML basic string, as `json.dumps` writes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Unit
from ._rules import translatable

_TABLE = re.compile(r"[ \t]*\[([^\[\]]+)\][ \t]*(?:#.*)?$")
_ARRAY_TABLE = re.compile(r"[ \t]*\[\[")
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*')"
_PAIR = re.compile(rf"[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*=[ \t]*")
_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'")


def _path(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in re.findall(_KEY, key))


def toml_units(text: str, span: tuple[int, int], keys: Iterable[str]) -> list[Unit]:
    """Units for the one-line string values at `keys` (dotted paths) of the TOML in `span`."""
    try:
        import tomllib  # noqa: PLC0415
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # noqa: PLC0415

    wanted = set(keys)
    table: str | None = ""
    units: list[Unit] = []
    pos = span[0]
    for line in text[span[0] : span[1]].splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if _ARRAY_TABLE.match(body):
            table = None  # arrays of tables are not addressed by dotted paths
            continue
        if (m := _TABLE.match(body)) is not None:
            table = _path(m.group(1))
            continue
        m = _PAIR.match(body)
        if table is None or m is None:
            continue
        path = ".".join(p for p in (table, _path(m.group(1))) if p)
        s = _STRING.match(body, m.end())
        if path not in wanted or s is None or s.group(0)[:3] in ('"""', "'''"):
            continue
        if body[s.end() :].strip() and not body[s.end() :].strip().startswith("#"):
            continue
        value = tomllib.loads("v = " + s.group(0))["v"]
        if not translatable(value) and not any(ch.isalpha() for ch in value):
            continue
        a, b = start + s.start(), start + s.end()
        units.append(
            Unit(
                id="",
                kind="front_matter",
                context="toml",
                start=a,
                end=b,
                line=text.count("\n", 0, a) + 1,
                text=value,
                placeholders=(),
                breaks=(),
                source_segments=(value,),
                yaml_style=s.group(0)[0],
            )
        )
    return units


def json_units(text: str, span: tuple[int, int], keys: Iterable[str]) -> list[Unit]:
    """Units for the string values at `keys` (dotted paths) of the JSON object in `span`."""
    import json  # noqa: PLC0415

    from .front import json_spans  # noqa: PLC0415

    wanted = set(keys)
    units = []
    for path, a, b in json_spans(text, span):
        value = json.loads(text[a:b])
        if path in wanted and any(ch.isalpha() for ch in value):
            line = text.count("\n", 0, a) + 1
            units.append(Unit("", "front_matter", "toml", a, b, line, value, (), (), (value,), '"'))
    return units


def front_matter_reader(fmt: str):  # noqa: ANN201
    """The function that finds the units of front matter written in `fmt` (yaml, toml, json)."""
    from .._syntax.frontmatter import front_matter_units  # noqa: PLC0415

    return {"toml": toml_units, "json": json_units}.get(fmt, front_matter_units)
