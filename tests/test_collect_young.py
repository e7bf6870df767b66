"""A file read with the kit leaves no cyclic garbage (issue 16, eighth session): ``RealisatieBuilder.result()``
points the rows back at their table weakly (``SheetTable.detach_rows``), so the table and its rows are freed by
reference counting as the read returns. What an adapter's own cycles leave is collected as soon as the file
is read (``opvangkern.dataset.load.collect_young``), not by the collector's own schedule, which walks ~100,000
objects at a time, out of the CPU's cache. Neither changes what a load gives, and a collector that the caller
turned off stays off.
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
    # and nothing needed it: the kit's tables went by reference counting
    assert [bestand for bestand, done in freed if not done] == []


def _unreachable_after(read) -> int:
    """How many objects the collector finds unreachable after ``read()`` (the collector off meanwhile)."""
    gc.collect()
    gc.disable()
    try:
        read()
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize("careful", [False, True])
@pytest.mark.parametrize("kind", ["generated", "messy"])
def test_a_read_file_leaves_no_cycle(kind, careful, tmp_path):
    """Every file the four adapters read (the fast scan's and the careful scan's, regular and real-export
    layouts, bad cells, junk) leaves nothing that only the collector frees."""
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.reading import fastscan
    from opvangkern.sources.manager import adapters, plugin_manager

    folder = generated(tmp_path / "data", snapshots=2) if kind == "generated" else messy(tmp_path / "data")
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name=folder.name)
    registry = Divisions.shipped()
    division = registry.mapping(registry.default_name()).reading
    installed = adapters(plugin_manager())
    entries = []
    for entry in manifest.bronnen:
        found = load.source_of(folder, entry, installed, division)
        if not isinstance(found, list):
            entries.append((entry, *found))
    assert len(entries) >= 8
    left = {}
    with fastscan.careful() if careful else _nothing():
        for entry, adapter, source in entries:
            adapter.read(source)  # once: the first read of a layout builds what stays (memos, classes)
            result: list = []
            found = _unreachable_after(lambda: result.append(adapter.read(source)))
            assert result[0].meldingen is not None
            if found:
                left[entry.bestand] = found
    assert left == {}


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_rows_answer_after_the_result(tmp_path):
    """After ``result()`` the rows still give every cell, melding and area as before while their table lives;
    a row kept after its table was dropped refuses (``ReferenceError``) rather than answer anything."""
    from opvangkern.sources import kit
    from opvangkern.sources.adapter import Source
    from opvangkern.areas import load_division

    text = ("Peildatum;31-03-2026\n\nGemeente;Gemeentecode;Bezetting\nAssen;GM0106;12\nEmmen;GM0114;1.083\n"
            "Meppel;GM0119;twaalf\nTotaal;;1.095\n")
    source = Source(bestand="coa.csv", data=text.encode(), peildatum=None, division=load_division())
    b = kit.RealisatieBuilder(source, "coa")
    table = b.read_table(kit.Layout("test", (kit.Column("bezetting", ("Bezetting",), kind=kit.COUNT),)))
    counted = [row.count("bezetting") for row in table]
    result = b.result()
    assert [row.rij for row in table.rows] == [4, 5, 6]
    assert [row.gebied_code for row in table] == ["GM0106", "GM0114", "GM0119"]
    assert [row.count("bezetting") for row in table] == counted == [12, 1083, None]
    assert [row.text("gemeente") for row in table] == ["Assen", "Emmen", "Meppel"]
    assert [m.code for m in result.meldingen] == [m.code for m in b.meldingen]
    assert isinstance(table.rows[0].table, kit.SheetTable)
    rows = table.rows
    del table, b
    gc.collect()
    with pytest.raises(ReferenceError):
        rows[0].count("bezetting")


def test_an_adapters_own_cycles_are_still_collected_after_the_file(tmp_path):
    """An adapter that leaves a cycle of its own behind each file: ``collect_young`` frees it right after the
    file, however far off the collector's own schedule is."""
    made: list[weakref.ref] = []

    class Knot:
        def __init__(self):
            self.me = self
            self.load = [[i] for i in range(3_000)]

    def read():
        knot = Knot()
        made.append(weakref.ref(knot))
        return len(knot.load)  # the knot itself left behind, unreachable

    before = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10_000_000, 10, 10)
    try:
        load._read_collected(type("A", (), {"read": staticmethod(lambda source: read())})(), None)
    finally:
        gc.set_threshold(*before)
    assert made and made[0]() is None


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
