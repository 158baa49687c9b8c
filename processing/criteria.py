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

from layers.registry import LayerRegistry
from processing.grids import CellInputs, calendar_climatology
from processing.terrain import slope_pct

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
    if name == "rainfall_annual_mm":
        return calendar_climatology(cells.rain_mm, cells.first_month).sum(axis=0)
    if name in ("slope_pct", "elevation_m"):
        if not reg.has("elevation"):
            raise ValueError(f"criterion '{name}' needs an elevation layer: add [layers.elevation]")
        dem = reg.raster("elevation")[0].astype(np.float64)
        return dem if name == "elevation_m" else slope_pct(dem, grid.res_m).astype(np.float64)
    if name == "land_use":
        return cells.land_use.astype(np.float64)
    if name == "soil_hsg":
        return cells.hsg_index.astype(np.float64)
    if name == "awc_mm_per_m":
        return cells.awc_mm
    if name in ("distance_to_roads_m", "distance_to_sites_m"):
        features_gdf = reg.roads if name == "distance_to_roads_m" else reg.sites
        if features_gdf is None:
            role = "roads" if name == "distance_to_roads_m" else "project_sites"
            raise ValueError(f"criterion '{name}' needs a {role} layer: add [layers.{role}]")
        return distance_to(features_gdf.geometry, reg).astype(np.float64)
    if name in RESULT_CRITERIA:
        if results is None:
            raise ValueError(f"criterion '{name}' needs results: run `landwater process` first")
        return np.asarray(results[RESULT_CRITERIA[name]], dtype=np.float64)
    raise ValueError(f"unknown criterion layer '{name}'")
