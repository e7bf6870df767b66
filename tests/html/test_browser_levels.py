"""The page at every scale, in a real browser (headless Chromium): a municipality, a safety region, a
province and the whole country, from the benchmarks' synthetic national dataset (342 municipalities).

Figures are read from the rendered DOM and compared with the dashboard's tables; the status's second
channel (map symbols, print labels) from the computed style; the printed PDF's text (pypdf) gives the
page count, the running header, the page numbers and the totals row once. Screenshots at 1400×2000 and
390×844 and the PDFs are kept in ``test-artefacts/``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import opvangkern
from opvangkern.output.html import render_html
from opvangkern.output.html.site import site_pages, write_site
from opvangkern.numbers import dutch
from opvangkern.output.textview import TABLE_COLUMNS, area_cards

from test_browser import _problems  # tests/html is on sys.path (conftest)

REPO = Path(__file__).parents[2]
pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nl") / "dataset"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(folder)], check=True,
                   capture_output=True)
    return opvangkern.open_dataset(folder)


@pytest.fixture(scope="module")
def site(national, artefacts):
    dash = national.dashboard("NL01")
    pages = site_pages(national, dash)
    out = artefacts / "site-nederland"
    write_site(pages, out)
    return out, pages, dash


def _open(browser, path, width=1400, height=2000, mobile=False):
    browser.viewport(width, height, mobile=mobile, scale=1)
    return browser.open(path)


def _card_figures(browser, task):
    return browser.evaluate(
        f"[...document.querySelectorAll('#kaart-{task} .cijfers .getal')].map(e => e.innerText.trim())")


def _expected_cards(dash):
    return {c["opgave"]: [dutch(c[k]) for k in ("startpunt", "eindpunt", "indicatief_schema", "realisatie",
                                                  "achterstand")] for c in area_cards(dash.kaarten)}


def _check_page(browser, path, dash, artefacts, stem):
    browser.events.clear()
    url = _open(browser, path)
    for task, figures in _expected_cards(dash).items():
        assert _card_figures(browser, task) == figures, (stem, task)
    # The municipality rows as rendered, against the gemeenten table (groups and subtotals aside).
    rows = browser.evaluate("[...document.querySelectorAll('table.gemeenten tbody tr:not(.groepkop):not(.subtotaal)')]"
                            ".map(tr => [...tr.children].map(c => c.innerText.trim()))")
    expected = [[r["gemeentenaam"]] + [dutch(r[c]) for c, _ in TABLE_COLUMNS[1:]] for r in dash.gemeenten.to_pylist()]
    assert sorted(rows) == sorted(expected), stem
    totals = browser.evaluate("[...document.querySelectorAll('table.gemeenten tfoot tr > *')].map(c => c.innerText.trim())")
    values = [[v for v in dash.gemeenten.column(c).to_pylist() if v is not None] for c, _ in TABLE_COLUMNS[1:]]
    sums = [sum(v) if v else None for v in values]          # blank when every value is blank
    assert totals == ["Totaal", *(dutch(s) for s in sums)], stem
    requests = [e["params"]["request"]["url"] for e in browser.events if e["method"] == "Network.requestWillBeSent"]
    assert requests == [url], stem                        # the page itself, nothing else
    assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
    assert _problems(browser.events) == [], stem
    browser.screenshot(artefacts / f"{stem}-1400x2000.png")
    _open(browser, path, 390, 844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390, stem
    browser.screenshot(artefacts / f"{stem}-390x844.png")
    assert _problems(browser.events) == [], stem


def test_the_country_page(browser, site, artefacts):
    out, pages, dash = site
    _check_page(browser, out / "index.html", dash, artefacts, "nederland")
    _open(browser, out / "index.html")
    # Maps large enough to read at 1400 px, with province and region borders.
    widths = browser.evaluate("[...document.querySelectorAll('.kaartbeeld svg.kaartje')]"
                              ".map(s => s.getBoundingClientRect().width)")
    assert len(widths) == 5 and min(widths) >= 500
    assert browser.evaluate("document.querySelectorAll('.kaartbeeld use.provinciegrens').length") == 5
    # Links to a page for each of the 342 municipalities and the 25 safety regions.
    hrefs = set(browser.evaluate("[...document.querySelectorAll('a[href$=\".html\"]')].map(a => a.getAttribute('href'))"))
    assert len({h for h in hrefs if h.startswith("GM")}) == 342
    assert len({h for h in hrefs if h.startswith("VR")}) == 25
    assert all((out / h).is_file() for h in hrefs)
    # The table grouped by province, then region, with subtotals.
    assert browser.evaluate("document.querySelectorAll('tr.groepkop.provincie').length") == 12
    assert browser.evaluate("document.querySelectorAll('tr.subtotaal.provincie').length") == 12


def test_a_province_page(browser, national, artefacts):
    dash = national.dashboard("PV25")                    # Gelderland: three safety regions
    path = artefacts / "gelderland.html"
    path.write_text(render_html(dash), encoding="utf-8")
    _check_page(browser, path, dash, artefacts, "gelderland")
    _open(browser, path)
    subtotals = browser.evaluate("[...document.querySelectorAll('tr.subtotaal')].map(tr => [...tr.children]"
                                 ".map(c => c.innerText.trim()))")
    assert len(subtotals) == 3
    for row in subtotals:                                # each subtotal is the plain sum of its region's rows
        name = row[0].removeprefix("Subtotaal ")
        region = next(a for a in national.division.members("PV25", "veiligheidsregio") if a.naam == name)
        members = [r for r in dash.gemeenten.to_pylist() if r["veiligheidsregiocode"] == region.code]
        asiel = sum(r["asiel_opgave"] or 0 for r in members)
        assert row[2] == dutch(asiel), name


def test_a_region_and_a_municipality_page(browser, site, national, artefacts):
    out, pages, _ = site
    _check_page(browser, out / "VR06.html", national.dashboard("VR06"), artefacts, "regio-vr06")
    apeldoorn = national.dashboard("GM0200")
    _check_page(browser, out / "GM0200.html", apeldoorn, artefacts, "gemeente-apeldoorn")
    _open(browser, out / "GM0200.html")
    # Shown within its region: the region's municipalities drawn, the neighbours without status, linked.
    region = national.division.members("VR06", "gemeente")
    assert browser.evaluate("document.querySelectorAll('#kaart-asiel .kaartje use[href^=\"#gm-\"]').length") == len(region)
    assert browser.evaluate("getComputedStyle(document.querySelector('#kaart-asiel use.gekozen')).strokeWidth") == "2.6px"
    assert browser.evaluate("document.querySelectorAll('#kaart-asiel .kaartje a use.omgeving').length") == len(region) - 1
    # The Ukraine map paints the whole region in the region's colour.
    fills = set(browser.evaluate("[...document.querySelectorAll('#kaart-oekraine .kaartje use[href^=\"#gm-\"]')]"
                                 ".map(u => getComputedStyle(u).fill)"))
    assert len(fills) == 1
    up = browser.evaluate("[...document.querySelectorAll('nav.kruimel a')].map(a => a.getAttribute('href'))")
    assert up == ["index.html", "VR06.html"]


def test_the_second_status_channel(browser, site, national):
    out, pages, dash = site
    _open(browser, out / "index.html")
    for task in ("asiel", "vergunninghouders"):
        rows = [r for r in dash.kaarten.to_pylist() if r["opgave"] == task and r["gebied_niveau"] == "gemeente"]
        behind = sum(r["status"] in ("achter", "licht_achter") for r in rows)
        symbols = browser.evaluate(
            f"[...document.querySelectorAll('#kaartbeeld-{task} .tekens use')].map(u => [u.getAttribute('href'), "
            "getComputedStyle(u).stroke, getComputedStyle(u).display, u.getBoundingClientRect().width])")
        assert len(symbols) == behind, task
        crosses = sum(r["status"] == "achter" for r in rows)
        assert sum(s[0] == "#teken-kruis-klein" for s in symbols) == crosses
        assert all(s[1] == "rgb(29, 36, 48)" and s[2] != "none" and s[3] >= 3 for s in symbols), task
    # The legend shows the same symbols beside the colours, and the card's status has its sign.
    assert browser.evaluate("document.querySelectorAll('.legenda svg use').length") == 2
    assert browser.evaluate("document.querySelector('#kaart-vergunninghouders .status .teken-tekst').innerText") in "✕!✓"
    # Names: hidden on screen (the shapes' <title> shows them on hover), printed for the larger areas.
    assert browser.evaluate("getComputedStyle(document.querySelector('.kaartje .namen')).display") == "none"
    browser.call("Emulation.setEmulatedMedia", media="print")
    assert browser.evaluate("getComputedStyle(document.querySelector('.kaartje .namen')).display") != "none"
    assert browser.evaluate("document.querySelectorAll('#kaartbeeld-asiel .namen text').length") >= 20
    browser.call("Emulation.setEmulatedMedia", media="")
    titles = browser.evaluate("[...document.querySelectorAll('#kaartbeeld-asiel use[href^=\"#gm-\"] title')]"
                              ".map(t => t.textContent)")
    assert len(titles) == 342 and all(": " in t for t in titles)


def _pdf_text(browser, path, target):
    _open(browser, path)
    pdf = browser.pdf(target)
    reader = pypdf.PdfReader(str(pdf))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 841.89) < 2 and abs(float(page.mediabox.height) - 595.28) < 2
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize("which", ["drenthe", "nederland"])
def test_print_header_page_numbers_and_totals_once(browser, site, sample_page, artefacts, which):
    if which == "drenthe":
        path, head = sample_page, "Provincie Drenthe (PV22) · peildata KCIO: 31 december 2025"
    else:
        path, head = site[0] / "index.html", "Land Nederland (NL01) · peildata KCIO: 31 december 2025"
    texts = _pdf_text(browser, path, artefacts / f"dashboard-{which}-afdruk.pdf")
    count = len(texts)
    assert count >= 2
    for number, text in enumerate(texts, start=1):
        assert head in text, number
        assert f"pagina {number} van {count}" in text, number
    assert sum(len(re.findall(r"\bTotaal\b", t)) for t in texts) == 1       # the totals row once, not per page
    # A heading is never the last thing on a page (headings stay with what follows).
    headings = {"Toelichting", "Kaarten", "Algemeen", "Sinds de vorige levering", "Afspraken"}
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("pagina ")]
        assert lines and lines[-1].strip() not in headings
        assert not lines[-1].startswith("Opgaven en realisaties per gemeente")
