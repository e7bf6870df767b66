"""The warm load's helper threads (issue 16): the pack read while the manifest is parsed
(``FileCache.open_pack_early``), the files hashed ahead (``FileCache.hash_ahead``), and an entry's table
built from its struct array in two Arrow calls (``pack._File._table``, oracle ``pack._table_reference``).
None of them may change what a load reports, nor let a changed byte or a broken pack be served."""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
from pathlib import Path

import pyarrow as pa
import pytest

from opvangkern.dataset import cache as cache_module
from opvangkern.dataset import pack as pack_module
from opvangkern.dataset.cache import FileCache, resolve
from opvangkern.dataset.load import load_dataset

from .test_cache import COA, files_named, same
from .test_cache_warm import _ipc


def _early(dataset: Path, cache_folder: Path) -> tuple[object, FileCache]:
    """A load as the command line does it: the cache made by ``resolve`` (the pack read early)."""
    cache = resolve(cache_folder, dataset)
    assert cache is not None and cache._opening is not None  # the helper thread was started
    return load_dataset(dataset, cache=cache), cache


def _only_the_pack(cache_folder: Path) -> None:
    for path in cache_folder.rglob("*.arrow"):
        if path.parent.name != "pakketten":
            path.unlink()


def test_a_load_with_the_pack_read_early_equals_a_fresh_one(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    first, cache = _early(sample_copy, tmp_path / "c")
    assert cache.pack_hits == 0
    _only_the_pack(tmp_path / "c")
    served, cache = _early(sample_copy, tmp_path / "c")
    assert cache.pack_hits == files_named(sample_copy) and cache.misses == 0
    same(fresh, first)
    same(fresh, served)


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_broken_pack_read_early_serves_nothing(sample_copy, tmp_path, damage):
    _early(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    pack = FileCache(tmp_path / "c", sample_copy).pack_path()
    data = bytearray(pack.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0x01  # one bit of a figure or an offset
    pack.write_bytes(bytes(data))
    served, cache = _early(sample_copy, tmp_path / "c")
    assert cache.pack_hits == 0
    same(load_dataset(sample_copy), served)


def test_a_changed_byte_is_not_served_with_the_helpers(sample_copy, tmp_path):
    _early(sample_copy, tmp_path / "c")
    path = sample_copy / COA
    text = path.read_bytes()
    path.write_bytes(text.replace(b"\n", b"\r\n", 1) if b"\r\n" not in text else text.replace(b"\r\n", b"\n", 1))
    changed, cache = _early(sample_copy, tmp_path / "c")
    assert cache.misses == 1 and cache.pack_hits == files_named(sample_copy) - 1
    same(load_dataset(sample_copy), changed)


def test_the_pack_thread_is_the_pack_as_read_here(sample_copy, tmp_path):
    _early(sample_copy, tmp_path / "c")
    path = FileCache(tmp_path / "c", sample_copy).pack_path()
    early = resolve(tmp_path / "c", sample_copy)._the_pack()
    here = pack_module.Pack.open(path)
    assert early.keys == here.keys and early.base.digest == here.base.digest
    for key in here.keys:
        kind = here.base.meta(key)["kind"]
        a, b = early.get(key, kind), here.get(key, kind)
        assert a.table.equals(b.table, check_metadata=True) and a.meta == b.meta


def test_a_failing_pack_thread_falls_back_to_reading_here(sample_copy, tmp_path, monkeypatch):
    _early(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    calls = []
    original = pack_module.Pack.open.__func__

    def failing(cls, path):
        calls.append(threading.current_thread().name)
        if threading.current_thread().name == "opvangkern-pakket":
            raise MemoryError("in the helper")
        return original(cls, path)

    monkeypatch.setattr(pack_module.Pack, "open", classmethod(failing))
    served, cache = _early(sample_copy, tmp_path / "c")
    assert calls == ["opvangkern-pakket", threading.current_thread().name]
    assert cache.pack_hits == files_named(sample_copy)
    same(load_dataset(sample_copy), served)


# --- hashing ahead -------------------------------------------------------------------------------


def test_hashed_ahead_is_the_sha256_of_every_byte(sample_copy):
    names = [str(p.relative_to(sample_copy)) for p in sorted(sample_copy.rglob("*")) if p.is_file()]
    ahead = cache_module._HashAhead(str(sample_copy), str(sample_copy) + os.sep, names)
    ahead._thread.join()
    for name in names:
        path = os.path.join(str(sample_copy), name)
        assert ahead.take(path) == hashlib.sha256(Path(path).read_bytes()).hexdigest()
        assert ahead.take(path) is None  # taken once


def test_hashing_ahead_opens_only_plain_regular_files_inside_the_folder(tmp_path):
    folder = tmp_path / "ds"
    (folder / "bronnen").mkdir(parents=True)
    (folder / "bronnen" / "a.csv").write_bytes(b"a;b\n1;2\n")
    outside = tmp_path / "geheim.csv"
    outside.write_bytes(b"niet lezen\n")
    (folder / "link.csv").symlink_to(outside)
    (folder / "binnen.csv").symlink_to(folder / "bronnen" / "a.csv")
    (folder / "map").symlink_to(tmp_path)  # a folder outside, through a link
    os.mkfifo(folder / "pijp.csv")  # an open would block without O_NONBLOCK; never read ahead
    names = ["bronnen/a.csv", "link.csv", "binnen.csv", "map/geheim.csv", "../geheim.csv", str(outside),
             "pijp.csv", "bronnen", "ontbreekt.csv", "bronnen/../bronnen/a.csv"]
    ahead = cache_module._HashAhead(str(folder), str(folder) + os.sep, names)
    ahead._thread.join(timeout=30)
    assert not ahead._thread.is_alive()
    assert set(ahead._digests) == {os.path.join(str(folder), "bronnen/a.csv")}


def test_file_digest_takes_from_ahead_or_hashes_itself(sample_copy, tmp_path):
    cache = FileCache(tmp_path / "c", sample_copy)
    path = sample_copy / COA
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    cache.hash_ahead(sample_copy, [COA])
    cache._ahead._thread.join()
    assert cache.file_digest(path) == expected  # from the helper
    assert cache.file_digest(str(path)) == expected  # once per file: by its text
    other = FileCache(tmp_path / "c", sample_copy)
    assert other.file_digest(path) == expected  # without a helper
    assert other.file_digest(sample_copy / "ontbreekt.csv") is None


@pytest.mark.parametrize("given", ["absolute", "relative", "dot"])
def test_hashed_ahead_under_the_text_file_digest_asks_for(sample_copy, monkeypatch, given):
    monkeypatch.chdir(sample_copy if given == "dot" else sample_copy.parent)
    folder = {"absolute": sample_copy, "relative": Path(sample_copy.name), "dot": Path(".")}[given]
    cache = FileCache(folder / "cache-elders", folder)
    cache.hash_ahead(folder, [COA])
    cache._ahead._thread.join()
    assert list(cache._ahead._digests) == [str(folder / COA)]
    assert cache.file_digest(folder / COA) == hashlib.sha256((sample_copy / COA).read_bytes()).hexdigest()
    assert not cache._ahead._digests  # taken, not hashed again


def test_a_file_changed_after_it_was_hashed_ahead_is_not_stored(sample_copy, tmp_path):
    """The read's own check (hash before and after) still holds: the helper's digest is the 'before'. The
    figures read from the changed bytes are never stored under the key of the bytes hashed ahead."""
    path = sample_copy / COA
    original = path.read_bytes()
    assert b";87;79" in original
    first = FileCache(tmp_path / "c", sample_copy)
    first.hash_ahead(sample_copy, [COA])  # load_dataset's own call is then a no-op: one helper per load
    first._ahead._thread.join()
    path.write_bytes(original.replace(b";87;79", b";88;79", 1))  # after the helper hashed it, before the read
    changed = load_dataset(sample_copy, cache=first)
    same(load_dataset(sample_copy), changed)  # the figures of the bytes read
    path.write_bytes(original)  # the bytes hashed ahead again: their key must not hold the changed figures
    again = FileCache(tmp_path / "c", sample_copy)
    served = load_dataset(sample_copy, cache=again)
    assert again.misses >= 1
    same(load_dataset(sample_copy), served)


# --- an entry's table ----------------------------------------------------------------------------


def test_an_entrys_table_is_the_reference_construction(sample_copy, tmp_path):
    _early(sample_copy, tmp_path / "c")
    found = pack_module._File.open(FileCache(tmp_path / "c", sample_copy).pack_path())
    assert found.keys
    for index, key in enumerate(found.keys):
        meta = found.meta(key)
        for column, layout in ((pack_module._MAIN[meta["kind"]], meta["tabel"]), ("opgaven", meta["extra"])):
            if layout is None:
                continue
            table = found._table(column, index, layout)
            values = found._columns[column].chunk(found._chunk_of[index]).values
            reference = pack_module._table_reference(values, found._schema(int(layout[0]), column))
            assert table.equals(reference, check_metadata=True)
            assert table.schema.equals(reference.schema, check_metadata=True)
            assert [c.num_chunks for c in table.columns] == [c.num_chunks for c in reference.columns]
            assert _ipc(table) == _ipc(reference)


def test_an_entrys_table_under_other_field_names_falls_back_to_the_reference():
    values = pa.StructArray.from_arrays([pa.array([1, 2]), pa.array(["a", "b"])], names=["x", "y"])
    schema = pa.schema([pa.field("p", pa.int64(), metadata={b"label": b"P"}), pa.field("q", pa.string())])
    with pytest.raises(pa.ArrowInvalid):
        pa.Table.from_batches([pa.RecordBatch.from_struct_array(values)], schema)
    table = pack_module._table_reference(values, schema)
    assert table.schema.equals(schema, check_metadata=True) and table.column("p").to_pylist() == [1, 2]


# --- the pack read into memory advised for huge pages --------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 1 << 20, (3 << 20) + 17])
def test_read_whole_gives_every_byte(tmp_path, monkeypatch, size):
    monkeypatch.setattr(pack_module, "_HUGE_FROM", 0)
    path = tmp_path / "f.arrow"
    data = os.urandom(size)
    path.write_bytes(data)
    found = pack_module.read_whole(path)
    assert bytes(found) == data and len(found) == size
    monkeypatch.setattr(pack_module, "_HUGE_FROM", 1 << 40)
    assert pack_module.read_whole(path) == data


def test_read_whole_of_a_file_that_grows_while_read(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_module, "_HUGE_FROM", 0)
    path = tmp_path / "f.arrow"
    path.write_bytes(b"a" * 10_000)
    real_fstat = os.fstat

    def smaller(fd):  # the size seen before the read is smaller than what is read
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid,
                               5_000, info.st_atime, info.st_mtime, info.st_ctime))

    monkeypatch.setattr(pack_module.os, "fstat", smaller)
    assert bytes(pack_module.read_whole(path)) == b"a" * 10_000


@pytest.mark.parametrize("damage", [None, "truncated", "flipped"])
def test_a_pack_read_into_huge_pages_serves_as_read_plainly(sample_copy, tmp_path, monkeypatch, damage):
    monkeypatch.setattr(pack_module, "_HUGE_FROM", 0)  # the sample's pack is small: take that path anyway
    _early(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    if damage is not None:
        pack = FileCache(tmp_path / "c", sample_copy).pack_path()
        data = bytearray(pack.read_bytes())
        if damage == "truncated":
            data = data[: len(data) - 100]
        else:
            data[len(data) // 3] ^= 0x10
        pack.write_bytes(bytes(data))
    kinds = []
    original = pack_module.read_whole

    def spying(path):
        found = original(path)
        kinds.append(type(found))
        return found

    monkeypatch.setattr(pack_module, "read_whole", spying)
    served, cache = _early(sample_copy, tmp_path / "c")
    assert cache.pack_hits == (0 if damage else files_named(sample_copy))
    same(load_dataset(sample_copy), served)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        assert kinds and set(kinds) == {mmap.mmap}  # the path under test was taken
