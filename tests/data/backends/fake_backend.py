"""A fake translation program for the `command` backend (used by tests/test_cli.py).

Usage: python fake_backend.py MODE [LOG]

Reads the request JSON on stdin and answers on stdout. If LOG is given, one line is
appended to it per call (so tests can count the calls). Modes:

  echo      every text returned unchanged
  suffix     every text returned with " (EN)" appended (a visible, valid "translation")
  fail      always exit with status 3 (and a message on stderr)
  badjson   print something that is not JSON
  drop      remove every placeholder (<x1/>, <g1>, </g1>) from the texts
  rotate    return each unit's text under the next unit's id
"""

import json
import re
import sys

TAG = re.compile(r"</?[xg]\d+/?>")


def main() -> int:
    mode = sys.argv[1]
    if len(sys.argv) > 2:
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(mode + "\n")
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    units = request["units"]
    if mode == "fail":
        sys.stderr.write("fake backend: service unavailable\n")
        return 3
    if mode == "badjson":
        sys.stdout.write("this is not JSON {")
        return 0
    if mode == "echo":
        out = [{"id": u["id"], "text": u["text"]} for u in units]
    elif mode == "suffix":
        out = [{"id": u["id"], "text": u["text"] + " (EN)"} for u in units]
    elif mode == "drop":
        out = [{"id": u["id"], "text": TAG.sub("", u["text"])} for u in units]
    elif mode == "rotate":
        n = len(units)
        out = [{"id": units[(i + 1) % n]["id"], "text": u["text"]} for i, u in enumerate(units)]
    else:
        sys.stderr.write(f"unknown mode {mode}\n")
        return 64
    sys.stdout.buffer.write(json.dumps({"translations": out}, ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
