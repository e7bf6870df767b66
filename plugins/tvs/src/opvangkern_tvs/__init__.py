"""opvangkern source adapter for TVS: housing of status holders (``vergunninghouders``).

Layout (SPEC §11): ``Gemeente`` and/or ``Gemeentecode``; what is realised is ``Gerealiseerd``
(``Gehuisvest``, ``Realisatie``), the one required column. Optional, and checked when present (warnings):
``Periode`` (``2025-II``, ``2e helft 2025``: must hold the peildatum), ``Taakstelling``, ``Achterstand``
(``Achterstand begin periode``, ``Achterstand/voorsprong``; positive behind, negative ahead),
``Gecorrigeerde taakstelling`` (= taakstelling + achterstand) and ``Nog te realiseren``
(= gecorrigeerde taakstelling − gerealiseerd). When the file gives the period (``Periode``, a header's period
suffix, a title cell) with the backlog and the corrected target (or the target), the adapter contributes the
housing target line in ``AdapterResult.opgaven``: the summed backlog on the period's first day, the corrected
target on the day after the period. See ``docs/sources/tvs.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from itertools import repeat
from operator import add, gt, lt, sub
from typing import Any

import attrs

from opvangkern.sources import kit

__version__ = "0.1.0"

W = kit.Severity.WAARSCHUWING

LAYOUT = kit.Layout(
    "tvs",
    [
        # ``Realisatie`` last: beside a count of the housed (``Gehuisvest``) it is the share of the target realised,
        # often written as a bare number (92 for 92 %), which would otherwise win and count 92 people
        # (and beside one of them it is another measure: its cells are not compared with the count's, a share
        # differs from it in every row; thirteenth session)
        kit.Column("gerealiseerd", ["Gerealiseerd", "Gehuisvest", "Gehuisveste vergunninghouders", "Realisatie"],
                   kind=kit.COUNT, apart=["Realisatie"]),
        kit.Column("periode", ["Periode", "Taakstellingsperiode", "Halfjaar"]),
        kit.Column("taakstelling", ["Taakstelling", "Taakstelling periode"], kind=kit.SIGNED),
        kit.Column("achterstand", ["Achterstand", "Achterstand begin periode", "Achterstand/voorsprong",
                                   "Achterstand voorsprong", "Achterstand of voorsprong"], kind=kit.SIGNED),
        # the monitor's lead as a column of its own, positive when ahead: the backlog is achterstand − voorsprong
        kit.Column("voorsprong", ["Voorsprong", "Voorsprong begin periode"], kind=kit.SIGNED),
        kit.Column("gecorrigeerd", ["Gecorrigeerde taakstelling", "Taakstelling gecorrigeerd"], kind=kit.SIGNED),
        kit.Column("nog", ["Nog te realiseren", "Nog te huisvesten"], kind=kit.SIGNED),
        # a row per municipality per month (``Maand``: januari, februari, …) is no half-year's stand: never summed
        kit.Column("maand", ["Maand", "Verslagmaand", "Rapportagemaand"]),
    ],
    require=[("gerealiseerd",)],
)

#: The names of the count (``check_wider_counts``): ``Totaal gerealiseerd`` or ``Gehuisvest incl. nareizigers`` beside
#: the column read is a larger whole of it, and which one is the half-year's count is not guessed.
COUNT_NAMES = LAYOUT.column("gerealiseerd").names

#: The family members who join a status holder (``check_separate_part``): a column of them beside the count
#: (``Gehuisvest | Nareizigers``) leaves open whether the count holds them (fifteenth session, ``hard15b``).
FAMILY_WORDS = frozenset({"nareizigers", "nareiziger", "gezinsherenigers", "gezinshereniger", "gezinshereniging",
                          "gezinsleden", "nareis"})


def parse_periode(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a half-year period (``2025-II`` → 1 July .. 31 December 2025)."""
    return kit.parse_period(text)


_ONE_DAY = dt.timedelta(days=1)


