"""Datasets as an analyst keeps one going over time (hardening, ninth session): a new delivery every month,
a new decision twice a year, a merger on 1 January, agreements between municipalities.

Each case copies the bundled sample (or the Gooi en Vechtstreek 2027 fixture) and changes it the way an
analyst would, then goes through ``opvangkern check``/``dashboard`` or ``open_dataset``. The expected
figure is plain arithmetic on the files' own rows here, or the exact melding code. The case list (dataset →
before → after) is in docs/decisions.md, "Datasets kept over time".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset import deliveries
from opvangkern.dataset.contributed import merge_contributed, merge_contributed_reference, period_jumps
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.manifest import name_date
from opvangkern.engine.reference import line_value

SAMPLE = Path(opvangkern.sample_path())
GOOI = Path(__file__).parent / "fixtures" / "gooi-en-vechtstreek-2027"
D = dt.date


# --- helpers ---------------------------------------------------------------------------------------


def copy(src: Path, tmp_path: Path, name: str = "ds") -> Path:
    folder = tmp_path / name
    shutil.copytree(src, folder)
    return folder


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def manifest(folder: Path) -> Path:
    return folder / "opvangkern.toml"


def append(folder: Path, text: str) -> None:
    path = manifest(folder)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def edit(folder: Path, old: str, new: str) -> None:
    path = manifest(folder)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_task(folder: Path, task: str) -> None:
    """The sample without its quota decisions for ``task`` (entries and files)."""
    path = manifest(folder)
    text = re.sub(r'\[\[opgave\]\]\nopgave = "%s"\ningangsdatum = [0-9-]+\nbestand = "[^"]+"\n(totaal = \d+\n)?' % task,
                  "", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    for file in (folder / "opgaven").glob(f"{task}-*"):
        file.unlink()


def drop_bron(folder: Path, bestand: str) -> None:
    """The sample without the ``[[bron]]`` of ``bestand``; the file moves to ``archief/`` (kept, not listed)."""
    path = manifest(folder)
    text, count = re.subn(r'\[\[bron\]\]\nbron = "\w+"\nbestand = "%s"[^\n]*\n(peildatum = [0-9-]+\n)?'
                          % re.escape(bestand), "", path.read_text(encoding="utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")
    (folder / "archief").mkdir(exist_ok=True)
    (folder / bestand).rename(folder / "archief" / Path(bestand).name)


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output


def codes(folder: Path) -> list[str]:
    return [m["code"] for m in load_dataset(folder).meldingen.to_pylist()]


def melding(folder: Path, code: str) -> dict:
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == code]
    assert len(found) == 1, found
    return found[0]


def card(folder: Path, opgave: str, gebied: str = "PV22", code: str | None = None, **kwargs) -> dict:
    kaarten = opvangkern.open_dataset(folder).dashboard(gebied, **kwargs).kaarten.to_pylist()
    return next(r for r in kaarten if r["gebied_code"] == (code or gebied) and r["opgave"] == opgave)


def rows(path: Path, skip: int = 0, delimiter: str = ";") -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()[skip:]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def count(text: str) -> int:
    return int(text.replace(".", ""))


def coa_asiel(path: Path, gemeente: str | None = None) -> int:
    """The asylum places of a sample-layout COA file (title rows, then one row per location)."""
    return sum(count(r["Capaciteit"]) for r in rows(path, skip=3)
               if r["Opvangvorm"].lower() in ("regulier", "noodopvang", "tgo")
               and (gemeente is None or r["Gemeente"] == gemeente))


def interpolate(day: dt.date, a: tuple[dt.date, float], b: tuple[dt.date, float]) -> float:
    return a[1] + (b[1] - a[1]) * (day - a[0]).days / (b[0] - a[0]).days


# --- the housing task over a half-year's turn ------------------------------------------------------


def tvs_next_half_year(folder: Path, peildatum: str = "2026-01-31", realised: int = 3,
                       source: str = "bronnen/tvs-2025-12-31.csv") -> Path:
    """The sample's December TVS file, continued into 2026-I as the monitor writes it: the backlog on
    1 January is December's corrected target minus what was housed, the count starts again at 0."""
    lines = (folder / source).read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        gemeente, _periode, taak, _achter, gecorr, gereal, _nog = line.split(";")
        backlog = int(gecorr) - int(gereal)
        out.append(";".join([gemeente, "2026-I", taak, str(backlog), str(backlog + int(taak)), str(realised),
                             str(backlog + int(taak) - realised)]))
    name = f"bronnen/tvs-{peildatum}.csv"
    (folder / name).write_text("\n".join(out) + "\n", encoding="utf-8")
    append(folder, f'[[bron]]\nbron = "tvs"\nbestand = "{name}"\npeildatum = {peildatum}\n')
    return folder / name


def housing_from_tvs(tmp_path: Path) -> Path:
    """The sample with its housing line from the TVS exports only (no quota files for the task)."""
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "vergunninghouders")
    return folder


def test_a_new_half_years_tvs_file_keeps_the_old_half_years_cards(tmp_path):
    # Before: the 2026-I file's backlog on 1 January replaced December's corrected target there, so the
    # December card read 396 (op schema) instead of 819 (achter), and every 2025-II verloop row ran to 396.
    folder = housing_from_tvs(tmp_path)
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    start = sum(int(r["Achterstand begin periode"]) for r in december)
    end = sum(int(r["Gecorrigeerde taakstelling"]) for r in december)
    housed = sum(int(r["Gerealiseerd"]) for r in december)
    before = card(folder, "vergunninghouders")
    tvs_next_half_year(folder, realised=3)
    assert "fout" not in check(folder)[1].split("opgavepunten;")[-1].split("fout")[0]
    old = card(folder, "vergunninghouders", peildatum=D(2025, 12, 31))
    assert old["indicatief_schema"] == pytest.approx(end) == pytest.approx(before["indicatief_schema"])
    assert old["realisatie"] == housed and old["status"] == "achter"
    # the new half-year's card: its own line from the backlog on 1 January to the corrected target on 1 July
    backlog = end - housed
    target = backlog + sum(int(r["Taakstelling"]) for r in december)
    new = card(folder, "vergunninghouders")
    assert new["peildatum"] == D(2026, 1, 31) and new["realisatie"] == 3 * len(december)
    assert new["indicatief_schema"] == pytest.approx(interpolate(D(2026, 2, 1), (D(2026, 1, 1), backlog),
                                                                 (D(2026, 7, 1), target)))
    assert new["eindpunt"] == pytest.approx(target)
    # every 2025-II verloop row is the line from the backlog on 1 July to the corrected target on 1 January
    dash = opvangkern.open_dataset(folder).dashboard("PV22")
    verloop = [r for r in dash.verloop.to_pylist() if r["gebied_code"] == "PV22" and r["opgave"] == "vergunninghouders"]
    for row in verloop[:-1]:
        expected = interpolate(row["peildatum"] + dt.timedelta(days=1), (D(2025, 7, 1), start), (D(2026, 1, 1), end))
        assert row["indicatief_schema"] == pytest.approx(expected)
    assert verloop[-1]["indicatief_schema"] == pytest.approx(new["indicatief_schema"])
    assert start == 454 and end == 819  # the seed's line (SPEC §4), as the docs show it


