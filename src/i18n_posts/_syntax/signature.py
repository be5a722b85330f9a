"""The block structure of a parsed post: what a translation must not change."""

from __future__ import annotations

from typing import Any

from ..model import SourcePost


def block_signature(tokens: list[Any], post: SourcePost) -> list[tuple[str, int]]:
    """(type:tag, source line) of each block token: what must not change in a translation."""
    first = post.text.count("\n", 0, post.body_start) + 1
    return [(f"{t.type}:{t.tag}", first + (t.map[0] if t.map else 0)) for t in tokens if t.type != "inline"]


def block_kinds(tokens: list[Any]) -> list[str]:
    """`block_signature` without the lines: the `type:tag` of each block token (an output's
    side of the comparison, whose messages give the source's lines)."""
    return [f"{t.type}:{t.tag}" for t in tokens if t.type != "inline"]
