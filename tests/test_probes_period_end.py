"""A card's own half-year when a later half-year's housing line is in the dataset (eleventh session, ``fix11a``).

An analyst adds the 2026-I housing decisions (or the January TVS export, whose period and backlog give the
line) before the December dashboard is made. The December count is a 2025-II count; before this branch its
``prognose`` projected it to 2026-I's end (``doel`` 765 on 1 July 2026, ``op_koers``) and the ``gemeenten``
table set 2026-I's targets against it (Assen: 46 − 80 = delta −34, although its 2025-II end is 87). The rule
now: the last point **of the card's own period** (``engine.period_end``). Expected figures are plain
arithmetic on the files' own rows. Cases in docs/decisions.md, "A card's own half-year".
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern import engine
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset

sys.path.insert(0, str(Path(__file__).parent))
from test_probes_time import (  # noqa: E402  (the ninth session's helpers for the same datasets)
    SAMPLE, append, copy, edit, housing_decisions_over_two_half_years, housing_from_tvs, rows,
    tvs_next_half_year, write,
)

D = dt.date
MONTH = 365.25 / 12
HOUSING = "vergunninghouders"
DECEMBER = D(2025, 12, 31)
B = D(2026, 1, 1)  # the turn: 2025-II ends at its corrected target here, 2026-I starts at its backlog


def row_of(table: pa.Table, gebied: str = "PV22", opgave: str = HOUSING) -> dict:
    found = [r for r in table.to_pylist() if r["gebied_code"] == gebied and r["opgave"] == opgave]
    assert len(found) == 1, found
    return found[0]


def municipality(table: pa.Table, code: str) -> dict:
    found = [r for r in table.to_pylist() if r["gemeentecode"] == code]
    assert len(found) == 1, found
    return found[0]


def december_rows() -> list[dict[str, str]]:
    return rows(SAMPLE / "bronnen" / "tvs-2025-12-31.csv")


def codes_of(names: list[str]) -> dict[str, str]:
    division = load_dataset(SAMPLE).division
    return {name: division.resolve_gemeente(name).code for name in names}


def decisions_without_january(tmp_path: Path) -> tuple[Path, list[tuple[str, int, int]]]:
    """The sample with the 2026-I decisions added and no 2026-I delivery yet: the December dashboard."""
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    edit(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n', "")
    (folder / "bronnen" / "tvs-2026-01-31.csv").unlink()
    return folder, figures


def a_2026_i_line(tmp_path: Path, kind: str) -> Path:
    """The sample beside a 2026-I housing line: from decisions (the December dashboard, no January file) or from
    the January TVS export (the card is January's; ``peildatum=31 December`` gives the December card)."""
    if kind == "besluiten":
        return decisions_without_january(tmp_path)[0]
    folder = housing_from_tvs(tmp_path)
    tvs_next_half_year(folder, realised=3)
    return folder


def pace(p: dt.date, r: int, p0: dt.date, r0: int, doel: float, doeldatum: dt.date) -> dict:
    """The SPEC's pace, by hand."""
    expected = p + dt.timedelta(days=math.ceil((doel - r) * (p - p0).days / (r - r0))) if r > r0 and r < doel else None
    return {
        "tempo_per_maand": (r - r0) / (p - p0).days * MONTH,
        "benodigd_per_maand": ((doel - r) / (doeldatum - (p + dt.timedelta(days=1))).days * MONTH
                               if doeldatum > p + dt.timedelta(days=1) else None),
        "verwachte_datum": expected,
        "prognose": "bereikt" if r >= doel else ("op_koers" if expected and expected <= doeldatum else "niet_op_koers"),
    }


# --- 1. the engine rule and its oracle ------------------------------------------------------------------


_POINT = st.tuples(st.integers(0, 40), st.integers(-5, 30))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_POINT, min_size=1, max_size=7), min_size=1, max_size=4), st.data())
def test_property_period_end_agrees_with_its_oracle(raw_lines, data):
    """For lines with and without turns (one or two made on purpose), the vectorised period end equals the
    plain-Python oracle's for every peildatum, a null one and an unknown line included; it is always a point
    of the line, never before the peildatum's own period start, and the line's last point without a turn."""
    base = D(2025, 12, 20)
    ids, days, amounts, points = [], [], [], {}

    def add(line: int, day: dt.date, amount: float) -> None:
        ids.append(line)
        days.append(day)
        amounts.append(amount)
        points.setdefault(line, []).append((day, amount))

    for line, raw in enumerate(raw_lines):
        for offset, amount in raw:
            add(line, base + dt.timedelta(days=offset), float(amount))
    for _ in range(data.draw(st.integers(1, 2))):
        line = data.draw(st.integers(0, len(raw_lines) - 1))
        b = base + dt.timedelta(days=data.draw(st.sampled_from([50, 120])))
        for day, amount in ((b - dt.timedelta(days=30), 1.0), (b, 9.0), (b + dt.timedelta(days=1), 9.0),
                            (b + dt.timedelta(days=2), 3.0), (b + dt.timedelta(days=40), 12.0)):
            add(line, day, amount)
    lines = engine.build_lines(pa.array(ids, pa.int64()), pa.array(days, pa.date32()), pa.array(amounts))
    queries = [(q, base + dt.timedelta(days=data.draw(st.integers(-3, 180)))) for q in range(len(raw_lines))
               for _ in range(4)]
    queries += [(0, None), (len(raw_lines) + 7, base)]
    query = pa.array([q for q, _ in queries], pa.int64())
    peildata = pa.array([p for _, p in queries], pa.date32())
    day, amount = engine.period_end(lines, query, peildata)
    last_day, last_amount = engine.last_point(lines, query)
    starts = engine.period_start(lines, query, peildata).to_pylist()
    for i, (q, p) in enumerate(queries):
        want = engine.reference_periods.period_end(points.get(q, []), p)
        got = (day[i].as_py(), amount[i].as_py())
        if want is None:
            assert got == (None, None)
            continue
        assert got[0] == want[0] and got[1] == pytest.approx(want[1]), (q, p)
        line = dict(engine.reference.normalise_points(points[q]))
        assert got[1] == pytest.approx(line[got[0]])
        if starts[i] is not None:
            assert got[0] >= starts[i]
        if not engine.reference_periods.turns(points[q]) or p is None:
            assert got == (last_day[i].as_py(), last_amount[i].as_py())


