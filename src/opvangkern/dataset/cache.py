"""A persistent cache of parsed files: a re-run reads only the files that changed (issue 16).

Every quota file and realisation file that a dataset names is read into an Arrow table plus its
meldingen, its own peildatum and its reconciliation counts (``FileStats``). This module keeps that
result on disk, one Arrow IPC file per read, so that the next run with the same file, the same reader
and the same manifest entry gets it back without parsing the file again.

The key of an entry is a SHA-256 over:

- the **content** of the file (every byte: a changed byte is a new key; never a time stamp or a size);
- the **reader**: the adapter's name and class, the version of the plugin distribution that gave it,
  and a digest of the reader's code (the adapter's own module folder, and every file of the opvangkern
  package that reads files: an edited reader in a development install is a new key too);
- the **manifest entry** as the reader sees it: ``bestand``, ``blad``, ``peildatum``, ``maat`` and
  every further key (``kolommen``, ``waarden``, …) for a realisation file; ``opgave``,
  ``ingangsdatum``, ``blad`` and ``totaal`` for a quota file;
- the **division** the file is read in (its name, the division it extends, and the content of the
  dataset's own ``indeling/`` folder when there is one);
- this module's format version.

So a cached read reports exactly what a fresh read reports: the same table, the same meldingen (in the
same order), the same peildatum and the same counts. Besides one entry per read, a dataset keeps a pack
(``opvangkern.dataset.pack``): what its last load made of every entry (the rows after ``validate``), under
the same keys, so that a warm load takes each unchanged entry from one file as it is (``served``, ``keep``). A file is hashed before and after it is read; when
the two differ (the file changed while it was read) the result is used but not stored.

Where: ``$OPVANGKERN_CACHE`` when set (``uit``, ``0`` or empty turns the cache off), else
``$XDG_CACHE_HOME/opvangkern``, else ``~/.cache/opvangkern``. The command line uses it unless given
``--geen-cache``; the Python API when asked (``open_dataset(pad, cache=True)`` or a folder). A cache
that cannot be read or written is never an error: the file is then read as without a cache. Removing
the folder is always safe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["CACHE_ENV", "FileCache", "default_folder", "resolve"]

CACHE_ENV = "OPVANGKERN_CACHE"
"""The environment variable that moves the cache (a folder) or turns it off (``uit``, ``0``, empty)."""
FORMAT = "2"
"""The layout of an entry; a new layout is a new key, so old entries are simply never read again."""
_OFF = {"", "0", "uit", "nee", "off", "no", "false"}
_META = b"opvangkern_cache"

_UNSET = object()
_code_digests: dict[str, str] = {}
_class_digests: dict[type, str] = {}


def default_folder() -> Path | None:
    """The cache folder (``None``: turned off by ``$OPVANGKERN_CACHE``)."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        if value.strip().casefold() in _OFF:
            return None
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "opvangkern"


def resolve(cache: Any, dataset_folder: Path) -> FileCache | None:
    """``load_dataset``'s ``cache`` argument as a ``FileCache``: ``None``/``False`` none, ``True`` the
    default folder, a path that folder, a ``FileCache`` itself."""
    if cache is None or cache is False:
        return None
    if isinstance(cache, FileCache):
        return cache
    folder = default_folder() if cache is True else Path(cache)
    if folder is None:
        return None
    found = FileCache(folder, dataset_folder)
    found.open_pack_early()  # read while the manifest is parsed and the division built (issue 16)
    return found


def _sha256(data: bytes = b"") -> Any:
    import hashlib  # here: a command with the cache off never hashes (hashlib's OpenSSL binding: 3-4 ms)

    return hashlib.sha256(data)


def _digest_files(paths: list[Path], root: Path) -> str:
    digest = _sha256()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"?"
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_sha256(data).digest())
    return digest.hexdigest()


