"""The style guide in the openai backend's prompt: ours by default, the repository's when given,
after our rules; part of the config digest."""

from __future__ import annotations

import json

import pytest

from i18n_posts.backends import BatchRequest, GlossaryHint, RequestUnit
from i18n_posts.backends._prompt import DEFAULT_STYLE
from i18n_posts.backends.openai import OpenAIBackend
from i18n_posts.config import load_config
from i18n_posts.errors import UsageError
from i18n_posts.repo import config_digest

REQ = BatchRequest(
    (RequestUnit("u1", "飞桨很好"),), "zh", "en", (GlossaryHint("飞桨", "PaddlePaddle", "the brand"),)
)


def system(**options: str) -> str:
    b = OpenAIBackend({"base_url": "http://127.0.0.1:9/v1", "model": "m", **options})
    return json.loads(json.dumps(b.build(REQ).json))["messages"][0]["content"]


def test_default_style_none_and_a_style_of_ones_own():
    text = system()
    assert DEFAULT_STYLE.split(":")[0] in text and "飞桨 = PaddlePaddle -- the brand" in text
    assert "Style:" not in system(style="none")
    own = system(style="Use British spelling.")
    assert own.endswith("Use British spelling.") and "Style:" not in own
    assert own.index("<xN/>") < own.index("British")  # our rules first


def test_prompt_file(tmp_path):
    guide = tmp_path / "style.md"
    guide.write_text("Write for beginners.\n", encoding="utf-8")
    assert system(prompt_file=str(guide)).endswith("Write for beginners.")
    with pytest.raises(UsageError, match="missing.md"):
        system(prompt_file=str(tmp_path / "missing.md"))


def test_style_is_in_the_config_digest(tmp_path):
    base = 'source_locale = "zh"\ntarget_locales = ["en"]\ninclude = ["*.md"]\n[backend]\nname = "openai"\n'
    (tmp_path / "a.md").write_text("# 标题\n", encoding="utf-8")
    cfg = tmp_path / "i18n-posts.toml"
    digests = set()
    for extra in (
        "",
        'style = "British spelling."\n',
        'style = "American spelling."\n',
        'prompt_file = "s.md"\n',
    ):
        cfg.write_text(base + extra, encoding="utf-8")
        (tmp_path / "s.md").write_text("guide", encoding="utf-8")
        digests.add(config_digest(load_config(cfg)))
    (tmp_path / "s.md").write_text("another guide", encoding="utf-8")
    digests.add(config_digest(load_config(cfg)))
    assert len(digests) == 5


def test_guidance_goes_to_the_model_and_notes_do_not(tmp_path, segmenter):
    from pathlib import Path

    from i18n_posts.backends.offline import PseudoBackend
    from i18n_posts.glossary import load_glossary
    from i18n_posts.load import parse_post
    from i18n_posts.translate import Translator

    g = tmp_path / "g.yml"
    term = (
        "  - zh: 飞桨\n    en: PaddlePaddle\n    note: 'proposed: GitHub @someone'\n    guidance: the brand\n"
    )
    g.write_text("terms:\n" + term, encoding="utf-8")
    glossary = load_glossary(g, "zh", "en")
    post = segmenter.segment(parse_post(Path("p.md"), "飞桨很好。\n".encode()))
    (request,) = Translator.of(PseudoBackend({}), glossary).plan(post)
    assert [(h.source, h.note) for h in request.glossary] == [("飞桨", "the brand")]


def test_a_new_style_translates_again_only_on_request_and_keeps_reviews(tmp_path, service, monkeypatch):
    import re

    from typer.testing import CliRunner

    from i18n_posts.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "a.md").write_text("# 标题\n\n第一段话。\n\n第二段话。\n", encoding="utf-8")
    config = (
        'include = ["a.md"]\noutput = "{locale}/{stem}{ext}"\n[backend]\nname = "openai"\n'
        f'base_url = "{service.base_url}"\nmodel = "any"\napi_key_env = "FAKE_KEY"\n'
    )
    (tmp_path / "i18n-posts.toml").write_text(config, encoding="utf-8")

    def sync(*args: str) -> list[str]:
        """The unit texts sent by `sync ARGS`."""
        before = len(service.requests)
        r = CliRunner().invoke(app, ["sync", *args])
        assert r.exit_code == 0, r.output
        sent = []
        for req in service.requests[before:]:
            sent += re.findall(r'"text": ?"([^"]*)"', req["json"]["messages"][-1]["content"])
        return sent

    assert sorted(sync()) == ["标题", "第一段话。", "第二段话。"]
    po = tmp_path / "locales" / "en" / "a.po"
    text = po.read_text(encoding="utf-8")
    # a person rewrites the first paragraph's translation in the PO file
    text = re.sub(r'(msgid "第一段话。"\nmsgstr )"[^"]*"', r'\1"A first paragraph, by hand."', text)
    po.write_text(text, encoding="utf-8")
    (tmp_path / "i18n-posts.toml").write_text(config + 'style = "British spelling."\n', encoding="utf-8")
    assert sync() == []  # a new style alone pays for nothing
    assert sorted(sync("--force-style")) == ["标题", "第二段话。"]  # not the reviewed paragraph
    text = po.read_text(encoding="utf-8")
    assert "A first paragraph, by hand." in text
    assert len(re.findall(r"# machine: openai/any style=[0-9a-f]{8} #[0-9a-f]{8}\n", text)) == 2
    assert sync("--force-style") == []  # made under this style already
    again = CliRunner().invoke(app, ["sync", "--force-style", "--json"])
    assert [p["status"] for p in json.loads(again.stdout)["posts"]] == ["unchanged"]  # not "changed"
