"""Weather-station series turned into monthly raster layers.

A station table (CSV) lists the stations: ``station_id, lon, lat, elevation_m`` (WGS84
degrees, metres) and the files holding their series: ``rain_file`` (columns ``date`` and
``precip_mm``, or ``rain``/``prcp``/``precipitation``) and/or ``temperature_file`` (``date``,
``tmin_c``, ``tmax_c``). Series may be daily or monthly; paths are relative to the table.

Monthly values: rain is the sum of the month's days, temperatures the mean. A month with
more than ``max_missing_days`` missing days (or no value at all for a monthly series) is a
gap, filled with the station's mean of that calendar month over the other years and
reported; a month with fewer missing days has its rain total scaled up to the whole month.
Fields on the grid: one station gives a uniform rain field and temperatures
shifted by an elevation lapse rate (-6.5 degC per km, the ICAO standard atmosphere;
``lapse_rate_c_per_km``) using the DEM; several stations are interpolated by inverse
distance weighting (power 2), temperatures reduced to sea level first and lapsed back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from layers.grid import Grid

RAIN_COLUMNS = ("precip_mm", "rain_mm", "rain", "prcp", "precipitation", "precip")
WET_DAY_MM = 1.0  # a wet day has at least 1 mm of rain (WMO / ETCCDI)
LAPSE_RATE_C_PER_KM = -6.5
IDW_POWER = 2.0


@dataclass
class StationSeries:
    """Monthly series of one station (index: first day of each month)."""

    station_id: str
    lon: float
    lat: float
    elevation_m: float
    rain_mm: pd.Series | None = None
    tmin_c: pd.Series | None = None
    tmax_c: pd.Series | None = None
    wet_days: pd.Series | None = None  # days with rain >= WET_DAY_MM per month (daily series)
    gaps: list[str] = field(default_factory=list)  # human-readable gap reports


def read_series(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A station file as a table indexed by ``date``: those of ``columns`` it has, by date.

    Raises
    ------
    ValueError
        Unreadable file, no ``date`` column, unreadable dates, none of ``columns``, or a
        date given twice; naming the file.
    """
    try:
        df = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc})") from exc
    df.columns = [str(c).strip().lower() for c in df.columns]
    if "date" not in df:
        raise ValueError(f"{path}: no 'date' column; it has {list(df.columns)}")
    try:
        df["date"] = pd.to_datetime(df["date"].astype(str).str.replace("/", "-"), format="mixed")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: dates are not readable (use YYYY-MM-DD)") from exc
    found = [c for c in columns if c in df]
    if not found:
        raise ValueError(f"{path}: none of the columns {list(columns)}; it has {list(df.columns)}")
    out = df.set_index("date")[found].apply(pd.to_numeric, errors="coerce").sort_index()
    if out.index.duplicated().any():
        raise ValueError(f"{path}: duplicate dates, e.g. {out.index[out.index.duplicated()][0]}")
    return out


def is_daily(index: pd.DatetimeIndex) -> bool:
    """Whether dates are daily (median step under two days)."""
    return (
        len(index) > 1
        and float(np.median(np.diff(index.values).astype("timedelta64[D]").astype(float))) < 2
    )


def wet_days_per_month(values: pd.Series) -> pd.Series | None:
    """Days with at least ``WET_DAY_MM`` of rain in each month of a daily series (else None).

    Months with no observed day are left out.
    """
    values = values.astype(float)
    if not is_daily(pd.DatetimeIndex(values.index)):
        return None
    group = (values >= WET_DAY_MM).where(values.notna()).resample("MS")
    counts = group.sum(min_count=1)
    return counts.dropna()


