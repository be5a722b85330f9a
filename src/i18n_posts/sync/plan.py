"""The plan of a sync run: the context every post shares (`SyncContext`: config, options,
the run's one runner and a translator and glossary per locale, made on first use) and, per
post and locale, the `Plan` that tells an unchanged post without parsing it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import ConfigError, PostError
from ..memory.state import digest
from ..repo import memory_of, output_of
from .report import PostReport, SyncOptions

if TYPE_CHECKING:
    from ..backends import Backend
    from ..backends.prices import Estimate, Price
    from ..backends.runner import Runner
    from ..glossary import Glossary
    from ..segment import Segmenter
    from ..translate import TranslateOptions, Translator
    from .digests import FileDigests
    from .links_index import LinksIndex


@dataclass
class SyncContext:
    """Shared by the posts of a run; heavy parts are made on first use."""

    cfg: Config
    options: SyncOptions
    make_backend: Callable[[], Backend]
    """Called once, when the first unit must be sent."""
    glossary_digest: str
    config_digest: str
    posts: dict[str, dict[str, str]] = field(default_factory=dict)
    """locale -> {source path: output path} for every source (links to other posts)."""
    anchor_cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    digests: FileDigests | None = None
    """Digests of files remembered between runs, when the run may use them."""
    sources: frozenset[str] = frozenset()
    """Every source post of the repository (links between posts depend on which exist)."""
    links: LinksIndex | None = None
    """Which posts each post links to (the one file of cross-post state)."""
    relink: set[tuple[str, str]] = field(default_factory=set)
    """Posts whose links into another post were written before that post had a translation."""
    tmp: Path | None = None
    """The run's own folder for temporary files (it holds the repository's lock)."""
    orphans: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(source, locale, output, memory file) of memories whose source is gone (renamed posts
    take theirs)."""
    price: Price | None = None
    """The backend's price (None: not known), for cost estimates."""
    estimate: Estimate | None = None
    """What a dry run would send, summed over its posts."""
    on_start: Callable[[str, str], None] | None = None
    """Told (source, locale) as each post that needs work begins (a progress display)."""
    _segmenter: Segmenter | None = None
    _runner: Runner | None = None
    _translators: dict[str, Translator] = field(default_factory=dict)
    _glossaries: dict[str, Glossary] = field(default_factory=dict)

    @functools.cached_property
    def style_tag(self) -> str:
        """The style tag of the configured backend ("" for the default style or a backend with
        none), read once a run from the config (a dry run makes no backend): what
        `sync --force-style` compares each machine entry's with."""
        if self.cfg.backend.get("name") != "openai":
            return ""
        from ..backends._prompt import load_style, style_tag  # noqa: PLC0415

        return style_tag(load_style(self.cfg.backend))

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            from ..repo import segment_options  # noqa: PLC0415
            from ..segment import Segmenter  # noqa: PLC0415

            self._segmenter = Segmenter(segment_options(self.cfg))
        return self._segmenter

    @property
    def runner(self) -> Runner | None:
        """The run's runner, if a unit had to be sent."""
        return self._runner

    def glossary(self, locale: str) -> Glossary:
        """The glossary's terms for the source locale and `locale`."""
        if locale not in self._glossaries:
            from ..glossary import Glossary, load_glossary  # noqa: PLC0415

            g = self.cfg.glossary
            self._glossaries[locale] = (
                load_glossary(self.cfg.inside(g, "glossary"), self.cfg.source_locale, locale)
                if g
                else Glossary.of(())
            )
        return self._glossaries[locale]

    def translator(self, locale: str) -> Translator:
        """The translator into `locale` (its options and glossary), over the run's one runner."""
        if locale not in self._translators:
            from ..backends.runner import Runner, RunOptions  # noqa: PLC0415
            from ..translate import Translator  # noqa: PLC0415

            if self._runner is None:
                o = self.options
                run = RunOptions(self.cfg.concurrency, max_tokens=o.max_tokens, max_chars=o.max_chars)
                self._runner = Runner(self.make_backend(), run)
            self._translators[locale] = Translator(self._runner, self.glossary(locale), self._options(locale))
        return self._translators[locale]

    def planner(self, locale: str) -> Translator:
        """A translator into `locale` that only plans requests (dry runs: no backend, no key)."""
        key = "plan:" + locale
        if key not in self._translators:
            from ..backends.offline import IdentityBackend  # noqa: PLC0415
            from ..backends.runner import Runner  # noqa: PLC0415
            from ..translate import Translator  # noqa: PLC0415

            self._translators[key] = Translator(
                Runner(IdentityBackend({})), self.glossary(locale), self._options(locale)
            )
        return self._translators[key]

    def _options(self, locale: str) -> TranslateOptions:
        from ..translate import TranslateOptions  # noqa: PLC0415

        cfg = self.cfg
        return TranslateOptions(
            cfg.source_locale,
            locale,
            retries=cfg.retries,
            batch_chars=cfg.batch_chars,
            glossary_mode=cfg.glossary_mode,
            on_unit_failure=cfg.on_unit_failure,
        )

    def check_locales(self) -> None:
        """Every configured locale code must be one babel knows (a config error otherwise)."""
        from ..config import locale_error  # noqa: PLC0415

        problem = locale_error(self.cfg)
        if problem is not None:
            raise problem


