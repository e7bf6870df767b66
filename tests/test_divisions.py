"""Divisions over time (issue 11, SPEC §2): the 2027 division, reorganisations, mapping files onto a division.

Expected figures are plain arithmetic on the fixture's files, written out in the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.areas import available_divisions, division_for, load_division, successor, successors
from opvangkern.areas.history import Divisions, read_reorganisations
from opvangkern.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
GOOI = FIXTURES / "gooi-en-vechtstreek-2027"
DATA = Path(opvangkern.__file__).parent / "areas" / "data"
D = dt.date


# ---------------------------------------------------------------------------------------------- helpers


def card(dash, code, opgave):
    return next(r for r in dash.kaarten.to_pylist() if r["gebied_code"] == code and r["opgave"] == opgave)


def meldingen(ds, text=None, code=None):
    found = [m for m in ds.melding_list if (text is None or text in m.melding)]
    if code is not None:
        found = [m for m in found if getattr(m, "code", code) == code]
    return found


def gooi_copy(tmp_path: Path, indeling: str | None = None, peildata: bool = False) -> Path:
    folder = tmp_path / "gooi"
    shutil.copytree(GOOI, folder)
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    if indeling is not None:
        text = text.replace('gebied = "VR14"', f'gebied = "VR14"\nindeling = "{indeling}"')
    if peildata:
        text = text.replace('.csv"\n\n[[bron]]', '.csv"\npeildatum = 2027-03-31\n\n[[bron]]')
        text += "peildatum = 2027-03-31\n"
    manifest.write_text(text, encoding="utf-8")
    return folder


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------- reference data


def test_2027_is_2026_without_wijdemeren_and_provisional():
    assert available_divisions()[-2:] == ["2026", "2027"]
    d26, d27 = load_division("2026"), load_division("2027")
    assert load_division() is d26  # the default is the newest settled division
    assert {a.code for a in d26.gemeenten} - {a.code for a in d27.gemeenten} == {"GM1696"}
    assert {a.code for a in d27.gemeenten} < {a.code for a in d26.gemeenten}
    assert len(d27.gemeenten) == 341 and d27.area("GM0402").naam == "Hilversum"
    assert d27.parent("GM0402", "veiligheidsregio").code == "VR14"
    info = Divisions.shipped().info("2027")
    assert info.voorlopig and info.ingangsdatum == D(2027, 1, 1)
    assert "voorlopig" in (DATA / "2027" / "SOURCES.md").read_text(encoding="utf-8")


def test_reorganisation_table_agrees_with_the_divisions_and_aliases():
    table = read_reorganisations(DATA)
    d26 = load_division("2026")
    by_code = {r.code: r for r in table}
    assert by_code["GM0457"].ingangsdatum == D(2022, 3, 24)
    assert [s.code for s in by_code["GM0457"].opvolgers] == ["GM0363"]
    assert [s.code for s in by_code["GM0017"].opvolgers] == ["GM0014"]
    assert {s.code for s in by_code["GM0788"].opvolgers} == {"GM0757", "GM0824", "GM0855", "GM0865"}
    assert by_code["GM1696"].voorlopig and not by_code["GM0457"].voorlopig
    for r in table:
        if r.ingangsdatum <= D(2026, 1, 1):
            assert r.code not in d26.areas, r
            for s in r.opvolgers:
                assert d26.area(s.code).naam == s.naam, (r, s)
        assert r.ingangsdatum >= D(2019, 1, 1)
    # the aliases file of 2026 lists the merged municipalities: they point to the table's successor
    aliases = {}
    for line in (DATA / "2026" / "gemeenten-aliases.csv").read_text(encoding="utf-8").splitlines()[1:]:
        alias, code = line.rsplit(",", 1)
        aliases[alias.strip('"')] = code
    for r in table:
        if r.naam in aliases and not r.split:
            assert aliases[r.naam] == r.opvolgers[0].code, r


def test_2027_map_is_hilversum_and_wijdemeren_united():
    from opvangkern.areas.geomerge import merge_geometries
    from opvangkern.output.html import topojson

    old = json.loads((DATA / "2026" / "geo" / "gemeente_2026.topojson").read_text(encoding="utf-8"))
    new = json.loads((DATA / "2027" / "geo" / "gemeente_2027.topojson").read_text(encoding="utf-8"))
    merged = merge_geometries(old, "gemeente_2026", ["GM0402", "GM1696"], into="GM0402")
    by_id = {g["id"]: g for g in new["objects"]["gemeente_2027"]["geometries"]}
    assert "GM1696" not in by_id and len(by_id) == 341
    assert by_id["GM0402"]["arcs"] == next(g for g in merged["objects"]["gemeente_2026"]["geometries"]
                                           if g["id"] == "GM0402")["arcs"]
    arcs = topojson.decode_arcs(new)

    def area(geometry):
        total = 0.0
        for polygon in topojson.geometry_polygons(arcs, geometry):
            for i, ring in enumerate(polygon):
                a = abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2
                total += a if i == 0 else -a
        return total

    old_by_id = {g["id"]: g for g in old["objects"]["gemeente_2026"]["geometries"]}
    old_arcs = topojson.decode_arcs(old)
    arcs, united = old_arcs, area(by_id["GM0402"])
    assert united == pytest.approx(area(old_by_id["GM0402"]) + area(old_by_id["GM1696"]), rel=1e-9)
    # the shared border is gone: no arc of the united shape is used twice
    used = [r if r >= 0 else ~r for ring in by_id["GM0402"]["arcs"] for r in ring]
    assert len(used) == len(set(used)) and 484 not in used
    # the other municipalities are untouched
    assert all(by_id[c]["arcs"] == old_by_id[c]["arcs"] for c in by_id if c != "GM0402")


def test_merge_geometries_refuses_unknown_codes():
    from opvangkern.areas.geomerge import GeometryMergeError, merge_geometries

    old = json.loads((DATA / "2026" / "geo" / "gemeente_2026.topojson").read_text(encoding="utf-8"))
    with pytest.raises(GeometryMergeError, match="GM9999"):
        merge_geometries(old, "gemeente_2026", ["GM0402", "GM9999"], into="GM0402")


# ---------------------------------------------------------------------------------------------- API


def test_successor_and_division_for():
    assert successor("GM0457", on=D(2025, 1, 1)).code == "GM0363"
    assert successor("Weesp", on=D(2025, 1, 1)).naam == "Amsterdam"
    assert successor(457, on=D(2025, 1, 1)).code == "GM0363"
    assert successor("GM0457", on=D(2022, 3, 23)).code == "GM0457"  # the day before it joined Amsterdam
    assert successor("Haren", on=D(2019, 1, 1)).code == "GM0014"
    assert successor("GM0017", on=D(2018, 12, 31)).code == "GM0017"
    assert successor("Wijdemeren", on=D(2026, 12, 31)).code == "GM1696"
    assert successor("GM1696", on=D(2027, 1, 1)) == load_division("2027").area("GM0402")
    assert successor("Assen", on=D(2027, 1, 1)).code == "GM0106"
    with pytest.raises(ValueError, match="Boxtel"):
        successor("Haaren", on=D(2021, 1, 1))
    split = successors("GM0788", on=D(2021, 1, 1))
    assert {a.code for a, _ in split} == {"GM0757", "GM0824", "GM0855", "GM0865"}
    assert all(math.isnan(share) for _, share in split)  # CBS gives no shares
    with pytest.raises(LookupError):
        successor("Atlantis", on=D(2025, 1, 1))
    assert division_for(D(2027, 3, 31)).name == "2027"
    assert division_for(D(2026, 12, 31)).name == "2026"
    assert division_for(D(2025, 12, 31)).name == "2026"  # before the oldest shipped one: the oldest


# ---------------------------------------------------------------------------------------------- Hilversum


HILVERSUM_2025 = 480 + 125  # Hilversum's and Wijdemeren's asylum targets of the 2025 decision
ASIEL_2027 = 40 + 240 + 600 + 180 + 80  # the 2027 decision, enlarged Hilversum: 1.140
ASIEL_WRONG = ASIEL_2027 + 125  # with Wijdemeren's old target kept flat: 1.265
HUISVESTING_2027 = 12 + 45 + 92 + 38 + 14  # 201
HUISVESTING_WRONG = HUISVESTING_2027 + 19  # 220


@pytest.mark.parametrize("variant", ["default", "indeling", "manifest-peildata"])
def test_gooi_en_vechtstreek_after_wijdemeren_joins_hilversum(tmp_path, variant):
    folder = {"default": lambda: GOOI, "indeling": lambda: gooi_copy(tmp_path, "2027"),
              "manifest-peildata": lambda: gooi_copy(tmp_path, peildata=True)}[variant]()
    ds = opvangkern.open_dataset(folder)
    assert ds.division.name == "2027" and ds.indeling.voorlopig
    dash = ds.dashboard()
    assert (ASIEL_2027, HUISVESTING_2027) == (1140, 201) and (ASIEL_WRONG, HUISVESTING_WRONG) == (1265, 220)
    asiel = card(dash, "VR14", "asiel")
    assert asiel["indicatief_schema"] == asiel["eindpunt"] == ASIEL_2027
    assert asiel["startpunt"] == 40 + 230 + HILVERSUM_2025 + 170 + 45
    assert card(dash, "VR14", "vergunninghouders")["indicatief_schema"] == HUISVESTING_2027
    assert card(dash, "VR14", "oekraine")["realisatie"] == 60 + 300 + 420 + 180 + 50 + 110
    rows = {r["gemeentecode"]: r for r in dash.gemeenten.to_pylist()}
    assert set(rows) == {"GM0376", "GM1942", "GM0402", "GM0406", "GM0417"}  # no Wijdemeren row
    assert rows["GM0402"]["oekraine_realisatie"] == 420 + 110  # Wijdemeren's Ukraine places count for Hilversum
    assert rows["GM0402"]["asiel_opgave"] == 600
    for table in (ds.realisaties, ds.opgaven, dash.kaarten):
        column = "gemeentecode" if "gemeentecode" in table.column_names else "gebied_code"
        assert "GM1696" not in table.column(column).to_pylist()
    hilversum = sorted((r["ingangsdatum"], r["aantal"]) for r in ds.opgaven.to_pylist()
                       if r["gebied_code"] == "GM0402" and r["opgave"] == "asiel")
    assert hilversum == [(D(2025, 1, 1), HILVERSUM_2025), (D(2027, 1, 1), 600)]
    warned = meldingen(ds, "Wijdemeren (GM1696)", code="voormalige_gemeente")
    kcio = [m for m in warned if m.bestand == "bronnen/kcio-2027-03-31.csv"]
    assert len(kcio) == 1 and not kcio[0].is_error
    assert (kcio[0].rij, kcio[0].kolom, kcio[0].waarde) == (9, "Gemeente", "Wijdemeren")
    assert "Hilversum (GM0402)" in kcio[0].melding
    assert {m.bestand for m in warned} == {"bronnen/kcio-2027-03-31.csv", "opgaven/asiel-2025-01-01.csv",
                                           "opgaven/vergunninghouders-2025-01-01.csv"}
    assert all(t.schema.metadata[b"indeling"] == b"2027" for t in dash.tables().values())


def test_a_decision_listing_both_sums_them(tmp_path):
    folder = gooi_copy(tmp_path)
    path = folder / "opgaven/asiel-2027-01-01.csv"
    text = path.read_text(encoding="utf-8").replace("GM0402;Hilversum;600", "GM0402;Hilversum;520\nGM1696;Wijdemeren;80")
    path.write_text(text.replace(";Totaal;1.140", ";Totaal;1.140"), encoding="utf-8")
    ds = opvangkern.open_dataset(folder)
    points = {r["ingangsdatum"]: r["aantal"] for r in ds.opgaven.to_pylist()
              if r["gebied_code"] == "GM0402" and r["opgave"] == "asiel"}
    assert points[D(2027, 1, 1)] == 520 + 80
    assert card(ds.dashboard(), "VR14", "asiel")["indicatief_schema"] == ASIEL_2027


def test_the_old_division_keeps_wijdemeren_with_a_warning(tmp_path):
    ds = opvangkern.load_dataset(gooi_copy(tmp_path, "2026"))
    outdated = meldingen(ds, "indeling 2027", code="indeling_verouderd")
    assert len(outdated) == 1 and not outdated[0].is_error  # 2027 is provisional: the analyst may keep 2026
    assert outdated[0].kolom == "indeling" and 'indeling = "2027"' in outdated[0].melding
    assert "GM1696" in ds.realisaties.column("gemeentecode").to_pylist()
    assert not meldingen(ds, code="voormalige_gemeente") or all(
        "GM1696" not in m.melding for m in meldingen(ds, code="voormalige_gemeente"))


def test_check_and_bronnen_name_the_division():
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(GOOI)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Gemeentelijke indeling: 2027") and "voorlopig" in first
    result = runner.invoke(cli, ["bronnen"])
    assert result.exit_code == 0
    assert "2027 (vanaf 1-1-2027, voorlopig)" in result.output and "2026 (vanaf 1-1-2026)" in result.output
    sample = runner.invoke(cli, ["check", str(Path(opvangkern.__file__).parent / "sample" / "drenthe-2025-12-31")])
    assert sample.output.splitlines()[0] == "Gemeentelijke indeling: 2026 (vanaf 1-1-2026)"


def test_the_page_draws_the_2027_map():
    from opvangkern.output.html import render_html

    dash = opvangkern.open_dataset(GOOI).dashboard()
    assert dash.division.geo_file("gemeente").name == "gemeente_2027.topojson"
    page = render_html(dash)
    shapes = re.findall(r'<path id="gm-(GM\d{4})"', page)
    assert sorted(shapes) == ["GM0376", "GM0402", "GM0406", "GM0417", "GM1942"]  # one Hilversum, no Wijdemeren


# ---------------------------------------------------------------------------------------------- Weesp, Haren


def amsterdam_2025(tmp_path: Path, weesp_quota: str, weesp_coa: str) -> Path:
    folder = tmp_path / "ams"
    write(folder, "opvangkern.toml", """
