"""The entry points of one group, found without importing ``importlib.metadata`` (issue 16).

``importlib.metadata.entry_points(group=...)`` costs the one-shot command 15-20 ms: the import itself
(``email``, ``zipfile``, ``csv``, ``inspect`` …), a ``Distribution`` object per installed distribution,
and the ``email`` parser for the name and version of each plugin. This module gives the same answer
for the common layout, ordinary folders on ``sys.path`` holding ``*.dist-info`` / ``*.egg-info``
folders (what pip and editable installs leave behind), by reading only the ``entry_points.txt`` files,
and the ``METADATA`` headers of the distributions that have an entry point in the group.

It follows ``importlib.metadata`` exactly: the folders of ``sys.path`` in order (``""`` is the current
folder), in each the metadata folders in ``os.listdir`` order grouped by normalised distribution name,
one distribution per normalised name (the first found wins), the entry points of a distribution in file
order. Anything else on the path (a zip file, an ``.egg``, a finder on ``sys.meta_path`` that finds
distributions of its own) makes it ask ``importlib.metadata`` itself, so the answer never differs
(``tests/test_entrypoints.py`` compares the two).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

__all__ = ["FoundEntryPoint", "entry_points"]

_SUFFIXES = (".dist-info", ".egg-info")


class FoundDistribution:
    """The name and version of a distribution, read from its metadata headers when first asked."""

    __slots__ = ("_path", "_headers")

    def __init__(self, path: str) -> None:
        self._path = path
        self._headers: dict[str, str] | None = None

    def _header(self, key: str) -> str | None:
        if self._headers is None:
            self._headers = _read_headers(self._path)
        return self._headers.get(key)

    @property
    def name(self) -> str | None:
        return self._header("name")

    @property
    def version(self) -> str | None:
        return self._header("version")


class FoundEntryPoint:
    """One entry point: ``name = value`` of a group, with its distribution (as ``importlib.metadata``'s)."""

    __slots__ = ("name", "value", "group", "dist")

    def __init__(self, name: str, value: str, group: str, dist: FoundDistribution) -> None:
        self.name, self.value, self.group, self.dist = name, value, group, dist

    _PATTERN = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")

    def load(self) -> Any:
        """The object the entry point names (``module`` or ``module:attr.attr``), as ``EntryPoint.load``."""
        import functools
        from importlib import import_module

        match = self._PATTERN.match(self.value)
        if match is None:
            raise ValueError(f"ongeldig entry point {self.value!r}")
        module = import_module(match.group("module"))
        attributes = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, attributes, module)

    def __repr__(self) -> str:
        return f"FoundEntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(group: str) -> list[Any]:
    """The entry points of ``group`` of every distribution on ``sys.path``, as ``importlib.metadata``
    finds them (objects with ``name``, ``value``, ``dist.name``, ``dist.version`` and ``load()``)."""
    if not _plain_path():
        from importlib import metadata

        return list(metadata.entry_points(group=group))
    found = []
    seen: set[str] = set()
    for entry in sys.path:
        for name, path in _metadata_folders(entry):
            if name in seen:
                continue
            seen.add(name)
            text = _read_text(os.path.join(path, "entry_points.txt"))
            if text is None or f"[{group}]" not in text:
                continue
            dist = FoundDistribution(path)
            found.extend(FoundEntryPoint(n, v, group, dist) for n, v in _section(text, group))
    return found


def _plain_path() -> bool:
    """Whether every distribution is found by the standard path finder in plain folders."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return False
    for entry in sys.path:
        if not isinstance(entry, str):
            return False
        if entry.lower().endswith(".egg") or (entry and os.path.exists(entry) and not os.path.isdir(entry)):
            return False
    return True


def _normalize(name: str) -> str:
    """``importlib.metadata``'s ``Prepared.normalize``: PEP 503, with underscores."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _metadata_folders(entry: str) -> list[tuple[str, str]]:
    """The metadata folders in one ``sys.path`` folder, as ``importlib.metadata``'s ``FastPath`` orders
    them: grouped by normalised name in order of first appearance, each group in listing order."""
    root = entry or "."
    try:
        children = os.listdir(root)
    except OSError:
        return []
    groups: dict[str, list[str]] = {}
    for child in children:
        low = child.lower()
        if low.endswith(_SUFFIXES):
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            groups.setdefault(name, []).append(os.path.join(entry, child) if entry else child)
    return [(name, path) for name, paths in groups.items() for path in paths]


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of one ``[group]`` of an ``entry_points.txt`` (``importlib.metadata``'s
    ``Sectioned``: stripped lines, ``#`` comments and blank lines skipped). A line without ``=`` (which
    makes ``importlib.metadata`` raise for the whole environment) gives an entry point without a value,
    whose ``load()`` fails: a ``PluginLoadWarning`` for that plugin only."""
    pairs = []
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]")
            continue
        if current == group:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


def _read_headers(path: str) -> dict[str, str]:
    """``Name`` and ``Version`` from a distribution's ``METADATA`` (``PKG-INFO`` for an ``.egg-info``)."""
    for file in ("METADATA", "PKG-INFO"):
        text = _read_text(os.path.join(path, file))
        if text is not None:
            break
    else:
        return {}
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break  # the headers end at the first empty line
        key, sep, value = line.partition(":")
        key = key.lower()
        if sep and key in ("name", "version") and key not in headers:
            headers[key] = value.lstrip(" \t").rstrip("\r\n")  # as the email parser reads a header
    return headers
