"""The shape of a dialect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Extension = Callable[[Any], None]
"""A markdown-it plugin: it adds or replaces rules of the parser it is given."""

Handler = Callable[[Any, list[Any], int], None]
"""A segmenter handler for a block token an extension makes: (the segmenter's run of one
post, the tokens, the token's index); it adds the token's units to the run."""


@dataclass(frozen=True, slots=True)
class Dialect:
    """A site generator's Markdown: data and the parser extensions that read it."""

    name: str
    """The name used in the config (`dialect = "hugo"`) and on the command line."""
    front_matter_keys: tuple[str, ...] = ()
    """Front matter keys a reader sees besides `title` and `description`, translated by default
    (dotted paths; `features.title` reaches into a list of mappings)."""
    extensions: tuple[Extension, ...] = ()
    """markdown-it plugins applied, in order, to the VitePress-like base parser."""
    handlers: tuple[tuple[str, Handler], ...] = ()
    """(block token type, handler) for the tokens the extensions make."""
    vitepress_containers: bool = True
    """Whether `::: tip Title` containers are read as VitePress/VuePress ones."""
    jsx: bool = False
    """Whether capitalized tags are JSX components (MDX), whose text props are translated."""
    slugger: str = "vitepress"
    """How the generator makes heading ids (a name of `links.slugs.SLUGGERS`): in-page
    anchors of a translation follow it under `anchors = "auto"`."""
    foreign: tuple[tuple[str, str], ...] = ()
    """(regular expression, what it is) of syntax of other generators this dialect does not
    read: a post holding it gets one note naming the first place."""
