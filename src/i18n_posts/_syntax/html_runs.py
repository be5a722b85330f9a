"""HTML (blocks and inline tags) -> pieces, with the stdlib's tokenizer and exact positions.

`html.parser.HTMLParser` reports each construct (tag, text, entity, comment) when it
starts, and every character of the input belongs to one construct, so an event's span
runs from its start to the next event's start. Text between block-level tags forms
runs; inline tags and entities inside a run become placeholders, so the run is one unit.
Content of `<style>`, `<script>`, `<pre>`, `<code>`... is never part of a unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from .pieces import RAW_INLINE_TAGS, VOID_TAGS, Piece, split_breaks
from .script_imports import relative_specifiers

INLINE_TAGS = (
    frozenset(
        "a abbr b bdi bdo br cite data del dfn em font i img ins label mark q s small span strike "
        "strong sub sup time u wbr".split()
    )
    | RAW_INLINE_TAGS
)
SKIP_TAGS = frozenset({"script", "style", "pre", "textarea"})

_ATTR = re.compile(r"""\s([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|[^\s"'=<>`]+))?""")

Event = tuple[str, str, int, int]
"""(kind, tag, start, end) with kind in start, startend, end, data, entity, comment, other."""


class _Tokenizer(HTMLParser):
    def __init__(self, src: str) -> None:
        super().__init__(convert_charrefs=False)
        self.starts = [0] + [m.end() for m in re.finditer("\n", src)]
        self.events: list[list[object]] = []

    def _add(self, kind: str, tag: str = "") -> None:
        line, col = self.getpos()
        self.events.append([kind, tag, self.starts[line - 1] + col])

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._add("start", tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._add("startend", tag)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("data")

    def handle_entityref(self, name: str) -> None:
        self._add("entity")

    def handle_charref(self, name: str) -> None:
        self._add("entity")

    def handle_comment(self, data: str) -> None:
        self._add("comment")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


def tokenize(src: str) -> list[Event]:
    """Events covering `src` from start to end, contiguous."""
    t = _Tokenizer(src)
    t.feed(src)
    t.close()
    evs = t.events
    out: list[Event] = []
    for i, (kind, tag, start) in enumerate(evs):
        end = evs[i + 1][2] if i + 1 < len(evs) else len(src)
        if end > start:  # type: ignore[operator]
            out.append((kind, tag, start, end))  # type: ignore[arg-type]
    return out


def attribute_spans(tag_text: str, names: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Spans (within `tag_text`, a start tag) of the quoted values of attributes in `names`."""
    m = re.match(r"<[A-Za-z][^\s/>]*", tag_text)
    if not m:
        return
    for a in _ATTR.finditer(tag_text, m.end()):
        if a.group(1).lower() in names:
            g = 2 if a.group(2) is not None else 3 if a.group(3) is not None else 0
            if g and a.end(g) > a.start(g):
                yield a.start(g), a.end(g)


def html_runs(
    src: str,
    to_src: Callable[[int], int],
    attrs_for: Callable[[str], frozenset[str]],
    attr_out: list[tuple[int, int]],
    urls: tuple[frozenset[str], list[tuple[int, int]]] | None = None,
    modules: list[tuple[int, int]] | None = None,
) -> list[list[Piece]]:
    """The text runs of an HTML fragment as lists of pieces (source coordinates).

    Values of translatable attributes (`attrs_for(the tag's name as written)`) are appended
    to `attr_out`, and those of the URL attributes `urls[0]` to `urls[1]` (source
    coordinates), with the relative module specifiers of `<script>` blocks.
    """
    events = tokenize(src)
    runs: list[list[Piece]] = []
    run: list[Piece] = []
    stack: dict[str, list[int]] = {}
    pair = 0
    skip: list[str] = []
    i = 0
    while i < len(events):
        kind, tag, a, b = events[i]
        i += 1
        if skip:
            if kind == "data" and skip[-1] == "script" and modules is not None:
                for x, y in relative_specifiers(src[a:b]):  # `import X from '../a.vue'`
                    modules.append((to_src(a + x), to_src(a + y)))
            if kind == "end" and tag == skip[-1]:
                skip.pop()
            elif kind == "start" and tag == skip[-1]:
                skip.append(tag)
            continue
        if kind in ("start", "startend"):
            written = re.match(r"<([A-Za-z][^\s/>]*)", src[a:b])  # (html.parser lowers the name)
            for x, y in attribute_spans(src[a:b], attrs_for(written.group(1) if written else tag)):
                attr_out.append((to_src(a + x), to_src(a + y)))
            if urls is not None:
                for x, y in attribute_spans(src[a:b], urls[0]):
                    urls[1].append((to_src(a + x), to_src(a + y)))
        if kind == "data":
            run += split_breaks_mapped(src, a, b, to_src)
        elif kind == "entity":
            run.append(Piece("standalone", to_src(a), to_src(b), "entity"))
        elif kind in ("start", "startend", "end") and tag in INLINE_TAGS:
            if tag in RAW_INLINE_TAGS and kind == "start":
                j = _matching_end(events, i, tag)
                end = events[j][3] if j is not None else b
                run.append(Piece("standalone", to_src(a), to_src(end), "html:" + tag))
                i = j + 1 if j is not None else i
            elif kind == "start" and tag not in VOID_TAGS:
                pair += 1
                stack.setdefault(tag, []).append(len(run))
                run.append(Piece("open", to_src(a), to_src(b), "html:" + tag, pair))
            elif kind == "end" and stack.get(tag):
                k = stack[tag].pop()
                run.append(Piece("close", to_src(a), to_src(b), "html:" + tag, run[k].pair))
            else:
                run.append(Piece("standalone", to_src(a), to_src(b), "html:" + tag))
        else:
            # a block-level tag, a comment or a declaration ends the run
            runs.append(_unpaired_to_standalone(run, stack))
            run, stack = [], {}
            if kind == "start" and tag in SKIP_TAGS:
                skip.append(tag)
    runs.append(_unpaired_to_standalone(run, stack))
    return [r for r in runs if r]


def split_breaks_mapped(src: str, a: int, b: int, to_src: Callable[[int], int]) -> list[Piece]:
    return [Piece(p.kind, to_src(p.start), to_src(p.end)) for p in split_breaks(src, a, b)]


def _matching_end(events: list[Event], i: int, tag: str) -> int | None:
    depth = 1
    for j in range(i, len(events)):
        kind, t = events[j][0], events[j][1]
        if t == tag and kind == "start":
            depth += 1
        elif t == tag and kind == "end":
            depth -= 1
            if depth == 0:
                return j
    return None


def _unpaired_to_standalone(run: list[Piece], stack: dict[str, list[int]]) -> list[Piece]:
    for idxs in stack.values():
        for k in idxs:
            p = run[k]
            run[k] = Piece("standalone", p.start, p.end, p.label)
    return run