def test_a_file_of_the_day_after_the_half_year_still_reads_the_old_line(tmp_path):
    # "Stand per 1 januari 2026" belongs to 2025-II: with a 2026-I file beside it, it must still read 819.
    folder = housing_from_tvs(tmp_path)
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    end = sum(int(r["Gecorrigeerde taakstelling"]) for r in december)
    shutil.copy(folder / "bronnen" / "tvs-2025-12-31.csv", folder / "bronnen" / "tvs-2026-01-01.csv")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-01.csv"\npeildatum = 2026-01-01\n')
    drop_bron(folder, "bronnen/tvs-2025-12-31.csv")
    tvs_next_half_year(folder, "2026-01-02", source="bronnen/tvs-2026-01-01.csv")
    turn = card(folder, "vergunninghouders", peildatum=D(2026, 1, 1))
    assert turn["peildatum"] == D(2026, 1, 1) and turn["indicatief_schema"] == pytest.approx(end)
    second = card(folder, "vergunninghouders")
    backlog = end - sum(int(r["Gerealiseerd"]) for r in december)
    target = backlog + sum(int(r["Taakstelling"]) for r in december)
    assert second["indicatief_schema"] == pytest.approx(interpolate(D(2026, 1, 3), (D(2026, 1, 1), backlog),
                                                                    (D(2026, 7, 1), target)))


def test_a_continuous_history_over_half_years_is_left_as_it_was(tmp_path):
    # The generated benchmark data continue the line (backlog = previous corrected target): nothing to split.
    folder = housing_from_tvs(tmp_path)
    lines = (folder / "bronnen" / "tvs-2025-12-31.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        gemeente, _p, taak, _a, gecorr, _g, _n = line.split(";")
        out.append(";".join([gemeente, "2026-I", taak, gecorr, str(int(gecorr) + int(taak)), "3",
                             str(int(gecorr) + int(taak) - 3)]))
    (folder / "bronnen" / "tvs-2026-01-31.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n')
    days = sorted({r["ingangsdatum"] for r in load_dataset(folder).opgaven.to_pylist()
                   if r["opgave"] == "vergunninghouders"})
    assert days == [D(2025, 7, 1), D(2026, 1, 1), D(2026, 7, 1)]


_HALF = st.tuples(st.integers(0, 400), st.integers(-50, 50), st.integers(0, 300))


def _tvs_points(bestand: str, period: tuple[dt.date, dt.date], areas: dict[str, tuple[float, float]]) -> pa.Table:
    from opvangkern import tables

    rows_ = []
    for code, (start, end) in areas.items():
        for day, amount in ((period[0], start), (period[1], end)):
            rows_.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                          "ingangsdatum": day, "aantal": float(amount), "bestand": bestand, "rij": 2})
    return tables.from_rows(tables.OPGAVEN, rows_)


@settings(max_examples=60, deadline=None)
@given(st.lists(_HALF, min_size=1, max_size=4), st.integers(0, 2), st.data())
def test_property_every_peildatum_reads_its_own_half_years_line(halves, first, data):
    """For any backlogs and targets of up to three consecutive half-years (each municipality's backlog
    drawn freely: a jump, a continuation, a voorsprong), every peildatum of a half-year, from its first day
    to the day after it, reads that half-year's own line on the merged line; the reference merge agrees."""
    from opvangkern import tables

    turns = [D(2025, 1, 1), D(2025, 7, 1), D(2026, 1, 1), D(2026, 7, 1)][first:]
    periods = list(zip(turns, turns[1:]))
    codes_ = [f"GM{1000 + i}" for i in range(len(halves))]
    per_period = []
    for index, period in enumerate(periods):
        areas = {}
        for code, (backlog, jump, taak) in zip(codes_, halves):
            start = backlog + index * jump
            areas[code] = (start, start + taak)
        per_period.append(areas)
    files = [(None, period[1] - dt.timedelta(days=1), _tvs_points(f"tvs-{i}.csv", period, areas))
             for i, (period, areas) in enumerate(zip(periods, per_period))]
    empty = tables.empty(tables.OPGAVEN)
    merged, _ = merge_contributed(empty, files, set(), None)
    reference, _ = merge_contributed_reference(empty, files, set(), None)
    assert merged.to_pylist() == reference.to_pylist()
    lines: dict[str, list] = {}
    for row in merged.to_pylist():
        lines.setdefault(row["gebied_code"], []).append((row["ingangsdatum"], row["aantal"]))
    for index, ((start, end), areas) in enumerate(zip(periods, per_period)):
        # the peildata of a half-year: from its first day (the day after the previous one belongs to that
        # one) up to and including the day after it; each reads the line at the start of the next day
        first_day = start + dt.timedelta(days=1 if index else 0)
        peildatum = first_day + dt.timedelta(days=data.draw(st.integers(0, (end - first_day).days)))
        day = peildatum + dt.timedelta(days=1)
        # a turn where no area's value jumps is a continuous history, left as it was: the day after the old
        # half-year reads the next half-year's line there (found by hypothesis: one area, backlog = end)
        following = per_period[index + 1] if index + 1 < len(per_period) else None
        continuous = following is not None and all(following[c][0] == areas[c][1] for c in areas)
        for code, (low, high) in areas.items():
            own = interpolate(day, (start, low), (end, high)) if day <= end else high
            if day > end and continuous:
                own = interpolate(day, (end, following[code][0]), (periods[index + 1][1], following[code][1]))
            assert line_value(sorted(lines[code]), day) == pytest.approx(own, abs=1e-9), (code, peildatum)


def test_period_jumps_without_a_turn_returns_the_table_itself():
    from opvangkern import tables

    one = _tvs_points("a.csv", (D(2025, 7, 1), D(2026, 1, 1)), {"GM0106": (10, 20)})
    assert period_jumps(one, [one], set()) is one


