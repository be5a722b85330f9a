"""`i18n-posts translate FILE... --to LOCALE`: translate posts, each into a file of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._console import plural
from ._run import backend_options, err, handled, internal, usage
from ._segmenting import given_flags, segment_options


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
    as_json: Annotated[bool, typer.Option("--json", help="A machine-readable report on stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and warnings.")] = False,
    dialect: Annotated[
        str,
        typer.Option(
            help="Site generator: auto, vitepress, vuepress, hugo, hexo, jekyll, docusaurus, mkdocs..."
        ),
    ] = "auto",
    front_matter_key: Annotated[
        list[str] | None,
        typer.Option("--front-matter-key", help="Front matter key to translate (repeatable; dotted paths)."),
    ] = None,
    attribute: Annotated[
        list[str] | None,
        typer.Option(
            "--attribute", help="TAG=ATTR: an HTML attribute to translate (repeatable; * = any tag)."
        ),
    ] = None,
    jsx_text_prop: Annotated[
        list[str] | None,
        typer.Option(
            "--jsx-text-prop",
            help="MDX: a JSX prop whose strings are prose (repeatable; replaces title, label, alt, "
            "description, placeholder, aria-label, caption).",
        ),
    ] = None,
    anchors: Annotated[
        str,
        typer.Option(
            help="In-page links follow the translated headings' ids as the generator makes them: "
            "auto (the post's dialect), keep, vitepress, hugo, hexo, jekyll, github (Docusaurus), "
            "mkdocs, pymdownx."
        ),
    ] = "auto",
    on_unit_failure: Annotated[
        str,
        typer.Option(
            help="A unit that still fails after retries: fail (the post is not written) or keep-source."
        ),
    ] = "fail",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite outputs that translate did not write (a reference).")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="A line for each post written, and every place of syntax a note names."
        ),
    ] = False,
) -> None:
    """Translate FILE... into the --to locale; write each next to its source (see --output)."""
    import asyncio

    from ..backends import load_backend
    from ..backends.runner import Runner, RunOptions
    from ..errors import BackendUnavailable, BudgetExceeded, UsageError
    from ..glossary import Glossary, load_glossary
    from ..locales import parse_locale
    from ..pipeline import FileResult, output_of_other, output_path, repo_memory, translate_files
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
        from ..backends.prices import split_price

        own_options, price = split_price(backend, backend_options(backend_option or []))
        # a dry run only plans the requests: it needs no backend (nor its key)
        be = load_backend("identity" if dry_run else backend, {} if dry_run else own_options)
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
        segmenter = Segmenter(segment_options(dialect, front_matter_key, attribute, anchors, jsx_text_prop))
        memory = repo_memory(Path.cwd())
        given = given_flags(dialect, front_matter_key, attribute, anchors, jsx_text_prop)
        ours = [f for f in files if memory is not None and memory.locate(f, to) is not None] if given else []
        if ours:  # the memory's units must be the ones sync made: the config's options win
            more = f" (and {len(ours) - 1} more)" if len(ours) > 1 else ""
            typer.echo(
                f"note: {ours[0]}{more} is a post of the repository configured in {memory.cfg.path.name}: "
                f"it is segmented as the config says; {', '.join(given)} not used for it",
                err=True,
            )
        for f in list(files):
            if why := output_of_other(f, output, [to], memory):
                typer.echo(f"note: skipped {f}: it is {why}", err=True)
                files.remove(f)
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
        raise typer.Exit(_dry_run(files, segmenter, translator, price))

    import time

    from ._console import Display, Spent
    from ._report import render, totals

    began = time.monotonic()
    posts: list[dict[str, object]] = []
    display = Display(len(files), quiet=quiet, as_json=as_json, spent=lambda: Spent.of(runner))

    def report(f: Path, outcome: object) -> None:
        if isinstance(outcome, FileResult):
            record.wrote(outcome.output, outcome.post.text)
            status = "written" if outcome.written else "unchanged"
            untranslated = len(outcome.post.issues)
            posts.append(_entry(f, outcome.output, status, outcome.post.units, untranslated))
            for note in outcome.notes:
                display.warning(f"{f}: {note}")
            for place in outcome.places if verbose else ():
                display.warning(f"{f}: {place}")
            if untranslated:
                display.warning(f"{f}: written with {plural(untranslated, 'untranslated unit')} (--partial)")
            line = f"{f} -> {outcome.output} ({plural(outcome.post.units, 'unit')})"
            display.finished(str(f), status, line if verbose else "")
            return
        message = _failure(f, outcome)
        posts.append(_entry(f, dict(zip(files, outs, strict=True)).get(f), "failed", message=message))
        display.finished(str(f))
        if not isinstance(outcome, BackendUnavailable | BudgetExceeded):
            display.error(message)  # a stop is said once, below

    with handled(), display:
        stop = asyncio.run(
            translate_files(
                list(zip(files, outs, strict=True)),
                segmenter,
                translator,
                report,
                partial,
                memory,
                started=lambda f: display.started(str(f)),
            )
        )
    record.save()
    for path, why in translator.kept_source:
        display.warning(f"{path}:{why.line}: left in the source language ({why.message})")
    where = f"{files[0]}:" if len(files) == 1 else "line "  # the translator does not say which post
    for w in translator.warnings:
        display.warning(f"{where}{w.line}: {w.message} (kept: --glossary-mode warn)")
    failed = sum(p["status"] == "failed" for p in posts)
    if stop is not None:
        written = sum(p["status"] != "failed" for p in posts)
        display.error(f"stopped: {stop}; {len(files) - written} of {plural(len(files), 'post')} not written")
    ok = not failed and stop is None
    if as_json:
        total = totals([str(p["status"]) for p in posts], runner, time.monotonic() - began)
        order = {str(f): i for i, f in reversed(list(enumerate(files)))}
        posts.sort(key=lambda p: order.get(str(p["source"]), len(files)))  # as given, not as finished
        typer.echo(render("translate", posts, total, ok, str(stop) if stop else None))
    else:
        display.summary(_summary(posts, runner), ok)
    raise typer.Exit(0 if ok else 1)


def _entry(
    source: Path, output: Path | None, status: str, units: int = 0, untranslated: int = 0, message: str = ""
) -> dict[str, object]:
    return {
        "source": str(source),
        "output": str(output) if output is not None else None,
        "status": status,
        "units": units,
        "untranslated": untranslated,
        "message": message,
    }


def _failure(f: Path, outcome: object) -> str:
    """The message of a post that failed, naming the file."""
    from ..errors import BackendUnavailable, BudgetExceeded, I18nPostsError, PostError

    if isinstance(outcome, BackendUnavailable | BudgetExceeded):
        return f"{f}: not done ({outcome})"
    if isinstance(outcome, PostError):
        return str(outcome)
    if isinstance(outcome, I18nPostsError):
        return f"{f}: {outcome}"
    return internal(str(f), outcome)  # type: ignore[arg-type]  (a bug of ours: one line)


def _summary(posts: list[dict[str, object]], runner: object) -> str:
    """One line: what was written, what failed, what was sent."""
    from ._console import plural

    n = {k: sum(p["status"] == k for p in posts) for k in ("written", "unchanged", "failed")}
    if len(posts) == 1 and n["failed"] == 0:
        what = f"{'wrote' if n['written'] else 'unchanged:'} {posts[0]['output']}"
    else:
        what = ", ".join(f"{v} {k}" for k, v in n.items() if v or k == "written")
    r = runner  # a Runner
    sent = plural(r.units_sent, "unit") + " sent"  # type: ignore[attr-defined]
    if r.calls:  # type: ignore[attr-defined]
        sent += f" in {plural(r.calls, 'call')}, {r.chars_sent:,} characters"  # type: ignore[attr-defined]
        tokens = r.backend.usage.total  # type: ignore[attr-defined]
        sent += f", {tokens:,} tokens" if tokens else f", ~{r.tokens_estimated:,} tokens"  # type: ignore[attr-defined]
    return f"translate: {what}; {sent}"


def _dry_run(files: list[Path], segmenter: object, translator: object, price: object) -> int:
    from ..backends.prices import Estimate, money
    from ..backends.runner import request_tokens
    from ..errors import I18nPostsError
    from ..load import load_post

    est = Estimate()
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
        est = est + Estimate.of(reqs)
        row = [
            len(post.units),
            sum(len(u.text) for u in post.units),
            len(reqs),
            sum(map(request_tokens, reqs)),
        ]
        total = [a + b for a, b in zip(total, row, strict=True)]
        typer.echo(f"{str(f)[-48:]:<48} {row[0]:>6} {row[1]:>8} {row[2]:>6} {row[3]:>8}")
    typer.echo(f"{'total':<48} {total[0]:>6} {total[1]:>8} {total[2]:>6} {total[3]:>8}")
    cost = est.cost(price)  # type: ignore[arg-type]
    if cost is not None:
        typer.echo(f"estimated cost: {money(cost, price.currency)} ({price.source})")  # type: ignore[attr-defined]
    else:
        typer.echo(
            "estimated cost: unknown (give --backend-option price_input_per_mtok=N "
            "--backend-option price_output_per_mtok=N)"
        )
    typer.echo("dry run: nothing sent, nothing written", err=True)
    return 1 if bad else 0
