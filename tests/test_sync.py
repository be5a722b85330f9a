"""`i18n-posts sync`, run for real in a throwaway repository.

The `repo` fixture builds a small blog (two hand-written posts and two posts of the corpus
under src/posts/, a glossary, an i18n-posts.toml with the offline `pseudo` backend) and
changes into it. Tests that count what is sent use the `command` backend with
tests/data/sync/recorder.py, which logs every request it receives (one JSON line a call)
to a file outside the repository. The digest cache is kept under tmp_path.

Behaviours that do not hold are strict xfails whose reason starts with "bug:".
"""

from __future__ import annotations

import gc
import json
import os
import posixpath
import re
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from i18n_posts.cli import app

DATA = Path(__file__).parent / "data"
RECORDER = DATA / "sync" / "recorder.py"
SCRIPT = Path(sys.executable).parent / "i18n-posts"
OUTPUT = "src/{locale}/posts/{stem}{ext}"
TAG = re.compile(r"</?[xg]\d+/?>")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

A_POST = """\
---
title: 第一篇文章
---

[目录](#二、飞桨黑客松)

## 一、开始

第一段文字，这里是开头。

![图片](../images/x.png)

![远程图片](https://example.com/y.png)

见[另一篇](./b.md)。

## 二、飞桨黑客松

第二段文字，这里是结尾。

第三段，文心也在这里。
"""

B_POST = """\
---
title: 第二篇文章
---

## 标题乙

乙的第一段，没有术语。

乙的第二段，提到飞桨。
"""

CORPUS = ("first-post.md", "pku-course-2025.md")
POSTS = ("a.md", "b.md", *CORPUS)
GLOSSARY = "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 文心\n    en: ERNIE\n"


# -- the repository --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class Repo:
    """A throwaway blog repository and ways to run `sync` in it."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root, self.log = root, log

    def config(self, backend: str | None = "pseudo", *recorder_args: str, **keys: Any) -> None:
        """Write i18n-posts.toml; `backend` is "pseudo", "recorder" (with its options) or None."""
        values: dict[str, Any] = {
            "source_locale": "zh",
            "target_locales": ["en"],
            "include": ["src/posts/*.md"],
            "output": OUTPUT,
            "memory": "locales",
            "glossary": "glossary.yml",
            **keys,
        }
        lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items() if v is not None]
        if backend == "pseudo":
            lines += ["", "[backend]", 'name = "pseudo"']
        elif backend == "recorder":
            cmd = shlex.join([sys.executable, str(RECORDER), str(self.log), *recorder_args])
            lines += ["", "[backend]", 'name = "command"', f"command = {json.dumps(cmd)}"]
        (self.root / "i18n-posts.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def sync(self, *args: str) -> Result:
        result = CliRunner().invoke(app, ["sync", *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        res = Result(result.exit_code, result.stdout, result.stderr)
        # finalize the run's leftovers (asyncio tasks) now, so that what they log belongs to this
        # run, and is not logged from inside a later ast.parse (CPython 3.11.7 then raises
        # SystemError in pytest's own failure report)
        del result
        gc.collect()
        assert "Traceback" not in res.text, res.text
        return res

    def src(self, name: str) -> Path:
        return self.root / "src" / "posts" / name

    def out(self, name: str) -> Path:
        return self.root / "src" / "en" / "posts" / name

    def po(self, name: str) -> Path:
        return self.root / "locales" / "en" / "src" / "posts" / (Path(name).stem + ".po")

    def requests(self) -> list[dict[str, Any]]:
        """The requests the recorder received since the last call (the log is then cleared)."""
        if not self.log.exists():
            return []
        reqs = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line]
        self.log.unlink()
        return reqs

    def sent(self) -> list[dict[str, Any]]:
        """The units the recorder received since the last call (the log is then cleared)."""
        return [u for r in self.requests() for u in r["units"]]

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_bytes().decode("utf-8")
        assert text.count(old) == 1, f"{old!r} not once in {path}"
        path.write_bytes(text.replace(old, new).encode("utf-8"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    root = tmp_path / "repo"
    posts = root / "src" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text(A_POST, encoding="utf-8")
    (posts / "b.md").write_text(B_POST, encoding="utf-8")
    for name in CORPUS:
        shutil.copyfile(DATA / "corpus" / name, posts / name)
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    r = Repo(root, tmp_path / "calls.log")
    r.config()
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return r


def snapshot(root: Path, *folders: str) -> dict[str, tuple[bytes, int, int]]:
    """(bytes, mtime, inode) of every file under `folders` of `root` (a rewrite changes the inode)."""
    out = {}
    for folder in folders or (".",):
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                st = p.stat()
                out[p.relative_to(root).as_posix()] = (p.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line holding `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def out_line(repo: Repo, name: str, needle: str) -> str:
    """The output's line at the line where the source has `needle` (units here are one-line)."""
    src = repo.src(name).read_text(encoding="utf-8")
    return repo.out(name).read_text(encoding="utf-8").splitlines()[line_of(src, needle) - 1]


