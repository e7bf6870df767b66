"""What the one-shot command sets up for its own process before it reads anything (issue 16).

Only ``opvangkern.cli.main`` calls ``prepare_process``; the Python API never does, so a library user's
process keeps its own settings. Everything here is about time and memory, never about a figure: the
output files are byte for byte the same with or without it (``tests/test_startup.py``).
"""

from __future__ import annotations

import os
import sys

__all__ = ["ARROW_POOL_ENV", "prepare_process"]

ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"
"""Arrow's own environment variable for its default memory pool (``system``, ``mimalloc``, ``jemalloc``),
read once, when pyarrow first allocates."""


def prepare_process() -> None:
    """Arrow's buffers in the C library's allocator (``malloc``) instead of its bundled mimalloc.

    The command's tables are small (a few thousand rows, ~1 MB of buffers); mimalloc reserves and touches
    whole segments of its own for them: the national command's peak RSS is 111 MB with mimalloc and
    ~98 MB with the system allocator, at the same speed (docs/performance.md, "Issue 16: the one-shot
    command"). Set only when the user has not chosen a pool (the variable stays theirs) and only while
    pyarrow is not loaded yet (afterwards the pool is fixed, e.g. when a test calls ``main`` in-process).
    """
    if ARROW_POOL_ENV not in os.environ and "pyarrow" not in sys.modules:
        os.environ[ARROW_POOL_ENV] = "system"
