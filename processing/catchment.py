"""The catchment of a clicked point: snapped onto the drainage, delineated, and checked.

The point moves to the cell of largest upstream area within a radius (the rule of
``landwater init``'s outlet snapping, :func:`layers.build.delineation.snap_outlet`), on the
region's cached routing (:mod:`processing.catchment_routing`). The snap is reported, with
warnings when it moved the point far or onto another stream, and a note when the
catchment reaches the DEM's edge. Messages are English templates with named values, so
the dashboard shows them in the reader's language.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from rasterio import features
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from layers.build.delineation import snap_outlet
from layers.grid import Grid
from layers.registry import LayerRegistry
from processing.catchment_routing import RegionRouting, region_routing
from processing.kernels.hydrology import upstream_mask

DEFAULT_SNAP_M = 150.0  # snapping radius the map starts with, metres
MAX_SNAP_M = 5000.0  # a wider radius would leave the stream clicked for a far river
FAR_SNAP_CELLS = 3  # a click off any stream moved farther than this many cells is reported
# a snap from a hillside that more than doubles the clicked cell's upstream area moved the
# point onto a stream
SAME_STREAM_GROWTH = 2.0
MIN_CATCHMENT_HA = 5.0  # smaller: the click is on a ridge or a slope, not on a stream


class CatchmentError(ValueError):
    """A click that has no catchment; ``template`` is English text with ``{names}``."""

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values
        super().__init__(template.format(**values))


@dataclass(frozen=True)
class Notice:
    """A warning or note about a catchment: English ``template`` and its values."""

    template: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The English text."""
        return self.template.format(**self.values)


FAR_WARNING = (
    "The point was moved {moved_m} m onto a stream (more than {cells} cells): check that"
    " this is the outlet you meant, or click closer to the stream."
)
OTHER_STREAM_WARNING = (
    "The point was moved onto another stream: the stream clicked does not flow through the"
    " outlet, a bigger one within the radius does. Click on the stream you mean, or lower"
    " the radius."
)
RADIUS_ERROR = "The snapping radius must be between 0 and {max_m} m (got {radius})."
OUTSIDE_ERROR = "The point ({lon}, {lat}) lies outside the region: click inside its map."
NO_DATA_ERROR = (
    "The point ({lon}, {lat}) has no elevation data: click where the elevation layer covers"
    " the land."
)
RIDGE_ERROR = (
    "The point ({lon}, {lat}) is on a ridge or a slope: the largest catchment within"
    " {radius} m is {area} ha (less than {min_ha} ha). Click on a stream, or widen the radius."
)
EDGE_NOTE = (
    "The catchment reaches the edge of the elevation data: if the basin continues beyond"
    " it, the catchment is cut short."
)
# every message a click can give, for the dashboard's catalogues
MESSAGES = (
    RADIUS_ERROR,
    OUTSIDE_ERROR,
    NO_DATA_ERROR,
    RIDGE_ERROR,
    FAR_WARNING,
    OTHER_STREAM_WARNING,
    EDGE_NOTE,
)


@dataclass(frozen=True)
class ClickCatchment:
    """The catchment of a clicked point.

    Attributes
    ----------
    lon, lat : float
        The clicked point, WGS84 degrees.
    outlet_lon, outlet_lat : float
        Centre of the snapped cell, WGS84 degrees.
    radius_m : float
        Snapping radius, metres.
    moved_m : float
        Distance from the click to the snapped cell's centre, metres (working CRS).
    clicked_upstream_km2 : float
        Upstream area of the clicked cell, km2.
    area_km2 : float
        Area of the catchment (cells with DEM data), km2: the upstream area of the outlet.
    cells : int
        Its cells on the working grid.
    geometry : shapely geometry
        The catchment polygon, WGS84.
    notices : list of Notice
        Warnings about the snap and a note when the catchment reaches the DEM's edge.

    """

    lon: float
    lat: float
    outlet_lon: float
    outlet_lat: float
    radius_m: float
    moved_m: float
    clicked_upstream_km2: float
    area_km2: float
    cells: int
    geometry: BaseGeometry
    notices: list[Notice]

    def properties(self) -> dict[str, Any]:
        """The catchment's figures as GeoJSON properties (WGS84 degrees, metres, km2)."""
        return {
            "clicked_lon": round(self.lon, 6),
            "clicked_lat": round(self.lat, 6),
            "outlet_lon": round(self.outlet_lon, 6),
            "outlet_lat": round(self.outlet_lat, 6),
            "snap_radius_m": self.radius_m,
            "moved_m": round(self.moved_m, 1),
            "area_km2": round(self.area_km2, 4),
            "warnings": [n.text() for n in self.notices],
        }


