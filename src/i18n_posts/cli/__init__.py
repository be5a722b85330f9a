"""The `i18n-posts` command. The only module that prints or exits.

Exit codes: 0 all done, 1 some file failed (or the backend gave up), 2 usage or config error.
Heavy modules are imported inside the commands so that `--help` and `--version` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .. import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Translate Markdown blog posts byte-exactly: only the prose changes.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"i18n-posts {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
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
    retries: Annotated[int, typer.Option(help="Times a failing unit is sent again.")] = 2,
    batch_chars: Annotated[int, typer.Option(help="Characters of unit text per backend call.")] = 6000,
    concurrency: Annotated[int, typer.Option(help="Backend calls in flight at once.")] = 4,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Send nothing, write nothing: show units, characters and estimated tokens."
        ),
    ] = False,
    max_tokens: Annotated[
        int | None, typer.Option(help="Stop before the estimated tokens (sent and received) would pass N.")
    ] = None,
    max_chars: Annotated[
        int | None, typer.Option(help="Stop before the characters sent would pass N (MT services).")
    ] = None,
    partial: Annotated[
        bool, typer.Option(help="Write posts even if some units fail (they stay untranslated).")
    ] = False,
    glossary_mode: Annotated[
        str, typer.Option(help="A glossary term still missed after retries: fail (default) or warn.")
    ] = "fail",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what was written.")] = False,
) -> None:
    """Translate FILE... into the --to locale; write each next to its source (see --output)."""
    import asyncio

    from ..backends import load_backend
    from ..errors import BackendUnavailable, BudgetExceeded, I18nPostsError, PostError, UsageError
    from ..glossary import Glossary, load_glossary
    from ..pipeline import FileResult, memory_locator, output_path, translate_files
    from ..segment import Segmenter
    from ..translate import TranslateOptions, Translator

    if backend is None:
        _usage("choose a backend with --backend (identity, pseudo, command, openai, deepl, libretranslate)")
    try:
        be = load_backend(backend, _options(backend_option or []))
        if glossary is not None and not glossary.is_file():
            raise UsageError(f"{glossary}: glossary file not found")
        gl = load_glossary(glossary, source_locale, to) if glossary else Glossary.of(())
        options = TranslateOptions(
            source_locale,
            to,
            retries=retries,
            batch_chars=batch_chars,
            concurrency=concurrency,
            max_tokens=max_tokens,
            max_chars=max_chars,
            glossary_mode=glossary_mode,
        )
        if glossary_mode not in ("fail", "warn"):
            raise UsageError(f"--glossary-mode must be fail or warn, not {glossary_mode!r}")
        translator = Translator(be, gl, options)
        segmenter = Segmenter()
        outs = [output_path(output, f, to) for f in files]
        for f, o in zip(files, outs, strict=True):
            if o.resolve() == f.resolve():
                raise UsageError(f"{f}: --output {output!r} would write over the source; choose another")
    except UsageError as exc:
        _usage(str(exc))
    except I18nPostsError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None

    if dry_run:
        raise typer.Exit(_dry_run(files, segmenter, translator))

    failed = written = 0
    with _progress(len(files)) as advance:

        def report(f: Path, outcome: object) -> None:
            nonlocal failed, written
            advance()
            if isinstance(outcome, FileResult):
                written += 1
                if outcome.post.issues:
                    _err(f"{f}: written with {len(outcome.post.issues)} untranslated unit(s)")
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
                _err(str(outcome))
            elif isinstance(outcome, I18nPostsError):
                _err(f"{f}: {outcome}")
            else:  # a bug of ours: say so on one line, go on with the others
                _err(f"{f}: internal error ({type(outcome).__name__}: {outcome}); please report it")

        try:
            stop = asyncio.run(
                translate_files(
                    list(zip(files, outs, strict=True)),
                    segmenter,
                    translator,
                    report,
                    partial,
                    memory_locator(Path.cwd(), to),
                )
            )
        except UsageError as exc:
            _usage(str(exc))
    for w in translator.warnings:
        _err(f"warning: line {w.line}: {w.message} (kept: --glossary-mode warn)")
    if stop is not None:
        _err(f"stopped: {stop}; {len(files) - written} of {len(files)} posts not written")
    if failed or verbose or len(files) > 1:
        usage = getattr(be, "usage", None)
        tokens = f", {usage.total} tokens used" if usage is not None and usage.total else ""
        typer.echo(
            f"{written} written, {failed} failed ({translator.calls} backend calls, "
            f"{translator.chars_sent} characters sent{tokens})",
            err=bool(failed),
        )
    raise typer.Exit(1 if failed or stop else 0)


def _dry_run(files: list[Path], segmenter: object, translator: object) -> int:
    from ..errors import I18nPostsError
    from ..load import load_post
    from ..translate import request_tokens

    total = [0, 0, 0, 0]
    bad = 0
    typer.echo(f"{'post':<48} {'units':>6} {'chars':>8} {'calls':>6} {'~tokens':>8}")
    for f in files:
        try:
            post = segmenter.segment(load_post(f))  # type: ignore[attr-defined]
        except I18nPostsError as exc:
            _err(str(exc))
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


@app.command()
def segments(
    file: Annotated[Path, typer.Argument(help="A post.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the translatable units of a post."""
    import json

    from ..errors import I18nPostsError
    from ..load import load_post
    from ..segment import segment

    try:
        post = segment(load_post(file))
    except I18nPostsError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    if as_json:
        data = [
            {
                "id": u.id,
                "kind": u.kind,
                "line": u.line,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "placeholders": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "label": p.label,
                        "source": post.source.text[p.start : p.end],
                    }
                    for p in u.placeholders
                ],
            }
            for u in post.units
        ]
        typer.echo(json.dumps({"file": str(file), "units": data}, ensure_ascii=False, indent=2))
        return
    for u in post.units:
        typer.echo(f"{u.id:>5} {u.line:>4} {u.kind:<15} {u.text!r}")
    typer.echo(f"{len(post.units)} units", err=True)


