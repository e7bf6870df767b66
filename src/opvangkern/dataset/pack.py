"""The dataset's pack: what the last load of a dataset made of every file, in one Arrow IPC file (issue 16).

``opvangkern.dataset.cache`` keeps one entry per parsed file (the reader's result, before the dataset
checks it). A load also keeps, per file, what it made of that result: the ``realisaties`` rows after
``opvangkern.validate`` and the peildatum filled in, the housing line a ``tvs`` file contributes (checked),
the quota rows of a quota file, the meldingen in order, the reconciliation counts and the peildatum.
Every one of these is a function of the entry's key alone (the key holds the file's bytes, the reader and
its code, opvangkern's own code — ``validate`` and ``load`` included —, the manifest entry and the
division), so the next load with the same key takes them as they are, without reading or checking the
file again. This module stores them for a whole dataset at once:

- one record batch of one row per entry, in the load's order: ``key``, ``text`` (the entry's own metadata
  as JSON: its key again, its kind, meldingen, counts, peildatum and the layout of its rows),
  ``realisaties`` and ``opgaven`` (its rows, as a list of structs); a load reads the pack in one read and
  takes each entry's arrays from its batch as they are. They are written from the entry's own arrays, so
  each buffer is recorded as the IPC writer records it for the entry's table: the arrays read back write
  the same Arrow IPC bytes as a fresh load's (rows sliced out of one large buffer would be written padded);
- the schema of each entry's tables (field labels and metadata), once per distinct schema;
- a SHA-256 over every byte of the file (with the digest's own two places blanked), so that a pack
  changed by anything but this module — a truncated file, a flipped byte, a row under another key,
  a figure edited — is refused whole: it serves nothing and the files are read again.

Only tables of one chunk are packed (every reader's are; others take the per-entry cache), so a table
built from served entries is the same table, chunk for chunk and buffer for buffer, as a fresh load's.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from opvangkern import tables

__all__ = ["PACK_FORMAT", "Kept", "Pack", "delta_fits", "write_pack"]

PACK_FORMAT = "3"
"""The layout of a pack; a pack of another layout is never read (it is rewritten by the next load)."""
_FORMAT_META = b"opvangkern_pakket"
_DIGEST_META = b"opvangkern_pakket_sha256"
_BASIS_META = b"opvangkern_pakket_basis"
"""In a delta: the digest of the pack it extends."""
_SCHEMA_META = "opvangkern_schema_{}"
_BLANK = b"-" * 64
"""What stands in the digest's places while the digest is computed (written first, then replaced)."""
_EDGE = 1 << 16
"""The digest is looked for in the first and last this many bytes (the IPC file's schema and footer)."""
COLUMNS = ("key", "text", "realisaties", "opgaven")


def _plain(schema: pa.Schema) -> pa.StructType:
    return pa.struct([pa.field(f.name, f.type) for f in schema])


_TYPES = {"realisaties": _plain(tables.REALISATIES), "opgaven": _plain(tables.OPGAVEN)}
_MAIN = {"bron": "realisaties", "opgave": "opgaven"}
"""Where an entry's main table lies, by kind; a ``bron`` entry's extra table (the tvs line) lies in ``opgaven``."""


class Kept:
    """One entry as a load used it: ``kind`` (``bron`` or ``opgave``), its main table, its extra table
    (``None`` when there is none) and ``meta`` (JSON-able: meldingen, counts, peildatum)."""

    __slots__ = ("kind", "table", "extra", "meta", "origin")

    def __init__(self, kind: str, table: pa.Table, extra: pa.Table | None, meta: dict[str, Any],
                 origin: Any = None) -> None:
        self.kind, self.table, self.extra, self.meta = kind, table, extra, meta
        self.origin = origin
        """The pack file it was served from (``None``: made by this load)."""

    def rows(self) -> int:
        return self.table.num_rows + (0 if self.extra is None else self.extra.num_rows)


