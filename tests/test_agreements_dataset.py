"""Agreements (afspraken, SPEC §13) end to end: manifest entries and agreement files, their checks, and
what they do to the cards, the municipality table and the text view. Expected figures by hand."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern import tables
from opvangkern.output import textview
from opvangkern.errors import DataError
from opvangkern.numbers import round_half_away

DOCS = Path(__file__).parents[1] / "docs" / "afspraken.md"
FEB26 = dt.date(2026, 2, 1)
SHARE = 365 / 396  # the sample's peildatum 31-12-2025: 365 of the 396 days from 1-1-2025 to 1-2-2026


def dataset(tmp_path: Path, toml: str = "", files: dict[str, bytes] | None = None) -> Path:
    """A copy of the sample with ``toml`` appended to its manifest and ``files`` written beside it."""
    folder = tmp_path / "ds"
    shutil.copytree(opvangkern.sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    return folder


def agreement(**values) -> str:
    lines = ["[[afspraak]]"]
    for key, value in values.items():
        if isinstance(value, str):
            value = f'"{value}"'
        elif isinstance(value, dt.date):
            value = value.isoformat()
        lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def docs_agreements() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if "Emmen vangt" in b)


def cards(dash) -> dict[tuple[str, str], dict]:
    return {(r["gebied_naam"], r["opgave"]): r for r in dash.kaarten.to_pylist()}


def municipalities(dash) -> dict[str, dict]:
    return {r["gemeentenaam"]: r for r in dash.gemeenten.to_pylist()}


def codes(meldingen, ernst: str | None = None) -> list[str]:
    return [m.code for m in meldingen if ernst is None or m.ernst.value == ernst]


# --- the three kinds, figures by hand ------------------------------------------------------------


def check_three_kinds(dash, baseline) -> None:
    """The docs' three agreements: Tynaarlo → Assen 50 asiel; Emmen 20 asiel → 20 amv; Tynaarlo → Assen
    10 amv (Assen has no AMV target). Every line is flat from 1-1-2025 to 1-2-2026 in the sample."""
    got, before = cards(dash), cards(baseline)
    expected = {  # (area, task): (eindpunt before, net change)
        ("Tynaarlo", "asiel"): (278, -50), ("Assen", "asiel"): (1000, 50), ("Emmen", "asiel"): (725, -20),
        ("Emmen", "amv"): (50, 20), ("Tynaarlo", "amv"): (28, -10), ("Assen", "amv"): (0, 10),
        ("Drenthe", "asiel"): (4155, -50 + 50 - 20), ("Drenthe", "amv"): (341, 20 - 10 + 10),
    }
    for key, (end, change) in expected.items():
        card = got[key]
        assert card["afspraken"] == change, key
        assert card["eindpunt"] == end + change, key
        assert card["einddatum"] == FEB26
        assert card["indicatief_schema"] == pytest.approx(end + change * SHARE, abs=1e-9), key
        assert card["achterstand"] == pytest.approx(card["indicatief_schema"] - card["realisatie"], abs=1e-9)
        if key in before:  # the realisation does not change
            assert card["realisatie"] == before[key]["realisatie"]
            assert before[key]["afspraken"] is None
    assert ("Assen", "amv") not in before  # a new line: Assen had no AMV target
    assert got[("Assen", "amv")]["startpunt"] == 0.0
    assert got[("Assen", "amv")]["realisatie"] == 0 and got[("Assen", "amv")]["status"] == "achter"
    untouched = [k for k, c in got.items() if k not in expected]
    assert untouched and all(got[k]["afspraken"] is None for k in untouched)
    for key in untouched:
        assert got[key]["eindpunt"] == before[key]["eindpunt"]

    table = municipalities(dash)
    assert table["Tynaarlo"]["asiel_opgave"] == 228 and table["Tynaarlo"]["asiel_afspraken"] == -50
    assert table["Assen"]["asiel_opgave"] == 1050 and table["Assen"]["asiel_afspraken"] == 50
    assert table["Emmen"]["asiel_opgave"] == 705 and table["Emmen"]["asiel_afspraken"] == -20
    assert table["Emmen"]["amv_opgave"] == 70 and table["Emmen"]["amv_afspraken"] == 20
    assert table["Tynaarlo"]["amv_opgave"] == 18 and table["Tynaarlo"]["amv_afspraken"] == -10
    assert table["Assen"]["amv_opgave"] == 10 and table["Assen"]["amv_afspraken"] == 10
    assert table["Assen"]["amv_delta"] == 10  # no AMV realisation: counts 0
    assert table["Emmen"]["asiel_delta"] == 705 - (702 + 0 + 0)
    assert table["Hoogeveen"]["asiel_afspraken"] is None and table["Emmen"]["vergunninghouders_afspraken"] is None
    # the raw quota points stay as the files give them
    assert dash.opgaven.equals(baseline.opgaven)


def test_the_three_kinds_in_the_manifest(tmp_path):
    ds = opvangkern.open_dataset(dataset(tmp_path, docs_agreements()))
    assert codes(ds.melding_list) == []
    check_three_kinds(ds.dashboard(), opvangkern.open_dataset().dashboard())
    rows = ds.afspraken.to_pylist()
    assert [(r["opgave"], r["van_code"], r["naar_opgave"], r["naar_code"], r["aantal"], r["ingangsdatum"])
            for r in rows] == [("asiel", "GM1730", "asiel", "GM0106", 50.0, FEB26),
                               ("asiel", "GM0114", "amv", "GM0114", 20.0, FEB26),
                               ("amv", "GM1730", "amv", "GM0106", 10.0, FEB26)]
    assert rows[0]["omschrijving"] == "Assen neemt 50 asielplekken van Tynaarlo over"
    manifest = (tmp_path / "ds" / "opvangkern.toml").read_text(encoding="utf-8").splitlines()
    assert all(r["bestand"] == "opvangkern.toml" and manifest[r["rij"] - 1].startswith("[[afspraak]]") for r in rows)
    dash = ds.dashboard()
    assert dash.afspraken.equals(ds.afspraken)
    assert dash.tables()["afspraken"].num_rows == 3


def test_the_docs_table_shows_these_figures(tmp_path):
    """docs/afspraken.md's table of cards is what the dashboard gives."""
    dash = opvangkern.open_dataset(dataset(tmp_path, docs_agreements())).dashboard()
    got = cards(dash)
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("| gebied | opgave | eindpunt zonder afspraken"):].split("\n\n")[0].splitlines()[2:]
    assert len(table) == 8

    def number(cell: str) -> float | None:
        cell = cell.strip().replace(".", "").replace("−", "-").replace("+", "")
        return None if cell == "—" else float(cell)

    for line in table:
        gebied, opgave, before, change, end, schema = (c.strip() for c in line.strip("|").split("|"))
        card = got[(gebied, opgave)]
        assert (number(before) or 0) + number(change) == card["eindpunt"]
        assert number(change) == card["afspraken"]
        assert number(end) == card["eindpunt"]
        assert number(schema) == round_half_away(card["indicatief_schema"])


