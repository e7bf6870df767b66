"""The dashboard over time (hardening, tenth session, ``hard10e``): the figures a history of deliveries gives
(``kaarten``, ``verloop``, ``prognose``) as an analyst keeps a dataset for a year or more.

Each case copies the bundled sample and grows it (a new half-year, a merger, a month missing, a second file
for one day), then goes through ``opvangkern check``/``dashboard`` or the Python API. The expected figure
is plain arithmetic on the files' own rows here, or the exact melding. The case list (dataset → before →
after) is in docs/decisions.md, "The dashboard over time".
"""

from __future__ import annotations

import datetime as dt
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
    SAMPLE, append, copy, count, drop_bron, edit, housing_decisions_over_two_half_years, housing_from_tvs,
    interpolate, rows, tvs_next_half_year, write,
)

D = dt.date
MONTH = 365.25 / 12


def dashboard(folder: Path, gebied: str = "PV22", **kwargs):
    return opvangkern.open_dataset(folder).dashboard(gebied, **kwargs)


def row_of(table: pa.Table, opgave: str, gebied: str = "PV22") -> dict:
    found = [r for r in table.to_pylist() if r["gebied_code"] == gebied and r["opgave"] == opgave]
    assert len(found) == 1, found
    return found[0]


def history_of(table: pa.Table, opgave: str, gebied: str = "PV22") -> list[dict]:
    return [r for r in table.to_pylist() if r["gebied_code"] == gebied and r["opgave"] == opgave]


def tvs_month(folder: Path, peildatum: str, realised: int) -> None:
    """Another 2026-I TVS export, written as :func:`tvs_next_half_year` writes the first one."""
    tvs_next_half_year(folder, peildatum, realised=realised)


# --- 1. prognose on the first peildatum of a new half-year ----------------------------------------------


@pytest.mark.parametrize("kind", ["tvs", "besluiten"])
def test_the_first_peildatum_of_a_new_half_year_has_no_pace_from_the_old_one(tmp_path, kind):
    # Before: p0 was 31 October 2025 (2025-II), and 36 housed in January against 2025-II's 423 made a tempo of
    # −81 per month and `niet_op_koers`, exit 0. The count restarts at 0 in 2026-I: no earlier peildatum in it.
    if kind == "tvs":
        folder = housing_from_tvs(tmp_path)
        tvs_next_half_year(folder, realised=3)
    else:
        folder, _ = housing_decisions_over_two_half_years(tmp_path)
    municipalities = len(rows(SAMPLE / "bronnen" / "tvs-2025-12-31.csv"))
    dash = dashboard(folder)
    prognose = row_of(dash.prognose, "vergunninghouders")
    assert prognose["peildatum"] == D(2026, 1, 31) and prognose["realisatie"] == 3 * municipalities
    assert prognose["vorige_peildatum"] is None and prognose["tempo_per_maand"] is None
    assert prognose["prognose"] == "onbekend"
    # the other tasks keep their pace over the turn of the year (their lines do not turn)
    assert row_of(dash.prognose, "asiel")["vorige_peildatum"] == D(2025, 9, 30)
    result = CliRunner().invoke(cli, ["dashboard", str(folder)])
    assert result.exit_code == 0
    assert "onbekend: geen eerdere peildatum in deze periode om het tempo aan te meten" in result.output
    # the course line: no change against December's count (before: "↓ -387 sinds 31 december 2025")
    housing = result.output.split("## Huisvesting vergunninghouders")[1].split("\n\n")[0]
    assert "(nieuwe periode: de telling begint opnieuw)" in housing and "sinds" not in housing


