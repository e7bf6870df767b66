"""A merger on the day a half-year turns (eleventh session, fix11b).

Wijdemeren (GM1696) joins Hilversum (GM0402) on 1 January 2027, the same day the housing half-year 2026-II
turns to 2027-I. The dataset is grown as an analyst grows one over the merger: a COA, TVS and Nidos delivery at
the end of every month of 2026-II naming both municipalities (Wijdemeren by name and by code), a delivery "per
1 januari 2027", deliveries after the merger naming Hilversum only, decisions before the merger naming both and
decisions after it naming Hilversum including Wijdemeren. Every expected figure is plain arithmetic on the
figures written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset

D = dt.date
MONTHS_2026 = [D(2026, 7, 31), D(2026, 8, 31), D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30), D(2026, 12, 31)]
AFTER = [D(2027, 1, 31), D(2027, 2, 28)]
NEW_YEAR = D(2027, 1, 1)
CODES = {"Blaricum": "GM0376", "Gooise Meren": "GM1942", "Hilversum": "GM0402", "Huizen": "GM0406",
         "Laren": "GM0417", "Wijdemeren": "GM1696"}
OTHERS = ["Blaricum", "Gooise Meren", "Huizen", "Laren"]

# housing 2026-II: (taakstelling, achterstand begin periode); the corrected target is their sum
HOUSING_II = {"Blaricum": (5, 1), "Gooise Meren": (20, 5), "Hilversum": (30, 10), "Huizen": (15, 2),
              "Laren": (5, 0), "Wijdemeren": (10, 3)}
HOUSED_II = {"Blaricum": 6, "Gooise Meren": 20, "Hilversum": 35, "Huizen": 15, "Laren": 5, "Wijdemeren": 9}
TAAK_I = {"Blaricum": 6, "Gooise Meren": 22, "Hilversum": 45, "Huizen": 16, "Laren": 5}  # Hilversum incl. Wijdemeren
HOUSED_I = {AFTER[0]: {"Blaricum": 1, "Gooise Meren": 3, "Hilversum": 4, "Huizen": 2, "Laren": 0},
            AFTER[1]: {"Blaricum": 2, "Gooise Meren": 6, "Hilversum": 9, "Huizen": 4, "Laren": 1}}
ASIEL_2026 = {"Blaricum": 40, "Gooise Meren": 230, "Hilversum": 480, "Huizen": 170, "Laren": 45, "Wijdemeren": 125}
ASIEL_2027 = {"Blaricum": 40, "Gooise Meren": 240, "Hilversum": 600, "Huizen": 180, "Laren": 80}
NIDOS_2026 = {"Blaricum": 2, "Gooise Meren": 8, "Hilversum": 12, "Huizen": 6, "Laren": 2, "Wijdemeren": 5}
NIDOS_2027 = {"Blaricum": 2, "Gooise Meren": 9, "Hilversum": 20, "Huizen": 6, "Laren": 3}


def corrected_ii(g: str) -> int:
    return sum(HOUSING_II[g])


def backlog_i(g: str) -> int:
    """The 2027-I backlog: what 2026-II left, Hilversum's including Wijdemeren's."""
    parts = ["Hilversum", "Wijdemeren"] if g == "Hilversum" else [g]
    return sum(max(0, corrected_ii(p) - HOUSED_II[p]) for p in parts)


def housed_ii(g: str, month: int) -> int:
    """Housed in 2026-II by the end of month ``month`` (1 … 6): growing to the December figure."""
    return HOUSED_II[g] * month // 6


def coa(g: str, day: dt.date) -> int:
    """The asylum places of ``g`` on ``day`` (Hilversum's from 2027 on including the Loosdrecht location)."""
    base = {"Blaricum": 30, "Gooise Meren": 190, "Hilversum": 380, "Huizen": 150, "Laren": 40, "Wijdemeren": 100}
    step = (day.year - 2026) * 12 + day.month - 7
    if g == "Hilversum" and day >= NEW_YEAR:
        return base["Hilversum"] + base["Wijdemeren"] + 2 * step + step
    return base[g] + (2 if g == "Hilversum" else 1) * step


def nidos(g: str, day: dt.date) -> int:
    base = {"Blaricum": 1, "Gooise Meren": 6, "Hilversum": 9, "Huizen": 4, "Laren": 1, "Wijdemeren": 3}
    step = 1 if day >= D(2026, 10, 1) else 0
    if g == "Hilversum" and day >= NEW_YEAR:
        return base["Hilversum"] + base["Wijdemeren"] + 2 * step + 1
    return base[g] + step


def dmy(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def grow(tmp_path: Path, *, indeling: str | None = None, housing_files: bool = True, lagging: bool = False) -> Path:
    """The Gooi en Vechtstreek dataset grown over the merger (module doc). ``housing_files=False``: no quota
    files for the housing task, the TVS exports give its line. ``lagging``: the 2027-I backlog decision still
    names Wijdemeren (its own backlog beside Hilversum's, which is then Hilversum's part only)."""
    folder = tmp_path / "gooi"
    blocks = ["[dataset]", 'naam = "Gooi en Vechtstreek over de herindeling"', 'gebied = "VR14"']
    if indeling:
        blocks.append(f'indeling = "{indeling}"')
    blocks.append("")

    def opgave(task: str, day: str, name: str, text: str) -> None:
        write(folder, f"opgaven/{name}", text)
        blocks.extend(["[[opgave]]", f'opgave = "{task}"', f"ingangsdatum = {day}", f'bestand = "opgaven/{name}"', ""])

    def bron(source: str, name: str, text: str, peildatum: dt.date | None = None) -> None:
        write(folder, f"bronnen/{name}", text)
        blocks.extend(["[[bron]]", f'bron = "{source}"', f'bestand = "bronnen/{name}"'])
        if peildatum is not None:
            blocks.append(f"peildatum = {peildatum.isoformat()}")
        blocks.append("")

    both = list(CODES)
    after = [g for g in CODES if g != "Wijdemeren"]
    table = lambda figures, header="Opgave": ("Gemeentecode;Gemeente;" + header + "\n" + "".join(  # noqa: E731
        f"{CODES[g]};{g};{v}\n" for g, v in figures.items()))
    opgave("asiel", "2026-01-01", "asiel-2026-01-01.csv",
           "Verdeelbesluit asielopvang 2026\n;;\n" + table(ASIEL_2026))
    opgave("asiel", "2027-01-01", "asiel-2027-01-01.csv",
           "Verdeelbesluit asielopvang 2027 (nieuwe indeling)\n;;\n" + table(ASIEL_2027)
           + ";;\nToelichting: Hilversum inclusief het voormalige Wijdemeren.\n")
    opgave("nidos_amv", "2026-07-01", "nidos_amv-2026-07-01.csv", table(NIDOS_2026))
    opgave("nidos_amv", "2027-01-01", "nidos_amv-2027-01-01.csv", table(NIDOS_2027))
    if housing_files:
        # as the quota-files page says: the backlog on the half-year's first day, the corrected target on
        # the day after it; the 2026-II decisions name both municipalities, the 2027-I ones Hilversum only
        opgave("vergunninghouders", "2026-07-01", "vergunninghouders-2026-07-01.csv",
               table({g: HOUSING_II[g][1] for g in both}, "Taakstelling"))
        opgave("vergunninghouders", "2027-01-01", "vergunninghouders-2027-01-01.csv",
               table({g: corrected_ii(g) for g in both}, "Taakstelling"))
        backlogs = {g: backlog_i(g) for g in after}
        if lagging:
            backlogs["Hilversum"] = corrected_ii("Hilversum") - HOUSED_II["Hilversum"]
            backlogs["Wijdemeren"] = corrected_ii("Wijdemeren") - HOUSED_II["Wijdemeren"]
        opgave("vergunninghouders", "2027-01-01", "vergunninghouders-2027-01-01-achterstand.csv",
               table(backlogs, "Taakstelling"))
        opgave("vergunninghouders", "2027-07-01", "vergunninghouders-2027-07-01.csv",
               table({g: backlog_i(g) + TAAK_I[g] for g in after}, "Taakstelling"))

    def coa_file(day: dt.date, names: list[str]) -> str:
        lines = ["COA - Capaciteit en bezetting per opvanglocatie;;;;;", f"Peildatum: {dmy(day)};;;;;", ";;;;;",
                 "Gemeente;Gemeentecode;Locatie;Opvangvorm;Capaciteit;Bezetting"]
        for g in names:
            # Wijdemeren by name in one month, by code only (no name) in the next
            shown = "" if g == "Wijdemeren" and day.month % 2 else g
            lines.append(f"{shown};{CODES[g][2:]};azc {g};regulier;{coa(g, day)};{coa(g, day) - 5}")
        return "\n".join(lines) + "\n"

    def tvs_file(period: str, names: list[str], housed, figures) -> str:
        lines = ["Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd;"
                 "Nog te realiseren"]
        for g in names:
            taak, achter = figures[g]
            lines.append(f"{g};{period};{taak};{achter};{taak + achter};{housed[g]};{taak + achter - housed[g]}")
        return "\n".join(lines) + "\n"

    def nidos_file(day: dt.date, names: list[str]) -> str:
        return "Peildatum,Gemeentecode,Gemeente,Kleinschalige opvangplekken\n" + "".join(
            f"{dmy(day)},{CODES[g]},{g},{nidos(g, day)}\n" for g in names)

    figures_i = {g: (TAAK_I[g], backlog_i(g)) for g in after}
    for month, day in enumerate(MONTHS_2026, start=1):
        bron("coa", f"coa-{day}.csv", coa_file(day, both))
        bron("tvs", f"tvs-{day}.csv", tvs_file("2026-II", both, {g: housed_ii(g, month) for g in both}, HOUSING_II),
             day)
        bron("nidos", f"nidos-{day}.csv", nidos_file(day, both))
    # "Stand per 1 januari 2027": the last count of 2026-II, the monitor still lists both municipalities
    bron("tvs", f"tvs-{NEW_YEAR}.csv", tvs_file("2026-II", both, HOUSED_II, HOUSING_II), NEW_YEAR)
    bron("coa", f"coa-{NEW_YEAR}.csv", coa_file(NEW_YEAR, after))
    for day in AFTER:
        bron("coa", f"coa-{day}.csv", coa_file(day, after))
        bron("tvs", f"tvs-{day}.csv", tvs_file("2027-I", after, HOUSED_I[day], figures_i), day)
        bron("nidos", f"nidos-{day}.csv", nidos_file(day, after))
    write(folder, "opvangkern.toml", "\n".join(blocks) + "\n")
    return folder


# --- the expected figures, plain arithmetic ---------------------------------------------------------


def interpolate(day: dt.date, a: tuple[dt.date, float], b: tuple[dt.date, float]) -> float:
    if day <= a[0]:
        return a[1]
    if day >= b[0]:
        return b[1]
    return a[1] + (b[1] - a[1]) * (day - a[0]).days / (b[0] - a[0]).days


def members(code: str) -> list[str]:
    """The municipalities of the files that count for ``code`` in the 2027 division."""
    if code == "VR14":
        return list(CODES)
    name = next(g for g, c in CODES.items() if c == code)
    return ["Hilversum", "Wijdemeren"] if name == "Hilversum" else [name]


def latest(days: list[dt.date], p: dt.date) -> dt.date | None:
    found = [d for d in days if d <= p]
    return max(found) if found else None


def expected(code: str, opgave: str, p: dt.date) -> tuple[dt.date, float, float]:
    """(the card's peildatum, indicatief schema, realisatie) of ``code`` in the 2027 division on ``--peildatum p``."""
    names = members(code)
    if opgave == "asiel":
        day = latest(MONTHS_2026 + [NEW_YEAR] + AFTER, p)
        realised = sum(coa(g, day) for g in names if not (g == "Wijdemeren" and day >= NEW_YEAR))
        line = ((D(2026, 1, 1), sum(ASIEL_2026[g] for g in names)),
                (D(2027, 1, 1), sum(ASIEL_2027.get(g, 0) for g in names)))
        return day, interpolate(day + dt.timedelta(days=1), *line), realised
    if opgave == "nidos_amv":
        day = latest(MONTHS_2026 + AFTER, p)
        realised = sum(nidos(g, day) for g in names if not (g == "Wijdemeren" and day >= NEW_YEAR))
        line = ((D(2026, 7, 1), sum(NIDOS_2026[g] for g in names)),
                (D(2027, 1, 1), sum(NIDOS_2027.get(g, 0) for g in names)))
        return day, interpolate(day + dt.timedelta(days=1), *line), realised
    assert opgave == "vergunninghouders"
    day = latest(MONTHS_2026 + [NEW_YEAR] + AFTER, p)
    if day <= NEW_YEAR:  # 2026-II, the day after it included: both municipalities' own half-year
        month = MONTHS_2026.index(day) + 1 if day in MONTHS_2026 else 6
        realised = sum(housed_ii(g, month) for g in names)
        line = ((D(2026, 7, 1), sum(HOUSING_II[g][1] for g in names)),
                (D(2027, 1, 1), sum(corrected_ii(g) for g in names)))
        return day, interpolate(day + dt.timedelta(days=1), *line), realised
    kept = [g for g in names if g != "Wijdemeren"]
    realised = sum(HOUSED_I[day][g] for g in kept)
    line = ((D(2027, 1, 1), sum(backlog_i(g) for g in kept)),
            (D(2027, 7, 1), sum(backlog_i(g) + TAAK_I[g] for g in kept)))
    return day, interpolate(day + dt.timedelta(days=1), *line), realised


def last_point(code: str, opgave: str) -> float:
    """The amount of the task's last quota point (1 January or 1 July 2027): the merged Hilversum's own."""
    name = next(g for g, c in CODES.items() if c == code)
    return {"asiel": ASIEL_2027, "nidos_amv": NIDOS_2027}[opgave][name] if opgave != "vergunninghouders" \
        else backlog_i(name) + TAAK_I[name]


def own_period_end(code: str, opgave: str, day: dt.date) -> float:
    """The last point of the half-year the card of ``day`` belongs to (fix11a): a housing count up to 1 January
    2027 is 2026-II's, set against 2026-II's corrected target (Hilversum's with Wijdemeren's); later ones 2027-I's."""
    if opgave != "vergunninghouders" or day > NEW_YEAR:
        return last_point(code, opgave)
    name = next(g for g, c in CODES.items() if c == code)
    return sum(corrected_ii(g) for g in (["Hilversum", "Wijdemeren"] if name == "Hilversum" else [name]))


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")) \
        if ";" in path.read_text(encoding="utf-8-sig").splitlines()[0] else \
        list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


PEILDATA = [D(2026, 12, 31), NEW_YEAR, D(2027, 1, 2), None]
AREAS = ["VR14", "GM0402", "GM1942"]
TASKS = ["asiel", "vergunninghouders", "nidos_amv"]


@pytest.mark.parametrize("housing_files, lagging", [(True, False), (False, False), (True, True)],
                         ids=["besluiten", "tvs-lijn", "besluit-noemt-wijdemeren"])
@pytest.mark.parametrize("peildatum", PEILDATA, ids=lambda p: str(p or "standaard"))
def test_every_card_and_verloop_row_over_the_merger_is_the_right_sum(tmp_path, peildatum, housing_files, lagging):
    # Before: "per 1 januari 2027" Hilversum's housing card read 40 (Hilversum's 2026-II corrected target
    # alone) where 53 was right (Hilversum's 40 plus Wijdemeren's 13): the half-year's end kept on 2 January
    # for the turn counted the merged municipality without the one that joined it that day.
    folder = grow(tmp_path, housing_files=housing_files, lagging=lagging)
    ds = opvangkern.open_dataset(folder)
    assert ds.division.name == "2027"
    p = peildatum or AFTER[-1]
    dash = ds.dashboard("VR14", peildatum=peildatum)
    cards = {(r["gebied_code"], r["opgave"]): r for r in dash.kaarten.to_pylist()}
    for code in AREAS:
        for opgave in TASKS:
            day, schedule, realised = expected(code, opgave, p)
            got = cards[(code, opgave)]
            assert (got["peildatum"], got["realisatie"]) == (day, realised), (code, opgave)
            assert got["indicatief_schema"] == pytest.approx(schedule), (code, opgave, day)
    verloop = [r for r in dash.verloop.to_pylist() if r["gebied_code"] in AREAS and r["opgave"] in TASKS]
    assert verloop
    for row in verloop:
        day, schedule, realised = expected(row["gebied_code"], row["opgave"], row["peildatum"])
        assert day == row["peildatum"]
        assert row["realisatie"] == realised, row
        assert row["indicatief_schema"] == pytest.approx(schedule), row
    gemeenten = {r["gemeentecode"]: r for r in dash.gemeenten.to_pylist()}
    assert "GM1696" not in gemeenten
    for code in ("GM0402", "GM1942"):
        for opgave in TASKS:
            day, _, realised = expected(code, opgave, p)
            column = "asiel_regulier" if opgave == "asiel" else f"{opgave}_realisatie"  # every COA row is regulier
            assert gemeenten[code][column] == realised, (code, opgave)
            assert gemeenten[code][f"{opgave}_opgave"] == own_period_end(code, opgave, day), (code, opgave)


@pytest.mark.parametrize("lagging", [False, True], ids=["nieuwe-lijst", "noemt-wijdemeren"])
def test_the_1_january_card_of_hilversum_holds_wijdemerens_half_year(tmp_path, lagging):
    folder = grow(tmp_path, lagging=lagging)
    got = next(r for r in opvangkern.open_dataset(folder).dashboard("GM0402", peildatum=NEW_YEAR).kaarten.to_pylist()
               if r["opgave"] == "vergunninghouders")
    assert got["indicatief_schema"] == corrected_ii("Hilversum") + corrected_ii("Wijdemeren") == 53
    assert got["eindpunt"] == 53


@pytest.mark.parametrize("peildatum", ["2026-12-31", "2027-01-01", "2027-01-02", None])
def test_check_and_dashboard_on_the_command_line(tmp_path, peildatum):
    folder = grow(tmp_path)
    extra = ["--peildatum", peildatum] if peildatum else []
    result = CliRunner().invoke(cli, ["check", str(folder)])  # check takes the whole history, no peildatum
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--gebied", "VR14", "--format", "csv", "-o", str(out),
                                      *extra])
    assert result.exit_code == 0, result.output
    p = dt.date.fromisoformat(peildatum) if peildatum else AFTER[-1]
    cards = {(r["gebied_code"], r["opgave"]): r for r in csv_rows(out / "kaarten.csv")}
    for code in AREAS:
        for opgave in TASKS:
            _, schedule, realised = expected(code, opgave, p)
            got = cards[(code, opgave)]
            assert float(got["indicatief_schema"].replace(",", ".")) == pytest.approx(schedule, abs=1e-6)
            assert float(got["realisatie"].replace(",", ".")) == realised


