"""Which units each cell of the working grid belongs to, overlapping units included.

The rule, the same for every table, raster and engine: a unit counts every cell whose
centre it contains, as the zonal engine counts them. Units that share a cell (overlapping,
or with a common edge through cell centres) are put in different groups
(:func:`overlap_groups`), each group burned into its own label grid, so a cell shared by
two communities counts in both; a tiling is, almost always, one group and one grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio import features

from processing.kernels.per_label import quantized_label_sums
from processing.zonal_layers import footprint_groups, geojson_mappings


def overlap_groups(
    geoms: gpd.GeoSeries, transform: Affine, shape: tuple[int, int]
) -> list[np.ndarray]:
    """Unit indexes (0-based) split into groups whose members share no cell of the grid.

    Two units share a cell when both contain its centre: units whose interiors overlap,
    but also units whose common edge runs through cell centres. Found from the units'
    rasterized footprints as the zonal engine finds them
    (:func:`processing.zonal_layers.footprint_groups`); a tiling gives one group.
    """
    return footprint_groups(np.asarray(geoms.values), transform, shape)


# Summed cell values are rounded to multiples of this (1.5e-5), so that adding them is exact:
# a float64 sum of multiples of 2^-16 is exact (independent of the order and of how the grid
# is cut into strips) while it stays below 2^37: 68 million cells of 2,000 mm in one unit.
# The rounding moves a cell's value by at most 7.6e-6.
SUM_QUANTUM = 2.0**-16


@dataclass(frozen=True)
class UnitLabels:
    """Label grids of one level on a window of the grid.

    Attributes
    ----------
    grids : tuple of numpy.ndarray
        One ``(rows, cols)`` int32 grid per group of units that do not overlap: unit
        number (1..n, in the level's order), 0 outside that group's units.
    n_units : int
        Units of the level.
    """

    grids: tuple[np.ndarray, ...]
    n_units: int

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of the window."""
        return (int(self.grids[0].shape[0]), int(self.grids[0].shape[1]))

    @property
    def inside(self) -> np.ndarray:
        """True where a cell belongs to at least one unit."""
        out = np.zeros(self.shape, dtype=bool)
        for grid in self.grids:
            out |= grid > 0
        return out

    @property
    def first(self) -> np.ndarray:
        """One unit per cell (the first group's where units overlap), 0 outside."""
        out = self.grids[0].copy()
        for grid in self.grids[1:]:
            out = np.where(out > 0, out, grid)
        return out

    def units_at(self, row: int, col: int) -> list[int]:
        """Every unit (0-based index) that contains the cell, in group order."""
        return [int(g[row, col]) - 1 for g in self.grids if g[row, col] > 0]

    def cell_units(self, cells: np.ndarray) -> list[np.ndarray]:
        """Per group, the unit number (0 outside) of each flat cell index."""
        return [g.ravel()[cells] for g in self.grids]

    def bincount(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Per-unit sums of ``weights`` (``(rows, cols)``), or cell counts; ``(n + 1,)``.

        Index 0 holds the cells outside every unit of a group. The weights are made
        rounded to :data:`SUM_QUANTUM` first, so the sums do not depend on how the grid is cut.
        """
        m = self.n_units + 1
        out = np.zeros(m)
        for grid in self.grids:
            if weights is None:
                out += np.bincount(grid.ravel(), minlength=m)
            else:
                out += quantized_label_sums(weights.ravel(), grid.ravel(), m, SUM_QUANTUM)
        return out


def rasterize_units(
    geoms: gpd.GeoSeries,
    groups: Sequence[np.ndarray],
    transform: Affine,
    shape: tuple[int, int],
) -> UnitLabels:
    """Label grids of the units on a window (cell-centre rule, one grid per group).

    Only units whose bounds meet the window are burned; a group no unit of which meets the
    window gives an all-zero grid.
    """
    rows, cols = shape
    w, n = transform * (0, 0)
    e, s = transform * (cols, rows)
    hits = set(geoms.sindex.query(shapely.box(min(w, e), min(s, n), max(w, e), max(s, n))).tolist())
    grids = []
    for group in groups:
        members = [int(i) for i in group if int(i) in hits]
        present = [i for i in members if geoms.iloc[i] is not None and not geoms.iloc[i].is_empty]
        mappings = geojson_mappings([geoms.iloc[i] for i in present])
        shapes = list(zip(mappings, [i + 1 for i in present], strict=True))
        grid = (
            features.rasterize(shapes, out_shape=shape, transform=transform, dtype=np.int32)
            if shapes
            else np.zeros(shape, np.int32)
        )
        grids.append(grid)
    return UnitLabels(tuple(grids), len(geoms))