def monthly_from(
    values: pd.Series, how: str, max_missing_days: int, label: str, gaps: list[str]
) -> pd.Series:
    """Monthly totals (``how="sum"``) or means of a daily or monthly series; gaps filled.

    Gaps (months with too many missing days) are filled with the calendar month's mean over
    the other years; each is appended to ``gaps``.
    """
    values = values.astype(float)
    if is_daily(pd.DatetimeIndex(values.index)):
        full = pd.date_range(values.index.min(), values.index.max(), freq="D")
        values = values.reindex(full)
        group = values.resample("MS")
        missing = group.apply(lambda s: int(s.isna().sum()))
        agg = group.sum(min_count=1) if how == "sum" else group.mean()
        if how == "sum":  # scale partial months up to the whole month
            present = group.count()
            days = pd.DatetimeIndex(agg.index).days_in_month
            agg = agg * (days / present.where(present > 0))
        agg[missing > max_missing_days] = np.nan
    else:
        agg = values.groupby(pd.DatetimeIndex(values.index).to_period("M").to_timestamp()).mean()
        agg = agg.reindex(pd.date_range(agg.index.min(), agg.index.max(), freq="MS"))
    holes = agg.index[agg.isna()]
    if len(holes):
        month = pd.DatetimeIndex(agg.index).month
        clim = agg.groupby(month).mean()
        agg = agg.fillna(pd.Series(clim.reindex(month).to_numpy(), index=agg.index))
        gaps.append(
            f"{label}: {len(holes)} month(s) with too many missing days filled with the"
            f" calendar-month mean ({', '.join(d.strftime('%Y-%m') for d in holes[:6])}"
            + (", ..." if len(holes) > 6 else "")
            + ")"
        )
    if agg.isna().any():
        raise ValueError(f"{label}: some calendar month has no value in any year")
    if how == "sum" and (agg < 0).any():
        raise ValueError(f"{label}: negative rainfall in {agg.index[agg < 0][0]:%Y-%m}")
    return agg


def read_stations(table: str | Path, max_missing_days: int = 5) -> list[StationSeries]:
    """Read a station table and every series it names, as monthly values.

    Raises
    ------
    ValueError
        Naming the file, the column or the station and the fix.
    """
    table = Path(table)
    try:
        meta = pd.read_csv(table)
    except (OSError, pd.errors.ParserError) as exc:
        raise ValueError(f"{table}: not a readable CSV ({exc})") from exc
    need = ["station_id", "lon", "lat", "elevation_m"]
    missing = [c for c in need if c not in meta]
    if missing:
        raise ValueError(f"{table}: missing column(s) {missing}; needs {need} and file columns")
    out = []
    for _, row in meta.iterrows():
        sid = str(row["station_id"])
        lon, lat = float(row["lon"]), float(row["lat"])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"{table}: station {sid} lon/lat {lon}, {lat} out of range")
        st = StationSeries(sid, lon, lat, float(row["elevation_m"]))
        rain_file = row.get("rain_file")
        if isinstance(rain_file, str) and rain_file:
            df = read_series(table.parent / rain_file, RAIN_COLUMNS)
            st.rain_mm = monthly_from(
                df.iloc[:, 0], "sum", max_missing_days, f"{sid} rain", st.gaps
            )
            st.wet_days = wet_days_per_month(df.iloc[:, 0])
        temp_file = row.get("temperature_file")
        if isinstance(temp_file, str) and temp_file:
            df = read_series(table.parent / temp_file, ("tmin_c", "tmax_c"))
            if not {"tmin_c", "tmax_c"} <= set(df.columns):
                raise ValueError(f"{temp_file}: needs both tmin_c and tmax_c columns")
            st.tmin_c = monthly_from(df["tmin_c"], "mean", max_missing_days, f"{sid} tmin", st.gaps)
            st.tmax_c = monthly_from(df["tmax_c"], "mean", max_missing_days, f"{sid} tmax", st.gaps)
        out.append(st)
    if not out:
        raise ValueError(f"{table}: no station rows")
    return out