# --- decisions over time ---------------------------------------------------------------------------


def two_asylum_decisions(tmp_path: Path, second_day: str, second_name: str = "asiel-2026-02-01.csv") -> Path:
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    write(folder, "opgaven/asiel-2025-01-01.csv", "Gemeente;Opgave\nAssen;1.000\nEmmen;700\n")
    write(folder, f"opgaven/{second_name}", "Gemeente;Opgave\nAssen;1.200\nEmmen;800\n")
    append(folder, f'''
        [[opgave]]
        opgave = "asiel"
        ingangsdatum = 2025-01-01
        bestand = "opgaven/asiel-2025-01-01.csv"

        [[opgave]]
        opgave = "asiel"
        ingangsdatum = {second_day}
        bestand = "opgaven/{second_name}"
        ''')
    return folder


def test_a_copied_decision_block_with_the_old_ingangsdatum_is_a_fout(tmp_path):
    # Before: the copy took the old decision's day, the later entry won there, and the province's target
    # was 2.000 since 1 January 2025 (the 2025 decision gone) with exit 0.
    folder = two_asylum_decisions(tmp_path, "2025-01-01")
    code, output = check(folder)
    assert code == 1
    found = melding(folder, "besluit_vervangt_ander")
    assert found["ernst"] == "fout" and found["bestand"] == "opvangkern.toml" and found["kolom"] == "ingangsdatum"
    assert found["waarde"] == "2025-01-01" and "ingangsdatum = 2026-02-01" in found["melding"]
    assert CliRunner().invoke(cli, ["dashboard", str(folder)]).exit_code == 1


def test_the_fix_of_the_melding_gives_the_line_between_both_decisions(tmp_path):
    folder = two_asylum_decisions(tmp_path, "2026-02-01")
    assert "besluit_vervangt_ander" not in codes(folder) and "ingangsdatum_bestandsnaam" not in codes(folder)
    got = card(folder, "asiel")
    assert got["indicatief_schema"] == pytest.approx(interpolate(D(2026, 1, 1), (D(2025, 1, 1), 1000 + 700),
                                                                 (D(2026, 2, 1), 1200 + 800)))


def test_a_decision_named_after_the_first_of_another_month_warns(tmp_path):
    folder = two_asylum_decisions(tmp_path, "2026-07-01")
    found = melding(folder, "ingangsdatum_bestandsnaam")
    assert found["ernst"] == "waarschuwing" and "ingangsdatum = 2026-02-01" in found["melding"]
    assert card(folder, "asiel")["einddatum"] == D(2026, 7, 1)  # the manifest's day counts


def test_a_decision_named_after_its_publication_day_is_quiet(tmp_path):
    folder = two_asylum_decisions(tmp_path, "2026-02-01", "verdeelbesluit-2025-11-14.csv")
    assert not {"ingangsdatum_bestandsnaam", "besluit_vervangt_ander"} & set(codes(folder))


@pytest.mark.parametrize("name, day", [
    ("opgaven/asiel-2026-02-01.csv", D(2026, 2, 1)), ("besluit_20260201.xlsx", D(2026, 2, 1)),
    ("opgave 1-2-2026.xlsx", D(2026, 2, 1)), ("asiel-2026.csv", None), ("asiel-2026-02.csv", None),
    ("a-2025-01-01-tot-2026-02-01.csv", None), ("opgaven\\asiel-2025-07-01.csv", D(2025, 7, 1)),
    ("asiel-2026-02-30.csv", None), ("gm0106-2026.csv", None)])
def test_name_date(name, day):
    assert name_date(name) == day


def test_a_decision_that_lowers_a_target_runs_down_to_it(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    write(folder, "opgaven/a1.csv", "Gemeente;Opgave\nAssen;1.000\n")
    write(folder, "opgaven/a2.csv", "Gemeente;Opgave\nAssen;600\n")
    append(folder, '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2025-01-01\nbestand = "opgaven/a1.csv"\n'
                   '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-07-01\nbestand = "opgaven/a2.csv"\n')
    got = card(folder, "asiel", "GM0106")
    assert got["indicatief_schema"] == pytest.approx(interpolate(D(2026, 1, 1), (D(2025, 1, 1), 1000), (D(2026, 7, 1), 600)))
    assert got["realisatie"] == coa_asiel(folder / "bronnen" / "coa-2025-12-31.csv", "Assen")


def test_a_decision_for_half_the_province_keeps_the_others_at_their_old_target(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    write(folder, "opgaven/a1.csv", "Gemeente;Opgave\nAssen;1.000\nEmmen;700\n")
    write(folder, "opgaven/a2.csv", "Gemeente;Opgave\nAssen;1.100\n")
    append(folder, '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2025-01-01\nbestand = "opgaven/a1.csv"\n'
                   '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-01-01\nbestand = "opgaven/a2.csv"\n')
    assert card(folder, "asiel")["indicatief_schema"] == pytest.approx(1100 + 700)


def test_a_future_decision_alone_is_flat_at_its_amount(tmp_path):
    # SPEC §4: before the first point the line is flat at the first amount; the card names the future date.
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    write(folder, "opgaven/a.csv", "Gemeente;Opgave\nAssen;900\n")
    append(folder, '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-07-01\nbestand = "opgaven/a.csv"\n')
    got = card(folder, "asiel", "GM0106")
    assert got["indicatief_schema"] == 900 and got["startdatum"] == got["einddatum"] == D(2026, 7, 1)


@pytest.mark.parametrize("opgave, header, level", [("oekraine", "Gemeente", "veiligheidsregio"),
                                                     ("asiel", "Veiligheidsregio", "gemeente")])
def test_a_decision_at_the_other_level_says_which_level_the_task_takes(tmp_path, opgave, header, level):
    # Before: the hint said to map a header onto the missing column (municipality names as regions).
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, opgave)
    write(folder, "opgaven/x.csv", f"{header};Opgave\n{'Assen' if header == 'Gemeente' else 'Drenthe'};800\n")
    append(folder, f'[[opgave]]\nopgave = "{opgave}"\ningangsdatum = 2025-02-01\nbestand = "opgaven/x.csv"\n')
    found = melding(folder, "verplichte_kolom_ontbreekt")
    assert found["bestand"] == "opgaven/x.csv" and found["rij"] == 1
    assert f"per {level} vastgesteld" in found["melding"] and f"kolom {header!r}" in found["melding"]
    assert "koppel de kop" not in found["melding"]


@pytest.mark.parametrize("written, day", [('"1 juli 2026"', D(2026, 7, 1)), ('"1-7-2026"', D(2026, 7, 1)),
                                          ("2026-07-01T00:00:00", D(2026, 7, 1)), ('"2026-07"', None),
                                          ('"juli 2026"', None)])
def test_an_ingangsdatum_as_analysts_type_it(tmp_path, written, day):
    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    write(folder, "opgaven/a.csv", "Gemeente;Opgave\nAssen;1.000\n")
    append(folder, f'[[opgave]]\nopgave = "asiel"\ningangsdatum = {written}\nbestand = "opgaven/a.csv"\n')
    ds = load_dataset(folder)
    points = [r["ingangsdatum"] for r in ds.opgaven.to_pylist() if r["opgave"] == "asiel"]
    if day is None:  # a month is no day: refused at its line, never the first of that month
        assert points == [] and check(folder)[0] == 1
        assert any(m["kolom"] == "ingangsdatum" and m["ernst"] == "fout" for m in ds.meldingen.to_pylist())
    else:
        assert points == [day] and check(folder)[0] == 0


# --- the monthly delivery --------------------------------------------------------------------------


def test_a_source_that_stopped_delivering_is_a_warning_and_keeps_its_last_figure(tmp_path):
    # Before: COA's card showed August beside the other sources' December, with a clean check.
    folder = copy(SAMPLE, tmp_path)
    for month in ("2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"):
        drop_bron(folder, f"bronnen/coa-{month}.csv")
    found = melding(folder, "bron_verouderd")
    assert found["bestand"] == "bronnen/coa-2025-08-31.csv" and found["waarde"] == "2025-08-31"
    assert "122 dagen" in found["melding"] and found["ernst"] == "waarschuwing"
    assert check(folder)[0] == 0
    got = card(folder, "asiel")
    assert got["peildatum"] == D(2025, 8, 31)
    assert got["realisatie"] == coa_asiel(folder / "bronnen" / "coa-2025-08-31.csv")


def test_a_source_a_few_weeks_ahead_of_the_others_is_quiet(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    text = (folder / "bronnen" / "nidos-2025-12-29.csv").read_text(encoding="utf-8").replace("29-12-2025", "31-03-2026")
    write(folder, "bronnen/nidos-2026-03-31.csv", text)
    append(folder, '[[bron]]\nbron = "nidos"\nbestand = "bronnen/nidos-2026-03-31.csv"\n')
    assert "bron_verouderd" not in codes(folder)  # 90 days: within a quarter
    assert card(folder, "nidos_amv")["peildatum"] == D(2026, 3, 31)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 900), min_size=1, max_size=6, unique=True),
       st.lists(st.integers(0, 900), min_size=1, max_size=6, unique=True))
