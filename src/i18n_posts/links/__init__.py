"""Keep links working in a localized copy of a post.

Takes the URL of a link or image of a source post, where the post is read from and
where its copy is written; returns the URL to write in the copy. Relative paths are
re-expressed from the copy's folder, links to posts that are translated too are
re-pointed to their localized copies, and `#fragments` are mapped from the source's
heading ids to the translation's. Everything else is returned unchanged, and a URL
whose meaning does not change is returned byte for byte.

Heading ids follow VitePress 1.6 (checked against its build output): @mdit-vue's
`slugify`, markdown-it-anchor's text of a heading (`text` and `code_inline` tokens,
after VitePress's `restoreEntities`) and markdown-it-anchor's de-duplication.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from ..model import SegmentedPost

__all__ = [
    "AnchorMap",
    "heading_plain_text",
    "is_relative_url",
    "rewrite_url",
    "slugify",
    "unique_slugs",
]

# JS `\s` spelled out: Python's `\s` also matches U+001C-U+001F and U+0085 and misses
# U+FEFF, so it is not used. (U+00A0, U+2000-U+200A and U+3000 become a plain space
# under NFKD anyway; U+FEFF and U+180E stay as they are.) Node's newer Unicode data
# gives other results only for characters assigned after Python's (14.0 in 3.11).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CONTROL = re.compile("[\u0000-\u001f]")
_PUNCT = "~`!@#$%^&*()\\-_+=\\[\\]{}|\\\\;:\"'\u201c\u201d\u2018\u2019<>,.?/"
_SPECIAL = re.compile("[" + _JS_SPACE + _PUNCT + "]+")
_COMBINING = re.compile("[\u0300-\u036f]")
# JS `\d` and `$` (without the m flag) are ASCII digits and the very end.
_EDGE_DASHES = re.compile(r"^-+|-+\Z")
_LEADING_DIGIT = re.compile(r"^([0-9])")

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_FRAGMENT_SAFE = "!$&'()*+,;=:@/?~-._"

Suffix = Literal["same", "bare", "html", "dir"]
"""How a link names a page: `b.md` as is, `b` (VitePress adds .md), `b.html`, `dir/`."""


def slugify(text: str) -> str:
    """The id VitePress gives a heading whose text is `text` (before de-duplication)."""
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    s = _SPECIAL.sub("-", _CONTROL.sub("", s))
    s = _EDGE_DASHES.sub("", re.sub("-{2,}", "-", s))
    return _LEADING_DIGIT.sub(r"_\1", s).lower()


def unique_slugs(texts: Sequence[str], ids: Sequence[str | None] | None = None) -> list[str]:
    """The ids of a page's headings, in order, as markdown-it-anchor de-duplicates them.

    `texts` are the headings' plain texts (see `heading_plain_text`); `ids[i]`, when
    given, is heading i's explicit `{#id}`, used verbatim and reserved like any slug.
    A taken slug gets the first free `-1`, `-2`...: "foo", "foo", "foo-1" give "foo",
    "foo-1", "foo-1-1". (VitePress refuses to build a page with two equal explicit
    ids; here they are kept as written.)
    """
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"{len(texts)} heading texts but {len(ids)} ids")
    taken: set[str] = set()
    out: list[str] = []
    for i, text in enumerate(texts):
        explicit = ids[i] if ids is not None else None
        slug = explicit if explicit is not None else slugify(text)
        unique, n = slug, 1
        while explicit is None and unique in taken:
            unique, n = f"{slug}-{n}", n + 1
        taken.add(unique)
        out.append(unique)
    return out


def heading_plain_text(markdown_inline: str) -> str:
    """The text VitePress slugifies for a heading whose inline Markdown is `markdown_inline`.

    The `text` and `code_inline` tokens, in order: emphasis markers, link targets,
    raw HTML tags and images (alt included) are dropped; a bare URL is percent-decoded
    as linkify shows it. An entity or an `\\&` next to other text stays as written
    (`A &amp; B` -> "A &amp; B"), as VitePress's `restoreEntities` leaves it.
    Not handled: a trailing `{#id}` or `{.attrs}` (remove it first) and `:emoji:`
    shortcodes, which VitePress drops from the text when it knows the name.
    """
    return _plain_text(_parser(), markdown_inline)


@dataclass(frozen=True, slots=True)
class AnchorMap:
    """Where a post's heading ids went in its translation."""

    pairs: tuple[tuple[str, str], ...]
    """(source id, translated id) for each heading, in document order."""

    @classmethod
    def from_headings(
        cls,
        source: Sequence[tuple[str, str | None]],
        translated: Sequence[tuple[str, str | None]],
    ) -> AnchorMap:
        """Pair the headings of a post with those of its translation (same count, same order).

        Each heading is (inline Markdown text, explicit id or None); each side's ids
        are computed and de-duplicated on their own, as VitePress does for each page.
        """
        if len(source) != len(translated):
            raise ValueError(f"{len(source)} source headings but {len(translated)} translated ones")
        md = _parser()
        return cls(tuple(zip(_page_ids(md, source), _page_ids(md, translated), strict=True)))

    def target(self, fragment: str) -> str:
        """The fragment (no `#`) to write for `fragment` of the source; unknown ones unchanged.

        Tried in turn: as written, percent-decoded (the answer is then encoded too) and
        slugified (VitePress 2 slugifies link fragments, so `#Foo Bar` reaches "foo-bar").
        A text fragment (`#id:~:text=...`) keeps its directive.
        """
        frag, sep, directive = fragment.partition(":~:")
        if not frag:
            return fragment
        new = self._lookup(frag)
        if new is None:
            decoded = _decode(frag)
            new = self._lookup(decoded)
            if new is not None and decoded != frag:
                new = quote(new, safe=_FRAGMENT_SAFE)
            elif new is None:
                new = self._lookup(slugify(decoded))
        return fragment if new is None else new + sep + directive

    def _lookup(self, slug: str) -> str | None:
        return next((new for old, new in self.pairs if old == slug), None)


