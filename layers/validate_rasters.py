"""Validation of raster layers: readability, CRS, nodata, overlap, bands, values, classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from pyproj import CRS
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from layers.classes import TableKind, read_class_table
from layers.config import ClassRaster, MonthlyRaster, RainfallLayer
from layers.daily_files import daily_source, series_days, whole_months
from layers.errors import LayerReadError, Problem
from layers.grid import transform_bounds
from layers.io import RasterInfo, raster_info
from layers.station_days import read_station_days
from layers.vegetation import vegetation_notes

Bounds = tuple[float, float, float, float]
MIN_COVER_SHARE = 0.95


def read_error_problem(layer: str, exc: LayerReadError) -> Problem:
    """A problem from a file that cannot be read."""
    return Problem("error", layer, str(exc.path), exc.message, exc.fix)


def cover_share(info: RasterInfo, area: Bounds, area_crs: CRS) -> float:
    """Share of the communities' bounding box covered by the raster's extent."""
    assert info.crs is not None
    rb = transform_bounds(info.bounds, info.crs, area_crs)
    w = max(0.0, min(rb[2], area[2]) - max(rb[0], area[0]))
    h = max(0.0, min(rb[3], area[3]) - max(rb[1], area[1]))
    full = max((area[2] - area[0]) * (area[3] - area[1]), 1e-12)
    return w * h / full


def check_raster_file(
    layer: str, path: Path, nodata: float | None, area: Bounds | None, area_crs: CRS | None
) -> tuple[list[Problem], RasterInfo | None]:
    """Check one raster file: readable, CRS, nodata, overlap with the communities."""
    info = raster_info(path)
    f = str(path)
    problems: list[Problem] = []
    if info.crs is None:
        return [
            Problem(
                "error",
                layer,
                f,
                "raster has no CRS",
                "assign it, e.g. gdal_edit.py -a_srs EPSG:4326 FILE",
            )
        ], info
    if info.nodata is None and nodata is None:
        problems.append(
            Problem(
                "warning",
                layer,
                f,
                "no nodata value in the file or config; every cell is taken as valid",
                f"set nodata = ... in [layers.{layer}] if some cells are missing",
            )
        )
    if area is not None and area_crs is not None:
        share = cover_share(info, area, area_crs)
        if share == 0:
            problems.append(
                Problem(
                    "error",
                    layer,
                    f,
                    "raster does not overlap the communities",
                    "check the raster's CRS and extent",
                )
            )
        elif share < MIN_COVER_SHARE:
            problems.append(
                Problem(
                    "warning",
                    layer,
                    f,
                    f"raster covers only {share:.0%} of the communities' extent",
                    "cells outside it are treated as missing",
                )
            )
    return problems, info


SCAN_ROWS = 1024  # rows read at a time: a 10,000-column band costs 40 MB per strip


def raster_strips(path: Path) -> Iterator[tuple[Any, Window]]:
    """The open dataset and its windows of ``SCAN_ROWS`` rows (bounded memory)."""
    try:
        with rasterio.open(path) as ds:
            for row in range(0, ds.height, SCAN_ROWS):
                yield ds, Window(0, row, ds.width, min(SCAN_ROWS, ds.height - row))
    except RasterioIOError as exc:
        raise LayerReadError(
            path, f"pixels cannot be read ({exc})", "the file may be truncated; re-export it"
        ) from exc


def _scan_min(path: Path, nodata: float | None) -> tuple[float, bool]:
    """Smallest valid value of every band (0 when none) and whether any cell is valid."""
    lowest, any_valid = np.inf, False
    for ds, window in raster_strips(path):
        for band in range(1, ds.count + 1):
            arr = ds.read(band, window=window)
            valid = np.isfinite(arr) & (arr != nodata) if nodata is not None else np.isfinite(arr)
            if valid.any():
                any_valid = True
                lowest = min(lowest, float(arr[valid].min()))
    return (lowest if any_valid else 0.0), any_valid


def _scan_codes(path: Path, nodata: float | None) -> set[int]:
    """The class codes of band 1 (nodata left out)."""
    codes: set[int] = set()
    for ds, window in raster_strips(path):
        arr = ds.read(1, window=window)
        codes |= set(np.unique(arr if nodata is None else arr[arr != nodata]).tolist())
    return codes


def check_monthly(
    layer: str, spec: MonthlyRaster, root: Path, area: Bounds | None, area_crs: CRS | None
) -> list[Problem]:
    """Check a monthly layer: every file and the total band count (values: validate_values)."""
    problems: list[Problem] = []
    total = 0
    for rel in spec.files:
        path = (root / rel).resolve()
        found, info = check_raster_file(layer, path, spec.nodata, area, area_crs)
        problems += found
        if info is None:
            continue
        total += info.count
    first = str((root / spec.files[0]).resolve()) if spec.files else "region.toml"
    if spec.kind == "climatology" and total and total != 12:
        problems.append(
            Problem(
                "error",
                layer,
                first,
                f"climatology needs 12 monthly bands, found {total}",
                "give 12 bands (Jan..Dec) or set kind = 'series' and start = 'YYYY-MM'",
            )
        )
    if isinstance(spec, RainfallLayer) and spec.daily is not None and total:
        problems += check_daily(spec, root, total)
    if spec.kind == "series" and total and total < 12:
        problems.append(
            Problem(
                "error",
                layer,
                first,
                f"a monthly series needs at least 12 bands, found {total}",
                "add months or use kind = 'climatology'",
            )
        )
    return problems


def check_daily(spec: RainfallLayer, root: Path, months: int) -> list[Problem]:
    """Check that ``[layers.rainfall.daily]`` covers the monthly series' months, day by day."""
    assert spec.daily is not None and spec.start is not None
    first = dt.date(int(spec.start[:4]), int(spec.start[5:7]), 1)
    if spec.daily.stations is not None:
        return _check_station_days(root / spec.daily.stations, first, months)
    assert spec.daily.path is not None
    path = (root / spec.daily.path).resolve()
    try:
        days = daily_source(str(path), first)
    except (ValueError, RasterioIOError) as exc:
        return [Problem("error", "rainfall", str(path), f"daily rain: {exc}", "see the README")]
    covered = whole_months(days)
    if covered != (spec.start, months):
        return [
            Problem(
                "error",
                "rainfall",
                str(path),
                f"daily rain covers {days.first_day}..{days.last_day}, not the {months} months"
                f" of the monthly series from {spec.start}",
                "give the days of every month of the series (landwater init --rainfall-daily"
                " writes both)",
            )
        ]
    return []


