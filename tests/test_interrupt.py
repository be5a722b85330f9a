"""An interrupted sync loses nothing that arrived: the memory keeps every batch's answers as
they come, and SIGINT / SIGTERM stop cleanly (the backend's programs killed, exit 130 / 143).
A real process, a real program as the backend, real signals."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, running

HANG_AT = 4
SCRIPT = f"""
import json, os, re, sys, time
log = sys.argv[1]
lines = open(log, encoding="utf-8").read().splitlines() if os.path.exists(log) else []
n = sum(1 for line in lines if line.startswith("start")) + 1
req = json.load(sys.stdin)
with open(log, "a", encoding="utf-8") as f:
    f.write(f"start {{n}} {{os.getpid()}}\\n")
if n == {HANG_AT}:
    time.sleep(60)  # this call never answers: the run is stopped while it waits
out = [{{"id": u["id"], "text": re.sub(r"[\\u3400-\\u9fff]+", "x", u["text"])}} for u in req["units"]]
print(json.dumps({{"translations": out}}))
sys.stdout.flush()
with open(log, "a", encoding="utf-8") as f:
    f.write(f"done {{n}} {{len(out)}}\\n")
    for u in req["units"]:
        f.write("unit " + json.dumps(u["text"], ensure_ascii=False) + "\\n")
"""


def _ctrl_c_heard() -> None:
    """In the child: SIGINT back to its default, so Python installs its Ctrl-C handler even when
    the suite itself was started in the background (a shell starts background jobs with SIGINT
    ignored, and Python keeps an ignored SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _repo(tmp: Path) -> Path:
    (tmp / "posts").mkdir(parents=True)
    for name in ("xdu-xjtu-os.md", "lightning-talks.md", "2025wuzhen.md"):
        shutil.copy(DATA / "corpus" / name, tmp / "posts" / name)
    (tmp / "backend.py").write_text(SCRIPT, encoding="utf-8")
    command = f"{sys.executable} {tmp / 'backend.py'} {tmp / 'log.txt'}"
    (tmp / "i18n-posts.toml").write_text(
        'include = ["posts/*.md"]\noutput = "en/{stem}{ext}"\nconcurrency = 1\nbatch_chars = 400\n'
        f'[backend]\nname = "command"\ncommand = {json.dumps(command)}\n',
        encoding="utf-8",
    )
    return tmp


def _log(tmp: Path) -> list[list[str]]:
    path = tmp / "log.txt"
    return [line.split() for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _norm(text: str) -> str:
    return re.sub(r"<(/?)([xg])\d+(/?)>", r"<\1\2\3>", text)  # placeholder names differ per batch


def _answered(tmp: Path) -> set[str]:
    """The source texts of the units whose answers the program gave."""
    return {_norm(json.loads(e[5:])) for e in (tmp / "log.txt").read_text(encoding="utf-8").splitlines()
            if e.startswith("unit ")}  # fmt: skip


def _remembered(tmp: Path) -> set[str]:
    """The source texts of the machine translations in the memory."""
    from babel.messages.pofile import read_po

    out = set()
    for po in (tmp / "locales").rglob("*.po"):
        with po.open("rb") as f:
            out |= {
                _norm(m.id) for m in read_po(f) if m.id and "machine: command" in " ".join(m.user_comments)
            }
    return out


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_every_answer_that_arrived_is_in_the_memory(tmp_path, sig, code):
    tmp = _repo(tmp_path)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "i18n_posts", "sync"], cwd=tmp, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_heard,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline and not any(e[:2] == ["start", str(HANG_AT)] for e in _log(tmp)):
        time.sleep(0.05)
    time.sleep(0.5)  # the answers before the hanging call have been handled by now
    started = time.time()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    stopped_in = time.time() - started
    hanging = next(int(e[2]) for e in _log(tmp) if e[:2] == ["start", str(HANG_AT)])
    if sig == signal.SIGKILL:
        os.kill(hanging, signal.SIGKILL)  # nobody was left to stop it
    assert proc.returncode == code, err
    if sig != signal.SIGKILL:
        assert "Traceback" not in err and "kept in the memory" in err, err
        assert stopped_in < 10  # the program that never answers was killed, not waited for
        time.sleep(0.2)
        assert not running(hanging)
    answered = _answered(tmp)
    assert len(answered) > 20
    assert answered - _remembered(tmp) == set()  # nothing that arrived was lost
    assert (
        not [p for p in (tmp / "en").rglob("*") if p.name.startswith(".")] if (tmp / "en").exists() else True
    )


def _units_of(record: dict) -> list[str]:
    """The unit texts of one chat completion request to the fake server."""
    content = record["json"]["messages"][-1]["content"]
    return [u["text"] for u in json.loads(content)["units"]]


def _remembered_by(tmp: Path, origin: str) -> set[str]:
    from babel.messages.pofile import read_po

    out = set()
    for po in (tmp / "locales").rglob("*.po"):
        with po.open("rb") as f:
            out |= {_norm(m.id) for m in read_po(f) if m.id and origin in " ".join(m.user_comments)}
    return out


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_http_answers_that_arrived_are_in_the_memory(tmp_path, fake_service, sig, code):
    """The same against the suite's OpenAI-compatible server with latency: the 4th call hangs."""
    fake_service.reset()
    fake_service.latency = 0.2
    fake_service.script("ok", "ok", "ok", "timeout:60")
    tmp = _repo(tmp_path)
    (tmp / "i18n-posts.toml").write_text(
        'include = ["posts/*.md"]\noutput = "en/{stem}{ext}"\nconcurrency = 1\nbatch_chars = 400\n'
        f'[backend]\nname = "openai"\nbase_url = "{fake_service.base_url}"\nmodel = "any"\n'
        'api_key_env = "FAKE_KEY"\ntimeout = "120"\n',
        encoding="utf-8",
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"), FAKE_KEY=fake_service.api_key or "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "i18n_posts", "sync"], cwd=tmp, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_heard,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while time.time() < deadline and fake_service.count < 4:
            time.sleep(0.05)
        time.sleep(1.0)  # the third answer has travelled back and been handled by now
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        done = [r for r in fake_service.requests if r["status"] == 200 and r["path"].endswith("/completions")]
    finally:
        fake_service.reset()
    assert proc.returncode == code, err
    answered = {_norm(t) for r in done for t in _units_of(r)}
    assert len(answered) > 10
    assert answered - _remembered_by(tmp, "machine: openai/any") == set()