def test_period_end_without_turns_is_the_last_point_itself():
    lines = engine.build_lines(pa.array([0, 0, 1]), pa.array([D(2025, 7, 1), B, D(2025, 2, 1)]),
                               pa.array([454.0, 819.0, 10.0]))
    query, days = pa.array([0, 1, 0]), pa.array([DECEMBER, DECEMBER, None], pa.date32())
    assert [a.to_pylist() for a in engine.period_end(lines, query, days)] == [
        a.to_pylist() for a in engine.last_point(lines, query)]


# --- 2. the December card beside a 2026-I line ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["besluiten", "tvs"])
@pytest.mark.parametrize("gebied", ["PV22", "VR03"])
def test_a_december_card_beside_a_2026_i_line_is_projected_to_its_own_half_years_end(tmp_path, kind, gebied):
    # Before: doel 765 on 1 July 2026 (2026-I's end), op_koers, exit 0; now 819 on 1 January 2026.
    folder = a_2026_i_line(tmp_path, kind)
    december = december_rows()
    end = sum(int(r["Gecorrigeerde taakstelling"]) for r in december)
    housed = sum(int(r["Gerealiseerd"]) for r in december)
    september = sum(int(r["Gerealiseerd"]) for r in rows(SAMPLE / "bronnen" / "tvs-2025-09-30.csv"))
    assert end == 819
    dash = opvangkern.open_dataset(folder).dashboard(gebied, peildatum=DECEMBER)
    prognose = row_of(dash.prognose, gebied)
    assert (prognose["peildatum"], prognose["realisatie"]) == (DECEMBER, housed)
    assert (prognose["doel"], prognose["doeldatum"]) == (end, B)
    assert prognose["vorige_peildatum"] == D(2025, 9, 30)
    want = pace(DECEMBER, housed, D(2025, 9, 30), september, end, B)
    assert prognose["tempo_per_maand"] == pytest.approx(want["tempo_per_maand"])
    assert prognose["benodigd_per_maand"] is None  # the deadline, 1 January, is the day the count is read on
    assert prognose["verwachte_datum"] == want["verwachte_datum"] and prognose["prognose"] == "niet_op_koers"
    card = row_of(dash.kaarten, gebied)
    assert (card["einddatum"], card["eindpunt"]) == (prognose["doeldatum"], prognose["doel"])
    # exactly the December card of the sample without the later half-year
    alone = opvangkern.open_dataset(copy(SAMPLE, tmp_path, "alone")).dashboard(gebied, peildatum=DECEMBER)
    assert row_of(alone.prognose, gebied) == prognose


