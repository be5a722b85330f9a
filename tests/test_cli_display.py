"""What a run shows: a progress display on a terminal (a real pseudo-terminal here) that an
error in the middle does not break, plain stable lines elsewhere, `--quiet`, colour only
where it belongs, one summary line, and the JSON report of `translate` and `sync`."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shlex
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app

SCRIPT = Path(sys.executable).parent / "i18n-posts"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SLOW_ECHO = (
    "import json, re, sys, time\n"
    "req = json.load(sys.stdin)\n"
    "time.sleep(0.4)\n"
    # loses the link, as tags and as the Markdown link of the retry
    "lost = r'</?g[0-9]+>|\\]\\(#g[0-9]+\\)|\\['\n"
    "bad = lambda t: re.sub(lost, '', t) if '坏' in t else t\n"
    "out = [{'id': u['id'], 'text': bad(u['text'])} for u in req['units']]\n"
    "json.dump({'translations': out}, sys.stdout)\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """a.md, b.md (its link is lost by the slow backend: it fails), c.md, d.md, bad.md (not
    UTF-8), in a folder outside any repository."""
    monkeypatch.chdir(tmp_path)
    for name in "acd":
        (tmp_path / f"{name}.md").write_text(
            f"# 标题{name}\n\n正文，[链接](https://x.org)。\n", encoding="utf-8"
        )
    (tmp_path / "b.md").write_text("# 标题b\n\n坏的[链接](https://x.org)。\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"# \xff\xfe\n")
    return tmp_path


def in_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run `args` with stdout and stderr on a pseudo-terminal of 120x40; (exit code, what it
    wrote to the terminal)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ |= {"TERM": "xterm-256color", **env}
    proc = subprocess.Popen(args, cwd=cwd, env=environ, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def _translate_args(*files: str) -> list[str]:
    command = shlex.join([sys.executable, "-c", SLOW_ECHO])
    return [str(SCRIPT), "translate", *files, "--to", "en", "--backend", "command",
            "--backend-option", f"command={command}", "--concurrency", "1"]  # fmt: skip


def test_the_progress_display_survives_an_error_in_the_middle(posts: Path) -> None:
    code, screen = in_terminal(_translate_args("a.md", "b.md", "c.md", "d.md"), posts)
    assert code == 1, screen
    plain = ANSI.sub("", screen)
    # the live line was on screen: posts counted, the current post, units, time
    assert re.search(r"\d/4 posts · \S+\.md · \d+ units? sent", plain), plain
    assert "elapsed" in plain
    # the error is printed whole, once, on a line of its own, above the display
    lines = [ln for ln in re.split(r"[\r\n]+", plain) if ln.strip()]  # what each redraw left
    errors = [ln for ln in lines if "error" in ln]
    assert errors == ["error: b.md:3: the translation of “坏的链接。” lost the link '链接'; not written"]
    assert screen.index("error:") > screen.index("1/4 posts")  # it came while the display was on
    # the display is gone at the end: the last line is the summary, complete
    assert lines[-1].startswith("translate: 3 written, 1 failed; 10 units sent in 6 calls")  # b.md: 3 tries
    # colour on a terminal: the error's prefix is red
    assert re.search(r"\x1b\[[0-9;]*31m[^\x1b]*error:", screen) or re.search(r"\x1b\[1;31merror", screen)


def test_no_color_is_honoured_on_a_terminal(posts: Path) -> None:
    code, screen = in_terminal(_translate_args("a.md", "bad.md"), posts, NO_COLOR="1")
    assert code == 1
    assert "error: bad.md:1" in ANSI.sub("", screen)
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", screen), "colour despite NO_COLOR"


def test_without_a_terminal_the_lines_are_plain_and_stable(posts: Path) -> None:
    proc = subprocess.run(
        [*_translate_args("a.md", "bad.md", "c.md"), "-v"], cwd=posts, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "written: a.md -> a.en.md (2 units)",
        "written: c.md -> c.en.md (2 units)",
    ]
    assert proc.stderr.splitlines() == [
        "error: bad.md:1: not valid UTF-8 (byte 2 on line 1)",
        "translate: 2 written, 1 failed; 4 units sent in 2 calls, 36 characters, ~348 tokens",
    ]


def test_translate_says_what_it_wrote_in_one_line(posts: Path) -> None:
    code, out, err = invoke("translate", "a.md", "--to", "en", "--backend", "pseudo")
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "translate: wrote a.en.md; 2 units sent in 1 call, 18 characters, ~174 tokens"
    ]
    code, out, err = invoke("translate", "a.md", "--to", "en", "--backend", "pseudo", "--quiet")
    assert code == 0 and out == "" and err == ""


def test_translate_json(posts: Path) -> None:
    code, out, err = invoke("translate", "a.md", "bad.md", "--to", "en", "--backend", "pseudo", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["schema"] == 1 and report["command"] == "translate" and report["ok"] is False
    assert [(p["source"], p["status"]) for p in report["posts"]] == [
        ("a.md", "written"),
        ("bad.md", "failed"),
    ]
    t = report["totals"]
    assert t["posts"] == {"failed": 1, "written": 1} and t["units_sent"] == 2 and t["chars_sent"] == 18
    assert t["cost"] is None and t["tokens"] is None and t["tokens_estimated"] > 0 and t["duration_s"] >= 0
    failed = [p for p in report["posts"] if p["status"] == "failed"]
    assert failed[0]["source"] == "bad.md" and failed[0]["message"].startswith("bad.md:1: not valid UTF-8")
    assert err.splitlines() == [
        "error: bad.md:1: not valid UTF-8 (byte 2 on line 1)"
    ]  # failures on stderr too


CONFIG = 'include = ["src/posts/*.md"]\noutput = "src/en/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n'


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "blog"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "posts").mkdir(parents=True)
    for name in "ab":
        (root / "src" / "posts" / f"{name}.md").write_text(f"# 标题{name}\n\n正文。\n", encoding="utf-8")
    (root / "i18n-posts.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_sync_json_has_the_same_shape(blog: Path) -> None:
    code, out, _ = invoke("sync", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["schema"] == 1 and report["command"] == "sync" and report["ok"] is True
    t = report["totals"]
    assert (
        t["posts"] == {"new": 2} and t["units_sent"] == 4 and t["cost"] == 0 and t["calls"] == 2
    )  # (pseudo: offline, no cost)
    assert {"chars_sent", "tokens", "tokens_estimated", "duration_s"} <= set(t)


def test_an_output_made_again_from_the_memory_is_rebuilt_not_new(blog: Path) -> None:
    assert invoke("sync")[0] == 0
    (blog / "src" / "en" / "posts" / "a.md").unlink()  # as in a fresh clone: memory, no output
    code, out, _ = invoke("sync")
    assert code == 0
    assert out.splitlines() == [
        "rebuilt: src/posts/a.md -> src/en/posts/a.md (0 units sent; 2 from memory; written)",
        "sync: 1 rebuilt, 1 unchanged; 0 units sent",
    ]


def test_sync_quiet_and_plurals(blog: Path) -> None:
    (blog / "src" / "posts" / "b.md").unlink()
    code, out, _ = invoke("sync")
    assert code == 0 and "(2 units sent, 6 characters; written)" in out
    (blog / "src" / "posts" / "a.md").write_text("# 标题a\n\n正文改了。\n", encoding="utf-8")
    code, out, _ = invoke("sync")
    assert code == 0 and "(1 unit sent, 5 characters; 1 from memory; written)" in out, out
    (blog / "src" / "posts" / "a.md").write_text("# 标题a\n\n又改了。\n", encoding="utf-8")
    code, out, err = invoke("sync", "--quiet")
    assert code == 0 and out == "" and err == ""


def test_a_run_outside_a_terminal_does_not_load_rich(blog: Path) -> None:
    """Plain lines need no Rich: a no-op sync in CI stays as fast as the program's start."""
    assert invoke("sync")[0] == 0
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "i18n_posts", "sync"],
        cwd=blog,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "sync: 2 unchanged" in proc.stdout, proc.stderr[-500:]
    assert not re.search(r"\|\s+rich\b", proc.stderr) and "import time:" in proc.stderr


