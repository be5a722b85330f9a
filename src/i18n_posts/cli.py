"""The `i18n-posts` command. The only module that prints or exits.

Exit codes: 0 all done, 1 some file failed (or the backend gave up), 2 usage or config error.
Heavy modules are imported inside the commands so that `--help` and `--version` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Translate Markdown blog posts byte-exactly: only the prose changes.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"i18n-posts {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """i18n-posts: faithful localized copies of Markdown posts."""


def _err(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)


def _usage(msg: str) -> NoReturn:
    _err(msg)
    raise typer.Exit(2)


def _options(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            _usage(f"--backend-option expects KEY=VALUE, got {p!r}")
        out[key.strip()] = value
    return out


@app.command()
def translate(
    files: Annotated[list[Path], typer.Argument(help="Posts to translate.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Target locale, e.g. en.")],
    source_locale: Annotated[str, typer.Option("--from", help="Source locale.")] = "zh",
    backend: Annotated[str | None, typer.Option(help="Backend: identity, pseudo, command, ...")] = None,
    backend_option: Annotated[list[str] | None, typer.Option(
        "--backend-option", help="KEY=VALUE for the backend (repeatable).")] = None,
    glossary: Annotated[Path | None, typer.Option(
        help="Glossary file: its terms are hints for the backend and checked in its output.")] = None,
    output: Annotated[str, typer.Option(
        help="Where to write: {dir} {stem} {ext} {name} {locale}.")] = "{dir}/{stem}.{locale}{ext}",
    retries: Annotated[int, typer.Option(help="Times a failing unit is sent again.")] = 2,
    batch_chars: Annotated[int, typer.Option(help="Characters of unit text per backend call.")] = 6000,
    partial: Annotated[bool, typer.Option(
        help="Write posts even if some units fail (they stay untranslated).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what was written.")] = False,
) -> None:
    """Translate FILE... into the --to locale; write each next to its source (see --output)."""
    from .backends import load_backend
    from .errors import BackendUnavailable, I18nPostsError, PostError, UsageError
    from .glossary import Glossary, load_glossary
    from .pipeline import output_path, translate_file
    from .segment import Segmenter
    from .translate import TranslateOptions, Translator

    if backend is None:
        _usage("choose a backend with --backend (identity, pseudo, command, ...)")
    try:
        be = load_backend(backend, _options(backend_option or []))
        if glossary is not None and not glossary.is_file():
            raise UsageError(f"{glossary}: glossary file not found")
        gl = load_glossary(glossary, source_locale, to) if glossary else Glossary.of(())
        translator = Translator(be, gl, TranslateOptions(source_locale, to, retries=retries,
                                                         batch_chars=batch_chars))
        segmenter = Segmenter()
        outs = [output_path(output, f, to) for f in files]
    except UsageError as exc:
        _usage(str(exc))
    except I18nPostsError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None

    failed = written = 0
    with _progress(len(files)) as advance:
        for f, out in zip(files, outs):
            try:
                res = translate_file(f, out, segmenter, translator, partial=partial)
                written += 1
                if res.post.issues:
                    _err(f"{f}: written with {len(res.post.issues)} untranslated unit(s)")
                if verbose:
                    typer.echo(f"{f} -> {out} ({res.post.units} units{'' if res.written else ', unchanged'})")
            except BackendUnavailable as exc:
                _err(f"{f}: {exc}; stopping")
                failed += len(files) - written - failed
                break
            except PostError as exc:
                _err(str(exc))
                failed += 1
            except UsageError as exc:
                _usage(str(exc))
            except I18nPostsError as exc:
                _err(f"{f}: {exc}")
                failed += 1
            except Exception as exc:  # a bug of ours: say so on one line, go on with the others
                _err(f"{f}: internal error ({type(exc).__name__}: {exc}); please report it")
                failed += 1
            advance()
    if failed or verbose or len(files) > 1:
        typer.echo(f"{written} written, {failed} failed ({translator.calls} backend calls, "
                   f"{translator.chars_sent} characters sent)", err=bool(failed))
    raise typer.Exit(1 if failed else 0)


@app.command()
def segments(
    file: Annotated[Path, typer.Argument(help="A post.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the translatable units of a post."""
    import json

    from .errors import I18nPostsError
    from .load import load_post
    from .segment import segment

    try:
        post = segment(load_post(file))
    except I18nPostsError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    if as_json:
        data = [{"id": u.id, "kind": u.kind, "line": u.line, "start": u.start, "end": u.end, "text": u.text,
                 "placeholders": [{"name": p.name, "kind": p.kind, "label": p.label,
                                   "source": post.source.text[p.start:p.end]} for p in u.placeholders]}
                for u in post.units]
        typer.echo(json.dumps({"file": str(file), "units": data}, ensure_ascii=False, indent=2))
        return
    for u in post.units:
        typer.echo(f"{u.id:>5} {u.line:>4} {u.kind:<15} {u.text!r}")
    typer.echo(f"{len(post.units)} units", err=True)


class _progress:
    """A rich progress bar on a terminal when there are several files; a no-op otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.bar = total, None

    def __enter__(self):  # noqa: ANN204
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("translating", total=self.total)
            return lambda: self.bar.advance(task)  # type: ignore[union-attr]
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def main() -> None:
    app()
