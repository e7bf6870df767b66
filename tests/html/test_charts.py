"""The card chart's geometry: the target segment, the schedule on it, the realisation at the peildatum."""

import datetime as dt

import pytest

from opvangkern.output.html import charts
from opvangkern.output.html.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, WIDTH, chart_layout, nice_ceiling

D = dt.date


def card(**changes):
    base = {"opgave": "vergunninghouders", "startdatum": D(2025, 7, 1), "startpunt": 454.0,
            "einddatum": D(2026, 1, 1), "eindpunt": 819.0, "peildatum": D(2025, 12, 31),
            "indicatief_schema": 819.0, "realisatie": 423, "achterstand": 396.0, "status": "achter"}
    base.update(changes)
    return base


@pytest.mark.parametrize("value, expected", [(0, 1), (1, 1), (7, 8), (11, 12), (230, 250), (917, 1000),
                                             (5754, 6000), (4001, 5000), (0.3, 0.3), (-5, 1)])
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == pytest.approx(expected)


def test_the_segment_spans_the_plot_and_the_schedule_sits_on_its_end():
    layout = chart_layout(card())
    assert layout.start_point[0] == MARGIN_LEFT
    assert layout.end_point[0] == WIDTH - MARGIN_RIGHT
    # peildatum 31-12-2025: the schedule is the line at the start of 1-1-2026, the end point.
    assert layout.schedule == layout.end_point
    assert layout.y_max == 1000
    assert layout.realisation[0] == layout.schedule[0]
    assert layout.realisation[1] > layout.schedule[1]          # 423 is drawn below 819
    assert layout.y(0) == HEIGHT - MARGIN_BOTTOM


def test_the_schedule_lies_on_the_line_between_start_and_end():
    layout = chart_layout(card(opgave="nidos_amv", startpunt=90.0, eindpunt=95.0, peildatum=D(2025, 12, 29),
                               indicatief_schema=94.9456521739, realisatie=73))
    (x0, y0), (x1, y1), (x, y) = layout.start_point, layout.end_point, layout.schedule
    assert x0 < x < x1
    assert y == pytest.approx(y0 + (y1 - y0) * (x - x0) / (x1 - x0), abs=0.15)
    assert layout.marker_day == D(2025, 12, 30)


def test_a_peildatum_outside_the_segment_widens_the_axis_and_the_line_stays_flat():
    layout = chart_layout(card(startdatum=D(2025, 1, 1), einddatum=D(2025, 6, 1), startpunt=100.0, eindpunt=200.0,
                               indicatief_schema=200.0))
    assert layout.day_max == D(2026, 1, 1)
    assert layout.end[1] == layout.end_point[1]                 # flat after the last point
    assert layout.schedule[0] == WIDTH - MARGIN_RIGHT


def test_one_point_on_one_day_gets_a_padded_axis():
    day = D(2026, 1, 1)
    layout = chart_layout(card(startdatum=day, einddatum=day, startpunt=50.0, eindpunt=50.0,
                               peildatum=D(2025, 12, 31), indicatief_schema=50.0, realisatie=60))
    assert layout.day_min == day - dt.timedelta(days=charts.PAD_DAYS)
    assert layout.day_max == day + dt.timedelta(days=charts.PAD_DAYS)
    assert layout.start[1] == layout.end[1]


def test_no_realisation_no_marker_no_target_no_chart():
    assert chart_layout(card(realisatie=None)).realisation is None
    assert chart_layout(card(peildatum=None)).schedule is None
    assert chart_layout(card(startdatum=None)) is None
    assert "Geen opgavelijn" in charts.chart_svg(card(startpunt=None), status_class="st-achter", title="t")


def test_the_svg_has_both_markers_and_dutch_labels():
    svg = charts.chart_svg(card(eindpunt=1819.0, indicatief_schema=1819.0), status_class="st-achter", title="x")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="schema"' in svg and 'class="realisatie st-achter"' in svg
    assert "schema 1.819" in svg and "realisatie 423" in svg
    assert "1 jul 2025" in svg and "1 jan 2026" in svg
