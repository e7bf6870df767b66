"""Collecting an adapter's realisaties rows and meldingen into an ``AdapterResult``.

``RealisatieBuilder`` is what an adapter's ``read`` works with::

    def read(self, source):
        b = RealisatieBuilder(source, self.name)
        with b.guard():                                  # any unexpected exception: a fout, not a crash
            table = b.read_table(LAYOUT)                 # None (with a fout) when the file has no table
            if table is not None:
                for row in table:
                    b.add(row, "nidos_amv", row.count("plekken"))
        return b.result()

One realisaties row per input row and category, so that ``rij`` keeps pointing at the source; rows
for one municipality are summed downstream. A count of ``None`` (empty, ``-``, ``n.v.t.``, or a bad
value already reported) adds no row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

from opvangkern.model import AreaLevel, Melding, Severity
from opvangkern.sums import sum_fout, too_large, too_large_ints
from opvangkern.tables import REALISATIES, from_columns, from_rows
from opvangkern.validate import validate
from opvangkern.sources.adapter import AdapterResult, FileStats, Source
from opvangkern.reading.columns import Layout
from opvangkern.reading.table import AREA_KEYS, Row, SheetTable
from opvangkern.reading.values import normalize_name

__all__ = ["RealisatieBuilder", "SKIP"]

_GEBIED_CODE = attrgetter("gebied_code")
_RIJ = attrgetter("rij")
_NOT_NONE = partial(is_not, None)
_AANTAL = itemgetter(3)

SKIP = "overslaan"
"""What ``RealisatieBuilder.value_of`` gives for a value that ``waarden`` maps onto ``overslaan``."""


_INT_ONLY = frozenset({int})
"""The row numbers of a table are ints (``_second_table_without_header``)."""


class RealisatieBuilder:
    """Rows and meldingen of one file, turned into an ``AdapterResult`` by ``result()``."""

    def __init__(self, source: Source, bron: str, *, one_row_per_gemeente: bool = False):
        self.source = source
        self.bron = bron
        self.one_row_per_gemeente = one_row_per_gemeente
        """The source reports one figure per municipality (KCIO, TVS, Nidos): a municipality in several
        rows is still summed, with a ``waarschuwing`` naming the rows (``dubbele_gemeente``)."""
        self._rows: list[tuple[str, str | None, str | None, int, str | None, int]] = []
        """``(opgave, categorie, gemeentecode, aantal, blad, rij)`` per added row: the columns are built
        once, in ``result()`` (issue 16; ``rows`` shows them as dicts)."""
        self._parts: list[tuple[int, str, str | None, list[str | None], list[int], str | None, list[int]]] = []
        """Rows added a column at a time (``add_counts``, ``add_column``, ``add_columns``): ``(at, opgave,
        categorie, gemeentecodes, aantallen, blad, rijen)`` (``opgave`` and ``categorie`` one value for every
        row, or from ``add_columns`` a list with one per row), ``at`` being ``len(_rows)`` when they were added, so that
        their place among the rows added one by one is kept; ``_materialise`` turns them into ``_rows``."""
        self.meldingen: list[Melding] = []
        self.tables: list[SheetTable] = []
        from opvangkern.reading import fastscan

        self._careful = not fastscan.enabled()
        """Built inside ``fastscan.careful()``: ``result()`` takes the reference path (row dicts through
        ``from_rows``), the oracle of the column-wise one (``tests/test_fastscan.py``)."""

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows added so far, one dict per realisaties row (without ``peildatum``)."""
        bron, bestand = self.bron, self.source.bestand
        self._materialise()
        return [{"bron": bron, "opgave": opgave, "categorie": categorie, "gemeentecode": code, "aantal": aantal,
                 "bestand": bestand, "blad": blad, "rij": rij}
                for opgave, categorie, code, aantal, blad, rij in self._rows]

    # --- reading ----------------------------------------------------------------------------

    def read_table(self, layouts: Layout | Sequence[Layout], level: AreaLevel = AreaLevel.GEMEENTE,
                   values: Mapping[str, Any] | None = None, data: Any = None) -> SheetTable | None:
        """The table of ``source`` (see ``SheetTable.read``); its meldingen land in this builder. ``data``:
        read this instead of the source's file, e.g. a pandas ``DataFrame`` (``read_frame``'s, edited).

        The manifest's ``kolommen`` apply to the header. Its ``waarden`` are checked: a target in
        ``values`` (the adapter's documented values of its categorical column, normalised → what the
        adapter makes of them; see ``waarden``) is left to the adapter, ``overslaan`` or an area name is
        applied to the area column, anything else is a ``fout``."""
        area_values = self._check_waarden(values or {}, level)
        unreadable = getattr(self, "_frame_unreadable", None)
        if unreadable and data is not None and isinstance(getattr(data, "attrs", None), dict) \
                and "onleesbaar" not in data.attrs:
            data.attrs["onleesbaar"] = unreadable  # a frame made anew from read_frame's: the lines still count
        table = SheetTable.read(self.source.data if data is None else data, self.source.bestand, layouts,
                                blad=self.source.blad, level=level, division=self.source.division,
                                meldingen=self.meldingen, kolommen=getattr(self.source, "kolommen", None) or None,
                                waarden=area_values)
        if table is not None:
            self.tables.append(table)
            week = getattr(table, "title_week", None)
            if week is not None and table.peildatum is None and getattr(self.source, "peildatum", None) is None \
                    and table.header.positions.get("peildatum") is None:
                rij, text, why = week  # the general "geen peildatum" would not say that the title names a week
                self.fout(f"geen peildatum: de titel noemt {why}, of zet peildatum = JJJJ-MM-DD bij deze [[bron]]",
                          rij=rij, waarde=text, kolom="peildatum",
                          code="peildatum_ontbreekt")
        return table

    def _check_waarden(self, values: Mapping[str, Any], level: AreaLevel) -> dict[str, str]:
        waarden = getattr(self.source, "waarden", None) or {}
        area_values: dict[str, str] = {}
        self.category_values: dict[str, Any] = {}
        for value, target in waarden.items():
            key = normalize_name(target) if isinstance(target, str) else ""
            if key in values:
                self.category_values[normalize_name(value)] = values[key]
                continue
            if key == "overslaan":
                self.category_values[normalize_name(value)] = SKIP
                area_values[value] = target
                continue
            if isinstance(target, str) and self._is_area(target, level):
                area_values[value] = target
                continue
            documented = ", ".join([*dict.fromkeys(str(v) for v in values), "overslaan"])
            self.fout(f"waarden koppelt {value!r} aan {target!r}, maar dat is geen waarde die deze bron kent; "
                      f"kies uit: {documented}" + (" (of een gemeente)" if level is AreaLevel.GEMEENTE else ""),
                      kolom="waarden", waarde=target, code="waarden_onbekende_waarde")
        return area_values

    def _is_area(self, text: str, level: AreaLevel) -> bool:
        division = self.source.division
        if division is None:
            from opvangkern.areas import load_division

            division = load_division()
        resolve = division.resolve_gemeente if level is AreaLevel.GEMEENTE else division.resolve_region
        try:
            resolve(text)
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea
            return False
        return True

    def value_of(self, text: str) -> Any:
        """What the manifest's ``waarden`` make of a categorical value (``SKIP`` for ``overslaan``), or
        ``None`` when they do not name it. Call after ``read_table(…, values=…)``."""
        return getattr(self, "category_values", {}).get(normalize_name(text))

    def read_frame(self, layouts: Layout | Sequence[Layout], level: AreaLevel = AreaLevel.GEMEENTE) -> Any:
        """The sheet of ``source`` that holds the table, as a pandas ``DataFrame`` to work on with pandas, or
        ``None`` (with the ``fout`` that ``read_table`` would give) when the file has no such table.

        The kit reads the file (separator, encoding, workbook, merged cells), so pandas gets the cells as the
        file has them: text as text, numbers and dates of a workbook as such, empty cells as ``None``. The
        columns are ``0, 1, 2, …`` (the header row is a row of the frame) and the index, named ``rij``, holds
        the spreadsheet's row numbers: hand the frame (rows dropped, cells changed, in any order) back to
        ``read_table(layouts, data=frame)``, and every melding still names the file's own row. Needs pandas."""
        from opvangkern.reading._frame_out import grid_frame
        from opvangkern.reading.sheet import candidate_grids
        from opvangkern.reading.table import _header_missing, find_table_header, with_standard_columns

        layouts = [layouts] if isinstance(layouts, Layout) else list(layouts)
        layouts = [with_standard_columns(lay, level) for lay in layouts]
        grids, problems = candidate_grids(self.source.data, self.source.bestand, self.source.blad)
        self.meldingen.extend(problems)
        if not grids:
            return None
        match, partial = find_table_header(grids, layouts, None, self.source.blad)
        if match is None:
            self.meldingen.append(_header_missing(grids, layouts, partial, self.source.bestand))
            return None
        frame = grid_frame(match.grid)
        self._frame_unreadable = frame.attrs.get("onleesbaar")
        return frame

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn any unexpected exception inside the block into a ``fout`` for the file."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - an adapter must not raise on bad data
            self.fout(f"het bestand kon niet worden gelezen: onverwachte fout ({type(exc).__name__}: {exc})", code="bestand_onleesbaar")

    # --- collecting -------------------------------------------------------------------------

    def add(self, row: Row, opgave: str, aantal: int | None, categorie: str | None = None) -> None:
        """One realisaties row for ``row``'s municipality; ``aantal`` ``None`` adds nothing. ``aantal`` must be
        an ``int`` (a column of ``int64``); the row rules (a count not below 0, a category the task has, …)
        are checked once, by ``opvangkern.validate``, in ``result()``."""
        if aantal is None:
            return
        if type(aantal) is not int and (isinstance(aantal, bool) or not isinstance(aantal, int)):
            raise ValueError(f"aantal must be an int, got {aantal!r}")
        self._rows.append((opgave, categorie, row.gebied_code, aantal, row.table.grid.blad, row.rij))

    def add_rows(self, rows: Iterable[tuple[str, str | None, str | None, int, str | None, int]]) -> None:
        """``add`` for many rows at once, for an adapter's column-wise path (issue 16): each ``(opgave,
        categorie, gemeentecode, aantal, blad, rij)``, in order, with ``aantal`` an ``int`` (a row without a
        count is left out by the caller, as ``add`` leaves it out). Anything else raises ``ValueError`` before
        a row is added."""
        rows = list(rows)
        if rows and set(map(type, map(_AANTAL, rows))) != {int}:
            wrong = next(row[3] for row in rows if type(row[3]) is not int)
            raise ValueError(f"aantal must be an int, got {wrong!r}")
        self._rows.extend(rows)

    def add_columns(self, opgaven: Sequence[str], categorieen: Sequence[str | None], codes: Sequence[str | None],
                    counts: Sequence[int], blad: str | None, rijen: Sequence[int]) -> None:
        """``add_rows`` given its columns (issue 16): row ``i`` is ``(opgaven[i], categorieen[i], codes[i],
        counts[i], blad, rijen[i])``, in order, with every count an ``int`` (a row without a count is left out
        by the caller). For an adapter whose column-wise path has a task or category per row (COA's long
        layout): no tuple per row is made, and ``result()`` takes the columns as they are. Columns of unequal
        length or a count that is no ``int`` raise ``ValueError`` before a row is added."""
        n = len(counts)
        if not len(opgaven) == len(categorieen) == len(codes) == len(rijen) == n:
            raise ValueError(f"columns of unequal length: {len(opgaven)}, {len(categorieen)}, {len(codes)}, "
                             f"{n}, {len(rijen)}")
        if not n:
            return
        if set(map(type, counts)) != {int}:
            wrong = next(aantal for aantal in counts if type(aantal) is not int)
            raise ValueError(f"aantal must be an int, got {wrong!r}")
        self._parts.append((len(self._rows), list(opgaven), list(categorieen), list(codes), list(counts), blad,
                            list(rijen)))

    def add_counts(self, table: SheetTable, opgave: str, counts: Sequence[int | None],
                   categorie: str | None = None) -> None:
        """One realisaties row per data row of ``table`` whose count is not ``None``, in row order: the same
        as ``for row, aantal in zip(table, counts): b.add(row, opgave, aantal, categorie)``, a column at a
        time (issue 16). ``counts`` has one entry per data row (``table.counts(key)``)."""
        if len(counts) != len(table):
            raise ValueError(f"counts has {len(counts)} values for {len(table)} rows")
        self._add_counts(table, opgave, counts, categorie)

    def add_column(self, table: SheetTable, opgave: str, key: str, categorie: str | None = None,
                   ernst: Severity | str = Severity.FOUT) -> None:
        """One realisaties row per data row of ``table`` from its count column ``key``: exactly what the loop
        ``for row in table: b.add(row, opgave, row.count(key, ernst), categorie)`` does (the same rows, the
        same meldingen in the same order; a cell that raises stops it at that row, as it stops the loop),
        without a Python step per row where the fast scan read the table and no cell of the column makes a
        melding (issue 16): any other table or column takes that loop itself. The row loop stays the general
        way; this is its common case, one count column giving one row per data row."""
        counts = table._clean_column(key)
        if counts is None:  # a cell to report or that raises, or a table the fast scan did not read: the loop
            for row in table.rows:
                self.add(row, opgave, row.count(key, ernst), categorie)
            return
        self._add_counts(table, opgave, counts, categorie)

    def _add_counts(self, table: SheetTable, opgave: str, counts: Sequence[int | None],
                    categorie: str | None) -> None:
        if not len(table):
            return
        kinds = set(map(type, counts))
        kinds.discard(type(None))
        if kinds - {int}:
            for row, aantal in zip(table.rows, counts):  # a value that is no int: ``add`` raises at its row, as before
                self.add(row, opgave, aantal, categorie)
            return
        codes = table._codes()  # (the rows' own, without making them: ``SheetTable.rows``)
        rijen = table._rijen()
        counts = list(counts)
        if None in counts:
            keep = list(map(_NOT_NONE, counts))
            codes = list(compress(codes, keep))
            rijen = list(compress(rijen, keep))
            counts = list(compress(counts, keep))
            if not counts:
                return
        self._parts.append((len(self._rows), opgave, categorie, codes, counts, table.grid.blad, rijen))

    def _materialise(self) -> None:
        """The rows added a column at a time (``_parts``) put into ``_rows`` as tuples, in their place."""
        parts = self._parts
        if not parts:
            return
        rows = self._rows
        merged: list[tuple[str, str | None, str | None, int, str | None, int]] = []
        done = 0
        for at, opgave, categorie, codes, counts, blad, rijen in parts:
            merged.extend(rows[done:at])
            merged.extend(zip(opgave if type(opgave) is list else repeat(opgave),
                              categorie if type(categorie) is list else repeat(categorie),
                              codes, counts, repeat(blad), rijen))
            done = at
        merged.extend(rows[done:])
        self._rows = merged
        self._parts = []

    def _columns(self) -> tuple[list[Any], list[Any], list[Any], list[Any], list[Any], list[Any]]:
        """``(opgave, categorie, gemeentecode, aantal, blad, rij)`` of every row added, in order, as lists."""
        rows, parts = self._rows, self._parts
        if not parts:
            if not rows:
                return [], [], [], [], [], []
            return tuple(list(c) for c in zip(*rows))  # type: ignore[return-value]
        out: tuple[list[Any], ...] = ([], [], [], [], [], [])
        opgaven, categorieen, gemeentecodes, aantallen, bladen, rijen_out = out
        done = 0
        for at, opgave, categorie, codes, counts, blad, rijen in parts:
            if at > done:
                for column, values in zip(out, zip(*rows[done:at])):
                    column.extend(values)
            n = len(codes)
            opgaven.extend(opgave if type(opgave) is list else [opgave] * n)  # a list: ``add_columns``
            categorieen.extend(categorie if type(categorie) is list else [categorie] * n)
            gemeentecodes.extend(codes)
            aantallen.extend(counts)
            bladen.extend([blad] * n)
            rijen_out.extend(rijen)
            done = at
        if len(rows) > done:
            for column, values in zip(out, zip(*rows[done:])):
                column.extend(values)
        return out  # type: ignore[return-value]

    def _same_in_every_row(self) -> tuple[str, str | None, str | None] | None:
        """``(opgave, categorie, blad)`` when every row was added a column at a time with that one task,
        category and sheet (``add_column``, ``add_counts``: one value per part, no row added by ``add``);
        else ``None``."""
        parts = self._parts
        if self._rows or not parts:
            return None
        _, opgave, categorie, _, _, blad, _ = parts[0]
        if type(opgave) is not str or (categorie is not None and type(categorie) is not str) \
                or (blad is not None and type(blad) is not str):
            return None  # (``add_columns``: a task per row)
        for part in parts[1:]:
            if part[1] != opgave or part[2] != categorie or part[5] != blad \
                    or type(part[1]) is not str or type(part[2]) is not type(categorie) or type(part[5]) is not type(blad):
                return None
        return opgave, categorie, blad

    def melding(self, ernst: Severity | str, melding: str, rij: int | None = None, kolom: str | None = None,
                waarde: Any = None, blad: str | None = None, code: str | None = None) -> None:
        """A melding about the file (sheet: the table's, unless given; ``code``: see docs/meldingen.md)."""
        if blad is None and self.tables:
            blad = self.tables[0].grid.blad
        self.meldingen.append(Melding(ernst, melding, bestand=self.source.bestand, blad=blad, rij=rij,
                                      kolom=kolom, waarde=None if waarde is None else str(waarde), code=code))

    def fout(self, melding: str, **where: Any) -> None:
        self.melding(Severity.FOUT, melding, **where)

    def waarschuwing(self, melding: str, **where: Any) -> None:
        self.melding(Severity.WAARSCHUWING, melding, **where)

    def _warn_repeated_municipalities(self) -> None:
        rows = self._rows
        if len({r[2] for r in rows}) == len(rows):
            return  # every municipality in one row (the common case): nothing to warn about
        groups: dict[tuple[str, str | None, str | None], list[tuple[Any, ...]]] = {}
        for r in rows:
            groups.setdefault((r[0], r[1], r[2]), []).append(r)
        division = self.tables[0].division if self.tables else self.source.division
        columns = _columns_per_code(groups)
        warned: set[str] = set()
        for (opgave, categorie, code), group in groups.items():
            if len({r[5] for r in group}) < 2 or code in warned:
                continue
            warned.add(code)  # one warning per municipality, also where a row gives several columns (COA's wide)
            try:
                naam = f"{division.area(code).naam} ({code})" if division is not None else code
            except Exception:  # noqa: BLE001 - a name only for the message
                naam = code
            rijen = ", ".join(str(r[5]) for r in group)
            total = sum(r[3] for r in group)
            self.waarschuwing(f"{naam} staat in {len(group)} rijen (rij {rijen}); deze bron geeft één getal per "
                              f"gemeente: de aantallen ({' + '.join(str(r[3]) for r in group)}) zijn opgeteld "
                              f"tot {total}{_also(columns[code])}. Controleer of het geen dubbele rij is",
                              rij=group[1][5], waarde=str(total), code="dubbele_gemeente")

    def _warn_repeated_municipalities_reference(self) -> None:
        """The row-dict form of ``_warn_repeated_municipalities`` (the oracle; ``fastscan.careful()``)."""
        all_rows = self.rows
        if len({r["gemeentecode"] for r in all_rows}) == len(all_rows):
            return  # every municipality in one row (the common case): nothing to warn about
        groups: dict[tuple[str, str | None, str], list[dict[str, Any]]] = {}
        for r in all_rows:
            groups.setdefault((r["opgave"], r["categorie"], r["gemeentecode"]), []).append(r)
        division = self.tables[0].division if self.tables else self.source.division
        columns = _columns_per_code(groups)
        warned: set[str] = set()
        for (opgave, categorie, code), rows in groups.items():
            if len({r["rij"] for r in rows}) < 2 or code in warned:
                continue
            warned.add(code)
            try:
                naam = f"{division.area(code).naam} ({code})" if division is not None else code
            except Exception:  # noqa: BLE001 - a name only for the message
                naam = code
            rijen = ", ".join(str(r["rij"]) for r in rows)
            total = sum(r["aantal"] for r in rows)
            self.waarschuwing(f"{naam} staat in {len(rows)} rijen (rij {rijen}); deze bron geeft één getal per "
                              f"gemeente: de aantallen ({' + '.join(str(r['aantal']) for r in rows)}) zijn opgeteld "
                              f"tot {total}{_also(columns[code])}. Controleer of het geen dubbele rij is",
                              rij=rows[1]["rij"],
                              waarde=str(total), code="dubbele_gemeente")

    def _second_table_without_header(self, counted: list[tuple[str | None, str | None, int]]) -> None:
        """A ``fout`` (``tweede_tabel``) where the counted rows start again below a blank row, a title or a totals
        row with two or more of the rows above it: the previous month pasted under the table without its header
        (``Vorige maand``, or only a blank row). Summed, each would count twice with only the ``dubbele_gemeente``
        (``locatie_dubbel``) warning (hardening, twelfth session). A row is its municipality with every text of the
        row outside the counted columns: rows that differ there (``Plaatsingsvorm``, a block per placement; a
        location's name, COA's ``Opvangvorm``) are no repeat; two blocks of other buildings without their names
        are refused too, with the fix (a column with each location's name)."""
        from opvangkern.reading.table import _numberlike
        from opvangkern.reading.values import cell_text

        for table in self.tables:
            blad = table.grid.blad
            if any(m.code == "tweede_tabel" and m.blad == blad for m in (*self.meldingen, *table.meldingen)):
                continue  # its header repeated above the rows: already said
            rijs = [rij for code, b, rij in counted if b == blad and code is not None]
            if len(rijs) < 4:
                continue
            # one block (no blank, title or totals row between counted rows, as nearly every file): nothing can
            # repeat, and the rows' texts are not looked at (260 weekly national files: ~600 ms of CPU otherwise).
            # Its rows' numbers run without a gap: as many distinct numbers as the last less the first, plus one
            # (issue 16, fifteenth session: the pairs below sorted and looked at only when there is a gap)
            if set(map(type, rijs)) == _INT_ONLY and max(rijs) - min(rijs) + 1 == len(set(rijs)):
                continue
            rijen = sorted((rij, code) for code, b, rij in counted if b == blad and code is not None)
            skipped = [(a, b) for (a, _), (b, _) in zip(rijen, rijen[1:]) if b - a > 1]
            if not skipped:
                continue
            data = set(table._rijen())
            if not any(r not in data for a, b in skipped for r in range(a + 1, b)):
                continue
            counted_positions = {pos for key, pos in table.header.positions.items()
                                 if table.layout.column(key).numeric}
            cells = {row.rij: row.cells for row in table.rows}

            def kind(rij: int) -> tuple[str, ...]:
                # every text of the row outside the counted columns: the location, its type, the placement, a
                # region, the period; a previous month repeats them all, with other numbers only
                texts = (normalize_name(cell_text(c)) for i, c in enumerate(cells.get(rij, ()))
                         if i not in counted_positions and not _numberlike(c))
                return tuple(t for t in texts if t)

            seen: dict[tuple[str, tuple[str, ...]], int] = {}  # (municipality, its text cells) → its first row
            block: dict[tuple[str, tuple[str, ...]], int] = {}
            start = previous = None
            for rij, code in rijen:
                if previous is not None and any(r not in data for r in range(previous + 1, rij)):
                    self._report_second_table(table, start, seen, block)  # a blank, title or totals row above
                    seen.update({k: v for k, v in block.items() if k not in seen})
                    block, start = {}, rij
                if start is None:
                    start = rij
                block.setdefault((code, kind(rij)), rij)
                previous = rij
            self._report_second_table(table, start, seen, block)

    def _report_second_table(self, table: SheetTable, start: int | None, seen: dict, block: dict) -> None:
        again = sorted((rij, seen[key], key[0]) for key, rij in block.items() if key in seen)
        if len(again) < 2:
            return
        division = table.division

        def naam(code: str) -> str:
            try:
                return division.area(code).naam
            except Exception:  # noqa: BLE001 - a name only for the message
                return code
        shown = ", ".join(f"{naam(code)} (rij {first} en {rij})" for rij, first, code in again[:3])
        more = f" en nog {len(again) - 3}" if len(again) > 3 else ""
        what = "locatie" if "locatie" in table.header.positions else "gemeente"
        self.fout(f"vanaf rij {start} begint een tweede tabel zonder kopregel: onder een lege rij, een titel of een "
                  f"totaalrij staan {len(again)} rijen van een {what} die er al boven staat ({shown}{more}). Opgeteld "
                  "zou elk twee keer tellen (een vorige periode of een ander gegeven onder de tabel geplakt). Zet elke "
                  'tabel op een eigen blad en noem het blad in opvangkern.toml bij dit bestand met blad = "…", of '
                  "verwijder de tweede tabel. Zijn het andere locaties, zet dan de naam van elke locatie in een "
                  "kolom Locatie", rij=start, blad=table.grid.blad, waarde=naam(again[0][2]),
                  code="tweede_tabel")

    # --- result -----------------------------------------------------------------------------

    @property
    def peildatum(self) -> dt.date | None:
        """The peildatum the file states (its first table's), or ``None``."""
        for table in self.tables:
            if table.peildatum is not None:
                return table.peildatum
        return None

    def stats(self) -> FileStats:
        """How the file's rows were used (see ``FileStats``): the tables' row counts and the sum of the
        counts added so far."""
        som = sum([r[3] for r in self._rows]) + sum([sum(p[4]) for p in self._parts])
        if len(self.tables) == 1:  # (the common case) one FileStats made, not three and two ``attrs.astuple``
            return FileStats(som=som, **self.tables[0].row_counts())
        total = FileStats(som=som)
        for table in self.tables:
            total = total + FileStats(**table.row_counts())
        return total

    def _check_totals(self) -> None:
        for table in self.tables:
            try:
                table.check_totals()
            except Exception as exc:  # noqa: BLE001
                self.fout(f"totaalrijen konden niet worden gecontroleerd ({type(exc).__name__}: {exc})", code="totaalrijen_niet_gecontroleerd")

    def result(self) -> AdapterResult:
        """The realisaties table (peildatum: the file's, else the manifest's, else null), the meldingen
        (totals checked now), the file's own peildatum and the reconciliation counts (``stats``)."""
        if self._careful:
            return self._result_reference()
        self._check_totals()
        opgave, categorie, gemeentecode, aantal, blad, rij = self._columns()
        if len(set(gemeentecode)) != len(gemeentecode):
            if self.one_row_per_gemeente:
                self._materialise()
                self._warn_repeated_municipalities()
            self._second_table_without_header(list(zip(gemeentecode, blad, rij)))  # from the columns: no Row made
        total = too_large_ints(aantal)
        if total is not None:
            # a sum that no float64 holds exactly: a fout, and none of the file's figures (SPEC §6)
            self.meldingen.append(sum_fout(total, "de aantallen in dit bestand", bestand=self.source.bestand,
                                           blad=self.tables[0].grid.blad if self.tables else None))
            self._rows = []
            self._parts = []
            aantal = []
        stated = self.peildatum
        peildatum = stated or self.source.peildatum
        try:
            stats: FileStats | None = self.stats()
        except Exception:  # noqa: BLE001 - the reconciliation line must never cost the figures
            stats = None
        if aantal:
            # column-wise (issue 16): the lists that ``from_rows`` would make of the row dicts, made at once
            # (``_columns``: the rows added one by one and a column at a time, in their order)
            n = len(aantal)
            from opvangkern.reading.constant import same_in_every_row  # from its buffers (issue 16)

            same = self._same_in_every_row()
            if same is not None:  # (KCIO, TVS, Nidos) one task, category and sheet: arrays from their buffers
                opgave, categorie, blad = (same_in_every_row(value, n, REALISATIES.field(name).type)
                                           for name, value in zip(("opgave", "categorie", "blad"), same))
            table = from_columns(REALISATIES, {
                "bron": same_in_every_row(self.bron, n, REALISATIES.field("bron").type), "opgave": opgave,
                "categorie": categorie, "gemeentecode": gemeentecode,
                "peildatum": same_in_every_row(peildatum, n, REALISATIES.field("peildatum").type), "aantal": aantal,
                "bestand": same_in_every_row(self.source.bestand, n, REALISATIES.field("bestand").type),
                "blad": blad, "rij": rij})
        else:
            table = from_rows(REALISATIES, [])
        return self._validated(table, stated, stats)

    def _validated(self, table: Any, stated: dt.date | None, stats: FileStats | None) -> AdapterResult:
        # the one check of the table against its schema and row rules (the dataset adds the adapter's tasks)
        division = self.tables[0].division if self.tables else self.source.division
        if table.num_rows:
            self.meldingen.extend(validate(table, REALISATIES, division=division, bron=self.bron,
                                           bestand=self.source.bestand).meldingen)
        result = AdapterResult(realisaties=table, meldingen=tuple(self.meldingen), peildatum=stated, stats=stats)
        for sheet in self.tables:
            sheet.detach_rows()  # the file is done: its table and rows go by reference counting (issue 16)
        return result

    def _result_reference(self) -> AdapterResult:
        """``result()`` as it was before issue 16's column-wise builder, on row dicts through ``from_rows``:
        the oracle that ``tests/test_fastscan.py`` compares it with (taken inside ``fastscan.careful()``)."""
        self._check_totals()
        if self.one_row_per_gemeente:
            self._warn_repeated_municipalities_reference()
        self._second_table_without_header([(r["gemeentecode"], r["blad"], r["rij"]) for r in self.rows])
        all_rows = self.rows
        total = too_large(r["aantal"] for r in all_rows)
        if total is not None:
            # a sum that no float64 holds exactly: a fout, and none of the file's figures (SPEC §6)
            self.meldingen.append(sum_fout(total, "de aantallen in dit bestand", bestand=self.source.bestand,
                                           blad=self.tables[0].grid.blad if self.tables else None))
            self._rows = []
            all_rows = []
        stated = self.peildatum
        peildatum = stated or self.source.peildatum
        rows = [{**r, "peildatum": peildatum} for r in all_rows]
        try:
            stats: FileStats | None = FileStats(som=sum(r["aantal"] for r in all_rows))
            for t in self.tables:
                stats = stats + FileStats(**t.row_counts())
        except Exception:  # noqa: BLE001 - the reconciliation line must never cost the figures
            stats = None
        table = from_rows(REALISATIES, rows)
        return self._validated(table, stated, stats)


def _columns_per_code(groups: Mapping[tuple[str, str | None, str], Any]) -> dict[str, int]:
    """How many (task, category) columns each municipality's rows give (several in COA's wide overview)."""
    out: dict[str, int] = {}
    for _opgave, _categorie, code in groups:
        out[code] = out.get(code, 0) + 1
    return out


def _also(columns: int) -> str:
    return "; de andere kolommen van deze rijen zijn ook opgeteld" if columns > 1 else ""
