"""The hooks of opvangkern: this module is the plugin API.

A plugin is a module (or object) registered under the entry-point group ``opvangkern``; it implements
one or more of these hooks with ``@opvangkern.sources.hookspecs.hookimpl`` (also ``kit.hookimpl``). Hooks
are called with keyword arguments, and an implementation may accept fewer arguments than the spec names.
Each hook's docstring states its calling rule and since when it exists; ``docs/plugin_hooks.md``
documents every hook with its exact signature (``tests/test_hookspecs_documented.py`` checks that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from opvangkern.sources.adapter import SourceAdapter

PROJECT_NAME = "opvangkern"
ENTRY_POINT_GROUP = "opvangkern"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def opvangkern_source_adapters() -> list[SourceAdapter]:
    """Return the source adapters this plugin contributes (a list, possibly empty).

    Calling rule: every plugin is called, without arguments; the results are collected. Two adapters
    with the same ``name`` are an error (``PluginError``); a plugin whose hook raises or returns
    something else than ``SourceAdapter`` instances is left out with a warning. Since 0.1.
    """