@pytest.mark.parametrize("kind", ["besluiten", "tvs"])
def test_the_municipality_table_of_a_december_dashboard_sets_2025_ii_ends_against_2025_ii_counts(tmp_path, kind):
    # Before: Assen 46 (its 2026-I end) − 80 = delta −34 and every other municipality likewise; now its 2025-II
    # end 87 − 80 = 7. The 2025-II end is the decision of 1 January 2026 (or the export's corrected target).
    folder = a_2026_i_line(tmp_path, kind)
    december = december_rows()
    codes = codes_of([r["Gemeente"] for r in december])
    if kind == "besluiten":
        ends = {r["Gemeente"]: int(r["Taakstelling"]) for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv")}
    else:
        ends = {r["Gemeente"]: int(r["Gecorrigeerde taakstelling"]) for r in december}
    dash = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=DECEMBER)
    for r in december:
        row = municipality(dash.gemeenten, codes[r["Gemeente"]])
        assert row["vergunninghouders_opgave"] == ends[r["Gemeente"]], r["Gemeente"]
        assert row["vergunninghouders_realisatie"] == int(r["Gerealiseerd"])
        assert row["vergunninghouders_delta"] == ends[r["Gemeente"]] - int(r["Gerealiseerd"])
        card = row_of(dash.kaarten, codes[r["Gemeente"]])
        assert card["eindpunt"] == row["vergunninghouders_opgave"]  # the table and the card agree
    assen = municipality(dash.gemeenten, codes["Assen"])
    assert (assen["vergunninghouders_opgave"], assen["vergunninghouders_delta"]) == (87, 7)
    assert row_of(dash.prognose, codes["Assen"])["prognose"] == "niet_op_koers"  # before: bereikt (80 of 46)
    # the other tasks keep the SPEC's last point (their lines do not turn)
    alone = opvangkern.open_dataset(copy(SAMPLE, tmp_path, "alone")).dashboard("PV22", peildatum=DECEMBER)
    assert dash.gemeenten.drop_columns(["vergunninghouders_afspraken"]).equals(
        alone.gemeenten.drop_columns(["vergunninghouders_afspraken"]))


@pytest.mark.parametrize("kind", ["besluiten", "tvs"])
def test_a_january_card_reads_the_2026_i_end(tmp_path, kind):
    if kind == "besluiten":
        folder, figures = housing_decisions_over_two_half_years(tmp_path)
        targets = {g: t for g, _, t in figures}
    else:
        folder = housing_from_tvs(tmp_path)
        tvs_next_half_year(folder, realised=3)
        targets = {r["Gemeente"]: int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"]) + int(r["Taakstelling"])
                   for r in december_rows()}
    codes = codes_of(list(targets))
    for gebied in ("PV22", "VR03"):
        dash = opvangkern.open_dataset(folder).dashboard(gebied)
        prognose = row_of(dash.prognose, gebied)
        assert prognose["peildatum"] == D(2026, 1, 31) and prognose["realisatie"] == 3 * len(targets)
        assert (prognose["doel"], prognose["doeldatum"]) == (sum(targets.values()), D(2026, 7, 1))
        for name, target in targets.items():
            row = municipality(dash.gemeenten, codes[name])
            assert (row["vergunninghouders_opgave"], row["vergunninghouders_delta"]) == (target, target - 3)
            assert row_of(dash.prognose, codes[name])["doel"] == target


