"""Writing the output tables: CSV, Parquet and Arrow IPC, atomically and deterministically.

Every file is written to a temporary file beside its target and renamed into place only when all
files of the call are complete, so a reader never sees half a file or half a set. A set of tables
(``write_tables``) is written into a fresh temporary folder beside the target folder and swapped in
as a whole (``write_set``), under a lock, so that a failed, killed or concurrent run never leaves a
mix of two sets ([Command line](cli.md)). A path that cannot be written raises ``OutputError`` naming the path.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from opvangkern.errors import OutputError

FORMATS = ("csv", "parquet", "arrow")
# A spreadsheet runs a text cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_bytes(table: pa.Table) -> bytes:
    """[Command line](cli.md) CSV: UTF-8, comma-separated, ``.`` decimal point, no thousands separator, empty for
    null, formula-like text neutralised.

    Column by column (issue 16): each column's cells are rendered as one Arrow string array (a text once
    per distinct value, numbers and dates by Arrow's casts) and the lines joined by Arrow, so no Python
    step runs per cell but a float's ``repr``. The bytes are those of :func:`csv_bytes_reference` (the row
    by row writer, kept as the oracle; ``tests/test_csv_fast.py`` proves them equal), which serves the
    tables this path does not take (no columns, a type without a fast renderer)."""
    from opvangkern.output import csv_fast

    data = csv_fast.csv_bytes(table)
    return csv_bytes_reference(table) if data is None else data


def csv_bytes_reference(table: pa.Table) -> bytes:
    """:func:`csv_bytes` row by row through the ``csv`` module and ``_csv_cell``: the oracle of the
    column-wise path."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    for row in zip(*columns):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def parquet_bytes(table: pa.Table, encoded: Mapping[str, tuple[pa.Array, pa.DictionaryArray]] | None = None) -> bytes:
    """One Parquet file (zstd, dictionary pages but for floats, the Arrow schema with the field labels
    stored), the same bytes for the same table. Issue 16 (measured on the 260-week national tables, ``docs/performance.md``):
    the table is written as one chunk per column (a concatenated ``realisaties`` has one per file, 1,040,
    and the writer pays per chunk; the bytes are the same), and min/max statistics are kept for numbers
    and dates but not for text columns, whose statistics cost a fifth of the writing and serve no reader
    of a one-row-group file.

    ``encoded``: per text column, ``(array, its dictionary encoding)`` that the caller already made (the
    dashboard's memo, ``Dashboard.parquet_hints``); a column whose one chunk holds the very buffers of
    ``array`` is handed to the writer as that encoding, so that Parquet writes its dictionary page and
    indices without hashing every row again (issue 16, eighth session). A hint is taken only where the file
    stays the one the text column gives, byte for byte (``_same_pages``; ``tests/test_parquet_encoded.py``):
    the stored Arrow schema is the table's own (``string``, read back as ``string``), the dictionary the one
    Parquet would build (each value once, in the order of its first row). Any other hint is ignored."""
    if any(column.num_chunks > 1 for column in table.columns):
        table = table.combine_chunks()
    # Arrow schema (with the field labels) is stored by default; statistics and dictionary settings are
    # fixed so the same table always gives the same bytes.
    options = {"compression": "zstd", "write_statistics": _statistics_columns(table.schema),
               "use_dictionary": _dictionary_columns(table.schema) if _PLAIN_FLOATS else True}
    return _write_parquet(table, options, _usable_encodings(table, encoded))


