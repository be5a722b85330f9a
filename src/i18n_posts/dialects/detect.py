"""`auto`: which dialect a post is written in, from its repository and from the file.

The repository decides first: walking up from the post's folder to the repository root
(the folder with `.git`), the first folder holding a generator's marker names it
(`.vitepress/`, `.vuepress/`, `docusaurus.config.*`, `mkdocs.yml`, `hugo.toml` or a
`config.toml` with Hugo keys, `_config.yml` with Hexo or Jekyll keys). Without one, the
file does: `.mdx`, `+++` front matter, shortcodes, Liquid tags, mkdocs markers,
Docusaurus titles; a post with none of these is VitePress, as before dialects existed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._base import Dialect
from .table import DIALECTS

_FILE_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hugo", re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n|\{\{[<%]")),
    (
        "mkdocs",
        re.compile(r"^[ \t]*(?:(?:!!!|\?\?\?\+?)[ \t]+[A-Za-z]|===\+?[ \t]+[\"']|/{3,}[ \t]*[A-Za-z])", re.M),
    ),
    ("docusaurus", re.compile(r"^[ \t]*:{3,}[A-Za-z][\w-]*\[", re.M)),
    (
        "hexo",
        re.compile(
            r"\A\ufeff?[A-Za-z_][\w-]*:[^\n]*\n(?:[^\n]*\n)*?-{3,}[ \t]*\r?\n"  # front matter without `---`
            r"|\{%-?\s*(?:codeblock|note|post_link|asset_img|blockquote)\b"
        ),
    ),
    ("jekyll", re.compile(r"\{%-?\s*\w|\{:[ \t]*[#.]")),
)


_ANY_SIGN = re.compile(r"\{\{[<%]|\{[%:]|!!!|\?\?\?|===|///|:::[A-Za-z]|\A\ufeff?(?:\+\+\+|[A-Za-z_][\w-]*:)")
"""A character sequence that every sign in `_FILE_SIGNS` starts with."""

_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)
"""Code blocks say nothing about the dialect (`/// doc comments`, `{% raw %}` in a sample)."""


def _repository(folder: Path) -> str | None:
    for d in (folder, *folder.parents):
        if (d / ".vitepress").is_dir():
            return "vitepress"
        if (d / ".vuepress").is_dir():
            return "vuepress"
        if any(d.glob("docusaurus.config.*")):
            return "docusaurus"
        if (d / "mkdocs.yml").is_file() or (d / "mkdocs.yaml").is_file():
            return "mkdocs"
        if any((d / f"hugo.{ext}").is_file() for ext in ("toml", "yaml", "json")):
            return "hugo"
        if (d / "config.toml").is_file() and re.search(
            r"^\s*(?:baseURL|theme|languageCode)\s*=", _read(d / "config.toml"), re.M
        ):
            return "hugo"
        if (d / "_config.yml").is_file():
            config = _read(d / "_config.yml")
            if re.search(r"^(?:new_post_name|post_asset_folder|hexo)\b", config, re.M) or "hexo" in _read(
                d / "package.json"
            ):
                return "hexo"
            return "jekyll"
        if (d / ".git").exists():
            return None
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def detect(path: Path, text: str, cache: dict[Path, str | None] | None = None) -> Dialect:
    """The dialect of the post `text` read from `path` (`cache` keeps repository answers by
    folder, for a run over many posts)."""
    folder = path.resolve().parent
    if cache is not None and folder in cache:
        found = cache[folder]
    else:
        found = _repository(folder)
        if cache is not None:
            cache[folder] = found
    if found is None and path.suffix.lower() == ".mdx":
        found = "docusaurus"
    if found is None and not _ANY_SIGN.search(text):
        found = "vitepress"  # (the common case, found without reading the file twice)
    if found is None:
        prose = _FENCED.sub("", text)
        found = next((name for name, rx in _FILE_SIGNS if rx.search(prose)), "vitepress")
    return DIALECTS[found]
