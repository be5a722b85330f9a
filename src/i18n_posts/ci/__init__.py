"""CI: the GitHub Action's entrypoint (`python -m i18n_posts.ci`, wired by action.yml).

It runs `i18n-posts sync --json` as a program (the same command a person runs), reads its
report (`report.py`), and turns it into what a CI system shows: annotations, outputs and a
job summary (`github.py`); `action.py` decides the modes and the exit code. Nothing here is
imported by the rest of the package."""