def url_in(line: str) -> str:
    m = re.search(r"\]\(([^)\s]+)\)", line)
    assert m, line
    return m.group(1)


def catalog(po: Path) -> Any:
    with po.open("rb") as f:
        return read_po(f, abort_invalid=True)


def msgstr(po: Path, msgid: str) -> str:
    msg = catalog(po).get(msgid)
    assert msg is not None, f"no entry {msgid!r} in {po}"
    return msg.string


def po_block(po: Path, msgid: str) -> str:
    """The text of the (not obsolete) entry whose msgid is `msgid`."""
    key = f"msgid {json.dumps(msgid, ensure_ascii=False)}"
    blocks = [b for b in po.read_text(encoding="utf-8").split("\n\n") if key in b.splitlines()]
    assert len(blocks) == 1, (msgid, blocks)
    return blocks[0]


def po_set(po: Path, msgid: str, new: str) -> None:
    """Set the msgstr of `msgid` (a minimal PO editor: drops `#, fuzzy` and `#|` lines)."""
    text = po.read_text(encoding="utf-8")
    old = po_block(po, msgid)
    lines: list[str] = []
    for line in old.splitlines():
        if line.startswith(("#, fuzzy", "#|")) or (line.startswith('"') and lines[-1].startswith("msgstr ")):
            continue  # the flag, the previous msgid, the rest of a multi-line msgstr
        lines.append(f"msgstr {json.dumps(new, ensure_ascii=False)}" if line.startswith("msgstr ") else line)
    po.write_text(text.replace(old, "\n".join(lines), 1), encoding="utf-8")


def plain_tags(text: str) -> str:
    """Placeholder numbers as a unit has them alone (a batch renumbers them; lengths stay)."""
    return re.sub(r"(</?[xg])\d+", r"\g<1>1", text)


def slug(heading: str) -> str:
    """VitePress's slug of an ASCII heading (enough for pseudo translations)."""
    s = re.sub(r"[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:\"'<>,.?/]+", "-", heading)
    return s.strip("-").lower()


def json_report(res: Result) -> dict[str, Any]:
    data = json.loads(res.out)
    assert isinstance(data, dict) and isinstance(data["posts"], list), data
    return data


# -- 1. first sync -------------------------------------------------------------------------------


def test_first_sync_writes_every_output_and_a_po_file_per_post(repo: Repo) -> None:
    res = repo.sync()

    assert res.code == 0, res.text
    for name in POSTS:
        out = repo.out(name)
        assert out.is_file(), name
        assert out.read_bytes() != repo.src(name).read_bytes(), name
        assert len(catalog(repo.po(name))) > 1, name  # the header and entries
    for name in ("a.md", "b.md"):  # hand-written posts: every unit is prose
        assert not HAN.search(repo.out(name).read_text(encoding="utf-8")), name
    pos = sorted(p.relative_to(repo.root).as_posix() for p in (repo.root / "locales").rglob("*.po"))
    assert pos == sorted(f"locales/en/src/posts/{Path(n).stem}.po" for n in POSTS)
    # relative image links point at the same files from src/en/posts; absolute URLs stay
    image = url_in(out_line(repo, "a.md", "![图片]"))
    assert image == "../../images/x.png"
    assert posixpath.normpath(posixpath.join("src/en/posts", image)) == "src/images/x.png"
    assert url_in(out_line(repo, "a.md", "![远程图片]")) == "https://example.com/y.png"
    first = repo.out("first-post.md").read_text(encoding="utf-8")
    assert "](../../images/first-post/first-post.jpg)" in first
    assert "](../images/" not in first
    assert "](https://github.com/PFCCLab/blog)" in first and "](https://github.com/SigureMo)" in first


# -- 2. no-op --------------------------------------------------------------------------------------


