"""opvangkern: Dutch reception and housing targets (opgaven) turned into trustworthy Arrow tables.

    import opvangkern
    ds = opvangkern.open_dataset()            # the bundled sample; or a folder with opvangkern.toml
    dash = ds.dashboard(gebied="PV22")
    dash.kaarten, dash.gemeenten              # pyarrow.Table

Importing the package is cheap: the Arrow stack, the reference data and the plugins load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opvangkern._version import __version__
from opvangkern.errors import AmbiguousArea, AreaNotFound, DataError, OpvangkernError, OutputError, PluginError, UsageError

if TYPE_CHECKING:
    from opvangkern.dashboard.compute import Dashboard
    from opvangkern.dataset.load import Dataset, load_dataset, open_dataset, sample_path

__all__ = [
    "__version__",
    "open_dataset",
    "load_dataset",
    "sample_path",
    "Dataset",
    "Dashboard",
    "OpvangkernError",
    "DataError",
    "UsageError",
    "AreaNotFound",
    "AmbiguousArea",
    "PluginError",
    "OutputError",
]

_LAZY = {
    "open_dataset": "dataset.load",
    "load_dataset": "dataset.load",
    "sample_path": "dataset.load",
    "Dataset": "dataset.load",
    "Dashboard": "dashboard.compute",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'opvangkern' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
