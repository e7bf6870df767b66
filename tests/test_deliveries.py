"""Checks across deliveries (hardening, seventh session; ``dataset/deliveries.py``): two deliveries of one
source with one peildatum, a peildatum far from every other.

The dashboard adds up a source's rows at its peildatum: right for a delivery split over files, twice the
figure for a delivery that is there twice. Each case goes through the public entry points (``load_dataset``,
``opvangkern check`` / ``dashboard``); the expected figures are plain arithmetic on the sample's files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.deliveries import FAR_DAYS, check_deliveries

SAMPLE = Path(opvangkern.sample_path())
COA_DEC = "bronnen/coa-2025-12-31.csv"


def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SAMPLE, folder)
    return folder


def meldingen(folder: Path, code: str = "levering_dubbel") -> list[dict]:
    return [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == code]


def add_source(folder: Path, bron: str, bestand: str, extra: str = "") -> None:
    with (folder / "opvangkern.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(f'\n[[bron]]\nbron = "{bron}"\nbestand = "{bestand}"\n{extra}\n')


def drop_source(folder: Path, bestand: str) -> None:
    path = folder / "opvangkern.toml"
    text = path.read_text(encoding="utf-8")
    entry = next(block for block in text.split("[[bron]]") if f'bestand = "{bestand}"' in block)
    path.write_text(text.replace("[[bron]]" + entry, ""), encoding="utf-8")


def coa_lines(folder: Path) -> tuple[list[str], list[str]]:
    """The December COA file's lines above and under its header row (title rows included above)."""
    lines = (folder / COA_DEC).read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Gemeente;"))
    return lines[:header + 1], [line for line in lines[header + 1:] if line.strip(";")]


def coa_total(rows: list[str]) -> int:
    """Capaciteit summed over the counted location types (not AMV: another task), by plain arithmetic."""
    return sum(int(r.split(";")[4].replace(".", "")) for r in rows if r.split(";")[3] in ("regulier", "noodopvang", "TGO"))


def asiel_card(folder: Path) -> dict:
    kaarten = opvangkern.open_dataset(folder).dashboard("PV22").kaarten.to_pylist()
    return next(r for r in kaarten if r["gebied_code"] == "PV22" and r["opgave"] == "asiel")


def test_a_file_whose_title_states_the_previous_peildatum_is_a_fout_not_a_doubled_count(tmp_path):
    folder = sample(tmp_path)
    path = folder / COA_DEC
    path.write_text(path.read_text(encoding="utf-8").replace("Peildatum: 31-12-2025", "Peildatum: 30-11-2025"),
                    encoding="utf-8")
    [found] = meldingen(folder)
    assert found["ernst"] == "fout" and found["bestand"] == COA_DEC and found["kolom"] == "gemeente"
    assert found["rij"] == 5 and found["waarde"] == "GM1680"  # the first data row: Aa en Hunze
    assert "bronnen/coa-2025-11-30.csv" in found["melding"] and "30-11-2025" in found["melding"]
    assert "Aa en Hunze (GM1680) (rij 5 daar, rij 5 hier)" in found["melding"]
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(tmp_path / "uit")])
    assert result.exit_code == 1 and "levering_dubbel" not in result.output  # the Dutch text, not the code
    assert "staan ook in bronnen/coa-2025-11-30.csv" in result.output
    assert not (tmp_path / "uit").exists()  # refused: nothing written
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 1


def test_a_corrected_kcio_delivery_beside_the_original_is_a_fout_naming_both(tmp_path):
    folder = sample(tmp_path)
    original = folder / "bronnen" / "kcio-2025-12-31.csv"
    corrected = folder / "bronnen" / "kcio-2025-12-31-gecorrigeerd.csv"
    corrected.write_text(original.read_text(encoding="utf-8-sig").replace('"819"', '"829"'), encoding="utf-8")
    add_source(folder, "kcio", "bronnen/kcio-2025-12-31-gecorrigeerd.csv")
    [found] = meldingen(folder)
    assert found["bestand"] == "bronnen/kcio-2025-12-31-gecorrigeerd.csv"
    assert "KCIO op peildatum 31-12-2025" in found["melding"] and "bronnen/kcio-2025-12-31.csv" in found["melding"]
    drop_source(folder, "bronnen/kcio-2025-12-31.csv")  # the fix the melding names
    assert meldingen(folder) == []


