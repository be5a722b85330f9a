"""markdown-it-py, configured as VitePress reads posts, and inline parsing with source positions.

markdown-it's inline tokens carry no positions. We wrap every inline rule: when a rule
succeeds it moved `state.pos` from p0 to p1 and pushed tokens, so those tokens come from
src[p0:p1]. After the inline parse (and the emphasis post-processing, which turns
delimiter tokens into em/strong tokens in place) each token that is markup has a source
span, and everything between them is text. `inline_pieces` turns that into `Piece`s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.linkify import SCHEME_RE
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from .cjk_emphasis import cjk_pairs
from .pieces import VOID_TAGS, Piece, balance, raw_html_pieces

CONTAINER_NAMES = frozenset(
    "tip warning danger info details note important caution code-group raw v-pre".split()
)
"""VitePress custom containers (`::: tip Title`)."""

_RECORDS = "_i18n_posts_spans"
_PAIRED_RULES = frozenset({"emphasis", "strikethrough"})
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>\s*\Z", re.S)


MAX_NESTING = 100
"""As markdown-it's default preset, which VitePress uses (CommonMark's preset stops at 20:
lists deeper than 9 levels would be left unread)."""


def make_parser(extensions: tuple[Callable[[MarkdownIt], None], ...] = ()) -> MarkdownIt:
    """A parser that reads posts as VitePress does (html, tables, footnotes, math, containers),
    then changed by `extensions` (a dialect's markdown-it plugins, see `i18n_posts.dialects`)."""
    from mdit_py_plugins.container import container_plugin  # noqa: PLC0415
    from mdit_py_plugins.dollarmath import dollarmath_plugin  # noqa: PLC0415
    from mdit_py_plugins.footnote import footnote_plugin  # noqa: PLC0415

    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin).use(dollarmath_plugin, double_inline=True)
    md.use(container_plugin, name="vp", validate=_container_validate)
    # Units are parsed one by one with positions (below); the core inline pass, the
    # footnote tail (rendering only), fuzzy linkify and text joining would lose them.
    md.disable(["inline", "footnote_tail", "text_join"], ignoreInvalid=True)
    md.core.ruler.disable("linkify")
    md.inline.ruler2.disable("fragments_join")  # it merges the delimiter tokens we track
    for extension in extensions:
        extension(md)
    if extensions:  # dialect syntax (shortcodes, attribute lists, MDX) starts with a brace
        md.options["i18n_posts_markup"] = re.compile(_MARKUP.pattern + "|[{]", re.I)
    names = [r.name for r in md.inline.ruler.__rules__ if r.enabled]
    md.inline.tokenize = functools.partial(_tokenize, md.inline, names)  # type: ignore[method-assign]
    return md


def _container_validate(params: str, *args: Any) -> bool:
    name = params.strip().split(maxsplit=1)
    return bool(name) and name[0] in CONTAINER_NAMES


def _tokenize(parser: ParserInline, names: list[str], state: StateInline) -> None:
    """markdown-it's inline tokenize loop, recording which source span each token came from.

    A rule that succeeds moved `state.pos` from p0 to p1 and pushed tokens: they come from
    src[p0:p1] (a link's label is tokenized by a nested call, which records its own)."""
    rules = parser.ruler.getRules("")
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    records: dict[int, tuple[str, int, int, int]] = state.env[_RECORDS]
    while state.pos < end:
        p0 = state.pos
        ok = False
        if state.level < max_nesting:
            n0 = len(state.tokens)
            for k, rule in enumerate(rules):
                ok = rule(state, False)
                if ok:
                    if state.pos <= p0:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    if len(state.tokens) > n0:
                        _record(names[k], state, p0, n0, records)
                    break
        if ok:
            if state.pos >= end:
                break
            continue
        state.append_pending(state.src[state.pos])
        state.pos += 1
    if state.pending:
        state.pushPending()