@app.command()
def sync(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Config file (default: ./i18n-posts.toml or [tool.i18n-posts] in ./pyproject.toml).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Send nothing, write nothing; exit 1 if anything is missing or stale."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove outputs and memory of deleted posts.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite outputs whose hand edits no longer align with their source."),
    ] = False,
    shard: Annotated[str, typer.Option(help="I/N: process a deterministic 1/N of the posts.")] = "1/1",
    partial: Annotated[bool, typer.Option(help="Write posts even if some units fail.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="A machine-readable report on stdout.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List unchanged posts too.")] = False,
) -> None:
    """Bring every translation of the repository up to date, incrementally (see i18n-posts.toml)."""
    from ..config import find_config
    from ..errors import ConfigError, I18nPostsError, UsageError
    from ..memory.state import digest
    from ..repo import config_digest
    from ..sync import SyncContext, SyncOptions, run_sync

    m = __import__("re").fullmatch(r"(\d+)/(\d+)", shard)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        _usage(f"--shard expects I/N with 1 <= I <= N, got {shard!r}")
    try:
        cfg = find_config(Path.cwd(), config)
        if cfg is None:
            raise UsageError(
                "no i18n-posts.toml here (nor [tool.i18n-posts] in pyproject.toml); "
                "run from the repository root or give --config FILE"
            )
        gpath = cfg.inside(cfg.glossary, "glossary") if cfg.glossary else None
        if gpath is not None and not gpath.is_file():
            raise ConfigError(cfg.path, f"glossary {cfg.glossary!r} not found")
        options = SyncOptions(
            check=check,
            dry_run=dry_run,
            prune=prune,
            force=force,
            shard=(int(m.group(1)), int(m.group(2))),
            partial=partial,
        )
    except UsageError as exc:
        _usage(str(exc))

    def make_translator():  # only when something must be sent
        from ..backends import load_backend
        from ..glossary import Glossary, load_glossary
        from ..translate import TranslateOptions, Translator

        opts = dict(cfg.backend)
        name = opts.pop("name", None)
        if not name:
            raise UsageError(
                f"{cfg.path}: some units need translating: configure a backend "
                '([backend] name = "openai", preset = "deepseek", ... see the README)'
            )
        gl = load_glossary(gpath, cfg.source_locale, cfg.target_locales[0]) if gpath else Glossary.of(())
        return Translator(
            load_backend(name, opts),
            gl,
            TranslateOptions(
                cfg.source_locale,
                cfg.target_locales[0],
                retries=cfg.retries,
                batch_chars=cfg.batch_chars,
                concurrency=cfg.concurrency,
                glossary_mode=cfg.glossary_mode,
            ),
        )

    ctx = SyncContext(
        cfg, options, make_translator, digest(gpath.read_bytes()) if gpath else "-", config_digest(cfg)
    )
    reports = []

    def report(r) -> None:
        reports.append(r)
        if as_json:
            return
        if r.status == "failed":
            _err(r.message)
        elif r.status in ("orphaned", "pruned", "stale") or (r.status == "edited"):
            typer.echo(f"{r.status}: {r.source} [{r.locale}] {r.message}")
        elif r.status != "unchanged" or verbose:
            what = "would send" if dry_run else "sent"
            typer.echo(
                f"{r.status}: {r.source} -> {r.output} ({what} {r.sent} units, {r.chars} chars; "
                f"reused {r.reused}{'; wrote it' if r.written else ''})"
            )

    try:
        stop = run_sync(ctx, report)
    except UsageError as exc:
        _usage(str(exc))
    except I18nPostsError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    if stop is not None:
        _err(f"stopped: {stop}")
    bad = [r for r in reports if r.status in ("failed", "stale")]
    if as_json:
        import json

        typer.echo(
            json.dumps(
                {
                    "posts": [r.as_dict() for r in reports],
                    "stopped": str(stop) if stop else None,
                    "ok": not bad and stop is None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        counts: dict[str, int] = {}
        for r in reports:
            counts[r.status] = counts.get(r.status, 0) + 1
        sent = sum(r.sent for r in reports)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no posts"
        typer.echo(
            f"sync: {summary}; {sent} units {'to send' if dry_run or check else 'sent'}",
            err=bool(bad or stop),
        )
    raise typer.Exit(1 if bad or stop else 0)


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


def _mount() -> None:
    from .glossary import app as glossary_app

    app.add_typer(glossary_app, name="glossary", help="Glossary tools: lint, extract candidates, report.")


_mount()


def main() -> None:
    app()
