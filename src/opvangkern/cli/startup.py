"""What the one-shot command sets up for its own process before it reads anything (issue 16).

Only ``opvangkern.cli.main`` calls ``prepare_process``; the Python API never does, so a library user's
process keeps its own settings. Everything here is about time and memory, never about a figure: the
output files are byte for byte the same with or without it (``tests/test_startup.py``).
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

__all__ = ["ARROW_POOL_ENV", "COMPUTE_MODULE", "prepare_process", "restore_process", "exit_without_collecting"]

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
    if "pyarrow" not in sys.modules and not any(isinstance(f, _PlainComputeDocs) for f in sys.meta_path):
        sys.meta_path.insert(0, _PlainComputeDocs())


def restore_process() -> None:
    """Undo what ``prepare_process`` put on ``sys.meta_path`` (``main`` calls it on its way out, so that an
    in-process caller's later imports are its own; a ``pyarrow.compute`` loaded meanwhile stays loaded)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _PlainComputeDocs)]


# --- the process's end without the collector's walks ----------------------------------------------------

_EXIT_FREEZE_REGISTERED = False


def exit_without_collecting() -> None:
    """At the interpreter's exit, every object still alive moved out of the collector's reach (``gc.freeze``),
    so that the finalization's collections do not walk them again (issue 16, tenth session).

    The interpreter's end clears every module, and its collector walks what is left several times over: ~50 ms
    at the end of a five-year history's command (the division, the memos, pyarrow's and NumPy's modules),
    ~30 ms of which were those walks (docs/performance.md, target 2). Objects are still freed by their
    reference counts as the modules are cleared; only cycles among them are left to the system, which reclaims
    the whole process anyway. The hook runs with the other ``atexit`` functions (last registered, first run),
    before the interpreter flushes ``sys.stdout`` and ``sys.stderr``; output files are written, synced and
    closed long before (``output.writers``). Only ``opvangkern.cli.main`` calls it, and only when it reads the
    process's own command line (``argv`` not given): an in-process caller's process is not changed."""
    global _EXIT_FREEZE_REGISTERED
    if _EXIT_FREEZE_REGISTERED:
        return
    import atexit
    import gc

    atexit.register(gc.freeze)
    _EXIT_FREEZE_REGISTERED = True


# --- pyarrow.compute without its generated parameter documentation ----------------------------------------

COMPUTE_MODULE = "pyarrow.compute"
"""The module whose import ``_PlainComputeDocs`` makes cheaper in the command's own process."""
DOCSCRAPE_MODULE = "pyarrow.vendored.docscrape"
"""numpydoc's docstring parser, vendored by pyarrow: what ``pyarrow.compute`` uses while it is imported."""


class _NoParameters(dict):
    """Stands in for ``pyarrow.vendored.docscrape.NumpyDocString`` while ``pyarrow.compute`` executes: an
    options class's docstring with no parameters parsed (only the wrappers' ``__doc__`` uses them)."""

    def __init__(self, docstring: Any = None, config: Any = None) -> None:
        super().__init__(Parameters=())


class _PlainComputeDocs:
    """A meta path finder for ``pyarrow.compute`` alone, in the one-shot command's process (issue 16).

    Importing ``pyarrow.compute`` wraps each of Arrow's ~290 compute functions in a Python function and
    writes each wrapper's docstring, parsing the docstring of its options class with numpydoc's parser
    (``pyarrow.vendored.docscrape``, which imports ``pydoc``) every time: about half of the import's
    ~60-110 ms, for text that only ``help()`` shows. Here the module's own code runs unchanged, with that
    parser replaced by ``_NoParameters`` for the duration of the import, and when the parser's module is not
    loaded yet, with a stand-in module instead of it, so that neither it nor ``pydoc`` is loaded (the
    wrappers, their signatures and every function's behaviour are the same; only the options' parameter
    paragraphs are missing from their ``__doc__``; ``pyarrow.compute.docscrape`` imports the real module
    when it is used).
    Anything unexpected (another pyarrow, another finder's spec, an error while executing) and the module
    is executed again as pyarrow ships it. The Python API never installs it (``prepare_process`` is the
    command's), and ``main`` removes it on its way out."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != COMPUTE_MODULE:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        if spec is None or not hasattr(loader, "exec_module"):
            return None  # the other finders answer, as without this one
        spec.loader = _PlainDocsLoader(loader)
        return spec


class _PlainDocsLoader:
    """The source loader of ``pyarrow.compute``, executing it with ``_NoParameters`` (see ``_PlainComputeDocs``)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        spec = getattr(module, "__spec__", None)
        if spec is not None:
            spec.loader = self.loader  # the module's spec and loader are pyarrow's own
        module.__loader__ = self.loader
        kept = dict(module.__dict__)
        real = sys.modules.get(DOCSCRAPE_MODULE)
        if real is not None and not hasattr(real, "NumpyDocString"):
            self.loader.exec_module(module)  # a pyarrow without that parser: its own import, as it is
            return
        if real is not None:  # loaded already (by whom ever): its parser replaced for the duration
            original = real.NumpyDocString
            real.NumpyDocString = _NoParameters
        else:  # not loaded: a stand-in for the duration, so neither it nor pydoc (which it imports) loads
            stand_in = types.ModuleType(DOCSCRAPE_MODULE)
            stand_in.NumpyDocString = _NoParameters
            sys.modules[DOCSCRAPE_MODULE] = stand_in
        try:
            self.loader.exec_module(module)
            done = True
        except Exception:  # noqa: BLE001 - whatever went wrong, the module as pyarrow ships it (below)
            done = False
        finally:
            if real is not None:
                real.NumpyDocString = original
            elif sys.modules.get(DOCSCRAPE_MODULE) is stand_in:
                del sys.modules[DOCSCRAPE_MODULE]
        if done:
            if real is None and module.__dict__.get("docscrape") is stand_in:
                module.docscrape = _LazyModule(DOCSCRAPE_MODULE)  # the real parser, should anyone ask
            return
        module.__dict__.clear()
        module.__dict__.update(kept)
        self.loader.exec_module(module)


class _LazyModule(types.ModuleType):
    """A module imported on first attribute access: ``pyarrow.compute``'s own reference to its docstring
    parser after a run with the stand-in (the module itself never uses it after its import)."""

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self.__name__), attribute)