class TvsAdapter(kit.SourceAdapter):
    """TVS: housed status holders per municipality (task ``vergunninghouders``)."""

    name = "tvs"
    options = ()  # no keys of its own in [[bron]]: any other is a warning (manifest_onbekende_sleutel)
    label = "Taakstellingvolgsysteem (TVS)"
    short_label = "TVS"
    tasks = ("vergunninghouders",)

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT)
            if table is None:
                return b.result()
            kit.check_unread_sheets(b, table, LAYOUT)
            kit.check_wider_counts(b, table, "gerealiseerd", COUNT_NAMES)  # ``Gehuisvest incl. nareizigers``
            kit.check_separate_part(b, table, "gerealiseerd", FAMILY_WORDS, "de nareizigers")  # ``Gehuisvest | Nareizigers``
            kit.check_unread_subtotals(b, table, "gerealiseerd")  # ``Assen | Totaal | 20``: never counted
            peildatum = table.peildatum or source.peildatum
            if not self._realised_at(table, peildatum):
                return b.result()
            periods: dict[tuple[dt.date, dt.date], int] = {}
            row_period: dict[int, tuple[dt.date, dt.date]] = {}
            parsed: dict[str, tuple[dt.date, dt.date] | None] = {}  # each distinct period text read once
            if table.has("periode"):  # (without the column every row's text is "": nothing to read)
                texts = table.text_column("periode")  # a fast-read table: the column at once (issue 16)
                one = _one_period(table, texts)
                if one is not None:  # every row names the same readable period (the common case)
                    periods, row_period = one
                for row, text in (() if one is not None else zip(table.rows, texts) if texts is not None
                                  else ((row, row.text("periode")) for row in table)):
                    if text:
                        period = parsed.get(text, _MISS)
                        if period is _MISS:
                            period = parsed[text] = parse_periode(text)
                        if period is None:
                            row.waarschuwing("periode onleesbaar (verwacht 2025-II of 2e helft 2025); niet "
                                             "gecontroleerd", "periode", code="periode_onleesbaar")
                        else:
                            periods.setdefault(period, row.rij)
                            row_period[row.rij] = period
            self._rows_per_month(table, parsed)
            if not self._period_per_half_year(table, periods, parsed, peildatum):
                return b.result()
            current = self._current_period(table, periods, peildatum)
            checks = self._checks(table)
            figures = self._rows_at_once(b, table, checks) if current is None else None
            if figures is None:
                figures = []
                for i, row in enumerate(table):
                    if current is not None and row_period.get(row.rij, current) != current:
                        table.skip(row)  # another half-year of a file that lists several: not this peildatum's
                        continue
                    if row.rij in table.subtotals:
                        continue  # a municipality's subtotal (``kit.check_unread_subtotals``)
                    gerealiseerd = row.count("gerealiseerd")
                    b.add(row, "vergunninghouders", gerealiseerd)
                    figures.append(checks.row(i, row, gerealiseerd))
            kit.check_namesake_subtotals(b, table, "gerealiseerd")
            if current is not None:
                periods = {current: periods[current]}
            self._check_periods(table, periods, peildatum)
            stated = self._stated_period(table, periods)
            if stated is not None and not periods:
                self._check_stated_period(table, stated, peildatum)
            period = self._period(table, periods)  # None when the line's headers name another period
            if period is not None and len(periods) <= 1 and not self._title_agrees(table, period, peildatum):
                period = None  # the Periode column (or a header) and the title name different half-years: a fout
            if period is not None:
                points = self._line(b, table, period, figures)
                if points is not None:
                    return attrs.evolve(b.result(), opgaven=points)
        return b.result()

    def _rows_at_once(self, b: kit.RealisatieBuilder, table: kit.SheetTable, checks: Any) -> list[tuple] | None:
        """The loop over the rows of ``read`` (every row read: one period) column-wise (issue 16), for a table
        the fast scan read where that loop makes no melding: every ``Gerealiseerd`` cell reads as a count and
        every row's identities hold (``_Checks.quiet``). ``None`` (nothing done) for any other table: ``read``
        then loops row by row, the oracle (``tests/tvs_reference.py``; ``tests/test_tvs_loops.py``)."""
        counts = table.value_column("gerealiseerd")
        if (counts is None or table.subtotals  # rows to leave out: the loop
                or not set(map(type, counts)) <= _PLAIN  # a count that makes a melding, or b.add refuses
                or not isinstance(checks, _Checks) or not checks.quiet(counts)):
            return None
        if not counts:
            return []
        # what the loop's first ``row.count`` records, and the column itself (no ``Row`` made: issue 16, ninth
        # session): every cell plain, so ``counts`` gives the column as it is
        if table.counts("gerealiseerd") != counts:
            return None  # not what the column says (cannot happen): row by row, which reads it again
        checks.mark_read()
        b.add_counts(table, "vergunninghouders", counts)  # the column as it is (an empty count adds no row)
        return checks.line_figures(table)

    def _checks(self, table: kit.SheetTable) -> _Checks:
        """What checks the identities of each row and keeps its figures for the target line."""
        return _Checks(table)

    def _line(self, b: kit.RealisatieBuilder, table: kit.SheetTable, period: tuple[dt.date, dt.date],
              figures: list[tuple]) -> Any:
        """The housing target line (``AdapterResult.opgaven``; ``None``: none) from the figures ``_Checks`` kept:
        ``_target_line_from``'s points, without a cell read again."""
        if isinstance(figures, _Columns):  # from ``_rows_at_once``
            points = _target_line_columns(b, table, period, figures)
            if points is not _MISS:
                return points
            figures = figures.rows()
        return _target_line_from(b, table, period, figures)

    @staticmethod
    def _check_identities(row: kit.Row, gerealiseerd: int | None) -> None:
        """The identities of one row, read cell by cell (the reference; ``_Checks`` takes it for a row
        with a cell that does not read as a number)."""
        taak, achter = row.signed("taakstelling", W), _row_backlog(row)
        gecorr, nog = row.signed("gecorrigeerd", W), row.signed("nog", W)
        if achter is kit.BAD:
            achter = None  # a backlog and a lead both stated: warned by _row_backlog, no identity checked
        if taak is not None and taak < 0:
            row.waarschuwing("negatieve taakstelling", "taakstelling", code="taakstelling_negatief")
        if taak is not None and achter is not None and gecorr is not None and abs(taak + achter - gecorr) > 1e-6:
            row.waarschuwing(f"gecorrigeerde taakstelling {_n(gecorr)} is niet taakstelling {_n(taak)} + achterstand "
                             f"{_n(achter)} = {_n(taak + achter)}", "gecorrigeerd", code="tvs_som_klopt_niet")
        if gecorr is not None and gerealiseerd is not None and nog is not None and abs(gecorr - gerealiseerd - nog) > 1e-6:
            row.waarschuwing(f"nog te realiseren {_n(nog)} is niet gecorrigeerde taakstelling {_n(gecorr)} − "
                             f"gerealiseerd {gerealiseerd} = {_n(gecorr - gerealiseerd)}", "nog", code="tvs_som_klopt_niet")

    @staticmethod
    def _period(table: kit.SheetTable, periods: dict) -> tuple[dt.date, dt.date] | None:
        """The period the file covers (``_stated_period``), when the headers of the line's figures agree with
        it; else ``None`` (no line) with a warning (``tvs_opgavelijn_perioden``): ``Taakstelling 2026-I``
        beside ``Achterstand per 1-7-2025`` put the backlog of July 2025 on 1 January 2026, silently."""
        period = TvsAdapter._stated_period(table, periods)
        suffixes = table.header.suffixes
        if not _line_possible(table):
            return period
        if period is None:
            found = sorted({s.period for s in suffixes.values() if s.period is not None})
            if not periods and len(found) > 1:
                listed = ", ".join(f"{a:%d-%m-%Y} t/m {b:%d-%m-%Y}" for a, b in found)
                table.add(W, f"geen opgavelijn uit dit bestand: de koppen noemen verschillende perioden ({listed})",
                          table.header.rij, None, code="tvs_opgavelijn_perioden")
            return None
        start, end = period
        for key in ("achterstand", "voorsprong", "taakstelling", "gecorrigeerd", "nog"):
            suffix = suffixes.get(key)
            if suffix is None:
                continue
            if key in ("achterstand", "voorsprong") and suffix.date is not None \
                    and not start - _ONE_DAY <= suffix.date <= start:
                said = f"de stand van {suffix.date:%d-%m-%Y}"
            elif suffix.period is not None and suffix.period != period:
                said = f"de periode {suffix.period[0]:%d-%m-%Y} t/m {suffix.period[1]:%d-%m-%Y}"
            else:
                continue
            kolom = table.header.headers.get(key)
            table.add(W, f"geen opgavelijn uit dit bestand: de kop {kolom!r} noemt {said}, maar de periode van het "
                      f"bestand is {start:%d-%m-%Y} t/m {end:%d-%m-%Y} (de achterstand hoort bij de eerste dag van de "
                      "periode, de taakstelling bij de periode zelf); is dit een ander halfjaar, lever dan een "
                      "bestand per periode", table.header.rij, kolom, kolom, code="tvs_opgavelijn_perioden")
            return None
        if (end - start).days > 184:  # a year (``Taakstelling 2026``), twelfth session, ``hard12b``
            kolom = table.header.headers.get("periode") if periods else next(
                (table.header.headers.get(key) for key, suffix in suffixes.items() if suffix.period == period), None)
            table.add(W, f"geen opgavelijn uit dit bestand: de periode {start:%d-%m-%Y} t/m {end:%d-%m-%Y} is geen "
                      "halfjaar. De opgave voor huisvesting geldt per halfjaar en de telling begint op 1 januari en "
                      "1 juli opnieuw bij 0: een lijn over het jaar zou in het tweede halfjaar doorlopen terwijl de "
                      "telling weer bij 0 begint. Geef de opgave van het halfjaar met een [[opgave]] voor "
                      "vergunninghouders, of lever de export per halfjaar", table.header.rij, kolom,
                      kolom, code="tvs_opgave_niet_per_halfjaar")
            return None
        return period

    @staticmethod
    def _title_agrees(table: kit.SheetTable, period: tuple[dt.date, dt.date],
                      peildatum: dt.date | None = None) -> bool:
        """Whether the title (the cells above the header) names no half-year or ``period``, the one of the
        ``Periode`` column; else a ``fout`` (``tvs_periode_wijkt_af_van_titel``). A January export titled
        ``Taakstelling vergunninghouders 2026-I`` whose column still says ``2025-II`` (copied from December) put
        2026-I's backlog and target on 2025-II's days: the later file wins there, so the December card showed
        7 → 46 for Assen instead of 48 → 87. Which half-year the figures are of is not guessed.

        Beside the column's own half-year a title may name another one that is not the file's state: the new
        target at the turn (``Taakstelling 2026-I`` above an export of 31 December still in 2025-II), the half-year
        before for comparison (``Vorig halfjaar: 2025-II`` above a 2026-I export). No fout when the peildatum
        is of the column's half-year (up to the day after it) and of none of the title's others (from their first
        day to the day after): the peildatum, the column and one title agree (review, eleventh session,
        ``rev11g``). A January export whose column was copied from December is not of the column's half-year,
        and one of 1 January is of the title's new one too: both stay a fout."""
        titles = _title_periods(table)
        if not titles or titles == {period}:
            return True
        if table.has("periode"):
            kolom = table.header.headers.get("periode")
            said = f"de kolom {kolom!r} noemt"
        else:  # the period of a header's name (twelfth session, ``hard12b``): ``Taakstelling 2025-II`` under the
            # title of 2026-I put 2026-I's backlog and target on 2025-II's days with a warning at most, exit 0
            suffixes = table.header.suffixes
            kolom = next((table.header.headers.get(key) for key, suffix in suffixes.items()
                          if suffix.period == period), None)
            if kolom is None:
                return True  # the period of the backlog's day (``Achterstand per 1-1-2026``): the headers' check
            said = f"de kop {kolom!r} noemt"
        if peildatum is not None and _of(period, peildatum) and not any(
                _of(other, peildatum) for other in titles - {period}):
            return True
        named = ", ".join(f"{a:%d-%m-%Y} t/m {b:%d-%m-%Y}" for a, b in sorted(titles - {period}))
        top = table.header.rij if table.header.first_rij is None else table.header.first_rij
        rij, title = next((rij, cell) for rij, cells in table.grid.rows if rij < top for cell in cells
                          if isinstance(cell, str) and kit.find_period(cell) not in (None, period))
        table.add(kit.Severity.FOUT, f"{said} de periode {period[0]:%d-%m-%Y} t/m "
                  f"{period[1]:%d-%m-%Y}, maar de titel boven de tabel noemt {named} ({title!r}): van welk halfjaar "
                  "de achterstand, de taakstelling en de telling zijn, is niet te zeggen (de telling begint elk "
                  "halfjaar opnieuw bij 0). Verbeter de " + ("kolom" if table.has("periode") else "kop")
                  + " of de titel; het bestand geeft geen opgavelijn", rij, kolom, title,
                  code="tvs_periode_wijkt_af_van_titel")
        return False

    @staticmethod
    def _stated_period(table: kit.SheetTable, periods: dict) -> tuple[dt.date, dt.date] | None:
        """The period the file covers: its ``Periode`` column (one period), else a period after a column's
        name (``Taakstelling 2025-II``), else a title cell (``Taakstelling vergunninghouders 2025-II``), else
        the half-year whose first day the backlog's header names (``Achterstand per 1-7-2025``)."""
        if periods:
            return next(iter(periods)) if len(periods) == 1 else None
        found = {suffix.period for suffix in table.header.suffixes.values() if suffix.period is not None}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return None
        titles = _title_periods(table)
        if len(titles) == 1:
            return titles.pop()
        suffix = table.header.suffixes.get("achterstand") or table.header.suffixes.get("voorsprong")
        if suffix is not None and suffix.date is not None and (suffix.date.month, suffix.date.day) in ((1, 1), (7, 1)):
            start = suffix.date
            end = dt.date(start.year, 6, 30) if start.month == 1 else dt.date(start.year, 12, 31)
            return start, end
        return None

    @staticmethod
    def _current_period(table: kit.SheetTable, periods: dict, peildatum: dt.date | None,
                        ) -> tuple[dt.date, dt.date] | None:
        """With several periods in the ``Periode`` column: the one the peildatum belongs to (its rows are
        read, the others skipped, with a warning); a ``fout`` when there is none (every row would count)."""
        if len(periods) <= 1:
            return None
        kolom = table.header.headers.get("periode")
        listed = ", ".join(f"{s:%d-%m-%Y} t/m {e:%d-%m-%Y}" for s, e in sorted(periods))
        rows = sorted(periods.values())
        if peildatum is not None:
            # the first day after a period belongs to it, before it belongs to the next
            fits = sorted((p for p in periods if p[0] <= peildatum <= p[1] + _ONE_DAY),
                          key=lambda p: p[1] + _ONE_DAY != peildatum)
            if fits:
                start, end = fits[0]
                table.add(W, f"het bestand noemt meer dan één periode ({listed}); alleen de rijen van de periode "
                          f"van de peildatum ({start:%d-%m-%Y} t/m {end:%d-%m-%Y}) tellen, de andere zijn "
                          "overgeslagen", rows[1], kolom, code="tvs_meer_perioden")
                return fits[0]
        table.add(kit.Severity.FOUT, f"het bestand noemt meer dan één periode ({listed}) en de peildatum "
                  + ("ontbreekt" if peildatum is None else f"{peildatum:%d-%m-%Y} valt in geen ervan")
                  + ": alle rijen zouden samen tellen; lever één periode per bestand of zet de peildatum bij deze "
                  "[[bron]]", rows[1], kolom, code="tvs_meer_perioden")
        return None

    @staticmethod
    def _period_per_half_year(table: kit.SheetTable, periods: dict, parsed: dict[str, tuple[dt.date, dt.date] | None],
                              peildatum: dt.date | None) -> bool:
        """Whether the file's period (its ``Periode`` column's one period or range, else a header's period) starts
        in the peildatum's half-year or is no longer than it; else a ``fout`` (``telling_niet_per_halfjaar``) and
        nothing of the file counts (fourteenth session, ``hard14b``). ``Periode`` = ``2026`` or ``januari t/m
        september 2026`` (or ``Taakstelling 2026``) in a file of 30 September counts since 1 January, while the
        count starts again at 0 on 1 July: read silently before, exit 0. In the first half-year a year's count is
        the half-year's, and is read (as for the realisation's own header, ``_counted_per_half_year``)."""
        if peildatum is None or len(periods) > 1 or any(p[0] is kit.Severity.FOUT for p in table.header.problems):
            return True
        start, end = _half_year(peildatum)
        kolom = waarde = None
        rij = table.header.rij
        if periods:
            period = next(iter(periods))
            rij, kolom = periods[period], table.header.headers.get("periode")
        elif len(parsed) == 1:  # one text in every row that names no half-year: a range of months?
            waarde = next(iter(parsed))
            period, kolom = kit.parse_range(waarde), table.header.headers.get("periode")
            rij = None  # (found below, for the melding only)
        else:
            found = {key: suffix.period for key, suffix in table.header.suffixes.items() if suffix.period is not None}
            period = next(iter(found.values())) if len(set(found.values())) == 1 else None
            if period is not None:
                kolom = waarde = table.header.headers.get(next(iter(found)))
        if period is None or not period[0] < start <= period[1]:
            return True
        if waarde is None:  # (the fast read of one period keeps no text: the first row's, only for the melding)
            waarde = next((row.text("periode").strip() for row in table if row.rij == rij), None)
        if rij is None:
            rij = next((row.rij for row in table if row.text("periode").strip() == waarde), table.header.rij)
        table.add(kit.Severity.FOUT, f"de periode van het bestand is {period[0]:%d-%m-%Y} t/m {period[1]:%d-%m-%Y} "
                  f"({waarde!r}), maar de telling van gehuisveste vergunninghouders begint elk halfjaar opnieuw bij "
                  f"0: voor de peildatum {peildatum:%d-%m-%Y} telt alleen wat sinds {start:%d-%m-%Y} is gehuisvest "
                  f"(het halfjaar {start:%d-%m-%Y} t/m {end:%d-%m-%Y}), en dit bestand telt vanaf "
                  f"{period[0]:%d-%m-%Y}. Lever de export van het halfjaar (Gehuisvest {start:%d-%m-%Y} t/m "
                  f"{peildatum:%d-%m-%Y}); niets van dit bestand telt mee", rij, kolom, waarde,
                  code="telling_niet_per_halfjaar")
        return False

    @staticmethod
    def _rows_per_month(table: kit.SheetTable, parsed: dict[str, tuple[dt.date, dt.date] | None]) -> None:
        """A ``fout`` (``tvs_meer_perioden``) for a file whose rows name several periods that are no half-year
        (``januari 2026``, ``februari 2026`` in ``Periode``, or a ``Maand`` column): a row per municipality per month
        (fourteenth session, ``hard14b``). Summed, a monthly stand (5, 9, 14) counted 28 housed instead of 14
        with warnings only; whether the months' figures are the month's or the half-year's so far is not said.
        ``parsed``: each ``Periode`` text read, with its half-year (``None``: unreadable)."""
        unread = [text for text, period in parsed.items() if period is None]
        key = "periode" if len(unread) > 1 else "maand" if table.has("maand") else None
        if key is None:
            return
        seen: dict[str, int] = {}
        for row in table:
            text = row.text(key).strip()
            if text and (key == "maand" or text in unread):
                seen.setdefault(text, row.rij)
        if len(seen) < 2:
            return
        (first, _), (second, rij) = list(seen.items())[:2]
        kolom = table.header.headers.get(key)
        listed = ", ".join(list(seen)[:6]) + (" …" if len(seen) > 6 else "")
        table.add(kit.Severity.FOUT, f"de kolom {kolom!r} noemt {len(seen)} verschillende perioden ({listed}) en "
                  "geen ervan is een halfjaar: een rij per maand telt elke gemeente meer dan eens (is de telling "
                  "de stand tot die maand, dan dubbel). Lever de stand van het halfjaar op de peildatum, één rij per "
                  "gemeente (of één bestand per maand, elk met zijn eigen peildatum)", rij, kolom, second,
                  code="tvs_meer_perioden")

    @staticmethod
    def _realised_at(table: kit.SheetTable, peildatum: dt.date | None) -> bool:
        """Whether the realisation column's header agrees with the peildatum (``kit.header_day_agrees``); else
        a ``fout`` and nothing is read: ``Gehuisvest t/m 31-12-2025`` counted on 30 June 2026 would be the
        wrong figure with no melding."""
        if not kit.header_day_agrees(table, "gerealiseerd", peildatum):
            return False
        return _counted_per_half_year(table, peildatum)

    @staticmethod
    def _check_stated_period(table: kit.SheetTable, period: tuple[dt.date, dt.date], peildatum: dt.date | None,
                             ) -> None:
        """A period from a header or a title (no ``Periode`` column) that does not hold the peildatum: as for the
        column (``_check_periods``, ``_outside_period``)."""
        if any(problem[0] is kit.Severity.FOUT for problem in table.header.problems):
            return  # two columns of one name: which period is meant is that fout's to settle
        if peildatum is not None and not _holds(period, peildatum):
            _outside_period(table, period, peildatum, table.header.rij, None)

    @staticmethod
    def _check_periods(table: kit.SheetTable, periods: dict, peildatum: dt.date | None) -> None:
        if len(periods) > 1:
            return  # reported by _current_period
        if peildatum is None:
            return
        for (start, end), rij in periods.items():
            # a peildatum on the first day after the period (stand per 1 januari 2026 for 2025-II) belongs to it
            if not start <= peildatum <= end + _ONE_DAY:
                _outside_period(table, (start, end), peildatum, rij, table.header.headers.get("periode"))


