"""`i18n-posts translate FILE... --to LOCALE`: translate posts, each into a file of its own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._run import backend_options, err, handled, internal, usage


def translate(
    files: Annotated[list[Path], typer.Argument(help="Posts to translate.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Target locale, e.g. en.")],
    source_locale: Annotated[str, typer.Option("--from", help="Source locale.")] = "zh",
    backend: Annotated[str | None, typer.Option(help="Backend: identity, pseudo, command, ...")] = None,
    backend_option: Annotated[
        list[str] | None, typer.Option("--backend-option", help="KEY=VALUE for the backend (repeatable).")
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option(help="Glossary file: its terms are hints for the backend and checked in its output."),
    ] = None,
    output: Annotated[
        str, typer.Option(help="Where to write: {dir} {stem} {ext} {name} {locale}.")
    ] = "{dir}/{stem}.{locale}{ext}",
    retries: Annotated[int, typer.Option(min=0, help="Times a failing unit is sent again.")] = 2,
    batch_chars: Annotated[int, typer.Option(min=1, help="Characters of unit text per backend call.")] = 6000,
    concurrency: Annotated[int, typer.Option(min=1, help="Backend calls in flight at once.")] = 4,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Send nothing, write nothing: show units, characters and estimated tokens."
        ),
    ] = False,
    max_tokens: Annotated[
        int | None,
        typer.Option(min=1, help="Stop before the estimated tokens (sent and received) would pass N."),
    ] = None,
    max_chars: Annotated[
        int | None, typer.Option(min=1, help="Stop before the characters sent would pass N (MT services).")
    ] = None,
    partial: Annotated[
        bool, typer.Option(help="Write posts even if some units fail (they stay untranslated).")
    ] = False,
    glossary_mode: Annotated[
        str, typer.Option(help="A glossary term still missed after retries: fail (default) or warn.")
    ] = "fail",
    on_unit_failure: Annotated[
        str,
        typer.Option(
            help="A unit that still fails after retries: fail (the post is not written) or keep-source."
        ),
    ] = "fail",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite outputs that translate did not write (a reference).")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what was written.")] = False,
) -> None:
    """Translate FILE... into the --to locale; write each next to its source (see --output)."""
    import asyncio

    from ..backends import load_backend
    from ..backends.runner import Runner, RunOptions
    from ..errors import BackendUnavailable, BudgetExceeded, I18nPostsError, PostError, UsageError
    from ..glossary import Glossary, load_glossary
    from ..locales import parse_locale
    from ..pipeline import FileResult, output_path, repo_memory, translate_files
    from ..segment import Segmenter
    from ..translate import TranslateOptions, Translator

    if backend is None:
        usage("choose a backend with --backend (identity, pseudo, command, openai, deepl, libretranslate)")
    with handled():
        for flag, code in (("--from", source_locale), ("--to", to)):
            try:
                parse_locale(code)
            except ValueError as exc:
                raise UsageError(f"{flag}: {exc}") from None
        if glossary_mode not in ("fail", "warn"):
            raise UsageError(f"--glossary-mode must be fail or warn, not {glossary_mode!r}")
        if on_unit_failure not in ("fail", "keep-source"):
            raise UsageError(f"--on-unit-failure must be fail or keep-source, not {on_unit_failure!r}")
        be = load_backend(backend, backend_options(backend_option or []))
        if glossary is not None and not glossary.is_file():
            raise UsageError(f"{glossary}: glossary file not found")
        gl = load_glossary(glossary, source_locale, to) if glossary else Glossary.of(())
        runner = Runner(be, RunOptions(concurrency=concurrency, max_tokens=max_tokens, max_chars=max_chars))
        options = TranslateOptions(
            source_locale,
            to,
            retries=retries,
            batch_chars=batch_chars,
            glossary_mode=glossary_mode,
            on_unit_failure=on_unit_failure,
        )
        translator = Translator(runner, gl, options)
        segmenter = Segmenter()
        outs = [output_path(output, f, to) for f in files]
        inputs = {f.resolve(): f for f in files}
        seen: dict[Path, Path] = {}
        for f, o in zip(files, outs, strict=True):
            if o.resolve() in inputs:
                what = "the source" if o.resolve() == f.resolve() else f"the input {inputs[o.resolve()]}"
                raise UsageError(f"{f}: --output {output!r} would write over {what}; choose another")
            if o.resolve() in seen and seen[o.resolve()].resolve() != f.resolve():
                raise UsageError(
                    f"{seen[o.resolve()]} and {f} would both be written to {o}; choose another --output"
                )
            seen[o.resolve()] = f
        memory = repo_memory(Path.cwd())
        from ._written import Written

        record = Written()
        foreign = [o for o in outs if not dry_run and not force and record.foreign(o)]
        if foreign:
            more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
            raise UsageError(
                f"{foreign[0]}{more} exists and was not written by translate (a reference translation?); "
                "choose another --output, or --force to overwrite"
            )

    if dry_run:
        raise typer.Exit(_dry_run(files, segmenter, translator))

    failed = written = 0
    with _progress(len(files)) as advance:

        def report(f: Path, outcome: object) -> None:
            nonlocal failed, written
            advance()
            if isinstance(outcome, FileResult):
                written += 1
                record.wrote(outcome.output, outcome.post.text)
                for note in outcome.notes:
                    err(f"warning: {f}: {note}")
                if outcome.post.issues:
                    err(f"{f}: written with {len(outcome.post.issues)} untranslated unit(s)")
                if verbose:
                    typer.echo(
                        f"{f} -> {outcome.output} ({outcome.post.units} units"
                        f"{'' if outcome.written else ', unchanged'})"
                    )
                return
            failed += 1
            if isinstance(outcome, BackendUnavailable | BudgetExceeded):
                return  # said once, below
            if isinstance(outcome, PostError):
                err(str(outcome))
            elif isinstance(outcome, I18nPostsError):
                err(f"{f}: {outcome}")
            else:  # a bug of ours: say so on one line, go on with the others
                err(internal(str(f), outcome))  # type: ignore[arg-type]

        with handled():
            stop = asyncio.run(
                translate_files(
                    list(zip(files, outs, strict=True)), segmenter, translator, report, partial, memory
                )
            )
    record.save()
    for w in translator.warnings:
        err(f"warning: line {w.line}: {w.message} (kept: --glossary-mode warn)")
    for path, why in translator.kept_source:
        err(f"warning: {path}:{why.line}: left in the source language ({why.message})")
    if stop is not None:
        err(f"stopped: {stop}; {len(files) - written} of {len(files)} posts not written")
    if failed or verbose or len(files) > 1:
        tokens = f", {be.usage.total} tokens used" if be.usage.total else ""
        typer.echo(
            f"{written} written, {failed} failed ({runner.calls} backend calls, "
            f"{runner.chars_sent} characters sent{tokens})",
            err=bool(failed),
        )
    raise typer.Exit(1 if failed or stop else 0)


def _dry_run(files: list[Path], segmenter: object, translator: object) -> int:
    from ..backends.runner import request_tokens
    from ..errors import I18nPostsError
    from ..load import load_post

    total = [0, 0, 0, 0]
    bad = 0
    typer.echo(f"{'post':<48} {'units':>6} {'chars':>8} {'calls':>6} {'~tokens':>8}")
    for f in files:
        try:
            post = segmenter.segment(load_post(f))  # type: ignore[attr-defined]
        except I18nPostsError as exc:
            err(str(exc))
            bad += 1
            continue
        reqs = translator.plan(post)  # type: ignore[attr-defined]
        row = [
            len(post.units),
            sum(len(u.text) for u in post.units),
            len(reqs),
            sum(map(request_tokens, reqs)),
        ]
        total = [a + b for a, b in zip(total, row, strict=True)]
        typer.echo(f"{str(f)[-48:]:<48} {row[0]:>6} {row[1]:>8} {row[2]:>6} {row[3]:>8}")
    typer.echo(f"{'total':<48} {total[0]:>6} {total[1]:>8} {total[2]:>6} {total[3]:>8}")
    typer.echo("dry run: nothing sent, nothing written", err=True)
    return 1 if bad else 0


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
