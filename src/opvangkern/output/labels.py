"""What the text view and the page both say, in one place: the status labels and the legend, the columns
of the municipality table (their headers are the schema's field labels, ``tables.label``) and its totals
row, the area's own cards, and a card's sources by the installed adapters' names.

``output/textview.py`` and ``output/html/`` import this module; neither imports the other.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from opvangkern import tables

__all__ = ["STATUS_LABELS", "LEGEND", "TABLE_COLUMNS", "column_totals", "area_cards", "card_source_text"]

STATUS_LABELS = {
    "op_schema": "op schema",
    "licht_achter": "licht achter",
    "achter": "achter",
    "geen_opgave": "geen opgave",
}
LEGEND = (
    ("op_schema", "Realisatie ≥ 100% van indicatief schema"),
    ("licht_achter", "Realisatie ≥ 75% van indicatief schema"),
    ("achter", "Realisatie < 75% van indicatief schema"),
)

# (column, header) of the municipality table, as the seed names them: the headers are the labels of the
# schema's field metadata (tables.GEMEENTEN), the one source of column labels.
_TABLE_COLUMN_NAMES = (
    "gemeentenaam",
    "oekraine_realisatie",
    "asiel_opgave",
    "asiel_regulier",
    "asiel_noodopvang",
    "asiel_tgo",
    "asiel_delta",
    "vergunninghouders_opgave",
    "vergunninghouders_realisatie",
    "vergunninghouders_delta",
    "amv_opgave",
    "amv_realisatie",
    "amv_delta",
    "nidos_amv_opgave",
    "nidos_amv_realisatie",
    "nidos_amv_delta",
)
TABLE_COLUMNS = tuple((name, tables.label(tables.GEMEENTEN, name)) for name in _TABLE_COLUMN_NAMES)


def column_totals(gemeenten: pa.Table) -> dict[str, float | int | None]:
    """The totals row: each numeric column summed over the municipalities (blank when all are blank)."""
    totals: dict[str, float | int | None] = {}
    for name, _ in TABLE_COLUMNS[1:]:
        values = [v for v in gemeenten.column(name).to_pylist() if v is not None]
        totals[name] = sum(values) if values else None
    return totals


def area_cards(kaarten: pa.Table) -> list[dict]:
    """The chosen area's own cards: the leading rows of ``kaarten``, one per task."""
    cards: list[dict] = []
    for card in kaarten.slice(0, 5).to_pylist():
        if any(c["opgave"] == card["opgave"] for c in cards):
            break
        cards.append(card)
    return cards


def card_source_text(dashboard: Any, card: dict) -> str:
    """The source(s) of a card by their short names (``COA``; ``COA en Gemeentetabel``), from the
    installed adapters (``opvangkern.sources.labels``); ``bron onbekend`` when no adapter declares the task."""
    from opvangkern.sources.labels import card_sources, joined, short_name

    if dashboard is None:
        return joined((card.get("bronnen") or "").split(",")) or "bron onbekend"
    names = [short_name(dashboard, b) for b in card_sources(dashboard, card["opgave"], card.get("bronnen"))]
    return joined(names) or "bron onbekend"
