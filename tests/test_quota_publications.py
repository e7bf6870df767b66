"""Quota decisions as the ministries publish them, manifests as analysts write them, mergers between
decisions (hardening, sixth session). Each case goes through the public entry points (``opvangkern check``
/ ``dashboard`` via click, ``load_dataset``/``open_dataset``); the expected figure is plain arithmetic here,
or the exact melding (code, file, sheet, row, column, value) with the exit code."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset

COA = Path(opvangkern.sample_path()) / "bronnen" / "coa-2025-12-31.csv"  # peildatum 31-12-2025


def make(tmp_path: Path, manifest: str, files: dict[str, object]) -> Path:
    """A dataset folder: ``manifest`` (after a ``[dataset]`` header) and the sample's COA file of 31-12-2025."""
    folder = tmp_path / "ds"
    (folder / "bronnen").mkdir(parents=True)
    shutil.copy(COA, folder / "bronnen" / "coa.csv")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            path.write_text(textwrap.dedent(str(content)).lstrip("\n"), encoding="utf-8")
    text = '[dataset]\nnaam = "proef"\n' + textwrap.dedent(manifest).lstrip("\n")
    text += '\n[[bron]]\nbron = "coa"\nbestand = "bronnen/coa.csv"\n'
    (folder / "opvangkern.toml").write_text(text, encoding="utf-8")
    return folder


def quota(opgave: str, day: str, bestand: str, extra: str = "") -> str:
    return f'\n[[opgave]]\nopgave = "{opgave}"\ningangsdatum = {day}\nbestand = "{bestand}"\n{extra}\n'


def meldingen(folder: Path, code: str | None = None) -> list[dict]:
    rows = load_dataset(folder).meldingen.to_pylist()
    return [m for m in rows if code is None or m["code"] == code]


def points(folder: Path, opgave: str = "asiel") -> list[tuple[str, dt.date, float]]:
    table = load_dataset(folder).opgaven
    return [(r["gebied_code"], r["ingangsdatum"], r["aantal"]) for r in table.to_pylist() if r["opgave"] == opgave]


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output


def card(folder: Path, gebied: str, code: str, opgave: str = "asiel") -> dict:
    kaarten = opvangkern.open_dataset(folder).dashboard(gebied).kaarten.to_pylist()
    return next(r for r in kaarten if r["gebied_code"] == code and r["opgave"] == opgave)


# --- a ministry CSV: title rows, a period header, a share column, subtotals, notes ----------------

MINISTRY_CSV = """
Verdeelbesluit asielopvang 2026;;;
Taakstelling per gemeente, vastgesteld 15 januari 2026;;;
;;;
Gemeentecode;Gemeente;Taakstelling 1e helft 2026;Aandeel
GM1680;Aa en Hunze;87;0,37%
106;Assen;1.000;4,2%
Drenthe;;1.087;
0109;Coevorden;12,5;1,9%
GM0114;Emmen;-;
Totaal;;1.099,5;
;;;
Bron: ministerie van JenV;;;
* cijfers afgerond;;;
"""


