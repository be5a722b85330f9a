#!/usr/bin/env python3
"""Time matching every glossary term over the translatable text of the corpus: `Glossary.find`
on each plain-text segment of each unit (what the translate stage and the checks do), best of
N runs. Loading, segmenting and compiling the pattern are done once, outside the timing.
Prints one line for bench/README.md.

Usage: python bench/glossary_match.py [--runs 5] [--posts DIR] [--glossary FILE]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from i18n_posts.glossary import load_glossary
from i18n_posts.load import load_post
from i18n_posts.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--posts", type=Path, default=ROOT / "tests" / "data" / "corpus")
    ap.add_argument("--glossary", type=Path, default=ROOT / "glossary.yml")
    args = ap.parse_args()

    t = time.perf_counter()
    glossary = load_glossary(args.glossary, "zh", "en")
    load_s = time.perf_counter() - t
    posts = sorted(args.posts.glob("*.md"))
    segmenter = Segmenter()
    units = [u for p in posts for u in segmenter.segment(load_post(p)).units]
    segments = [s for u in units for s in u.source_segments]
    chars = sum(map(len, segments))

    times, matches = [], 0
    for _ in range(max(args.runs, 1)):
        t = time.perf_counter()
        matches = sum(len(glossary.find(s)) for s in segments)
        times.append(time.perf_counter() - t)
    best = min(times)
    print(
        f"glossary match: {len(glossary.terms)} terms over {len(units)} units ({len(segments)} segments, "
        f"{chars} chars) of {len(posts)} posts: {matches} matches in {best:.3f}s, best of {len(times)} "
        f"({chars / best / 1e6:.1f} M chars/s; loading + compiling the glossary {load_s:.3f}s; "
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