def _write_parquet(table: pa.Table, options: dict, encoded: dict[str, pa.DictionaryArray]) -> bytes:
    """``pq.write_table(table, sink, store_schema=True, **options)``, through pyarrow's own writer class
    (``pyarrow._parquet.ParquetWriter``) where it takes the same arguments: ``import pyarrow.parquet`` costs
    ~25 ms (it loads ``pyarrow.fs`` and its cloud file systems, and ``ssl``) of which a file written to a
    buffer needs nothing (issue 16, eighth session). The arguments are those ``pq.write_table`` passes
    for its defaults; ``tests/test_parquet_encoded.py`` proves the bytes equal. Where the class is missing
    or refuses them (another pyarrow), ``pq.write_table`` writes the file (then without ``encoded``)."""
    writer_class = _cython_writer() if _DIRECT_WRITER else None
    if writer_class is not None:
        data = table
        if encoded:
            # The table's own fields (nullability and field metadata: the Parquet schema is made from them),
            # with the encodings' types.
            fields = [field.with_type(encoded[field.name].type) if field.name in encoded else field
                      for field in table.schema]
            data = pa.Table.from_arrays([encoded.get(name, column) for name, column
                                         in zip(table.column_names, table.columns)], schema=pa.schema(fields))
        sink = pa.BufferOutputStream()
        try:
            writer = writer_class(sink, data.schema, **_WRITER_DEFAULTS, **options, store_schema=not encoded)
        except (TypeError, ValueError):  # another pyarrow's arguments: the public function below
            writer = None
        if writer is not None:
            try:
                writer.write_table(data, row_group_size=None)
                if encoded:
                    # The table's own schema metadata and its Arrow schema, as ``store_schema`` stores them
                    # (the schema's keys, then ``ARROW:schema``: the IPC schema message, base64).
                    import base64

                    metadata = dict(table.schema.metadata or {})
                    metadata[b"ARROW:schema"] = base64.b64encode(table.schema.serialize().to_pybytes())
                    writer.add_key_value_metadata(metadata)
            finally:
                writer.close()
            return sink.getvalue().to_pybytes()
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, store_schema=True, **options)
    return sink.getvalue().to_pybytes()


_DIRECT_WRITER = True
"""False: every file through ``pq.write_table`` (the oracle of ``tests/test_parquet_encoded.py``)."""

_WRITER_DEFAULTS = {
    # What ``pq.write_table`` (pyarrow 14-26) passes to ``_parquet.ParquetWriter`` for its defaults.
    "version": "2.6", "use_deprecated_int96_timestamps": False, "writer_engine_version": "V2",
    "data_page_version": "1.0", "use_compliant_nested_type": True,
}


def _cython_writer():
    try:
        from pyarrow._parquet import ParquetWriter
    except ImportError:  # pragma: no cover - a pyarrow without it
        return None
    return ParquetWriter


def _usable_encodings(table: pa.Table, encoded: Mapping[str, tuple[pa.Array, pa.DictionaryArray]] | None,
                      ) -> dict[str, pa.DictionaryArray]:
    """The hints of ``encoded`` that stand for the column they name: a text column of one chunk with the
    very buffers, offset and length of the hint's array (Arrow arrays are immutable and the hint keeps its
    array alive, so the same buffers hold the same values), and an encoding of that length whose dictionary
    is text of the same type without nulls (Parquet's own dictionary has no null)."""
    if not encoded or not _DIRECT_WRITER:
        return {}
    usable: dict[str, pa.DictionaryArray] = {}
    for name, (array, dictionary) in encoded.items():
        index = table.schema.get_field_index(name)
        if index < 0:
            continue
        column = table.column(index)
        kind = table.schema.field(index).type
        if (column.num_chunks != 1 or not pa.types.is_string(kind) or not _same_data(column.chunk(0), array)
                or not isinstance(dictionary, pa.DictionaryArray) or len(dictionary) != len(array)
                or dictionary.type.value_type != kind or dictionary.dictionary.null_count
                or dictionary.null_count != array.null_count or not _same_pages(dictionary)):
            continue
        usable[name] = dictionary
    return usable


_FIRST_BATCH = 1024
"""The rows Parquet's column writer takes per step (``write_batch_size``'s default); a data page ends
after a step, never inside one."""
_HINT_DICTIONARY_BYTES = 1 << 18
"""A hint is taken only for a dictionary well below Parquet's dictionary page limit (1 MiB), so that
neither way of writing falls back to plain pages."""


def _same_pages(encoded: pa.DictionaryArray) -> bool:
    """Whether Parquet writes the same pages from ``encoded`` as from its text. From the text it builds its
    dictionary as it goes (each value at its first row) and packs each data page's indices at the bit width
    of the dictionary so far; from an encoding it takes the whole dictionary at once. The pages are the same
    when the dictionary is the one it would build (the encoding's, in the order of first rows: what
    ``dictionary_encode`` gives) and the values of the first step (``_FIRST_BATCH`` rows, inside the first
    page) already need the bit width of the whole dictionary."""
    size = len(encoded.dictionary)
    if size == 0 or encoded.dictionary.nbytes > _HINT_DICTIONARY_BYTES:
        return False
    head = encoded.indices.slice(0, _FIRST_BATCH).drop_null().to_numpy()
    seen = int(head.max()) + 1 if len(head) else 0
    return seen > 0 and (seen - 1).bit_length() == (size - 1).bit_length()


