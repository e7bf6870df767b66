"""``validate`` against ``validate_reference`` (the check as it was), in one process (issue 16, target 2).

    python benchmarks/bench_validate.py [DATASET] [--rounds 5] [--load-rounds 3]

``DATASET`` (default ``/tmp/bench_w/keep/nationaal-260-weken``, made with ``benchmarks/generate.py OUT
--weeks 260``). First one ``load_dataset(DATASET, cache=False)`` records every call of ``validate`` it makes
(the builder's, the dataset's, the quota reader's: the same table objects, the same arguments); both
functions' verdicts are compared on every call (they must be equal). Then, per round, the recorded calls
are made again with each function (memos emptied before each side, the order flipped every round), CPU
time summed per side. Then ``--load-rounds`` rounds of the whole ``load_dataset(DATASET, cache=False)``
with the new ``validate`` and with the reference in its place (in the builder, the quota reader and the
dataset), interleaved. Prints the medians of the per-round ratios new / old.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--load-rounds", type=int, default=3)
    args = parser.parse_args(argv)

    import opvangkern.reading.builder as builder
    import opvangkern.reading.quota as quota
    import opvangkern.validate as validate_module
    from opvangkern.dataset.load import load_dataset

    new, old = validate_module.validate, validate_module.validate_reference
    modules = (validate_module, builder, quota)
    folder = Path(args.dataset)

    calls = []

    def recording(table, schema, **context):
        calls.append((table, schema, context))
        return new(table, schema, **context)

    def use(function):
        for module in modules:
            module.validate = function

    def forget():
        for memo in (validate_module._VERDICTS, validate_module._PASSED, validate_module._CLEAN_AREAS):
            memo.clear()

    use(recording)
    load_dataset(folder, cache=False)
    use(new)
    forget()
    got = [new(t, s, **c) for t, s, c in calls]
    forget()
    want = [old(t, s, **c) for t, s, c in calls]
    assert got == want, "validate and validate_reference differ"
    print(f"{len(calls)} calls of validate, the same verdicts ({sum(1 for v in want if v.meldingen)} with meldingen)")

    ratios = []
    for r in range(args.rounds):
        spent = {}
        for side in round_order(("new", "old"), r):
            function = new if side == "new" else old
            forget()
            gc.collect()
            start = time.process_time()
            for t, s, c in calls:
                function(t, s, **c)
            spent[side] = time.process_time() - start
        ratios.append(spent["new"] / spent["old"])
        print(f"validate round {r}: old {spent['old']:.3f} s  new {spent['new']:.3f} s  ratio {ratios[-1]:.3f}",
              flush=True)
    print(f"validate: median ratio new/old {statistics.median(ratios):.3f}")

    ratios = []
    for r in range(args.load_rounds):
        spent = {}
        for side in round_order(("new", "old"), r):
            use(new if side == "new" else old)
            forget()
            gc.collect()
            start = time.process_time()
            load_dataset(folder, cache=False)
            spent[side] = time.process_time() - start
        use(new)
        ratios.append(spent["new"] / spent["old"])
        print(f"load_dataset round {r}: old {spent['old']:.2f} s  new {spent['new']:.2f} s  "
              f"ratio {ratios[-1]:.3f}", flush=True)
    if ratios:
        print(f"load_dataset: median ratio new/old {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
