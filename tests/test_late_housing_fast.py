"""``quota_checks.housing_past_last_half_year`` without a Python object per housing row (issue 16, eleventh
session, perf11d): only the rows dated after the housing line's last half-year are converted, and the meldingen
are those of the plain loop over every row (the oracle below, the function as the tenth session wrote it), for
one municipality, whose own line is the dataset's (fix11a made the check per municipality)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset import quota_checks

HOUSING = "vergunninghouders"
LAST = dt.date(2026, 1, 1)  # the 2025-II line: its backlog on 1 July 2025, its corrected target on 1 January 2026


ASSEN = "GM0106"  # one municipality: its own line is the dataset's (fix11a checks per municipality)


def opgaven(days: list[dt.date]) -> pa.Table:
    return pa.table({"opgave": pa.array([HOUSING] * len(days) + ["oekraine"]),
                     "gebied_code": pa.array([ASSEN] * len(days) + ["VR03"]),
                     "ingangsdatum": pa.array([*days, dt.date(2027, 1, 1)], pa.date32()),
                     "aantal": pa.array([10.0] * (len(days) + 1))})


def realisaties(rows: list[tuple[str | None, str, str | None, dt.date | None]], chunks: int = 1) -> pa.Table:
    schema = pa.schema([("opgave", pa.string()), ("bestand", pa.string()), ("blad", pa.string()),
                        ("peildatum", pa.date32()), ("gemeentecode", pa.string()), ("rij", pa.int64())])
    rows = [(*r, ASSEN, i + 2) for i, r in enumerate(rows)]
    parts = [rows[i::chunks] for i in range(chunks)] if rows else [[]]
    return pa.concat_tables([pa.table(list(zip(*part)) if part else [[] for _ in schema], schema=schema)
                             for part in parts])


def oracle(opgaven_table: pa.Table, table: pa.Table) -> list[tuple[str, str | None, str]]:
    """The tenth session's loop: every housing row's (bestand, blad, peildatum) as Python objects."""
    housing = [d for o, d in zip(opgaven_table.column("opgave").to_pylist(),
                                 opgaven_table.column("ingangsdatum").to_pylist()) if o == HOUSING and d]
    days = sorted(set(housing))
    if len(days) < 2 or not quota_checks._ends_a_half_year(days[-2], days[-1]):
        return []
    late: dict[tuple[str, str | None], dt.date] = {}
    for opgave, bestand, blad, peildatum in zip(*(table.column(n).to_pylist() for n in ("opgave", "bestand", "blad",
                                                                                     "peildatum"))):
        if opgave == HOUSING and peildatum is not None and peildatum > days[-1]:
            late.setdefault((bestand, blad), peildatum)
    return [(b, s, p.isoformat()) for (b, s), p in sorted(late.items(), key=lambda item: (item[1], item[0][0]))]


def found(opgaven_table: pa.Table, table: pa.Table) -> list[tuple[str, str | None, str]]:
    out = quota_checks.housing_past_last_half_year(opgaven_table, table)
    assert all(m.code == "halfjaar_zonder_opgave" and m.kolom == "peildatum" for m in out)
    return [(m.bestand, m.blad, m.waarde) for m in out]


def test_late_files_named_once_each_in_date_order_with_their_first_late_peildatum():
    # three TVS files after 1 January 2026 (one a workbook sheet), a COA file after it (not housing), and a
    # long history before it; written in an order that is neither the dates' nor the names'
    rows = [(HOUSING, f"bronnen/tvs-{w:03d}.csv", None, dt.date(2021, 1, 3) + dt.timedelta(weeks=w))
            for w in range(260)]
    rows += [(HOUSING, "bronnen/tvs-b.csv", None, dt.date(2026, 2, 28)),
             (HOUSING, "bronnen/tvs-b.csv", None, dt.date(2026, 1, 31)),
             (HOUSING, "bronnen/tvs-a.xlsx", "maart", dt.date(2026, 3, 31)),
             (HOUSING, "bronnen/tvs-a.xlsx", "januari", dt.date(2026, 1, 31)),
             ("oekraine", "bronnen/coa-2026-06-30.csv", None, dt.date(2026, 6, 30)),
             (HOUSING, "bronnen/tvs-c.csv", None, None),
             (HOUSING, "bronnen/tvs-dag-erna.csv", None, LAST)]  # the day after the half-year belongs to it
    table = realisaties(rows, chunks=7)
    line = opgaven([dt.date(2025, 7, 1), LAST])
    assert found(line, table) == [("bronnen/tvs-a.xlsx", "januari", "2026-01-31"),
                                  ("bronnen/tvs-b.csv", None, "2026-02-28"),
                                  ("bronnen/tvs-a.xlsx", "maart", "2026-03-31")]
    assert found(line, table) == oracle(line, table)
    assert found(line, realisaties(rows[:260])) == []  # nothing late: no melding
    assert found(opgaven([LAST]), table) == []  # one decision: a flat target without a half-year


dates = st.one_of(st.none(), st.dates(dt.date(2025, 6, 1), dt.date(2026, 8, 1)))
row = st.tuples(st.sampled_from([HOUSING, "oekraine", None]), st.sampled_from(["a.csv", "b.csv", "c.xlsx"]),
                st.sampled_from([None, "blad1", "blad2"]), dates)


@settings(max_examples=150, deadline=None)
@given(st.lists(row, max_size=40), st.integers(1, 4),
       st.sampled_from([[dt.date(2025, 7, 1), LAST], [dt.date(2025, 7, 3), LAST], [dt.date(2025, 1, 1), LAST],
                        [LAST], [dt.date(2025, 7, 1), dt.date(2026, 1, 2)]]))
def test_property_the_late_rows_alone_give_the_loops_meldingen(rows, chunks, days):
    table, line = realisaties(rows, chunks), opgaven(days)
    assert found(line, table) == oracle(line, table)
