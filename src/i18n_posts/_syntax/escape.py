"""Escaping for translated text: what a backend wrote must stay text where it lands.

A translation may contain characters that would become markup in the output: `*` that
pairs into emphasis, `<PID>` that reads as an HTML tag, a `|` that splits a table cell, a
line that starts with `# `. The source's own text had none of that effect (its markup is in
placeholders), so such characters are escaped; what is harmless is left as written.
Only translations that differ from the source are escaped (identity stays byte-exact).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Unit

Escaper = Callable[[str], str]
"""Text piece -> escaped piece. (Block markup at the start of a line is escaped by assembly,
which sees the whole line, placeholders included.)"""

_VUE = re.compile(r"(\{\{+)")
_VUE_ESCAPED = re.compile(r"<span v-pre>(\{\{+)</span>")


def vue_escaped(braces: str) -> str:
    """How a new `{{` is written in Markdown text: markdown-it decodes a character reference
    (`&#123;` becomes `{` again, and Vue would compile it), but text in a `v-pre` element is
    never compiled."""
    return f"<span v-pre>{braces}</span>"


def vue_unescaped(text: str) -> str:
    """`text` with `vue_escaped` undone (for reading back what assembly wrote)."""
    return _VUE_ESCAPED.sub(r"\1", text)


_HTML_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# a backslash before punctuation, or at the end of a piece (it would escape the markup after it)
_ALWAYS = re.compile(r"([*`]|\\(?=[!-/:-@\[-`{-~]|\Z))")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_CLOSE_THEN = re.compile(r"\]\s*[(\[:]")
_SPECIAL = re.compile(r"[<&*`\\_\[\]~$|]")
"""Every character that the Markdown escaping below may act on."""
LINE_START = re.compile(
    r"^[ \t]*(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)"
    r"|=+[ \t]*$|-+[ \t]*$|`{3,}|~{3,}|:{3,})"
)


def make_escaper(unit: Unit, new: str, quote: str) -> Escaper:
    """An escaper for `new` (the translation without placeholders) as the text of `unit`.

    `quote` is the character before the unit (an attribute's quote)."""
    src = "".join(unit.source_segments)
    html = _more(_HTML_LIKE, new, src, "<")
    entity = _more(_ENTITY_LIKE, new, src, "&")
    # VitePress compiles a page as a Vue template: a new `{{` would be an interpolation
    vue = new.count("{{") > src.count("{{")

    def html_text(s: str, vue: bool = vue) -> str:
        if entity:
            s = _ENTITY_LIKE.sub("&amp;", s)
        if vue:
            s = s.replace("{{", "&#123;&#123;")
        if html:
            s = _HTML_LIKE.sub("&lt;", s)
        return s

    if unit.context in ("markdown", "table"):
        table = unit.context == "table"
        brackets = new.count("[") > src.count("[") or ("]" in new and _CLOSE_THEN.search(new) is not None)
        dollar = new.count("$") > src.count("$") or new.count("$") >= 2

        def markdown(s: str) -> str:
            if vue and "{{" in s:
                parts = _VUE.split(s)
                return "".join(
                    _markdown_text(part) if i % 2 == 0 else vue_escaped(part) for i, part in enumerate(parts)
                )
            return _markdown_text(s)

        def _markdown_text(s: str) -> str:
            if not _SPECIAL.search(s):
                return s  # nothing below would change it (the common case: plain words)
            s = html_text(s, vue=False)
            s = _ALWAYS.sub(r"\\\1", s)
            s = _UNDERSCORE.sub(r"\\_", s)
            if brackets:
                s = re.sub(r"([\[\]])", r"\\\1", s)
            s = s.replace("~", "\\~")  # a tilde next to a ~~ placeholder would join it
            if dollar:
                s = s.replace("$", "\\$")
            if table:
                s = re.sub(r"(?<!\\)\|", r"\\|", s)
            return s

        return markdown
    if unit.context == "attribute":
        q = quote if quote in "\"'" and quote else '"'

        def attribute(s: str) -> str:
            if entity:
                s = _ENTITY_LIKE.sub("&amp;", s)
            if quote == "(":  # a Markdown link title in parentheses
                return re.sub(r"([()])", r"\\\1", s)
            return s.replace(q, "&quot;" if q == '"' else "&#39;")

        return attribute

    return html_text


def _more(rx: re.Pattern[str], new: str, src: str, first: str) -> bool:
    """More matches of `rx` (whose matches all start with `first`) in `new` than in `src`."""
    return first in new and len(rx.findall(new)) > len(rx.findall(src))
