"""Locales: codes parsed with babel, a translator and glossary per target locale, glossary
columns that serve regional codes, and the locale named everywhere it must be."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.cli import app
from i18n_posts.glossary import column, load_glossary
from i18n_posts.locales import COMMON, best_column, parse_locale

from conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "posts" / "xdu-xjtu-os.md"


@pytest.mark.parametrize(
    ("code", "columns", "want"),
    [
        ("zh-CN", ["zh", "en"], "zh"),
        ("zh_CN", ["zh", "en"], "zh"),
        ("zh-Hans", ["zh", "zh-TW"], "zh"),
        ("zh-TW", ["zh", "zh-Hant"], "zh-Hant"),
        ("zh-Hant", ["zh", "zh-TW"], "zh-TW"),
        ("zh-TW", ["zh"], "zh"),
        ("en-US", ["zh", "en"], "en"),
        ("en", ["en-US"], "en-US"),
        ("ja", ["zh", "en"], None),
    ],
)
def test_the_glossary_column_that_serves_a_locale(code, columns, want):
    assert best_column(columns, parse_locale(code)) == want
    assert column(columns, code) == want


def test_locale_codes_are_parsed_with_babel():
    loc = parse_locale("zh-TW")
    assert (loc.language, loc.script, loc.territory) == ("zh", "Hant", "TW")
    assert parse_locale("en-US").name == "English (United States)"
    with pytest.raises(ValueError, match="unknown locale 'xx'"):
        parse_locale("xx")


def test_regional_codes_give_the_same_glossary():
    plain = load_glossary(ROOT / "glossary.yml", "zh", "en")
    regional = load_glossary(ROOT / "glossary.yml", "zh-CN", "en-US")
    assert len(plain.terms) > 150
    assert regional.terms == plain.terms


# -- sync with several locales -----------------------------------------------------------------

RECORDER = """
import json, re, sys
req = json.load(sys.stdin)
with open(sys.argv[1], "a", encoding="utf-8") as log:
    log.write(json.dumps({"target": req["target_locale"], "source": req["source_locale"],
                          "terms": [g["target"] for g in req["glossary"]]}) + "\\n")
tag = req["target_locale"].split("-")[0]
out = []
for u in req["units"]:
    text = u["text"]
    for g in req["glossary"]:
        text = text.replace(g["source"], " " + g["target"] + " ")
    out.append({"id": u["id"], "text": re.sub(r"[\\u3400-\\u9fff]+", " " + tag + " ", text)})
print(json.dumps({"translations": out}))
"""


def _repo(tmp: Path, monkeypatch, config: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
    (tmp / "posts").mkdir()
    shutil.copy(EXAMPLE, tmp / "posts" / "a.md")
    shutil.copy(DATA / "posts" / "inline.md", tmp / "posts" / "b.md")
    shutil.copy(ROOT / "glossary.yml", tmp / "glossary.yml")
    (tmp / "recorder.py").write_text(RECORDER, encoding="utf-8")
    command = f"{sys.executable} {tmp / 'recorder.py'} {tmp / 'log.jsonl'}"
    (tmp / "i18n-posts.toml").write_text(
        config + 'include = ["posts/*.md"]\noutput = "site/{locale}/{stem}{ext}"\nglossary = "glossary.yml"\n'
        f'[backend]\nname = "command"\ncommand = {json.dumps(command)}\n',
        encoding="utf-8",
    )
    return tmp


def _log(tmp: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp / "log.jsonl").read_text(encoding="utf-8").splitlines()]


def test_each_locale_is_requested_written_and_remembered_on_its_own(tmp_path, monkeypatch):
    tmp = _repo(tmp_path, monkeypatch, 'source_locale = "zh"\ntarget_locales = ["en", "ja"]\n')
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 0, r.output
    targets = [e["target"] for e in _log(tmp)]
    assert set(targets) == {"en", "ja"}  # (en has glossary terms, so retries may add en calls)
    for loc in ("en", "ja"):
        out = (tmp / "site" / loc / "b.md").read_text(encoding="utf-8")
        assert f" {loc} " in out and f" {({'en': 'ja', 'ja': 'en'})[loc]} " not in out
        po = (tmp / "locales" / loc / "posts" / "b.po").read_text(encoding="utf-8")
        assert f'"Language: {loc}\\n"' in po and f" {loc} " in po


def test_regional_codes_render_the_glossary_exactly_as_plain_ones(tmp_path, monkeypatch):
    plain = _repo(tmp_path / "plain", monkeypatch, 'source_locale = "zh"\ntarget_locales = ["en"]\n')
    assert CliRunner().invoke(app, ["sync"]).exit_code == 0
    regional = _repo(
        tmp_path / "regional", monkeypatch, 'source_locale = "zh-CN"\ntarget_locales = ["en-US"]\n'
    )
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 0, r.output
    a, b = _log(plain), _log(regional)
    assert sorted(e["terms"] for e in a) == sorted(e["terms"] for e in b)  # posts run concurrently
    assert sum(len(e["terms"]) for e in a) >= 20  # the example post has many PaddlePaddle terms
    assert {e["target"] for e in b} == {"en-US"} and {e["source"] for e in b} == {"zh-CN"}
    for name in ("a.md", "b.md"):
        assert (plain / "site" / "en" / name).read_bytes() == (
            regional / "site" / "en-US" / name
        ).read_bytes()
    po = (regional / "locales" / "en-US" / "posts" / "a.po").read_text(encoding="utf-8")
    assert '"Language: en_US\\n"' in po


def test_an_unknown_locale_is_a_config_error_naming_the_key(tmp_path, monkeypatch):
    _repo(tmp_path, monkeypatch, 'target_locales = ["en", "xx"]\n')
    r = CliRunner().invoke(app, ["sync"])
    assert r.exit_code == 2
    assert "i18n-posts.toml:1: target_locales: unknown locale 'xx'" in r.output
    assert not (tmp_path / "site").exists()


def test_translate_refuses_an_unknown_locale(tmp_path):
    shutil.copy(DATA / "posts" / "inline.md", tmp_path / "b.md")
    r = CliRunner().invoke(app, ["translate", str(tmp_path / "b.md"), "--to", "qq", "--backend", "pseudo"])
    assert r.exit_code == 2 and "--to: unknown locale 'qq'" in r.output


@pytest.mark.parametrize("code", sorted(COMMON))
def test_common_codes_are_parsed_as_babel_parses_them(code):
    from babel.core import Locale as BabelLocale

    loc = BabelLocale.parse(code.replace("-", "_"))
    assert COMMON[code] == (loc.language, loc.script, loc.territory)
    assert parse_locale(code).name == (loc.get_display_name("en") or code)
