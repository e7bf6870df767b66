"""Whole-dataset memos of the warm load (issue 16, target 3): the work a load does over the whole dataset
rather than per file, kept in the persistent cache beside the per-file entries and the pack.

Two steps of every load are a function of inputs that a re-run after one new delivery mostly leaves as
they were, yet they ran again on every warm load:

- **the manifest's parse** (``parse_manifest``: ``tomllib`` and the entries' checks over a manifest of
  1,059 entries). Kept keyed by a SHA-256 over the manifest's text, the folder name it defaults to, the
  package's code digest, the Python and pyarrow versions and this module's ``FORMAT``. Only a manifest
  that parses without a single melding is kept (a melding's order could depend on a set's iteration
  order; such manifests are small anyway).
- **the tvs line merged and checked** (``merge_contributed``: every contributed point of every ``tvs``
  file against the quota files' line). Kept keyed by a SHA-256 over its inputs: every buffer of the quota
  rows (with their types, lengths and offsets), each file's ``bestand`` and peildatum in the order given
  with its points (the key of the entry that gave them when it was served from the pack or read and stored,
  ``FileCache.note_points``: that key stands for the file's bytes, reader, code, manifest entry and
  division; else every buffer of the points), the tasks that have quota files, the division
  (``FileCache.division_key``), the package's code digest, the Python and pyarrow versions and ``FORMAT``.
  What is stored is what the function adds: the contributed rows of tasks without quota files (or none)
  and the warnings, so that the result is rebuilt from the live quota rows exactly as the function builds it.
- **the quota decisions' dates checked** (``quota_checks.decision_dates``: the turns of the housing half-years and
  every quota file's points against the municipal division on its own date, a Python walk over every quota row,
  ~13 ms at five years of history; fourteenth session). Kept keyed by a SHA-256 over every buffer of the quota
  rows, the division the files are read in and the one they are mapped onto (``FileCache.division_key``, which
  holds the dataset's own ``indeling/``), the division's name, the package's code digest, the Python and pyarrow
  versions and ``FORMAT``. What is stored is the meldingen and, when the function changed the rows (a turn, a
  refused row), the table it returned (kept only when it reads back equal, chunk for chunk).

A memo is one file per dataset folder and kind, ``geheel/<name>.manifest.bin``, ``geheel/<name>.tvs.bin`` and
``geheel/<name>.datums.bin``
under the cache folder (``<name>`` as the dataset's pack: a SHA-256 of the folder's path), overwritten by the
next load whose inputs differ, so the cache keeps one of each per dataset: the SHA-256 of the rest, then the
rest (the length of a JSON header with ``format``, ``soort`` and ``key``, the header, an Arrow IPC stream or
a pickle). A file whose digest, format, kind or key does not fit is a miss, never served (a tampered,
truncated or older memo is simply computed again and rewritten). The manifest is stored as a pickle read by an unpickler that builds
only the manifest's own value classes, dates and times, never anything else. A memo that cannot be read or
written is never an error. The oracle is the function itself: ``cache=False`` never uses a memo, and the
tests compare a memo-served load with a cold one (``tests/test_whole.py``).
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "decision_dates_cached", "merge_contributed_cached", "parse_manifest_cached", "table_digest"]

FORMAT = "1"
"""The layout of a memo; a memo of another layout is never read."""
_FOLDER = "geheel"


# --- the memo file ---------------------------------------------------------------------------------


def _path(cache: Any, soort: str) -> Path | None:
    """The memo of ``soort`` for the cache's dataset folder: one file per dataset and kind, named as the
    dataset's pack (``FileCache.pack_path``), so that the cache keeps the latest memo only (``None``: no folder)."""
    pack_path = cache.pack_path() if hasattr(cache, "pack_path") else None
    if pack_path is None:
        return None
    return Path(cache.folder) / _FOLDER / f"{pack_path.stem}.{soort}.bin"