def test_the_second_peildatum_of_a_new_half_year_measures_its_pace_inside_it(tmp_path):
    # Two 2026-I deliveries (31 January: 3 each, 28 February: 10 each): the pace is theirs, over 28 days.
    folder = housing_from_tvs(tmp_path)
    tvs_next_half_year(folder, realised=3)
    tvs_month(folder, "2026-02-28", realised=10)
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    n = len(december)
    backlog = sum(int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"]) for r in december)
    target = backlog + sum(int(r["Taakstelling"]) for r in december)
    prognose = row_of(dashboard(folder).prognose, "vergunninghouders")
    r, r0, span = 10 * n, 3 * n, 28
    assert prognose["vorige_peildatum"] == D(2026, 1, 31)
    assert prognose["tempo_per_maand"] == pytest.approx((r - r0) / span * MONTH)
    left = (D(2026, 7, 1) - D(2026, 3, 1)).days
    assert prognose["benodigd_per_maand"] == pytest.approx((target - r) / left * MONTH)
    import math

    expected = D(2026, 2, 28) + dt.timedelta(days=math.ceil((target - r) * span / (r - r0)))
    assert prognose["verwachte_datum"] == expected
    assert prognose["prognose"] == ("op_koers" if expected <= D(2026, 7, 1) else "niet_op_koers")
    # on 31 December the pace is 2025-II's own (the turn does not reach back)
    old = row_of(dashboard(folder, peildatum=D(2025, 12, 31)).prognose, "vergunninghouders")
    assert old["vorige_peildatum"] == D(2025, 9, 30)


# --- 2. the card's start point in the new half-year --------------------------------------------------


@pytest.mark.parametrize("kind", ["tvs", "besluiten"])
def test_a_card_of_either_half_year_names_its_own_periods_points(tmp_path, kind):
    # Before: the January card named 3 January (and the line's value there) as its start, the December card the
    # flat piece 1–2 January (819 → 819): artefacts of the two days that keep the half-years apart.
    if kind == "tvs":
        folder = housing_from_tvs(tmp_path)
        tvs_next_half_year(folder, realised=3)
        december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
        backlog = sum(int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"]) for r in december)
        target = backlog + sum(int(r["Taakstelling"]) for r in december)
    else:
        folder, figures = housing_decisions_over_two_half_years(tmp_path)
        backlog, target = sum(b for _, b, _ in figures), sum(t for _, _, t in figures)
    new = row_of(dashboard(folder).kaarten, "vergunninghouders")
    assert (new["startdatum"], new["einddatum"]) == (D(2026, 1, 1), D(2026, 7, 1))
    assert new["startpunt"] == pytest.approx(backlog) and new["eindpunt"] == pytest.approx(target)
    assert new["indicatief_schema"] == pytest.approx(interpolate(D(2026, 2, 1), (D(2026, 1, 1), new["startpunt"]),
                                                                 (D(2026, 7, 1), new["eindpunt"])))
    for day in (D(2025, 12, 31), D(2026, 1, 1)):  # 1 January is still 2025-II's (its line at the start of 2-1)
        old = row_of(dashboard(folder, peildatum=day).kaarten, "vergunninghouders")
        assert (old["startdatum"], old["startpunt"]) == (D(2025, 7, 1), 454)
        assert (old["einddatum"], old["eindpunt"]) == (D(2026, 1, 1), 819) and old["indicatief_schema"] == 819
    # every municipality's card as well: Assen's own backlog as its start
    assen = row_of(dashboard(folder).kaarten, "vergunninghouders", "GM0106")
    assert assen["startdatum"] == D(2026, 1, 1)


_POINT = st.tuples(st.integers(0, 40), st.integers(-5, 30))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_POINT, min_size=1, max_size=7), min_size=1, max_size=4), st.data())
def test_property_periods_agree_with_their_oracle(raw_lines, data):
    """For lines with and without turns (points drawn on few days, so that runs of B, B + 1, B + 2 occur), the
    vectorised turns, period starts and card segments equal the plain-Python oracle's for every peildatum."""
    base = D(2025, 12, 20)
    ids, days, amounts, points = [], [], [], {}
    for line, raw in enumerate(raw_lines):
        for offset, amount in raw:
            ids.append(line)
            days.append(base + dt.timedelta(days=offset))
            amounts.append(float(amount))
            points.setdefault(line, []).append((base + dt.timedelta(days=offset), float(amount)))
    # a turn made on purpose in one line, so that every run has some
    line = data.draw(st.integers(0, len(raw_lines) - 1))
    b = base + dt.timedelta(days=data.draw(st.integers(45, 60)))
    for day, amount in ((b - dt.timedelta(days=30), 1.0), (b, 9.0), (b + dt.timedelta(days=1), 9.0),
                        (b + dt.timedelta(days=2), 3.0), (b + dt.timedelta(days=40), 12.0)):
        ids.append(line)
        days.append(day)
        amounts.append(amount)
        points.setdefault(line, []).append((day, amount))
    lines = engine.build_lines(pa.array(ids, pa.int64()), pa.array(days, pa.date32()), pa.array(amounts))
    queries = [(q, base + dt.timedelta(days=data.draw(st.integers(-3, 110)))) for q in range(len(raw_lines))
               for _ in range(3)]
    query = pa.array([q for q, _ in queries], pa.int64())
    peildata = pa.array([p for _, p in queries], pa.date32())
    starts = engine.period_start(lines, query, peildata).to_pylist()
    evaluated = engine.card_segments(lines, query, peildata, engine.evaluate(lines, query, peildata))
    assert len(engine.reference_periods.turns(points[line])) >= 1
    for i, (q, p) in enumerate(queries):
        assert starts[i] == engine.reference_periods.period_start(points[q], p), (q, p)
        (d0, a0), (d1, a1) = engine.reference_periods.card_segment(points[q], p)
        got = [evaluated[name][i].as_py() for name in ("startdatum", "startpunt", "einddatum", "eindpunt")]
        assert got[0] == d0 and got[2] == d1, (q, p)
        assert got[1] == pytest.approx(a0) and got[3] == pytest.approx(a1), (q, p)


