"""Front matter values -> units, and a translated value -> YAML text for its old place.

We never re-dump the YAML (that reorders keys and drops comments): PyYAML's node tree
gives each scalar's exact span, the unit replaces that span, and `render_scalar` writes
the new value in the source's quoting style when that style can hold it, else quoted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..model import Field, Unit
from . import yaml_loader
from .pieces import has_letters

_PLAIN_UNSAFE = re.compile(r"""^[\s\-?:,\[\]{}#&*!|>'"%@`]|:\s|\s#|:$|\s$|[\n\r\t]""")
_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


IDENTIFIER_KEYS = frozenset(
    "slug permalink url aliases layout id lang locale redirect_from redirect_to canonical canonicalURL"
    " translationKey".split()
)
"""Front matter keys whose values are identifiers (URLs, names of layouts): a translation would
break links, so they are not translated even when listed, unless listed as `!key`."""


def identifier_key(key: str) -> bool:
    """Whether a `front_matter_keys` entry names an identifier (and is not forced with `!`)."""
    return not key.startswith("!") and key.rsplit(".", 1)[-1] in IDENTIFIER_KEYS


def front_matter_units(text: str, span: tuple[int, int], keys: Iterable[str]) -> list[Unit]:
    """Units for the string values at `keys` (dotted paths, e.g. "author.name") in the front
    matter; a key holding a list gives a unit per string item (`tags: [开源, 飞桨]`)."""
    import yaml  # noqa: PLC0415

    base = span[0]
    root = yaml_loader.compose(text[span[0] : span[1]])
    if not isinstance(root, yaml.MappingNode):
        return []
    units: list[Unit] = []
    for key in keys:
        if identifier_key(key):
            continue
        for node, flow in _scalars(root, key.lstrip("!").split(".")):
            if node.tag != "tag:yaml.org,2002:str":
                continue
            a, b = base + node.start_mark.index, base + node.end_mark.index
            while b > a and text[b - 1] in "\r\n":
                b -= 1  # block scalars end after their final line break
            if not has_letters(node.value):
                continue
            units.append(
                Unit(
                    id="",
                    kind="front_matter",
                    context="yaml",
                    start=a,
                    end=b,
                    line=text.count("\n", 0, a) + 1,
                    text=node.value,
                    placeholders=(),
                    breaks=(),
                    source_segments=(node.value,),
                    yaml_style=(node.style or "") + ("[" if flow else ""),
                )
            )
    return units


def front_matter_fields(text: str, span: tuple[int, int], keys: Iterable[str]) -> list[Field]:
    """Where the scalar values at `keys` are (for `front_matter_set`)."""
    import yaml  # noqa: PLC0415

    root = yaml_loader.compose(text[span[0] : span[1]])
    if not isinstance(root, yaml.MappingNode):
        return []
    fields = []
    for key in keys:
        for node, flow in _scalars(root, key.split(".")):
            if node.style in ("|", ">") or flow:
                continue  # a block scalar or a list item: not a value we set
            a, b = span[0] + node.start_mark.index, span[0] + node.end_mark.index
            fields.append(Field(key, a, b, node.style or ""))
    return sorted(fields, key=lambda f: f.start)


def _scalars(root: object, path: list[str]) -> Iterable[tuple[object, bool]]:
    """(scalar node, inside a flow collection) at `path`, list items one by one."""
    import yaml  # noqa: PLC0415

    for node in _find(root, path):
        if isinstance(node, yaml.ScalarNode):
            yield node, False
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    yield item, bool(node.flow_style)


def _find(node: object, path: list[str]) -> Iterable[object]:
    import yaml  # noqa: PLC0415

    if not path:
        yield node
        return
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == path[0]:
                yield from _find(v, path[1:])
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _find(item, path)


def render_scalar(value: str, style: str, quote: str = '"') -> str:
    """`value` as a YAML scalar: plain where the source's was and it fits, else quoted as
    prettier quotes it (single quotes around a `"`, double around a `'`, else `quote`); double
    quotes for what only they can hold (line breaks, control characters, a backslash). A style
    ending in "[" is that of an item of a flow list (`[a, b]`), where `,[]{}` end a plain scalar."""
    if style.endswith("["):
        style = style[:-1]
        if style == "" and re.search(r"[,\[\]{}]", value):
            style = "'"
    if style == "" and value and not _PLAIN_UNSAFE.search(value) and not _RESERVED.match(value):
        return value
    if style not in ("", "'", '"') or _DOUBLE_ONLY.search(value):
        return json.dumps(value, ensure_ascii=False)
    if '"' in value or ("'" not in value and quote == "'"):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


_DOUBLE_ONLY = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029\ufeff]")
