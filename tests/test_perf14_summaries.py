"""The per-file summaries of the checks across deliveries (issue 16, fourteenth session, ``perf14``).

``deliveries.file_summary`` is made when an entry's table is kept for the dataset's pack and comes back with the
entry, so that a re-run after one new delivery finds each file's source, peildatum and first row in ~1,040 small
summaries instead of in ~417,820 rows. The oracle is the summary-free path (``check_deliveries`` without
``summaries``, ``cache.SUMMARIES[0] = False``, a load without a cache): the same meldingen in the same order, on
the sample, on generated 13- and 52-week histories and on files that give each of the check's meldingen."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.dataset import cache as cache_module
from opvangkern.dataset import deliveries
from opvangkern.dataset.deliveries import check_deliveries, file_summary, summary_from_json
from opvangkern.dataset.load import load_dataset
from opvangkern.testing import load_module

SAMPLE = Path(opvangkern.sample_path())
generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SAMPLE, folder)
    return folder


def _replace(folder: Path, name: str, old: str, new: str, encoding: str = "utf-8") -> None:
    path = folder / name
    text = path.read_text(encoding=encoding)
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _drop_bron(folder: Path, bestand: str) -> None:
    path = folder / "opvangkern.toml"
    text = path.read_text(encoding="utf-8")
    entry = next(block for block in text.split("[[bron]]") if f'bestand = "{bestand}"' in block)
    path.write_text(text.replace("[[bron]]" + entry, ""), encoding="utf-8")


def _plain(folder: Path) -> None:
    pass


def _twice(folder: Path) -> None:  # levering_dubbel: December's COA file titled November
    _replace(folder, "bronnen/coa-2025-12-31.csv", "Peildatum: 31-12-2025", "Peildatum: 30-11-2025")


def _far(folder: Path) -> None:  # peildatum_ver_weg: a typed year
    _replace(folder, "bronnen/coa-2025-12-31.csv", "Peildatum: 31-12-2025", "Peildatum: 31-12-2052")


def _stale(folder: Path) -> None:  # bron_verouderd: COA stopped in August
    for month in ("2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"):
        _drop_bron(folder, f"bronnen/coa-{month}.csv")


def _named(folder: Path) -> None:  # peildatum_bestandsnaam: named for January, titled December
    (folder / "bronnen" / "coa-2025-12-31.csv").rename(folder / "bronnen" / "coa-2026-01-31.csv")
    _replace(folder, "opvangkern.toml", 'bestand = "bronnen/coa-2025-12-31.csv"', 'bestand = "bronnen/coa-2026-01-31.csv"')


def _year_ahead(folder: Path) -> None:  # peildatum_bestandsnaam and three bron_verouderd
    _replace(folder, "bronnen/kcio-2025-12-31.csv", "Stand per 31 december 2025", "Stand per 31 december 2026",
             encoding="utf-8-sig")


def _two_days(folder: Path) -> None:  # a Nidos file whose Peildatum column holds two days: no summary
    _replace(folder, "bronnen/nidos-2025-12-29.csv", "29-12-2025,GM0106,Assen", "28-12-2025,GM0106,Assen")


def _copied_twice(folder: Path) -> None:  # levering_dubbel between two files, one of them a copy under another name
    shutil.copy(folder / "bronnen" / "kcio-2025-12-31.csv", folder / "bronnen" / "kcio-2025-12-31-correctie.csv")
    with (folder / "opvangkern.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[[bron]]\nbron = "kcio"\nbestand = "bronnen/kcio-2025-12-31-correctie.csv"\n')


CASES = {"sample": (_plain, set()), "levering_dubbel": (_twice, {"levering_dubbel", "peildatum_bestandsnaam"}),
         "peildatum_ver_weg": (_far, {"peildatum_ver_weg"}), "bron_verouderd": (_stale, {"bron_verouderd"}),
         "peildatum_bestandsnaam": (_named, {"peildatum_bestandsnaam"}),
         "jaar_vooruit": (_year_ahead, {"peildatum_bestandsnaam", "bron_verouderd"}),
         "twee_dagen": (_two_days, set()), "kopie": (_copied_twice, {"levering_dubbel"})}


def _loads(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[dict]], list]:
    """The meldingen of a load without a cache, of a first and a second load with one (summaries made, then
    served from the pack) and of two loads with the summaries turned off; and what ``check_deliveries`` was
    given in the cached loads, each call checked against the summary-free path on the very same tables."""
    calls: list = []
    original = deliveries.check_deliveries

    def watched(realisaties, sizes, **kwargs):
        found = original(realisaties, sizes, **kwargs)
        without = original(realisaties, sizes, **{k: v for k, v in kwargs.items() if k != "summaries"})
        assert found == without  # the oracle on the same tables: same meldingen, same order
        calls.append((list(sizes), kwargs.get("summaries")))
        return found

    monkeypatch.setattr(deliveries, "check_deliveries", watched)
    runs, last = [], []

    def run(**kwargs) -> None:
        runs.append(load_dataset(folder, **kwargs).meldingen.to_pylist())
        last.append(calls[-1])  # a load that reads again in another division checks twice: the last counts

    run()
    for _ in range(2):
        run(cache=tmp_path / "cache")
    monkeypatch.setattr(cache_module, "SUMMARIES", [False])
    for _ in range(2):
        run(cache=tmp_path / "cache-zonder")
    return runs, last


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_meldingen_with_and_without_summaries(case, tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    change, codes = CASES[case]
    change(folder)
    runs, calls = _loads(folder, tmp_path, monkeypatch)
    assert all(run == runs[0] for run in runs[1:])
    found = {m["code"] for m in runs[0]} & {"levering_dubbel", "peildatum_ver_weg", "bron_verouderd",
                                           "peildatum_bestandsnaam"}
    assert codes <= found  # the check under test fires (a changed date may fire others too)
    # the loads with a cache gave summaries (made while keeping, then from the pack); with them off, none
    sizes, first = calls[1]
    _, served = calls[2]
    assert first is not None and served is not None and served == first
    with_rows = [i for i, size in enumerate(sizes) if size]
    made = [i for i in with_rows if served[i] is not None]
    expected = len(with_rows) - (1 if case == "twee_dagen" else 0)  # the file with two days has none
    assert len(made) == expected
    assert all(s is None for s in calls[3][1]) and all(s is None for s in calls[4][1])
    assert calls[0][1] is None  # without a cache: no summaries


@pytest.fixture(scope="module", params=[13, 52])
def history(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(f"weken{request.param}") / "ds"
    generate.generate(folder, snapshots=request.param)
    return folder


def test_generated_histories_give_the_same_meldingen_with_and_without_summaries(history, tmp_path, monkeypatch):
    # a new file, as target 3 measures it: its summary made, every other from the pack
    runs, calls = _loads(history, tmp_path, monkeypatch)
    latest = sorted((history / "bronnen").glob("coa-*.csv"))[-1]
    original = latest.read_bytes()
    try:
        latest.write_bytes(original + b"\n")
        again = load_dataset(history, cache=tmp_path / "cache").meldingen.to_pylist()
    finally:
        latest.write_bytes(original)
    assert all(run == runs[0] for run in runs[1:]) and again == runs[0]
    sizes, served = calls[2]
    assert served is not None and all(s is not None for s, size in zip(served, sizes) if size)
    assert sum(1 for size in sizes if size) == len(sizes)  # every generated file has rows


# --- the summary itself, on generated tables ---------------------------------------------------------

DAYS = [dt.date(2024, 1, 31), dt.date(2025, 11, 30), dt.date(2025, 12, 31), dt.date(2052, 12, 31)]
CODES = ["GM0106", "GM0109", "GM1680"]
NAMES = ["f.csv", "coa-2025-12-31.csv", "coa-2026-01-31.csv", "a/kcio_20251130.xlsx", "x-1-2-2026.csv"]


def _table(bestand: str, blad: str | None, rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[]] * 5
    return pa.table({"bron": pa.array(columns[0], pa.string()), "opgave": pa.array(["asiel"] * len(rows), pa.string()),
                     "categorie": pa.array(columns[1], pa.string()), "gemeentecode": pa.array(columns[2], pa.string()),
                     "peildatum": pa.array(columns[3], pa.date32()), "aantal": pa.array(columns[4], pa.int64()),
                     "bestand": pa.array([bestand] * len(rows), pa.string()),
                     "blad": pa.array([blad] * len(rows), pa.string()),
                     "rij": pa.array(range(2, 2 + len(rows)), pa.int64())})


def _file(bron: str, several: bool):
    day = st.sampled_from(DAYS)
    row = st.tuples(st.just(bron), st.sampled_from([None, "regulier"]), st.sampled_from(CODES),
                    day if several else st.just(DAYS[0]), st.one_of(st.none(), st.integers(0, 9)))
    return st.tuples(st.sampled_from(NAMES), st.sampled_from([None, "Blad1"]), st.lists(row, max_size=5),
                     st.sampled_from(DAYS), st.booleans())


files = st.lists(st.sampled_from(["coa", "kcio", "nidos"]).flatmap(
    lambda bron: st.booleans().flatmap(lambda several: _file(bron, several))), max_size=7)


@settings(max_examples=300, deadline=None)
@given(files)
def test_summaries_give_the_meldingen_of_the_tables(contents):
    tables = []
    for bestand, blad, rows, day, _keep in contents:
        # a file of one day: every row on that day (the rows' own days only for a file of several)
        if rows and len({r[3] for r in rows}) == 1:
            rows = [(*r[:3], day, r[4]) for r in rows]
        tables.append(_table(bestand, blad, rows))
    combined = pa.concat_tables(tables) if tables else _table("leeg.csv", None, [])
    sizes = [t.num_rows for t in tables]
    summaries = []
    for table, (*_, keep) in zip(tables, contents):
        summary = file_summary(table) if keep else None
        if summary is not None:  # as the pack gives it back
            summary = summary_from_json(json.loads(json.dumps(summary)))
            assert summary is not None
        summaries.append(summary)
    expected = check_deliveries(combined, sizes, labels={"coa": "COA"})
    assert check_deliveries(combined, sizes, labels={"coa": "COA"}, summaries=summaries) == expected


def test_a_summary_only_for_a_table_of_one_day():
    one = _table("coa-2025-12-31.csv", "Blad1", [("coa", None, "GM0106", DAYS[2], 1), ("coa", None, "GM0109", DAYS[2], 2)])
    assert file_summary(one) == {"bron": "coa", "dag": (DAYS[2] - dt.date(1970, 1, 1)).days,
                                 "bestand": "coa-2025-12-31.csv", "blad": "Blad1", "naam": "2025-12-31"}
    two = _table("nidos.csv", None, [("nidos", None, "GM0106", DAYS[1], 1), ("nidos", None, "GM0109", DAYS[2], 2)])
    assert file_summary(two) is None and file_summary(_table("leeg.csv", None, [])) is None


@pytest.mark.parametrize("changed", [
    {"bron": 1}, {"dag": "20000"}, {"dag": 1.5}, {"naam": "31-12-2025"}, {"blad": 3}, {"extra": 1}, {"dag": True},
])
def test_a_summary_that_does_not_fit_is_not_used(changed):
    good = {"bron": "coa", "dag": 20453, "bestand": "coa.csv", "blad": None, "naam": None}
    assert summary_from_json(good) == good
    assert summary_from_json({**good, **changed}) is None
    assert summary_from_json(None) is None and summary_from_json([1]) is None
