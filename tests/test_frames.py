"""``Dashboard.to_pandas()``: real dtypes, the same values as the Arrow tables, ordered categoricals; and the
short ``repr`` and the notebook cards of a ``Dashboard``."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

import opvangkern
from opvangkern.model import TASK_KEYS


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard(gebied="PV22")


@pytest.fixture(scope="module")
def frames(dash):
    return dash.to_pandas()


def test_every_table_is_a_dataframe(dash, frames):
    assert list(frames) == list(dash.tables())
    for name, table in dash.tables().items():
        frame = frames[name]
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == table.column_names and len(frame) == table.num_rows


def test_real_dtypes(frames):
    kaarten = frames["kaarten"]
    assert str(kaarten["realisatie"].dtype) == "Int64"
    assert kaarten["peildatum"].dtype.kind == "M" and kaarten["startdatum"].dtype.kind == "M"
    assert kaarten["indicatief_schema"].dtype == "float64"
    gemeenten = frames["gemeenten"]
    assert str(gemeenten["amv_realisatie"].dtype) == "Int64"
    assert gemeenten["amv_realisatie"].isna().any()  # a missing count stays missing …
    assert gemeenten["vergunninghouders_realisatie"].sum() == 423  # … and whole numbers stay whole
    assert frames["realisaties"]["peildatum"].dtype.kind == "M"


def test_ordered_categoricals_in_the_dashboard_order(frames):
    opgave = frames["kaarten"]["opgave"]
    assert isinstance(opgave.dtype, pd.CategoricalDtype) and opgave.dtype.ordered
    assert list(opgave.dtype.categories) == list(TASK_KEYS)
    status = frames["kaarten"]["status"]
    assert list(status.dtype.categories) == ["op_schema", "licht_achter", "achter", "geen_opgave"]
    assert status.dtype.ordered
    # sorting by task follows the cards, not the alphabet
    first_five = frames["kaarten"].head(5)
    assert list(first_five.sort_values("opgave")["opgave"]) == list(TASK_KEYS)
    assert list(frames["prognose"]["prognose"].dtype.categories) == ["bereikt", "op_koers", "niet_op_koers",
                                                                     "onbekend"]


def test_values_are_the_arrow_values(dash, frames):
    for name, table in dash.tables().items():
        frame = frames[name]
        for column in table.column_names:
            expected = table.column(column).to_pylist()
            got = frame[column].tolist()
            for e, g in zip(expected, got):
                if e is None:
                    assert g is None or g is pd.NA or g is pd.NaT or (isinstance(g, float) and math.isnan(g)), \
                        (name, column, g)
                elif hasattr(g, "date") and not isinstance(e, type(g)):
                    assert g.date() == e, (name, column)
                else:
                    assert g == e, (name, column, e, g)


def test_a_value_outside_the_order_is_kept():
    import pyarrow as pa

    from opvangkern.output.frames import table_to_pandas

    frame = table_to_pandas(pa.table({"opgave": ["asiel", "nieuw", None]}))
    assert frame["opgave"].tolist()[:2] == ["asiel", "nieuw"] and pd.isna(frame["opgave"].tolist()[2])
    assert list(frame["opgave"].dtype.categories)[-1] == "nieuw"


def test_repr_is_short(dash):
    text = repr(dash)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<Dashboard Drenthe (PV22)")
    assert f"{dash.kaarten.num_rows} kaarten" in text and "12 gemeenten" in text and "kcio 2025-12-31" in text


def test_repr_html_shows_the_cards(dash):
    html = dash._repr_html_()
    assert html.count('<article class="kaart') == 5
    for label in ("Opvang Oekraïne", "Opvang Asiel", "Huisvesting vergunninghouders", "Opvang AMV", "Nidos AMV"):
        assert label in html
    for figure in ("5.013", "4.614", "423", "192", "73"):
        assert figure in html
    assert "<script" not in html.lower()
    # the page's style sheet, limited to the cards: nothing restyles the notebook around them
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    for rule in re.findall(r"([^{}]+)\{", style):
        for selector in rule.split(","):
            assert selector.strip().startswith(".opvangkern-kaarten"), selector
