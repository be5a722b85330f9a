"""Keep links working in a localized copy of a post: `slugs` (heading ids as VitePress makes
them), `urls` (a URL re-pointed for the copy), `anchors` (heading ids of the source mapped to
the translation's), `repo` (links between the posts of a repository).

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

from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import SegmentedPost

from .anchors import AnchorMap, anchors_for
from .slugs import heading_plain_text, slugify, unique_slugs
from .urls import is_relative_url, rewrite_url

__all__ = [
    "AnchorMap",
    "anchors_for",
    "heading_plain_text",
    "is_relative_url",
    "rewrite_url",
    "rewriter_for_copy",
    "slugify",
    "unique_slugs",
]


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
