"""Budgets and costs (issue 9): sync stops before a budget and keeps what it finished; dry runs
show calls, tokens and money without a key; prices come from the config or a preset's list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.backends.prices import DEFAULTS, LOCAL, Estimate, split_price
from i18n_posts.cli import app
from i18n_posts.errors import UsageError

DATA = Path(__file__).parent / "data" / "corpus"
POSTS = sorted(DATA.glob("*.md"))[:4]


def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, **keys: str) -> Path:
    root = tmp_path / "blog"
    (root / "src" / "posts").mkdir(parents=True)
    for p in POSTS:
        shutil.copyfile(p, root / "src" / "posts" / p.name)
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    (root / "i18n-posts.toml").write_text(
        f'include = ["src/posts/*.md"]\noutput = "src/{{locale}}/posts/{{stem}}{{ext}}"\nconcurrency = 1\n'
        f"{extra}[backend]\n{backend}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for var in ("DEEPSEEK_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return root


def sync(*args: str):
    return CliRunner().invoke(app, ["sync", *args])


def test_sync_dry_run_with_openai_needs_no_key_and_shows_calls_tokens_and_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = blog(tmp_path, monkeypatch, 'name = "openai"\npreset = "deepseek"')
    res = sync("--dry-run")
    assert res.exit_code == 0, res.output
    summary = res.output.strip().splitlines()[-1]
    assert "would take " in summary and "USD (DeepSeek list price of deepseek-chat, 2025-02-08)" in summary
    report = json.loads(sync("--dry-run", "--json").stdout)
    posts, totals = report["posts"], report["totals"]
    assert len(posts) == len(POSTS) and all(p["calls"] >= 1 and p["tokens"] > 0 for p in posts)
    assert totals["calls"] == sum(p["calls"] for p in posts)
    assert totals["tokens_estimated"] == sum(p["tokens"] for p in posts)
    assert totals["currency"] == "USD" and 0 < totals["cost"] < 1
    assert f"would take {totals['calls']} calls, about {totals['tokens_estimated']:,} tokens" in summary
    assert not (root / "src" / "en").exists() and not (root / "locales").exists()


def test_a_configured_price_gives_the_cost_and_an_unknown_one_says_how_to_give_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blog(tmp_path, monkeypatch, 'name = "openai"\npreset = "qwen"\nprice_input_per_mtok = 1000000\n')
    res = sync("--dry-run")
    assert res.exit_code == 0, res.output
    assert "USD (the configuration)" in res.output
    (Path.cwd() / "i18n-posts.toml").write_text(
        'include = ["src/posts/*.md"]\n[backend]\nname = "openai"\npreset = "qwen"\n', encoding="utf-8"
    )
    res = sync("--dry-run")
    assert "no price known: set price_input_per_mtok" in res.output


def test_sync_max_chars_stops_before_the_budget_and_keeps_the_finished_posts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = blog(tmp_path, monkeypatch, 'name = "pseudo"')
    dry = json.loads(sync("--dry-run", "--json").stdout)
    per_post = [p["chars"] for p in dry["posts"]]
    budget = per_post[0] + per_post[1] // 2  # room for the first post, not the second

    res = sync("--max-chars", str(budget))

    assert res.exit_code == 1
    assert f"stopped: the next request would pass --max-chars {budget}" in res.output
    assert f"1 of {len(POSTS)} posts up to date" in res.output
    outs = sorted(p.name for p in (root / "src" / "en" / "posts").iterdir())
    assert outs == [POSTS[0].name]
    assert (root / "locales" / "en" / "src" / "posts" / (POSTS[0].stem + ".po")).is_file()
    again = sync()  # no budget: it goes on from there, and the finished post is not sent again
    assert again.exit_code == 0, again.output
    assert f"{len(POSTS) - 1} new, 1 unchanged" in again.output


def test_config_budget_applies_and_the_flag_overrides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blog(tmp_path, monkeypatch, 'name = "pseudo"', max_tokens="10")
    res = sync()
    assert res.exit_code == 1 and "would pass --max-tokens 10" in res.output
    res = sync("--max-tokens", "100000000")
    assert res.exit_code == 0, res.output


def test_translate_dry_run_with_openai_needs_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    res = CliRunner().invoke(
        app, ["translate", str(POSTS[0]), "--to", "en", "--backend", "openai", "--dry-run"]
    )
    assert res.exit_code == 0, res.output
    assert "estimated cost: " in res.output and "USD (OpenAI list price of gpt-4o-mini" in res.output
    assert not (DATA / (POSTS[0].stem + ".en.md")).exists()


def test_split_price() -> None:
    own, price = split_price("openai", {"preset": "deepseek", "model": "m", "price_output_per_mtok": "2"})
    assert own == {"preset": "deepseek", "model": "m"}
    assert price is not None and (price.input_per_mtok, price.output_per_mtok) == (0.0, 2.0)
    assert split_price("openai", {"base_url": "http://127.0.0.1:8080/v1"})[1] == LOCAL
    assert split_price("openai", {"base_url": "https://example.com/v1"})[1] is None
    assert split_price("deepl", {})[1] == DEFAULTS["deepl"]
    with pytest.raises(UsageError, match="cannot be negative"):
        split_price("openai", {"price_input_per_mtok": "-1"})
    with pytest.raises(UsageError, match="must be a number"):
        split_price("openai", {"price_input_per_mtok": "cheap"})
    assert Estimate(1, 1_000_000, 500_000, 0).cost(DEFAULTS["openai/openai"]) == pytest.approx(0.15 + 0.30)
