"""The adapters' whole read of a file, this tree against another checkout, per source (issue 16, target 2).

    .venv/bin/python benchmarks/bench_perfile.py [DATASET] --before TREE [--rounds 5] [--every 2]

Two child processes, one per tree (``TREE/src`` and ``TREE/plugins/*/src`` first on ``PYTHONPATH`` for
"before"; this tree for "after"), each hold every ``--every``-th file of each source in ``DATASET``'s
manifest (default the 260-week national set) in memory and read each once before timing (the memos of a
weekly history warm, as in the command). Then, file by file, the parent asks both children in turn (the
order flipping from file to file) to read that file through its adapter (``CoaAdapter().read(Source(...))``
etc., with the manifest's peildatum where it states one) three times and to report the least CPU time
(``time.process_time``): the two sides of one comparison are milliseconds apart, so a neighbour's load
moves both. Unlike ``bench_adapters.py`` (the adapters of two trees on this tree's kit) this measures the
builder and the kit of each tree too: what the command pays per file after the parse is the difference.
Prints per source the medians over the rounds of the per-file mean of both sides and of the ratio after /
before.
"""

from __future__ import annotations

import argparse
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
    files = []
    for bron, bestand, peildatum in _entries(dataset, every):
        files.append((bron, (dataset / bestand).read_bytes(), bestand,
                      None if peildatum is None else dt.date.fromisoformat(peildatum)))

    def read(f):
        bron, raw, bestand, peildatum = f
        adapters[bron].read(Source(io.BytesIO(raw), bestand, peildatum=peildatum, division=division))

    for f in files:
        read(f)
    print("klaar", flush=True)
    for line in sys.stdin:
        f = files[int(line)]
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            read(f)
            best = min(best, time.process_time() - start)
        print(best * 1000, flush=True)


def _entries(dataset: Path, every: int) -> list[tuple[str, str, str | None]]:
    """``(bron, bestand, peildatum)`` of every ``every``-th file of each source in the manifest."""
    import tomllib

    manifest = tomllib.loads((dataset / "opvangkern.toml").read_text(encoding="utf-8"))
    seen = dict.fromkeys(SOURCES, 0)
    out = []
    for entry in manifest.get("bron", []):
        seen[entry["bron"]] += 1
        if (seen[entry["bron"]] - 1) % every:
            continue
        peildatum = entry.get("peildatum")
        out.append((entry["bron"], entry["bestand"], None if peildatum is None else str(peildatum)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken", type=Path)
    parser.add_argument("--before", required=True, help="a checkout (git archive) of the tree before")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--every", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.dataset, args.every)
        return
    before = Path(args.before)
    paths = {"before": [before / "src", *(before / "plugins" / s / "src" for s in SOURCES)],
             "after": [ROOT / "src", *(ROOT / "plugins" / s / "src" for s in SOURCES)]}
    children = {}
    for side in ("before", "after"):
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPATH"] = os.pathsep.join(map(str, paths[side]))
        children[side] = subprocess.Popen([sys.executable, __file__, str(args.dataset), "--before", str(before),
                                           "--child", "--every", str(args.every)], env=env, text=True,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for process in children.values():
        assert process.stdout.readline().strip() == "klaar"
    entries = _entries(args.dataset, args.every)

    def ask(side: str, i: int) -> float:
        process = children[side]
        process.stdin.write(f"{i}\n")
        process.stdin.flush()
        return float(process.stdout.readline())

    per_round: dict[str, dict[str, list[float]]] = {side: {s: [] for s in SOURCES} for side in children}
    ratios: dict[str, list[float]] = {s: [] for s in (*SOURCES, "all")}
    for r in range(args.rounds):
        spent = {side: dict.fromkeys(SOURCES, 0.0) for side in children}
        counted = dict.fromkeys(SOURCES, 0)
        for i, (bron, _, _) in enumerate(entries):
            for side in (("before", "after") if (i + r) % 2 == 0 else ("after", "before")):
                spent[side][bron] += ask(side, i)
            counted[bron] += 1
        for s in SOURCES:
            if counted[s]:
                for side in children:
                    per_round[side][s].append(spent[side][s] / counted[s])
                ratios[s].append(spent["after"][s] / spent["before"][s])
        ratios["all"].append(sum(spent["after"].values()) / sum(spent["before"].values()))
    for process in children.values():
        process.stdin.close()
        process.wait()
    print(f"{args.rounds} rounds, every {args.every}th file of each source of {args.dataset.name}; CPU ms per file "
          "(least of 3 reads; medians over the rounds)")
    print(f"{'source':8s}{'before':>9s}{'after':>9s}{'after/before':>14s}")
    for s in SOURCES:
        if not per_round["before"][s]:
            continue
        b, a = statistics.median(per_round["before"][s]), statistics.median(per_round["after"][s])
        print(f"{s:8s}{b:9.2f}{a:9.2f}{statistics.median(ratios[s]):14.3f}")
    print(f"{'all':8s}{'':18s}{statistics.median(ratios['all']):14.3f}  (CPU of all files, after / before)")


if __name__ == "__main__":
    main()