def test_a_ministry_csv_gives_the_figures_and_checks_its_subtotals(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": MINISTRY_CSV})
    day = dt.date(2026, 1, 1)
    # the share column is no amount; '-' is no target (no point); 106 and 0109 are codes without GM
    assert points(folder) == [("GM1680", day, 87.0), ("GM0106", day, 1000.0), ("GM0109", day, 12.5)]
    found = meldingen(folder)
    assert [(m["code"], m["ernst"], m["bestand"], m["rij"], m["kolom"], m["waarde"]) for m in found] == [
        ("totaalrij_klopt_niet", "waarschuwing", "opgaven/a.csv", 7, "Taakstelling 1e helft 2026", "1.087")]
    assert "1.099,5" in found[0]["melding"]  # the subtotal 'Drenthe' covers every Drenthe row: 87 + 1000 + 12,5
    code, out = check(folder)
    assert code == 0 and "som van de opgaven: 1.099,5" in out


def ministry_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verdeling"
    ws["A1"] = "Verdeelbesluit opvang asielzoekers"
    ws["A2"] = "Taakstelling per gemeente per 1 februari 2026"
    ws.append([])
    ws.append(["Provincie", "CBS-code", "Gemeentenaam", "Inwoners", "Aandeel", "Opgave (aantal) 2026"])
    ws.append(["Drenthe", 106, "Assen", 68000, 0.0037, 1000])
    ws.append([None, 109, "Coevorden", 35000, 0.0019, 450.0])
    ws.append([None, 114, "Emmen", 107000, 0.005, "1.010"])
    ws.merge_cells("A5:A7")
    ws.append(["Totaal Drenthe", None, None, None, None, 2460])
    ws.append([])
    ws.append(["Bron: ministerie van Justitie en Veiligheid"])
    wb.save(path)


def test_a_header_the_reader_does_not_know_is_a_fout_until_kolommen_names_it(tmp_path):
    entry = quota("asiel", "2026-02-01", "opgaven/a.xlsx")
    folder = make(tmp_path, entry, {"opgaven/a.xlsx": ministry_xlsx})
    code, out = check(folder)
    assert code == 1
    [fout] = meldingen(folder, "verplichte_kolom_ontbreekt")
    assert (fout["bestand"], fout["blad"], fout["rij"]) == ("opgaven/a.xlsx", "Verdeling", 4)
    assert 'kolommen = { "Opgave (aantal) 2026" = "Opgave" }' in fout["melding"]  # says how to fix it
    folder = make(tmp_path / "b", quota("asiel", "2026-02-01", "opgaven/a.xlsx",
                                        'kolommen = { "Opgave (aantal) 2026" = "Opgave" }'),
                  {"opgaven/a.xlsx": ministry_xlsx})
    day = dt.date(2026, 2, 1)
    assert points(folder) == [("GM0106", day, 1000.0), ("GM0109", day, 450.0), ("GM0114", day, 1010.0)]
    assert meldingen(folder) == []  # 1000 + 450 + 1010 = 2460: the subtotal fits


# --- two decisions on one date ---------------------------------------------------------------------


def test_two_decisions_on_one_date_the_later_counts_quietly(tmp_path):
    files = {"opgaven/a.csv": "Gemeente;Opgave\nAssen;10\nEmmen;20\n", "opgaven/b.csv": "Gemeente;Opgave\nAssen;30\n"}
    folder = make(tmp_path, quota("asiel", "2025-06-01", "opgaven/a.csv") + quota("asiel", "2025-06-01",
                                                                                   "opgaven/b.csv"), files)
    assert meldingen(folder) == []  # a concept and the definitive decision (as tests/test_heldout.py)
    assert card(folder, "PV22", "GM0106")["eindpunt"] == 30.0  # the later in the manifest (SPEC §4)
    assert card(folder, "PV22", "GM0114")["eindpunt"] == 20.0
    assert card(folder, "PV22", "PV22")["eindpunt"] == 30.0 + 20.0
    assert check(folder)[0] == 0


def test_two_decisions_on_one_date_that_agree_or_cover_other_areas_are_quiet(tmp_path):
    files = {"opgaven/a.csv": "Gemeente;Opgave\nAssen;10\n", "opgaven/b.csv": "Gemeente;Opgave\nAssen;10\nEmmen;5\n"}
    folder = make(tmp_path, quota("asiel", "2025-06-01", "opgaven/a.csv") + quota("asiel", "2025-06-01",
                                                                                   "opgaven/b.csv"), files)
    assert meldingen(folder) == []


# --- kolommen and waarden as analysts write them ---------------------------------------------------


@pytest.mark.parametrize("extra, waarde", [
    ('waarden = { "GR West" = "Assen", "gr west" = "overslaan" }', "gr west"),
    ('kolommen = { "Taak A" = "Opgave", "taak  a" = "Gemeente" }', "taak  a"),
])
def test_one_key_twice_with_two_targets_is_a_fout(tmp_path, extra, waarde):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv", extra),
                  {"opgaven/a.csv": "Gemeente;Taak A;Opgave\nGR West;1;10\nAssen;2;3\n"})
    code, out = check(folder)
    assert code == 1
    [fout] = meldingen(folder, "manifest_koppeling_dubbel")
    assert (fout["ernst"], fout["bestand"], fout["rij"], fout["waarde"]) == ("fout", "opvangkern.toml", 3, waarde)
    assert points(folder) == []  # the entry is refused, not read with one of the two


