"""The adapters' reads of a few files, repeated, for an instruction count under valgrind (issue 16, target 2).

    valgrind --tool=callgrind .venv/bin/python benchmarks/ir_perfile.py coa,kcio,tvs,nidos 10 1
    valgrind --tool=callgrind .venv/bin/python benchmarks/ir_perfile.py coa,kcio,tvs,nidos 10 3

Reads the first N files of each named source of the 260-week national set (``--data`` to change it) through
its adapter PASSES times (TVS with the peildatum of its file name, as the manifest states it). On a shared
machine wall and CPU time move by tens of per cent with the neighbours' load; the instruction count does not.
The per-file figure of a tree is (instructions at 3 passes - instructions at 1 pass) / (2 x files): the
imports, the first pass and the process cancel. Put the other tree's ``src`` and ``plugins/*/src`` first on
``PYTHONPATH`` for "before".
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    data = "/tmp/bench_w/keep/nationaal-260-weken"
    if "--data" in argv:
        at = argv.index("--data")
        data = argv[at + 1]
        del argv[at:at + 2]
    sources, n, passes = argv[0].split(","), int(argv[1]), int(argv[2])

    from opvangkern.areas import load_division
    from opvangkern.sources.adapter import Source
    import opvangkern_coa
    import opvangkern_kcio
    import opvangkern_nidos
    import opvangkern_tvs

    division = load_division()
    adapters = {"coa": opvangkern_coa.CoaAdapter(), "kcio": opvangkern_kcio.KcioAdapter(),
                "tvs": opvangkern_tvs.TvsAdapter(), "nidos": opvangkern_nidos.NidosAdapter()}
    files = []
    for source in sources:
        for path in sorted(glob.glob(f"{data}/bronnen/{source}-*.csv"))[:n]:
            name = Path(path).name
            peildatum = dt.date.fromisoformat(name[len(source) + 1:-4]) if source == "tvs" else None
            files.append((source, Path(path).read_bytes(), "bronnen/" + name, peildatum))
    for _ in range(passes):
        for source, raw, bestand, peildatum in files:
            adapters[source].read(Source(io.BytesIO(raw), bestand, division=division, peildatum=peildatum))


if __name__ == "__main__":
    main(sys.argv[1:])