def test_a_delivery_split_over_two_files_by_municipality_is_added_up(tmp_path):
    folder = sample(tmp_path)
    head, rows = coa_lines(folder)
    first = [r for r in rows if r.split(";")[0] < "F"]
    second = [r for r in rows if r.split(";")[0] >= "F"]
    assert first and second
    (folder / COA_DEC).write_text("\n".join(head + first) + "\n", encoding="utf-8")
    (folder / "bronnen" / "coa-2025-12-31-deel2.csv").write_text("\n".join(head + second) + "\n", encoding="utf-8")
    add_source(folder, "coa", "bronnen/coa-2025-12-31-deel2.csv")
    assert meldingen(folder) == []
    assert asiel_card(folder)["realisatie"] == coa_total(rows) == 4614  # the seed's Drenthe asylum figure


def test_a_delivery_split_by_location_type_counts_one_municipality_in_both(tmp_path):
    folder = sample(tmp_path)
    head, rows = coa_lines(folder)
    regular = [r for r in rows if r.split(";")[3] == "regulier"]
    other = [r for r in rows if r.split(";")[3] != "regulier"]
    assert {r.split(";")[0] for r in regular} & {r.split(";")[0] for r in other}  # Assen is in both
    (folder / COA_DEC).write_text("\n".join(head + regular) + "\n", encoding="utf-8")
    (folder / "bronnen" / "coa-overig.csv").write_text("\n".join(head + other) + "\n", encoding="utf-8")
    add_source(folder, "coa", "bronnen/coa-overig.csv")
    assert meldingen(folder) == []
    assert asiel_card(folder)["realisatie"] == coa_total(rows)


def test_two_sheets_of_one_workbook_with_the_same_rows_are_a_fout_naming_the_sheet(tmp_path):
    import openpyxl

    folder = sample(tmp_path)
    head, rows = coa_lines(folder)
    drop_source(folder, COA_DEC)
    workbook = openpyxl.Workbook()
    for title in ("Noord", "Correctie"):
        sheet = workbook.create_sheet(title)
        for line in head + rows:
            sheet.append([int(c.replace(".", "")) if c.replace(".", "").isdigit() and i >= 4 else c
                          for i, c in enumerate(line.split(";"))])
    del workbook["Sheet"]
    workbook.save(folder / "bronnen" / "coa.xlsx")
    add_source(folder, "coa", "bronnen/coa.xlsx", 'blad = "Noord"')
    add_source(folder, "coa", "bronnen/coa.xlsx", 'blad = "Correctie"')
    [found] = meldingen(folder)
    assert found["bestand"] == "bronnen/coa.xlsx" and found["blad"] == "Correctie"
    assert "staan ook in bronnen/coa.xlsx, blad Noord" in found["melding"]


def test_the_check_gives_the_same_with_the_cache_of_parsed_files(tmp_path, monkeypatch):
    monkeypatch.setenv("OPVANGKERN_CACHE", str(tmp_path / "cache"))
    folder = sample(tmp_path)
    path = folder / COA_DEC
    path.write_text(path.read_text(encoding="utf-8").replace("Peildatum: 31-12-2025", "Peildatum: 30-11-2025"),
                    encoding="utf-8")
    first = [m for m in load_dataset(folder, cache=True).meldingen.to_pylist() if m["code"] == "levering_dubbel"]
    again = [m for m in load_dataset(folder, cache=True).meldingen.to_pylist() if m["code"] == "levering_dubbel"]
    assert len(first) == 1 and again == first


# --- the rule itself, on generated tables, against a brute-force count ----------------------------

DAYS = [dt.date(2025, 11, 30), dt.date(2025, 12, 31)]
CODES = ["GM0106", "GM0109", "GM0114", "GM1680"]


def realisaties(bestand: str, rows: list[tuple[str, str, str | None, str, dt.date, int | None]]) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[]] * 6
    return pa.table({"bron": pa.array(columns[0], pa.string()), "opgave": pa.array(columns[1], pa.string()),
                     "categorie": pa.array(columns[2], pa.string()), "gemeentecode": pa.array(columns[3], pa.string()),
                     "peildatum": pa.array(columns[4], pa.date32()), "aantal": pa.array(columns[5], pa.int64()),
                     "bestand": pa.array([bestand] * len(rows), pa.string()),
                     "blad": pa.array([None] * len(rows), pa.string()),
                     "rij": pa.array(range(2, 2 + len(rows)), pa.int64())})


# Every row of an entry's table names the entry's source (validate's rule); a file may hold several peildata.
several_days = st.sampled_from(["coa", "kcio"]).flatmap(
    lambda bron: st.lists(st.tuples(st.just(bron), st.sampled_from(["asiel", "oekraine"]),
                                    st.sampled_from([None, "regulier", "tgo"]), st.sampled_from(CODES),
                                    st.sampled_from(DAYS), st.one_of(st.none(), st.integers(0, 50))), max_size=6))
