"""The COA and TVS adapters against another tree's copy of them (issue 16), in one process.

    python benchmarks/bench_loops.py --before TREE [DATASET] [--rounds 7] [--files N] [--only coa,tvs]

``TREE`` is another checkout (``git worktree add --detach /tmp/main main``): its ``plugins/coa`` and
``plugins/tvs`` adapters are loaded under other names beside this tree's, both on this tree's kit, so that
what is timed is the adapters' own code. ``DATASET`` (default ``/tmp/bench_w/keep/nationaal-260-weken``,
made with ``benchmarks/generate.py OUT --weeks 260``): the ``coa-*.csv`` and ``tvs-*.csv`` files of its
``bronnen`` folder, read into memory once. Before timing, every file's two results are compared (tables,
contributed ``opgaven``, meldingen, peildatum, stats). Per round, interleaved file by file (the order flips
with every file), each file is read by both; printed per source: the medians of the CPU time
(``time.process_time``) of all its files and of the per-round ratio new / old, for the whole ``read``
("read") and for the adapter's own work ("own": ``read`` without the builder's ``read_table`` and
``result``, and with the table's columns parsed beforehand, so what the adapter's loops cost on their own).
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order, same_result  # noqa: E402

from opvangkern.testing import load_module  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = {"coa": ("opvangkern_coa", "CoaAdapter"), "tvs": ("opvangkern_tvs", "TvsAdapter")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--before", required=True, help="the other tree (its plugins/coa and plugins/tvs)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--files", type=int, default=None, help="only the first N files of each source")
    parser.add_argument("--only", default="coa,tvs")
    args = parser.parse_args()

    import importlib

    from opvangkern.areas import load_division
    from opvangkern.sources.adapter import Source

    division = load_division()
    bronnen = Path(args.dataset) / "bronnen"
    _time_the_kit()
    for bron in args.only.split(","):
        package, cls = ADAPTERS[bron]
        new = getattr(importlib.import_module(package), cls)()
        old_module = load_module(Path(args.before) / "plugins" / bron / "src" / package / "__init__.py", f"_before_{package}")
        old = getattr(old_module, cls)()
        files = [(p.name, p.read_bytes()) for p in sorted(bronnen.glob(f"{bron}-*.csv"))][: args.files]
        for name, data in files:  # warm-up, and the proof that the timed code gives the same results
            a = new.read(Source(io.BytesIO(data), name, division=division))
            b = old.read(Source(io.BytesIO(data), name, division=division))
            if not same_result(a, b):
                raise SystemExit(f"{bron}: {name}: this tree and the other differ")
        rows = sum(new.read(Source(io.BytesIO(d), n, division=division)).realisaties.num_rows for n, d in files)
        times: dict[str, list[float]] = {"nieuw": [], "oud": [], "nieuw eigen": [], "oud eigen": []}
        clock = time.process_time
        for r in range(args.rounds):
            spent = dict.fromkeys(times, 0.0)
            gc.collect()
            for i, (name, data) in enumerate(files):  # interleaved per file, the order flipping every file
                for label, adapter in round_order([("nieuw", new), ("oud", old)], i + r):
                    source = Source(io.BytesIO(data), name, division=division)
                    kit_time[0] = 0.0
                    start = clock()
                    adapter.read(source)
                    whole = clock() - start
                    spent[label] += whole
                    spent[label + " eigen"] += whole - kit_time[0]
            for label, seconds in spent.items():
                times[label].append(seconds)
        for what, suffix in (("read", ""), ("own", " eigen")):
            ratios = [n / o for n, o in zip(times["nieuw" + suffix], times["oud" + suffix])]
            print(f"{bron} {what}: {len(files)} files, {rows} rows; CPU median old "
                  f"{statistics.median(times['oud' + suffix]):.3f} s, new {statistics.median(times['nieuw' + suffix]):.3f} s; "
                  f"new/old median {statistics.median(ratios):.3f} (rounds: {', '.join(f'{x:.3f}' for x in ratios)})",
                  flush=True)


kit_time = [0.0]
"""CPU time spent in the builder's ``read_table`` and ``result`` during the current ``read``."""


def _time_the_kit() -> None:
    """Count the builder's ``read_table`` (with every column of the table parsed at once) and ``result`` in
    ``kit_time``: what is left of a ``read`` is the adapter's own work."""
    from opvangkern.reading.builder import RealisatieBuilder

    read_table, result = RealisatieBuilder.read_table, RealisatieBuilder.result

    def timed_read_table(self, *args, **kw):
        start = time.process_time()
        table = read_table(self, *args, **kw)
        if table is not None and table._fast_cells is not None:
            for key in table.header.positions:
                table._fast_text_column(key)
                spec = table._specs.get(key) or table._spec(key)
                if spec[1] is not None:
                    table._fast_value_column(key)
        kit_time[0] += time.process_time() - start
        return table

    def timed_result(self):
        start = time.process_time()
        out = result(self)
        kit_time[0] += time.process_time() - start
        return out

    RealisatieBuilder.read_table, RealisatieBuilder.result = timed_read_table, timed_result


if __name__ == "__main__":
    main()