def test_the_opgaven_table_holds_hilversums_summed_line(tmp_path):
    folder = grow(tmp_path)
    opgaven = load_dataset(folder).opgaven.to_pylist()
    line = sorted((r["ingangsdatum"], r["aantal"]) for r in opgaven
                  if r["gebied_code"] == "GM0402" and r["opgave"] == "vergunninghouders")
    assert "GM1696" not in {r["gebied_code"] for r in opgaven}
    both = ("Hilversum", "Wijdemeren")
    assert line[0] == (D(2026, 7, 1), sum(HOUSING_II[g][1] for g in both))
    assert (NEW_YEAR, sum(corrected_ii(g) for g in both)) in line
    assert (NEW_YEAR + dt.timedelta(days=1), sum(corrected_ii(g) for g in both)) in line
    assert line[-1] == (D(2027, 7, 1), backlog_i("Hilversum") + TAAK_I["Hilversum"])


def test_in_the_2026_division_the_decisions_after_the_merger_are_a_fout(tmp_path):
    folder = grow(tmp_path, indeling="2026")
    meldingen = load_dataset(folder).meldingen.to_pylist()
    found = {m["code"] for m in meldingen if m["ernst"] == "fout"}
    assert "opgave_na_herindeling" in found
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code != 0


# --- a former municipality without an amount in a decision after the merger --------------------------------