def test_one_key_twice_with_one_target_is_one_key(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv",
                                  'waarden = { "GR West" = "overslaan", "gr-west" = "Overslaan" }'),
                  {"opgaven/a.csv": "Gemeente;Opgave\nGR West;10\nAssen;3\n"})
    assert points(folder) == [("GM0106", dt.date(2026, 1, 1), 3.0)]
    assert meldingen(folder) == []


# --- a merger between two decisions ---------------------------------------------------------------

BEFORE = "Gemeente;Opgave\nHilversum;30\nWijdemeren;20\n"
AFTER = "Gemeente;Opgave\nHilversum;80\n"  # the 2027 decision: Hilversum with Wijdemeren


def test_a_decision_after_a_merger_the_division_does_not_know_is_a_fout(tmp_path):
    # the dataset's latest peildatum (31-12-2025) chooses the 2026 division, which still has Wijdemeren;
    # its 20 would stay beside the enlarged 80 of Hilversum: Gooi en Vechtstreek 100 instead of 80
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv") + quota("asiel", "2027-02-01",
                                                                                   "opgaven/b.csv"),
                  {"opgaven/a.csv": BEFORE, "opgaven/b.csv": AFTER})
    [fout] = meldingen(folder, "opgave_na_herindeling")
    assert (fout["ernst"], fout["bestand"], fout["rij"], fout["kolom"], fout["waarde"]) == (
        "fout", "opgaven/b.csv", 2, "Opgave", "80")
    assert 'indeling = "2027"' in fout["melding"] and "Wijdemeren" in fout["melding"]
    code, out = check(folder)
    assert code == 1
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--gebied", "VR14"])
    assert result.exit_code == 1


def test_the_same_decisions_in_the_later_division_give_the_merged_line(tmp_path):
    folder = make(tmp_path, 'indeling = "2027"\n' + quota("asiel", "2026-01-01", "opgaven/a.csv")
                  + quota("asiel", "2027-02-01", "opgaven/b.csv"), {"opgaven/a.csv": BEFORE, "opgaven/b.csv": AFTER})
    assert [m["code"] for m in meldingen(folder)] == ["voormalige_gemeente"]
    region = card(folder, "VR14", "VR14")
    assert (region["startpunt"], region["eindpunt"]) == (30.0 + 20.0, 80.0)


def test_a_later_decision_that_still_lists_both_is_no_fout_in_the_older_division(tmp_path):
    both = "Gemeente;Opgave\nHilversum;60\nWijdemeren;20\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv") + quota("asiel", "2027-02-01",
                                                                                   "opgaven/b.csv"),
                  {"opgaven/a.csv": BEFORE, "opgaven/b.csv": both})
    assert meldingen(folder) == []
    assert card(folder, "VR14", "VR14")["eindpunt"] == 60.0 + 20.0


def test_a_successor_without_an_older_target_of_the_joining_one_is_no_fout(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv") + quota("asiel", "2027-02-01",
                                                                                   "opgaven/b.csv"),
                  {"opgaven/a.csv": "Gemeente;Opgave\nHilversum;30\n", "opgaven/b.csv": AFTER})
    assert meldingen(folder) == []


# --- agreements that name a former municipality ---------------------------------------------------

AGREEMENT = """
[[afspraak]]
opgave = "asiel"
van = "{van}"
naar = "Assen"
aantal = 10
ingangsdatum = 2025-01-01
"""