def _tree(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    out = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if "__pycache__" in parts or parts[0] in skip or path.suffix == ".pyc" or not path.is_file():
            continue
        out.append(path)
    return out


NOT_IN_CODE_DIGEST = ("sample", "output")
"""Top-level parts of the package that cannot change what a read gives: the bundled sample (data, read
like any dataset, its bytes in each entry's key) and the writers and page renderer, which only format
results (``output/``, the html package included since the layout moved it there)."""


def code_digest(root: Path) -> str:
    """A digest of the package tree at ``root``: every file but ``NOT_IN_CODE_DIGEST`` and bytecode."""
    return _digest_files(_tree(root, skip=NOT_IN_CODE_DIGEST), root)


def package_digest() -> str:
    """A digest of opvangkern's own code and reference data (the bundled sample left out): part of every key."""
    if "opvangkern" not in _code_digests:
        root = Path(__file__).resolve().parent.parent  # this module lives in opvangkern/dataset/
        _code_digests["opvangkern"] = code_digest(root)
    return _code_digests["opvangkern"]


def module_digest(obj: Any) -> str:
    """A digest of the code that defines ``obj``'s class: its top-level package's ``.py`` files (or the
    lone module's file); ``""`` for opvangkern's own code, which ``package_digest`` covers."""
    cls = type(obj)
    if cls in _class_digests:
        return _code_digests.get(_class_digests[cls], "")
    top = sys.modules.get(cls.__module__.split(".")[0])
    file = getattr(top, "__file__", None)
    if not file:
        return ""
    path = Path(file).resolve()
    own = Path(__file__).resolve().parent.parent
    if path.parent == own or own in path.parents:
        return ""
    key = str(path)
    _class_digests[cls] = key
    if key not in _code_digests:
        if path.name == "__init__.py":
            root = path.parent
            _code_digests[key] = _digest_files([p for p in _tree(root) if p.suffix == ".py"], root)
        else:
            _code_digests[key] = _digest_files([path], path.parent)
    return _code_digests[key]


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return repr(value)


_ENCODER = json.JSONEncoder(default=_json_default, ensure_ascii=True)
"""One encoder for every key (``json.dumps`` with ``default`` builds a new one per call)."""


def reused_encode(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """``encoder.encode`` with the C encoder made once, not once per call (issue 16, fifteenth session:
    ``JSONEncoder.encode`` makes one per call, ~1.6 µs of each of the ~1,060 keys and pack texts of a
    five-year history). The same text for every value: the same C encoder with the same settings, made
    without the list that ``check_circular`` keeps (a value that holds itself raises a ``RecursionError``
    instead of a ``ValueError``; a key that cannot be formed means no cache, either way). Without the C
    encoder, or with an ``indent``: ``encoder.encode`` itself."""
    from json import encoder as module

    make = getattr(module, "c_make_encoder", None)
    if make is None or encoder.indent is not None:
        return encoder.encode
    text = module.encode_basestring_ascii if encoder.ensure_ascii else module.encode_basestring
    iterencode = make(None, encoder.default, text, encoder.indent, encoder.key_separator, encoder.item_separator,
                      encoder.sort_keys, encoder.skipkeys, encoder.allow_nan)

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return text(value)
        return "".join(iterencode(value, 0))

    return encode


_ENCODE = reused_encode(_ENCODER)


class FileCache:
    """The cache of one ``load_dataset`` call: a folder of entries, plus the digests of this read."""

    def __init__(self, folder: str | os.PathLike[str], dataset_folder: str | os.PathLike[str] | None = None) -> None:
        import hashlib  # noqa: F401 - imported before the hashing and pack threads start (no import inside them)

        self.folder = Path(folder)
        self.dataset_folder = None if dataset_folder is None else Path(dataset_folder)
        self.hits = 0
        """Reads served from the cache in this load."""
        self.misses = 0
        """Reads that parsed their file (and stored the result when they could)."""
        self._files: dict[str, str | None] = {}
        self._own_division: str | None = None
        self.pack_hits = 0
        """Reads served from the dataset's pack (what the last load made of every entry; see ``finish``)."""
        self._pack: Any = None
        self._opening: _Opening | None = None
        """The pack being read in a helper thread (``open_pack_early``), until ``_the_pack`` takes it."""
        self._ahead: _HashAhead | None = None
        """The files' digests made in a helper thread (``hash_ahead``)."""
        self._kept: dict[str, Any] = {}
        """key → what this load made of the entry (``opvangkern.dataset.pack.Kept``), in reading order."""
        self._clean: set[str] = set()
        """Keys whose read was served from an entry or stored (the file did not change while it was read)."""
        self._readers: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._prefixes: dict[tuple, tuple] = {}
        self._points: dict[int, tuple[Any, str]] = {}
        """id(contributed points) → (the points, the key of the entry that gave them; see ``points_key``)."""
        self._summaries: dict[int, tuple[Any, dict]] = {}
        """id(an entry's realisaties) → (that table, its ``deliveries.file_summary``; see ``summaries_of``)."""

    # --- the parts of a key ---------------------------------------------------------------------

    def file_digest(self, path: Path) -> str | None:
        """SHA-256 of the file's bytes, once per file in this load (a workbook named for 52 sheets is
        hashed once); ``None`` when it cannot be read (then nothing is cached for it)."""
        name = os.fspath(path)  # by its text (issue 16: a ``Path`` made and hashed per entry cost ~40 µs)
        found = self._files.get(name, _UNSET)
        if found is _UNSET:
            found = None if self._ahead is None else self._ahead.take(name)
            if found is None:
                found = _hash_file(name)
            self._files[name] = found
        return found

    def hash_ahead(self, folder: str | os.PathLike[str], names: list[str]) -> None:
        """Start hashing the files ``names`` (the manifest's ``bestand`` values, relative to ``folder``) in a
        helper thread (issue 16: reading and hashing 1,059 files run in C with the GIL released, beside the
        load's own work). ``file_digest`` takes a file's digest from it when the helper has it, else hashes
        the file itself; the digest is the same SHA-256 of every byte (never a time stamp). The helper only
        opens plain names of regular files inside ``folder`` (no link as the last part, no ``..``): anything
        else is left to ``file_digest``, after the load's own checks. Once per load."""
        if self._ahead is None:
            # Each file under the text ``file_digest`` is asked for (``str(folder / name)``): for a plain name
            # that is this prefix plus the name (``Path(".") / name`` is the name alone).
            prefix = str(Path(folder) / "x")[:-1]
            self._ahead = _HashAhead(str(folder), prefix, list(dict.fromkeys(names)))

    def division_key(self, division: Any) -> str:
        if self._own_division is None:
            from opvangkern.areas.history import OWN_FOLDER

            own = None if self.dataset_folder is None else self.dataset_folder / OWN_FOLDER
            self._own_division = _digest_files(_tree(own), own) if own is not None and own.is_dir() else ""
        base = getattr(division, "base", None)
        return "|".join((str(getattr(division, "name", division)), str(getattr(base, "name", "")),
                         self._own_division))

    def key(self, kind: str, reader: Mapping[str, Any], entry: Mapping[str, Any], file_digest: str,
            division: Any) -> str:
        """SHA-256 over the JSON of every part (see the module); the parts that every entry of one reader
        shares are formed once per load."""
        code = package_digest()
        memo = (kind, id(reader), id(division))
        found = self._prefixes.get(memo)
        if found is None or found[0] is not reader or found[1] is not division or found[2] != code:
            shared = {"format": FORMAT, "kind": kind, "reader": dict(reader), "code": code,
                      "division": self.division_key(division)}
            prefix = json.dumps(shared, default=_json_default, ensure_ascii=True)[:-1]
            found = self._prefixes[memo] = (reader, division, code, prefix)
        text = f'{found[3]}, "entry": {_ENCODE(dict(entry))}, "file": {_ENCODE(file_digest)}}}'
        return _sha256(text.encode("ascii")).hexdigest()

    # --- reading through the cache --------------------------------------------------------------

    def read(self, kind: str, path: Path, reader: Mapping[str, Any], entry: Mapping[str, Any], division: Any,
             compute: Callable[[], Any], pack: Callable[[Any], dict[str, Any]],
             unpack: Callable[[dict[str, Any]], Any], key: str | None = None) -> Any:
        """``compute()``'s result for this file, from the cache when the key is there. ``pack`` turns a
        result into ``{"table": pa.Table, "extra": pa.Table | None, "meta": json-able}``, ``unpack`` back.
        ``key``: the key when the caller formed it already (``source_key``, ``quota_key``)."""
        digest = self.file_digest(path)
        if digest is None:
            return compute()
        if key is None:
            key = self.key(kind, reader, entry, digest, division)
        found = self._load(key)
        if found is not None:
            try:
                result = unpack(found)
            except Exception:  # noqa: BLE001 - an entry this code cannot rebuild is a miss, never an error
                result = None
            if result is not None:
                self.hits += 1
                self._clean.add(key)
                return result
        self.misses += 1
        result = compute()
        if _hash_file(path) == digest:  # the file did not change while it was read
            self._clean.add(key)
            try:
                packed = pack(result)
            except Exception:  # noqa: BLE001 - a result that cannot be stored is still the result
                packed = None
            if packed is not None:
                self._store(key, packed)
        return result

    # --- the pack: what the last load made of every file, in one file (opvangkern.dataset.pack) ---

    def source_key(self, adapter: Any, source: Any) -> str | None:
        """The key of ``adapter.read(source)`` (``None`` when the file cannot be hashed or the key formed:
        then nothing is cached)."""
        digest = self.file_digest(source.data)
        if digest is None:
            return None
        try:
            return self.key("bron", self._reader(adapter), _source_entry(source), digest, source.division)
        except Exception:  # noqa: BLE001 - a key that cannot be formed means no cache, never an error
            return None

    def quota_key(self, source: Any, entry: Any, level: Any) -> str | None:
        """The key of a quota file's read (``cached_quota``)."""
        digest = self.file_digest(source.data)
        if digest is None:
            return None
        try:
            return self.key("opgave", _QUOTA_READER, _quota_entry(source, entry, level), digest, source.division)
        except Exception:  # noqa: BLE001 - as for source_key
            return None

    def served(self, key: str, kind: str, bron: str | None = None) -> Served | None:
        """What the last load made of the entry of ``key`` (``kind`` ``bron`` or ``opgave``, for source
        ``bron``), from the dataset's pack: the checked tables, meldingen, counts and peildatum, to be used
        as they are. ``None`` when the pack does not hold it."""
        kept = self._the_pack().get(key, kind)
        if kept is None or kept.meta.get("bron") != bron:
            return None
        try:
            meta = kept.meta
            meldingen = meldingen_from_json(meta["meldingen"]) if meta["meldingen"] else []
            stats = stats_from_json(meta["stats"])
            day = meta["peildatum"]
            peildatum = None if day is None else dt.date.fromisoformat(day)
        except Exception:  # noqa: BLE001 - an entry this code cannot rebuild is a miss, never an error
            return None
        self.hits += 1
        self.pack_hits += 1
        self._kept[key] = kept
        summary = meta.get("samenvatting")
        if summary is not None and SUMMARIES[0]:  # as the pack gives it: checked when asked for (summaries_of)
            self._summaries[id(kept.table)] = (kept.table, summary)
        return Served(kept.table, kept.extra, meldingen, stats, peildatum)

    def keep(self, key: str | None, kind: str, table: Any, extra: Any, meldingen: Any, stats: Any,
             peildatum: dt.date | None = None, bron: str | None = None) -> None:
        """What this load made of the entry of ``key``, for the next load's pack. Kept only when the entry's
        read was served from the cache or stored in it (so never when the file changed while it was read)."""
        if key is None or key not in self._clean:
            return
        from opvangkern.dataset.pack import Kept, packable
        from opvangkern.model import Melding
        from opvangkern.sources.adapter import FileStats

        if (stats is not None and type(stats) is not FileStats) or any(type(m) is not Melding for m in meldingen):
            return  # only what comes back from JSON as the same class
        try:
            meta = {"bron": bron, "meldingen": meldingen_to_json(meldingen), "stats": stats_to_json(stats),
                    "peildatum": None if peildatum is None else peildatum.isoformat()}
            json.dumps(meta, ensure_ascii=True)
        except (TypeError, ValueError):
            return  # meldingen that JSON would change: not kept, the entry is read through the cache again
        summary = None
        if kind == "bron" and SUMMARIES[0]:
            summary = _summary(table)
            if summary is not None:
                meta["samenvatting"] = summary
        kept = Kept(kind, table, extra, meta)
        try:
            if packable(kept):
                self._kept[key] = kept
                if summary is not None:
                    self._summaries[id(table)] = (table, summary)
        except Exception:  # noqa: BLE001 - what cannot be packed is simply not kept
            return

    def summaries_of(self, tables: Any) -> list[dict | None]:
        """Per table, the ``deliveries.file_summary`` kept with that very table (served from the pack, or made when
        this load kept it for the next pack), checked (``summary_from_json``); ``None`` where there is none or it
        does not fit (then ``check_deliveries`` looks at that table)."""
        from opvangkern.dataset.deliveries import summary_from_json

        out: list[dict | None] = []
        for table in tables:
            found = self._summaries.get(id(table))
            out.append(summary_from_json(found[1]) if found is not None and found[0] is table else None)
        return out

    def packed_count(self) -> int:
        """How many entries the dataset's pack holds (opened as ``served`` opens it): with about as many
        entries to read, a load will probably parse few files (``opvangkern.dataset.parallel``)."""
        return len(self._the_pack().keys)

    def likely_served(self, keys: list[str | None]) -> list[bool]:
        """Per key, whether its read will probably be served without parsing the file (the dataset's pack or
        an entry holds it): a guess for planning (``opvangkern.dataset.parallel``), never relied on."""
        packed = set(self._the_pack().keys)
        return [key is not None and (key in packed or self._entry_path(key).is_file()) for key in keys]

    def note_points(self, points: Any, key: str | None) -> None:
        """The quota points a ``tvs`` entry contributes came from the read of ``key`` (served from the pack, or
        read and stored): then the key stands for their content (``opvangkern.dataset.whole``)."""
        if key is not None and (key in self._clean or key in self._kept):
            self._points[id(points)] = (points, key)

    def points_key(self, points: Any) -> str | None:
        """The key noted for these very points (``note_points``); ``None`` when none was."""
        found = self._points.get(id(points))
        return found[1] if found is not None and found[0] is points else None

    def pack_path(self) -> Path | None:
        """The dataset's pack: one Arrow IPC file holding what the last load made of every entry
        (``opvangkern.dataset.pack``; ``None`` without a dataset folder). Named by the dataset folder's path,
        so that two datasets keep two packs."""
        if self.dataset_folder is None:
            return None
        try:
            where = str(self.dataset_folder.resolve())
        except (OSError, RuntimeError):
            where = str(self.dataset_folder)
        name = _sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
        return self.folder / "pakketten" / f"{name}.arrow"

    def finish(self) -> None:
        """Write the dataset's pack when this load kept other entries than the pack holds (a new or changed
        file, another reader, a first load): then the next load serves every unchanged entry from that one
        file. Each entry in it keeps its own key, so a changed file misses only itself. Never an error."""
        if self._ahead is not None:
            self._ahead.stop()
        path = self.pack_path()
        if path is None or not self._kept:
            return
        self._the_pack()
        if list(self._kept) == self._pack.keys:
            return  # the pack is what this load used: nothing to write
        from opvangkern.dataset.pack import delta_fits, write_pack

        try:
            write_pack(path, self._kept, self._pack if delta_fits(self._kept, self._pack) else None)
        except Exception:  # noqa: BLE001 - a full disk, a read-only cache, an Arrow error: the entries still serve
            return

    def open_pack_early(self) -> None:
        """Start reading the dataset's pack in a helper thread (issue 16): reading its ~58 MB (five years of
        weekly files) and its SHA-256 run in C with the GIL released, so they overlap the manifest's parse
        and the division that a load does before its first entry. The pack read is the one ``Pack.open``
        does; ``served`` waits for it. Without a dataset folder, or once the pack is read, nothing."""
        if self._pack is not None or self._opening is not None:
            return
        path = self.pack_path()
        if path is not None:
            self._opening = _Opening(path)

    def _the_pack(self) -> Any:
        """The dataset's pack as read (``opvangkern.dataset.pack.Pack``): the helper thread's when
        ``open_pack_early`` started one, else read here."""
        if self._pack is None:
            opening, self._opening = self._opening, None
            found = None if opening is None else opening.result()
            if found is None:
                from opvangkern.dataset.pack import Pack

                found = Pack.open(self.pack_path())
            self._pack = found
        return self._pack

    def _entry_path(self, key: str, extra: bool = False) -> Path:
        return self.folder / key[:2] / f"{key}{'.extra' if extra else ''}.arrow"

    def _load(self, key: str) -> dict[str, Any] | None:
        import pyarrow as pa
        import pyarrow.ipc

        path = self._entry_path(key)
        try:
            with pa.OSFile(str(path), "rb") as handle:
                reader = pyarrow.ipc.open_file(handle)
                table = reader.read_all()
                meta = json.loads(reader.metadata[_META])
            extra = None
            if meta.get("extra"):
                with pa.OSFile(str(self._entry_path(key, extra=True)), "rb") as handle:
                    extra = pyarrow.ipc.open_file(handle).read_all()
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        return {"table": table, "extra": extra, "meta": meta["result"], "text": reader.metadata[_META]}

    def _store(self, key: str, packed: dict[str, Any]) -> bytes | None:
        """Write the entry; its metadata text when it could be formed (also when the disk refused it)."""
        extra = packed.get("extra")
        meta = {"format": FORMAT, "key": key, "extra": extra is not None, "result": packed["meta"]}
        try:
            text = json.dumps(meta, default=_json_default, ensure_ascii=True).encode("ascii")
        except (ValueError, TypeError):
            return None
        try:
            if extra is not None:  # the extra first: an entry is only found once its main file is there
                _write_ipc(self._entry_path(key, extra=True), extra, {})
            _write_ipc(self._entry_path(key), packed["table"], {_META: text})
        except (OSError, ValueError, TypeError):
            pass  # a full disk or a read-only cache: the result is still used, just not kept
        return text

    def _reader(self, adapter: Any) -> dict[str, Any]:
        """``reader_identity(adapter)``, once per adapter in this load."""
        found = self._readers.get(id(adapter))
        if found is None or found[0] is not adapter:
            found = self._readers[id(adapter)] = (adapter, reader_identity(adapter))
        return found[1]


class _Opening:
    """``Pack.open(path)`` in a daemon thread; ``result()`` waits for it (``None``: the thread failed, then
    the caller reads the pack itself). The modules it needs are imported here, in the calling thread."""

    def __init__(self, path: Path) -> None:
        import threading

        import pyarrow.ipc  # noqa: F401 - imported before the thread starts (no import inside it)

        from opvangkern.dataset.pack import Pack

        self._found: Any = None
        self._thread = threading.Thread(target=self._run, args=(Pack, path), name="opvangkern-pakket", daemon=True)
        self._thread.start()

    def _run(self, pack: Any, path: Path) -> None:
        try:
            self._found = pack.open(path)
        except BaseException:  # noqa: BLE001 - Pack.open never raises; whatever else happens, read it again
            self._found = None

    def result(self) -> Any:
        self._thread.join()
        return self._found


SUMMARIES = [True]
"""False: no ``deliveries.file_summary`` is kept with an entry or used (the oracle of
``tests/test_perf14_summaries.py``; the checks then look at every table, as before the fourteenth session)."""


def _summary(table: Any) -> dict | None:
    """The table's ``deliveries.file_summary`` when its fields fit (``summary_from_json``: text, whole numbers and
    ``None`` only, which JSON gives back as they are); else ``None``."""
    from opvangkern.dataset.deliveries import file_summary, summary_from_json

    try:
        return summary_from_json(file_summary(table))
    except Exception:  # noqa: BLE001 - a table this cannot summarise is looked at by the checks, as before
        return None


class Served:
    """What the pack gives for one entry: the tables, meldingen, counts and peildatum a load made of it."""

    __slots__ = ("table", "extra", "meldingen", "stats", "peildatum")

    def __init__(self, table: Any, extra: Any, meldingen: list[Any], stats: Any, peildatum: dt.date | None) -> None:
        self.table, self.extra, self.meldingen, self.stats, self.peildatum = table, extra, meldingen, stats, peildatum


def _hash_file(path: Path) -> str | None:
    """SHA-256 of every byte of the file (``None`` when it cannot be read). ``os.read`` rather than a
    buffered file object: 1,059 files of a five-year history hash in half the time (issue 16)."""
    try:
        handle = os.open(path, os.O_RDONLY)
    except (OSError, ValueError):
        return None
    try:
        return _hash_handle(handle)
    finally:
        os.close(handle)


def _hash_handle(handle: int) -> str | None:
    """SHA-256 of every byte from an open file's position to its end (``None`` when a read fails)."""
    try:
        digest = _sha256()
        while True:
            chunk = os.read(handle, 1 << 20)
            if not chunk:
                break
            digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class _HashAhead:
    """``_hash_file`` of a dataset's files in a daemon thread (``FileCache.hash_ahead``): ``take(path)`` gives a
    file's digest once the thread made it, else ``None`` (the caller hashes the file itself)."""

    _FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    """No link followed; a pipe never blocks the open (``O_NONBLOCK`` changes nothing for a regular file)."""

    def __init__(self, folder: str, prefix: str, names: list[str]) -> None:
        import threading

        from opvangkern.dataset.guards import _PLAIN

        self._digests: dict[str, str] = {}
        self._stopped = False
        self._thread = threading.Thread(target=self._run, args=(folder, prefix, names, _PLAIN),
                                        name="opvangkern-hashes", daemon=True)
        self._thread.start()

    def take(self, path: str) -> str | None:
        return self._digests.pop(path, None)

    def stop(self) -> None:
        self._stopped = True

    def _run(self, folder: str, prefix: str, names: list[str], plain: Any) -> None:
        try:
            root = os.path.realpath(folder) + os.sep
            parents: dict[str, bool] = {}
            for name in names:
                if self._stopped:
                    return
                if not isinstance(name, str) or not plain.fullmatch(name):
                    continue  # a name with ``..``, an absolute path: the load's own checks first
                path = prefix + name
                parent = os.path.dirname(path)
                inside = parents.get(parent)
                if inside is None:
                    inside = parents[parent] = (os.path.realpath(parent) + os.sep).startswith(root)
                if not inside:
                    continue
                digest = self._hash(path)
                if digest is not None:
                    self._digests[path] = digest
        except BaseException:  # noqa: BLE001 - a helper that fails leaves every file to file_digest
            return

    def _hash(self, path: str) -> str | None:
        try:
            handle = os.open(path, self._FLAGS)  # a link as the last part fails here (O_NOFOLLOW)
        except (OSError, ValueError):
            return None
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return None  # a pipe, a device, a folder: never read ahead
            return _hash_handle(handle)
        except OSError:
            return None
        finally:
            os.close(handle)


@contextlib.contextmanager
def replacing(path: Path, suffix: str) -> Iterator[str]:
    """A temporary file beside ``path`` to write (its name is given), put in ``path``'s place in one step when
    the block ends, and removed when it raises: a reader of the cache sees the old file or the new one, never
    half of one (every file of the cache, the pack and the whole-dataset memos are written so)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _write_ipc(path: Path, table: Any, metadata: dict[bytes, bytes]) -> None:
    import pyarrow as pa
    import pyarrow.ipc

    with replacing(path, ".arrow") as temp:
        with pa.OSFile(temp, "wb") as sink:
            with pyarrow.ipc.new_file(sink, table.schema, metadata=metadata or None) as writer:
                writer.write_table(table)


# --- what is kept of a read ----------------------------------------------------------------------


def meldingen_to_json(meldingen: Any) -> list[dict[str, Any]]:
    import attrs

    out = []
    for melding in meldingen:
        item = attrs.asdict(melding, recurse=False)
        item["ernst"] = melding.ernst.value
        for name, value in item.items():
            # Only values that come back from JSON as they went in (a tuple would come back a list, a
            # date as text): anything else is not stored, so a cached read never differs from a fresh one.
            if value is not None and type(value) not in (str, int, float, bool):
                raise TypeError(f"melding field {name} holds a {type(value).__name__}")
        out.append(item)
    return out


def meldingen_from_json(items: list[dict[str, Any]]) -> list[Any]:
    from opvangkern.model import Melding

    return [Melding(**item) for item in items]


def stats_to_json(stats: Any) -> dict[str, Any] | None:
    import attrs

    return None if stats is None else attrs.asdict(stats)


def stats_from_json(item: dict[str, Any] | None) -> Any:
    from opvangkern.sources.adapter import FileStats

    return None if item is None else FileStats(**item)


# --- the two kinds of read a dataset does --------------------------------------------------------


def reader_identity(adapter: Any) -> dict[str, Any]:
    """The reader part of a key: the adapter's name and class, the version of the plugin that gives it
    (its top-level module's ``__version__``, and an adapter's own ``version`` when it has one) and the
    digest of the plugin's code."""
    cls = type(adapter)
    top = sys.modules.get(cls.__module__.split(".")[0])
    return {"name": getattr(adapter, "name", ""), "class": f"{cls.__module__}.{cls.__qualname__}",
            "plugin_version": str(getattr(top, "__version__", "")),
            "version": str(getattr(adapter, "version", "")), "code": module_digest(adapter)}


def _source_entry(source: Any) -> dict[str, Any]:
    return {"bestand": source.bestand, "blad": source.blad, "peildatum": source.peildatum, "maat": source.maat,
            "options": dict(source.options), "kolommen": dict(getattr(source, "kolommen", {}) or {}),
            "waarden": dict(getattr(source, "waarden", {}) or {})}


def cached_source(cache: FileCache, adapter: Any, source: Any, key: str | None = None,
                  read: Callable[[], Any] | None = None) -> Any:
    """``adapter.read(source)`` through the cache: an ``AdapterResult`` equal to a fresh read's (``key``: its
    key, when the caller formed it with ``FileCache.source_key``; ``read``: that read when another process
    made it already, ``opvangkern.dataset.parallel``)."""
    from opvangkern.sources.adapter import AdapterResult

    def pack(result: Any) -> dict[str, Any]:
        return {"table": result.realisaties, "extra": result.opgaven,
                "meta": {"meldingen": meldingen_to_json(result.meldingen),
                         "peildatum": None if result.peildatum is None else result.peildatum.isoformat(),
                         "stats": stats_to_json(getattr(result, "stats", None))}}

    def unpack(found: dict[str, Any]) -> Any:
        meta = found["meta"]
        day = meta["peildatum"]
        return AdapterResult(found["table"], tuple(meldingen_from_json(meta["meldingen"])),
                             None if day is None else dt.date.fromisoformat(day), found["extra"],
                             stats_from_json(meta["stats"]))

    return cache.read("bron", source.data, reader_identity(adapter), _source_entry(source), source.division,
                      read or (lambda: adapter.read(source)), pack, unpack, key=key)


def cached_quota(cache: FileCache, source: Any, entry: Any, level: Any, key: str | None = None) -> Any:
    """``quota.read_quota`` for a manifest's ``[[opgave]]`` through the cache: a ``QuotaResult``."""
    from opvangkern.reading.quota import QuotaResult, read_quota

    def pack(result: Any) -> dict[str, Any]:
        return {"table": result.opgaven, "extra": None,
                "meta": {"meldingen": meldingen_to_json(result.meldingen), "stats": stats_to_json(result.stats)}}

    def unpack(found: dict[str, Any]) -> Any:
        meta = found["meta"]
        return QuotaResult(found["table"], tuple(meldingen_from_json(meta["meldingen"])),
                           stats_from_json(meta["stats"]))

    return cache.read("opgave", source.data, _QUOTA_READER, _quota_entry(source, entry, level), source.division,
                      lambda: read_quota(source, entry.opgave, entry.ingangsdatum, level, entry.totaal), pack, unpack,
                      key=key)


_QUOTA_READER = {"name": "opvangkern.reading.quota"}


def _quota_entry(source: Any, entry: Any, level: Any) -> dict[str, Any]:
    return {**_source_entry(source), "opgave": entry.opgave, "ingangsdatum": entry.ingangsdatum,
            "niveau": getattr(level, "value", level), "totaal": entry.totaal}
