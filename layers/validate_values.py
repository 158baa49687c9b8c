"""Plausibility of raster values: in the earth's range, Tmin below Tmax, some valid cell.

A value past a world record is a fill value nobody declared (1e38, -3.4e38), a unit mistake
(Kelvin, tenths of a degree, metres of rain) or swapped files; processing it gives numbers
that look like results (an infinite water yield, zero PET everywhere), so it is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from layers.errors import Problem
from layers.validate_rasters import raster_strips

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


def band_stats(path: Path, nodata: float | None) -> list[BandStats]:
    """Statistics of every band's valid cells, read in strips.

    Valid: finite and not the file's nodata value (``nodata``, the config's, when the file
    declares none), as the layer is read for processing.
    """
    low: list[float] = []
    high: list[float] = []
    total: list[float] = []
    count: list[int] = []
    for ds, window in raster_strips(path):
        if not count:
            low, high = [np.inf] * ds.count, [-np.inf] * ds.count
            total, count = [0.0] * ds.count, [0] * ds.count
        nd = ds.nodata if ds.nodata is not None else nodata
        for b in range(ds.count):
            arr = ds.read(b + 1, window=window).astype(np.float64)
            valid = np.isfinite(arr) & (arr != nd) if nd is not None else np.isfinite(arr)
            if valid.any():
                values = arr[valid]
                low[b] = min(low[b], float(values.min()))
                high[b] = max(high[b], float(values.max()))
                total[b] += float(values.sum(dtype=np.float64))
                count[b] += int(values.size)
    return [
        BandStats(lo, hi, t / n if n else float("nan"), n)
        for lo, hi, t, n in zip(low, high, total, count, strict=True)
    ]


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