def test_municipality_dates_takes_a_former_municipalitys_row_without_an_amount_as_no_target():
    # Before: a TypeError (``dutch_exact(None)``) for Wijdemeren listed alone, without an amount, in a decision
    # dated after the merger. A row without an amount is no target (docs/quota-files.md): not looked at.
    from opvangkern import tables
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset import quota_checks

    rows = [{"opgave": "asiel", "gebied_code": code, "gebied_niveau": "gemeente", "ingangsdatum": D(2027, 2, 1),
             "aantal": amount, "bestand": "opgaven/asiel-2027-02-01.csv", "blad": None, "rij": rij}
            for code, amount, rij in (("GM0376", 41.0, 2), ("GM1696", None, 3))]
    opgaven = tables.from_rows(tables.OPGAVEN, rows)
    mapping = Divisions.shipped().mapping("2027")
    for on_demand in (True, False):
        quota_checks.ROWS_ON_DEMAND = on_demand
        try:
            kept, found = quota_checks.municipality_dates(opgaven, mapping)
        finally:
            quota_checks.ROWS_ON_DEMAND = True
        assert kept.to_pylist() == opgaven.to_pylist() and found == []


def gooi_with_a_february_decision(tmp_path: Path, cell: str, ext: str) -> Path:
    """The Gooi en Vechtstreek 2027 fixture with a decision of 1 February 2027 that lists Blaricum (41) and
    Wijdemeren with ``cell`` for its amount."""
    import shutil

    folder = tmp_path / "gooi"
    shutil.copytree(Path(__file__).parent / "fixtures" / "gooi-en-vechtstreek-2027", folder)
    rows = [("GM0376", "Blaricum", 41), ("GM1696", "Wijdemeren", cell)]
    name = f"opgaven/asiel-2027-02-01.{ext}"
    if ext == "csv":
        write(folder, name, "Gemeentecode;Gemeente;Opgave\n" + "".join(f"{c};{g};{v}\n" for c, g, v in rows))
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Opgave"
        sheet.append(["Gemeentecode", "Gemeente", "Opgave"])
        for c, g, v in rows:
            sheet.append([c, g, v or None])
        book.save(folder / name)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + textwrap.dedent(f"""
        [[opgave]]
        opgave = "asiel"
        ingangsdatum = 2027-02-01
        bestand = "{name}"
        """), encoding="utf-8")
    return folder


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize("cell", ["", "-", "n.v.t."])
def test_a_former_municipality_without_an_amount_after_the_merger_is_no_target(tmp_path, cell, ext):
    folder = gooi_with_a_february_decision(tmp_path, cell, ext)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0 and result.exception is None, result.output
    meldingen = [m for m in load_dataset(folder).meldingen.to_pylist()
                 if m["bestand"] == f"opgaven/asiel-2027-02-01.{ext}"]
    assert [(m["code"], m["rij"]) for m in meldingen] == [("voormalige_gemeente", 3)]  # the row is named
    kaarten = {r["gebied_code"]: r for r in opvangkern.open_dataset(folder).dashboard("VR14").kaarten.to_pylist()
               if r["opgave"] == "asiel"}
    # Hilversum keeps the 2027 decision's 600 (the fixture's figure, including Wijdemeren); Blaricum runs from
    # 40 (1 January) to 41 (1 February) and stays there on 31 March
    assert kaarten["GM0402"]["indicatief_schema"] == 600
    assert kaarten["GM0376"]["indicatief_schema"] == 41



