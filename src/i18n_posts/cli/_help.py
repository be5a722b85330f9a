"""The examples and environment variables shown under each command's `--help`, in one place.

Typer's help joins single line breaks: each line below is its own paragraph (a blank line
between), and `[` is escaped (Rich reads `[x]` as markup)."""

from __future__ import annotations

KEYS: dict[str, str] = {
    # `openai` presets (backends/openai.py PRESETS; a test keeps the two in step) and the MT services
    "openai": "OPENAI_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "qwen": "DASHSCOPE_API_KEY",
    "qianfan": "QIANFAN_API_KEY",
    "llamacpp": "",
    "ollama": "",
    "vllm": "",
    "lmstudio": "",
}
MT_KEYS = {"deepl": "DEEPL_AUTH_KEY", "libretranslate": "LIBRETRANSLATE_API_KEY"}


def _lines(*lines: str) -> str:
    return "\n\n".join(line.replace("[", "\\[") for line in lines)


def _environment() -> list[str]:
    presets = ", ".join(f"{p} {k}" if k else f"{p} (no key)" for p, k in KEYS.items())
    services = ", ".join(f"{b} {k}" for b, k in MT_KEYS.items())
    return [
        "Environment: keys are read only from environment variables, never printed.",
        f"  --backend openai --backend-option preset=NAME reads: {presets}.",
        f"  {services} (optional for a self-hosted server); api_key_env=NAME reads another.",
        "  NO_COLOR: no colour; XDG_CACHE_HOME: where sync remembers file digests.",
    ]


EPILOGS: dict[str, str] = {
    "translate": _lines(
        "Examples:",
        "  i18n-posts translate post.md --to en --backend pseudo    (offline: see what would change)",
        "  DEEPSEEK_API_KEY=... i18n-posts translate posts/*.md --to en --backend openai "
        "--backend-option preset=deepseek --glossary glossary.yml",
        "  i18n-posts translate post.md --to en --backend openai --backend-option preset=qwen --dry-run",
        "  i18n-posts translate docs/*.md --to en --backend pseudo --dialect mkdocs --anchors pymdownx    "
        "(a site with pymdownx.slugs: in-page links follow its heading ids)",
        "  i18n-posts translate docs/a.mdx --to en --backend pseudo --jsx-text-prop label "
        "--jsx-text-prop summary",
        "Heading ids (--anchors): auto follows the post's generator (vitepress, hugo, hexo, jekyll, "
        "github for Docusaurus, mkdocs); keep leaves in-page links as written.",
        *_environment(),
    ),
    "sync": _lines(
        "Examples:",
        "  i18n-posts sync                 (bring every translation up to date)",
        "  i18n-posts sync --check         (CI: exit 1 if anything is missing or stale)",
        "  i18n-posts sync --dry-run --json",
        'The backend is [backend] in i18n-posts.toml, e.g. name = "openai", preset = "deepseek".',
        *_environment(),
    ),
    "status": _lines(
        "Examples:",
        "  i18n-posts status",
        "  i18n-posts status --locale en --json",
    ),
    "review": _lines(
        "Examples:",
        "  i18n-posts review                        (a bilingual report of every post, in build/review/)",
        "  i18n-posts review src/posts/a.md --locale en --out /tmp/review",
        "  i18n-posts review --serve                (edit in the browser; saves go to the memory)",
    ),
    "segments": _lines(
        "Examples:",
        "  i18n-posts segments post.md          (the units a backend would see, with their lines)",
        "  i18n-posts segments post.md --json",
    ),
    "glossary lint": _lines("Example:", "  i18n-posts glossary lint glossary.yml"),
    "glossary extract": _lines(
        "Example:", "  i18n-posts glossary extract src/posts/*.md --glossary glossary.yml --format yaml"
    ),
    "glossary report": _lines(
        "Example:",
        "  i18n-posts glossary report 'src/posts/*.md' 'src/en/posts/*.md' --glossary glossary.yml",
    ),
}