def test_second_sync_sends_nothing_and_rewrites_no_file(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    assert repo.sent()
    before = snapshot(repo.root, "src", "locales")

    res = repo.sync()

    assert res.code == 0, res.text
    assert repo.sent() == []
    assert snapshot(repo.root, "src", "locales") == before
    check = repo.sync("--check")
    assert check.code == 0, check.text
    assert repo.sent() == []
    assert snapshot(repo.root, "src", "locales") == before


# -- 3. one-sentence edit ---------------------------------------------------------------------------


def test_one_sentence_edit_is_flagged_then_sent_alone_with_its_previous_translation(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    old_source = "第一段文字，这里是开头。"
    old_translation = msgstr(repo.po("a.md"), old_source)
    new_source = old_source + "新增一句话。"
    repo.edit(repo.src("a.md"), old_source, new_source)
    before = snapshot(repo.root, "src/en", "locales")

    check = repo.sync("--check")

    assert check.code == 1, check.text
    assert "src/posts/a.md" in check.text
    assert "b.md" not in check.text
    assert repo.sent() == []
    assert snapshot(repo.root, "src/en", "locales") == before

    res = repo.sync()

    assert res.code == 0, res.text
    reqs = repo.requests()
    units = [u for r in reqs for u in r["units"]]
    assert [u["text"] for u in units] == [new_source]
    assert units[0]["previous"] == {"source": old_source, "translation": old_translation}
    after = snapshot(repo.root, "src/en", "locales")
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["locales/en/src/posts/a.po", "src/en/posts/a.md"]
    assert msgstr(repo.po("a.md"), new_source) in repo.out("a.md").read_text(encoding="utf-8")


# -- 4. hand edits of outputs -----------------------------------------------------------------------


def test_hand_edit_of_an_output_is_kept_and_stored_as_reviewed(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    machine = msgstr(repo.po("a.md"), "第二段文字，这里是结尾。")
    human = "A paragraph edited by hand, keep me."
    repo.edit(repo.out("a.md"), machine, human)

    res = repo.sync()

    assert res.code == 0, res.text
    assert repo.sent() == []
    assert human in repo.out("a.md").read_text(encoding="utf-8")
    block = po_block(repo.po("a.md"), "第二段文字，这里是结尾。")
    assert "# reviewed" in block.splitlines()
    assert msgstr(repo.po("a.md"), "第二段文字，这里是结尾。") == human
    assert repo.sync("--check").code == 0

    # a later edit of the source elsewhere in the post: one unit sent, the hand edit kept
    repo.edit(repo.src("a.md"), "第三段，文心也在这里。", "第三段，文心也在这里，改了。")
    res = repo.sync()

    assert res.code == 0, res.text
    assert [u["text"] for u in repo.sent()] == ["第三段，文心也在这里，改了。"]
    text = repo.out("a.md").read_text(encoding="utf-8")
    assert human in text
    assert "ERNIE也在这里，改了。 (EN)" in text
    assert msgstr(repo.po("a.md"), "第二段文字，这里是结尾。") == human


def test_hand_edit_that_breaks_the_structure_is_refused_until_force(repo: Repo) -> None:
    assert repo.sync().code == 0
    out = repo.out("a.md")
    heading = out_line(repo, "a.md", "## 一、开始")
    assert heading.startswith("## ")
    broken = out.read_text(encoding="utf-8").replace(heading + "\n\n", "", 1)
    out.write_text(broken, encoding="utf-8")

    res = repo.sync()

    assert res.code == 1, res.text
    assert "src/en/posts/a.md" in res.err
    assert "--force" in res.err
    assert out.read_text(encoding="utf-8") == broken  # not overwritten
    for name in ("b.md", *CORPUS):
        assert repo.out(name).is_file()

    res = repo.sync("--force")

    assert res.code == 0, res.text
    assert heading in out.read_text(encoding="utf-8").splitlines()
    assert repo.sync("--check").code == 0


# -- 5. edits of the memory ---------------------------------------------------------------------


def test_po_edit_of_a_msgstr_reaches_the_output_with_nothing_sent(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    po = repo.po("b.md")
    po_set(po, "乙的第一段，没有术语。", "A translation edited in the PO file.")

    res = repo.sync()

    assert res.code == 0, res.text
    assert repo.sent() == []
    assert out_line(repo, "b.md", "乙的第一段") == "A translation edited in the PO file."
    assert msgstr(po, "乙的第一段，没有术语。") == "A translation edited in the PO file."
    assert repo.sync("--check").code == 0


def test_po_edit_that_drops_a_placeholder_is_an_error_naming_the_po_file(repo: Repo) -> None:
    assert repo.sync().code == 0
    po = repo.po("a.md")
    assert "<g1>" in msgstr(po, "见<g1>另一篇</g1>。")
    po_set(po, "见<g1>另一篇</g1>。", "See the other post.")
    before = repo.out("a.md").read_bytes()

    res = repo.sync()

    assert res.code == 1, res.text
    assert res.err.startswith("error: locales/en/src/posts/a.po: the reviewed translation of line")
    assert "(“见另一篇。”) is broken: it lost the link '另一篇'" in res.err, res.err
    assert repo.out("a.md").read_bytes() == before


# -- 6. glossary --------------------------------------------------------------------------------


def test_glossary_change_resends_only_the_units_holding_that_term(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    first = repo.sent()
    with_term = sorted(plain_tags(u["text"]) for u in first if "飞桨" in u["text"])
    assert 3 <= len(with_term) < len(first)
    (repo.root / "glossary.yml").write_text(GLOSSARY.replace("PaddlePaddle", "FeiJiang"), encoding="utf-8")

    res = repo.sync()

    assert res.code == 0, res.text
    again = repo.sent()
    assert sorted(plain_tags(u["text"]) for u in again) == with_term
    a = repo.out("a.md").read_text(encoding="utf-8")
    assert "FeiJiang" in a and "PaddlePaddle" not in a
    assert "ERNIE也在这里。 (EN)" in a  # a unit with another term: reused
    assert repo.sync().code == 0 and repo.sent() == []


# -- 7. orphans ---------------------------------------------------------------------------------


def test_deleted_source_is_reported_and_removed_only_with_prune(repo: Repo) -> None:
    assert repo.sync().code == 0
    repo.src("b.md").unlink()

    res = repo.sync()

    assert "orphaned: src/posts/b.md" in res.out, res.text
    assert repo.out("b.md").is_file() and repo.po("b.md").is_file()
    check = repo.sync("--check")
    assert "src/posts/b.md" in check.text
    assert repo.out("b.md").is_file() and repo.po("b.md").is_file()

    res = repo.sync("--prune")

    assert res.code == 0, res.text
    assert not repo.out("b.md").exists() and not repo.po("b.md").exists()
    for name in ("a.md", *CORPUS):
        assert repo.out(name).is_file() and repo.po(name).is_file()
    assert "b.md" not in repo.sync().text


# -- 8. dry run, JSON, shards ----------------------------------------------------------------------


def test_dry_run_sends_and_writes_nothing_and_reports_units_and_chars(repo: Repo) -> None:
    repo.config("recorder")
    before = snapshot(repo.root)

    res = repo.sync("--dry-run", "--json")

    assert repo.sent() == []
    assert snapshot(repo.root) == before
    planned = {p["source"]: p for p in json_report(res)["posts"]}
    assert sorted(planned) == sorted(f"src/posts/{n}" for n in POSTS)

    assert all(p["sent"] > 0 and p["chars"] > 0 for p in planned.values())

    assert repo.sync().code == 0
    sent = [plain_tags(u["text"]) for u in repo.sent()]
    assert sum(p["sent"] for p in planned.values()) == len(sent)
    assert sum(p["chars"] for p in planned.values()) == sum(map(len, sent))


def test_dry_run_after_an_edit_reports_the_one_unit(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    repo.edit(repo.src("a.md"), "第一段文字，这里是开头。", "第一段文字，这里是开头。新增一句话。")
    before = snapshot(repo.root)

    res = repo.sync("--dry-run", "--json")

    assert repo.sent() == []
    assert snapshot(repo.root) == before
    posts = {p["source"]: p for p in json_report(res)["posts"]}
    assert (posts["src/posts/a.md"]["sent"], posts["src/posts/a.md"]["chars"]) == (1, 18)
    assert all(p["sent"] == 0 for s, p in posts.items() if s != "src/posts/a.md")


def test_dry_run_text_report_shows_units_and_chars(repo: Repo) -> None:
    assert repo.sync().code == 0
    repo.edit(repo.src("a.md"), "第一段文字，这里是开头。", "第一段文字，这里是开头。新增一句话。")

    res = repo.sync("--dry-run")

    assert "src/posts/a.md" in res.text
    assert re.search(r"\b1 units?\b", res.text)
    assert re.search(r"\b18 char", res.text), res.text


def test_json_report_is_valid_json_with_a_status_per_post(repo: Repo) -> None:
    data = json_report(repo.sync("--json"))
    assert {p["source"]: p["status"] for p in data["posts"]} == {f"src/posts/{n}": "new" for n in POSTS}
    assert data["ok"] is True and data["stopped"] is None
    assert all(
        p["written"] and p["output"] == f"src/en/posts/{Path(p['source']).name}" for p in data["posts"]
    )
    repo.edit(repo.src("b.md"), "乙的第一段，没有术语。", "乙的第一段，没有术语，改了。")

    res = repo.sync("--json")

    data = json_report(res)
    statuses = {p["source"]: p["status"] for p in data["posts"]}
    assert statuses.pop("src/posts/b.md") == "changed"
    assert set(statuses.values()) == {"unchanged"} and len(statuses) == len(POSTS) - 1
    assert res.code == 0 and data["ok"] is True


def test_shards_together_cover_every_post_exactly_once(repo: Repo) -> None:
    one = json_report(repo.sync("--shard", "1/2", "--json"))
    two = json_report(repo.sync("--shard", "2/2", "--json"))

    first = [p["source"] for p in one["posts"]]
    second = [p["source"] for p in two["posts"]]
    assert first and second
    assert sorted(first + second) == sorted(f"src/posts/{n}" for n in POSTS)
    assert all(p["status"] == "new" for p in one["posts"] + two["posts"])
    assert repo.sync("--check").code == 0


# -- 9. configuration errors ------------------------------------------------------------------------


def test_unknown_config_key_names_the_file_the_key_and_its_line(repo: Repo) -> None:
    cfg = repo.root / "i18n-posts.toml"
    cfg.write_text('include = ["src/posts/*.md"]\noutptu = "x/{stem}{ext}"\n', encoding="utf-8")

    res = repo.sync()

    assert res.code == 2, res.text
    assert res.err.startswith("error: i18n-posts.toml:2:")  # relative to the repository's root
    assert "'outptu'" in res.err
    assert not (repo.root / "locales").exists() and not (repo.root / "src" / "en").exists()


def test_unknown_config_key_after_a_blank_line_names_its_line(repo: Repo) -> None:
    cfg = repo.root / "i18n-posts.toml"
    cfg.write_text('include = ["src/posts/*.md"]\n\noutptu = "x/{stem}{ext}"\n', encoding="utf-8")

    res = repo.sync()

    assert res.code == 2, res.text
    assert "error: i18n-posts.toml:3:" in res.err, res.err


def test_unknown_key_in_pyproject_names_its_line(repo: Repo) -> None:
    (repo.root / "i18n-posts.toml").unlink()
    py = repo.root / "pyproject.toml"
    py.write_text('[project]\nname = "blog"\n\n[tool.i18n-posts]\nname = "x"\n', encoding="utf-8")

    res = repo.sync()

    assert res.code == 2, res.text
    assert "error: pyproject.toml:5:" in res.err, res.err


def test_output_leading_outside_the_repository_is_refused(repo: Repo) -> None:
    repo.config(output="../x/{stem}{ext}")

    res = repo.sync()

    assert res.code != 0
    assert "outside the repository" in res.err
    assert not (repo.root.parent / "x").exists()
    assert not (repo.root / "locales").exists() and not (repo.root / "src" / "en").exists()


@pytest.mark.parametrize("memory", ["/abs", "ABS", "../mem"])
def test_memory_outside_the_repository_is_refused(repo: Repo, memory: str) -> None:
    absolute = repo.root.parent / "absmem"
    memory = {"ABS": str(absolute)}.get(memory, memory)
    repo.config(memory=memory)

    res = repo.sync()

    assert res.code == 2, res.text
    assert "memory" in res.err and "i18n-posts.toml" in res.err
    assert not absolute.exists() and not (repo.root.parent / "mem").exists()
    assert not (repo.root / "src" / "en").exists()


def test_missing_config_is_a_usage_error(repo: Repo) -> None:
    (repo.root / "i18n-posts.toml").unlink()

    res = repo.sync()

    assert res.code == 2, res.text
    assert "i18n-posts.toml" in res.err and "--config" in res.err
    assert not (repo.root / "src" / "en").exists()


def test_tool_table_in_pyproject_works_as_config(repo: Repo) -> None:
    (repo.root / "i18n-posts.toml").unlink()
    (repo.root / "pyproject.toml").write_text(
        '[project]\nname = "blog"\n\n[tool.i18n-posts]\ninclude = ["src/posts/*.md"]\n'
        f'output = "{OUTPUT}"\nglossary = "glossary.yml"\n\n[tool.i18n-posts.backend]\nname = "pseudo"\n',
        encoding="utf-8",
    )

    res = repo.sync()

    assert res.code == 0, res.text
    for name in POSTS:
        assert repo.out(name).is_file() and repo.po(name).is_file()
    assert "PaddlePaddle" in repo.out("b.md").read_text(encoding="utf-8")
    assert repo.sync("--check").code == 0


# -- 10. no backend -------------------------------------------------------------------------------


def test_no_backend_is_a_clear_error_and_covered_posts_are_still_written(repo: Repo) -> None:
    assert repo.sync().code == 0
    written = {n: repo.out(n).read_bytes() for n in POSTS}
    for n in POSTS:
        repo.out(n).unlink()
    repo.config(backend=None)
    repo.edit(repo.src("a.md"), "第一段文字，这里是开头。", "第一段文字，这里是开头。新增一句话。")

    res = repo.sync()

    assert res.code != 0
    assert "configure a backend" in res.err
    assert "[backend]" in res.err
    assert not repo.out("a.md").exists()
    for n in ("b.md", *CORPUS):
        assert repo.out(n).read_bytes() == written[n], n


# -- 11. links and anchors --------------------------------------------------------------------------


def test_in_page_anchor_points_to_the_translated_heading(repo: Repo) -> None:
    assert repo.sync().code == 0

    heading = out_line(repo, "a.md", "## 二、飞桨黑客松")
    link = url_in(out_line(repo, "a.md", "[目录]"))

    assert heading.startswith("## ") and not HAN.search(heading)
    assert link == "#" + slug(heading[3:])
    assert link != "#二、飞桨黑客松"


@pytest.mark.parametrize(
    ("output", "expected"),
    [(OUTPUT, "./b.md"), ("{dir}/{stem}.{locale}{ext}", "./b.en.md"), ("en/{stem}{ext}", "./b.md")],
)
def test_link_to_another_synced_post_points_to_its_output(repo: Repo, output: str, expected: str) -> None:
    repo.config(output=output)
    assert repo.sync().code == 0
    out_a = repo.root / output.format(dir="src/posts", stem="a", ext=".md", locale="en")
    out_b = repo.root / output.format(dir="src/posts", stem="b", ext=".md", locale="en")
    line = out_a.read_text(encoding="utf-8").splitlines()[line_of(A_POST, "见[另一篇]") - 1]

    url = url_in(line)

    assert url == expected
    assert (out_a.parent / url).resolve() == out_b.resolve()


def test_link_fragment_into_another_post_follows_its_translated_heading(repo: Repo) -> None:
    repo.edit(repo.src("a.md"), "见[另一篇](./b.md)。", "见[另一篇](./b.md#标题乙)。")
    assert repo.sync().code == 0
    assert repo.sync().code == 0

    heading = out_line(repo, "b.md", "## 标题乙")
    link = url_in(out_line(repo, "a.md", "见[另一篇]"))

    assert link == "./b.md#" + slug(heading[3:])


def test_link_to_a_post_added_later_points_to_its_output(repo: Repo) -> None:
    repo.edit(repo.src("b.md"), "乙的第一段，没有术语。", "乙的第一段，没有术语，见[丙](./c.md)。")
    assert repo.sync().code == 0
    assert url_in(out_line(repo, "b.md", "见[丙]")) == "../../posts/c.md"  # not a post (yet)
    repo.src("c.md").write_text("# 丙\n\n丙的内容。\n", encoding="utf-8")

    res = repo.sync()

    assert res.code == 0 and repo.out("c.md").is_file(), res.text
    assert url_in(out_line(repo, "b.md", "见[丙]")) == "./c.md"


# -- 12. CRLF and BOM ------------------------------------------------------------------------------


def test_crlf_and_bom_posts_survive_sync_and_a_no_op(repo: Repo) -> None:
    crlf = (DATA / "posts" / "crlf.md").read_bytes()
    bom = (DATA / "posts" / "bom.md").read_bytes()
    assert b"\r\n" in crlf and bom.startswith(b"\xef\xbb\xbf")  # the fixtures are what they claim
    sources = {"crlf.md": crlf, "bom.md": bom, "crlf-bom.md": b"\xef\xbb\xbf" + crlf}
    for name, data in sources.items():
        repo.src(name).write_bytes(data)

    res = repo.sync()

    assert res.code == 0, res.text
    for name, data in sources.items():
        out = repo.out(name).read_bytes()
        assert out != data
        assert out.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf"), name
        assert out.count(b"\r\n") == data.count(b"\r\n"), name
        assert out.count(b"\n") == data.count(b"\n"), name
    before = snapshot(repo.root, "src", "locales")
    res = repo.sync()
    assert res.code == 0, res.text
    assert snapshot(repo.root, "src", "locales") == before
    assert repo.sync("--check").code == 0

    # a hand edit of a CRLF+BOM output is taken back like any other
    out = repo.out("crlf-bom.md")
    lines = out.read_bytes().split(b"\r\n")
    i = line_of(sources["crlf-bom.md"].decode("utf-8"), "这篇文章是在 Windows 上编写的") - 1
    lines[i] = b"Edited by hand."
    out.write_bytes(b"\r\n".join(lines))
    assert repo.sync().code == 0
    assert repo.sync("--check").code == 0
    assert out.read_bytes().split(b"\r\n")[i] == b"Edited by hand."
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


# -- 13. interrupted runs ---------------------------------------------------------------------------


def test_backend_failing_mid_run_keeps_the_posts_done_before(repo: Repo) -> None:
    repo.config("recorder", concurrency=1)
    full = sum(p["sent"] for p in json_report(repo.sync("--dry-run", "--json"))["posts"])
    repo.config("recorder", "--fail-from", "3", concurrency=1)

    res = repo.sync()

    assert res.code == 1, res.text
    assert "stopped" in res.err
    reqs = repo.requests()
    assert len(reqs) >= 5  # two answered, then three failures in a row stop the run
    done_units = {plain_tags(u["text"]) for r in reqs[:2] for u in r["units"]}
    kept = {m.id for n in POSTS if repo.po(n).is_file() for m in catalog(repo.po(n)) if m.id and m.string}
    assert {plain_tags(t) for t in kept} == done_units
    assert [n for n in POSTS if repo.out(n).is_file()] == [n for n in POSTS if repo.po(n).is_file()]
    assert len([n for n in POSTS if repo.po(n).is_file()]) == 2
    assert [p for p in repo.root.rglob("*.tmp") if p.is_file()] == []

    repo.config("recorder", concurrency=1)
    res = repo.sync()

    assert res.code == 0, res.text
    rerun = repo.sent()
    assert len(rerun) == full - sum(len(r["units"]) for r in reqs[:2])
    assert len(rerun) < full
    assert not done_units & {plain_tags(u["text"]) for u in rerun}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_run_leaves_no_stray_file_and_loses_nothing_paid_for(repo: Repo, tmp_path: Path) -> None:
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}"
    repo.config("recorder", concurrency=1)
    full = sum(p["sent"] for p in json_report(repo.sync("--dry-run", "--json"))["posts"])
    repo.config("recorder", "--kill-parent-on", "3", concurrency=1)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))

    proc = subprocess.run(
        [str(SCRIPT), "sync"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(repo.requests()) == 3
    names = set(POSTS)
    outdir = repo.out("a.md").parent
    assert {p.name for p in outdir.iterdir()} <= names
    assert [p for p in (repo.root / "src").rglob("*") if p.name.endswith(".tmp")] == []
    kept = {m.id for n in POSTS if repo.po(n).is_file() for m in catalog(repo.po(n)) if m.id and m.string}
    assert kept  # the posts answered before the kill are in the memory

    repo.config("recorder", concurrency=1)
    res = repo.sync()

    assert res.code == 0, res.text
    rerun = repo.sent()
    assert len(rerun) < full
    assert not {plain_tags(t) for t in kept} & {plain_tags(u["text"]) for u in rerun}
    assert [p for p in repo.root.rglob("*.tmp") if p.is_file()] == []
    assert repo.sync("--check").code == 0


def test_stopped_run_logs_no_traceback(repo: Repo, caplog: pytest.LogCaptureFixture) -> None:
    repo.config("recorder", "--fail-from", "1", concurrency=1)

    res = repo.sync()

    assert res.code == 1 and "stopped" in res.err, res.text
    logged = [r.getMessage() for r in caplog.records]
    assert not [m for m in logged if "never retrieved" in m or "Traceback" in m], logged


def test_stopped_run_reports_the_posts_it_did_not_do(repo: Repo) -> None:
    repo.config("recorder", "--fail-from", "1", concurrency=1)

    res = repo.sync("--json")

    assert res.code == 1
    data = json_report(res)
    assert data["stopped"] and data["ok"] is False
    assert sorted(p["source"] for p in data["posts"]) == sorted(f"src/posts/{n}" for n in POSTS)
    assert not [p for p in data["posts"] if p["written"]]


# -- 14. the memory's format ------------------------------------------------------------------------


def test_po_entries_have_source_references_and_machine_comments(repo: Repo) -> None:
    assert repo.sync().code == 0
    for name in POSTS:
        po = repo.po(name)
        lines = repo.src(name).read_text(encoding="utf-8").splitlines()
        entries = [m for m in catalog(po) if m.id]
        assert entries, name
        for m in entries:
            assert m.locations and m.locations[0][0] == f"src/posts/{name}", (name, m.id)
            if not TAG.search(m.id):  # the referenced line holds the unit's first line
                assert m.id.split("\n")[0] in lines[m.locations[0][1] - 1], (name, m.id, m.locations)
            assert [c for c in m.user_comments if c.startswith("machine: pseudo")], (name, m.id)
        text = po.read_text(encoding="utf-8")
        assert text.count("# machine: pseudo") == len(entries)
    po = repo.po("a.md")
    for needle in ("第一段文字，这里是开头。", "## 二、飞桨黑客松", "第三段，文心也在这里。"):
        block = po_block(po, needle.removeprefix("## "))
        assert f"#: src/posts/a.md:{line_of(A_POST, needle)}" in block.splitlines(), block
        assert re.search(r"^# machine: pseudo\b", block, re.M), block


def test_changed_unit_the_backend_fails_for_is_kept_as_fuzzy_with_its_previous_msgid(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    old = "第二段文字，这里是结尾。"
    old_translation = msgstr(repo.po("a.md"), old)
    repo.edit(repo.src("a.md"), old, "第二段文字，这里是结尾，FAILME。")
    repo.edit(repo.src("a.md"), "第三段，文心也在这里。", "第三段，文心也在这里，改了。")
    repo.config("recorder", "--fail-text", "FAILME")

    res = repo.sync()

    assert res.code == 1, res.text
    assert "src/posts/a.md" in res.err
    block = po_block(repo.po("a.md"), "第二段文字，这里是结尾，FAILME。")
    assert "#, fuzzy" in block.splitlines()
    assert f"#| msgid {json.dumps(old, ensure_ascii=False)}" in block.splitlines()
    assert msgstr(repo.po("a.md"), "第二段文字，这里是结尾，FAILME。") == old_translation
    assert msgstr(repo.po("a.md"), "第三段，文心也在这里，改了。") == "第三段，ERNIE也在这里，改了。 (EN)"


def test_changed_unit_the_backend_fails_for_alone_is_kept_as_fuzzy(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    old = "第二段文字，这里是结尾。"
    old_translation = msgstr(repo.po("a.md"), old)
    repo.edit(repo.src("a.md"), old, "第二段文字，这里是结尾，FAILME。")
    repo.config("recorder", "--fail-text", "FAILME")

    res = repo.sync()

    assert res.code == 1, res.text
    block = po_block(repo.po("a.md"), "第二段文字，这里是结尾，FAILME。")
    assert "#, fuzzy" in block.splitlines()
    assert f"#| msgid {json.dumps(old, ensure_ascii=False)}" in block.splitlines()
    assert msgstr(repo.po("a.md"), "第二段文字，这里是结尾，FAILME。") == old_translation


def test_rerun_after_a_partial_failure_translates_the_changed_units(repo: Repo) -> None:
    repo.config("recorder")
    assert repo.sync().code == 0
    repo.sent()
    repo.edit(repo.src("a.md"), "第二段文字，这里是结尾。", "第二段文字，这里是结尾，FAILME。")
    repo.edit(repo.src("a.md"), "第三段，文心也在这里。", "第三段，文心也在这里，改了。")
    repo.config("recorder", "--fail-text", "FAILME")
    assert repo.sync().code == 1
    repo.sent()
    repo.config("recorder")

    res = repo.sync()

    assert res.code == 0, res.text
    assert [u["text"] for u in repo.sent()] == ["第二段文字，这里是结尾，FAILME。"]
    text = repo.out("a.md").read_text(encoding="utf-8")
    assert "第二段文字，这里是结尾，FAILME。 (EN)" in text
    assert "第三段，ERNIE也在这里，改了。 (EN)" in text
    assert "# reviewed" not in repo.po("a.md").read_text(encoding="utf-8")


def test_vanished_units_are_obsolete_entries_of_the_last_change(repo: Repo) -> None:
    assert repo.sync().code == 0
    po = repo.po("a.md")
    repo.edit(repo.src("a.md"), "\n\n第三段，文心也在这里。", "")

    assert repo.sync().code == 0

    text = po.read_text(encoding="utf-8")
    assert '#~ msgid "第三段，文心也在这里。"' in text.splitlines()
    assert "第三段，文心也在这里。" not in [m.id for m in catalog(po)]
    assert "第三段，文心也在这里。" in catalog(po).obsolete

    repo.edit(repo.src("a.md"), "\n\n第二段文字，这里是结尾。", "")
    assert repo.sync().code == 0

    obsolete = catalog(po).obsolete
    assert list(obsolete) == ["第二段文字，这里是结尾。"]
    assert obsolete["第二段文字，这里是结尾。"].string
