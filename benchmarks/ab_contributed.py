"""Issue 16, targets 2 and 3: the TVS housing line, old against new in one process, interleaved.

    .venv/bin/python benchmarks/ab_contributed.py [DATASET] [--rounds N]

``old`` is the row-by-row code kept as the oracle (``merge_contributed_reference``, and the methods of
``TvsAdapterReference``, ``plugins/tvs/tests/tvs_reference.py``), ``new`` the code the library runs. Each round
loads DATASET (default: the 260-week national set of ``benchmarks/run.py --keep /tmp/bench_w/keep``) cold
(``cache=False``: every file read) and warm (every file served from a persistent cache in a temporary
folder, filled first), old and new in alternating order, and checks that both give the same tables and meldingen. Prints the medians and the
median of the per-round ratios new/old, and the seconds saved.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402

DEFAULT = Path("/tmp/bench_w/keep/nationaal-260-weken")


@contextlib.contextmanager
def old_code():
    """Within the block the dataset loader and the TVS adapter run the reference (row-by-row) code."""
    import opvangkern_tvs

    from opvangkern.dataset import contributed
    from opvangkern.testing import load_module

    reference = load_module(Path(__file__).resolve().parents[1] / "plugins" / "tvs" / "tests" / "tvs_reference.py",
                            "_tvs_reference").TvsAdapterReference

    saved = (contributed.merge_contributed, opvangkern_tvs.TvsAdapter._checks, opvangkern_tvs.TvsAdapter._line)
    contributed.merge_contributed = contributed.merge_contributed_reference
    opvangkern_tvs.TvsAdapter._checks = reference._checks
    opvangkern_tvs.TvsAdapter._line = reference._line
    try:
        yield
    finally:
        contributed.merge_contributed, opvangkern_tvs.TvsAdapter._checks, opvangkern_tvs.TvsAdapter._line = saved


def load(folder: Path, cache, old: bool):
    from opvangkern.dataset.load import load_dataset

    with old_code() if old else contextlib.nullcontext():
        start = time.perf_counter()
        ds = load_dataset(folder, cache=cache)
        return time.perf_counter() - start, ds


def same(a, b) -> bool:
    return (a.opgaven.equals(b.opgaven, check_metadata=True) and a.realisaties.equals(b.realisaties, check_metadata=True)
            and a.meldingen.equals(b.meldingen, check_metadata=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ab-contributed-") as tmp:
        cache = Path(tmp) / "cache"
        load(args.dataset, cache, old=False)  # fills the cache (and warms the imports)
        times: dict[str, list[float]] = {k: [] for k in ("cold old", "cold new", "warm old", "warm new")}
        for r in range(args.rounds):
            for mode, where in (("cold", False), ("warm", cache)):
                order = round_order((True, False), r)
                results = {}
                for old in order:
                    seconds, ds = load(args.dataset, where, old)
                    times[f"{mode} {'old' if old else 'new'}"].append(seconds)
                    results[old] = ds
                if not same(results[True], results[False]):
                    print(f"round {r} {mode}: old and new differ", file=sys.stderr)
                    return 1
        for mode in ("cold", "warm"):
            old, new = times[f"{mode} old"], times[f"{mode} new"]
            ratio = statistics.median(n / o for n, o in zip(new, old))
            saved = statistics.median(o - n for n, o in zip(new, old))
            print(f"{mode}: old {statistics.median(old):.2f} s, new {statistics.median(new):.2f} s, "
                  f"new/old {ratio:.3f} (median of {args.rounds} interleaved rounds), saved {saved:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
