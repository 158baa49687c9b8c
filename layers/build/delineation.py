"""Watersheds from a DEM: stream burning, outlet snapping rules, sub-basins and polygons.

Arrays and transforms in, arrays or GeoDataFrames out; routing is
:func:`processing.kernels.hydrology.route_flow` (pysheds).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import features
from shapely.geometry.base import BaseGeometry

from processing.kernels.hydrology import FlowRouting, delineate_subbasins, route_flow

BURN_DEPTH_M = 50.0  # QSWAT+'s default burn-in depth


def route_with_streams(
    dem_m: np.ndarray,
    transform: Affine,
    streams: gpd.GeoSeries | None = None,
    burn_depth_m: float = BURN_DEPTH_M,
) -> FlowRouting:
    """D8 routing of a DEM, with known stream lines burned in first when given.

    Burning lowers the cells under the streams by ``burn_depth_m`` so that flow follows the
    mapped channels where the DEM's valley floor is flat or shifted (as SWAT tools do).
    NaN cells (beyond the DEM's cover) are set below the DEM's minimum, so water reaching
    them leaves the grid as it would at the DEM's edge.
    """
    dem = np.where(np.isfinite(dem_m), dem_m, np.nanmin(dem_m) - 1.0).astype(np.float64)
    if streams is not None and len(streams):
        mask = features.rasterize(
            ((g, 1) for g in streams if g is not None and not g.is_empty),
            out_shape=dem.shape,
            transform=transform,
        ).astype(bool)
        dem = np.where(mask, dem - burn_depth_m, dem)
    return route_flow(dem, transform)


def snap_outlet(upstream_km2: np.ndarray, dist_m: np.ndarray, radius_m: float) -> int:
    """The cell of largest upstream area within ``radius_m`` (the nearest of equals).

    Parameters
    ----------
    upstream_km2 : numpy.ndarray
        Upstream area of the candidate cells, km2.
    dist_m : numpy.ndarray
        Their distance from the given point, metres (same shape).
    radius_m : float
        Snapping radius; the nearest cell is a candidate even when it lies farther.

    Returns
    -------
    int
        Flat index of the chosen cell in the candidate arrays.

    """
    up, dist = upstream_km2.ravel(), dist_m.ravel()
    inside = dist <= max(radius_m, float(dist.min()))
    order = np.lexsort((dist, -np.where(inside, up, -np.inf)))
    return int(order[0])


def nearest_with_area(
    upstream_km2: np.ndarray, dist_m: np.ndarray, target_km2: float, share: float
) -> int | None:
    """The nearest cell whose upstream area is within ``share`` of ``target_km2``, if any.

    Returns the flat index in the candidate arrays, or None when no cell qualifies.
    """
    up, dist = upstream_km2.ravel(), dist_m.ravel()
    ok = np.abs(up - target_km2) <= share * target_km2
    if not ok.any():
        return None
    return int(np.argmin(np.where(ok, dist, np.inf)))


def subbasins(routing: FlowRouting, cell_area_m2: float, min_area_km2: float) -> np.ndarray:
    """Watersheds of at least ``min_area_km2`` tiling the DEM (labels 1..n)."""
    min_cells = max(1, round(min_area_km2 * 1e6 / cell_area_m2))
    target = max(1, int(routing.acc_cells.size // max(min_cells * 2, 1)))
    return delineate_subbasins(routing, target, min_cells)


def label_polygons(
    labels: np.ndarray,
    transform: Affine,
    crs: CRS,
    prefix: str = "W",
    working_crs: CRS | None = None,
) -> gpd.GeoDataFrame:
    """Polygons of a label grid (0 is outside): ``id`` (``W1``, ...), ``area_km2``, geometry.

    The polygons are traced on the label grid (``transform``, ``crs``) and, when
    ``working_crs`` is given, reprojected to it; ``area_km2`` is measured in the CRS of the
    result, which must be projected.
    """
    shapes = features.shapes(labels.astype(np.int32), mask=labels > 0, transform=transform)
    parts: dict[int, list[shapely.Geometry]] = {}
    for geom, value in shapes:
        parts.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    rows = [
        {"id": f"{prefix}{v}", "geometry": shapely.union_all(g)} for v, g in sorted(parts.items())
    ]
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    if working_crs is not None:
        gdf = gdf.to_crs(working_crs)
        gdf["geometry"] = gdf.geometry.make_valid()
    gdf["area_km2"] = (gdf.geometry.area / 1e6).round(3)
    return gdf


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygon parts of a geometry (intersections can add lines and points)."""
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


# communities become rows of every table and features of the map: a hexagon grid with more
# is refused before it is built (a 0.001 km hexagon over a county would be billions)
MAX_HEXAGONS = 100_000


def hex_count(bounds: tuple[float, float, float, float], size_km: float) -> float:
    """How many hexagons :func:`hex_grid` visits over ``bounds`` (metres), before building."""
    size = size_km * 1000.0
    radius = size / np.sqrt(3.0)
    w, s, e, n = bounds
    rows = (n - s + 2 * radius) / (1.5 * radius) + 1
    cols = (e - w + 2 * size) / size + 1
    return float(rows * cols)


def hex_grid(area: BaseGeometry, size_km: float, crs: CRS) -> gpd.GeoDataFrame:
    """Regular hexagons ``size_km`` across the flats covering ``area`` (projected CRS).

    Cells are clipped to the area; pieces smaller than a tenth of a hexagon are dropped.
    Ids ``H001``... run row by row from the north-west.
    """
    count = hex_count(area.bounds, size_km)
    if count > MAX_HEXAGONS:
        raise ValueError(
            f"hexagons {size_km:g} km across: about {count:,.0f} over the area, more than "
            f"{MAX_HEXAGONS:,}; use larger hexagons"
        )
    size = size_km * 1000.0
    radius = size / np.sqrt(3.0)  # centre to vertex
    w, s, e, n = area.bounds
    dy = 1.5 * radius
    hexes = []
    row = 0
    y = n + radius
    while y > s - radius:
        x = w - size + (size / 2 if row % 2 else 0.0)
        while x < e + size:
            angles = np.deg2rad(np.arange(30, 390, 60))
            hexagon = shapely.Polygon(
                np.column_stack([x + radius * np.cos(angles), y + radius * np.sin(angles)])
            )
            piece = _polygonal(hexagon.intersection(area))
            if not piece.is_empty and piece.area >= 0.1 * hexagon.area:
                hexes.append(piece)
            x += size
        y -= dy
        row += 1
    gdf = gpd.GeoDataFrame(geometry=hexes, crs=crs)
    gdf.insert(0, "id", [f"H{i + 1:03d}" for i in range(len(gdf))])
    gdf.insert(1, "name", [f"Hexagon {i + 1}" for i in range(len(gdf))])
    return gdf
