"""The oracle of the TVS adapter's faster paths (issue 16): ``TvsAdapterReference``, the adapter as it read
every row before them, cell by cell through the kit. Kept beside the tests that compare the adapter with it
(``test_vectorised.py``, ``test_tvs_loops.py``), not in the plugin: nothing installed runs it. Imported
by path (``opvangkern.testing.load_module``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from opvangkern.sources import kit
from opvangkern_tvs import _MISS, _ONE_DAY, COUNT_NAMES, FAMILY_WORDS, LAYOUT, TvsAdapter, W, backlog_header, parse_periode, peek_backlog


class TvsAdapterReference(TvsAdapter):
    """The TVS adapter as it read every row before issue 16, cell by cell through the kit: the oracle of
    ``test_vectorised.py`` and ``test_tvs_loops.py`` (and of ``benchmarks/ab_contributed.py``). Its
    ``read`` is ``TvsAdapter.read`` as it was before the rows were read column-wise (``_rows_at_once``), kept
    verbatim: do not "improve" it."""

    def read(self, source: kit.Source) -> kit.AdapterResult:
        b = kit.RealisatieBuilder(source, self.name, one_row_per_gemeente=True)
        with b.guard():
            table = b.read_table(LAYOUT)
            if table is None:
                return b.result()
            kit.check_unread_sheets(b, table, LAYOUT)  # (eighth session: before the rows, as the adapter)
            kit.check_wider_counts(b, table, "gerealiseerd", COUNT_NAMES)  # (fourteenth session, as the adapter)
            kit.check_separate_part(b, table, "gerealiseerd", FAMILY_WORDS, "de nareizigers")  # (fifteenth session, as the adapter)
            kit.check_unread_subtotals(b, table, "gerealiseerd")  # (fourteenth session, as the adapter)
            peildatum = table.peildatum or source.peildatum
            if not self._realised_at(table, peildatum):
                return b.result()
            periods: dict[tuple[dt.date, dt.date], int] = {}
            row_period: dict[int, tuple[dt.date, dt.date]] = {}
            parsed: dict[str, tuple[dt.date, dt.date] | None] = {}  # each distinct period text read once
            for row in table:
                text = row.text("periode")
                if text:
                    period = parsed.get(text, _MISS)
                    if period is _MISS:
                        period = parsed[text] = parse_periode(text)
                    if period is None:
                        row.waarschuwing("periode onleesbaar (verwacht 2025-II of 2e helft 2025); niet gecontroleerd",
                                         "periode", code="periode_onleesbaar")
                    else:
                        periods.setdefault(period, row.rij)
                        row_period[row.rij] = period
            self._rows_per_month(table, parsed)  # (fourteenth session, as the adapter)
            if not self._period_per_half_year(table, periods, parsed, peildatum):
                return b.result()  # (fourteenth session, as the adapter)
            current = self._current_period(table, periods, peildatum)
            checks = self._checks(table)
            figures = []
            for i, row in enumerate(table):
                if current is not None and row_period.get(row.rij, current) != current:
                    table.skip(row)  # another half-year of a file that lists several: not this peildatum's
                    continue
                if row.rij in table.subtotals:
                    continue  # (fourteenth session, as the adapter)
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
                period = None  # (eleventh session, hard11e: the Periode column and the title disagree)
            if period is not None:
                points = self._line(b, table, period, figures)
                if points is not None:
                    return attrs.evolve(b.result(), opgaven=points)
        return b.result()

    class _Plain:
        def __init__(self, table: kit.SheetTable) -> None:
            pass

        def row(self, i: int, row: kit.Row, gerealiseerd: int | None) -> kit.Row:
            TvsAdapter._check_identities(row, gerealiseerd)
            return row

    def _checks(self, table: kit.SheetTable) -> Any:
        return TvsAdapterReference._Plain(table)

    def _line(self, b: kit.RealisatieBuilder, table: kit.SheetTable, period: tuple[dt.date, dt.date],
              figures: list) -> Any:
        points = TvsAdapterReference._target_line(b, table, period)
        return kit.opgaven_table(points) if points else None

    @staticmethod
    def _target_line(b: kit.RealisatieBuilder, table: kit.SheetTable, period: tuple[dt.date, dt.date],
                     ) -> list[dict]:
        """The housing target line the file states (SPEC §11): per municipality the summed backlog on the
        period's first day and the corrected target (or target + backlog) on the day after the period. A file
        with the target and the corrected target but no backlog column gives the backlog as their difference.
        A municipality whose rows lack a figure gets no line, with a warning.

        The reference, cell by cell; ``opvangkern_tvs._target_line_from`` is what ``read`` uses."""
        has = table.has
        has_backlog = has("achterstand") or has("voorsprong")  # a Voorsprong column: achterstand − voorsprong
        if not (has_backlog and (has("gecorrigeerd") or has("taakstelling"))
                or has("gecorrigeerd") and has("taakstelling")):
            return []
        start, end = period
        sums: dict[str, list] = {}
        incomplete: dict[str, int] = {}
        for row in table:
            if row.rij in table.skipped:
                continue
            backlog = peek_backlog(row) if has_backlog else None
            corrected = row.peek("gecorrigeerd") if has("gecorrigeerd") else None
            if backlog is None and has("taakstelling") and not any(v is None or v is kit.BAD for v in (corrected,)):
                target = row.peek("taakstelling")  # no backlog column: gecorrigeerd − taakstelling is the backlog
                if target is not None and target is not kit.BAD:
                    backlog = corrected - target
            if corrected is None and table.has("taakstelling"):
                target = row.peek("taakstelling")
                ok = not any(v is None or v is kit.BAD for v in (target, backlog))
                corrected = target + backlog if ok else None
            if any(v is None or v is kit.BAD for v in (backlog, corrected)):
                incomplete.setdefault(row.gebied_code, row.rij)
                continue
            entry = sums.setdefault(row.gebied_code, [0.0, 0.0, row.rij])
            entry[0] += backlog
            entry[1] += corrected
        for code, rij in sorted(incomplete.items(), key=lambda kv: kv[1]):
            sums.pop(code, None)
            area = table.division.area(code)
            table.add(W, f"geen opgavelijn uit dit bestand voor {area.naam} ({area.code}): rij {rij} mist de "
                      "achterstand of de (gecorrigeerde) taakstelling", rij, backlog_header(table),
                      code="tvs_opgavelijn_onvolledig")
        points = []
        blad = table.grid.blad
        for code, (backlog, corrected, rij) in sums.items():
            for day, amount in ((start, backlog), (end + _ONE_DAY, corrected)):
                points.append({"opgave": "vergunninghouders", "gebied_code": code, "gebied_niveau": "gemeente",
                               "ingangsdatum": day, "aantal": float(amount), "bestand": b.source.bestand,
                               "blad": blad, "rij": rij})
        return points
