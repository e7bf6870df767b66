"""Issue 9: a dataset in the layouts of the real publications, read without editing the files.

Province Zeeland (PV29, one safety region VR19 of the same name). Every file is an XLSX workbook written
here with openpyxl, laid out as the publication is: title rows, the header wherever it falls, headers
with a period or date after the name, a subtotal row that is the bare province or region name, notes
under the table. The housing target comes from the TVS export itself (no quota files for
``vergunninghouders``). The expected figures are worked out below by plain arithmetic (SPEC §4); the
engine is never called for them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

import opvangkern
from opvangkern.dataset.load import load_dataset

D = dt.date

GEMEENTEN = [  # (code, name) of Zeeland's 13 municipalities
    ("GM0654", "Borsele"), ("GM0664", "Goes"), ("GM0677", "Hulst"), ("GM0678", "Kapelle"),
    ("GM0687", "Middelburg"), ("GM1695", "Noord-Beveland"), ("GM0703", "Reimerswaal"),
    ("GM1676", "Schouwen-Duiveland"), ("GM1714", "Sluis"), ("GM0715", "Terneuzen"), ("GM0716", "Tholen"),
    ("GM0717", "Veere"), ("GM0718", "Vlissingen"),
]
NAMES = [n for _, n in GEMEENTEN]

# asylum decision of 1 January 2025: in a workbook with the next decision beside it (picked by kolommen)
ASIEL_2025 = [310, 420, 180, 95, 560, 60, 170, 290, 190, 450, 210, 160, 520]
DECOY_2026 = [a + 1000 for a in ASIEL_2025]  # the other column: read by mistake, every figure would be off
# the Spreidingswet decision of 1 February 2026: asylum including AMV, with the AMV share
INCLUSIEF = [400, 520, 230, 120, 700, 80, 210, 360, 240, 560, 260, 200, 650]
WAARVAN = [20, 30, 10, 5, 40, 0, 10, 20, 10, 35, 15, 10, 30]
# TVS export 2025-II
TAAK = [14, 25, 12, 9, 30, 4, 13, 19, 13, 27, 15, 11, 29]
ACHTER = [5, -3, 4, 2, 10, 1, 6, 0, 3, 8, -2, 2, 9]
GEHUISVEST = [15, 20, 10, 11, 33, 2, 9, 16, 12, 30, 11, 14, 28]
# Nidos
NIDOS_OPGAVE = {"Middelburg": 15, "Vlissingen": 10, "Goes": 8, "Terneuzen": 12, "Schouwen-Duiveland": 5, "Sluis": 3}
NIDOS_PLEKKEN = {"Middelburg": 12, "Vlissingen": 8, "Goes": 6, "Terneuzen": 10, "Schouwen-Duiveland": 4}
# KCIO (Ukraine): capacity per municipality, target per safety region
KCIO = [("Middelburg", 300, 270), ("Goes", 150, 120), ("Terneuzen", 200, 150), ("Vlissingen", 120, 100)]
OEKRAINE_OPGAVE = 1200
# COA per location: (gemeente, locatie, type locatie, capaciteit, bezetting)
COA = [
    ("Middelburg", "azc Middelburg", "azc", 400, 380),
    ("Vlissingen", "Vlissingen Kleinschalig", "reguliere kleinschalige opvang", 60, 55),
    ("Goes", "NOL Goes", "NOL", 150, 140),
    ("Terneuzen", "Terneuzen uitgebreid", "locatie uitgebreid met noodopvang", 80, 70),
    ("Hulst", "Hulst kleinschalig", "kleinschalige noodopvang", 40, 38),
    ("Goes", "TGO Goes", "TGO", 45, 45),
    ("Middelburg", "KWV Middelburg", "kwv", 24, 20),
    ("Vlissingen", "Woonvoorziening Vlissingen", "kleinschalige woonvoorziening", 16, 16),
    ("Terneuzen", "AMV Terneuzen", "amv-opvang", 20, 18),
    ("Borsele", "Paviljoen Borsele", "Paviljoen", 30, 25),          # waarden: noodopvang
    ("Reimerswaal", "Crisisnoodopvang Reimerswaal", "crisisnoodopvang", 100, 90),  # not COA's: skipped
    ("Veere", "GOO Veere", "GOO", 50, 44),                          # not COA's: skipped
    ("Sluis", "Hotelboot Sluis", "Hotelboot", 70, 60),              # waarden: overslaan
]
COA_CATEGORY = {"azc": "regulier", "reguliere kleinschalige opvang": "regulier", "NOL": "noodopvang",
                "locatie uitgebreid met noodopvang": "noodopvang", "kleinschalige noodopvang": "noodopvang",
                "TGO": "tgo", "kwv": "amv", "kleinschalige woonvoorziening": "amv", "amv-opvang": "amv",
                "Paviljoen": "noodopvang"}

MANIFEST = """
[dataset]
naam = "Zeeland, echte exports"
gebied = "PV29"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/verdeling-asiel.xlsx"
kolommen = { "Opgave per 1 januari 2025" = "Opgave" }

