"""Real-browser tests: headless Chromium renders the sample page; figures are read from the rendered
DOM (``innerText``, so only what is shown counts), colours from the computed style, requests and
console messages from the DevTools protocol. Screenshots and the print PDF go to ``test-artefacts/``.

Skipped when chromium is not installed, except when ``CI`` is set (then they fail instead).
"""

import re

import pytest

from html_helpers import SEED_FIGURES, SEED_TOTALS, expected_table_rows  # tests/html is on sys.path (conftest)

CARDS = {
    "oekraine": ["5.138", "5.138", "5.138", "5.013", "125"],
    "asiel": ["4.155", "4.155", "4.155", "4.614", "-459"],
    "vergunninghouders": ["454", "819", "819", "423", "396"],
    "amv": ["341", "341", "341", "192", "149"],
    "nidos_amv": ["90", "95", "95", "73", "22"],
}
GREEN, AMBER, RED, GREY = "rgb(26, 150, 65)", "rgb(242, 182, 0)", "rgb(215, 48, 31)", "rgb(207, 212, 218)"

CONSOLE_PROBLEMS = ("error", "assert", "warning")


def _problems(events):
    out = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(params)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in CONSOLE_PROBLEMS:
            out.append(params)
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            out.append(params["entry"])
    return out


@pytest.fixture
def desktop(browser, sample_page):
    browser.viewport(1400, 2000)
    url = browser.open(sample_page)
    browser.url = url
    return browser


def test_every_seed_figure_is_visible(desktop):
    text = desktop.evaluate("document.body.innerText")
    for figure in SEED_FIGURES:
        assert re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d.])", text), figure
    for card, figures in CARDS.items():
        shown = desktop.evaluate(
            f"[...document.querySelectorAll('#kaart-{card} .cijfers .getal')].map(e => e.innerText.trim())")
        assert shown == figures, card
    labels = desktop.evaluate("[...document.querySelectorAll('#kaart-nidos_amv .cijfers th')]"
                              ".map(e => e.firstChild.textContent)")
    assert labels == ["Startpunt opgave", "Eindpunt opgave", "Indicatief schema opgave", "Huidige realisatie",
                      "Achterstand/voorsprong*"]


def test_the_municipality_table_as_rendered(desktop):
    rows = desktop.evaluate(
        "[...document.querySelectorAll('table.gemeenten tbody tr')]"
        ".map(tr => [...tr.children].map(c => c.innerText.trim()))")
    assert rows == expected_table_rows()
    totals = desktop.evaluate(
        "[...document.querySelectorAll('table.gemeenten tfoot tr > *')].map(c => c.innerText.trim())")
    assert totals == ["Totaal", *SEED_TOTALS]
    weight = desktop.evaluate("getComputedStyle(document.querySelector('table.gemeenten tfoot td')).fontWeight")
    assert int(weight) >= 700


def test_status_colours_on_cards_and_maps(desktop):
    def fill(selector):
        return desktop.evaluate(f"getComputedStyle(document.querySelector({selector!r})).fill")

    def border(card):
        return desktop.evaluate(f"getComputedStyle(document.querySelector('#kaart-{card}')).borderTopColor")

    assert [border(c) for c in CARDS] == [AMBER, GREEN, RED, RED, AMBER]
    # Ukraine: the whole safety region one colour.
    oekraine = desktop.evaluate("[...document.querySelectorAll('#kaart-oekraine .kaartje use[href^=\"#gm-\"]')]"
                                ".map(u => getComputedStyle(u).fill)")
    assert oekraine == [AMBER] * 12
    assert fill("#kaart-asiel .kaartje use[href='#gm-GM0106']") == GREEN      # Assen 1.624 of 1.000
    assert fill("#kaart-vergunninghouders .kaartje use[href='#gm-GM0114']") == RED   # Emmen 115 of 166
    assert fill("#kaart-amv .kaartje use[href='#gm-GM0106']") == GREY         # Assen has no AMV target
    # The shapes are really drawn: every municipality has a box of some size.
    sizes = desktop.evaluate("[...document.querySelectorAll('#kaart-asiel .kaartje use[href^=\"#gm-\"]')]"
                             ".map(u => { const b = u.getBoundingClientRect(); return b.width * b.height; })")
    assert len(sizes) == 12 and min(sizes) > 50


def test_the_charts_mark_schedule_and_realisation(desktop):
    def centre(card, cls):
        return desktop.evaluate(
            f"(() => {{ const b = document.querySelector('#kaart-{card} .grafiek circle.{cls}')"
            ".getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })()")

    for card in ("vergunninghouders", "amv", "nidos_amv"):     # behind: realisation drawn below the schedule
        schedule, realised = centre(card, "schema"), centre(card, "realisatie")
        assert abs(schedule[0] - realised[0]) < 1 and realised[1] > schedule[1] + 5, card
    schedule, realised = centre("asiel", "schema"), centre("asiel", "realisatie")
    assert realised[1] < schedule[1]                          # ahead: above
    assert desktop.evaluate("document.querySelectorAll('svg.grafiek').length") == 5


def test_no_outside_request_and_no_console_error(desktop):
    requests = [e["params"]["request"]["url"] for e in desktop.events if e["method"] == "Network.requestWillBeSent"]
    assert requests == [desktop.url]
    assert _problems(desktop.events) == []
    html = desktop.evaluate("document.documentElement.outerHTML")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html, re.I)
    assert desktop.evaluate("performance.getEntriesByType('resource').length") == 0


def test_screenshots_desktop_phone_and_print(browser, sample_page, artefacts):
    browser.viewport(1400, 2000)
    browser.open(sample_page)
    shot = browser.screenshot(artefacts / "dashboard-drenthe-1400x2000.png")
    assert shot.stat().st_size > 20_000
    browser.screenshot(artefacts / "dashboard-drenthe-volledig.png", full_page=True)
    # The five cards side by side on a wide screen.
    tops = browser.evaluate("[...document.querySelectorAll('.kaart')].map(k => Math.round(k.getBoundingClientRect().top))")
    assert len(set(tops)) == 1

    # A phone: one column, nothing wider than the screen except inside the scrollable table.
    browser.viewport(390, 844, mobile=True, scale=2)
    browser.open(sample_page)
    width = browser.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    lefts = browser.evaluate("[...document.querySelectorAll('.kaart')].map(k => Math.round(k.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1
    browser.screenshot(artefacts / "dashboard-drenthe-telefoon.png")
    assert _problems(browser.events) == []

    # Print: A4 landscape (841.89 x 595.28 pt), more than one page (cards, then the table).
    pdf = browser.pdf(artefacts / "dashboard-drenthe.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page box in the PDF"
    for w, h in boxes:
        assert abs(float(w) - 841.89) < 2 and abs(float(h) - 595.28) < 2
    assert len(boxes) >= 2