def _record(
    name: str, state: StateInline, p0: int, n0: int, records: dict[int, tuple[str, int, int, int]]
) -> None:
    tokens = state.tokens
    if name in _PAIRED_RULES:
        # one text token per delimiter run piece, the last ones pushed; before them, maybe
        # the pending text that `push` flushed
        pos = state.pos
        for tok in reversed(tokens[n0:]):
            if pos <= p0:
                break
            records[id(tok)] = (name, pos - len(tok.content), pos, -1)
            pos -= len(tok.content)
        return
    start = p0
    if name == "linkify":
        m = SCHEME_RE.search(state.src, max(0, p0 - 64), p0)
        start = p0 - len(m.group(1)) if m else p0
    extra = -1
    if name == "link":
        extra = parseLinkLabel(state, p0, True)
    elif name == "image":
        extra = parseLinkLabel(state, p0 + 1, False)
    for tok in tokens[n0:]:
        if tok.type != "text" and id(tok) not in records:
            records[id(tok)] = (name, start, state.pos, extra)


def inline_pieces(
    md: MarkdownIt,
    env: dict[str, Any],
    content: str,
    to_src: Callable[[int], int],
    title_spans: list[tuple[int, int]],
    url_spans: list[tuple[int, int]] | None = None,
) -> list[Piece]:
    """Parse `content` (one block's inline text) and describe it as pieces in source coordinates.

    `to_src(i)` maps an index of `content` (0..len) to the post text. Link and image titles
    found on the way are appended to `title_spans` (source coordinates) to become units.
    """
    if not md.options.get("i18n_posts_markup", _MARKUP).search(content):
        return _plain_pieces(content, to_src)  # no character any inline rule acts on
    env[_RECORDS] = records = {}
    tokens: list[Token] = []
    md.inline.parse(content, md, env, tokens)
    marks: list[tuple[int, int, str, str, int]] = []  # (start, end, kind, label, pair) in content coords
    nested: dict[int, tuple[int, list[Piece]]] = {}  # image alt start -> (alt end, its pieces)
    pair_id = 0
    open_stack: dict[str, list[tuple[int, int]]] = {}
    emph: list[tuple[int, int, str, str]] = []  # consumed delimiter chars: (start, end, token type, char)
    loose: list[tuple[int, int]] = []
    for tok in tokens:
        rec = records.get(id(tok))
        if rec is None:
            continue
        rule, a, b, extra = rec
        if rule == "escape" and tok.type == "text_special" and tok.content == tok.markup:
            continue  # `\调`, `\a`: CommonMark escapes ASCII punctuation only; this backslash is text
        if rule in _PAIRED_RULES:
            if tok.type != "text":
                emph.append((a, b, tok.type, content[a]))
            elif tok.content == "":
                emph.append((a, b, "consumed", content[a]))
            elif rule == "emphasis" and tok.content == "*":
                loose.append((a, b))  # left unpaired: maybe CJK emphasis (see cjk_emphasis)
            continue
        # a trailing space belongs to the line break, unless it is part of the markup before
        # it (the escape `\ ` keeps its space)
        floor = marks[-1][1] if marks else 0
        if tok.type == "softbreak":
            while a > floor and content[a - 1] == " ":
                a -= 1  # a trailing space belongs to the line break, not to the text
            marks.append((a, b, "break", "", -1))
        elif tok.type == "hardbreak" and rule == "newline":
            while a > floor and content[a - 1] == " ":
                a -= 1
            marks.append((a, b, "standalone", "line break", -1))
        elif rule in ("link", "image") and tok.type in ("link_open", "image"):
            pair_id += 1
            label_start = a + (1 if rule == "link" else 2)
            label_end = extra if extra >= 0 else b
            ref = _ref_label(content, label_start, label_end, b)
            if rule == "image" and label_end > label_start:
                # the alt text is inline Markdown too (escapes, entities, code): parse it the same way
                inner = inline_pieces(
                    md,
                    env,
                    content[label_start:label_end],
                    lambda i, o=label_start: to_src(o + i),
                    title_spans,
                    url_spans,
                )
                base = 100_000 * (len(nested) + 1)  # pair keys of the alt's own markup stay apart
                nested[label_start] = (
                    label_end,
                    [
                        Piece(
                            q.kind, q.start, q.end, q.label, q.pair + base if q.pair >= 0 else -1, q.ref_label
                        )
                        for q in inner
                    ],
                )
            marks.append((a, label_start, "open", rule, pair_id))
            marks.append((label_end, b, "close", rule, pair_id))
            if ref is not None:
                marks[-1] = (label_end, b, "close", "ref:" + ref, pair_id)
            _title(content, label_end, b, to_src, title_spans, url_spans)
        elif rule == "link" and tok.type == "link_close":
            continue
        elif rule == "html_inline":
            m = _HTML_TAG.match(tok.content)
            tag = m.group(2).lower() if m else ""
            if m and not m.group(1) and not m.group(3) and tag not in VOID_TAGS:
                pair_id += 1
                open_stack.setdefault(tag, []).append((len(marks), pair_id))
                marks.append((a, b, "open", "html:" + tag, pair_id))
            elif m and m.group(1) and open_stack.get(tag):
                i, pid = open_stack[tag].pop()
                marks.append((a, b, "close", "html:" + tag, pid))
            else:
                marks.append((a, b, "standalone", "html:" + tag if tag else "html", -1))
        else:
            marks.append((a, b, "standalone", _LABELS.get(rule, rule), -1))
    marks += _emphasis_marks(emph, pair_id)
    if loose:
        marks += cjk_pairs(content, loose, 50_000)
    marks.sort(key=lambda m: (m[0], m[1]))
    return raw_html_pieces(balance(_to_pieces(content, marks, to_src, nested)))


