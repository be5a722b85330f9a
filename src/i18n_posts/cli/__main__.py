"""`python -m i18n_posts.cli`: the i18n-posts command."""

from . import main

main()
