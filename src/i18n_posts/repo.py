"""Where things live in a repository under `sync`: its source posts (include/exclude), the
output and memory file of each post and locale, the shard a post belongs to, the memory
files whose source is gone, and the digest of the config that shapes every output."""

from __future__ import annotations

import glob
import os
import posixpath
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from . import __version__
from .config import Config
from .errors import ConfigError
from .memory.state import digest, read_state

if TYPE_CHECKING:
    from .segment import SegmentOptions


def discover(cfg: Config, strict: bool = False) -> list[str]:
    """Source posts (POSIX paths relative to the root), sorted; outputs are never sources.

    `strict`: an `include` pattern that matches no file is a config error (a typo would
    otherwise keep CI green with nothing translated)."""
    found: set[str] = set()
    for pattern in cfg.include:
        matched = False
        for p in glob.glob(pattern, root_dir=cfg.root, recursive=True):
            rel = PurePosixPath(Path(p).as_posix())
            if (cfg.root / rel).is_file():
                found.add(str(rel))
                matched = True
        if strict and not matched:
            raise ConfigError(cfg.path, f"include pattern {pattern!r} matches no file")
    out = sorted(found)
    if cfg.exclude:
        import fnmatch  # noqa: PLC0415

        out = [rel for rel in out if not any(fnmatch.fnmatch(rel, x) for x in cfg.exclude)]
    outputs = {output_of(cfg, s, loc) for s in out for loc in cfg.target_locales}
    return [s for s in out if s not in outputs]


def output_of(cfg: Config, source: str, locale: str) -> str:
    d, _, name = source.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if dot and stem else (name, "")
    try:
        out = cfg.output.format(dir=d or ".", stem=stem, ext=ext, name=name, locale=locale)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(cfg.path, f"bad output template {cfg.output!r}: {exc}") from None
    return posixpath.normpath(out.replace("\\", "/"))


def memory_of(cfg: Config, source: str, locale: str) -> str:
    base, dot, ext = source.rpartition(".")
    return posixpath.join(cfg.memory, locale, (base if dot and "/" not in ext else source) + ".po")


def in_shard(source: str, shard: tuple[int, int]) -> bool:
    i, n = shard
    return n <= 1 or zlib.crc32(source.encode()) % n == i - 1


def orphans(
    cfg: Config,
    sources: list[str],
    read: Callable[[Path], tuple[dict[str, str], str] | None] = read_state,
) -> list[tuple[str, str, str, str]]:
    """(source, locale, output, memory file) of memory files whose source is gone.

    What a PO file's state line says is only a claim: a memory file is an orphan only where
    the current config would keep the memory of that source (`memory_of`), for a source the
    config would translate (its `include`), and the output is the one the config would
    write for it (`output_of`), never the state line's `out=`."""
    import fnmatch  # noqa: PLC0415

    live = set(sources)
    known = {memory_of(cfg, s, loc) for s in sources for loc in cfg.target_locales}
    out = []
    for locale in cfg.target_locales:
        base = cfg.root / cfg.memory / locale
        if not base.is_dir():
            continue
        for po in sorted(base.rglob("*.po")):
            if po.relative_to(cfg.root).as_posix() in known:
                continue  # the memory of a live post
            st = read(po)
            src = st[0].get("src", "") if st else ""
            rel = po.relative_to(cfg.root).as_posix()
            if (
                src
                and src not in live
                and memory_of(cfg, src, locale) == rel
                and any(fnmatch.fnmatch(src, p) for p in cfg.include)
                and not os.path.lexists(cfg.root / src)
            ):
                out.append((src, locale, output_of(cfg, src, locale), rel))
    return out


def config_digest(cfg: Config) -> str:
    """What in the config (and this program) decides the bytes of an output."""
    parts = [
        __version__,
        cfg.source_locale,
        cfg.output,
        ",".join(cfg.front_matter_keys),
        cfg.anchors,
        repr(sorted(cfg.attributes.items())),
        *([cfg.dialect] if cfg.dialect != "auto" else []),  # (older digests stay valid)
        ",".join(cfg.include),
        ",".join(cfg.exclude),
        *([f"quote={cfg.front_matter_quote}"] if cfg.front_matter_quote != "double" else []),
    ]
    defaults = Config(cfg.root, cfg.path)
    if cfg.url_attributes != defaults.url_attributes:
        parts.append("url_attributes=" + ",".join(cfg.url_attributes))
    if cfg.jsx_text_props is not None:
        from .dialects.mdx import TEXT_PROPS  # noqa: PLC0415

        if cfg.jsx_text_props != TEXT_PROPS:
            parts.append("jsx_text_props=" + ",".join(cfg.jsx_text_props))
    if cfg.front_matter_set != defaults.front_matter_set:
        parts.append("front_matter_set=" + repr(sorted(cfg.front_matter_set.items())))
    if cfg.backend.get("name") == "openai":  # its style guide is part of what made the translations
        from .backends._prompt import DEFAULT_STYLE  # noqa: PLC0415

        style, prompt_file = cfg.backend.get("style"), cfg.backend.get("prompt_file")
        parts.append(DEFAULT_STYLE if style is None and not prompt_file else repr(style))
        if prompt_file:
            try:
                parts.append(digest(cfg.inside(prompt_file, "prompt_file").read_bytes()))
            except (OSError, ConfigError):
                parts.append("missing")
    return digest("\n".join(parts).encode())


def segment_options(cfg: Config) -> SegmentOptions:
    """The segmentation the configuration asks for (front matter keys, attributes)."""
    from .segment import SegmentOptions  # noqa: PLC0415

    quote = "'" if cfg.front_matter_quote == "single" else '"'
    return SegmentOptions(
        front_matter_keys=cfg.front_matter_keys,
        **(
            {"attributes": {k.lower(): frozenset(v) for k, v in cfg.attributes.items()}}
            if cfg.attributes
            else {}
        ),
        url_attributes=frozenset(a.lower() for a in cfg.url_attributes),
        front_matter_set=tuple(cfg.front_matter_set.items()),
        dialect=cfg.dialect,
        quote=quote,
        anchors=cfg.anchors,
        **({"jsx_text_props": cfg.jsx_text_props} if cfg.jsx_text_props is not None else {}),
    )
