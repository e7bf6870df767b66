"""History, projection and agreements on the page (issues 12 and 13, item 4).

The dashboards here are the sample's with ``verloop``, ``prognose``, ``afspraken`` (and the agreement
columns of ``kaarten``/``gemeenten``) filled by the test itself (``attrs.evolve``), so the page is
tested against the SPEC's columns whatever engine fills them. Expected figures are plain arithmetic.
"""

import datetime as dt
from pathlib import Path
import math
import re

import attrs
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import tables
from opvangkern.output.html import render_html
from opvangkern.output.html.history import pace_text, signed, status_changes
from opvangkern.output.html.page import target_line
from opvangkern.output.html.timeline import line_value, timeline_layout

D = dt.date
MONTH = 365.25 / 12


def bare(dash):
    """The dashboard without history, projection or agreements (the tables empty)."""
    return attrs.evolve(dash, verloop=tables.empty(tables.VERLOOP), prognose=tables.empty(tables.PROGNOSE),
                        afspraken=tables.empty(tables.AFSPRAKEN))


def _replace_rows(table, schema, match, **changes):
    rows = table.to_pylist()
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row.update(changes)
    return tables.from_rows(schema, rows)


# --------------------------------------------------------------------------------- the pace in words


def nidos_prognose():
    """Drenthe's Nidos card (R = 73 on 29 December 2025, doel 95 on 1 January 2026) with a delivery
    of 60 on 29 September 2025 before it: every figure by hand, as SPEC §12 defines them."""
    p, p0, r, r0, doel, doeldatum = D(2025, 12, 29), D(2025, 9, 29), 73, 60, 95.0, D(2026, 1, 1)
    tempo = (r - r0) / (p - p0).days * MONTH
    nodig = (doel - r) / (doeldatum - (p + dt.timedelta(days=1))).days * MONTH
    verwacht = p + dt.timedelta(days=math.ceil((doel - r) * (p - p0).days / (r - r0)))
    return {"gebied_code": "PV22", "opgave": "nidos_amv", "peildatum": p, "realisatie": r, "doel": doel,
            "doeldatum": doeldatum, "vorige_peildatum": p0, "tempo_per_maand": tempo,
            "benodigd_per_maand": nodig, "verwachte_datum": verwacht, "prognose": "niet_op_koers"}


def test_the_pace_in_words_for_each_verdict():
    row = nidos_prognose()
    assert round(row["tempo_per_maand"]) == 4 and round(row["benodigd_per_maand"]) == 335
    assert row["verwachte_datum"] == D(2026, 6, 1)          # 29-12-2025 + ceil(22 · 91 / 13) = + 154 days
    assert pace_text(row) == "tempo +4 per maand, nodig +335 per maand: haalt 1 januari 2026 niet (verwacht 1 juni 2026)"
    on_course = dict(row, prognose="op_koers", verwachte_datum=D(2025, 12, 31))
    assert pace_text(on_course) == "tempo +4 per maand, nodig +335 per maand: haalt 1 januari 2026 (verwacht 31 december 2025)"
    assert pace_text(dict(row, prognose="bereikt", benodigd_per_maand=0.0)) == "tempo +4 per maand; doel 95 bereikt"
    assert pace_text(dict(row, prognose="onbekend", vorige_peildatum=None, tempo_per_maand=None)).startswith(
        "Nog geen tempo")
    assert pace_text(dict(row, benodigd_per_maand=None)) == "tempo +4 per maand: de doeldatum 1 januari 2026 is voorbij"
    assert pace_text(dict(row, tempo_per_maand=-2.4)) .startswith("tempo -2 per maand")
    assert pace_text(None) == ""
    assert [signed(v) for v in (12, -5, 0, 1234.5)] == ["+12", "-5", "0", "+1.235"]


# ------------------------------------------------------------------------------------ the whole line


def test_the_whole_target_line_with_every_decision_point(sample_dashboard):
    """A third Nidos decision (+1 for each of the 11 Drenthe municipalities with a Nidos target, on
    1 July 2026): the chart
    draws all three points, not only the card's segment (90 → 95)."""
    extra = [dict(r, ingangsdatum=D(2026, 7, 1), aantal=r["aantal"] + 1, bestand="opgaven/nidos-2026-07-01.csv")
             for r in sample_dashboard.opgaven.to_pylist() if r["opgave"] == "nidos_amv" and
             r["ingangsdatum"] == D(2026, 1, 1)]
    assert len(extra) == 11                                  # Westerveld has no Nidos target
    opgaven = pa.concat_tables([sample_dashboard.opgaven, tables.from_rows(sample_dashboard.opgaven.schema, extra)])
    dash = attrs.evolve(sample_dashboard, opgaven=opgaven)
    members = [r["gemeentecode"] for r in sample_dashboard.gemeenten.to_pylist()]
    assert target_line(opgaven, [], "nidos_amv", members) == [
        (D(2025, 7, 1), 90.0), (D(2026, 1, 1), 95.0), (D(2026, 7, 1), 95.0 + 11)]
    html = render_html(dash)
    card = html[html.index('id="kaart-nidos_amv"'):]
    card = card[:card.index("</article>")]
    assert card.count('class="opgavepunt"') == 3
    assert render_html(bare(sample_dashboard)).split('id="kaart-nidos_amv"')[1].split("</article>")[0].count(
        'class="opgavepunt"') == 2


