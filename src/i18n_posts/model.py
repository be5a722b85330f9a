"""The values that pass between pipeline stages.

load -> SourcePost -> segment -> SegmentedPost -> translate -> Translation... ->
check -> Issue... -> assemble -> LocalizedPost -> write.

Every span is 0-based and half-open and points into `SourcePost.text`, the decoded
file exactly as read (byte-order mark and CR characters included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

UnitKind = Literal[
    "heading",
    "paragraph",
    "table_cell",
    "html_text",
    "attribute",
    "front_matter",
    "container_title",
    "link_title",
]
"""What a unit is in the post; decides its escaping and its structural checks."""

Context = Literal["markdown", "table", "html", "attribute", "yaml", "toml", "template"]
"""Where a unit's text lands, which decides what must be escaped in a translation (`toml`: a
TOML front matter string; `template`: a value inside generator syntax, such as a quoted
shortcode argument or an admonition title)."""

PlaceholderKind = Literal["standalone", "open", "close"]

TAG = re.compile(r"<x(\d+)/>|<g(\d+)>|</g(\d+)>")
"""The placeholder syntax: <xN/> (standalone), <gN> and </gN> (a pair); groups 1-3 hold N."""


def spell(name: str, kind: PlaceholderKind | str) -> str:
    """How the placeholder `name` ("x3", "g2") of `kind` is written in a unit's text."""
    return f"<{name}/>" if kind == "standalone" else f"<{name}>" if kind == "open" else f"</{name}>"


@dataclass(frozen=True, slots=True)
class SourcePost:
    """A post as read from disk."""

    path: Path
    """Where it was read from."""
    text: str
    """The whole file decoded as UTF-8, BOM and line endings kept."""
    body_start: int
    """Offset of the first character after the front matter (0 without front matter)."""
    front_matter: tuple[int, int] | None
    """Span of the front matter between its fences, or None."""
    newline: str
    """The file's line ending: "\\n" or "\\r\\n" (the first one found; "\\n" if none)."""
    front_matter_format: Literal["yaml", "toml", "json"] = "yaml"
    """How the front matter is written: YAML (`---`, or Hexo's without the opening fence),
    TOML (Hugo's `+++`) or JSON (Hugo's `{ ... }`; the span holds the braces)."""


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A piece of a unit that a backend must keep: markup, code, a URL, math."""

    name: str
    """Its tag in the unit text: "x3" is written <x3/>, "g2" is written <g2>...</g2>."""
    kind: PlaceholderKind
    """standalone (<xN/>), or one side of a pair (<gN> and </gN>)."""
    start: int
    """Start of the source text it stands for."""
    end: int
    """End of the source text it stands for."""
    label: str
    """What it stands for (code, link, strong, html:span...): a hint for backends and people."""
    ref_label: str | None = None
    """For `[label]` / `[label][]` reference links: the label, which is the reference key
    and must be kept when the link text is translated."""

    @property
    def tag(self) -> str:
        """How it is written in the unit's text (`<x3/>`, `<g2>`, `</g2>`)."""
        return spell(self.name, self.kind)


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable piece of a post."""

    id: str
    """Stable within the post: "u1", "u2", ... in document order."""
    kind: UnitKind
    """What the unit is."""
    context: Context
    """Where its text lands (escaping rules)."""
    start: int
    """Start of the span the unit replaces."""
    end: int
    """End of the span the unit replaces."""
    line: int
    """1-based line of `start`, for messages."""
    text: str
    """The text a backend sees: prose, <xN/> and <gN>...</gN> placeholders, "\\n" for line breaks."""
    placeholders: tuple[Placeholder, ...]
    """Every placeholder of `text`, in order of appearance."""
    breaks: tuple[tuple[int, int], ...]
    """Source spans of the line breaks (with their indentation or quote markers), one per "\\n"."""
    source_segments: tuple[str, ...]
    """The plain-text pieces of `text` (between placeholders), used to tell new markup from old."""
    yaml_style: str | None = None
    """For front matter values: the YAML scalar style of the source ('', "'", '"', '|', '>')."""


@dataclass(frozen=True, slots=True)
class SegmentedPost:
    """A post cut into units; everything outside the units is kept as it is."""

    source: SourcePost
    """The post."""
    units: tuple[Unit, ...]
    """All units, sorted by start; a unit may lie inside another unit's placeholder."""
    title: str | None
    """The front matter title, if any (context for backends)."""
    blocks: tuple[tuple[str, int], ...] = ()
    """The block structure of the source ((token type:tag, line) pairs), to compare outputs with."""
    urls: tuple[tuple[int, int], ...] = ()
    """Spans of link and image destinations (Markdown and HTML `href`/`src`), sorted, for
    re-pointing relative links in a copy that lives in another folder."""
    notes: tuple[str, ...] = ()
    """What the segmenter could not read and left as it is (reported, never silent)."""
    fields: tuple[Field, ...] = ()
    """Front matter values that a copy sets for its locale (`lang: zh-CN` -> `lang: en`)."""

    dialect: str = "vitepress"
    """The site generator's Markdown it was read as (`i18n_posts.dialects`)."""

    quote: str = '"'
    """The quote of a translated front matter value that needs one and holds neither quote."""

    note_places: tuple[str, ...] = ()
    """Every place a note speaks of (`line N: what`), in order: a note names the first, `-v`
    lists them all."""


@dataclass(frozen=True, slots=True)
class Field:
    """A front matter value that a localized copy replaces with a value of its own."""

    key: str
    """The key (dotted path), as configured in `front_matter_set`."""
    start: int
    """Start of the value's span in the post text."""
    end: int
    """End of the span."""
    style: str
    """The YAML scalar style of the source ('', "'", '"'), kept by the new value."""


@dataclass(frozen=True, slots=True)
class Translation:
    """A backend's answer for one unit."""

    unit_id: str
    """The unit it translates."""
    text: str
    """The translated text with the unit's placeholders."""
    origin: str = ""
    """Who made it (backend name, model)."""


IssueCode = Literal[
    "missing",
    "placeholder",
    "structure",
    "glossary",
    "backend",
    "untranslated",
]


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in a translation; checks report, they do not raise."""

    unit_id: str
    """The unit concerned."""
    code: IssueCode
    """Kind of problem."""
    message: str
    """What is wrong, for people."""
    line: int = 0
    """1-based source line of the unit."""


@dataclass(frozen=True, slots=True)
class LocalizedPost:
    """The result of a run over one post."""

    source: SourcePost
    """The post translated."""
    locale: str
    """Target locale."""
    text: str | None
    """The localized file's text, or None when it must not be written."""
    issues: tuple[Issue, ...]
    """What went wrong (empty when all units translated and passed)."""
    units: int
    """How many units the post has."""