def idw_weight_planes(
    xs: np.ndarray,
    ys: np.ndarray,
    station_xy: list[tuple[float, float]],
    power: float = IDW_POWER,
) -> Iterator[np.ndarray]:
    """Each station's inverse-distance weight at the points ``xs, ys``, one plane at a time.

    Coordinates are in one projected CRS (metres). The weights of a point sum to 1; a point
    on a station (within 1e-6 m) takes that station's value. At most three arrays of the
    points' shape are held, whatever the number of stations.
    """
    total = np.zeros(np.shape(xs))
    on = np.full(np.shape(xs), -1, dtype=np.int64)
    for i, (sx, sy) in enumerate(station_xy):
        d = np.hypot(xs - sx, ys - sy)
        total += 1.0 / np.maximum(d, 1e-6) ** power
        on = np.where((on < 0) & (d < 1e-6), i, on)
    for i, (sx, sy) in enumerate(station_xy):
        w = 1.0 / np.maximum(np.hypot(xs - sx, ys - sy), 1e-6) ** power / total
        yield np.where(on >= 0, (on == i).astype(np.float64), w)


def station_xy(crs: CRS, lonlat: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stations' WGS84 ``(lon, lat)`` in ``crs``."""
    to_crs = Transformer.from_crs(4326, crs, always_xy=True)
    return [(float(x), float(y)) for x, y in (to_crs.transform(lon, lat) for lon, lat in lonlat)]


def cell_centres(grid: Grid, row0: int, col0: int, rows: int, cols: int) -> tuple[Any, Any]:
    """Coordinates of the cell centres of a window of the grid, ``(xs, ys)`` in its CRS."""
    r, c = np.mgrid[row0 : row0 + rows, col0 : col0 + cols]
    return grid.transform * (c + 0.5, r + 0.5)


def idw_weights(grid: Grid, stations: list[StationSeries], power: float = IDW_POWER) -> np.ndarray:
    """Inverse-distance weights of each station at each cell centre, ``(stations, rows, cols)``.

    A cell on a station takes that station's value.
    """
    xs, ys = cell_centres(grid, 0, 0, grid.height, grid.width)
    xy = station_xy(grid.crs, [(s.lon, s.lat) for s in stations])
    return np.stack(list(idw_weight_planes(xs, ys, xy, power)))


def station_field(
    grid: Grid,
    stations: list[StationSeries],
    variable: str,
    months: pd.DatetimeIndex,
    dem_m: np.ndarray | None = None,
    lapse_rate_c_per_km: float = LAPSE_RATE_C_PER_KM,
) -> np.ndarray:
    """A monthly field ``(months, rows, cols)`` of ``rain_mm``, ``tmin_c`` or ``tmax_c``.

    Temperatures are lapsed with the DEM (``dem_m`` on ``grid``) when one is given.

    Raises
    ------
    ValueError
        No station has the variable, or a station's series does not cover ``months``.
    """
    have = [s for s in stations if getattr(s, variable) is not None]
    if not have:
        raise ValueError(f"no station has {variable}")
    series = []
    for s in have:
        values: pd.Series = getattr(s, variable)
        if months[0] < values.index[0] or months[-1] > values.index[-1]:
            raise ValueError(
                f"station {s.station_id}: {variable} covers {values.index[0]:%Y-%m}.."
                f"{values.index[-1]:%Y-%m}, not {months[0]:%Y-%m}..{months[-1]:%Y-%m}"
            )
        v = values.reindex(months).to_numpy(dtype=np.float64)
        if variable != "rain_mm":  # reduce to sea level
            v = v - lapse_rate_c_per_km * s.elevation_m / 1000.0
        series.append(v)
    values_sm = np.stack(series)  # (stations, months)
    weights = idw_weights(grid, have) if len(have) > 1 else np.ones((1, *grid.shape))
    field_ = np.einsum("sm,sxy->mxy", values_sm, weights)
    if variable != "rain_mm":
        if dem_m is not None:
            elev = np.where(np.isfinite(dem_m), dem_m, np.nanmean(dem_m))
        else:
            elev = np.full(grid.shape, float(np.mean([s.elevation_m for s in have])))
        field_ = field_ + lapse_rate_c_per_km * elev[np.newaxis] / 1000.0
    return field_.astype(np.float32)
