"""The text dashboard (``--format text``): the cards and the municipality table as the seed shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyarrow as pa

from .model import TASK_BY_KEY
from .numbers import dutch

STATUS_COLOURS = {"op_schema": "green", "licht_achter": "yellow", "achter": "red", "geen_opgave": "white"}
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
SOURCE_LABELS = {"kcio": "KCIO", "coa": "COA", "tvs": "TVS", "nidos": "Nidos"}

# (column, header) of the municipality table, as the seed names them.
TABLE_COLUMNS = (
    ("gemeentenaam", "Gemeente"),
    ("oekraine_realisatie", "OEK realisatie"),
    ("asiel_opgave", "Asiel opgave"),
    ("asiel_regulier", "Asiel regulier realisatie"),
    ("asiel_noodopvang", "Asiel NO realisatie"),
    ("asiel_tgo", "Asiel TGO realisatie"),
    ("asiel_delta", "Asiel delta"),
    ("vergunninghouders_opgave", "Huisvesting opgave"),
    ("vergunninghouders_realisatie", "Huisvesting realisatie"),
    ("vergunninghouders_delta", "Huisvesting delta"),
    ("amv_opgave", "AMV opgave"),
    ("amv_realisatie", "AMV realisatie"),
    ("amv_delta", "AMV delta"),
    ("nidos_amv_opgave", "Nidos AMV opgave"),
    ("nidos_amv_realisatie", "Nidos AMV realisatie"),
    ("nidos_amv_delta", "Nidos AMV delta"),
)

Style = Callable[..., str]


def _plain(text: str, **_: object) -> str:
    return text


def _date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


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


def render(kaarten: pa.Table, gemeenten: pa.Table, *, title: str, gebied_code: str | None = None,
           style: Style = _plain, verloop: pa.Table | None = None, prognose: pa.Table | None = None) -> str:
    """The whole text dashboard. ``style`` is ``click.style`` for colour, or plain. With ``verloop``
    and ``prognose`` (SPEC §12) each card gets its pace and its course under it."""
    lines = [style(title, bold=True), ""]
    paces = _by_card(prognose)
    courses: dict[tuple[str, str], list[dict]] = {}
    if verloop is not None:
        for row in verloop.select(["gebied_code", "opgave", "peildatum", "realisatie"]).to_pylist():
            courses.setdefault((row["gebied_code"], row["opgave"]), []).append(row)
    for card in area_cards(kaarten):
        lines.extend(_card(card, style, show_area=card["gebied_code"] != gebied_code))
        key = (card["gebied_code"], card["opgave"])
        if key in paces:
            lines.append(f"{'Prognose':<26}{pace_text(paces[key])}")
        if courses.get(key):
            lines.append(f"{'Verloop':<26}{course_text(courses[key])}".rstrip())
        lines.append("")
    for status, text in LEGEND:
        lines.append(f"{style('●', fg=STATUS_COLOURS[status])} {text}")
    lines.append("*Op basis van indicatief schema opgave")
    lines.append("")
    lines.extend(_table(gemeenten, style))
    return "\n".join(lines) + "\n"


def _card(card: dict, style: Style, show_area: bool = False) -> list[str]:
    task = TASK_BY_KEY[card["opgave"]]
    status = card["status"]
    badge = style(f"● {STATUS_LABELS.get(status, '')}", fg=STATUS_COLOURS.get(status, "white")) if status else ""
    source = SOURCE_LABELS.get(task.source, task.source)
    # A municipality's Ukraine card is its safety region's: say so.
    where = f" ({card['gebied_niveau']} {card['gebied_naam']})" if show_area else ""
    head = f"## {task.label}{where}  {badge}".rstrip()
    rows = [
        ("Startpunt opgave", dutch(card["startpunt"]), _date(card["startdatum"])),
        ("Eindpunt opgave", dutch(card["eindpunt"]), _date(card["einddatum"]) + agreement_note(card.get("afspraken"))),
        ("Indicatief schema opgave", dutch(card["indicatief_schema"]), ""),
        ("Huidige realisatie", dutch(card["realisatie"]), f"{source}, peildatum {_date(card['peildatum'])}"
         if card["peildatum"] else f"{source}: geen gegevens"),
        ("Achterstand/voorsprong*", dutch(card["achterstand"]), ""),
    ]
    out = [style(head, bold=True)]
    for label, value, note in rows:
        out.append(f"{label:<26}{value:>9}   {note}".rstrip())
    return out


def agreement_note(change: float | None) -> str:
    """``, waarvan afspraken +50`` for a card that agreements touch (SPEC §13); empty when none does."""
    if change is None:
        return ""
    text = dutch(change)
    return f", waarvan afspraken {'+' if text not in ('0', '-0') and not text.startswith('-') else ''}{text}"


def _table(gemeenten: pa.Table, style: Style) -> list[str]:
    headers = [h for _, h in TABLE_COLUMNS]
    body = [[row["gemeentenaam"]] + [dutch(row[c]) for c, _ in TABLE_COLUMNS[1:]] for row in gemeenten.to_pylist()]
    totals = column_totals(gemeenten)
    total_row = ["Totaal"] + [dutch(totals[c]) for c, _ in TABLE_COLUMNS[1:]]
    widths = [max(len(r[i]) for r in [headers, *body, total_row]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]).rstrip()

    return [style(line(headers), bold=True), *map(line, body), style(line(total_row), bold=True)]


# --- the pace and the course (SPEC §12) -----------------------------------------------------------

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 12
"""The sparkline shows at most the last this many peildata."""


def _by_card(prognose: pa.Table | None) -> dict[tuple[str, str], dict]:
    if prognose is None:
        return {}
    return {(r["gebied_code"], r["opgave"]): r for r in prognose.to_pylist()}


def _signed(value: float) -> str:
    text = dutch(value)
    return f"+{text}" if not text.startswith("-") and text != "0" else text


def pace_text(row: dict) -> str:
    """The pace of one ``prognose`` row in words: "tempo +12 per maand, nodig +20 per maand: haalt
    1 februari 2026 niet (verwacht 3 mei 2026)", "… haalt 1 februari 2026 (verwacht …)", "bereikt: …",
    "onbekend: …"."""
    doel = f"{dutch(row['doel'])} op {_date(row['doeldatum'])}"
    if row["prognose"] == "bereikt":
        return f"bereikt: {dutch(row['realisatie'])} van {doel}"
    if row["prognose"] not in ("op_koers", "niet_op_koers"):
        if row["realisatie"] is None:
            return "onbekend: geen realisatie"
        return f"onbekend: geen eerdere peildatum om het tempo aan te meten (doel {doel})"
    parts = [f"tempo {_signed(row['tempo_per_maand'])} per maand"]
    if row["benodigd_per_maand"] is not None:
        parts.append(f"nodig {_signed(row['benodigd_per_maand'])} per maand")
    verdict = f"haalt {_date(row['doeldatum'])}" + ("" if row["prognose"] == "op_koers" else " niet")
    if row["verwachte_datum"] is not None:
        verdict += f" (verwacht {_date(row['verwachte_datum'])})"
    elif row["tempo_per_maand"] is not None and row["tempo_per_maand"] <= 0:
        verdict += " (geen groei)"
    return ", ".join(parts) + ": " + verdict


def sparkline(values: list[float | int | None]) -> str:
    """``▁▂▃▄▅▆▇█`` from the lowest to the highest value (a missing value is a space; all equal: ``▄``)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    if high == low:
        return "".join(" " if v is None else SPARKS[3] for v in values)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(" " if v is None else SPARKS[int(round((v - low) * scale))] for v in values)


def course_text(rows: list[dict]) -> str:
    """A card's course (its ``verloop`` rows, oldest first): a sparkline of the realisation over the last
    peildata and the change since the previous one ("▁▂▄▅▇█  ↑ +52 sinds 30 november 2025")."""
    shown = rows[-SPARK_POINTS:]
    text = f"{sparkline([r['realisatie'] for r in shown])}  {_date(shown[0]['peildatum'])} – {_date(shown[-1]['peildatum'])}"
    if len(rows) < 2:
        return f"{text}  (één peildatum)"
    last, previous = rows[-1]["realisatie"], rows[-2]["realisatie"]
    if last is None or previous is None:
        return text
    change = last - previous
    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    return f"{text}  {arrow} {_signed(change)} sinds {_date(rows[-2]['peildatum'])}"