def _outline(mask: np.ndarray, grid: Grid) -> BaseGeometry:
    """The polygon of a cell mask, in the working CRS (traced on its bounding box only)."""
    rows, cols = np.nonzero(mask)
    r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    crop = mask[r0:r1, c0:c1].astype(np.uint8)
    transform = grid.transform * grid.transform.translation(c0, r0)
    parts = [
        shapely.geometry.shape(geom)
        for geom, _ in features.shapes(crop, mask=crop > 0, transform=transform)
    ]
    return shapely.union_all(parts)


def _touches_edge(mask: np.ndarray, valid: np.ndarray) -> bool:
    """Whether the mask has a cell on the grid's outer ring or beside a cell without data."""
    if mask[[0, -1], :].any() or mask[:, [0, -1]].any():
        return True
    near_nodata = ndimage.binary_dilation(~valid, structure=np.ones((3, 3), bool))
    return bool((mask & near_nodata).any())


class Delineator:
    """Catchments of clicked points on one region (its routing loaded once, then kept)."""

    def __init__(self, reg: LayerRegistry) -> None:
        self.reg = reg
        self._lock = threading.Lock()
        self._routing: RegionRouting | None = None
        self._downstream: np.ndarray | None = None

    @property
    def routed(self) -> bool:
        """Whether the routing is loaded (a click then answers without routing)."""
        return self._routing is not None

    def routing(self) -> tuple[RegionRouting, np.ndarray]:
        """The routing and its downstream index (from the disk cache, or routed now)."""
        with self._lock:
            if self._routing is None or self._downstream is None:
                self._routing = region_routing(self.reg)
                self._downstream = self._routing.downstream()
            return self._routing, self._downstream

    def catchment(self, lon: float, lat: float, radius_m: float = DEFAULT_SNAP_M) -> ClickCatchment:
        """The catchment of the point (WGS84 degrees), snapped within ``radius_m`` metres.

        Raises
        ------
        CatchmentError
            As :func:`catchment_at`.
        ValueError
            The region has no elevation layer.
        """
        check_radius(radius_m)
        grid = self.reg.grid
        inside_grid(grid, lon, lat)  # before routing: a click outside needs no DEM
        routing, downstream = self.routing()
        return catchment_at(grid, routing, downstream, lon, lat, radius_m)


def check_radius(radius_m: float) -> None:
    """Refuse a snapping radius outside 0..:data:`MAX_SNAP_M` (CatchmentError)."""
    if not (math.isfinite(radius_m) and 0 <= radius_m <= MAX_SNAP_M):
        raise CatchmentError(
            RADIUS_ERROR,
            max_m=f"{MAX_SNAP_M:,.0f}",
            radius=f"{radius_m:g}",
        )


def inside_grid(grid: Grid, lon: float, lat: float) -> tuple[float, float, int, int]:
    """The point in the working CRS and its cell ``(x, y, row, col)``.

    Raises
    ------
    CatchmentError
        When the point lies outside the grid.
    """
    to_work = Transformer.from_crs(4326, grid.crs, always_xy=True)
    x, y = to_work.transform(lon, lat)
    col_f, row_f = ~grid.transform * (x, y)
    rows, cols = grid.shape
    if not (math.isfinite(col_f) and math.isfinite(row_f)) or not (
        0 <= row_f < rows and 0 <= col_f < cols
    ):
        raise CatchmentError(
            OUTSIDE_ERROR,
            lon=f"{lon:.5f}",
            lat=f"{lat:.5f}",
        )
    return float(x), float(y), math.floor(row_f), math.floor(col_f)


