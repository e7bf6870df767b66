"""The day a counted column's own header names, against the peildatum.

``Gehuisvest t/m 31-12-2025`` or ``Capaciteit per 1-3-2026`` says which day its counts are of. Read for another
peildatum (the manifest's, or the file's title) the counts would stand on the wrong day with no melding: SPEC §11
makes a file and a manifest that disagree an error. ``header_day_agrees`` allows a week either way (a weekly
publication's stand date, ``Capaciteit (stand 29-12-2025)`` in a file of 31 December), and a header period
(``Gerealiseerd 2025-II``) must hold the peildatum or end the day before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opvangkern.model import Severity

__all__ = ["header_day_agrees", "HEADER_DAY_SLACK"]

HEADER_DAY_SLACK = dt.timedelta(days=7)
"""How far a counted column's header date may lie from the peildatum."""

_ONE_DAY = dt.timedelta(days=1)


def header_day_agrees(table: Any, key: str, peildatum: dt.date | None) -> bool:
    """Whether column ``key``'s header agrees with ``peildatum``; else a ``fout`` (``peildatum_wijkt_af_van_kop``)
    in ``table`` at the header, with the ``peildatum`` line that fixes the manifest, and ``False``: the caller
    reads nothing of the file. Two columns of one name leave it to their own ``fout``."""
    suffix = table.header.suffixes.get(key)
    if suffix is None or peildatum is None:
        return True
    if any(problem[0] is Severity.FOUT for problem in table.header.problems):
        return True
    kolom = table.header.headers.get(key)
    if suffix.date is not None:
        if abs(suffix.date - peildatum) <= HEADER_DAY_SLACK:
            return True
        stated, fix = f"de stand van {suffix.date:%d-%m-%Y}", f"peildatum = {suffix.date:%Y-%m-%d}"
    elif suffix.period is not None:
        start, end = suffix.period
        if start <= peildatum <= end + _ONE_DAY:
            return True
        stated, fix = f"de periode {start:%d-%m-%Y} t/m {end:%d-%m-%Y}", f"peildatum = {end:%Y-%m-%d}"
    else:
        return True
    table.add(Severity.FOUT, f"de kop {kolom!r} geeft {stated}, maar de peildatum is {peildatum:%d-%m-%Y}: het "
              "aantal zou op de verkeerde dag tellen; zet bij deze [[bron]] de peildatum van het bestand "
              f"({fix}) of lever het bestand van {peildatum:%d-%m-%Y}", table.header.rij, kolom, kolom,
              code="peildatum_wijkt_af_van_kop")
    return False
