"""A model's JSON answer -> {id: text}, strictly, with the repairs that are safe.

What a weak model sends back, seen from Qwen2.5-Coder-1.5B on llama.cpp, and what is done:

* the JSON in a Markdown fence, or with a sentence before or after it: the outermost
  object (or list) is taken;
* trailing commas (`[{...},]`), or an answer cut off inside the last unit: the commas are
  dropped; a cut answer keeps the units that were complete (the last one is asked again);
* a quote inside a text left unescaped (`"text": "these "ground pigeons"."`, the source's
  “…” turned into ASCII quotes): a quote inside a string that is not followed by what
  may follow a string's end (`:`, `}`, `]`, or `,` and the next key or value) is escaped;
* a list of units instead of `{"units": [...]}`, `{"1": "text", ...}`, or one unit object
  (`{"id": "1", "text": "..."}`, for a request of one unit): read as the same;
* an object with a key twice (`{"id": "3", "text": "a", "text": "b"}`) or a key we did not
  send (`"translation"`, `"id2"`): the whole answer is refused. Such an answer is how texts
  slide onto other units' ids (`json.loads` keeps the last of repeated keys), and nothing
  later could tell a slid text from the right one.

Anything else is `AnswerError` (the batch is split and sent again: see translate.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

_FENCE = re.compile(r"```(?:json|JSON)?[ \t]*\n(.*?)\n?[ \t]*```", re.S)
_UNIT_KEYS = frozenset({"id", "text"})
_ECHOED = frozenset({"note", "fix", "previous", "kind", "source"})
"""Keys of our request a model may copy back into a unit: ignored."""
_TOP_KEYS = frozenset({"units", "title", "context", "translations"})


class AnswerError(ValueError):
    """The answer cannot be read safely; the message says why (for the report)."""


class _Duplicate(ValueError):
    pass


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in pairs:
        if k in out:
            raise _Duplicate(k)
        out[k] = v
    return out


def _load(text: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except _Duplicate as dup:
        raise AnswerError(f'the model\'s answer repeats the key "{dup.args[0]}" in an object') from None


def _scan(
    text: str, start: int = 0, ends: Callable[[int], object] | None = None
) -> Iterator[tuple[int, str, str]]:
    """(index, character, where) of each character of `text` from `start`: where is "out"
    (not inside a JSON string; a string's opening quote is out), "in", or "kept" for a quote
    inside a string that `ends(index)` says does not end it (without `ends`, every unescaped
    quote ends its string)."""
    in_str = esc = False
    for i in range(start, len(text)):
        c = text[i]
        if not in_str:
            in_str = c == '"'
            yield i, c, "out"
        elif esc:
            esc = False
            yield i, c, "in"
        elif c == '"' and ends is not None and not ends(i):
            yield i, c, "kept"
        else:
            esc = c == "\\"
            in_str = c != '"'
            yield i, c, "in"


def _outside_strings(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of `text` from `start` not inside a JSON string."""
    return ((i, c) for i, c, where in _scan(text, start) if where == "out")


def _strip_commas(text: str) -> str:
    """`text` without commas that stand right before a closing bracket (outside strings)."""
    out = list(text)
    pending = -1  # index of a comma that may be trailing
    for i, c in _outside_strings(text):
        if c in "]}" and pending >= 0:
            out[pending] = ""
        if c == ",":
            pending = i
        elif not c.isspace():
            pending = -1
    return "".join(out)


_CLOSES = re.compile(r'\s*(?:[:}\]]|,\s*["{\[\d-]|,?\s*$)')
"""What follows the quote that ends a JSON string (a key's `:`, a closing bracket, or a comma
and the next key or value); a quote followed by anything else is inside the text."""


def _escape_quotes(text: str) -> str:
    """`text` with each quote inside a string that cannot end it escaped."""
    ends = lambda i: _CLOSES.match(text, i + 1)  # noqa: E731
    return "".join('\\"' if where == "kept" else c for _, c, where in _scan(text, ends=ends))


def _complete_units(text: str) -> str | None:
    """The answer cut after its last complete unit object, closed again; None if none was."""
    start = text.find("[")
    if start < 0:
        return None
    depth = 0
    last_end = -1
    for i, c in _outside_strings(text, start + 1):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                last_end = i
        elif c == "]" and depth == 0:
            return None  # the list was complete: not a cut answer
    if last_end < 0:
        return None
    head = text[: last_end + 1] + "]"
    return head + ("}" if text.lstrip().startswith("{") else "")


def _from_json(content: str) -> str:
    m = _FENCE.search(content)
    if m:
        content = m.group(1)
    elif "```" in content:  # a fence opened and never closed: the answer was cut
        content = content.split("```", 1)[1].removeprefix("json")
    starts = [i for i in (content.find("{"), content.find("[")) if i >= 0]
    return content[min(starts) :] if starts else content


def _outer(content: str) -> str:
    """The JSON part of an answer: inside a fence if there is one, from the first { or [."""
    m = _FENCE.search(content)
    if m:
        content = m.group(1)
    starts = [i for i in (content.find("{"), content.find("[")) if i >= 0]
    if not starts:
        raise AnswerError("the model's answer is not valid JSON (no object in it)")
    content = content[min(starts) :]
    close = "}" if content[0] == "{" else "]"
    end = content.rfind(close)
    return content[: end + 1] if end > 0 else content


def parse_answer(content: str, ids: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """({id: text}, repairs made) from a model's answer; `AnswerError` if it cannot be read
    safely. `ids` (the ids sent) lets a {"id": "text"} object be recognised."""
    repairs: list[str] = []
    body = _outer(content.strip())
    if body != content.strip():
        repairs.append("text around the JSON")
    try:
        data = _load(body)
    except AnswerError:
        raise
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        data = None
        for name, fixed in _repairs(body):
            try:
                data = _load(fixed)
                repairs.append(name)
                break
            except AnswerError:
                raise
            except (ValueError, RecursionError):
                continue
        if data is None:
            cut = _complete_units(_from_json(content))
            if cut is not None:
                try:
                    data = _load(_strip_commas(cut))
                    repairs.append("cut off: complete units kept")
                except AnswerError:
                    raise
                except (ValueError, RecursionError):
                    data = None
        if data is None:
            raise AnswerError("the model's answer is not valid JSON") from None
    return _units(data, ids or set()), repairs


def _repairs(body: str) -> Iterator[tuple[str, str]]:
    """(name, repaired text) of each repair that changes `body`, the smallest first."""
    commas = _strip_commas(body)
    quotes = _escape_quotes(body)
    if commas != body:
        yield "trailing commas", commas
    if quotes != body:
        yield "unescaped quotes", quotes
        both = _strip_commas(quotes)
        if both != quotes:
            yield "trailing commas, unescaped quotes", both


def _units(data: object, ids: set[str]) -> dict[str, str]:
    if isinstance(data, dict) and "id" in data and "text" in data and "units" not in data:
        data = [{k: v for k, v in data.items() if k not in _TOP_KEYS}]  # one unit, not in a list
    if isinstance(data, dict):
        extra = set(data) - _TOP_KEYS
        if "units" not in data and "translations" not in data:
            if data and all(isinstance(v, str) for v in data.values()) and set(data) <= ids:
                return {str(k): v for k, v in data.items()}  # {"1": "text", ...}
            raise AnswerError('the model\'s answer has no "units" list')
        if extra:
            raise AnswerError(f"the model's answer has keys we did not send: {', '.join(sorted(extra))}")
        units = data.get("units", data.get("translations"))
    else:
        units = data
    if not isinstance(units, list):
        raise AnswerError('the model\'s answer has no "units" list')
    out: dict[str, str] = {}
    seen: set[str] = set()
    for u in units:
        if not isinstance(u, dict):
            raise AnswerError("the model's answer lists something else than units")
        unknown = set(u) - _UNIT_KEYS - _ECHOED
        if unknown:
            raise AnswerError(
                f"a unit in the model's answer has keys we did not send: {', '.join(sorted(unknown))}"
            )
        if not isinstance(u.get("text"), str) or "id" not in u:
            raise AnswerError('a unit in the model\'s answer has no "id" and "text"')
        uid = str(u["id"])
        if uid in seen:
            out.pop(uid, None)  # given twice: trust neither
            continue
        seen.add(uid)
        out[uid] = u["text"]
    return out