@pytest.mark.parametrize("van", ["Weesp", "GM0457", "0457"])
def test_an_agreement_from_a_former_municipality_counts_for_its_successor_with_a_warning(tmp_path, van):
    folder = make(tmp_path, quota("asiel", "2025-01-01", "opgaven/a.csv") + AGREEMENT.format(van=van),
                  {"opgaven/a.csv": "Gemeente;Opgave\nAmsterdam;100\nAssen;50\n"})
    [former] = meldingen(folder, "voormalige_gemeente")
    assert (former["ernst"], former["bestand"], former["kolom"], former["waarde"]) == (
        "waarschuwing", "opvangkern.toml", "van", van)
    assert "Amsterdam (GM0363)" in former["melding"]
    [row] = opvangkern.open_dataset(folder).dashboard("PV22").afspraken.to_pylist()
    assert (row["van_code"], row["naar_code"], row["aantal"]) == ("GM0363", "GM0106", 10.0)
    assert card(folder, "PV22", "GM0106")["eindpunt"] == 50.0 + 10.0


def test_an_agreement_with_a_split_municipality_is_a_fout(tmp_path):
    folder = make(tmp_path, quota("asiel", "2025-01-01", "opgaven/a.csv") + AGREEMENT.format(van="Haaren"),
                  {"opgaven/a.csv": "Gemeente;Opgave\nTilburg;100\nAssen;50\n"})
    [fout] = meldingen(folder, "gesplitste_gemeente")
    assert (fout["ernst"], fout["kolom"], fout["waarde"]) == ("fout", "van", "Haaren")
    assert check(folder)[0] == 1


# --- a decision including AMV read for amv alone --------------------------------------------------


def test_waarvan_larger_than_inclusief_is_a_fout_for_amv_too(tmp_path):
    folder = make(tmp_path, quota("amv", "2026-02-01", "opgaven/a.csv"),
                  {"opgaven/a.csv": "Gemeente;Opgave inclusief amv;Waarvan amv\nAssen;100;10\nEmmen;50;60\nTynaarlo;20;-\n"})
    [fout] = meldingen(folder)
    assert (fout["code"], fout["ernst"], fout["rij"], fout["kolom"], fout["waarde"]) == (
        "waarvan_amv_te_groot", "fout", 3, "Waarvan amv", "60")
    # Assen 10; Emmen refused; Tynaarlo '-': no AMV target (as before)
    assert points(folder, "amv") == [("GM0106", dt.date(2026, 2, 1), 10.0)]
    assert check(folder)[0] == 1


# --- the fast rows equal the careful rows on these files --------------------------------------------

PUBLICATIONS = [
    ("a.csv", MINISTRY_CSV, "asiel", ""),
    ("a.xlsx", ministry_xlsx, "asiel", 'kolommen = { "Opgave (aantal) 2026" = "Opgave" }'),
    ("a.xlsx", ministry_xlsx, "asiel", ""),
    ("a.csv", "Gemeente;Opgave\nWeesp;10\nAmsterdam;100\nHaren;5\n", "asiel", ""),
    ("a.csv", "Gemeente;Opgave inclusief amv;Waarvan amv\nAssen;100;10\nEmmen;50;60\nTynaarlo;20;-\n", "amv", ""),
    ("a.csv", "Gemeente;Opgave inclusief amv;Waarvan amv\nAssen;100;10\nEmmen;50;\n", "amv", ""),
    ("a.csv", "Gemeente;Aantal;Opgave\nAssen;68000;10\nEmmen;1;1,010\n", "asiel", ""),
    ("a.csv", "Gemeentecode;Opgave\n106;12,5\n0109;-\n1680;\nGM0114;-5\n", "asiel", ""),
]


@pytest.mark.parametrize("name, content, opgave, extra", PUBLICATIONS)
def test_the_fast_rows_give_what_the_careful_rows_give(tmp_path, name, content, opgave, extra):
    from opvangkern.reading import quota as quota_reader

    folder = make(tmp_path, quota(opgave, "2026-02-01", f"opgaven/{name}", extra), {f"opgaven/{name}": content})
    fast = load_dataset(folder)
    with quota_reader.careful():
        careful = load_dataset(folder)
    assert fast.opgaven.equals(careful.opgaven, check_metadata=True)
    assert fast.meldingen.equals(careful.meldingen, check_metadata=True)


