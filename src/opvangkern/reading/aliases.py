"""Two names of one counted column that hold different figures (thirteenth session, ``hard13a``).

A header with two aliases of one column (``Capaciteit`` beside an older ``Plekken``, Nidos' ``Plekken`` beside
``Gerealiseerd``) is read by the better-ranked one, the other ignored with ``kolom_genegeerd``. For a numeric
column that is only safe while both hold the same figures: where they differ, which one is the realisation is a
guess, and a wrong guess is a wrong figure with exit 0. ``differences`` compares the two columns row by row as the
reader parses them; ``melding_text`` says so and shows the ``kolommen`` lines that pick one. The source files'
reader (``SheetTable.read``, every reading path) and the agreements reader share both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from opvangkern.reading.columns import _letter as letter
from opvangkern.reading.columns import kolommen_line
from opvangkern.reading.values import ValueProblem, cell_text, is_none, normalize_name

__all__ = ["differences", "melding_text", "beside_table", "holds_shares"]


class _Unreadable:
    """A cell the parser refused: equal to another refused cell of the same text only."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unreadable) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _read(parser: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return parser(raw)
    except ValueProblem:
        return _Unreadable(cell_text(raw))
    except Exception:  # noqa: BLE001 - the reader raises it again where it reads the chosen cell itself
        return _Unreadable(cell_text(raw))


def differences(rows: Iterable[tuple[int, Sequence[Any]]], chosen: int, other: int, parser: Callable[[Any], Any],
                filled: Any = None) -> tuple[int, tuple[int, Any, Any] | None]:
    """``(how many rows differ, (the first one's rij, its chosen cell, its other cell))`` for the data rows
    ``rows`` (``(rij, cells)``), columns ``chosen`` and ``other`` (0-based), each cell read by ``parser``.

    An empty cell (``None``: empty, ``-``, ``n.v.t.``) differs from ``0``: it gives the row no figure, ``0`` gives
    it one. Two cells the parser refuses are equal when their texts are. ``filled``: the cells of a merge below its
    first row (``Grid.filled``), which are empty for the reader (a merged number counts once)."""
    n = 0
    first: tuple[int, Any, Any] | None = None
    memo: dict[tuple[type, Any], Any] = {}
    for rij, cells in rows:
        width = len(cells)
        a = cells[chosen] if chosen < width else None
        b = cells[other] if other < width else None
        if filled and (rij, other) in filled:
            b = None
        if a is b or (type(a) is type(b) and a == b):
            continue  # the same cell (both empty, the same text or number): read alike
        values = []
        for raw in (a, b):
            key = (type(raw), raw)
            try:
                value = memo[key]
            except KeyError:
                value = memo[key] = _read(parser, raw)
            except TypeError:  # an unhashable cell
                value = _read(parser, raw)
            values.append(value)
        if values[0] == values[1] and type(values[0]) is type(values[1]):
            continue
        n += 1
        if first is None:
            first = (rij, a, b)
    return n, first


def _shown(raw: Any) -> str:
    return "leeg" if is_none(raw) else cell_text(raw)


def melding_text(label: str, chosen_header: str, chosen: int, other_header: str, other: int, n: int,
                 first: tuple[int, Any, Any], where: str = "in opvangkern.toml") -> str:
    """The ``fout`` that two names of one column hold different figures, with the ``kolommen`` lines."""
    rij, a, b = first
    rijen = "1 rij" if n == 1 else f"{n} rijen"
    return (f"kolom {chosen_header!r} (kolom {letter(chosen)}) en kolom {other_header!r} (kolom {letter(other)}) "
            f"zijn allebei {label}, maar hun aantallen verschillen in {rijen} (de eerste: rij {rij}, {_shown(a)} in "
            f"kolom {letter(chosen)} en {_shown(b)} in kolom {letter(other)}); welke kolom het aantal geeft, is niet "
            f"te zeggen. Kies er één {where}: {kolommen_line(chosen_header, label)} of "
            f"{kolommen_line(other_header, label)}")


def beside_table(cells: Sequence[Any], other: int, read: Iterable[int], same: Iterable[str]) -> bool:
    """Whether header cell ``other`` heads a table of its own beside the one read: in a block of headers (cells
    between empty ones) that holds none of the columns read (``read``) and a header of its own that is no name
    of the column (``same``, normalised): ``Gemeente | Capaciteit | | Locatie | Plekken``, a list of locations
    beside the municipalities, whose rows are other things than the table's rows."""
    def filled(i: int) -> bool:
        return 0 <= i < len(cells) and bool(cell_text(cells[i]))

    lo = hi = other
    while filled(lo - 1):
        lo -= 1
    while filled(hi + 1):
        hi += 1
    if any(lo <= p <= hi for p in read):
        return False
    names = set(same)
    return any(i != other and normalize_name(cells[i]) not in names for i in range(lo, hi + 1))


def holds_shares(rows: Iterable[tuple[int, Sequence[Any]]], other: int) -> bool:
    """Whether column ``other`` holds percentages in every data row where it holds anything (``85%``, also a cell
    formatted as a percentage, which the grid shows as Excel does): a share beside the count under a name of the
    count (KCIO's ``Realisatie`` beside ``Capaciteit``), another measure, not a second reading of the count."""
    seen = False
    for _rij, cells in rows:
        if other >= len(cells) or is_none(cells[other]):
            continue
        if not cell_text(cells[other]).strip().endswith("%"):
            return False
        seen = True
    return seen
