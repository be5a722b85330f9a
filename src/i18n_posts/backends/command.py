"""The `command` backend: runs a program once per batch, JSON on stdin, JSON on stdout.

Request:  {"source_locale": "zh", "target_locale": "en", "title": "...",
           "units": [{"id": "u1", "text": "...", "kind": "paragraph",
                      "placeholders": [{"tag": "<x1/>", "label": "code"}]}, ...],
           "glossary": [{"source": "飞桨", "target": "PaddlePaddle", "note": "..."}]}
Response: {"translations": [{"id": "u1", "text": "..."}, ...]}

The program runs in a process group of its own: on timeout or when the run stops, the whole
group is killed (no grandchild keeps running). It gets the environment without the
variables that hold secrets (names with KEY, TOKEN, SECRET, PASSWORD, AUTH or CREDENTIAL:
other backends' keys), except those it is configured to receive (`pass_env=A,B`).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import threading

from ..errors import BackendError, UsageError
from . import BaseBackend, BatchRequest


class CommandBackend(BaseBackend):
    """Options: `command` (required): the program and its arguments; `timeout` (seconds, default
    300); `pass_env`: comma-separated names of secret-looking variables the program may see;
    `check_translated` (`on`/`off`, default off): treat the program as a real translator."""

    name = "command"
    mode = "thread"
    """Calls run in worker threads, so several programs can run at once."""

    def __init__(self, options: dict[str, str]) -> None:
        unknown = set(options) - {"command", "timeout", "pass_env", "check_translated"}
        if unknown:
            raise UsageError(f"backend command: unknown option(s) {', '.join(sorted(unknown))}")
        if not options.get("command", "").strip():
            raise UsageError('backend command needs --backend-option command="PROGRAM ARGS"')
        super().__init__(options)
        if options.get("check_translated", "off") not in ("on", "off"):
            raise UsageError("backend command: check_translated must be on or off")
        self.translates = options.get("check_translated", "off") == "on"
        """on: a real translator (answers checked for text left in the source language, and
        stored in a repository's memory by `translate`); off: echo and test programs."""
        self.argv = shlex.split(options["command"])
        try:
            self.timeout = float(options.get("timeout", "300"))
        except ValueError:
            raise UsageError("backend command: timeout must be a number of seconds") from None
        if not self.timeout > 0:
            raise UsageError("backend command: timeout must be more than 0 seconds")
        keep = {n.strip() for n in options.get("pass_env", "").split(",") if n.strip()}
        self.env = {k: v for k, v in os.environ.items() if k in keep or not _SECRET.search(k)}
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

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
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.env,
                start_new_session=True,  # its own process group: killed whole on timeout
            )
        except FileNotFoundError:
            raise BackendError(self.name, f"program not found: {self.argv[0]}") from None
        except OSError as exc:
            raise BackendError(self.name, f"cannot run {self.argv[0]}: {exc.strerror}") from None
        with self._lock:
            self._live.add(proc)
        try:
            out, err_bytes = proc.communicate(data, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.communicate()
            raise BackendError(self.name, f"no answer within {self.timeout:g}s") from None
        finally:
            with self._lock:
                self._live.discard(proc)
        if proc.returncode != 0:
            err = err_bytes.decode("utf-8", "replace").strip().splitlines()
            raise BackendError(
                self.name, f"exit status {proc.returncode}" + (f": {err[-1][:200]}" if err else "")
            )
        return _answers(self.name, out)

    async def aclose(self) -> None:
        """Kill the programs still running (the run stops)."""
        with self._lock:
            live = list(self._live)
        for proc in live:
            _kill(proc)


_SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL", re.I)
_SHAPE = '({"translations": [{"id": ..., "text": ...}]})'


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _answers(name: str, out: bytes) -> dict[str, str]:
    """The translations of the program's answer; every text must be a string."""
    try:
        items = json.loads(out)["translations"]
        pairs = [(t["id"], t["text"]) for t in items]
    except (ValueError, KeyError, TypeError):
        raise BackendError(name, f"the program's answer is not the expected JSON {_SHAPE}") from None
    answers: dict[str, str] = {}
    for uid, text in pairs:
        if not isinstance(text, str):
            raise BackendError(name, f"the text of unit {uid} is {type(text).__name__}, not a string")
        answers[str(uid)] = text
    return answers
