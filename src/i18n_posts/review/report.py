"""`review`: the static report, one self-contained HTML page per post and locale plus an
index, written under a folder (`write_report`). Which posts: those the configuration
translates (all of them, or the ones named)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..write import write_atomic
from .collect import PostReview, collect_post
from .page import index_page, post_page
from .render import display_parser

if TYPE_CHECKING:
    from ..sync import SyncContext


@dataclass(frozen=True, slots=True)
class Report:
    """What `write_report` wrote."""

    index: Path
    """The index page."""
    pages: tuple[Path, ...]
    """One page per post and locale."""
    reviews: tuple[PostReview, ...]
    """What the pages show (counts for the command's summary)."""


def select(ctx: SyncContext, named: Iterable[Path], cwd: Path) -> list[str]:
    """The repository's posts named by `named` (paths from `cwd`), or all of them; a path
    that is not a post of the configuration is a usage error naming it."""
    from ..repo import discover  # noqa: PLC0415

    sources = discover(ctx.cfg)
    named = list(named)
    if not named:
        return sources
    known, out = set(sources), []
    for p in named:
        try:
            rel = (cwd / p).resolve().relative_to(ctx.cfg.root).as_posix()
        except ValueError:
            raise UsageError(f"{p}: not in the repository at {ctx.cfg.root}") from None
        if rel not in known:
            raise UsageError(f"{p}: not a post the configuration translates ({ctx.cfg.path.name})")
        out.append(rel)
    return out


def page_path(source: str, locale: str) -> str:
    """Where a post's page lives in the report (POSIX, relative): `<locale>/<source>.html`."""
    return str(PurePosixPath(locale) / PurePosixPath(source).with_suffix(".html"))


def index_href(page: str) -> str:
    """The index, from a page at `page`."""
    return "../" * page.count("/") + "index.html"


def write_report(ctx: SyncContext, sources: list[str], locales: Iterable[str], out: Path) -> Report:
    """Write the pages and the index under `out`."""
    md = display_parser()
    reviews: list[tuple[PostReview, str]] = []
    pages = []
    for source in sources:
        for locale in locales:
            r = collect_post(ctx, source, locale)
            rel = page_path(source, locale)
            write_atomic(out / rel, post_page(r, index_href(rel), md=md).encode("utf-8"))
            pages.append(out / rel)
            reviews.append((r, rel))
    index = out / "index.html"
    write_atomic(index, index_page(reviews).encode("utf-8"))
    return Report(index, tuple(pages), tuple(r for r, _ in reviews))
