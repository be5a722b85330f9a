"""A translation program for the `command` backend that records what it is sent (tests/test_sync.py).

Usage: python recorder.py LOG [--fail-from N] [--fail-text TEXT] [--kill-parent-on N]

Reads the request JSON on stdin. Every call appends the request, as one JSON line, to LOG
(the number of lines is the call count). Answers with each unit's text where each glossary
source is replaced by its target, followed by " (EN)". Options:

  --fail-from N         calls N, N+1, ... exit with status 3 (as a service going down)
  --fail-text TEXT      units whose text contains TEXT get no translation
  --kill-parent-on N    on call N, kill the calling process with SIGKILL (as a killed run)
"""

import argparse
import json
import os
import signal
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--fail-from", type=int, default=0)
    ap.add_argument("--fail-text", default="")
    ap.add_argument("--kill-parent-on", type=int, default=0)
    args = ap.parse_args()
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    with open(args.log, "a", encoding="utf-8") as log:
        log.write(json.dumps(request, ensure_ascii=False) + "\n")
    with open(args.log, encoding="utf-8") as log:
        call = sum(1 for line in log if line.strip())
    if args.kill_parent_on and call == args.kill_parent_on:
        os.kill(os.getppid(), signal.SIGKILL)
        return 9
    if args.fail_from and call >= args.fail_from:
        sys.stderr.write("recorder: service unavailable\n")
        return 3
    out = []
    for u in request["units"]:
        if args.fail_text and args.fail_text in u["text"]:
            continue
        text = u["text"]
        for g in request.get("glossary", []):
            text = text.replace(g["source"], g["target"])
        out.append({"id": u["id"], "text": text + " (EN)"})
    sys.stdout.buffer.write(json.dumps({"translations": out}, ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
