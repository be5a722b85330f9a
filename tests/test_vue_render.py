"""Escaping holds in the renderer, not only in our own reading: the outputs are rendered as
VitePress renders them (markdown-it with HTML, then the page compiled as a Vue template and
rendered on the server), and translations holding `{{ 7*7 }}`, `{{ constructor }}` and
`<script>` show literally.

Needs Node.js and the npm packages `vue` and `@vue/server-renderer`: `.ci/run` installs them
into `.ci/cache/node/node_modules` and points `I18N_POSTS_NODE_MODULES` there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from i18n_posts.cli import app

HERE = Path(__file__).resolve().parent
MODULES = Path(
    os.environ.get("I18N_POSTS_NODE_MODULES", HERE.parent / ".ci" / "cache" / "node" / "node_modules")
)

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "vue").is_dir(),
    reason=f"Vue is not installed (npm install vue @vue/server-renderer into {MODULES.parent}; .ci/run does)",
)

POST = """\
---
title: 标题
---

# 第一节标题

正文里有[一个链接](https://example.com)和`代码`。

<p>HTML 块里的文字</p>

| 甲 | 乙 |
| - | - |
| 丙 | 丁 |

- 列表项
"""

HOSTILE = ["{{ 7*7 }}", "{{ constructor }}", "<script>alert('x')</script>{{ 7*7 }}", "a {{{ 7*7 }}} b"]


def _render(html: str) -> str:
    env = dict(os.environ, NODE_PATH=str(MODULES))
    out = subprocess.run(
        ["node", str(HERE / "vue_render.mjs")],
        input=html,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return out.stdout


def test_the_vue_renderer_is_the_real_one():
    assert "49" in _render("<p>{{ 7*7 }}</p>")  # the check below can fail


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_translations_show_literally(tmp_path: Path, answer: str) -> None:
    (tmp_path / "p.md").write_text(POST, encoding="utf-8")
    prog = tmp_path / "hostile.py"
    prog.write_text(
        "import json, re, sys\nreq = json.load(sys.stdin)\n"
        f"say = {answer!r}\n"
        "out = [{'id': u['id'], 'text': ' '.join(re.findall(r'</?[xg]\\d+/?>', u['text'])[:1]) + say + "
        "''.join(re.findall(r'</?[xg]\\d+/?>', u['text'])[1:])} for u in req['units']]\n"
        "print(json.dumps({'translations': out}))\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(
        app,
        ["translate", str(tmp_path / "p.md"), "--to", "en", "--backend", "command",
         "--backend-option", f"command={sys.executable} {prog}"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    text = (tmp_path / "p.en.md").read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    rendered = _render(html)
    assert "49" not in rendered and "[object" not in rendered and "function" not in rendered, rendered
    word = "7*7" if "7*7" in answer else "constructor"
    shown = body.count(word) + (body.count("7\\*7") if word == "7*7" else 0)  # (Markdown escapes `*`)
    assert rendered.count(word) == shown > 0  # every one shown, as text
    assert "<script" not in rendered  # never an element
    visible = rendered.replace("<span>", "").replace("</span>", "")
    assert visible.count("{{") >= body.count("<span v-pre>{{") > 0, rendered
    json.dumps(rendered)  # plain text, no stray control characters
