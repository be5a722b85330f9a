"""The glossary tools: lint, extract (mining candidates), report (compliance), and their CLI.

Fixtures: tests/data/glossary/ (a small glossary and three tiny posts with a frequent
name, an inline gloss, an alias and names that occur only in code, URLs and attributes),
tests/data/corpus/ (the 89 posts) with the shipped glossary.yml.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from i18n_posts.cli import glossary as cli_glossary
from i18n_posts.glossary import Glossary, Term, load_glossary
from i18n_posts.glossary.lint import LintIssue, lint_glossary
from i18n_posts.glossary.mine import Candidate, extract_candidates, mine, to_tsv, to_yaml
from i18n_posts.glossary.report import compliance_report, pair_files

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "glossary"
FIXTURE_POSTS = sorted((FIXTURES / "posts").glob("*.md"))
CORPUS = sorted((DATA / "corpus").glob("*.md"))
SHIPPED = ROOT / "glossary.yml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def lint_text(tmp_path: Path, text: str) -> list[LintIssue]:
    return lint_glossary(write(tmp_path / "g.yml", text))


def codes(issues: list[LintIssue], severity: str | None = None) -> list[tuple[str, int]]:
    return [(i.code, i.line) for i in issues if severity is None or i.severity == severity]


# -- lint ----------------------------------------------------------------------------------------


def test_shipped_glossary_has_no_lint_errors():
    issues = lint_glossary(SHIPPED)
    assert [str(i) for i in issues if i.severity == "error"] == []
    assert all(i.path == SHIPPED and i.line > 0 for i in issues)


def test_a_clean_glossary_has_no_issues(tmp_path):
    assert (
        lint_text(
            tmp_path,
            """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
            forbidden: [Flying Paddle]
          - zh: 飞桨社区
            en: PaddlePaddle community
          - zh: PaddleOCR
            dnt: true
        """,
        )
        == []
    )


def test_duplicate_source_forms_are_errors_on_the_later_entry(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
          - zh: 飞桨
            en: PaddlePaddle
          - zh: Paddle
            dnt: true
          - zh: paddle
            dnt: true
        """,
    )
    assert codes(issues, "error") == [("duplicate", 4), ("duplicate", 8)]  # Latin forms match in any case
    assert "line 2" in issues[0].message


def test_an_alias_colliding_with_another_terms_form_is_an_error(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
          - zh: 百度飞桨
            en: Baidu PaddlePaddle
            aliases:
              - 飞桨
        """,
    )
    assert codes(issues, "error") == [("conflict", 7)]
    assert "'飞桨'" in issues[0].message and "PaddlePaddle" in issues[0].message


def test_conflicting_targets_for_the_same_source(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 星河社区
            en: AI Studio
          - zh: 星河社区
            en: Galaxy Community
        """,
    )
    assert codes(issues) == [("conflict", 4)]
    assert issues[0].severity == "error" and "Galaxy Community" in issues[0].message


def test_a_sub_term_with_a_contradicting_target_is_a_warning(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
          - zh: 飞桨开源社区
            en: Feijiang community
        """,
    )
    assert codes(issues) == [("substring", 4)]
    assert issues[0].severity == "warning" and "飞桨" in issues[0].message


def test_a_sub_term_is_fine_when_the_target_contains_the_shorter_one_in_any_case(tmp_path):
    assert (
        lint_text(
            tmp_path,
            """
        terms:
          - zh: 黑客松
            en: hackathon
          - zh: 飞桨黑客松
            en: PaddlePaddle Hackathon
        """,
        )
        == []
    )


@pytest.mark.parametrize("extra", ["dnt: true", "context: a hint only"])
def test_a_dnt_or_context_longer_term_may_differ(tmp_path, extra):
    issues = lint_text(
        tmp_path,
        f"""
        terms:
          - zh: 飞桨
            en: PaddlePaddle
          - zh: 飞桨开源社区
            {"en: Feijiang community" if extra.startswith("context") else "en: 飞桨开源社区"}
            {extra}
        """,
    )
    assert issues == []


def test_a_sub_term_whose_target_holds_a_forbidden_form_is_an_error(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
            forbidden: [Feijiang, Flying Paddle]
          - zh: 飞桨开源社区
            en: Feijiang community
        """,
    )
    assert codes(issues) == [("substring", 5)]
    assert issues[0].severity == "error" and "Feijiang" in issues[0].message


