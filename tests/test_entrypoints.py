"""Plugin discovery without ``importlib.metadata`` (``opvangkern.sources.entrypoints``, issue 16) gives
exactly what ``importlib.metadata.entry_points(group=...)`` gives: the same entry points in the same
order, with the same distribution names and versions, in this environment and in layouts built here
(``*.dist-info`` and ``*.egg-info`` folders, one distribution in two folders, comments, several groups,
the current folder as ``""``), and it hands a zip file on the path to ``importlib.metadata`` itself."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
import uuid
import warnings
import zipfile
from pathlib import Path

import pytest

from opvangkern.sources import entrypoints
from opvangkern.sources.manager import adapter_infos, failed_plugins, new_plugin_manager

BUILT_IN = {"coa", "kcio", "tvs", "nidos"}


def described(found) -> list[tuple]:
    return [(ep.name, ep.value, ep.group, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None)
            for ep in found]


def both(group: str) -> tuple[list[tuple], list[tuple]]:
    return described(entrypoints.entry_points(group)), described(importlib.metadata.entry_points(group=group))


@pytest.mark.parametrize("group", ["opvangkern", "pytest11", "console_scripts", "geen_groep_die_bestaat"])
def test_this_environment_gives_what_importlib_metadata_gives(group):
    assert entrypoints._plain_path()  # a venv with editable installs: the fast path is the one tested
    fast, slow = both(group)
    assert fast == slow
    if group == "opvangkern":
        assert BUILT_IN <= {name for name, *_ in fast}


def dist_info(site: Path, folder: str, metadata: str, entry_points: str | None) -> Path:
    info = site / folder
    info.mkdir(parents=True)
    (info / ("PKG-INFO" if folder.lower().endswith(".egg-info") else "METADATA")).write_text(
        textwrap.dedent(metadata), encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
    return info


def test_built_layouts_give_what_importlib_metadata_gives(tmp_path, monkeypatch):
    group = f"groep_{uuid.uuid4().hex[:8]}"  # a group nothing installed here has
    a, b = tmp_path / "a", tmp_path / "b"
    dist_info(a, "Een_Pakket-1.0.dist-info", "Metadata-Version: 2.1\nName: Een.Pakket\nVersion: 1.0\n\nName: niet\n",
              f"""
              # een opmerking
              [console_scripts]
              een = een:main

              [{group}]
              eerste = een_module
              tweede = een_module.sub:Klasse.methode   [extra]
              """)
    dist_info(a, "oud-2.0.egg-info", "Metadata-Version: 1.1\nName: oud\nVersion: 2.0\n", f"[{group}]\noud = oud_module\n")
    dist_info(a, "zonder_ep-1.0.dist-info", "Name: zonder-ep\nVersion: 1.0\n", None)
    dist_info(a, "Hoofd-3.0.DIST-INFO", "Name: Hoofd\nVersion: 3.0\n", f"[{group}]\nhoofd=hoofd\n")
    # the same distribution again in a later folder (an editable install and a stale copy): the first wins
    dist_info(b, "een_pakket-0.9.dist-info", "Name: een-pakket\nVersion: 0.9\n", f"[{group}]\nanders = ander\n")
    dist_info(b, "derde-1.0.dist-info", "Name: derde\nVersion: 1.0\n", f"[{group}]\n  derde   =   derde_module  \n")
    monkeypatch.syspath_prepend(str(b))
    monkeypatch.syspath_prepend(str(a))
    fast, slow = both(group)
    assert fast == slow
    assert {name for name, *_ in fast} == {"eerste", "tweede", "oud", "hoofd", "derde"}
    assert ("eerste", "een_module", group, "Een.Pakket", "1.0") in fast


def test_the_current_folder_as_an_empty_path_entry(tmp_path, monkeypatch):
    group = f"groep_{uuid.uuid4().hex[:8]}"
    dist_info(tmp_path, "hier-1.0.dist-info", "Name: hier\nVersion: 1.0\n", f"[{group}]\nhier = hier\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    fast, slow = both(group)
    assert fast == slow == [("hier", "hier", group, "hier", "1.0")]


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    group = f"groep_{uuid.uuid4().hex[:8]}"
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ingepakt-1.0.dist-info/METADATA", "Name: ingepakt\nVersion: 1.0\n")
        zf.writestr("ingepakt-1.0.dist-info/entry_points.txt", f"[{group}]\ningepakt = ingepakt\n")
    monkeypatch.syspath_prepend(str(archive))
    assert not entrypoints._plain_path()
    fast, slow = both(group)
    assert fast == slow == [("ingepakt", "ingepakt", group, "ingepakt", "1.0")]


def test_load_gives_the_named_object(tmp_path, monkeypatch):
    module = f"ep_module_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text("class Klasse:\n    waarde = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    dist = entrypoints.FoundDistribution(str(tmp_path / "nergens"))
    try:
        assert entrypoints.FoundEntryPoint("x", f"{module}:Klasse.waarde", "g", dist).load() == 42
        assert entrypoints.FoundEntryPoint("x", module, "g", dist).load() is sys.modules[module]
        with pytest.raises(ValueError):
            entrypoints.FoundEntryPoint("x", "", "g", dist).load()
    finally:
        sys.modules.pop(module, None)
    assert dist.name is None and dist.version is None  # no METADATA: as importlib.metadata's None


def test_one_entry_point_found_twice_is_loaded_once(monkeypatch):
    # As tests/test_plugins.py's test of the same name, through the scanner the manager now uses.
    real = entrypoints.entry_points
    monkeypatch.setattr(entrypoints, "entry_points", lambda group: real(group) * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pm = new_plugin_manager()
        infos = adapter_infos(pm)
    names = [i.adapter.name for i in infos]
    assert names == sorted(set(names)) and BUILT_IN <= set(names)
    assert len(pm.get_plugins()) == len({i.plugin for i in infos})
    assert failed_plugins(pm) == []
