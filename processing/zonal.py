"""Zonal statistics: rasterize the zones once, then stream every band through one pass.

Semantics follow rasterstats: a cell belongs to a zone when its centre is inside
(``all_touched=True``: when the polygon touches it, as in rasterio); nodata and NaN cells
are excluded and counted in ``nodata``; zones outside the raster get ``count`` 0 and NaN
statistics. Overlapping zones are each counted fully (zones are split into layers that do
not overlap, each rasterized on its own). ``exact=True`` weights cells by the fraction of
the cell that the zone covers, using exactextract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import features, windows

from layers.io import read_vector
from processing.zonal_kernels import (
    accumulate_classes,
    accumulate_int_classes,
    add_block,
    inside_value_range,
    new_moments,
)

MOMENT_STATS = ("count", "sum", "mean", "min", "max", "std", "range", "nodata")
SORTED_STATS = ("median", "majority", "minority", "unique")
ALL_STATS = MOMENT_STATS + SORTED_STATS
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


def _moments_frame(acc: dict[str, np.ndarray], stats: Sequence[str]) -> pd.DataFrame:
    count = acc["count"][1:].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = acc["sum"][1:] / count
        var = np.maximum(acc["sum_sq"][1:] / count - mean**2, 0.0)
    empty = count == 0
    vmin = np.where(empty, np.nan, acc["min"][1:])
    vmax = np.where(empty, np.nan, acc["max"][1:])
    table = {
        "count": acc["count"][1:],
        "sum": np.where(empty, np.nan, acc["sum"][1:]),
        "mean": mean,
        "min": vmin,
        "max": vmax,
        "std": np.sqrt(var),
        "range": vmax - vmin,
        "nodata": acc["nodata"][1:],
    }
    return pd.DataFrame({s: table[s] for s in stats if s in table})


def _sorted_stats(
    labels: np.ndarray, values: np.ndarray, nodata: float | None, n: int, stats: Sequence[str]
) -> pd.DataFrame:
    """Median, majority, minority and unique per label by sorting (label, value) once."""
    flat_l = labels.ravel()
    flat_v = values.ravel()
    ok = (flat_l > 0) & ~np.isnan(flat_v.astype(np.float64))
    if nodata is not None:
        ok &= flat_v != nodata
    lab = flat_l[ok].astype(np.int64)
    val = flat_v[ok]
    order = np.lexsort((val, lab))
    lab, val = lab[order], val[order]
    starts = np.searchsorted(lab, np.arange(1, n + 1), side="left")
    ends = np.searchsorted(lab, np.arange(1, n + 1), side="right")
    out: dict[str, list[float]] = {s: [] for s in stats if s in SORTED_STATS}
    for s, e in zip(starts, ends, strict=True):
        seg = val[s:e]
        if seg.size == 0:
            for key in out:
                out[key].append(0 if key == "unique" else np.nan)
            continue
        if "median" in out:
            out["median"].append(float(np.median(seg)))
        if "unique" in out or "majority" in out or "minority" in out:
            # runs of equal values in a sorted segment
            change = np.flatnonzero(np.diff(seg)) + 1
            run_starts = np.concatenate(([0], change))
            run_len = np.diff(np.concatenate((run_starts, [seg.size])))
            uniq = seg[run_starts]
            if "unique" in out:
                out["unique"].append(int(uniq.size))
            if "majority" in out:
                out["majority"].append(float(uniq[np.argmax(run_len)]))  # ties: smallest value
            if "minority" in out:
                out["minority"].append(float(uniq[np.argmin(run_len)]))
    return pd.DataFrame(out)


def _band_list(src: RasterSource, band: int | Sequence[int] | None) -> list[int]:
    if band is None:
        return list(range(1, src.count + 1))
    bands = [band] if isinstance(band, int) else list(band)
    for b in bands:
        if not 1 <= b <= src.count:
            raise ValueError(f"band {b} does not exist; the raster has bands 1..{src.count}")
    return bands


def _prepare_zones(zones: gpd.GeoDataFrame | str | Path, src: RasterSource) -> gpd.GeoDataFrame:
    gdf = read_vector(zones) if isinstance(zones, str | Path) else zones
    if src.crs is not None and gdf.crs is not None and CRS.from_user_input(gdf.crs) != src.crs:
        gdf = gdf.to_crs(src.crs)
    return gdf


def _id_frame(gdf: gpd.GeoDataFrame, id_field: str | None) -> pd.DataFrame:
    if id_field is None:
        return pd.DataFrame({"zone_index": np.arange(len(gdf))})
    if id_field not in gdf.columns:
        fields = [c for c in gdf.columns if c != gdf.geometry.name]
        raise KeyError(f"id field '{id_field}' not in the zones; fields are {fields}")
    return pd.DataFrame({id_field: gdf[id_field].to_numpy()})


def zonal_stats(
    raster: str | Path | np.ndarray,
    zones: gpd.GeoDataFrame | str | Path,
    stats: Sequence[str] = ("mean",),
    band: int | Sequence[int] | None = None,
    categorical: bool = False,
    all_touched: bool = False,
    exact: bool = False,
    id_field: str | None = None,
    *,
    transform: Affine | None = None,
    crs: CRS | str | None = None,
    nodata: float | None = None,
    cell_area_m2: float | None = None,
) -> pd.DataFrame:
    """Summarise raster cells per zone.

    Parameters
    ----------
    raster : str, Path or numpy.ndarray
        A raster file, or a ``(rows, cols)`` / ``(bands, rows, cols)`` array with
        ``transform`` (and ``crs`` when the zones must be reprojected).
    zones : GeoDataFrame, str or Path
        Polygons; reprojected to the raster's CRS when both have one.
    stats : sequence of str
        Any of count, sum, mean, min, max, std, median, majority, minority, unique, range,
        nodata (rasterstats' names).
    band : int or sequence of int, optional
        1-based band(s); all bands when omitted.
    categorical : bool
        Return, per class value, the cell count (``count_<v>``) and area (``area_ha_<v>``)
        instead of ``stats``.
    all_touched : bool
        Include every cell the zone touches (rasterio's rule) instead of cell centres.
    exact : bool
        Weight cells by the fraction covered (exactextract).
    id_field : str, optional
        Zone attribute to key rows by; ``zone_index`` (0-based row number) otherwise.
    transform, crs, nodata : optional
        Georeferencing of an array raster; ``nodata`` also overrides a file's value.
    cell_area_m2 : float, optional
        Area of a cell for categorical areas; from the transform when omitted (the CRS must
        then be projected in metres).

    Returns
    -------
    pandas.DataFrame
        One row per zone (per zone and band, with a ``band`` column, when several bands are
        summarised), in the order of ``zones``.
    """
    unknown = [s for s in stats if s not in ALL_STATS]
    if unknown and not categorical:
        raise ValueError(f"unknown statistic(s) {unknown}; choose from {list(ALL_STATS)}")
    src = open_source(raster, transform, crs, nodata)
    gdf = _prepare_zones(zones, src)
    bands = _band_list(src, band)
    ids = _id_frame(gdf, id_field)
    if exact:
        from processing.zonal_exact import exact_zonal_stats

        frames = [exact_zonal_stats(src, gdf, stats, b) for b in bands]
    else:
        geoms = gdf.geometry.values
        layers = plan_layers(geoms, src, all_touched)
        if categorical:
            frames = [_class_counts(src, layers, len(geoms), b, cell_area_m2) for b in bands]
        else:
            frames = _grid_stats(src, layers, len(geoms), stats, bands)
    out = []
    for b, frame in zip(bands, frames, strict=True):
        table = pd.concat([ids, frame.reset_index(drop=True)], axis=1)
        if len(bands) > 1:
            table.insert(1, "band", b)
        out.append(table)
    result = pd.concat(out, ignore_index=True) if len(out) > 1 else out[0]
    return result.fillna({c: 0 for c in result.columns if c.startswith(("count_", "area_ha_"))})


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


def _grid_stats(
    src: RasterSource, layers: list[ZoneLayer], n: int, stats: Sequence[str], bands: list[int]
) -> list[pd.DataFrame]:
    """Statistics of every band: one frame per band, rows in zone order."""
    parts: list[list[pd.DataFrame]] = [[] for _ in bands]
    for layer in layers:
        for i, part in enumerate(_layer_stats(src, layer, stats, bands)):
            part.index = layer.members
            parts[i].append(part)
    return [pd.concat(p).reindex(range(n)) for p in parts]


def _layer_stats(
    src: RasterSource, layer: ZoneLayer, stats: Sequence[str], bands: list[int]
) -> list[pd.DataFrame]:
    """One layer, every band; a block holds all bands (pixel-interleaved tiles decode once)."""
    n = len(layer.members)
    accs = [new_moments(n) for _ in bands]
    for acc in accs:
        acc["nodata"][1:] += layer.outside
    moment_stats = [s for s in stats if s in MOMENT_STATS]
    want_sorted = [s for s in stats if s in SORTED_STATS]
    if layer.window is None or layer.labels is None:
        frames = [_moments_frame(acc, moment_stats) for acc in accs]
        for frame in frames:
            for s in want_sorted:
                frame[s] = np.nan
        return [f[list(stats)] for f in frames]
    labels, window = layer.labels, layer.window
    for r, block, data in prefetched_blocks(src, bands, window):
        lab = labels[r : r + int(block.height)]
        for acc, values in zip(accs, data, strict=True):
            add_block(acc, lab, values, src.nodata)
    frames = []
    for b, acc in zip(bands, accs, strict=True):
        frame = _moments_frame(acc, moment_stats)
        if want_sorted:
            values = src.read(b, window)
            frame = pd.concat(
                [frame, _sorted_stats(labels, values, src.nodata, n, want_sorted)], axis=1
            )
            if "unique" in frame:  # no valid cell: NaN, as rasterstats
                frame["unique"] = frame["unique"].where(acc["count"][1:] > 0)
        frames.append(frame[list(stats)])
    return frames


MAX_DIRECT_CLASSES = 65_536  # integer value span counted by direct indexing


def _class_counts(
    src: RasterSource, layers: list[ZoneLayer], n: int, band: int, cell_area_m2: float | None
) -> pd.DataFrame:
    """Cell count and area (ha) per class value per zone."""
    area = cell_area_m2 if cell_area_m2 is not None else abs(src.transform.a * src.transform.e)
    per_layer = []
    for layer in layers:
        if layer.window is None or layer.labels is None:
            continue
        codes, counts = _layer_class_counts(src, layer, band)
        names = [str(int(c)) if float(c).is_integer() else str(c) for c in codes]
        table: dict[str, np.ndarray] = {f"count_{k}": counts[1:, i] for i, k in enumerate(names)}
        table.update({f"area_ha_{k}": counts[1:, i] * area / 1e4 for i, k in enumerate(names)})
        per_layer.append(pd.DataFrame(table, index=layer.members))
    if not per_layer:
        return pd.DataFrame(index=range(n))
    out = pd.concat(per_layer).reindex(range(n))
    keys = sorted({c.split("_", 2)[-1] for c in out.columns}, key=lambda k: float(k))
    cols = [f"count_{k}" for k in keys] + [f"area_ha_{k}" for k in keys]
    return out[cols]


def _layer_class_counts(
    src: RasterSource, layer: ZoneLayer, band: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class values present in a layer's zones and their counts ``(zones + 1, classes)``."""
    assert layer.window is not None and layer.labels is not None
    labels = layer.labels
    blocks = list(row_blocks(layer.window))
    has_nd = src.nodata is not None
    nd = np.float64(src.nodata if has_nd else 0.0)
    nodata_count = np.zeros(len(layer.members) + 1, np.int64)
    first = src.read(band, blocks[0][1])
    if first.dtype.kind in "iu":
        # integer classes: one pass for the value range, one histogram pass by direct indexing
        lo, hi = np.inf, -np.inf
        for r, block, data in prefetched_blocks(src, [band], layer.window):
            b_lo, b_hi = inside_value_range(labels[r : r + int(block.height)], data[0], nd, has_nd)
            lo, hi = min(lo, b_lo), max(hi, b_hi)
        if not np.isfinite(lo):
            return np.array([]), np.zeros((len(layer.members) + 1, 0), np.int64)
        if hi - lo < MAX_DIRECT_CLASSES:
            span = np.zeros((len(layer.members) + 1, int(hi - lo) + 1), np.int64)
            for r, block, data in prefetched_blocks(src, [band], layer.window):
                accumulate_int_classes(
                    labels[r : r + int(block.height)],
                    data[0],
                    int(lo),
                    nd,
                    has_nd,
                    span,
                    nodata_count,
                )
            present = np.flatnonzero(span.sum(axis=0))
            return present + lo, span[:, present]
    present_values: set[float] = set()
    for r, block, data in prefetched_blocks(src, [band], layer.window):
        v = data[0][labels[r : r + int(block.height)] > 0]
        v = v[~np.isnan(v.astype(np.float64))]
        if has_nd:
            v = v[v != src.nodata]
        present_values.update(np.unique(v).tolist())
    codes = np.array(sorted(present_values), dtype=np.float64)
    counts = np.zeros((len(layer.members) + 1, codes.size), np.int64)
    for r, block, data in prefetched_blocks(src, [band], layer.window):
        accumulate_classes(
            labels[r : r + int(block.height)],
            data[0].astype(np.float64),
            nd,
            has_nd,
            codes,
            counts,
            nodata_count,
        )
    return codes, counts
