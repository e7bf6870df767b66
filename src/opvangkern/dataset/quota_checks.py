"""Checks over the quota points of several decisions, after every quota file is read (hardening, sixth session).

Each quota file is checked on its own by ``opvangkern.reading.quota``; these only show across files (and
``far_dates`` against the peildata):

- ``merged_after_division``: a decision dated on or after a municipal reorganisation that lies after the
  dataset's division (a 2027 decision in a dataset working in the 2026 division), which gives the
  successor a target but not the municipality that joins it, while an earlier decision gave that one a
  target. The decision's successor target then already holds the joining municipality's, and in the
  dataset's division the joining municipality's older target would stay beside it (flat) and count twice
  in every region and province: a ``fout`` that names the division to choose (``opgave_na_herindeling``).

Both work on plain rows of the ``opgaven`` table and are pure (no I/O).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from opvangkern.model import AreaLevel, Melding, Severity

__all__ = ["merged_after_division", "far_dates", "FAR_DAYS"]

_COLUMNS = ("opgave", "gebied_code", "gebied_niveau", "ingangsdatum", "aantal", "bestand", "blad", "rij")


def _rows(opgaven: pa.Table) -> list[dict[str, Any]]:
    names = [c for c in _COLUMNS if c in opgaven.column_names]
    columns = [opgaven.column(c).to_pylist() for c in names]
    return [dict(zip(names, values)) for values in zip(*columns)]


def _name(division: Any, code: str) -> str:
    try:
        return f"{division.area(code).naam} ({code})"
    except Exception:  # noqa: BLE001 - a code the division does not know is shown as it is
        return code


def merged_after_division(opgaven: pa.Table, mapping: Any) -> list[Melding]:
    """A ``fout`` per decision dated on or after a reorganisation later than the dataset's division that gives
    the successor a target but not the joining municipality, whose earlier target would then count twice."""
    registry = getattr(mapping, "registry", None)
    info = getattr(mapping, "info", None)
    target = getattr(mapping, "target", None)
    if registry is None or info is None or target is None or opgaven.num_rows == 0:
        return []
    later = [r for r in registry.reorganisations
             if r.ingangsdatum > info.ingangsdatum and r.code in target.areas
             and any(s.code in target.areas and s.code != r.code for s in r.opvolgers)]
    if not later:
        return []
    level = AreaLevel.GEMEENTE.value
    rows = [r for r in _rows(opgaven) if r["gebied_niveau"] == level and r["aantal"] is not None]
    points: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        points.setdefault((row["opgave"], row["gebied_code"]), []).append(row)
    from opvangkern.numbers import dutch_exact, long_date

    out: list[Melding] = []
    for r in later:
        successors = [s.code for s in r.opvolgers if s.code in target.areas and s.code != r.code]
        for (opgave, code), own in points.items():
            if code != r.code:
                continue
            before = [p for p in own if p["ingangsdatum"] < r.ingangsdatum]
            if not before:
                continue  # no older target of its own: nothing stays behind to count twice
            listed = {(p["bestand"], p.get("blad"), p["ingangsdatum"]) for p in own}
            last = max(before, key=lambda p: p["ingangsdatum"])
            for succ in successors:
                for p in points.get((opgave, succ), ()):
                    if p["ingangsdatum"] < r.ingangsdatum or (p["bestand"], p.get("blad"), p["ingangsdatum"]) in listed:
                        continue
                    try:
                        name = registry.division_for(r.ingangsdatum).name
                    except Exception:  # noqa: BLE001 - no division holds the reorganisation: say so in words
                        name = None
                    choose = (f'kies de indeling waarin dat zo is: indeling = "{name}" onder [dataset] in '
                              "opvangkern.toml" if name is not None and name != info.name else
                              "geef de dataset een indeling met deze herindeling (een map indeling/ naast het manifest)")
                    provisional = " (voorlopig: aangekondigd, nog niet van kracht)" if r.voorlopig else ""
                    out.append(Melding(
                        Severity.FOUT,
                        f"dit verdeelbesluit (ingangsdatum {long_date(p['ingangsdatum'])}) geeft "
                        f"{_name(target, succ)} een opgave {opgave}, maar {_name(target, r.code)} niet, dat per "
                        f"{long_date(r.ingangsdatum)} opgaat in {_name(target, succ).split(' (')[0]}{provisional}. "
                        f"De opgave geldt dan voor de samengevoegde gemeente; in de indeling {info.name} van deze "
                        f"dataset bleef de oudere opgave van {r.naam} ({dutch_exact(last['aantal'])} uit "
                        f"{last['bestand']}) ernaast staan en telde die dubbel. Oplossing: {choose}; of, als de "
                        f"herindeling niet doorgaat, zet {r.naam} met zijn opgave in dit besluit",
                        bestand=p["bestand"], blad=p.get("blad"), rij=p["rij"], kolom="Opgave",
                        waarde=dutch_exact(p["aantal"]), code="opgave_na_herindeling"))
    return out


FAR_DAYS = 5 * 366
"""An ``ingangsdatum`` this many days or more from every peildatum of the dataset is probably a typing error."""


def far_dates(entries: Any, peildata: Any) -> list[Melding]:
    """A warning per ``[[opgave]]`` whose ``ingangsdatum`` lies five years or more from every peildatum of the
    dataset (``2062`` for ``2026``): the target line would run to (or from) that date, and every schedule
    between would be a small part of the step (``ingangsdatum_ver_weg``)."""
    days = sorted({d for d in peildata if d is not None})
    if not days:
        return []
    from opvangkern.numbers import long_date

    out: list[Melding] = []
    for entry in entries:
        day = getattr(entry, "ingangsdatum", None)
        if day is None:
            continue
        nearest = min(abs((day - p).days) for p in (days[0], days[-1]))
        if days[0] <= day <= days[-1] or nearest < FAR_DAYS:
            continue
        out.append(Melding(
            Severity.WAARSCHUWING,
            f"de ingangsdatum {long_date(day)} van dit verdeelbesluit ligt ruim {nearest // 365} jaar van elke "
            f"peildatum van de dataset ({long_date(days[0])} tot en met {long_date(days[-1])}); de opgavelijn loopt "
            "daardoor over jaren en het indicatief schema is dan maar een klein deel van de stap. Is het een "
            "tikfout (2062 voor 2026)? Verbeter dan de ingangsdatum in opvangkern.toml",
            bestand="opvangkern.toml", rij=getattr(entry, "regel", None), kolom="ingangsdatum",
            waarde=day.isoformat(), code="ingangsdatum_ver_weg"))
    return out
