"""The persistent cache of parsed files (opvangkern.dataset.cache, issue 16): a cached read reports exactly what
a fresh read reports, and a changed file, reader version, reader code or manifest entry is never served
from the cache."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.dataset import cache as cache_module
from opvangkern.dataset.cache import CACHE_ENV, FileCache, cached_source, default_folder
from opvangkern.dataset.load import load_dataset
from opvangkern.sources.adapter import Source
from opvangkern.sources.manager import adapters

COA = "bronnen/coa-2025-12-31.csv"


def same(a, b) -> None:
    """Two loads of one dataset report the same: tables (with metadata), meldingen, counts, labels."""
    assert a.realisaties.equals(b.realisaties, check_metadata=True)
    assert a.opgaven.equals(b.opgaven, check_metadata=True)
    assert a.afspraken.equals(b.afspraken, check_metadata=True)
    assert a.melding_list == b.melding_list
    assert a.file_stats == b.file_stats
    assert a.bron_labels == b.bron_labels


def files_named(folder: Path) -> int:
    text = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    return len(re.findall(r"^bestand = ", text, flags=re.M))


def test_a_cached_load_equals_a_fresh_one(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    first = FileCache(tmp_path / "c", sample_copy)
    stored = load_dataset(sample_copy, cache=first)
    assert (first.hits, first.misses) == (0, files_named(sample_copy))
    second = FileCache(tmp_path / "c", sample_copy)
    served = load_dataset(sample_copy, cache=second)
    assert (second.hits, second.misses) == (files_named(sample_copy), 0)
    same(fresh, stored)
    same(fresh, served)
    dash_fresh, dash_served = fresh.dashboard(), served.dashboard()
    for name, table in dash_fresh.tables().items():
        assert dash_served.tables()[name].equals(table, check_metadata=True), name


def test_meldingen_and_counts_come_back_from_the_cache(sample_copy, tmp_path):
    """A file with a fout and a totals row: the cached read has the same meldingen and reconciliation."""
    path = sample_copy / COA
    text = path.read_text(encoding="utf-8")
    text = text.replace("Emmen;0114;AZC Emmen 2;regulier;351;316", "Nergenshuizen;;AZC X;regulier;351;316")
    text = text.replace("Hoogeveen;0118;AZC Hoogeveen 1;regulier;476;429", "Hoogeveen;0118;AZC Hoogeveen 1;regulier;4,5;429")
    path.write_text(text, encoding="utf-8")
    fresh = load_dataset(sample_copy)
    assert fresh.has_errors
    assert {m.bestand for m in fresh.melding_list if m.is_error} == {COA}
    load_dataset(sample_copy, cache=tmp_path / "c")
    served_cache = FileCache(tmp_path / "c", sample_copy)
    served = load_dataset(sample_copy, cache=served_cache)
    assert served_cache.misses == 0
    same(fresh, served)


def _entries(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*.arrow")} if folder.exists() else set()


def test_a_changed_byte_is_read_again(sample_copy, tmp_path):
    load_dataset(sample_copy, cache=tmp_path / "c")
    path = sample_copy / COA
    path.write_bytes(path.read_bytes().replace(b";1.010;909", b";1.011;909"))  # one byte
    counting = FileCache(tmp_path / "c", sample_copy)
    served = load_dataset(sample_copy, cache=counting)
    assert counting.misses == 1 and counting.hits == files_named(sample_copy) - 1
    same(load_dataset(sample_copy), served)
    assert 1011 in served.realisaties.column("aantal").to_pylist()


def test_a_file_with_the_same_size_and_time_stamp_but_other_bytes_is_read_again(sample_copy, tmp_path):
    """Never keyed by time stamps: a file put back with its old modification time still counts as changed."""
    path = sample_copy / COA
    load_dataset(sample_copy, cache=tmp_path / "c")
    stamp = path.stat()
    path.write_bytes(path.read_bytes().replace(b";1.010;909", b";1.012;909"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    served = load_dataset(sample_copy, cache=tmp_path / "c")
    assert 1012 in served.realisaties.column("aantal").to_pylist()
    same(load_dataset(sample_copy), served)


def test_a_changed_reader_version_is_read_again(sample_copy, tmp_path, monkeypatch):
    load_dataset(sample_copy, cache=tmp_path / "c")
    coa = adapters()["coa"]
    plugin = sys.modules[type(coa).__module__.split(".")[0]]
    monkeypatch.setattr(plugin, "__version__", plugin.__version__ + ".post1")
    counting = FileCache(tmp_path / "c", sample_copy)
    load_dataset(sample_copy, cache=counting)
    coa_files = sum(1 for line in (sample_copy / "opvangkern.toml").read_text().splitlines()
                    if line.startswith('bestand = "bronnen/coa-'))
    assert counting.misses == coa_files
    monkeypatch.setattr(type(coa), "version", "2", raising=False)  # an adapter's own version too
    counting = FileCache(tmp_path / "c", sample_copy)
    load_dataset(sample_copy, cache=counting)
    assert counting.misses == coa_files


def test_changed_reader_code_is_read_again(sample_copy, tmp_path, monkeypatch):
    """An edited reader (a development install, the same version number) is a new key too."""
    load_dataset(sample_copy, cache=tmp_path / "c")
    monkeypatch.setitem(cache_module._code_digests, "opvangkern", "edited")
    counting = FileCache(tmp_path / "c", sample_copy)
    load_dataset(sample_copy, cache=counting)
    assert counting.hits == 0 and counting.misses == files_named(sample_copy)


def test_a_changed_kolommen_entry_is_read_again(sample_copy, tmp_path):
    """The manifest entry is part of the key: a new ``kolommen`` line gives the new mapping's result."""
    manifest = sample_copy / "opvangkern.toml"
    original = manifest.read_text(encoding="utf-8")
    entry = re.search(rf'^bestand = "{COA}".*\n', original, flags=re.M).group(0)
    first = load_dataset(sample_copy, cache=tmp_path / "c")
    assert not first.has_errors
    # Count the occupancy as the places: the COA figures change (a wrong mapping, but a valid one).
    manifest.write_text(original.replace(entry, entry + 'kolommen = { "Bezetting" = "Capaciteit", '
                                                       '"Capaciteit" = "Bezetting" }\n'), encoding="utf-8")
    counting = FileCache(tmp_path / "c", sample_copy)
    mapped = load_dataset(sample_copy, cache=counting)
    assert counting.misses == 1
    same(load_dataset(sample_copy), mapped)
    assert mapped.realisaties.column("aantal").to_pylist() != first.realisaties.column("aantal").to_pylist()
    # A kolommen entry that is an error now: never the old clean result.
    manifest.write_text(original.replace(entry, entry + 'kolommen = { "Bestaat niet" = "Capaciteit" }\n'),
                        encoding="utf-8")
    wrong = load_dataset(sample_copy, cache=tmp_path / "c")
    assert wrong.has_errors
    same(load_dataset(sample_copy), wrong)


