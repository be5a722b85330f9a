"""The `i18n-posts` command, run for real in a throwaway blog folder.

Most tests call the Typer app in-process (`CliRunner`); a few run the installed console
script in a subprocess, as a user would. The `command` backend is exercised with
tests/data/backends/fake_backend.py (modes: echo, suffix, fail, badjson, drop, rotate).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from i18n_posts import __version__
from i18n_posts.cli import app
from i18n_posts.load import load_post
from i18n_posts.model import TAG
from i18n_posts.segment import segment

DATA = Path(__file__).parent / "data"
POSTS = DATA / "posts"
FAKE_BACKEND = DATA / "backends" / "fake_backend.py"
SCRIPT = Path(sys.executable).parent / "i18n-posts"
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

PLAIN_POST = "---\ntitle: 纯文本\n---\n\n第一段，没有任何标记。\n\n第二段，也没有。\n"


# -- fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """A blog folder: posts/ with the fixture posts, a CRLF+BOM post, an empty post and a
    plain (markup-free) post."""
    root = tmp_path / "blog"
    posts = root / "posts"
    posts.mkdir(parents=True)
    for p in POSTS.glob("*.md"):
        shutil.copyfile(p, posts / p.name)
    (posts / "crlf-bom.md").write_bytes(b"\xef\xbb\xbf" + (POSTS / "crlf.md").read_bytes())
    (posts / "empty.md").write_bytes(b"")
    (posts / "plain.md").write_bytes(PLAIN_POST.encode())
    return root


def run(*args: str | Path) -> tuple[int, str, str]:
    """Run the app in-process; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a subprocess."""
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}"
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def backend(mode: str, log: Path | None = None) -> list[str]:
    """Options for the command backend running the fake program in `mode`."""
    argv = [sys.executable, str(FAKE_BACKEND), mode] + ([str(log)] if log else [])
    return ["--backend", "command", "--backend-option", "command=" + shlex.join(argv)]


def translated(src: Path, locale: str = "en") -> Path:
    return src.with_name(f"{src.stem}.{locale}{src.suffix}")


def outputs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.en.md"))


def stray_temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".*.tmp"))


def no_traceback(*texts: str) -> None:
    for t in texts:
        assert "Traceback" not in t, t


# -- identity ---------------------------------------------------------------------------------------


def test_identity_output_is_byte_identical_for_every_fixture_post(blog: Path) -> None:
    posts = sorted((blog / "posts").glob("*.md"))
    code, _, err = run("translate", *posts, "--to", "en", "--backend", "identity")
    assert code == 0, err
    for p in posts:
        out = translated(p)
        assert out.read_bytes() == p.read_bytes(), p.name
    assert stray_temporaries(blog) == []


def test_identity_keeps_crlf_and_bom_via_console_script(blog: Path) -> None:
    src = blog / "posts" / "crlf-bom.md"
    data = src.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the fixture is what it claims
    proc = run_script("translate", src, "--to", "en", "--backend", "identity")
    assert proc.returncode == 0, proc.stderr
    assert translated(src).read_bytes() == data
    no_traceback(proc.stdout, proc.stderr)


def test_empty_file_round_trips(blog: Path) -> None:
    src = blog / "posts" / "empty.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "identity")
    assert code == 0, err
    assert translated(src).exists()
    assert translated(src).read_bytes() == b""


def test_written_file_has_normal_permissions(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo")
    assert code == 0, err
    umask = os.umask(0o022)
    os.umask(umask)
    mode = translated(src).stat().st_mode & 0o777
    assert mode != 0o600
    assert mode == 0o666 & ~umask
    assert stray_temporaries(blog) == []


# -- pseudo ---------------------------------------------------------------------------------------


def test_pseudo_translates_prose_and_keeps_code_and_urls(blog: Path) -> None:
    posts = sorted(p for p in (blog / "posts").glob("*.md") if p.name != "empty.md")
    code, _, err = run("translate", *posts, "--to", "en", "--backend", "pseudo")
    assert code == 0, err
    kept = 0
    for p in posts:
        source = segment(load_post(p))
        out_path = translated(p)
        out = out_path.read_text(encoding="utf-8")
        if source.units:
            assert out != source.source.text, p.name
        # no Han character is left in any translatable text of the output
        for u in segment(load_post(out_path)).units:
            assert not HAN.search(TAG.sub("", u.text)), f"{p.name} {u.id}: {u.text!r}"
        # code, URLs and math are copied as they were (Han characters included)
        for u in source.units:
            for ph in u.placeholders:
                if ph.label in ("code", "url", "math"):
                    raw = source.source.text[ph.start : ph.end]
                    assert raw in out, f"{p.name}: {raw!r} lost"
                    kept += 1
    assert kept > 10  # the fixtures do have code spans and URLs
    inline = translated(blog / "posts" / "inline.md").read_text(encoding="utf-8")
    assert "`python -c \"import paddle; print('安装成功')\"`" in inline
    assert "https://github.com/PaddlePaddle/Paddle" in inline


def test_pseudo_keeps_fenced_code_untouched(blog: Path) -> None:
    src = blog / "posts" / "code.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo")
    assert code == 0, err
    out = translated(src).read_text(encoding="utf-8")
    kept = ["# 计算两个张量的和", 'VLOG(3) << "进入前向计算";', "    python train.py --配置 config.yaml"]
    for line in kept:
        assert line in out
    assert "下面演示几种常见的代码块写法" not in out


# -- output templates ---------------------------------------------------------------------------------


def test_output_template_into_a_sibling_folder(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, _, err = run(
        "translate", src, "--to", "en", "--backend", "identity", "--output", "{dir}/../{locale}/{stem}{ext}"
    )
    assert code == 0, err
    out = blog / "en" / "inline.md"
    assert out.read_bytes() == src.read_bytes()
    assert outputs(blog) == []  # nothing written next to the source


def test_output_template_with_name_placeholder(blog: Path) -> None:
    src = blog / "posts" / "tables.md"
    code, _, err = run(
        "translate", src, "--to", "en", "--backend", "identity", "--output", "{dir}/../i18n/{locale}/{name}"
    )
    assert code == 0, err
    assert (blog / "i18n" / "en" / "tables.md").read_bytes() == src.read_bytes()


def test_bad_output_template_is_a_usage_error(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "identity", "--output", "{dir}/{nope}.md")
    assert code == 2
    assert "--output" in err
    assert outputs(blog) == []


def test_output_equal_to_source_leaves_the_source_unchanged(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    before = src.read_bytes()
    listing = sorted(p.name for p in (blog / "posts").iterdir())
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo", "--output", "{dir}/{name}")
    assert code != 0
    assert "source" in err
    assert src.read_bytes() == before
    assert sorted(p.name for p in (blog / "posts").iterdir()) == listing


def test_output_equal_to_source_is_a_usage_error(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo", "--output", "{dir}/{name}")
    assert code == 2
    assert err.count(str(src)) == 1


# -- bad inputs -----------------------------------------------------------------------------------------


@pytest.fixture
def bad_posts(blog: Path) -> dict[str, Path]:
    posts = blog / "posts"
    files = {
        "binary": posts / "binary.md",
        "utf8": posts / "latin1.md",
        "yaml": posts / "bad-yaml.md",
    }
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    files["utf8"].write_bytes("---\ntitle: café\n---\n\nun résumé\n".encode("latin-1"))
    files["yaml"].write_text("---\ntitle: [未闭合\ndescription: x\n---\n\n正文。\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("kind", ["binary", "utf8", "yaml"])
def test_a_bad_input_fails_alone(blog: Path, bad_posts: dict[str, Path], kind: str) -> None:
    bad = bad_posts[kind]
    good = blog / "posts" / "inline.md"
    code, out, err = run("translate", bad, good, "--to", "en", "--backend", "pseudo")
    assert code == 1
    no_traceback(out, err)
    lines = [ln for ln in err.splitlines() if str(bad) in ln]
    assert len(lines) == 1, err
    assert lines[0].startswith("error:")
    assert not translated(bad).exists()
    assert translated(good).exists()
    assert stray_temporaries(blog) == []


def test_bad_inputs_via_console_script(blog: Path, bad_posts: dict[str, Path]) -> None:
    good = blog / "posts" / "lists.md"
    proc = run_script("translate", *bad_posts.values(), good, "--to", "en", "--backend", "identity")
    assert proc.returncode == 1
    no_traceback(proc.stdout, proc.stderr)
    for bad in bad_posts.values():
        assert sum(str(bad) in ln for ln in proc.stderr.splitlines()) == 1, proc.stderr
        assert not translated(bad).exists()
    assert "binary" in proc.stderr and "UTF-8" in proc.stderr and "YAML" in proc.stderr
    assert translated(good).read_bytes() == good.read_bytes()
    assert stray_temporaries(blog) == []


def test_missing_input_file_fails_without_traceback(blog: Path) -> None:
    missing = blog / "posts" / "missing.md"
    code, out, err = run("translate", missing, "--to", "en", "--backend", "identity")
    assert code == 1
    no_traceback(out, err)
    assert str(missing) in err


def test_write_error_leaves_no_temporary_file(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    translated(src).mkdir()  # the output path is taken by a folder: the rename fails
    code, out, err = run("translate", src, "--to", "en", "--backend", "pseudo")
    assert code == 1
    no_traceback(out, err)
    assert translated(src).is_dir()
    assert stray_temporaries(blog) == []


def test_write_error_is_not_called_an_internal_error(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    translated(src).mkdir()
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo")
    assert code == 1
    assert "internal error" not in err
    assert str(translated(src).name) in err


# -- usage and configuration errors -----------------------------------------------------------------------


def test_unknown_backend(blog: Path) -> None:
    code, _, err = run("translate", blog / "posts" / "inline.md", "--to", "en", "--backend", "nope")
    assert code == 2
    assert "nope" in err and "identity" in err
    assert outputs(blog) == []


def test_backend_option_without_equals(blog: Path) -> None:
    code, _, err = run(
        "translate",
        blog / "posts" / "inline.md",
        "--to",
        "en",
        "--backend",
        "command",
        "--backend-option",
        "command",
    )
    assert code == 2
    assert "KEY=VALUE" in err
    assert outputs(blog) == []


def test_missing_backend(blog: Path) -> None:
    code, _, err = run("translate", blog / "posts" / "inline.md", "--to", "en")
    assert code == 2
    assert "--backend" in err
    assert outputs(blog) == []


def test_missing_to(blog: Path) -> None:
    code, _, _ = run("translate", blog / "posts" / "inline.md", "--backend", "identity")
    assert code == 2
    assert outputs(blog) == []


def test_offline_backends_take_no_options(blog: Path) -> None:
    code, _, err = run(
        "translate",
        blog / "posts" / "inline.md",
        "--to",
        "en",
        "--backend",
        "pseudo",
        "--backend-option",
        "x=1",
    )
    assert code == 2
    assert "x" in err
    assert outputs(blog) == []


def test_command_backend_needs_its_command(blog: Path) -> None:
    code, _, err = run("translate", blog / "posts" / "inline.md", "--to", "en", "--backend", "command")
    assert code == 2
    assert "command" in err
    assert outputs(blog) == []


def test_glossary_file_missing(blog: Path) -> None:
    missing = blog / "glossary.yml"
    code, _, err = run(
        "translate",
        blog / "posts" / "inline.md",
        "--to",
        "en",
        "--backend",
        "identity",
        "--glossary",
        missing,
    )
    assert code == 2
    assert str(missing) in err
    assert outputs(blog) == []


def test_glossary_with_an_unknown_field(blog: Path) -> None:
    gl = blog / "glossary.yml"
    gl.write_text(
        "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 模型\n    en: model\n    colour: red\n",
        encoding="utf-8",
    )
    code, _, err = run(
        "translate", blog / "posts" / "inline.md", "--to", "en", "--backend", "identity", "--glossary", gl
    )
    assert code == 2
    assert f"{gl}:4" in err  # the file and the line of the entry
    assert "colour" in err
    assert outputs(blog) == []


def test_glossary_with_invalid_yaml(blog: Path) -> None:
    gl = blog / "glossary.yml"
    gl.write_text("terms:\n  - zh: [飞桨\n", encoding="utf-8")
    code, _, err = run(
        "translate", blog / "posts" / "inline.md", "--to", "en", "--backend", "identity", "--glossary", gl
    )
    assert code == 2
    assert str(gl) in err
    no_traceback(err)


def test_glossary_terms_reach_the_pseudo_output(blog: Path) -> None:
    gl = blog / "glossary.yml"
    gl.write_text("terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n", encoding="utf-8")
    src = blog / "posts" / "inline.md"
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo", "--glossary", gl)
    assert code == 0, err
    out = translated(src).read_text(encoding="utf-8")
    assert "飞桨社区" in src.read_text(encoding="utf-8")
    assert "PaddlePaddle" in out  # "飞桨社区的文章..." -> "PaddlePaddle ..."
    assert "飞桨社区" not in out


# -- the command backend --------------------------------------------------------------------------------


def test_command_backend_echo_round_trips(blog: Path) -> None:
    posts = [blog / "posts" / n for n in ("inline.md", "crlf-bom.md", "tables.md")]
    code, _, err = run("translate", *posts, "--to", "en", *backend("echo"))
    assert code == 0, err
    for p in posts:
        assert translated(p).read_bytes() == p.read_bytes(), p.name


def test_command_backend_translation_is_written(blog: Path) -> None:
    src = blog / "posts" / "plain.md"
    code, _, err = run("translate", src, "--to", "en", *backend("suffix"))
    assert code == 0, err
    assert translated(src).read_text(encoding="utf-8") == (
        "---\ntitle: 纯文本 (EN)\n---\n\n第一段，没有任何标记。 (EN)\n\n第二段，也没有。 (EN)\n"
    )


def test_command_backend_failing_stops_the_run(blog: Path) -> None:
    log = blog / "calls.log"
    posts = sorted(blog / "posts" / p.name for p in POSTS.glob("*.md"))
    assert len(posts) >= 10
    code, out, err = run("translate", *posts, "--to", "en", *backend("fail", log))
    assert code == 1
    no_traceback(out, err)
    stop_lines = [ln for ln in err.splitlines() if "stop" in ln.lower()]
    assert len(stop_lines) == 1, err
    assert "exit status 3" in stop_lines[0]
    calls = log.read_text().splitlines()
    # every post has units: had the run gone on, each would have been sent at least once
    # (three times with the retries); it stopped after a few failed calls instead
    assert 3 <= len(calls) < len(posts), calls
    assert outputs(blog) == []
    assert stray_temporaries(blog) == []


def test_command_backend_invalid_json(blog: Path) -> None:
    posts = [blog / "posts" / "inline.md", blog / "posts" / "plain.md"]
    code, out, err = run("translate", *posts, "--to", "en", *backend("badjson"))
    assert code == 1
    no_traceback(out, err)
    assert "JSON" in err
    assert outputs(blog) == []
    assert stray_temporaries(blog) == []


def test_command_backend_dropping_placeholders(blog: Path) -> None:
    markup = [blog / "posts" / n for n in ("inline.md", "tables.md", "lists.md")]
    plain = blog / "posts" / "plain.md"
    code, out, err = run("translate", *markup, plain, "--to", "en", *backend("drop"))
    assert code == 1
    no_traceback(out, err)
    for p in markup:
        assert not translated(p).exists(), p.name
        assert str(p) in err
    assert "the translation of “" in err and " lost the " in err  # what it lost, in the reader's terms
    assert translated(plain).read_bytes() == plain.read_bytes()  # nothing to drop there
    assert stray_temporaries(blog) == []


def test_command_backend_rotated_ids_are_caught_where_there_is_markup(blog: Path) -> None:
    posts = [blog / "posts" / n for n in ("inline.md", "tables.md", "lists.md", "html-blocks.md")]
    code, out, err = run("translate", *posts, "--to", "en", *backend("rotate"))
    no_traceback(out, err)
    # a shuffled answer is refused whole and the batch split; a backend that shuffles every
    # batch stops the run (splitting all down to single units would hide it): nothing shuffled
    # is written
    assert code == 1 and "no usable answer to 8 batches in a row" in err, err
    for p in posts:
        assert not translated(p).exists() or translated(p).read_bytes() == p.read_bytes()
    assert stray_temporaries(blog) == []


def test_command_backend_rotated_ids_never_write_a_shuffled_post(blog: Path) -> None:
    src = blog / "posts" / "plain.md"
    code, _, _ = run("translate", src, "--to", "en", *backend("rotate"))
    assert code == 0
    assert translated(src).read_bytes() == src.read_bytes()  # each unit its own text (echoed)


def test_command_backend_program_not_found(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, out, err = run(
        "translate",
        src,
        "--to",
        "en",
        "--backend",
        "command",
        "--backend-option",
        f"command={blog / 'no-such-program'}",
    )
    assert code == 1
    no_traceback(out, err)
    assert "not found" in err
    assert outputs(blog) == []


# -- segments and --version --------------------------------------------------------------------------------


def test_segments_json(blog: Path) -> None:
    src = blog / "posts" / "inline.md"
    code, out, err = run("segments", src, "--json")
    assert code == 0, err
    data = json.loads(out)
    units = data["units"]
    assert units
    for u in units:
        assert {"id", "kind", "line", "text"} <= set(u)
        assert isinstance(u["line"], int) and u["line"] >= 1
    assert [u["id"] for u in units] == [f"u{n}" for n in range(1, len(units) + 1)]
    kinds = {u["kind"] for u in units}
    assert {"front_matter", "paragraph"} <= kinds
    assert any("<g1>" in u["text"] for u in units)


def test_segments_json_via_console_script(blog: Path) -> None:
    src = blog / "posts" / "crlf-bom.md"
    proc = run_script("segments", src, "--json")
    assert proc.returncode == 0, proc.stderr
    units = json.loads(proc.stdout)["units"]
    assert units
    assert all("\r" not in u["text"] for u in units)
    assert units[0]["line"] == 2  # the title, after the BOM and the opening fence


def test_segments_of_a_bad_file(blog: Path, bad_posts: dict[str, Path]) -> None:
    code, out, err = run("segments", bad_posts["utf8"], "--json")
    assert code == 1
    no_traceback(out, err)
    assert str(bad_posts["utf8"]) in err


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.strip() == f"i18n-posts {__version__}"


def test_version_via_console_script() -> None:
    proc = run_script("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"i18n-posts {__version__}"


def test_pseudo_translates_a_description_written_before_the_title(blog: Path) -> None:
    src = blog / "posts" / "order.md"
    src.write_text("---\ndescription: 这是描述\ntitle: 这是标题\n---\n\n正文。\n", encoding="utf-8")
    code, _, err = run("translate", src, "--to", "en", "--backend", "pseudo")
    assert code == 0, err
    assert not HAN.search(translated(src).read_text(encoding="utf-8"))
