"""A grid as a pandas DataFrame (``RealisatieBuilder.read_frame``): columns ``0 … n-1``, index ``rij``."""

from __future__ import annotations

from typing import Any

from .sheet import Grid

__all__ = ["grid_frame"]


def grid_frame(grid: Grid) -> Any:
    """The cells of ``grid`` as a DataFrame of objects; index ``rij`` (the row numbers), ``attrs["blad"]``."""
    from .._pandas_shim import load_pandas

    pd = load_pandas()
    width = max((len(cells) for _, cells in grid.rows), default=0)
    data = [list(cells) + [None] * (width - len(cells)) for _, cells in grid.rows]
    frame = pd.DataFrame(data, columns=range(width), index=pd.Index([r for r, _ in grid.rows], name="rij"),
                         dtype=object)
    frame.attrs["blad"] = grid.blad
    return frame