def test_an_unreadable_entry_is_a_miss_not_an_error(sample_copy, tmp_path):
    load_dataset(sample_copy, cache=tmp_path / "c")
    for entry in _entries(tmp_path / "c"):
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])  # truncated
    counting = FileCache(tmp_path / "c", sample_copy)
    served = load_dataset(sample_copy, cache=counting)
    assert counting.hits == 0
    same(load_dataset(sample_copy), served)
    served = load_dataset(sample_copy, cache=FileCache(tmp_path / "c", sample_copy))  # rewritten whole
    same(load_dataset(sample_copy), served)


def test_a_cache_that_cannot_be_written_is_no_error(sample_copy, tmp_path):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    same(load_dataset(sample_copy), load_dataset(sample_copy, cache=blocked / "c"))


def test_the_location(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "eigen"))
    assert default_folder() == tmp_path / "eigen"
    for off in ("uit", "0", "", "UIT "):
        monkeypatch.setenv(CACHE_ENV, off)
        assert default_folder() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_folder() == tmp_path / "xdg" / "opvangkern"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_folder() == Path.home() / ".cache" / "opvangkern"


def _cli(args, env_cache):
    env = dict(os.environ, **{CACHE_ENV: str(env_cache)})
    return subprocess.run([sys.executable, "-m", "opvangkern", *args], env=env, capture_output=True, text=True)


