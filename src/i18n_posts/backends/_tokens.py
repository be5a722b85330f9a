"""Token estimates for costs and budgets, without a tokenizer: CJK characters count one token
each (what GPT-style and ERNIE/Qwen tokenizers give on average), other text four characters a
token. Good to about 20%, which is what a budget needs."""

from __future__ import annotations

import re

_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    wide = len(text) - len(_WIDE.sub("", text))  # one string, not a list of matches
    return wide + (len(text) - wide + 3) // 4
