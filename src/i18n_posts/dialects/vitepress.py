"""VitePress (the base every dialect starts from) and VuePress: `::: tip Title` containers,
Vue components and interpolation, `{#id}` heading ids."""

from __future__ import annotations

from ._base import Dialect

_FOREIGN = (
    (r"\{\{[<%]", "a Hugo shortcode"),
    (r"\{%-?\s*\w", "a Liquid tag"),
    (r"(?m)^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[A-Za-z]", "an mkdocs admonition"),
    (r"(?m)^[ \t]*===\+?[ \t]+[\"']", "an mkdocs content tab"),
    (r"(?m)^[ \t]*:{3,}[A-Za-z][\w-]*\[", "a Docusaurus admonition title"),
    (r"\{:[ \t]*[#.]", "a kramdown attribute list"),
)

DIALECT = Dialect(
    name="vitepress",
    front_matter_keys=("hero.name", "hero.text", "hero.tagline", "features.title", "features.details"),
    foreign=_FOREIGN,
)
VUEPRESS = Dialect(name="vuepress", foreign=_FOREIGN)