# --- properties of the two reader/manifest rules changed here ---------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(["(aantal)", "t.b.v. verdeling", "(afgerond)", "gemeente", "plekken totaal", "na correctie",
                          "definitief", "(stand)x"])


@settings(max_examples=40, deadline=None)
@given(alias=st.sampled_from(["Opgave", "Aantal", "Taakstelling", "Plekken"]), word=_WORDS,
       case=st.sampled_from([str, str.upper, str.lower]), other=st.sampled_from(["Inwoners", "Aandeel", "Opmerking"]))
def test_the_kolommen_hint_names_the_header_that_starts_with_a_name(alias, word, case, other):
    import io

    from opvangkern.areas import load_division
    from opvangkern.reading.quota import read_quota
    from opvangkern.sources.adapter import Source

    header = case(f"{alias} {word}")
    data = f"Gemeente;{other};{header}\nAssen;1;10\n".encode()
    result = read_quota(Source(io.BytesIO(data), "a.csv", division=load_division()), "asiel", dt.date(2026, 1, 1),
                        "gemeente")
    [fout] = [m for m in result.meldingen if m.is_error]
    assert fout.code == "verplichte_kolom_ontbreekt"
    assert f'kolommen = {{ "{header}" = "Opgave" }}' in fout.melding
    assert other not in fout.melding.split("koppel de kop dan")[-1]
    # with the line the figure is read
    fixed = read_quota(Source(io.BytesIO(data), "a.csv", division=load_division(), kolommen={header: "Opgave"}),
                       "asiel", dt.date(2026, 1, 1), "gemeente")
    assert fixed.opgaven.column("aantal").to_pylist() == [10.0] and not list(fixed.meldingen)


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(["GR West", "Crisisnoodopvang", "Aantal plekken"]),
       spell=st.sampled_from([str.lower, str.upper, lambda t: t.replace(" ", "-"), lambda t: f" {t}."]),
       first=st.sampled_from(["overslaan", "Assen", "amv"]), second=st.sampled_from(["overslaan", "OVERSLAAN", "Assen", "amv"]),
       table=st.sampled_from(["opgave", "bron"]))
def test_one_key_in_two_spellings_is_a_fout_exactly_when_the_targets_differ(key, spell, first, second, table):
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.reading.values import normalize_name

    other = spell(key)
    if other.strip() == key:
        return
    entry = (f'[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-01-01\nbestand = "a.csv"\n' if table == "opgave"
             else '[[bron]]\nbron = "coa"\nbestand = "a.csv"\n')
    text = f'[dataset]\nnaam = "x"\n{entry}waarden = {{ "{key}" = "{first}", "{other}" = "{second}" }}\n'
    manifest, found = parse_manifest(text, "x")
    twice = [m for m in found if m.code == "manifest_koppeling_dubbel"]
    assert bool(twice) == (normalize_name(first) != normalize_name(second))
    entries = manifest.opgaven if table == "opgave" else manifest.bronnen
    assert (not entries) == bool(twice)  # refused, never read with one of the two


# --- a province subtotal that bears a municipality's name -----------------------------------------

GRONINGEN_PROVINCE = [("Het Hogeland", "GM1966"), ("Eemsdelta", "GM1979"), ("Westerkwartier", "GM1969"),
                      ("Midden-Groningen", "GM1952")]


