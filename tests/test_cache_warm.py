"""The warm load's shortcuts (issue 16, target 3): the pack holds what a load made of each entry (its checked rows,
meldingen, counts and peildatum) and serves it without reading or checking the file again; a delta beside the
pack after a small change. Each shortcut is proved here against a fresh load (no cache at all): a changed file
among 1,000 served ones, a removed file, a reordered manifest, a changed manifest option, a pack or delta changed
by anything but the cache itself (refused, never served), and the chunk layout of every served table."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pytest

from opvangkern.dataset import pack as pack_module
from opvangkern.dataset.cache import FileCache
from opvangkern.dataset.load import load_dataset

from .test_cache import COA, files_named, same

NIDOS = "bronnen/nidos-2025-07-31.csv"


def _load(dataset: Path, cache_folder: Path):
    counting = FileCache(cache_folder, dataset)
    return load_dataset(dataset, cache=counting), counting


def _layout(table: pa.Table) -> list[list[int]]:
    return [[len(chunk) for chunk in column.chunks] for column in table.columns]


def same_layout(a, b) -> None:
    """``same`` and the same chunks: a table written as Arrow IPC is one record batch per chunk."""
    same(a, b)
    assert a.realisaties.schema.equals(b.realisaties.schema, check_metadata=True)
    assert a.opgaven.schema.equals(b.opgaven.schema, check_metadata=True)
    assert _layout(a.realisaties) == _layout(b.realisaties)
    assert _layout(a.opgaven) == _layout(b.opgaven)


def _pack_files(cache_folder: Path) -> dict[str, int]:
    folder = cache_folder / "pakketten"
    return {p.name.split(".", 1)[1]: p.stat().st_size for p in folder.iterdir()} if folder.exists() else {}


def _only_the_pack(cache_folder: Path) -> None:
    for path in cache_folder.rglob("*.arrow"):
        if path.parent.name != "pakketten":
            path.unlink()


def test_served_from_the_pack_the_tables_have_the_fresh_chunks_and_schemas(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy) and counting.misses == 0
    same_layout(fresh, served)
    for name, table in fresh.dashboard().tables().items():
        assert served.dashboard().tables()[name].equals(table, check_metadata=True), name


def test_a_served_entry_is_not_checked_again(sample_copy, tmp_path, monkeypatch):
    """The pack holds the checked rows: a load served from it runs neither a reader nor validate."""
    _load(sample_copy, tmp_path / "c")
    import opvangkern.validate

    monkeypatch.setattr(opvangkern.validate, "validate", lambda *a, **k: pytest.fail("validated again"))
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy)
    monkeypatch.undo()
    same_layout(load_dataset(sample_copy), served)


def _many(sample_copy: Path, extra: int) -> Path:
    """The sample with ``extra`` more Nidos files (one a day before the sample's first), each named in the manifest."""
    template = (sample_copy / NIDOS).read_text(encoding="utf-8")
    entries = []
    for number in range(extra):
        day = dt.date(2025, 7, 30) - dt.timedelta(days=number)
        text = template.replace("31-07-2025", day.strftime("%d-%m-%Y")).replace(",Assen,27", f",Assen,{number % 40}")
        name = f"bronnen/extra/nidos-{day.isoformat()}.csv"
        (sample_copy / name).parent.mkdir(parents=True, exist_ok=True)
        (sample_copy / name).write_text(text, encoding="utf-8")
        entries.append(f'\n[[bron]]\nbron = "nidos"\nbestand = "{name}"\n')
    with open(sample_copy / "opvangkern.toml", "a", encoding="utf-8") as manifest:
        manifest.write("".join(entries))
    return sample_copy


def test_a_changed_file_among_a_thousand_served_ones(sample_copy, tmp_path):
    folder = _many(sample_copy, 1000 - 24)
    n = files_named(folder)
    assert n >= 1000
    _load(folder, tmp_path / "c")
    served, counting = _load(folder, tmp_path / "c")
    assert (counting.pack_hits, counting.misses) == (n, 0)
    assert set(_pack_files(tmp_path / "c")) == {"arrow"}
    changed = folder / "bronnen" / "extra" / "nidos-2024-01-01.csv"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace(",Assen,", ",Assen,1"), encoding="utf-8")  # one figure, ten times larger
    again, counting = _load(folder, tmp_path / "c")
    assert (counting.pack_hits, counting.misses) == (n - 1, 1)
    assert set(_pack_files(tmp_path / "c")) == {"arrow", "delta.arrow"}  # only the changed file's rows written
    fresh = load_dataset(folder)
    same_layout(fresh, again)
    assert fresh.realisaties.num_rows == served.realisaties.num_rows
    assert not served.realisaties.equals(fresh.realisaties)
    # Served from the pack and its delta: the same again, nothing read, nothing written.
    _only_the_pack(tmp_path / "c")
    before = _pack_files(tmp_path / "c")
    third, counting = _load(folder, tmp_path / "c")
    assert (counting.pack_hits, counting.misses) == (n, 0)
    assert _pack_files(tmp_path / "c") == before
    same_layout(fresh, third)
    # The old bytes back: the delta names the last load's entries only, so the old entry is not served.
    changed.write_text(text, encoding="utf-8")
    back, counting = _load(folder, tmp_path / "c")
    assert counting.misses == 1
    same_layout(load_dataset(folder), back)