def xlsx(rows: list[list], title: str = "Afspraken") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


AGREEMENT_ROWS = [
    ["Afspraken provincie Drenthe"],                     # a title row
    ["Stand 1 december 2025"],
    [],
    ["Omschrijving", "Opgave", "Van", "Naar", "Naar opgave", "Aantal", "Ingangsdatum"],
    ["Assen neemt 50 asielplekken van Tynaarlo over", "asiel", "Tynaarlo", "Assen", None, 50, dt.datetime(2026, 2, 1)],
    ["Emmen: AMV in plaats van asiel", "Opvang Asiel", "GM0114", "Emmen", "Opvang AMV", 20, "1-2-2026"],
    [None, "amv", "Tynaarlo", "Assen", "", "10", "1 februari 2026"],
    ["Totaal", None, None, None, None, 80, None],
    [],
    ["Bron: provinciaal overleg, 1 december 2025"],      # a note under the table
]


def test_the_three_kinds_in_an_xlsx_file(tmp_path):
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.xlsx"\n',
                     {"afspraken.xlsx": xlsx(AGREEMENT_ROWS)})
    ds = opvangkern.open_dataset(folder)
    assert codes(ds.melding_list) == []
    check_three_kinds(ds.dashboard(), opvangkern.open_dataset().dashboard())
    assert [r["rij"] for r in ds.afspraken.to_pylist()] == [5, 6, 7]
    assert {r["bestand"] for r in ds.afspraken.to_pylist()} == {"afspraken.xlsx"}
    stats = ds.file_stats["afspraken.xlsx"]
    assert (stats.rijen_gelezen, stats.rijen_gebruikt, stats.totaalrijen, stats.rijen_afgewezen,
            stats.rijen_overgeslagen, stats.som) == (5, 3, 1, 0, 1, 80)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    block = result.output[result.output.index("afspraken.xlsx"):]
    assert ("rijen: 5 gelezen = 3 gebruikt + 1 totaalrij + 0 afgewezen + 1 overgeslagen; "
            "som van de afspraken: 80") in block