@dataclass(frozen=True, slots=True)
class Plan:
    """What the slow path of one post needs: its files and the state it will record."""

    source: str
    """The source post, relative to the root."""
    locale: str
    src_bytes: bytes
    out_bytes: bytes | None
    """The output as it is now (None: not there)."""
    out_path: Path
    po_path: Path
    last: dict[str, str] | None
    """The state line recorded last (None: no memory yet)."""
    state: dict[str, str]
    """The state to record once the post is done (`posts=` is settled once it is parsed)."""


def plan_post(
    ctx: SyncContext, source: str, locale: str, force: bool = False
) -> tuple[PostReport, Plan | None]:
    """(report, None) if the post is unchanged (nothing parsed), else (report, its plan)."""
    cfg, opts = ctx.cfg, ctx.options
    out_rel = output_of(cfg, source, locale)
    out_path = cfg.inside(out_rel, "output")
    po_path = cfg.inside(memory_of(cfg, source, locale), "memory")
    src_path = cfg.root / source
    if any(ord(c) < 32 or ord(c) == 127 for c in source):
        raise PostError(repr(source), "the file name holds a control character (a line break?); rename it")
    try:
        cfg.inside(source, "source")
    except ConfigError:
        raise PostError(source, "a symbolic link to a file outside the repository; not read") from None
    if out_path == src_path:
        raise ConfigError(cfg.path, f"the output of {source} would be the source itself")
    report = PostReport(source, locale, out_rel, "unchanged")
    files = ctx.digests
    src_digest = files.file(src_path) if files else None
    st = files.state(po_path) if files else None
    # `posts=`: which of the posts it links to exist ("-": it links to none; "?": not known
    # without parsing it)
    posts = "-" if st is not None and st[0].get("posts") == "-" else None
    if posts is None and ctx.links is not None:
        posts = ctx.links.value(source, ctx.sources)
    state = {
        "src": source,
        "out": out_rel,
        "source": src_digest or "",
        "glossary": ctx.glossary_digest,
        "config": ctx.config_digest,
        "posts": posts or "?",
    }
    if (
        files is not None
        and st is not None
        and not (opts.force or opts.force_style or force)
        and all(st[0].get(k) == v for k, v in state.items())
        and st[0].get("entries") == st[1]
        and st[0].get("output") == files.file(out_path)
    ):
        return report, None  # nothing changed: not even parsed
    from ..memory.state import read_state  # noqa: PLC0415

    src_bytes = src_path.read_bytes()
    out_bytes = out_path.read_bytes() if out_path.is_file() else None
    state["source"] = digest(src_bytes)
    last = read_state(po_path)
    return report, Plan(
        source, locale, src_bytes, out_bytes, out_path, po_path, last[0] if last else None, state
    )
