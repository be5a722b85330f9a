#!/usr/bin/env python3
"""The corpus through the openai backend against the test suite's fake server with a fixed
latency per request: wall time against the ideal `requests x latency / concurrency`, and the
characters sent per character of translatable text.

    python bench/backend_latency.py [--latency 0.2] [--concurrency 8] [--posts DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CLI, POSTS, ROOT, compile_package  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from fake_openai import FakeService  # noqa: E402


def translatable_chars(files: list[Path]) -> int:
    from i18n_posts.load import load_post
    from i18n_posts.segment import Segmenter

    seg = Segmenter()
    return sum(len(u.text) for f in files for u in seg.segment(load_post(f)).units)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--posts", type=Path, default=POSTS)
    args = ap.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp, FakeService(latency=args.latency, api_key="sk-bench") as svc:
        files = []
        for p in sorted(args.posts.glob("*.md")):
            shutil.copy(p, Path(tmp) / p.name)
            files.append(Path(tmp) / p.name)
        cmd = [
            str(CLI),
            "translate",
            *map(str, files),
            "--to",
            "en",
            "--backend",
            "openai",
            "--backend-option",
            f"base_url={svc.base_url}",
            "--backend-option",
            "model=bench",
            "--backend-option",
            "api_key_env=BENCH_KEY",
            "--glossary",
            str(ROOT / "glossary.yml"),
            "--concurrency",
            str(args.concurrency),
            "--output",
            f"{tmp}/out/{{stem}}.{{locale}}{{ext}}",
        ]
        t = time.perf_counter()
        t_mono = time.monotonic()
        p = subprocess.run(cmd, env=dict(os.environ, BENCH_KEY="sk-bench"), capture_output=True, text=True)
        wall = time.perf_counter() - t
        if p.returncode:
            print(p.stderr[-2000:])
            return 1
        reqs = [r for r in svc.requests if r["path"].endswith("/chat/completions")]
        body = sum(len(json.dumps(r["json"], ensure_ascii=False)) for r in reqs)
        messages = sum(len(m["content"]) for r in reqs for m in r["json"]["messages"])
        text = translatable_chars(files)
        ideal = len(reqs) * args.latency / args.concurrency
        first = min(r["t_start"] for r in reqs) - t_mono
        t0, t1 = min(r["t_start"] for r in reqs), max(r["t_end"] for r in reqs)
        steps = int((t1 - t0) / 0.01)
        busy = [sum(1 for r in reqs if r["t_start"] <= t0 + k * 0.01 < r["t_end"]) for k in range(steps)]
        utilisation = sum(busy) / (len(busy) * args.concurrency) if busy else 0.0
        last = max(r["t_end"] for r in reqs) - t_mono
    print(
        f"{len(files)} posts, {text} characters of translatable text, latency {args.latency}s, "
        f"concurrency {args.concurrency} (max seen by the server: {svc.max_concurrent})"
    )
    print(f"requests {len(reqs)}; wall {wall:.2f}s; ideal {ideal:.2f}s; ratio {wall / ideal:.2f}x")
    print(
        f"first request at {first:.2f}s, last answer at {last:.2f}s, process end at {wall:.2f}s; "
        f"slots busy {utilisation:.0%} of the time in between"
    )
    print(
        f"characters sent per character of text: {messages / text:.2f} in the messages, "
        f"{body / text:.2f} as JSON request bodies"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
