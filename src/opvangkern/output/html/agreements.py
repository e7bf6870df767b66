"""Agreements on the page (SPEC §13): beside each card the agreements that change its line, and a
section that lists every agreement with its effect per area and per task.

The figures are the ``afspraken`` table's rows and the cards' ``afspraken`` column (the net change of
``eindpunt``); the page only says which rows touch which card.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from html import escape
from typing import Any

import pyarrow as pa

from opvangkern.model import TASK_BY_KEY
from opvangkern.output.html.format import long_date
from opvangkern.output.html.history import signed


def rows(afspraken: pa.Table | None) -> list[dict]:
    return [] if afspraken is None or afspraken.num_rows == 0 else afspraken.to_pylist()


def touching(agreements: list[dict], task: str, members: Collection[str]) -> list[tuple[dict, float]]:
    """The agreements that change the line of ``task`` summed over ``members``, each with its effect
    on that line (−aantal for the giving side, +aantal for the receiving side; both inside: 0 net for
    a same-task agreement, which is still listed)."""
    out = []
    for row in agreements:
        effect = 0.0
        hit = False
        if row.get("opgave") == task and row.get("van_code") in members:
            effect -= row.get("aantal") or 0
            hit = True
        if (row.get("naar_opgave") or row.get("opgave")) == task and row.get("naar_code") in members:
            effect += row.get("aantal") or 0
            hit = True
        if hit:
            out.append((row, effect))
    return out


def card_block(card: Mapping[str, Any], touched: list[tuple[dict, float]]) -> str:
    """Under a card's figures: "waarvan afspraken +50" and the agreements that make it."""
    net = card.get("afspraken")
    if net is None and not touched:
        return ""
    head = f'<p class="afspraak-som">waarvan afspraken <b>{signed(net)}</b></p>' if net is not None else ""
    items = "".join(
        f"<li>{escape(row.get('omschrijving') or '')} <span class=\"getal\">({signed(effect)}, per "
        f"{long_date(row.get('ingangsdatum'))})</span></li>" for row, effect in touched)
    return f'<div class="afspraken-kaart">{head}{f"<ul>{items}</ul>" if items else ""}</div>'


def section(agreements: list[dict], names: Mapping[str, str],
            link: Callable[[str], str | None] = lambda code: None) -> str:
    """Every agreement: what it says, which task and area give, which receive, how many, from when."""
    if not agreements:
        return ""

    def area(code: str | None) -> str:
        if not code:
            return ""
        text = escape(names.get(code, code))
        href = link(code)
        return f'<a href="{escape(href)}">{text}</a>' if href else text

    body = []
    for row in agreements:
        task = TASK_BY_KEY.get(row.get("opgave") or "")
        other = TASK_BY_KEY.get(row.get("naar_opgave") or row.get("opgave") or "")
        aantal = row.get("aantal")
        body.append(
            f"<tr><td>{escape(row.get('omschrijving') or '')}</td>"
            f"<td>{area(row.get('van_code'))}</td><td>{escape(task.label if task else '')}</td>"
            f'<td class="getal">{"" if aantal is None else signed(-aantal)}</td>'
            f"<td>{area(row.get('naar_code'))}</td><td>{escape(other.label if other else '')}</td>"
            f'<td class="getal">{"" if aantal is None else signed(aantal)}</td>'
            f"<td>{long_date(row.get('ingangsdatum'))}</td></tr>")
    return ('<section class="afspraken" aria-labelledby="afspraken-kop"><h2 id="afspraken-kop">Afspraken</h2>'
            '<p class="voetnoot">Afspraken tussen gemeenten (of regio\'s) en tussen opgaven. Ze veranderen de '
            "opgavepunten vanaf hun ingangsdatum; de kaarten en de tabel tonen de opgave na de afspraken.</p>"
            '<div class="tabel-wrap"><table class="afspraken-tabel"><thead><tr><th scope="col">Afspraak</th>'
            '<th scope="col">Van</th><th scope="col">Opgave</th><th scope="col">Effect</th>'
            '<th scope="col">Naar</th><th scope="col">Opgave</th><th scope="col">Effect</th>'
            '<th scope="col">Ingangsdatum</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div></section>')
