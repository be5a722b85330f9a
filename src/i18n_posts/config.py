"""A repository's configuration: `i18n-posts.toml` (or `[tool.i18n-posts]` in pyproject.toml)
-> one `Config`. Unknown keys are errors naming the file, the key and its line; paths that
lead out of the repository are refused before anything is written.

    source_locale = "zh"
    target_locales = ["en"]
    include = ["src/posts/*.md"]
    exclude = []
    output = "src/{locale}/posts/{stem}{ext}"    # or "{dir}/{stem}.{locale}{ext}"
    memory = "locales"
    glossary = "glossary.yml"
    front_matter_keys = ["title", "description"] # list values are translated item by item
    front_matter_set = {lang = "{locale}"}       # set in each copy where the source has the key
    url_attributes = ["href", "src", "poster", "data"]  # re-pointed in a copy in another folder
    jsx_text_props = ["title", "label", "alt", ...]  # MDX: JSX props whose strings are prose
    anchors = "auto"                             # in-page links follow translated headings (or keep, hugo...)
    dialect = "auto"                             # or vitepress, hugo, hexo, jekyll, docusaurus, mkdocs...
    [attributes]                                 # HTML attributes translated, per tag ("*": all)
    "*" = ["alt", "title", "aria-label", "placeholder"]
    max_tokens = 2000000                         # a run's budget (sync stops before passing it)
    [backend]
    name = "openai"
    preset = "deepseek"                          # the backend's own options
    price_input_per_mtok = 0.27                  # for cost estimates (backends/prices.py)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

FILE = "i18n-posts.toml"
_KEYS = {
    "source_locale": str,
    "target_locales": list,
    "include": list,
    "exclude": list,
    "output": str,
    "memory": str,
    "glossary": str,
    "backend": dict,
    "front_matter_keys": list,
    "attributes": dict,
    "url_attributes": list,
    "front_matter_set": dict,
    "anchors": str,
    "batch_chars": int,
    "concurrency": int,
    "retries": int,
    "glossary_mode": str,
    "max_tokens": int,
    "max_chars": int,
    "dialect": str,
    "front_matter_quote": str,
    "on_unit_failure": str,
    "jsx_text_props": list,
}


@dataclass(frozen=True, slots=True)
class Config:
    """What `sync` needs to know about a repository."""

    root: Path
    """The repository root (the folder holding the config file)."""
    path: Path
    """The config file."""
    source_locale: str = "zh"
    target_locales: tuple[str, ...] = ("en",)
    include: tuple[str, ...] = ("**/*.md",)
    """Globs of source posts, relative to the root."""
    exclude: tuple[str, ...] = ()
    output: str = "{dir}/{stem}.{locale}{ext}"
    """Where a translation goes, relative to the root ({dir} is the source's folder)."""
    memory: str = "locales"
    """Folder of the translation memory (PO files), relative to the root."""
    glossary: str | None = None
    backend: dict[str, str] = field(default_factory=dict)
    """`name` and that backend's options."""
    front_matter_keys: tuple[str, ...] = ("title", "description")
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_attributes: tuple[str, ...] = ("href", "src", "poster", "data")
    """HTML and component attributes holding URLs (re-pointed for the copy's folder)."""
    front_matter_set: dict[str, str] = field(
        default_factory=lambda: {"lang": "{locale}", "locale": "{locale}"}
    )
    """Front matter key -> the value a copy gets where the source has the key (`{locale}`: the
    copy's locale code, as `target_locales` writes it)."""
    anchors: str = "auto"
    """How in-page anchors follow the translated headings: `auto` (the ids the post's generator
    makes, `links.slugs`), a generator's or slugger's name (`hugo`, `pymdownx`...), or `keep`."""
    batch_chars: int = 6000
    concurrency: int = 4
    retries: int = 2
    glossary_mode: str = "fail"
    """A glossary term still missed after retries: `fail` the post, or `warn` and keep it."""
    max_tokens: int | None = None
    """Budget of a sync run in estimated tokens (sync --max-tokens overrides it)."""
    max_chars: int | None = None
    """Budget of a sync run in characters sent (sync --max-chars overrides it)."""
    dialect: str = "auto"
    """The site generator's Markdown (`i18n_posts.dialects`); `auto` detects it per post."""
    front_matter_quote: str = "double"
    """The quote of a translated front matter value that needs one and holds neither quote:
    `double`, or `single` (a site whose prettier has `singleQuote: true`)."""
    jsx_text_props: tuple[str, ...] | None = None
    """MDX: props of JSX components whose string values are prose (also as keys inside a
    prop's braces: `values={[{label: '...'}]}`); other props are code. None: the MDX dialect's
    own list (`dialects.mdx.TEXT_PROPS`; not imported here: a no-op sync loads no dialect)."""
    on_unit_failure: str = "fail"
    """A unit that still fails after retries: `fail` (the post is not written) or `keep-source`
    (written with that unit in the source language; not stored, so the next sync sends it again)."""

    def inside(self, rel: str, what: str) -> Path:
        """`rel` under the root, symbolic links resolved; a path leading outside is refused
        (through `..` or through a link to a folder elsewhere)."""
        p = os.path.realpath(os.path.join(self.root, rel))
        root = str(self.root)
        if p != root and not p.startswith(root.rstrip(os.sep) + os.sep):
            raise ConfigError(self.path, f"{what} {rel!r} leads outside the repository")
        return Path(p)


def find_config(cwd: Path, explicit: Path | None = None) -> Config | None:
    """The configuration of the repository at `cwd` (or the file `explicit`), if any: looked
    for in `cwd` and its parents, up to the folder holding `.git` (as git, ruff and
    pre-commit do), so a command run from `src/` finds the repository's config."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(explicit, "config file not found")
        return load_config(explicit)
    for folder in (cwd, *cwd.parents):
        if (folder / FILE).is_file():
            return load_config(folder / FILE)
        py = folder / "pyproject.toml"
        if py.is_file() and re.search(r"^\[tool\.i18n-posts\]", py.read_text(encoding="utf-8"), re.M):
            return load_config(py)
        if (folder / ".git").exists():
            return None  # the repository's root: no further
    return None


def load_config(path: Path) -> Config:
    try:
        import tomllib  # noqa: PLC0415
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else None
        raise ConfigError(path, f"invalid TOML: {exc}", line) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("i18n-posts", {})
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(
                path, f"unknown key {key!r} (known: {', '.join(sorted(_KEYS))})", _line(text, key)
            )
        want = _KEYS[key]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ConfigError(path, f"{key} must be a {want.__name__}", _line(text, key))
        values[key] = value
    for key in (
        "target_locales",
        "include",
        "exclude",
        "front_matter_keys",
        "url_attributes",
        "jsx_text_props",
    ):
        if key in values:
            if not all(isinstance(v, str) for v in values[key]):
                raise ConfigError(path, f"{key} must be a list of strings", _line(text, key))
            values[key] = tuple(values[key])
    # a locale names folders and fills templates: at least it must be a plain word here (babel
    # checks the code itself when a run first parses a post, see `locale_error`)
    for key in ("source_locale", "target_locales"):
        codes = values.get(key, ())
        for code in [codes] if isinstance(codes, str) else codes:
            if not re.fullmatch(r"[A-Za-z0-9_-]+", code):
                raise ConfigError(
                    path, f"{key}: {code!r} is not a locale code (e.g. zh, zh-CN, en-US)", _line(text, key)
                )
    if "target_locales" in values and not values["target_locales"]:
        raise ConfigError(path, "target_locales is empty", _line(text, "target_locales"))
    if "backend" in values:
        backend = values["backend"]
        if not isinstance(backend.get("name"), str):
            raise ConfigError(path, '[backend] needs name = "..."', _line(text, "backend"))
        values["backend"] = {k: str(v) for k, v in backend.items()}
        if "prompt_file" in values["backend"]:  # relative to the repository, wherever sync runs
            values["backend"]["prompt_file"] = str(path.parent / values["backend"]["prompt_file"])
    for tag, attrs in values.get("attributes", {}).items():
        if not isinstance(attrs, list) or not all(isinstance(a, str) for a in attrs):
            raise ConfigError(
                path, f"[attributes] {tag!r} must be a list of attribute names", _line(text, "attributes")
            )
    if "attributes" in values:
        values["attributes"] = {k: tuple(v) for k, v in values["attributes"].items()}
    for k, v in values.get("front_matter_set", {}).items():
        if not isinstance(v, str):
            raise ConfigError(
                path, f"front_matter_set: {k!r} must be a string", _line(text, "front_matter_set")
            )
    for key in values.get("front_matter_keys", ()):
        from ._syntax.frontmatter import identifier_key  # noqa: PLC0415

        if identifier_key(key):
            raise ConfigError(
                path,
                f"front_matter_keys: {key!r} holds an identifier (a URL, a name); translating it breaks "
                f"links: write '!{key}' to translate it anyway",
                _line(text, "front_matter_keys"),
            )
    if values.get("on_unit_failure", "fail") not in ("fail", "keep-source"):
        raise ConfigError(path, "on_unit_failure must be fail or keep-source", _line(text, "on_unit_failure"))
    if values.get("glossary_mode", "fail") not in ("fail", "warn"):
        raise ConfigError(path, "glossary_mode must be fail or warn", _line(text, "glossary_mode"))
    if values.get("front_matter_quote", "double") not in ("double", "single"):
        line = _line(text, "front_matter_quote")
        raise ConfigError(path, "front_matter_quote must be double or single", line)
    if "anchors" in values:
        if values["anchors"] not in anchor_settings():
            known = ", ".join(anchor_settings())
            raise ConfigError(path, f"anchors must be one of {known}", _line(text, "anchors"))
    if "dialect" in values:
        from .dialects.table import NAMES  # noqa: PLC0415

        if values["dialect"] not in NAMES:
            raise ConfigError(path, f"dialect must be one of {', '.join(NAMES)}", _line(text, "dialect"))
    for key in ("output", "memory"):
        if key in values and (values[key].startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", values[key])):
            raise ConfigError(path, f"{key} must be relative to the repository", _line(text, key))
    if "output" in values and (problem := template_problem(values["output"])):
        raise ConfigError(path, f"output: {problem}", _line(text, "output"))
    for key in ("include", "exclude"):
        for pattern in values.get(key, ()):
            if pattern.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", pattern):
                raise ConfigError(path, f"{key}: {pattern!r} leads outside the repository", _line(text, key))
    for key, low in (
        ("retries", 0),
        ("concurrency", 1),
        ("batch_chars", 1),
        ("max_tokens", 1),
        ("max_chars", 1),
    ):
        if key in values and values[key] < low:
            raise ConfigError(path, f"{key} must be at least {low}", _line(text, key))

    if "include" not in values and values.get("dialect") == "docusaurus":
        values["include"] = ("**/*.md", "**/*.mdx")  # Docusaurus posts are Markdown or MDX
    cfg = Config(root=path.parent.resolve(), path=path, **values)
    cfg.inside(cfg.memory, "memory")
    return cfg


def anchor_settings() -> tuple[str, ...]:
    """What `anchors` (and `translate --anchors`) accepts: `auto` (the slugger of the post's
    dialect), `keep`, a slugger's name (`links.slugs.SLUGGERS`) or a dialect's (its slugger)."""
    from .dialects.table import DIALECTS  # noqa: PLC0415
    from .links.slugs import SLUGGERS  # noqa: PLC0415

    return ("auto", "keep", *SLUGGERS, *(d for d in DIALECTS if d not in SLUGGERS))


def _line(text: str, key: str) -> int | None:
    """The line of `key` (in pyproject.toml: after the [tool.i18n-posts] header)."""
    head = re.search(r"^\[tool\.i18n-posts\][ \t]*$", text, re.M)
    start = head.end() if head else 0
    m = re.compile(rf"^[ \t]*\[?\"?{re.escape(key)}\"?[ \t]*(?:=|\])", re.M).search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else None


def locale_error(cfg: Config) -> ConfigError | None:
    """A config error for the first locale code babel does not know, or None. (Checked when a
    run parses posts: the no-op sync does not load babel.)"""
    from .locales import parse_locale  # noqa: PLC0415

    for key, codes in (("source_locale", (cfg.source_locale,)), ("target_locales", cfg.target_locales)):
        for code in codes:
            try:
                parse_locale(code)
            except ValueError as exc:
                text = cfg.path.read_text(encoding="utf-8") if cfg.path.is_file() else ""
                return ConfigError(cfg.path, f"{key}: {exc}", _line(text, key))
    return None


TEMPLATE_FIELDS = frozenset({"dir", "stem", "ext", "name", "locale"})


def template_problem(template: str) -> str | None:
    """What is wrong with an output template, or None: only plain `{dir}`, `{stem}`, `{ext}`,
    `{name}` and `{locale}` fields (no attributes, indexes, conversions or format specs)."""
    import string  # noqa: PLC0415

    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"bad template {template!r}: {exc}"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS or spec or conversion:
            known = ", ".join("{" + f + "}" for f in sorted(TEMPLATE_FIELDS))
            field = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return f"bad template {template!r}: {{{field}}} is not one of {known}"
    return None