def test_property_a_source_is_stale_exactly_by_the_rule(behind, others):
    """``bron_verouderd`` exactly for a source whose last file lies more than 92 days before the dataset's
    latest peildatum and more than twice the median interval between its own files."""
    base = D(2024, 1, 1)
    groups = {("coa", base + dt.timedelta(days=d)): [i] for i, d in enumerate(behind)}
    groups.update({("kcio", base + dt.timedelta(days=d)): [100 + i] for i, d in enumerate(others)})
    index_of = {("coa", d): i for i, d in enumerate(behind)} | {("kcio", d): 100 + i for i, d in enumerate(others)}

    def file(index):
        return pa.table({"bestand": [f"f{index}.csv"], "blad": [None]})

    found = {m.bestand for m in deliveries.stale_sources(groups, file, labels={})}
    latest = max(behind + others)
    expected = set()
    for name, days in (("coa", sorted(behind)), ("kcio", sorted(others))):
        gap = latest - days[-1]
        steps = sorted(b - a for a, b in zip(days, days[1:]))
        if gap > deliveries.STALE_DAYS and not (steps and gap <= 2 * steps[len(steps) // 2]):
            expected.add(f"f{index_of[(name, days[-1])]}.csv")
    assert found == expected


def test_a_delivery_named_for_january_with_a_december_title_warns(tmp_path):
    # Before: read as December's with a clean check; the analyst took the dashboard for January's.
    folder = copy(SAMPLE, tmp_path)
    (folder / "bronnen" / "coa-2025-12-31.csv").rename(folder / "bronnen" / "coa-2026-01-31.csv")
    edit(folder, 'bestand = "bronnen/coa-2025-12-31.csv"', 'bestand = "bronnen/coa-2026-01-31.csv"')
    found = melding(folder, "peildatum_bestandsnaam")
    assert found["bestand"] == "bronnen/coa-2026-01-31.csv" and found["waarde"] == "2025-12-31"
    assert check(folder)[0] == 0 and card(folder, "asiel")["peildatum"] == D(2025, 12, 31)


def test_an_export_named_after_its_day_of_making_is_quiet(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    (folder / "bronnen" / "coa-2025-12-31.csv").rename(folder / "bronnen" / "coa-export-2026-01-05.csv")
    edit(folder, 'bestand = "bronnen/coa-2025-12-31.csv"', 'bestand = "bronnen/coa-export-2026-01-05.csv"')
    assert "peildatum_bestandsnaam" not in codes(folder)
    assert "peildatum_bestandsnaam" not in codes(SAMPLE)


def test_a_renamed_column_with_last_months_kolommen_is_refused_with_both_headers(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    path = folder / "bronnen" / "coa-2025-12-31.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Capaciteit;Bezetting", "Plaatsen;Bezetting"),
                    encoding="utf-8")
    edit(folder, 'bestand = "bronnen/coa-2025-12-31.csv"',
         'bestand = "bronnen/coa-2025-12-31.csv"\nkolommen = { "Aantal plaatsen" = "Capaciteit" }')
    code, output = check(folder)
    assert code == 1 and "'Aantal plaatsen'" in output and "Plaatsen" in output
    edit(folder, '"Aantal plaatsen" = "Capaciteit"', '"Plaatsen" = "Capaciteit"')
    assert check(folder)[0] == 0
    assert card(folder, "asiel")["realisatie"] == coa_asiel(SAMPLE / "bronnen" / "coa-2025-12-31.csv")


def test_a_peildatum_before_one_sources_first_file_shows_no_figure_for_it(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    for month in ("2025-07-31", "2025-08-31"):
        drop_bron(folder, f"bronnen/kcio-{month}.csv")
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--peildatum", "2025-08-15"])
    assert result.exit_code == 0 and "KCIO: geen gegevens" in result.output
    got = card(folder, "oekraine", peildatum=D(2025, 8, 15))
    assert got["realisatie"] is None and got["status"] is None
    assert card(folder, "asiel", peildatum=D(2025, 8, 15))["realisatie"] == coa_asiel(
        folder / "bronnen" / "coa-2025-07-31.csv")


def test_a_replaced_delivery_with_the_same_size_and_time_is_read_again(tmp_path):
    import os

    folder = copy(SAMPLE, tmp_path)
    assert CliRunner().invoke(cli, ["dashboard", str(folder)]).exit_code == 0  # fills the cache
    path = folder / "bronnen" / "coa-2025-12-31.csv"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"AZC Assen;regulier;1.010;909", b"AZC Assen;regulier;1.110;909"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert card(folder, "asiel", "GM0106")["realisatie"] == coa_asiel(path, "Assen")


# --- mergers ---------------------------------------------------------------------------------------


def test_a_2027_coa_file_naming_wijdemeren_by_name_and_code_counts_for_hilversum(tmp_path):
    folder = copy(GOOI, tmp_path)
    path = folder / "bronnen" / "coa-2027-03-31.csv"
    original = rows(path, skip=3)
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n")
                    + "\nWijdemeren;azc Loosdrecht;regulier;100;90\nGM1696;NOL Kortenhoef;noodopvang;30;20\n",
                    encoding="utf-8")
    meldingen = [m for m in load_dataset(folder).meldingen.to_pylist() if m["bestand"] == "bronnen/coa-2027-03-31.csv"]
    assert sorted((m["code"], m["waarde"]) for m in meldingen) == [("voormalige_gemeente", "GM1696"),
                                                                   ("voormalige_gemeente", "Wijdemeren")]
    hilversum = sum(count(r["Capaciteit"]) for r in original if r["Gemeente"] == "Hilversum"
                    and r["Opvangvorm"].lower() != "amv")
    assert card(folder, "asiel", "VR14", "GM0402")["realisatie"] == hilversum + 100 + 30


@pytest.mark.parametrize("van, naar", [("Wijdemeren", "Hilversum"), ("GM0402", "GM1696")])
def test_an_agreement_from_wijdemeren_to_hilversum_in_2027_changes_nothing_and_warns(tmp_path, van, naar):
    # Before: a fout (van and naar the same area), which stopped a dataset whose agreement was made between two
    # municipalities before they merged; in the 2027 division it moves places within Hilversum's one line.
    folder = copy(GOOI, tmp_path)
    before = card(folder, "asiel", "VR14", "GM0402")
    append(folder, f'''
        [[afspraak]]
        omschrijving = "Hilversum neemt van Wijdemeren over"
        opgave = "asiel"
        van = "{van}"
        naar = "{naar}"
        aantal = 20
        ingangsdatum = 2027-01-01
        ''')
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["bestand"] == "opvangkern.toml"]
    assert sorted(m["code"] for m in found) == ["afspraak_binnen_opvolger", "voormalige_gemeente"]
    assert all(m["ernst"] == "waarschuwing" for m in found) and check(folder)[0] == 0
    after = card(folder, "asiel", "VR14", "GM0402")
    assert after["eindpunt"] == before["eindpunt"] and after["indicatief_schema"] == before["indicatief_schema"]
    assert after["afspraken"] == 0


def test_an_agreement_of_one_area_with_itself_stays_a_fout(tmp_path):
    folder = copy(GOOI, tmp_path)
    append(folder, '''
        [[afspraak]]
        opgave = "asiel"
        van = "Hilversum"
        naar = "GM0402"
        aantal = 20
        ingangsdatum = 2027-01-01
        ''')
    assert "afspraak_zelfde_gebied" in codes(folder) and check(folder)[0] == 1


def test_the_sample_on_the_2027_division_keeps_every_figure(tmp_path):
    # Drenthe has no reorganisation in 2027: choosing the provisional division changes nothing.
    folder = copy(SAMPLE, tmp_path)
    edit(folder, 'gebied = "PV22"', 'gebied = "PV22"\nindeling = "2027"')
    assert check(folder)[0] == 0
    new = opvangkern.open_dataset(folder).dashboard()
    old = opvangkern.open_dataset().dashboard()
    assert new.kaarten.to_pylist() == old.kaarten.to_pylist()
    assert new.gemeenten.to_pylist() == old.gemeenten.to_pylist()
    assert all(t.schema.metadata[b"indeling"] == b"2027" for t in new.tables().values())


@pytest.mark.parametrize("written", ['"2025"', '"indeling 2027"'])
def test_a_division_that_is_not_shipped_is_a_fout_listing_the_ones_there_are(tmp_path, written):
    folder = copy(SAMPLE, tmp_path)
    edit(folder, 'gebied = "PV22"', f'gebied = "PV22"\nindeling = {written}')
    code, output = check(folder)
    assert code == 1 and "beschikbaar: 2026, 2027" in output


# --- agreements ------------------------------------------------------------------------------------


def test_an_agreements_file_as_an_analyst_keeps_it(tmp_path):
    # Dutch dates, a thousands dot, Van/Naar by code and by name, a blank row, a totals row, a note.
    folder = copy(SAMPLE, tmp_path)
    write(folder, "afspraken.csv", """
        Afspraken uitruil provincie Drenthe;;;;;;
        ;;;;;;
        Omschrijving;Opgave;Van;Naar;Naar opgave;Aantal;Ingangsdatum
        Emmen neemt over van Assen;asiel;GM0106;Emmen;;1.000;1-2-2026
        ;;;;;;
        Uitruil Tynaarlo;Asiel;Tynaarlo;Drenthe;oekraine;50;1 februari 2026
        Totaal;;;;;1.050;
        * aantallen in plekken;;;;;;
        """)
    append(folder, '[[afspraak]]\nbestand = "afspraken.csv"\n')
    assert check(folder)[0] == 0, check(folder)[1]
    asiel = {r["Gemeente"]: count(r["Opgave"]) for r in rows(SAMPLE / "opgaven" / "asiel-2026-02-01.csv", delimiter=",")}
    ukraine = {r["Veiligheidsregio"]: count(r["Opgave"])
               for r in rows(SAMPLE / "opgaven" / "oekraine-2026-07-01.csv", delimiter=",")}
    dash = opvangkern.open_dataset(folder).dashboard("PV22")
    gemeenten = {r["gemeentenaam"]: r for r in dash.gemeenten.to_pylist()}
    assert gemeenten["Assen"]["asiel_opgave"] == asiel["Assen"] - 1000
    assert gemeenten["Emmen"]["asiel_opgave"] == asiel["Emmen"] + 1000
    assert gemeenten["Tynaarlo"]["asiel_opgave"] == asiel["Tynaarlo"] - 50
    province = next(r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "PV22" and r["opgave"] == "oekraine")
    assert province["eindpunt"] == ukraine["Drenthe"] + 50 and province["afspraken"] == 50
    assert [r["aantal"] for r in dash.afspraken.to_pylist()] == [1000, 50]


def test_a_history_across_the_merger_sums_the_predecessors_before_it(tmp_path):
    # A September 2026 delivery still lists Wijdemeren; in the 2027 division its verloop row for Hilversum
    # is the two municipalities' realisations, against the successor's line (the sum of both lines at the
    # 2025 decision, straight to the enlarged target of 2027).
    folder = copy(GOOI, tmp_path)
    write(folder, "bronnen/coa-2026-09-30.csv", """
        COA - Capaciteit per opvanglocatie;;;;
        Peildatum: 30-09-2026;;;;
        ;;;;
        Gemeente;Locatie;Opvangvorm;Capaciteit;Bezetting
        Hilversum;azc Hilversum;regulier;380;350
        Wijdemeren;Loosdrecht;noodopvang;110;101
        Gooise Meren;azc Bussum;regulier;190;180
        """)
    append(folder, '[[bron]]\nbron = "coa"\nbestand = "bronnen/coa-2026-09-30.csv"\n')
    first, second = ({r["Gemeente"]: count(r["Opgave"]) for r in rows(folder / "opgaven" / name, skip=2)
                      if (r["Gemeentecode"] or "").startswith("GM")}
                     for name in ("asiel-2025-01-01.csv", "asiel-2027-01-01.csv"))
    ds = opvangkern.open_dataset(folder)
    assert ds.division.name == "2027"
    verloop = [r for r in ds.dashboard("VR14").verloop.to_pylist() if r["gebied_code"] == "GM0402" and r["opgave"] == "asiel"]
    september = next(r for r in verloop if r["peildatum"] == D(2026, 9, 30))
    assert september["realisatie"] == 380 + 110
    line = ((D(2025, 1, 1), first["Hilversum"] + first["Wijdemeren"]), (D(2027, 1, 1), second["Hilversum"]))
    assert september["indicatief_schema"] == pytest.approx(interpolate(D(2026, 10, 1), *line))
    assert verloop[-1]["peildatum"] == D(2027, 3, 31) and verloop[-1]["indicatief_schema"] == second["Hilversum"]


def test_the_starter_grown_by_a_copied_block_is_refused_until_its_date_is_set(tmp_path):
    import openpyxl

    folder = tmp_path / "drenthe"
    result = CliRunner().invoke(cli, ["init", str(folder), "--gebied", "PV22", "--ingangsdatum", "1 januari 2025"])
    assert result.exit_code == 0, result.output
    for name, amount in (("asiel-2025-01-01.xlsx", 100), ("asiel-2026-02-01.xlsx", 150)):
        book = openpyxl.load_workbook(folder / "opgaven" / "asiel-2025-01-01.xlsx")
        sheet = book["Opgave"]
        for r in range(2, sheet.max_row + 1):
            if sheet.cell(r, 1).value:
                sheet.cell(r, 3).value = amount
        book.save(folder / "opgaven" / name)
    text = manifest(folder).read_text(encoding="utf-8")
    block = re.search(r'\[\[opgave\]\]\nopgave = "asiel".*?\n\n', text, re.S).group(0)
    append(folder, block.replace("asiel-2025-01-01.xlsx", "asiel-2026-02-01.xlsx"))
    shutil.copy(SAMPLE / "bronnen" / "coa-2025-12-31.csv", folder / "bronnen" / "coa-2025-12-31.csv")
    append(folder, '[[bron]]\nbron = "coa"\nbestand = "bronnen/coa-2025-12-31.csv"\n')
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "besluit_vervangt_ander"]
    assert len(found) == 1 and "ingangsdatum = 2026-02-01" in found[0]["melding"]
    lines = manifest(folder).read_text(encoding="utf-8").splitlines()
    assert lines[found[0]["rij"] - 1] == "[[opgave]]"
    fixed = manifest(folder).read_text(encoding="utf-8")
    head, tail = fixed.rsplit('bestand = "opgaven/asiel-2026-02-01.xlsx"', 1)
    head = head[:head.rindex("ingangsdatum = 2025-01-01")] + "ingangsdatum = 2026-02-01" \
        + head[head.rindex("ingangsdatum = 2025-01-01") + len("ingangsdatum = 2025-01-01"):]
    manifest(folder).write_text(head + 'bestand = "opgaven/asiel-2026-02-01.xlsx"' + tail, encoding="utf-8")
    assert "besluit_vervangt_ander" not in codes(folder)
    twelve = 12  # Drenthe's municipalities, each 100 then 150
    got = card(folder, "asiel")
    assert got["indicatief_schema"] == pytest.approx(interpolate(D(2026, 1, 1), (D(2025, 1, 1), 100 * twelve),
                                                                 (D(2026, 2, 1), 150 * twelve)))


