"""Where zonal statistics read cells: raster sources, zone layers rasterized once, row blocks.

Zones are split into layers that do not overlap; each layer is rasterized once to a label
grid over the zones' window, and every band is then streamed through it in row blocks
(the next block read on a second thread while the current one is reduced).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import features, windows

BLOCK_CELLS = 16_000_000  # values per block read: 64 MB of float32
READ_CACHE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class RasterSource:
    """Where pixels come from: an open file or an in-memory array, plus georeferencing."""

    transform: Affine
    crs: CRS | None
    nodata: float | None
    shape: tuple[int, int]
    count: int
    path: Path | None = None
    array: np.ndarray | None = None

    def read(self, band: int, window: windows.Window) -> np.ndarray:
        """Read a window of a 1-based band."""
        return self.read_bands([band], window)[0]

    def read_bands(self, bands: Sequence[int], window: windows.Window) -> np.ndarray:
        """Read a window of several 1-based bands at once: ``(len(bands), rows, cols)``."""
        if self.array is not None:
            (r0, r1), (c0, c1) = window.toranges()
            return self.array[[b - 1 for b in bands], r0:r1, c0:c1]
        assert self.path is not None
        # each block is read once, so a large GDAL block cache only costs memory
        with rasterio.Env(GDAL_CACHEMAX=READ_CACHE_BYTES), rasterio.open(self.path) as src:
            return src.read(list(bands), window=window)


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
        arr = raster[np.newaxis] if raster.ndim == 2 else raster
        return RasterSource(
            transform,
            CRS.from_user_input(crs) if crs else None,
            nodata,
            arr.shape[1:],
            arr.shape[0],
            array=arr,
        )
    path = Path(raster)
    with rasterio.open(path) as src:
        file_crs = CRS.from_user_input(src.crs) if src.crs else None
        return RasterSource(
            src.transform,
            file_crs,
            nodata if nodata is not None else src.nodata,
            (src.height, src.width),
            src.count,
            path=path,
        )


def non_overlapping_layers(geoms: np.ndarray) -> list[np.ndarray]:
    """Split zone indexes into groups whose members do not overlap (greedy colouring).

    Zones that only share edges are not overlaps. A tiling gives one group.
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    if left.size:
        keep = shapely.relate_pattern(geoms[left], geoms[right], "2********")  # interiors meet
        left, right = left[keep], right[keep]
    if left.size == 0:
        return [np.arange(len(geoms))]
    neighbours: dict[int, list[int]] = {}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    colour = np.full(len(geoms), -1)
    for i in range(len(geoms)):
        used = {colour[j] for j in neighbours.get(i, []) if colour[j] >= 0}
        c = 0
        while c in used:
            c += 1
        colour[i] = c
    return [np.flatnonzero(colour == c) for c in range(colour.max() + 1)]


def zone_window(geoms: np.ndarray, src: RasterSource) -> windows.Window | None:
    """The raster window covering the zones' bounds, or None when they miss the raster."""
    valid = geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)]
    if valid.size == 0:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(valid)
    inv = ~src.transform
    cols, rows = zip(*(inv @ (x, y) for x in (minx, maxx) for y in (miny, maxy)), strict=True)
    c0 = max(int(np.floor(min(cols))) - 1, 0)
    r0 = max(int(np.floor(min(rows))) - 1, 0)
    c1 = min(int(np.ceil(max(cols))) + 1, src.shape[1])
    r1 = min(int(np.ceil(max(rows))) + 1, src.shape[0])
    if c1 <= c0 or r1 <= r0:
        return None
    return windows.Window(c0, r0, c1 - c0, r1 - r0)


def rasterize_labels(
    geoms: np.ndarray,
    label_values: np.ndarray,
    src: RasterSource,
    window: windows.Window,
    all_touched: bool,
) -> np.ndarray:
    """Label grid over ``window``: ``label_values[i]`` where zone ``i`` covers a cell, else 0."""
    n = int(label_values.max()) if label_values.size else 0
    dtype = np.uint16 if n < 2**16 - 1 else np.uint32
    shapes = (
        (g, int(v))
        for g, v in zip(geoms, label_values, strict=True)
        if g is not None and not g.is_empty
    )
    return features.rasterize(
        shapes,
        out_shape=(int(window.height), int(window.width)),
        transform=windows.transform(window, src.transform),
        fill=0,
        all_touched=all_touched,
        dtype=dtype,
    )