def _write(cache: Any, soort: str, key: str, header: dict[str, Any], body: bytes) -> None:
    """Write a memo atomically; never an error (a read-only or full cache keeps nothing)."""
    try:
        path = _path(cache, soort)
        if path is None:
            return
        text = json.dumps({**header, "soort": soort, "format": FORMAT, "key": key}, ensure_ascii=True).encode("ascii")
        payload = len(text).to_bytes(8, "little") + text + body
        from opvangkern.dataset.cache import replacing

        with replacing(path, ".bin") as temp, open(temp, "wb") as out:
            out.write(hashlib.sha256(payload).hexdigest().encode("ascii"))
            out.write(payload)
    except Exception:  # noqa: BLE001 - a memo that cannot be written is simply not kept
        return


def _read(cache: Any, soort: str, key: str) -> tuple[dict[str, Any], memoryview] | None:
    """The header and body of the memo of ``soort`` when it was made for ``key``; ``None`` when it is missing,
    was made for other inputs, or does not fit."""
    try:
        path = _path(cache, soort)
        if path is None:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    if len(data) < 72:
        return None
    view = memoryview(data)
    if hashlib.sha256(view[64:]).hexdigest().encode("ascii") != bytes(view[:64]):
        return None  # changed by anything but this module: never served
    size = int.from_bytes(view[64:72], "little")
    try:
        header = json.loads(bytes(view[72:72 + size]))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key or \
            header.get("soort") != soort:
        return None
    return header, view[72 + size:]


def _usable(cache: Any) -> bool:
    return cache is not None and getattr(cache, "folder", None) is not None and hasattr(cache, "pack_path")


# --- digests of Arrow data -------------------------------------------------------------------------


def _update_array(digest: Any, array: Any) -> None:
    """Every buffer of ``array`` (children included) with its type, length, offset and null count: two arrays
    that differ in any value differ here (two equal ones laid out differently also may: then a miss)."""
    digest.update(f"{array.type}|{len(array)}|{array.offset}|{array.null_count}|".encode("utf-8", "surrogateescape"))
    for buffer in array.buffers():
        if buffer is None:
            digest.update(b"-|")
        else:
            digest.update(b"%d|" % buffer.size)
            digest.update(buffer)
    dictionary = getattr(array, "dictionary", None)
    if dictionary is not None:
        _update_array(digest, dictionary)


def table_digest(digest: Any, table: Any) -> None:
    """Feed a table's schema (with its metadata) and every buffer of every chunk into ``digest``."""
    digest.update(table.schema.serialize().to_pybytes())
    digest.update(b"%d|" % table.num_rows)
    for column in table.columns:
        digest.update(b"%d|" % column.num_chunks)
        for chunk in column.chunks:
            _update_array(digest, chunk)


def _runtime() -> str:
    """The Python and pyarrow versions (``tomllib`` and the Arrow kernels the steps use are theirs)."""
    import pyarrow as pa

    return f"{sys.version}|{pa.__version__}"


# --- the manifest ----------------------------------------------------------------------------------


_MANIFEST_CLASSES = {
    ("opvangkern.dataset.manifest", "Manifest"), ("opvangkern.dataset.manifest", "QuotaEntry"),
    ("opvangkern.dataset.manifest", "SourceEntry"), ("opvangkern.dataset.manifest", "AgreementEntry"),
    ("opvangkern.dataset.pagina", "PageSettings"),
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timezone"),
    ("datetime", "timedelta"),
}