# --- further cases an analyst meets over the merger ---------------------------------------------------------


def test_a_row_hilversum_incl_wijdemeren_is_refused_with_the_waarden_line_that_reads_it(tmp_path):
    # Before: "Onbekende gemeente … Bedoelt u: Wijdemeren?" (in the 2026 division that would count the merged
    # figure for Wijdemeren). Now Hilversum first, and the waarden line; with it the figure is Hilversum's.
    folder = grow(tmp_path)
    name = f"bronnen/coa-{AFTER[-1]}.csv"
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace("\nHilversum;", "\nHilversum (incl. Wijdemeren);"),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1
    [fout] = [m for m in load_dataset(folder).meldingen.to_pylist() if m["ernst"] == "fout"]
    assert (fout["bestand"], fout["kolom"], fout["waarde"]) == (name, "Gemeente", "Hilversum (incl. Wijdemeren)")
    line = 'waarden = { "Hilversum (incl. Wijdemeren)" = "Hilversum" }'
    assert "Bedoelt u: Hilversum, " in fout["melding"] and line in fout["melding"]
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f'bestand = "{name}"\n', f'bestand = "{name}"\n{line}\n'), encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0
    got = next(r for r in opvangkern.open_dataset(folder).dashboard("GM0402").kaarten.to_pylist()
               if r["opgave"] == "asiel")
    assert got["realisatie"] == coa("Hilversum", AFTER[-1])