def test_the_three_kinds_in_a_csv_file(tmp_path):
    text = ("Omschrijving;Opgave;Van gemeente;Naar gemeente;Naar opgave;Aantal plekken;Ingangsdatum\r\n"
            "Assen neemt 50 asielplekken van Tynaarlo over;asiel;Tynaarlo;Assen;;50;01-02-2026\r\n"
            "Uitruil Emmen;asiel;Emmen;Emmen;amv;20;2026-02-01\r\n"
            ";amv;1730;106;;10;1 februari 2026\r\n"
            "* aantallen in plekken;;;;;;\r\n")
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.csv"\n',
                     {"afspraken.csv": text.encode("cp1252")})
    ds = opvangkern.open_dataset(folder)
    assert codes(ds.melding_list) == []
    check_three_kinds(ds.dashboard(), opvangkern.open_dataset().dashboard())
    assert ds.file_stats["afspraken.csv"].rijen_overgeslagen == 1


def test_the_sample_without_agreements_is_unchanged():
    ds = opvangkern.open_dataset()
    dash = ds.dashboard()
    assert ds.afspraken.num_rows == 0 and dash.afspraken.num_rows == 0
    assert dash.kaarten.column("afspraken").null_count == dash.kaarten.num_rows
    for task in ("asiel", "vergunninghouders", "amv", "nidos_amv"):
        assert dash.gemeenten.column(f"{task}_afspraken").null_count == dash.gemeenten.num_rows
    assert "afspraken" not in textview.render(dash.kaarten, dash.gemeenten, title="x")


# --- text view ------------------------------------------------------------------------------------


def test_the_text_cards_show_the_agreements_on_both_tasks(tmp_path):
    folder = dataset(tmp_path, docs_agreements())
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--gebied", "Emmen"])
    assert result.exit_code == 0, result.output
    asiel = result.output[result.output.index("## Opvang Asiel"):result.output.index("## Huisvesting")]
    amv = result.output[result.output.index("## Opvang AMV"):result.output.index("## Nidos")]
    assert "Eindpunt opgave                 705   1 februari 2026, waarvan afspraken -20" in asiel
    assert "Eindpunt opgave                  70   1 februari 2026, waarvan afspraken +20" in amv
    housing = result.output[result.output.index("## Huisvesting"):result.output.index("## Opvang AMV")]
    assert "afspraken" not in housing
    province = CliRunner().invoke(cli, ["dashboard", str(folder)]).output
    assert "waarvan afspraken -20" in province and "waarvan afspraken +20" in province
    assert "Eindpunt opgave               4.135   1 februari 2026, waarvan afspraken -20" in province


# --- checks (SPEC §13) ------------------------------------------------------------------------------


BASE = dict(omschrijving="test", opgave="asiel", van="Tynaarlo", naar="Assen", aantal=50, ingangsdatum=FEB26)


