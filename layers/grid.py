"""The region's working grid: one projected CRS, one cell size, one extent."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS, Transformer


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid.

    Attributes
    ----------
    crs : pyproj.CRS
        Projected CRS (metres).
    transform : affine.Affine
        Maps (col, row) to the upper-left corner of cells.
    width, height : int
        Columns and rows.

    """

    crs: CRS
    transform: Affine
    width: int
    height: int

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        return (self.height, self.width)

    @property
    def res_m(self) -> float:
        """Cell size in metres."""
        return abs(self.transform.a)

    @property
    def cell_area_m2(self) -> float:
        """Area of one cell in square metres."""
        return abs(self.transform.a * self.transform.e)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in the grid CRS."""
        left, top = self.transform.c, self.transform.f
        return (
            left,
            top + self.transform.e * self.height,
            left + self.transform.a * self.width,
            top,
        )

    def key(self) -> str:
        """A stable text key of the grid, used in cache fingerprints."""
        t = self.transform
        return (
            f"{self.crs.to_string()}|{t.a},{t.b},{t.c},{t.d},{t.e},{t.f}|{self.width}x{self.height}"
        )

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """X and y coordinates of cell centres, 1-D arrays of length width and height."""
        x = self.transform.c + (np.arange(self.width) + 0.5) * self.transform.a
        y = self.transform.f + (np.arange(self.height) + 0.5) * self.transform.e
        return x, y


def utm_crs_for(lon: float, lat: float) -> CRS:
    """The WGS84 UTM zone CRS containing a point.

    Parameters
    ----------
    lon, lat : float
        WGS84 degrees.

    Returns
    -------
    pyproj.CRS
        e.g. EPSG:32737 for 37 deg E, 1.5 deg S.

    """
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"not a WGS84 longitude/latitude: ({lon}, {lat})")
    zone = min(60, math.floor((lon + 180) / 6) + 1)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def grid_for_bounds(
    bounds: tuple[float, float, float, float], crs: CRS, res_m: float, margin_m: float = 0.0
) -> Grid:
    """A grid of ``res_m`` cells snapped to multiples of the cell size that covers ``bounds``.

    Parameters
    ----------
    bounds : tuple
        ``(left, bottom, right, top)`` in ``crs``.
    crs : pyproj.CRS
        Projected CRS.
    res_m : float
        Cell size, metres.
    margin_m : float
        Extra border, metres.

    """
    if crs.is_geographic:
        raise ValueError(
            f"working CRS must be projected (metres), got geographic {crs.to_string()}"
        )
    left, bottom, right, top = bounds
    left = math.floor((left - margin_m) / res_m) * res_m
    bottom = math.floor((bottom - margin_m) / res_m) * res_m
    right = math.ceil((right + margin_m) / res_m) * res_m
    top = math.ceil((top + margin_m) / res_m) * res_m
    width = max(1, round((right - left) / res_m))
    height = max(1, round((top - bottom) / res_m))
    return Grid(crs, Affine(res_m, 0.0, left, 0.0, -res_m, top), width, height)


def transform_bounds(
    bounds: tuple[float, float, float, float], src: CRS, dst: CRS
) -> tuple[float, float, float, float]:
    """Reproject a bounding box, densifying its edges so curved edges are covered."""
    if src == dst:
        return bounds
    t = Transformer.from_crs(src, dst, always_xy=True)
    out = t.transform_bounds(*bounds, densify_pts=21)
    return (float(out[0]), float(out[1]), float(out[2]), float(out[3]))
