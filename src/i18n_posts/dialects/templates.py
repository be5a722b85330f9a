"""Template syntax in posts: Hugo shortcodes and Liquid tags and outputs (Jekyll, Hexo).

    {{< figure src="a.png" caption="图一：架构" >}}    {{% notice tip "提示" %}} ... {{% /notice %}}
    {% include note.html content="……" %}            {% codeblock 文件名 lang:js %} ... {% endcodeblock %}
    {{ site.title }}                                 {% raw %} ... {% endraw %}

A tag is one placeholder wherever it stands; a line holding only tags is a block of its
own (it never joins the paragraph next to it). Quoted arguments holding prose (a caption,
a title) and the words of a Liquid tag that are not options are units of their own, whose
quotes `values.render_value` keeps valid. The bodies of `highlight`, `codeblock`, `code`
and `raw` are never translated.
"""

from __future__ import annotations

import re
from typing import Any

from ._rules import add_block_rule, add_inline_rule, add_value, indent_ok, opaque_inline, regex_end

_NOT_ACROSS = r"\n[ \t]*\n|\{\{|\{%"  # a tag never runs over a blank line or into another tag
SHORTCODE = (
    rf"\{{\{{<(?:(?!{_NOT_ACROSS}).){{0,3000}}?>\}}\}}|\{{\{{%(?:(?!{_NOT_ACROSS}).){{0,3000}}?%\}}\}}"
)
LIQUID = (
    rf"\{{%(?:(?!%\}}|{_NOT_ACROSS}).){{0,1000}}?%\}}"
    rf"|\{{\{{(?![<%])(?:(?!\}}\}}|{_NOT_ACROSS}).){{0,1000}}?\}}\}}"
)
TAG = re.compile(f"{SHORTCODE}|{LIQUID}", re.S)
"""Any template tag (shortcode first: `{{<` is not a Liquid output)."""

_RAW_LIQUID = frozenset({"codeblock", "highlight", "code", "raw", "include_code"})
_RAW_SHORTCODE = frozenset({"highlight"})
_NO_TEXT = frozenset({"ref", "relref", "param", "gist", "youtube", "vimeo", "tweet", "x", "instagram"})
_CODE_KEYS = frozenset(
    "src href link url target rel class id lang type width height ref name anchor file path icon".split()
)
_SC_ARG = re.compile(r"\s*(?:([A-Za-z_][\w-]*)=)?(\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[^\s\"`]+)", re.S)
_LIQUID_WORD = re.compile(r"\"[^\"]*\"|'[^']*'|\S+")
_LIQUID_OPTION = re.compile(r"^(?:[A-Za-z_][\w-]*:\S+|[A-Za-z_][\w-]*=\S*|[a-z][a-z0-9+.-]*://\S+)$")


def _name(raw: str) -> tuple[str, str, int]:
    """(kind "<", "%", "liquid" or "output", name, end of the name in `raw`)."""
    if raw.startswith(("{{<", "{{%")):
        m = re.compile(r"\s*(/?)\s*(/\*)?\s*([\w./-]*)").match(raw, 3)
        assert m is not None
        return raw[2], m.group(1) + m.group(3) if not m.group(2) else "", m.end()
    if raw.startswith("{%"):
        m = re.compile(r"-?\s*([\w./-]*)").match(raw, 2)
        assert m is not None
        return "liquid", m.group(1), m.end()
    return "output", "", 2


def text_args(raw: str) -> list[tuple[int, int]]:
    """Spans (in `raw`, one tag) of the arguments a reader sees: quoted shortcode arguments
    other than paths and names; quoted Liquid arguments and runs of plain words."""
    kind, name, pos = _name(raw)
    if not name or name.startswith("/") or name in _NO_TEXT:
        return []
    end = len(raw) - 3 if kind in "<%" else len(raw) - 2
    while end > pos and raw[end - 1] == "-":
        end -= 1  # {%- ... -%}
    spans: list[tuple[int, int]] = []
    if kind in ("<", "%"):
        while (m := _SC_ARG.match(raw, pos, end)) is not None and m.end() > pos:
            value = m.group(2)
            if value[0] in '"`' and (m.group(1) or "").lower() not in _CODE_KEYS:
                spans.append((m.start(2) + 1, m.end(2) - 1))
            pos = m.end()
        return spans
    if kind != "liquid":
        return []
    run: list[tuple[int, int]] = []
    for m in _LIQUID_WORD.finditer(raw, pos, end):
        w = m.group(0)
        key = w.split("=", 1)[0].lower() if "=" in w else ""
        if w[0] in "\"'" or (key and w[len(key) + 1 : len(key) + 2] in "\"'"):
            q = m.start() + (len(key) + 1 if key and w[0] not in "\"'" else 0)
            if key not in _CODE_KEYS:
                spans.append((q + 1, m.end() - 1))
            run = _flush(run, spans)
        elif _LIQUID_OPTION.match(w) or w in "|,":
            run = _flush(run, spans)
        else:
            run.append((m.start(), m.end()))
    _flush(run, spans)
    return spans


