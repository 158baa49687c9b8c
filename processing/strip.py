"""A strip of rows of the working grid: the unit of work of the pipeline and the criteria."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rasterio.windows import Window

from layers.grid import Grid


@dataclass(frozen=True)
class Strip:
    """One strip of rows of the working grid."""

    grid: Grid
    row0: int
    rows: int

    @classmethod
    def whole(cls, grid: Grid) -> Strip:
        """The whole grid as one strip."""
        return cls(grid, 0, grid.height)

    def window(self, halo_rows: int = 0) -> tuple[Window, int]:
        """The strip's window grown by ``halo_rows`` (clipped to the grid).

        Returns the window and the strip's first row inside it.
        """
        top = max(0, self.row0 - halo_rows)
        bottom = min(self.grid.height, self.row0 + self.rows + halo_rows)
        return Window(0, top, self.grid.width, bottom - top), self.row0 - top

    def halo_rows(self, metres: float) -> int:
        """Rows that hold every cell within ``metres`` of the strip (the whole grid at most)."""
        if not math.isfinite(metres):
            return self.grid.height
        return min(math.ceil(metres / self.grid.res_m) + 1, self.grid.height)

    def crop(self, arr: np.ndarray, offset: int) -> np.ndarray:
        """The strip's rows of a ``(rows, cols)`` array read with a halo."""
        return arr[offset : offset + self.rows]
