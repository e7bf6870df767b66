"""A fast-read table makes its rows when they are first asked for (``SheetTable.rows``; issue 16, eighth
session): the kit's column paths answer from the columns the scan keeps, and the rows, once made, are the ones
the scan made before (row number, area, cells, index), so every adapter's result is the careful scan's."""

from __future__ import annotations

import pytest

from opvangkern.areas.history import Divisions
from opvangkern.dataset import load
from opvangkern.dataset.manifest import parse_manifest
from opvangkern.reading import fastscan
from opvangkern.reading import table as kit_table
from opvangkern.sources import kit
from opvangkern.sources.manager import adapters, plugin_manager

from .test_parallel import generated


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    folder = generated(tmp_path_factory.mktemp("lazy") / "data", snapshots=2)
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name="d")
    registry = Divisions.shipped()
    division = registry.mapping(registry.default_name()).reading
    installed = adapters(plugin_manager())
    found = [(entry, *load.source_of(folder, entry, installed, division)) for entry in manifest.bronnen]
    return [f for f in found if len(f) == 3]


def _result(result):
    return (result.realisaties.to_pylist(), [(m.code, m.rij, m.kolom, m.waarde, m.melding) for m in result.meldingen],
            result.peildatum, result.stats)


def test_nidos_and_kcio_make_no_row_and_give_the_careful_result(entries, monkeypatch):
    made = []
    original = kit_table._FastRow.__init__

    def init(self, *args):
        made.append(args[1])
        original(self, *args)

    monkeypatch.setattr(kit_table._FastRow, "__init__", init)
    read = 0
    for entry, adapter, source in entries:
        if entry.bron not in ("nidos", "kcio"):
            continue
        made.clear()
        fast = adapter.read(source)
        assert made == [], entry.bestand
        with fastscan.careful():
            careful = adapter.read(source)
        assert _result(fast) == _result(careful), entry.bestand
        read += 1
    assert read >= 4


def test_the_rows_made_later_are_the_scans(entries):
    for entry, adapter, source in entries:
        layouts = {"nidos": "opvangkern_nidos", "kcio": "opvangkern_kcio", "tvs": "opvangkern_tvs"}
        if entry.bron not in layouts:
            continue
        layout = __import__(layouts[entry.bron]).LAYOUT
        b = kit.RealisatieBuilder(source, entry.bron)
        table = b.read_table(layout)
        assert table._rows is None  # the fast scan read it; nothing asked for the rows yet
        n = len(table)
        codes, columns = table.area_codes(), table.columns_ready()
        with fastscan.careful():
            careful = kit.RealisatieBuilder(source, entry.bron).read_table(layout)
        rows = table.rows
        assert len(rows) == n == len(careful.rows) and columns and table.columns_ready()
        assert [(r.rij, r.gebied_code, r.cells) for r in rows] == \
            [(r.rij, r.gebied_code, r.cells) for r in careful.rows]
        assert codes == [r.gebied_code for r in careful.rows]
        assert [r._i for r in rows] == list(range(n))
        assert table.rows is rows  # made once: the table's list from then on
        for key in ("gemeente", "gemeentecode"):
            assert [r.text(key) for r in rows] == [r.text(key) for r in careful.rows]
        del rows[0]  # an adapter that changes its rows: the columns no longer answer, the rows do
        assert not table.columns_ready() and len(table) == n - 1


def test_rows_asked_for_after_the_result_point_back_weakly(entries):
    import gc
    import weakref

    entry, adapter, source = next(e for e in entries if e[0].bron == "nidos")
    b = kit.RealisatieBuilder(source, "nidos")
    table = b.read_table(__import__("opvangkern_nidos").LAYOUT)
    b.add_column(table, "nidos_amv", "plekken")
    b.result()
    rows = table.rows  # made after the result
    assert type(rows[0].table) is weakref.ProxyType
    gc.collect()
    gc.disable()
    try:
        del b, table, rows
        assert gc.collect() == 0
    finally:
        gc.enable()
