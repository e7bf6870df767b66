"""The whole-dataset memos of the warm load (``opvangkern.dataset.whole``, issue 16 target 3): the manifest's parse
and the tvs line merged and checked, kept in the cache. Their oracle is the function itself: a load served from
the memos gives exactly what a cold load (``cache=False``) gives: tables with metadata and chunks, meldingen in
order, counts. And a memo is never served when its inputs changed (a changed tvs file, quota file, manifest
entry, division), when it was tampered with, or when it was written in another format."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from opvangkern import tables
from opvangkern.areas import load_division
from opvangkern.dataset import contributed, manifest as manifest_module, quota_checks, whole
from opvangkern.dataset.cache import FileCache
from opvangkern.dataset.load import load_dataset
from opvangkern.testing import load_module

from .test_cache_warm import same_layout
from .test_contributed_vectorised import Entry, _module, assert_same, inputs

ROOT = Path(__file__).resolve().parents[1]
TVS = "bronnen/tvs-2025-12-31.csv"


def _load(folder: Path, cache_folder: Path):
    return load_dataset(folder, cache=FileCache(cache_folder, folder))


def _memos(cache_folder: Path) -> list[Path]:
    folder = cache_folder / "geheel"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def no_recompute(monkeypatch):
    """Within the block the manifest is not parsed, the tvs line not merged and the decisions' dates not checked:
    each must come from its memo."""
    def forbid():
        monkeypatch.setattr(manifest_module, "parse_manifest", lambda *a, **k: pytest.fail("parsed again"))
        monkeypatch.setattr(contributed, "merge_contributed", lambda *a, **k: pytest.fail("merged again"))
        monkeypatch.setattr(quota_checks, "decision_dates", lambda *a, **k: pytest.fail("dates checked again"))
    return forbid


def _zeeland(tmp_path: Path, with_quota: bool) -> Path:
    """The real-export layout of Zeeland: its TVS file is the housing line (free points, rows added), or with
    quota files that differ from it (two warnings), as ``test_contributed_vectorised`` builds them."""
    real = _module("test_real_exports")
    folder = tmp_path / ("z2" if with_quota else "zeeland")
    if not with_quota:
        return real.write_dataset(folder)
    manifest = real.MANIFEST + ('\n[[opgave]]\nopgave = "vergunninghouders"\ningangsdatum = 2025-07-01\n'
                                'bestand = "opgaven/vh-start.xlsx"\n\n[[opgave]]\nopgave = "vergunninghouders"\n'
                                'ingangsdatum = 2026-01-01\nbestand = "opgaven/vh-eind.xlsx"\n')
    real.write_dataset(folder, manifest)
    start = [max(a, 0) for a in real.ACHTER]
    end = [t + a + (7 if i == 1 else 0) for i, (t, a) in enumerate(zip(real.TAAK, real.ACHTER))]
    real.write_xlsx(folder / "opgaven/vh-start.xlsx", {"B": [["Gemeente", "Opgave"], *map(list, zip(real.NAMES, start))]})
    real.write_xlsx(folder / "opgaven/vh-eind.xlsx", {"B": [["Gemeente", "Opgave"], *map(list, zip(real.NAMES, end))]})
    return folder


@pytest.mark.parametrize("layout", ["sample", "zeeland", "zeeland-opgaven", "groningen"])
def test_served_from_the_memos_equals_a_cold_load(sample_copy, tmp_path, layout, no_recompute):
    if layout == "sample":
        folder = sample_copy
    elif layout == "groningen":
        heldout = _module("test_heldout")
        folder = heldout.write_csv_dataset(tmp_path / "g", heldout.GRONINGEN_MANIFEST, heldout.GRONINGEN_FILES,
                                           "groningen")
    else:
        folder = _zeeland(tmp_path, layout == "zeeland-opgaven")
    cold = load_dataset(folder, cache=False)
    if layout == "zeeland-opgaven":
        assert sum(m.code == "opgave_bron_wijkt_af" for m in cold.melding_list) == 2  # the warnings come back
    first = _load(folder, tmp_path / "c")
    same_layout(cold, first)
    assert len(_memos(tmp_path / "c")) == 3  # the manifest, the tvs line and the decisions' dates
    second = _load(folder, tmp_path / "c")  # pack-served entries: their keys stand for the tvs points
    same_layout(cold, second)
    no_recompute()
    served = _load(folder, tmp_path / "c")
    same_layout(cold, served)
    for name, table in cold.dashboard().tables().items() if not cold.has_errors else ():
        assert served.dashboard().tables()[name].equals(table, check_metadata=True), name


def test_a_changed_tvs_file_merges_again(sample_copy, tmp_path):
    _load(sample_copy, tmp_path / "c")
    path = sample_copy / TVS
    text = path.read_text(encoding="utf-8")
    assert "Assen;2025-II;39;48;87;80;7\n" in text
    path.write_text(text.replace("Assen;2025-II;39;48;87;80;7", "Assen;2025-II;40;48;88;80;8"), encoding="utf-8")
    calls = []
    original = contributed.merge_contributed

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    contributed.merge_contributed = counted
    try:
        served = _load(sample_copy, tmp_path / "c")
    finally:
        contributed.merge_contributed = original
    assert calls == [1]
    same_layout(load_dataset(sample_copy, cache=False), served)


def test_a_changed_quota_file_merges_again(sample_copy, tmp_path, monkeypatch):
    _load(sample_copy, tmp_path / "c")
    _load(sample_copy, tmp_path / "c")
    path = sample_copy / "opgaven" / "vergunninghouders-2026-01-01.csv"
    text = path.read_text(encoding="utf-8")
    assert "\nAssen;87\n" in text
    path.write_text(text.replace("\nAssen;87\n", "\nAssen;88\n"), encoding="utf-8")
    calls = []
    original = contributed.merge_contributed
    monkeypatch.setattr(contributed, "merge_contributed", lambda *a, **k: calls.append(1) or original(*a, **k))
    served = _load(sample_copy, tmp_path / "c")
    monkeypatch.undo()
    assert calls == [1]
    same_layout(load_dataset(sample_copy, cache=False), served)


@pytest.mark.parametrize("edit", ["naam", "peildatum", "kolommen", "added", "removed", "reordered"])
def test_an_edited_manifest_is_parsed_again(sample_copy, tmp_path, edit, monkeypatch):
    _load(sample_copy, tmp_path / "c")
    path = sample_copy / "opvangkern.toml"
    text = path.read_text(encoding="utf-8")
    if edit == "naam":
        text = text.replace('naam = "Drenthe, stand 31 december 2025"', 'naam = "Drenthe, herzien"')
    elif edit == "peildatum":
        assert f'bestand = "{TVS}"\npeildatum = 2025-12-31' in text
        text = text.replace(f'bestand = "{TVS}"\npeildatum = 2025-12-31', f'bestand = "{TVS}"\npeildatum = 2025-12-30')
    elif edit == "kolommen":
        text = text.replace(f'bestand = "{TVS}"', f'bestand = "{TVS}"\nkolommen = {{ "Gehuisvest" = "Gerealiseerd" }}')
    elif edit == "added":
        text += '\n[[bron]]\nbron = "nidos"\nbestand = "bronnen/nidos-2025-07-31.csv"\nblad = "x"\n'
    elif edit == "removed":
        at = text.index("[[bron]]")
        end = text.index("[[bron]]", at + 1)
        text = text[:at] + text[end:]
    else:  # the entries in the opposite order (the tvs files among them)
        first = text.index("[[bron]]")
        blocks = ["[[bron]]" + b for b in text[first:].split("[[bron]]")[1:]]
        text = text[:first] + "".join(b if b.endswith("\n\n") else b + "\n" for b in reversed(blocks))
    path.write_text(text, encoding="utf-8")
    calls = []
    original = manifest_module.parse_manifest
    monkeypatch.setattr(manifest_module, "parse_manifest", lambda *a, **k: calls.append(1) or original(*a, **k))
    served = _load(sample_copy, tmp_path / "c")
    monkeypatch.undo()
    assert calls == [1]
    cold = load_dataset(sample_copy, cache=False)
    same_layout(cold, served)
    assert served.manifest == cold.manifest
    if edit == "naam":
        assert served.naam == "Drenthe, herzien"
    assert len(_memos(tmp_path / "c")) <= 3  # one memo per kind and dataset, overwritten: the cache does not grow


def test_a_manifest_with_meldingen_is_never_kept(sample_copy, tmp_path):
    path = sample_copy / "opvangkern.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[onbekend]\nx = 1\n[ook_onbekend]\ny = 2\n", encoding="utf-8")
    cold = load_dataset(sample_copy, cache=False)
    assert [m.code for m in cold.melding_list].count("manifest_onbekende_sectie") == 2
    for _ in range(2):
        served = _load(sample_copy, tmp_path / "c")
        same_layout(cold, served)
    assert not [p for p in _memos(tmp_path / "c") if b'"manifest"' in p.read_bytes()[:400]]


def _rewrite(path: Path, header: dict | None = None, body: bytes | None = None) -> None:
    """The memo at ``path`` with another header or body, its digest made to fit again (as a writer of another
    version, or someone who knows the layout, would write it)."""
    data = path.read_bytes()
    size = int.from_bytes(data[64:72], "little")
    import json

    old_header = json.loads(data[72:72 + size])
    text = json.dumps(header if header is not None else old_header).encode("ascii")
    payload = len(text).to_bytes(8, "little") + text + (body if body is not None else data[72 + size:])
    path.write_bytes(hashlib.sha256(payload).hexdigest().encode("ascii") + payload)


def _header(path: Path) -> dict:
    import json

    data = path.read_bytes()
    return json.loads(data[72:72 + int.from_bytes(data[64:72], "little")])


@pytest.mark.parametrize("how", ["flipped", "truncated", "format", "key", "foreign-class", "empty"])
def test_a_tampered_or_older_memo_is_never_served(tmp_path, how):
    folder = _zeeland(tmp_path, with_quota=True)
    cold = load_dataset(folder, cache=False)
    _load(folder, tmp_path / "c")
    _load(folder, tmp_path / "c")
    memos = _memos(tmp_path / "c")
    assert len(memos) >= 2
    for path in memos:
        header = _header(path)
        if how == "flipped":
            data = bytearray(path.read_bytes())
            data[-3] ^= 0x01
            path.write_bytes(bytes(data))
        elif how == "truncated":
            path.write_bytes(path.read_bytes()[:-10])
        elif how == "format":
            _rewrite(path, {**header, "format": "0"})
        elif how == "key":
            _rewrite(path, {**header, "key": "0" * 64})
        elif how == "foreign-class":
            if header.get("soort") == "manifest":
                _rewrite(path, body=pickle.dumps(Path("/")))  # a class a manifest never holds: refused unbuilt
            else:
                _rewrite(path, {**header, "meldingen": [{"niet": "een melding"}]})
        else:
            path.write_bytes(b"")
    calls = []
    parse, merge, dates = manifest_module.parse_manifest, contributed.merge_contributed, quota_checks.decision_dates
    manifest_module.parse_manifest = lambda *a, **k: calls.append("parse") or parse(*a, **k)
    contributed.merge_contributed = lambda *a, **k: calls.append("merge") or merge(*a, **k)
    quota_checks.decision_dates = lambda *a, **k: calls.append("dates") or dates(*a, **k)
    try:
        served = _load(folder, tmp_path / "c")
    finally:
        manifest_module.parse_manifest, contributed.merge_contributed = parse, merge
        quota_checks.decision_dates = dates
    assert sorted(calls) == ["dates", "merge", "parse"]
    same_layout(cold, served)
    assert sum(m.code == "opgave_bron_wijkt_af" for m in served.melding_list) == 2
    again = _load(folder, tmp_path / "c")  # rewritten by the load: served again, the same
    same_layout(cold, again)


def test_the_unpickler_builds_nothing_but_a_manifest():
    class Boom:
        def __reduce__(self):
            return (print, ("never",))

    with pytest.raises(pickle.UnpicklingError):
        whole._ManifestUnpickler(io.BytesIO(pickle.dumps(Boom()))).load()
    manifest, _ = manifest_module.parse_manifest((load_dataset(None).folder / "opvangkern.toml").read_text("utf-8"),
                                                 default_name="x")
    assert whole._ManifestUnpickler(io.BytesIO(pickle.dumps(manifest, protocol=5))).load() == manifest


def test_the_merge_key_holds_every_input(tmp_path):
    """Each input of ``merge_contributed`` changes the key: the quota rows, a file's points, its bestand, its
    peildatum, the order of the files, the tasks with quota files, the division."""
    from opvangkern import tables

    division = load_division()
    cache = FileCache(tmp_path / "c", tmp_path)

    def rows(amount, bestand="bronnen/tvs.csv"):
        return tables.from_rows(tables.OPGAVEN, [
            {"opgave": "vergunninghouders", "gebied_code": "GM0106", "gebied_niveau": "gemeente",
             "ingangsdatum": dt.date(2025, 7, 1), "aantal": amount, "bestand": bestand, "blad": None, "rij": 2}])

    quota, points = rows(100.0, "opgaven/vh.csv"), rows(100.0)
    one = (Entry("bronnen/tvs.csv"), dt.date(2025, 7, 31), points)
    two = (Entry("bronnen/tvs-2.csv"), dt.date(2025, 8, 31), rows(101.0))
    base = whole._merge_key(quota, [one, two], {"vergunninghouders"}, division, cache)
    assert base == whole._merge_key(quota, [one, two], {"vergunninghouders"}, division, cache)
    others = [
        whole._merge_key(rows(100.5, "opgaven/vh.csv"), [one, two], {"vergunninghouders"}, division, cache),
        whole._merge_key(quota, [(one[0], one[1], rows(100.25)), two], {"vergunninghouders"}, division, cache),
        whole._merge_key(quota, [(Entry("bronnen/ander.csv"), one[1], points), two], {"vergunninghouders"},
                         division, cache),
        whole._merge_key(quota, [(one[0], None, points), two], {"vergunninghouders"}, division, cache),
        whole._merge_key(quota, [two, one], {"vergunninghouders"}, division, cache),
        whole._merge_key(quota, [one, two], set(), division, cache),
        whole._merge_key(quota, [one, two], {"vergunninghouders"}, load_division("2027"), cache),
    ]
    assert len({base, *others}) == len(others) + 1
    # points noted with their entry's key stand for that key; other points with the same key are not those
    cache._clean.add("k" * 64)
    cache.note_points(points, "k" * 64)
    noted = whole._merge_key(quota, [one, two], {"vergunninghouders"}, division, cache)
    assert noted != base and cache.points_key(rows(100.0)) is None
    cache.note_points(rows(100.0), "unclean")  # a key whose read was not clean is never noted
    assert len(cache._points) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(inputs())
def test_random_inputs_the_memo_gives_the_function_result(tmp_path, drawn):
    """Stored and then served: the same table (values, metadata, chunks, IPC bytes) and meldingen as the
    function itself (``test_contributed_vectorised.assert_same``)."""
    opgaven, files, quota_tasks = drawn
    division = load_division()
    want = contributed.merge_contributed(opgaven, files, quota_tasks, division)
    folder = tmp_path / f"c{hashlib.sha256(repr(drawn).encode()).hexdigest()[:16]}"
    first = whole.merge_contributed_cached(opgaven, files, quota_tasks, division, FileCache(folder, tmp_path))
    assert_same(first, want)
    original = contributed.merge_contributed
    contributed.merge_contributed = lambda *a, **k: pytest.fail("merged again")
    try:
        served = whole.merge_contributed_cached(opgaven, files, quota_tasks, division, FileCache(folder, tmp_path))
    finally:
        contributed.merge_contributed = original
    assert_same(served, want)
    if want[0] is opgaven:
        assert served[0] is opgaven


def test_generated_weeks_a_new_delivery_keeps_the_tvs_memo(tmp_path):
    """Three generated national weeks; a new COA delivery (one more file in the manifest) leaves the tvs points
    as they were: the tvs line comes from its memo, and the load equals a cold one."""
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    folder = tmp_path / "nl"
    generate.generate(folder, snapshots=3)
    _load(folder, tmp_path / "c")
    _load(folder, tmp_path / "c")
    coa = sorted((folder / "bronnen").glob("coa-*"))[-1]
    with open(coa, "a", encoding="utf-8") as handle:
        handle.write("\n")
    original = contributed.merge_contributed
    contributed.merge_contributed = lambda *a, **k: pytest.fail("merged again")
    try:
        served = _load(folder, tmp_path / "c")
    finally:
        contributed.merge_contributed = original
    same_layout(load_dataset(folder, cache=False), served)


def test_a_cache_file_is_replaced_whole_or_not_at_all(tmp_path):
    """``cache.replacing``, the one way the cache, the pack and these memos write a file: the old file stays
    as it was when the writing fails, no temporary file is left, and the new one takes its place when it
    does not."""
    from opvangkern.dataset.cache import replacing

    path = tmp_path / "geheel" / "memo.bin"
    path.parent.mkdir()
    path.write_bytes(b"oud")
    with pytest.raises(RuntimeError):
        with replacing(path, ".bin") as temp, open(temp, "wb") as out:
            out.write(b"half")
            raise RuntimeError("schijf vol")
    assert path.read_bytes() == b"oud" and sorted(p.name for p in path.parent.iterdir()) == ["memo.bin"]
    with replacing(path, ".bin") as temp, open(temp, "wb") as out:
        out.write(b"nieuw")
    assert path.read_bytes() == b"nieuw" and sorted(p.name for p in path.parent.iterdir()) == ["memo.bin"]


# --- the quota decisions' dates checked (fourteenth session) -----------------------------------------


def _dates_memo(cache_folder: Path) -> dict:
    [path] = [p for p in _memos(cache_folder) if p.name.endswith(".datums.bin")]
    return _header(path)


def test_two_half_years_with_a_turn_come_from_the_dates_memo(tmp_path, no_recompute):
    # two housing decisions on 1 January 2026 between earlier and later ones: decision_dates changes the rows
    folder, _ = _module("test_probes_time").housing_decisions_over_two_half_years(tmp_path)
    cold = load_dataset(folder, cache=False)
    assert "halfjaar_overgang" in {m.code for m in cold.melding_list}
    first = _load(folder, tmp_path / "c")
    same_layout(cold, first)
    header = _dates_memo(tmp_path / "c")
    assert header["changed"] is True and header["meldingen"]  # the table and the warnings are what is served
    same_layout(cold, _load(folder, tmp_path / "c"))  # pack-served entries: their keys stand for the tvs points
    no_recompute()
    served = _load(folder, tmp_path / "c")
    same_layout(cold, served)
    for name, table in cold.dashboard().tables().items():
        assert served.dashboard().tables()[name].equals(table, check_metadata=True), name


@pytest.mark.parametrize("change", ["quota", "indeling"])
def test_other_quota_rows_or_another_division_check_the_dates_again(sample_copy, tmp_path, monkeypatch, change):
    _load(sample_copy, tmp_path / "c")
    if change == "quota":
        path = sample_copy / "opgaven" / "vergunninghouders-2026-01-01.csv"
        text = path.read_text(encoding="utf-8")
        assert "\nAssen;87\n" in text
        path.write_text(text.replace("\nAssen;87\n", "\nAssen;88\n"), encoding="utf-8")
    else:
        manifest = sample_copy / "opvangkern.toml"
        text = manifest.read_text(encoding="utf-8")
        assert "[dataset]\n" in text and "indeling" not in text
        manifest.write_text(text.replace("[dataset]\n", '[dataset]\nindeling = "2027"\n', 1), encoding="utf-8")
    calls = []
    original = quota_checks.decision_dates
    monkeypatch.setattr(quota_checks, "decision_dates", lambda *a, **k: calls.append(1) or original(*a, **k))
    served = _load(sample_copy, tmp_path / "c")
    monkeypatch.undo()
    assert calls == [1]
    same_layout(load_dataset(sample_copy, cache=False), served)


def test_the_dates_key_holds_the_rows_and_the_divisions(tmp_path):
    from opvangkern.areas.history import Divisions

    rows = [{"opgave": "asiel", "gebied_code": "GM0106", "gebied_niveau": "gemeente", "ingangsdatum": dt.date(2026, 1, 1),
             "aantal": 10.0, "bestand": "opgaven/a.csv", "blad": None, "rij": 2}]
    quota = tables.from_rows(tables.OPGAVEN, rows)
    cache = FileCache(tmp_path / "c", tmp_path)
    base = whole._dates_key(quota, Divisions.shipped().mapping("2026"), cache)
    assert base == whole._dates_key(tables.from_rows(tables.OPGAVEN, rows), Divisions.shipped().mapping("2026"), cache)
    assert len({base, whole._dates_key(quota, Divisions.shipped().mapping("2027"), cache),
                whole._dates_key(tables.from_rows(tables.OPGAVEN, [{**rows[0], "aantal": 10.5}]),
                                 Divisions.shipped().mapping("2026"), cache),
                whole._dates_key(tables.from_rows(tables.OPGAVEN, [{**rows[0], "rij": 3}]),
                                 Divisions.shipped().mapping("2026"), cache)}) == 4