def housing_decisions_over_two_half_years(tmp_path: Path) -> tuple[Path, list[tuple[str, int, int]]]:
    """The sample with the 2026-I housing decisions written as the quota-files page and the starter say:
    the backlog on the half-year's first day (a second block on 1 January 2026), the corrected target on
    the day after it (1 July 2026). Returns (gemeente, backlog, corrected target) per municipality."""
    folder = copy(SAMPLE, tmp_path)
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    figures = []
    for r in december:
        backlog = max(0, int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"]))  # a quota file has no voorsprong
        figures.append((r["Gemeente"], backlog, backlog + int(r["Taakstelling"])))
    write(folder, "opgaven/vergunninghouders-2026-01-01-achterstand.csv",
          "Gemeente;Opgave\n" + "".join(f"{g};{b}\n" for g, b, _ in figures))
    write(folder, "opgaven/vergunninghouders-2026-07-01.csv",
          "Gemeente;Opgave\n" + "".join(f"{g};{t}\n" for g, _, t in figures))
    edit(folder, 'bestand = "opgaven/vergunninghouders-2026-01-01.csv"\n',
         'bestand = "opgaven/vergunninghouders-2026-01-01.csv"\n\n[[opgave]]\nopgave = "vergunninghouders"\n'
         'ingangsdatum = 2026-01-01\nbestand = "opgaven/vergunninghouders-2026-01-01-achterstand.csv"\n\n'
         '[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2026-07-01\n'
         'bestand = "opgaven/vergunninghouders-2026-07-01.csv"\n')
    write(folder, "bronnen/tvs-2026-01-31.csv", "Gemeente;Gerealiseerd\n" + "".join(f"{g};3\n" for g, _, _ in figures))
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n')
    return folder, figures


def test_housing_decisions_over_two_half_years_keep_the_old_half_years_cards(tmp_path):
    # Before: the backlog block on 1 January won over the corrected target there (two decisions on one day),
    # so the December card read the 2026-I backlog (op schema) instead of 819 (achter), with exit 0.
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    end = sum(count(r["Taakstelling"]) for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv"))
    found = melding(folder, "halfjaar_overgang")
    assert found["ernst"] == "waarschuwing" and found["waarde"] == "2026-01-01"
    assert found["bestand"] == "opgaven/vergunninghouders-2026-01-01-achterstand.csv"
    assert check(folder)[0] == 0
    old = card(folder, "vergunninghouders", peildatum=D(2025, 12, 31))
    assert old["indicatief_schema"] == pytest.approx(end) and old["status"] == "achter"
    new = card(folder, "vergunninghouders")
    backlog, target = sum(b for _, b, _ in figures), sum(t for _, _, t in figures)
    assert new["realisatie"] == 3 * len(figures)
    assert new["indicatief_schema"] == pytest.approx(interpolate(D(2026, 2, 1), (D(2026, 1, 1), backlog),
                                                                 (D(2026, 7, 1), target)))


def test_two_housing_decisions_on_the_last_day_are_a_correction_and_the_later_counts(tmp_path):
    # No decision after the day: no half-year begins there; the later decision wins, quietly (SPEC §4).
    folder = copy(SAMPLE, tmp_path)
    write(folder, "opgaven/vergunninghouders-2026-01-01-definitief.csv",
          "Gemeente;Opgave\n" + "".join(f"{r['Gemeente']};{count(r['Taakstelling']) + 1}\n"
                                        for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv")))
    edit(folder, 'bestand = "opgaven/vergunninghouders-2026-01-01.csv"\n',
         'bestand = "opgaven/vergunninghouders-2026-01-01.csv"\n\n[[opgave]]\nopgave = "vergunninghouders"\n'
         'ingangsdatum = 2026-01-01\nbestand = "opgaven/vergunninghouders-2026-01-01-definitief.csv"\n')
    assert "halfjaar_overgang" not in codes(folder)
    end = sum(count(r["Taakstelling"]) + 1 for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv"))
    assert card(folder, "vergunninghouders")["indicatief_schema"] == pytest.approx(end)


@pytest.mark.parametrize("typo", [0, 10])
def test_the_new_half_years_tvs_export_is_checked_against_the_turned_decisions(tmp_path, typo):
    # The sample keeps housing decisions and TVS exports with the line side by side; the 2026-I export states
    # the backlog on 1 January, which the turned line holds from the new half-year on: quiet when it agrees
    # (before this it was compared with the old half-year's end, 819), a warning when it does not.
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    drop_bron(folder, "bronnen/tvs-2026-01-31.csv")
    december = {r["Gemeente"]: r for r in rows(SAMPLE / "bronnen" / "tvs-2025-12-31.csv")}
    lines = ["Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd"]
    for gemeente, backlog, target in figures:
        shown = backlog + (typo if gemeente == "Assen" else 0)
        lines.append(f"{gemeente};2026-I;{december[gemeente]['Taakstelling']};{shown};{target};3")
    write(folder, "bronnen/tvs-2026-01-31.csv", "\n".join(lines) + "\n")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n')
    differing = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "opgave_bron_wijkt_af"]
    assert [m["waarde"] for m in differing] == ([] if not typo else [str(dict((g, b) for g, b, _ in figures)["Assen"] + typo)])


def test_a_starter_for_a_decision_after_the_merger_lists_the_municipalities_of_that_day(tmp_path):
    # Before: `init --ingangsdatum 2027-02-01` wrote the 2026 division's list (Wijdemeren beside Hilversum).
    import openpyxl

    folder = tmp_path / "gooi"
    result = CliRunner().invoke(cli, ["init", str(folder), "--gebied", "Gooi en Vechtstreek",
                                      "--ingangsdatum", "1 februari 2027"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(folder / "opgaven" / "asiel-2027-02-01.xlsx")["Opgave"]
    names = [sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value]
    from opvangkern.areas import load_division

    assert sorted(names) == sorted(a.naam for a in load_division("2027").members("VR14"))
    assert "Wijdemeren" not in names and "Hilversum" in names
    text = manifest(folder).read_text(encoding="utf-8")
    assert re.search(r'^indeling = "2027"', text, re.M)
    assert load_dataset(folder).division.name == "2027"


def test_a_starter_for_a_date_before_the_merger_keeps_the_default_division(tmp_path):
    folder = tmp_path / "gooi"
    assert CliRunner().invoke(cli, ["init", str(folder), "--gebied", "VR14", "--ingangsdatum", "1-7-2026"]).exit_code == 0
    assert not re.search(r"^indeling", manifest(folder).read_text(encoding="utf-8"), re.M)


def test_a_title_typed_a_year_ahead_is_named_by_its_file_name_and_the_others_lag(tmp_path):
    # Before: 31-12-2026 in December's KCIO title lay 396 days from the November file (under the 400 days of
    # peildatum_ver_weg), so the KCIO card said "31 december 2026" with a clean check.
    folder = copy(SAMPLE, tmp_path)
    path = folder / "bronnen" / "kcio-2025-12-31.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Stand per 31 december 2025", "Stand per 31 december 2026"),
                    encoding="utf-8")
    found = load_dataset(folder).meldingen.to_pylist()
    named = [m for m in found if m["code"] == "peildatum_bestandsnaam"]
    assert [(m["bestand"], m["waarde"]) for m in named] == [("bronnen/kcio-2025-12-31.csv", "2026-12-31")]
    assert sorted(m["bestand"] for m in found if m["code"] == "bron_verouderd") == [
        "bronnen/coa-2025-12-31.csv", "bronnen/nidos-2025-12-29.csv", "bronnen/tvs-2025-12-31.csv"]


_DAYS = st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31))
_WORDS = st.sampled_from(["asiel", "opgave", "verdeelbesluit", "amv", "besluit_", "Opgave ", "vh"])


@settings(max_examples=200, deadline=None)
@given(_DAYS, _WORDS, st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}{m:02d}{d:02d}", "{d}-{m}-{y}", "{d:02d}.{m:02d}.{y}",
                                       "{y}_{m:02d}_{d:02d}"]), st.sampled_from([".csv", ".xlsx", ""]))
