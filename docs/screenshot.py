"""Take docs/review.png: the review page of the example post, served from a throwaway copy of
this repository, with a unit open in the editor and a tag deleted (the check says so).

    .venv/bin/python docs/screenshot.py        (needs /usr/bin/chromium and playwright)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        for name in ("i18n-posts.toml", "glossary.yml"):
            shutil.copyfile(ROOT / name, repo / name)
        shutil.copytree(ROOT / "examples" / "posts", repo / "examples" / "posts")
        shutil.copytree(ROOT / "locales" / "en", repo / "locales" / "en")
        (repo / ".git").mkdir()
        cli = Path(sys.executable).parent / "i18n-posts"
        subprocess.run([cli, "sync"], cwd=repo, check=True, capture_output=True)
        proc = subprocess.Popen([cli, "review", "--serve"], cwd=repo, stdout=subprocess.PIPE, text=True)
        try:
            url = re.search(r"http://\S+", proc.stdout.readline()).group(0)  # type: ignore[union-attr]
            base, token = url.split("/?token=")
            with sync_playwright() as p:
                profile = Path(tmp) / "profile"
                ctx = p.chromium.launch_persistent_context(
                    str(profile), executable_path="/usr/bin/chromium", headless=True, args=FLAGS,
                    viewport={"width": 1360, "height": 1000}, device_scale_factor=1,
                )  # fmt: skip
                page = ctx.new_page()
                page.goto(f"{base}/post?path=examples/posts/xdu-xjtu-os.md&locale=en&token={token}")
                row = page.locator('article.unit[data-kind="paragraph"]', has=page.locator(".src .img")).first
                row.scroll_into_view_if_needed()
                row.locator("button.edit").click()
                area = row.locator("textarea")
                area.fill(area.input_value().replace("</g1>", "", 1))
                expect(row.locator(".live-issues")).to_contain_text("placeholders lost")
                row.locator(".live-issues").scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, 220)")
                page.screenshot(path=str(ROOT / "docs" / "review.png"))
                ctx.close()
        finally:
            proc.terminate()
            proc.communicate()


if __name__ == "__main__":
    main()
