"""Watersheds from a DEM: stream burning, outlet snapping, catchments and polygons.

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

from processing.kernels.hydrology import (
    FlowRouting,
    delineate_subbasins,
    label_by_outlets,
    route_flow,
)

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


def snap_outlet(acc_cells: np.ndarray, row: int, col: int, radius_cells: int) -> tuple[int, int]:
    """The cell of largest upstream area within ``radius_cells`` of (row, col)."""
    r0, c0 = max(row - radius_cells, 0), max(col - radius_cells, 0)
    window = acc_cells[r0 : row + radius_cells + 1, c0 : col + radius_cells + 1]
    if window.size == 0:
        raise ValueError(f"outlet at row {row}, col {col} is outside the DEM")
    dr, dc = np.unravel_index(int(np.argmax(window)), window.shape)
    return r0 + int(dr), c0 + int(dc)


def outlet_catchments(
    routing: FlowRouting,
    transform: Affine,
    outlets_xy: list[tuple[float, float]],
    snap_radius_m: float = 90.0,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Label the catchment of each outlet (1..n; nested outlets split the larger one).

    Returns the labels and the snapped (row, col) of each outlet.
    """
    rows, cols = routing.acc_cells.shape
    radius = max(1, round(snap_radius_m / abs(transform.a)))
    grid = np.zeros((rows, cols), dtype=np.int32)
    snapped = []
    for i, (x, y) in enumerate(outlets_xy):
        c, r = (int(v) for v in ~transform * (x, y))
        if not (0 <= r < rows and 0 <= c < cols):
            raise ValueError(f"outlet {i + 1} at ({x:.0f}, {y:.0f}) is outside the DEM")
        rc = snap_outlet(routing.acc_cells, r, c, radius)
        grid[rc] = i + 1
        snapped.append(rc)
    return label_by_outlets(routing.fdir, grid), snapped


def subbasins(routing: FlowRouting, cell_area_m2: float, min_area_km2: float) -> np.ndarray:
    """Watersheds of at least ``min_area_km2`` tiling the DEM (labels 1..n)."""
    min_cells = max(1, round(min_area_km2 * 1e6 / cell_area_m2))
    target = max(1, int(routing.acc_cells.size // max(min_cells * 2, 1)))
    return delineate_subbasins(routing, target, min_cells)


def label_polygons(
    labels: np.ndarray, transform: Affine, crs: CRS, prefix: str = "W"
) -> gpd.GeoDataFrame:
    """Polygons of a label grid (0 is outside): ``id`` (``W1``, ...), ``area_km2``, geometry."""
    shapes = features.shapes(labels.astype(np.int32), mask=labels > 0, transform=transform)
    parts: dict[int, list[shapely.Geometry]] = {}
    for geom, value in shapes:
        parts.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    rows = [
        {"id": f"{prefix}{v}", "geometry": shapely.union_all(g)} for v, g in sorted(parts.items())
    ]
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    gdf["area_km2"] = (gdf.geometry.area / 1e6).round(3)
    return gdf


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygon parts of a geometry (intersections can add lines and points)."""
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def hex_grid(area: BaseGeometry, size_km: float, crs: CRS) -> gpd.GeoDataFrame:
    """Regular hexagons ``size_km`` across the flats covering ``area`` (projected CRS).

    Cells are clipped to the area; pieces smaller than a tenth of a hexagon are dropped.
    Ids ``H001``... run row by row from the north-west.
    """
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