def _flush(run: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if run:
        spans.append((run[0][0], run[-1][1]))
    return []


def raw_body_end(raw: str, liquid: bool) -> re.Pattern[str] | None:
    """For a tag whose body is code (`{% highlight %}`, `{{< highlight >}}`): its closing tag."""
    kind, name, _ = _name(raw)
    if kind == "liquid" and liquid and name in _RAW_LIQUID:
        return re.compile(r"[ \t]*\{%-?\s*end" + re.escape(name) + r"\s*-?%\}[ \t]*$")
    if kind in "<%" and name in _RAW_SHORTCODE:
        return re.compile(
            r"[ \t]*\{\{" + re.escape(raw[2]) + r"\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}[ \t]*$"
        )
    return None


def extension(liquid: bool) -> Any:
    """The markdown-it plugin for shortcodes (and Liquid if `liquid`)."""
    rx = TAG  # a Liquid-looking tag in a Hugo post is kept too: it is no prose

    inline = opaque_inline("template", regex_end(rx))

    def block(state: Any, start: int, end: int, silent: bool) -> bool:
        if not indent_ok(state, start):
            return False
        src, pos = state.src, state.bMarks[start] + state.tShift[start]
        if not src.startswith("{", pos):
            return False
        tags_end = pos
        first = None
        while (m := rx.match(src, tags_end)) is not None:
            first = first or m.group(0)
            tags_end = m.end()
            while tags_end < len(src) and src[tags_end] in " \t":
                tags_end += 1
        if first is None:
            return False
        last = start
        while last < end and state.eMarks[last] < tags_end:
            last += 1
        if last >= end or state.eMarks[last] != tags_end:
            return False  # text follows the tags on their line: they are inline
        closing = raw_body_end(first, liquid)
        info = ""
        if closing is not None:
            close = next(
                (n for n in range(last + 1, end) if closing.match(src, state.bMarks[n], state.eMarks[n])),
                None,
            )
            if close is not None:
                last, info = close, "raw"
        if silent:
            return True
        token = state.push("template_block", "", 0)
        token.map = [start, last + 1]
        token.info = info
        token.content = src[pos:tags_end]
        state.line = last + 1
        return True

    def plugin(md: Any) -> None:
        add_inline_rule(md, "template", inline)
        add_block_rule(md, "template_block", block)
        md.inline.ruler.at("link", _tag_blind(md.inline.ruler.__rules__[md.inline.ruler.__find__("link")].fn))

    return plugin


def _tag_blind(link: Any) -> Any:
    """markdown-it's link rule, reading a tag in the destination (`[a]({{ site.baseurl }}/x)`,
    `[b]({{< ref "c.md" >}})`) as one word: the generator replaces it before Markdown is read."""

    def rule(state: Any, silent: bool) -> bool:
        src = state.src
        if "{" not in src:
            return bool(link(state, silent))
        state.src = TAG.sub(lambda m: re.sub(r"[\s\"'<>]", "_", m.group(0)), src)
        try:
            return bool(link(state, silent))
        finally:
            state.src = src

    return rule


def template_block(run: Any, tokens: list[Any], i: int) -> None:
    """Units of the text arguments of a block of tags (the opening tag only, for a code block)."""
    tok = tokens[i]
    if tok.map is None:
        return
    ls, _ = run.line(tok.map[0])
    start = run.nb.find(tok.content[:3], ls)
    for m in TAG.finditer(run.nb, start, start + len(tok.content)):
        for a, b in text_args(m.group(0)):
            add_value(run, m.start() + a, m.start() + b)


HANDLERS = (("template_block", template_block),)
