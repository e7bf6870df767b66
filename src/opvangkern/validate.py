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

__all__ = ["validate", "validate_reference", "TableCheck", "MAX_PER_RULE", "CODES"]

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

    The verdict is ``validate_reference``'s, reached the cheap way where that is exact (issue 16): the
    verdict already given for this very table object with the same arguments (the kit's builder checks a
    table, then the dataset checks the adapter's result, most often that same object), else, for a table
    that one pass of whole-column questions proves clean, the empty verdict; any other table is checked by
    ``validate_reference`` itself.
    """
    if not isinstance(table, pa.Table) or not table.schema.equals(schema, check_metadata=False):
        return validate_reference(table, schema, division=division, bron=bron, tasks=tasks, bestand=bestand,
                                  peildatum=peildatum, task_level=task_level)
    kind = _kind(schema)
    if division is None:
        from opvangkern.areas import load_division

        division = load_division()
    tasks = None if tasks is None else tuple(tasks)
    key = (kind, bron, tasks, bestand, peildatum, bool(task_level), MAX_PER_RULE)
    try:
        hash(key)
    except TypeError:  # an argument that cannot be a key (a list in tasks): checked as it was, not kept
        return validate_reference(table, schema, division=division, bron=bron, tasks=tasks, bestand=bestand,
                                  peildatum=peildatum, task_level=task_level)
    given = _given(table, division, key)
    if given is not None:
        return given
    if table.num_rows == 0:
        return TableCheck()
    verdict, known = _check(table, schema, kind, division, bron, tasks, bestand, peildatum, task_level)
    _keep_verdict(table, division, key, verdict, known)
    return verdict


def _check(table: pa.Table, schema: pa.Schema, kind: str, division: Any, bron: str | None,
           tasks: tuple[str, ...] | None, bestand: str | None, peildatum: dt.date | None,
           task_level: bool) -> tuple[TableCheck, frozenset[str]]:
    """A table's verdict, worked out (not remembered), and the known tasks in its ``opgave`` column."""
    known = _clean(table, kind, division, bron, tasks, bestand, peildatum, task_level)
    if known is not None:
        return TableCheck(), frozenset(known)
    verdict = validate_reference(table, schema, division=division, bron=bron, tasks=tasks, bestand=bestand,
                                 peildatum=peildatum, task_level=task_level)
    return verdict, frozenset(_distinct(table.column("opgave")) & _TASK_SET)


# --- the same verdict for the same table object (issue 16) ------------------------------------------------

_VERDICTS: dict[int, tuple[Any, Any, dict[tuple, tuple[TableCheck, frozenset[str]]]]] = {}
"""Per live table (by ``id``, proved by a weak reference to that very object: a table that dies takes its
entry with it, so an ``id`` used again never finds another table's verdict): its division (held, so its
``id`` cannot be reused either) and, per set of arguments, the verdict and the known tasks in its
``opgave`` column."""


def _given(table: pa.Table, division: Any, key: tuple) -> TableCheck | None:
    """The verdict given before for this very ``table`` (an Arrow table is immutable: the same object is the
    same content) in ``division`` with the arguments ``key``; ``None`` when there is none.

    ``tasks`` enters ``validate_reference`` in one rule only (an ``opgave`` that is a task but not one of
    ``tasks``), so a verdict given without ``tasks`` is the verdict with them whenever every known task in
    the column is one of them: the kit's builder checks without the adapter's tasks, the dataset with."""
    found = _VERDICTS.get(id(table))
    if found is None or found[0]() is not table or found[1] is not division:
        return None
    verdicts = found[2]
    hit = verdicts.get(key)
    if hit is not None:
        return hit[0]
    tasks = key[2]
    if tasks is not None:
        hit = verdicts.get(key[:2] + (None,) + key[3:])
        if hit is not None and hit[1] <= set(tasks):
            return hit[0]
    return None


def _keep_verdict(table: pa.Table, division: Any, key: tuple, verdict: TableCheck, known: frozenset[str]) -> None:
    import weakref

    ident = id(table)
    found = _VERDICTS.get(ident)
    if found is None or found[0]() is not table or found[1] is not division:
        def forget(ref: Any, ident: int = ident) -> None:
            entry = _VERDICTS.get(ident)
            if entry is not None and entry[0] is ref:
                del _VERDICTS[ident]

        found = (weakref.ref(table, forget), division, {})
        _VERDICTS[ident] = found
    found[2][key] = (verdict, known)


# --- a table proved clean in one pass (issue 16) ------------------------------------------------------------

_TASK_SET = frozenset(TASK_KEYS)
_INDEX = {kind: {name: i for i, name in enumerate(schema.names)} for kind, schema in tables.SCHEMAS.items()
          if kind in _REQUIRED}
_REQUIRED_INDEX = {kind: tuple(_INDEX[kind][name] for name in names) for kind, names in _REQUIRED.items()}
_ALLOWED_CATEGORIES = {t.key: frozenset(t.categories) for t in TASK_BY_KEY.values() if t.categories}
_TARGET_LEVEL = {t.key: t.target_level.value for t in TASK_BY_KEY.values()}
_LEVELS = {t.target_level.value: t.target_level for t in TASK_BY_KEY.values()}
_CLEAN_AREAS: dict[tuple[int, str, int], tuple[Any, list]] = {}
"""Per division, level and length, the last area columns proved to hold only its areas (compared by content)."""


def _distinct(column: Any) -> set:
    return set(column.unique().to_pylist())


_STEPS: dict[tuple[int, int], bytes] = {}


def _even(chunk: Any, width: int) -> bool:
    """Every cell of a text ``chunk`` (no nulls) is ``width`` bytes, shown by its offsets: the bytes of 0,
    ``width``, 2 ``width``, ... (``False`` also for a chunk laid out otherwise, a slice for one: not shown)."""
    n = len(chunk)
    steps = _STEPS.get((n, width))
    if steps is None:
        import numpy as np

        if len(_STEPS) > 256:
            _STEPS.clear()
        steps = _STEPS[(n, width)] = (np.arange(n + 1, dtype=np.int32) * width).tobytes()
    offsets = chunk.buffers()[1]
    return chunk.offset == 0 and offsets is not None and offsets.size >= len(steps) \
        and offsets.to_pybytes()[:len(steps)] == steps


def _only(column: Any, value: Any) -> bool:
    """Every cell of ``column`` is ``value`` (a null is not). A text by the column's own bytes: the offsets
    ``len(value)`` apart and the cells' bytes ``value``'s; ``False`` where that is not shown so (the caller
    then leaves the table to ``validate_reference``)."""
    if column.null_count:
        return False
    if not isinstance(value, str) or column.type != pa.string():
        return _distinct(column) == {value}
    encoded = value.encode("utf-8")
    width = len(encoded)
    for chunk in column.chunks:
        n = len(chunk)
        if n and not (_even(chunk, width) and (not width or chunk.buffers()[2].to_pybytes()[:n * width] == encoded * n)):
            return False
    return True


def _tasks_in(column: Any) -> set:
    """The distinct values of the ``opgave`` column (no nulls): one value by its bytes, else ``unique``."""
    first = column.chunk(0)[0].as_py() if column.num_chunks == 1 else None
    if first is not None and _only(column, first):
        return {first}
    return _distinct(column)


def _fixed_keys(column: Any) -> tuple[int, Any] | None:
    """For a text column (no nulls) whose every cell is ``w`` bytes, 1 <= w <= 8 (its first cell's width):
    ``w`` and each cell's bytes as one unsigned 64-bit number (zero-padded: one number per text of that
    width); ``None`` where that is not shown."""
    import numpy as np

    chunks = [chunk for chunk in column.chunks if len(chunk)]
    if not chunks or column.type != pa.string():
        return None
    first = chunks[0].buffers()[1]
    if chunks[0].offset:
        return None
    width = int(np.frombuffer(first, np.int32, count=2)[1] - np.frombuffer(first, np.int32, count=1)[0])
    if not 1 <= width <= 8 or not all(_even(chunk, width) for chunk in chunks):
        return None
    parts = []
    for chunk in chunks:
        n = len(chunk)
        padded = np.zeros((n, 8), np.uint8)
        padded[:, :width] = np.frombuffer(chunk.buffers()[2], np.uint8, count=n * width).reshape(n, width)
        parts.append(padded.view(np.uint64).ravel())
    return width, parts[0] if len(parts) == 1 else np.concatenate(parts)


_WIDTH_CODES: dict[tuple[int, str, int], tuple[Any, Any]] = {}


def _width_codes(division: Any, level: AreaLevel, width: int) -> Any:
    """``_fixed_keys`` of the codes of ``division``'s areas of ``level`` that are ``width`` bytes, sorted."""
    import numpy as np

    key = (id(division), level.value, width)
    found = _WIDTH_CODES.get(key)
    if found is not None and found[0] is division:
        return found[1]
    padded = [code.encode("utf-8").ljust(8, b"\0") for code in _codes(division, level)[0]
              if len(code.encode("utf-8")) == width]
    codes = np.sort(np.frombuffer(b"".join(padded), np.uint64)) if padded else np.zeros(0, np.uint64)
    if len(_WIDTH_CODES) > 64:
        _WIDTH_CODES.clear()
    _WIDTH_CODES[key] = (division, codes)
    return codes


_RECENT_AREAS = 4


def _areas_known(column: Any, division: Any, level: AreaLevel) -> bool:
    """Every cell of ``column`` (no nulls) is an area of ``level`` in ``division``: one of the last columns
    proved so (by content: a weekly file of one row per municipality repeats its column); else codes of
    one width (``GM0106``) looked up as numbers in the division's sorted codes; else a set of the values."""
    import numpy as np

    memo_key = (id(division), level.value, len(column))
    recent = _CLEAN_AREAS.get(memo_key)
    if recent is not None and recent[0] is division and any(column.equals(seen) for seen in recent[1]):
        return True
    fixed = _fixed_keys(column)
    if fixed is not None:
        codes = _width_codes(division, level, fixed[0])
        if not len(codes):
            return False
        at = np.minimum(np.searchsorted(codes, fixed[1]), len(codes) - 1)
        if not (codes[at] == fixed[1]).all():
            return False
    elif not _distinct(column) <= _codes(division, level)[0]:
        return False
    if recent is None or recent[0] is not division:
        if len(_CLEAN_AREAS) > 64:
            _CLEAN_AREAS.clear()
        recent = _CLEAN_AREAS[memo_key] = (division, [])
    recent[1].insert(0, column)
    del recent[1][_RECENT_AREAS:]
    return True


def _lowest(column: Any) -> Any:
    """The least value of a whole-number column (nulls left out; ``None`` when every cell is null)."""
    if column.null_count:
        import pyarrow.compute as pc

        return pc.min(column).as_py()
    return min(int(chunk.to_numpy().min()) for chunk in column.chunks if len(chunk))


def _clean(table: pa.Table, kind: str, division: Any, bron: str | None, tasks: tuple[str, ...] | None,
           bestand: str | None, peildatum: dt.date | None, task_level: bool) -> set | None:
    """The tasks in the ``opgave`` column of a (non-empty, right-schema) ``table`` when a few whole-column
    questions prove that ``validate_reference`` would name no row of it; ``None`` when they do not (then the
    reference decides). Each test here is the negation of a rule's trigger there, asked more cheaply."""
    import numpy as np
    import pyarrow.compute as pc

    index = _INDEX[kind]
    column = table.column
    for i in _REQUIRED_INDEX[kind]:  # no empty required cell (so each rule below may ignore nulls)
        if column(i).null_count:
            return None
    opgaven = _tasks_in(column(index["opgave"]))
    if not opgaven <= _TASK_SET or (tasks is not None and not opgaven <= set(tasks)):
        return None
    if bestand is not None and not _only(column(index["bestand"]), bestand):
        return None
    lowest = _lowest(column(index["rij"]))  # (the rij of an opgave may be empty)
    if lowest is not None and lowest < 1:
        return None
    aantal = column(index["aantal"])
    if kind == "realisaties":
        if bron is not None and not _only(column(index["bron"]), bron):
            return None
        if peildatum is not None and not _only(column(index["peildatum"]), peildatum):
            return None
        if _lowest(aantal) < 0:
            return None
        categorie = column(index["categorie"])
        with_categories = {o for o in opgaven if o in _ALLOWED_CATEGORIES}
        if not with_categories:
            if categorie.null_count != len(categorie):  # a category where no task of the table has one
                return None
        elif len(with_categories) > 1:
            return None  # two tasks with categories: the reference looks at the pairs
        elif len(opgaven) == 1:
            (only,) = with_categories
            if not _distinct(categorie) <= _ALLOWED_CATEGORIES[only]:  # a null too is no category of it
                return None
        else:  # one task with categories beside tasks without: a null category exactly on the latter's rows
            (only,) = with_categories
            plain = pa.array(sorted(opgaven - with_categories), pa.string())
            without = pc.is_in(column(index["opgave"]), value_set=plain).to_numpy()
            if not np.array_equal(without, categorie.is_null().to_numpy()) \
                    or not _distinct(categorie) - {None} <= _ALLOWED_CATEGORIES[only]:
                return None
        if not _areas_known(column(index["gemeentecode"]), division, AreaLevel.GEMEENTE):
            return None
        return opgaven
    if not all(np.isfinite(chunk.to_numpy()).all() for chunk in aantal.chunks):
        return None
    niveaus = _distinct(column(index["gebied_niveau"]))
    if len(niveaus) != 1:
        return None
    (niveau,) = niveaus
    if niveau is None or (task_level and any(_TARGET_LEVEL[o] != niveau for o in opgaven)):
        return None
    if niveau in _LEVELS and not _areas_known(column(index["gebied_code"]), division, _LEVELS[niveau]):
        return None
    return opgaven


def validate_reference(table: pa.Table, schema: pa.Schema, *, division: Any = None, bron: str | None = None,
                       tasks: Sequence[str] | None = None, bestand: str | None = None,
                       peildatum: dt.date | None = None, task_level: bool = True) -> TableCheck:
    """Check ``table`` against ``schema`` (``tables.REALISATIES`` or ``tables.OPGAVEN``) and the row rules.

    ``validate`` as it was before issue 16's shortcuts: the oracle of ``tests/test_validate_once.py`` and what
    ``validate`` runs for every table ``_clean`` does not prove clean. A rule added here needs its negation
    in ``_clean`` too (else a table breaking only that rule would be proved clean), and a case in the
    strategies of that test that breaks it. Its arguments and its verdict are ``validate``'s.
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