[dataset]
naam = "Amsterdam-Amstelland, stand 31 december 2025"
gebied = "NL01"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel-2025-01-01.csv"

[[bron]]
bron = "coa"
bestand = "bronnen/coa-2025-12-31.csv"
""")
    write(folder, "opgaven/asiel-2025-01-01.csv",
          "Verdeelbesluit asielopvang 2025 (uittreksel)\n\nGemeentecode;Gemeente;Opgave\n"
          f"GM0363;Amsterdam;5.000\n{weesp_quota};100\nGM0362;Amstelveen;800\nGM0014;Groningen;2.000\n"
          ";Haren;150\n\nBron: bewerkt door opvangkern\n")
    write(folder, "bronnen/coa-2025-12-31.csv",
          "COA capaciteit per locatie\nPeildatum: 31-12-2025\n\nGemeente;Locatie;Opvangvorm;Capaciteit\n"
          f"Amsterdam;azc Amsterdam;regulier;1.000\n{weesp_coa};azc Weesp;regulier;50\nAmstelveen;azc;regulier;300\n")
    return folder


@pytest.mark.parametrize("quota, coa", [("GM0457;Weesp", "Weesp"), ("457;", "GM0457"), (";Gemeente Weesp", "weesp")])
def test_weesp_counts_for_amsterdam(tmp_path, quota, coa):
    ds = opvangkern.open_dataset(amsterdam_2025(tmp_path, quota, coa))
    assert ds.division.name == "2026"
    dash = ds.dashboard()
    rows = {r["gemeentecode"]: r for r in dash.gemeenten.to_pylist()}
    assert "GM0457" not in rows
    assert rows["GM0363"]["asiel_opgave"] == 5000 + 100
    assert rows["GM0363"]["asiel_regulier"] == 1000 + 50
    assert rows["GM0014"]["asiel_opgave"] == 2000 + 150  # Haren joined Groningen in 2019
    weesp = meldingen(ds, "Weesp (GM0457)", code="voormalige_gemeente")
    assert {m.bestand for m in weesp} == {"opgaven/asiel-2025-01-01.csv", "bronnen/coa-2025-12-31.csv"}
    assert all("Amsterdam (GM0363)" in m.melding and "24-3-2022" in m.melding for m in weesp)
    haren = meldingen(ds, "Haren (GM0017)", code="voormalige_gemeente")
    assert len(haren) == 1 and haren[0].rij == 8 and "Groningen (GM0014)" in haren[0].melding


# ---------------------------------------------------------------------------------------------- splits


def haaren_2025(tmp_path: Path, shares: str | None) -> Path:
    folder = tmp_path / "haaren"
    write(folder, "opvangkern.toml", """