def _fits(table: pa.Table | None, column: str) -> bool:
    """The pack's column types, and one chunk in every column (an entry is one record batch of the pack)."""
    if table is None:
        return True
    if list(table.schema.types) != [f.type for f in _TYPES[column]]:
        return False
    return table.num_columns > 0 and all(table.column(i).num_chunks == 1 for i in range(table.num_columns))


def packable(kept: Kept) -> bool:
    """Whether an entry's tables have the column types of the pack (an adapter's own schema does not)."""
    return kept.kind in _MAIN and _fits(kept.table, _MAIN[kept.kind]) and (
        kept.extra is None or (kept.kind == "bron" and _fits(kept.extra, "opgaven")))


def _one_list(table: pa.Table | None, column: str) -> pa.Array:
    """A ``list<struct>`` array of one row: the rows of ``table`` (an empty list without one). The table's
    own arrays are used as they are, not copied: the IPC writer then records each buffer as it would for
    the table itself, so that the arrays read back write the same Arrow IPC bytes as the fresh ones
    (a slice of a larger buffer is written padded, an exact buffer exactly)."""
    struct = _TYPES[column]
    if table is None:
        values = pa.StructArray.from_arrays([pa.array([], f.type) for f in struct], fields=list(struct))
    else:
        values = pa.StructArray.from_arrays([table.column(i).chunk(0) for i in range(table.num_columns)],
                                            fields=list(struct))
    return pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), values)


def _layout(table: pa.Table | None, schemas: dict[bytes, int]) -> list | None:
    """``[schema number, chunk lengths]`` of a table; ``None`` for no table."""
    if table is None:
        return None
    serialized = table.schema.serialize().to_pybytes()
    number = schemas.setdefault(serialized, len(schemas))
    return [number, [len(chunk) for chunk in table.column(0).chunks] if table.num_columns else []]


def _places(data: Any, needle: bytes) -> list[int]:
    """Where ``needle`` stands in the first and the last ``_EDGE`` bytes of ``data``."""
    size = len(data)
    found = []
    for start, end in ((0, min(size, _EDGE)), (max(0, size - _EDGE), size)):
        window = bytes(memoryview(data)[start:end])
        at = window.find(needle)
        while at >= 0:
            if start + at not in found:
                found.append(start + at)
            at = window.find(needle, at + 1)
    return sorted(found)


def _digest(data: Any, places: list[int]) -> bytes:
    """SHA-256 (hex) of ``data`` with the 64 bytes at each of ``places`` blanked."""
    view = memoryview(data)
    digest = hashlib.sha256()
    at = 0
    for place in places:
        digest.update(view[at:place])
        digest.update(_BLANK)
        at = place + len(_BLANK)
    digest.update(view[at:])
    return digest.hexdigest().encode("ascii")


def delta_path(path: Path) -> Path:
    """The delta beside the pack at ``path`` (``<name>.delta.arrow``)."""
    return path.with_name(path.stem + ".delta.arrow")


def write_pack(path: Path, entries: Mapping[str, Kept], basis: Pack | None = None) -> None:
    """Write ``entries`` (key → ``Kept``, in the load's order) as the pack at ``path``, atomically, and remove
    its delta. With ``basis`` (the pack as read), write the delta instead: a row per entry in the same order,
    where an entry the pack holds is only named (``"basis": true``), so that a load after one new delivery
    writes that one file's rows, not every file's (the pack is rewritten whole when the delta would hold
    more than a quarter of its rows, or a quarter of its entries are no longer used)."""
    if basis is None:
        _write_file(path, entries, None)
        try:
            os.unlink(delta_path(path))
        except OSError:
            pass
        return
    _write_file(delta_path(path), entries, basis)


def delta_fits(entries: Mapping[str, Kept], basis: Pack) -> bool:
    """Whether ``entries`` are best written as a delta of ``basis`` (see ``write_pack``)."""
    if not basis.base.keys:
        return False
    in_base = basis.base.row
    new_rows = sum(kept.rows() for key, kept in entries.items() if key not in in_base)
    unused = len(in_base.keys() - entries.keys())
    return new_rows <= basis.base.rows() // 4 and unused <= len(in_base) // 4


