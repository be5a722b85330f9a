"""The segmentation options `translate` takes on its command line (as `sync` reads them
from the config): `--dialect`, `--front-matter-key`, `--attribute TAG=ATTR`, `--anchors`,
`--jsx-text-prop`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..segment import SegmentOptions


def segment_options(
    dialect: str,
    keys: list[str] | None,
    attributes: list[str] | None,
    anchors: str = "auto",
    jsx_props: list[str] | None = None,
) -> SegmentOptions:
    """SegmentOptions from the command line; `UsageError` for an unknown dialect or anchors
    setting, or a bad `--attribute`."""
    from ..config import anchor_settings  # noqa: PLC0415
    from ..dialects import get  # noqa: PLC0415
    from ..errors import UsageError  # noqa: PLC0415
    from ..segment import DEFAULT_ATTRIBUTES, SegmentOptions  # noqa: PLC0415

    if dialect != "auto":
        get(dialect)
    if anchors not in anchor_settings():
        raise UsageError(f"--anchors must be one of {', '.join(anchor_settings())}, not {anchors!r}")
    attrs = dict(DEFAULT_ATTRIBUTES)
    for item in attributes or ():
        tag, sep, names = item.partition("=")
        if not sep or not tag.strip() or not names.strip():
            raise UsageError(f"--attribute {item!r}: write TAG=ATTR (e.g. img=data-caption, or *=title)")
        tag = tag.strip().lower()
        attrs[tag] = attrs.get(tag, frozenset()) | frozenset(n.strip() for n in names.split(",") if n.strip())
    front = tuple(keys) if keys else SegmentOptions().front_matter_keys
    props = tuple(jsx_props) if jsx_props else SegmentOptions().jsx_text_props
    return SegmentOptions(
        front_matter_keys=front, attributes=attrs, dialect=dialect, anchors=anchors, jsx_text_props=props
    )


def given_flags(
    dialect: str,
    keys: list[str] | None,
    attributes: list[str] | None,
    anchors: str = "auto",
    jsx_props: list[str] | None = None,
) -> list[str]:
    """The segmentation options given on the command line (not left at their defaults)."""
    given = (
        ("--dialect", dialect != "auto"),
        ("--front-matter-key", keys),
        ("--attribute", attributes),
        ("--anchors", anchors != "auto"),
        ("--jsx-text-prop", jsx_props),
    )
    return [flag for flag, value in given if value]
