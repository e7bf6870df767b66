"""One check of an ``opgaven`` or ``realisaties`` table against its schema and the row rules.

The Arrow tables are the model: a reader or an adapter gives a table, and ``validate`` is the one place
that says whether it keeps the contract (the columns and types of ``opvangkern.tables``, and per row: no
empty required cell, a known task, a category the task has, an area of the division at the task's level,
a non-negative whole count or a finite target, a spreadsheet row number from 1, the expected source, file
and peildatum). It is used by the kit's ``RealisatieBuilder``, the quota reader, the dataset (for every
adapter's result, whichever way it was built) and the test kit (``opvangkern.testing.check_result``).

A broken rule is a ``fout`` with a ``code`` (``tabel_…``, see the table of meldingen in the
documentation) that names the file, sheet, row, column and value. Such a row is never a figure: the
dataset drops it (``TableCheck.valid``) and refuses the dataset for the ``fout``. These meldingen point at
the program that made the table (an adapter or a reader), not at the file: the file may well be right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import pyarrow as pa

from opvangkern import tables
from opvangkern.model import TASK_BY_KEY, TASK_KEYS, AreaLevel, Melding, Severity

__all__ = ["validate", "TableCheck", "MAX_PER_RULE", "CODES"]

MAX_PER_RULE = 10
"""Rows named one by one per broken rule; the rest get one melding that counts them."""

CODES = ("tabel_schema_onjuist", "tabel_waarde_ontbreekt", "tabel_aantal_ongeldig", "tabel_onbekende_opgave",
         "tabel_onbekende_categorie", "tabel_onbekend_gebied", "tabel_verkeerd_niveau", "tabel_verkeerde_bron",
         "tabel_verkeerd_bestand", "tabel_rij_ongeldig", "tabel_peildatum_verschilt")
"""The codes ``validate`` gives (each a ``fout``)."""

_REQUIRED = {
    "realisaties": ("bron", "opgave", "gemeentecode", "aantal", "bestand", "rij"),
    "opgaven": ("opgave", "gebied_code", "gebied_niveau", "ingangsdatum", "aantal", "bestand"),
}


@attrs.frozen
class TableCheck:
    """What ``validate`` found: the meldingen (empty: the table keeps the contract) and the rows that
    break a rule (indices into the table)."""

    meldingen: tuple[Melding, ...] = ()
    bad_rows: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.meldingen

    def valid(self, table: pa.Table) -> pa.Table:
        """``table`` without the rows that break a rule."""
        if not self.bad_rows:
            return table
        import numpy as np

        keep = np.ones(table.num_rows, dtype=bool)
        keep[list(self.bad_rows)] = False
        return table.filter(pa.array(keep))


def _kind(schema: pa.Schema) -> str:
    for name in ("realisaties", "opgaven"):
        if schema.equals(tables.SCHEMAS[name], check_metadata=False):
            return name
    raise ValueError("validate checks the realisaties or opgaven table (opvangkern.tables.REALISATIES, OPGAVEN)")


def _columns(schema: pa.Schema) -> str:
    return ", ".join(f"{f.name}: {f.type}" for f in schema)


_SEP, _NULL = "\x1f", "\x1e"  # joins two text columns into one key (neither character is in a code or a name)
_CODES_MEMO: dict[tuple[int, str], tuple[Any, frozenset[str], pa.Array]] = {}


def _area_codes(division: Any, level: AreaLevel) -> frozenset[str]:
    return _codes(division, level)[0]


def _all_known(column: Any, division: Any, level: AreaLevel) -> bool:
    """Every (non-null) value of ``column`` is an area of ``level``: one kernel over the column."""
    import pyarrow.compute as pc

    found = pc.is_in(column, value_set=_codes(division, level)[1])
    return column.null_count == 0 and pc.all(found).as_py() is True


def _codes(division: Any, level: AreaLevel) -> tuple[frozenset[str], pa.Array]:
    """The codes of ``division``'s areas of ``level`` (a reading division's former municipalities too)."""
    key = (id(division), level.value)
    found = _CODES_MEMO.get(key)
    if found is not None and found[0] is division:
        return found[1], found[2]
    codes = frozenset(code for code, area in division.areas.items() if area.niveau is level)
    if len(_CODES_MEMO) > 16:
        _CODES_MEMO.clear()
    _CODES_MEMO[key] = (division, codes, pa.array(sorted(codes), pa.string()))
    return codes, _CODES_MEMO[key][2]


def validate(table: pa.Table, schema: pa.Schema, *, division: Any = None, bron: str | None = None,
             tasks: Sequence[str] | None = None, bestand: str | None = None,
             peildatum: dt.date | None = None, task_level: bool = True) -> TableCheck:
    """Check ``table`` against ``schema`` (``tables.REALISATIES`` or ``tables.OPGAVEN``) and the row rules.

    Args:
        table: the table to check.
        schema: which table it must be.
        division: the division its areas must belong to (default: the newest shipped).
        bron: the adapter that made it: every ``bron`` must be this one (``realisaties``).
        tasks: the tasks that adapter declares: every ``opgave`` must be one of them.
        bestand: the file it was read from: every ``bestand`` must be this one.
        peildatum: the peildatum the file or the manifest states: every ``peildatum`` must be this one.
        task_level: (``opgaven``) every ``gebied_niveau`` must be its task's target level; ``False`` for a
            reader that reads a decision at the level its caller names (``read_quota``).

    Returns a ``TableCheck``: a ``fout`` per broken rule and row (at most ``MAX_PER_RULE`` rows named, then
    one that counts the others), and the indices of the rows that break a rule.
    """
    kind = _kind(schema)
    who = f"de adapter {bron!r}" if bron else ("de adapter" if kind == "realisaties" else "de lezer van opgaven")
    fix = (f"dit is een fout in {who}, niet in het bestand: meld het aan de maker ervan "
           "(opvangkern bronnen toont de plugin)")
    if not isinstance(table, pa.Table) or not table.schema.equals(schema, check_metadata=False):
        got = _columns(table.schema) if isinstance(table, pa.Table) else type(table).__name__
        return TableCheck((Melding(Severity.FOUT, f"{kind} heeft schema ({got}); verwacht precies "
                                   f"opvangkern.tables.{kind.upper()} ({_columns(schema)}); {fix}", bestand=bestand,
                                   code="tabel_schema_onjuist"),))
    if table.num_rows == 0:
        return TableCheck()
    import numpy as np
    import pyarrow.compute as pc

    # Each rule first asks a cheap question of the whole column (its null count, its distinct values, its
    # minimum); only a column that breaks it is searched row by row: a good table costs a few kernels.
    rules: list[tuple[str, str, Any, Any]] = []  # (code, column, mask, text of a value)

    def joined(a: str, b: str) -> Any:
        null = pa.scalar(_NULL, pa.string())
        return pc.binary_join_element_wise(pc.fill_null(table.column(a).cast(pa.string()), null),
                                           pc.fill_null(table.column(b).cast(pa.string()), null), _SEP)

    seen: dict[str, set] = {}  # distinct values per column (of a table checked before: remembered)

    def distinct(*names: str) -> set:
        if len(names) == 1:
            if names[0] not in seen:
                seen[names[0]] = set(table.column(names[0]).unique().to_pylist())
            return seen[names[0]]
        a, b = names
        if len(distinct(a)) == 1:  # the common case (one task, one level per file): no joined key needed
            only = next(iter(distinct(a)))
            return {(only, y) for y in distinct(b)}
        return {tuple(None if part == _NULL else part for part in key.split(_SEP))
                for key in pc.unique(joined(*names)).to_pylist()}

    def among(name: str, values: Any) -> Any:
        return pc.is_in(table.column(name), value_set=pa.array(list(values), table.schema.field(name).type))

    def pairs_among(a: str, b: str, values: Any) -> Any:
        keys = [_SEP.join(_NULL if part is None else part for part in pair) for pair in values]
        return pc.is_in(joined(a, b), value_set=pa.array(keys, pa.string()))

    if division is None:
        from opvangkern.areas import load_division

        division = load_division()
    remembered = _passed(table, division)  # a table the builder checked already: only the context rules
    generic = remembered is None
    seen.update(remembered or {})
    if generic:
        for name in _REQUIRED[kind]:
            if table.column(name).null_count:
                rules.append(("tabel_waarde_ontbreekt", name, pc.is_null(table.column(name)),
                              lambda _v, _r, name=name: f"kolom {name} is leeg"))
    opgaven = distinct("opgave") - {None}
    unknown = opgaven - set(TASK_KEYS)
    if generic and unknown:
        rules.append(("tabel_onbekende_opgave", "opgave", among("opgave", unknown),
                      lambda v, _r: f"opgave {v!r} is geen opgave; bekend: {', '.join(TASK_KEYS)}"))
    if tasks is not None and (opgaven & set(TASK_KEYS)) - set(tasks):
        rules.append(("tabel_onbekende_opgave", "opgave", among("opgave", (opgaven & set(TASK_KEYS)) - set(tasks)),
                      lambda v, _r: f"opgave {v!r} staat niet in tasks {tuple(tasks)} van {who}"))
    if bestand is not None and distinct("bestand") - {None, bestand}:
        rules.append(("tabel_verkeerd_bestand", "bestand", among("bestand", distinct("bestand") - {None, bestand}),
                      lambda v, _r: f"bestand {v!r}, verwacht {bestand!r}"))
    if kind == "realisaties":
        if bron is not None and distinct("bron") - {None, bron}:
            rules.append(("tabel_verkeerde_bron", "bron", among("bron", distinct("bron") - {None, bron}),
                          lambda v, _r: f"bron {v!r}, verwacht {bron!r}"))
        if peildatum is not None and distinct("peildatum") - {peildatum}:
            rules.append(("tabel_peildatum_verschilt", "peildatum", among("peildatum", distinct("peildatum") - {peildatum}),
                          lambda v, _r: f"peildatum {v}, maar het bestand of de bron noemt {peildatum}"))
    if generic:
        rules.extend(_generic_rules(table, kind, division, distinct, among, pairs_among, task_level))

    meldingen: list[Melding] = []
    bad: set[int] = set()
    where_columns = ("bestand", "blad", "rij")
    for code, column, mask, text in rules:
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            continue
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        bad.update(int(i) for i in rows)
        shown = table.take(pa.array(rows[:MAX_PER_RULE])).to_pylist()
        for row in shown:
            value = row[column]
            meldingen.append(Melding(Severity.FOUT, f"{text(value, row)}; {fix}", bestand=row["bestand"] or bestand,
                                     blad=row["blad"], rij=row["rij"] if (row["rij"] or 0) >= 1 else None,
                                     kolom=column, waarde=None if value is None else str(value), code=code))
        if len(rows) > MAX_PER_RULE:
            first = {c: shown[0][c] for c in where_columns}
            meldingen.append(Melding(Severity.FOUT, f"en nog {len(rows) - MAX_PER_RULE} rijen met hetzelfde probleem "
                                     f"in kolom {column}; {fix}", bestand=first["bestand"] or bestand,
                                     blad=first["blad"], kolom=column, code=code))
    if generic and task_level and not any(code in _GENERIC for code, *_ in rules):
        for name in ("opgave", "bron", "bestand"):  # what a later check with another context asks
            if name in table.column_names:
                distinct(name)
        _remember(table, division, seen)
    return TableCheck(tuple(meldingen), tuple(sorted(bad)))


def _generic_rules(table: pa.Table, kind: str, division: Any, distinct: Any, among: Any, pairs_among: Any,
                   task_level: bool = True) -> list:
    """The rules that need no context (no adapter, file or peildatum): rows, counts, categories, areas."""
    import pyarrow.compute as pc

    rules: list[tuple[str, str, Any, Any]] = []
    lowest = pc.min(table.column("rij")).as_py()
    if lowest is not None and lowest < 1:
        rules.append(("tabel_rij_ongeldig", "rij", pc.less(table.column("rij"), 1),
                      lambda v, _r: f"rij {v!r}: moet het rijnummer in het spreadsheet zijn (vanaf 1)"))
    aantal = table.column("aantal")
    if kind == "realisaties":
        lowest = pc.min(aantal).as_py()
        if lowest is not None and lowest < 0:
            rules.append(("tabel_aantal_ongeldig", "aantal", pc.less(aantal, 0),
                          lambda v, _r: f"aantal {v!r} is geen niet-negatief geheel getal"))
        allowed = {(t.key, c) for t in TASK_BY_KEY.values() for c in (t.categories or (None,))}
        wrong = {(o, c) for o, c in distinct("opgave", "categorie") if o in TASK_BY_KEY} - allowed
        if wrong:
            rules.append(("tabel_onbekende_categorie", "categorie", pairs_among("opgave", "categorie", wrong),
                          lambda v, r: (f"categorie {v!r}; {r['opgave']} kent {TASK_BY_KEY[r['opgave']].categories}"
                                        if TASK_BY_KEY[r["opgave"]].categories
                                        else f"categorie {v!r}; {r['opgave']} kent geen categorieën")))
        known = _all_known(table.column("gemeentecode"), division, AreaLevel.GEMEENTE)
        outside = set() if known else distinct("gemeentecode") - {None} - _area_codes(division, AreaLevel.GEMEENTE)
        if outside:
            rules.append(("tabel_onbekend_gebied", "gemeentecode", among("gemeentecode", outside),
                          lambda v, _r: f"gemeentecode {v!r} is geen gemeente van de indeling {division.name}"))
        return rules
    if aantal.null_count < len(aantal) and not pc.all(pc.is_finite(aantal)).as_py():
        rules.append(("tabel_aantal_ongeldig", "aantal", pc.invert(pc.is_finite(aantal)),
                      lambda v, _r: f"aantal {v!r} is geen eindig getal"))
    levels = {(t.key, t.target_level.value) for t in TASK_BY_KEY.values()}
    wrong_levels = task_level and {(o, n) for o, n in distinct("opgave", "gebied_niveau")
                                   if o in TASK_BY_KEY and n is not None} \
        - levels
    if wrong_levels:
        rules.append(("tabel_verkeerd_niveau", "gebied_niveau", pairs_among("opgave", "gebied_niveau", wrong_levels),
                      lambda v, r: f"gebied_niveau {v!r}; de opgave {r['opgave']} wordt per "
                                   f"{TASK_BY_KEY[r['opgave']].target_level.value} vastgesteld"))
    by_level = {level.value: _area_codes(division, level) for level in {t.target_level for t in TASK_BY_KEY.values()}}
    niveaus = distinct("gebied_niveau")
    if len(niveaus) == 1 and next(iter(niveaus)) in by_level \
            and _all_known(table.column("gebied_code"), division, AreaLevel(next(iter(niveaus)))):
        outside: set = set()  # the common case: one level, every code an area of it (one kernel)
    else:
        outside = {(n, c) for n, c in distinct("gebied_niveau", "gebied_code")
                   if n in by_level and c is not None and c not in by_level[n]}
    if outside:
        rules.append(("tabel_onbekend_gebied", "gebied_code", pairs_among("gebied_niveau", "gebied_code", outside),
                      lambda v, r: f"gebied_code {v!r} is geen {r['gebied_niveau']} van de indeling {division.name}"))
    return rules


_GENERIC = frozenset({"tabel_waarde_ontbreekt", "tabel_onbekende_opgave", "tabel_rij_ongeldig", "tabel_aantal_ongeldig",
                      "tabel_onbekende_categorie", "tabel_onbekend_gebied", "tabel_verkeerd_niveau"})
_PASSED: dict[int, tuple[Any, int, dict[str, set]]] = {}


def _passed(table: pa.Table, division: Any) -> dict[str, set] | None:
    """For a table that (this very object: tables are immutable) passed the generic rules in ``division``,
    the distinct values of its columns seen then; ``None`` for any other table."""
    found = _PASSED.get(id(table))
    if found is None or found[0]() is not table or found[1] != id(division):
        return None
    return found[2]


def _remember(table: pa.Table, division: Any, seen: dict[str, set]) -> None:
    import weakref

    key = id(table)
    _PASSED[key] = (weakref.ref(table, lambda _ref, key=key: _PASSED.pop(key, None)), id(division), dict(seen))
