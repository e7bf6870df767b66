"""The area-independent work of ``Dataset.dashboard`` is done once per dataset and peildatum limit
(``opvangkern.dashboard.memo``, issue 16): memoised dashboards equal fresh ones, table for table, for
several areas and limits, with and without agreements; and a memo never leaks between datasets nor
outlives the tables it was computed from."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import attrs
import pytest

import opvangkern
from opvangkern.dataset.load import load_dataset

AREAS = ("PV22", "NL01", "VR03", "GM0106", "Emmen", "GM0114", "Assen")
LIMITS = (None, dt.date(2025, 12, 31), dt.date(2025, 11, 30), dt.date(2025, 9, 15), "2025-08-01")

AGREEMENTS = """
[[afspraak]]
omschrijving = "Assen neemt 50 asielplekken van Tynaarlo over"
opgave = "asiel"
van = "Tynaarlo"
naar = "Assen"
aantal = 50
ingangsdatum = 2025-06-01

[[afspraak]]
omschrijving = "Emmen vangt 20 extra Oekraïners op, in plaats van asielplekken"
opgave = "asiel"
van = "Emmen"
naar = "Drenthe"
naar_opgave = "oekraine"
aantal = 20
ingangsdatum = 2025-03-01
"""


def _fresh(dataset):
    """The same loaded dataset as a new object: its memo is empty, so its dashboard is computed afresh."""
    return attrs.evolve(dataset)


def _equal(a, b) -> None:
    ta, tb = a.tables(), b.tables()
    assert ta.keys() == tb.keys()
    for name in ta:
        assert ta[name].equals(tb[name], check_metadata=True), name
    assert a.peildata == b.peildata and a.gebied == b.gebied


@pytest.fixture(params=["sample", "afspraken"])
def folder(request, tmp_path) -> Path:
    target = tmp_path / "ds"
    shutil.copytree(opvangkern.sample_path(), target)
    if request.param == "afspraken":
        manifest = target / "opvangkern.toml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "\n" + AGREEMENTS, encoding="utf-8")
    return target


def test_memoised_dashboards_equal_fresh_ones(folder):
    dataset = load_dataset(folder)
    assert not dataset.has_errors, [m.melding for m in dataset.melding_list if m.is_error]
    if folder.joinpath("opvangkern.toml").read_text(encoding="utf-8").count("[[afspraak]]"):
        assert dataset.afspraken.num_rows == 2
    # Several rounds over areas and limits, in an order that revisits each memo entry.
    for _ in range(2):
        for limit in LIMITS:
            for area in AREAS:
                memoised = dataset.dashboard(area, peildatum=limit)
                _equal(memoised, _fresh(dataset).dashboard(area, peildatum=limit))
    assert dataset._dashboard_memo  # it was used
    # Other thresholds and windows share the memo and still give the fresh figures.
    _equal(dataset.dashboard("PV22", op_schema=0.9, licht_achter=0.5, venster=30),
           _fresh(dataset).dashboard("PV22", op_schema=0.9, licht_achter=0.5, venster=30))


def test_a_dashboard_does_not_change_what_the_memo_keeps(sample_copy):
    dataset = load_dataset(sample_copy)
    first = dataset.dashboard("PV22")
    first.peildata["coa"] = dt.date(2000, 1, 1)  # a caller changing its dashboard's dict
    _equal(dataset.dashboard("PV22"), _fresh(dataset).dashboard("PV22"))


def test_a_wrong_peildatum_still_raises_with_a_memo(sample_copy):
    from opvangkern.errors import UsageError

    dataset = load_dataset(sample_copy)
    dataset.dashboard("PV22")
    for _ in range(2):
        with pytest.raises(UsageError):
            dataset.dashboard("PV22", peildatum=dt.date(2001, 1, 1))


def test_the_memo_never_leaks_between_datasets(tmp_path):
    one = tmp_path / "een"
    other = tmp_path / "ander"
    shutil.copytree(opvangkern.sample_path(), one)
    shutil.copytree(opvangkern.sample_path(), other)
    coa = other / "bronnen" / "coa-2025-12-31.csv"
    coa.write_bytes(coa.read_bytes().replace(b";1.010;909", b";1.510;909"))  # another figure in the other
    a, b = load_dataset(one), load_dataset(other)
    dash_a = a.dashboard("PV22")
    dash_b = b.dashboard("PV22")
    assert dash_a.kaarten.column("realisatie").to_pylist() != dash_b.kaarten.column("realisatie").to_pylist()
    _equal(dash_a, _fresh(a).dashboard("PV22"))
    _equal(dash_b, _fresh(b).dashboard("PV22"))
    assert a._dashboard_memo is not b._dashboard_memo
    assert _fresh(a)._dashboard_memo == {}  # a new object starts empty


def test_new_tables_on_the_same_dataset_object_are_never_served_the_old_memo(tmp_path):
    """A ``Dataset`` is mutable: a caller who puts other tables on it gets dashboards of those tables."""
    one = tmp_path / "een"
    other = tmp_path / "ander"
    shutil.copytree(opvangkern.sample_path(), one)
    shutil.copytree(opvangkern.sample_path(), other)
    coa = other / "bronnen" / "coa-2025-12-31.csv"
    coa.write_bytes(coa.read_bytes().replace(b";1.010;909", b";1.510;909"))
    dataset, changed = load_dataset(one), load_dataset(other)
    before = dataset.dashboard("PV22")
    dataset.realisaties = changed.realisaties
    after = dataset.dashboard("PV22")
    assert after.kaarten.column("realisatie").to_pylist() != before.kaarten.column("realisatie").to_pylist()
    _equal(after, _fresh(changed).dashboard("PV22"))
    dataset.melding_list.append(changed.melding_list[0] if changed.melding_list else
                                opvangkern.model.Melding(opvangkern.model.Severity.WAARSCHUWING, "extra",
                                                         code="test_extra"))
    _equal(dataset.dashboard("PV22"), _fresh(dataset).dashboard("PV22"))
