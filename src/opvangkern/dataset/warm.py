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
- the key is formed from the manifest entry itself (``source_part``: what ``cache._source_entry`` takes
  out of the ``Source`` that ``source_of`` builds from the same entry), the file's SHA-256 of every byte and
  the reader, exactly as ``FileCache.source_key`` forms it;
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

__all__ = ["WarmSources", "source_part"]

ENABLED = True
"""For the tests and the benchmarks: ``False`` sends every entry the whole way (the oracle)."""


def source_part(entry: Any) -> dict[str, Any]:
    """The manifest-entry part of a source's key, from the ``[[bron]]`` entry: what ``cache._source_entry``
    gives for the ``Source`` that ``load.source_of`` builds from it (the same values, the same dict copies)."""
    return {"bestand": entry.bestand, "blad": entry.blad, "peildatum": entry.peildatum, "maat": entry.maat,
            "options": dict(entry.options), "kolommen": dict(dict(entry.kolommen) or {}),
            "waarden": dict(dict(entry.waarden) or {})}


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
        if not ENABLED or cache is None or not all(hasattr(cache, name) for name in ("served", "key", "file_digest",
                                                                                        "_reader")):
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
            part = source_part(entry)
            digest = cache.file_digest(self.prefix + bestand)
            if digest is None:
                return None
            key = cache.key("bron", cache._reader(adapter), part, digest, self.division)
        except Exception:  # noqa: BLE001 - whatever the whole path makes of it, it makes it there
            return None
        served = cache.served(key, "bron", entry.bron)
        return None if served is None else (key, served)
