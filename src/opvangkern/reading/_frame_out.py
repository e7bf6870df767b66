"""A grid as a pandas DataFrame (``RealisatieBuilder.read_frame``): columns ``0 … n-1``, index ``rij``."""

from __future__ import annotations

from typing import Any

from opvangkern.reading.sheet import Grid

__all__ = ["grid_frame"]


def grid_frame(grid: Grid) -> Any:
    """The cells of ``grid`` as a DataFrame of objects; index ``rij`` (the row numbers), ``attrs["blad"]``."""
    from opvangkern._pandas_shim import load_pandas

    pd = load_pandas()
    width = max((len(cells) for _, cells in grid.rows), default=0)
    data = [list(cells) + [None] * (width - len(cells)) for _, cells in grid.rows]
    frame = pd.DataFrame(data, columns=range(width), index=pd.Index([r for r, _ in grid.rows], name="rij"),
                         dtype=object)
    frame.attrs["blad"] = grid.blad
    if grid.bad_rows or grid.bad_cells or grid.filled or grid.struck:
        # what cannot be read as a value travels with the frame (``frame.dataframe_grid`` puts it back)
        frame.attrs["onleesbaar"] = {"bad_rows": dict(grid.bad_rows), "bad_cells": dict(grid.bad_cells),
                                     "filled": set(grid.filled), "struck": set(grid.struck)}
    return frame
