"""Finding and loading plugins: one pluggy ``PluginManager("opvangkern")`` per process.

Plugins are loaded one entry point at a time so that one that fails to import is a warning and the
others still work. ``OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD=1`` switches entry-point loading off (tests
and embedders then register plugins themselves).
"""

from __future__ import annotations

import functools
import os
import warnings

import attrs
import pluggy

from ..errors import PluginError
from . import hookspecs
from .adapter import SourceAdapter

DISABLE_AUTOLOAD_ENV = "OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD"


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded; the others still work."""


@attrs.frozen
class AdapterInfo:
    """An installed adapter and where it comes from."""

    adapter: SourceAdapter
    plugin: str
    """The distribution that registered it (``opvangkern-coa``), or the plugin's name."""
    version: str


def new_plugin_manager(autoload: bool | None = None) -> pluggy.PluginManager:
    """A fresh manager with the hookspecs, and (unless disabled) the entry-point plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    if autoload is None:
        autoload = not os.environ.get(DISABLE_AUTOLOAD_ENV)
    if autoload:
        _load_entry_points(pm)
    pm.check_pending()
    return pm


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    from importlib import metadata  # here, not at the top: embedders without autoload never need it

    seen: set[tuple[str, str]] = set()
    for ep in metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP):
        # An editable install can expose one distribution twice on sys.path; load it once.
        key = (ep.name, ep.value)
        if key in seen or pm.get_plugin(ep.name) is not None:
            continue
        seen.add(key)
        try:
            plugin = ep.load()
        except Exception as exc:  # noqa: BLE001 - any import failure of a third-party plugin
            warnings.warn(f"plugin {ep.name!r} ({ep.value}) kon niet worden geladen: {exc!r}",
                          PluginLoadWarning, stacklevel=2)
            continue
        pm.register(plugin, name=ep.name)
        if ep.dist is not None:
            _distributions(pm)[ep.name] = (ep.dist.name, ep.dist.version)


def _distributions(pm: pluggy.PluginManager) -> dict[str, tuple[str, str]]:
    """Plugin name -> (distribution, version), kept on the manager itself."""
    if not hasattr(pm, "opvangkern_distributions"):
        pm.opvangkern_distributions = {}  # type: ignore[attr-defined]
    return pm.opvangkern_distributions  # type: ignore[attr-defined]


@functools.cache
def plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (created on first use)."""
    return new_plugin_manager()


def adapter_infos(pm: pluggy.PluginManager | None = None) -> list[AdapterInfo]:
    """Every installed adapter with its plugin distribution and version, in name order."""
    pm = pm or plugin_manager()
    dists = _distributions(pm)
    infos: dict[str, AdapterInfo] = {}
    for impl in pm.hook.opvangkern_source_adapters.get_hookimpls():
        plugin_name, version = dists.get(
            impl.plugin_name, (impl.plugin_name, getattr(impl.plugin, "__version__", "")))
        for adapter in impl.function() or ():
            if not isinstance(adapter, SourceAdapter):
                raise PluginError(f"plugin {plugin_name!r} gaf {adapter!r}, geen SourceAdapter")
            if adapter.name in infos:
                other = infos[adapter.name].plugin
                raise PluginError(
                    f"twee adapters heten {adapter.name!r}: uit {other!r} en uit {plugin_name!r}; "
                    "verwijder er één")
            infos[adapter.name] = AdapterInfo(adapter, plugin_name, str(version))
    return [infos[k] for k in sorted(infos)]


def adapters(pm: pluggy.PluginManager | None = None) -> dict[str, SourceAdapter]:
    """The installed adapters by name."""
    return {info.adapter.name: info.adapter for info in adapter_infos(pm)}