_LATE = dt.timedelta(days=31)


def _outside_period(table: kit.SheetTable, period: tuple[dt.date, dt.date], peildatum: dt.date, rij: int | None,
                    kolom: str | None) -> None:
    """The melding for a peildatum outside the file's period: a warning within a month of it (a file published
    a few days early or late, ``stand per 2 januari 2026`` for 2025-II), a ``fout`` beyond (the counts are of
    another half-year: a 2025-II file read for 30 June 2026 gave its figures for that day with a warning)."""
    start, end = period
    far = not start - _LATE <= peildatum <= end + _LATE
    text = f"de peildatum {peildatum:%d-%m-%Y} valt niet in de periode ({start:%d-%m-%Y} t/m {end:%d-%m-%Y})"
    if far:
        text += (": de aantallen zijn van een ander halfjaar; zet bij deze [[bron]] de peildatum van het bestand of "
                 "lever het bestand van de peildatum")
    table.add(kit.Severity.FOUT if far else W, text, rij, kolom, code="peildatum_buiten_periode")


def _half_year(peildatum: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year a peildatum belongs to (the day after a half-year belongs to it): (first day, last day)."""
    day = peildatum - _ONE_DAY
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def _counted_per_half_year(table: kit.SheetTable, peildatum: dt.date | None) -> bool:
    """Whether the realisation's header, when it names a period, counts from the peildatum's half-year on; else a
    ``fout`` (``telling_niet_per_halfjaar``) and nothing of the file counts (eleventh session, ``hard11e``). The
    count starts again at 0 on 1 January and 1 July: ``Gehuisvest 2025`` or ``Gehuisvest 1-1-2025 t/m
    31-7-2025`` in a file of 31 July counts the first half-year too, and was read as 2025-II's realisation."""
    suffix = table.header.suffixes.get("gerealiseerd")
    if suffix is None or suffix.period is None or peildatum is None:
        return True
    if any(problem[0] is kit.Severity.FOUT for problem in table.header.problems):
        return True
    start, end = _half_year(peildatum)
    if suffix.period[0] >= start:
        return True
    kolom = table.header.headers.get("gerealiseerd")
    table.add(kit.Severity.FOUT, f"de kop {kolom!r} telt vanaf {suffix.period[0]:%d-%m-%Y}, maar de telling van "
              f"gehuisveste vergunninghouders begint elk halfjaar opnieuw bij 0: voor de peildatum "
              f"{peildatum:%d-%m-%Y} telt alleen wat sinds {start:%d-%m-%Y} is gehuisvest (het halfjaar "
              f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}). Lever de telling van dat halfjaar (Gehuisvest {start:%d-%m-%Y} "
              f"t/m {peildatum:%d-%m-%Y})", table.header.rij, kolom, kolom, code="telling_niet_per_halfjaar")
    return False


