"""Review pages as HTML text: a post's units side by side (`post_page`) and the index of the
posts (`index_page`). Every page is one self-contained file (its style and script inline,
no network, no CDN) with a Content-Security-Policy that lets only its own script run, so
even a mistake in escaping could not run a post's `<script>`; light and dark follow the
reader's system. The same pages are served by `review --serve` (`live=True`: an editor per
unit and the session token)."""

from __future__ import annotations

import html
import json
import secrets
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

from .blocks import NAMES, block_of
from .render import diff, display_parser, render_side, source_marker, target_marker

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from ..glossary import Glossary
    from ..model import SegmentedPost, Unit
    from .collect import PostReview, UnitReview

STATE_NAMES = {
    "reviewed": "reviewed",
    "machine": "machine",
    "kept": "kept as written",
    "fuzzy": "fuzzy",
    "failing": "failing a check",
    "warned": "warned",
    "missing": "no translation",
}
OUTPUT_NAMES = {
    "current": "the output is what sync writes",
    "stale": "the output differs from what sync would write (run sync)",
    "missing": "no output yet (run sync)",
    "incomplete": "some units have no usable translation: sync would send them",
    "broken": "the memory assembles into a post of another structure",
}


@dataclass(frozen=True, slots=True)
class Live:
    """What a served page needs: the session token (sent back on every request)."""

    token: str


def _asset(name: str) -> str:
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json(value: object) -> str:
    """JSON safe inside a <script> element (no `</script>`, no `<!--`)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def _page(title: str, body: str, live: Live | None, lang: str = "en") -> str:
    nonce = secrets.token_urlsafe(12)
    connect = "'self'" if live else "'none'"
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'"
    )
    token = f'<meta name="review-token" content="{_e(live.token)}">' if live else ""
    return (
        f'<!doctype html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{token}'
        f"<title>{_e(title)}</title><style>{_asset('review.css')}</style></head>\n"
        f'<body class="{"live" if live else "static"}">\n{body}\n'
        f'<script nonce="{nonce}">{_asset("review.js")}</script></body></html>\n'
    )


def counts(r: PostReview) -> dict[str, int]:
    """Units, reviewed, issues (failing and warned), fuzzy, missing."""
    return {
        "units": len(r.units),
        "reviewed": r.count("reviewed", "warned"),
        "issues": r.count("failing", "warned"),
        "fuzzy": r.count("fuzzy"),
        "missing": r.count("missing"),
    }


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def post_page(r: PostReview, index_href: str, live: Live | None = None, md: MarkdownIt | None = None) -> str:
    """The review page of one post in one locale."""
    md = md or display_parser()
    c = counts(r)
    title = r.post.title or r.source
    rows = "\n".join(unit_row(md, r, u, live is not None) for u in r.units)
    kinds = sorted({block_of(r.post, u.unit) for u in r.units}, key=list(NAMES).index)
    state_opts = "".join(
        f'<label><input type="checkbox" name="state" value="{s}" checked> {_e(n)} '
        f'<span class="n">{r.count(s)}</span></label>'  # type: ignore[arg-type]
        for s, n in STATE_NAMES.items()
        if r.count(s)  # type: ignore[arg-type]
    )
    kind_opts = "".join(f'<option value="{k}">{_e(NAMES[k])}</option>' for k in kinds)
    body = f"""<header>
<p class="crumbs"><a href="{_e(index_href)}">all posts</a> · {_e(r.source)} → {_e(r.output)}
[{_e(r.locale)}]</p>
<h1>{_e(title)}</h1>
<p class="counts" id="counts" data-units="{c["units"]}"><span>{c["units"]} units</span>
<span><b id="reviewed-pct">{percent(c["reviewed"], c["units"])}</b> reviewed</span>
<span id="issue-count">{c["issues"]} with issues</span>
<span class="output output-{r.output_state}" id="output-state">{_e(OUTPUT_NAMES[r.output_state])}</span></p>
<form class="filters" id="filters">{state_opts}
<select name="kind" aria-label="block"><option value="">every block</option>{kind_opts}</select></form>
<p class="keys">keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous unit{
        ", <kbd>e</kbd> edit, <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save, <kbd>Esc</kbd> cancel" if live else ""
    }</p>
