"""A file's cyclic garbage is collected as soon as the file is read (``opvangkern.dataset.load.collect_young``,
issue 16): the kit's table and its rows point at each other, so only the collector frees them, and left to
its own schedule it walks ~100,000 of them at a time, out of the CPU's cache. The collection never changes
what a load gives, and a collector that the caller turned off stays off.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from opvangkern.dataset import load
from opvangkern.dataset.load import load_dataset
from opvangkern.reading import table as kit_table

from .test_parallel import assert_same, generated, messy


@pytest.fixture
def tables_made(monkeypatch):
    """A weak reference to every kit table (``SheetTable``) made while a file is read."""
    made: list[weakref.ref] = []
    original = kit_table.SheetTable.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(kit_table.SheetTable, "__init__", init)
    return made


def _read_each(folder: Path, made: list[weakref.ref]) -> list[tuple[str, bool]]:
    """Every ``[[bron]]`` entry of ``folder`` read through ``compute_source`` with the collector's own schedule
    put far off; per entry: its file, and whether every kit table of its read was freed when it returned."""
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.sources.manager import adapters, plugin_manager

    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name=folder.name)
    registry = Divisions.shipped()
    division = registry.mapping(registry.default_name()).reading
    installed = adapters(plugin_manager())
    freed = []
    for entry in manifest.bronnen:
        found = load.source_of(folder, entry, installed, division)
        if isinstance(found, list):
            continue
        adapter, source = found
        made.clear()
        outcome = load.compute_source(adapter, source, entry, division, lambda: adapter.read(source))
        assert outcome.failed is None
        assert made, entry.bestand  # the kit read this file: there was garbage to free
        freed.append((entry.bestand, all(ref() is None for ref in made)))
    return freed


def test_a_files_cyclic_garbage_is_freed_as_the_file_is_done(tmp_path, tables_made):
    folder = generated(tmp_path / "data", snapshots=2)
    before = gc.get_threshold()
    gc.set_threshold(10_000_000, 10, 10)  # as far off as the command's own schedule is for one file
    try:
        freed = _read_each(folder, tables_made)
    finally:
        gc.set_threshold(*before)
    assert freed
    assert [bestand for bestand, done in freed if not done] == []


def test_a_collector_turned_off_stays_off(tmp_path, tables_made):
    folder = generated(tmp_path / "data", snapshots=1)
    collections = []

    def note(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.disable()
    gc.callbacks.append(note)
    try:
        freed = _read_each(folder, tables_made)
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(note)
        gc.enable()
    assert freed
    assert collections == []  # the caller's choice: nothing collected behind its back
    # (so the kit's tables are still there, waiting for the caller's own collection)
    assert [bestand for bestand, done in freed if done] == []


@pytest.mark.parametrize("kind", ["generated", "messy"])
def test_collecting_after_each_file_changes_nothing(kind, tmp_path, monkeypatch):
    """The oracle: a load with the collection after each file equals one without it (every table, melding in
    its order, count and dashboard table)."""
    folder = generated(tmp_path / "data", snapshots=3) if kind == "generated" else messy(tmp_path / "data")
    monkeypatch.setenv("OPVANGKERN_PROCESSEN", "1")
    collected = load_dataset(folder)
    with monkeypatch.context() as m:
        m.setattr(load, "collect_young", lambda: None)
        left = load_dataset(folder)
    assert_same(collected, left)


def test_with_the_cache_too(tmp_path, tables_made, monkeypatch):
    """A file parsed through the cache (one process) has its garbage collected as it is done as well; a file
    the cache serves is not read, so there is nothing to collect."""
    folder = generated(tmp_path / "data", snapshots=2)
    monkeypatch.setenv("OPVANGKERN_PROCESSEN", "1")
    seen = []
    original = load.collect_young

    def collect():
        original()
        seen.append(all(ref() is None for ref in tables_made))

    monkeypatch.setattr(load, "collect_young", collect)
    before = gc.get_threshold()
    gc.set_threshold(10_000_000, 10, 10)
    try:
        first = load_dataset(folder, cache=tmp_path / "cache")
        sources = len(first.manifest.bronnen)
        assert len(seen) == sources and all(seen)
        seen.clear()
        again = load_dataset(folder, cache=tmp_path / "cache")
    finally:
        gc.set_threshold(*before)
    assert seen == []
    assert_same(again, first)