def test_sync_on_a_terminal_prints_each_post_above_the_display(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "posts").mkdir(parents=True)
    for name, text in (("a", "甲的正文。"), ("b", "坏的[链接](https://x.org)。"), ("c", "丙的正文。")):
        (root / "src" / "posts" / f"{name}.md").write_text(f"# 标题\n\n{text}\n", encoding="utf-8")
    command = shlex.join([sys.executable, "-c", SLOW_ECHO])
    (root / "i18n-posts.toml").write_text(
        "concurrency = 1\nretries = 0\n"
        + CONFIG.replace('name = "pseudo"', f'name = "command"\ncommand = {json.dumps(command)}'),
        encoding="utf-8",
    )
    code, screen = in_terminal([str(SCRIPT), "sync"], root, XDG_CACHE_HOME=str(tmp_path / "cache"))
    lines = [ln for ln in re.split(r"[\r\n]+", ANSI.sub("", screen)) if ln.strip()]
    assert code == 1, lines[-5:]
    assert re.search(r"\d/3 posts · src/posts/\w\.md \[en\] · \d+ units? sent", "\n".join(lines))
    assert "new: src/posts/a.md -> src/en/posts/a.md (2 units sent, 7 characters; written)" in lines, [
        ln for ln in lines if "━" not in ln
    ]
    assert [ln for ln in lines if ln.startswith("error:")] == [
        "error: src/posts/b.md:3: the translation of “坏的链接。” lost the link '链接'; not written "
        "(the translations that passed are kept in the memory)"
    ]
    assert lines[-1].startswith("sync: 1 failed, 2 new; 6 units sent; took 3 calls, about ")  # b.md's too


def test_errors_are_red_on_a_terminal(tmp_path: Path) -> None:
    args = [str(SCRIPT), "translate", "x.md", "--to", "en", "--backend", "nope"]
    code, screen = in_terminal(args, tmp_path)
    assert code == 2 and "\x1b[1;31merror:\x1b[0m unknown backend 'nope'" in screen
    code, screen = in_terminal(args, tmp_path, NO_COLOR="1")
    assert code == 2 and "unknown backend 'nope'" in screen
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", screen)  # NO_COLOR: no colour (bold may stay)