def _same_data(a: pa.Array, b: pa.Array) -> bool:
    """``a`` and ``b`` are views of the same memory: the same type, offset, length and buffers."""
    if a.type != b.type or a.offset != b.offset or len(a) != len(b):
        return False
    first, second = a.buffers(), b.buffers()
    return len(first) == len(second) and all(
        (x is None and y is None) or (x is not None and y is not None and x.address == y.address and x.size == y.size)
        for x, y in zip(first, second))


_PLAIN_FLOATS = True
"""Issue 16: float columns are written without dictionary pages (``_dictionary_columns``); False: every
column with one, as before (``tests/test_verloop_keyed.py`` reads both back to the same tables)."""


def _dictionary_columns(schema: pa.Schema) -> list[str]:
    """The columns Parquet writes with dictionary pages: every column but floats. A float column of a
    history (``achterstand``, ``realisatiegraad``: ~100,000 distinct values in 329,420 rows of ``verloop``)
    was hashed into a dictionary as large as the values themselves; plain pages are written faster and
    are smaller under zstd, and read back to the same bits (-0.0 and NaN included)."""
    return [field.name for field in schema if not pa.types.is_floating(field.type)]


def _statistics_columns(schema: pa.Schema) -> list[str]:
    """The columns whose min/max statistics Parquet keeps: every column but text (``string``, and
    dictionaries of text such as ``status``)."""
    def text(kind: pa.DataType) -> bool:
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        return pa.types.is_string(kind) or pa.types.is_large_string(kind)

    return [field.name for field in schema if not text(field.type)]


def arrow_bytes(table: pa.Table) -> bytes:
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
_FILE_MODE = 0o666 & ~_UMASK

ENCODERS = {"csv": csv_bytes, "parquet": parquet_bytes, "arrow": arrow_bytes}


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    Each target folder is locked while its files are written (see ``locked``), so two runs never leave
    a mix, and stale temporary files of a killed run are removed first. An ``OSError`` becomes an
    ``OutputError`` (also an ``OSError``) whose message names the path."""
    try:
        _write_atomically(files)
    except OutputError:
        raise
    except OSError as exc:  # anything not caught where it happened (a name too long for stat)
        raise _output_error(Path(exc.filename) if exc.filename else next(iter(files), Path(".")), exc) from exc


def _write_atomically(files: Mapping[Path, bytes]) -> None:
    for target in files:
        _check_path(Path(target))
    files = _real_targets(files)
    pending: list[tuple[str, Path]] = []
    with contextlib.ExitStack() as stack:
        for parent in dict.fromkeys(Path(t).parent for t in files):
            _make_folder(parent)
            stack.enter_context(locked(parent))
            for target in files:
                if Path(target).parent == parent:
                    _remove_stale(parent, Path(target).name)
        try:
            for target, data in files.items():
                target = Path(target)
                if target.is_dir():
                    raise OutputError(f"kan niet schrijven naar {target}: dat is een map, geen bestand "
                                      f"(geef een bestandsnaam)", target)
                fd, tmp = _mkstemp(target)
                pending.append((tmp, target))
                with os.fdopen(fd, "wb") as handle:
                    _write_bytes(handle, data, target)
            with _signals_held():
                for tmp, target in pending:
                    _guarded(os.replace, target, tmp, target)
            pending.clear()
        finally:
            for tmp, _ in pending:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _real_targets(files: Mapping[Path, bytes]) -> dict[Path, bytes]:
    """Each target as the file it really is: a link is followed (the file it points to is replaced, not the
    link); a target that is no regular file (``/dev/stdout``, a pipe) is written to directly, at once, since
    it cannot be replaced."""
    out: dict[Path, bytes] = {}
    for target, data in files.items():
        try:
            mode = os.stat(target).st_mode  # through links: /dev/stdout is the pipe or terminal it stands for
        except (OSError, ValueError):
            mode = None
        if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            fd = _guarded(os.open, Path(target), target, os.O_WRONLY | getattr(os, "O_APPEND", 0))
            with open(fd, "wb", closefd=True) as handle:
                _write_bytes(handle, data, Path(target), sync=False)
            continue
        out[Path(os.path.realpath(target))] = data
    return out


_THREADED_FORMATS = ("parquet", "arrow")
"""The formats whose encoder runs in Arrow's C++ code with the GIL released (CSV renders floats in Python)."""
_THREADED_ROWS = 20_000
"""A table of fewer rows is encoded in the calling thread (a thread costs more than it saves)."""


