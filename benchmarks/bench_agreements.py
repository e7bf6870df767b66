"""Agreements (afspraken) on target lines: the vectorised engine against the pure-Python reference.

    .venv/bin/python benchmarks/bench_agreements.py

Synthetic lines (every line 10 points, 30 days apart; amounts 0–999) and random valid agreements
(a tenth of the receivers without a line of their own). Prints the time of
``engine.apply_agreements`` and, for the small case, of ``engine.reference_agreements.apply_agreements``
on the same input (checked equal), with the ratio. One run each; medians of 5 for the vectorised engine.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import numpy as np
import pyarrow as pa

from opvangkern import engine
from opvangkern.engine.reference_agreements import apply_agreements as reference


def case(n_lines: int, n_points: int, n_agreements: int):
    rng = np.random.default_rng(1)
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(n_points)]
    amounts = rng.integers(0, 1000, n_lines * n_points).astype(float)
    lines = engine.build_lines(pa.array(np.repeat(np.arange(n_lines), n_points)), pa.array(dates * n_lines, pa.date32()),
                               pa.array(amounts))
    van = rng.integers(0, n_lines, n_agreements)
    naar = rng.integers(0, n_lines + n_lines // 10, n_agreements)
    day = [dates[i] for i in rng.integers(0, n_points, n_agreements)]
    aantal = rng.integers(1, 100, n_agreements).astype(float)
    return lines, dates, amounts, van, naar, day, aantal


def main() -> None:
    for n_lines, n_points, n_agreements, with_reference in ((1_710, 10, 1_000, True), (100_000, 10, 100_000, False)):
        lines, dates, amounts, van, naar, day, aantal = case(n_lines, n_points, n_agreements)
        columns = (pa.array(van), pa.array(naar), pa.array(day, pa.date32()), pa.array(aantal))
        times = []
        for _ in range(5):
            start = time.perf_counter()
            out = engine.apply_agreements(lines, *columns)
            times.append(time.perf_counter() - start)
        vectorised = statistics.median(times)
        text = (f"{n_lines} lines × {n_points} points, {n_agreements} agreements: vectorised "
                f"{vectorised * 1000:.1f} ms")
        if with_reference:
            points = {i: list(zip(dates, amounts[i * n_points:(i + 1) * n_points])) for i in range(n_lines)}
            start = time.perf_counter()
            expected = reference(points, list(zip(van.tolist(), naar.tolist(), day, aantal.tolist())))
            oracle = time.perf_counter() - start
            got: dict = {}
            for row in out.to_table().to_pylist():
                got.setdefault(row["line_id"], []).append((row["datum"], row["aantal"]))
            assert got == expected, "the vectorised engine differs from the reference"
            text += f", reference {oracle * 1000:.0f} ms (the vectorised engine {oracle / vectorised:.0f}× faster)"
        print(text)


if __name__ == "__main__":
    main()
