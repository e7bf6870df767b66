"""The BI lookup tables: ``gebieden`` (every area of ``kaarten``) and ``legenda`` (labels, the page's colours,
order), and that they join with the other tables as a star (DuckDB)."""

from __future__ import annotations

import re
from importlib.resources import files

import duckdb
import pytest

import opvangkern
from opvangkern import tables
from opvangkern.areas import load_division
from opvangkern.model import TASKS


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard(gebied="PV22")


def test_gebieden_holds_every_area_of_kaarten_and_gemeenten(dash):
    gebieden = dash.gebieden
    assert gebieden.schema.equals(tables.GEBIEDEN, check_metadata=False)
    codes = gebieden.column("gebied_code").to_pylist()
    assert len(codes) == len(set(codes))
    assert set(dash.kaarten.column("gebied_code").to_pylist()) <= set(codes)
    assert set(dash.gemeenten.column("gemeentecode").to_pylist()) <= set(codes)
    # Drenthe: the province, its 12 municipalities, its one safety region
    assert len(codes) == 14 and codes[0] == "PV22"


def test_gebieden_codes_follow_the_division(dash):
    division = load_division()
    for row in dash.gebieden.to_pylist():
        area = division.area(row["gebied_code"])
        assert row["gebied_naam"] == area.naam and row["gebied_niveau"] == area.niveau.value
        if area.niveau.value == "gemeente":
            assert row["veiligheidsregiocode"] == division.parent(area.code, "veiligheidsregio").code
            assert row["provinciecode"] == division.parent(area.code, "provincie").code
        elif area.niveau.value == "veiligheidsregio":
            assert row["veiligheidsregiocode"] == area.code
            assert row["provinciecode"] == division.parent(area.code, "provincie").code
        elif area.niveau.value == "provincie":
            assert row["veiligheidsregiocode"] is None and row["provinciecode"] == area.code


def test_gebieden_of_a_country_dashboard():
    dash = opvangkern.open_dataset().dashboard(gebied="NL01")
    rows = {r["gebied_code"]: r for r in dash.gebieden.to_pylist()}
    assert rows["NL01"]["veiligheidsregiocode"] is None and rows["NL01"]["provinciecode"] is None
    assert set(dash.kaarten.column("gebied_code").to_pylist()) <= set(rows)


def _css_colours() -> dict[str, str]:
    css = (files("opvangkern.output.html") / "style.css").read_text(encoding="utf-8")
    return {name: value.lower() for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]+);", css)}


def test_legenda_lists_every_value_with_the_page_colours(dash):
    legenda = dash.legenda.to_pylist()
    colours = _css_colours()
    by_kind: dict[str, list[dict]] = {}
    for row in legenda:
        by_kind.setdefault(row["soort"], []).append(row)
    assert [r["waarde"] for r in by_kind["opgave"]] == [t.key for t in TASKS]
    assert [r["label"] for r in by_kind["opgave"]] == [t.label for t in TASKS]
    assert [r["waarde"] for r in by_kind["status"]] == ["op_schema", "licht_achter", "achter", "geen_opgave"]
    assert [r["waarde"] for r in by_kind["prognose"]] == ["bereikt", "op_koers", "niet_op_koers", "onbekend"]
    status = {r["waarde"]: r["kleur"] for r in by_kind["status"]}
    assert status == {"op_schema": colours["op-schema"], "licht_achter": colours["licht-achter"],
                      "achter": colours["achter"], "geen_opgave": colours["geen"]}
    for kind, rows in by_kind.items():
        assert [r["volgorde"] for r in rows] == list(range(1, len(rows) + 1)), kind
        assert all(re.fullmatch(r"#[0-9a-f]{6}", r["kleur"]) for r in rows), kind
    # every status in kaarten has its legend row
    assert set(dash.kaarten.column("status").to_pylist()) - {None} <= set(status)


def test_lookup_tables_are_written_by_every_writer(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--format", "parquet", "--output",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gebieden.parquet").is_file() and (tmp_path / "legenda.parquet").is_file()
    con = duckdb.connect()
    count = con.sql(f"select count(*) from '{tmp_path / 'legenda.parquet'}'").fetchall()[0][0]
    assert count == 13


def test_a_star_query_over_the_lookup_tables(dash):
    kaarten, gebieden, legenda = dash.kaarten, dash.gebieden, dash.legenda  # noqa: F841 (read by DuckDB)
    rows = duckdb.sql("""
        select g.veiligheidsregiocode, l.label as status, count(*) as kaarten
        from kaarten k
        join gebieden g using (gebied_code)
        join legenda l on l.soort = 'status' and l.waarde = k.status
        where k.gebied_niveau = 'gemeente'
        group by all order by all
    """).fetchall()
    expected: dict[str, int] = {}
    for card in dash.kaarten.to_pylist():
        if card["gebied_niveau"] == "gemeente":
            expected[card["status"]] = expected.get(card["status"], 0) + 1
    labels = {"op_schema": "Op schema", "licht_achter": "Licht achter", "achter": "Achter",
              "geen_opgave": "Geen opgave"}
    assert sorted(rows) == sorted(("VR03", labels[s], n) for s, n in expected.items())