def encode_all(encode: Callable[..., bytes], tables: Iterable[pa.Table], hints: Iterable[Any] | None = None,
               ) -> list[bytes]:
    """``[encode(t) for t in tables]``, with the large tables shared between this thread and one helper
    thread (issue 16: ``realisaties`` and ``verloop`` of a five-year history take ~100 ms each in pyarrow's
    Parquet writer, which releases the GIL). Each table's bytes are its own encoder's, so the output is the
    same; a failure is the one a plain loop would raise: that of the first failing table in order
    (later tables' results, or failures, are dropped as the loop would never have made them). ``hints``: one
    per table, given to ``encode`` as its second argument (``encode(table, hint)``)."""
    tables = list(tables)
    if hints is not None:
        hints = list(hints)
        plain = encode
        tables = [_Hinted(table, hint) for table, hint in zip(tables, hints, strict=True)]

        def encode(item):
            return plain(item.table, item.hint)
    sizes = [table.num_rows for table in tables]
    large = sorted((i for i, rows in enumerate(sizes) if rows >= _THREADED_ROWS), key=lambda i: -sizes[i])
    if len(large) < 2:
        return [encode(table) for table in tables]
    # The largest tables alternately to the helper and here (the helper takes the largest); the rest here.
    helper = large[0::2]
    results: list[Any] = [None] * len(tables)
    failures: dict[int, BaseException] = {}

    def run(indexes: list[int], caught: type[BaseException]) -> None:
        for i in indexes:
            try:
                results[i] = encode(tables[i])
            except caught as exc:  # noqa: BLE001 - raised below, in order, in the calling thread
                failures[i] = exc

    import threading

    # The helper keeps whatever it meets for the loop below; here an interrupt (Ctrl-C) is not held back.
    thread = threading.Thread(target=run, args=(helper, BaseException), name="opvangkern-encode", daemon=True)
    thread.start()
    try:
        run([i for i in range(len(tables)) if i not in set(helper)], Exception)
    finally:
        thread.join()
    if failures:
        raise failures[min(failures)]
    return results


class _Hinted:
    """A table and its encoder's hint, as ``encode_all`` shares them out (sized by the table's rows)."""

    __slots__ = ("table", "hint", "num_rows")

    def __init__(self, table: pa.Table, hint: Any) -> None:
        self.table, self.hint, self.num_rows = table, hint, table.num_rows


class EarlyEncodings:
    """Tables whose bytes are encoded in a helper thread before ``write_tables`` is called (issue 16, the
    perf9b branch): the command knows its format before the dashboard is computed, and ``realisaties`` is
    complete long before ``verloop`` is, so its encoding (pyarrow's C++ writer, the GIL released) runs on the
    second core while ``verloop`` is computed on the first.

    ``start(name, table, hint)`` begins encoding ``table`` as ``fmt`` (with ``hint`` as ``encoded`` for
    Parquet) in a thread of its own; ``later(name)`` gives a function ``run(make)`` for a thread the caller
    has (``make()`` gives ``(table, hint)`` there, or raises: then nothing is encoded). ``write_tables(...,
    early=this)`` takes those bytes for a table of that name only when it is the same table: the same schema
    with its metadata and every column's chunks over the very same buffers (``_same_table``); any other table
    is encoded as it is. A failure of the early encoding is kept and raised where and when ``write_tables``
    would have raised it (``encode_all``'s order), never before; bytes never asked for (a dashboard that
    failed later, another table given) are dropped."""

    def __init__(self, fmt: str) -> None:
        if fmt not in _THREADED_FORMATS:
            raise ValueError(f"no early encoding for {fmt!r}")
        self.fmt = fmt
        self._started: dict[str, _Early] = {}

    def start(self, name: str, table: pa.Table, hint: Any = None) -> None:
        run = self.later(name)
        if run is None:
            return
        import threading

        try:
            threading.Thread(target=run, args=(lambda: (table, hint),), name="opvangkern-encode-early",
                             daemon=True).start()
        except RuntimeError:  # no thread to be had: encoded by write_tables as usual
            run(_no_table)

    def later(self, name: str) -> Callable[[Callable[[], tuple[pa.Table, Any]]], None] | None:
        """The function that encodes ``name`` early, to be called exactly once, in any thread; ``None`` when
        ``name`` has one already (a second dashboard in the same run is encoded as usual)."""
        if name in self._started:
            return None
        early = self._started[name] = _Early()
        encode = ENCODERS[self.fmt]
        return lambda make: early.run(encode, make, self.fmt == "parquet")

    def take(self, name: str, table: pa.Table) -> _Early | None:
        """The early encoding of ``name`` when it was made for this very table, else ``None``."""
        early = self._started.get(name)
        if early is None:
            return None
        early.known.wait()
        return early if early.table is not None and _same_table(early.table, table) else None


