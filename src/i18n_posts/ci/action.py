"""The GitHub Action's entrypoint: run `sync` in one of three modes, then tell GitHub.

    sync     translate what changed and write it (the memory of every answer is saved as it
             arrives, so a failing post or a budget stop keeps what was paid for)
    check    send and write nothing; fail if a translation is missing or stale (the gate
             for the bot's branch, or where translations are committed with the source)
    preview  send and write nothing; show what would be sent, tokens and cost; fail only on
             real problems (a config, a hand edit that no longer aligns, a PO file that does
             not parse, a glossary that does not lint), never because translations are due

Each failed or stale post becomes an annotation (`::error file=...,line=...::`), the counts a
job summary, and `changed`, `failed`, `pending`, `stopped`, `report` the step's outputs. Outside GitHub
(a pre-commit hook, a local run) annotations are `file:line: level: message` lines on stderr
and the summary is printed. Exit codes: 0 fine (a budget stop is a
warning), 1 a post failed or is stale, or the glossary does not lint, 2 the run could not
start (usage, config)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO

from .github import Annotation, append_summary, locate, write_outputs
from .report import Mode, SyncReport, counts, read_report, summary

MODES: dict[str, list[str]] = {"sync": [], "check": ["--check"], "preview": ["--dry-run"]}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    mode: Mode = args.mode or "sync"
    root, workspace = Path.cwd(), Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
    report_path = Path(args.report) if args.report else _default_report()
    command = [sys.executable, "-m", "i18n_posts", "sync", "--json", *MODES[mode]]
    if args.config:
        command += ["--config", args.config]
    if args.max_tokens:
        command += ["--max-tokens", args.max_tokens]
    if args.max_chars:
        command += ["--max-chars", args.max_chars]
    stdout, stderr, code = _run(command)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(stdout, encoding="utf-8")
    try:
        report = read_report(json.loads(stdout))
    except ValueError:  # json.JSONDecodeError is one: the run did not start (usage, config)
        notes = [ln for ln in stderr.splitlines() if ln.strip()] or [f"sync exited {code}"]
        for line in notes:
            file, lineno, message = locate(line, root, workspace)
            _emit(Annotation("error", message, file, lineno))
        nothing = {"changed": "0", "failed": "0", "pending": "0", "stopped": ""}
        _finish(args, report_path, nothing, _no_run(mode, notes))
        return 2
    annotations = _annotations(report, mode, root, workspace)
    if mode != "sync":
        annotations += _glossary_lint(args.config, root, workspace)
    for a in annotations:
        _emit(a)
    problems = [f"{a.file + ': ' if a.file else ''}{a.message}" for a in annotations if a.level == "error"]
    changed = report.count("stale") if mode == "check" else _changed(report, mode)
    outputs = {
        "changed": str(changed),
        "failed": str(len(report.failed())),
        "pending": str(len(report.not_done())),
        "stopped": report.stopped or "",
    }
    _finish(args, report_path, outputs, summary(report, mode, problems))
    print(f"i18n-posts {mode}: {counts(report)}; the report is in {report_path}", flush=True)
    if problems:
        return 1
    return 1 if report.stopped and not report.budget_stop else 0


def _run(command: list[str]) -> tuple[str, str, int]:
    """Run `command`: its stdout (the JSON report), its stderr (also passed on as it comes, so
    a long run shows in the log while it goes), its exit code."""
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace"
    )
    assert proc.stdout is not None and proc.stderr is not None
    err: list[str] = []

    def pump(stream: IO[str]) -> None:
        for line in stream:
            err.append(line)
            sys.stderr.write(line)
            sys.stderr.flush()

    pumping = threading.Thread(target=pump, args=(proc.stderr,), daemon=True)
    pumping.start()
    out = proc.stdout.read()
    code = proc.wait()
    pumping.join()
    return out, "".join(err), code


def _annotations(report: SyncReport, mode: Mode, root: Path, workspace: Path) -> list[Annotation]:
    out = []
    for p in report.failed():
        if p.problems:  # one annotation a failing unit, on its line
            where = _inside(p.source, root, workspace)
            for x in p.problems:
                out.append(Annotation("error", f"{x.message} ({p.output} not written)", where, x.line))
            continue
        file, line, message = locate(p.message, root, workspace)
        out.append(Annotation("error", message, file or _inside(p.source, root, workspace), line))
    for p in report.not_done():
        where = _inside(p.source, root, workspace)
        out.append(Annotation("warning", f"not translated yet: {p.message}", where))
    for p in report.posts:
        if p.status == "stale":
            level = "error" if mode == "check" else "warning"
            out.append(Annotation(level, f"{p.output}: {p.message}", _inside(p.source, root, workspace)))
        elif p.status == "orphaned":
            out.append(Annotation("warning", p.message, _inside(p.output, root, workspace)))
    if report.stopped:
        level = "warning" if report.budget_stop else "error"
        done = report.count("new", "changed", "edited")
        waiting = len(report.not_done())
        out.append(Annotation(level, f"stopped: {report.stopped}; {done} post(s) done, {waiting} left"))
    return out


def _glossary_lint(config: str | None, root: Path, workspace: Path) -> list[Annotation]:
    """A glossary that does not lint is a real problem even where nothing is sent."""
    from ..config import find_config  # noqa: PLC0415
    from ..errors import I18nPostsError  # noqa: PLC0415

    try:
        cfg = find_config(root, Path(config) if config else None)  # sync has read it already
    except I18nPostsError as exc:
        return [Annotation("error", str(exc))]
    if cfg is None or not cfg.glossary:
        return []
    command = [sys.executable, "-m", "i18n_posts", "glossary", "lint", str(cfg.root / cfg.glossary)]
    proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    out = []
    for line in proc.stdout.splitlines():
        file, lineno, message = locate(line, root, workspace)
        if file is not None and message.startswith("error: "):  # warnings are the linter's advice
            out.append(Annotation("error", message.removeprefix("error: "), file, lineno))
    if proc.returncode and not any(a.level == "error" for a in out):
        out.append(Annotation("error", f"glossary lint failed: {proc.stderr.strip() or proc.stdout.strip()}"))
    return out


def _changed(report: SyncReport, mode: Mode) -> int:
    if mode == "sync":
        return sum(1 for p in report.posts if p.written)
    return sum(1 for p in report.posts if p.status in ("new", "changed", "edited") and p.units)


def _inside(path: str, root: Path, workspace: Path) -> str | None:
    try:
        return (root / path).resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return None


def _emit(a: Annotation) -> None:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(a.command(), flush=True)
    else:
        print(a.plain(), file=sys.stderr, flush=True)


def _finish(args: argparse.Namespace, report_path: Path, outputs: dict[str, str], markdown: str) -> None:
    outputs = {**outputs, "report": str(report_path)}
    if os.environ.get("GITHUB_OUTPUT"):
        write_outputs(Path(os.environ["GITHUB_OUTPUT"]), outputs)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        append_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), markdown)
    else:
        print(markdown, end="")


def _no_run(mode: str, notes: list[str]) -> str:
    body = "\n".join(f"    {n}" for n in notes)
    return f"### i18n-posts {mode}\n\n**The run did not start**:\n\n{body}\n"


def _default_report() -> Path:
    return Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / "i18n-posts-report.json"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m i18n_posts.ci", description=__doc__.split("\n\n")[0])
    # empty values are "not given": action.yml passes every input, set or not
    p.add_argument("--mode", choices=[*MODES, ""], default="")
    p.add_argument("--config", default="")
    p.add_argument("--max-tokens", default="")
    p.add_argument("--max-chars", default="")
    p.add_argument("--report", default="", help="where the JSON report goes (default: $RUNNER_TEMP)")
    return p