[[opgave]]
opgave = "asiel"
ingangsdatum = 2026-02-01
bestand = "opgaven/spreidingsbesluit-zeeland.xlsx"
blad = "Zeeland"

[[opgave]]
opgave = "amv"
ingangsdatum = 2026-02-01
bestand = "opgaven/spreidingsbesluit-zeeland.xlsx"
blad = "Zeeland"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "opgaven/oekraine.xlsx"

[[opgave]]
opgave = "nidos_amv"
ingangsdatum = 2025-07-01
bestand = "opgaven/nidos.xlsx"

[[bron]]
bron = "coa"
bestand = "bronnen/coa.xlsx"
waarden = { "Paviljoen" = "noodopvang", "Hotelboot" = "overslaan" }

[[bron]]
bron = "kcio"
bestand = "bronnen/kcio.xlsx"

[[bron]]
bron = "tvs"
bestand = "bronnen/tvs.xlsx"

[[bron]]
bron = "nidos"
bestand = "bronnen/nidos.xlsx"
"""


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


def tvs_rows() -> list[list]:
    rows = [["Taakstelling huisvesting vergunninghouders, provincie Zeeland"], ["Stand per 1 januari 2026"], [],
            ["Gemeente", "Taakstelling tweede helft 2025", "Achterstand (+) / voorsprong (-) per 1-7-2025",
             "Gecorrigeerde taakstelling 2025-II", "Gehuisvest t/m 31-12-2025", "% gerealiseerd", "Nog te realiseren"]]
    for name, t, a, g in zip(NAMES, TAAK, ACHTER, GEHUISVEST):
        rows.append([name, t, a, t + a, g, round(100 * g / (t + a)), t + a - g])
    rows.append(["Totaal", sum(TAAK), sum(ACHTER), sum(TAAK) + sum(ACHTER), sum(GEHUISVEST), None,
                 sum(TAAK) + sum(ACHTER) - sum(GEHUISVEST)])
    rows += [[], ["Bron: COA, bewerking provincie Zeeland"], ["* Een negatieve achterstand is een voorsprong."]]
    return rows


def write_dataset(folder: Path, manifest: str = MANIFEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    write_xlsx(folder / "opgaven/verdeling-asiel.xlsx", {"Verdeling": [
        ["Verdeling asielopvang per gemeente"], ["Provincie Zeeland"], [],
        ["Gemeente", "Opgave per 1 januari 2025", "Opgave per 1 februari 2026"],
        *[[n, a, b] for n, a, b in zip(NAMES, ASIEL_2025, DECOY_2026)],
        ["Zeeland", sum(ASIEL_2025), sum(DECOY_2026)],
        [], ["Bron: ministerie van Justitie en Veiligheid"]]})
    write_xlsx(folder / "opgaven/spreidingsbesluit-zeeland.xlsx", {
        "Toelichting": [["Verdeelbesluit op grond van de Spreidingswet"], ["Zie het blad Zeeland."]],
        "Zeeland": [
            ["Verdeelbesluit Spreidingswet, provincie Zeeland"], ["Vastgesteld per 1 februari 2026"], [],
            ["Gemeentecode", "Gemeente", "Opgave (inclusief amv)", "Waarvan amv"],
            *[[c, n, i, w] for (c, n), i, w in zip(GEMEENTEN, INCLUSIEF, WAARVAN)],
            ["", "Zeeland", sum(INCLUSIEF), sum(WAARVAN)],
            [], ["Bron: ministerie van Justitie en Veiligheid"], ["* Amv: alleenstaande minderjarige vreemdelingen"],
            ["Toelichting"], ["", "De opgave geldt vanaf de ingangsdatum van het besluit."]]})
    write_xlsx(folder / "opgaven/oekraine.xlsx", {"Blad1": [
        ["Taakstelling opvang Oekraïners per veiligheidsregio"], [],
        ["Veiligheidsregio", "Taakstelling 2025"], ["Zeeland", OEKRAINE_OPGAVE], [], ["Bron: ministerie van JenV"]]})
    write_xlsx(folder / "opgaven/nidos.xlsx", {"Blad1": [
        ["Nidos: opgave kleinschalige opvang"], [], ["Gemeente", "Opgave per 1 juli 2025"],
        *[[n, v] for n, v in NIDOS_OPGAVE.items()], ["Totaal", sum(NIDOS_OPGAVE.values())], [], ["Bron: Nidos"]]})
    write_xlsx(folder / "bronnen/coa.xlsx", {"Locaties": [
        ["COA - Capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
        ["Gemeente", "Locatie", "Type locatie", "Capaciteit (stand 31-12-2025)", "Bezetting", "Bezettingsgraad"],
        *[[g, loc, t, c, b, f"{round(100 * b / c)}%"] for g, loc, t, c, b in COA],
        [], ["Bron: COA"], ["* Crisisnoodopvang en GOO zijn geen COA-plekken."]]})
    write_xlsx(folder / "bronnen/kcio.xlsx", {"GOO": [
        ["Gemeentelijke opvang Oekraïners (GOO)"], ["Stand per 31 december 2025"], [],
        ["Veiligheidsregio", "Gemeente", "Capaciteit", "Bezetting", "Bezetting (%)"],
        *[["Zeeland", g, c, b, round(100 * b / c)] for g, c, b in KCIO],
        ["Zeeland", "Zeeland", sum(c for _, c, _ in KCIO), sum(b for *_, b in KCIO), None],
        [], ["Bron: KCIO / ministerie van JenV"], ["Toelichting"], ["", "Capaciteit is het aantal plekken."]]})
    write_xlsx(folder / "bronnen/tvs.xlsx", {"TVS": tvs_rows()})
    write_xlsx(folder / "bronnen/nidos.xlsx", {"Nidos": [
        ["Nidos – kleinschalige opvang AMV"], ["Peildatum: 31-12-2025"], [],
        ["Gemeente", "Plekken (stand 31-12-2025)", "% van opgave"],
        *[[n, v, round(100 * v / NIDOS_OPGAVE[n])] for n, v in NIDOS_PLEKKEN.items()],
        ["Zeeland", sum(NIDOS_PLEKKEN.values()), None], [], ["Bron: Nidos"], ["* Percentage van de opgave."]]})
    return folder


def interp(d0: D, v0: float, d1: D, v1: float, at: D) -> float:
    if at <= d0:
        return v0
    if at >= d1:
        return v1
    return v0 + (v1 - v0) * (at - d0).days / (d1 - d0).days


def status(schema: float, realisatie: float) -> str:
    if schema == 0:
        return "geen_opgave"
    graad = realisatie / schema
    return "op_schema" if graad >= 1 else "licht_achter" if graad >= 0.75 else "achter"


@pytest.fixture(scope="module")
def zeeland(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("zeeland"))
    dataset = load_dataset(folder)
    return folder, dataset


def test_no_errors_and_no_false_warnings(zeeland):
    _, ds = zeeland
    assert [m.describe() for m in ds.melding_list] == []


def test_province_cards_by_plain_arithmetic(zeeland):
    _, ds = zeeland
    cards = {r["opgave"]: r for r in ds.dashboard().kaarten.to_pylist() if r["gebied_code"] == "PV29"}

    # asiel: 1-1-2025 from the picked column, 1-2-2026 = inclusief − waarvan amv; COA peildatum 31-12-2025
    start, end = sum(ASIEL_2025), sum(i - w for i, w in zip(INCLUSIEF, WAARVAN))
    schema = interp(D(2025, 1, 1), start, D(2026, 2, 1), end, D(2026, 1, 1))
    realised = sum(c for _, _, t, c, _ in COA if COA_CATEGORY.get(t) in ("regulier", "noodopvang", "tgo"))
    assert realised == 400 + 60 + 150 + 80 + 40 + 45 + 30
    a = cards["asiel"]
    assert (a["startpunt"], a["eindpunt"], a["realisatie"]) == (start, end, realised)
    assert a["indicatief_schema"] == pytest.approx(schema)
    assert a["status"] == status(schema, realised)

    # amv: one decision (waarvan amv), flat
    amv = cards["amv"]
    assert amv["eindpunt"] == sum(WAARVAN) and amv["indicatief_schema"] == sum(WAARVAN)
    assert amv["realisatie"] == 24 + 16 + 20

    # vergunninghouders: the TVS file's own line, backlog on 1-7-2025 → corrected target on 1-1-2026;
    # peildatum 1 January 2026 (the day after the period) belongs to 2025-II
    v = cards["vergunninghouders"]
    assert (v["startdatum"], v["startpunt"]) == (D(2025, 7, 1), sum(ACHTER))
    assert (v["einddatum"], v["eindpunt"]) == (D(2026, 1, 1), sum(TAAK) + sum(ACHTER))
    assert v["peildatum"] == D(2026, 1, 1)
    assert v["indicatief_schema"] == sum(TAAK) + sum(ACHTER)
    assert v["realisatie"] == sum(GEHUISVEST)  # never the % gerealiseerd column
    assert v["status"] == status(sum(TAAK) + sum(ACHTER), sum(GEHUISVEST))

    # oekraine: the region's target (header `Taakstelling 2025`), capacity not occupancy
    o = cards["oekraine"]
    assert o["indicatief_schema"] == OEKRAINE_OPGAVE and o["realisatie"] == sum(c for _, c, _ in KCIO)

    # nidos: header `Plekken (stand 31-12-2025)`, not the percentage beside it
    n = cards["nidos_amv"]
    assert n["indicatief_schema"] == sum(NIDOS_OPGAVE.values()) and n["realisatie"] == sum(NIDOS_PLEKKEN.values())


def test_municipality_figures_by_plain_arithmetic(zeeland):
    _, ds = zeeland
    rows = {r["gemeentenaam"]: r for r in ds.dashboard().gemeenten.to_pylist()}
    for i, name in enumerate(NAMES):
        row = rows[name]
        assert row["asiel_opgave"] == INCLUSIEF[i] - WAARVAN[i]
        assert row["amv_opgave"] == WAARVAN[i]
        assert row["vergunninghouders_opgave"] == TAAK[i] + ACHTER[i]
        assert row["vergunninghouders_realisatie"] == GEHUISVEST[i]
        assert row["vergunninghouders_delta"] == TAAK[i] + ACHTER[i] - GEHUISVEST[i]
    assert rows["Borsele"]["asiel_noodopvang"] == 30  # Paviljoen, through waarden
    assert rows["Reimerswaal"]["asiel_noodopvang"] in (None, 0)  # crisisnoodopvang is not COA's
    assert rows["Veere"]["asiel_regulier"] in (None, 0)  # GOO is not COA's
    assert rows["Goes"]["asiel_noodopvang"] == 150 and rows["Goes"]["asiel_tgo"] == 45
    assert rows["Middelburg"]["amv_realisatie"] == 24


def test_housing_points_in_opgaven(zeeland):
    _, ds = zeeland
    points = [r for r in ds.opgaven.to_pylist() if r["opgave"] == "vergunninghouders"]
    assert len(points) == 2 * len(NAMES)
    by_key = {(r["gebied_code"], r["ingangsdatum"]): r["aantal"] for r in points}
    for (code, _), t, a in zip(GEMEENTEN, TAAK, ACHTER):
        assert by_key[(code, D(2025, 7, 1))] == a
        assert by_key[(code, D(2026, 1, 1))] == t + a
    assert {r["bestand"] for r in points} == {"bronnen/tvs.xlsx"}


def test_reconciliation_counts_skipped_rows(zeeland):
    _, ds = zeeland
    coa = ds.file_stats["bronnen/coa.xlsx"]
    # 13 locations + 2 notes; crisisnoodopvang, GOO and the Hotelboot (overslaan) are skipped, as are the notes
    assert coa.rijen_gelezen == 15
    assert (coa.rijen_gebruikt, coa.rijen_overgeslagen, coa.rijen_afgewezen) == (10, 5, 0)
    assert coa.som == sum(c for _, _, t, c, _ in COA if t in COA_CATEGORY)
    kcio = ds.file_stats["bronnen/kcio.xlsx"]
    assert (kcio.rijen_gebruikt, kcio.totaalrijen, kcio.rijen_overgeslagen) == (4, 1, 3)
    besluit = ds.file_stats["opgaven/spreidingsbesluit-zeeland.xlsx"]
    assert besluit.totaalrijen == 1 and besluit.rijen_afgewezen == 0


def test_bare_region_subtotal_is_checked(tmp_path):
    folder = write_dataset(tmp_path / "z")
    rows = tvs_rows()
    path = folder / "bronnen/kcio.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["GOO"]
    for row in ws.iter_rows():
        if row[1].value == "Zeeland":
            row[2].value = 999  # the subtotal no longer adds up
    wb.save(path)
    ds = load_dataset(folder)
    [m] = ds.melding_list
    assert m.ernst.value == "waarschuwing" and "999" in m.melding and m.bestand == "bronnen/kcio.xlsx"
    assert rows  # the TVS file is untouched


def test_tvs_line_checked_against_quota_files(tmp_path):
    """With quota files for vergunninghouders, those are used; the file's differing figures are warned."""
    folder = tmp_path / "z"
    corrected = [t + a for t, a in zip(TAAK, ACHTER)]
    quota_end = list(corrected)
    quota_end[1] += 7  # Goes differs
    manifest = MANIFEST + """
[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "opgaven/vh-start.xlsx"

[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2026-01-01
bestand = "opgaven/vh-eind.xlsx"
"""
    write_dataset(folder, manifest)
    # a quota file holds no negative amounts: a voorsprong at the start is typed as 0 (Goes −3, Tholen −2)
    start = [max(a, 0) for a in ACHTER]
    write_xlsx(folder / "opgaven/vh-start.xlsx", {"B": [["Gemeente", "Opgave"], *[[n, a] for n, a in zip(NAMES, start)]]})
    write_xlsx(folder / "opgaven/vh-eind.xlsx", {"B": [["Gemeente", "Opgave"], *[[n, e] for n, e in zip(NAMES, quota_end)]]})
    ds = load_dataset(folder)
    warned = {m.melding.split(" (")[0]: m for m in ds.melding_list}
    assert set(warned) == {"Goes", "Tholen"}  # one warning per municipality that differs
    assert all(m.ernst.value == "waarschuwing" and m.code == "opgave_bron_wijkt_af" and m.bestand == "bronnen/tvs.xlsx"
               for m in warned.values())
    goes = warned["Goes"].melding
    assert f"{corrected[1]} op 01-01-2026 (opgavebestanden: {quota_end[1]})" in goes
    assert "-3 op 01-07-2025 (opgavebestanden: 0)" in goes
    points = [r for r in ds.opgaven.to_pylist() if r["opgave"] == "vergunninghouders"]
    assert {r["bestand"] for r in points} == {"opgaven/vh-start.xlsx", "opgaven/vh-eind.xlsx"}
    card = next(r for r in ds.dashboard().kaarten.to_pylist()
                if r["gebied_code"] == "PV29" and r["opgave"] == "vergunninghouders")
    assert card["eindpunt"] == sum(quota_end) and card["startpunt"] == sum(start)


def test_cli_check_and_dashboard(zeeland, tmp_path):
    from click.testing import CliRunner

    from opvangkern.cli import cli

    folder, _ = zeeland
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "0 fout(en), 0 waarschuwing(en)" in result.output
    assert "10 gebruikt" in result.output and "5 overgeslagen" in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "kaarten.csv").is_file()


def test_open_dataset_public_api(zeeland):
    folder, _ = zeeland
    ds = opvangkern.open_dataset(folder)
    assert ds.dashboard(gebied="Zeeland (PV)").kaarten.num_rows > 5
