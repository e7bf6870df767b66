"""Quota points that a source adapter contributes (``AdapterResult.opgaven``): the ``tvs`` housing line.

SPEC §11: when a TVS export states the period, the backlog and the corrected target, its adapter gives
the ``vergunninghouders`` target line (the summed backlog on the period's first day, the corrected target
on the day after the period). ``merge_contributed`` decides what the dataset does with those points:

- the manifest names no quota file for the task: the points are the task's quota points (of several
  files, the one with the latest peildatum wins on a shared (area, date));
- the manifest names quota files for the task: those are used, and each file's points are checked
  against the quota files' line (a warning per municipality that differs by more than 0.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from opvangkern import tables
from opvangkern.model import Melding, Severity

__all__ = ["merge_contributed"]

_TOLERANCE = 0.5


def merge_contributed(opgaven: pa.Table, contributed: Sequence[tuple[Any, dt.date | None, pa.Table]],
                      quota_tasks: Iterable[str], division: Any) -> tuple[pa.Table, list[Melding]]:
    """``opgaven`` with the contributed points of tasks that have no quota files, and the warnings of the
    points checked against the quota files of the tasks that have them. ``contributed`` holds, per file,
    ``(manifest entry, peildatum, points)``."""
    quota_tasks = set(quota_tasks)
    meldingen: list[Melding] = []
    added: dict[tuple[str, str, dt.date], dict[str, Any]] = {}
    ordered = sorted(enumerate(contributed), key=lambda t: (t[1][1] or dt.date.min, t[0]))
    lines = _Lines(opgaven)  # the quota files' lines, built once for every file checked against them
    for _, (entry, _peildatum, points) in ordered:
        rows = points.cast(tables.OPGAVEN).to_pylist()
        free = [r for r in rows if r["opgave"] not in quota_tasks]
        for row in free:
            added[(row["opgave"], row["gebied_code"], row["ingangsdatum"])] = row  # a later peildatum wins
        checked = [r for r in rows if r["opgave"] in quota_tasks]
        if checked:
            meldingen.extend(_check(lines, checked, entry.bestand, division))
    if not added:
        return opgaven, meldingen
    extra = tables.from_rows(tables.OPGAVEN, sorted(added.values(), key=lambda r: (r["gebied_code"],
                                                                                  r["ingangsdatum"])))
    return pa.concat_tables([opgaven.cast(tables.OPGAVEN), extra]), meldingen


class _Lines:
    """The quota files' target lines per (task, area), read from ``opgaven`` on first use, with each
    line's value per day remembered: weekly files of one period check the same points again and again."""

    def __init__(self, opgaven: pa.Table) -> None:
        self._opgaven = opgaven
        self._lines: dict[tuple[str, str], list[tuple[dt.date, float]]] | None = None
        self._values: dict[tuple[str, str, dt.date], float] = {}
        self._verdicts: dict[tuple[Any, ...], str | None] = {}

    def get(self, key: tuple[str, str]) -> list[tuple[dt.date, float]] | None:
        if self._lines is None:
            self._lines = {}
            columns = (self._opgaven.column(c).to_pylist() for c in ("opgave", "gebied_code", "ingangsdatum", "aantal"))
            for opgave, code, day, amount in zip(*columns):
                if amount is not None:
                    self._lines.setdefault((opgave, code), []).append((day, amount))
        return self._lines.get(key)

    def verdict(self, opgave: str, code: str, name: str, line: list[tuple[dt.date, float]],
                points: list[dict[str, Any]]) -> str | None:
        """The text of the warning for an area's points (``None``: they agree), once per distinct set of
        points: the weekly files of one period give the same points, and so the same text."""
        memo = (opgave, code, name, tuple(sorted((p["ingangsdatum"], p["aantal"]) for p in points)))
        if memo not in self._verdicts:
            self._verdicts[memo] = _verdict(self, opgave, code, name, line, points)
        return self._verdicts[memo]

    def value(self, key: tuple[str, str], line: list[tuple[dt.date, float]], day: dt.date) -> float:
        from opvangkern.engine.reference import line_value

        memo = (*key, day)
        if memo not in self._values:
            self._values[memo] = line_value(line, day)
        return self._values[memo]


def _check(lines: _Lines, rows: list[dict[str, Any]], bestand: str, division: Any) -> list[Melding]:
    """A warning per municipality whose points in the file differ from the quota files' line."""
    by_area: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_area.setdefault((row["opgave"], row["gebied_code"]), []).append(row)
    out = []
    for (opgave, code), points in sorted(by_area.items()):
        name = _name(division, code)
        line = lines.get((opgave, code))
        first = min(points, key=lambda r: r["ingangsdatum"])
        if not line:
            out.append(Melding(Severity.WAARSCHUWING, f"{name}: het bestand geeft een opgave ({_describe(points)}), "
                               "maar de opgavebestanden van het manifest geven deze gemeente geen opgave; de "
                               "opgavebestanden gelden", bestand=bestand, blad=first.get("blad"), rij=first["rij"],
                               code="opgave_bron_wijkt_af"))
            continue
        text = lines.verdict(opgave, code, name, line, points)
        if text is not None:
            out.append(Melding(Severity.WAARSCHUWING, text, bestand=bestand, blad=first.get("blad"), rij=first["rij"],
                               waarde=_fmt(points[0]["aantal"]), code="opgave_bron_wijkt_af"))
    return out


def _verdict(lines: _Lines, opgave: str, code: str, name: str, line: list[tuple[dt.date, float]],
             points: list[dict[str, Any]]) -> str | None:
    differing = []
    for point in sorted(points, key=lambda r: r["ingangsdatum"]):
        expected = lines.value((opgave, code), line, point["ingangsdatum"])
        if abs(expected - point["aantal"]) > _TOLERANCE:
            differing.append(f"{_fmt(point['aantal'])} op {point['ingangsdatum']:%d-%m-%Y} "
                             f"(opgavebestanden: {_fmt(expected)})")
    if not differing:
        return None
    return (f"{name}: de opgave in het bestand verschilt van de opgavebestanden: {'; '.join(differing)}; "
            "de opgavebestanden gelden")


def _describe(points: list[dict[str, Any]]) -> str:
    return ", ".join(f"{_fmt(p['aantal'])} op {p['ingangsdatum']:%d-%m-%Y}"
                     for p in sorted(points, key=lambda r: r["ingangsdatum"]))


def _name(division: Any, code: str) -> str:
    try:
        return f"{division.area(code).naam} ({code})"
    except Exception:  # noqa: BLE001 - a code outside the division: show the code
        return code


def _fmt(number: float) -> str:
    from opvangkern.numbers import dutch_exact

    return dutch_exact(number)
