"""``landwater init --rainfall-daily``: daily rain files onto the working grid, and their months.

Each day of the source (one GeoTIFF per day dated by its name, or a daily NetCDF) is warped
onto the working grid and written as ``data/rain_daily/rain_YYYY-MM-DD.tif``; the monthly
rainfall layer ``data/rainfall.tif`` is the sum of each month's days. Only whole months are
kept (within ``--period`` when given); one day's grid and one month's sum are in memory at
a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from rasterio.windows import Window

from layers.align import read_grid_window
from layers.daily_files import DailySource, daily_source
from layers.grid import Grid
from layers.io import write_cog, write_cog_bands

DAILY_FOLDER = "rain_daily"


def whole_month_days(
    source: DailySource, period: tuple[str, str] | None
) -> tuple[int, int, list[int]]:
    """First and last+1 day index of the whole months kept, and each month's number of days.

    Raises
    ------
    ValueError
        No whole month (within ``period``) among the days.
    """
    dates = np.datetime64(source.first_day, "D") + np.arange(source.days)
    month = dates.astype("datetime64[M]")
    first = month[0] if source.first_day.day == 1 else month[0] + 1
    last = month[-1] if (dates[-1] + 1).astype("datetime64[M]") != month[-1] else month[-1] - 1
    if period is not None:
        first = max(first, np.datetime64(period[0], "M"))
        last = min(last, np.datetime64(period[1], "M"))
    if last < first:
        raise ValueError(
            f"no whole month of daily rain between {source.first_day} and {source.last_day}"
            + (f" within {period[0]}..{period[1]}" if period else "")
        )
    keep = (month >= first) & (month <= last)
    d0 = int(np.argmax(keep))
    d1 = d0 + int(keep.sum())
    counts = np.bincount((month[d0:d1] - first).astype(np.int64)).tolist()
    return d0, d1, counts


def write_daily_rain(
    spec: str, period: tuple[str, str] | None, grid: Grid, data: Path, say: Callable[[str], None]
) -> dict[str, Any]:
    """Write the days and their monthly sums under ``data``; the ``[layers.rainfall]`` table.

    Raises
    ------
    ValueError
        Files that are not consecutive dated days, or no whole month.
    """
    source = daily_source(spec, None)
    d0, d1, counts = whole_month_days(source, period)
    whole = Window(0, 0, grid.width, grid.height)
    folder = data / DAILY_FOLDER

    def month_sums() -> Iterator[np.ndarray]:  # writes each day's grid as it sums its month
        day = d0
        for n in counts:
            total = np.zeros(grid.shape)
            for path, band in source.bands[day : day + n]:
                rain = read_grid_window([path], grid, whole, categorical=False, bands=[band])[0]
                date = source.first_day + dt.timedelta(days=day)
                write_cog(folder / f"rain_{date:%Y-%m-%d}.tif", rain[np.newaxis].astype(np.float32),
                          grid.crs, grid.transform, float("nan"))  # fmt: skip
                total += rain
                day += 1
            yield total.astype(np.float32)

    write_cog_bands(data / "rainfall.tif", month_sums(), len(counts), grid.crs, grid.transform,
                    float("nan"))  # fmt: skip
    start = source.first_day + dt.timedelta(days=d0)
    say(
        f"daily rain: {d1 - d0} days ({len(counts)} months from {start:%Y-%m}) of"
        f" {source.product}; the monthly rainfall is their sum per month"
    )
    return {
        "path": "data/rainfall.tif",
        "units": "mm/month",
        "kind": "series",
        "start": f"{start:%Y-%m}",
        "daily": {"path": f"data/{DAILY_FOLDER}"},
    }
