"""``Memo``: a pure function's answer per distinct key, worked out once (issue 16).

Cells repeat: a file repeats its names, categories and counts, and a weekly history repeats them in every
file. The reading kit's per-text functions (``values``) and the adapters' own per-row work (``kit.memo``)
keep their answers in a ``Memo``: a hit is one dictionary look-up.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Memo", "kept_with"]


class Memo(dict):
    """What ``compute`` gives for a key, worked out on first use and then looked up: ``memo[key]``. A tuple key
    is ``compute``'s arguments (``compute(*key)``), any other key its one argument; a memo made by ``memo(…,
    owner=…)`` passes the owner first (``compute(owner, *key)``). ``compute`` must depend on nothing but its
    arguments. An exception is raised as ``compute`` raises it and nothing is kept; at ``limit`` entries the
    memo starts afresh, so that no file can make it grow without end."""

    __slots__ = ("compute", "limit", "_owner")

    def __init__(self, compute: Any, limit: int = 1 << 16, owner: Any = None):
        super().__init__()
        self.compute = compute
        self.limit = limit
        self._owner = owner
        """``None``, or a callable that gives the owner (a weak reference, or a lambda for one that is none)."""

    def __missing__(self, key: Any) -> Any:
        args = key if type(key) is tuple else (key,)
        value = self.compute(*args) if self._owner is None else self.compute(self._owner(), *args)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_KEPT: Any = None
"""Owner → {name → dict}, weakly keyed (made on first use): what ``kept_with`` hands out."""


def kept_with(owner: Any, name: Any) -> dict:
    """The dict kept with ``owner`` (a division) under ``name``, the same one on every call for as long as
    ``owner`` lives: where the reading kit and the adapters keep their per-division answers (the area of a
    name cell, the parent of a code, the rows a totals row covers, ``kit.memo(…, owner=…)``), so that every
    file of a weekly history read in one division asks each question once. Nothing is set on the owner
    itself. An owner that cannot be weakly referenced (or hashed) gets a new, empty dict on every call: its
    answers are then worked out per call, the same answers."""
    global _KEPT
    if _KEPT is None:
        import weakref

        _KEPT = weakref.WeakKeyDictionary()
    try:
        per_owner = _KEPT.get(owner)
        if per_owner is None:
            per_owner = _KEPT[owner] = {}
    except TypeError:
        return {}
    found = per_owner.get(name)
    if found is None:
        found = per_owner[name] = {}
    return found
