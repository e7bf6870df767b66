"""The text dashboard (``--format text``): the cards and the municipality table as the seed shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from opvangkern.model import TASK_BY_KEY
from opvangkern.numbers import dutch, long_date
from opvangkern.output.labels import (  # noqa: F401 - TABLE_COLUMNS, area_cards, column_totals: also read from here
    LEGEND, STATUS_LABELS, TABLE_COLUMNS, area_cards, card_source_text, column_totals,
)
from opvangkern.output.terminal import safe

STATUS_COLOURS = {"op_schema": "green", "licht_achter": "yellow", "achter": "red", "geen_opgave": "white"}
Style = Callable[..., str]


def _plain(text: str, **_: object) -> str:
    return text


def render(kaarten: pa.Table, gemeenten: pa.Table, *, title: str, gebied_code: str | None = None,
           style: Style = _plain, verloop: pa.Table | None = None, prognose: pa.Table | None = None,
           width: int | None = None, dashboard: Any = None) -> str:
    """The whole text dashboard. ``style`` is ``click.style`` for colour, or plain. With ``verloop``
    and ``prognose`` ([Verloop en prognose](verloop-en-prognose.md)) each card gets its pace and its course under it. ``width``: the
    terminal's width; a municipality table wider than that gets headers over several lines, and when
    that is still too wide it is split into blocks of tasks, each with the municipality names (see
    ``fit_table``). ``None``: one table as wide as it is. ``dashboard``: the ``Dashboard`` the tables are
    of, whose installed adapters name the sources (``opvangkern.sources.labels``); without it a card names
    the adapters of ``kaarten.bronnen`` by their keys."""
    lines = [style(safe(title), bold=True), ""]
    paces = _by_card(prognose)
    courses: dict[tuple[str, str], list[dict]] = {}
    if verloop is not None:
        for row in verloop.select(["gebied_code", "opgave", "peildatum", "realisatie"]).to_pylist():
            courses.setdefault((row["gebied_code"], row["opgave"]), []).append(row)
    for card in area_cards(kaarten):
        lines.extend(_card(card, style, show_area=card["gebied_code"] != gebied_code, dashboard=dashboard))
        key = (card["gebied_code"], card["opgave"])
        if key in paces:
            lines.append(f"{'Prognose':<26}{pace_text(paces[key])}")
        if courses.get(key):
            pace = paces.get(key)
            # no p0 although earlier peildata exist: they lie before the card's period (a new half-year)
            restarted = pace is not None and pace["vorige_peildatum"] is None and pace["realisatie"] is not None \
                and len(courses[key]) > 1
            lines.append(f"{'Verloop':<26}{course_text(courses[key], new_period=restarted)}".rstrip())
        lines.append("")
    for status, text in LEGEND:
        lines.append(f"{style('●', fg=STATUS_COLOURS[status])} {text}")
    lines.append("*Op basis van indicatief schema opgave")
    lines.append("")
    lines.extend(_table(gemeenten, style) if width is None else fit_table(gemeenten, width, style))
    return "\n".join(lines) + "\n"


def _card(card: dict, style: Style, show_area: bool = False, dashboard: Any = None) -> list[str]:
    task = TASK_BY_KEY[card["opgave"]]
    status = card["status"]
    badge = style(f"● {STATUS_LABELS.get(status, '')}", fg=STATUS_COLOURS.get(status, "white")) if status else ""
    source = card_source_text(dashboard, card)
    # A municipality's Ukraine card is its safety region's: say so.
    where = f" ({card['gebied_niveau']} {safe(card['gebied_naam'])})" if show_area else ""
    head = f"## {task.label}{where}  {badge}".rstrip()
    rows = [
        ("Startpunt opgave", dutch(card["startpunt"]), long_date(card["startdatum"])),
        ("Eindpunt opgave", dutch(card["eindpunt"]), long_date(card["einddatum"]) + agreement_note(card.get("afspraken"))),
        ("Indicatief schema opgave", dutch(card["indicatief_schema"]), ""),
        ("Huidige realisatie", dutch(card["realisatie"]), f"{source}, peildatum {long_date(card['peildatum'])}"
         if card["peildatum"] else f"{source}: geen gegevens"),
        ("Achterstand/voorsprong*", dutch(card["achterstand"]), ""),
    ]
    out = [style(head, bold=True)]
    for label, value, note in rows:
        out.append(f"{label:<26}{value:>9}   {note}".rstrip())
    return out


def agreement_note(change: float | None) -> str:
    """``, waarvan afspraken +50`` for a card that agreements touch ([Agreements](afspraken.md)); empty when none does."""
    if change is None:
        return ""
    text = dutch(change)
    return f", waarvan afspraken {'+' if text not in ('0', '-0') and not text.startswith('-') else ''}{text}"


def _table(gemeenten: pa.Table, style: Style) -> list[str]:
    headers = [h for _, h in TABLE_COLUMNS]
    body = [[safe(row["gemeentenaam"])] + [dutch(row[c]) for c, _ in TABLE_COLUMNS[1:]] for row in gemeenten.to_pylist()]
    totals = column_totals(gemeenten)
    total_row = ["Totaal"] + [dutch(totals[c]) for c, _ in TABLE_COLUMNS[1:]]
    widths = [max(len(r[i]) for r in [headers, *body, total_row]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]).rstrip()

    return [style(line(headers), bold=True), *map(line, body), style(line(total_row), bold=True)]


# The column groups of the municipality table that stay together when it is split into blocks.
_GROUPS = ("oekraine_", "asiel_", "vergunninghouders_", "amv_", "nidos_amv_")


def _cells(gemeenten: pa.Table) -> tuple[list[list[str]], list[str]]:
    body = [[row["gemeentenaam"]] + [dutch(row[c]) for c, _ in TABLE_COLUMNS[1:]] for row in gemeenten.to_pylist()]
    totals = column_totals(gemeenten)
    return body, ["Totaal"] + [dutch(totals[c]) for c, _ in TABLE_COLUMNS[1:]]


def _wrap(header: str, width: int) -> list[str]:
    """A header's words over lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in header.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _stacked(columns: list[int], body: list[list[str]], total: list[str], style: Style) -> list[str]:
    """The table of the given column positions with each header wrapped over lines as narrow as its values
    (or its longest word)."""
    headers = [TABLE_COLUMNS[i][1] for i in columns]
    rows = [[r[i] for i in columns] for r in [*body, total]]
    widths = [max([max(len(w) for w in h.split())] + [len(r[k]) for r in rows]) for k, h in enumerate(headers)]
    wrapped = [_wrap(h, w) for h, w in zip(headers, widths)]
    widths = [max(w, *(len(x) for x in lines)) for w, lines in zip(widths, wrapped)]
    height = max(len(lines) for lines in wrapped)
    # headers sit on their bottom line, like a spreadsheet's wrapped header cells
    header_rows = [[(lines[len(lines) - height + k] if k >= height - len(lines) else "") for lines in wrapped]
                   for k in range(height)]

    def line(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]).rstrip()

    out = [style(line(h), bold=True) for h in header_rows]
    out.extend(line(r) for r in rows[:-1])
    out.append(style(line(rows[-1]), bold=True))
    return out