def _write_file(path: Path, entries: Mapping[str, Kept], basis: Pack | None) -> None:
    import pyarrow.ipc

    from opvangkern.dataset.cache import reused_encode

    # ``json.dumps(meta, ensure_ascii=True, separators=(",", ":"))``'s text, without a new encoder per entry
    encode = reused_encode(json.JSONEncoder(ensure_ascii=True, separators=(",", ":")))
    schemas: dict[bytes, int] = {}
    in_base = {} if basis is None else basis.base.row
    keys, texts, mains, refs = [], [], {"realisaties": [], "opgaven": []}, []
    for key, kept in entries.items():
        refs.append(basis is not None and kept.origin is basis.base and key in in_base)
        if refs[-1]:  # served from the pack: named only
            meta = {"format": PACK_FORMAT, "key": key, "kind": kept.kind, "basis": True}
            main, extra = None, None
        else:
            meta = {**kept.meta, "format": PACK_FORMAT, "key": key, "kind": kept.kind,
                    "tabel": _layout(kept.table, schemas), "extra": _layout(kept.extra, schemas)}
            main, extra = kept.table, kept.extra
        keys.append(key)
        texts.append(encode(meta).encode("ascii"))
        main_column = _MAIN[kept.kind]
        mains["realisaties"].append(main if main_column == "realisaties" else None)
        mains["opgaven"].append(main if main_column == "opgaven" else extra)
    metadata = {_FORMAT_META: PACK_FORMAT.encode("ascii"), _DIGEST_META: _BLANK}
    if basis is not None:
        metadata[_BASIS_META] = basis.base.digest
    for serialized, number in schemas.items():
        metadata[_SCHEMA_META.format(number).encode("ascii")] = serialized
    schema = pa.schema([pa.field("key", pa.string()), pa.field("text", pa.large_binary()),
                        pa.field("realisaties", pa.list_(_TYPES["realisaties"])),
                        pa.field("opgaven", pa.list_(_TYPES["opgaven"]))], metadata=metadata)
    sink = pa.BufferOutputStream()
    # Plain buffers: an entry's batch is then read without a copy. (LZ4 made the five-year pack a third of
    # its 57 MB, but decompressing ~50 small buffers per entry cost more than reading and hashing it all.)
    with pyarrow.ipc.new_file(sink, schema) as writer:
        named: list[int] = []  # entries only named (a delta's): one batch for a run of them

        def flush() -> None:
            if named:
                writer.write_batch(pa.record_batch(
                    [pa.array([keys[i] for i in named], pa.string()),
                     pa.array([texts[i] for i in named], pa.large_binary()),
                     pa.ListArray.from_arrays(pa.array([0] * (len(named) + 1), pa.int32()),
                                              _one_list(None, "realisaties").values),
                     pa.ListArray.from_arrays(pa.array([0] * (len(named) + 1), pa.int32()),
                                              _one_list(None, "opgaven").values)], schema=schema))
                named.clear()

        for index, key in enumerate(keys):  # one record batch per entry: an entry reads back as its own arrays
            if refs[index]:
                named.append(index)
                continue
            flush()
            writer.write_batch(pa.record_batch(
                [pa.array([key], pa.string()), pa.array([texts[index]], pa.large_binary()),
                 _one_list(mains["realisaties"][index], "realisaties"),
                 _one_list(mains["opgaven"][index], "opgaven")], schema=schema))
        flush()
    data = sink.getvalue()
    places = _places(data, _BLANK)
    if len(places) < 1:
        raise ValueError("no place for the pack's digest")
    digest = _digest(data, places)
    view = memoryview(data)
    from opvangkern.dataset.cache import replacing

    with replacing(path, ".arrow") as temp, open(temp, "wb") as out:
        at = 0
        for place in places:
            out.write(view[at:place])
            out.write(digest)
            at = place + len(_BLANK)
        out.write(view[at:])


_HUGE_FROM = 4 << 20
"""A file of at least this many bytes is read into memory asked for in huge pages (``read_whole``)."""


