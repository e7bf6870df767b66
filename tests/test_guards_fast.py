"""The file guard's fast path for plain names (issue 16) against the guard as it was (tests/guards_reference.py):
for every name a manifest can hold and every kind of thing it can name (a file, a folder, a link inside or
outside the folder, a dangling link, a loop, a hard link, a FIFO, nothing), in any order and repeated, both
guards give the same meldingen (text, code, line, value) for ``outside`` and ``duplicate``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opvangkern.dataset.guards import FileGuard

from .guards_reference import FileGuard as ReferenceGuard

NAMES = [
    "bronnen/coa.csv", "bronnen/kcio.xlsx", "bronnen//coa.csv", "./bronnen/coa.csv", "bronnen/./coa.csv",
    "bronnen/../bronnen/coa.csv", "../buiten.csv", "bronnen/../../buiten.csv", "/etc/passwd", "C:/x.csv",
    "\\\\server\\share\\x.csv", "bronnen\\coa.csv", "bronnen/hard.csv", "link-in.csv", "link-out.csv",
    "dangling.csv", "loop.csv", "map", "map/", "fifo", "missing.csv", "bronnen/missing.csv", "linkdir/coa.csv",
    "outdir/x.csv", "coa.csv", "Coa.csv", "bronnen/coa.csv ", " bronnen/coa.csv", "bronnen/a b.csv",
    "bronnen/.verborgen.csv", "-x.csv", "bronnen/coa.csv/", "x\x00.csv", "", ".", "..", "bronnen",
    "bronnen/sub/diep.csv", "é.csv", "bronnen/2025-12-31.v2.csv",
]


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    base = tmp_path_factory.mktemp("guard")
    outside = base / "buiten"
    outside.mkdir()
    (outside / "x.csv").write_text("x")
    (base / "buiten.csv").write_text("buiten")
    folder = base / "data"
    (folder / "bronnen" / "sub").mkdir(parents=True)
    (folder / "map").mkdir()
    for name in ("bronnen/coa.csv", "coa.csv", "bronnen/a b.csv", "bronnen/.verborgen.csv", "-x.csv",
                 "bronnen/sub/diep.csv", "é.csv", "bronnen/2025-12-31.v2.csv"):
        (folder / name).write_text("Gemeente;Aantal\n")
    (folder / "bronnen" / "kcio.xlsx").write_bytes(b"PK\x03\x04rest")
    os.link(folder / "bronnen" / "coa.csv", folder / "bronnen" / "hard.csv")
    (folder / "link-in.csv").symlink_to(folder / "bronnen" / "coa.csv")
    (folder / "link-out.csv").symlink_to(base / "buiten.csv")
    (folder / "dangling.csv").symlink_to(folder / "nergens.csv")
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    (folder / "linkdir").symlink_to(folder / "bronnen")
    (folder / "outdir").symlink_to(outside)
    os.mkfifo(folder / "fifo")
    return folder


def _run(guard, steps):
    out = []
    for kind, key, name, blad, regel in steps:  # as load.py asks them: duplicate only for an admitted name
        out.append(guard.outside(name, regel) or guard.duplicate(kind, key, name, blad, regel))
    return out


step = st.tuples(st.sampled_from(["bron", "opgave"]), st.sampled_from(["coa", "asiel"]), st.sampled_from(NAMES),
                 st.sampled_from([None, "Blad1", "blad1 ", "Blad2"]), st.integers(1, 40))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_the_fast_guard_says_what_the_old_one_says(layout, steps):
    assert _run(FileGuard(layout), steps) == _run(ReferenceGuard(layout), steps)


@pytest.mark.parametrize("spelled", ["data", "data/", "./data", "data/../data"])
def test_every_name_alone_and_twice_whatever_the_folder_is_called(layout, spelled, monkeypatch):
    monkeypatch.chdir(layout.parent)
    for name in NAMES:
        steps = [("bron", "coa", name, None, 3), ("bron", "coa", name, None, 4), ("bron", "coa", name, "B", 5)]
        assert _run(FileGuard(Path(spelled)), steps) == _run(ReferenceGuard(Path(spelled)), steps), name


def test_a_guard_of_a_missing_folder(tmp_path):
    steps = [("bron", "coa", name, None, 1) for name in NAMES]
    assert _run(FileGuard(tmp_path / "weg"), steps) == _run(ReferenceGuard(tmp_path / "weg"), steps)


def test_a_dataset_folder_reached_through_a_link(layout, tmp_path):
    link = tmp_path / "via"
    link.symlink_to(layout)
    steps = [("bron", "coa", name, None, 1) for name in NAMES]
    assert _run(FileGuard(link), steps) == _run(ReferenceGuard(link), steps)


def test_plain_regular_files_take_the_fast_path(layout, monkeypatch):
    """The comparison above is about the fast path: a plain name of a regular file never reaches the whole check."""
    guard = FileGuard(layout)
    monkeypatch.setattr(guard, "_outside", lambda *a: pytest.fail("the whole check for a plain file"))
    for name in ("bronnen/coa.csv", "coa.csv", "bronnen/a b.csv", "bronnen/sub/diep.csv", "linkdir/coa.csv"):
        assert guard.outside(name, 1) is None
