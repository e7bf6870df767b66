"""The COA, KCIO and Nidos adapters against their old row-by-row code (issue 16), in one process.

    python benchmarks/bench_adapters.py [DATASET] [--rounds 5] [--files N] [--before TREE] [--only SOURCE]

``DATASET`` (default ``/tmp/bench_w/keep/nationaal-260-weken``, made with ``benchmarks/generate.py OUT
--weeks 260``): the ``coa-*.csv`` and ``kcio-*.csv`` files of its ``bronnen`` folder, read into memory once.
Per round, interleaved file by file (the order flips with every file), each source's files are read by the adapter
(``CoaAdapter``, ``KcioAdapter``, ``NidosAdapter``) and by the oracle, the old code kept in the plugin's tests
(``plugins/coa/tests/coa_reference.py``, ``plugins/kcio/tests/kcio_reference.py``,
``plugins/nidos/tests/nidos_reference.py``), with the same division; with ``--before TREE`` the "old" side
is instead the adapters' modules of another checkout (``TREE/plugins/*/src``, loaded by path, on this tree's
kit: what the adapters' own change is worth); before timing, every file's two results are compared (tables, meldingen, peildatum, stats).
Prints per source the medians of CPU time (``time.process_time``) and of the per-round ratio new / old.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--files", type=int, default=None, help="only the first N files of each source")
    parser.add_argument("--before", default=None, help="a checkout whose adapters are the old side")
    parser.add_argument("--only", action="append", default=None, help="coa, kcio or nidos (repeatable)")
    args = parser.parse_args()

    from opvangkern.areas import load_division
    from opvangkern.sources.adapter import Source
    from opvangkern_coa import CoaAdapter
    from opvangkern_kcio import KcioAdapter
    from opvangkern_nidos import NidosAdapter

    if args.before:
        tree = Path(args.before)
        coa_old = load_module(tree / "plugins/coa/src/opvangkern_coa/__init__.py", "_bench_coa_before").CoaAdapter()
        kcio_old = load_module(tree / "plugins/kcio/src/opvangkern_kcio/__init__.py", "_bench_kcio_before").KcioAdapter()
        nidos_old = load_module(tree / "plugins/nidos/src/opvangkern_nidos/__init__.py", "_bench_nidos_before").NidosAdapter()
    else:
        coa_old = load_module(ROOT / "plugins" / "coa" / "tests" / "coa_reference.py",
                        "_bench_coa_reference").ReferenceCoaAdapter()
        kcio_old = load_module(ROOT / "plugins" / "kcio" / "tests" / "kcio_reference.py",
                         "_bench_kcio_reference").ReferenceKcioAdapter()
        nidos_old = load_module(ROOT / "plugins" / "nidos" / "tests" / "nidos_reference.py",
                          "_bench_nidos_reference").ReferenceNidosAdapter()
    pairs = {"coa": (CoaAdapter(), coa_old), "kcio": (KcioAdapter(), kcio_old), "nidos": (NidosAdapter(), nidos_old)}
    if args.only:
        pairs = {k: v for k, v in pairs.items() if k in args.only}
    division = load_division()
    bronnen = Path(args.dataset) / "bronnen"

    for bron, (new, old) in pairs.items():
        files = [(p.name, p.read_bytes()) for p in sorted(bronnen.glob(f"{bron}-*.csv"))][: args.files]
        for name, data in files:  # warm-up, and the proof that the timed code gives the same results
            a = new.read(Source(io.BytesIO(data), name, division=division))
            b = old.read(Source(io.BytesIO(data), name, division=division))
            if not same_result(a, b):
                raise SystemExit(f"{bron}: {name}: the adapter and the oracle differ")
        rows = sum(new.read(Source(io.BytesIO(d), n, division=division)).realisaties.num_rows for n, d in files)
        times: dict[str, list[float]] = {"nieuw": [], "oud": []}
        clock = time.process_time
        for r in range(args.rounds):
            spent = {"nieuw": 0.0, "oud": 0.0}
            gc.collect()
            for i, (name, data) in enumerate(files):  # interleaved per file, the order flipping every file
                order = round_order([("nieuw", new), ("oud", old)], i + r)
                for label, adapter in order:
                    source = Source(io.BytesIO(data), name, division=division)
                    start = clock()
                    adapter.read(source)
                    spent[label] += clock() - start
            for label, seconds in spent.items():
                times[label].append(seconds)
        ratios = [n / o for n, o in zip(times["nieuw"], times["oud"])]
        print(f"{bron}: {len(files)} files, {rows} rows; CPU median old {statistics.median(times['oud']):.3f} s, "
              f"new {statistics.median(times['nieuw']):.3f} s; new/old median {statistics.median(ratios):.3f} "
              f"(rounds: {', '.join(f'{x:.3f}' for x in ratios)})")


if __name__ == "__main__":
    main()
