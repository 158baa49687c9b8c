"""Where zonal statistics read cells: raster sources, their validity masks, row blocks.

Every band is streamed in row blocks cut on the file's own block rows (tile or strip
rows), so no tile is decoded twice, all bands of a block in one read from one open
dataset, the next block read on a second thread while the current one is reduced.

A cell is valid unless its value equals the nodata value compared in the band's own dtype,
it is NaN, or a GDAL mask (per-dataset mask, alpha band or per-band mask; not one derived
from the nodata value) marks it invalid.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS
from rasterio import windows
from rasterio.enums import MaskFlags

BLOCK_CELLS = 16_000_000  # values per block read: 64 MB of float32 (at least one block row)
READ_CACHE_BYTES = 64 * 2**20  # smallest GDAL block cache while reading (GDAL_CACHEMAX, bytes)
DECODE_THREADS = "ALL_CPUS"  # GDAL_NUM_THREADS: compressed tiles of one read decode in parallel
# GTIFF_DIRECT_IO: uncompressed GeoTIFF tiles and strips are copied straight into the read
# buffer, not through GDAL's block cache (half the read time of 12 pixel-interleaved bands)
DIRECT_IO = "YES"


def nodata_in_dtype(nodata: float | None, dtype: np.dtype) -> tuple[np.generic, bool]:
    """The nodata value as a scalar of ``dtype`` and whether any cell can equal it.

    A float32 band stores ``-9999.9`` as ``float32(-9999.9)``, so the comparison is made in
    float32; an integer band cannot hold a fractional or out-of-range nodata value, and NaN
    is never equal to anything (NaN cells are counted on their own).
    """
    dt = np.dtype(dtype)
    if nodata is None or np.isnan(nodata):
        return dt.type(0), False
    if dt.kind in "iu":
        info = np.iinfo(dt)
        if not float(nodata).is_integer() or not info.min <= nodata <= info.max:
            return dt.type(0), False
        return dt.type(int(nodata)), True
    if dt.kind == "b":
        return dt.type(bool(nodata)), True
    return dt.type(np.asarray(nodata).astype(dt)), True


@dataclass(frozen=True)
class RasterSource:
    """Where pixels come from: an open file or an in-memory array, plus georeferencing.

    ``masked_bands`` are the 1-based bands that carry a GDAL mask (or, for an array, the
    bands of a ``numpy.ma.MaskedArray`` with masked cells). ``block_shape`` is the file's
    (rows, cols) of one tile or strip, ``itemsize`` the bytes of one value.
    """

    transform: Affine
    crs: CRS | None
    nodata: float | None
    shape: tuple[int, int]
    count: int
    path: Path | None = None
    array: np.ndarray | None = None
    invalid: np.ndarray | None = None
    masked_bands: frozenset[int] = frozenset()
    nodata_overridden: bool = False
    block_shape: tuple[int, int] = (1, 1)
    itemsize: int = 8

    def read(self, band: int, window: windows.Window) -> np.ndarray:
        """Read a window of a 1-based band."""
        return self.read_bands([band], window)[0]

    def read_bands(self, bands: Sequence[int], window: windows.Window) -> np.ndarray:
        """Read a window of several 1-based bands at once: ``(len(bands), rows, cols)``."""
        if self.array is not None:
            (r0, r1), (c0, c1) = window.toranges()
            return self.array[[b - 1 for b in bands], r0:r1, c0:c1]
        assert self.path is not None
        cache = self.cache_bytes(len(bands))
        with rasterio.Env(GDAL_CACHEMAX=cache), rasterio.open(self.path) as src:
            return src.read(list(bands), window=window)

    def cache_bytes(self, bands: int) -> int:
        """GDAL block cache that holds one block row of ``bands`` bands across the raster.

        A pixel-interleaved tile holds every band; with this cache, the tiles decoded for
        one band are still there for the others. Never below ``READ_CACHE_BYTES``.
        """
        rows, cols = self.block_shape
        tiles = -(-self.shape[1] // max(cols, 1))
        return max(READ_CACHE_BYTES, rows * tiles * cols * bands * self.itemsize)

    def read_valid(self, band: int, window: windows.Window) -> np.ndarray:
        """Where the band's mask lets a cell through (True), for a band in ``masked_bands``."""
        if self.invalid is not None:
            (r0, r1), (c0, c1) = window.toranges()
            return ~self.invalid[band - 1, r0:r1, c0:c1]
        assert self.path is not None
        with rasterio.Env(GDAL_CACHEMAX=self.cache_bytes(1)), rasterio.open(self.path) as src:
            return src.read_masks(band, window=window) > 0

    def dtype(self) -> np.dtype:
        """The bands' data type."""
        if self.array is not None:
            return self.array.dtype
        assert self.path is not None
        with rasterio.open(self.path) as src:
            return np.dtype(src.dtypes[0])


