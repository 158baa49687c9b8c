"""Check a region and report every problem at once, naming layer, file and fix.

Validation never raises for bad data: each check returns a list of :class:`Problem`, and an
unexpected failure inside a check becomes a problem too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.classes import TableKind, read_class_table
from layers.config import ClassRaster, MonthlyRaster, RegionConfig, SitesLayer, VectorLayer
from layers.errors import LayerReadError, Problem
from layers.grid import transform_bounds
from layers.io import RasterInfo, raster_info, read_points_csv, read_raster, read_vector
from layers.region import parse_config

Bounds = tuple[float, float, float, float]
MIN_COVER_SHARE = 0.95


def _from_read_error(layer: str, exc: LayerReadError) -> Problem:
    return Problem("error", layer, str(exc.path), exc.message, exc.fix)


def _guarded(layer: str, file: Path, check: Callable[[], list[Problem]]) -> list[Problem]:
    try:
        return check()
    except LayerReadError as exc:
        return [_from_read_error(layer, exc)]
    except Exception as exc:  # validation reports, it never crashes
        return [
            Problem(
                "error",
                layer,
                str(file),
                f"could not be checked ({type(exc).__name__}: {exc})",
                "check the file opens in QGIS",
            )
        ]


# -- vectors ----------------------------------------------------------------------------
def check_polygons(
    layer: str, spec: VectorLayer, path: Path
) -> tuple[list[Problem], gpd.GeoDataFrame | None]:
    """Check a polygon layer: CRS, fields, ids, geometry types and validity."""
    problems: list[Problem] = []
    gdf = read_vector(path, spec.layer)
    f = str(path)
    if gdf.crs is None:
        problems.append(
            Problem(
                "error",
                layer,
                f,
                "layer has no CRS (a shapefile without .prj?)",
                "save the layer with its CRS",
            )
        )
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    for key, name in (("id_field", spec.id_field), ("name_field", spec.name_field)):
        if name is not None and name not in gdf.columns:
            problems.append(
                Problem(
                    "error",
                    layer,
                    f,
                    f"{key} '{name}' is not a field; fields are {fields}",
                    f"set {key} in [layers.{layer}]",
                )
            )
    if len(gdf) == 0:
        problems.append(Problem("error", layer, f, "layer has no features", "export the features"))
        return problems, None
    geoms = gdf.geometry.values
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        problems.append(
            Problem(
                "error",
                layer,
                f,
                f"{int(empty.sum())} feature(s) have no geometry ({_rows(empty)})",
                "delete or redraw them",
            )
        )
    kinds = set(shapely.get_type_id(geoms[~empty]).tolist())
    if kinds - {3, 6}:
        problems.append(
            Problem("error", layer, f, "layer holds non-polygon geometries", "keep only polygons")
        )
    if spec.id_field in gdf.columns:
        ids = gdf[spec.id_field]
        blank = ids.isna() | (ids.astype(str).str.strip() == "")
        if blank.any():
            problems.append(
                Problem(
                    "error",
                    layer,
                    f,
                    f"{int(blank.sum())} feature(s) have an empty {spec.id_field}",
                    "give every feature an id",
                )
            )
        dup = ids[ids.duplicated() & ~blank].astype(str).unique().tolist()
        if dup:
            problems.append(
                Problem(
                    "error",
                    layer,
                    f,
                    f"duplicate {spec.id_field} values {dup[:10]}",
                    "make ids unique",
                )
            )
        invalid = ~shapely.is_valid(geoms) & ~empty
        if invalid.any():
            bad = ids[invalid].astype(str).tolist()[:10]
            reasons = sorted(
                {str(r).split("[")[0] for r in shapely.is_valid_reason(geoms[invalid])}
            )
            problems.append(
                Problem(
                    "warning",
                    layer,
                    f,
                    f"{int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
                    f"({', '.join(reasons)}) in ids {bad}; repaired with make_valid on load",
                    "fix them in the source to silence this warning",
                )
            )
    return problems, (gdf if gdf.crs is not None else None)


def check_sites(spec: SitesLayer, path: Path, area_wgs84: Bounds | None) -> list[Problem]:
    """Check project sites, including lat/lon swapped or out of range in a CSV."""
    f = str(path)
    problems: list[Problem] = []
    if path.suffix.lower() in (".csv", ".txt"):
        gdf = read_points_csv(path, spec.lon_field, spec.lat_field, spec.csv_crs, spec.encoding)
        if CRS.from_user_input(spec.csv_crs).is_geographic:
            lon, lat = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
            missing = np.isnan(lon) | np.isnan(lat)
            if missing.any():
                problems.append(
                    Problem(
                        "error",
                        "project_sites",
                        f,
                        f"{int(missing.sum())} row(s) lack coordinates ({_rows(missing)})",
                        "fill or delete those rows",
                    )
                )
            out = ~missing & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
            if out.any():
                problems.append(
                    Problem(
                        "error",
                        "project_sites",
                        f,
                        f"{int(out.sum())} row(s) have {spec.lat_field}/{spec.lon_field} "
                        f"out of range ({_rows(out)})",
                        "latitude must be -90..90 and longitude -180..180",
                    )
                )
            if area_wgs84 is not None and (~missing).any():
                inside = _inside(lon, lat, area_wgs84)
                swapped = _inside(lat, lon, area_wgs84)
                if swapped.sum() > inside.sum():
                    problems.append(
                        Problem(
                            "error",
                            "project_sites",
                            f,
                            f"{spec.lat_field}/{spec.lon_field} look swapped: {int(swapped.sum())} "
                            f"of {len(lon)} points fall in the region only when swapped",
                            "swap lat_field and lon_field in [layers.project_sites] "
                            f"(now lat_field = '{spec.lat_field}')",
                        )
                    )
                elif (~inside & ~missing & ~out).any():
                    n = int((~inside & ~missing & ~out).sum())
                    problems.append(
                        Problem(
                            "warning",
                            "project_sites",
                            f,
                            f"{n} site(s) lie outside the communities' extent",
                            "check their coordinates",
                        )
                    )
    else:
        gdf = read_vector(path, spec.layer)
        if gdf.crs is None:
            problems.append(
                Problem(
                    "error", "project_sites", f, "layer has no CRS", "save the layer with its CRS"
                )
            )
    for key in ("type_field", "status_field", "id_field"):
        name = getattr(spec, key)
        if name is not None and name not in gdf.columns:
            problems.append(
                Problem(
                    "error",
                    "project_sites",
                    f,
                    f"{key} '{name}' is not a column; columns are {_columns(gdf)}",
                    f"set {key} in [layers.project_sites]",
                )
            )
    if spec.id_field in gdf.columns:
        dup = gdf[spec.id_field][gdf[spec.id_field].duplicated()].astype(str).unique().tolist()
        if dup:
            problems.append(
                Problem(
                    "error",
                    "project_sites",
                    f,
                    f"duplicate {spec.id_field} values {dup[:10]}",
                    "make site ids unique",
                )
            )
    return problems


def _rows(mask: np.ndarray) -> str:
    """Text naming the first rows where ``mask`` holds."""
    return f"rows {np.flatnonzero(mask)[:10].tolist()}"


def _columns(gdf: gpd.GeoDataFrame) -> list[str]:
    return [str(c) for c in gdf.columns if c != gdf.geometry.name]


def _inside(x: np.ndarray, y: np.ndarray, b: Bounds) -> np.ndarray:
    return np.asarray((x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3]))


# -- rasters ----------------------------------------------------------------------------
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
        return [*problems, _from_read_error(layer, exc)]
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


# -- region -----------------------------------------------------------------------------
def validate_config(config: RegionConfig, root: Path) -> list[Problem]:
    """Check every file a parsed config refers to."""
    problems: list[Problem] = []
    layers = config.layers
    comm_path = (root / layers.communities.path).resolve()
    area: Bounds | None = None
    area_crs: CRS | None = None
    communities: list[gpd.GeoDataFrame | None] = [None]

    def _communities() -> list[Problem]:
        found, gdf = check_polygons("communities", layers.communities, comm_path)
        communities[0] = gdf
        return found

    problems += _guarded("communities", comm_path, _communities)
    if communities[0] is not None:
        gdf = communities[0]
        area_crs = CRS.from_user_input(gdf.crs)
        area = tuple(float(v) for v in gdf.total_bounds)  # type: ignore[assignment]
    area_wgs84 = (
        transform_bounds(area, area_crs, CRS.from_epsg(4326)) if area and area_crs else None
    )

    if layers.watersheds is not None:
        ws_spec = layers.watersheds
        p = (root / ws_spec.path).resolve()
        problems += _guarded("watersheds", p, lambda: check_polygons("watersheds", ws_spec, p)[0])
    if layers.roads is not None:
        p = (root / layers.roads.path).resolve()
        problems += _guarded(
            "roads",
            p,
            lambda: (
                []
                if read_vector(p).crs is not None
                else [Problem("error", "roads", str(p), "layer has no CRS", "save it with its CRS")]
            ),
        )
    for role in ("rainfall", "tmin", "tmax", "et0"):
        spec = getattr(layers, role)
        if spec is not None:
            first = (root / spec.files[0]).resolve()
            problems += _guarded(
                role, first, partial(check_monthly, role, spec, root, area, area_crs)
            )
    for role in ("land_use", "soil"):
        cspec = getattr(layers, role)
        if cspec is not None:
            p = (root / cspec.path).resolve()
            problems += _guarded(role, p, partial(check_classes, role, cspec, root, area, area_crs))
    if layers.elevation is not None:
        p = (root / layers.elevation.path).resolve()
        nd = layers.elevation.nodata
        problems += _guarded(
            "elevation", p, lambda: check_raster_file("elevation", p, nd, area, area_crs)[0]
        )
    if layers.project_sites is not None:
        sspec = layers.project_sites
        p = (root / sspec.path).resolve()
        problems += _guarded("project_sites", p, lambda: check_sites(sspec, p, area_wgs84))
    if config.region.crs:
        try:
            if CRS.from_user_input(config.region.crs).is_geographic:
                problems.append(
                    Problem(
                        "error",
                        "region",
                        "region.toml",
                        f"crs {config.region.crs} is geographic; areas need metres",
                        "use a projected CRS (e.g. the UTM zone) or remove crs",
                    )
                )
        except Exception:
            problems.append(
                Problem(
                    "error",
                    "region",
                    "region.toml",
                    f"crs '{config.region.crs}' is not a CRS pyproj knows",
                    "use an EPSG code such as 'EPSG:32737'",
                )
            )
    return problems


def validate_region(root: str | Path) -> list[Problem]:
    """Validate a region folder.

    Parameters
    ----------
    root : str or Path
        Folder holding ``region.toml``.

    Returns
    -------
    list of Problem
        Every problem found; the region is valid when none has severity ``"error"``.

    """
    root = Path(root).resolve()
    config, problems = parse_config(root)
    if config is None:
        return problems
    return validate_config(config, root)


def has_errors(problems: list[Problem]) -> bool:
    """Whether any problem makes the region invalid."""
    return any(p.severity == "error" for p in problems)