def test_the_command_uses_the_cache_unless_told_not_to(sample_copy, tmp_path):
    out = tmp_path / "uit"
    done = _cli(["dashboard", str(sample_copy), "--format", "csv", "--output", str(out), "--geen-cache"],
                tmp_path / "c1")
    assert done.returncode == 0, done.stderr
    assert not _entries(tmp_path / "c1")
    done = _cli(["check", str(sample_copy), "--geen-cache"], tmp_path / "c1")
    assert done.returncode == 0, done.stderr
    assert not _entries(tmp_path / "c1")
    without = done.stdout
    done = _cli(["dashboard", str(sample_copy), "--format", "csv", "--output", str(tmp_path / "uit2")], tmp_path / "c1")
    assert done.returncode == 0, done.stderr
    entries = _entries(tmp_path / "c1")
    packs = {p for p in entries if p.parent.name == "pakketten"}  # the dataset's pack (one file of every entry)
    assert len(packs) == 1
    entries -= packs
    assert len({p for p in entries if not p.name.endswith(".extra.arrow")}) == files_named(sample_copy)
    assert {p for p in entries if p.name.endswith(".extra.arrow")}  # the tvs files' housing lines
    for table in out.iterdir():
        assert (tmp_path / "uit2" / table.name).read_bytes() == table.read_bytes()
    again = _cli(["check", str(sample_copy)], tmp_path / "c1")  # served from the cache: the same report
    assert again.returncode == 0 and again.stdout == without
    done = _cli(["check", str(sample_copy)], "uit")
    assert done.returncode == 0 and done.stdout == without


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0, max_value=255))
def test_any_changed_byte_gives_the_fresh_result(tmp_path, position, byte):
    """Read a file through the cache, change one byte anywhere, read it again: always what a fresh read
    of the changed file reports, meldingen and counts included."""
    folder = tmp_path / f"f{position}-{byte}"
    folder.mkdir()
    original = (opvangkern.sample_path() / COA).read_bytes()
    path = folder / "coa.csv"
    path.write_bytes(original)
    coa = adapters()["coa"]
    source = Source(path, "coa.csv")
    cached_source(FileCache(folder / "c", folder), coa, source)
    changed = bytearray(original)
    changed[position % len(changed)] = byte
    path.write_bytes(bytes(changed))
    fresh = coa.read(source)
    served = cached_source(FileCache(folder / "c", folder), coa, source)
    assert served.realisaties.equals(fresh.realisaties, check_metadata=True)
    assert list(served.meldingen) == list(fresh.meldingen)
    assert served.peildatum == fresh.peildatum
    assert served.stats == fresh.stats


def test_the_code_digest_skips_only_what_cannot_change_a_read(tmp_path):
    # The key's code part: a copy of the package, edited in one place at a time. The writers and the page
    # renderer (output/, html included) and the bundled sample leave it; the readers, the adapters' shared
    # kit and the reference data change it, so that every entry is read again.
    import shutil

    package = Path(cache_module.__file__).resolve().parent.parent
    copy = tmp_path / "opvangkern"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache_module.code_digest(copy)
    assert before == cache_module.package_digest()  # the copy is the package itself
    for part in ("output/html/page.py", "output/writers.py", "output/terminal.py"):
        with (copy / part).open("a", encoding="utf-8") as handle:
            handle.write("\n# opgemaakt anders\n")
        assert cache_module.code_digest(copy) == before, part
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert cache_module.code_digest(copy) == before
    changed = set()
    for part in ("reading/values.py", "reading/columns.py", "dataset/load.py", "validate.py"):
        edited = copy / part
        original = edited.read_bytes()
        edited.write_bytes(original + b"\n# anders gelezen\n")
        changed.add(cache_module.code_digest(copy))
        edited.write_bytes(original)
    data = sorted(p for p in (copy / "areas").rglob("*") if p.is_file() and p.suffix != ".py")
    if data:
        data[0].write_bytes(data[0].read_bytes() + b"\n")
        changed.add(cache_module.code_digest(copy))
    assert before not in changed and len(changed) == 4 + bool(data)