@pytest.mark.parametrize("change, code, kolom, waarde, hint", [
    ({"van": "Tynarlo"}, "afspraak_onbekend_gebied", "van", "Tynarlo", "Tynaarlo"),
    ({"naar": "Gemeente Nergenshuizen"}, "afspraak_onbekend_gebied", "naar", "Gemeente Nergenshuizen", "onbekend"),
    ({"van": "Drenthe"}, "afspraak_verkeerd_niveau", "van", "Drenthe", "geen gemeente"),
    ({"naar": "PV22"}, "afspraak_verkeerd_niveau", "naar", "PV22", "geen gemeente"),
    ({"opgave": "oekraine", "van": "Assen", "naar": "Groningen"}, "afspraak_verkeerd_niveau", "van", "Assen",
     "geen veiligheidsregio"),
    ({"aantal": 0}, "afspraak_aantal", "aantal", "0", "groter dan 0"),
    ({"aantal": -5}, "afspraak_aantal", "aantal", "-5", "groter dan 0"),
    ({"aantal": "veel"}, "afspraak_aantal", "aantal", "veel", "onleesbaar"),
    ({"ingangsdatum": dt.date(2026, 2, 2)}, "afspraak_na_laatste_punt", "ingangsdatum", "2026-02-02",
     "1 februari 2026"),
    ({"ingangsdatum": "morgen"}, "afspraak_ingangsdatum", "ingangsdatum", "morgen", "geen datum"),
    ({"opgave": "asyl"}, "afspraak_onbekende_opgave", "opgave", "asyl", "kies uit"),
    ({"naar_opgave": "statushouders2"}, "afspraak_onbekende_opgave", "naar_opgave", "statushouders2", "kies uit"),
    ({"opgave": "amv", "van": "Assen", "naar": "Emmen"}, "afspraak_zonder_opgave", "van", "Assen", "geen opgave amv"),
    ({"naar": "GM1730"}, "afspraak_zelfde_gebied", "naar", "GM1730", "hetzelfde gebied"),
])
def test_a_wrong_agreement_is_a_fout_that_says_where(tmp_path, change, code, kolom, waarde, hint):
    folder = dataset(tmp_path, agreement(**{**BASE, **change}))
    ds = opvangkern.load_dataset(folder)
    errors = [m for m in ds.melding_list if m.is_error]
    assert [m.code for m in errors] == [code], [str(m) for m in errors]
    melding = errors[0]
    assert melding.bestand == "opvangkern.toml" and melding.kolom == kolom and melding.waarde == waarde
    manifest = (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()
    assert manifest[melding.rij - 1] == "[[afspraak]]"
    assert hint in melding.melding
    assert ds.afspraken.num_rows == 0  # a wrong agreement never counts
    with pytest.raises(DataError):
        opvangkern.open_dataset(folder)
    result = CliRunner().invoke(cli, ["dashboard", str(folder)])
    assert result.exit_code == 1 and code not in result.output  # the Dutch message, not the code
    assert melding.melding in result.output


def test_a_wrong_row_in_a_file_names_file_sheet_row_column_and_value(tmp_path):
    rows = [r[:] for r in AGREEMENT_ROWS]
    rows[5][2] = "Emen"
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.xlsx"\n', {"afspraken.xlsx": xlsx(rows)})
    ds = opvangkern.load_dataset(folder)
    errors = [m for m in ds.melding_list if m.is_error]
    assert [(m.code, m.bestand, m.blad, m.rij, m.kolom, m.waarde) for m in errors] == [
        ("afspraak_onbekend_gebied", "afspraken.xlsx", "Afspraken", 6, "Van", "Emen")]
    assert "Emmen" in errors[0].melding  # the suggestion
    stats = ds.file_stats["afspraken.xlsx"]
    assert (stats.rijen_gebruikt, stats.rijen_afgewezen, stats.som) == (2, 1, 60)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1
    assert "rijen: 5 gelezen = 2 gebruikt + 1 totaalrij + 1 afgewezen + 1 overgeslagen" in result.output


def test_a_file_without_the_columns_or_missing_is_a_fout(tmp_path):
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.csv"\n[[afspraak]]\nbestand = "weg.csv"\n'
                               '[[afspraak]]\nbestand = "../buiten.csv"\n',
                     {"afspraken.csv": b"Van;Naar;Aantal\nTynaarlo;Assen;50\n"})
    (tmp_path / "buiten.csv").write_bytes(b"geheim")
    ds = opvangkern.load_dataset(folder)
    found = [(m.code, m.bestand) for m in ds.melding_list if m.is_error]
    assert found == [("afspraak_kopregel", "afspraken.csv"), ("afspraak_bestand", "weg.csv"),
                     ("afspraak_bestand", "../buiten.csv")]
    assert "Opgave" in ds.melding_list[0].melding and "Ingangsdatum" in ds.melding_list[0].melding
    assert not any("geheim" in str(m) for m in ds.melding_list)


