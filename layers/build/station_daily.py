"""``landwater init --stations`` with daily rain files: the region keeps the gauges' days.

The station table's rain part (``station_id, lon, lat, elevation_m`` and each station's
rain file) is copied under ``data/stations/``, and ``[layers.rainfall.daily] stations``
names it, so the curve number runs on the days. Each station's monthly rain becomes the
sum of its days over the period, a day missing at a station filled from the others as
the pipeline fills it (:func:`layers.station_days.read_station_days`), so the monthly
rain field is the sum of the daily fields.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from layers.daily_files import series_days
from layers.grid import Grid
from layers.station_days import read_station_days
from layers.stations import StationSeries, monthly_from

STATION_FOLDER = "stations"
MAX_MISSING_DAYS = 5  # as layers.stations.read_stations: more makes the month a gap


def write_station_days(
    table: Path,
    stations: list[StationSeries],
    months: pd.DatetimeIndex,
    grid: Grid,
    data: Path,
    say: Callable[[str], None],
) -> tuple[dict[str, Any], dict[str, pd.Series]] | None:
    """Copy the gauges' daily rain into ``data``; the ``daily`` table and the monthly rain.

    None when some station's rain is not daily (the monthly method then applies).

    Returns
    -------
    daily : dict
        The ``[layers.rainfall.daily]`` table.
    monthly : dict
        Each station's monthly rain (mm/month, by month start) from its filled days.

    Raises
    ------
    ValueError
        The days do not reach both ends of ``months`` (see ``read_station_days``).
    """
    rain = [st for st in stations if st.rain_mm is not None]
    if not rain or any(st.wet_days is None for st in rain):
        return None
    meta = pd.read_csv(table)
    files = dict(zip(meta["station_id"].astype(str), meta["rain_file"].astype(str), strict=True))
    folder = data / STATION_FOLDER
    folder.mkdir()
    rows = []
    for k, st in enumerate(rain, start=1):
        name = f"rain_{k}.csv"
        shutil.copyfile(table.parent / files[st.station_id].strip(), folder / name)
        rows.append({"station_id": st.station_id, "lon": st.lon, "lat": st.lat,
                     "elevation_m": st.elevation_m, "rain_file": name})  # fmt: skip
    pd.DataFrame(rows).to_csv(folder / "stations.csv", index=False)
    first = dt.date(months[0].year, months[0].month, 1)
    days = read_station_days(
        folder / "stations.csv", first, series_days(first, len(months)), grid.crs
    )
    index = pd.date_range(months[0], periods=days.days, freq="D")
    monthly = {
        sid: monthly_from(
            pd.Series(values, index=index), "sum", MAX_MISSING_DAYS, f"{sid} rain", []
        )
        for sid, values in zip(days.station_ids, days.rain_mm, strict=True)
    }
    filled = ", ".join(
        f"{sid} {n}" for sid, n in zip(days.station_ids, days.filled_days, strict=True) if n
    )
    say(
        f"daily rain of {len(rain)} station(s) kept in data/{STATION_FOLDER}: the curve number"
        f" runs on each of {days.days} days"
        + (f"; days filled from the other stations: {filled}" if filled else "")
        + (
            f"; {days.unreported_days} day(s) no station reports give no runoff"
            if days.unreported_days
            else ""
        )
    )
    names = ", ".join(days.station_ids)
    daily = {
        "stations": f"data/{STATION_FOLDER}/stations.csv",
        "source": f"daily rain of stations {names} (inverse-distance weighted)",
    }
    return daily, monthly