def _of(period: tuple[dt.date, dt.date], peildatum: dt.date) -> bool:
    """Whether ``peildatum`` is a state of the half-year ``period``: from its first day to the day after it."""
    return period[0] <= peildatum <= period[1] + _ONE_DAY


def _title_periods(table: kit.SheetTable) -> set[tuple[dt.date, dt.date]]:
    """The half-years the title cells (above the header) name, each cell's one (``kit.find_period``)."""
    top = table.header.rij if table.header.first_rij is None else table.header.first_rij
    titles = {kit.find_period(cell) for _, cells in itertools.takewhile(lambda r: r[0] < top, table.grid.rows)
              for cell in cells if isinstance(cell, str)}
    titles.discard(None)
    return titles


def _line_possible(table: kit.SheetTable) -> bool:
    """Whether the file has the columns of a housing line: the backlog (or lead) with the target or the
    corrected target, or those two."""
    has = table.has
    backlog = has("achterstand") or has("voorsprong")
    return backlog and (has("gecorrigeerd") or has("taakstelling")) or has("gecorrigeerd") and has("taakstelling")


def _holds(period: tuple[dt.date, dt.date], peildatum: dt.date) -> bool:
    """Whether a file whose header or title names ``period`` can be the state on ``peildatum``: a day of the
    period, the first day after it (``stand per 1 januari 2026`` for 2025-II), or the last day before it (a
    file at the turn of the half-year names the new period's target, ``Taakstelling 2026-I``, beside what was
    realised up to the old one's end). A ``Periode`` column names the rows' own period: no day before it."""
    start, end = period
    return start - _ONE_DAY <= peildatum <= end + _ONE_DAY


