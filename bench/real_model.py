"""Posts through a real OpenAI-compatible server (e.g. `../shared/realmodel/serve.sh`), measured.

    python bench/real_model.py --base-url http://127.0.0.1:8080/v1 --model qwen2.5-coder-1.5b-instruct \
        [--option KEY=VALUE]... [--posts N | POST...] [--json FILE] [--answers FILE]

Runs the example post and N corpus posts (the smallest, by default 4) one after the other
through the `openai` backend with the shipped glossary, with the options a user would give
(`--option` adds backend options, e.g. `timeout=3600`). For each post and in total: units,
units accepted on the first call, accepted after retries, still failing by reason (json,
placeholder, structure, glossary, untranslated, other checks), calls, prompt and completion
tokens (as the server reports them), wall time, and whether the post was written (to a
temporary folder: nothing in the repository is touched). `--answers FILE` keeps every request
and raw answer (JSON lines) for looking at what the model did.

Written against the library's stable surface (load_backend, Runner, Translator, prepare,
build), so the same script measures an older commit of the code too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import POSTS, ROOT

from i18n_posts.backends import load_backend
from i18n_posts.backends.runner import Runner, RunOptions
from i18n_posts.errors import BackendUnavailable, BudgetExceeded, I18nPostsError
from i18n_posts.glossary import load_glossary
from i18n_posts.pipeline import build, prepare
from i18n_posts.segment import Segmenter
from i18n_posts.translate import TranslateOptions, Translator

_HAN = re.compile(r"[\u4e00-\u9fff]")
EXAMPLE = ROOT / "examples" / "posts" / "xdu-xjtu-os.md"


@dataclass
class PostFigures:
    """What one post cost and gave."""

    post: str
    units: int = 0
    to_send: int = 0
    """Units with source-language text (the others need no call)."""
    first_call: int = 0
    after_retries: int = 0
    by_links: int = 0
    """Of those, accepted on a retry that showed paired tags as Markdown links."""
    by_terms: int = 0
    """Of those, accepted on a retry with the glossary terms written in."""
    by_words: int = 0
    """Of those, accepted on a retry with words an answer left in Chinese written in (translated
    alone first)."""
    word_calls: int = 0
    """Calls that sent such words alone."""
    failing: dict[str, int] = field(default_factory=dict)
    kept_source: int = 0
    """Units written in the source language by policy (on_unit_failure = keep-source)."""
    calls: int = 0
    failed_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    written: bool = False
    why_not: str = ""


def reason(code: str, message: str) -> str:
    """The reason class of a failing unit's issue."""
    if code == "missing":
        low = message.lower()
        if "json" in low or "units" in low:
            return "json"
        return "no answer" if "no translation" in low or not low else "call failed"
    return code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--option", action="append", default=[], help="backend option KEY=VALUE")
    ap.add_argument("--posts", type=int, default=4, help="corpus posts besides the example (smallest first)")
    ap.add_argument("paths", nargs="*", type=Path, help="posts to run instead of the default choice")
    ap.add_argument("--concurrency", type=int, default=4, help="the CLI's default")
    ap.add_argument("--on-unit-failure", default="", help="fail or keep-source (newer code only)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--answers", type=Path, help="write every request and raw answer here (JSON lines)")
    args = ap.parse_args()

    if args.paths:
        paths = list(args.paths)
    else:
        # the smallest posts with Chinese prose to send (a post of Latin text only costs nothing)
        corpus = sorted(POSTS.glob("*.md"), key=lambda p: (p.stat().st_size, p.name))
        prose = [p for p in corpus if len(_HAN.findall(p.read_text(encoding="utf-8"))) >= 50]
        paths = [EXAMPLE, *prose[: args.posts]]
    options = {"base_url": args.base_url, "model": args.model}
    for kv in args.option:
        k, _, v = kv.partition("=")
        options[k] = v
    glossary = load_glossary(ROOT / "glossary.yml", "zh", "en")
    segmenter = Segmenter()
    log = args.answers.open("w", encoding="utf-8") if args.answers else None
    out_dir = Path(tempfile.mkdtemp(prefix="real-model-"))
    rows: list[PostFigures] = []
    stop: str = ""
    for path in paths:
        row = PostFigures(path.name)
        rows.append(row)
        if stop:
            row.why_not = stop
            continue
        backend = load_backend("openai", dict(options))
        sends: Counter[str] = Counter()
        forms: dict[str, str] = {}  # unit id -> the form of its last request
        original = backend.translate_async

        async def recorded(request, original=original, sends=sends, row=row, forms=forms, backend=backend):  # noqa: ANN001, ANN202
            words = all(u.kind == "word" for u in request.units)  # words sent alone, not units
            row.word_calls += words
            for u in () if words else request.units:
                sends[u.id] += 1
                left = u.hint.partition("Chinese left in the answer: ")[2].partition(";")[0].split()
                forms[u.id] = (
                    "links" if "](#g" in u.text and "[text](#gN)" in u.hint
                    else "words" if left and not any(w in u.text for w in left)
                    else "terms" if "must be rendered as" in u.hint
                    else ""
                )  # fmt: skip
            t = time.perf_counter()
            entry = {"post": row.post, "units": [asdict(u) for u in request.units]}
            try:
                answers = await original(request)
            except Exception as exc:
                row.failed_calls += 1
                raw = getattr(backend, "last_content", None)
                entry |= {"error": str(exc), "raw": raw, "seconds": round(time.perf_counter() - t, 1)}
                raise
            else:
                entry |= {"answers": answers, "seconds": round(time.perf_counter() - t, 1)}
                return answers
            finally:
                if log is not None:
                    log.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    log.flush()

        backend.translate_async = recorded  # type: ignore[method-assign]
        _count_tokens(backend, args.base_url)
        runner = Runner(backend, RunOptions(concurrency=args.concurrency))
        policy = {"on_unit_failure": args.on_unit_failure} if args.on_unit_failure else {}
        translator = Translator(runner, glossary, TranslateOptions("zh", "en", **policy))
        accepted: set[str] = set()

        def took(answers: dict[str, str], sends: Counter[str] = sends, accepted: set[str] = accepted) -> None:
            accepted.update(answers)

        t0 = time.perf_counter()
        try:
            post = prepare(path, segmenter)
            row.units = len(post.units)
            done, issues = asyncio.run(_run(translator, post, took))
        except (BackendUnavailable, BudgetExceeded) as exc:
            row.why_not = stop = f"run stopped: {exc}"
            done, issues = {}, []
        except I18nPostsError as exc:
            row.why_not = str(exc)
            done, issues = {}, []
        row.seconds = round(time.perf_counter() - t0, 1)
        row.calls = runner.calls
        row.prompt_tokens = backend.usage.prompt
        row.completion_tokens = backend.usage.completion
        row.to_send = len(sends) if sends else 0
        for uid in accepted:
            if sends[uid] <= 1:
                row.first_call += 1
            else:
                row.after_retries += 1
                row.by_links += forms.get(uid) == "links"
                row.by_terms += forms.get(uid) == "terms"
                row.by_words += forms.get(uid) == "words"
        kept = [k[1] if isinstance(k, tuple) else k for k in getattr(translator, "kept_source", [])]
        row.kept_source = len(kept)
        failing: Counter[str] = Counter()
        seen: set[str] = set()
        for issue in [*issues, *kept]:
            if issue.unit_id in seen:
                continue
            seen.add(issue.unit_id)
            failing[reason(issue.code, issue.message)] += 1
        row.failing = dict(failing)
        if not row.why_not:
            if issues:
                row.why_not = f"{len(issues)} issue(s), first: {issues[0].message[:120]}"
            else:
                try:
                    text = build(post, done, segmenter)
                except I18nPostsError as exc:
                    row.why_not = str(exc)[:200]
                else:
                    (out_dir / path.name).write_text(text, encoding="utf-8")
                    row.written = True
        print(_line(row), file=sys.stderr, flush=True)
    total = PostFigures("total")
    for r in rows:
        for k in (
            "units", "to_send", "first_call", "after_retries", "by_links", "by_terms", "by_words",
            "word_calls", "kept_source", "calls", "failed_calls",
        ):  # fmt: skip
            setattr(total, k, getattr(total, k) + getattr(r, k))
        total.prompt_tokens += r.prompt_tokens
        total.completion_tokens += r.completion_tokens
        total.seconds = round(total.seconds + r.seconds, 1)
        total.written = total.written + r.written  # type: ignore[assignment]
        for k, v in r.failing.items():
            total.failing[k] = total.failing.get(k, 0) + v
    print(_header())
    for r in [*rows, total]:
        print(_line(r))
    sent = total.to_send or 1
    print(
        f"accepted: {100 * total.first_call / sent:.0f}% on the first call, "
        f"{100 * (total.first_call + total.after_retries) / sent:.0f}% after retries "
        f"(of {total.to_send} units sent; on a retry: {total.by_links} with pairs as Markdown links, "
        f"{total.by_terms} with the terms written in, {total.by_words} with words left in Chinese written "
        f"in, after {total.word_calls} calls of such words alone); outputs in {out_dir}"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in [*rows, total]], indent=1), encoding="utf-8")
    return 0


