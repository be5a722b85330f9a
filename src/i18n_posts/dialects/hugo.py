"""Hugo: TOML front matter (`+++`), shortcodes `{{< name args >}}` / `{{% name %}}` (with
Markdown between a paired shortcode's tags), kramdown-style attribute lists."""

from __future__ import annotations

from . import attrs, templates
from ._base import Dialect

DIALECT = Dialect(
    name="hugo",
    slugger="hugo",
    front_matter_keys=("summary", "subtitle", "linkTitle"),
    extensions=(templates.extension(liquid=False), attrs.extension),
    handlers=templates.HANDLERS,
    vitepress_containers=False,
)
