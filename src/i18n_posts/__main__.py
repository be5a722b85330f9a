"""`python -m i18n_posts`: the i18n-posts command."""

from .cli import main

main()
