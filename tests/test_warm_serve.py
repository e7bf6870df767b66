"""The served-entry step of a warm load (``opvangkern.dataset.warm``, issue 16 target 3) against the whole path
(``source_of``, ``FileCache.source_key``, ``FileCache.served``), its oracle: the same key for every entry, the
same manifest part of a key for any entry, and the same loads (tables with metadata and chunks, meldingen,
counts) with the step and without it, for entries the step serves and for every kind it must leave to the
whole path (a changed file, a link, a missing file, an unknown source, a ``maat`` the adapter does not give,
a file named twice)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset import warm as warm_module
from opvangkern.dataset.cache import FileCache, _source_entry
from opvangkern.dataset.guards import FileGuard
from opvangkern.dataset.load import load_dataset, source_of
from opvangkern.dataset.manifest import SourceEntry
from opvangkern.sources.manager import adapters, plugin_manager

from .test_cache import COA, files_named
from .test_cache_warm import _many, same_layout

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(blad=st.none() | _text, peildatum=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
       maat=st.sampled_from(["capaciteit", "bezetting", "x"]),
       options=st.dictionaries(_text, st.none() | st.integers() | _text | st.lists(st.integers(), max_size=2), max_size=3),
       kolommen=st.dictionaries(_text, _text, max_size=3), waarden=st.dictionaries(_text, _text, max_size=3))
def test_the_manifest_part_of_a_key_is_the_one_of_the_source_the_whole_path_builds(tmp_path_factory, blad, peildatum,
                                                                                  maat, options, kolommen, waarden):
    folder = tmp_path_factory.mktemp("d")
    (folder / "bronnen").mkdir()
    (folder / "bronnen" / "x.csv").write_text("a;b\n", encoding="utf-8")
    entry = SourceEntry("coa", "bronnen/x.csv", peildatum=peildatum, blad=blad, maat=maat, options=options, regel=3,
                        kolommen=kolommen, waarden=waarden)
    installed = {"coa": type("A", (), {"reports_occupancy": True})()}
    _, source = source_of(folder, entry, installed, None)
    light = warm_module.Light(str(folder / "bronnen/x.csv"), entry, None)
    assert _source_entry(light) == _source_entry(source)
    # and as text, as the key encodes it (the order of the keys included)
    assert list(_source_entry(light)) == list(_source_entry(source))
    assert os.fspath(light.data) == os.fspath(source.data) and light.division is source.division


def _both(folder: Path, cache_folder: Path, monkeypatch) -> tuple:
    """A warm load with the step and the same load without it (each on its own copy of the warm cache)."""
    import shutil

    other = cache_folder.parent / (cache_folder.name + "-oracle")
    if other.exists():
        shutil.rmtree(other)
    shutil.copytree(cache_folder, other)
    served = []
    original = warm_module.WarmSources.serve

    def counting(self, entry):
        found = original(self, entry)
        served.append(found is not None)
        return found

    monkeypatch.setattr(warm_module.WarmSources, "serve", counting)
    fast_cache = FileCache(cache_folder, folder)
    fast = load_dataset(folder, cache=fast_cache)
    monkeypatch.setattr(warm_module, "ENABLED", False)
    slow_cache = FileCache(other, folder)
    slow = load_dataset(folder, cache=slow_cache)
    monkeypatch.setattr(warm_module, "ENABLED", True)
    same_layout(slow, fast)
    assert fast.melding_list == slow.melding_list
    assert fast.reports == slow.reports
    assert (fast_cache.hits, fast_cache.misses, fast_cache.pack_hits) == \
        (slow_cache.hits, slow_cache.misses, slow_cache.pack_hits)
    # the next load's pack is the same too: the same entries kept under the same keys
    assert list(fast_cache._kept) == list(slow_cache._kept)
    return fast, served


def test_every_entry_of_the_sample_gets_the_whole_paths_key(sample_copy, tmp_path):
    cache = FileCache(tmp_path / "c", sample_copy)
    dataset = load_dataset(sample_copy, cache=cache)
    guard = FileGuard(sample_copy)
    installed = adapters(plugin_manager())
    from opvangkern.areas.history import Divisions

    division = Divisions.for_dataset(sample_copy).mapping(dataset.indeling.name).reading
    step = warm_module.WarmSources(sample_copy, FileCache(tmp_path / "c", sample_copy), guard.admitted, installed,
                                   division)
    whole = FileCache(tmp_path / "c", sample_copy)
    for entry in dataset.manifest.bronnen:
        assert guard.outside(entry.bestand, entry.regel) is None
        found = step.serve(entry)
        adapter, source = source_of(sample_copy, entry, installed, division)
        assert found is not None and found[0] == whole.source_key(adapter, source), entry.bestand


def test_a_warm_load_with_and_without_the_step(sample_copy, tmp_path, monkeypatch):
    load_dataset(sample_copy, cache=tmp_path / "c")
    fresh = load_dataset(sample_copy)
    fast, served = _both(sample_copy, tmp_path / "c", monkeypatch)
    assert served and all(served)
    same_layout(fresh, fast)
    # one changed byte: that entry takes the whole path (read again), every other is served
    path = sample_copy / COA
    path.write_bytes(path.read_bytes().replace(b";1.010;909", b";1.011;909"))
    fast, served = _both(sample_copy, tmp_path / "c", monkeypatch)
    assert served.count(False) == 1
    same_layout(load_dataset(sample_copy), fast)


def test_a_changed_file_among_a_thousand(sample_copy, tmp_path, monkeypatch):
    folder = _many(sample_copy, 300)
    load_dataset(folder, cache=tmp_path / "c")
    changed = folder / "bronnen" / "extra" / "nidos-2025-01-01.csv"
    changed.write_text(changed.read_text(encoding="utf-8").replace(",Assen,", ",Assen,1"), encoding="utf-8")
    fast, served = _both(folder, tmp_path / "c", monkeypatch)
    assert served.count(False) == 1 and len(served) >= 300
    same_layout(load_dataset(folder), fast)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no links here")
def test_what_the_step_leaves_to_the_whole_path(sample_copy, tmp_path, monkeypatch):
    """A link inside the folder, a missing file, an unknown source, occupancy from an adapter that gives none and a
    file named twice: each decided by the whole path, as without the step."""
    load_dataset(sample_copy, cache=tmp_path / "c")
    manifest = sample_copy / "opvangkern.toml"
    (sample_copy / "kopie.csv").write_bytes((sample_copy / COA).read_bytes())
    (sample_copy / "bronnen" / "link.csv").symlink_to(sample_copy / "kopie.csv")
    manifest.write_text(manifest.read_text(encoding="utf-8") + "".join(
        f'\n[[bron]]\nbron = "{bron}"\nbestand = "{name}"\n{extra}' for bron, name, extra in [
            ("coa", "bronnen/link.csv", 'peildatum = 2025-12-31\n'),
            ("coa", "bronnen/weg.csv", ""),
            ("onbekend", COA, ""),
            ("tvs", COA, 'maat = "bezetting"\n'),
            ("coa", f"./{COA}", ""),
        ]), encoding="utf-8")
    load_dataset(sample_copy, cache=tmp_path / "c")  # warm for the new entries too
    fast, served = _both(sample_copy, tmp_path / "c", monkeypatch)
    # the sample's own entries served; the link, the missing file, the unknown source and the occupancy left
    # to the whole path; the file named twice refused by the guard before any of it
    assert (served.count(True), served.count(False)) == (files_named(sample_copy) - 10 - 5, 4)
    codes = {m.code for m in fast.melding_list}
    assert {"bestand_ontbreekt", "onbekende_bron", "maat_niet_geleverd", "bestand_dubbel"} <= codes
    same_layout(load_dataset(sample_copy), fast)
