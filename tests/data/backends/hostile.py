"""A hostile translator for the command backend: each unit's pseudo-translation with text that
would be markup if it were written as is (`{{ }}`, `<PID>`, `a < b`, `|`, `1. `, `# `, `<!--`,
`v-if=`), at the start, in the middle or at the end. Placeholders are kept in order, so every
answer passes the checks and reaches the page: the build shows whether it stays text."""

import json
import sys
import zlib

from i18n_posts.backends.offline import pseudo_text

HOSTILE = (
    "{{ 1234+4321 }}",
    "kill <PID>",
    "a < b",
    "x | y",
    "1. first",
    "# not a heading",
    "<!-- not a comment",
    'v-if="false"',
    "{{ constructor }} and }}",
)
START = ("1. ", "# ", "- ", "> ", "<!-- ", "{{ ")


def hostile(uid: str, text: str) -> str:
    n = zlib.crc32(uid.encode())
    base = pseudo_text(text, [])
    bit = HOSTILE[n % len(HOSTILE)]
    other = HOSTILE[(n // 7) % len(HOSTILE)]
    start = START[(n // 3) % len(START)]
    cut = base.find(" ", len(base) // 2)
    if cut < 0:
        cut = len(base)
    return f"{start}{bit} {base[:cut]} {other}{base[cut:]}"


req = json.load(sys.stdin)
print(json.dumps({"translations": [{"id": u["id"], "text": hostile(u["id"], u["text"])} for u in req["units"]]}))