def _net_backlog(backlog: Any, lead: Any) -> Any:
    """The backlog of a row with an ``Achterstand`` and a ``Voorsprong`` figure (either may be ``None``):
    achterstand − voorsprong; ``_SLOW`` when a cell did not read or the row states both a backlog and a lead
    (``_row_backlog`` then warns, cell by cell)."""
    if backlog is _SLOW or lead is _SLOW:
        return _SLOW
    if lead is None:
        return backlog
    if backlog is None:
        return 0.0 - lead if lead else lead
    if backlog and lead:
        return _SLOW
    return backlog - lead


def _row_backlog(row: kit.Row) -> Any:
    """The row's backlog, read cell by cell with warnings: ``Achterstand`` − ``Voorsprong`` (a lead is positive
    when ahead); ``kit.BAD`` with a warning (``tvs_achterstand_en_voorsprong``) when the row states both a
    backlog and a lead, which no reading makes one figure of. ``None``: neither."""
    backlog = row.signed("achterstand", W)
    if not row.table.has("voorsprong"):
        return backlog
    lead = row.signed("voorsprong", W)
    if lead is None:
        return backlog
    if backlog is None:
        return 0.0 - lead if lead else lead
    if backlog and lead:
        row.waarschuwing(f"de rij noemt een achterstand ({_n(backlog)}) én een voorsprong ({_n(lead)}); welke "
                         "geldt is niet te zeggen: geen opgavelijn voor deze gemeente uit dit bestand; laat één van "
                         "de twee leeg of 0", "voorsprong", code="tvs_achterstand_en_voorsprong")
        return kit.BAD
    return backlog - lead


