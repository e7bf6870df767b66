"""History on the page ([Verloop en prognose](verloop-en-prognose.md)): the pace in words under each card, from ``prognose``, and the
table "sinds de vorige levering" of the areas whose status changed, from ``verloop``.

Nothing is computed here that the tables do not hold: the words restate ``tempo_per_maand``,
``benodigd_per_maand``, ``doeldatum``, ``verwachte_datum`` and ``prognose``; the table compares the
last two rows of ``verloop`` per (area, task).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import pyarrow as pa

from opvangkern.model import TASK_BY_KEY, TASKS
from opvangkern.numbers import dutch
from opvangkern.output.labels import STATUS_LABELS
from opvangkern.output.html.format import long_date
from opvangkern.output.html.palette import STATUS_SIGNS


def signed(value: float) -> str:
    """``+12``, ``-5`` (Dutch format, rounded half away from zero), ``0``."""
    text = dutch(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def pace_text(prognose: Mapping[str, Any] | None) -> str:
    """The pace in words: ``tempo +12 per maand, nodig +20 per maand: haalt 1 februari 2026 niet``."""
    if not prognose:
        return ""
    verdict = prognose.get("prognose")
    doel, doeldatum = prognose.get("doel"), prognose.get("doeldatum")
    tempo, nodig = prognose.get("tempo_per_maand"), prognose.get("benodigd_per_maand")
    verwacht = prognose.get("verwachte_datum")
    if verdict == "bereikt":
        text = f"doel {dutch(doel)} bereikt"
        return (f"tempo {signed(tempo)} per maand; " + text) if tempo is not None else text[0].upper() + text[1:]
    if verdict == "onbekend" or tempo is None:
        return "Nog geen tempo: er is geen eerdere peildatum in deze periode om mee te vergelijken."
    parts = [f"tempo {signed(tempo)} per maand"]
    if nodig is not None:
        parts.append(f"nodig {signed(nodig)} per maand")
    head = ", ".join(parts)
    if doeldatum is None:
        return head
    if nodig is None:  # the deadline has passed
        return f"{head}: de doeldatum {long_date(doeldatum)} is voorbij"
    if verdict == "op_koers":
        tail = f" (verwacht {long_date(verwacht)})" if verwacht else ""
        return f"{head}: haalt {long_date(doeldatum)}{tail}"
    tail = f" (verwacht {long_date(verwacht)})" if verwacht else ""
    return f"{head}: haalt {long_date(doeldatum)} niet{tail}"


def history_of(verloop: pa.Table) -> dict[tuple[str, str], list[dict]]:
    """``(gebied_code, opgave) -> verloop rows``, oldest first."""
    out: dict[tuple[str, str], list[dict]] = {}
    if verloop is None or verloop.num_rows == 0:
        return out
    for row in verloop.to_pylist():
        out.setdefault((row["gebied_code"], row["opgave"]), []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["peildatum"] or dt.date.min)
    return out


def prognose_of(prognose: pa.Table) -> dict[tuple[str, str], dict]:
    """``(gebied_code, opgave) -> prognose row``."""
    if prognose is None or prognose.num_rows == 0:
        return {}
    return {(r["gebied_code"], r["opgave"]): r for r in prognose.to_pylist()}


def status_changes(verloop: pa.Table) -> list[tuple[dict, dict]]:
    """``(previous, latest)`` verloop rows of every (area, task) whose status differs between its last
    two peildata, in task order and then name order."""
    changes = []
    for rows in history_of(verloop).values():
        if len(rows) >= 2 and rows[-1]["status"] != rows[-2]["status"]:
            changes.append((rows[-2], rows[-1]))
    order = {t.key: i for i, t in enumerate(TASKS)}
    changes.sort(key=lambda pair: (order.get(pair[1]["opgave"], 99), pair[1]["gebied_niveau"] != "gemeente",
                                   pair[1]["gebied_naam"] or ""))
    return changes


def _status_cell(row: Mapping[str, Any]) -> str:
    status = row.get("status")
    label = STATUS_LABELS.get(status, "geen gegevens") if status else "geen gegevens"
    sign = STATUS_SIGNS.get(status or "geen_opgave", "")
    return (f'<td class="st-{escape(status or "geen")}"><span class="stip"></span><span class="teken" '
            f'aria-hidden="true">{sign}</span> {escape(label)}</td>')


def changes_section(verloop: pa.Table, link: Callable[[str], str | None] = lambda code: None) -> str:
    """The table "Sinds de vorige levering" ('' when no status changed or there is no history)."""
    changes = status_changes(verloop)
    if verloop is None or verloop.num_rows == 0:
        return ""
    if not changes:
        return ('<section class="sinds" aria-labelledby="sinds-kop"><h2 id="sinds-kop">Sinds de vorige levering</h2>'
                '<p>Geen gebied is van status veranderd sinds de vorige peildatum.</p></section>')
    body = []
    for before, after in changes:
        name = escape(after["gebied_naam"] or after["gebied_code"])
        href = link(after["gebied_code"])
        if href:
            name = f'<a href="{escape(href)}">{name}</a>'
        change = (None if after["realisatie"] is None or before["realisatie"] is None
                  else after["realisatie"] - before["realisatie"])
        body.append(
            f'<tr><th scope="row">{name}</th><td>{escape(TASK_BY_KEY[after["opgave"]].label)}</td>'
            f"{_status_cell(before)}<td>{long_date(before['peildatum'])}</td>{_status_cell(after)}"
            f"<td>{long_date(after['peildatum'])}</td>"
            f'<td class="getal">{"" if change is None else signed(change)}</td></tr>')
    return ('<section class="sinds" aria-labelledby="sinds-kop"><h2 id="sinds-kop">Sinds de vorige levering</h2>'
            '<p class="voetnoot">Gebieden waarvan de status veranderde tussen de laatste twee peildata.</p>'
            '<div class="tabel-wrap"><table class="wijzigingen"><thead><tr><th scope="col">Gebied</th>'
            '<th scope="col">Opgave</th><th scope="col">Was</th><th scope="col">op</th><th scope="col">Nu</th>'
            '<th scope="col">op</th><th scope="col">Realisatie erbij</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div></section>')
