"""Validation of vector layers: polygons (communities, watersheds) and project sites."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.config import SitesLayer, VectorLayer
from layers.errors import Problem
from layers.io import read_points_csv, read_vector

Bounds = tuple[float, float, float, float]
SLIVER_SHARE = 1e-3  # overlaps under this share of the smaller unit are digitising slivers


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
        if gdf.crs is not None and not blank.any():
            problems.extend(_overlaps(layer, f, gdf, ids.astype(str), empty))
    return problems, (gdf if gdf.crs is not None else None)


def _overlaps(
    layer: str, f: str, gdf: gpd.GeoDataFrame, ids: pd.Series, empty: np.ndarray
) -> list[Problem]:
    """A warning naming the units whose interiors overlap, with the shared area."""
    metric = (
        gdf[~empty].to_crs(gdf[~empty].estimate_utm_crs()) if gdf.crs.is_geographic else gdf[~empty]
    )
    geoms = shapely.make_valid(metric.geometry.values)
    names = ids[~empty].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    shared_ha = shapely.area(shapely.intersection(geoms[left], geoms[right])) / 1e4
    smaller_ha = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right])) / 1e4
    keep = shared_ha > SLIVER_SHARE * smaller_ha  # digitising slivers are not overlaps
    if not keep.any():
        return []
    order = np.argsort(-shared_ha[keep])
    listed = [
        f"{names[a]} & {names[b]} ({ha:,.2f} ha)"
        for a, b, ha in zip(
            left[keep][order], right[keep][order], shared_ha[keep][order], strict=True
        )
    ]
    more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
    return [
        Problem(
            "warning",
            layer,
            f,
            f"{len(listed)} pair(s) of features overlap: {', '.join(listed[:10])}{more}; "
            "every summary counts each unit's own cells, so a shared cell counts in both",
            "make the polygons a partition (no overlaps) if each cell should count once",
        )
    ]


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