def test_a_line_without_turns_keeps_every_card_segment_as_evaluate_gives_it():
    lines = engine.build_lines(pa.array([0, 0, 0]), pa.array([D(2025, 7, 1), D(2026, 1, 1), D(2026, 1, 2)]),
                               pa.array([454.0, 819.0, 820.0]))
    query, days = pa.array([0, 0]), pa.array([D(2025, 12, 31), D(2026, 1, 1)], pa.date32())
    evaluated = engine.evaluate(lines, query, days)
    assert engine.card_segments(lines, query, days, evaluated) is evaluated
    assert engine.period_start(lines, query, days).null_count == 2


# --- 3. a capacity column missing under maat = "capaciteit" ----------------------------------------------


@pytest.mark.parametrize("bron, bestand, old, new", [
    ("coa", "bronnen/coa-2025-12-31.csv", ";Capaciteit;Bezetting", ";Plaatsen;Bezetting"),
    ("kcio", "bronnen/kcio-2025-12-31.csv", ",Gerealiseerde plekken,", ",Aantal opvangplekken,"),
])
def test_a_file_without_its_capacity_column_names_the_headers_and_the_kolommen_line(tmp_path, bron, bestand, old,
                                                                                  new):
    # Before: "het bestand heeft geen kolom Capaciteit (gevonden: …)" and no way out; now the kolommen line.
    folder = copy(SAMPLE, tmp_path)
    path = folder / bestand
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    header = new.strip(",;").split(";" if bron == "coa" else ",")[0]
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "maatkolom_ontbreekt"]
    assert len(found) == 1
    melding = found[0]
    assert (melding["ernst"], melding["bestand"], melding["kolom"]) == ("fout", bestand, "Capaciteit")
    assert melding["rij"] == (4 if bron == "coa" else 3)
    assert f'kolommen = {{ "{header}" = "Capaciteit" }}' in melding["melding"]
    assert f"gevonden: " in melding["melding"] and header in melding["melding"].split("gevonden: ")[1]
    # the line it offers, added to the [[bron]], reads the file: the December figure of the task comes back
    before = row_of(dashboard(SAMPLE).kaarten, "asiel" if bron == "coa" else "oekraine")["realisatie"]
    edit(folder, f'bestand = "{bestand}"', f'bestand = "{bestand}"\nkolommen = {{ "{header}" = "Capaciteit" }}\n#')
    assert not [m for m in load_dataset(folder).meldingen.to_pylist() if m["ernst"] == "fout"]
    assert row_of(dashboard(folder).kaarten, "asiel" if bron == "coa" else "oekraine")["realisatie"] == before