def test_a_peildatum_on_the_turn_and_on_the_day_after_it(tmp_path):
    # A delivery of 1 January (B: "Stand per 1 januari" is still 2025-II's) and one of 2 January (B + 1: 2026-I,
    # counted from 0). B reads 2025-II's end, B + 1 2026-I's, in prognose and in the municipality table.
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    shutil.copy(folder / "bronnen" / "tvs-2025-12-31.csv", folder / "bronnen" / "tvs-2026-01-01.csv")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-01.csv"\npeildatum = 2026-01-01\n')
    write(folder, "bronnen/tvs-2026-01-02.csv", "Gemeente;Gerealiseerd\n" + "".join(f"{g};1\n" for g, _, _ in figures))
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-02.csv"\npeildatum = 2026-01-02\n')
    december = december_rows()
    codes = codes_of([g for g, _, _ in figures])
    ends = {r["Gemeente"]: int(r["Taakstelling"]) for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv")}
    on_b = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=B)
    prognose = row_of(on_b.prognose)
    assert prognose["peildatum"] == B and prognose["realisatie"] == sum(int(r["Gerealiseerd"]) for r in december)
    assert (prognose["doel"], prognose["doeldatum"]) == (sum(ends.values()), B)
    for r in december:
        row = municipality(on_b.gemeenten, codes[r["Gemeente"]])
        assert row["vergunninghouders_delta"] == ends[r["Gemeente"]] - int(r["Gerealiseerd"])
    after = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=B + dt.timedelta(days=1))
    prognose = row_of(after.prognose)
    assert prognose["peildatum"] == B + dt.timedelta(days=1) and prognose["realisatie"] == len(figures)
    assert (prognose["doel"], prognose["doeldatum"]) == (sum(t for _, _, t in figures), D(2026, 7, 1))
    assert prognose["benodigd_per_maand"] == pytest.approx(
        (prognose["doel"] - len(figures)) / (D(2026, 7, 1) - D(2026, 1, 3)).days * MONTH)
    for g, _, target in figures:
        assert municipality(after.gemeenten, codes[g])["vergunninghouders_delta"] == target - 1


def test_an_agreement_on_a_card_of_the_turns_day_counts_its_own_amount(tmp_path):
    # Before: the card of 1 January (B) compared its end on B (after the agreement) with the line without
    # agreements at B + 2 (2026-I's start): Drenthe's `afspraken` +414,97 and Assen's +69,57 for an agreement
    # of 10 inside the province. Now 0 and −10, as on 31 December; the municipality table likewise.
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    append(folder, '[[afspraak]]\nomschrijving = "Tynaarlo huisvest 10 statushouders voor Assen"\n'
                   'opgave = "vergunninghouders"\nvan = "Assen"\nnaar = "Tynaarlo"\naantal = 10\n'
                   'ingangsdatum = 2025-10-01\n')
    shutil.copy(folder / "bronnen" / "tvs-2025-12-31.csv", folder / "bronnen" / "tvs-2026-01-01.csv")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-01.csv"\npeildatum = 2026-01-01\n')
    codes = codes_of(["Assen", "Tynaarlo"])
    ends = {r["Gemeente"]: int(r["Taakstelling"]) for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv")}
    for day in (DECEMBER, B):
        dash = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=day)
        assert row_of(dash.kaarten)["afspraken"] == 0
        assert row_of(dash.kaarten, codes["Assen"])["afspraken"] == -10
        assert row_of(dash.kaarten, codes["Assen"])["eindpunt"] == ends["Assen"] - 10
        assert row_of(dash.kaarten, codes["Tynaarlo"])["afspraken"] == 10
        assen = municipality(dash.gemeenten, codes["Assen"])
        assert (assen["vergunninghouders_opgave"], assen["vergunninghouders_afspraken"]) == (ends["Assen"] - 10, -10)


# --- 3. what reads the card's doel: text view, page, chart, csv, xlsx -------------------------------------


