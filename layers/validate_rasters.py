"""Validation of raster layers: readability, CRS, nodata, overlap, bands, values, classes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import CRS

from layers.classes import TableKind, read_class_table
from layers.config import ClassRaster, MonthlyRaster
from layers.errors import LayerReadError, Problem
from layers.grid import transform_bounds
from layers.io import RasterInfo, raster_info, read_raster

Bounds = tuple[float, float, float, float]
MIN_COVER_SHARE = 0.95


def read_error_problem(layer: str, exc: LayerReadError) -> Problem:
    """A problem from a file that cannot be read."""
    return Problem("error", layer, str(exc.path), exc.message, exc.fix)


def _cover_share(info: RasterInfo, area: Bounds, area_crs: CRS) -> float:
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
        share = _cover_share(info, area, area_crs)
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


def check_monthly(
    layer: str, spec: MonthlyRaster, root: Path, area: Bounds | None, area_crs: CRS | None
) -> list[Problem]:
    """Check a monthly layer: every file, total band count, negative values."""
    problems: list[Problem] = []
    total = 0
    for rel in spec.files:
        path = (root / rel).resolve()
        found, info = check_raster_file(layer, path, spec.nodata, area, area_crs)
        problems += found
        if info is None:
            continue
        total += info.count
        if layer in ("rainfall", "et0") and info.crs is not None:
            arr, _ = read_raster(path)
            nd = info.nodata if info.nodata is not None else spec.nodata
            valid = np.isfinite(arr) & (arr != nd) if nd is not None else np.isfinite(arr)
            lowest = float(arr[valid].min()) if valid.any() else 0.0
            if lowest < 0:
                problems.append(
                    Problem(
                        "error",
                        layer,
                        str(path),
                        f"negative values (min {lowest:g}) in a {spec.units} layer",
                        "set the nodata value or fix the source",
                    )
                )
            elif not valid.any():
                problems.append(
                    Problem(
                        "error",
                        layer,
                        str(path),
                        "every cell is nodata",
                        "use a raster with data over the region",
                    )
                )
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
    if info is None:
        return problems
    arr, _ = read_raster(path, [1])
    nd = info.nodata if info.nodata is not None else spec.nodata
    codes = np.unique(arr if nd is None else arr[arr != nd])
    unknown = sorted(set(codes.tolist()) - set(table.index.tolist()))
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