def test_a_bare_groningen_that_is_the_sum_above_it_is_a_fout_not_a_second_province(tmp_path):
    # read as the municipality, Groningen would get 20 + 30 = 50 and the province 100 instead of 50
    csv = "Gemeente;Opgave\nHet Hogeland;20\nEemsdelta;30\nGroningen;50\nAssen;7\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    [fout] = meldingen(folder)
    assert (fout["code"], fout["ernst"], fout["bestand"], fout["rij"], fout["kolom"], fout["waarde"]) == (
        "subtotaal_of_gemeente", "fout", "opgaven/a.csv", 4, "Gemeente", "Groningen")
    assert 'waarden = { "Groningen" = "overslaan" }' in fout["melding"] and "GM0014" in fout["melding"]
    day = dt.date(2026, 1, 1)
    assert points(folder) == [("GM1966", day, 20.0), ("GM1979", day, 30.0), ("GM0106", day, 7.0)]
    assert check(folder)[0] == 1
    # either way out of it
    skipped = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.csv",
                                         'waarden = { "Groningen" = "overslaan" }'), {"opgaven/a.csv": csv})
    assert meldingen(skipped) == [] and card(skipped, "PV20", "PV20")["eindpunt"] == 20.0 + 30.0
    named = make(tmp_path / "c", quota("asiel", "2026-01-01", "opgaven/a.csv"),
                 {"opgaven/a.csv": csv.replace("\nGroningen;", "\nGemeente Groningen;")})
    assert meldingen(named) == [] and card(named, "PV20", "PV20")["eindpunt"] == 20.0 + 30.0 + 50.0


@pytest.mark.parametrize("csv", [
    "Gemeentecode;Gemeente;Opgave\nGM1966;Het Hogeland;20\nGM1979;Eemsdelta;30\nGM0014;Groningen;50\n",  # a code
    "Gemeente;Opgave\nHet Hogeland;20\nEemsdelta;30\nGroningen;51\n",  # not the sum
    "Gemeente;Opgave\nHet Hogeland;20\nAssen;30\nGroningen;50\n",  # one row of the province above it
    "Gemeente;Opgave\nUtrecht;50\nHet Hogeland;20\nEemsdelta;30\n",  # the sum is below it
])
def test_a_bare_groningen_that_cannot_be_a_subtotal_is_the_municipality(tmp_path, csv):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert meldingen(folder) == []
    assert len(points(folder)) == 3


@settings(max_examples=40, deadline=None)
@given(amounts=st.lists(st.integers(0, 500), min_size=1, max_size=4), extra=st.integers(-2, 2),
       coded=st.booleans(), name=st.sampled_from(["Groningen", "groningen", "GRONINGEN"]))
def test_the_namesake_rule_and_the_fast_rows(amounts, extra, coded, name):
    import io

    from opvangkern.areas import load_division
    from opvangkern.reading import quota as quota_reader
    from opvangkern.sources.adapter import Source

    lines = ["Gemeentecode;Gemeente;Opgave"]
    for (naam, code), amount in zip(GRONINGEN_PROVINCE, amounts):
        lines.append(f"{code};{naam};{amount}")
    total = sum(amounts) + extra
    lines.append(f"{'GM0014' if coded else ''};{name};{max(total, 0)}")
    data = ("\n".join(lines) + "\n").encode()

    def read():
        return quota_reader.read_quota(Source(io.BytesIO(data), "a.csv", division=load_division()), "asiel",
                                       dt.date(2026, 1, 1), "gemeente")

    fast = read()
    with quota_reader.careful():
        careful = read()
    assert fast.opgaven.equals(careful.opgaven) and list(fast.meldingen) == list(careful.meldingen)
    refused = len(amounts) >= 2 and not coded and max(total, 0) == sum(amounts)
    assert [m.code for m in fast.meldingen] == (["subtotaal_of_gemeente"] if refused else [])
    codes = fast.opgaven.column("gebied_code").to_pylist()
    assert ("GM0014" in codes) == (not refused)
    assert fast.opgaven.column("aantal").to_pylist()[:len(amounts)] == [float(a) for a in amounts]


# --- the starter of `opvangkern init`, filled in (or not) ---------------------------------------------