def catchment_at(
    grid: Grid,
    routing: RegionRouting,
    downstream: np.ndarray,
    lon: float,
    lat: float,
    radius_m: float = DEFAULT_SNAP_M,
) -> ClickCatchment:
    """The catchment of a point (WGS84 degrees) on a routed grid, snapped within ``radius_m``.

    Parameters
    ----------
    grid : Grid
        The working grid (projected) the routing is on.
    routing : RegionRouting
    downstream : numpy.ndarray
        ``routing.downstream()``.
    lon, lat : float
        The clicked point.
    radius_m : float
        Snapping radius, metres.

    Raises
    ------
    CatchmentError
        A radius out of range, a point outside the grid or off the DEM's data, or a
        catchment smaller than :data:`MIN_CATCHMENT_HA` (a ridge or a slope).
    """
    check_radius(radius_m)
    x, y, r, c = inside_grid(grid, lon, lat)
    rows, cols = grid.shape
    where = {"lon": f"{lon:.5f}", "lat": f"{lat:.5f}"}
    if not routing.valid[r, c]:
        raise CatchmentError(
            NO_DATA_ERROR,
            **where,
        )
    cell_m = grid.res_m
    cell_km2 = grid.cell_area_m2 / 1e6
    reach = math.ceil(radius_m / cell_m) + 1
    rr, cc = np.mgrid[
        max(r - reach, 0) : min(r + reach + 1, rows),
        max(c - reach, 0) : min(c + reach + 1, cols),
    ]
    xs = grid.transform.c + (cc + 0.5) * grid.transform.a
    ys = grid.transform.f + (rr + 0.5) * grid.transform.e
    dist = np.hypot(xs - x, ys - y)
    up_km2 = np.where(routing.valid[rr, cc], routing.upstream_cells[rr, cc] * cell_km2, -1.0)
    pick = snap_outlet(up_km2, dist, radius_m)
    sr, sc = int(rr.ravel()[pick]), int(cc.ravel()[pick])
    area_km2 = float(routing.upstream_cells[sr, sc]) * cell_km2
    if area_km2 * 100.0 < MIN_CATCHMENT_HA:
        raise CatchmentError(
            RIDGE_ERROR,
            radius=f"{radius_m:,.0f}",
            area=f"{area_km2 * 100.0:,.1f}",
            min_ha=f"{MIN_CATCHMENT_HA:g}",
            **where,
        )
    mask = upstream_mask(downstream.reshape(grid.shape), sr * cols + sc) & routing.valid
    moved_m = float(dist.ravel()[pick])
    notices = []
    clicked_km2 = float(routing.upstream_cells[r, c]) * cell_km2
    on_stream = clicked_km2 * 100.0 >= MIN_CATCHMENT_HA
    grew = area_km2 > SAME_STREAM_GROWTH * clicked_km2
    if on_stream and not mask[r, c]:  # the stream clicked does not flow through the outlet
        notices.append(Notice(OTHER_STREAM_WARNING))
    elif not on_stream and grew and moved_m > FAR_SNAP_CELLS * cell_m:
        notices.append(Notice(FAR_WARNING, {"moved_m": f"{moved_m:,.0f}", "cells": FAR_SNAP_CELLS}))
    if _touches_edge(mask, routing.valid):
        notices.append(Notice(EDGE_NOTE))
    outline = gpd.GeoSeries([_outline(mask, grid)], crs=grid.crs).to_crs(4326)
    to_lonlat = Transformer.from_crs(grid.crs, 4326, always_xy=True)
    ox, oy = grid.transform * (sc + 0.5, sr + 0.5)
    outlet_lon, outlet_lat = to_lonlat.transform(ox, oy)
    return ClickCatchment(
        lon=lon,
        lat=lat,
        outlet_lon=float(outlet_lon),
        outlet_lat=float(outlet_lat),
        radius_m=float(radius_m),
        moved_m=moved_m,
        clicked_upstream_km2=clicked_km2,
        area_km2=area_km2,
        cells=int(mask.sum()),
        geometry=outline.iloc[0],
        notices=notices,
    )