def _no_table():
    raise LookupError("no table")


class _Early:
    """One table's early encoding: ``known`` is set once its table is known (``None``: none came), ``done`` once
    its bytes (or its failure) are."""

    __slots__ = ("table", "num_rows", "known", "done", "_data", "_failure")

    def __init__(self) -> None:
        import threading

        self.table: pa.Table | None = None
        self.num_rows = 0  # already under way: ``encode_all`` keeps the wait in its own loop
        self.known, self.done = threading.Event(), threading.Event()
        self._data: bytes | None = None
        self._failure: BaseException | None = None

    def run(self, encode: Callable[..., bytes], make: Callable[[], tuple[pa.Table, Any]], hinted: bool) -> None:
        try:
            try:
                table, hint = make()
            except BaseException:  # noqa: BLE001 - no table: write_tables encodes its own
                return
            self.table = table
            self.known.set()
            try:
                self._data = encode(table, hint) if hinted and hint is not None else encode(table)
            except BaseException as exc:  # noqa: BLE001 - raised by result(), where write_tables would raise it
                self._failure = exc
        finally:
            self.known.set()
            self.done.set()

    def result(self) -> bytes:
        self.done.wait()
        if self._failure is not None:
            raise self._failure
        assert self._data is not None
        return self._data


def _same_table(a: pa.Table, b: pa.Table) -> bool:
    """``a`` and ``b`` hold the same content because they are views of the same memory: equal schemas with
    their metadata, and column by column the same chunks (``_same_data``). Cheap: no value is compared."""
    if a is b:
        return True
    if a.num_rows != b.num_rows or not a.schema.equals(b.schema, check_metadata=True):
        return False
    for x, y in zip(a.columns, b.columns):
        if x.num_chunks != y.num_chunks or not all(_same_data(p, q) for p, q in zip(x.chunks, y.chunks)):
            return False
    return True


def write_tables(named_tables: Mapping[str, pa.Table], folder: Path, fmt: str, *,
                 encoded: Mapping[str, Mapping[str, tuple[pa.Array, pa.DictionaryArray]]] | None = None,
                 early: EarlyEncodings | None = None) -> list[Path]:
    """Write ``<tabel>.<fmt>`` for every table into ``folder``; returns the paths written.

    The folder's set of tables is replaced as a whole (``write_set``). ``encoded``: per table name, the text
    columns already dictionary-encoded (``Dashboard.parquet_hints``; see ``parquet_bytes``): for Parquet only,
    the same files, written faster. ``early``: tables whose encoding was started before (``EarlyEncodings``
    of this format): their bytes are taken where the table is the same, the same bytes."""
    if fmt not in ENCODERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    encode = ENCODERS[fmt]
    folder = Path(folder)
    if early is not None and early.fmt == fmt:
        taken = {name: early.take(name, table) for name, table in named_tables.items()}
        if any(item is not None for item in taken.values()):
            hints = encoded or {}
            items = [_Hinted(table, hints.get(name) if fmt == "parquet" else None) if taken[name] is None
                     else taken[name] for name, table in named_tables.items()]

            def encode_item(item):
                if isinstance(item, _Early):
                    return item.result()
                return encode(item.table) if item.hint is None else encode(item.table, item.hint)

            contents = dict(zip((f"{name}.{fmt}" for name in named_tables), encode_all(encode_item, items)))
            write_set(folder, contents)
            return [folder / name for name in contents]
    if fmt == "parquet" and encoded:
        contents = dict(zip((f"{name}.{fmt}" for name in named_tables),
                            encode_all(encode, named_tables.values(),
                                       [encoded.get(name) for name in named_tables])))
    elif fmt in _THREADED_FORMATS:  # issue 16: the two largest tables encoded at once (encode_all)
        contents = dict(zip((f"{name}.{fmt}" for name in named_tables), encode_all(encode, named_tables.values())))
    else:
        contents = {f"{name}.{fmt}": encode(table) for name, table in named_tables.items()}
    write_set(folder, contents)
    return [folder / name for name in contents]


