"""The dashboard and the writing of its tables at five years of history, before and after (issue 16).

    .venv/bin/python benchmarks/bench_write.py --data DATASET [--before OTHER_SRC] [--rounds 9] [--csv-rounds 3]

Opens ``DATASET`` once (with the cache of parsed files, ``$OPVANGKERN_CACHE``) and times, in this one
process and interleaved round by round (A B, then B A, …), the national dashboard
(``Dataset.dashboard("NL01")``, memo warm) and the encoding of its ten tables as Parquet, Arrow IPC and
CSV (the bytes, without the disk); ``dash-first`` is the dashboard with its memo emptied first, as the
command computes it (once per process). With ``--before OTHER_SRC`` (the ``src`` folder of another checkout:
``git archive main | tar -x -C /tmp/main``) the "before" rounds swap in that tree's
``dashboard/verloop.py`` (its ``build_verloop``, ``build_prognose`` and ``prepare_history``),
``engine/history.py``'s ``as_of_sums`` and ``output/writers.py`` (loaded as modules of their own); the rest of the process is this tree's. Prints the medians and the median of the per-round
ratios (after / before), and checks that both give equal tables, equal CSV and Arrow bytes, and Parquet
files that read back to equal tables.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a national dataset (generate.py --weeks 260)")
    parser.add_argument("--gebied", default="NL01")
    parser.add_argument("--before", type=Path, help="the src folder of the tree to compare with")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--csv-rounds", type=int, default=3, help="rounds for CSV (the old writer takes seconds)")
    args = parser.parse_args(argv)

    import pyarrow.parquet as pq

    import opvangkern
    from opvangkern import engine
    from opvangkern.dashboard import verloop
    from opvangkern.output import writers

    import opvangkern.output
    from opvangkern.output import csv_fast

    variants = {"after": (verloop, engine.as_of_sums, writers)}
    csv_modules = {"after": csv_fast}
    if args.before:
        old = args.before / "opvangkern"
        old_history = _load("opvangkern.engine._history_before", old / "engine" / "history.py")
        old_verloop = _load("opvangkern.dashboard._verloop_before", old / "dashboard" / "verloop.py")
        old_writers = _load("opvangkern.output._writers_before", old / "output" / "writers.py")
        variants = {"before": (old_verloop, old_history.as_of_sums, old_writers), **variants}
        if (old / "output" / "csv_fast.py").is_file():  # each tree's column-wise CSV encoder (its writers import it)
            csv_modules["before"] = _load("opvangkern.output._csv_fast_before", old / "output" / "csv_fast.py")
    # The functions of dashboard/verloop.py that the dashboard calls through the module (the memo asks
    # ``prepare_history`` when first asked; ``history_tables`` calls the two builders).
    swapped = ("build_verloop", "build_prognose", "prepare_history")
    own = {name: getattr(verloop, name) for name in swapped}

    def use(name: str):
        module_verloop, as_of, module = variants[name]
        for function in swapped:
            setattr(verloop, function, own[function] if module_verloop is verloop
                    else getattr(module_verloop, function))
        engine.as_of_sums = as_of
        fast = csv_modules.get(name, csv_fast)
        sys.modules["opvangkern.output.csv_fast"] = fast
        opvangkern.output.csv_fast = fast
        # Each variant keeps its own memo (what one tree's prepare_history made is not the other's).
        object.__setattr__(dataset, "_dashboard_memo", memos.setdefault(name, {}))
        return module

    memos: dict[str, dict] = {}
    dataset = opvangkern.open_dataset(args.data, cache=True)
    named, hints = {}, {}
    for name in variants:
        use(name)
        dash = dataset.dashboard(args.gebied)
        named[name] = dash.tables()
        # The command hands the writer the dashboard's encoded columns where the tree has them (eighth session).
        hints[name] = dash.parquet_hints() if variants[name][2] is writers else {}
    if "before" in named:
        # Before the eighth session the dashboard handed on the dataset's own realisaties (one chunk per file),
        # which the writer combined; this tree's compute.py hands on one chunk: give "before" what it had.
        kept = named["before"]["realisaties"]
        named["before"]["realisaties"] = dataset.realisaties.replace_schema_metadata(kept.schema.metadata)
    use("after")
    tables = named["after"]
    rows = {name: table.num_rows for name, table in tables.items()}
    print(f"{args.data}: dashboard({args.gebied}), verloop {rows['verloop']:,} rows, realisaties "
          f"{rows['realisaties']:,} rows")
    if args.before:
        for name, table in tables.items():
            assert named["before"][name].equals(table, check_metadata=True), f"{name} differs"
        print("tables: equal (with metadata)")

    def dashboard_once(name: str) -> None:
        use(name)
        dataset.dashboard(args.gebied)

    def dashboard_first(name: str) -> None:
        # As the command makes it: once, with the area-independent work (dashboard/memo.py) still to do.
        use(name)
        dataset._dashboard_memo.clear()
        dataset.dashboard(args.gebied)

    def encoder(fmt: str):
        # Each tree encodes its own dashboard's tables (one chunk or 1,040), as its command would.
        def encode(name: str) -> int:
            module = use(name)
            given = hints[name] if fmt == "parquet" else {}
            return sum(len(module.ENCODERS[fmt](table, given[t]) if t in given else module.ENCODERS[fmt](table))
                       for t, table in named[name].items())
        return encode

    parts = [("dash-first", dashboard_first, args.rounds), ("dashboard", dashboard_once, args.rounds), ("parquet", encoder("parquet"), args.rounds),
             ("arrow", encoder("arrow"), args.rounds), ("csv", encoder("csv"), args.csv_rounds)]
    sizes: dict[tuple[str, str], int] = {}
    for label, run, rounds in parts:
        times: dict[str, list[float]] = {name: [] for name in variants}
        for r in range(rounds):
            for name in round_order(list(variants), r):
                start = time.perf_counter()
                size = run(name)
                times[name].append(time.perf_counter() - start)
                if size is not None:
                    sizes[(label, name)] = size
        line = f"{label:10s}" + "".join(f"  {name} {statistics.median(v) * 1000:8.1f} ms" for name, v in times.items())
        if args.before:
            ratio = statistics.median(a / b for a, b in zip(times["after"], times["before"]))
            line += f"  after/before {ratio:.3f}"
        if (label, "after") in sizes:
            line += "  bytes" + "".join(f" {name} {sizes[(label, name)]:,}" for name in variants)
        print(line, flush=True)
    use("after")
    if args.before:
        old_writers = variants["before"][2]
        for name, table in tables.items():
            use("before")
            old_csv = old_writers.csv_bytes(table)
            use("after")
            assert old_csv == writers.csv_bytes(table), f"{name}.csv differs"
            if name in hints["after"]:
                assert writers.parquet_bytes(table, hints["after"][name]) == old_writers.parquet_bytes(
                    named["before"][name]), f"{name}.parquet differs"
            assert old_writers.arrow_bytes(table) == writers.arrow_bytes(table), f"{name}.arrow differs"
            for module in (old_writers, writers):
                back = pq.read_table(io.BytesIO(module.parquet_bytes(table)))
                assert back.equals(table, check_metadata=True), f"{name}.parquet reads back other content"
        print("csv and arrow: the same bytes; parquet: both read back to the same tables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
