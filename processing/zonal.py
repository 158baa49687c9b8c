"""Zonal statistics: rasterize the zones once, then stream every band through one pass.

Semantics follow rasterstats (README "Methods" lists the few deliberate differences): a
zone gets the cells rasterstats gives it (cell centre inside, or every touched cell with
``all_touched=True``; a point its cell; a line the cells it crosses), whatever other zones
overlap or touch it (:mod:`processing.zonal_layers`). Cells equal to the nodata value (in
the band's dtype) count in ``nodata``, NaN cells in ``nan``, cells a GDAL mask hides in
neither; cells beyond the raster's edge count in ``nodata`` unless the band has a mask.
``exact=True`` weights cells by the fraction of the cell that the zone covers, using
exactextract.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from pyproj import CRS
from rasterio.transform import array_bounds

from layers.io import read_vector
from processing.kernels.zonal_kernels import add_block, new_moments, variance
from processing.zonal_classes import class_counts
from processing.zonal_grid import (
    RasterSource,
    beyond_edge_stat,
    nodata_in_dtype,
    open_source,
    prefetched_blocks,
)
from processing.zonal_layers import ZoneLayer, plan_layers

MOMENT_STATS = ("count", "sum", "mean", "min", "max", "std", "range", "nodata", "nan")
SORTED_STATS = ("median", "majority", "minority", "unique")
ALL_STATS = MOMENT_STATS + SORTED_STATS


def _moments_frame(acc: dict[str, np.ndarray], stats: Sequence[str]) -> pd.DataFrame:
    count = acc["count"][1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = acc["sum"][1:] / count
    empty = count == 0
    # a zone with no visible cell (none inside, or all hidden by a mask) has no nodata count
    unseen = (count + acc["nodata"][1:] + acc["nan"][1:]) == 0
    vmin = np.where(empty, np.nan, acc["min"][1:])
    vmax = np.where(empty, np.nan, acc["max"][1:])
    table = {
        "count": count,
        "sum": np.where(empty, np.nan, acc["sum"][1:]),
        "mean": mean,
        "min": vmin,
        "max": vmax,
        "std": np.sqrt(variance(acc)[1:]),
        "range": vmax - vmin,
        "nodata": np.where(unseen, np.nan, acc["nodata"][1:]),
        "nan": np.where(unseen, np.nan, acc["nan"][1:]),
    }
    return pd.DataFrame({s: table[s] for s in stats if s in table})


def _sorted_stats(
    labels: np.ndarray, values: np.ndarray, n: int, stats: Sequence[str]
) -> pd.DataFrame:
    """Median, majority, minority and unique per label by sorting (label, value) once.

    ``labels`` is 0 wherever a cell is not a valid cell of a zone except for NaN, which is
    dropped here. Segment operations on the sorted pairs, no loop over zones: the median
    averages a segment's two middle values (numpy's median); runs of equal values give
    ``unique`` (their count), ``majority`` and ``minority`` (the longest and shortest run,
    ties to the smallest value, which comes first).
    """
    flat_l = labels.ravel()
    flat_v = values.ravel()
    ok = flat_l > 0
    if flat_v.dtype.kind == "f":
        ok &= ~np.isnan(flat_v)
    lab = flat_l[ok].astype(np.uint16 if n < 2**16 else np.uint32)
    val = flat_v[ok]
    # by value, then stably by label (numpy radix-sorts 16-bit keys): np.lexsort's order,
    # 3-4x faster on 25 M cells
    order = np.argsort(val, kind="stable")
    order = order[np.argsort(lab[order], kind="stable")]
    lab, val = lab[order].astype(np.int64), val[order]
    count = np.bincount(lab, minlength=n + 1)[1:]
    starts = np.concatenate(([0], np.cumsum(count)[:-1]))
    has = count > 0
    out: dict[str, np.ndarray] = {}
    if "median" in stats:
        lo = val[(starts + (count - 1) // 2)[has]].astype(np.float64)
        hi = val[(starts + count // 2)[has]].astype(np.float64)
        out["median"] = _per_zone(has, (lo + hi) / 2.0)
    if {"unique", "majority", "minority"} & set(stats) and has.any():
        new_run = np.ones(lab.size, bool)
        new_run[1:] = (lab[1:] != lab[:-1]) | (val[1:] != val[:-1])
        run_start = np.flatnonzero(new_run)
        run_len = np.diff(np.append(run_start, lab.size))
        run_lab = lab[run_start]
        runs = np.bincount(run_lab, minlength=n + 1)[1:]
        if "unique" in stats:
            out["unique"] = runs.astype(np.int64)
        first_run = np.concatenate(([0], np.cumsum(runs)[:-1]))[has]
        for key, reduce in (("majority", np.maximum), ("minority", np.minimum)):
            if key in stats:
                best = reduce.reduceat(run_len, first_run)  # per zone with cells
                hit = run_len == np.repeat(best, runs[has])
                pick = np.minimum.reduceat(np.where(hit, np.arange(run_len.size), run_len.size),
                                           first_run)  # fmt: skip
                out[key] = _per_zone(has, val[run_start[pick]].astype(np.float64))
    if "unique" in stats and "unique" not in out:
        out["unique"] = np.zeros(n, np.int64)
    for key in ("majority", "minority"):
        if key in stats and key not in out:
            out[key] = np.full(n, np.nan)
    return pd.DataFrame({s: out[s] for s in stats if s in out})


def _per_zone(has: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Values of the zones with cells spread over every zone, NaN for the others."""
    full = np.full(has.size, np.nan)
    full[has] = values
    return full


