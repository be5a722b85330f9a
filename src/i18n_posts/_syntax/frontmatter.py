"""Front matter values -> units, and a translated value -> YAML text for its old place.

We never re-dump the YAML (that reorders keys and drops comments): PyYAML's node tree
gives each scalar's exact span, the unit replaces that span, and `render_scalar` writes
the new value in the source's quoting style when that style can hold it, else quoted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..model import Unit
from . import yaml_loader
from .pieces import has_letters

_PLAIN_UNSAFE = re.compile(r"""^[\s\-?:,\[\]{}#&*!|>'"%@`]|:\s|\s#|:$|\s$|[\n\r\t]""")
_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def front_matter_units(text: str, span: tuple[int, int], keys: Iterable[str]) -> list[Unit]:
    """Units for the string values at `keys` (dotted paths, e.g. "author.name") in the front matter."""
    import yaml  # noqa: PLC0415

    base = span[0]
    root = yaml_loader.compose(text[span[0] : span[1]])
    if not isinstance(root, yaml.MappingNode):
        return []
    units: list[Unit] = []
    for key in keys:
        for node in _find(root, key.split(".")):
            if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
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
                    yaml_style=node.style or "",
                )
            )
    return units


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
    quotes for what only they can hold (line breaks, control characters, a backslash)."""
    if style == "" and value and not _PLAIN_UNSAFE.search(value) and not _RESERVED.match(value):
        return value
    if style not in ("", "'", '"') or _DOUBLE_ONLY.search(value):
        return json.dumps(value, ensure_ascii=False)
    if '"' in value or ("'" not in value and quote == "'"):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


_DOUBLE_ONLY = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029\ufeff]")