def test_the_starter_workbooks_warn_until_filled_in_and_then_give_the_figures(tmp_path):
    folder = tmp_path / "start"
    assert CliRunner().invoke(cli, ["init", str(folder), "--gebied", "VR14"]).exit_code == 0
    code, out = check(folder)
    assert code == 0
    empty = meldingen(folder, "opgaven_leeg")
    assert sorted(m["bestand"] for m in empty) == sorted(
        f"opgaven/{t}-2026-01-01.xlsx" for t in ("oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv"))
    assert all((m["ernst"], m["rij"], m["kolom"]) == ("waarschuwing", 1, "Opgave") for m in empty)
    path = folder / "opgaven" / "asiel-2026-01-01.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    codes = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    for r, value in zip(range(2, ws.max_row + 1), [10, "12,5", None, "-", 0, 7.5]):
        ws.cell(r, 3, value)
    wb.save(path)
    day = dt.date(2026, 1, 1)
    assert points(folder) == [(codes[0], day, 10.0), (codes[1], day, 12.5), (codes[4], day, 0.0),
                              (codes[5], day, 7.5)]
    assert "opgaven/asiel-2026-01-01.xlsx" not in {m["bestand"] for m in meldingen(folder, "opgaven_leeg")}


# --- a dataset's own division with a merger ---------------------------------------------------------


