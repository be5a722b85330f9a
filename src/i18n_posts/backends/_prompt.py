"""The system prompt of the `openai` backend: our rules, then the repository's style guide.

The task, the placeholder rules and the glossary lines are ours and always come first: a
style guide (`[backend] style = "..."` or `prompt_file = "..."`) is appended after them and
cannot switch them off. Without one, `DEFAULT_STYLE` says what good English for a tech blog
post looks like. Glossary terms travel with their `guidance` only: a term's `note` is for the
maintainers of the glossary and is never sent (a model copies what it is shown).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from . import BatchRequest

SYSTEM = (
    "Translate this {src} tech blog post into fluent {dst}: reply with the same JSON, "
    'each "text" translated. Keep ids, line breaks, Latin-script names and every tag: <xN/> as is, '
    "<gN>...</gN> around its translated text."
)

DEFAULT_STYLE = (
    "Style: clear, friendly English for developers. Translate everything, leave no {src} "
    "word; add nothing, drop nothing, keep every number, name, URL and emoji. "
    "People's names: pinyin, given name first (张三 -> San Zhang), GitHub handles as they are. "
    "Keep product and project names as written (PaddlePaddle, PaddleOCR). "
    "Headings in sentence case."
)
"""The style guide used when the repository gives none (`style = "none"` sends none)."""


WORDS = "Each text is a word or phrase of the post: translate it as it is used there."
"""Said of a request of words sent alone (translate.py: words an answer left untranslated)."""


def load_style(options: dict[str, str]) -> str:
    """The style guide from the backend options: `style` text, or the text of `prompt_file`
    (both: the file after the text); `DEFAULT_STYLE` when neither is given."""
    style = options.get("style")
    path = options.get("prompt_file")
    parts: list[str] = []
    if style is not None and style.strip().lower() != "none":
        parts.append(style.strip())
    if path:
        try:
            parts.append(Path(path).read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise UsageError(f"backend openai: prompt_file {path}: cannot read it ({reason})") from None
    if style is None and not path:
        return DEFAULT_STYLE
    return "\n".join(p for p in parts if p)


def style_tag(style: str) -> str:
    """What the memory records of a style guide: "" for the default one, else a digest."""
    from ..memory.state import text_digest  # noqa: PLC0415

    return "" if style == DEFAULT_STYLE else text_digest(style)


def system_prompt(request: BatchRequest, style: str, src: str, dst: str) -> str:
    """The system prompt of `request` (`src`, `dst`: the languages' English names)."""
    text = SYSTEM.format(src=src, dst=dst)
    if request.glossary:
        terms = "\n".join(
            f"{g.source} = {g.target}" + (f" -- {g.note}" if g.note and len(g.note) <= 80 else "")
            for g in request.glossary
        )
        text += f"\nAlways use these terms:\n{terms}"
    if any(u.previous_translation for u in request.units):
        text += (
            '\nA unit with "previous" changed since it was translated: revise that translation to the new '
            "text, keeping its wording where it still fits."
        )
    if request.units and all(u.kind == "word" for u in request.units):
        text += f"\n{WORDS}"
    if request.title or request.context:
        text += "\nFor context only, not to translate or send back:"
        if request.title:
            text += f"\nThe post's title: {request.title}"
        if request.context:
            text += f"\nThe text just before: {request.context}"
    if any(u.hint for u in request.units):
        text += "\nEarlier answers got these units wrong; get them right this time:" + "".join(
            f"\nunit {k}: {u.hint}" for k, u in enumerate(request.units, 1) if u.hint
        )
    if style:
        text += "\n" + style.replace("{src}", src)
    return text