def beyond_edge_stat(src: RasterSource) -> str:
    """The statistic that counts cells beyond the raster's edge.

    ``nan`` when the nodata value is NaN (they read as NaN, as in rasterstats), else
    ``nodata``.
    """
    return "nan" if src.nodata is not None and np.isnan(src.nodata) else "nodata"


def _has_own_mask(flags: list[MaskFlags]) -> bool:
    """A band mask that is not all-valid and not derived from the nodata value."""
    return not (set(flags) <= {MaskFlags.all_valid, MaskFlags.nodata})


def open_source(
    raster: str | Path | np.ndarray,
    transform: Affine | None,
    crs: CRS | str | None,
    nodata: float | None,
) -> RasterSource:
    """Describe a raster given as a path or as an array with its transform."""
    if isinstance(raster, np.ndarray):
        if transform is None:
            raise ValueError("an array raster needs its affine transform (transform=...)")
        invalid = None
        values: np.ndarray = raster
        if isinstance(raster, np.ma.MaskedArray):
            invalid = np.ma.getmaskarray(raster)
            invalid = invalid[np.newaxis] if invalid.ndim == 2 else invalid
            values = raster.data
        arr = values[np.newaxis] if values.ndim == 2 else values
        masked = (
            frozenset(int(b) + 1 for b in np.flatnonzero(invalid.any(axis=(1, 2))))
            if invalid is not None
            else frozenset()
        )
        return RasterSource(
            transform,
            CRS.from_user_input(crs) if crs else None,
            nodata,
            arr.shape[1:],
            arr.shape[0],
            array=arr,
            invalid=invalid if masked else None,
            masked_bands=masked,
            itemsize=arr.dtype.itemsize,
        )
    path = Path(raster)
    with rasterio.open(path) as src:
        file_crs = CRS.from_user_input(src.crs) if src.crs else None
        masked = frozenset(
            b + 1 for b, flags in enumerate(src.mask_flag_enums) if _has_own_mask(flags)
        )
        return RasterSource(
            src.transform,
            file_crs,
            nodata if nodata is not None else src.nodata,
            (src.height, src.width),
            src.count,
            path=path,
            masked_bands=masked,
            nodata_overridden=nodata is not None and nodata != src.nodata,
            block_shape=src.block_shapes[0],
            itemsize=np.dtype(src.dtypes[0]).itemsize,
        )


def row_blocks(
    window: windows.Window, bands: int = 1, block_rows: int = 1
) -> Iterator[tuple[int, windows.Window]]:
    """Row blocks of ``window`` holding about ``BLOCK_CELLS`` values over ``bands`` bands.

    Blocks are cut on multiples of ``block_rows`` (the file's tile or strip height, counted
    from the raster's top row) and hold at least one such row, so no tile lies in two
    blocks. Yields (row offset inside ``window``, block window).
    """
    rows = max(1, BLOCK_CELLS // max(int(window.width) * bands, 1))
    step = max(block_rows, rows // block_rows * block_rows)
    top, bottom = int(window.row_off), int(window.row_off + window.height)
    r = top
    while r < bottom:
        end = min(r // block_rows * block_rows + step, bottom)
        yield r - top, windows.Window(window.col_off, r, window.width, end - r)
        r = end


def prefetched_blocks(
    src: RasterSource, bands: Sequence[int], window: windows.Window
) -> Iterator[tuple[int, windows.Window, np.ndarray]]:
    """Row blocks of ``window`` with their pixels, the next block read while this one is used.

    Reading (GDAL) and reducing (numba, without the GIL) overlap on two threads; at most
    two blocks are in memory. A file is opened once for the whole pass (its block cache
    lives as long as the dataset) and read on the second thread only.
    """
    blocks = list(row_blocks(window, len(bands), src.block_shape[0]))
    if src.array is not None:
        for r, block in blocks:
            yield r, block, src.read_bands(bands, block)
        return
    if not blocks:
        return
    assert src.path is not None
    with (
        rasterio.Env(
            GDAL_CACHEMAX=src.cache_bytes(len(bands)),
            GDAL_NUM_THREADS=DECODE_THREADS,
            GTIFF_DIRECT_IO=DIRECT_IO,
        ),
        rasterio.open(src.path) as dataset,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):

        def read(block: windows.Window) -> np.ndarray:
            return dataset.read(list(bands), window=block)

        pending = pool.submit(read, blocks[0][1])
        for i, (r, block) in enumerate(blocks):
            data = pending.result()
            if i + 1 < len(blocks):
                pending = pool.submit(read, blocks[i + 1][1])
            yield r, block, data