def is_relative_url(url: str) -> bool:
    """True when `url` is a path relative to its document's folder (`a.png`, `../b.md#x`).

    False for "", `#frag`, `?query`, `/root`, `//host`, `scheme:...` (mailto:, data:,
    C:...), `<...>`, Windows paths with backslashes and Vue `{{ }}` expressions.
    """
    if not url or url[0] in "#?/<" or "\\" in url or "{{" in url:
        return False
    return _SCHEME.match(url) is None


def rewrite_url(
    url: str,
    source: PurePosixPath,
    output: PurePosixPath,
    posts: Mapping[PurePosixPath, PurePosixPath],
    anchors: AnchorMap | None,
    other_anchors: Callable[[PurePosixPath], AnchorMap | None] | None = None,
) -> str:
    """The URL to write in `output`, the localized copy of `source`, for `url` found in `source`.

    Paths are relative to the repository root. `posts` maps each translated post to its
    copy in the same locale; a link to one of them is re-pointed to the copy (VitePress
    forms `b`, `b.html` and `dir/` resolve to `b.md` and `dir/index.md`, and keep
    their form), with its fragment mapped by `other_anchors(post)`, or by `anchors`
    for a link to `source` itself. Any other file keeps being the target. The query
    and fragment are kept, and a percent-encoded path is encoded again.
    """
    if url.startswith("#"):
        return "#" + anchors.target(url[1:]) if anchors is not None else url
    if not is_relative_url(url):
        return url
    raw_path, query, fragment = _split(url)
    path = _decode(raw_path)
    src_dir, out_dir = source.parent.as_posix(), output.parent.as_posix()
    resolved = posixpath.normpath(posixpath.join(src_dir, path))
    is_dir = path.endswith("/") or posixpath.basename(path) in {".", ".."}

    page = _find_post(resolved, is_dir, source, posts)
    if page is None:
        target = resolved
        amap = None
    else:
        post, suffix = page
        copy = output if post == source else posts[post]
        target, is_dir = _page_url(copy, suffix)
        amap = anchors if post == source else other_anchors(post) if other_anchors else None

    if target == resolved and out_dir == src_dir:
        new_path = raw_path
    else:
        new_path = _relpath(target, out_dir) + ("/" if is_dir else "")
        if raw_path.startswith("./") and not new_path.startswith(("./", "../")):
            new_path = "./" + new_path
        if path != raw_path:
            new_path = _reencode(new_path, raw_path)
    if amap is not None and fragment:
        fragment = "#" + amap.target(fragment[1:])
    new = new_path + query + fragment
    return url if new == url else new


def _page_ids(md: MarkdownIt, headings: Iterable[tuple[str, str | None]]) -> list[str]:
    pairs = list(headings)
    return unique_slugs([_plain_text(md, text) for text, _ in pairs], [id_ for _, id_ in pairs])


def _split(url: str) -> tuple[str, str, str]:
    """(path, "?query" or "", "#fragment" or ""): the first `#` starts the fragment."""
    rest, hash_, fragment = url.partition("#")
    path, mark, query = rest.partition("?")
    return path, mark + query, hash_ + fragment


def _decode(text: str) -> str:
    """`text` percent-decoded; as it is if it does not decode to UTF-8."""
    if "%" not in text:
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def _reencode(path: str, original: str) -> str:
    """Encode in `path` the characters that `original` had encoded, in its hex case."""
    chars = {ch for run in _ESCAPES.findall(original) for ch in _decode(run)}
    lower = re.search("%(?:[0-9a-f][a-f]|[a-f][0-9a-f])", original) and not re.search(
        "%(?:[0-9A-F][A-F]|[A-F][0-9A-F])", original
    )
    out = "".join(quote(ch, safe="") if ch in chars else ch for ch in path)
    return re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), out) if lower else out


