"""What a localized copy needs beyond translated prose to build in its site (issue 9): relative
module specifiers of `<script setup>` re-pointed like links, front matter set for the locale,
identifier keys never translated, list values of configured keys translated item by item."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
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
    for f in (".vitepress/components/Message.vue", "styles/post.css", "posts/Lazy.vue"):
        (tmp_path / "src" / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / f).write_text("", encoding="utf-8")
    out = translate(tmp_path, POST, "--backend", "pseudo")
    assert "import Message from '../../.vitepress/components/Message.vue'" in out
    assert "import '../../styles/post.css'" in out
    assert "import('../../posts/Lazy.vue')" in out
    assert "import { ref } from 'vue'" in out  # a package name means the same everywhere
    assert "// import Old from '../old.vue'" in out  # comments and strings are left alone
    assert "\"import x from '../not-a-specifier.js'\"" in out
    assert '<Message src="../../images/a.png" />' in out


def test_an_import_that_names_no_file_beside_the_source_is_left_as_it_is(tmp_path: Path) -> None:
    # (a bundler may resolve it through an alias or an extension we cannot see)
    out = translate(tmp_path, POST, "--backend", "pseudo")
    assert "import Message from '../.vitepress/components/Message.vue'" in out
    assert '<Message src="../../images/a.png" />' in out  # links and images are re-pointed still


def test_identity_keeps_the_script_byte_for_byte_in_the_same_folder(tmp_path: Path) -> None:
    src = tmp_path / "p.md"
    src.write_text(POST, encoding="utf-8")
    res = CliRunner().invoke(app, ["translate", str(src), "--to", "en", "--backend", "identity"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.en.md").read_bytes() == POST.encode()


FM_POST = """\
---
title: 开源之夏
lang: zh-CN
slug: kai-yuan
tags: [开源, 飞桨]
keywords:
  - 社区
  - 'Paddle 社区'
---

正文。
"""


HAN_TO_LATIN = """\
import json, re, sys
req = json.load(sys.stdin)
out = [{"id": u["id"], "text": re.sub("[\\u4e00-\\u9fff]+", "Han", u["text"]).replace("。", ".")}
       for u in req["units"]]