def peek_backlog(row: kit.Row) -> Any:
    """``_row_backlog`` without a melding (``kit.BAD`` for a bad cell or a row that states both)."""
    backlog = row.peek("achterstand")
    if not row.table.has("voorsprong"):
        return backlog
    lead = row.peek("voorsprong")
    if backlog is kit.BAD or lead is kit.BAD:
        return kit.BAD
    if lead is None:
        return backlog
    if backlog is None:
        return 0.0 - lead if lead else lead
    return kit.BAD if backlog and lead else backlog - lead


def backlog_header(table: kit.SheetTable) -> str | None:
    """The header of the backlog (``Achterstand``, else ``Voorsprong``), for a melding's column."""
    headers = table.header.headers
    return headers.get("achterstand") or headers.get("voorsprong")


def _one_period(table: kit.SheetTable, texts: list[str] | None,
                ) -> tuple[dict[tuple[dt.date, dt.date], int], dict[int, tuple[dt.date, dt.date]]] | None:
    """What the loop over the ``Periode`` column in ``TvsAdapter.read`` finds (``periods``, ``row_period``),
    without a Python step per row, for a fast-read table whose every row has one and the same text naming a
    readable period: that period, first met on the first row, and each row's. ``None`` (the loop then reads
    the column, the oracle: ``tests/test_tvs_loops.py``) for any other column: several texts, an empty or
    unreadable one, no rows."""
    rijen = table.row_numbers()  # (no ``Row`` made for them: issue 16, ninth session)
    if texts is None or not rijen or len(texts) != len(rijen):
        return None
    first = texts[0]
    if not first or texts.count(first) != len(texts):
        return None
    period = parse_periode(first)  # (memoised by the kit: one look-up)
    if period is None:
        return None  # an unreadable period: the loop warns on every row
    return {period: rijen[0]}, dict.fromkeys(rijen, period)


_MISS = object()
_PLAIN = {int, type(None)}
_CHECKED = ("taakstelling", "achterstand", "gecorrigeerd", "nog")
_READ = (*_CHECKED, "voorsprong")
"""The columns ``_Checks`` reads (and marks read, so that their totals rows are checked)."""
_SLOW = object()
_MEMO_LIMIT = 1 << 16


