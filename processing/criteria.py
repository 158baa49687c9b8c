"""Criterion grids of the suitability engine, on the region's working grid.

Each criterion layer named in ``[[interventions]]`` becomes one array in its own units
(``slope_pct`` from the DEM, distances by Euclidean distance transform, result rasters
from the results store, ...). Built once per region, then reused for every profile.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from rasterio import features
from rasterio.windows import transform as window_transform
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from layers.align import GridSource
from layers.config import CriterionConfig
from layers.registry import LayerRegistry
from processing.grids import CellInputs, calendar_climatology
from processing.kernels.terrain import slope_pct
from processing.strip import Strip

RESULT_CRITERIA = {
    "deficit_mm_yr": "deficit",
    "runoff_mm_yr": "runoff",
    "recharge_mm_yr": "recharge",
    "water_yield_mm_yr": "water_yield",
}


def distance_m(mask: np.ndarray, cell_m: float) -> np.ndarray:
    """Distance from every cell to the nearest True cell, metres (inf when there is none)."""
    if not mask.any():
        return np.full(mask.shape, np.inf, dtype=np.float32)
    return (ndimage.distance_transform_edt(~mask) * cell_m).astype(np.float32)


def distance_to(geoms: Iterable[BaseGeometry], reg: LayerRegistry) -> np.ndarray:
    """Distance from every cell of the working grid to the nearest of ``geoms``, metres."""
    grid = reg.grid
    mask = features.rasterize(
        ((g, 1) for g in geoms), out_shape=grid.shape, transform=grid.transform, all_touched=True
    )
    return distance_m(mask.astype(bool), grid.res_m)


DISTANCE_CRITERIA = {"distance_to_roads_m": "roads", "distance_to_sites_m": "project_sites"}
GRID_CRITERIA = ("rainfall_annual_mm", "land_use", "soil_hsg", "awc_mm_per_m")


def criterion_problem(name: str, reg: LayerRegistry) -> str | None:
    """Why the region cannot provide a criterion layer (a message naming the fix), or None."""
    if name in ("slope_pct", "elevation_m") and not reg.has("elevation"):
        return f"criterion '{name}' needs an elevation layer: add [layers.elevation]"
    if name in DISTANCE_CRITERIA:
        role = DISTANCE_CRITERIA[name]
        present = reg.roads if name == "distance_to_roads_m" else reg.sites
        if present is None:
            return f"criterion '{name}' needs a {role} layer: add [layers.{role}]"
    known = (*GRID_CRITERIA, "slope_pct", "elevation_m", *DISTANCE_CRITERIA, *RESULT_CRITERIA)
    if name not in known:
        return f"unknown criterion layer '{name}'"
    return None


def constant_beyond_m(criterion: CriterionConfig) -> float:
    """The distance beyond which a distance criterion's membership no longer changes.

    A strip of the grid needs the features within this distance of it (its halo) to give
    every cell the membership the whole grid gives.

    Raises
    ------
    ValueError
        For a class lookup on a distance (its membership never becomes constant).
    """
    p = [float(v) for v in criterion.params]
    if criterion.function in ("increasing", "decreasing"):
        return max(p[0], p[1])
    if criterion.function == "trapezoid":
        return p[3] if np.isfinite(p[3]) else p[1]
    raise ValueError(
        f"criterion '{criterion.layer}' uses classes on a distance: use 'increasing', "
        "'decreasing' or 'trapezoid' with distances in metres"
    )


def distance_near(strip: Strip, geoms: gpd.GeoSeries, metres: float) -> np.ndarray:
    """Distance (m) from the strip's cells to the nearest feature, exact within ``metres``.

    Reads the features within ``metres`` of the strip (its halo); ``inf`` reads them all.
    """
    window, offset = strip.window(strip.halo_rows(metres))
    t = window_transform(window, strip.grid.transform)
    w, s = t * (0, int(window.height))
    e, n = t * (strip.grid.width, 0)
    hits = np.sort(geoms.sindex.query(shapely.box(w, s, e, n)))
    if hits.size == 0:
        return np.full((strip.rows, strip.grid.width), np.inf)
    mask = features.rasterize(
        ((geoms.iloc[i], 1) for i in hits),
        out_shape=(int(window.height), strip.grid.width),
        transform=t,
        all_touched=True,
    )
    dist = distance_m(mask.astype(bool), strip.grid.res_m)
    return strip.crop(dist, offset).astype(np.float64)


@dataclass(frozen=True)
class CellCriteria:
    """The per-cell inputs criteria read on a strip: land use, soil, rain, results."""

    land_use: np.ndarray
    hsg_index: np.ndarray
    awc_mm_per_m: np.ndarray
    rain12: np.ndarray
    results: Mapping[str, np.ndarray] | None


def criterion_values(
    name: str,
    strip: Strip,
    cells: CellCriteria,
    dem: GridSource | None,
    features_by_layer: Mapping[str, gpd.GeoSeries],
    halo_m: float = math.inf,
) -> np.ndarray:
    """One criterion layer on a strip, in the units its name says (the one definition).

    Parameters
    ----------
    name : str
        Criterion layer (``slope_pct``, ``distance_to_roads_m``, ``deficit_mm_yr``, ...).
    strip : Strip
        The rows to compute (``Strip.whole(grid)`` for the whole grid).
    cells : CellCriteria
        The strip's per-cell inputs.
    dem : GridSource, optional
        The elevation layer (slope reads one DEM row above and below the strip).
    features_by_layer : mapping
        Distance criterion -> the features it measures to (working CRS).
    halo_m : float
        For a distance: how far beyond the strip features are read (exact within it).
    """
    if name == "rainfall_annual_mm":
        return cells.rain12.sum(axis=0)
    if name in ("slope_pct", "elevation_m"):
        assert dem is not None, "criterion_problem checks the elevation layer"
        window, offset = strip.window(1 if name == "slope_pct" else 0)
        z = dem.read(strip.grid, window)[0].astype(np.float64)
        if name == "elevation_m":
            return z
        return strip.crop(slope_pct(z, strip.grid.res_m), offset).astype(np.float64)
    if name == "land_use":
        return cells.land_use.astype(np.float64)
    if name == "soil_hsg":
        return cells.hsg_index.astype(np.float64)
    if name == "awc_mm_per_m":
        return np.asarray(cells.awc_mm_per_m, dtype=np.float64)
    if name in DISTANCE_CRITERIA:
        return distance_near(strip, features_by_layer[name], halo_m)
    if cells.results is None:
        raise ValueError(f"criterion '{name}' needs results: run `landwater process` first")
    return np.asarray(cells.results[RESULT_CRITERIA[name]], dtype=np.float64)


def distance_features(reg: LayerRegistry) -> dict[str, gpd.GeoSeries]:
    """Distance criterion -> the region's features it measures to (present layers only)."""
    found = {"distance_to_roads_m": reg.roads, "distance_to_sites_m": reg.sites}
    return {name: gdf.geometry for name, gdf in found.items() if gdf is not None}


def criterion_grid(
    name: str, reg: LayerRegistry, cells: CellInputs, results: Mapping[str, np.ndarray] | None
) -> np.ndarray:
    """One criterion layer on the whole working grid (:func:`criterion_values`, one strip).

    Raises
    ------
    ValueError
        When the region lacks what the criterion needs (no DEM, no roads, no results).
    """
    problem = criterion_problem(name, reg)
    if problem is not None:
        raise ValueError(problem)
    inputs = CellCriteria(
        cells.land_use,
        cells.hsg_index,
        cells.awc_mm,
        calendar_climatology(cells.rain_mm, cells.first_month),
        results,
    )
    dem = reg.source("elevation") if reg.has("elevation") else None
    return criterion_values(name, Strip.whole(reg.grid), inputs, dem, distance_features(reg))