json.dump({"translations": out}, sys.stdout)
"""


def translator(tmp_path: Path) -> list[str]:
    """A command backend that translates: every run of Han characters becomes `Han`."""
    cmd = tmp_path / "han.py"
    cmd.write_text(HAN_TO_LATIN, encoding="utf-8")
    return ["--backend", "command", "--backend-option", f"command={sys.executable} {cmd}"] + [
        "--backend-option",
        "check_translated=on",
    ]


def test_lang_is_set_to_the_target_locale_by_a_translating_backend(tmp_path: Path) -> None:
    out = translate(tmp_path, FM_POST, *translator(tmp_path))
    assert "\nlang: en\n" in out
    assert "\nslug: kai-yuan\n" in out


def test_pseudo_and_identity_keep_lang(tmp_path: Path) -> None:
    out = translate(tmp_path, FM_POST, "--backend", "pseudo")
    assert "\nlang: zh-CN\n" in out


def test_list_values_are_translated_item_by_item_with_valid_yaml() -> None:
    import yaml

    from i18n_posts.assemble import assemble
    from i18n_posts.load import parse_post
    from i18n_posts.segment import Segmenter, SegmentOptions

    seg = Segmenter(SegmentOptions(front_matter_keys=("title", "tags", "keywords")))
    post = seg.segment(parse_post(Path("p.md"), FM_POST.encode()))
    items = [u.text for u in post.units if u.kind == "front_matter"]
    assert items == ["开源之夏", "开源", "飞桨", "社区", "Paddle 社区"]
    english = {
        "开源之夏": "Summer: of Code",
        "开源": "open source, free",
        "飞桨": "[Paddle]",
        "社区": "community",
    }
    done = {u.id: english.get(u.text, "Paddle's community") for u in post.units if u.kind == "front_matter"}
    out = assemble(post, done, fields=seg.options.field_values("en-US"))
    meta = yaml.safe_load(out.split("---\n")[1])
    assert meta["title"] == "Summer: of Code"
    assert meta["tags"] == ["open source, free", "[Paddle]"]  # quoted where a flow list needs it
    assert meta["keywords"] == ["community", "Paddle's community"]
    assert meta["lang"] == "en-US" and meta["slug"] == "kai-yuan"


def test_an_identifier_key_listed_for_translation_is_a_config_error(tmp_path: Path) -> None:
    from i18n_posts.config import load_config
    from i18n_posts.errors import ConfigError

    cfg = tmp_path / "i18n-posts.toml"
    cfg.write_text('front_matter_keys = ["title", "slug"]\n', encoding="utf-8")
    try:
        load_config(cfg)
    except ConfigError as exc:
        assert "'slug' holds an identifier" in str(exc) and "'!slug'" in str(exc)
    else:
        raise AssertionError("slug was accepted")
    cfg.write_text('front_matter_keys = ["title", "!slug"]\n', encoding="utf-8")
    from i18n_posts.repo import segment_options

    assert "!slug" in segment_options(load_config(cfg)).front_matter_keys


def test_sync_sets_lang_and_a_hand_edit_of_such_a_copy_still_aligns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "blog"
    (root / "src" / "posts").mkdir(parents=True)
    (root / "src" / "posts" / "p.md").write_text(FM_POST, encoding="utf-8")
    (root / "i18n-posts.toml").write_text(
        'target_locales = ["en-US"]\ninclude = ["src/posts/*.md"]\n'
        'output = "src/{locale}/posts/{stem}{ext}"\n[backend]\nname = "pseudo"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sync = lambda *a: CliRunner().invoke(app, ["sync", *a])  # noqa: E731
    assert sync().exit_code == 0
    out = root / "src" / "en-US" / "posts" / "p.md"
    text = out.read_text(encoding="utf-8")
    assert "\nlang: en-US\n" in text
    out.write_text(text.replace("nepo.", "A human sentence."), encoding="utf-8")
    res = sync()
    assert res.exit_code == 0, res.output
    po = (root / "locales" / "en-US" / "src" / "posts" / "p.po").read_text(encoding="utf-8")
    assert 'msgstr "A human sentence."' in po
    assert sync("--check").exit_code == 0


def test_translate_run_twice_does_not_translate_its_own_outputs(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("正文。\n", encoding="utf-8")
    (posts / "b.v2.md").write_text("正文。\n", encoding="utf-8")
    for _ in range(2):
        files = sorted(str(p) for p in posts.glob("*.md"))
        res = CliRunner().invoke(app, ["translate", *files, "--to", "en", "--backend", "pseudo"])
        assert res.exit_code == 0, res.output
    assert sorted(p.name for p in posts.iterdir()) == ["a.en.md", "a.md", "b.v2.en.md", "b.v2.md"]
    assert f"note: skipped {posts / 'a.en.md'}: it is the translation of {posts / 'a.md'}" in res.stderr


def test_an_output_of_the_configured_repository_is_not_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src" / "posts").mkdir(parents=True)
    (tmp_path / "src" / "en" / "posts").mkdir(parents=True)
    (tmp_path / "src" / "posts" / "p.md").write_text("正文。\n", encoding="utf-8")
    (tmp_path / "src" / "en" / "posts" / "p.md").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "i18n-posts.toml").write_text(
        'include = ["src/posts/*.md"]\noutput = "src/{locale}/posts/{stem}{ext}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["translate", "src/en/posts/p.md", "--to", "en", "--backend", "pseudo"])
    assert res.exit_code == 0, res.output
    assert "it is the translation of src/posts/p.md (configured in i18n-posts.toml)" in res.stderr
    assert not (tmp_path / "src" / "en" / "posts" / "p.en.md").exists()
