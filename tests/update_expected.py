"""Regenerate tests/data/expected/*.json from tests/data/posts/*.md. Review the diff before committing."""

import json
from pathlib import Path

from i18n_posts.load import load_post
from i18n_posts.segment import Segmenter

DATA = Path(__file__).parent / "data"


def units_of(path: Path, seg: Segmenter) -> list[dict]:
    post = seg.segment(load_post(path))
    return [
        {
            "id": u.id,
            "kind": u.kind,
            "line": u.line,
            "text": u.text,
            "placeholders": [post.source.text[p.start : p.end] for p in u.placeholders if p.kind != "close"],
        }
        for u in post.units
    ]


if __name__ == "__main__":
    seg = Segmenter()
    for p in sorted((DATA / "posts").glob("*.md")):
        out = DATA / "expected" / f"{p.stem}.json"
        out.write_text(json.dumps(units_of(p, seg), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", out)
