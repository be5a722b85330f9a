"""MDX (Docusaurus): `import`/`export` statements and `{expressions}` are code.

An ESM statement that starts a line runs to the next blank line and is never translated;
an expression is one placeholder (a line of it alone, a block), and its string literals
that hold prose are units whose quotes stay valid. In a JSX tag only the text props
(`jsx_text_props`: `title`, `label`...) are prose: `title="提示"`, `title={"提示"}` and,
inside a prop's braces, the values of those keys (`values={[{label: '苹果', value: 'mac'}]}`).
"""

from __future__ import annotations

import re
from typing import Any

from ._rules import add_block_rule, add_inline_rule, indent_ok, opaque_inline

ESM = re.compile(
    r"(?:import\s+[\w*${},\s]+\s+from\s+['\"]|import\s+['\"][^'\"]+['\"]\s*;?|import\s*\{"
    r"|export\s+(?:default\b|const\b|let\b|var\b|function\b|class\b|async\b|\{|\*))"
)
TEXT_PROPS: tuple[str, ...] = ("alt", "aria-label", "caption", "description", "label", "placeholder", "title")
"""The JSX props whose string values are prose, by default (`jsx_text_props`)."""
_KEY = re.compile(r"(?:^|[{,])\s*([A-Za-z_$][\w$-]*|\"[^\"\n]*\"|'[^'\n]*')\s*:\s*$")
LITERAL = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`(?:[^`\\]|\\.)*`", re.S)


def balanced(s: str, start: int, stop: int | None = None) -> int | None:
    """End (exclusive) of the `{...}` at `start`, string literals and comments skipped."""
    depth, i = 0, start
    stop = len(s) if stop is None else stop
    while i < stop:
        c = s[i]
        if c in "'\"`":
            m = LITERAL.match(s, i, stop)
            i = m.end() if m else i + 1
            continue
        if s.startswith("/*", i):
            j = s.find("*/", i + 2, stop)
            i = stop if j < 0 else j + 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def literal_spans(raw: str) -> list[tuple[int, int]]:
    """The insides of the string literals of an expression."""
    return [(m.start() + 1, m.end() - 1) for m in LITERAL.finditer(raw)]


_ATTR = re.compile(r"\s+([^\s=>/{}\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|(?=\{)))?")


Prop = tuple[str | None, int, int]
"""(the prop's name, None for a spread `{...props}`; start; end) of a value in a JSX tag."""


def jsx_tag(s: str, start: int, stop: int) -> tuple[int, list[Prop], list[Prop]] | None:
    """(end, braced values `{...}`, insides of quoted values) of a JSX tag at `start` whose
    attributes use braces (`<Tabs values={[...]}>`, `<A {...props} />`), or None (plain
    HTML is read as HTML)."""
    m = re.compile(r"<[A-Za-z][\w.:-]*").match(s, start, stop)
    if m is None:
        return None
    pos, braces, quoted = m.end(), [], []
    while pos < stop:
        ws = pos
        while ws < stop and s[ws] in " \t\n":
            ws += 1
        if s.startswith(("/>", ">"), ws):  # (`<A x={1} />`: a space before the end)
            end = ws + (2 if s[ws] == "/" else 1)
            return (end, braces, quoted) if braces else None
        a = _ATTR.match(s, pos, stop)
        if a is not None and a.end() > pos and not s.startswith("{", a.end()):
            if a.group(2):
                quoted.append((a.group(1), a.start(2) + 1, a.end(2) - 1))
            pos = a.end()
            continue
        b = a.end() if a is not None else pos
        name = a.group(1) if a is not None and "=" in a.group(0) else None
        while b < stop and s[b] in " \t\n":
            b += 1
        if not s.startswith("{", b):
            return None
        close = balanced(s, b, stop)
        if close is None:
            return None
        braces.append((name, b, close))
        pos = close
    return None


def jsx_literals(raw: str, props: frozenset[str]) -> list[tuple[int, int]]:
    """The insides of the string values of a JSX tag's text `props`: quoted, or string
    literals in the prop's braces (in an object, those of keys in `props`)."""
    found = jsx_tag(raw, 0, len(raw))
    if found is None:
        return []
    out = [(a, b) for name, a, b in found[2] if name in props]
    for name, a, b in found[1]:
        body = raw[a:b]
        for x, y in literal_spans(body):
            key = _KEY.search(body, 0, x - 1)
            if (key.group(1).strip("'\"") if key else name) in props:
                out.append((a + x, a + y))
    return sorted(out)