_MARKUP = re.compile(r"[\\`~*_\[!<&$^]|://|mailto:", re.I)
"""What the configured inline rules react to (besides line breaks); text without it is plain."""


_BREAK = re.compile(r"( *)\n[ ]*")


def _plain_pieces(content: str, to_src: Callable[[int], int]) -> list[Piece]:
    """Pieces of markup-free inline text: line breaks as markdown-it's newline rule reads them
    (two trailing spaces make a hard break, kept as markup)."""
    if "\n" not in content:
        return [Piece("text", to_src(0), to_src(len(content)))] if content else []
    pieces: list[Piece] = []
    pos = 0
    for m in _BREAK.finditer(content):
        a, b = m.start(), m.end()
        if a > pos:
            pieces.append(Piece("text", to_src(pos), to_src(a)))
        if len(m.group(1)) >= 2:
            pieces.append(Piece("standalone", to_src(a), to_src(b), "line break"))
        else:
            pieces.append(Piece("break", to_src(a), to_src(b)))
        pos = b
    if pos < len(content):
        pieces.append(Piece("text", to_src(pos), to_src(len(content))))
    return pieces


_LABELS = {
    "backticks": "code",
    "escape": "escape",
    "entity": "entity",
    "autolink": "url",
    "linkify": "url",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote",
}


def _ref_label(content: str, label_start: int, label_end: int, end: int) -> str | None:
    """The label of a shortcut `[x]` or collapsed `[x][]` reference link, else None."""
    rest = content[label_end:end]
    if rest in ("]", "][]"):
        return content[label_start:label_end]
    return None


def _title(
    content: str,
    label_end: int,
    end: int,
    to_src: Callable[[int], int],
    out: list[tuple[int, int]],
    urls: list[tuple[int, int]] | None = None,
) -> None:
    pos = label_end + 1
    if pos >= end or content[pos] != "(":
        return
    pos += 1
    while pos < end and content[pos] in " \t\n":
        pos += 1
    dest_end = _destination_end(content, pos, end)
    if dest_end < 0:
        return
    if urls is not None and dest_end > pos:
        a, b = (pos + 1, dest_end - 1) if content[pos] == "<" else (pos, dest_end)
        urls.append((to_src(a), to_src(b)))
    pos = dest_end
    while pos < end and content[pos] in " \t\n":
        pos += 1
    title = parseLinkTitle(content, pos, end, None)
    if title.ok and title.pos - 1 > pos + 1:
        out.append((to_src(pos + 1), to_src(title.pos - 1)))


