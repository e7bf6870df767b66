"""The HTML page as text: self-contained, Dutch, every seed figure, the notes from the dataset."""

import re
import subprocess
import sys

import attrs
import pyarrow as pa
import pytest

import opvangkern
from opvangkern import tables
from opvangkern.areas import Division, load_division
from opvangkern.output.html import render_html
from opvangkern.output.html.page import decision_totals

from html_helpers import SEED_FIGURES, SEED_TOTALS, expected_table_rows  # tests/html is on sys.path (conftest)

PAGE_LIMIT = 300_000


def test_the_page_is_self_contained(sample_html):
    assert sample_html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in sample_html
    assert "<script" not in sample_html.lower()
    assert not re.search(r"""(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?//""", sample_html, re.I)
    assert not re.search(r"url\(|@import|<link|<img|<iframe|<object|<embed", sample_html, re.I)
    assert "http://" not in sample_html and "https://" not in sample_html
    assert "default-src 'none'" in sample_html       # and the browser is told so
    # Every <use> points into the page itself.
    assert all(ref.startswith("#") for ref in re.findall(r'<use href="([^"]*)"', sample_html))


def test_every_seed_figure_is_on_the_page(sample_html):
    for figure in SEED_FIGURES:
        assert f">{figure}<" in sample_html, figure


def test_cards_in_task_order_with_their_status(sample_html):
    order = [m.group(1) for m in re.finditer(r'<article class="kaart st-(\w+)" id="kaart-(\w+)"', sample_html)]
    ids = re.findall(r'<article class="kaart st-\w+" id="kaart-(\w+)"', sample_html)
    assert ids == ["oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv"]
    assert order == ["licht_achter", "op_schema", "achter", "achter", "licht_achter"]


