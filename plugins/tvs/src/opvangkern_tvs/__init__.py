"""opvangkern source adapter for TVS: housing of status holders (``vergunninghouders``).

Layout (SPEC §11): ``Gemeente`` and/or ``Gemeentecode``; what is realised is ``Gerealiseerd``
(``Realisatie``, ``Gehuisvest``), the one required column. Optional, and checked when present (warnings):
``Periode`` (``2025-II``, ``2e helft 2025``: must hold the peildatum), ``Taakstelling``, ``Achterstand``
(``Achterstand begin periode``, ``Achterstand/voorsprong``; positive behind, negative ahead),
``Gecorrigeerde taakstelling`` (= taakstelling + achterstand) and ``Nog te realiseren``
(= gecorrigeerde taakstelling − gerealiseerd). See ``docs/sources/tvs.md``.
"""

from __future__ import annotations

import datetime as dt
import re

from opvangkern.sources import kit

__version__ = "0.1.0"

W = kit.Severity.WAARSCHUWING

LAYOUT = kit.Layout(
    "tvs",
    [
        kit.Column("gerealiseerd", ["Gerealiseerd", "Realisatie", "Gehuisvest", "Gehuisveste vergunninghouders"],
                   kind=kit.COUNT),
        kit.Column("periode", ["Periode", "Taakstellingsperiode", "Halfjaar"]),
        kit.Column("taakstelling", ["Taakstelling", "Taakstelling periode"], kind=kit.SIGNED),
        kit.Column("achterstand", ["Achterstand", "Achterstand begin periode", "Achterstand/voorsprong",
                                   "Achterstand voorsprong", "Achterstand of voorsprong"], kind=kit.SIGNED),
        kit.Column("gecorrigeerd", ["Gecorrigeerde taakstelling", "Taakstelling gecorrigeerd"], kind=kit.SIGNED),
        kit.Column("nog", ["Nog te realiseren", "Nog te huisvesten"], kind=kit.SIGNED),
    ],
    require=[("gerealiseerd",)],
)

_ROMAN = {"i": 1, "ii": 2, "1": 1, "2": 2, "1e": 1, "2e": 2, "eerste": 1, "tweede": 2, "h1": 1, "h2": 2}
_PERIOD_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]\s*(?P<h>ii|i|h1|h2|1|2)$"),                # 2025-II, 2025 H2, 2025/2
    re.compile(r"^(?P<h>h1|h2)\s*[-/ ]?\s*(?P<y>\d{4})$"),                         # H2 2025
    re.compile(r"^(?P<h>1e|2e|eerste|tweede|1|2)\s*(halfjaar|helft)\s*(?P<y>\d{4})$"),  # 2e helft 2025
]


def parse_periode(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a half-year period (``2025-II`` → 1 July .. 31 December 2025)."""
    s = re.sub(r"\s+", " ", text.strip().casefold())
    for rx in _PERIOD_PATTERNS:
        m = rx.match(s)
        if m:
            year, half = int(m.group("y")), _ROMAN[m.group("h")]
            if half == 1:
                return dt.date(year, 1, 1), dt.date(year, 6, 30)
            return dt.date(year, 7, 1), dt.date(year, 12, 31)
    m = re.match(r"^(?P<y>\d{4})$", s)
    if m:
        return dt.date(int(s), 1, 1), dt.date(int(s), 12, 31)
    return None


class TvsAdapter(kit.SourceAdapter):
    """TVS: housed status holders per municipality (task ``vergunninghouders``)."""

    name = "tvs"
    label = "TVS (taakstelling vergunninghouders)"
    tasks = ("vergunninghouders",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            if source.maat not in ("capaciteit", "plekken", "gehuisvest"):
                b.fout(f"maat {source.maat!r} kent TVS niet; TVS levert gehuisveste vergunninghouders",
                       kolom="maat", waarde=source.maat)
                return b.result()
            table = b.read_table(LAYOUT)
            if table is None:
                return b.result()
            peildatum = table.peildatum or source.peildatum
            periods: dict[tuple[dt.date, dt.date], int] = {}
            for row in table:
                gerealiseerd = row.count("gerealiseerd")
                b.add(row, "vergunninghouders", gerealiseerd)
                self._check_identities(row, gerealiseerd)
                text = row.text("periode")
                if text:
                    period = parse_periode(text)
                    if period is None:
                        row.waarschuwing("periode onleesbaar (verwacht 2025-II of 2e helft 2025); niet gecontroleerd",
                                         "periode")
                    else:
                        periods.setdefault(period, row.rij)
            self._check_periods(table, periods, peildatum)
        return b.result()

    @staticmethod
    def _check_identities(row: kit.Row, gerealiseerd: int | None) -> None:
        taak, achter = row.signed("taakstelling", W), row.signed("achterstand", W)
        gecorr, nog = row.signed("gecorrigeerd", W), row.signed("nog", W)
        if taak is not None and taak < 0:
            row.waarschuwing("negatieve taakstelling", "taakstelling")
        if taak is not None and achter is not None and gecorr is not None and abs(taak + achter - gecorr) > 1e-6:
            row.waarschuwing(f"gecorrigeerde taakstelling {_n(gecorr)} is niet taakstelling {_n(taak)} + achterstand "
                             f"{_n(achter)} = {_n(taak + achter)}", "gecorrigeerd")
        if gecorr is not None and gerealiseerd is not None and nog is not None and abs(gecorr - gerealiseerd - nog) > 1e-6:
            row.waarschuwing(f"nog te realiseren {_n(nog)} is niet gecorrigeerde taakstelling {_n(gecorr)} − "
                             f"gerealiseerd {gerealiseerd} = {_n(gecorr - gerealiseerd)}", "nog")

    @staticmethod
    def _check_periods(table: kit.SheetTable, periods: dict, peildatum: dt.date | None) -> None:
        if len(periods) > 1:
            rows = sorted(periods.values())
            table.add(W, "het bestand noemt meer dan één periode; één bestand is één peildatum",
                      rows[1], table.header.headers.get("periode"))
        if peildatum is None:
            return
        for (start, end), rij in periods.items():
            if not start <= peildatum <= end:
                table.add(W, f"de peildatum {peildatum:%d-%m-%Y} valt niet in de periode "
                          f"({start:%d-%m-%Y} t/m {end:%d-%m-%Y})", rij, table.header.headers.get("periode"))


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [TvsAdapter()]