class _ManifestUnpickler(pickle.Unpickler):
    """Builds only the manifest's value classes, dates and times (and Python's plain values)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _MANIFEST_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a manifest")


def _manifest_key(text: str, default_name: str) -> str:
    from opvangkern.dataset.cache import package_digest

    digest = hashlib.sha256()
    digest.update(f"manifest|{FORMAT}|{package_digest()}|{_runtime()}|".encode("utf-8", "surrogateescape"))
    name = default_name.encode("utf-8", "surrogateescape")
    digest.update(b"%d|" % len(name) + name)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def parse_manifest_cached(text: str, default_name: str, cache: Any) -> tuple[Any, list[Any]]:
    """``parse_manifest(text, default_name)``, from the memo when the same text was parsed by this code before
    (``cache``: a ``FileCache``, or ``None``: no memo)."""
    from opvangkern.dataset.manifest import Manifest, parse_manifest

    if not _usable(cache):
        return parse_manifest(text, default_name=default_name)
    try:
        key = _manifest_key(text, default_name)
    except Exception:  # noqa: BLE001 - a text that cannot be hashed: no memo
        return parse_manifest(text, default_name=default_name)
    found = _read(cache, "manifest", key)
    if found is not None:
        try:
            manifest = _ManifestUnpickler(io.BytesIO(found[1])).load()
        except Exception:  # noqa: BLE001 - a memo this code cannot rebuild is a miss
            manifest = None
        if type(manifest) is Manifest:
            return manifest, []
    manifest, meldingen = parse_manifest(text, default_name=default_name)
    if not meldingen:
        try:
            body = pickle.dumps(manifest, protocol=5)
            if _ManifestUnpickler(io.BytesIO(body)).load() == manifest:  # only what comes back the same
                _write(cache, "manifest", key, {}, body)
        except Exception:  # noqa: BLE001 - a manifest that cannot be kept is still the manifest
            pass
    return manifest, meldingen


# --- the tvs line merged and checked ---------------------------------------------------------------


def _merge_key(opgaven: Any, contributed: Sequence[tuple[Any, Any, Any]], quota_tasks: Iterable[str],
               division: Any, cache: Any) -> str:
    from opvangkern.dataset.cache import package_digest

    digest = hashlib.sha256()
    division_key = cache.division_key(division) if hasattr(cache, "division_key") else str(division)
    head = json.dumps({"format": FORMAT, "code": package_digest(), "runtime": _runtime(),
                       "division": division_key, "tasks": sorted(map(str, quota_tasks)),
                       "files": len(contributed)}, ensure_ascii=True)
    digest.update(b"merge|" + head.encode("ascii") + b"|")
    table_digest(digest, opgaven)
    noted = getattr(cache, "points_key", None)
    for entry, peildatum, points in contributed:
        # The points of an entry served from the pack or read and stored are what its key stands for (the file's
        # bytes, the reader, the code, the manifest entry, the division): that key, else their content.
        point_key = None if noted is None else noted(points)
        about = json.dumps([entry.bestand, None if peildatum is None else peildatum.isoformat(), point_key],
                           ensure_ascii=True)
        digest.update(b"file|" + about.encode("ascii") + b"|")
        if point_key is None:
            table_digest(digest, points)
    return digest.hexdigest()


def _chunks(table: Any) -> list[list[int]]:
    return [[len(chunk) for chunk in column.chunks] for column in table.columns]


def merge_contributed_cached(opgaven: Any, contributed: Sequence[tuple[Any, Any, Any]], quota_tasks: Iterable[str],
                             division: Any, cache: Any) -> tuple[Any, list[Any]]:
    """``contributed.merge_contributed(...)``, from the memo when its inputs are the same as a load's before
    (``cache``: a ``FileCache``, or ``None``: no memo). The same table, chunk for chunk, and the same meldingen."""
    import pyarrow as pa

    from opvangkern import tables
    from opvangkern.dataset.cache import meldingen_from_json, meldingen_to_json
    from opvangkern.dataset.contributed import merge_contributed

    quota_tasks = set(quota_tasks)
    if not _usable(cache) or not contributed:
        return merge_contributed(opgaven, contributed, quota_tasks, division)
    try:
        key = _merge_key(opgaven, contributed, quota_tasks, division, cache)
    except Exception:  # noqa: BLE001 - inputs that cannot be hashed: no memo
        return merge_contributed(opgaven, contributed, quota_tasks, division)
    found = _read(cache, "tvs", key)
    if found is not None:
        header, body = found
        try:
            meldingen = meldingen_from_json(header["meldingen"])
            if header["extra"]:
                extra = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
                if not extra.schema.equals(tables.OPGAVEN, check_metadata=True):
                    raise ValueError("not the opgaven schema")
                return pa.concat_tables([opgaven.cast(tables.OPGAVEN), extra]), meldingen
            return opgaven, meldingen
        except Exception:  # noqa: BLE001 - a memo this code cannot rebuild is a miss
            pass
    result, meldingen = merge_contributed(opgaven, contributed, quota_tasks, division)
    try:
        header = {"meldingen": meldingen_to_json(meldingen)}
        extra = None
        if result is not opgaven:  # the function added rows: they follow the quota rows, cast
            if result.num_rows < opgaven.num_rows:
                raise ValueError("fewer rows than the quota rows")
            extra = result.slice(opgaven.num_rows)
            first = pa.concat_tables([opgaven.cast(tables.OPGAVEN), extra])
            if not first.equals(result, check_metadata=True) or _chunks(first) != _chunks(result) or \
                    not extra.schema.equals(tables.OPGAVEN, check_metadata=True):
                raise ValueError("the result is not the quota rows plus the added ones")
        header["extra"] = extra is not None
        body = b""
        if extra is not None:
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, extra.schema) as writer:
                writer.write_table(extra)
            body = sink.getvalue().to_pybytes()
        _write(cache, "tvs", key, header, body)
    except Exception:  # noqa: BLE001 - meldingen JSON would change, an Arrow error: not kept
        pass
    return result, meldingen


# --- the quota decisions' dates checked ------------------------------------------------------------


def _dates_key(opgaven: Any, mapping: Any, cache: Any) -> str:
    from opvangkern.dataset.cache import package_digest

    digest = hashlib.sha256()
    info = getattr(mapping, "info", None)
    head = json.dumps({"format": FORMAT, "code": package_digest(), "runtime": _runtime(),
                       "reading": cache.division_key(mapping.reading), "target": cache.division_key(mapping.target),
                       "indeling": str(getattr(info, "name", None))}, ensure_ascii=True)
    digest.update(b"dates|" + head.encode("ascii") + b"|")
    table_digest(digest, opgaven)
    return digest.hexdigest()


def decision_dates_cached(opgaven: Any, mapping: Any, cache: Any) -> tuple[Any, list[Any]]:
    """``quota_checks.decision_dates(opgaven, mapping)``, from the memo when the same quota rows were checked in the
    same divisions by this code before (``cache``: a ``FileCache``, or ``None``: no memo). The same table, chunk for
    chunk, and the same meldingen in order."""
    import pyarrow as pa

    from opvangkern.dataset import quota_checks
    from opvangkern.dataset.cache import meldingen_from_json, meldingen_to_json

    if not _usable(cache) or not hasattr(cache, "division_key"):
        return quota_checks.decision_dates(opgaven, mapping)
    try:
        key = _dates_key(opgaven, mapping, cache)
    except Exception:  # noqa: BLE001 - inputs that cannot be hashed: no memo
        return quota_checks.decision_dates(opgaven, mapping)
    found = _read(cache, "datums", key)
    if found is not None:
        header, body = found
        try:
            meldingen = meldingen_from_json(header["meldingen"])
            if not header["changed"]:
                return opgaven, meldingen
            table = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
            if not table.schema.equals(opgaven.schema, check_metadata=True):
                raise ValueError("not the schema of the quota rows")
            return table, meldingen
        except Exception:  # noqa: BLE001 - a memo this code cannot rebuild is a miss
            pass
    result, meldingen = quota_checks.decision_dates(opgaven, mapping)
    try:
        header = {"meldingen": meldingen_to_json(meldingen), "changed": result is not opgaven}
        if meldingen_from_json(header["meldingen"]) != meldingen:
            raise ValueError("meldingen that JSON changes")
        body = b""
        if result is not opgaven:
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, result.schema) as writer:
                writer.write_table(result)
            body = sink.getvalue().to_pybytes()
            back = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
            if not back.equals(result, check_metadata=True) or _chunks(back) != _chunks(result) or \
                    not back.schema.equals(result.schema, check_metadata=True):
                raise ValueError("the table does not read back as it is")
        _write(cache, "datums", key, header, body)
    except Exception:  # noqa: BLE001 - meldingen JSON would change, an Arrow error: not kept
        pass
    return result, meldingen
