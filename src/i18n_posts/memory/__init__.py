"""The translation memory: one gettext PO file per post and locale (`po.py`), the state line
that lets `sync` skip an unchanged post without parsing it (`state.py`), and the one rule
of reuse and the one way to record a translation, shared by `translate` and `sync`
(`reuse.py`). Import from the modules: the fast path of `sync` loads `state.py` alone."""