one_group = st.tuples(st.sampled_from(["coa", "kcio"]), st.sampled_from(DAYS)).flatmap(
    lambda group: st.lists(st.tuples(st.just(group[0]), st.sampled_from(["asiel", "oekraine"]),
                                     st.sampled_from([None, "regulier"]), st.sampled_from(CODES), st.just(group[1]),
                                     st.one_of(st.none(), st.integers(0, 50))), max_size=6))
files = st.lists(st.one_of(one_group, several_days), max_size=5)


@given(files)
def test_a_fout_for_exactly_the_pairs_of_files_that_count_one_municipality_twice(contents):
    tables = [realisaties(f"f{i}.csv", rows) for i, rows in enumerate(contents)]
    combined = pa.concat_tables(tables) if tables else realisaties("leeg.csv", [])
    expected: dict[tuple[int, int], set[tuple]] = {}
    for j, later in enumerate(contents):  # the first file that counted a key, against every later one
        for bron, opgave, categorie, code, day, aantal in later:
            if aantal is None:
                continue
            earlier = next((i for i in range(j) if any(
                (r[0], r[1], r[2], r[3], r[4]) == (bron, opgave, categorie, code, day) and r[5] is not None
                for r in contents[i])), None)
            if earlier is not None:
                expected.setdefault((earlier, j), set()).add((bron, day, code))
    found = [m for m in check_deliveries(combined, [t.num_rows for t in tables]) if m.code != "peildatum_ver_weg"]
    assert all(m.code == "levering_dubbel" and m.is_error for m in found)
    got: dict[tuple[int, int], int] = {}
    for m in found:
        later = int(m.bestand[1:-4])
        earlier = int(m.melding.split("staan ook in f")[1].split(".csv")[0])
        got[(earlier, later)] = got.get((earlier, later), 0) + int(m.melding.split(": ")[1].split(" gemeente")[0])
    # one melding per pair of files and (source, peildatum), counting its municipalities
    assert got == {pair: len(keys) for pair, keys in expected.items()}


# --- a peildatum far from every other: a typing error in a title cell or the manifest -------------

def test_a_title_with_a_typed_year_is_a_warning_naming_the_file_and_the_date(tmp_path):
    folder = sample(tmp_path)
    path = folder / COA_DEC
    path.write_text(path.read_text(encoding="utf-8").replace("Peildatum: 31-12-2025", "Peildatum: 31-12-2052"),
                    encoding="utf-8")
    [found] = meldingen(folder, "peildatum_ver_weg")
    assert found["ernst"] == "waarschuwing" and found["bestand"] == COA_DEC and found["waarde"] == "2052-12-31"
    assert "31 december 2052" in found["melding"] and "31 juli 2025 tot en met 31 december 2025" in found["melding"]
    assert "bepaalt hij de datum van de kaarten" in found["melding"]  # the latest: it sets the cards' date
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0 and "ligt meer dan een jaar van elke andere peildatum" in result.output


def test_an_old_delivery_typed_a_decade_early_is_a_warning_too(tmp_path):
    folder = sample(tmp_path)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("peildatum = 2025-07-31", "peildatum = 2015-07-31"),
                        encoding="utf-8")
    path = folder / "bronnen" / "tvs-2025-07-31.csv"  # the TVS export states no peildatum: the manifest's counts
    [found] = meldingen(folder, "peildatum_ver_weg")
    assert found["bestand"] == "bronnen/tvs-2025-07-31.csv" and found["waarde"] == "2015-07-31"
    assert "bepaalt hij" not in found["melding"] and path.exists()


def test_the_sample_has_no_distant_peildatum(tmp_path):
    assert meldingen(sample(tmp_path), "peildatum_ver_weg") == []


@given(st.lists(st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)), min_size=1, max_size=8))
def test_a_peildatum_is_far_exactly_when_its_nearest_other_peildatum_is_more_than_far_days_away(days):
    rows = [[("coa", "asiel", "regulier", "GM0106", day, 1)] for day in days]
    tables = [realisaties(f"f{i}.csv", r) for i, r in enumerate(rows)]
    found = [m for m in check_deliveries(pa.concat_tables(tables), [1] * len(tables)) if m.code == "peildatum_ver_weg"]
    distinct = set(days)
    far = {d for d in distinct if len(distinct) > 1 and min(abs((d - o).days) for o in distinct - {d}) > FAR_DAYS}
    assert sorted(m.bestand for m in found) == sorted(f"f{i}.csv" for i, d in enumerate(days) if d in far)
