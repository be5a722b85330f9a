"""Stage 1, load: a path -> a `SourcePost`.

Reads the file as bytes and decodes it strictly as UTF-8, keeping the byte-order mark,
CR characters and a missing final newline, so that `text.encode()` gives the file back.
The front matter (YAML between `---` and `---` or `...` at the very start; also Hugo's TOML
between `+++` lines and Hexo's YAML without the opening `---`, see `dialects.front`) is
found here, by lines, so its span is exact; it is parsed once only to reject invalid YAML or
TOML early.
Raises `LoadError` (file named, reason given) for binary, undecodable or malformed posts.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import LoadError
from .model import SourcePost

_FENCE = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.M)


def load_post(path: Path) -> SourcePost:
    """Read `path` as a post; raise `LoadError` if it is not one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_post(path, data)


def parse_post(path: Path, data: bytes) -> SourcePost:
    """Decode `data` (the bytes of `path`) into a `SourcePost`."""
    if b"\x00" in data:
        raise LoadError(path, "binary file (contains NUL bytes), not a Markdown post")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(path, f"not valid UTF-8 (byte {exc.start} on line {line})", line) from None
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    start = 1 if text.startswith("\ufeff") else 0
    front_matter, body_start = None, start  # the BOM is not part of the Markdown
    if _FENCE.match(text, start):
        first = _FENCE.match(text, start)
        assert first is not None
        close = _CLOSE.search(text, first.end())
        if close is not None:
            front_matter = (first.end(), close.start())
            body_start = close.end()
            _check_yaml(path, text, front_matter)
    elif text.startswith("+++", start) or text[start : start + 1].isalpha() or text.startswith("{", start):
        return _other_front_matter(path, text, start, newline)
    return SourcePost(path, text, body_start, front_matter, newline)


def _other_front_matter(path: Path, text: str, start: int, newline: str) -> SourcePost:
    from .dialects import front  # noqa: PLC0415

    toml = front.toml_span(text, start)
    if toml is not None:
        problem = front.toml_problem(text[toml[0] : toml[1]])
        if problem is not None:
            fm_line = text.count("\n", 0, toml[0]) + 1
            line = fm_line + problem[1] - 1 if problem[1] else fm_line
            raise LoadError(path, f"invalid TOML front matter: {problem[0]}", line)
        return SourcePost(path, text, toml[2], (toml[0], toml[1]), newline, "toml")
    braces = front.json_span(text, start)
    if braces is not None:
        return SourcePost(path, text, braces[2], (braces[0], braces[1]), newline, "json")
    hexo = front.hexo_span(text, start)
    if hexo is not None:
        return SourcePost(path, text, hexo[2], (hexo[0], hexo[1]), newline)
    return SourcePost(path, text, start, None, newline)


def _check_yaml(path: Path, text: str, span: tuple[int, int]) -> None:
    from ._syntax import yaml_loader  # noqa: PLC0415  (lazy: keeps the CLI's start fast)

    fm_line = text.count("\n", 0, span[0]) + 1
    try:
        value = yaml_loader.load(text[span[0] : span[1]])
    except yaml_loader.yaml_errors() as exc:
        what, line = yaml_loader.problem(exc, fm_line)
        raise LoadError(path, f"invalid YAML front matter: {what}", line or fm_line) from None
    if value is not None and not isinstance(value, dict):
        raise LoadError(path, "front matter is not a mapping of keys to values", fm_line)
