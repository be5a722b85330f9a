"""The repository a command runs in: its config, found from the current folder up to the
repository root (`.git`), and its glossary file, checked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config

CONFIG_HELP = (
    "Config file (default: i18n-posts.toml or \\[tool.i18n-posts] in pyproject.toml, found upwards)."
)


def open_repo(config: Path | None) -> tuple[Config, Path | None]:
    """(the config, its glossary file if it names one); `UsageError`/`ConfigError` otherwise."""
    from ..config import find_config  # noqa: PLC0415
    from ..errors import ConfigError, UsageError  # noqa: PLC0415

    cfg = find_config(Path.cwd(), config)
    if cfg is None:
        raise UsageError(
            "no i18n-posts.toml here (nor [tool.i18n-posts] in pyproject.toml); "
            "run from the repository root or give --config FILE"
        )
    gpath = cfg.inside(cfg.glossary, "glossary") if cfg.glossary else None
    if gpath is not None and not gpath.is_file():
        raise ConfigError(cfg.path, f"glossary {cfg.glossary!r} not found")
    return cfg, gpath
