"""i18n-posts: byte-exact, HTML-aware translation of Markdown blog posts.

The library API, for programs (the `i18n-posts` command is built on it):

    from i18n_posts import Segmenter, Translator, assemble, load_backend, load_post

    post = Segmenter().segment(load_post(path))              # load, segment
    tr = Translator.of(load_backend("pseudo", {}))            # one locale, its own runner
    done, issues = tr.translate(post)                         # translate, check each answer
    text = assemble(post, done)                               # the post with the translations

Names are resolved on first use, so importing the package (and starting the CLI) loads
none of the parsers or clients.
"""

from __future__ import annotations

__version__ = "0.1.0"

_WHERE = {
    "Backend": "backends",
    "BackendError": "errors",
    "BackendUnavailable": "errors",
    "BaseBackend": "backends",
    "BatchRequest": "backends",
    "BudgetExceeded": "errors",
    "ConfigError": "errors",
    "Glossary": "glossary",
    "I18nPostsError": "errors",
    "Issue": "model",
    "LoadError": "errors",
    "Locale": "locales",
    "LocalizedPost": "model",
    "Placeholder": "model",
    "PostError": "errors",
    "RunOptions": "backends.runner",
    "Runner": "backends.runner",
    "SegmentOptions": "segment",
    "SegmentedPost": "model",
    "Segmenter": "segment",
    "SourcePost": "model",
    "TranslateOptions": "translate",
    "TranslationFailed": "errors",
    "Translator": "translate",
    "Unit": "model",
    "UsageError": "errors",
    "assemble": "assemble",
    "build": "pipeline",
    "check_document": "check",
    "check_unit": "check",
    "load_backend": "backends",
    "load_glossary": "glossary",
    "load_post": "load",
    "parse_locale": "locales",
    "parse_post": "load",
    "prepare": "pipeline",
    "segment": "segment",
    "translate_post": "pipeline",
    "write_atomic": "write",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> object:
    from importlib import import_module  # noqa: PLC0415

    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'i18n_posts' has no attribute {name!r}")
    value = getattr(import_module(f".{where}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
