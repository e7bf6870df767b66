"""The adapters' whole read of a file, this tree against another checkout, per source (issue 16, target 2).

    .venv/bin/python benchmarks/bench_perfile.py [DATASET] --before TREE [--rounds 7] [--every 2]

Each round runs two child processes, one per tree (``TREE/src`` and ``TREE/plugins/*/src`` first on
``PYTHONPATH`` for "before"; this tree for "after"; the order flips every round). A child reads every
``--every``-th file of each source in ``DATASET``'s manifest (default the 260-week national set) into memory, reads each
once through its adapter (``CoaAdapter().read(Source(...))`` etc., with the manifest's peildatum where it
states one: the memos of a weekly history are warm, as in the command), then once more timed, and reports
the CPU time (``time.process_time``) per file per source. Unlike ``bench_adapters.py`` (the adapters of two
trees on this tree's kit) this measures the builder and the kit of each tree too: what the command pays per
file after the parse. Prints per source the medians of both sides and of the per-round ratio after / before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("coa", "kcio", "tvs", "nidos")


def child(dataset: Path, every: int) -> None:
    import datetime as dt
    import io
    import time
    import tomllib

    from opvangkern.areas import load_division
    from opvangkern.sources.adapter import Source
    import opvangkern_coa
    import opvangkern_kcio
    import opvangkern_nidos
    import opvangkern_tvs

    adapters = {"coa": opvangkern_coa.CoaAdapter(), "kcio": opvangkern_kcio.KcioAdapter(),
                "tvs": opvangkern_tvs.TvsAdapter(), "nidos": opvangkern_nidos.NidosAdapter()}
    division = load_division()
    manifest = tomllib.loads((dataset / "opvangkern.toml").read_text(encoding="utf-8"))
    files = []
    seen = dict.fromkeys(SOURCES, 0)
    for entry in manifest.get("bron", []):
        seen[entry["bron"]] += 1
        if (seen[entry["bron"]] - 1) % every:
            continue  # every ``every``-th file of each source
        peildatum = entry.get("peildatum")
        if isinstance(peildatum, str):
            peildatum = dt.date.fromisoformat(peildatum)
        files.append((entry["bron"], (dataset / entry["bestand"]).read_bytes(), entry["bestand"], peildatum))

    def read(f):
        bron, raw, bestand, peildatum = f
        adapters[bron].read(Source(io.BytesIO(raw), bestand, peildatum=peildatum, division=division))

    for f in files:
        read(f)
    spent = dict.fromkeys(SOURCES, 0.0)
    counted = dict.fromkeys(SOURCES, 0)
    for f in files:
        start = time.process_time()
        read(f)
        spent[f[0]] += time.process_time() - start
        counted[f[0]] += 1
    print(json.dumps({s: spent[s] / counted[s] * 1000 for s in SOURCES if counted[s]}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken", type=Path)
    parser.add_argument("--before", required=True, help="a checkout (git archive) of the tree before")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--every", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.dataset, args.every)
        return
    before = Path(args.before)
    paths = {"before": [before / "src", *(before / "plugins" / s / "src" for s in SOURCES)],
             "after": [ROOT / "src", *(ROOT / "plugins" / s / "src" for s in SOURCES)]}
    results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for r in range(args.rounds):
        for side in (("before", "after") if r % 2 == 0 else ("after", "before")):
            env = dict(os.environ)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPATH"] = os.pathsep.join(map(str, paths[side]))
            out = subprocess.run([sys.executable, __file__, str(args.dataset), "--before", str(before), "--child",
                                  "--every", str(args.every)], env=env, check=True, capture_output=True,
                                 text=True).stdout
            results[side].append(json.loads(out.strip().splitlines()[-1]))
    print(f"{args.rounds} rounds, every {args.every}th file of {args.dataset.name}; CPU ms per file (medians)")
    print(f"{'source':8s}{'before':>9s}{'after':>9s}{'after/before':>14s}")
    for s in SOURCES:
        if s not in results["before"][0]:
            continue
        b = statistics.median(x[s] for x in results["before"])
        a = statistics.median(x[s] for x in results["after"])
        ratio = statistics.median(y[s] / x[s] for x, y in zip(results["before"], results["after"]))
        print(f"{s:8s}{b:9.2f}{a:9.2f}{ratio:14.3f}")
    b = statistics.median(sum(x.values()) for x in results["before"])
    a = statistics.median(sum(x.values()) for x in results["after"])
    ratio = statistics.median(sum(y.values()) / sum(x.values()) for x, y in zip(results["before"], results["after"]))
    print(f"{'sum':8s}{b:9.2f}{a:9.2f}{ratio:14.3f}")


if __name__ == "__main__":
    main()
