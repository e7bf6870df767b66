"""The core names no adapter (issue 8): the text view and the page name a card's sources as the installed
adapters label themselves, from ``kaarten.bronnen``; ``maat`` is checked once, by the core, against
``reports_occupancy``. The reproduction of the issue: the example adapter ``gemeentetabel`` reports
``nidos_amv`` in place of Nidos."""

from __future__ import annotations

import re

import pytest

from opvangkern import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.output.html import render_html
from opvangkern.output.textview import render

ROWS = {"GM0106": ("Assen", 40), "GM0114": ("Emmen", 3)}


def _gemeentetabel_for_nidos(folder) -> None:
    """Replace every Nidos delivery of the sample by one gemeentetabel file for nidos_amv."""
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r'\[\[bron\]\]\nbron = "nidos"\nbestand = "[^"]+"[^\n]*\n(?:peildatum = [\d-]+\n)?', "", text)
    text += '\n[[bron]]\nbron = "gemeentetabel"\nbestand = "bronnen/eigen-telling.csv"\nopgave = "nidos_amv"\n' \
            'peildatum = 2025-12-29\n'
    manifest.write_text(text, encoding="utf-8")
    lines = ["Gemeentecode;Gemeente;Aantal"] + [f"{code};{naam};{n}" for code, (naam, n) in ROWS.items()]
    (folder / "bronnen" / "eigen-telling.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_card_and_the_page_name_the_adapter_that_reported(sample_latest_only):
    _gemeentetabel_for_nidos(sample_latest_only)
    ds = load_dataset(sample_latest_only)
    assert not ds.has_errors, [m.describe() for m in ds.melding_list if m.is_error]
    dash = ds.dashboard(gebied="PV22")
    card = next(c for c in dash.kaarten.to_pylist() if c["opgave"] == "nidos_amv" and c["gebied_code"] == "PV22")
    assert card["bronnen"] == "gemeentetabel"
    assert card["realisatie"] == sum(n for _, n in ROWS.values())
    text = render(dash.kaarten, dash.gemeenten, title="t", gebied_code="PV22", dashboard=dash)
    nidos_card = text.split("## Nidos AMV", 1)[1].split("## ", 1)[0]
    assert "Gemeentetabel, peildatum 29 december 2025" in nidos_card
    assert "Nidos," not in nidos_card
    html = render_html(dash)
    assert "Er is geen realisatie van Nidos" not in html
    assert "als bron Gemeentetabel (eigen telling per gemeente) en als peildatum 29 december 2025" in html


def test_the_command_line_text_names_the_adapter(sample_latest_only, capsys):
    _gemeentetabel_for_nidos(sample_latest_only)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["dashboard", str(sample_latest_only), "--gebied", "PV22"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert "Gemeentetabel, peildatum 29 december 2025" in out.split("## Nidos AMV", 1)[1].split("## ", 1)[0]


def test_standard_sources_keep_their_names(sample_latest_only):
    dash = load_dataset(sample_latest_only).dashboard(gebied="PV22")
    text = render(dash.kaarten, dash.gemeenten, title="t", gebied_code="PV22", dashboard=dash)
    for label in ("KCIO, peildatum", "COA, peildatum", "TVS, peildatum", "Nidos, peildatum"):
        assert label in text


def test_occupancy_is_checked_by_the_core_against_the_adapter(sample_latest_only):
    manifest = sample_latest_only / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r'(bron = "nidos"\nbestand = "[^"]+"[^\n]*\n)', r'\1maat = "bezetting"\n', text)
    manifest.write_text(text, encoding="utf-8")
    ds = load_dataset(sample_latest_only)
    found = [m for m in ds.melding_list if m.code == "maat_niet_geleverd"]
    assert len(found) == 1 and found[0].is_error
    assert found[0].bestand == "opvangkern.toml" and found[0].kolom == "maat" and found[0].waarde == "bezetting"
    assert "Nidos" in found[0].melding
    # nothing of that file counts: a place count is no occupancy
    assert "nidos" not in set(ds.realisaties.column("bron").to_pylist())
