"""The BI lookup tables of a dashboard: ``gebieden`` (the areas) and ``legenda`` (labels, colours, order).

``gebieden`` is the dimension table of the areas: every area of ``kaarten`` (and every municipality of
``gemeenten``, so that each ``gemeentecode`` there has its row), with its level, safety region and
province. A municipality has both codes; a safety region has its own code as ``veiligheidsregiocode``
and its province; a province its own code as ``provinciecode`` and no safety region; the country neither.

``legenda`` lists every value of ``opgave``, ``status`` and ``prognose`` with its Dutch label, its colour on
the page and its order, so that no BI user types a label or a colour by hand. The colours are read from
the page's own style sheet (``html/style.css``: one source): statuses in their status colours; every task
in the page's accent colour (the colour of the target line in its chart); a projection in the colour of
the status it resembles (``bereikt`` and ``op_koers`` green, ``niet_op_koers`` red, ``onbekend`` grey).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pyarrow as pa

from opvangkern import tables
from opvangkern.model import TASKS, AreaLevel

__all__ = ["gebieden_table", "legenda_table", "page_colours", "STATUS_ORDER", "STATUS_NAMES", "PROGNOSE_ORDER",
           "PROGNOSE_NAMES", "LEVEL_ORDER"]

STATUS_NAMES = {"op_schema": "Op schema", "licht_achter": "Licht achter", "achter": "Achter",
                "geen_opgave": "Geen opgave"}
"""Every ``status`` value and its label, in the order of the dashboard's legend."""
STATUS_ORDER = tuple(STATUS_NAMES)
PROGNOSE_NAMES = {"bereikt": "Bereikt", "op_koers": "Op koers", "niet_op_koers": "Niet op koers",
                  "onbekend": "Onbekend"}
"""Every ``prognose`` value and its label."""
PROGNOSE_ORDER = tuple(PROGNOSE_NAMES)
LEVEL_ORDER = tuple(level.value for level in AreaLevel)
"""``gemeente``, ``veiligheidsregio``, ``provincie``, ``land``: small to large."""

_STATUS_VARIABLES = {"op_schema": "op-schema", "licht_achter": "licht-achter", "achter": "achter",
                     "geen_opgave": "geen"}
_PROGNOSE_VARIABLES = {"bereikt": "op-schema", "op_koers": "op-schema", "niet_op_koers": "achter",
                       "onbekend": "geen"}
_TASK_VARIABLE = "accent"
_VARIABLE = re.compile(r"--([a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")


@functools.cache
def page_colours() -> dict[str, str]:
    """The colour variables of the page's style sheet (``--op-schema: #1a9641`` → ``{"op-schema": "#1a9641"}``)."""
    from importlib.resources import files

    css = (files("opvangkern.output.html") / "style.css").read_text(encoding="utf-8")
    root = css.split("}", 1)[0]  # the :root block holds the variables
    return {name: value.lower() for name, value in _VARIABLE.findall(root)}


def legenda_table() -> pa.Table:
    """The ``legenda`` table (schema ``tables.LEGENDA``)."""
    colours = page_colours()
    rows = [{"soort": "opgave", "waarde": t.key, "label": t.label, "kleur": colours[_TASK_VARIABLE],
             "volgorde": i} for i, t in enumerate(TASKS, start=1)]
    rows += [{"soort": "status", "waarde": s, "label": STATUS_NAMES[s], "kleur": colours[_STATUS_VARIABLES[s]],
              "volgorde": i} for i, s in enumerate(STATUS_ORDER, start=1)]
    rows += [{"soort": "prognose", "waarde": p, "label": PROGNOSE_NAMES[p],
              "kleur": colours[_PROGNOSE_VARIABLES[p]], "volgorde": i} for i, p in enumerate(PROGNOSE_ORDER, start=1)]
    return tables.from_rows(tables.LEGENDA, rows)


def gebieden_table(division, kaarten: pa.Table, gemeentecodes: Sequence[str] = ()) -> pa.Table:
    """The ``gebieden`` table (schema ``tables.GEBIEDEN``): every area of ``kaarten`` in its order, then every
    municipality of ``gemeentecodes`` not in it yet."""
    codes = list(dict.fromkeys([*kaarten.column("gebied_code").to_pylist(), *gemeentecodes]))
    rows = []
    for code in codes:
        area = division.area(code)
        rows.append({"gebied_code": area.code, "gebied_naam": area.naam, "gebied_niveau": area.niveau.value,
                     "veiligheidsregiocode": _parent(division, code, AreaLevel.VEILIGHEIDSREGIO),
                     "provinciecode": _parent(division, code, AreaLevel.PROVINCIE)})
    return tables.from_rows(tables.GEBIEDEN, rows)


def _parent(division, code: str, level: AreaLevel) -> str | None:
    try:
        return division.parent(code, level).code
    except ValueError:  # an area above that level (a province has no safety region)
        return None
