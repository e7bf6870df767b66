"""The names of the sources, as the installed adapters give them (issue 8): the core names no adapter.

Every adapter declares its ``name`` (the manifest key), its ``label`` (the Dutch name of the source:
``COA``, ``Taakstellingvolgsysteem (TVS)``), optionally a ``short_label`` (the name on a card: ``TVS``;
by default the label up to its first parenthesis) and the ``tasks`` it reports. A card names the
sources that gave its rows (``kaarten.bronnen``); a card without rows names the installed adapters that
declare its task, those the dataset's manifest names first. The text view and the page both ask here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

import attrs

__all__ = ["SourceInfo", "source_infos", "card_sources", "short_name", "page_name", "joined", "latest_peildatum",
           "source_order", "source_notes"]


@attrs.frozen
class SourceInfo:
    """What the outputs need of one installed source adapter."""

    name: str
    """The manifest key (``coa``)."""
    label: str
    """The Dutch name of the source (``Taakstellingvolgsysteem (TVS)``)."""
    short_label: str
    """The name on a card (``TVS``)."""
    tasks: tuple[str, ...]
    """The tasks it reports."""
    page_note: str = ""
    """A sentence the page adds where it names the source (``SourceAdapter.page_note``)."""


def source_infos(adapters: Iterable[Any]) -> dict[str, SourceInfo]:
    """``name → SourceInfo`` of the given adapters (``SourceAdapter`` instances), in their order."""
    out: dict[str, SourceInfo] = {}
    for adapter in adapters:
        label = str(getattr(adapter, "label", "") or adapter.name)
        short = str(getattr(adapter, "short_label", "") or label.split(" (")[0].strip() or adapter.name)
        out[adapter.name] = SourceInfo(adapter.name, label, short, tuple(getattr(adapter, "tasks", ()) or ()),
                                       str(getattr(adapter, "page_note", "") or ""))
    return out


def _infos(dashboard: Any) -> dict[str, SourceInfo]:
    return getattr(dashboard, "bron_info", None) or {}


def card_sources(dashboard: Any, opgave: str, bronnen: str | None) -> list[str]:
    """The adapter names of a card: those that gave its rows (``kaarten.bronnen``, comma-separated), else
    the one installed adapter that declares ``opgave``, preferring one the dataset used, then the most
    specialised (fewest tasks), then by name; none when no installed adapter declares it."""
    if bronnen:
        return [b for b in bronnen.split(",") if b]
    used = getattr(dashboard, "bron_labels", None) or {}
    declaring = [name for name, info in _infos(dashboard).items() if opgave in info.tasks]
    infos = _infos(dashboard)
    return sorted(declaring, key=lambda name: (name not in used, len(infos[name].tasks), name))[:1]


def short_name(dashboard: Any, bron: str) -> str:
    """The source on a card (``COA``); the adapter's name when it is not installed."""
    info = _infos(dashboard).get(bron)
    if info is not None:
        return info.short_label
    label = (getattr(dashboard, "bron_labels", None) or {}).get(bron)
    return label.split(" (")[0] if label else bron


def page_name(dashboard: Any, bron: str) -> str:
    """The source in a sentence (``Taakstellingvolgsysteem (TVS)``): the adapter's label."""
    info = _infos(dashboard).get(bron)
    if info is not None:
        return info.label
    return (getattr(dashboard, "bron_labels", None) or {}).get(bron) or bron


def source_notes(dashboard: Any, bronnen: Sequence[str]) -> list[str]:
    """The adapters' own sentences for the page (``SourceAdapter.page_note``), in the order given."""
    infos = _infos(dashboard)
    return [infos[b].page_note for b in dict.fromkeys(bronnen) if b in infos and infos[b].page_note]


def joined(names: Sequence[str]) -> str:
    """``A``, ``A en B``, ``A, B en C``."""
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def latest_peildatum(dashboard: Any, bronnen: Sequence[str]) -> dt.date | None:
    """The latest peildatum among ``bronnen`` (``Dashboard.peildata``), ``None`` when none has one."""
    days = [d for d in (dashboard.peildata.get(b) for b in bronnen) if d is not None]
    return max(days) if days else None


def source_order(dashboard: Any, bron: str) -> tuple[int, str]:
    """Sort key of a source: by the first task (in the order of the cards) it declares, then by name."""
    from opvangkern.model import TASK_KEYS

    info = _infos(dashboard).get(bron)
    first = min((TASK_KEYS.index(t) for t in (info.tasks if info else ()) if t in TASK_KEYS), default=len(TASK_KEYS))
    return first, bron
