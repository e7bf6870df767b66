"""Issue 16, twelfth session (perf12c): the command that draws a dashboard has the history's ``realisaties``
columns combined and encoded in a helper thread while the load's checks across files run
(``dashboard.columns.ColumnsAhead``, ``dataset.load.COLUMNS_AHEAD``). The dashboard takes them only for the very
table they were made of, and every table it gives (and every Parquet byte) is the one it gives without them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from opvangkern.dashboard import memo, verloop
from opvangkern.dashboard.columns import ColumnsAhead, RealisatieColumns
from opvangkern.dataset import load
from opvangkern.output import writers
from opvangkern.testing import load_module

from .test_verloop_keyed import _same_attributes

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ahead") / "data"
    generate.generate(folder, snapshots=3)
    return folder


def _load(folder: Path, ahead: bool, monkeypatch) -> load.Dataset:
    monkeypatch.setattr(load, "COLUMNS_AHEAD", [ahead])
    monkeypatch.setattr(load, "AHEAD_ROWS", 0)  # the three weeks' few thousand rows get a thread too
    return load.load_dataset(folder)


def _parquet(dashboard) -> dict[str, bytes]:
    hints = dashboard.parquet_hints()
    return {name: writers.parquet_bytes(table, hints.get(name)) for name, table in dashboard.tables().items()}


def test_the_dashboard_takes_the_columns_made_ahead_and_gives_the_same_tables(history, monkeypatch):
    with_ahead = _load(history, True, monkeypatch)
    ahead = with_ahead._dashboard_memo.get("columns_ahead")
    assert isinstance(ahead, ColumnsAhead) and ahead.table is with_ahead.realisaties
    made = ahead.take(with_ahead.realisaties)  # (waits for the thread)
    assert made is not None
    assert set(made.combined_names()) == set(ColumnsAhead.COMBINED)
    assert set(made.encoded_names()) == set(ColumnsAhead.ENCODED)
    dashboard = with_ahead.dashboard("NL01")
    whole, at_latest = memo.shared(with_ahead, None)
    assert whole.columns is made  # taken, not made again
    assert "columns_ahead" not in with_ahead._dashboard_memo
    prepared = at_latest.history()
    assert prepared is ahead.history(with_ahead.realisaties, with_ahead.manifest.asiel_categorieen, None, made)
    assert prepared._keyed_built  # the keyed table built in the helper too
    fresh = verloop.PreparedHistory(with_ahead.realisaties, with_ahead.manifest.asiel_categorieen, None)
    _same_attributes(prepared, fresh)
    assert (prepared.keyed().by_key == fresh.keyed().by_key).all()
    # another limit, or other categories: not the helper's
    assert ahead.history(with_ahead.realisaties, with_ahead.manifest.asiel_categorieen, dt.date(2025, 12, 1),
                         made) is None
    assert ahead.history(with_ahead.realisaties, ("tgo",), None, made) is None
    limited = memo.shared(with_ahead, dt.date(2025, 12, 20))[1].history()
    assert limited is not prepared

    without = _load(history, False, monkeypatch)
    assert "columns_ahead" not in without._dashboard_memo
    plain = without.dashboard("NL01")
    assert memo.shared(without, None)[0].columns is not made
    for name, table in plain.tables().items():
        assert dashboard.tables()[name].equals(table, check_metadata=True), name
    assert _parquet(dashboard) == _parquet(plain)
    # plain arithmetic on the national card: three weekly files of four sources, all rows counted somewhere
    assert plain.verloop.num_rows > 0 and dashboard.verloop.num_rows == plain.verloop.num_rows
    later = with_ahead.dashboard("NL01", peildatum=dt.date(2025, 12, 20))  # a limit of its own, prepared here
    for name, table in without.dashboard("NL01", peildatum=dt.date(2025, 12, 20)).tables().items():
        assert later.tables()[name].equals(table, check_metadata=True), name
    # each answer is the one the column gives for itself
    for name in ColumnsAhead.COMBINED:
        assert made.combined(name).equals(with_ahead.realisaties.column(name).combine_chunks())
    for name in ColumnsAhead.ENCODED:
        fresh = RealisatieColumns(with_ahead.realisaties)
        assert made.encoded(name).equals(fresh.encoded(name))
        assert (made.codes(name) == fresh.codes(name)).all()


def test_columns_of_another_table_are_never_taken():
    """The same content in another table object is not taken (the rule is identity: a remapped or rebuilt
    ``realisaties`` is another table), and a thread that failed hands on nothing."""
    rows = {"bron": ["coa", "coa", "kcio"], "opgave": ["asiel", "asiel", "oekraine"],
            "categorie": ["regulier", "tgo", None], "gemeentecode": ["GM0014", "GM0034", "GM0014"],
            "peildatum": [dt.date(2025, 12, 31)] * 3, "aantal": [10, 5, 7]}
    table = pa.table(rows)
    ahead = ColumnsAhead(table)
    assert ahead.take(pa.table(rows)) is None
    made = ahead.take(table)
    assert made is not None and made.combined("aantal").to_pylist() == [10, 5, 7]
    assert made.encoded("gemeentecode").dictionary.to_pylist() == ["GM0014", "GM0034"]

    broken = ColumnsAhead(pa.table({"bron": ["coa"]}))  # no peildatum column: the thread fails
    assert broken.take(broken.table) is None


def test_only_the_dashboard_command_starts_it_and_the_setting_is_put_back(history, monkeypatch, tmp_path):
    from opvangkern import cli

    started: list[int] = []
    real = ColumnsAhead.__init__

    def counted(self, table, *categories):
        started.append(table.num_rows)
        real(self, table, *categories)

    monkeypatch.setattr(ColumnsAhead, "__init__", counted)
    monkeypatch.setattr(load, "AHEAD_ROWS", 0)
    assert load.COLUMNS_AHEAD == [False]
    dataset = cli._load(history, columns_ahead=True)
    assert load.COLUMNS_AHEAD == [False]  # put back: an API load afterwards starts none
    assert started == [dataset.realisaties.num_rows]
    cli._load(history)
    load.load_dataset(history)
    assert len(started) == 1
    out = tmp_path / "uit"
    try:
        cli.main(["dashboard", str(history), "--gebied", "NL01", "--format", "parquet", "--output", str(out),
                  "--geen-cache"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    assert len(started) == 2 and (out / "verloop.parquet").is_file()