def test_property_a_name_with_one_day_gives_that_day(day, word, form, ext):
    name = f"opgaven/{word}-" + form.format(y=day.year, m=day.month, d=day.day) + f"-definitief{ext}"
    assert name_date(name) == day


@settings(max_examples=100, deadline=None)
@given(_DAYS, _DAYS)
def test_property_a_name_with_two_days_gives_none(one, two):
    name = f"asiel-{one.isoformat()}-tot-{two.isoformat()}.csv"
    assert name_date(name) == (one if one == two else None)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["asiel", "amv"]), st.sampled_from([D(2025, 1, 1), D(2026, 2, 1), D(2026, 7, 1)]),
                          st.sampled_from([D(2025, 1, 1), D(2026, 2, 1), D(2026, 7, 1), D(2025, 11, 14), None])),
                min_size=1, max_size=5))
def test_property_a_decision_replaces_another_exactly_by_the_rule(entries):
    """``besluit_vervangt_ander`` for exactly the entries named after another day than their ingangsdatum
    while another entry of the task on that ingangsdatum is named after it; ``ingangsdatum_bestandsnaam``
    for the other mismatching names on the first of a month; each file named once."""
    from opvangkern.dataset.manifest import parse_manifest

    text = '[dataset]\nnaam = "x"\n'
    for index, (task, day, named) in enumerate(entries):
        name = f"opgaven/{task}-{index}" + (f"-{named.isoformat()}" if named else "") + ".csv"
        text += f'\n[[opgave]]\nopgave = "{task}"\ningangsdatum = {day.isoformat()}\nbestand = "{name}"\n'
    manifest_, meldingen = parse_manifest(text, "x")
    lines = [e.regel for e in manifest_.opgaven]
    replaced, misnamed = set(), set()
    for index, (task, day, named) in enumerate(entries):
        if named is None or named == day:
            continue
        if any(o is not index and t == task and d == day and n == day
               for o, (t, d, n) in enumerate(entries) if o != index):
            replaced.add(lines[index])
        elif named.day == 1:
            misnamed.add(lines[index])
    assert {m.rij for m in meldingen if m.code == "besluit_vervangt_ander"} == replaced
    assert {m.rij for m in meldingen if m.code == "ingangsdatum_bestandsnaam"} == misnamed
    assert all(m.code in ("besluit_vervangt_ander", "ingangsdatum_bestandsnaam") for m in meldingen)