def test_history_markers_and_projection_in_the_chart(sample_dashboard):
    row = nidos_prognose()
    verloop = tables.from_rows(tables.VERLOOP, [
        {"gebied_code": "PV22", "gebied_naam": "Drenthe", "gebied_niveau": "provincie", "opgave": "nidos_amv",
         "peildatum": D(2025, 9, 29), "indicatief_schema": 90 + 5 * 91 / 184, "realisatie": 60, "status": "achter"},
        {"gebied_code": "PV22", "gebied_naam": "Drenthe", "gebied_niveau": "provincie", "opgave": "nidos_amv",
         "peildatum": D(2025, 12, 29), "indicatief_schema": 90 + 5 * 182 / 184, "realisatie": 73,
         "status": "licht_achter"},
    ])
    dash = attrs.evolve(sample_dashboard, verloop=verloop, prognose=tables.from_rows(tables.PROGNOSE, [row]))
    html = render_html(dash)
    card = html.split('id="kaart-nidos_amv"')[1].split("</article>")[0]
    assert card.count('class="verlooppunt"') == 1          # the earlier delivery; the latest is the card's marker
    assert 'class="verloop"' in card and 'class="prognose"' in card
    assert "tempo +4 per maand, nodig +335 per maand: haalt 1 januari 2026 niet (verwacht 1 juni 2026)" in card
    card_row = next(r for r in sample_dashboard.kaarten.to_pylist() if r["opgave"] == "nidos_amv")
    layout = timeline_layout(card_row, history=[(D(2025, 9, 29), 60), (D(2025, 12, 29), 73)], prognose=row)
    # The projection: R + tempo × months from 30 December 2025 to 1 January 2026.
    end_value = 73 + row["tempo_per_maand"] * 2 * 12 / 365.25
    assert layout.projection[1] == (round(layout.x(D(2026, 1, 1)), 1), round(layout.y(end_value), 1))
    assert layout.history[0] == (round(layout.x(D(2025, 9, 30)), 1), round(layout.y(60), 1))
    assert layout.day_min == D(2025, 7, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2000), st.floats(0, 1e6)), min_size=1, max_size=6, unique_by=lambda p: p[0]),
       st.integers(-100, 2100))
def test_the_drawn_line_passes_through_every_point(raw, peil):
    points = sorted((D(2025, 1, 1) + dt.timedelta(days=d), v) for d, v in raw)
    card = {"startdatum": points[0][0], "startpunt": points[0][1], "einddatum": points[-1][0],
            "eindpunt": points[-1][1], "peildatum": D(2025, 1, 1) + dt.timedelta(days=peil),
            "indicatief_schema": None, "realisatie": None}
    layout = timeline_layout(card, line=points)
    drawn = [(round(layout.x(d), 1), round(layout.y(v), 1)) for d, v in points]
    assert set(drawn) <= set(layout.line_points)
    xs = [x for x, _ in layout.line]
    assert xs == sorted(xs)                               # left to right, flat before and after
    for (d0, v0), (d1, v1) in zip(points, points[1:]):   # between two points the line lies between them
        mid = d0 + (d1 - d0) / 2
        assert min(v0, v1) - 1e-6 <= line_value(points, mid) <= max(v0, v1) + 1e-6


# ---------------------------------------------------------------------------- since the last delivery


def _municipal_history(sample_dashboard):
    def rows(code, name, task, before, after):
        return [{"gebied_code": code, "gebied_naam": name, "gebied_niveau": "gemeente", "opgave": task,
                 "peildatum": day, "indicatief_schema": 100.0, "realisatie": real, "status": status}
                for day, (real, status) in ((D(2025, 11, 30), before), (D(2025, 12, 31), after))]
    return tables.from_rows(tables.VERLOOP, [
        *rows("GM0106", "Assen", "asiel", (700, "achter"), (1624, "op_schema")),
        *rows("GM0114", "Emmen", "vergunninghouders", (120, "op_schema"), (115, "achter")),
        *rows("GM1730", "Tynaarlo", "amv", (28, "op_schema"), (28, "op_schema")),     # unchanged: not listed
    ])


