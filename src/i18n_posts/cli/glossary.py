"""The `i18n-posts glossary` commands: lint, extract, report. Prints; the library does not.

Mounted in the main CLI as `i18n-posts glossary`.
Exit codes: 0 ok, 1 lint errors / compliance violations / a post that cannot be read,
2 usage or configuration error (one line "error: ..." on stderr, no traceback).
Heavy modules are imported inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from ..messages import plural
from ._help import EPILOGS
from ._run import handled, usage

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Glossary tools: lint the glossary, mine posts for new terms, check translations.",
)

_FROM = typer.Option("--from", help="Source locale.")
_TO = typer.Option("--to", help="Target locale.")
_GLOSSARY = typer.Option("--glossary", help="Glossary file.")


class Format(str, enum.Enum):
    """Output formats of `extract`."""

    tsv = "tsv"
    yaml = "yaml"


@app.command(epilog=EPILOGS["glossary lint"])
def lint(
    glossary: Annotated[Path, typer.Argument(help="The glossary file.", show_default=False)],
    source_locale: Annotated[str, _FROM] = "zh",
    to: Annotated[str, _TO] = "en",
) -> None:
    """Check a glossary: duplicates, conflicts, contradicting sub-terms, empty or unknown fields."""
    from ..glossary.lint import lint_glossary

    with handled():
        issues = lint_glossary(glossary, (source_locale, to))
    for issue in issues:
        typer.echo(str(issue))
    errors = sum(1 for i in issues if i.severity == "error")
    typer.echo(f"{glossary}: {plural(errors, 'error')}, {plural(len(issues) - errors, 'warning')}", err=True)
    raise typer.Exit(1 if errors else 0)


@app.command(epilog=EPILOGS["glossary extract"])
def extract(
    posts: Annotated[
        list[Path], typer.Argument(help="Posts, or folders of posts, to mine.", show_default=False)
    ],
    glossary: Annotated[Path, _GLOSSARY] = Path("glossary.yml"),
    fmt: Annotated[Format, typer.Option("--format", help="tsv to review, yaml to paste.")] = Format.tsv,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Fewest occurrences.")] = 3,
    limit: Annotated[int, typer.Option(min=1, help="Most candidates.")] = 200,
    source_locale: Annotated[str, _FROM] = "zh",
    to: Annotated[str, _TO] = "en",
) -> None:
    """Propose terms the glossary lacks: inline glosses, frequent names, Latin names."""
    from ..glossary import load_glossary
    from ..glossary.mine import extract_candidates, to_tsv, to_yaml

    files: list[Path] = []
    for p in posts:
        if p.is_dir():
            files += sorted(p.rglob("*.md"))
        elif p.is_file():
            files.append(p)
        else:
            usage(f"{p}: no such file or folder")
    if not glossary.is_file():
        usage(f"{glossary}: glossary file not found")
    with handled():
        gl = load_glossary(glossary, source_locale, to)
        cands = extract_candidates(files, gl, min_count=min_count, limit=limit)
    typer.echo(to_tsv(cands) if fmt is Format.tsv else to_yaml(cands, source_locale, to), nl=False)
    typer.echo(f"{plural(len(cands), 'candidate')} from {plural(len(files), 'post')}", err=True)


@app.command(epilog=EPILOGS["glossary report"])
def report(
    source_glob: Annotated[
        str, typer.Argument(help="Source posts, e.g. 'posts/**/*.md'.", show_default=False)
    ],
    translated_glob: Annotated[
        str, typer.Argument(help="Their translations, e.g. 'posts/**/*.en.md'.", show_default=False)
    ],
    glossary: Annotated[Path, _GLOSSARY] = Path("glossary.yml"),
    source_locale: Annotated[str, _FROM] = "zh",
    to: Annotated[str, _TO] = "en",
) -> None:
    """Check translations against the glossary, term by term; exit 1 on any violation.

    Globs are expanded from the current folder (** matches folders). A source pairs with the
    translation of the same relative stem: posts/x.md with posts/x.en.md, zh/x.md with en/x.md."""
    import glob

    from ..glossary import load_glossary
    from ..glossary.report import compliance_report

    sources = sorted(Path(p) for p in glob.glob(source_glob, recursive=True) if Path(p).is_file())
    translations = sorted(Path(p) for p in glob.glob(translated_glob, recursive=True) if Path(p).is_file())
    for pattern, found in ((source_glob, sources), (translated_glob, translations)):
        if not found:
            usage(f"no file matches {pattern!r}")
    if not glossary.is_file():
        usage(f"{glossary}: glossary file not found")
    with handled():
        gl = load_glossary(glossary, source_locale, to)
        result = compliance_report(sources, translations, gl)
    typer.echo(result.format_text(), nl=False)
    raise typer.Exit(1 if result.violations else 0)
