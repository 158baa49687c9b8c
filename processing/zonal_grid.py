"""Where zonal statistics read cells: raster sources, their validity masks, read blocks.

Every band is streamed in blocks cut on the file's own tiles or strips, in the file's
order: whole block rows up to about ``BLOCK_CELLS`` values, a block row that holds more cut
between tile columns, so no tile is read or decoded twice. A block of a tiled file is a
few tiles (one 512 x 512 tile of 12 float32 bands is 12.6 MB): a cold file is read
sequentially once, block buffers stay small enough for the allocator to reuse (a buffer
of hundreds of MB gets new pages at every read, which on a loaded machine costs as much as
the read) and the first block arrives at once. All bands of a block come in one read (an
uncompressed GeoTIFF is memory-mapped) into a buffer in the file's own interleaving (a
pixel-interleaved file fills a ``(rows, cols, bands)`` buffer, which GDAL copies tile line
by tile line), the next block read on a second thread while the current one is reduced.

A cell is valid unless its value equals the nodata value compared in the band's own dtype,
it is NaN, or a GDAL mask (per-dataset mask, alpha band or per-band mask; not one derived
from the nodata value) marks it invalid.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS
from rasterio import windows
from rasterio.enums import Interleaving, MaskFlags

# values per block read over all its bands (at least one file block): 16 MB of float32
BLOCK_CELLS = 4_000_000
# file blocks in one read of a compressed file, at least: GDAL decodes the tiles of a read in
# parallel (GDAL_NUM_THREADS), so a read of one tile would decode on one core
DECODE_BLOCKS = 8
READ_CACHE_BYTES = 64 * 2**20  # smallest GDAL block cache while reading (GDAL_CACHEMAX, bytes)
DECODE_THREADS = "ALL_CPUS"  # GDAL_NUM_THREADS: compressed tiles of one read decode in parallel
# GTIFF_VIRTUAL_MEM_IO: an uncompressed GeoTIFF is memory-mapped and its tiles copied from
# the page cache into the read buffer (no read() copy: half the CPU time of a cold read);
# GTIFF_DIRECT_IO where it cannot be mapped: tiles and strips read straight into the buffer,
# not through GDAL's block cache
MAP_FILE = "YES"
DIRECT_IO = "YES"
# a file is reopened after this many bytes of its blocks were read, which unmaps them: the
# pages of a mapped file count in the process's resident memory while mapped
REOPEN_BYTES = 256 * 2**20


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
    (rows, cols) of one tile or strip, ``itemsize`` the bytes of one value;
    ``pixel_interleaved`` is True for a file of several bands stored pixel by pixel (every
    band of a tile together); ``compressed`` for a file whose blocks must be decoded.
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
    pixel_interleaved: bool = False
    compressed: bool = False

    def read(self, band: int, window: windows.Window) -> np.ndarray:
        """Read a window of a 1-based band."""
        return self.read_bands([band], window)[0]

    def read_bands(self, bands: Sequence[int], window: windows.Window) -> np.ndarray:
        """Read a window of several 1-based bands at once: ``(len(bands), rows, cols)``.

        From a pixel-interleaved file, the array is a view of a ``(rows, cols, bands)``
        buffer (see :func:`read_window`).
        """
        if self.array is not None:
            (r0, r1), (c0, c1) = window.toranges()
            return self.array[[b - 1 for b in bands], r0:r1, c0:c1]
        assert self.path is not None
        with (
            rasterio.Env(GDAL_CACHEMAX=self.cache_bytes(window)),
            rasterio.open(self.path) as dataset,
        ):
            return read_window(dataset, bands, window, self.pixel_interleaved)

    def cache_bytes(self, window: windows.Window) -> int:
        """GDAL block cache holding the file blocks under one block row of ``window``.

        Every band counts (a pixel-interleaved tile holds them all): a read of whole block
        rows then decodes each tile once, whichever bands it asks for. Never below
        ``READ_CACHE_BYTES``.
        """
        rows, cols = self.block_shape
        c0 = int(window.col_off) // cols * cols
        c1 = -(-int(window.col_off + window.width) // cols) * cols
        return max(READ_CACHE_BYTES, rows * (c1 - c0) * self.count * self.itemsize)

    def read_valid(self, band: int, window: windows.Window) -> np.ndarray:
        """Where the band's mask lets a cell through (True), for a band in ``masked_bands``."""
        if self.invalid is not None:
            (r0, r1), (c0, c1) = window.toranges()
            return ~self.invalid[band - 1, r0:r1, c0:c1]
        assert self.path is not None
        with (
            rasterio.Env(GDAL_CACHEMAX=self.cache_bytes(window)),
            rasterio.open(self.path) as dataset,
        ):
            return dataset.read_masks(band, window=window) > 0

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
            pixel_interleaved=src.count > 1 and src.interleaving == Interleaving.pixel,
            compressed=src.compression is not None,
        )