def test_the_municipality_table_and_its_totals(sample_html):
    table = sample_html[sample_html.index('<table class="gemeenten">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>"):])
    expected = expected_table_rows()
    assert len(rows) == len(expected) + 1
    for row, want in zip(rows, expected):
        assert f">{want[0]}</th>" in row
        assert re.findall(r"<td[^>]*>(.*?)</td>", row) == want[1:]
    assert "Totaal" in rows[-1]
    assert re.findall(r"<td[^>]*>(.*?)</td>", rows[-1]) == SEED_TOTALS


def test_the_notes_come_from_the_dataset(sample_dashboard, sample_html):
    assert decision_totals(sample_dashboard.opgaven, "oekraine")[0][1] == 109_000
    assert "De landelijke opgave voor Opvang Oekraïne per 1 februari 2025 was 109.000." in sample_html
    assert "De nieuwe opgave is 109.000 per 1 juli 2026." in sample_html
    assert "De opgave in deze dataset (12 gemeenten) voor Huisvesting vergunninghouders per 1 juli 2025 was 454." \
        in sample_html
    assert "De nieuwe opgave is 819 per 1 januari 2026." in sample_html
    assert "als bron Nidos en als peildatum 29 december 2025" in sample_html
    assert "als bron Taakstellingvolgsysteem (TVS) en als peildatum 31 december 2025" in sample_html
    assert "Vooralsnog tellen alle plekken (regulier, noodopvang en tijdelijke gemeentelijke opvang) mee." \
        in sample_html


def test_twelve_maps_shapes_once(sample_html):
    assert sample_html.count('<path id="gm-') == 12
    assert sample_html.count('<svg class="kaartje"') == 5
    assert sample_html.count('<svg class="grafiek"') == 5
    assert sample_html.count("<use href=\"#gm-") == 5 * 12


def test_print_and_phone_css(sample_html):
    assert "@page { size: A4 landscape" in sample_html
    assert "@media print" in sample_html and "@media (max-width: 640px)" in sample_html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in sample_html


def test_the_sample_page_is_small_and_deterministic(sample_dashboard, sample_html):
    size = len(sample_html.encode("utf-8"))
    assert size < PAGE_LIMIT, size
    assert render_html(sample_dashboard) == sample_html


@pytest.mark.parametrize("code", ["PV20", "PV21", "PV23", "PV24", "PV25", "PV26", "PV27", "PV28", "PV29",
                                  "PV30", "PV31", "VR03", "GM0106"])
def test_every_area_renders_one_map_per_card(code):
    html = render_html(_dataset().dashboard(gebied=code))
    assert html.count('<svg class="kaartje"') == html.count('<article class="kaart') >= 1
    assert len(html.encode("utf-8")) < PAGE_LIMIT


@pytest.mark.parametrize("code", ["PV25", "PV28", "PV27"])
def test_a_full_province_page_stays_under_the_limit(code):
    """The sample has targets for Drenthe only; give every municipality of a big province all five
    cards (Drenthe's figures) to measure the page at its fullest."""
    dash = _dataset().dashboard(gebied=code)
    html = render_html(_full(dash))
    assert html.count('<svg class="kaartje"') == 5
    assert len(html.encode("utf-8")) < PAGE_LIMIT


def _full(dash):
    drenthe = _dataset().dashboard(gebied="PV22")
    template = {r["opgave"]: r for r in drenthe.kaarten.slice(0, 5).to_pylist()}
    division = load_division()
    rows = [dict(template[t], gebied_code=dash.gebied.code, gebied_naam=dash.gebied.naam,
                 gebied_niveau=dash.gebied.niveau.value) for t in template]
    for municipality in division.members(dash.gebied.code):
        rows += [dict(template[t], gebied_code=municipality.code, gebied_naam=municipality.naam,
                      gebied_niveau="gemeente") for t in template if t != "oekraine"]
    gemeenten = pa.Table.from_pylist(
        [dict(drenthe.gemeenten.slice(0, 1).to_pylist()[0], gemeentecode=m.code, gemeentenaam=m.naam)
         for m in division.members(dash.gebied.code)], schema=tables.GEMEENTEN)
    return attrs.evolve(dash, kaarten=tables.from_rows(tables.KAARTEN, rows), gemeenten=gemeenten)


def test_the_whole_country_page_size():
    """Informative: all 342 municipalities with every card; the country is not a province, so the
    limit here is looser (see docs/html.md for the figure)."""
    html = render_html(_full(_dataset().dashboard(gebied="NL01")))
    assert html.count('<path id="gm-') == 342
    assert len(html.encode("utf-8")) < 1_000_000


_CACHE = {}


def _dataset():
    if "ds" not in _CACHE:
        _CACHE["ds"] = opvangkern.open_dataset()
    return _CACHE["ds"]


def test_text_from_the_data_is_escaped(sample_dashboard):
    dash = attrs.evolve(sample_dashboard, dataset_naam='<b>"A&B"</b>')
    html = render_html(dash)
    assert "<b>\"A&B\"</b>" not in html and "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;" in html


def test_warnings_are_listed(sample_dashboard):
    meldingen = tables.from_rows(tables.MELDINGEN, [{"ernst": "waarschuwing", "bestand": "bronnen/coa.csv",
                                                    "rij": 7, "kolom": "Totaal", "melding": "Totaal wijkt af"}])
    html = render_html(attrs.evolve(sample_dashboard, meldingen=meldingen))
    assert "Meldingen bij de gegevens" in html and "Totaal wijkt af" in html


def test_without_a_realisation_or_boundaries_the_page_still_renders(sample_dashboard, tmp_path):
    rows = sample_dashboard.kaarten.to_pylist()
    for row in rows:
        if row["opgave"] == "nidos_amv":
            row.update(peildatum=None, realisatie=None, achterstand=None, realisatiegraad=None, status=None)
    dash = attrs.evolve(sample_dashboard, kaarten=tables.from_rows(tables.KAARTEN, rows),
                        peildata={k: v for k, v in sample_dashboard.peildata.items() if k != "nidos"})
    # A division without geo/ folder: no maps, a note instead.
    folder = tmp_path / "2026"
    folder.mkdir()
    from importlib.resources import files
    source = files("opvangkern.areas") / "data" / "2026"
    for name in ("gemeenten.csv", "gemeenten-aliases.csv", "regio-aliases.csv"):
        (folder / name).write_bytes((source / name).read_bytes())
    html = render_html(dash, Division.from_folder(folder, "2026"))
    assert "Geen kaart" in html and '<svg class="kaartje"' not in html
    assert "Er is geen realisatie van Nidos in de dataset." in html
    assert "geen gegevens" in html


def test_the_command_line_writes_the_page(tmp_path):
    out = tmp_path / "dashboard.html"
    result = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--format", "html",
                             "--output", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Opgaven opvang en huisvesting — Drenthe" in html and ">-459<" in html
