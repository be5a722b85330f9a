"""CJK emphasis: `**注意：**正文` is bold to its author, and to kramdown and Python-Markdown.

CommonMark's flanking rules do not let a `**` close after punctuation when a letter follows
(`：**正`), so markdown-it leaves both runs as text and a translation such as
`**Note:** text` would have its asterisks escaped. Here delimiter runs that markdown-it
left unpaired are paired as their author wrote them: an opening run followed by a
non-space, a closing run of the same character and length preceded by one, with a
character outside ASCII next to one of them (ASCII text keeps CommonMark's reading).
They become a pair of placeholders, so the text between them is translated and the
markup is kept; a translation that puts them around `Note:` renders bold.
"""

from __future__ import annotations

Mark = tuple[int, int, str, str, int]
"""(start, end, kind, label, pair) in the inline content's coordinates."""


def cjk_pairs(content: str, loose: list[tuple[int, int]], first_pair: int) -> list[Mark]:
    """Marks for the unpaired delimiter characters at `loose` (spans of one `*` each, in
    order) that pair up as their author meant; pair keys start at `first_pair`."""
    runs: list[list[int]] = []  # [start, end]
    for a, b in sorted(loose):
        if runs and runs[-1][1] == a and content[runs[-1][0]] == content[a]:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    out: list[Mark] = []
    stack: list[tuple[int, int]] = []
    pair = first_pair
    for a, b in runs:
        before, after = content[a - 1 : a], content[b : b + 1]
        opener = stack[-1] if stack else None
        if (
            opener is not None
            and before.strip()
            and content[opener[0] : opener[1]] == content[a:b]
            and (_wide(before) or _wide(after) or _wide(content[opener[1] : opener[1] + 1]))
        ):
            stack.pop()
            label = {1: "em", 2: "strong"}.get(b - a, "em/strong")
            out += [(opener[0], opener[1], "open", label, pair), (a, b, "close", label, pair)]
            pair += 1
        elif after.strip():
            stack.append((a, b))
    return out


def _wide(ch: str) -> bool:
    return bool(ch) and ord(ch) > 0x7F
