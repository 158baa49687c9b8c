"""Recognise daily rainfall files: one GeoTIFF per day dated by its name, or one multi-band file.

Known names (``YYYY`` year, ``MM`` month, ``DD`` day):

- CHIRPS daily: ``chirps-v2.0.YYYY.MM.DD.tif`` (mm/day);
- any name holding a date ``YYYY-MM-DD``, ``YYYY_MM_DD``, ``YYYY.MM.DD`` or ``YYYYMMDD``.

One multi-band file (GeoTIFF, or NetCDF with one variable) holds a band per day: its first
day is the NetCDF time axis' first day (``days since ...`` units) when it has one, else the
first day given (the first day of the monthly series).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio

from layers.monthly_files import raster_files

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "CHIRPS v2.0 daily",
        re.compile(r"chirps-v2\.0\.(?P<y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})\.tiff?$", re.I),
    ),
    (
        "dated daily files",
        re.compile(r"(?<!\d)(?P<y>\d{4})[-_.]?(?P<m>\d{2})[-_.]?(?P<d>\d{2})(?!\d)[^/]*\.tiff?$"),
    ),
]
_TIME_UNITS = re.compile(r"days since (?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def month_index(first_day: dt.date, days: int) -> np.ndarray:
    """Month of each of ``days`` days from ``first_day``, counted from its month (0, 0, ..., 1)."""
    dates = np.datetime64(first_day, "D") + np.arange(days)
    months = dates.astype("datetime64[M]").astype(np.int64)
    return months - months[0]


def series_days(first_day: dt.date, months: int) -> int:
    """Days of ``months`` whole months from ``first_day`` (the first of a month)."""
    end = np.datetime64(first_day, "M") + months
    return int((end.astype("datetime64[D]") - np.datetime64(first_day, "D")).astype(int))


@dataclass(frozen=True)
class DailySource:
    """Daily rain files in day order: ``(file, band)`` of each day from ``first_day``."""

    bands: tuple[tuple[Path, int], ...]
    first_day: dt.date
    product: str

    @property
    def days(self) -> int:
        """Number of days."""
        return len(self.bands)

    @property
    def last_day(self) -> dt.date:
        """The last day."""
        return self.first_day + dt.timedelta(days=self.days - 1)

    def month_index(self) -> np.ndarray:
        """Month of each day counted from the first day's month (0, 0, ..., 1, ...)."""
        return month_index(self.first_day, self.days)

    def reads(self, d0: int, d1: int) -> list[tuple[Path, list[int]]]:
        """Days ``d0 .. d1 - 1`` as reads: each file once, with its bands (1-based) in order."""
        out: list[tuple[Path, list[int]]] = []
        for path, band in self.bands[d0:d1]:
            if out and out[-1][0] == path:
                out[-1][1].append(band)
            else:
                out.append((path, [band]))
        return out


def _netcdf_first_day(ds: rasterio.io.DatasetReader) -> dt.date | None:
    """First day of a NetCDF daily time axis (``days since ...``), None without one."""
    tags = ds.tags()
    units = next((v for k, v in tags.items() if k.endswith("#units") and "since" in v), None)
    axis = (v for k, v in tags.items() if k.startswith("NETCDF_DIM_") and k.endswith("_VALUES"))
    values = next(axis, None)
    if units is None or values is None:
        return None
    match = _TIME_UNITS.match(units.strip())
    if match is None:
        raise ValueError(f"{ds.name}: time units {units!r} are not 'days since YYYY-MM-DD'")
    offsets = [float(v) for v in values.strip("{}").split(",") if v.strip()]
    steps = np.diff(offsets)
    if steps.size and not np.allclose(steps, 1.0):
        raise ValueError(f"{ds.name}: the time axis is not daily (steps {sorted(set(steps))[:3]})")
    origin = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    return origin + dt.timedelta(days=int(np.floor(offsets[0])))


def daily_source(spec: str | Path | list[str | Path], first_day: dt.date | None) -> DailySource:
    """Order daily files by the dates in their names, or read one multi-band file's days.

    Parameters
    ----------
    spec : str, Path or list
        A folder, a glob, a list of files (one per day), or one multi-band file.
    first_day : datetime.date, optional
        First day of a multi-band file without a time axis.

    Raises
    ------
    ValueError
        No file, names that match no known pattern, a duplicate or missing day, a
        multi-band file without a first day; naming the files and the fix.
    """
    files = raster_files(spec) if not _is_netcdf(spec) else [Path(str(spec))]
    if not files:
        raise ValueError(f"{spec}: no .tif files found; give a folder, a glob or the files")
    if len(files) == 1:
        with rasterio.open(files[0]) as ds:
            count = ds.count
            start = _netcdf_first_day(ds) or first_day
        if start is None:
            raise ValueError(f"{files[0]}: a multi-band daily file needs its first day")
        return DailySource(tuple((files[0], b) for b in range(1, count + 1)), start, "daily bands")
    for product, pattern in PATTERNS:
        matches = [pattern.search(f.name) for f in files]
        if not all(matches):
            continue
        dated = sorted(
            (dt.date(int(m["y"]), int(m["m"]), int(m["d"])), f)
            for m, f in zip(matches, files, strict=True)
            if m is not None
        )
        days = [d for d, _ in dated]
        dupes = sorted({d.isoformat() for d in days if days.count(d) > 1})
        if dupes:
            raise ValueError(f"{spec}: several files for day(s) {', '.join(dupes[:6])}")
        gaps = [
            (a + dt.timedelta(days=1)).isoformat()
            for a, b in itertools.pairwise(days)
            if (b - a).days != 1
        ]
        if gaps:
            raise ValueError(
                f"{spec}: the {product} miss days after {', '.join(gaps[:6])}; add the files"
            )
        return DailySource(tuple((f, 1) for _, f in dated), days[0], product)
    raise ValueError(
        f"{spec}: file names such as {files[0].name} hold no date (CHIRPS daily"
        " chirps-v2.0.YYYY.MM.DD.tif, YYYY-MM-DD or YYYYMMDD); rename them or stack the days"
        " into one multi-band file"
    )


def _is_netcdf(spec: str | Path | list[str | Path]) -> bool:
    return not isinstance(spec, list) and str(spec).lower().endswith((".nc", ".nc4"))


def whole_months(source: DailySource) -> tuple[str, int] | None:
    """``("YYYY-MM", months)`` when the days are whole consecutive months, else None."""
    if source.first_day.day != 1:
        return None
    after = source.last_day + dt.timedelta(days=1)
    if after.day != 1:
        return None
    months = (after.year - source.first_day.year) * 12 + after.month - source.first_day.month
    return f"{source.first_day:%Y-%m}", months