def _check_station_days(table: Path, first: dt.date, months: int) -> list[Problem]:
    """Check the stations' daily rain: readable, daily, reaching both ends of the series."""
    table = table.resolve()
    try:
        days = read_station_days(table, first, series_days(first, months), None)
    except ValueError as exc:
        return [
            Problem(
                "error",
                "rainfall",
                str(table),
                f"daily station rain: {exc}",
                "see [layers.rainfall.daily] stations in the README",
            )
        ]
    if days.unreported_days:
        return [
            Problem(
                "warning",
                "rainfall",
                str(table),
                f"no station reports {days.unreported_days} of the {days.days} days; they give"
                " no runoff",
                "add a station that reports them, or shorten the series",
            )
        ]
    return []


def check_soil_depth(
    layer: str, path: Path, nodata: float | None, area: Bounds | None, area_crs: CRS | None
) -> list[Problem]:
    """Check a soil-depth raster (mm): the file checks, and no negative depth."""
    problems, info = check_raster_file(layer, path, nodata, area, area_crs)
    if info is None or info.crs is None:
        return problems
    lowest, _ = _scan_min(path, info.nodata if info.nodata is not None else nodata)
    if lowest < 0:
        problems.append(
            Problem(
                "error",
                layer,
                str(path),
                f"negative depths (min {lowest:g} mm)",
                "set the nodata value or fix the source",
            )
        )
    return problems


def check_classes(
    layer: str, spec: ClassRaster, root: Path, area: Bounds | None, area_crs: CRS | None
) -> list[Problem]:
    """Check a categorical raster and its class table, including unknown codes."""
    path = (root / spec.path).resolve()
    problems, info = check_raster_file(layer, path, spec.nodata, area, area_crs)
    kind: TableKind = "land_use" if layer == "land_use" else "soil"
    table_path = (root / spec.class_table).resolve()
    try:
        table = read_class_table(table_path, kind)
    except LayerReadError as exc:
        return [*problems, read_error_problem(layer, exc)]
    if kind == "land_use":
        problems += vegetation_notes(table, table_path)
    if info is None:
        return problems
    nd = info.nodata if info.nodata is not None else spec.nodata
    codes = _scan_codes(path, nd)
    unknown = sorted(codes - set(table.index.tolist()))
    if unknown:
        problems.append(
            Problem(
                "error",
                layer,
                str(path),
                f"raster codes {unknown[:20]} are not in the class table {table_path.name}",
                f"add rows for them to {table_path.name} or set nodata",
            )
        )
    return problems
