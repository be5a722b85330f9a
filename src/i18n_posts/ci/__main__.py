"""`python -m i18n_posts.ci`: the GitHub Action's entrypoint (see action.py)."""

from .action import main

raise SystemExit(main())