def test_a_file_and_an_agreement_in_one_entry_is_a_fout(tmp_path):
    ds = opvangkern.load_dataset(dataset(tmp_path, '[[afspraak]]\nbestand = "a.csv"\nvan = "Tynaarlo"\n'))
    assert codes(ds.melding_list, "fout") == ["manifest_afspraak"]


def test_an_unknown_key_is_a_warning(tmp_path):
    ds = opvangkern.load_dataset(dataset(tmp_path, agreement(**BASE, datum="x")))
    assert codes(ds.melding_list) == ["manifest_onbekende_sleutel"]
    assert ds.afspraken.num_rows == 1


def test_a_target_that_becomes_negative_is_a_warning(tmp_path):
    # Borger-Odoorn's asylum target is 50; giving 60 leaves -10 from 1 February 2026.
    folder = dataset(tmp_path, agreement(**{**BASE, "van": "Borger-Odoorn", "aantal": 60}))
    ds = opvangkern.open_dataset(folder)
    warnings = [m for m in ds.melding_list if not m.is_error]
    assert [m.code for m in warnings] == ["afspraak_negatieve_opgave"]
    assert "-10" in warnings[0].melding and "Borger-Odoorn" in warnings[0].melding
    assert warnings[0].rij is not None and warnings[0].bestand == "opvangkern.toml"
    card = cards(ds.dashboard())[("Borger-Odoorn", "asiel")]
    assert card["eindpunt"] == 50 - 60 and card["afspraken"] == -60


def test_an_agreement_across_a_province_border_is_a_warning(tmp_path):
    # Tynaarlo (Drenthe) gives 50 asylum places to the municipality of Groningen (province Groningen).
    folder = dataset(tmp_path, agreement(**{**BASE, "naar": "Groningen"}))
    ds = opvangkern.open_dataset(folder)
    assert codes(ds.melding_list) == ["afspraak_over_provinciegrens"]
    assert "Groningen" in ds.melding_list[0].melding and "Drenthe" in ds.melding_list[0].melding
    dash = ds.dashboard()
    assert cards(dash)[("Drenthe", "asiel")]["afspraken"] == -50
    assert cards(dash)[("Drenthe", "asiel")]["eindpunt"] == 4155 - 50
    groningen = cards(ds.dashboard("GM0014"))[("Groningen", "asiel")]
    assert groningen["eindpunt"] == 50 and groningen["startpunt"] == 0 and groningen["afspraken"] == 50


def test_an_ukraine_agreement_between_safety_regions(tmp_path):
    # Ukraine targets are set per safety region: Drenthe (VR03, 5.138) gives 100 to Groningen (VR01, 3.147)
    # from 1 July 2026, the date of the second Ukraine decision. The peildatum lies before it: the schedule
    # moves by 100 × (334 days from 1-2-2025 to 1-1-2026) / (515 days to 1-7-2026).
    folder = dataset(tmp_path, agreement(omschrijving="regio's", opgave="oekraine", van="Drenthe",
                                         naar="Veiligheidsregio Groningen", aantal=100,
                                         ingangsdatum=dt.date(2026, 7, 1)))
    ds = opvangkern.open_dataset(folder)
    assert codes(ds.melding_list) == ["afspraak_over_provinciegrens"]
    card = cards(ds.dashboard())[("Drenthe", "oekraine")]
    assert card["eindpunt"] == 5138 - 100 and card["afspraken"] == -100
    assert card["indicatief_schema"] == pytest.approx(5138 - 100 * 334 / 515)