def test_a_second_decision_on_the_same_workbook_without_blad_is_the_first_sheet_twice(tmp_path):
    import openpyxl

    folder = copy(SAMPLE, tmp_path)
    drop_task(folder, "asiel")
    book = openpyxl.Workbook()
    first = book.active
    first.title = "2025"
    for row in (["Gemeente", "Opgave"], ["Assen", 1000], ["Emmen", 700]):
        first.append(row)
    second = book.create_sheet("2026")
    for row in (["Gemeente", "Opgave"], ["Assen", 1200], ["Emmen", 800]):
        second.append(row)
    book.save(folder / "opgaven" / "asiel.xlsx")
    append(folder, '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2025-01-01\nbestand = "opgaven/asiel.xlsx"\nblad = "2025"\n'
                   '[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-02-01\nbestand = "opgaven/asiel.xlsx"\n')
    assert "bestand_dubbel" in codes(folder) and check(folder)[0] == 1
    edit(folder, 'ingangsdatum = 2026-02-01\nbestand = "opgaven/asiel.xlsx"\n',
         'ingangsdatum = 2026-02-01\nbestand = "opgaven/asiel.xlsx"\nblad = "2026"\n')
    assert check(folder)[0] == 0
    assert card(folder, "asiel")["indicatief_schema"] == pytest.approx(
        interpolate(D(2026, 1, 1), (D(2025, 1, 1), 1700), (D(2026, 2, 1), 2000)))


