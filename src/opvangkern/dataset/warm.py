"""The served entries of a warm load, at a few steps each (issue 16, target 3).

A warm re-run of a five-year history serves ~1,040 ``[[bron]]`` entries from the dataset's pack
(``opvangkern.dataset.pack``). Each went through the whole path of a read first: ``source_of`` (a ``Path``
joined, a second ``stat`` after the guard's ``lstat``, a ``Source`` built) and ``FileCache.source_key`` (the
manifest entry taken back out of that ``Source``), only to be looked up in the pack. ``WarmSources.serve``
looks an entry up with what the load already knows:

- the file is one the guard admitted as a **regular file and no link** by its ``lstat``
  (``FileGuard.admitted``, only plain names inside the folder): then the ``is_file`` of ``source_of`` is known
  to be true, and the file's text is the folder's prefix plus the name (``str(folder / name)`` for a plain
  name), the text ``FileCache.file_digest`` keeps its digest by;
- the adapter is installed and gives the entry's ``maat`` (else ``source_of``'s meldingen: the whole path);
- the key is ``FileCache.source_key``'s own, given a ``Light`` instead of a ``Source``: the file's text and
  the entry's values with the dict copies ``source_of`` makes, so the manifest part of the key is the same
  dict, the digest the same SHA-256 of every byte (the same memo and helper) and the reader the same;
- the pack gives the entry (``FileCache.served``).

Anything else (a name the guard checked the whole way, an unknown source, a key that cannot be formed, an
entry the pack does not hold) returns ``None`` and the entry takes the whole path, which decides as before.
So a served entry is the same entry under the same key, with the same tables, meldingen, counts and
peildatum; no rule of the cache changes (a changed byte is a new key; never a time stamp). The oracle is the
whole path: ``tests/test_warm_serve.py`` proves the same keys and the same loads with and without this step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["Light", "WarmSources"]

ENABLED = True
"""For the tests and the benchmarks: ``False`` sends every entry the whole way (the oracle)."""


class Light:
    """What ``FileCache.source_key`` reads of a ``Source``, for one ``[[bron]]`` entry: the file as its text and the
    entry's values with the very dict copies ``load.source_of`` makes (a value they cannot copy raises here as it
    raises there). Not an adapter's ``Source``: nothing reads the file through it."""

    __slots__ = ("data", "bestand", "blad", "peildatum", "maat", "options", "division", "kolommen", "waarden")

    def __init__(self, data: str, entry: Any, division: Any) -> None:
        self.data, self.bestand, self.blad, self.peildatum, self.maat = (data, entry.bestand, entry.blad,
                                                                        entry.peildatum, entry.maat)
        self.options, self.division = dict(entry.options), division
        self.kolommen, self.waarden = dict(entry.kolommen), dict(entry.waarden)


class WarmSources:
    """The served-entry step of one ``_read_files`` call (``serve``)."""

    __slots__ = ("cache", "admitted", "prefix", "installed", "division")

    def __init__(self, folder: Path, cache: Any, admitted: Mapping[str, os.stat_result], installed: dict[str, Any],
                 division: Any) -> None:
        self.cache, self.admitted, self.installed, self.division = cache, admitted, installed, division
        self.prefix = str(Path(folder) / "x")[:-1]
        """``str(folder / name) == prefix + name`` for a plain name (``Path(".") / name`` is the name alone)."""

    @classmethod
    def of(cls, folder: Path, cache: Any, guard: Any, installed: dict[str, Any], division: Any) -> WarmSources | None:
        """The step for this load; ``None`` without a cache that has a pack, or when turned off."""
        if not ENABLED or cache is None or not all(hasattr(cache, name) for name in ("served", "source_key")):
            return None
        admitted = getattr(guard, "admitted", None)
        if admitted is None:
            return None
        return cls(folder, cache, admitted, installed, division)

    def serve(self, entry: Any) -> tuple[str, Any] | None:
        """``(key, Served)`` of a ``[[bron]]`` entry the pack holds under the key the whole path would form;
        ``None``: the entry takes the whole path."""
        bestand = entry.bestand
        if bestand not in self.admitted:
            return None
        adapter = self.installed.get(entry.bron)
        if adapter is None or (entry.maat == "bezetting" and not getattr(adapter, "reports_occupancy", False)):
            return None  # source_of's meldingen
        cache = self.cache
        try:
            key = cache.source_key(adapter, Light(self.prefix + bestand, entry, self.division))
        except Exception:  # noqa: BLE001 - whatever the whole path makes of it, it makes it there
            return None
        if key is None:
            return None
        served = cache.served(key, "bron", entry.bron)
        return None if served is None else (key, served)