def test_a_file_after_the_merger_with_both_rows_counts_wijdemeren_once_for_hilversum(tmp_path):
    # A lagging COA list that still has a Wijdemeren location beside Hilversum's: both count for Hilversum
    # (each row once), with the reader's warning at the row.
    folder = grow(tmp_path)
    path = folder / "bronnen" / f"coa-{AFTER[-1]}.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Wijdemeren;1696;azc Loosdrecht;regulier;77;70\n",
                    encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["bestand"] == f"bronnen/coa-{AFTER[-1]}.csv"]
    assert {m["code"] for m in found} == {"voormalige_gemeente"} and {m["rij"] for m in found} == {10}
    dash = opvangkern.open_dataset(folder).dashboard("VR14")
    got = next(r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "GM0402" and r["opgave"] == "asiel")
    region = next(r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "VR14" and r["opgave"] == "asiel")
    assert got["realisatie"] == coa("Hilversum", AFTER[-1]) + 77
    assert region["realisatie"] == sum(coa(g, AFTER[-1]) for g in CODES if g != "Wijdemeren") + 77


def test_an_agreement_across_the_merger_moves_the_amount_to_hilversum_and_keeps_the_region(tmp_path):
    folder = grow(tmp_path)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + textwrap.dedent("""
        [[afspraak]]
        omschrijving = "Wijdemeren neemt 10 asielplekken van Blaricum over"
        opgave = "asiel"
        van = "Blaricum"
        naar = "Wijdemeren"
        aantal = 10
        ingangsdatum = 2026-07-01
        """), encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0
    assert "voormalige_gemeente" in {m["code"] for m in load_dataset(folder).meldingen.to_pylist()
                                     if m["bestand"] == "opvangkern.toml"}
    cards = {r["gebied_code"]: r for r in opvangkern.open_dataset(folder).dashboard("VR14", peildatum=D(2026, 12, 31))
             .kaarten.to_pylist() if r["opgave"] == "asiel"}
    # the only point on or after 1 July 2026 is 1 January 2027, which the peildatum 31 December reads
    assert cards["GM0376"]["indicatief_schema"] == ASIEL_2027["Blaricum"] - 10
    assert cards["GM0402"]["indicatief_schema"] == ASIEL_2027["Hilversum"] + 10
    assert cards["VR14"]["indicatief_schema"] == sum(ASIEL_2027.values())