def test_every_output_of_a_december_dashboard_names_the_half_years_own_end(tmp_path):
    # Before: the text view said "haalt 1 juli 2026 (verwacht 22 mei 2026)", the page drew the projection to
    # 1 July 2026 and the csv/xlsx gemeenten had 2026-I's targets; now all of them are the December sample's.
    folder, figures = decisions_without_january(tmp_path)
    alone = copy(SAMPLE, tmp_path, "alone")
    runner = CliRunner()

    def housing_text(where: Path) -> str:
        result = runner.invoke(cli, ["dashboard", str(where)])
        assert result.exit_code == 0, result.output
        return result.output.split("## Huisvesting vergunninghouders")[1].split("\n## ")[0]

    text = housing_text(folder)
    assert "1 juli 2026" not in text and "haalt 1 januari 2026 niet" in text
    assert text == housing_text(alone)
    for where in (folder, alone):
        assert runner.invoke(cli, ["dashboard", str(where), "--format", "csv", "-o", str(where / "uit")]).exit_code == 0
        assert runner.invoke(cli, ["dashboard", str(where), "--format", "xlsx", "-o", str(where / "d.xlsx")]
                             ).exit_code == 0
        assert runner.invoke(cli, ["dashboard", str(where), "--format", "html", "-o", str(where / "d.html")]
                             ).exit_code == 0

    def read_csv(where: Path, name: str) -> list[dict[str, str]]:
        path = next((where / "uit").rglob(f"{name}.csv"))
        sample = path.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(sample.splitlines()[0])
        return list(csv.DictReader(sample.splitlines(), dialect=dialect))

    for name in ("gemeenten", "prognose", "verloop", "kaarten"):
        assert read_csv(folder, name) == read_csv(alone, name), name
    housing = [r for r in read_csv(folder, "prognose") if r["opgave"] == HOUSING and r["gebied_code"] == "PV22"]
    assert housing[0]["doeldatum"] == "2026-01-01"
    import openpyxl

    def sheet(where: Path) -> list[tuple]:
        book = openpyxl.load_workbook(where / "d.xlsx", read_only=True)
        name = next(n for n in book.sheetnames if n.lower().startswith("gemeente"))
        return list(book[name].iter_rows(values_only=True))

    assert sheet(folder) == sheet(alone)
    page = (folder / "d.html").read_text(encoding="utf-8")
    card = page.split('id="kaart-vergunninghouders"')[1].split("</article>")[0]
    assert "<p class=tempo>tempo +73 per maand: de doeldatum 1 januari 2026 is voorbij</p>" in card
    assert "1 juli 2026" not in card.split("<svg")[0] + card.split("</svg>")[-1]
    # the notes name the turn once (before: "Per 2 januari 2026 werd die 819. Per 3 januari 2026 werd die 404",
    # the two points kept for the line, the second no decision's figure)
    backlog = sum(b for _, b, _ in figures)
    notes = page.split('id="toelichting-vergunninghouders"')[1].split("</section>")[0]
    assert (f"Per 1 januari 2026 werd die 819, het einde van het halfjaar; het nieuwe halfjaar begint die dag bij "
            f"{backlog} (de achterstand). De nieuwe opgave is {sum(t for _, _, t in figures)} per 1 juli 2026.") in notes
    assert "2 januari" not in notes and "3 januari" not in notes


def test_the_chart_projection_of_a_december_card_ends_at_its_own_deadline(tmp_path):
    from opvangkern.output.html.timeline import projection_end

    folder = a_2026_i_line(tmp_path, "tvs")
    dash = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=DECEMBER)
    card, prognose = row_of(dash.kaarten), row_of(dash.prognose)
    assert prognose["doeldatum"] == B
    assert projection_end(prognose, card) is None  # the deadline is the day its count is read on: nothing ahead
    january = opvangkern.open_dataset(folder).dashboard("PV22")
    end = projection_end(row_of(january.prognose), row_of(january.kaarten))
    assert end is None or end[0] == D(2026, 7, 1)  # January has no pace yet (a new half-year)


# --- 4. halfjaar_zonder_opgave per municipality ---------------------------------------------------------


def test_a_municipality_left_out_of_the_new_half_years_decision_is_a_fout(tmp_path):
    # The 2026-I decisions without Assen: Assen's line ends on 1 January 2026 while the others run to 1 July.
    # Before: only the dataset's last day was looked at, so Assen's January count (3) was read against its flat
    # 2025-II end (87, achter), exit 0. Now a fout on Assen's row of the January file.
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    for name in ("opgaven/vergunninghouders-2026-01-01-achterstand.csv", "opgaven/vergunninghouders-2026-07-01.csv"):
        path = folder / name
        path.write_text("".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("Assen;")), encoding="utf-8")
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "halfjaar_zonder_opgave"]
    assert len(found) == 1
    melding = found[0]
    january = (folder / "bronnen" / "tvs-2026-01-31.csv").read_text(encoding="utf-8").splitlines()
    assen_row = next(i for i, line in enumerate(january, start=1) if line.startswith("Assen;"))
    assert (melding["ernst"], melding["bestand"], melding["rij"], melding["kolom"], melding["waarde"]) == (
        "fout", "bronnen/tvs-2026-01-31.csv", assen_row, "peildatum", "2026-01-31")
    assert f"Assen (GM0106, rij {assen_row})" in melding["melding"] and "loopt tot 1 januari 2026" in melding["melding"]
    assert "1 juli 2026" in melding["melding"]
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 1
    # the complete decisions are quiet
    complete, _ = housing_decisions_over_two_half_years(tmp_path / "complete")
    assert "halfjaar_zonder_opgave" not in [m["code"] for m in load_dataset(complete).meldingen.to_pylist()]


