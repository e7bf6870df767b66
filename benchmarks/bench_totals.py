"""The per-file checks after reading (issue 16, target 2) against their old code, in one process.

    python benchmarks/bench_totals.py [DATASET] [--rounds 5] [--load-rounds 3] [--files N]

``DATASET`` (default ``/tmp/bench_w/keep/nationaal-260-weken``, made with ``benchmarks/generate.py OUT
--weeks 260``): every ``[[bron]]`` file of its manifest, read into memory once. The checks a file gets after
its adapter has read it are ``SheetTable.check_totals`` and ``row_counts`` (in the builder's ``result()``),
``validate`` (in ``result()``, and again in the dataset's ``_checked``) and ``tables.from_columns``. Their old
code is kept as the oracle: ``SheetTable._check_totals_reference``, ``SheetTable._row_counts_reference`` and
``from_columns`` converting every list with ``pa.array`` and casting every array (``validate`` is unchanged:
measured, its kernels beat Python sets from 342 rows on); ``reference()`` below puts it in place. Before timing, every file's two results are compared (tables, meldingen, peildatum, stats, and the
dataset's checked table and meldingen).

Per round, interleaved file by file (the order flips with every file), each file is read by its adapter
with the new code and with the old, and the dataset's check is run on the result; the CPU time
(``time.process_time``) is summed per side for (a) the builder's ``result()`` plus the dataset's check, the
code this changes, and (b) the whole read plus check. Then ``--load-rounds`` rounds of
``load_dataset(DATASET, cache=False)``, new and old interleaved. Prints the medians of the per-round ratios
new / old.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402


_TIMED: list[bool] = []
"""Non-empty once ``main`` has put its timers in place (they take the old or new code by the side)."""


@contextlib.contextmanager
def reference():
    """The old per-file checks in place of the new ones (the oracle)."""
    from opvangkern import tables
    from opvangkern.reading.table import SheetTable

    saved = SheetTable.check_totals, SheetTable.row_counts, tables._typed
    if not _TIMED:
        SheetTable.check_totals = SheetTable._check_totals_reference
        SheetTable.row_counts = SheetTable._row_counts_reference
    tables._typed = lambda values, type_: values.cast(type_)  # from_columns as it was
    try:
        yield
    finally:
        SheetTable.check_totals, SheetTable.row_counts, tables._typed = saved


@contextlib.contextmanager
def current():
    yield


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--load-rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=None, help="only the first N files of the manifest")
    parser.add_argument("--bron", default=None, help="only this source's files")
    args = parser.parse_args()

    from opvangkern.areas import load_division
    from opvangkern.dataset import load
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.reading.builder import RealisatieBuilder
    from opvangkern.sources.adapter import Source
    from opvangkern.sources.manager import new_plugin_manager

    folder = Path(args.dataset)
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), "bench")
    division = load_division()
    adapters = {a.name: a for found in new_plugin_manager().hook.opvangkern_source_adapters() for a in found}
    entries = [e for e in manifest.bronnen if args.bron in (None, e.bron)][: args.files]
    files = [(e, (folder / e.bestand).read_bytes()) for e in entries]
    clock = time.process_time
    spent = {"nieuw": 0.0, "oud": 0.0}
    original_result = RealisatieBuilder.result
    side = ["nieuw"]

    def timed_result(self):
        start = clock()
        try:
            return original_result(self)
        finally:
            spent[side[0]] += clock() - start

    RealisatieBuilder.result = timed_result
    from opvangkern import tables as tables_module
    from opvangkern.reading.table import SheetTable

    parts: dict[str, dict[str, float]] = {"nieuw": {}, "oud": {}}

    def part(name, get, put):
        def timed(*args, **kwargs):
            inner = get()
            start = clock()
            try:
                return inner(*args, **kwargs)
            finally:
                spent_part = parts[side[0]]
                spent_part[name] = spent_part.get(name, 0.0) + clock() - start
        return timed

    # each of the changed functions timed on its own (the wrapper looks up the function in place, new or old)
    new_check, old_check = SheetTable.check_totals, SheetTable._check_totals_reference
    new_counts, old_counts = SheetTable.row_counts, SheetTable._row_counts_reference
    SheetTable.check_totals = part("check_totals", lambda: new_check if side[0] == "nieuw" else old_check, None)
    SheetTable.row_counts = part("row_counts", lambda: new_counts if side[0] == "nieuw" else old_counts, None)
    original_from_columns = tables_module.from_columns
    import opvangkern.reading.builder as builder_module
    builder_module.from_columns = part("from_columns", lambda: original_from_columns, None)
    import opvangkern.validate as validate_module
    original_validate, original_large = validate_module.validate, builder_module.too_large_ints
    builder_module.validate = part("validate (builder)", lambda: original_validate, None)
    validate_module.validate = part("validate (dataset)", lambda: original_validate, None)
    builder_module.too_large_ints = part("too_large_ints", lambda: original_large, None)
    original_stats = RealisatieBuilder.stats
    RealisatieBuilder.stats = part("stats", lambda: original_stats, None)

    def read(entry, data):
        source = Source(io.BytesIO(data), entry.bestand, blad=entry.blad, peildatum=entry.peildatum, maat=entry.maat,
                        division=division, kolommen=dict(entry.kolommen), waarden=dict(entry.waarden))
        adapter = adapters[entry.bron]
        result = adapter.read(source)
        meldingen = list(result.meldingen)
        start = clock()
        table, points = load._checked(result, adapter, entry, division, meldingen)
        spent[side[0]] += clock() - start
        return result, table, points, meldingen

    def same(a, b) -> bool:
        (ra, ta, pa_, ma), (rb, tb, pb, mb) = a, b
        return (ra.realisaties.equals(rb.realisaties, check_metadata=True) and list(ra.meldingen) == list(rb.meldingen)
                and ra.peildatum == rb.peildatum and ra.stats == rb.stats and ta.equals(tb, check_metadata=True)
                and ma == mb and (pa_ is None) == (pb is None) and (pa_ is None or pa_.equals(pb, check_metadata=True)))

    modes = [("nieuw", current), ("oud", reference)]
    for entry, data in files:  # warm-up, and the proof that the timed code gives the same results
        with reference():
            old = read(entry, data)
        if not same(read(entry, data), old):
            raise SystemExit(f"{entry.bestand}: the new checks and the oracle differ")
    rows = sum(read(e, d)[1].num_rows for e, d in files)
    print(f"{len(files)} files, {rows} rows; every file's result equal to the oracle's")

    _TIMED.append(True)
    checks: dict[str, list[float]] = {"nieuw": [], "oud": []}
    by_part: dict[str, dict[str, list[float]]] = {}
    whole: dict[str, list[float]] = {"nieuw": [], "oud": []}
    for r in range(args.rounds):
        for k in spent:
            spent[k] = 0.0
            parts[k] = {}
        total = {"nieuw": 0.0, "oud": 0.0}
        gc.collect()
        for i, (entry, data) in enumerate(files):
            for label, mode in round_order(modes, i + r):
                side[0] = label
                with mode():
                    start = clock()
                    read(entry, data)
                    total[label] += clock() - start
        for label in checks:
            checks[label].append(spent[label])
            whole[label].append(total[label])
            for name, seconds in parts[label].items():
                by_part.setdefault(name, {"nieuw": [], "oud": []})[label].append(seconds)
        print(f"round {r + 1}: checks {spent['nieuw']:.3f} / {spent['oud']:.3f} s = {spent['nieuw'] / spent['oud']:.3f}; "
              f"read + checks {total['nieuw']:.3f} / {total['oud']:.3f} s = {total['nieuw'] / total['oud']:.3f}",
              flush=True)

    def ratio(d):
        return statistics.median(a / b for a, b in zip(d["nieuw"], d["oud"]))

    print(f"checks (result() + the dataset's _checked), CPU: new {statistics.median(checks['nieuw']):.3f} s, "
          f"old {statistics.median(checks['oud']):.3f} s, ratio {ratio(checks):.3f}")
    for name, d in by_part.items():
        print(f"{name}, CPU: new {statistics.median(d['nieuw']):.3f} s, old {statistics.median(d['oud']):.3f} s, "
              f"ratio {ratio(d):.3f}")
    print(f"read + checks, CPU: new {statistics.median(whole['nieuw']):.3f} s, old {statistics.median(whole['oud']):.3f} s, "
          f"ratio {ratio(whole):.3f}")

    RealisatieBuilder.result = original_result
    SheetTable.check_totals, SheetTable.row_counts = new_check, new_counts
    builder_module.from_columns = original_from_columns
    builder_module.validate = validate_module.validate = original_validate
    builder_module.too_large_ints, RealisatieBuilder.stats = original_large, original_stats
    _TIMED.clear()
    if args.load_rounds:
        loads: dict[str, list[float]] = {"nieuw": [], "oud": []}
        for r in range(args.load_rounds):
            gc.collect()
            for label, mode in round_order(modes, r):
                with mode():
                    start = clock()
                    load.load_dataset(folder, cache=False)
                    loads[label].append(clock() - start)
            print(f"load round {r + 1}: {loads['nieuw'][-1]:.3f} / {loads['oud'][-1]:.3f} s = "
                  f"{loads['nieuw'][-1] / loads['oud'][-1]:.3f}", flush=True)
        print(f"load_dataset(cache=False), CPU: new {statistics.median(loads['nieuw']):.3f} s, "
              f"old {statistics.median(loads['oud']):.3f} s, ratio {ratio(loads):.3f}")


if __name__ == "__main__":
    main()
