"""pluggy used as pluggy: hooks are called through ``pm.hook`` so wrappers are honoured, state lives on
opvangkern's ``PluginManager`` subclass, and an implementation of an unknown hook fails loudly."""

from __future__ import annotations

import warnings

import pluggy
import pytest

from opvangkern.errors import PluginError
from opvangkern.sources import kit
from opvangkern.sources.manager import PluginLoadWarning, PluginManager, adapter_infos, adapters, \
    failed_plugins, new_plugin_manager


class _Adapter(kit.SourceAdapter):
    tasks = ("amv",)

    def __init__(self, name: str):
        self.name, self.label = name, name.upper()

    def read(self, source):
        return kit.RealisatieBuilder(source, self.name).result()


class Gives:
    def __init__(self, *names: str):
        self.names = names

    @kit.hookimpl
    def opvangkern_source_adapters(self):
        return [_Adapter(n) for n in self.names]


class Broken:
    @kit.hookimpl
    def opvangkern_source_adapters(self):
        raise RuntimeError("kapot")


class Renames:
    """A new-style wrapper that renames every adapter the plugins give."""

    @kit.hookimpl(wrapper=True)
    def opvangkern_source_adapters(self):
        results = yield
        for result in results:
            for adapter in result:
                adapter.name = adapter.name + "_x"
        return results


class OldStyleDrops:
    """An old-style hookwrapper that drops the adapters called ``weg``."""

    @kit.hookimpl(hookwrapper=True)
    def opvangkern_source_adapters(self):
        outcome = yield
        outcome.force_result([[a for a in r if a.name != "weg"] for r in outcome.get_result()])


def manager(*plugins) -> PluginManager:
    pm = new_plugin_manager(autoload=False)
    for i, plugin in enumerate(plugins):
        pm.register(plugin, name=f"p{i}")
    return pm


def test_the_manager_is_opvangkerns_own_subclass_with_its_state():
    pm = manager(Gives("een"))
    assert isinstance(pm, PluginManager) and isinstance(pm, pluggy.PluginManager)
    assert pm.project_name == "opvangkern" and pm.distributions == {} and pm.failures == {}


def test_a_wrapper_is_honoured():
    assert set(adapters(manager(Gives("een", "twee"), Renames()))) == {"een_x", "twee_x"}


def test_an_old_style_hookwrapper_is_honoured():
    assert set(adapters(manager(Gives("een", "weg"), OldStyleDrops()))) == {"een"}


def test_a_broken_plugin_is_left_out_alone_with_the_wrapper_still_running():
    pm = manager(Gives("een"), Broken(), Renames())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        infos = adapter_infos(pm)
    assert [i.adapter.name for i in infos] == ["een_x"] and infos[0].plugin == "p0"
    assert any(issubclass(w.category, PluginLoadWarning) for w in caught)
    assert [f.name for f in failed_plugins(pm)] == ["p1"] and "kapot" in failed_plugins(pm)[0].problem


def test_two_adapters_with_one_name_are_still_an_error():
    with pytest.raises(PluginError, match="twee adapters heten 'een'"):
        adapter_infos(manager(Gives("een"), Gives("een")))


def test_a_plain_pluggy_manager_of_an_embedder_works_too():
    from opvangkern.sources import hookspecs

    pm = pluggy.PluginManager("opvangkern")
    pm.add_hookspecs(hookspecs)
    pm.register(Gives("een"))
    assert set(adapters(pm)) == {"een"}