def test_the_same_file_twice_is_a_fout_and_counts_once(tmp_path):
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.xlsx"\n[[afspraak]]\nbestand = "afspraken.xlsx"\n',
                     {"afspraken.xlsx": xlsx(AGREEMENT_ROWS)})
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list, "fout") == ["afspraak_bestand"]
    assert "twee keer" in ds.melding_list[0].melding
    assert ds.afspraken.num_rows == 3


def test_one_agreement_written_twice_in_the_manifest_is_a_fout_naming_both_lines(tmp_path):
    once = agreement(**BASE)
    folder = dataset(tmp_path, once + once)
    ds = opvangkern.load_dataset(folder)
    [found] = [m for m in ds.melding_list if m.code == "afspraak_dubbel"]
    lines = (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()
    first, second = [i + 1 for i, line in enumerate(lines) if line == "[[afspraak]]"]
    assert found.is_error and found.bestand == "opvangkern.toml" and found.rij == second and found.waarde == "50"
    assert f"(opvangkern.toml, regel {first})" in found.melding and "aantal = 100" in found.melding
    assert "Tynaarlo (GM1730) naar Assen (GM0106)" in found.melding
    assert CliRunner().invoke(cli, ["dashboard", str(folder)]).exit_code == 1  # refused, not a doubled transfer


def test_one_agreement_in_the_manifest_and_again_in_a_file_is_a_fout_at_the_file_row(tmp_path):
    rows = AGREEMENT_ROWS[:4] + [AGREEMENT_ROWS[4]]
    written = dict(BASE, omschrijving=rows[4][0])
    folder = dataset(tmp_path, agreement(**written) + '[[afspraak]]\nbestand = "afspraken.xlsx"\n',
                     {"afspraken.xlsx": xlsx(rows)})
    [found] = [m for m in opvangkern.load_dataset(folder).melding_list if m.code == "afspraak_dubbel"]
    assert (found.bestand, found.blad, found.rij, found.kolom) == ("afspraken.xlsx", "Afspraken", 5, "aantal")


def test_two_agreements_alike_but_for_their_description_both_count(tmp_path):
    folder = dataset(tmp_path, agreement(**BASE) + agreement(**dict(BASE, omschrijving="tweede tranche")))
    ds = opvangkern.open_dataset(folder)
    assert "afspraak_dubbel" not in codes(ds.melding_list)
    assert ds.afspraken.num_rows == 2
    before = cards(opvangkern.open_dataset().dashboard())[("Assen", "asiel")]
    after = cards(ds.dashboard())[("Assen", "asiel")]
    assert after["eindpunt"] == before["eindpunt"] + 2 * 50 and after["afspraken"] == 100


# --- junk never crashes, never vanishes -------------------------------------------------------------

_JUNK = ["", "-", "n.v.t.", "asiel", "amv", "oekraine", "Tynaarlo", "Assen", "Drenthe", "GM1730", "VR03", "50",
         "-5", "0", "1.010", "12,5", "#N/A", "1-2-2026", "2026-02-01", "31-02-2026", "Totaal", "Bron: x", "* noot",
         "=1+1", "\x00", "é", "1e400", "Gemeente Assen"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_JUNK), min_size=7, max_size=7), max_size=8),
       st.sampled_from([";", ","]))