def read_whole(path: Path) -> Any:
    """Every byte of the file, in this process's memory (a ``bytes``, or an anonymous ``mmap`` holding them:
    never the file mapped, see ``_File._read``). Issue 16: on Linux a large file is read into anonymous
    memory advised for huge pages (``MADV_HUGEPAGE``): faulting in ~14,000 pages of 4 KiB was most of the
    time of reading the 58 MB pack of a five-year history (36 → 12 ms). Elsewhere, for a small file, or
    when the file changed size while it was read: ``read()`` as before (the digest decides what it holds)."""
    with open(path, "rb", buffering=0) as handle:
        size = os.fstat(handle.fileno()).st_size
        advice = getattr(mmap, "MADV_HUGEPAGE", None)
        anonymous = getattr(mmap, "MAP_ANONYMOUS", None)
        if advice is None or anonymous is None or size < _HUGE_FROM:
            return handle.readall()
        try:
            memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | anonymous)
            memory.madvise(advice)
        except (OSError, ValueError, OverflowError):
            return handle.readall()
        view = memoryview(memory)
        try:
            at = 0
            while at < size:
                got = handle.readinto(view[at:])
                if not got:
                    break
                at += got
            complete = at == size and not handle.read(1)
        finally:
            view.release()
        if complete:
            return memory
        memory.close()
        handle.seek(0)
        return handle.readall()


