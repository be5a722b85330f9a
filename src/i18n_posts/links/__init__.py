"""Keep links working in a localized copy of a post: `slugs` (heading ids as each site
generator makes them), `urls` (a URL re-pointed for the copy), `anchors` (heading ids of the source mapped to
the translation's), `repo` (links between the posts of a repository).

Takes the URL of a link or image of a source post, where the post is read from and
where its copy is written; returns the URL to write in the copy. Relative paths are
re-expressed from the copy's folder, links to posts that are translated too are
re-pointed to their localized copies, and `#fragments` are mapped from the source's
heading ids to the translation's. Everything else is returned unchanged, and a URL
whose meaning does not change is returned byte for byte.

Heading ids follow the post's generator (`slugs.SLUGGERS`, checked against each one's build
output): VitePress 1.6 by default, Hugo, Hexo, Jekyll, Docusaurus, mkdocs (and pymdownx).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import SegmentedPost

from .anchors import AnchorMap, anchors_for, slugger_for
from .slugs import SLUGGERS, Slugger, heading_plain_text, slugify, unique_slugs
from .urls import is_relative_url, rewrite_url

__all__ = [
    "SLUGGERS",
    "AnchorMap",
    "Slugger",
    "anchors_for",
    "heading_plain_text",
    "is_relative_url",
    "rewrite_url",
    "rewriter_for_copy",
    "slugger_for",
    "slugify",
    "unique_slugs",
]


def rewriter_for_copy(
    post: SegmentedPost, done: Mapping[str, str], output: Path, anchors: str = "auto"
) -> Callable[[str], str] | None:
    """Link rewriting for a copy of `post` written to `output` (outside a repository): relative
    paths re-pointed from the output's folder, in-page anchors following the translated headings
    as the `anchors` setting makes their ids (`keep`: left as written)."""
    src = PurePosixPath(post.source.path.resolve().as_posix())
    out = PurePosixPath(output.resolve().as_posix())
    text = post.source.text
    in_page = anchors != "keep" and any(text.startswith("#", a) for a, _ in post.urls)
    if src.parent == out.parent and not in_page:
        return None
    amap = anchors_for(post, done, anchors) if in_page else None  # slugs cost a parse of every heading
    return lambda url: rewrite_url(url, src, out, {}, amap)