<p class="banner" id="banner" role="alert" hidden></p>
</header>
<main id="units" data-source="{_e(r.source)}" data-locale="{_e(r.locale)}">
<div class="cols"><div>source ({_e(r.post.source.path.name)})</div>
<div>translation [{_e(r.locale)}]</div></div>
{rows}
</main>"""
    return _page(f"Review: {title} [{r.locale}]", body, live, r.locale)


def unit_row(md: MarkdownIt, r: PostReview, u: UnitReview, live: bool) -> str:
    """One unit: source and translation rendered, its state, its issues, its editor."""
    unit = u.unit
    block = block_of(r.post, unit)
    terms = r.glossary.terms_in(unit.source_segments)
    src = render_side(md, r.post, unit, {}, source_marker(r.glossary))
    if u.translation:
        tgt = render_side(md, r.post, unit, {unit.id: u.translation}, target_marker(terms))
    else:
        tgt = '<span class="none">no translation yet</span>'
    origin = u.origin.split(" #", 1)[0].removeprefix("machine: ")
    state = STATE_NAMES[u.state]
    if u.state in ("machine", "failing") and origin:
        state += f" ({_e(origin)})"
    issues = "".join(f"<li>{_e(i.message)}</li>" for i in u.issues)
    extra = ""
    if u.state == "fuzzy":
        extra = (
            '<details class="prev" open><summary>the source changed since this translation</summary>'
            f'<div class="diff">{diff(u.previous, unit.text)}</div>'
            f"<div>previous translation: {_e(u.translation)}</div></details>"
        )
    gloss = ""
    if terms:
        gloss = '<p class="terms">' + " ".join(
            f"<span>{_e(t.source)} → <b>{_e(t.target)}</b></span>" for t in terms
        ) + "</p>"  # fmt: skip
    data = ""
    if live:
        legend = [
            {"tag": p.tag, "label": p.label, "text": r.post.source.text[p.start : p.end][:80]}
            for p in unit.placeholders
        ]
        value = {"id": unit.id, "source": unit.text, "translation": u.translation, "placeholders": legend}
        data = f'<script type="application/json" class="data">{_json(value)}</script>'
    return (
        f'<article class="unit state-{u.state}" id="{unit.id}" data-state="{u.state}" '
        f'data-kind="{block}" tabindex="-1">'
        f'<div class="meta"><a href="#{unit.id}">line {unit.line}</a> · {_e(NAMES[block])} · '
        f'<span class="state">{state}</span></div>'
        f'<div class="src">{src}</div>'
        f'<div class="tgt">{tgt}</div>'
        f'<div class="notes">{gloss}<ul class="issues">{issues}</ul>{extra}</div>{data}</article>'
    )


def index_page(reviews: list[tuple[PostReview, str]], live: Live | None = None) -> str:
    """The index: every post and locale with its counts, linking to its page (href)."""
    rows = []
    total = sum(len(r.units) for r, _ in reviews)
    reviewed = sum(counts(r)["reviewed"] for r, _ in reviews)
    for r, href in reviews:
        c = counts(r)
        rows.append(
            f'<tr><td><a href="{_e(href)}">{_e(r.post.title or r.source)}</a>'
            f"<br><small>{_e(r.source)}</small></td><td>{_e(r.locale)}</td><td>{c['units']}</td>"
            f"<td>{percent(c['reviewed'], c['units'])}</td>"
            f"<td>{c['issues']}</td><td>{c['fuzzy']}</td><td>{c['missing']}</td>"
            f'<td class="output-{r.output_state}">{_e(OUTPUT_NAMES[r.output_state])}</td></tr>'
        )
    body = f"""<header><h1>Translation review</h1>
<p class="counts"><span>{len(reviews)} posts</span><span>{total} units</span>
<span><b>{percent(reviewed, total)}</b> reviewed</span></p></header>
<main><table class="index"><thead><tr><th>post</th><th>locale</th><th>units</th><th>reviewed</th>
<th>issues</th><th>fuzzy</th><th>untranslated</th><th>output</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></main>"""
    return _page("Translation review", body, live)


def translation_html(md: MarkdownIt, post: SegmentedPost, glossary: Glossary, unit: Unit, text: str) -> str:
    """The translation `text` of `unit`, rendered as on the page (for the editor's preview)."""
    terms = glossary.terms_in(unit.source_segments)
    return render_side(md, post, unit, {unit.id: text}, target_marker(terms))


def unit_update(md: MarkdownIt, r: PostReview, unit_id: str) -> dict[str, object]:
    """What a served page needs to show a unit anew after a save."""
    u = next(x for x in r.units if x.unit.id == unit_id)
    origin = u.origin.split(" #", 1)[0].removeprefix("machine: ")
    name = STATE_NAMES[u.state] + (f" ({origin})" if u.state in ("machine", "failing") and origin else "")
    return {
        "id": unit_id,
        "line": u.unit.line,
        "state": u.state,
        "state_name": name,
        "html": translation_html(md, r.post, r.glossary, u.unit, u.translation) if u.translation else "",
        "issues": [i.message for i in u.issues],
        "translation": u.translation,
    }
