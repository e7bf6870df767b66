"""The coverage check of a dashboard (SPEC §8, ``opvangkern.dashboard.coverage``): what it adds to a dashboard.

    .venv/bin/python benchmarks/bench_coverage.py [--snapshots N]

Generates the synthetic national dataset (``benchmarks/generate.py``, 342 municipalities, every task and
source) into a temporary folder, then times ``Dataset.dashboard("NL01")`` with and without the coverage
warnings, in interleaved rounds (median of 15 each), and prints the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshots", type=int, default=4)
    args = parser.parse_args()
    import opvangkern
    from opvangkern.dashboard import coverage

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "nl"
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), str(folder), "--snapshots",
                        str(args.snapshots)], check=True, capture_output=True)
        ds = opvangkern.open_dataset(folder)
        real = coverage.coverage_meldingen

        def once() -> float:
            start = time.perf_counter()
            ds.dashboard("NL01")
            return time.perf_counter() - start

        once()
        with_check, without = [], []
        try:
            for _ in range(15):
                coverage.coverage_meldingen = real
                with_check.append(once())
                coverage.coverage_meldingen = lambda *a, **k: []
                without.append(once())
        finally:
            coverage.coverage_meldingen = real
        w, wo = statistics.median(with_check), statistics.median(without)
        print(f"{ds.realisaties.num_rows} realisation rows; dashboard NL01: with coverage {w * 1000:.1f} ms, "
              f"without {wo * 1000:.1f} ms, ratio {w / wo:.3f}")


if __name__ == "__main__":
    main()
