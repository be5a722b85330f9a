"""Jekyll: Liquid tags and outputs (`{% include %}`, `{% highlight %}`, `{% raw %}`,
`{{ site.title }}`), kramdown attribute lists `{: .class}` / `{:#id}`."""

from __future__ import annotations

from . import attrs, templates
from ._base import Dialect

DIALECT = Dialect(
    name="jekyll",
    slugger="jekyll",
    front_matter_keys=("subtitle", "excerpt"),
    extensions=(templates.extension(liquid=True), attrs.extension),
    handlers=templates.HANDLERS,
    vitepress_containers=False,
)
