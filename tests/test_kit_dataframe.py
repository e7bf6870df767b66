"""The adapter kit accepts a pandas ``DataFrame`` where it accepts a file: the same rows, the same meldingen
(with the same row numbers), the same reconciliation counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import opvangkern
from opvangkern.sources import kit
from opvangkern.sources.manager import adapter_infos


@pytest.fixture(scope="module")
def adapters():
    return {info.adapter.name: info.adapter for info in adapter_infos()}


def _bad_kcio(tmp_path):
    text = (opvangkern.sample_path() / "bronnen" / "kcio-2025-12-31.csv").read_text(encoding="utf-8-sig")
    text = text.replace('"430"', '"43%"').replace("Drenthe,Assen,", "Drenthe,Asen,", 1).replace('"338"', '"1.338"')
    path = tmp_path / "kcio.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _key(result):
    return ([m.describe() for m in result.meldingen], result.realisaties.to_pylist(), result.peildatum, result.stats)


def test_a_whole_file_read_with_pandas_gives_the_same_result(adapters, tmp_path):
    path = _bad_kcio(tmp_path)
    from_file = adapters["kcio"].read(kit.Source(path, "kcio.csv"))
    frame = pd.read_csv(path, header=None, names=range(4), dtype=str, keep_default_na=False, skip_blank_lines=False)
    from_frame = adapters["kcio"].read(kit.Source(frame, "kcio.csv"))
    assert _key(from_frame) == _key(from_file)
    assert any(m.is_error and m.rij == 5 and m.waarde == "Asen" for m in from_frame.meldingen)
    assert from_frame.peildatum == dt.date(2025, 12, 31)


def test_a_frame_with_column_names_starts_at_row_two(adapters, tmp_path):
    path = _bad_kcio(tmp_path)
    frame = pd.read_csv(path, skiprows=2, dtype=str, keep_default_na=False)
    result = adapters["kcio"].read(kit.Source(frame, "kcio.csv", peildatum=dt.date(2025, 12, 31)))
    errors = {(m.rij, m.waarde) for m in result.meldingen if m.is_error}
    assert errors == {(2, "43%"), (3, "Asen")}  # the file's rows 4 and 5, less the two title rows
    by_code = {r["gemeentecode"]: r["aantal"] for r in result.realisaties.to_pylist()}
    assert by_code["GM1681"] == 1338  # "1.338": the kit's thousands dot, not pandas' guess


def test_pandas_types_are_read_like_workbook_cells(adapters):
    frame = pd.DataFrame({"Gemeentecode": ["GM0106", "GM0114", "GM0119"],
                          "Kleinschalige opvangplekken": pd.array([33, None, 4], dtype="Int64"),
                          "Peildatum": pd.to_datetime(["2025-12-29"] * 3)})
    result = adapters["nidos"].read(kit.Source(frame, "nidos.xlsx"))
    assert not [m for m in result.meldingen if m.is_error]
    assert {r["gemeentecode"]: r["aantal"] for r in result.realisaties.to_pylist()} == {"GM0106": 33, "GM0119": 4}
    assert result.peildatum == dt.date(2025, 12, 29)
    assert [r["rij"] for r in result.realisaties.to_pylist()] == [2, 4]


def test_read_frame_keeps_row_numbers_through_pandas(tmp_path):
    path = _bad_kcio(tmp_path)
    layout = kit.Layout("kcio", [kit.Column("plekken", ["Gerealiseerde plekken"], kind=kit.COUNT)],
                        require=[("plekken",)])
    builder = kit.RealisatieBuilder(kit.Source(path, "kcio.csv"), "kcio")
    frame = builder.read_frame(layout)
    assert frame.index.name == "rij" and list(frame.index)[:3] == [1, 2, 3]
    frame = frame.iloc[::-1].replace({"43%": "43"})  # reordered and one cell fixed, with pandas
    table = builder.read_table(layout, data=frame)
    rows = {row.gemeentecode: (row.rij, row.count("plekken")) for row in table}
    assert rows["GM1680"] == (4, 43)
    assert [(m.rij, m.waarde) for m in builder.meldingen if m.is_error] == [(5, "Asen")]


def test_a_frame_without_the_table_is_a_fout(adapters):
    result = adapters["kcio"].read(kit.Source(pd.DataFrame({"x": [1, 2]}), "leeg.csv"))
    assert any(m.is_error for m in result.meldingen) and result.realisaties.num_rows == 0