class _Checks:
    """The identities of every row (``TvsAdapter._check_identities``) without reading a cell twice (issue 16):
    each checked column's cells are read as numbers column-wise, every distinct text once (the rows of a
    national file repeat a few hundred small numbers, and the weekly files of one period repeat them again);
    the identities are then plain arithmetic per row. A row gives ``(row, achterstand, gecorrigeerd,
    taakstelling)`` for the target line, ``kit.BAD`` for a cell that did not read.

    A row whose checked cells all read as numbers gets the warnings the reference gives it (same texts,
    columns, values, order); a row with a cell that does not read goes through ``_check_identities`` itself,
    so that its meldingen come from the kit as before. The columns count as read (``table.used``: their totals
    rows are checked) from the first row checked on, as when the reference reads them."""

    def __init__(self, table: kit.SheetTable) -> None:
        self.table = table
        positions = table.header.positions
        self.checked = False
        # only the plain case: every checked column read as a signed number (else every row by the reference)
        if not all(table.layout.column(key).kind == kit.SIGNED for key in _READ):
            self.figures = None
            return
        fast = table.columns_ready()  # a fast-read table holds its cells as columns already
        rows = [] if fast else [r.cells for r in table.rows]
        texts = table.grid.kind == "csv"
        columns = []
        for key in _CHECKED:
            pos = positions.get(key)
            if pos is None:
                columns.append([None] * len(table))
            elif fast:
                columns.append(_read_column(table.raw_column(key), texts))
            else:
                columns.append(_read_column([cells[pos] if pos < len(cells) else None for cells in rows], texts))
        pos = positions.get("voorsprong")
        if pos is not None:  # the backlog is achterstand − voorsprong (a row that states both: _SLOW, the reference)
            leads = (_read_column(table.raw_column("voorsprong"), texts) if fast
                     else _read_column([cells[pos] if pos < len(cells) else None for cells in rows], texts))
            columns[1] = list(map(_net_backlog, columns[1], leads))
        self.figures = list(zip(*columns))
        self.checked_columns = tuple(columns)
        """The taakstelling, achterstand, gecorrigeerd and nog columns (``quiet``)."""
        self.columns = (columns[1], columns[2], columns[0])
        """The achterstand, gecorrigeerd and taakstelling columns (``line_figures``)."""

    def quiet(self, counts: list) -> bool:
        """Whether ``row`` would give no warning for any row, with ``counts`` each row's ``Gerealiseerd`` (an
        ``int`` or ``None``): every checked cell read as a number and every identity holds (the same tests as
        ``row``'s, in the same arithmetic)."""
        if self.figures is None or len(counts) != len(self.figures):
            return False
        taken = self.checked_columns
        if set(map(type, counts)) <= _NUMBERS and all(set(map(type, column)) <= _NUMBERS for column in taken):
            # every cell a number (the common case): the same tests in the same arithmetic, column-wise in C
            # (issue 16, fifteenth session); else row by row below
            taak, achter, gecorr, nog = taken
            return not (any(map(gt, repeat(0), taak))
                        or any(map(lt, repeat(1e-6), map(abs, map(sub, map(add, taak, achter), gecorr))))
                        or any(map(lt, repeat(1e-6), map(abs, map(sub, map(sub, gecorr, counts), nog)))))
        slow = _SLOW
        for gerealiseerd, (taak, achter, gecorr, nog) in zip(counts, self.figures):
            if taak is slow or achter is slow or gecorr is slow or nog is slow:
                return False
            if taak is not None:
                if taak < 0:
                    return False
                if achter is not None and gecorr is not None and abs(taak + achter - gecorr) > 1e-6:
                    return False
            if gecorr is not None and gerealiseerd is not None and nog is not None and abs(gecorr - gerealiseerd - nog) > 1e-6:
                return False
        return True

    def mark_read(self) -> None:
        """What ``row`` records for the first row it checks (the checked columns count as read), once."""
        if not self.checked:
            self.checked = True
            positions = self.table.header.positions
            self.table.used.update(key for key in _READ if key in positions)

    def line_figures(self, table: kit.SheetTable) -> _Columns:
        """What ``row`` gives for every row of ``table``, when ``quiet``, as columns."""
        return _Columns(table, *self.columns)


    def row(self, i: int, row: kit.Row, gerealiseerd: int | None) -> tuple:
        """Check row ``i`` of the table (``row``), whose realisation is ``gerealiseerd``."""
        if self.figures is not None:
            taak, achter, gecorr, nog = self.figures[i]
            if not (taak is _SLOW or achter is _SLOW or gecorr is _SLOW or nog is _SLOW):
                if not self.checked:  # the columns count as read from the first row on, as the kit counts them
                    self.checked = True
                    positions = self.table.header.positions
                    self.table.used.update(key for key in _READ if key in positions)
                if taak is not None and taak < 0:
                    row.waarschuwing("negatieve taakstelling", "taakstelling", code="taakstelling_negatief")
                if taak is not None and achter is not None and gecorr is not None and abs(taak + achter - gecorr) > 1e-6:
                    row.waarschuwing(f"gecorrigeerde taakstelling {_n(gecorr)} is niet taakstelling {_n(taak)} + "
                                     f"achterstand {_n(achter)} = {_n(taak + achter)}", "gecorrigeerd",
                                     code="tvs_som_klopt_niet")
                if (gecorr is not None and gerealiseerd is not None and nog is not None
                        and abs(gecorr - gerealiseerd - nog) > 1e-6):
                    row.waarschuwing(f"nog te realiseren {_n(nog)} is niet gecorrigeerde taakstelling {_n(gecorr)} − "
                                     f"gerealiseerd {gerealiseerd} = {_n(gecorr - gerealiseerd)}", "nog",
                                     code="tvs_som_klopt_niet")
                return (row, achter, gecorr, taak)
        TvsAdapter._check_identities(row, gerealiseerd)
        return (row, peek_backlog(row), row.peek("gecorrigeerd"), row.peek("taakstelling"))


class _Columns:
    """What ``_Checks.row`` gives for every row of a table, as columns: the table (its rows made only when
    asked for, ``rows``), and per row its achterstand, gecorrigeerd and taakstelling (numbers or ``None``)."""

    __slots__ = ("table", "backlogs", "correcteds", "targets")

    def __init__(self, table: kit.SheetTable, backlogs: list, correcteds: list, targets: list) -> None:
        self.table, self.backlogs, self.correcteds, self.targets = table, backlogs, correcteds, targets

    def rows(self) -> list[tuple]:
        """Per row ``(row, achterstand, gecorrigeerd, taakstelling)``, as ``_Checks.row`` gives it."""
        return list(zip(self.table.rows, self.backlogs, self.correcteds, self.targets))


_PARSED: dict[str | None, Any] = {None: None}
"""What ``kit.parse_signed`` made of a text (``_SLOW``: it refused it), each text read once. Only texts are
keys (and ``None``, an empty cell): a number never equals a text, so ``1``, ``1.0`` and ``True`` are read
each time, as the kit reads them."""


def _read_column(raws: list, texts: bool) -> list:
    """``kit.parse_signed`` of every cell, ``_SLOW`` for a cell it refuses (or that makes it raise).
    ``texts``: every cell is a ``str`` or ``None`` (a CSV file's)."""
    memo = _PARSED
    if texts:
        try:
            return list(map(memo.__getitem__, raws))  # the common case: every text seen before
        except (KeyError, TypeError):
            pass
    out = [memo.get(raw, _MISS) if type(raw) is str or raw is None else _MISS for raw in raws]
    for i, value in enumerate(out):
        if value is not _MISS:
            continue
        raw = raws[i]
        try:
            value = kit.parse_signed(raw)
        except Exception:  # noqa: BLE001 - a cell that does not read: the reference reports it, through the kit
            value = _SLOW
        if type(raw) is str:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
                memo[None] = None
            memo[raw] = value
        out[i] = value
    return out