def test_latin_sub_terms_count_only_on_word_boundaries(tmp_path):
    assert (
        lint_text(
            tmp_path,
            """
        terms:
          - zh: OCR
            en: text recognition
          - zh: PaddleOCR 社区
            en: PaddleOCR community
        """,
        )
        == []
    )


def test_empty_forms_are_errors(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: ""
            en: nothing
          - zh: 文心
            en: "  "
          - zh: 飞桨
            en: PaddlePaddle
            aliases: [""]
        """,
    )
    assert codes(issues, "error") == [("empty", 2), ("empty", 5), ("empty", 8)]


def test_a_term_with_neither_target_nor_dnt_is_an_error(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
          - zh: 文心
            note: no English yet
        """,
    )
    assert codes(issues) == [("no-target", 4)]


def test_unknown_fields_are_errors_at_their_line(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
            colour: blue
            ja: 飛槳
        """,
    )
    assert codes(issues) == [("unknown-field", 4)]
    assert "colour" in issues[0].message


def test_forbidden_form_equal_to_the_target_is_an_error(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
            forbidden: [Flying Paddle, paddlepaddle]
        """,
    )
    assert codes(issues) == [("forbidden-target", 4)]


def test_a_dnt_term_with_a_different_target_is_an_error(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: PaddleOCR
            dnt: true
            en: Paddle OCR
          - zh: PaddleX
            dnt: true
            en: PaddleX
        """,
    )
    assert codes(issues) == [("dnt-target", 4)]


def test_a_key_given_twice_and_a_non_boolean_dnt_are_errors(tmp_path):
    issues = lint_text(
        tmp_path,
        """
        terms:
          - zh: 飞桨
            en: PaddlePaddle
            en: Paddle
          - zh: PaddleX
            dnt: "false"
        """,
    )
    assert codes(issues, "error") == [("duplicate-key", 4), ("no-target", 5), ("bad-value", 6)]


def test_a_file_that_is_not_a_glossary_raises_config_error(tmp_path):
    from i18n_posts.errors import ConfigError

    with pytest.raises(ConfigError, match="invalid YAML") as exc:
        lint_text(tmp_path, "terms: [\n")
    assert exc.value.line is not None
    with pytest.raises(ConfigError, match="terms"):
        lint_text(tmp_path, "words:\n  - zh: 飞桨\n")


# -- extract -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_glossary() -> Glossary:
    return load_glossary(FIXTURES / "glossary.yml", "zh", "en")


@pytest.fixture(scope="module")
def fixture_candidates(fixture_glossary) -> dict[str, Candidate]:
    return {c.term: c for c in extract_candidates(FIXTURE_POSTS, fixture_glossary)}


def test_extract_finds_a_frequent_name(fixture_candidates):
    c = fixture_candidates["昆仑芯"]
    assert (c.kind, c.count, c.posts, c.suggestion) == ("ngram", 5, 2, "")
    assert "昆仑芯" in c.example and len(c.example) < 80
    assert "昆仑" not in fixture_candidates and "仑芯" not in fixture_candidates  # only the maximal n-gram


def test_extract_finds_an_inline_gloss_with_its_suggestion(fixture_candidates):
    c = fixture_candidates["星火计划"]
    assert (c.kind, c.suggestion, c.count, c.posts) == ("gloss", "Spark Program", 4, 2)


def test_extract_finds_latin_names_used_in_several_posts(fixture_candidates):
    c = fixture_candidates["FastDeploy"]
    assert (c.kind, c.suggestion, c.count, c.posts) == ("latin", "FastDeploy", 3, 3)


def test_extract_never_proposes_a_glossary_term_or_alias(fixture_candidates, fixture_glossary):
    assert fixture_candidates  # the check below must have something to check
    bare = {c.term: c for c in extract_candidates(FIXTURE_POSTS, Glossary.of(()))}
    for term in ("飞桨", "PaddleOCR", "星河平台"):
        assert term in bare  # frequent enough to be proposed without the glossary
        assert term not in fixture_candidates
    forms = {f for t in fixture_glossary.terms for f in (t.source, *t.aliases)}
    assert not any(c in f or f == c for c in fixture_candidates for f in forms)


def test_extract_ignores_code_urls_and_untranslated_attributes(fixture_candidates):
    # 秘密代号 / SecretName occur many times, but only in code, a URL and class/data-* attributes
    assert not any("秘密" in t or "代号" in t or "secret" in t.casefold() for t in fixture_candidates)
    text = "\n".join(p.read_text(encoding="utf-8") for p in FIXTURE_POSTS)
    assert text.count("秘密代号") >= 10 and text.count("SecretName") >= 6


def test_mine_filters_phrases_function_words_and_respects_min_count():
    texts = [["我们的项目是一个开源项目。昆仑芯很快。", "在昆仑芯上跑。"], ["用昆仑芯，", "昆仑芯"]] * 2
    found = {c.term: c for c in mine(texts, Glossary.of(()), min_count=3)}
    assert "昆仑芯" in found
    assert not {"我们", "一个", "开源项目", "项目", "我们的"} & set(found)
    assert "昆仑芯" not in {c.term for c in mine(texts, Glossary.of(()), min_count=9)}
    assert len(mine(texts, Glossary.of(()), limit=0)) == 0


def test_a_candidate_made_of_glossary_terms_is_covered():
    g = Glossary.of([Term("飞桨", "PaddlePaddle"), Term("黑客松", "hackathon")])
    texts = [["飞桨黑客松开始了", "参加飞桨黑客松！", "那次飞桨黑客松", "飞桨黑客松。"]]
    assert "飞桨黑客松" not in {c.term for c in mine(texts, g)}
    assert "飞桨黑客松" in {c.term for c in mine(texts, Glossary.of(()))}


def test_tsv_and_yaml_outputs(fixture_candidates, tmp_path):
    cands = sorted(fixture_candidates.values(), key=lambda c: -c.count)
    tsv = to_tsv(cands).splitlines()
    assert tsv[0].split("\t") == ["term", "count", "posts", "kind", "suggestion", "example"]
    assert len(tsv) == len(cands) + 1 and all(len(row.split("\t")) == 6 for row in tsv)
    text = to_yaml(cands)
    data = yaml.safe_load(text)
    by = {t["zh"]: t for t in data["terms"]}
    assert by["星火计划"]["en"] == "Spark Program"
    assert by["FastDeploy"]["dnt"] is True and "en" not in by["FastDeploy"]
    assert by["昆仑芯"]["en"] == "" and '昆仑芯\n    en: ""  # TODO' in text
    assert re.match(r"candidate: 5 occurrences in 2 posts; e\.g\. ", by["昆仑芯"]["note"])
    # pasted as is, the TODO entries are exactly what lint flags
    issues = lint_glossary(write(tmp_path / "cands.yml", text))
    todo = [c for c in cands if c.kind != "latin" and not c.suggestion]
    assert todo and [i.code for i in issues] == ["empty"] * len(todo)


@pytest.fixture(scope="module")
def corpus_candidates() -> list[Candidate]:
    return extract_candidates(CORPUS, load_glossary(SHIPPED, "zh", "en"))


def test_extract_on_the_corpus_proposes_nothing_already_in_the_glossary(corpus_candidates):
    g = load_glossary(SHIPPED, "zh", "en")
    forms = {f for t in g.terms for f in (t.source, *t.aliases)}
    folded = {f.casefold() for f in forms}
    assert len(CORPUS) == 89 and len(corpus_candidates) >= 20
    for c in corpus_candidates:
        assert c.term.casefold() not in folded, c
        assert not any(c.term in f for f in forms if re.search("[\u4e00-\u9fff]", c.term)), c
        assert c.count >= 3 and 1 <= c.posts <= c.count


def test_extract_on_the_corpus_finds_real_names(corpus_candidates):
    terms = [c.term for c in corpus_candidates]
    assert {"PyTorch", "GitHub", "CUDA"} <= set(terms[:30])
    counts = [c.count for c in corpus_candidates]
    assert counts == sorted(counts, reverse=True)
    for c in corpus_candidates:
        if c.kind == "ngram":
            assert re.fullmatch("[\u3400-\u9fff]{2,8}", c.term), c
            assert not c.term.startswith(("的", "了", "是", "在", "和")), c
            assert not c.term.endswith(("的", "了", "是", "在", "和")), c


# -- report --------------------------------------------------------------------------------------

SOURCE = """
    ---
    title: 飞桨的一天
    ---

    飞桨是一个深度学习框架。

    我们在星河社区上学习飞桨。

    这一段没有术语。
    """
CLEAN = """
    ---
    title: A day of PaddlePaddle
    ---

    PaddlePaddle is a deep learning framework.

    We learn PaddlePaddle on AI Studio.

    This paragraph has no term.
    """


def test_report_finds_a_violation_with_file_and_line(tmp_path, fixture_glossary):
    src = write(tmp_path / "day.md", SOURCE)
    tr = write(tmp_path / "day.en.md", CLEAN.replace("on AI Studio", "on the Galaxy platform"))
    report = compliance_report([src], [tr], fixture_glossary)
    assert [(v.file, v.line, v.term.source) for v in report.violations] == [(tr, 7, "星河社区")]
    assert "AI Studio" in report.violations[0].message and f"{src}:7" in report.violations[0].message
    rows = {r.term.source: r for r in report.rows}
    assert (rows["飞桨"].source_count, rows["飞桨"].target_count, rows["飞桨"].posts) == (3, 3, 1)
    assert (rows["星河社区"].source_count, rows["星河社区"].target_count) == (1, 0)
    assert report.fallbacks == () and report.unpaired == ()
    text = report.format_text()
    assert f"{tr}:7: 星河社区 must be rendered as 'AI Studio'" in text and "1 violation" in text


def test_report_on_a_clean_pair_has_no_violations(tmp_path, fixture_glossary):
    src = write(tmp_path / "zh" / "day.md", SOURCE)
    tr = write(tmp_path / "en" / "day.md", CLEAN)
    report = compliance_report([src], [tr], fixture_glossary)
    assert report.pairs == ((src, tr),)
    assert report.violations == () and report.fallbacks == ()
    assert {r.term.source for r in report.rows} == {"飞桨", "星河社区"}


def test_report_falls_back_to_whole_file_counts_when_alignment_fails(tmp_path, fixture_glossary):
    src = write(tmp_path / "day.md", SOURCE)
    tr = write(
        tmp_path / "day.en.md",
        CLEAN.replace("on AI Studio.", "on the Galaxy platform.\n\n    We like Flying Paddle."),
    )
    report = compliance_report([src], [tr], fixture_glossary)
    assert [p for p, _ in report.fallbacks] == [tr] and "units" in report.fallbacks[0][1]
    found = {(v.term.source, v.line) for v in report.violations}
    assert found == {("星河社区", 0), ("飞桨", 9)}  # target never in the file; forbidden form on line 9
    assert "whole files" in report.format_text()


def test_pairing_by_relative_stem_lists_unpaired_files(tmp_path):
    a, b = write(tmp_path / "p" / "a.md", "甲"), write(tmp_path / "p" / "b.md", "乙")
    a_en, c_en = write(tmp_path / "p" / "a.en.md", "A"), write(tmp_path / "p" / "c.en.md", "C")
    pairs, unpaired = pair_files([a, b, a_en, c_en], [a_en, c_en])
    assert pairs == [(a, a_en)] and unpaired == [b, c_en]
    x, y = write(tmp_path / "zh" / "s" / "x.md", "甲"), write(tmp_path / "en" / "s" / "x.md", "X")
    z = write(tmp_path / "en" / "t" / "x.md", "X")
    pairs, unpaired = pair_files([x], [y, z])
    assert pairs == [(x, y)] and unpaired == [z]


# -- CLI -----------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli_glossary.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_lint_exit_codes(tmp_path):
    code, out, err = run("lint", str(SHIPPED))
    assert code == 0 and "0 errors" in err
    bad = write(
        tmp_path / "bad.yml", "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 飞桨\n    en: Paddle\n"
    )
    code, out, err = run("lint", str(bad))
    assert code == 1 and f"{bad}:4: error:" in out and "1 error," in err
    warn = write(
        tmp_path / "warn.yml",
        "terms:\n  - zh: 飞桨\n    en: PaddlePaddle\n  - zh: 飞桨开源社区\n    en: Feijiang community\n",
    )
    code, out, err = run("lint", str(warn))
    assert code == 0 and "warning" in out
    broken = write(tmp_path / "broken.yml", "terms: [\n")
    for path in (broken, tmp_path / "missing.yml"):
        code, out, err = run("lint", str(path))
        assert code == 2 and out == "" and err.startswith("error: ") and len(err.splitlines()) == 1
        assert "Traceback" not in err


def test_cli_extract(tmp_path):
    glossary = str(FIXTURES / "glossary.yml")
    code, out, err = run("extract", *map(str, FIXTURE_POSTS), "--glossary", glossary)
    assert code == 0 and out.startswith("term\tcount\tposts\tkind\tsuggestion\texample\n")
    assert "\n昆仑芯\t5\t2\tngram\t" in out and "3 candidates from 3 posts" in err
    code, out, _ = run(
        "extract", str(FIXTURES / "posts"), "--glossary", glossary, "--format", "yaml", "--limit", "1"
    )
    assert code == 0 and [t["zh"] for t in yaml.safe_load(out)["terms"]] == ["昆仑芯"]
    code, out, _ = run("extract", str(FIXTURES / "posts"), "--glossary", glossary, "--min-count", "5")
    assert code == 0 and len(out.splitlines()) == 2
    for args in (["--format", "xml"], ["--min-count", "0"], ["--glossary", str(tmp_path / "none.yml")]):
        assert run("extract", str(FIXTURES / "posts"), *args)[0] == 2
    code, _, err = run("extract", str(tmp_path / "nope.md"), "--glossary", glossary)
    assert code == 2 and err.startswith("error: ")
    bad = write(tmp_path / "bad.yml", "terms:\n  - zh: 飞桨\n    colour: red\n")
    code, _, err = run("extract", str(FIXTURES / "posts"), "--glossary", str(bad))
    assert code == 2 and "colour" in err and len(err.splitlines()) == 1


def test_cli_report_exit_codes(tmp_path, monkeypatch):
    glossary = str(FIXTURES / "glossary.yml")
    write(tmp_path / "posts" / "day.md", SOURCE)
    write(tmp_path / "posts" / "day.en.md", CLEAN)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("report", "posts/**/*.md", "posts/**/*.en.md", "--glossary", glossary)
    assert code == 0 and "1 pair," in out and "0 unpaired, 0 violations" in out
    write(tmp_path / "posts" / "day.en.md", CLEAN.replace("on AI Studio", "on the Galaxy platform"))
    code, out, _ = run("report", "posts/**/*.md", "posts/**/*.en.md", "--glossary", glossary)
    assert code == 1 and "posts/day.en.md:7: 星河社区" in out
    code, out, err = run("report", "none/*.md", "posts/*.en.md", "--glossary", glossary)
    assert code == 2 and err.startswith("error: no file matches")
    code, out, err = run("report", "posts/*.md", "posts/*.en.md", "--glossary", "missing.yml")
    assert code == 2 and "missing.yml" in err