[dataset]
naam = "Haaren (oud bestand)"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel.csv"

[[bron]]
bron = "coa"
bestand = "bronnen/coa.csv"
peildatum = 2025-12-31
""")
    write(folder, "opgaven/asiel.csv", "Gemeente;Opgave\nBoxtel;100\nHaaren;200\nTilburg;1.000\n")
    write(folder, "bronnen/coa.csv", "Gemeente;Locatie;Opvangvorm;Capaciteit\nHaaren;Helvoirt;regulier;101\n"
                                     "Vught;Vught;regulier;10\n")
    if shares is not None:
        write(folder, "indeling/herindelingen.csv", shares)
    return folder


def test_a_split_municipality_without_shares_is_an_error(tmp_path):
    ds = opvangkern.load_dataset(haaren_2025(tmp_path, None))
    errors = meldingen(ds, "Haaren (GM0788)", code="gesplitste_gemeente")
    assert len(errors) == 2 and all(m.is_error for m in errors)
    assert {(m.bestand, m.rij, m.waarde) for m in errors} == {("opgaven/asiel.csv", 3, "Haaren"),
                                                              ("bronnen/coa.csv", 2, "Haaren")}
    assert all("Boxtel (GM0757)" in m.melding and "aandeel" in m.melding for m in errors)


def test_a_split_with_shares_counts_for_each_successor(tmp_path):
    shares = ("ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel\n"
              "2021-01-01,GM0788,Haaren,GM0757,Boxtel,0.25\n2021-01-01,GM0788,Haaren,GM0824,Oisterwijk,0.35\n"
              "2021-01-01,GM0788,Haaren,GM0855,Tilburg,0.1\n2021-01-01,GM0788,Haaren,GM0865,Vught,0.3\n")
    ds = opvangkern.open_dataset(haaren_2025(tmp_path, shares))
    targets = {r["gebied_code"]: r["aantal"] for r in ds.opgaven.to_pylist()}
    assert targets == pytest.approx({"GM0757": 100 + 0.25 * 200, "GM0824": 0.35 * 200, "GM0855": 1000 + 0.1 * 200,
                                     "GM0865": 0.3 * 200})
    counts = {}
    for r in ds.realisaties.to_pylist():
        counts[r["gemeentecode"]] = counts.get(r["gemeentecode"], 0) + r["aantal"]
    # 101 over 25/35/10/30 %: 25.25, 35.35, 10.1, 30.3 -> 25, 35, 10, 30 and the remaining 1 to the largest rest
    assert counts == {"GM0757": 25, "GM0824": 36, "GM0855": 10, "GM0865": 30 + 10}
    assert sum(counts.values()) == 101 + 10
    assert len(meldingen(ds, "Haaren (GM0788)", code="voormalige_gemeente")) == 2


def test_bad_shares_are_an_error_of_the_own_folder(tmp_path):
    shares = ("ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel\n"
              "2021-01-01,GM0788,Haaren,GM0757,Boxtel,0.5\n2021-01-01,GM0788,Haaren,GM0824,Oisterwijk,0.4\n")
    ds = opvangkern.load_dataset(haaren_2025(tmp_path, shares))
    problems = meldingen(ds, "indeling/", code="indeling_ongeldig")
    assert len(problems) == 1 and problems[0].is_error and "0.9" in problems[0].melding


# ---------------------------------------------------------------------------------------------- own indeling/


def own_2028(tmp_path: Path, indeling: str | None, blaricum_laren: str) -> Path:
    """A dataset that brings a 2028 division of its own: Blaricum and Laren merged into GM1999."""
    folder = tmp_path / "eigen"
    src = DATA / "2027"
    own = folder / "indeling" / "2028"
    shutil.copytree(src, own, ignore=shutil.ignore_patterns("geo", "indeling.toml"))
    lines = (src / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith(("GM0376,", "GM0417,"))]
    kept.append("GM1999,Laren-Blaricum,PV27,Noord-Holland,VR14,Gooi en Vechtstreek")
    (own / "gemeenten.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    aliases = [ln for ln in (src / "gemeenten-aliases.csv").read_text(encoding="utf-8").splitlines()
               if not ln.endswith((",GM0376", ",GM0417"))]
    (own / "gemeenten-aliases.csv").write_text("\n".join(aliases) + "\n", encoding="utf-8")
    write(folder, "indeling/herindelingen.csv",
          "ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel,voorlopig\n"
          "2028-01-01,GM0376,Blaricum,GM1999,Laren-Blaricum,,\n2028-01-01,GM0417,Laren,GM1999,Laren-Blaricum,,\n")
    line = f'indeling = "{indeling}"\n' if indeling else ""
    write(folder, "opvangkern.toml", f"""