def _count_tokens(backend, base_url: str) -> None:  # noqa: ANN001
    """Where the server reports no usage (llama-cpp-python's stream does not), count the tokens
    of each call with the server's own tokenizer (`/extras/tokenize/count`): the messages in
    the model's chat template (ChatML for Qwen) and the answer's text."""
    import httpx  # noqa: PLC0415

    root = base_url.rstrip("/").removesuffix("/v1")
    build, parse = backend.build, backend.parse
    body: list[object] = [None]

    def count(text: str) -> int:
        try:
            r = httpx.post(f"{root}/extras/tokenize/count", json={"input": text}, timeout=60)
            return int(r.json()["count"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            return 0

    def built(request):  # noqa: ANN001, ANN202
        call = build(request)
        body[0] = call.json
        return call

    def parsed(request, response):  # noqa: ANN001, ANN202
        before = (backend.usage.prompt, backend.usage.completion)
        try:  # kept for the answers file: what a refused answer looked like
            backend.last_content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            backend.last_content = None
        try:
            return parse(request, response)
        finally:
            if (backend.usage.prompt, backend.usage.completion) == before and isinstance(body[0], dict):
                chat = "".join(
                    f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n"
                    for m in body[0].get("messages", [])
                )
                backend.usage.prompt += count(chat + "<|im_start|>assistant\n")
                try:
                    content = response.json()["choices"][0]["message"]["content"] or ""
                except (ValueError, KeyError, IndexError, TypeError):
                    content = ""
                backend.usage.completion += count(content)

    backend.build, backend.parse = built, parsed


async def _run(translator: Translator, post, took):  # noqa: ANN001, ANN202
    try:
        return await translator.translate_async(post, on_answers=took)
    finally:
        await translator.runner.aclose()


def _header() -> str:
    return (
        f"{'post':<28} {'units':>5} {'sent':>5} {'1st':>4} {'retry':>5} {'kept':>4} {'calls':>5} "
        f"{'fail':>4} {'prompt':>7} {'compl':>6} {'secs':>7} written  failing"
    )


def _line(r: PostFigures) -> str:
    failing = ", ".join(f"{k} {v}" for k, v in sorted(r.failing.items())) or "-"
    return (
        f"{r.post[:28]:<28} {r.units:>5} {r.to_send:>5} {r.first_call:>4} {r.after_retries:>5} "
        f"{r.kept_source:>4} {r.calls:>5} {r.failed_calls:>4} {r.prompt_tokens:>7} "
        f"{r.completion_tokens:>6} {r.seconds:>7} {str(r.written):<8} {failing}"
        + (f"  ({r.why_not[:150]})" if r.why_not and r.post != "total" else "")
    )


if __name__ == "__main__":
    raise SystemExit(main())
