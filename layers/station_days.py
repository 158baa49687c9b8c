"""Daily rain of weather stations as a region reads it, a day missing at a station filled.

``[layers.rainfall.daily] stations`` names a station table in the format of
``landwater init --stations`` (:mod:`layers.stations`): ``station_id, lon, lat`` (WGS84)
and a ``rain_file`` of daily rain per station, mm/day; stations without a rain file are
left out. A day missing at one station (a blank or an absent row) is the rain of the
stations that report it, inverse-distance weighted (power 2, as on the grid) at the
station's place; a day no station reports stays missing, and gives no runoff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.daily_files import month_index
from layers.stations import IDW_POWER, RAIN_COLUMNS, is_daily, read_series, station_xy

STATION_COLUMNS = ("station_id", "lon", "lat", "rain_file")


@dataclass(frozen=True)
class StationDays:
    """Daily rain of stations over consecutive days from ``first_day``.

    ``rain_mm`` is ``(stations, days)`` mm/day: each day is given at every station or
    (no station reports it) at none.
    """

    station_ids: tuple[str, ...]
    lonlat: tuple[tuple[float, float], ...]
    first_day: dt.date
    rain_mm: np.ndarray
    filled_days: tuple[int, ...]  # days of each station filled from the others
    unreported_days: int  # days no station reports

    @property
    def days(self) -> int:
        """Number of days."""
        return int(self.rain_mm.shape[1])

    def month_index(self) -> np.ndarray:
        """Month of each day counted from the first day's month (0, 0, ..., 1, ...)."""
        return month_index(self.first_day, self.days)


def _rain_rows(table: Path) -> pd.DataFrame:
    """The table's stations that have a rain file."""
    try:
        meta = pd.read_csv(table)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{table}: not a readable CSV ({exc})") from exc
    missing = [c for c in STATION_COLUMNS if c not in meta]
    if missing:
        raise ValueError(f"{table}: missing column(s) {missing}; needs {list(STATION_COLUMNS)}")
    rows = meta[meta["rain_file"].apply(lambda v: isinstance(v, str) and bool(v.strip()))]
    if rows.empty:
        raise ValueError(f"{table}: no station has a rain_file; name each station's daily rain")
    return rows


def station_rain_files(table: str | Path) -> list[Path]:
    """The rain files a station table names (paths relative to the table)."""
    table = Path(table)
    return [table.parent / str(f).strip() for f in _rain_rows(table)["rain_file"]]


def fill_from_neighbours(
    rain_mm: np.ndarray, xy: list[tuple[float, float]], power: float = IDW_POWER
) -> np.ndarray:
    """Days missing (NaN) at a station given the stations' rain that day, IDW at its place.

    ``rain_mm`` is ``(stations, days)``; ``xy`` the stations' coordinates in metres. A
    station on another (within 1e-6 m) takes that one's rain. Days no station reports stay
    NaN.
    """
    out = rain_mm.copy()
    reported = np.isfinite(rain_mm)
    values = np.where(reported, rain_mm, 0.0)
    pts = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    for s in range(rain_mm.shape[0]):
        gap = ~reported[s]
        if not gap.any():
            continue
        d = np.hypot(*(pts - pts[s]).T)
        d[s] = np.inf
        on = d < 1e-6
        w = np.where(on, 0.0, 1.0 / np.maximum(d, 1e-6) ** power)
        for weights in (w, on.astype(np.float64)):  # the stations on it win
            den = weights @ reported[:, gap]
            with np.errstate(invalid="ignore", divide="ignore"):
                value = (weights @ values[:, gap]) / den
            out[s, gap] = np.where(den > 0, value, out[s, gap])
    return out


def read_station_days(
    table: str | Path, first_day: dt.date, days: int, crs: CRS | None
) -> StationDays:
    """Every station's daily rain over ``days`` days from ``first_day``, gaps filled.

    Parameters
    ----------
    table : str or Path
        The station table.
    first_day : datetime.date
        First day wanted (the first day of the monthly rainfall series).
    days : int
        Days wanted.
    crs : pyproj.CRS or None
        The working CRS, in which the stations' distances are measured; None leaves the
        gaps (to check the files only).

    Raises
    ------
    ValueError
        An unreadable table or file, a series that is not daily, negative rain, or records
        that together do not reach the first or the last day; naming the file and the fix.
    """
    table = Path(table)
    rows = _rain_rows(table)
    wanted = pd.date_range(pd.Timestamp(first_day), periods=days, freq="D")
    series, ids, lonlat = [], [], []
    for (_, row), path in zip(rows.iterrows(), station_rain_files(table), strict=True):
        sid = str(row["station_id"])
        rain = read_series(path, RAIN_COLUMNS).iloc[:, 0]
        if not is_daily(pd.DatetimeIndex(rain.index)):
            raise ValueError(
                f"{path}: station {sid}'s rain is not daily; [layers.rainfall.daily] stations"
                " needs daily rain files (or remove [layers.rainfall.daily])"
            )
        if (rain < 0).any():
            raise ValueError(f"{path}: negative rain on {rain.index[rain < 0][0]:%Y-%m-%d}")
        series.append(rain.reindex(wanted).to_numpy(dtype=np.float64))
        ids.append(sid)
        lonlat.append((float(row["lon"]), float(row["lat"])))
    rain_mm = np.stack(series)
    reported = np.isfinite(rain_mm).any(axis=0)
    if not reported[0] or not reported[-1]:
        raise ValueError(
            f"{table}: the stations' daily rain does not reach {wanted[0]:%Y-%m-%d} and"
            f" {wanted[-1]:%Y-%m-%d}, the days of the monthly rainfall series; give rain files"
            " covering them (or set start and the rainfall layer to the months they cover)"
        )
    filled = rain_mm if crs is None else fill_from_neighbours(rain_mm, station_xy(crs, lonlat))
    return StationDays(
        tuple(ids),
        tuple(lonlat),
        first_day,
        filled,
        tuple(int(v) for v in (np.isfinite(filled) & ~np.isfinite(rain_mm)).sum(axis=1)),
        int((~reported).sum()),
    )