def _target_line_from(b: kit.RealisatieBuilder, table: kit.SheetTable, period: tuple[dt.date, dt.date],
                      figures: list[tuple]) -> Any:
    """The housing target line the file states (SPEC §11): per municipality the summed backlog on the
    period's first day and the corrected target (or target + backlog) on the day after the period. A file
    with the target and the corrected target but no backlog column gives the backlog as their difference. A
    municipality whose rows lack a figure gets no line, with a warning.

    Made from the figures ``_Checks`` kept per row (``(row, achterstand, gecorrigeerd, taakstelling)``,
    ``kit.BAD`` for a bad cell), as the table ``kit.opgaven_table`` makes of the points (``None``: no points).
    The oracle, reading every cell again, is ``TvsAdapterReference._target_line`` in ``tests/tvs_reference.py``."""
    has = table.has
    has_backlog = has("achterstand") or has("voorsprong")
    if not (has_backlog and (has("gecorrigeerd") or has("taakstelling"))
            or has("gecorrigeerd") and has("taakstelling")):
        return None
    start, end = period
    has_corrected, has_target = has("gecorrigeerd"), has("taakstelling")
    bad = kit.BAD
    skipped = table.skipped
    sums: dict[str, list] = {}
    incomplete: dict[str, int] = {}
    for row, backlog, corrected, target in figures:
        if row.rij in skipped:
            continue
        if not has_backlog:
            backlog = None
        if not has_corrected:
            corrected = None
        if backlog is None and has_target and not (corrected is None or corrected is bad):
            if target is not None and target is not bad:  # no backlog column: gecorrigeerd − taakstelling
                backlog = corrected - target
        if corrected is None and has_target:
            ok = not (target is None or target is bad or backlog is None or backlog is bad)
            corrected = target + backlog if ok else None
        if backlog is None or backlog is bad or corrected is None or corrected is bad:
            incomplete.setdefault(row.gebied_code, row.rij)
            continue
        entry = sums.get(row.gebied_code)
        if entry is None:
            entry = sums[row.gebied_code] = [0.0, 0.0, row.rij]
        entry[0] += backlog
        entry[1] += corrected
    for code, rij in sorted(incomplete.items(), key=lambda kv: kv[1]):
        sums.pop(code, None)
        area = table.division.area(code)
        table.add(W, f"geen opgavelijn uit dit bestand voor {area.naam} ({area.code}): rij {rij} mist de "
                  "achterstand of de (gecorrigeerde) taakstelling", rij, backlog_header(table),
                  code="tvs_opgavelijn_onvolledig")
    if not sums:
        return None
    n = 2 * len(sums)
    codes, amounts, rijen, days = [], [], [], [start, end + _ONE_DAY] * len(sums)
    for code, (backlog, corrected, rij) in sums.items():  # per municipality: the start point, then the end point
        codes += (code, code)
        amounts += (float(backlog), float(corrected))
        rijen += (rij, rij)
    return _opgaven_table(n, {"opgave": "vergunninghouders", "gebied_niveau": "gemeente", "bestand": b.source.bestand,
                              "blad": table.grid.blad},
                          {"gebied_code": codes, "ingangsdatum": days, "aantal": amounts, "rij": rijen})


def _target_line_columns(b: kit.RealisatieBuilder, table: kit.SheetTable, period: tuple[dt.date, dt.date],
                         figures: _Columns) -> Any:
    """``_target_line_from`` column-wise (issue 16) in its plain case: the file has the backlog and the corrected
    target, every row holds both as numbers, no row is skipped and every municipality has one row. Then each
    municipality's sums are its own figures (``0.0 + achterstand``, ``0.0 + gecorrigeerd``, as the loop adds
    them) and no warning is made. ``_MISS`` (nothing done) in any other case: ``_target_line_from`` then."""
    has = table.has
    backlogs, correcteds = figures.backlogs, figures.correcteds
    if not len(table) or table.skipped or not ((has("achterstand") or has("voorsprong")) and has("gecorrigeerd")):
        return _MISS
    if not (set(map(type, backlogs)) <= _NUMBERS and set(map(type, correcteds)) <= _NUMBERS):
        return _MISS  # an empty or bad figure: the loop, which warns about it
    codes = table.area_codes()
    if len(set(codes)) < len(codes):
        return _MISS  # a municipality in several rows: the loop sums them
    start, end = period
    k = len(codes)
    return _opgaven_table(2 * k, {"opgave": "vergunninghouders", "gebied_niveau": "gemeente",
                                  "bestand": b.source.bestand, "blad": table.grid.blad},
                          {"gebied_code": _pairs(codes, codes), "ingangsdatum": _days(start, end + _ONE_DAY, k),
                           "aantal": _pairs(list(map(_ZERO.__add__, backlogs)), list(map(_ZERO.__add__, correcteds))),
                           "rij": _pairs(rijen := table.row_numbers(), rijen)})


def _pairs(firsts: list, seconds: list) -> list:
    """``[firsts[0], seconds[0], firsts[1], seconds[1], …]``."""
    out = [None] * (2 * len(firsts))
    out[0::2] = firsts
    out[1::2] = seconds
    return out


def _days(first: dt.date, second: dt.date, k: int) -> Any:
    """The ``date32`` array ``[first, second] * k``, from its days since 1970 (no ``date`` object per row)."""
    import array

    import pyarrow as pa

    days = array.array("i", [(first - _EPOCH).days, (second - _EPOCH).days]) * k
    if days.itemsize != 4:  # a platform whose C int is no int32: the dates themselves
        return pa.array([first, second] * k, type=pa.date32())
    return pa.Array.from_buffers(pa.date32(), 2 * k, [None, pa.py_buffer(days)])


_NUMBERS = {int, float}
_ZERO = 0.0
_EPOCH = dt.date(1970, 1, 1)


_SCHEMA: list = []


def _opgaven_table(n: int, same: dict[str, Any], columns: dict[str, list]) -> Any:
    """The table ``kit.opgaven_table`` makes of ``n`` rows, built column by column: ``same`` holds the
    columns with one value in every row, ``columns`` the others."""
    import pyarrow as pa

    if not _SCHEMA:
        _SCHEMA.append(kit.opgaven_table([]).schema)
    schema = _SCHEMA[0]
    # a column of one value from its buffers (``pa.repeat`` of a text scalar cost ~0.1–0.4 ms a column)
    return pa.Table.from_arrays([kit.constant_column(same[f.name], n, f.type) if f.name in same
                                 else columns[f.name] if isinstance(columns[f.name], pa.Array)  # built already
                                 else pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


@kit.hookimpl
def opvangkern_source_adapters() -> list[kit.SourceAdapter]:
    return [TvsAdapter()]
