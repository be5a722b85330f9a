"""A VitePress site laid out as a blog lays it out, its English posts made by `sync`, built by
VitePress itself, and what the build gives checked: compile failures and dead links (the build
stops on them), every post page's article body, every in-page anchor (`href="#..."`) against
the element ids of its page.

Used by tests/test_vitepress_build.py (the fixture site in tests/data/site/) and by
`python tests/vitepress_site.py blog ../shared/corpus/pfcc-blog` (the real blog: its own site
files, adapted for a second locale by `blog_locale.adapt`). Needs Node.js and the npm packages
of .ci/cache/vitepress/package.json (VitePress 1.6.4, the blog's plugins, prettier):
`.ci/run` installs them and points `I18N_POSTS_SITE_MODULES` at them."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
MODULES = Path(
    os.environ.get("I18N_POSTS_SITE_MODULES", HERE.parent / ".ci" / "cache" / "vitepress" / "node_modules")
)
HOSTILE = HERE / "data" / "backends" / "hostile.py"
BACKENDS = {
    "pseudo": 'name = "pseudo"\n',
    "hostile": f'name = "command"\ncommand = {json.dumps(f"{sys.executable} {HOSTILE}")}\n',
}

# the smallest valid PNG (1x1): a placeholder for every image a post references
PRETTIERRC = {
    "printWidth": 100, "tabWidth": 2, "singleQuote": True, "trailingComma": "es5", "semi": False,
    "arrowParens": "always", "endOfLine": "lf",
    "overrides": [
        {"files": "*.md", "options": {"tabWidth": 3}},
        {"files": "*.json5", "options": {"singleQuote": False}},
    ],
}  # fmt: skip
"""The PFCC blog's `.prettierrc` (its pre-commit hook runs `prettier --write`)."""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
_IMAGE = re.compile(r"""\.\./images/[^\s)"'<>]+""")


def prettier_differs(root: Path, files: list[str]) -> set[str]:
    """Which of `files` (relative to `root`) prettier would rewrite, with the blog's config."""
    (root / ".prettierrc").write_text(json.dumps(PRETTIERRC), encoding="utf-8")
    cli = MODULES / "prettier" / "bin" / "prettier.cjs"
    r = subprocess.run(
        ["node", str(cli), "--list-different", *files], cwd=root, capture_output=True, text=True, timeout=600
    )
    if r.returncode not in (0, 1) or r.stderr.strip():
        raise RuntimeError(f"prettier failed: {r.stderr}")
    return set(r.stdout.split())


def missing() -> str | None:
    """Why the site cannot be built here, or None."""
    if shutil.which("node") is None:
        return "no Node.js on this machine"
    if not (MODULES / "vitepress" / "package.json").is_file():
        return f"VitePress is not installed in {MODULES} (.ci/run installs it)"
    return None


@dataclass(frozen=True)
class Built:
    """What one build of a site gave."""

    ok: bool
    """Whether `vitepress build` exited 0 (it stops on a compile failure or a dead link)."""
    log: str
    """The build's output, stdout and stderr."""
    pages: tuple[str, ...]
    """The post pages checked, relative to the output folder (`en/posts/a.html`)."""
    no_body: tuple[str, ...] = ()
    """Post pages whose article body is missing or empty."""
    anchors: int = 0
    """In-page links (`href="#..."`, heading permalinks left out) checked."""
    unresolved: tuple[str, ...] = field(default=())
    """`page#id` for each in-page link with no element of that id in its page."""

    @property
    def failures(self) -> list[str]:
        """The build's error lines (compile failures, dead links)."""
        return [ln for ln in self.log.splitlines() if re.search(r"error|dead link|✖", ln, re.I)]


def lay_out(root: Path, site: Path, posts: Path, backend: str) -> None:
    """`root` as the blog's repository: `src/.vitepress/` from `site`, `src/posts/` from
    `posts`, placeholder images, the config of `sync` (`backend`: `pseudo` or `hostile`)."""
    src = root / "src"
    shutil.copytree(site / ".vitepress", src / ".vitepress")
    for extra in site.iterdir():
        if extra.name not in (".vitepress", "LICENSE", "node_modules") and not extra.name.startswith("."):
            (shutil.copytree if extra.is_dir() else shutil.copy)(extra, src / extra.name)
    if (site / "package.json").is_file():
        shutil.move(src / "package.json", root / "package.json")
    (src / "posts").mkdir(parents=True, exist_ok=True)
    for p in sorted(posts.glob("*.md")):
        shutil.copy(p, src / "posts" / p.name)
    for p in sorted((src / "posts").glob("*.md")):
        for ref in _IMAGE.findall(p.read_text(encoding="utf-8")):
            image = (src / "posts" / unquote(ref.split("#")[0].split("?")[0])).resolve()
            image.parent.mkdir(parents=True, exist_ok=True)
            if not image.exists():
                image.write_bytes(
                    b"<svg xmlns='http://www.w3.org/2000/svg'/>" if ref.endswith(".svg") else PNG
                )
    (root / "node_modules").symlink_to(MODULES)
    write_config(root, backend)


