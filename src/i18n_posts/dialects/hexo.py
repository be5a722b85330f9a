"""Hexo: YAML front matter (also without the opening `---`), Nunjucks/Liquid-style tags
(`{% codeblock %}`, `{% note %}`, `{% post_link %}`), heading ids that keep their case."""

from __future__ import annotations

from . import attrs, templates
from ._base import Dialect

DIALECT = Dialect(
    name="hexo",
    front_matter_keys=("subtitle", "excerpt"),
    extensions=(templates.extension(liquid=True), attrs.extension),
    handlers=templates.HANDLERS,
    vitepress_containers=False,
    slugger="hexo",
)
