"""Finding and loading plugins: one pluggy ``PluginManager("opvangkern")`` per process.

Plugins are loaded one entry point at a time so that one that fails to import is a warning and the
others still work; the failures are kept (``failed_plugins``) so that ``opvangkern bronnen`` can show
them. ``OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD`` (any non-empty value) switches entry-point loading off
(tests and embedders then register plugins themselves). Two adapters with one name make the choice
ambiguous: that is a ``PluginError`` naming both plugins. See ``docs/plugins.md``.
"""

from __future__ import annotations

import functools
import os
import warnings
from typing import Any

import attrs
import pluggy

from opvangkern.errors import PluginError
from opvangkern.sources import hookspecs
from opvangkern.sources.adapter import SourceAdapter

INSTALL_HINT = 'De vier bronadapters (coa, kcio, tvs, nidos) installeer je met: pip install "opvangkern[bronnen]"'
"""What the "no adapter" melding and ``opvangkern bronnen`` say to install."""

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


@attrs.frozen
class PluginFailure:
    """A plugin that was found but not used, and why."""

    name: str
    """The entry point's (or registered plugin's) name."""
    plugin: str
    """The distribution that registered it (``opvangkern-coa``), or the plugin's name."""
    version: str
    problem: str
    """What went wrong, in Dutch (``kon niet worden geladen: ModuleNotFoundError(...)``)."""

    def describe(self) -> str:
        where = f"{self.plugin} {self.version}".strip()
        return f"plugin {self.name!r} ({where}) {self.problem}"


def autoload_disabled() -> bool:
    """Whether ``OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD`` is set (to any non-empty value)."""
    return bool(os.environ.get(DISABLE_AUTOLOAD_ENV))


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with opvangkern's hookspecs, and what loading found out kept on it (as pytest
    keeps its state on its own subclass): where each plugin comes from and which plugins are not used."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.distributions: dict[str, tuple[str, str]] = {}
        """Plugin name -> (distribution, version)."""
        self.failures: dict[str, PluginFailure] = {}
        """Plugin name -> why it is not used."""