def _line_width(lines: list[str]) -> int:
    import click

    return max((len(click.unstyle(x)) for x in lines), default=0)


def fit_table(gemeenten: pa.Table, width: int, style: Style = _plain) -> list[str]:
    """The municipality table within ``width`` characters where it can be: as the seed shows it when it fits;
    else with headers over several lines; else in blocks of whole tasks (OEK, asiel, huisvesting, AMV, Nidos),
    each block with the municipality names and the totals row. A task wider than ``width`` on its own is
    split over blocks by its columns."""
    full = _table(gemeenten, style)
    if _line_width(full) <= width:
        return full
    body, total = _cells(gemeenten)
    every = list(range(len(TABLE_COLUMNS)))
    stacked = _stacked(every, body, total, style)
    if _line_width(stacked) <= width:
        return stacked
    groups = [[i for i, (c, _) in enumerate(TABLE_COLUMNS) if c.startswith(prefix)] for prefix in _GROUPS]
    # a task too wide on its own is split into its columns
    pieces: list[list[int]] = []
    for group in groups:
        if _line_width(_stacked([0, *group], body, total, style)) <= width:
            pieces.append(group)
        else:
            pieces.extend([i] for i in group)
    blocks: list[list[int]] = []
    for group in pieces:
        candidate = [0, *(blocks[-1][1:] if blocks else []), *group]
        if blocks and _line_width(_stacked(candidate, body, total, style)) <= width:
            blocks[-1] = candidate
        else:
            blocks.append([0, *group])
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        out.extend(_stacked(block, body, total, style))
    return out


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
    doel = f"{dutch(row['doel'])} op {long_date(row['doeldatum'])}"
    if row["prognose"] == "bereikt":
        return f"bereikt: {dutch(row['realisatie'])} van {doel}"
    if row["prognose"] not in ("op_koers", "niet_op_koers"):
        if row["realisatie"] is None:
            return "onbekend: geen realisatie"
        return f"onbekend: geen eerdere peildatum in deze periode om het tempo aan te meten (doel {doel})"
    parts = [f"tempo {_signed(row['tempo_per_maand'])} per maand"]
    if row["benodigd_per_maand"] is not None:
        parts.append(f"nodig {_signed(row['benodigd_per_maand'])} per maand")
    verdict = f"haalt {long_date(row['doeldatum'])}" + ("" if row["prognose"] == "op_koers" else " niet")
    if row["verwachte_datum"] is not None:
        verdict += f" (verwacht {long_date(row['verwachte_datum'])})"
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


def course_text(rows: list[dict], new_period: bool = False) -> str:
    """A card's course (its ``verloop`` rows, oldest first): a sparkline of the realisation over the last
    peildata and the change since the previous one ("▁▂▄▅▇█  ↑ +52 sinds 30 november 2025"). ``new_period``:
    the last peildatum is the first of a new period of the target (a housing half-year, whose count starts
    again at 0), so no change is given: against the previous half-year's count it is no change."""
    shown = rows[-SPARK_POINTS:]
    text = f"{sparkline([r['realisatie'] for r in shown])}  {long_date(shown[0]['peildatum'])} – {long_date(shown[-1]['peildatum'])}"
    if len(rows) < 2:
        return f"{text}  (één peildatum)"
    last, previous = rows[-1]["realisatie"], rows[-2]["realisatie"]
    if new_period:
        return f"{text}  (nieuwe periode: de telling begint opnieuw)"
    if last is None or previous is None:
        return text
    change = last - previous
    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    return f"{text}  {arrow} {_signed(change)} sinds {long_date(rows[-2]['peildatum'])}"
