"""Review: a bilingual page per post (source and translation side by side, rendered, with
the glossary, the checks and each unit's state) and a local server where a reviewer edits
translations in place; saved edits become reviewed entries of the memory and the output is
rebuilt as sync rebuilds it.

    collect.py  a post's units, translations and states, by sync's rules
    render.py   a unit as it will look (assembly, then markdown-it-py), through an allowlist
    page.py     the HTML pages (self-contained: style and script inline, a strict CSP)
    report.py   the static report: a page per post and locale, and an index
    save.py     one edit into the memory (reviewed), the post synced (nothing sent)
    server.py   `review --serve`: 127.0.0.1, a session token, the pages and the save API
"""

from __future__ import annotations

from .collect import PostReview, UnitReview, collect_post, review_context
from .report import Report, select, write_report

__all__ = ["PostReview", "Report", "UnitReview", "collect_post", "review_context", "select", "write_report"]
