"""Criterion grids of the suitability engine, on the region's working grid.

Each criterion layer named in ``[[interventions]]`` becomes one array in its own units
(``slope_pct`` from the DEM, distances by Euclidean distance transform, result rasters
from the results store, ...). Built once per region, then reused for every profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from rasterio import features
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from layers.config import CriterionConfig
from layers.registry import LayerRegistry
from processing.grids import CellInputs, calendar_climatology
from processing.kernels.terrain import slope_pct

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


def criterion_grid(
    name: str, reg: LayerRegistry, cells: CellInputs, results: Mapping[str, np.ndarray] | None
) -> np.ndarray:
    """One criterion layer on the working grid, in the units its name says.

    Raises
    ------
    ValueError
        When the region lacks what the criterion needs (no DEM, no roads, no results).
    """
    grid = reg.grid
    problem = criterion_problem(name, reg)
    if problem is not None:
        raise ValueError(problem)
    if name == "rainfall_annual_mm":
        return calendar_climatology(cells.rain_mm, cells.first_month).sum(axis=0)
    if name in ("slope_pct", "elevation_m"):
        dem = reg.raster("elevation")[0].astype(np.float64)
        return dem if name == "elevation_m" else slope_pct(dem, grid.res_m).astype(np.float64)
    if name == "land_use":
        return cells.land_use.astype(np.float64)
    if name == "soil_hsg":
        return cells.hsg_index.astype(np.float64)
    if name == "awc_mm_per_m":
        return cells.awc_mm
    if name in DISTANCE_CRITERIA:
        features_gdf = reg.roads if name == "distance_to_roads_m" else reg.sites
        assert features_gdf is not None  # criterion_problem checked it
        return distance_to(features_gdf.geometry, reg).astype(np.float64)
    if results is None:  # a result criterion (criterion_problem knows every other name)
        raise ValueError(f"criterion '{name}' needs results: run `landwater process` first")
    return np.asarray(results[RESULT_CRITERIA[name]], dtype=np.float64)
