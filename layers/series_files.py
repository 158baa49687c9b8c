"""Date the bands of one file holding every month: a multi-band GeoTIFF or a CF NetCDF.

The months come from, in this order:

- a NetCDF time axis (CF: ``days``, ``hours``, ``minutes`` or ``seconds since`` an
  origin, calendars standard, gregorian, proleptic_gregorian, noleap/365_day, 360_day), as
  CHIRPS monthly, TerraClimate and ERA5-Land monthly means have;
- band descriptions holding a date (``2001-01``, ``pr_200101``: :data:`AUTO_DATES`);
- the first month given (``--start YYYY-MM``), the bands following month by month;
- 12 bands and nothing else: a climatology, January first.

A NetCDF whose coordinates are longitude and latitude (``degrees_east``/``degrees_north``)
and which declares no CRS is read as WGS84 (EPSG:4326), CF's geographic default. The
variable's units are kept for conversion (:mod:`layers.cf_units`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from layers.io import BandMetadata, band_metadata
from layers.months import AUTO_DATES, MonthlySource

CF_TIME = re.compile(
    r"(?P<unit>days?|hours?|minutes?|seconds?)\s+since\s+(?P<y>-?\d{1,4})-(?P<m>\d{1,2})"
    r"(?:-(?P<d>\d{1,2}))?",
    re.I,
)
UNIT_DAYS = {"day": 1.0, "hour": 1 / 24, "minute": 1 / 1440, "second": 1 / 86400}
GREGORIAN = ("standard", "gregorian", "proleptic_gregorian", "")
NOLEAP_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
LONLAT_CRS = "EPSG:4326"


def _is_netcdf(meta: BandMetadata) -> bool:
    return any(k.startswith("NETCDF_DIM_") for k in meta.tags) or meta.name.upper().startswith(
        "NETCDF:"
    )


def cf_months(values: list[float], units: str, calendar: str) -> list[tuple[int, int]]:
    """``(year, month)`` of each CF time value.

    Raises
    ------
    ValueError
        Units that are not ``<unit> since <date>``, or an unsupported calendar.
    """
    match = CF_TIME.match(units.strip())
    if match is None:
        raise ValueError(f"time units {units!r} are not '<days|hours|seconds> since YYYY-MM-DD'")
    per_day = UNIT_DAYS[match["unit"].lower().rstrip("s")]
    y0, m0, d0 = int(match["y"]), int(match["m"]), int(match["d"] or 1)
    cal = calendar.strip().lower()
    out = []
    for v in values:
        days = v * per_day
        if cal in GREGORIAN:
            date = dt.date(y0, m0, d0) + dt.timedelta(days=days)
            out.append((date.year, date.month))
        elif cal in ("noleap", "365_day", "360_day"):
            lengths = NOLEAP_MONTH_DAYS if cal != "360_day" else (30,) * 12
            year_days = sum(lengths)
            start = sum(lengths[: m0 - 1]) + d0 - 1
            total = start + days
            year, rest = y0 + int(total // year_days), total % year_days
            month = 1
            while rest >= lengths[month - 1]:
                rest -= lengths[month - 1]
                month += 1
            out.append((year, month))
        else:
            raise ValueError(f"calendar {calendar!r} is not supported; use a standard calendar")
    return out


def _time_axis(meta: BandMetadata) -> list[tuple[int, int]] | None:
    dims = meta.tags.get("NETCDF_DIM_EXTRA", "").strip("{}").split(",")
    dim = next((d.strip() for d in dims if d.strip()), None)
    if dim is None:
        return None
    units = meta.tags.get(f"{dim}#units")
    values = [t.get(f"NETCDF_DIM_{dim}") for t in meta.band_tags]
    if units is None or any(v is None for v in values):
        return None
    calendar = meta.tags.get(f"{dim}#calendar", "standard")
    try:
        return cf_months([float(v) for v in values if v is not None], units, calendar)
    except ValueError as exc:
        raise ValueError(f"{meta.name}: {exc}") from exc


def _described_months(meta: BandMetadata) -> list[tuple[int, int]] | None:
    for _, pattern in AUTO_DATES:
        found = [pattern.search(d) for d in meta.descriptions]
        if all(found):
            return [(int(m["y"]), int(m["m"])) for m in found if m is not None]
    return None


def _stamp(ym: tuple[int, int]) -> int:
    return ym[0] * 12 + ym[1] - 1


def _text(stamp: int) -> str:
    return f"{stamp // 12}-{stamp % 12 + 1:02d}"


def series_source(
    path: object, period: tuple[str, str] | None = None, start: str | None = None
) -> MonthlySource:
    """The months of one multi-band file or NetCDF variable, in band order.

    Parameters
    ----------
    path : path-like
        The file, or a GDAL subdataset name ``NETCDF:"file.nc":variable``.
    period : (str, str), optional
        ``("YYYY-MM", "YYYY-MM")``: keep only these months of a series.
    start : str, optional
        ``YYYY-MM``: the first band's month when the file dates no band.

    Raises
    ------
    ValueError
        Naming the file and the fix: several NetCDF variables, bands without dates and no
        ``start``, months that repeat or skip, a series that is not whole years.
    """
    meta = band_metadata(str(path))
    if meta.count == 0 and meta.subdatasets:
        names = [s.rsplit(":", 1)[-1] for s in meta.subdatasets]
        raise ValueError(
            f"{path}: holds several variables ({', '.join(names)}); give one as"
            f" 'NETCDF:\"{path}\":{names[0]}'"
        )
    netcdf = _is_netcdf(meta)
    crs = None
    if meta.crs is None:
        lonlat = {v for k, v in meta.tags.items() if k.endswith("#units")}
        if netcdf and {"degrees_east", "degrees_north"} <= lonlat:
            crs = LONLAT_CRS
        else:
            raise ValueError(f"{path}: no CRS; assign one, e.g. gdal_edit.py -a_srs EPSG:4326")
    units = next((u for u in meta.units if u), None) or meta.band_tags[0].get("units") or None
    naming, months = "", None
    if netcdf:
        months = _time_axis(meta)
        naming = "the NetCDF time axis"
    if months is None:
        months = _described_months(meta)
        naming = "dated band descriptions"
    if months is None and start is not None:
        first = _stamp((int(start[:4]), int(start[5:7])))
        months = [((first + i) // 12, (first + i) % 12 + 1) for i in range(meta.count)]
        naming = f"bands month by month from --start {start}"
    common = {"crs": crs, "units": units, "netcdf": netcdf}
    if months is None:
        if meta.count == 12:
            return MonthlySource(
                [_as_path(path)],
                "climatology",
                None,
                1.0,
                "12 bands, January first",
                **common,  # type: ignore[arg-type]
            )
        raise ValueError(
            f"{path}: {meta.count} bands and no dates (no time axis, no dated band"
            " descriptions); give --start YYYY-MM, the first band's month (e.g. --start"
            f" 2001-01 reads 2001-01 .. {_text(_stamp((2001, 1)) + meta.count - 1)}), or 12"
            " bands for a climatology"
        )
    stamps = [_stamp(ym) for ym in months]
    bad = [
        f"band {i + 2} ({_text(b)} after {_text(a)})"
        for i, (a, b) in enumerate(itertools.pairwise(stamps))
        if b != a + 1
    ]
    if bad:
        raise ValueError(
            f"{path}: the months read from {naming} do not follow each other month by month"
            f" ({', '.join(bad[:3])}); give a file with one band per consecutive month"
        )
    keep = list(range(len(stamps)))
    if period is not None:
        lo, hi = (_stamp((int(p[:4]), int(p[5:7]))) for p in period)
        keep = [i for i in keep if lo <= stamps[i] <= hi]
        if not keep:
            raise ValueError(
                f"{path}: no month between {period[0]} and {period[1]} (the file holds"
                f" {_text(stamps[0])} .. {_text(stamps[-1])})"
            )
    first, last = stamps[keep[0]], stamps[keep[-1]]
    if first % 12 != 0 or last % 12 != 11:
        lo_year = first // 12 + (first % 12 != 0)
        hi_year = last // 12 - (last % 12 != 11)
        fix = (
            f"choose whole years, e.g. --period {lo_year}-01:{hi_year}-12"
            if hi_year >= lo_year
            else "give at least one whole year, January to December"
        )
        raise ValueError(
            f"{path}: the series ({naming}) runs {_text(first)} .. {_text(last)}, not whole"
            f" years from January; {fix}"
        )
    return MonthlySource(
        [_as_path(path)],
        "series",
        _text(first),
        1.0,
        naming,
        bands=tuple(i + 1 for i in keep),
        **common,  # type: ignore[arg-type]
    )


def _as_path(path: object) -> Path:
    return Path(str(path))
