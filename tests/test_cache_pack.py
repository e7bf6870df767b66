"""The cache's pack (opvangkern.dataset.cache, issue 16): every entry a dataset's last load used, in one Arrow IPC
file, each still under its own key. Served from the pack alone (the per-entry files removed), a cached load
equals a fresh one; a changed byte, reader version or ``kolommen`` entry misses only what it changes and is
never served from the pack; a pack that is broken, or whose rows carry another key, serves nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc

from opvangkern.dataset import cache as cache_module
from opvangkern.dataset.cache import FileCache
from opvangkern.dataset.load import load_dataset
from opvangkern.sources.manager import adapters

from .test_cache import COA, files_named, same  # one definition of "two loads report the same"


def _pack_of(cache_folder: Path, dataset: Path) -> Path:
    return FileCache(cache_folder, dataset).pack_path()


def _only_the_pack(cache_folder: Path) -> None:
    """Remove every per-entry file, so that only the pack can serve."""
    for path in cache_folder.rglob("*.arrow"):
        if path.parent.name != "pakketten":
            path.unlink()


def _load(dataset: Path, cache_folder: Path):
    counting = FileCache(cache_folder, dataset)
    return load_dataset(dataset, cache=counting), counting


def test_a_load_served_from_the_pack_alone_equals_a_fresh_one(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    first, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == 0 and _pack_of(tmp_path / "c", sample_copy).is_file()
    _only_the_pack(tmp_path / "c")
    served, counting = _load(sample_copy, tmp_path / "c")
    n = files_named(sample_copy)
    assert (counting.hits, counting.pack_hits, counting.misses) == (n, n, 0)
    same(fresh, first)
    same(fresh, served)
    for name, table in fresh.dashboard().tables().items():
        assert served.dashboard().tables()[name].equals(table, check_metadata=True), name


def test_an_unchanged_load_does_not_rewrite_the_pack(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    pack = _pack_of(tmp_path / "c", sample_copy)
    before = pack.stat().st_mtime_ns, pack.read_bytes()
    _load(sample_copy, tmp_path / "c")
    assert (pack.stat().st_mtime_ns, pack.read_bytes()) == before


def test_a_changed_byte_misses_only_its_file_and_the_pack_is_renewed(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    path = sample_copy / COA
    path.write_bytes(path.read_bytes().replace(b";1.010;909", b";1.011;909"))  # one byte
    served, counting = _load(sample_copy, tmp_path / "c")
    n = files_named(sample_copy)
    assert (counting.misses, counting.pack_hits) == (1, n - 1)
    same(load_dataset(sample_copy), served)
    assert 1011 in served.realisaties.column("aantal").to_pylist()
    _only_the_pack(tmp_path / "c")  # the renewed pack holds the changed file's new entry
    again, counting = _load(sample_copy, tmp_path / "c")
    assert (counting.misses, counting.pack_hits) == (0, n)
    same(served, again)
    # Back to the old bytes: the old entry is no longer in the pack (it holds the last load's entries only).
    path.write_bytes(path.read_bytes().replace(b";1.011;909", b";1.010;909"))
    _only_the_pack(tmp_path / "c")
    back, counting = _load(sample_copy, tmp_path / "c")
    assert counting.misses == 1
    same(load_dataset(sample_copy), back)


def test_a_changed_reader_version_is_not_served_from_the_pack(sample_copy, tmp_path, monkeypatch):
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    coa = adapters()["coa"]
    plugin = sys.modules[type(coa).__module__.split(".")[0]]
    monkeypatch.setattr(plugin, "__version__", plugin.__version__ + ".post1")
    coa_files = sum(1 for line in (sample_copy / "opvangkern.toml").read_text().splitlines()
                    if line.startswith('bestand = "bronnen/coa-'))
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.misses == coa_files and counting.pack_hits == files_named(sample_copy) - coa_files
    same(load_dataset(sample_copy), served)
    monkeypatch.setitem(cache_module._code_digests, "opvangkern", "edited")  # edited reader code: every entry
    _only_the_pack(tmp_path / "c")
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.hits == 0 and counting.misses == files_named(sample_copy)


def test_a_changed_kolommen_entry_is_not_served_from_the_pack(sample_copy, tmp_path):
    manifest = sample_copy / "opvangkern.toml"
    original = manifest.read_text(encoding="utf-8")
    entry = re.search(rf'^bestand = "{COA}".*\n', original, flags=re.M).group(0)
    first, _ = _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    manifest.write_text(original.replace(entry, entry + 'kolommen = { "Bezetting" = "Capaciteit", '
                                                       '"Capaciteit" = "Bezetting" }\n'), encoding="utf-8")
    mapped, counting = _load(sample_copy, tmp_path / "c")
    assert counting.misses == 1
    same(load_dataset(sample_copy), mapped)
    assert mapped.realisaties.column("aantal").to_pylist() != first.realisaties.column("aantal").to_pylist()
    manifest.write_text(original.replace(entry, entry + 'kolommen = { "Bestaat niet" = "Capaciteit" }\n'),
                        encoding="utf-8")
    _only_the_pack(tmp_path / "c")
    wrong, counting = _load(sample_copy, tmp_path / "c")
    assert wrong.has_errors and counting.misses == 1
    same(load_dataset(sample_copy), wrong)


def test_a_broken_pack_serves_nothing_and_is_no_error(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    pack = _pack_of(tmp_path / "c", sample_copy)
    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.hits == 0
    same(load_dataset(sample_copy), served)
    _only_the_pack(tmp_path / "c")  # rewritten whole by that load
    again, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy)
    same(served, again)


def test_a_pack_row_under_another_key_is_never_served(sample_copy, tmp_path):
    """The key column is only an index: each row's own metadata names its key, and must match."""
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    pack = _pack_of(tmp_path / "c", sample_copy)
    with pa.OSFile(str(pack), "rb") as source:
        table = pyarrow.ipc.open_file(source).read_all()
    keys = table.column("key").to_pylist()
    shifted = table.set_column(0, "key", pa.array(keys[1:] + keys[:1], pa.string()))  # every row another key
    with pa.OSFile(str(pack), "wb") as sink, pyarrow.ipc.new_file(sink, shifted.schema) as writer:
        writer.write_table(shifted)
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == 0 and counting.misses == files_named(sample_copy)
    same(load_dataset(sample_copy), served)


def test_two_datasets_keep_two_packs(sample_copy, tmp_path):
    import shutil

    other = tmp_path / "ander"
    shutil.copytree(sample_copy, other)
    _load(sample_copy, tmp_path / "c")
    _load(other, tmp_path / "c")
    assert _pack_of(tmp_path / "c", sample_copy) != _pack_of(tmp_path / "c", other)
    _only_the_pack(tmp_path / "c")
    for folder in (sample_copy, other):
        served, counting = _load(folder, tmp_path / "c")
        assert counting.pack_hits == files_named(folder)
        same(load_dataset(folder), served)


def test_without_a_dataset_folder_there_is_no_pack(sample_copy, tmp_path):
    bare = FileCache(tmp_path / "c")
    assert bare.pack_path() is None
    served = load_dataset(sample_copy, cache=bare)
    assert not (tmp_path / "c" / "pakketten").exists()
    same(load_dataset(sample_copy), served)