def _find_post(
    resolved: str, is_dir: bool, source: PurePosixPath, posts: Mapping[PurePosixPath, PurePosixPath]
) -> tuple[PurePosixPath, Suffix] | None:
    """The translated post (or `source`) that a resolved link path names, and how it names it."""
    candidates: list[tuple[str, Suffix]]
    if is_dir:
        candidates = [(posixpath.join(resolved, "index.md"), "dir")]
    elif resolved.endswith(".md"):
        candidates = [(resolved, "same")]
    elif resolved.endswith(".html"):
        candidates = [(resolved[: -len(".html")] + ".md", "html")]
    else:
        candidates = [(resolved + ".md", "bare")]
    for path, suffix in candidates:
        post = PurePosixPath(path)
        if post == source or post in posts:
            return post, suffix
    return None


def _page_url(copy: PurePosixPath, suffix: Suffix) -> tuple[str, bool]:
    """(path, names a folder) of a localized copy, in the link's form."""
    text = copy.as_posix()
    stem = text[: -len(".md")] if text.endswith(".md") else text
    if suffix == "dir" and copy.name == "index.md":
        return copy.parent.as_posix(), True
    if suffix == "html":
        return stem + ".html", False
    return (text, False) if suffix == "same" else (stem, False)


def _relpath(target: str, start: str) -> str:
    """`target` relative to folder `start`; both relative to the root, `target` may begin with ..

    Unlike `posixpath.relpath` this never consults the working directory.
    """
    t = [p for p in target.split("/") if p not in {"", "."}]
    s = [p for p in start.split("/") if p not in {"", "."}]
    if ".." in s:
        raise ValueError(f"folder {start!r} is outside the repository")
    common = 0
    while common < min(len(t), len(s)) and t[common] == s[common]:
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


def _parser() -> MarkdownIt:
    """markdown-it as VitePress sets it up, as far as heading text is concerned."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"html": True, "linkify": True})
    md.linkify.set({"fuzzy_link": False})
    md.core.ruler.at("text_join", _restore_entities)
    return md


def _plain_text(md: MarkdownIt, markdown_inline: str) -> str:
    tokens = md.parseInline(markdown_inline)
    children = (tokens[0].children or []) if tokens else []
    return "".join(t.content for t in children if t.type in {"text", "code_inline"})


def _restore_entities(state: StateCore) -> None:
    """VitePress's `text_join`: joined text keeps entities and `\\&` as written."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        run: list[Token] = []
        for token in [*block.children, None]:
            if token is not None and token.type in {"text", "text_special"}:
                token.type = "text"
                run.append(token)
                continue
            if len(run) > 1:
                run[-1].content = "".join(_written(t) for t in run)
                run[-1].info = run[-1].markup = ""
            out.extend(run[-1:])
            run = []
            if token is not None:
                out.append(token)
        block.children = out


def _written(token: Token) -> str:
    if token.info == "entity":
        return token.markup
    if token.info == "escape" and token.content == "&":
        return "&amp;"
    return token.content


def anchors_for(post: SegmentedPost, done: Mapping[str, str] | None) -> AnchorMap | None:
    """Source heading ids -> the ids of the headings as translated (`done`: unit id -> text),
    over every heading of the post in order."""
    from ..assemble import render_unit  # noqa: PLC0415

    text = post.source.text
    lines = text.split("\n")
    by_line = {u.line: u for u in post.units if u.kind == "heading"}
    pairs_src, pairs_out = [], []
    for kind, line in post.blocks:
        if not kind.startswith("heading_open"):
            continue
        raw = lines[line - 1] if line - 1 < len(lines) else ""
        m = re.search(r"\{#([^{}\s]+)\}[ \t]*\r?$", raw)
        explicit = m.group(1) if m else None
        u = by_line.get(line)
        if u is None:
            plain = re.sub(r"^[ \t]*#{1,6}[ \t]*|[ \t]+#+[ \t]*$|\{#[^{}]*\}", "", raw).strip()
            pairs_src.append((plain, explicit))
            pairs_out.append((plain, explicit))
            continue
        pairs_src.append((text[u.start : u.end], explicit))
        pairs_out.append((render_unit(post, done or {}, u), explicit))
    if not pairs_src:
        return None
    try:
        return AnchorMap.from_headings(pairs_src, pairs_out)
    except ValueError:
        return None


def rewriter_for_copy(
    post: SegmentedPost, done: Mapping[str, str], output: Path
) -> Callable[[str], str] | None:
    """Link rewriting for a copy of `post` written to `output` (outside a repository): relative
    paths re-pointed from the output's folder, in-page anchors following the translated headings."""
    src = PurePosixPath(post.source.path.resolve().as_posix())
    out = PurePosixPath(output.resolve().as_posix())
    text = post.source.text
    in_page = any(text.startswith("#", a) for a, _ in post.urls)
    if src.parent == out.parent and not in_page:
        return None
    anchors = anchors_for(post, done) if in_page else None  # slugs cost a parse of every heading
    return lambda url: rewrite_url(url, src, out, {}, anchors)