def _entry_block(text: str, bestand: str) -> str:
    return re.search(rf'\[\[bron\]\]\n(?:(?!\[\[).*\n)*?bestand = "{re.escape(bestand)}"[^\n]*\n(?:(?!\[\[).*\n)*',
                     text).group(0)


def test_a_removed_file(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    (sample_copy / COA).unlink()  # the manifest still names it: a fout, never the cached rows
    gone, counting = _load(sample_copy, tmp_path / "c")
    assert gone.has_errors and "bestand_ontbreekt" in {m.code for m in gone.melding_list}
    assert counting.pack_hits == files_named(sample_copy) - 1
    same_layout(load_dataset(sample_copy), gone)
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(_entry_block(text, COA), ""), encoding="utf-8")  # and the entry removed
    without, counting = _load(sample_copy, tmp_path / "c")
    assert not without.has_errors and counting.misses == 0
    same_layout(load_dataset(sample_copy), without)
    assert COA not in without.realisaties.column("bestand").to_pylist()


def test_a_reordered_manifest(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    first = text.index("[[bron]]")
    blocks = ["[[bron]]" + b for b in text[first:].split("[[bron]]")[1:]]
    reordered = text[:first] + "".join(b if b.endswith("\n\n") else b + "\n" for b in reversed(blocks))
    manifest.write_text(reordered, encoding="utf-8")
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.misses == 0
    fresh = load_dataset(sample_copy)
    same_layout(fresh, served)
    _only_the_pack(tmp_path / "c")  # the pack (or its delta) now holds the new order
    again, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy)
    same_layout(fresh, again)


@pytest.mark.parametrize("line", ['peildatum = 2025-12-30\n', 'maat = "bezetting"\n', 'eigen_optie = 1\n',
                                  'waarden = { "AZC" = "regulier" }\n'])
def test_a_changed_manifest_option_is_never_served(sample_copy, tmp_path, line):
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    block = _entry_block(text, COA)
    manifest.write_text(text.replace(block, block.rstrip("\n") + "\n" + line + "\n"), encoding="utf-8")
    changed, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy) - 1
    same_layout(load_dataset(sample_copy), changed)


def _rewrite_pack(path: Path, change) -> None:
    """Rewrite the pack's table through ``change`` and keep its metadata (its digest included), as anyone
    editing the file with pyarrow would."""
    with open(path, "rb") as handle:
        table = pyarrow.ipc.open_file(pa.py_buffer(handle.read())).read_all()
    table = change(table)
    with pa.OSFile(str(path), "wb") as sink, pyarrow.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _with_figure(table: pa.Table, add: int) -> pa.Table:
    column = table.column("realisaties").combine_chunks()
    values = column.values
    fields = [values.field(i) for i in range(values.type.num_fields)]
    index = values.type.get_field_index("aantal")
    fields[index] = pa.array([None if v is None else v + add for v in fields[index].to_pylist()], pa.int64())
    rebuilt = pa.ListArray.from_arrays(column.offsets, pa.StructArray.from_arrays(fields, fields=list(values.type)))
    return table.set_column(table.schema.get_field_index("realisaties"), "realisaties", rebuilt)


def test_a_tampered_pack_entry_is_refused_not_served(sample_copy, tmp_path):
    fresh = load_dataset(sample_copy)
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    path = FileCache(tmp_path / "c", sample_copy).pack_path()
    _rewrite_pack(path, lambda t: _with_figure(t, 1))  # every realisation one more, key and metadata kept
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == 0 and counting.misses == files_named(sample_copy)
    same_layout(fresh, served)