def test_junk_agreement_files_never_crash_and_every_row_is_accounted_for(sample_dataset, rows, sep):
    from opvangkern.dataset.agreements import read_agreements
    from opvangkern.dataset.manifest import AgreementEntry

    folder = sample_dataset
    header = ["Omschrijving", "Opgave", "Van", "Naar", "Naar opgave", "Aantal", "Ingangsdatum"]
    text = "\n".join(sep.join(f'"{c}"' if sep in c else c for c in row) for row in [header, *rows])
    (folder / "junk.csv").write_bytes(text.encode("utf-8"))
    ds = _SAMPLE[0]
    stats: dict = {}
    table, meldingen = read_agreements(folder, [AgreementEntry(bestand="junk.csv", regel=1)], ds.division,
                                       ds.opgaven, stats)
    if "junk.csv" in stats:
        s = stats["junk.csv"]
        assert s.rijen_gelezen == s.rijen_gebruikt + s.totaalrijen + s.rijen_afgewezen + s.rijen_overgeslagen
        assert s.rijen_gebruikt == table.num_rows
        assert s.som == sum(table.column("aantal").to_pylist())
    assert all(m.code for m in meldingen if m.bestand == "junk.csv" and m.rij is not None)
    assert all(a > 0 for a in table.column("aantal").to_pylist())


_SAMPLE: list = []


@pytest.fixture(scope="module")
def sample_dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("junk") / "ds"
    shutil.copytree(opvangkern.sample_path(), folder)
    _SAMPLE[:] = [opvangkern.open_dataset(folder)]
    return folder


def test_a_description_that_starts_with_totaal_is_still_an_agreement(tmp_path):
    rows = [AGREEMENT_ROWS[3], ["Totaal 50 plekken naar Assen", "asiel", "Tynaarlo", "Assen", None, 50, "1-2-2026"],
            ["Totaal", None, None, None, None, 50, None]]
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.xlsx"\n', {"afspraken.xlsx": xlsx(rows)})
    ds = opvangkern.open_dataset(folder)
    assert ds.afspraken.num_rows == 1 and ds.file_stats["afspraken.xlsx"].totaalrijen == 1
    assert codes(ds.melding_list) == []


def test_a_totals_row_that_does_not_match_is_a_warning(tmp_path):
    rows = [r[:] for r in AGREEMENT_ROWS]
    rows[7][5] = 90
    folder = dataset(tmp_path, '[[afspraak]]\nbestand = "afspraken.xlsx"\n', {"afspraken.xlsx": xlsx(rows)})
    ds = opvangkern.open_dataset(folder)
    assert [(m.code, m.rij, m.waarde) for m in ds.melding_list] == [("afspraak_totaalrij", 8, "90")]


def test_afspraken_in_the_plural_is_a_fout_not_a_silent_section(tmp_path):
    ds = opvangkern.load_dataset(dataset(tmp_path, agreement(**BASE).replace("[[afspraak]]", "[[afspraken]]")))
    assert codes(ds.melding_list) == ["manifest_afspraak"]
    assert "[[afspraak]]" in ds.melding_list[0].melding


def test_an_exchange_into_a_task_set_per_safety_region(tmp_path):
    # Emmen does 30 fewer asylum places and the safety region Drenthe 30 more Ukraine places, from 1 February
    # 2026. Asylum: 725 → 695 on 1-2-2026. Ukraine (points 1-2-2025 and 1-7-2026, both 5.138): its own point
    # on or after the date, 1-7-2026, rises to 5.168; the schedule at 1-1-2026 is 334 of 515 days on the way.
    folder = dataset(tmp_path, agreement(omschrijving="uitruil", opgave="asiel", van="Emmen", naar="Drenthe",
                                         naar_opgave="Opvang Oekraïne", aantal=30, ingangsdatum=FEB26))
    ds = opvangkern.open_dataset(folder)
    assert codes(ds.melding_list) == []
    assert ds.afspraken.to_pylist()[0]["naar_code"] == "VR03"
    got = cards(ds.dashboard())
    assert got[("Emmen", "asiel")]["eindpunt"] == 695 and got[("Emmen", "asiel")]["afspraken"] == -30
    ukraine = got[("Drenthe", "oekraine")]
    assert ukraine["eindpunt"] == 5168 and ukraine["afspraken"] == 30
    assert ukraine["indicatief_schema"] == pytest.approx(5138 + 30 * 334 / 515)
    assert got[("Drenthe", "asiel")]["afspraken"] == -30
    emmen = CliRunner().invoke(cli, ["dashboard", str(folder), "--gebied", "Emmen"]).output
    assert "5.168   1 juli 2026, waarvan afspraken +30" in emmen  # a municipality's Ukraine card is its region's


