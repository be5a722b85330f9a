"""The `command` backend: runs a program once per batch, JSON on stdin, JSON on stdout.

Request:  {"source_locale": "zh", "target_locale": "en", "title": "...",
           "units": [{"id": "u1", "text": "...", "kind": "paragraph",
                      "placeholders": [{"tag": "<x1/>", "label": "code"}]}, ...],
           "glossary": [{"source": "飞桨", "target": "PaddlePaddle", "note": "..."}]}
Response: {"translations": [{"id": "u1", "text": "..."}, ...]}
"""

from __future__ import annotations

import json
import shlex
import subprocess

from ..errors import BackendError, UsageError
from . import BaseBackend, BatchRequest


class CommandBackend(BaseBackend):
    """Options: `command` (required): the program and its arguments; `timeout` (seconds, default 300)."""

    name = "command"
    mode = "thread"
    """Calls run in worker threads, so several programs can run at once."""

    def __init__(self, options: dict[str, str]) -> None:
        unknown = set(options) - {"command", "timeout"}
        if unknown:
            raise UsageError(f"backend command: unknown option(s) {', '.join(sorted(unknown))}")
        if not options.get("command", "").strip():
            raise UsageError('backend command needs --backend-option command="PROGRAM ARGS"')
        super().__init__(options)
        self.argv = shlex.split(options["command"])
        try:
            self.timeout = float(options.get("timeout", "300"))
        except ValueError:
            raise UsageError("backend command: timeout must be a number of seconds") from None

    def translate(self, request: BatchRequest) -> dict[str, str]:
        payload = {
            "source_locale": request.source_locale,
            "target_locale": request.target_locale,
            "title": request.title,
            "units": [
                {
                    "id": u.id,
                    "text": u.text,
                    "kind": u.kind,
                    "placeholders": [{"tag": t, "label": label} for t, label in u.placeholders],
                    **(
                        {"previous": {"source": u.previous_source, "translation": u.previous_translation}}
                        if u.previous_translation
                        else {}
                    ),
                }
                for u in request.units
            ],
            "glossary": [{"source": g.source, "target": g.target, "note": g.note} for g in request.glossary],
        }
        try:
            proc = subprocess.run(
                self.argv,
                input=json.dumps(payload, ensure_ascii=False).encode(),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise BackendError(self.name, f"program not found: {self.argv[0]}") from None
        except subprocess.TimeoutExpired:
            raise BackendError(self.name, f"no answer within {self.timeout:g}s") from None
        except OSError as exc:
            raise BackendError(self.name, f"cannot run {self.argv[0]}: {exc.strerror}") from None
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise BackendError(
                self.name, f"exit status {proc.returncode}" + (f": {err[-1][:200]}" if err else "")
            )
        try:
            data = json.loads(proc.stdout)
            items = data["translations"]
            return {str(t["id"]): str(t["text"]) for t in items}
        except (ValueError, KeyError, TypeError):
            raise BackendError(
                self.name,
                "the program's answer is not the expected JSON "
                '({"translations": [{"id": ..., "text": ...}]})',
            ) from None
