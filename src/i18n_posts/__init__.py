"""i18n-posts: byte-exact, HTML-aware translation of Markdown blog posts."""

__version__ = "0.1.0"

__all__ = ["__version__"]
