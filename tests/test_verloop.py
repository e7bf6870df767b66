"""SPEC §12 end to end: ``verloop`` is the card of every day's dashboard, ``prognose`` its pace."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

import opvangkern
from opvangkern import tables
from opvangkern.errors import UsageError

CARD_FIGURES = ("peildatum", "indicatief_schema", "realisatie", "achterstand", "realisatiegraad", "status")


@pytest.fixture(scope="module")
def sample():
    return opvangkern.open_dataset()


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_every_verloop_row_is_the_card_of_that_days_dashboard(sample) -> None:
    dash = sample.dashboard()
    verloop = dash.verloop.to_pylist()
    assert verloop and dash.verloop.schema.equals(tables.VERLOOP)
    days = sorted({row["peildatum"] for row in verloop})
    # The sample's history: month ends July–December, and Nidos's 29 December.
    assert days == [dt.date(2025, 7, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30), dt.date(2025, 10, 31),
                    dt.date(2025, 11, 30), dt.date(2025, 12, 29), dt.date(2025, 12, 31)]
    checked = 0
    for day in days:
        cards = {(c["gebied_code"], c["opgave"]): c for c in sample.dashboard(peildatum=day).kaarten.to_pylist()}
        for row in (r for r in verloop if r["peildatum"] == day):
            card = cards[(row["gebied_code"], row["opgave"])]
            for column in CARD_FIGURES:
                assert _same(row[column], card[column]), (day, row["gebied_code"], row["opgave"], column)
            assert (row["gebied_naam"], row["gebied_niveau"]) == (card["gebied_naam"], card["gebied_niveau"])
            checked += 1
    assert checked == len(verloop)


def test_verloop_has_every_peildatum_of_the_task_oldest_first(sample) -> None:
    dash = sample.dashboard()
    realisaties = sample.realisaties.to_pylist()
    by_card: dict[tuple[str, str], list[dt.date]] = {}
    for row in dash.verloop.to_pylist():
        by_card.setdefault((row["gebied_code"], row["opgave"]), []).append(row["peildatum"])
    cards = [(c["gebied_code"], c["opgave"]) for c in dash.kaarten.to_pylist()]
    assert list(by_card) == cards  # every card, in kaarten order
    for (_, opgave), peildata in by_card.items():
        assert peildata == sorted({r["peildatum"] for r in realisaties if r["opgave"] == opgave})


def test_the_last_verloop_row_of_each_card_is_the_card(sample) -> None:
    dash = sample.dashboard()
    last = {}
    for row in dash.verloop.to_pylist():
        last[(row["gebied_code"], row["opgave"])] = row
    for card in dash.kaarten.to_pylist():
        row = last[(card["gebied_code"], card["opgave"])]
        assert all(_same(row[c], card[c]) for c in CARD_FIGURES), card["gebied_code"]


def test_verloop_stops_at_the_dashboards_peildatum(sample) -> None:
    dash = sample.dashboard(peildatum=dt.date(2025, 10, 15))
    assert max(dash.verloop.column("peildatum").to_pylist()) == dt.date(2025, 9, 30)
    oekraine = [r for r in dash.prognose.to_pylist() if r["gebied_code"] == "PV22" and r["opgave"] == "oekraine"][0]
    # 30 Sep − 91 days = 1 Jul: no delivery that early, so the earliest before it: 31 Jul.
    assert oekraine["vorige_peildatum"] == dt.date(2025, 7, 31)
    assert oekraine["realisatie"] == 4752
    assert math.isclose(oekraine["tempo_per_maand"], (4752 - 4574) / 61 * 365.25 / 12)


def test_sample_prognose_by_hand(sample) -> None:
    prognose = {(r["gebied_code"], r["opgave"]): r for r in sample.dashboard().prognose.to_pylist()}
    assert len(prognose) == sample.dashboard().kaarten.num_rows
    oek = prognose[("PV22", "oekraine")]
    # p = 31-12-2025, p0 = 30-09-2025 (the latest at least 91 days before; 31-10 is 61 days), R0 = 4.752.
    assert oek["vorige_peildatum"] == dt.date(2025, 9, 30)
    assert math.isclose(oek["tempo_per_maand"], (5013 - 4752) / 92 * 365.25 / 12)  # 86,3
    # 125 to go in the 181 days from the start of 1-1-2026 to 1-7-2026.
    assert math.isclose(oek["benodigd_per_maand"], 125 / 181 * 365.25 / 12)  # 21,0
    # ceil(125 × 92 / 261) = ceil(44,06) = 45 days after 31-12-2025.
    assert oek["verwachte_datum"] == dt.date(2026, 2, 14) and oek["prognose"] == "op_koers"
    assert prognose[("PV22", "asiel")]["prognose"] == "bereikt"  # 4.614 ≥ 4.155
    assert prognose[("PV22", "asiel")]["benodigd_per_maand"] == 0.0
    huisvesting = prognose[("PV22", "vergunninghouders")]
    # doeldatum 1-1-2026 = p + 1: no time left (null); 396 × 92 / 222 = 164,1 → 165 days: 14-6-2026.
    assert huisvesting["benodigd_per_maand"] is None
    assert huisvesting["verwachte_datum"] == dt.date(2026, 6, 14) and huisvesting["prognose"] == "niet_op_koers"
    nidos = prognose[("PV22", "nidos_amv")]
    # p = 29-12: 29-12 − 91 = 29-9, so p0 = 31-8 (59); 22 × 120 / 14 = 188,6 → 189 days: 6-7-2026.
    assert nidos["vorige_peildatum"] == dt.date(2025, 8, 31)
    assert nidos["verwachte_datum"] == dt.date(2026, 7, 6) and nidos["prognose"] == "niet_op_koers"
    assert math.isclose(nidos["benodigd_per_maand"], 22 / 2 * 365.25 / 12)


def test_without_history_the_prognose_is_onbekend(sample_latest_only: Path) -> None:
    dash = opvangkern.open_dataset(sample_latest_only).dashboard()
    prognose = {(r["gebied_code"], r["opgave"]): r for r in dash.prognose.to_pylist()}
    assert prognose[("PV22", "oekraine")]["prognose"] == "onbekend"
    assert prognose[("PV22", "oekraine")]["vorige_peildatum"] is None
    assert prognose[("PV22", "oekraine")]["tempo_per_maand"] is None
    assert prognose[("PV22", "asiel")]["prognose"] == "bereikt"  # reached needs no pace
    assert dash.verloop.num_rows == dash.kaarten.num_rows  # one peildatum: the cards themselves


def test_venster_is_a_parameter(sample) -> None:
    row = next(r for r in sample.dashboard(venster=30).prognose.to_pylist() if r["opgave"] == "oekraine")
    assert row["vorige_peildatum"] == dt.date(2025, 11, 30)
    assert math.isclose(row["tempo_per_maand"], (5013 - 4961) / 31 * 365.25 / 12)
    for wrong in (-1, 1.5, "91", True):
        with pytest.raises(UsageError):
            sample.dashboard(venster=wrong)


def test_verloop_and_prognose_are_written(sample, tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from opvangkern.output import writers

    dash = sample.dashboard()
    writers.write_tables(dash.tables(), tmp_path / "parquet", "parquet")
    for name in ("verloop", "prognose"):
        read = pq.read_table(tmp_path / "parquet" / f"{name}.parquet")
        assert read.to_pylist() == getattr(dash, name).to_pylist()
    writers.write_tables(dash.tables(), tmp_path / "csv", "csv")
    verloop = pacsv.read_csv(tmp_path / "csv" / "verloop.csv")
    assert verloop.num_rows == dash.verloop.num_rows == 294
    assert verloop.column("realisatie").to_pylist() == dash.verloop.column("realisatie").to_pylist()


# --- a dataset whose realisation grows exactly linearly -------------------------------------------


def _linear_dataset(folder: Path, start: int, per_step: int, steps: int, doel: int) -> list[dt.date]:
    """Assen's Nidos places grow by ``per_step`` every 30 days from ``start``; the target line goes to
    ``doel`` on 1 January 2030."""
    first = dt.date(2025, 1, 1)
    days = [first + dt.timedelta(days=30 * i) for i in range(steps + 1)]
    (folder / "bronnen").mkdir(parents=True)
    (folder / "opgaven").mkdir()
    (folder / "opgaven" / "nidos-2025.csv").write_text("Gemeentecode,Plekken\nGM0106,10\n", encoding="utf-8")
    (folder / "opgaven" / "nidos-2030.csv").write_text(f"Gemeentecode,Plekken\nGM0106,{doel}\n", encoding="utf-8")
    manifest = ['[dataset]', 'naam = "Lineair"', 'gebied = "GM0106"', "",
                "[[opgave]]", 'opgave = "nidos_amv"', "ingangsdatum = 2025-01-01", 'bestand = "opgaven/nidos-2025.csv"', "",
                "[[opgave]]", 'opgave = "nidos_amv"', "ingangsdatum = 2030-01-01", 'bestand = "opgaven/nidos-2030.csv"', ""]
    for i, day in enumerate(days):
        name = f"bronnen/nidos-{day}.csv"
        (folder / name).write_text(f"Peildatum,Gemeentecode,Gemeente,Plekken\n{day:%d-%m-%Y},GM0106,Assen,"
                                   f"{start + per_step * i}\n", encoding="utf-8")
        manifest += ["[[bron]]", 'bron = "nidos"', f'bestand = "{name}"', ""]
    (folder / "opvangkern.toml").write_text("\n".join(manifest), encoding="utf-8")
    return days


def test_linear_growth_is_projected_on_the_day_the_line_says(tmp_path: Path) -> None:
    days = _linear_dataset(tmp_path, start=20, per_step=6, steps=12, doel=200)
    dash = opvangkern.open_dataset(tmp_path).dashboard()
    row = dash.prognose.to_pylist()[0]
    p, r = days[-1], 20 + 6 * 12  # 92 places on the last peildatum
    # 91 days back: the peildatum 4 steps (120 days) earlier; 24 places in 120 days is 0,2 a day.
    assert row["vorige_peildatum"] == days[-5]
    # The line R(d) = 92 + 0,2 × (d − p) reaches 200 after (200 − 92) / 0,2 = 540 days.
    assert row["verwachte_datum"] == p + dt.timedelta(days=540)
    assert row["prognose"] == "op_koers"  # long before 1 January 2030
    assert math.isclose(row["tempo_per_maand"], 0.2 * 365.25 / 12)
    assert [r["realisatie"] for r in dash.verloop.to_pylist()] == [20 + 6 * i for i in range(13)]


def test_linear_growth_too_slow_for_the_deadline(tmp_path: Path) -> None:
    days = _linear_dataset(tmp_path, start=0, per_step=1, steps=6, doel=500)
    row = opvangkern.open_dataset(tmp_path).dashboard().prognose.to_pylist()[0]
    # 4 places in 120 days (1/30 a day); 494 to go: 494 × 30 = 14.820 days, long after 2030.
    assert row["verwachte_datum"] == days[-1] + dt.timedelta(days=494 * 30)
    assert row["prognose"] == "niet_op_koers"


# --- nothing depends on row order ------------------------------------------------------------------


def test_verloop_does_not_depend_on_the_order_of_the_realisation_rows(sample) -> None:
    """The same rows in any order (hypothesis draws the permutation) give the same verloop and prognose."""
    import attrs
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    expected = sample.dashboard()
    n = sample.realisaties.num_rows

    @settings(max_examples=10, deadline=None)
    @given(st.permutations(range(n)))
    def check(order) -> None:
        shuffled = attrs.evolve(sample, realisaties=sample.realisaties.take(pa.array(order, pa.int64())))
        dash = shuffled.dashboard()
        assert dash.verloop.equals(expected.verloop)
        assert dash.prognose.equals(expected.prognose)

    check()