def test_a_missing_capacity_column_without_a_likely_header_gives_the_line_with_a_placeholder(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    path = folder / "bronnen" / "kcio-2025-12-31.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",Gerealiseerde plekken,", ",Aantal,"),
                    encoding="utf-8")
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "maatkolom_ontbreekt"]
    assert len(found) == 1 and 'kolommen = { "kop zoals in het bestand" = "Capaciteit" }' in found[0]["melding"]


# --- 4. an unknown division, said once ----------------------------------------------------------------


def test_an_unknown_division_is_named_once(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    edit(folder, "[dataset]\n", '[dataset]\nindeling = "gemeenten-2099"\n')
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "onbekende_indeling"]
    assert len(found) == 1
    text = found[0]["melding"]
    assert text.count("onbekende gemeentelijke indeling") == 1 and "'gemeenten-2099'" in text
    assert "beschikbaar: 2026, 2027" in text and found[0]["waarde"] == "gemeenten-2099"


# --- probes: a delivery dated after the last decision's half-year ---------------------------------------


@pytest.mark.parametrize("with_period", [True, False])
def test_a_housing_delivery_after_the_last_half_year_is_a_fout(tmp_path, with_period):
    # Before: January 2026's TVS count (restarted at 0: 3 per municipality) against 2025-II's flat end, 36 of
    # 819 (achter) and a tempo of −81 a month, exit 0; with the file's own 2026-I line beside the decisions
    # only opgave_bron_wijkt_af warnings. Now a fout on the file, which says which decisions to add.
    folder = copy(SAMPLE, tmp_path)
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    if with_period:
        tvs_next_half_year(folder, realised=3)
    else:
        write(folder, "bronnen/tvs-2026-01-31.csv",
              "Gemeente;Gerealiseerd\n" + "".join(f"{r['Gemeente']};3\n" for r in december))
        append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-31.csv"\npeildatum = 2026-01-31\n')
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "halfjaar_zonder_opgave"]
    assert len(found) == 1
    melding = found[0]
    assert (melding["ernst"], melding["bestand"], melding["kolom"], melding["waarde"]) == (
        "fout", "bronnen/tvs-2026-01-31.csv", "peildatum", "2026-01-31")
    assert "loopt tot 1 januari 2026" in melding["melding"] and "ingangsdatum 2026-01-01" in melding["melding"]
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 1
    # the fix it names: the 2026-I decisions (backlog on 1 January, corrected target on 1 July)
    backlog = {r["Gemeente"]: max(0, int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"])) for r in december}
    write(folder, "opgaven/vergunninghouders-2026-01-01-achterstand.csv",
          "Gemeente;Opgave\n" + "".join(f"{g};{b}\n" for g, b in backlog.items()))
    write(folder, "opgaven/vergunninghouders-2026-07-01.csv", "Gemeente;Opgave\n" + "".join(
        f"{r['Gemeente']};{backlog[r['Gemeente']] + int(r['Taakstelling'])}\n" for r in december))
    append(folder, '[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2026-01-01\n'
                   'bestand = "opgaven/vergunninghouders-2026-01-01-achterstand.csv"\n\n'
                   '[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2026-07-01\n'
                   'bestand = "opgaven/vergunninghouders-2026-07-01.csv"\n')
    assert "halfjaar_zonder_opgave" not in [m["code"] for m in load_dataset(folder).meldingen.to_pylist()]


def test_a_housing_delivery_on_the_day_after_the_half_year_belongs_to_it_and_is_quiet(tmp_path):
    folder = copy(SAMPLE, tmp_path)
    shutil.copy(folder / "bronnen" / "tvs-2025-12-31.csv", folder / "bronnen" / "tvs-2026-01-01.csv")
    append(folder, '[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-2026-01-01.csv"\npeildatum = 2026-01-01\n')
    assert "halfjaar_zonder_opgave" not in [m["code"] for m in load_dataset(folder).meldingen.to_pylist()]
    assert row_of(dashboard(folder).kaarten, "vergunninghouders")["indicatief_schema"] == 819


# --- probes: a merger in the middle of a history -----------------------------------------------------------

GOOI = Path(__file__).parent / "fixtures" / "gooi-en-vechtstreek-2027"


def test_the_pace_across_the_wijdemeren_merger_compares_the_successor_with_both_predecessors(tmp_path):
    # Deliveries of September and December 2026 still name Wijdemeren; March 2027's names Hilversum only. In the
    # 2027 division Hilversum's p0 (30 September 2026: 31 December is only 90 days back) is both municipalities.
    folder = copy(GOOI, tmp_path)
    for day, hilversum, wijdemeren in (("30-09-2026", 380, 110), ("31-12-2026", 390, 115)):
        name = f"bronnen/coa-{day[6:]}-{day[3:5]}-{day[:2]}.csv"
        write(folder, name, f"""
            COA - Capaciteit per opvanglocatie;;;;
            Peildatum: {day};;;;
            ;;;;
            Gemeente;Locatie;Opvangvorm;Capaciteit;Bezetting
            Hilversum;azc Hilversum;regulier;{hilversum};350
            Wijdemeren;Loosdrecht;noodopvang;{wijdemeren};101
            Gooise Meren;azc Bussum;regulier;190;180
            """)
        append(folder, f'[[bron]]\nbron = "coa"\nbestand = "{name}"\n')
    dash = opvangkern.open_dataset(folder).dashboard("VR14")
    march = sum(count(r["Capaciteit"]) for r in rows(folder / "bronnen" / "coa-2027-03-31.csv", skip=3)
                if r["Gemeente"] == "Hilversum")
    prognose = row_of(dash.prognose, "asiel", "GM0402")
    assert prognose["realisatie"] == march == 520
    assert prognose["vorige_peildatum"] == D(2026, 9, 30)
    span = (D(2027, 3, 31) - D(2026, 9, 30)).days
    assert prognose["tempo_per_maand"] == pytest.approx((march - 490) / span * MONTH)
    assert [r["realisatie"] for r in history_of(dash.verloop, "asiel", "GM0402")] == [490, 505, 520]
    assert not [r for r in dash.verloop.to_pylist() if r["gebied_naam"] == "Wijdemeren"]
    # the API's peildatum between deliveries: each source at its latest file on or before it
    between = opvangkern.open_dataset(folder).dashboard("VR14", peildatum=D(2027, 2, 15))
    assert row_of(between.kaarten, "asiel", "GM0402")["realisatie"] == 505
    assert row_of(between.kaarten, "asiel", "GM0402")["peildatum"] == D(2026, 12, 31)


def test_an_agreement_from_the_first_day_of_a_new_half_year_keeps_the_turn(tmp_path):
    # An agreement dated on the turn lowers every point from it on (the old half-year's end on 1 and 2 January and
    # the new line): Assen's January card starts at its backlog minus the agreement, its pace stays in 2026-I.
    folder, figures = housing_decisions_over_two_half_years(tmp_path)
    append(folder, '[[afspraak]]\nomschrijving = "Tynaarlo huisvest 10 statushouders voor Assen"\n'
                   'opgave = "vergunninghouders"\nvan = "Assen"\nnaar = "Tynaarlo"\naantal = 10\n'
                   'ingangsdatum = 2026-01-01\n')
    backlog, target = next((b, t) for g, b, t in figures if g == "Assen")
    dash = dashboard(folder)
    assen = row_of(dash.kaarten, "vergunninghouders", "GM0106")
    assert (assen["startdatum"], assen["einddatum"]) == (D(2026, 1, 1), D(2026, 7, 1))
    assert assen["startpunt"] == pytest.approx(backlog - 10) and assen["eindpunt"] == pytest.approx(target - 10)
    assert assen["afspraken"] == -10
    assert row_of(dash.prognose, "vergunninghouders", "GM0106")["vorige_peildatum"] is None
    december = row_of(dashboard(folder, peildatum=D(2025, 12, 31)).kaarten, "vergunninghouders", "GM0106")
    end = next(count(r["Taakstelling"]) for r in rows(SAMPLE / "opgaven" / "vergunninghouders-2026-01-01.csv")
               if r["Gemeente"] == "Assen")
    assert december["eindpunt"] == pytest.approx(end - 10) and december["einddatum"] == D(2026, 1, 1)