[dataset]
naam = "Gooi en Vechtstreek 2028"
gebied = "VR14"
{line}
[[opgave]]
opgave = "asiel"
ingangsdatum = 2027-01-01
bestand = "opgaven/asiel-2027.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2028-01-01
bestand = "opgaven/asiel-2028.csv"

[[bron]]
bron = "coa"
bestand = "bronnen/coa.csv"
peildatum = 2028-03-31
""")
    write(folder, "opgaven/asiel-2027.csv", "Gemeente;Opgave\nBlaricum;40\nLaren;80\nHilversum;600\n")
    write(folder, "opgaven/asiel-2028.csv", f"Gemeente;Opgave\n{blaricum_laren};150\nHilversum;650\n")
    write(folder, "bronnen/coa.csv", "Gemeente;Locatie;Opvangvorm;Capaciteit\nLaren;Laren;regulier;30\n"
                                     "Hilversum;azc;regulier;400\n")
    return folder


def test_a_dataset_brings_its_own_division(tmp_path):
    before = sorted(p.name for p in DATA.iterdir())
    ds = opvangkern.open_dataset(own_2028(tmp_path, None, "Laren-Blaricum"))
    assert ds.division.name == "2028" and ds.indeling.eigen
    assert sorted(p.name for p in DATA.iterdir()) == before  # the package is untouched
    assert available_divisions()[-1] == "2027"
    dash = ds.dashboard()
    rows = {r["gemeentecode"]: r for r in dash.gemeenten.to_pylist()}
    assert "GM0376" not in rows and "GM0417" not in rows
    assert rows["GM1999"]["asiel_opgave"] == 150 and rows["GM1999"]["asiel_regulier"] == 30
    points = sorted((r["ingangsdatum"], r["aantal"]) for r in ds.opgaven.to_pylist() if r["gebied_code"] == "GM1999")
    assert points == [(D(2027, 1, 1), 40 + 80), (D(2028, 1, 1), 150)]
    assert card(dash, "VR14", "asiel")["indicatief_schema"] == 150 + 650
    assert len(meldingen(ds, "opgegaan in Laren-Blaricum (GM1999)", code="voormalige_gemeente")) == 3
    from opvangkern.output.html import render_html

    assert "Laren-Blaricum" in render_html(dash)  # a division without geo/: the page goes without a map
    assert CliRunner().invoke(cli, ["check", str(ds.folder)]).output.startswith(
        "Gemeentelijke indeling: 2028 (vanaf 1-1-2028, eigen indeling uit indeling/)")


def test_a_municipality_of_a_later_division_names_the_division_to_choose(tmp_path):
    ds = opvangkern.load_dataset(own_2028(tmp_path, "2027", "Laren-Blaricum"))
    errors = meldingen(ds, "Laren-Blaricum (GM1999)", code="gemeente_uit_latere_indeling")
    assert len(errors) == 1 and errors[0].is_error
    assert (errors[0].bestand, errors[0].rij, errors[0].waarde) == ("opgaven/asiel-2028.csv", 2, "Laren-Blaricum")
    assert 'indeling = "2028"' in errors[0].melding
    # the manifest's older division is also a fout: 2028 is settled, so 2027 would keep Laren's old target
    assert [m.is_error for m in meldingen(ds, code="indeling_verouderd")] == [True]


def test_a_broken_own_folder_is_an_error_not_a_crash(tmp_path):
    folder = own_2028(tmp_path, None, "Laren-Blaricum")
    (folder / "indeling" / "2028" / "gemeenten.csv").write_text("gemeentecode,gemeentenaam\nGM1,x\n", encoding="utf-8")
    ds = opvangkern.load_dataset(folder)
    assert any(m.is_error for m in meldingen(ds, code="indeling_ongeldig"))
    assert ds.division.name in ("2026", "2027")


@pytest.mark.parametrize("totaal, warned", [(342 * 10, False), (342 * 10 + 7, True)])
def test_a_national_decision_still_listing_wijdemeren_is_checked_against_its_total(tmp_path, totaal, warned):
    folder = tmp_path / "nl"
    lines = [f"{a.code};{a.naam};10" for a in load_division("2027").gemeenten] + ["GM1696;Wijdemeren;10"]
    write(folder, "opgaven/asiel-2027.csv", "Gemeentecode;Gemeente;Opgave\n" + "\n".join(lines) + "\n")
    write(folder, "opvangkern.toml", f"""
[dataset]
naam = "Nederland 2027"
indeling = "2027"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2027-01-01
bestand = "opgaven/asiel-2027.csv"
totaal = {totaal}
""")
    ds = opvangkern.load_dataset(folder)
    assert not ds.has_errors
    assert [m.waarde for m in ds.melding_list if "totaal van het verdeelbesluit" in m.melding] == (
        ["3.420"] if warned else [])
    assert {r["aantal"] for r in ds.opgaven.to_pylist() if r["gebied_code"] == "GM0402"} == {10 + 10}