class _File:
    """One pack file as read (empty when it is missing, of another layout, or fails its digest)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.row: dict[str, int] = {}
        self.digest = b""
        self.basis = b""
        """The digest of the pack this file is the delta of (``b""`` for a pack)."""
        self._metas: list[dict[str, Any]] = []
        self._columns: dict[str, pa.ChunkedArray] = {}
        self._chunk_of: list[int] = []
        """Row → its record batch (an entry with rows has one of its own)."""
        self._sizes: list[int] = []
        self._schemas: dict[tuple[int, str], pa.Schema] = {}
        self._metadata: dict[bytes, bytes] = {}

    @classmethod
    def open(cls, path: Path) -> _File:
        found = cls()
        try:
            found._read(path)
        except Exception:  # noqa: BLE001 - a pack that cannot be read serves nothing, never an error
            return cls()
        return found

    def _read(self, path: Path) -> None:
        import pyarrow.ipc

        # Read into memory, not mapped: the tables served from it outlive the read, and a pack
        # truncated in place by another process must never be able to end this one (SIGBUS).
        data = read_whole(path)
        reader = pyarrow.ipc.open_file(pa.py_buffer(data))
        metadata = reader.schema.metadata or {}
        if metadata.get(_FORMAT_META) != PACK_FORMAT.encode("ascii") or reader.schema.names != list(COLUMNS):
            return
        digest = metadata.get(_DIGEST_META, b"")
        if len(digest) != 64 or _digest(data, _places(data, digest)) != digest:
            return  # changed by something else than write_pack: serve nothing
        table = reader.read_all()
        keys = table.column("key").to_pylist()
        metas = json.loads(b"[" + b",".join(table.column("text").to_pylist()) + b"]")
        if len(metas) != len(keys):
            return
        sizes = [len(chunk) for chunk in table.column("key").chunks]  # a batch per entry, or a run of named ones
        chunk_of = [number for number, size in enumerate(sizes) for _ in range(size)]
        columns = {}
        for name in ("realisaties", "opgaven"):
            column = table.column(name)
            if column.type.value_type != _TYPES[name] or [len(chunk) for chunk in column.chunks] != sizes:
                return
            columns[name] = column
        self._chunk_of = chunk_of
        self._sizes = sizes
        self._metadata = metadata
        self._columns = columns
        self._metas = metas
        self.digest = digest
        self.basis = metadata.get(_BASIS_META, b"")
        self.keys = keys
        self.row = {key: index for index, key in enumerate(keys)}

    def rows(self) -> int:
        return sum(len(chunk.values) for column in self._columns.values() for chunk in column.chunks)

    def meta(self, key: str) -> dict[str, Any] | None:
        index = self.row.get(key)
        return None if index is None else self._metas[index]

    def _schema(self, number: int, column: str) -> pa.Schema:
        """Schema ``number`` of the file, checked once against the types of ``column``."""
        found = self._schemas.get((number, column))
        if found is None:
            import pyarrow.ipc

            found = pyarrow.ipc.read_schema(pa.py_buffer(self._metadata[_SCHEMA_META.format(number).encode("ascii")]))
            if [f.type for f in found] != [f.type for f in _TYPES[column]]:
                raise ValueError("pack schema does not fit")
            self._schemas[(number, column)] = found
        return found

    def _table(self, column: str, index: int, layout: list) -> pa.Table:
        number, lengths = layout
        schema = self._schema(int(number), column)
        number_of_batch = self._chunk_of[index]
        if self._sizes[number_of_batch] != 1:
            raise ValueError("an entry with rows has a record batch of its own")
        values = self._columns[column].chunk(number_of_batch).values  # the entry's own batch: its own arrays
        if lengths != [len(values)] or values.offset or values.null_count:
            raise ValueError("pack layout does not fit")
        try:  # issue 16: two calls into Arrow instead of one Python step per column; the same arrays
            return pa.Table.from_batches([pa.RecordBatch.from_struct_array(values)], schema)
        except (pa.ArrowInvalid, TypeError, ValueError):  # field names other than the struct's: as it was
            return _table_reference(values, schema)

    def get(self, key: str, kind: str) -> Kept | None:
        """The entry of ``key`` (of ``kind``) with its tables rebuilt; ``None`` when absent, only named or unfit."""
        index = self.row.get(key)
        if index is None:
            return None
        try:
            meta = self._metas[index]
            if meta.get("format") != PACK_FORMAT or meta.get("key") != key or meta.get("kind") != kind or \
                    meta.get("basis"):
                return None
            main_column = _MAIN[kind]
            table = self._table(main_column, index, meta["tabel"])
            extra = None if meta["extra"] is None else self._table("opgaven", index, meta["extra"])
            if main_column == "opgaven" and extra is not None:
                return None
        except (KeyError, IndexError, TypeError, ValueError, pa.ArrowException):
            return None
        return Kept(kind, table, extra, meta, self)


def _table_reference(values: pa.StructArray, schema: pa.Schema) -> pa.Table:
    """An entry's table from its struct array, column by column (the construction before issue 16's; the
    oracle of ``_File._table``: ``tests/test_cache_threads.py`` proves the two give the same table and the same
    Arrow IPC bytes)."""
    return pa.Table.from_arrays([values.field(i) for i in range(values.type.num_fields)], schema=schema)


class Pack:
    """A dataset's pack and its delta as read: ``keys`` are the entries of the last load, in its order (the
    delta's when there is a valid one, else the pack's); only those are served."""

    def __init__(self, base: _File | None = None, delta: _File | None = None) -> None:
        self.base = base or _File()
        self.delta = delta if delta is not None and delta.keys and delta.basis == self.base.digest and \
            self.base.keys else None
        self.keys: list[str] = (self.delta or self.base).keys

    @classmethod
    def open(cls, path: Path | None) -> Pack:
        """The pack at ``path`` and its delta; empty when the pack is missing, of another layout, or fails
        its digest (a delta of another pack, or one that fails its own digest, is ignored)."""
        if path is None:
            return cls()
        base = _File.open(path)
        if not base.keys:
            return cls()
        where = delta_path(path)
        return cls(base, _File.open(where) if where.exists() else None)

    def get(self, key: str, kind: str) -> Kept | None:
        """The entry of ``key`` (of ``kind``) as the last load kept it; ``None`` when it did not keep it."""
        if self.delta is None:
            return self.base.get(key, kind)
        meta = self.delta.meta(key)
        if meta is None:
            return None
        if meta.get("basis") is True and meta.get("key") == key and meta.get("kind") == kind:
            return self.base.get(key, kind)
        return self.delta.get(key, kind)