def _band_list(src: RasterSource, band: int | Sequence[int] | None) -> list[int]:
    if band is None:
        return list(range(1, src.count + 1))
    bands = [band] if isinstance(band, int) else list(band)
    for b in bands:
        if not 1 <= b <= src.count:
            raise ValueError(f"band {b} does not exist; the raster has bands 1..{src.count}")
    return bands


def _raster_bounds(src: RasterSource) -> tuple[float, float, float, float]:
    west, south, east, north = array_bounds(src.shape[0], src.shape[1], src.transform)
    return (min(west, east), min(south, north), max(west, east), max(south, north))


def _fmt(bounds: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"


def _overlaps(bounds: Sequence[float], src: RasterSource) -> bool:
    """Whether a bounding box (the raster's CRS) meets the raster's extent."""
    left, bottom, right, top = _raster_bounds(src)
    return bool(
        bounds[0] <= right and bounds[2] >= left and bounds[1] <= top and bounds[3] >= bottom
    )


def _prepare_zones(zones: gpd.GeoDataFrame | str | Path, src: RasterSource) -> gpd.GeoDataFrame:
    """Zones in the raster's CRS; zones without a CRS are taken to be in it (with a warning)."""
    gdf = read_vector(zones) if isinstance(zones, str | Path) else zones
    if src.crs is None:
        return gdf
    if gdf.crs is None:
        if len(gdf) and not _overlaps(gdf.total_bounds, src):
            raise ValueError(
                "the zones have no CRS and, read in the raster's CRS "
                f"({src.crs.to_string()}), lie outside it (zones {_fmt(gdf.total_bounds)},"
                f" raster {_fmt(_raster_bounds(src))}); save the zones with their CRS"
                " (e.g. EPSG:4326, or the UTM zone their metres are in)"
            )
        warnings.warn(
            "the zones have no CRS: assuming the raster's CRS "
            f"({src.crs.to_string()}); set it with GeoDataFrame.set_crs to be sure",
            UserWarning,
            stacklevel=3,
        )
        return gdf.set_crs(src.crs)
    if CRS.from_user_input(gdf.crs) != src.crs:
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
        Polygons, points or lines (multi-part too); reprojected to the raster's CRS when
        both have one, assumed in it (with a warning) when only the raster has one.
    stats : sequence of str
        Any of count, sum, mean, min, max, std, median, majority, minority, unique, range,
        nodata, nan (rasterstats' names).
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

        frames = exact_zonal_stats(src, gdf, stats, bands)
    else:
        geoms = gdf.geometry.values
        layers = plan_layers(geoms, src, all_touched)
        if categorical:
            frames = [class_counts(src, layers, len(geoms), b, cell_area_m2) for b in bands]
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
    """One layer, every band; a block holds all bands (pixel-interleaved tiles decode once).

    Bands without a mask go through the kernel together (the label runs of a row are found
    once); a masked band has labels of its own.
    """
    n = len(layer.members)
    acc = new_moments(n, len(bands))
    for i, b in enumerate(bands):
        if b not in src.masked_bands:  # beyond the edge is nodata, unless a mask hides it
            acc[beyond_edge_stat(src)][1:, i] += layer.outside
    accs = [{key: v[:, i] for key, v in acc.items()} for i in range(len(bands))]
    moment_stats = [s for s in stats if s in MOMENT_STATS]
    want_sorted = [s for s in stats if s in SORTED_STATS]
    if layer.window is None or layer.labels is None:
        frames = [_moments_frame(a, moment_stats) for a in accs]
        for frame in frames:
            for s in want_sorted:
                frame[s] = 0 if s == "unique" else np.nan
        return [f[list(stats)] for f in frames]
    labels, window = layer.labels, layer.window
    nodata, has_nodata = nodata_in_dtype(src.nodata, src.dtype())
    masked = src.masked_bands.intersection(bands)
    for r, c, block, data in prefetched_blocks(src, bands, window):
        lab = labels[r : r + int(block.height), c : c + int(block.width)]
        if not masked:
            add_block(acc, lab, data, nodata, has_nodata)
            continue
        for i, b in enumerate(bands):
            one = {key: v[:, i : i + 1] for key, v in acc.items()}
            add_block(one, _visible(src, b, block, lab), data[i : i + 1], nodata, has_nodata)
    frames = []
    for b, band_acc in zip(bands, accs, strict=True):
        frame = _moments_frame(band_acc, moment_stats)
        if want_sorted:
            values = src.read(b, window)
            lab_b = _visible(src, b, window, labels)
            if has_nodata:
                lab_b = np.where(values == nodata, 0, lab_b)
            frame = pd.concat([frame, _sorted_stats(lab_b, values, n, want_sorted)], axis=1)
        frames.append(frame[list(stats)])
    return frames


def _visible(src: RasterSource, band: int, window: object, labels: np.ndarray) -> np.ndarray:
    """``labels`` with 0 where the band's mask hides the cell (unchanged without a mask)."""
    if band not in src.masked_bands:
        return labels
    return np.where(src.read_valid(band, window), labels, 0).astype(labels.dtype)
