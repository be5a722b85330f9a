"""Help that teaches: an example under every command, the environment variable of every
preset, the config's table name intact, and shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts.backends.openai import PRESETS
from i18n_posts.cli import app

SCRIPT = Path(sys.executable).parent / "i18n-posts"
COMMANDS = [
    ["translate"], ["sync"], ["status"], ["segments"],
    ["glossary", "lint"], ["glossary", "extract"], ["glossary", "report"],
]  # fmt: skip


def help_of(*command: str) -> str:
    r = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_shows_an_example(command: list[str]) -> None:
    text = help_of(*command)
    assert "Example" in text and f"i18n-posts {' '.join(command)} " in text


def test_translate_help_names_the_variable_every_preset_reads() -> None:
    text = " ".join(help_of("translate").split())  # (however the help is wrapped)
    for preset, (_, _, key) in PRESETS.items():
        assert (f"{preset} {key}" if key else f"{preset} (no key)") in text, preset
    assert "deepl DEEPL_AUTH_KEY" in text and "NO_COLOR" in text


def test_the_config_table_name_survives_rich_markup() -> None:
    for command in ("sync", "status"):
        assert "[tool.i18n-posts] in pyproject.toml" in help_of(command)


def test_completion_is_offered_and_completes_commands_and_options() -> None:
    assert "--install-completion" in help_of() and "--show-completion" in help_of()
    shown = subprocess.run([SCRIPT, "--show-completion", "bash"], capture_output=True, text=True)
    assert shown.returncode == 0 and "_i18n_posts_completion" in shown.stdout
    env = {**os.environ, "_I18N_POSTS_COMPLETE": "complete_bash"}
    for words, cword, expected in (
        ("i18n-posts st", "1", "status"),
        ("i18n-posts sync --ch", "2", "--check"),
    ):
        proc = subprocess.run(
            [SCRIPT], env={**env, "COMP_WORDS": words, "COMP_CWORD": cword}, capture_output=True, text=True
        )
        assert proc.stdout.split() == [expected], proc.stdout + proc.stderr