@pytest.mark.parametrize("where", [0.3, 0.5, 0.9, 0.999])
def test_a_flipped_byte_anywhere_in_the_pack_serves_nothing(sample_copy, tmp_path, where):
    fresh = load_dataset(sample_copy)
    _load(sample_copy, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    path = FileCache(tmp_path / "c", sample_copy).pack_path()
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    path.write_bytes(bytes(data))
    served, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == 0
    same_layout(fresh, served)


def test_a_tampered_or_foreign_delta_is_ignored(sample_copy, tmp_path, monkeypatch):
    folder = _many(sample_copy, 60)  # enough rows that one changed COA file is written as a delta
    monkeypatch.setattr(pack_module, "delta_fits", lambda entries, basis: bool(basis.base.keys))
    _load(folder, tmp_path / "c")
    path = folder / COA
    path.write_bytes(path.read_bytes().replace(b";1.010;909", b";1.011;909"))
    _load(folder, tmp_path / "c")
    assert set(_pack_files(tmp_path / "c")) == {"arrow", "delta.arrow"}
    _only_the_pack(tmp_path / "c")
    delta = pack_module.delta_path(FileCache(tmp_path / "c", folder).pack_path())
    _rewrite_pack(delta, lambda t: _with_figure(t, 5))  # the changed COA file's rows, each five more
    served, counting = _load(folder, tmp_path / "c")
    assert counting.misses == 1  # the pack alone serves the others; the changed file is read again
    fresh = load_dataset(folder)
    same_layout(fresh, served)
    # A delta of another pack (the pack rewritten since) is never used either.
    _load(folder, tmp_path / "c")
    saved = delta.read_bytes()
    monkeypatch.setattr(pack_module, "delta_fits", lambda entries, basis: False)
    path.write_bytes(path.read_bytes().replace(b";1.011;909", b";1.012;909"))
    _load(folder, tmp_path / "c")  # writes the pack whole, removes the delta
    assert set(_pack_files(tmp_path / "c")) == {"arrow"}
    delta.write_bytes(saved)
    _only_the_pack(tmp_path / "c")
    served, counting = _load(folder, tmp_path / "c")
    assert counting.misses == 0
    same_layout(load_dataset(folder), served)


def test_the_pack_is_rewritten_whole_when_the_delta_would_be_large(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    changed = sorted((sample_copy / "bronnen").glob("*-2025-*"))[:-3]  # most files of the sample
    for name in changed:
        name.write_bytes(name.read_bytes() + b"\n")
    _, counting = _load(sample_copy, tmp_path / "c")
    assert counting.misses == len(changed)
    assert set(_pack_files(tmp_path / "c")) == {"arrow"}
    _only_the_pack(tmp_path / "c")
    again, counting = _load(sample_copy, tmp_path / "c")
    assert counting.pack_hits == files_named(sample_copy)
    same_layout(load_dataset(sample_copy), again)


def test_one_new_delivery_after_another(sample_copy, tmp_path):
    """Target 3's run, three times: the latest file changes, the next load reads it alone and equals a fresh one."""
    _load(sample_copy, tmp_path / "c")
    fresh = load_dataset(sample_copy)
    for round_ in range(3):
        path = sample_copy / COA
        path.write_bytes(path.read_bytes() + b"\n")
        served, _ = _load(sample_copy, tmp_path / "c")
        same_layout(load_dataset(sample_copy), served)
    same(fresh, served)


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pyarrow.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def test_served_tables_write_the_same_arrow_bytes(sample_copy, tmp_path):
    """``--format arrow`` writes a record batch per chunk with each buffer as it lies: the served entries'
    arrays must be the fresh ones' in every buffer size too (rows sliced out of one large buffer are not)."""
    folder = _many(sample_copy, 30)
    fresh = load_dataset(folder)
    _load(folder, tmp_path / "c")
    _only_the_pack(tmp_path / "c")
    served, counting = _load(folder, tmp_path / "c")
    assert counting.pack_hits == files_named(folder)
    for name in ("realisaties", "opgaven"):
        assert _ipc(getattr(served, name)) == _ipc(getattr(fresh, name)), name
    for name, table in fresh.dashboard().tables().items():
        assert _ipc(served.dashboard().tables()[name]) == _ipc(table), name
