"""Reproject and resample rasters onto the region's working grid, cached as COGs.

This is the one place where rasters change CRS. Continuous layers use bilinear resampling
when the source is coarser than the grid and averaging when it is finer; categorical layers
use nearest neighbour or the mode. Results are cached in the region's cache folder and
rebuilt when a source file, the grid or the options change; grids too large to align whole
are read window by window instead (:func:`read_grid_window`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from pyproj import CRS
from rasterio.enums import Resampling
from rasterio.io import DatasetReader
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from layers.errors import LayerReadError
from layers.grid import Grid
from layers.io import fingerprint, raster_info, read_tags, write_cog_bands

CATEGORICAL_NODATA = -32768
FINGERPRINT_TAG = "LANDWATER_FINGERPRINT"
# Off-grid layers are warped in bands of this many grid rows, counted from the grid's top:
# GDAL's result for a cell depends on the request it is warped in, so warping the same
# bands whatever window is asked gives a cell the same value in one strip and in many.
WARP_BAND_ROWS = 32
# A source origin within this fraction of a cell of the grid's lattice is read in place.
LATTICE_TOLERANCE = 1e-6
# Aligning a layer reads this many bytes of float64 grid bands at a time: a pixel-interleaved
# file decodes every band of a tile to give one, so reading bands one by one would decode each
# tile once per band whenever GDAL's block cache cannot hold the file.
ALIGN_READ_BYTES = 256 * 2**20


def choose_resampling(src_res: float, dst_res: float, categorical: bool) -> Resampling:
    """Resampling method for a source cell size against the grid's (same units).

    Parameters
    ----------
    src_res, dst_res : float
        Source and target cell sizes, in the same units (metres).
    categorical : bool
        Class codes (never interpolated) or continuous values.

    """
    finer = src_res < dst_res * 0.75
    if categorical:
        return Resampling.mode if finer else Resampling.nearest
    return Resampling.average if finer else Resampling.bilinear


def _source_res_m(path: Path, grid: Grid) -> float:
    info = raster_info(path)
    if info.crs is None:
        raise LayerReadError(
            path, "raster has no CRS", "assign one, e.g. gdal_edit.py -a_srs EPSG:4326"
        )
    if info.crs.is_geographic:
        return info.res[0] * 111_320.0  # degrees to metres near the equator; only picks a method
    return info.res[0] * float(info.crs.axis_info[0].unit_conversion_factor)


def align_to_grid(
    paths: Sequence[Path],
    grid: Grid,
    *,
    categorical: bool,
    cache_file: Path,
    nodata: float | None = None,
    scale: float = 1.0,
    tags: dict[str, str] | None = None,
) -> Path:
    """Align one or several rasters (bands concatenated in order) onto ``grid``, cached.

    Parameters
    ----------
    paths : sequence of Path
        Source files; every band of every file becomes one output band.
    grid : Grid
        Target grid.
    categorical : bool
        Class codes (int16 output, nearest/mode) or continuous values (float32, NaN nodata).
    cache_file : Path
        Where the aligned COG is kept.
    nodata : float, optional
        Nodata to use when a file declares none.
    scale : float
        Multiplier applied to continuous values (e.g. 0.01 for CHELSA rainfall).
    tags : dict, optional
        Extra metadata written to the COG.

    Returns
    -------
    Path
        ``cache_file``, rebuilt only when its fingerprint changed.

    """
    key = fingerprint(paths, extra=f"{grid.key()}|{categorical}|{nodata}|{scale}|v2")
    if cache_file.exists():
        try:
            if read_tags(cache_file).get(FINGERPRINT_TAG) == key:
                return cache_file
        except rasterio.errors.RasterioIOError:
            pass  # a corrupt cache file is rebuilt below

    def warped_bands() -> Iterator[np.ndarray]:  # a bounded group of bands in memory at a time
        whole = Window(0, 0, grid.width, grid.height)
        per_read = max(1, ALIGN_READ_BYTES // (grid.width * grid.height * 8))
        for path in paths:
            count = raster_info(path).count
            for first in range(1, count + 1, per_read):
                group = read_grid_window(
                    [path], grid, whole, categorical=categorical, nodata=nodata, scale=scale,
                    bands=list(range(first, min(first + per_read, count + 1))),
                )  # fmt: skip
                for values in group:
                    yield values.astype(np.int16 if categorical else np.float32)
                del group  # before the next group is read

    count = sum(raster_info(p).count for p in paths)
    return write_cog_bands(
        cache_file,
        warped_bands(),
        count,
        grid.crs,
        grid.transform,
        CATEGORICAL_NODATA if categorical else float("nan"),
        tags={FINGERPRINT_TAG: key, **(tags or {})},
    )


@dataclass(frozen=True)
class GridSource:
    """A raster layer's source files and how they are read onto the working grid."""

    files: tuple[Path, ...]
    categorical: bool
    nodata: float | None
    scale: float

    def read(self, grid: Grid, window: Window) -> np.ndarray:
        """One window of the grid (see :func:`read_grid_window`)."""
        return read_grid_window(
            self.files,
            grid,
            window,
            categorical=self.categorical,
            nodata=self.nodata,
            scale=self.scale,
        )


