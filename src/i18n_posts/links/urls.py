"""A link of a source post, re-pointed for its localized copy: relative paths re-expressed
from the copy's folder, links to translated posts pointed to their copies, `#fragments`
mapped through the anchors. A URL whose meaning does not change is returned byte for byte."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Literal, Protocol
from urllib.parse import quote, unquote

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_FRAGMENT_SAFE = "!$&'()*+,;=:@/?~-._"


class Anchors(Protocol):
    """Where heading ids go (`anchors.AnchorMap` is one)."""

    def target(self, fragment: str) -> str: ...


Suffix = Literal["same", "bare", "html", "dir"]
"""How a link names a page: `b.md` as is, `b` (VitePress adds .md), `b.html`, `dir/`."""


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
    anchors: Anchors | None,
    other_anchors: Callable[[PurePosixPath], Anchors | None] | None = None,
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
