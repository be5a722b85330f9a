"""What a localized copy needs beyond translated prose to build in its site (issue 9): relative
module specifiers of `<script setup>` re-pointed like links, front matter set for the locale,
identifier keys never translated, list values of configured keys translated item by item."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from i18n_posts.cli import app

POST = """\
---
title: 你好
lang: zh-CN
---

<script setup>
import Message from '../.vitepress/components/Message.vue'
import { ref } from 'vue'
import '../styles/post.css'
// import Old from '../old.vue' is a comment, not an import
const Lazy = () => import('./Lazy.vue')
const text = "import x from '../not-a-specifier.js'"
</script>

正文。

<Message src="../images/a.png" />
"""


def translate(tmp_path: Path, text: str, *args: str) -> str:
    src = tmp_path / "src" / "posts" / "p.md"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "src" / "en" / "posts" / "p.md"
    res = CliRunner().invoke(
        app, ["translate", str(src), "--to", "en", "--output", str(out.parent / "{name}"), *args]
    )
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


def test_relative_imports_of_script_setup_follow_the_copy(tmp_path: Path) -> None:
    out = translate(tmp_path, POST, "--backend", "pseudo")
    assert "import Message from '../../.vitepress/components/Message.vue'" in out
    assert "import '../../styles/post.css'" in out
    assert "import('../../posts/Lazy.vue')" in out
    assert "import { ref } from 'vue'" in out  # a package name means the same everywhere
    assert "// import Old from '../old.vue'" in out  # comments and strings are left alone
    assert "\"import x from '../not-a-specifier.js'\"" in out
    assert '<Message src="../../images/a.png" />' in out


def test_identity_keeps_the_script_byte_for_byte_in_the_same_folder(tmp_path: Path) -> None:
    src = tmp_path / "p.md"
    src.write_text(POST, encoding="utf-8")
    res = CliRunner().invoke(app, ["translate", str(src), "--to", "en", "--backend", "identity"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.en.md").read_bytes() == POST.encode()
