"""What a review page shows of one post in one locale, read from the repository: the post cut
into units (the segmenter sync uses), each unit's remembered translation (memory/po.py), its
state by the rules sync applies (memory/reuse.py's, check.py's), and the output as sync would
write it (pipeline.build) beside the output on disk.

    load -> segment -> memory -> check        `collect_post`: a `PostReview`
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NoReturn

from ..check import CheckContext, check_unit
from ..errors import I18nPostsError
from ..memory.po import read_memory
from ..pipeline import build, prepare
from ..repo import memory_of, output_of

if TYPE_CHECKING:
    from ..config import Config
    from ..glossary import Glossary
    from ..model import Issue, SegmentedPost, Unit
    from ..sync import SyncContext

State = Literal["reviewed", "machine", "kept", "fuzzy", "failing", "warned", "missing"]
"""A unit's state: a person's translation; a backend's; left as written (nothing of the source
language in it); fuzzy (the source changed since); failing a check (sync sends it again);
warned (a glossary miss that is kept: a person's choice, or `glossary_mode = "warn"`);
without a translation."""

BLOCKING = ("placeholder", "structure")
"""Issues that no translation may have, a reviewed one included (memory/reuse.py's rule)."""


@dataclass(frozen=True, slots=True)
class UnitReview:
    """One unit with its translation and state."""

    unit: Unit
    """The unit (its id, kind, line and source text with placeholders)."""
    translation: str
    """The remembered translation ('' if none); for a fuzzy one, the old translation."""
    state: State
    """See `State`."""
    origin: str
    """`reviewed`, `machine: BACKEND/MODEL #digest` or ''."""
    issues: tuple[Issue, ...]
    """What the checks find in the translation (as sync runs them)."""
    previous: str = ""
    """For a fuzzy unit: the source text its translation was made for."""


@dataclass(frozen=True, slots=True)
class PostReview:
    """One post in one locale, ready to be shown."""

    source: str
    """The source post, relative to the repository root."""
    locale: str
    """The target locale."""
    output: str
    """The output post, relative to the root."""
    memory: str
    """The PO file, relative to the root."""
    post: SegmentedPost
    """The source post, segmented."""
    units: tuple[UnitReview, ...]
    """Every unit, in document order."""
    glossary: Glossary
    """The terms of the language pair (highlighted on both sides)."""
    output_state: Literal["current", "stale", "missing", "incomplete", "broken"]
    """The output on disk against what sync would write from this memory: the same bytes,
    other bytes, no file, units without a translation, or a memory that assembles into a
    post of another structure."""

    @property
    def translations(self) -> dict[str, str]:
        """Unit id -> the translation assembly uses (usable ones only)."""
        unusable = ("fuzzy", "missing", "failing")
        return {r.unit.id: r.translation for r in self.units if r.state not in unusable}

    def count(self, *states: State) -> int:
        return sum(1 for r in self.units if r.state in states)


def unit_state(unit: Unit, entry: object, ctx: CheckContext, glossary_mode: str) -> UnitReview:
    """The state of `unit` given its memory entry (or None), by sync's rules."""
    if entry is None:
        return UnitReview(unit, "", "missing", "", ())
    t, origin = entry.translation, entry.origin  # type: ignore[attr-defined]
    if entry.fuzzy:  # type: ignore[attr-defined]
        return UnitReview(unit, t, "fuzzy", origin, (), entry.previous)  # type: ignore[attr-defined]
    issues = tuple(check_unit(unit, t, ctx))
    blocking = [i for i in issues if i.code in BLOCKING]
    reviewed = entry.reviewed  # type: ignore[attr-defined]
    if blocking or (issues and not reviewed and not _warn_only(issues, glossary_mode)):
        state: State = "failing"
    elif issues:
        state = "warned"
    elif reviewed:
        state = "reviewed"
    else:
        state = "kept" if t == unit.text and not origin else "machine"
    return UnitReview(unit, t, state, "reviewed" if reviewed else origin, issues)


def _warn_only(issues: tuple[Issue, ...], glossary_mode: str) -> bool:
    return glossary_mode == "warn" and all(i.code == "glossary" for i in issues)


def collect_post(ctx: SyncContext, source: str, locale: str) -> PostReview:
    """The review of `source` in `locale` (see the module docstring)."""
    cfg = ctx.cfg
    post = prepare(cfg.inside(source, "source"), ctx.segmenter)
    po_rel = memory_of(cfg, source, locale)
    mem = read_memory(cfg.inside(po_rel, "memory"), source, locale)
    glossary = ctx.glossary(locale)
    check_ctx = CheckContext(glossary)
    units = tuple(unit_state(u, mem.get(u.text), check_ctx, cfg.glossary_mode) for u in post.units)
    out_rel = output_of(cfg, source, locale)
    review = PostReview(source, locale, out_rel, po_rel, post, units, glossary, "missing")
    return _with_output(ctx, review)


def _with_output(ctx: SyncContext, review: PostReview) -> PostReview:
    from dataclasses import replace  # noqa: PLC0415

    from ..links.repo import rewriter  # noqa: PLC0415

    if review.count("missing", "fuzzy", "failing"):
        return replace(review, output_state="incomplete")
    done = review.translations
    post = review.post
    try:
        text = build(post, done, ctx.segmenter, rewriter(ctx, review.source, review.locale, post, done))
    except I18nPostsError:
        return replace(review, output_state="broken")
    out = ctx.cfg.inside(review.output, "output")
    if not out.is_file():
        return replace(review, output_state="missing")
    same = out.read_bytes() == text.encode("utf-8")
    return replace(review, output_state="current" if same else "stale")


def review_context(cfg: Config) -> SyncContext:
    """A sync context for reading (and, from the server, saving) a repository's posts: the
    same segmenter, glossaries and link maps as sync; no backend (nothing is ever sent)."""
    from ..errors import UsageError  # noqa: PLC0415
    from ..memory.state import digest  # noqa: PLC0415
    from ..repo import config_digest, discover  # noqa: PLC0415
    from ..sync import SyncContext, SyncOptions  # noqa: PLC0415

    def no_backend() -> NoReturn:
        raise UsageError("review sends nothing: some units have no translation yet (run sync first)")

    gpath = cfg.inside(cfg.glossary, "glossary") if cfg.glossary else None
    gdigest = digest(gpath.read_bytes()) if gpath is not None and gpath.is_file() else "-"
    ctx = SyncContext(cfg, SyncOptions(), no_backend, gdigest, config_digest(cfg))
    sources = discover(ctx.cfg)
    for locale in ctx.cfg.target_locales:
        ctx.posts[locale] = {s: output_of(ctx.cfg, s, locale) for s in sources}
    ctx.posts_digest = digest("\n".join(sources).encode())[:8]
    return ctx
