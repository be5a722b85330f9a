"""Links in the outputs of `sync`: relative paths re-pointed for the output's folder, links
to other posts pointed to their translations, anchors following the translated headings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import I18nPostsError
from ..repo import memory_of, output_of

if TYPE_CHECKING:
    from ..config import Config
    from ..segment import Segmenter


class LinkContext(Protocol):
    """What links between the posts of a repository need to know (sync's context is one)."""

    cfg: Config
    posts: dict[str, dict[str, str]]
    """locale -> {source path: output path} for every source."""
    anchor_cache: dict[tuple[str, str], Any]
    """(source, locale) -> anchor map of that post's translation, for the run; ("", locale) ->
    the posts of that locale as paths."""
    relink: set[tuple[str, str]]
    """Posts to link again at the end: they link into a post that has no translation yet."""

    @property
    def segmenter(self) -> Segmenter: ...


def link_targets(post: Any, source: str) -> tuple[str, ...]:
    """The posts (paths relative to the root) that the relative links of `post` (at `source`)
    would name if they existed: `b.md`, `b`, `b.html` -> `b.md`; `dir/` -> `dir/index.md`.
    Which of them the repository has decides the output's links."""
    import posixpath  # noqa: PLC0415

    from . import is_relative_url  # noqa: PLC0415

    text, folder = post.source.text, posixpath.dirname(source)
    found = set()
    for a, b in post.urls:
        url = text[a:b]
        if not is_relative_url(url):
            continue
        path = url.split("#", 1)[0].split("?", 1)[0]
        name = path.rsplit("/", 1)[-1]
        target = posixpath.normpath(posixpath.join(folder, path))
        if target.startswith("../") or target == "..":
            continue  # outside the repository
        if name in ("", ".", "..") or path.endswith("/"):
            found.add(posixpath.join(target, "index.md") if target != "." else "index.md")
        elif name.endswith(".html"):
            found.add(target[: -len(".html")] + ".md")
        elif name.endswith(".md"):
            found.add(target)
        elif "." not in name:
            found.add(target + ".md")
    return tuple(sorted(found))


def rewriter(
    ctx: LinkContext, source: str, locale: str, post: Any, done: dict[str, str]
) -> Callable[[str], str] | None:
    """Re-points links for the output's folder; in-page anchors follow the translated headings."""
    from . import AnchorMap, anchors_for, rewrite_url  # noqa: PLC0415

    src, out = PurePosixPath(source), PurePosixPath(output_of(ctx.cfg, source, locale))
    anchors = None
    in_page = any(post.source.text.startswith("#", a) for a, _ in post.urls)
    if ctx.cfg.anchors != "keep" and in_page:  # slugs cost a parse of every heading
        anchors = anchors_for(post, done, ctx.cfg.anchors)
    posts = _paths(ctx, locale)
    if src.parent == out.parent and anchors is None and not link_targets(post, source):
        return None  # same folder, no anchors, no links to posts: every link stays as written

    def other(path: PurePosixPath) -> Any:
        if ctx.cfg.anchors == "keep":
            return None
        amap = other_anchors(ctx, str(path), locale, AnchorMap)
        if amap is None or all(a == b for a, b in amap.pairs):
            ctx.relink.add((source, locale))  # that post has no translation yet: link again at the end
        return amap

    return lambda url: rewrite_url(url, src, out, posts, anchors, other)


def _paths(ctx: LinkContext, locale: str) -> dict[PurePosixPath, PurePosixPath]:
    """`ctx.posts[locale]` as paths, made once a run (not once a post: 2,000 posts)."""
    key = ("", locale)
    if key not in ctx.anchor_cache:
        ctx.anchor_cache[key] = {
            PurePosixPath(k): PurePosixPath(v) for k, v in ctx.posts.get(locale, {}).items()
        }
    return ctx.anchor_cache[key]


def other_anchors(ctx: LinkContext, source: str, locale: str, anchor_map: Any) -> Any:
    """The anchor map of another post, from its source and its memory (cached for the run)."""
    from . import anchors_for  # noqa: PLC0415

    key = (source, locale)
    if key not in ctx.anchor_cache:
        from ..load import load_post  # noqa: PLC0415
        from ..memory.po import read_memory  # noqa: PLC0415

        try:
            post = ctx.segmenter.segment(load_post(ctx.cfg.root / source))
            mem = read_memory(ctx.cfg.root / memory_of(ctx.cfg, source, locale), source, locale)
            done = {u.id: e.translation for u in post.units if (e := mem.get(u.text)) and not e.fuzzy}
            ctx.anchor_cache[key] = anchors_for(post, done, ctx.cfg.anchors)
        except I18nPostsError:
            ctx.anchor_cache[key] = None
    return ctx.anchor_cache[key]