@pytest.mark.parametrize("day, division, wijdemeren", [("2027-01-01", "2027", False), ("2026-12-31", None, True)])
def test_init_for_a_province_on_the_merger_day_lists_the_municipalities_of_that_day(tmp_path, day, division,
                                                                                     wijdemeren):
    import openpyxl

    folder = tmp_path / "nh"
    result = CliRunner().invoke(cli, ["init", str(folder), "--gebied", "Noord-Holland", "--ingangsdatum", day])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(folder / "opgaven" / f"asiel-{day}.xlsx").active
    names = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert ("Wijdemeren" in names) is wijdemeren and "Hilversum" in names
    text = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    assert (f'indeling = "{division}"' in text) if division else ("\nindeling =" not in text)
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0


def test_two_decisions_on_the_merger_day_that_are_a_correction_do_not_turn_wijdemeren():
    # Two housing decisions on 1 January 2027 and none after: a correction for every municipality (the later
    # counts), Wijdemeren included; it turns only where the same two decisions turn for the others.
    from opvangkern import tables
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset import quota_checks

    def point(code, day, amount, bestand):
        return {"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente", "ingangsdatum": day,
                "aantal": amount, "bestand": bestand, "blad": None, "rij": 2}

    rows = [point(c, D(2026, 7, 1), 3.0, "a.csv") for c in ("GM0402", "GM1696")]
    rows += [point(c, NEW_YEAR, a, "concept.csv") for c, a in (("GM0402", 40.0), ("GM1696", 13.0))]
    rows += [point(c, NEW_YEAR, a, "definitief.csv") for c, a in (("GM0402", 41.0), ("GM1696", 12.0))]
    opgaven = tables.from_rows(tables.OPGAVEN, rows)
    kept, found = quota_checks.housing_turns(opgaven, Divisions.shipped().mapping("2027"))
    assert kept.to_pylist() == opgaven.to_pylist() and found == []