def test_a_long_value_is_cut_in_the_melding(tmp_path):
    ds = opvangkern.load_dataset(dataset(tmp_path, agreement(**{**BASE, "van": "x" * 5000})))
    (melding,) = ds.melding_list
    assert melding.code == "afspraak_onbekend_gebied"
    assert len(melding.waarde) == 100 and "x" * 101 not in melding.melding


# --- properties at the dashboard: the province keeps its line, a reverse cancels -----------------------

DRENTHE = ["GM1680", "GM0106", "GM1681", "GM0109", "GM1690", "GM0114", "GM0118", "GM0119", "GM1731", "GM1699",
           "GM1730", "GM1701"]
_random_agreements = st.lists(st.tuples(st.sampled_from(DRENTHE), st.sampled_from(DRENTHE), st.integers(1, 40),
                                        st.dates(dt.date(2024, 6, 1), FEB26)), min_size=1, max_size=6)


def _with(ds, rows):
    table = tables.from_rows(tables.AFSPRAKEN, [
        {"omschrijving": None, "opgave": "asiel", "van_code": van, "naar_opgave": "asiel", "naar_code": naar,
         "aantal": float(aantal), "ingangsdatum": day, "bestand": "x", "rij": i}
        for i, (van, naar, aantal, day) in enumerate(rows)])
    return attrs.evolve(ds, afspraken=table)


@settings(max_examples=30, deadline=None)
@given(_random_agreements)
def test_the_province_keeps_its_asylum_card_and_a_reverse_cancels(rows):
    ds = sample()
    baseline = cards(ds.dashboard())
    dash = _with(ds, rows).dashboard()
    province = cards(dash)[("Drenthe", "asiel")]
    for column in ("startpunt", "eindpunt", "indicatief_schema", "achterstand"):
        assert province[column] == pytest.approx(baseline[("Drenthe", "asiel")][column], abs=1e-9)
    assert province["afspraken"] == 0
    assert sum(r["asiel_afspraken"] or 0 for r in dash.gemeenten.to_pylist()) == 0
    reverse = [(naar, van, aantal, day) for van, naar, aantal, day in rows]
    both = cards(_with(ds, rows + reverse).dashboard())
    for key, card in baseline.items():
        assert both[key]["eindpunt"] == card["eindpunt"] and both[key]["indicatief_schema"] == card["indicatief_schema"]
        assert both[key]["afspraken"] in (None, 0)


@functools.lru_cache(maxsize=1)
def sample():
    return opvangkern.open_dataset()


def test_the_history_and_the_projection_use_the_lines_after_agreements(tmp_path):
    """SPEC §13: verloop and prognose are drawn on the same lines as the cards, agreements applied."""
    dash = opvangkern.open_dataset(dataset(tmp_path, docs_agreements())).dashboard()
    baseline = opvangkern.open_dataset().dashboard()
    last = {}
    for row in dash.verloop.to_pylist():
        last[(row["gebied_code"], row["opgave"])] = row
    for card in dash.kaarten.to_pylist():
        row = last[(card["gebied_code"], card["opgave"])]
        assert (row["peildatum"], row["indicatief_schema"], row["status"]) == (
            card["peildatum"], card["indicatief_schema"], card["status"])
    doel = {(r["gebied_code"], r["opgave"]): r["doel"] for r in dash.prognose.to_pylist()}
    before = {(r["gebied_code"], r["opgave"]): r["doel"] for r in baseline.prognose.to_pylist()}
    # Tynaarlo gives 50 asylum places to Assen: its deadline target drops by 50, Assen's rises by 50
    assert doel[("GM1730", "asiel")] == before[("GM1730", "asiel")] - 50
    assert doel[("GM0106", "asiel")] == before[("GM0106", "asiel")] + 50
