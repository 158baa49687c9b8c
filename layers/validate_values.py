"""Plausibility of raster values: in the earth's range, Tmin below Tmax, some valid cell.

A value past a world record is a fill value nobody declared (1e38, -3.4e38), a unit mistake
(Kelvin, tenths of a degree, metres of rain) or swapped files; processing it gives numbers
that look like results (an infinite water yield, zero PET everywhere), so it is an error.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from layers.errors import LayerReadError, Problem

# role: (lowest, highest, units); a little past the world records, so only fill values, unit
# mistakes and swapped files fall outside
PLAUSIBLE_RANGE: dict[str, tuple[float, float, str]] = {
    # wettest month on record: about 9,300 mm (Cherrapunji, July 1861)
    "rainfall": (0.0, 10_000.0, "mm/month"),
    # FAO-56 reference ET seldom passes 15 mm/day (465 mm/month)
    "et0": (0.0, 1_000.0, "mm/month"),
    # air temperature records: -89.2 degC (Vostok, 1983), 56.7 degC (Death Valley, 1913)
    "tmin": (-90.0, 60.0, "degC"),
    "tmax": (-90.0, 60.0, "degC"),
    # Dead Sea shore -430 m, Everest 8,849 m
    "elevation": (-500.0, 9_000.0, "m"),
}


@dataclass(frozen=True)
class BandStats:
    """Valid cells of one band: lowest, highest, mean and how many."""

    low: float
    high: float
    mean: float
    count: int


# bytes of one scan: every band of a strip is read in one call (a pixel-interleaved file
# decompresses each block once, where a band at a time decompresses it once per band)
SCAN_BYTES = 64 * 2**20


def band_stats(path: Path, nodata: float | None) -> list[BandStats]:
    """Statistics of every band's valid cells, read in strips of every band.

    Valid: finite and not the file's nodata value (``nodata``, the config's, when the file
    declares none), as the layer is read for processing. A file is scanned once per process
    while its size and time are unchanged (the range and the Tmin-Tmax checks share it).
    """
    try:
        stat = path.stat()
    except OSError:
        return list(_scan_bands(str(path), 0, 0, nodata))
    return list(_scan_bands(str(path), stat.st_mtime_ns, stat.st_size, nodata))


@functools.lru_cache(maxsize=64)
def _scan_bands(name: str, mtime_ns: int, size: int, nodata: float | None) -> tuple[BandStats, ...]:
    """:func:`band_stats` of a file as it is at ``mtime_ns`` and ``size`` (the cache key)."""
    path = Path(name)
    try:
        with rasterio.open(path) as ds:
            nd = ds.nodata if ds.nodata is not None else nodata
            rows = max(1, SCAN_BYTES // (ds.count * ds.width * 8))
            low = np.full(ds.count, np.inf)
            high = np.full(ds.count, -np.inf)
            total = np.zeros(ds.count)
            count = np.zeros(ds.count, dtype=np.int64)
            for row in range(0, ds.height, rows):
                window = Window(0, row, ds.width, min(rows, ds.height - row))
                arr = ds.read(window=window).reshape(ds.count, -1).astype(np.float64)
                valid = np.isfinite(arr) & (arr != nd) if nd is not None else np.isfinite(arr)
                low = np.minimum(low, np.where(valid, arr, np.inf).min(axis=1))
                high = np.maximum(high, np.where(valid, arr, -np.inf).max(axis=1))
                total += np.where(valid, arr, 0.0).sum(axis=1)
                count += valid.sum(axis=1)
    except RasterioIOError as exc:
        raise LayerReadError(
            path, f"pixels cannot be read ({exc})", "the file may be truncated; re-export it"
        ) from exc
    return tuple(
        BandStats(float(lo), float(hi), float(t / n) if n else float("nan"), int(n))
        for lo, hi, t, n in zip(low, high, total, count, strict=True)
    )


def layer_stats(paths: Sequence[Path], nodata: float | None) -> list[BandStats]:
    """Band statistics of a layer's files in order (a monthly series may span several)."""
    return [s for p in paths for s in band_stats(p, nodata)]


def check_values(layer: str, paths: Sequence[Path], nodata: float | None) -> list[Problem]:
    """A layer with no valid cell, or values outside :data:`PLAUSIBLE_RANGE`, is an error."""
    stats = layer_stats(paths, nodata)
    where = str(paths[0]) if len(paths) == 1 else f"{paths[0]} (and {len(paths) - 1} more)"
    valid = [s for s in stats if s.count]
    if not valid:
        return [
            Problem(
                "error",
                layer,
                where,
                "every cell is nodata",
                "use a raster with data over the region, or correct its nodata value",
            )
        ]
    if layer not in PLAUSIBLE_RANGE:
        return []
    lowest, highest, units = PLAUSIBLE_RANGE[layer]
    low = min(s.low for s in valid)
    high = max(s.high for s in valid)
    if lowest <= low and high <= highest:
        return []
    if low < 0 <= lowest:
        what = f"negative values (min {low:g}) in a {units} layer"
    else:
        what = (
            f"values from {low:g} to {high:g} {units}, "
            f"outside the plausible {lowest:g}..{highest:g}"
        )
    return [
        Problem(
            "error",
            layer,
            where,
            what,
            f"a fill value the file does not declare (e.g. 1e38) needs nodata = ... in "
            f"[layers.{layer}]; otherwise convert the values to {units}",
        )
    ]


def check_tmin_below_tmax(
    tmin: Sequence[Path], tmin_nodata: float | None, tmax: Sequence[Path], tmax_nodata: float | None
) -> list[Problem]:
    """Months whose mean Tmin is above their mean Tmax (swapped files) are an error."""
    low, high = layer_stats(tmin, tmin_nodata), layer_stats(tmax, tmax_nodata)
    swapped = [
        (month, a.mean, b.mean)
        for month, (a, b) in enumerate(zip(low, high, strict=False), start=1)
        if a.count and b.count and a.mean > b.mean
    ]
    if not swapped:
        return []
    month, a, b = swapped[0]
    return [
        Problem(
            "error",
            "tmin",
            str(tmin[0]),
            f"Tmin is above Tmax in {len(swapped)} of {min(len(low), len(high))} months "
            f"(band {month}: mean Tmin {a:.1f} > mean Tmax {b:.1f} degC)",
            "the tmin and tmax paths in region.toml may be swapped",
        )
    ]
