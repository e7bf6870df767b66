"""Finding and loading plugins (SPEC §6, docs/plugins.md): a broken plugin is a warning, two adapters
with one name are a clear error, autoloading can be switched off, nothing loads twice, and
``opvangkern bronnen`` shows where each adapter comes from.

Other adapters may be installed besides the four built-in ones (the example gemeentetabel; for a few
seconds the adapter of tests/test_adapter_guide.py), so the tests ask for the built-in ones, not for
exactly these.

Fake plugins are real distributions: a module and a ``*.dist-info`` folder (``METADATA`` and
``entry_points.txt``) in a temporary folder put on ``sys.path`` (in this process) or on ``PYTHONPATH``
(for the command line in a subprocess), exactly what ``pip install`` leaves behind.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
import uuid
import warnings
from pathlib import Path

import pytest

from opvangkern.errors import PluginError
from opvangkern.sources import kit
from opvangkern.sources.manager import (
    DISABLE_AUTOLOAD_ENV, PluginLoadWarning, adapter_infos, adapters, failed_plugins, new_plugin_manager,
)

BUILT_IN = {"coa": "opvangkern-coa", "kcio": "opvangkern-kcio", "tvs": "opvangkern-tvs", "nidos": "opvangkern-nidos"}


ADAPTER_MODULE = '''
from opvangkern.sources import kit

class Adapter(kit.SourceAdapter):
    name, label, tasks = {name!r}, {label!r}, ("amv",)

    def read(self, source):
        return kit.RealisatieBuilder(source, self.name).result()

@kit.hookimpl
def opvangkern_source_adapters():
    return [Adapter()]
'''


def fake_plugin(site: Path, dist: str, version: str, code: str, *, module: str | None = None,
                ep_name: str | None = None) -> str:
    """Install a one-module plugin distribution into ``site``; return the module name."""
    module = module or f"fake_{dist.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[opvangkern]\n{ep_name or dist} = {module}\n", encoding="utf-8")
    return module


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A folder on ``sys.path`` for fake plugin distributions; their modules are forgotten afterwards."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        if name.startswith("fake_"):
            del sys.modules[name]


def run_cli(*args: str, site: Path | None = None, env: dict[str, str] | None = None):
    environment = dict(os.environ)
    environment.pop(DISABLE_AUTOLOAD_ENV, None)
    environment.update(env or {})
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), environment.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *args], capture_output=True, text=True,
                          env=environment)


def rows_of(stdout: str) -> dict[str, str]:
    return {line.split()[0]: line for line in stdout.splitlines()[1:] if line and not line.startswith(" ")}


# --- a plugin that fails ------------------------------------------------------------------------

def test_a_plugin_that_fails_to_import_is_a_warning_and_the_others_still_work(site):
    fake_plugin(site, "opvangkern-kapot", "0.2.0", "import opvangkern_bestaat_niet\n")
    with pytest.warns(PluginLoadWarning, match=r"opvangkern-kapot.*ModuleNotFoundError.*opvangkern_bestaat_niet"):
        pm = new_plugin_manager()
    assert set(BUILT_IN) <= set(adapters(pm))
    [failure] = failed_plugins(pm)
    assert (failure.name, failure.plugin, failure.version) == ("opvangkern-kapot", "opvangkern-kapot", "0.2.0")


def test_a_plugin_whose_hook_raises_or_returns_junk_is_a_warning(site):
    fake_plugin(site, "opvangkern-raast", "1.0", """
        from opvangkern.sources import kit

        @kit.hookimpl
        def opvangkern_source_adapters():
            raise RuntimeError("stuk")
    """)
    fake_plugin(site, "opvangkern-rommel", "1.0", """
        from opvangkern.sources import kit

        @kit.hookimpl
        def opvangkern_source_adapters():
            return ["geen adapter"]
    """)
    pm = new_plugin_manager()
    with pytest.warns(PluginLoadWarning) as caught:
        found = adapters(pm)
    assert set(BUILT_IN) <= set(found)
    text = " ".join(str(w.message) for w in caught)
    assert "opvangkern-raast" in text and "RuntimeError('stuk')" in text
    assert "opvangkern-rommel" in text and "geen SourceAdapter" in text
    assert {f.plugin for f in failed_plugins(pm)} == {"opvangkern-raast", "opvangkern-rommel"}


def test_an_unknown_hook_is_a_clear_plugin_error(site):
    fake_plugin(site, "opvangkern-tikfout", "1.0", """
        from opvangkern.sources import kit

        @kit.hookimpl
        def opvangkern_source_adapter():   # the s is missing
            return []
    """)
    with pytest.raises(PluginError, match=r"opvangkern-tikfout.*opvangkern_source_adapter"):
        new_plugin_manager()


def test_the_command_line_lists_the_others_and_names_the_broken_plugin(tmp_path):
    site = tmp_path / "site"
    fake_plugin(site, "opvangkern-kapot", "0.2.0", "raise ImportError('kapot bij het importeren')\n")
    result = run_cli("bronnen", site=site)
    assert result.returncode == 0, result.stderr
    assert set(BUILT_IN) <= set(rows_of(result.stdout))
    assert "niet geladen: plugin 'opvangkern-kapot' (opvangkern-kapot 0.2.0)" in result.stdout
    assert "kapot bij het importeren" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # a dataset still works; the broken plugin is a one-line warning
    check = run_cli("check", str(_sample()), site=site)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "waarschuwing: plugin 'opvangkern-kapot'" in check.stderr
    assert "Traceback" not in check.stderr and "warnings.warn" not in check.stderr


def _sample() -> Path:
    import opvangkern

    return opvangkern.sample_path()


# --- two adapters with one name --------------------------------------------------------------------

def test_two_adapters_with_one_name_are_an_error_naming_both_plugins(site):
    fake_plugin(site, "opvangkern-kloon", "0.3.0", ADAPTER_MODULE.format(name="nidos", label="Kloon"))
    pm = new_plugin_manager()
    with pytest.raises(PluginError) as caught:
        adapters(pm)
    message = str(caught.value)
    assert "'nidos'" in message and "opvangkern-nidos" in message and "opvangkern-kloon" in message


def test_two_adapters_with_one_name_on_the_command_line_exit_2_without_traceback(tmp_path):
    site = tmp_path / "site"
    fake_plugin(site, "opvangkern-kloon", "0.3.0", ADAPTER_MODULE.format(name="nidos", label="Kloon"))
    for args in (["bronnen"], ["check", str(_sample())], ["dashboard"]):
        result = run_cli(*args, site=site)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert "twee adapters heten 'nidos'" in result.stderr
        assert "opvangkern-nidos" in result.stderr and "opvangkern-kloon" in result.stderr


# --- switching autoload off --------------------------------------------------------------------------

def test_the_environment_variable_switches_autoloading_off(monkeypatch):
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    pm = new_plugin_manager()
    assert adapters(pm) == {}
    assert pm.get_plugins() == set()
    # a test or an embedder registers what it needs itself
    import opvangkern_nidos

    pm.register(opvangkern_nidos, name="nidos")
    assert list(adapters(pm)) == ["nidos"]
    # an explicit argument wins over the environment
    assert set(BUILT_IN) <= set(adapters(new_plugin_manager(autoload=True)))


def test_the_environment_variable_on_the_command_line():
    result = run_cli("bronnen", env={DISABLE_AUTOLOAD_ENV: "1"})
    assert result.returncode == 0
    assert "Geen bronadapters geïnstalleerd" in result.stdout
    assert DISABLE_AUTOLOAD_ENV in result.stdout
    # and a dataset then names the missing source
    check = run_cli("check", str(_sample()), env={DISABLE_AUTOLOAD_ENV: "1"})
    assert check.returncode == 1
    assert "onbekende bron 'coa'" in check.stdout and "geïnstalleerd: geen" in check.stdout


# --- loaded once ------------------------------------------------------------------------------------

def test_one_distribution_seen_twice_is_loaded_once(monkeypatch):
    # An editable install plus a leftover copy of its metadata elsewhere on sys.path: the same entry
    # point twice. It is loaded and registered once, and nothing is reported.
    real = importlib.metadata.entry_points

    def twice(**kw):
        found = list(real(**kw))
        return importlib.metadata.EntryPoints(found + found)

    monkeypatch.setattr(importlib.metadata, "entry_points", twice)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pm = new_plugin_manager()
        infos = adapter_infos(pm)
    names = [i.adapter.name for i in infos]
    assert names == sorted(set(names)) and set(BUILT_IN) <= set(names)
    assert len(pm.get_plugins()) == len({i.plugin for i in infos})
    assert failed_plugins(pm) == []


def test_one_distribution_in_two_folders_on_sys_path_is_loaded_once(tmp_path, monkeypatch):
    module = f"fake_tweemaal_{uuid.uuid4().hex[:8]}"
    for folder in ("a", "b"):
        fake_plugin(tmp_path / folder, "opvangkern-tweemaal", "1.0", ADAPTER_MODULE.format(name="tweemaal",
                    label="Tweemaal"), module=module)
        monkeypatch.syspath_prepend(str(tmp_path / folder))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        infos = {i.adapter.name: i for i in adapter_infos(new_plugin_manager())}
    sys.modules.pop(module, None)
    assert infos["tweemaal"].plugin == "opvangkern-tweemaal"
    assert set(BUILT_IN) | {"tweemaal"} <= set(infos)


def test_one_module_under_two_entry_point_names_is_registered_once(site):
    module = fake_plugin(site, "opvangkern-een", "1.0", ADAPTER_MODULE.format(name="een", label="Een"))
    info = next(site.glob("opvangkern_een-*.dist-info"))
    (info / "entry_points.txt").write_text(f"[opvangkern]\neen = {module}\nook_een = {module}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(BUILT_IN) | {"een"} <= set(adapters(new_plugin_manager()))


def test_a_second_plugin_under_a_taken_name_is_a_warning(site):
    fake_plugin(site, "opvangkern-nep-nidos", "1.0", ADAPTER_MODULE.format(name="nepnidos", label="Nep"),
                ep_name="nidos")
    with pytest.warns(PluginLoadWarning, match=r"pluginnaam 'nidos' is al in gebruik") as caught:
        pm = new_plugin_manager()
    # which one wins depends on the order on sys.path; the other is named, not silently dropped
    [message] = [str(w.message) for w in caught]
    assert "opvangkern-nep-nidos" in message and "opvangkern-nidos" in message
    assert len({"nidos", "nepnidos"} & set(adapters(pm))) == 1
    assert len(failed_plugins(pm)) == 1


# --- what bronnen shows -------------------------------------------------------------------------------

def test_bronnen_shows_name_label_tasks_plugin_and_version(tmp_path):
    site = tmp_path / "site"
    fake_plugin(site, "opvangkern-proef", "2.5.1", ADAPTER_MODULE.format(name="proef", label="Proefbron"))
    result = run_cli("bronnen", site=site)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["bron", "label", "opgaven", "plugin", "versie"]
    rows = rows_of(result.stdout)
    assert rows["proef"].split() == ["proef", "Proefbron", "amv", "opvangkern-proef", "2.5.1"]
    import opvangkern_coa

    assert rows["coa"].split()[-3:] == ["amv", "opvangkern-coa", opvangkern_coa.__version__]
    assert "asiel, amv" in rows["coa"]
    # in name order, columns aligned
    assert list(rows) == sorted(rows)
    starts = {line.index(line.split()[-1]) for line in lines if line.strip()}
    assert len(starts) == 1


def test_adapter_infos_of_a_plugin_registered_by_hand():
    class Adapter(kit.SourceAdapter):
        name, label, tasks = "hand", "Met de hand", ("amv",)

        def read(self, source):
            return kit.RealisatieBuilder(source, self.name).result()

    class Plugin:
        __version__ = "9.9"

        @kit.hookimpl
        def opvangkern_source_adapters(self):
            return [Adapter()]

    pm = new_plugin_manager(autoload=False)
    pm.register(Plugin(), name="handwerk")
    [info] = adapter_infos(pm)
    assert (info.adapter.name, info.plugin, info.version) == ("hand", "handwerk", "9.9")
