"""Front matter that is not `---` YAML: Hugo's TOML between `+++` lines, Hugo's JSON object
(the file starts with `{`, the object ends a line), and Hexo's YAML that has no opening
`---` (the file starts with `key: value` lines, ended by `---`)."""

from __future__ import annotations

import re

_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.M)
_HEXO_FIRST = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t]|\r?\n)")
_HEXO_LINE = re.compile(r"(?:[A-Za-z_][\w-]*:(?:\s|$)|[ \t]+\S|-(?:\s|$)|#|\s*$)")
_HEXO_CLOSE = re.compile(r"-{3,}[ \t]*$")


def toml_span(text: str, start: int) -> tuple[int, int, int] | None:
    """(start, end, body start) of `+++` TOML front matter at `start`, or None."""
    first = _TOML_OPEN.match(text, start)
    if first is None:
        return None
    close = _TOML_CLOSE.search(text, first.end())
    return None if close is None else (first.end(), close.start(), close.end())


def toml_problem(src: str) -> tuple[str, int | None] | None:
    """What is wrong with TOML text (and its line), or None."""
    try:
        import tomllib  # noqa: PLC0415
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # noqa: PLC0415
    try:
        tomllib.loads(src)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return str(exc), int(m.group(1)) if m else None
    return None


def hexo_span(text: str, start: int) -> tuple[int, int, int] | None:
    """(start, end, body start) of Hexo's front matter without an opening `---`, or None:
    `key: value` lines (and their indented or listed continuations) up to a `---` line, which
    must parse as a YAML mapping. (CommonMark would read them as a setext heading.)"""
    if _HEXO_FIRST.match(text, start) is None:
        return None
    pos = start
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        line = text[pos:end].rstrip("\r\n")
        if _HEXO_CLOSE.fullmatch(line):
            break
        if not _HEXO_LINE.match(line):
            return None
        pos = end
    else:
        return None
    from .._syntax import yaml_loader  # noqa: PLC0415

    try:
        value = yaml_loader.load(text[start:pos])
    except yaml_loader.yaml_errors():
        return None
    if not isinstance(value, dict) or not value:
        return None
    return start, pos, end


def json_span(text: str, start: int) -> tuple[int, int, int] | None:
    """(start, end, body start) of a JSON object opening the file (Hugo), or None."""
    import json  # noqa: PLC0415

    if not text.startswith("{", start) or text[start + 1 : start + 2] not in ("\n", "\r", " ", "\t", '"'):
        return None
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    rest = re.compile(r"[ \t]*(?:\r?\n|\Z)").match(text, end)
    if not isinstance(value, dict) or rest is None:
        return None
    return start, end, rest.end()


def json_spans(text: str, span: tuple[int, int]) -> list[tuple[str, int, int]]:
    """(dotted key, start, end) of each string value of the JSON object at `span` (quotes
    included) that a key holds directly, in objects nested in objects (lists are skipped)."""
    import json  # noqa: PLC0415

    string = re.compile(r'"(?:[^"\\\n]|\\.)*"')
    colon = re.compile(r"\s*:")
    out: list[tuple[str, int, int]] = []
    stack: list[str | None] = []  # for each open container: its key path ("[": a list)
    key: str | None = None
    pos, end = span[0], span[1]
    while pos < end:
        c = text[pos]
        if c == '"':
            m = string.match(text, pos, end)
            if m is None:
                break
            after = colon.match(text, m.end(), end)
            if after is not None and stack and stack[-1] != "[":
                key, pos = json.loads(m.group(0)), after.end()
                continue
            if key is not None and stack and stack[-1] != "[":
                out.append((".".join(p for p in (stack[-1], key) if p), m.start(), m.end()))
            key, pos = None, m.end()
            continue
        if c == "{":
            outer = stack[-1] if stack else ""
            stack.append("[" if outer == "[" else ".".join(p for p in (outer, key) if p))
            key = None
        elif c == "[":
            stack.append("[")
            key = None
        elif c in "}]" and stack:
            stack.pop()
            key = None
        pos += 1
    return out
