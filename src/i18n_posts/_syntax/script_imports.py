"""Module specifiers in the JavaScript of a `<script>` block that name files by relative path.

`import X from '../a.vue'`, `import '../b.css'`, `export { y } from './c.js'` and
`import('./d.js')`: a copy of the post in another folder must re-point them as it does
links (VitePress resolves them from the page's folder). Only `./` and `../` specifiers
are returned; a bare package name (`vue`) or an alias (`@theme/x`) means the same from
every folder. Comments and strings that merely contain such text are not specifiers:
the scan skips them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))"""
    r"""|(?P<spec>\b(?:import|export)\b(?:[\s\w$*{},]*?\bfrom\s*|\s*\(\s*|\s*)(?P<q>['"])(?P<path>[^'"\n]*)(?P=q))"""
    r"""|(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)""",
    re.S,
)


def relative_specifiers(js: str) -> Iterator[tuple[int, int]]:
    """Spans (in `js`) of the relative module specifiers, without their quotes."""
    for m in _TOKEN.finditer(js):
        if m.group("spec") is not None and m.group("path").startswith(("./", "../")):
            yield m.start("path"), m.end("path")