def write_config(root: Path, backend: str) -> None:
    """The config of `sync` for a blog repository: `src/posts/*.md` -> `src/en/posts/`."""
    (root / "i18n-posts.toml").write_text(
        'source_locale = "zh"\ntarget_locales = ["en"]\ninclude = ["src/posts/*.md"]\n'
        'output = "src/{locale}/posts/{stem}{ext}"\nmemory = "locales"\n'
        'front_matter_quote = "single"  # the blog\'s prettier has singleQuote: true\n\n'
        f"[backend]\n{BACKENDS[backend]}",
        encoding="utf-8",
    )


def sync(root: Path) -> subprocess.CompletedProcess[str]:
    """`i18n-posts sync` in the site's repository."""
    return subprocess.run(
        [sys.executable, "-m", "i18n_posts", "sync"], cwd=root, capture_output=True, text=True, timeout=900
    )


def build(root: Path, timeout: float = 900) -> Built:
    """`vitepress build src`, then the checks of every post page it wrote."""
    cli = root / "node_modules" / "vitepress" / "bin" / "vitepress.js"
    r = subprocess.run(
        ["node", str(cli), "build", "src"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, NO_COLOR="1", CI="true"),
    )
    log = r.stdout + r.stderr
    dist = root / "src" / ".vitepress" / "dist"
    if r.returncode != 0:
        return Built(False, log, ())
    pages, no_body, unresolved, anchors = [], [], [], 0
    for md in sorted((root / "src").rglob("posts/*.md")):
        rel = md.relative_to(root / "src").with_suffix(".html").as_posix()
        pages.append(rel)
        page = (dist / rel).read_text(encoding="utf-8") if (dist / rel).is_file() else ""
        if not article_body(page):
            no_body.append(rel)
        links = in_page_links(page)
        anchors += len(links)
        ids = element_ids(page)
        unresolved += [f"{rel}#{a}" for a in links if a not in ids]
    return Built(True, log, tuple(pages), tuple(no_body), anchors, tuple(unresolved))


_CONTENT = re.compile(r'<div[^>]*class="[^"]*\bprose\b[^"]*"[^>]*>(.*)</article>', re.S)
_HREF = re.compile(r"<a\b([^>]*)>")
_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")


def article_body(page: str) -> str:
    """The text of the page's article body (the theme's `<Content class="prose ...">`)."""
    m = _CONTENT.search(page)
    if not m:
        return ""
    text = re.sub(r"<(script|style)\b.*?</\1>", "", m.group(1), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def elements(page: str) -> dict[str, int]:
    """How many elements of each kind the article body has (`span` left out: the escape of
    `{{` is one)."""
    m = _CONTENT.search(page)
    counts: dict[str, int] = {}
    for tag in re.findall(
        r"<([A-Za-z][\w-]*)", re.sub(r"<!--.*?-->", "", m.group(1), flags=re.S) if m else ""
    ):
        if tag.lower() != "span":
            counts[tag.lower()] = counts.get(tag.lower(), 0) + 1
    return counts


def in_page_links(page: str) -> list[str]:
    """The ids that the page's `href="#..."` links point to (heading permalinks left out)."""
    out = []
    for m in _HREF.finditer(page):
        attrs = m.group(1)
        h = re.search(r"""\shref=(?:"#([^"]*)"|'#([^']*)')""", attrs)
        if h and "header-anchor" not in attrs:
            out.append(unquote(html.unescape(h.group(1) or h.group(2) or "")))
    return out


def element_ids(page: str) -> set[str]:
    return {html.unescape(m.group(1) or m.group(2) or "") for m in _ID.finditer(page)}


def main(argv: list[str]) -> int:
    """`blog CORPUS [--keep DIR]`: the real blog with pseudo and hostile English; prints a
    report, exits 1 on any failure."""
    import tempfile

    from blog_locale import adapt

    if len(argv) < 2 or argv[0] != "blog":
        print(main.__doc__, file=sys.stderr)
        return 2
    corpus = Path(argv[1]).resolve()
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    if why := missing():
        print(f"site build skipped: {why}", file=sys.stderr)
        return 2
    bad = 0
    for backend in ("pseudo", "hostile"):
        root = (keep / backend) if keep else Path(tempfile.mkdtemp(prefix=f"blog-{backend}-"))
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        lay_out(root, corpus / "site", corpus / "posts", backend)
        adapt(root / "src")
        s = sync(root)
        if s.returncode != 0:
            print(f"{backend}: sync failed\n{s.stdout}{s.stderr}")
            bad += 1
            continue
        b = build(root)
        english = [p for p in b.pages if p.startswith("en/")]
        print(
            f"{backend}: build {'ok' if b.ok else 'FAILED'}, {len(b.pages)} post pages "
            f"({len(english)} English), {len(b.no_body)} without article body, "
            f"{b.anchors} in-page anchors, {len(b.unresolved)} unresolved"
        )
        for line in (b.failures if not b.ok else []) + list(b.no_body) + list(b.unresolved):
            print(f"  {line}")
        bad += (not b.ok) + len(b.no_body) + len(b.unresolved)
        if not keep:
            shutil.rmtree(root)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main(sys.argv[1:]))