def read_grid_window(
    paths: Sequence[Path],
    grid: Grid,
    window: Window,
    *,
    categorical: bool,
    nodata: float | None = None,
    scale: float = 1.0,
    bands: Sequence[int] | None = None,
) -> np.ndarray:
    """One window of the working grid read from source rasters in any CRS and cell size.

    The windowed counterpart of :func:`align_to_grid`, for grids too large to align whole:
    files already on the grid are read in place, others through a GDAL warped VRT on the
    grid (same resampling choice), so only the source blocks under the window are read.

    Parameters
    ----------
    paths : sequence of Path
        Source files; every band of every file becomes one output band.
    grid : Grid
        The working grid.
    window : rasterio.windows.Window
        Rows and columns of the grid to read.
    categorical : bool
        Class codes (int64 with ``CATEGORICAL_NODATA``) or continuous values (float64, NaN).
    nodata : float, optional
        Nodata to use when a file declares none.
    scale : float
        Multiplier applied to continuous values.
    bands : sequence of int, optional
        Read only these bands (1-based) of every file; all bands when omitted.

    Returns
    -------
    numpy.ndarray
        ``(bands, window rows, window cols)``.
    """
    out: list[np.ndarray] = []
    indexes = None if bands is None else list(bands)
    for path in paths:
        with rasterio.open(path) as src:
            src_nodata = src.nodata if src.nodata is not None else nodata
            offset = _lattice_offset(src, grid)
            if offset is not None:
                data, outside = _read_on_lattice(src, window, offset, indexes)
            else:
                outside = None
                method = choose_resampling(_source_res_m(Path(path), grid), grid.res_m, categorical)
                if categorical:
                    dst_nodata, dtype = float(CATEGORICAL_NODATA), "int16"
                else:
                    dst_nodata, dtype = float("nan"), "float32"
                    if src_nodata is None and src.dtypes[0].startswith("float"):
                        src_nodata = float("nan")
                with WarpedVRT(
                    src,
                    crs=grid.crs.to_wkt(),
                    transform=grid.transform,
                    width=grid.width,
                    height=grid.height,
                    resampling=method,
                    src_nodata=src_nodata,
                    nodata=dst_nodata,
                    dtype=dtype,
                ) as vrt:
                    data = _read_in_bands(vrt, window, grid.height, indexes)
                src_nodata = dst_nodata
            values = _as_values(data, src_nodata, categorical, scale)
            if outside is not None:
                values[:, outside] = CATEGORICAL_NODATA if categorical else np.nan
            out.append(values)
    return np.concatenate(out)


def _read_in_bands(
    vrt: WarpedVRT, window: Window, height: int, indexes: list[int] | None
) -> np.ndarray:
    """A window of a warped VRT, warped band by band of :data:`WARP_BAND_ROWS` grid rows."""
    row0, rows = int(window.row_off), int(window.height)
    col0, cols = int(window.col_off), int(window.width)
    first = row0 // WARP_BAND_ROWS * WARP_BAND_ROWS
    parts = [
        vrt.read(indexes=indexes, window=Window(0, r, vrt.width, min(WARP_BAND_ROWS, height - r)))
        for r in range(first, row0 + rows, WARP_BAND_ROWS)
    ]
    stacked = np.concatenate(parts, axis=1)
    return stacked[:, row0 - first : row0 - first + rows, col0 : col0 + cols]


def _lattice_offset(src: DatasetReader, grid: Grid) -> tuple[int, int] | None:
    """Rows and columns from the source's origin to the grid's, when the cells coincide.

    A source in the grid's CRS, with the grid's cell size and an origin a whole number of
    cells away (a larger or smaller extent of the same lattice) is read in place: warping it
    would give the same values, cell for cell, at many times the cost.
    """
    if src.crs is None or CRS.from_user_input(src.crs) != grid.crs:
        return None
    s, g = src.transform, grid.transform
    if not (s.b == g.b == 0 and s.d == g.d == 0 and np.isclose(s.a, g.a) and np.isclose(s.e, g.e)):
        return None
    rows, cols = (g.f - s.f) / s.e, (g.c - s.c) / s.a
    if abs(rows - round(rows)) > LATTICE_TOLERANCE or abs(cols - round(cols)) > LATTICE_TOLERANCE:
        return None
    return round(rows), round(cols)


def _read_on_lattice(
    src: DatasetReader, window: Window, offset: tuple[int, int], indexes: list[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """A grid window read from a source on the grid's lattice.

    Returns
    -------
    data : numpy.ndarray
        ``(bands, rows, cols)`` in the source's dtype; cells beyond the source hold 0.
    outside : numpy.ndarray
        ``(rows, cols)`` bool, True where the window lies beyond the source.
    """
    rows, cols = int(window.height), int(window.width)
    r0, c0 = int(window.row_off) + offset[0], int(window.col_off) + offset[1]
    top, left = max(r0, 0), max(c0, 0)
    bottom, right = min(r0 + rows, src.height), min(c0 + cols, src.width)
    count = src.count if indexes is None else len(indexes)
    data = np.zeros((count, rows, cols), dtype=src.dtypes[0])
    outside = np.ones((rows, cols), dtype=bool)
    if bottom > top and right > left:
        inner = (slice(top - r0, bottom - r0), slice(left - c0, right - c0))
        part = Window(left, top, right - left, bottom - top)
        data[(slice(None), *inner)] = src.read(indexes=indexes, window=part)
        outside[inner] = False
    return data, outside


def _as_values(
    data: np.ndarray, nodata: float | None, categorical: bool, scale: float
) -> np.ndarray:
    """Class codes as int64 with ``CATEGORICAL_NODATA``; values as float64 with NaN, scaled."""
    if categorical:
        codes = data.astype(np.int64)
        if nodata is not None and not np.isnan(nodata):
            codes[data == nodata] = CATEGORICAL_NODATA
        return codes
    values = data.astype(np.float32)
    if nodata is not None and not np.isnan(nodata):
        values[data == nodata] = np.nan
    if scale != 1.0:
        values *= np.float32(scale)
    return values.astype(np.float64)