_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f()\\<]*")
"""A link destination without `<`, parentheses or backslashes: where markdown-it's
`parseLinkDestination` reads it the same, character by character."""


def _destination_end(content: str, pos: int, end: int) -> int:
    """Where the link destination at `pos` ends (as `parseLinkDestination` reads it), or -1."""
    m = _PLAIN_DESTINATION.match(content, pos, end)
    stop = m.end() if m else pos
    if stop > pos and (stop == end or content[stop] in " )"):
        return stop  # the common case, read without a loop over every character
    dest = parseLinkDestination(content, pos, end)
    return dest.pos if dest.ok else -1


def _emphasis_marks(
    emph: list[tuple[int, int, str, str]], pair_id: int
) -> list[tuple[int, int, str, str, int]]:
    """Group consumed delimiter characters into runs and pair opening runs with closing runs."""
    emph.sort()
    runs: list[list[tuple[int, int, str, str]]] = []
    for e in emph:
        if runs and runs[-1][-1][1] == e[0] and runs[-1][-1][3] == e[3]:
            runs[-1].append(e)
        else:
            runs.append([e])
    runs = [part for run in runs for part in _split_close_open(run)]
    out: list[tuple[int, int, str, str, int]] = []
    stack: list[int] = []
    for run in runs:
        kinds = {t for _, _, t, _ in run if t != "consumed"}
        a, b = run[0][0], run[-1][1]
        label = "/".join(sorted({t.rsplit("_", 1)[0] for t in kinds})) or "emphasis"
        if kinds and all(k.endswith("_open") for k in kinds):
            pair_id += 1
            stack.append(len(out))
            out.append((a, b, "open", label, pair_id))
        elif kinds and all(k.endswith("_close") for k in kinds) and stack:
            i = stack.pop()
            oa, ob, _, olabel, pid = out[i]
            if olabel == label:
                out.append((a, b, "close", label, pid))
            else:
                out[i] = (oa, ob, "standalone", olabel, -1)
                out.append((a, b, "standalone", label, -1))
        else:
            out.append((a, b, "standalone", label, -1))
    for i in stack:
        oa, ob, _, olabel, _ = out[i]
        out[i] = (oa, ob, "standalone", olabel, -1)
    return out


def _split_close_open(run: list[tuple[int, int, str, str]]) -> list[list[tuple[int, int, str, str]]]:
    """`~~a~~~~b~~`, `**a****b**`: a run that closes one pair and opens the next is two runs; the
    consumed characters between the last close and the first open are shared out evenly."""
    kinds = [t for _, _, t, _ in run]
    closes = [i for i, t in enumerate(kinds) if t.endswith("_close")]
    opens = [i for i, t in enumerate(kinds) if t.endswith("_open")]
    if not closes or not opens or max(closes) > min(opens):
        return [run]
    c, o = max(closes), min(opens)
    cut = c + 1 + (o - c - 1) // 2
    return [run[:cut], run[cut:]]


def _to_pieces(
    content: str,
    marks: list[tuple[int, int, str, str, int]],
    to_src: Callable[[int], int],
    nested: dict[int, tuple[int, list[Piece]]] | None = None,
) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    for a, b, kind, label, pid in marks:
        if a < pos:  # overlapping records never happen with markdown-it's rules; be safe
            continue
        if a > pos:
            pieces.append(Piece("text", to_src(pos), to_src(a)))
        ref = label[4:] if label.startswith("ref:") else None
        if ref is not None:
            label = "link"
        pieces.append(Piece(kind, to_src(a), to_src(b), label, pid, ref))  # type: ignore[arg-type]
        pos = b
        if nested and kind == "open" and b in nested:  # an image's alt, parsed on its own
            pos, inner = nested[b]
            pieces.extend(inner)
    if pos < len(content):
        pieces.append(Piece("text", to_src(pos), to_src(len(content))))
    return pieces
