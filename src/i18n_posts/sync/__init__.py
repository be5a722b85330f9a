"""`sync`: plan and run the pipeline over a repository, incrementally, with a memory.

For each source post (config `include`/`exclude`) and target locale: if the hashes in its
PO file's state line still match the source, the output, the entries, the glossary and the
config, the post is unchanged and is not even parsed (`plan.py`). Otherwise it goes
through the pipeline (`post.py`): an output that differs from what we wrote last is
aligned back to its units and the differences are stored as reviewed translations (a
person's edits are never lost); remembered translations that still pass the checks are
reused; the rest are sent to the backend (a unit whose source changed goes with its
previous translation, to be revised); the memory is saved as soon as a post's
translations arrive; the output is assembled and written only if its bytes change.
Orphans (memory files whose source is gone) are reported, and removed with --prune
(`run.py`).
"""

from __future__ import annotations

from .plan import Plan, SyncContext, plan_post
from .report import PostReport, Status, SyncOptions
from .run import run_sync

__all__ = ["Plan", "PostReport", "Status", "SyncContext", "SyncOptions", "plan_post", "run_sync"]