def new_plugin_manager(autoload: bool | None = None) -> PluginManager:
    """A fresh manager with the hookspecs, and (unless disabled) the entry-point plugins."""
    pm = PluginManager()
    if autoload is None:
        autoload = not autoload_disabled()
    if autoload:
        _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        # An implementation of a hook this version does not know: loud, because the plugin's author
        # meant something by it (hooks of a newer version are marked ``@hookimpl(optionalhook=True)``).
        name = pm.get_name(exc.plugin) or "?"
        plugin = _distributions(pm).get(name, (name, ""))[0]
        raise PluginError(f"plugin {plugin!r} implementeert een hook die deze versie van opvangkern niet kent: "
                          f"{exc}") from exc
    return pm


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    from importlib import metadata  # here, not at the top: embedders without autoload never need it

    seen: set[tuple[str, str]] = set()
    for ep in metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP):
        # An editable install (or a leftover *.egg-info next to it) can expose one distribution twice
        # on sys.path; load it once.
        key = (ep.name, ep.value)
        if key in seen:
            continue
        seen.add(key)
        dist = (ep.dist.name, ep.dist.version) if ep.dist is not None else (ep.name, "")
        if pm.get_plugin(ep.name) is not None or ep.name in _failures(pm):
            first = _distributions(pm).get(ep.name, (ep.name, ""))[0]
            _fail(pm, PluginFailure(ep.name, *dist, f"niet geladen ({ep.value}): de pluginnaam {ep.name!r} is al "
                                                    f"in gebruik door {first!r}"), keep=False)
            continue
        try:
            plugin = ep.load()
        except Exception as exc:  # noqa: BLE001 - any import failure of a third-party plugin
            _fail(pm, PluginFailure(ep.name, *dist, f"kon niet worden geladen ({ep.value}): {exc!r}"))
            continue
        if pm.is_registered(plugin):
            continue  # the same module under a second entry point: its hooks are there already
        try:
            pm.register(plugin, name=ep.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            _fail(pm, PluginFailure(ep.name, *dist, f"kon niet worden geregistreerd ({ep.value}): {exc}"))
            continue
        _distributions(pm)[ep.name] = dist


def _fail(pm: pluggy.PluginManager, failure: PluginFailure, keep: bool = True) -> None:
    if keep:
        _failures(pm)[failure.name] = failure
    else:
        _failures(pm).setdefault(f"{failure.name} ({failure.plugin})", failure)
    warnings.warn(f"{failure.describe()}; de andere plugins werken wel", PluginLoadWarning, stacklevel=3)


def _distributions(pm: pluggy.PluginManager) -> dict[str, tuple[str, str]]:
    """Plugin name -> (distribution, version); an embedder's plain pluggy manager knows none."""
    return pm.distributions if isinstance(pm, PluginManager) else {}


def _failures(pm: pluggy.PluginManager) -> dict[str, PluginFailure]:
    """Plugin name -> why it is not used; an embedder's plain pluggy manager keeps none (warnings only)."""
    return pm.failures if isinstance(pm, PluginManager) else {}


@functools.cache
def plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (created on first use)."""
    return new_plugin_manager()


def failed_plugins(pm: pluggy.PluginManager | None = None) -> list[PluginFailure]:
    """The plugins that were found but are not used (each was also a ``PluginLoadWarning``), by name.

    Call it after ``adapter_infos``: a plugin whose hook fails is only known once the hook is called."""
    pm = pm or plugin_manager()
    return [_failures(pm)[k] for k in sorted(_failures(pm))]


def adapter_infos(pm: pluggy.PluginManager | None = None) -> list[AdapterInfo]:
    """Every installed adapter with its plugin distribution and version, in name order.

    A plugin whose hook raises, or gives something that is not a ``SourceAdapter``, is left out with a
    ``PluginLoadWarning``; two adapters with the same name are a ``PluginError`` naming both plugins."""
    pm = pm or plugin_manager()
    dists = _distributions(pm)
    infos: dict[str, AdapterInfo] = {}
    hook = pm.hook.opvangkern_source_adapters
    impls = hook.get_hookimpls()  # in registration order
    contributors = [impl for impl in impls if not (impl.hookwrapper or impl.wrapper)]
    for impl in contributors:
        plugin_name, version = dists.get(
            impl.plugin_name, (impl.plugin_name, getattr(impl.plugin, "__version__", "")))
        version = str(version or "")
        # The hook is called through pluggy, once per contributing plugin with the others left out: the
        # wrappers (``wrapper=True`` / ``hookwrapper=True``) still run around it, a plugin that raises is
        # left out alone, and every adapter is known by the plugin that gave it.
        others = [other.plugin for other in contributors if other is not impl]
        try:
            results = pm.subset_hook_caller("opvangkern_source_adapters", remove_plugins=others)()
            contributed = [adapter for result in results for adapter in (result or ())]
        except Exception as exc:  # noqa: BLE001 - a broken plugin is a warning, the others still work
            _fail(pm, PluginFailure(impl.plugin_name, plugin_name, version,
                                    f"faalde in opvangkern_source_adapters(): {exc!r}"))
            continue
        bad = [a for a in contributed if not _is_adapter(a)]
        if bad:
            _fail(pm, PluginFailure(impl.plugin_name, plugin_name, version,
                                    f"gaf {bad[0]!r} uit opvangkern_source_adapters(): geen SourceAdapter met een "
                                    "naam"))
            continue
        for adapter in contributed:
            if adapter.name in infos:
                other = infos[adapter.name].plugin
                raise PluginError(
                    f"twee adapters heten {adapter.name!r}: uit {other!r} en uit {plugin_name!r}; "
                    f"verwijder er één (pip uninstall {other} of {plugin_name}) of hernoem er één")
            infos[adapter.name] = AdapterInfo(adapter, plugin_name, version)
    return [infos[k] for k in sorted(infos)]


def _is_adapter(value: Any) -> bool:
    return isinstance(value, SourceAdapter) and isinstance(value.name, str) and bool(value.name)


def adapters(pm: pluggy.PluginManager | None = None) -> dict[str, SourceAdapter]:
    """The installed adapters by name."""
    return {info.adapter.name: info.adapter for info in adapter_infos(pm)}