# --- the set of files, replaced as a whole ----------------------------------------------------------

TABLE_FILE = re.compile(r"^[a-z][a-z0-9_]*\.(csv|parquet|arrow)$")
"""A file that opvangkern writes into an output folder; a folder holding only such files is swapped whole."""


def write_set(folder: Path, contents: Mapping[str, bytes], *,
              owned: Callable[[set[str]], bool] | None = None) -> None:
    """Replace the files ``contents`` (name -> bytes) in ``folder`` as one set ([Command line](cli.md)); see ``_write_set``.
    A path that cannot be written raises ``OutputError`` naming it.

    ``owned`` says whether the names of the files already in ``folder`` are all this writer's own, so
    that the folder may be swapped whole; by default they are when each is a table file
    (``TABLE_FILE``), and tables of another format are then carried over. With ``owned`` given (the
    site's pages), nothing is carried over: the new set replaces the old one entirely."""
    try:
        _write_set(folder, contents, owned)
    except OutputError:
        raise
    except OSError as exc:  # anything not caught where it happened (a name too long for stat)
        raise _output_error(Path(folder), exc) from exc


def _write_set(folder: Path, contents: Mapping[str, bytes],
               owned: Callable[[set[str]], bool] | None = None) -> None:
    """Replace the files ``contents`` (name -> bytes) in ``folder`` as one set ([Command line](cli.md)).

    Under a lock on the folder's parent (``locked``): every file is written and synced into a fresh
    temporary folder ``.NAAM.*.tmp`` beside ``folder``, which is then swapped with ``folder`` in one
    atomic ``renameat2(RENAME_EXCHANGE)`` (Linux; elsewhere two renames, undone by the next run when a
    kill falls between them). Tables of other formats already in the folder are carried over (hard
    links), so ``csv`` and ``parquet`` can share a folder. A folder that also holds other files (not
    written by opvangkern) is never swapped: its tables are renamed into place one by one, with the
    termination signals held back meanwhile. A failure or a kill leaves the previous set intact; the
    temporary folder is removed (after a SIGKILL, by the next run into the same folder)."""
    _check_path(Path(folder))
    folder = Path(os.path.realpath(folder))  # absolute (``.`` has a parent and a name), links followed
    parent = folder.parent
    _make_folder(parent)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"kan niet schrijven naar {folder}: dat is een bestand, geen map (geef een map op "
                          f"voor de tabellen)", folder)
    with locked(parent):
        _recover(folder)
        _remove_stale(parent, folder.name)
        fresh = Path(_guarded(tempfile.mkdtemp, parent, prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
        try:
            os.chmod(fresh, 0o777 & ~_UMASK)  # mkdtemp makes 0700
            for name, data in contents.items():
                with open(_guarded(os.open, folder / name, fresh / name,
                                   os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE), "wb") as handle:
                    _write_bytes(handle, data, folder / name)
            _fsync_dir(fresh)
            if not folder.exists():
                _guarded(os.rename, folder, fresh, folder)
                _fsync_dir(parent)
                return
            own = _only_tables(folder) if owned is None else _only_files(folder, owned)
            if own is None or _in_use(folder):
                _replace_one_by_one(folder, fresh, contents)
                return
            if owned is None:
                for name in own - contents.keys():  # the other formats' tables stay
                    _carry_over(folder / name, fresh / name)
            _swap(fresh, folder)
            _fsync_dir(parent)
        finally:
            if fresh.is_symlink():
                os.unlink(fresh)
            elif fresh.exists():
                shutil.rmtree(fresh, ignore_errors=True)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder`` itself (an open directory): held while a run replaces files
    in it, so concurrent runs take turns; nothing is left behind. No-op where ``fcntl`` is missing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    fd = _guarded(os.open, folder, folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:  # a file system without locks (some network mounts): go on without one
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
                raise _output_error(folder, exc) from exc
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _write_bytes(handle, data: bytes, target: Path, *, sync: bool = True) -> None:
    """Write and sync one file with ``os.write`` on its descriptor (a full disk is an ``OutputError``)."""
    fd = handle.fileno()
    view = memoryview(data)
    try:
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    except OSError as exc:
        raise _output_error(target, exc) from exc


def _guarded(function, shown: Path, *args, **kwargs):
    """Call ``function``; an ``OSError`` becomes an ``OutputError`` naming ``shown``."""
    try:
        return function(*args, **kwargs)
    except OutputError:
        raise
    except OSError as exc:
        raise _output_error(shown, exc) from exc


_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "geen schrijfrechten",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "dat is een map, geen bestand",
    errno.EEXIST: "er staat al een bestand met die naam",
    errno.ENAMETOOLONG: "de naam is te lang",
}


def _output_error(path: Path, exc: OSError) -> OutputError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    shown = str(path) if len(str(path)) <= 300 else str(path)[:299] + "…"
    return OutputError(f"kan niet schrijven naar {shown}: {reason}", path, exc.errno)


def _check_path(path: Path) -> None:
    """A path no file system takes (a NUL byte in it) is an ``OutputError``, like any other unwritable path."""
    if "\x00" in str(path):
        raise OutputError(f"kan niet schrijven naar {str(path)!r}: de naam bevat een NUL-teken", path)


def _make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputError(f"kan niet schrijven naar {folder}: een deel van het pad is een bestand, geen map",
                          folder, exc.errno) from exc
    except OSError as exc:
        raise _output_error(folder, exc) from exc


def _mkstemp(target: Path) -> tuple[int, str]:
    fd, tmp = _guarded(tempfile.mkstemp, target, prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; outputs are meant to be shared
    return fd, tmp


def _remove_stale(parent: Path, name: str) -> None:
    """Remove ``.NAAM.*.tmp`` left by a killed run. Called under the lock: no live run has one."""
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _recover(folder: Path) -> None:
    """Undo a two-rename swap that a kill interrupted: the previous set waits as ``.NAAM.*.old``."""
    prefix = f".{folder.name}."
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(folder.parent), key=lambda e: e.name):
            if entry.name.startswith(prefix) and entry.name.endswith(".old"):
                if not folder.exists():
                    os.rename(entry.path, folder)
                else:
                    shutil.rmtree(entry.path, ignore_errors=True)


def _in_use(folder: Path) -> bool:
    """The root, or the working directory (or a folder above it): never swapped, so that nobody is left
    standing in a removed folder."""
    if folder == folder.parent:
        return True
    try:
        cwd = Path(os.getcwd())
    except OSError:
        return False
    return cwd == folder or folder in cwd.parents


def _only_tables(folder: Path) -> set[str] | None:
    """The names in ``folder`` when every entry is a table file opvangkern writes; else ``None``."""
    names: set[str] = set()
    for entry in _guarded(os.scandir, folder, folder):
        if not (TABLE_FILE.match(entry.name) and entry.is_file(follow_symlinks=False)):
            return None
        names.add(entry.name)
    return names


def _only_files(folder: Path, owned: Callable[[set[str]], bool]) -> set[str] | None:
    """The names in ``folder`` when it holds only regular files and ``owned`` claims them all; else ``None``."""
    names: set[str] = set()
    for entry in _guarded(os.scandir, folder, folder):
        if not entry.is_file(follow_symlinks=False):
            return None
        names.add(entry.name)
    return names if owned(names) else None


def _carry_over(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        _guarded(shutil.copy2, target, source, target)


def _replace_one_by_one(folder: Path, fresh: Path, contents: Mapping[str, bytes]) -> None:
    with _signals_held():
        for name in contents:
            _guarded(os.replace, folder / name, fresh / name, folder / name)
    _fsync_dir(folder)


def _swap(fresh: Path, folder: Path) -> None:
    """Exchange ``fresh`` and ``folder`` atomically; ``fresh`` then holds the previous set."""
    if _exchange(fresh, folder):
        return
    old = Path(tempfile.mktemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
    with _signals_held():
        _guarded(os.rename, folder, folder, old)
        try:
            _guarded(os.rename, folder, fresh, folder)
        except OutputError:
            os.rename(old, folder)
            raise
        os.rename(old, fresh)  # removed with the temporary folder


def _exchange(a: Path, b: Path) -> bool:
    """``renameat2(a, b, RENAME_EXCHANGE)``; False where the system or file system lacks it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, ImportError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise _output_error(b, OSError(code, os.strerror(code)))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_HELD = tuple(s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back termination signals while files are renamed into place, so that a ``kill`` between
    two renames waits until the set is complete (SIGKILL cannot be held)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
