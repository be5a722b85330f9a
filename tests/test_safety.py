"""Nothing lost, nothing escapes: one writer per repository, no path out of it, a PO file's
claims never trusted, outputs that never overwrite inputs, values checked, secrets redacted,
calls that cannot hang. A throwaway repository per case."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from i18n_posts.backends import BatchRequest, RequestUnit
from i18n_posts.backends.command import CommandBackend
from i18n_posts.backends.openai import OpenAIBackend
from i18n_posts.cli import app
from i18n_posts.errors import BackendError
from test_sync import Repo, repo  # noqa: F401  (the throwaway repository fixture)

from conftest import running

REQ = BatchRequest((RequestUnit("u1", "飞桨很好"),), "zh", "en")


def invoke(*args: str):
    r = CliRunner().invoke(app, list(args))
    assert "Traceback" not in r.output
    return r


# -- one writer -----------------------------------------------------------------------------------


def test_a_second_sync_waits_for_the_first(repo: Repo) -> None:
    lock = repo.root / "locales" / ".lock"
    lock.parent.mkdir(parents=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock.write_text(f"{sleeper.pid}\n", encoding="ascii")
        res = repo.sync()
        assert res.code == 1 and f"another sync (pid {sleeper.pid})" in res.err
        assert not repo.out("a.md").exists()
        assert repo.sync("--check").code == 1  # a check needs no lock: it only says what is stale
    finally:
        sleeper.kill()
        sleeper.wait()
    res = repo.sync()  # the holder is gone: its lock is stale and taken over
    assert res.code == 0, res.text
    assert repo.out("a.md").exists() and not lock.exists()


def test_a_symlinked_tmp_folder_is_refused_and_its_target_untouched(repo: Repo, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine", encoding="utf-8")
    (repo.root / "locales").mkdir()
    (repo.root / "locales" / ".tmp").symlink_to(precious)
    res = repo.sync()
    assert res.code == 2 and "symbolic link" in res.err
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "mine"


# -- paths ---------------------------------------------------------------------------------------


def test_prune_never_trusts_what_a_po_file_says(repo: Repo) -> None:
    assert repo.sync().code == 0
    crafted = repo.root / "locales" / "en" / "src" / "posts" / "gone.po"
    text = repo.po("a.md").read_text(encoding="utf-8")
    text = text.replace("src=src/posts/a.md", "src=src/posts/gone.md")
    text = text.replace("out=src/en/posts/a.md", "out=i18n-posts.toml")
    crafted.write_text(text, encoding="utf-8")
    elsewhere = repo.root / "locales" / "en" / "other.po"  # not where the claimed source's memory lives
    elsewhere.write_text(text.replace("src/posts/gone.md", "src/posts/b.md"), encoding="utf-8")
    res = repo.sync("--prune")
    assert res.code == 0, res.text
    assert (repo.root / "i18n-posts.toml").is_file() and repo.src("b.md").is_file()
    assert not crafted.exists() and elsewhere.exists()  # a real orphan goes; a false claim stays


def test_a_memory_folder_linked_out_of_the_repository_is_refused(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / "mem").symlink_to(outside)
    repo.config(memory="mem")
    res = repo.sync()
    assert res.code == 2 and "outside the repository" in res.err
    assert list(outside.iterdir()) == []


def test_a_source_linked_out_of_the_repository_is_not_read(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n密码是 hunter2。\n", encoding="utf-8")
    repo.src("leak.md").symlink_to(secret)
    res = repo.sync()
    assert res.code == 1 and "leak.md" in res.err and "outside the repository" in res.err
    assert not repo.out("leak.md").exists()
    assert repo.out("a.md").exists()  # the other posts are done


def test_include_patterns_stay_inside(repo: Repo) -> None:
    repo.config(include=["../../etc/*"])
    res = repo.sync()
    assert res.code == 2 and "leads outside the repository" in res.err


@pytest.mark.parametrize("template", ["{stem.__class__}", "{stem:>99999999}", "{stem!r}", "{0}", "{secret}"])
def test_templates_take_plain_names_only(repo: Repo, template: str) -> None:
    repo.config(output="src/en/" + template + ".md")
    res = repo.sync()
    assert res.code == 2 and "bad template" in res.err
    r = invoke("translate", str(repo.src("a.md")), "--to", "en", "--backend", "pseudo", "--output", template)
    assert r.exit_code == 2 and "bad template" in r.output


def test_translate_never_writes_over_an_input(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("# 标题\n", encoding="utf-8")
    (tmp_path / "p2.md").write_text("# 第二\n", encoding="utf-8")
    before = (tmp_path / "p2.md").read_bytes()
    r = invoke("translate", str(tmp_path / "p.md"), str(tmp_path / "p2.md"), "--to", "en",
               "--backend", "pseudo", "--output", "{dir}/{stem}2{ext}")  # fmt: skip
    assert r.exit_code == 2 and "would write over the input" in r.output
    assert (tmp_path / "p2.md").read_bytes() == before and not (tmp_path / "p22.md").exists()
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "p.md").write_text("# 别的\n", encoding="utf-8")
    r = invoke("translate", str(tmp_path / "p.md"), str(tmp_path / "q" / "p.md"), "--to", "en",
               "--backend", "pseudo", "--output", str(tmp_path / "out" / "{stem}{ext}"))  # fmt: skip
    assert r.exit_code == 2 and "would both be written" in r.output
    assert not (tmp_path / "out").exists()


# -- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"retries": -1}, "retries must be at least 0"),
        ({"concurrency": 0}, "concurrency must be at least 1"),
        ({"batch_chars": 0}, "batch_chars must be at least 1"),
        ({"target_locales": [""]}, "is not a locale code"),
        ({"target_locales": []}, "target_locales is empty"),
    ],
)
def test_config_values_are_checked(repo: Repo, keys: dict, message: str) -> None:
    repo.config(**keys)
    res = repo.sync()
    assert res.code == 2 and message in res.err and "i18n-posts.toml" in res.err


def test_attributes_must_be_lists(repo: Repo) -> None:
    repo.config()
    cfg = repo.root / "i18n-posts.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + '\n[attributes]\n"*" = "alt"\n', encoding="utf-8")
    res = repo.sync()
    assert res.code == 2 and "must be a list of attribute names" in res.err


@pytest.mark.parametrize(
    "args", [["--retries", "-1"], ["--concurrency", "0"], ["--batch-chars", "0"], ["--to", ""]]
)
def test_translate_options_are_checked(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "p.md").write_text("# 标题\n", encoding="utf-8")
    base = ["translate", str(tmp_path / "p.md"), "--backend", "pseudo"]
    r = invoke(*base, *(["--to", "en"] if "--to" not in args else []), *args)
    assert r.exit_code == 2 and not (tmp_path / "p.en.md").exists()


def test_a_non_utf8_config_is_a_clear_error(repo: Repo) -> None:
    (repo.root / "i18n-posts.toml").write_bytes(b'include = ["\xff"]\n')
    res = repo.sync()
    assert res.code == 2 and "not UTF-8" in res.err


def test_an_output_path_that_is_a_folder_fails_that_post_only(repo: Repo) -> None:
    repo.out("a.md").mkdir(parents=True)
    res = repo.sync("--json")
    report = json.loads(res.out)
    assert res.code == 1 and report["ok"] is False
    failed = [p for p in report["posts"] if p["status"] == "failed"]
    assert [p["source"] for p in failed] == ["src/posts/a.md"] and "a.md" in failed[0]["message"]
    assert repo.out("b.md").is_file()


# -- the command backend -------------------------------------------------------------------------


def _program(tmp_path: Path, body: str) -> str:
    script = tmp_path / "prog.py"
    script.write_text("import json, os, sys\nreq = json.load(sys.stdin)\n" + body, encoding="utf-8")
    return f"{sys.executable} {script}"


@pytest.mark.parametrize("text", ["null", "42", '["a"]'])
def test_command_answers_must_be_strings(tmp_path: Path, text: str) -> None:
    answer = json.dumps({"translations": [{"id": "u1", "text": json.loads(text)}]})
    cmd = _program(tmp_path, f"print({answer!r})")
    with pytest.raises(BackendError, match="not a string"):
        CommandBackend({"command": cmd}).translate(REQ)


def test_the_command_gets_no_other_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-other")
    monkeypatch.setenv("MY_TOKEN", "t-1")
    monkeypatch.setenv("PSEUDO_SLEEP", "0")
    body = 'print(json.dumps({"translations": [{"id": "u1", "text": " ".join(sorted(os.environ))}]}))'
    seen = CommandBackend({"command": _program(tmp_path, body)}).translate(REQ)["u1"].split()
    assert (
        "DEEPSEEK_API_KEY" not in seen
        and "MY_TOKEN" not in seen
        and "PSEUDO_SLEEP" in seen
        and "PATH" in seen
    )
    passed = CommandBackend({"command": _program(tmp_path, body), "pass_env": "MY_TOKEN"}).translate(REQ)
    assert "MY_TOKEN" in passed["u1"].split() and "DEEPSEEK_API_KEY" not in passed["u1"].split()


def test_a_command_timeout_kills_its_children(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    body = (
        "import subprocess, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    started = time.time()
    with pytest.raises(BackendError, match="no answer within"):
        CommandBackend({"command": _program(tmp_path, body), "timeout": "1"}).translate(REQ)
    assert time.time() - started < 10
    child = int(pidfile.read_text())
    time.sleep(0.2)
    assert not running(child)


# -- HTTP: secrets and time limits ---------------------------------------------------------------

KEY = "sk-live-0123456789abcdef0123456789abcdef"


def _openai(monkeypatch: pytest.MonkeyPatch, handler, **opts: str) -> OpenAIBackend:
    monkeypatch.setenv("TEST_KEY", KEY)
    options = {
        "base_url": "https://llm.example/v1",
        "model": "m",
        "api_key_env": "TEST_KEY",
        "max_retries": "0",
    }
    return OpenAIBackend({**options, **opts}, transport=httpx.MockTransport(handler))


def _run(b: OpenAIBackend) -> None:
    async def go() -> None:
        try:
            await b.translate_async(REQ)
        finally:
            await b.aclose()

    asyncio.run(go())


def test_a_key_echoed_across_the_cut_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"error": {"message": "x" * 190 + f" bad key {KEY}"}}
    b = _openai(monkeypatch, lambda r: httpx.Response(400, json=body))
    with pytest.raises(BackendError) as exc:
        _run(b)
    assert KEY[:8] not in str(exc.value) and "***" in str(exc.value)


def test_header_values_are_secrets_too(monkeypatch: pytest.MonkeyPatch) -> None:
    b = _openai(
        monkeypatch,
        lambda r: httpx.Response(400, json={"error": {"message": f"bad header {r.headers['x-org-secret']}"}}),
        **{"header.X-Org-Secret": "org-secret-42"},
    )
    with pytest.raises(BackendError) as exc:
        _run(b)
    assert "org-secret-42" not in str(exc.value)


def test_a_trickling_server_cannot_hang_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = srv.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b" ")  # one byte at a time: every read succeeds within the timeout
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    monkeypatch.setenv("TEST_KEY", KEY)
    b = OpenAIBackend(
        {"base_url": f"http://127.0.0.1:{srv.getsockname()[1]}/v1", "model": "m", "api_key_env": "TEST_KEY",
         "timeout": "1", "deadline": "2", "max_retries": "0"}
    )  # fmt: skip
    started = time.time()
    try:
        with pytest.raises(BackendError, match="deadline"):
            _run(b)
    finally:
        stop.set()
        srv.close()
    assert time.time() - started < 6


# -- hostile answers -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b[31m"])
def test_answers_with_control_characters_or_surrogates_are_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "p.md").write_text("# 标题\n\n飞桨很好。\n", encoding="utf-8")
    answer = json.dumps(
        {"translations": [{"id": "u1", "text": "Title" + bad}, {"id": "u2", "text": "Good."}]}
    )
    prog = tmp_path / "prog.py"
    prog.write_text(f"import sys\nsys.stdin.read()\nprint({answer!r})\n", encoding="utf-8")
    r = invoke("translate", str(tmp_path / "p.md"), "--to", "en", "--backend", "command",
               "--backend-option", f"command={sys.executable} {prog}", "--retries", "0")  # fmt: skip
    assert r.exit_code == 1 and "characters no post may hold" in r.output and "internal error" not in r.output
    assert not (tmp_path / "p.en.md").exists()


def test_a_deeply_nested_answer_is_a_failed_call(monkeypatch: pytest.MonkeyPatch) -> None:
    content = "[" * 100_000 + "]" * 100_000
    completion = {"choices": [{"message": {"content": content}, "finish_reason": "stop"}]}
    b = _openai(monkeypatch, lambda r: httpx.Response(200, json=completion))
    with pytest.raises(BackendError, match="not valid JSON"):
        _run(b)


def test_a_key_no_header_can_carry_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_KEY", "sk-ключ")
    with pytest.raises(Exception, match="characters an HTTP header cannot carry") as exc:
        OpenAIBackend({"base_url": "https://llm.example/v1", "model": "m", "api_key_env": "TEST_KEY"})
    assert "ключ" not in str(exc.value)


# -- edits are never dropped ---------------------------------------------------------------------

from test_sync import msgstr, po_block, po_set  # noqa: E402


def test_an_output_edit_whose_source_also_changed_is_kept_and_revised(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    old_source = "第二段文字，这里是结尾。"
    machine = msgstr(repo.po("a.md"), old_source)
    human = "A second paragraph a person rewrote."
    repo.edit(repo.out("a.md"), machine, human)
    new_source = "第二段文字，这里是新的结尾。"
    repo.edit(repo.src("a.md"), old_source, new_source)

    res = repo.sync()

    assert res.code == 0, res.text
    assert "edited while its source changed" in res.text
    units = [u for r in repo.requests() for u in r["units"]]
    assert [u["text"] for u in units] == [new_source]
    assert units[0]["previous"] == {"source": old_source, "translation": human}  # revised from the edit


def test_a_po_edit_stands_when_the_output_was_edited_elsewhere(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    po_set(repo.po("b.md"), "乙的第一段，没有术语。", "Edited in the PO file.")
    machine = msgstr(repo.po("b.md"), "乙的第二段，提到飞桨。")
    repo.edit(repo.out("b.md"), machine, "Edited in the output.")

    res = repo.sync()

    assert res.code == 0, res.text
    assert msgstr(repo.po("b.md"), "乙的第一段，没有术语。") == "Edited in the PO file."
    assert msgstr(repo.po("b.md"), "乙的第二段，提到飞桨。") == "Edited in the output."
    text = repo.out("b.md").read_text(encoding="utf-8")
    assert "Edited in the PO file." in text and "Edited in the output." in text


def test_one_unit_edited_in_both_places_keeps_both_versions(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    source = "乙的第一段，没有术语。"
    machine = msgstr(repo.po("b.md"), source)
    po_set(repo.po("b.md"), source, "The PO file's version.")
    repo.edit(repo.out("b.md"), machine, "The output's version.")

    res = repo.sync()

    assert res.code == 0, res.text
    assert "edited in both" in res.text and "line " in res.text
    block = po_block(repo.po("b.md"), source)
    assert "The output's version." in block and "conflict: the PO file said: The PO file's version." in block


def test_a_renamed_post_keeps_its_memory(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    human = "A reviewed translation that must survive the rename."
    po_set(repo.po("b.md"), "乙的第一段，没有术语。", human)
    repo.src("b.md").rename(repo.src("b-renamed.md"))

    res = repo.sync("--prune")

    assert res.code == 0, res.text
    assert repo.sent() == []  # nothing paid for again
    assert "renamed from src/posts/b.md" in res.text or msgstr(
        repo.po("b-renamed.md"), "乙的第一段，没有术语。"
    )
    assert msgstr(repo.po("b-renamed.md"), "乙的第一段，没有术语。") == human
    assert human in repo.out("b-renamed.md").read_text(encoding="utf-8")
    assert not repo.po("b.md").exists()  # pruned, with nothing lost


def test_a_file_name_with_a_line_break_is_refused(repo: Repo) -> None:
    (repo.src("a.md").parent / "bad\nname.md").write_text("# 标题\n", encoding="utf-8")
    res = repo.sync()
    assert res.code == 1 and "control character" in res.err
    assert not list((repo.root / "locales").rglob("bad*"))
    assert repo.out("a.md").exists()


# -- linear cost: one post added touches only its own files -------------------------------------

from test_sync import snapshot  # noqa: E402


def test_adding_a_post_changes_only_that_posts_files(repo: Repo) -> None:
    assert repo.sync().code == 0
    before = snapshot(repo.root, "src/en", "locales")
    repo.src("new.md").write_text("# 新文章\n\n新的一段。\n", encoding="utf-8")

    res = repo.sync()

    assert res.code == 0, res.text
    after = snapshot(repo.root, "src/en", "locales")
    changed = sorted(k for k in set(after) | set(before) if after.get(k) != before.get(k))
    # a.md links to b.md, which was there before: none of the other posts' files change
    assert changed == ["locales/en/src/posts/new.po", "src/en/posts/new.md"], changed
    assert json.loads((repo.root / "locales" / "links.json").read_text(encoding="utf-8"))["links"] == {
        "src/posts/a.md": ["src/posts/b.md"]
    }


def test_adding_a_post_that_another_links_to_changes_that_ones_files_too(repo: Repo) -> None:
    repo.edit(repo.src("b.md"), "提到飞桨。\n", "提到飞桨。\n\n见[新文章](./new.md)。\n")  # a post to come
    assert repo.sync().code == 0
    before = snapshot(repo.root, "src/en", "locales")
    assert "](../../posts/new.md)" in repo.out("b.md").read_text(encoding="utf-8")  # no translation yet
    repo.src("new.md").write_text("# 新文章\n\n新的一段。\n", encoding="utf-8")

    res = repo.sync()

    assert res.code == 0, res.text
    after = snapshot(repo.root, "src/en", "locales")
    changed = sorted(k for k in set(after) | set(before) if after.get(k) != before.get(k))
    assert changed == [
        "locales/en/src/posts/b.po",
        "locales/en/src/posts/new.po",
        "src/en/posts/b.md",
        "src/en/posts/new.md",
    ], changed
    assert "](./new.md)" in repo.out("b.md").read_text(encoding="utf-8")  # now its translation
    assert repo.sync().code == 0 and snapshot(repo.root, "src/en", "locales") == after  # settled


def test_deep_nesting_is_read_as_vitepress_reads_it_and_what_is_deeper_reported(tmp_path: Path) -> None:
    post = "\n".join("  " * i + f"- 第{i}层" for i in range(12)) + "\n\n" + ">" * 25 + " 引用\n"
    (tmp_path / "p.md").write_text(post, encoding="utf-8")
    r = invoke("translate", str(tmp_path / "p.md"), "--to", "en", "--backend", "pseudo")
    assert r.exit_code == 0 and "warning" not in r.output, r.output
    out = (tmp_path / "p.en.md").read_text(encoding="utf-8")
    assert not any("\u4e00" <= c <= "\u9fff" for c in out)  # the 12th level and the 25th quote too
    deeper = "\n".join("  " * i + f"- 第{i}层" for i in range(60)) + "\n"
    (tmp_path / "q.md").write_text(deeper, encoding="utf-8")
    r = invoke("translate", str(tmp_path / "q.md"), "--to", "en", "--backend", "pseudo")
    assert r.exit_code == 0 and "nested deeper than 50 levels" in r.output and "q.md" in r.output


def test_a_long_run_without_spaces_is_written_to_the_memory(tmp_path: Path) -> None:
    """(Its time is measured in bench/scale.py: babel's wrapping took minutes on it.)"""
    from i18n_posts.memory.po import Entry, Memory, read_memory, render_memory

    mem = Memory(tmp_path / "x.po", "a.md", "en")
    text = "飞" * 200_000  # babel's wrapping regex is quadratic on this: minutes
    mem.entries[text] = Entry(text, "x" * 200_000, "machine: pseudo")
    (tmp_path / "x.po").write_bytes(render_memory(mem, [(text, 1)], {}))
    assert read_memory(tmp_path / "x.po", "a.md", "en").entries[text].translation == "x" * 200_000


def test_a_full_disk_fails_the_post_it_hits_and_says_so(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import i18n_posts.write as write

    real = write.os.replace

    def replace(src, dst):  # noqa: ANN001
        if str(dst).endswith("src/en/posts/b.md"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    res = repo.sync("--json")
    report = json.loads(res.out)
    assert res.code == 1 and report["ok"] is False
    failed = {p["source"]: p["message"] for p in report["posts"] if p["status"] == "failed"}
    assert list(failed) == ["src/posts/b.md"] and "No space left on device" in failed["src/posts/b.md"]
    assert repo.out("a.md").is_file() and not repo.out("b.md").exists()
    assert "internal error" not in res.text


def test_an_output_on_another_file_system_is_still_written(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import i18n_posts.write as write

    real = write.os.replace

    def replace(src, dst):  # noqa: ANN001
        if "/.tmp/" in str(src) and "/src/en/" in str(dst):  # a rename across file systems
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    res = repo.sync()
    assert res.code == 0, res.text
    assert repo.out("a.md").is_file()
    assert not [p for p in repo.out("a.md").parent.iterdir() if p.name.startswith(".")]


def test_a_command_backend_can_be_held_to_the_untranslated_check(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("# 标题\n\n飞桨是一个深度学习平台。\n", encoding="utf-8")
    echo = tmp_path / "echo.py"
    echo.write_text(
        "import json, sys\nreq = json.load(sys.stdin)\n"
        "print(json.dumps({'translations': [{'id': u['id'], 'text': u['text']} for u in req['units']]}))\n",
        encoding="utf-8",
    )
    base = ["translate", str(tmp_path / "p.md"), "--to", "en", "--backend", "command",
            "--backend-option", f"command={sys.executable} {echo}", "--retries", "0"]  # fmt: skip
    assert invoke(*base).exit_code == 0  # an echo test program
    r = invoke(*base, "--backend-option", "check_translated=on")
    assert r.exit_code == 1 and "still in the source language" in r.output


def test_a_hand_edit_of_an_output_with_an_escaped_vue_interpolation_is_taken(repo: Repo) -> None:
    program = repo.root / "vue.py"
    program.write_text(
        "import json, sys\nreq = json.load(sys.stdin)\n"
        "print(json.dumps({'translations': [{'id': u['id'], 'text': 'use {{ x }} ' + u['id'] "
        "if '<' not in u['text'] else u['text'].replace('飞桨', 'P')} for u in req['units']]}))\n",
        encoding="utf-8",
    )
    repo.config(None, glossary=None)
    cfg = repo.root / "i18n-posts.toml"
    command = json.dumps(f"{sys.executable} {program}")
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'\n[backend]\nname = "command"\ncommand = {command}\n')
    assert repo.sync().code == 0
    out = repo.out("b.md")
    text = out.read_text(encoding="utf-8")
    assert "<span v-pre>{{</span> x }}" in text
    first = next(line for line in text.splitlines() if line.startswith("use "))
    out.write_text(text.replace(first, "A person's sentence."), encoding="utf-8")

    res = repo.sync()

    assert res.code == 0 and "hand edit" in res.text, res.text
    assert "A person's sentence." in out.read_text(encoding="utf-8")
    assert "<span v-pre>{{</span> x }}" in out.read_text(encoding="utf-8")  # the other units kept