@pytest.mark.parametrize("change", ["reordered", "added", "alias"])
def test_a_new_months_coa_header_reordered_extended_or_renamed_to_an_alias_gives_the_same_figure(tmp_path, change):
    folder = copy(SAMPLE, tmp_path)
    path = folder / "bronnen" / "coa-2025-12-31.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, body = lines[:3], [line.split(";") for line in lines[3:]]
    if change == "reordered":  # Capaciteit before Locatie, Gemeentecode last
        body = [[r[0], r[4], r[2], r[3], r[5], r[1]] for r in body]
    elif change == "added":  # a remark and a percentage beside the counts
        body = [r + (["Opmerking", "Bezetting (%)"] if i == 0 else ["", f"{round(100 * int(r[5]) / max(1, count(r[4])))}%"])
                for i, r in enumerate(body)]
    else:
        body[0][4] = "Plekken"
    path.write_text("\n".join(head + [";".join(r) for r in body]) + "\n", encoding="utf-8")
    assert check(folder)[0] == 0
    assert card(folder, "asiel")["realisatie"] == coa_asiel(SAMPLE / "bronnen" / "coa-2025-12-31.csv")
    assert card(folder, "amv")["realisatie"] == sum(count(r["Capaciteit"]) for r in rows(
        SAMPLE / "bronnen" / "coa-2025-12-31.csv", skip=3) if r["Opvangvorm"] == "AMV")


@pytest.mark.parametrize("gebied, day, shown", [
    ("Weesp", None, "Gebied: gemeente Amsterdam (GM0363), gemeentelijke indeling 2026"),
    ("Wijdemeren", "1 februari 2027", "Gebied: gemeente Hilversum (GM0402), gemeentelijke indeling 2027"),
    ("Wijdemeren", "1 juli 2026", "Gebied: gemeente Wijdemeren (GM1696), gemeentelijke indeling 2026")])
def test_init_says_which_area_a_former_municipality_became(tmp_path, gebied, day, shown):
    args = ["init", str(tmp_path / "m"), "--gebied", gebied] + (["--ingangsdatum", day] if day else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and result.output.splitlines()[0] == shown
    code = shown.split("(")[1].split(")")[0]
    assert f'gebied = "{code}"' in manifest(tmp_path / "m").read_text(encoding="utf-8")