def read_window(
    dataset: rasterio.DatasetReader,
    bands: Sequence[int],
    window: windows.Window,
    pixel_interleaved: bool,
) -> np.ndarray:
    """Read ``bands`` (1-based) over ``window``: ``(len(bands), rows, cols)``.

    With ``pixel_interleaved`` (and more than one band) the values land in a ``(rows, cols,
    bands)`` buffer, the file's own order, and the array returned is a view of it: GDAL
    copies each tile line as it is instead of spreading every value to its band's plane.
    """
    if not pixel_interleaved or len(bands) < 2:
        return dataset.read(list(bands), window=window)
    dtype = np.dtype(dataset.dtypes[bands[0] - 1])
    buffer = np.empty((int(window.height), int(window.width), len(bands)), dtype)
    view = buffer.transpose(2, 0, 1)
    dataset.read(list(bands), window=window, out=view)
    return view


def read_blocks(
    window: windows.Window,
    bands: int = 1,
    block_shape: tuple[int, int] = (1, 1),
    min_file_blocks: int = 1,
) -> Iterator[tuple[int, int, windows.Window]]:
    """Blocks of ``window`` made of whole file blocks, in the file's order (row by row).

    A block holds whole block rows of the file (tile or strip rows, counted from the
    raster's top-left cell) up to about ``BLOCK_CELLS`` values over ``bands`` bands, or
    ``min_file_blocks`` file blocks when they hold more; when one block row of the window
    holds more, it is cut between tile columns. A block holds at least one file block, so
    no tile lies in two blocks. Yields (row offset, column offset inside ``window``, block
    window).
    """
    block_rows, block_cols = (max(int(v), 1) for v in block_shape)
    block_cells = max(BLOCK_CELLS, min_file_blocks * block_rows * block_cols * bands)
    top, bottom = int(window.row_off), int(window.row_off + window.height)
    left, right = int(window.col_off), int(window.col_off + window.width)
    rows = block_cells // max((right - left) * bands, 1) // block_rows * block_rows
    row_cuts = _cuts(top, bottom, block_rows, max(rows, block_rows))
    col_cuts = [left, right]
    if rows == 0 and block_cols < right - left:  # a block row is too large: cut in columns
        cols = block_cells // (block_rows * bands) // block_cols * block_cols
        col_cuts = _cuts(left, right, block_cols, max(cols, block_cols))
    for r0, r1 in pairwise(row_cuts):
        for c0, c1 in pairwise(col_cuts):
            yield r0 - top, c0 - left, windows.Window(c0, r0, c1 - c0, r1 - r0)


def _cuts(start: int, stop: int, block: int, step: int) -> list[int]:
    """Edges of pieces of ``start:stop`` that split no file block of ``block`` cells.

    ``start``, then every ``step`` cells (a multiple of ``block``) on multiples of
    ``block``, then ``stop``.
    """
    edges = [start]
    while edges[-1] < stop:
        edges.append(min(edges[-1] // block * block + step, stop))
    return edges


class _BlockReader:
    """Reads blocks of one file on the reading thread, reopening it every ``REOPEN_BYTES``."""

    def __init__(self, src: RasterSource, bands: Sequence[int]) -> None:
        self.src, self.bands = src, list(bands)
        self.dataset: rasterio.DatasetReader | None = None
        self.mapped = 0  # bytes of the file's blocks read since it was opened

    def read(self, block: windows.Window) -> np.ndarray:
        """Pixels of ``block``: ``(bands, rows, cols)``, in the file's interleaving."""
        if self.dataset is None or self.mapped >= REOPEN_BYTES:
            self.close()
            self.dataset = rasterio.open(self.src.path)
        self.mapped += int(block.width * block.height) * self.src.count * self.src.itemsize
        return read_window(self.dataset, self.bands, block, self.src.pixel_interleaved)

    def close(self) -> None:
        """Close the file (and unmap it)."""
        if self.dataset is not None:
            self.dataset.close()
            self.dataset, self.mapped = None, 0


def prefetched_blocks(
    src: RasterSource, bands: Sequence[int], window: windows.Window
) -> Iterator[tuple[int, int, windows.Window, np.ndarray]]:
    """Blocks of ``window`` (:func:`read_blocks`) with their pixels, read one block ahead.

    Reading (GDAL) and reducing (numba, without the GIL) overlap on two threads; at most
    two blocks are in memory. The file is read on the second thread only, memory-mapped
    when GDAL can (uncompressed GeoTIFF) and reopened every ``REOPEN_BYTES`` so that the
    mapped pages leave the resident memory (a block is whole tiles, so no decoded tile is
    lost with the block cache). Yields (row offset, column offset inside ``window``, block
    window, pixels ``(len(bands), rows, cols)``).
    """
    per_read = DECODE_BLOCKS if src.compressed else 1
    blocks = list(read_blocks(window, len(bands), src.block_shape, per_read))
    if src.array is not None:
        for r, c, block in blocks:
            yield r, c, block, src.read_bands(bands, block)
        return
    if not blocks:
        return
    assert src.path is not None
    with (
        rasterio.Env(
            GDAL_CACHEMAX=src.cache_bytes(blocks[0][2]),
            GDAL_NUM_THREADS=DECODE_THREADS,
            GTIFF_VIRTUAL_MEM_IO=MAP_FILE,
            GTIFF_DIRECT_IO=DIRECT_IO,
        ),
        closing(_BlockReader(src, bands)) as reader,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        pending = pool.submit(reader.read, blocks[0][2])
        for i, (r, c, block) in enumerate(blocks):
            data = pending.result()
            if i + 1 < len(blocks):
                pending = pool.submit(reader.read, blocks[i + 1][2])
            yield r, c, block, data
