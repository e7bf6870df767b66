"""The per-file read of a regular CSV, this tree against another, in one process (issue 16, target 2).

    .venv/bin/python benchmarks/bench_csv_read.py --before TREE [DATASET] [--every 4] [--rounds 3]

``TREE`` is a checkout of another commit (``git archive main | tar -x -C /tmp/main``). Its ``src/opvangkern``
and ``plugins/*/src/opvangkern_*`` are copied to a temporary folder with the package renamed ``opvbase``
(every ``opvangkern`` in the copied text files), so that both trees are imported side by side into one
process. It first asserts that both give the same ``realisaties`` and meldingen on every file (a melding
text with the package's name put back); then, per file in each round, ``SheetTable.read`` (with the
arguments each adapter passes) and the whole adapter read are timed with each tree in turn, the order
swapped from file to file, in CPU time (``time.process_time``). Prints the ratio this tree / ``TREE`` per
source and in all, with the spread of the per-round ratios. Default data: the 260-week national set.
"""
import argparse, collections, glob, io, shutil, sys, tempfile, time
from pathlib import Path


def renamed_copy(tree: Path, into: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(tree / "src" / "opvangkern", into / "opvbase", ignore=skip)
    for plugin in sorted((tree / "plugins").glob("*/src/opvangkern_*")):
        shutil.copytree(plugin, into / plugin.name.replace("opvangkern", "opvbase"), ignore=skip)
    for path in into.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".toml", ".json", ".txt", ".cfg", ".md", ".csv"):
            text = path.read_text(encoding="utf-8")
            if "opvangkern" in text:
                path.write_text(text.replace("opvangkern", "opvbase"), encoding="utf-8")


parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
parser.add_argument("--before", type=Path, required=True, help="a checkout of another commit")
parser.add_argument("--every", type=int, default=4, help="read every n-th file (default 4)")
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()
alias = Path(tempfile.mkdtemp(prefix="bench_csv_read_"))
renamed_copy(args.before.resolve(), alias)
sys.path.insert(0, str(alias))
folder, every, rounds = args.dataset, args.every, args.rounds
import opvangkern, opvbase
from opvangkern.areas import load_division as ld_new
from opvbase.areas import load_division as ld_base
from opvangkern.sources.adapter import Source as SrcNew
from opvbase.sources.adapter import Source as SrcBase
from opvangkern.reading import table as Tn
from opvbase.reading import table as Tb
import opvangkern_coa, opvangkern_kcio, opvangkern_tvs, opvangkern_nidos
import opvbase_coa, opvbase_kcio, opvbase_tvs, opvbase_nidos
new = dict(div=ld_new(), Source=SrcNew, T=Tn, ad={"coa": opvangkern_coa.CoaAdapter(), "kcio": opvangkern_kcio.KcioAdapter(),
           "tvs": opvangkern_tvs.TvsAdapter(), "nidos": opvangkern_nidos.NidosAdapter()})
base = dict(div=ld_base(), Source=SrcBase, T=Tb, ad={"coa": opvbase_coa.CoaAdapter(), "kcio": opvbase_kcio.KcioAdapter(),
            "tvs": opvbase_tvs.TvsAdapter(), "nidos": opvbase_nidos.NidosAdapter()})
files = sorted(glob.glob(folder + "/bronnen/*.csv"))[::every]
datas = [(open(f, "rb").read(), f.rsplit("/", 1)[-1]) for f in files]
for tree in (new, base):  # the SheetTable.read calls each adapter makes
    T = tree["T"]; calls = []; orig = T.SheetTable.read.__func__
    def spy(cls, data, bestand, layouts, _c=calls, _o=orig, **kw):
        _c.append((data.getvalue(), bestand, layouts, kw)); return _o(cls, data, bestand, layouts, **kw)
    T.SheetTable.read = classmethod(spy)
    tree["results"] = [tree["ad"][n.split("-")[0]].read(tree["Source"](io.BytesIO(d), n, division=tree["div"])) for d, n in datas]
    T.SheetTable.read = classmethod(orig)
    tree["calls"] = calls
# the same results (meldingen with the package's name put back)
for rn, rb in zip(new["results"], base["results"]):
    assert rn.realisaties.to_pylist() == rb.realisaties.to_pylist()
    assert [str(m) for m in rn.meldingen] == [str(m).replace("opvbase", "opvangkern") for m in rb.meldingen]
assert len(new["calls"]) == len(base["calls"]) == len(datas)
def t_read(tree, i):
    data, b, l, kw = tree["calls"][i]
    t = time.process_time(); tree["T"].SheetTable.read(io.BytesIO(data), b, l, **kw); return time.process_time() - t
def t_adapter(tree, i):
    d, n = datas[i]
    t = time.process_time(); tree["ad"][n.split("-")[0]].read(tree["Source"](io.BytesIO(d), n, division=tree["div"])); return time.process_time() - t
for what, fn in (("SheetTable.read", t_read), ("adapter read", t_adapter)):
    per = collections.defaultdict(lambda: [0.0, 0.0]); round_ratios = []
    for r in range(rounds):
        tot = [0.0, 0.0]
        for i, (_, n) in enumerate(datas):
            src = n.split("-")[0]
            order = ((0, base), (1, new)) if (i + r) % 2 == 0 else ((1, new), (0, base))
            for k, tree in order:
                dtm = fn(tree, i); per[src][k] += dtm; tot[k] += dtm
        round_ratios.append(tot[1] / tot[0])
    allb = sum(v[0] for v in per.values()); alln = sum(v[1] for v in per.values())
    print(f"{what}: base {allb/rounds/len(datas)*1e3:.3f} ms/file, new {alln/rounds/len(datas)*1e3:.3f} ms/file, "
          f"ratio {alln/allb:.3f} (rounds {min(round_ratios):.3f}-{max(round_ratios):.3f})")
    for src, (b, n) in sorted(per.items()):
        print(f"   {src:6s} base {b/rounds/(len(datas)/4)*1e3:.3f} new {n/rounds/(len(datas)/4)*1e3:.3f} ratio {n/b:.3f}")
shutil.rmtree(alias, ignore_errors=True)