def test_the_table_since_the_previous_delivery(sample_dashboard):
    verloop = _municipal_history(sample_dashboard)
    changes = status_changes(verloop)
    assert [(b["gebied_naam"], b["status"], a["status"]) for b, a in changes] == [
        ("Assen", "achter", "op_schema"), ("Emmen", "op_schema", "achter")]
    html = render_html(attrs.evolve(sample_dashboard, verloop=verloop))
    section = html[html.index('id="sinds-kop"'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section)
    assert len(rows) == 3                                  # the header and two changes
    assert "Assen" in rows[1] and "Opvang Asiel" in rows[1] and ">+924<" in rows[1]     # 1624 − 700
    assert "Emmen" in rows[2] and ">-5<" in rows[2] and "achter" in rows[2]
    # No history: no section at all.
    assert 'id="sinds-kop"' not in render_html(bare(sample_dashboard))


# -------------------------------------------------------------------------------------- agreements


def _with_agreements(sample_dashboard):
    """Two agreements: Assen takes 50 asylum places over from Tynaarlo (same task, both in Drenthe),
    and Emmen takes 20 asylum places in exchange for 20 fewer Ukraine places of VR03 Drenthe."""
    afspraken = tables.from_rows(tables.AFSPRAKEN, [
        {"omschrijving": "Assen neemt 50 asielplekken van Tynaarlo over", "opgave": "asiel", "van_code": "GM1730",
         "naar_opgave": "asiel", "naar_code": "GM0106", "aantal": 50.0, "ingangsdatum": D(2026, 2, 1),
         "bestand": "opvangkern.toml", "rij": 40},
        {"omschrijving": "Emmen: 20 asielplekken in plaats van 20 plekken Oekraïne", "opgave": "oekraine",
         "van_code": "VR03", "naar_opgave": "asiel", "naar_code": "GM0114", "aantal": 20.0,
         "ingangsdatum": D(2026, 2, 1), "bestand": "opvangkern.toml", "rij": 48},
    ])
    kaarten = _replace_rows(sample_dashboard.kaarten, tables.KAARTEN, {"gebied_code": "PV22", "opgave": "asiel"},
                            eindpunt=4155.0 + 20, afspraken=20.0)
    kaarten = _replace_rows(kaarten, tables.KAARTEN, {"gebied_code": "PV22", "opgave": "oekraine"},
                            eindpunt=5138.0 - 20, afspraken=-20.0)
    gemeenten = _replace_rows(sample_dashboard.gemeenten, tables.GEMEENTEN, {"gemeentecode": "GM0106"},
                              asiel_opgave=1000.0 + 50, asiel_afspraken=50.0)
    gemeenten = _replace_rows(gemeenten, tables.GEMEENTEN, {"gemeentecode": "GM1730"},
                              asiel_opgave=278.0 - 50, asiel_afspraken=-50.0)
    return attrs.evolve(sample_dashboard, afspraken=afspraken, kaarten=kaarten, gemeenten=gemeenten)


def test_agreements_beside_the_cards_and_in_the_table(sample_dashboard):
    dash = _with_agreements(sample_dashboard)
    html = render_html(dash)
    asiel = html.split('id="kaart-asiel"')[1].split("</article>")[0]
    oekraine = html.split('id="kaart-oekraine"')[1].split("</article>")[0]
    # The card's net change, and every agreement that touches it with its effect on this card.
    assert "waarvan afspraken <b>+20</b>" in asiel and "waarvan afspraken <b>-20</b>" in oekraine
    assert "Assen neemt 50 asielplekken van Tynaarlo over" in asiel and "(0, per 1 februari 2026)" in asiel
    assert "Emmen: 20 asielplekken" in asiel and "(+20, per 1 februari 2026)" in asiel     # an exchange: both cards
    assert "Emmen: 20 asielplekken" in oekraine and "(-20, per 1 februari 2026)" in oekraine
    assert "Assen neemt" not in oekraine
    # The table marks the targets the agreements changed.
    table = html[html.index('<table class="gemeenten">'):html.index("</table>", html.index('<table class="gemeenten">'))]
    assert 'title="waarvan afspraken +50">A</sup>' in table and 'title="waarvan afspraken -50">A</sup>' in table
    assert table.count('class="afspraak-teken"') == 2
    assert ">1.050<sup" in table and ">228<sup" in table
    # The list of agreements, with the effect on each side.
    section = html[html.index('id="afspraken-kop"'):]
    section = section[:section.index("</section>")]
    assert section.count("<tr>") == 3 and ">Tynaarlo<" in section and ">-50<" in section and ">+50<" in section
    assert ">Drenthe<" in section                           # VR03 by name, not by code


def test_the_line_after_agreements_and_the_fallback(sample_dashboard):
    dash = _with_agreements(sample_dashboard)
    agreements = dash.afspraken.to_pylist()
    members = [r["gemeentecode"] for r in dash.gemeenten.to_pylist()]
    # Same-task agreement inside the province: the line is unchanged; the exchange adds 20 from 1 Feb 2026.
    assert target_line(dash.opgaven, agreements, "asiel", members) == [(D(2025, 1, 1), 4155.0), (D(2026, 2, 1), 4175.0)]
    assert target_line(dash.opgaven, agreements, "oekraine", ["VR03"]) == [(D(2025, 2, 1), 5138.0), (D(2026, 7, 1), 5118.0)]
    assert target_line(dash.opgaven, agreements, "asiel", ["GM1730"])[-1] == (D(2026, 2, 1), 228.0)
    # A receiving area without a line of its own gets one: 0 before the agreement, aantal from it on.
    gift = [dict(agreements[0], naar_code="GM9999")]
    assert target_line(dash.opgaven, gift, "asiel", ["GM9999"]) == [(D(2025, 1, 1), 0.0), (D(2026, 2, 1), 50.0)]
    html = render_html(dash)
    assert html.split('id="kaart-asiel"')[1].split("</article>")[0].count('class="opgavepunt"') == 2
    # A card whose segment the line does not match (the table lacks the agreement): the card's own segment.
    stale = attrs.evolve(dash, afspraken=tables.empty(tables.AFSPRAKEN))
    card = render_html(stale).split('id="kaart-asiel"')[1].split("</article>")[0]
    assert "4.175" in card and card.count('class="opgavepunt"') == 2


def test_empty_tables_show_less(sample_dashboard):
    html = render_html(bare(sample_dashboard))
    for marker in ('id="sinds-kop"', 'id="afspraken-kop"', "<p class=tempo>", 'class="afspraak-teken"',
                   'class="verloop"', 'class="prognose"', 'class="afspraken-kaart"'):
        assert marker not in html, marker


@pytest.mark.parametrize("verdict", ["bereikt", "op_koers", "niet_op_koers", "onbekend"])
def test_every_verdict_renders(sample_dashboard, verdict):
    row = dict(nidos_prognose(), prognose=verdict)
    if verdict == "onbekend":
        row.update(vorige_peildatum=None, tempo_per_maand=None, verwachte_datum=None)
    html = render_html(attrs.evolve(sample_dashboard, prognose=tables.from_rows(tables.PROGNOSE, [row])))
    assert f"<p class=tempo>{pace_text(row)}</p>" in html


# ------------------------------------------------------- agreements computed by the dashboard itself


def test_the_page_over_real_agreements_draws_every_card_line(tmp_path):
    """The docs' three kinds of agreement (docs/afspraken.md), computed by the dashboard: every card's
    whole line, rebuilt by the page from ``opgaven`` and ``afspraken``, passes through the card's own
    points (so no card falls back to its bare segment), and the province and each municipality page
    show the agreements."""
    import shutil

    import opvangkern
    from opvangkern.output.html.page import card_members

    blocks = re.findall(r"```toml\n(.*?)```", (Path(__file__).parents[2] / "docs" / "afspraken.md").read_text(
        encoding="utf-8"), re.S)
    toml = next(b for b in blocks if "Emmen vangt" in b)
    folder = tmp_path / "ds"
    shutil.copytree(opvangkern.sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    ds = opvangkern.open_dataset(folder)
    agreements = ds.dashboard().afspraken.to_pylist()
    assert len(agreements) == 3
    shown = 0
    for code in ("PV22", *(r["van_code"] for r in agreements), *(r["naar_code"] for r in agreements)):
        dash = ds.dashboard(code)
        for card in dash.kaarten.to_pylist():
            if card["startdatum"] is None:
                continue
            line = target_line(dash.opgaven, agreements, card["opgave"], card_members(dash.division, card))
            assert abs(line_value(line, card["einddatum"]) - card["eindpunt"]) < 1e-6, (code, card["gebied_code"],
                                                                                       card["opgave"])
            assert abs(line_value(line, card["startdatum"]) - card["startpunt"]) < 1e-6
        html = render_html(dash)
        touched = [c for c in dash.kaarten.to_pylist()[:5] if c["afspraken"] is not None]
        for card in touched:
            block = html.split(f'id="kaart-{card["opgave"]}"')[1].split("</article>")[0]
            assert f"waarvan afspraken <b>{signed(card['afspraken'])}</b>" in block, (code, card["opgave"])
            shown += 1
        assert 'id="afspraken-kop"' in html
    assert shown >= 5
