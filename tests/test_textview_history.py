"""The text view's pace and course lines under each card (SPEC §12, issue 12)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from opvangkern.output.textview import course_text, pace_text, sparkline

D = dt.date


def _row(**figures) -> dict:
    row = {"gebied_code": "PV22", "opgave": "amv", "peildatum": D(2025, 12, 31), "realisatie": 160, "doel": 200.0,
           "doeldatum": D(2026, 2, 1), "vorige_peildatum": D(2025, 9, 30), "tempo_per_maand": 12.4,
           "benodigd_per_maand": 19.6, "verwachte_datum": D(2026, 4, 1), "prognose": "niet_op_koers"}
    row.update(figures)
    return row


def test_pace_in_words() -> None:
    assert pace_text(_row()) == ("tempo +12 per maand, nodig +20 per maand: haalt 1 februari 2026 niet "
                                 "(verwacht 1 april 2026)")
    assert pace_text(_row(prognose="op_koers", verwachte_datum=D(2026, 1, 20))) == (
        "tempo +12 per maand, nodig +20 per maand: haalt 1 februari 2026 (verwacht 20 januari 2026)")
    assert pace_text(_row(prognose="bereikt", realisatie=1010, doel=1000.0)) == "bereikt: 1.010 van 1.000 op 1 februari 2026"
    assert pace_text(_row(prognose="onbekend", tempo_per_maand=None, vorige_peildatum=None)) == (
        "onbekend: geen eerdere peildatum in deze periode om het tempo aan te meten (doel 200 op 1 februari 2026)")
    # No time left (benodigd null) and no growth (no verwachte datum).
    assert pace_text(_row(benodigd_per_maand=None, tempo_per_maand=-3.2, verwachte_datum=None)) == (
        "tempo -3 per maand: haalt 1 februari 2026 niet (geen groei)")


def test_sparkline() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([10, 10, 10]) == "▄▄▄"
    assert sparkline([4, None, 0]) == "█ ▁"
    assert sparkline([]) == ""


def test_course_text() -> None:
    rows = [{"peildatum": D(2025, 10, 31), "realisatie": 100}, {"peildatum": D(2025, 11, 30), "realisatie": 140},
            {"peildatum": D(2025, 12, 31), "realisatie": 130}]
    assert course_text(rows) == "▁█▆  31 oktober 2025 – 31 december 2025  ↓ -10 sinds 30 november 2025"
    assert course_text(rows[:1]) == "▄  31 oktober 2025 – 31 oktober 2025  (één peildatum)"


def test_cli_text_shows_the_pace_under_each_card() -> None:
    out = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard"], capture_output=True, text=True,
                         encoding="utf-8", env={"PYTHONIOENCODING": "utf-8", **__import__("os").environ})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # Oekraïne: 5.013 on 31-12, 4.752 on 30-09 (92 days): 261 / 92 × 30,44 = +86 a month; 125 to go in
    # 181 days: +21 a month; ceil(125 × 92 / 261) = 45 days: 14 februari 2026, before 1 juli 2026.
    assert ("Prognose                  tempo +86 per maand, nodig +21 per maand: haalt 1 juli 2026 "
            "(verwacht 14 februari 2026)") in lines
    assert "Prognose                  bereikt: 4.614 van 4.155 op 1 februari 2026" in lines
    # 5.013 − 4.961 = 52 since November; the six monthly figures 4.574 … 5.013 as a sparkline.
    assert "Verloop                   ▁▃▄▅▇█  31 juli 2025 – 31 december 2025  ↑ +52 sinds 30 november 2025" in lines
    pace_lines = [line for line in lines if line.startswith("Prognose ")]
    assert len(pace_lines) == 5
    # The card lines above it are unchanged: the pace follows the backlog line of each card.
    for index, line in enumerate(lines):
        if line.startswith("Prognose "):
            assert lines[index - 1].startswith("Achterstand/voorsprong*")