def _jsx_end(src: str, pos: int, stop: int) -> int | None:
    found = jsx_tag(src, pos, stop)
    return found[0] if found else None


_jsx_inline = opaque_inline("jsx", _jsx_end, "<")


def _jsx_block(state: Any, start: int, end: int, silent: bool) -> bool:
    """A line of JSX tags with braces (and plain tags) alone is a block of its own."""
    if not indent_ok(state, start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("<", pos):
        return False
    stop, any_jsx = pos, False
    while stop < len(state.src) and state.src.startswith("<", stop):
        found = jsx_tag(state.src, stop, len(state.src))
        if found is not None:
            stop, any_jsx = found[0], True
        else:
            m = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s+[^<>{}]*)?/?>").match(state.src, stop)
            if m is None:
                return False
            stop = m.end()
        while stop < len(state.src) and state.src[stop] in " \t":
            stop += 1
    last = start
    while last < end and state.eMarks[last] < stop:
        last += 1
    if not any_jsx or last >= end or state.eMarks[last] != stop:
        return False
    if not silent:
        token = state.push("jsx_block", "", 0)
        token.map = [start, last + 1]
        token.content = state.src[pos:stop]
    state.line = last + 1
    return True


def _esm(state: Any, start: int, end: int, silent: bool) -> bool:
    if state.blkIndent or state.sCount[start] or not ESM.match(state.src, state.bMarks[start]):
        return False
    if silent:
        return True
    n = start + 1
    while n < end and not state.isEmpty(n):
        n += 1
    state.push("mdx_esm", "", 0).map = [start, n]
    state.line = n
    return True


def _expr_block(state: Any, start: int, end: int, silent: bool) -> bool:
    if not indent_ok(state, start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("{", pos):
        return False
    stop = balanced(state.src, pos)
    if stop is None:
        return False
    last = start
    while last < end and state.eMarks[last] < stop:
        last += 1
    if last >= end or state.src[stop : state.eMarks[last]].strip():
        return False
    if not silent:
        token = state.push("mdx_expr", "", 0)
        token.map = [start, last + 1]
        token.content = state.src[pos:stop]
    state.line = last + 1
    return True


_inline = opaque_inline("expr", balanced)


def extension(md: Any) -> None:
    add_block_rule(md, "mdx_esm", _esm)
    add_block_rule(md, "mdx_expr", _expr_block)
    add_inline_rule(md, "expr", _inline)
    add_block_rule(md, "jsx_block", _jsx_block, before="html_block")
    md.inline.ruler.before("html_inline", "jsx", _jsx_inline)


def expr_block(run: Any, tokens: list[Any], i: int) -> None:
    """Units of the prose string literals of a block expression."""
    from ._rules import add_value  # noqa: PLC0415

    tok = tokens[i]
    if tok.map is None:
        return
    ls, _ = run.line(tok.map[0])
    start = run.nb.find("{", ls)
    for a, b in literal_spans(tok.content):
        add_value(run, start + a, start + b)


def jsx_block(run: Any, tokens: list[Any], i: int) -> None:
    """Units of the text props (`jsx_text_props`) of a block of JSX tags."""
    from ._rules import add_value  # noqa: PLC0415

    tok = tokens[i]
    if tok.map is None:
        return
    ls, _ = run.line(tok.map[0])
    start = run.nb.find("<", ls)
    pos = start
    props = frozenset(run.seg.options.jsx_text_props)
    while pos < start + len(tok.content):
        found = jsx_tag(run.nb, pos, start + len(tok.content))
        if found is None:
            nxt = run.nb.find("<", pos + 1, start + len(tok.content))
            pos = start + len(tok.content) if nxt < 0 else nxt
            continue
        for a, b in jsx_literals(run.nb[pos : found[0]], props):
            add_value(run, pos + a, pos + b)
        pos = found[0]


HANDLERS = (("mdx_expr", expr_block), ("jsx_block", jsx_block))
