"""How a ``Dashboard`` shows itself in a Python session and in a notebook (Jupyter, VS Code).

- ``repr(dash)``: one short line: the area, the dataset, the peildata and the size of the tables
  (never the tables themselves: ``print(dash.kaarten)`` shows those);
- ``dash._repr_html_()``: the area's cards as the page draws them (status colour, figures, chart, map),
  with the legend, in the page's style sheet scoped to the cards so that it does not restyle the
  notebook around them. No script, no outside resources.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opvangkern.dashboard.compute import Dashboard

__all__ = ["dashboard_repr", "dashboard_html", "scoped_css"]

SCOPE = "opvangkern-kaarten"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def dashboard_repr(dash: Dashboard) -> str:
    """``<Dashboard Drenthe (PV22), 'Drenthe, stand 31 december 2025': 29 kaarten, 12 gemeenten, 0 meldingen;
    peildata kcio 2025-12-31, …>``."""
    peil = ", ".join(f"{bron} {day.isoformat()}" for bron, day in dash.peildata.items()) or "geen"
    sample = ", voorbeelddataset" if getattr(dash, "is_sample", False) else ""
    return (f"<Dashboard {dash.gebied.naam} ({dash.gebied.code}), {dash.dataset_naam!r}{sample}: "
            f"{dash.kaarten.num_rows} kaarten, {dash.gemeenten.num_rows} gemeenten, "
            f"{dash.meldingen.num_rows} meldingen; peildata {peil}>")


def scoped_css(css: str, scope: str = SCOPE) -> str:
    """The page's style sheet with every rule limited to ``.scope`` (``:root``, ``html`` and ``body`` become
    the scope itself); ``@media``/``@page`` blocks are left out (print and narrow layouts of the page)."""
    flat = _drop_at_blocks(css)
    out = []
    for selectors, body in _RULE.findall(flat):
        scoped = []
        for selector in selectors.split(","):
            selector = selector.strip()
            if not selector:
                continue
            if selector in (":root", "html", "body"):
                scoped.append(f".{scope}")
            else:
                scoped.append(f".{scope} {selector}")
        out.append(f"{', '.join(scoped)} {{{body}}}")
    return "\n".join(out)


def _drop_at_blocks(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    out, i = [], 0
    while i < len(css):
        at = css.find("@", i)
        if at < 0:
            out.append(css[i:])
            break
        out.append(css[i:at])
        depth, j = 0, css.find("{", at)
        if j < 0:
            break
        while j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    return "".join(out)


def dashboard_html(dash: Dashboard) -> str:
    """The area's cards and the legend as an HTML fragment (for ``_repr_html_``)."""
    from opvangkern.output.html.page import _css, _legend, cards_fragment

    body = cards_fragment(dash) if dash.kaarten.num_rows else ""
    title = f"{dash.gebied.naam} ({dash.gebied.code}) · {dash.dataset_naam}"
    peil = "; ".join(f"{bron}: {day.isoformat()}" for bron, day in dash.peildata.items())
    return (f'<div class="{SCOPE}"><style>{scoped_css(_css())}</style>'
            f"<h3>{escape(title)}</h3>{_legend()}"
            f'<div class="kaarten">{body or "<p>Geen kaarten: de dataset geeft dit gebied geen opgave.</p>"}</div>'
            f'<p class="voetnoot">*Op basis van indicatief schema opgave. Peildata: {escape(peil or "geen")}. '
            f"{dash.gemeenten.num_rows} gemeenten in <code>.gemeenten</code>, alle tabellen in "
            f"<code>.tables()</code>.</p></div>")