def cells_outside(geoms: np.ndarray, src: RasterSource, all_touched: bool) -> np.ndarray:
    """Cells of each zone beyond the raster's edges (counted as nodata, as rasterstats does).

    Only zones crossing the raster's extent are rasterized again, alone, on the raster's
    grid extended to their bounds.
    """
    out = np.zeros(len(geoms), np.int64)
    h, w = src.shape
    inv = ~src.transform
    left, bottom, right, top = _extent(src)
    b = shapely.bounds(geoms)
    crossing = np.flatnonzero(
        (b[:, 0] < left) | (b[:, 1] < bottom) | (b[:, 2] > right) | (b[:, 3] > top)
    )
    for i in crossing:
        g = geoms[i]
        if g is None or g.is_empty:
            continue
        minx, miny, maxx, maxy = g.bounds
        cols, rows = zip(*(inv @ (x, y) for x in (minx, maxx) for y in (miny, maxy)), strict=True)
        c0, c1 = int(np.floor(min(cols))), int(np.ceil(max(cols)))
        r0, r1 = int(np.floor(min(rows))), int(np.ceil(max(rows)))
        if c0 >= 0 and r0 >= 0 and c1 <= w and r1 <= h:
            continue
        win = windows.Window(c0, r0, max(c1 - c0, 1), max(r1 - r0, 1))
        mask = features.rasterize(
            [(g, 1)],
            out_shape=(int(win.height), int(win.width)),
            transform=windows.transform(win, src.transform),
            fill=0,
            all_touched=all_touched,
            dtype=np.uint8,
        ).astype(bool)
        rr, cc = np.nonzero(mask)
        rr, cc = rr + r0, cc + c0
        out[i] = int(((rr < 0) | (rr >= h) | (cc < 0) | (cc >= w)).sum())
    return out


def _extent(src: RasterSource) -> tuple[float, float, float, float]:
    xs, ys = zip(
        *(src.transform @ (c, r) for c in (0, src.shape[1]) for r in (0, src.shape[0])), strict=True
    )
    return min(xs), min(ys), max(xs), max(ys)


def row_blocks(window: windows.Window, bands: int = 1) -> Iterator[tuple[int, windows.Window]]:
    """Row blocks of ``window`` holding about ``BLOCK_CELLS`` values over ``bands`` bands.

    Yields (row offset inside ``window``, block window).
    """
    rows = max(1, BLOCK_CELLS // max(int(window.width) * bands, 1))
    for r in range(0, int(window.height), rows):
        h = min(rows, int(window.height) - r)
        yield r, windows.Window(window.col_off, window.row_off + r, window.width, h)


def prefetched_blocks(
    src: RasterSource, bands: Sequence[int], window: windows.Window
) -> Iterator[tuple[int, windows.Window, np.ndarray]]:
    """Row blocks of ``window`` with their pixels, the next block read while this one is used.

    Reading (GDAL) and reducing (numba, without the GIL) overlap on two threads; at most
    two blocks are in memory.
    """
    blocks = list(row_blocks(window, len(bands)))
    if len(blocks) == 1 or src.array is not None:
        for r, block in blocks:
            yield r, block, src.read_bands(bands, block)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(src.read_bands, bands, blocks[0][1])
        for i, (r, block) in enumerate(blocks):
            data = pending.result()
            if i + 1 < len(blocks):
                pending = pool.submit(src.read_bands, bands, blocks[i + 1][1])
            yield r, block, data


@dataclass(frozen=True)
class ZoneLayer:
    """Zones that do not overlap, rasterized once: reused for every band.

    Attributes
    ----------
    members : numpy.ndarray
        Indexes of the zones (rows of the input) in this layer.
    window : rasterio.windows.Window or None
        Raster window covering them (None: all outside the raster).
    labels : numpy.ndarray or None
        Label grid over ``window``: position in ``members`` + 1, 0 outside every zone.
    outside : numpy.ndarray
        Cells of each member beyond the raster's edges.
    """

    members: np.ndarray
    window: windows.Window | None
    labels: np.ndarray | None
    outside: np.ndarray


def plan_layers(geoms: np.ndarray, src: RasterSource, all_touched: bool) -> list[ZoneLayer]:
    """Split zones into non-overlapping layers and rasterize each once."""
    layers = []
    for members in non_overlapping_layers(geoms):
        g = geoms[members]
        window = zone_window(g, src)
        labels = (
            None
            if window is None
            else rasterize_labels(g, np.arange(1, len(g) + 1), src, window, all_touched)
        )
        layers.append(ZoneLayer(members, window, labels, cells_outside(g, src, all_touched)))
    return layers