# --- 5. a municipality that housed nobody in the old half-year -------------------------------------------


@pytest.mark.parametrize("kind", ["besluiten", "tvs"])
def test_a_municipality_whose_backlog_is_its_old_end_turns_with_the_others(tmp_path, kind):
    # Assen's 2026-I backlog equals its 2025-II corrected target (87: nobody housed). Before: the two equal
    # figures on 1 January were no turn, so Assen's December card read its 2026-I end (doel on 1 July 2026) and
    # Drenthe's summed line lost its turn: the December card was projected to 1 July 2026 and January's pace was
    # measured against December's count. Now Assen turns with the other eleven.
    december = december_rows()
    assen = next(r for r in december if r["Gemeente"] == "Assen")
    old_end = int(assen["Gecorrigeerde taakstelling"])
    if kind == "besluiten":
        folder, figures = housing_decisions_over_two_half_years(tmp_path)
        for name, value in (("opgaven/vergunninghouders-2026-01-01-achterstand.csv", old_end),
                            ("opgaven/vergunninghouders-2026-07-01.csv", old_end + int(assen["Taakstelling"]))):
            path = folder / name
            path.write_text("".join((f"Assen;{value}" if line.startswith("Assen;") else line) + "\n"
                                    for line in path.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    else:
        folder = housing_from_tvs(tmp_path)
        path = tvs_next_half_year(folder, realised=3)
        lines = path.read_text(encoding="utf-8").splitlines()
        taak = int(assen["Taakstelling"])
        path.write_text("\n".join(f"Assen;2026-I;{taak};{old_end};{old_end + taak};3;{old_end + taak - 3}"
                                  if line.startswith("Assen;") else line for line in lines) + "\n", encoding="utf-8")
    code = codes_of(["Assen"])["Assen"]
    old = opvangkern.open_dataset(folder).dashboard("PV22", peildatum=DECEMBER)
    assert (row_of(old.prognose, code)["doel"], row_of(old.prognose, code)["doeldatum"]) == (old_end, B)
    assert (row_of(old.prognose)["doel"], row_of(old.prognose)["doeldatum"]) == (819, B)
    assert municipality(old.gemeenten, code)["vergunninghouders_delta"] == old_end - int(assen["Gerealiseerd"])
    new = opvangkern.open_dataset(folder).dashboard("PV22")
    assert row_of(new.prognose)["vorige_peildatum"] is None  # the province's line still turns: no pace across it
    card = row_of(new.kaarten, code)
    assert (card["startdatum"], card["startpunt"]) == (B, old_end)
    assert row_of(new.kaarten)["startdatum"] == B


@pytest.mark.parametrize("kind", ["besluiten", "tvs"])
@pytest.mark.parametrize("peildatum, deadline, card_day", [
    ("2025-10-15", "1 januari 2026", "30 september 2025"),  # the middle of 2025-II: its card of 30 September
    ("2026-03-15", "1 juli 2026", "31 januari 2026"),  # the middle of 2026-I: January's card
])
def test_a_peildatum_on_any_day_of_either_half_year_reads_its_own_deadline(tmp_path, kind, peildatum, deadline,
                                                                          card_day):
    folder = a_2026_i_line(tmp_path, kind)
    if kind == "besluiten":
        write(folder, "bronnen/tvs-2026-01-31.csv", "Gemeente;Gerealiseerd\n" + "".join(
            f"{r['Gemeente']};3\n" for r in december_rows()))
        append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n')
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--peildatum", peildatum])
    assert result.exit_code == 0, result.output
    housing = result.output.split("## Huisvesting vergunninghouders")[1].split("\n## ")[0]
    prognose_line = next(line for line in housing.splitlines() if line.startswith("Prognose"))
    assert deadline in prognose_line, prognose_line
    other = {"1 januari 2026", "1 juli 2026"} - {deadline}
    assert not any(day in prognose_line for day in other), prognose_line
    assert card_day in housing