def own_division_2028(folder: Path) -> None:
    """``indeling/2028``: the 2027 division with Tynaarlo added to Assen on 1 January 2028."""
    data = Path(opvangkern.__file__).parent / "areas" / "data" / "2027"
    own = folder / "indeling" / "2028"
    own.mkdir(parents=True)
    rows = (data / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    (own / "gemeenten.csv").write_text("\n".join(r for r in rows if "GM1730" not in r) + "\n", encoding="utf-8")
    for name in ("gemeenten-aliases.csv", "regio-aliases.csv"):
        shutil.copy(data / name, own / name)
    (own / "indeling.toml").write_text('ingangsdatum = 2028-01-01\ntoelichting = "Tynaarlo bij Assen"\n',
                                       encoding="utf-8")
    (folder / "indeling" / "herindelingen.csv").write_text(
        "ingangsdatum,gemeentecode,gemeentenaam,opvolger_code,opvolger_naam,aandeel,voorlopig\n"
        "2028-01-01,GM1730,Tynaarlo,GM0106,Assen,,\n", encoding="utf-8")


@pytest.mark.parametrize("indeling", ["", 'indeling = "2028"\n'])
def test_an_own_division_with_a_merger_between_two_decisions(tmp_path, indeling):
    files = {"opgaven/a.csv": "Gemeente;Opgave\nAssen;100\nTynaarlo;40\n", "opgaven/b.csv": "Gemeente;Opgave\nAssen;150\n"}
    folder = make(tmp_path, indeling + quota("asiel", "2026-01-01", "opgaven/a.csv")
                  + quota("asiel", "2028-02-01", "opgaven/b.csv"), files)
    own_division_2028(folder)
    if not indeling:  # the 2026 division: Tynaarlo's 40 would stay beside Assen's 150
        [fout] = meldingen(folder, "opgave_na_herindeling")
        assert (fout["bestand"], fout["rij"], fout["waarde"]) == ("opgaven/b.csv", 2, "150")
        assert 'indeling = "2028"' in fout["melding"]
        return
    quota_meldingen = [m for m in meldingen(folder) if m["bestand"].startswith("opgaven/")]
    assert [(m["code"], m["waarde"]) for m in quota_meldingen] == [("voormalige_gemeente", "Tynaarlo")]
    province = card(folder, "PV22", "PV22")
    assert (province["startpunt"], province["eindpunt"]) == (100.0 + 40.0, 150.0)


# --- an ingangsdatum typed years wrong ----------------------------------------------------------------


@pytest.mark.parametrize("day, warned", [("2062-01-01", True), ("1926-01-01", True), ("2030-06-01", False),
                                         ("2021-01-01", False)])
def test_an_ingangsdatum_years_from_every_peildatum_warns(tmp_path, day, warned):
    files = {"opgaven/a.csv": "Gemeente;Opgave\nAssen;20\n", "opgaven/b.csv": "Gemeente;Opgave\nAssen;40\n"}
    folder = make(tmp_path, quota("asiel", "2025-01-01", "opgaven/a.csv") + quota("asiel", day, "opgaven/b.csv"),
                  files)
    found = meldingen(folder, "ingangsdatum_ver_weg")
    if not warned:
        assert found == []
        return
    [warning] = found
    assert (warning["ernst"], warning["bestand"], warning["rij"], warning["kolom"], warning["waarde"]) == (
        "waarschuwing", "opvangkern.toml", 9, "ingangsdatum", day)
    assert check(folder)[0] == 0  # a warning: the analyst may mean it


def test_in_the_later_division_a_peildatum_before_the_merger_counts_both_for_the_successor(tmp_path):
    folder = tmp_path / "ds"
    (folder / "opgaven").mkdir(parents=True)
    (folder / "opgaven" / "a.csv").write_text(BEFORE, encoding="utf-8")
    (folder / "opgaven" / "b.csv").write_text(AFTER, encoding="utf-8")
    (folder / "coa.csv").write_text("Gemeente;Regulier;Noodopvang;TGO;AMV\nHilversum;10;0;0;0\nWijdemeren;5;1;0;0\n",
                                    encoding="utf-8")
    (folder / "opvangkern.toml").write_text(
        '[dataset]\nnaam = "proef"\nindeling = "2027"\n' + quota("asiel", "2026-01-01", "opgaven/a.csv")
        + quota("asiel", "2027-02-01", "opgaven/b.csv")
        + '\n[[bron]]\nbron = "coa"\nbestand = "coa.csv"\npeildatum = 2026-12-31\n', encoding="utf-8")
    hilversum = card(folder, "VR14", "GM0402")
    # the line 30 + 20 = 50 on 1-1-2026 to 80 on 1-2-2027, drawn at the start of 1-1-2027: 365 of 396 days
    assert hilversum["indicatief_schema"] == pytest.approx(50 + 30 * 365 / 396)
    assert hilversum["realisatie"] == 10 + 5 + 1  # Wijdemeren's places count for Hilversum
    assert [m["waarde"] for m in meldingen(folder, "voormalige_gemeente")] == ["Wijdemeren", "Wijdemeren"]


# --- two decisions side by side in one file (the example of docs/quota-files.md) ---------------------

SIDE_BY_SIDE = "Gemeente;Opgave per 1 januari 2025;Opgave per 1 februari 2026\nAssen;10;20\nEmmen;5;8\n"


def side_by_side(first: str, second: str) -> str:
    return (quota("asiel", "2025-01-01", "opgaven/v.csv", f'kolommen = {{ "{first}" = "Opgave" }}')
            + quota("asiel", "2026-02-01", "opgaven/v.csv", f'kolommen = {{ "{second}" = "Opgave" }}'))


def test_two_decisions_side_by_side_each_picked_by_kolommen(tmp_path):
    folder = make(tmp_path, side_by_side("Opgave per 1 januari 2025", "Opgave per 1 februari 2026"),
                  {"opgaven/v.csv": SIDE_BY_SIDE})
    assert meldingen(folder) == []
    jan, feb = dt.date(2025, 1, 1), dt.date(2026, 2, 1)
    assert points(folder) == [("GM0106", jan, 10.0), ("GM0114", jan, 5.0), ("GM0106", feb, 20.0),
                              ("GM0114", feb, 8.0)]
    assert card(folder, "PV22", "PV22")["eindpunt"] == 20.0 + 8.0


@pytest.mark.parametrize("second", ["Opgave per 1 januari 2025", "opgave per 1 januari 2025"])
def test_the_same_column_picked_twice_is_the_same_file_twice(tmp_path, second):
    folder = make(tmp_path, side_by_side("Opgave per 1 januari 2025", second), {"opgaven/v.csv": SIDE_BY_SIDE})
    [fout] = meldingen(folder, "bestand_dubbel")
    assert (fout["ernst"], fout["bestand"], fout["rij"]) == ("fout", "opvangkern.toml", 9)
    assert check(folder)[0] == 1
