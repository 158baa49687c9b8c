"""Rasters the map derives from a region's layers, in bounded memory.

The hillshade and the annual rainfall are computed strip by strip from the aligned COGs
(every cell is its own sum; the hillshade reads one more row above and below for its
gradient), so a national grid (10^8 cells, 12 bands) never sits whole in memory; the monthly
rainfall the map tiles is a band-interleaved copy GDAL streams block by block. Colour
stretches read every cell of small layers and a decimated view (GDAL's overviews) of large
ones: a 2-98 % stretch does not need 10^9 values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.windows import Window

from layers.grid import Grid
from layers.io import atomic_path, write_cog
from processing.grids import calendar_climatology
from processing.kernels.terrain import hillshade

STRIP_ROWS = 256  # a 12-band strip of a 10,000-column grid: 123 MB
STRETCH_CELLS = 32_000_000  # values (cells x bands, 128 MB) read for a colour stretch


def _strips(height: int) -> list[tuple[int, int]]:
    rows = STRIP_ROWS  # read at call time (tests use small strips)
    return [(r, min(rows, height - r)) for r in range(0, height, rows)]


def _read_rows(src: rasterio.DatasetReader, row0: int, rows: int) -> np.ndarray:
    """Rows of every band as float32 (NaN for nodata)."""
    data = src.read(window=Window(0, row0, src.width, rows)).astype(np.float32)
    if src.nodata is not None and not np.isnan(src.nodata):
        data[data == src.nodata] = np.nan
    return data


def hillshade_cog(dem_path: Path, out: Path, grid: Grid) -> Path:
    """The DEM's hillshade (uint8, 0 = no data) as a COG, computed by strips."""
    shade = np.zeros(grid.shape, np.uint8)
    with rasterio.open(dem_path) as src:
        for r, n in _strips(grid.height):
            top, bottom = max(0, r - 1), min(grid.height, r + n + 1)
            dem = _read_rows(src, top, bottom - top)[0]
            shade[r : r + n] = hillshade(dem, grid.res_m)[r - top : r - top + n]
    return write_cog(out, shade, grid.crs, grid.transform, 0)


def annual_rain_cog(rain_path: Path, out: Path, grid: Grid, first_month: int) -> Path:
    """Annual rainfall (mm/yr) of the monthly climatology as a COG, computed by strips.

    A cell missing any calendar month is NaN.
    """
    annual = np.full(grid.shape, np.nan, np.float32)
    with rasterio.open(rain_path) as src:
        for r, n in _strips(grid.height):
            clim = calendar_climatology(_read_rows(src, r, n), first_month)
            finite = np.isfinite(clim)
            total = clim.sum(axis=0, where=finite)
            annual[r : r + n] = np.where(finite.all(axis=0), total, np.nan)
    return write_cog(out, annual, grid.crs, grid.transform, float("nan"), {"units": "mm/yr"})


def band_interleaved_copy(source: Path, out: Path) -> Path:
    """A copy of a multi-band COG with the blocks of each band apart, for the map's tiles.

    A tile shows one band (a month), and GDAL warps every band of a dataset and decodes every
    band of a pixel-interleaved block at once: a tile of one month of the demo's 12-band
    rainfall took 56 ms of CPU against 8 for a one-band COG. A band of this copy, opened
    alone as ``vrt://PATH?bands=N`` (:func:`dashboard.tiles.render_tile`), takes 9 ms. The
    copy is a tiled GeoTIFF with the source's pixels, tags and overviews (GDAL 3.10's COG
    driver writes pixel-interleaved only).
    """
    with rasterio.open(source) as src:
        kind = np.dtype(src.dtypes[0]).kind
    with atomic_path(out) as tmp:
        rasterio.shutil.copy(
            source,
            tmp,
            driver="GTiff",
            tiled=True,
            blockxsize=512,
            blockysize=512,
            interleave="band",
            compress="DEFLATE",
            predictor=3 if kind == "f" else 2,
            COPY_SRC_OVERVIEWS="YES",
            BIGTIFF="IF_SAFER",
        )
    return out


def stretch(path: Path, quantiles: Sequence[float] = (2, 98)) -> list[float] | None:
    """Percentiles of a raster's values over all bands (None when it has none).

    Every value when the raster holds at most ``STRETCH_CELLS`` (cells x bands); else a
    decimated read.
    """
    with rasterio.open(path) as src:
        values = src.width * src.height * src.count
        step = max(1, math.ceil(math.sqrt(values / STRETCH_CELLS)))
        shape = (src.count, math.ceil(src.height / step), math.ceil(src.width / step))
        data = src.read(out_shape=shape).astype(np.float32)
        if src.nodata is not None and not np.isnan(src.nodata):
            data[data == src.nodata] = np.nan
    finite = data[np.isfinite(data)]
    if not finite.size:
        return None
    return [float(v) for v in np.percentile(finite.astype(np.float64), list(quantiles))]
