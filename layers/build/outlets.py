"""Catchments of outlet points, delineated on the DEM's own grid, with a report per snap.

The DEM is routed at its own resolution and in its own CRS (it is never resampled for
this); each outlet moves to the cell of largest upstream area within a radius measured in
metres in the working CRS; the catchments are labelled on that grid and their polygons,
not the DEM, are reprojected to the working CRS. Every snap is reported (distance moved,
upstream area at the given point and at the snapped cell), and an expected catchment area
carried by the outlet file is checked against the delineated one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from pyproj import CRS, Transformer
from scipy import ndimage

from layers.build.delineation import (
    label_polygons,
    nearest_with_area,
    route_with_streams,
    snap_outlet,
)
from layers.io import RasterInfo, read_raster
from processing.kernels.hydrology import downstream_index, label_by_outlets, upstream_sum

AREA_MISMATCH_SHARE = 0.20  # delineated vs expected catchment area beyond which init warns
HINT_RADIUS_M = 5000.0  # how far to look for a cell of the expected area when they differ
# columns of an outlet file giving the expected catchment area, km2, first found wins
# (GRDC's station catalogue: ``area`` as reported, ``area_hys`` from HydroSHEDS)
EXPECTED_AREA_FIELDS = ("area_km2", "catchment_area_km2", "area", "area_hys")
NAME_FIELDS = ("name", "station", "station_name", "grdc_no", "outlet_id", "id")


@dataclass(frozen=True)
class OutletSnap:
    """How one outlet was moved onto the DEM's drainage, and what it drains.

    Attributes
    ----------
    watershed_id : str
        Id of its watershed (``W1``, ...).
    outlet : str
        The outlet's name or id in the outlet file ('' without one).
    lon, lat : float
        The given point, WGS84 degrees.
    snapped_lon, snapped_lat : float
        Centre of the snapped cell, WGS84 degrees.
    moved_m : float
        Distance from the given point to the snapped cell's centre, metres (working CRS).
    given_upstream_km2 : float
        Upstream area of the cell holding the given point, km2.
    snapped_upstream_km2 : float
        Upstream area of the snapped cell, km2: the whole catchment of the outlet (an
        outlet upstream of it is not subtracted).
    watershed_km2 : float
        Area of its watershed polygon, km2 (less than the catchment when another outlet
        lies upstream).
    expected_km2 : float or None
        Catchment area given in the outlet file, km2.
    reaches_dem_edge : bool
        The catchment touches the DEM's edge or its nodata: part of the upstream area may
        be missing.
    hint : str
        Where a cell of the expected area lies, when the areas disagree.

    """

    watershed_id: str
    outlet: str
    lon: float
    lat: float
    snapped_lon: float
    snapped_lat: float
    moved_m: float
    given_upstream_km2: float
    snapped_upstream_km2: float
    watershed_km2: float
    expected_km2: float | None
    reaches_dem_edge: bool
    hint: str

    @property
    def label(self) -> str:
        """``W1 (outlet 'name')``, or ``W1`` for an outlet without a name."""
        return f"{self.watershed_id} (outlet '{self.outlet}')" if self.outlet else self.watershed_id

    @property
    def difference_pct(self) -> float | None:
        """Delineated minus expected catchment area, percent of the expected one."""
        if self.expected_km2 is None:
            return None
        return 100.0 * (self.snapped_upstream_km2 - self.expected_km2) / self.expected_km2

    def line(self) -> str:
        """One line for init's output."""
        text = (
            f"{self.label}: snapped {self.moved_m:,.0f} m;"
            f" upstream area {self.given_upstream_km2:,.2f} km2 at the given point,"
            f" {self.snapped_upstream_km2:,.2f} km2 at the snapped cell"
        )
        if self.expected_km2 is not None:
            text += f" (outlet file: {self.expected_km2:,.2f} km2)"
        return text

    def warning(self, snap_m: float) -> str:
        """A warning naming the fix when the expected area differs ('' otherwise)."""
        diff = self.difference_pct
        if diff is None or abs(diff) <= 100.0 * AREA_MISMATCH_SHARE:
            return ""
        assert self.expected_km2 is not None
        if diff < 0:
            fix = f"raise --snap-m (now {snap_m:g} m) or check its coordinates"
            if self.reaches_dem_edge:
                fix += ", and use a DEM that covers the whole basin"
        else:
            fix = f"lower --snap-m (now {snap_m:g} m) or check its coordinates"
        return (
            f"warning: {self.label}: the delineated catchment"
            f" is {self.snapped_upstream_km2:,.2f} km2 but the outlet file says"
            f" {self.expected_km2:,.2f} km2 ({diff:+.0f} %, more than"
            f" {100 * AREA_MISMATCH_SHARE:.0f} %); it may sit on another river: {fix}"
            + (f"; {self.hint}" if self.hint else "")
        )

    def note(self, dem_name: str) -> str:
        """A note when the catchment reaches the DEM's edge or nodata ('' otherwise)."""
        if not self.reaches_dem_edge:
            return ""
        return (
            f"note: {self.label}: the catchment reaches the edge"
            f" or the nodata of {dem_name}; if the basin continues beyond it, the catchment is"
            " cut short: use a DEM that extends past the divide"
        )


@dataclass(frozen=True)
class OutletCatchments:
    """Catchments of outlets delineated on the DEM's own grid.

    Attributes
    ----------
    polygons : geopandas.GeoDataFrame
        ``id`` (``W1``, ...), ``outlet``, ``area_km2``, geometry, in the working CRS.
    snaps : list of OutletSnap
        One per outlet, in the order of the outlet file.
    dem : pathlib.Path
        The DEM file.
    dem_crs : pyproj.CRS
        Its CRS (the grid routed).
    dem_res : tuple of float
        Its cell size ``(x, y)`` in its CRS units.
    snap_m : float
        The snapping radius, metres.

    """

    polygons: gpd.GeoDataFrame
    snaps: list[OutletSnap]
    dem: Path
    dem_crs: CRS
    dem_res: tuple[float, float]
    snap_m: float

    def grid_text(self) -> str:
        """The DEM's grid in words, e.g. ``EPSG:4326, 0.000278 x 0.000278 deg``."""
        unit = "deg" if self.dem_crs.is_geographic else "m"
        x, y = self.dem_res
        return f"{self.dem_crs.to_string()}, {x:.6g} x {y:.6g} {unit}"

    def lines(self) -> list[str]:
        """The snap report followed by every warning and note, for init's output."""
        out = [s.line() for s in self.snaps]
        out += [s.warning(self.snap_m) for s in self.snaps]
        out += [s.note(self.dem.name) for s in self.snaps]
        return [line for line in out if line]

    def table(self) -> pd.DataFrame:
        """The snap report as a table (one row per outlet)."""
        rows = []
        for s in self.snaps:
            row = asdict(s)
            diff = s.difference_pct
            row["difference_pct"] = None if diff is None else round(diff, 1)
            row["warning"] = s.warning(self.snap_m)
            rows.append(row)
        table = pd.DataFrame(rows)
        degrees = ["lon", "lat", "snapped_lon", "snapped_lat"]
        return table.round(4).assign(**{c: table[c].round(6) for c in degrees})


def outlet_names(points: gpd.GeoDataFrame) -> list[str]:
    """A name per outlet from the first of :data:`NAME_FIELDS` present ('' without one)."""
    lower = {str(c).lower(): c for c in points.columns}
    field = next((lower[k] for k in NAME_FIELDS if k in lower), None)
    if field is None:
        return [""] * len(points)
    return ["" if pd.isna(v) else str(v) for v in points[field]]


def _named(i: int, names: list[str]) -> str:
    """``outlet 3 'Name'`` (0-based ``i``) for error messages."""
    return f"outlet {i + 1}" + (f" '{names[i]}'" if names[i] else "")


def expected_areas_km2(points: gpd.GeoDataFrame) -> list[float | None]:
    """The expected catchment area of each outlet from :data:`EXPECTED_AREA_FIELDS`, km2.

    Missing, non-numeric and non-positive values (GRDC writes -999) give None.
    """
    lower = {str(c).lower(): c for c in points.columns}
    field = next((lower[k] for k in EXPECTED_AREA_FIELDS if k in lower), None)
    if field is None:
        return [None] * len(points)
    values = pd.to_numeric(points[field], errors="coerce")
    return [float(v) if np.isfinite(v) and v > 0 else None for v in values]


def _xy(t: Affine, col: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of grid positions (fractional column and row) under transform ``t``."""
    return t.c + t.a * col + t.b * row, t.f + t.d * col + t.e * row


def row_cell_areas_km2(
    transform: Affine, shape: tuple[int, int], crs: CRS, working_crs: CRS
) -> np.ndarray:
    """Area of a cell of each row, km2, measured in ``working_crs``.

    Taken at the middle column: exact for geographic and Mercator grids, whose cells
    change with latitude only, and within 0.3 % across a UTM zone.
    """
    rows, cols = shape
    r = np.arange(rows, dtype=np.float64)
    c = np.full(rows, cols // 2, dtype=np.float64)
    to_work = Transformer.from_crs(crs, working_crs, always_xy=True)
    corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
    xy = [to_work.transform(*_xy(transform, cc, rr)) for cc, rr in corners]
    x = np.stack([p[0] for p in xy])
    y = np.stack([p[1] for p in xy])
    shoelace = 0.5 * np.abs(sum(x[i] * y[(i + 1) % 4] - x[(i + 1) % 4] * y[i] for i in range(4)))
    return np.asarray(shoelace / 1e6)


def read_dem(path: Path) -> tuple[np.ndarray, RasterInfo]:
    """The first band of a DEM as float64 metres, nodata as NaN, with its metadata."""
    band, info = read_raster(path, [1])
    dem = band[0].astype(np.float64)
    if info.nodata is not None:
        dem[band[0] == info.nodata] = np.nan
    if info.crs is None:
        raise ValueError(f"{path}: the DEM has no CRS; assign one with gdal_edit.py -a_srs")
    if not np.isfinite(dem).any():
        raise ValueError(f"{path}: the DEM holds no data")
    return dem, info


class _Snapper:
    """Distances in metres (working CRS) around points on the DEM's grid."""

    def __init__(self, transform: Affine, shape: tuple[int, int], crs: CRS, working: CRS):
        self.transform = transform
        self.shape = shape
        self.to_work = Transformer.from_crs(crs, working, always_xy=True)

    def window(
        self, row: int, col: int, point_xy: tuple[float, float], radius_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, cols and distances (m) of the cells around (row, col) out to ``radius_m``."""
        x0, y0 = self.to_work.transform(*(self.transform * (col, row)))
        x1, _ = self.to_work.transform(*(self.transform * (col + 1, row)))
        _, y1 = self.to_work.transform(*(self.transform * (col, row + 1)))
        cell_m = max(min(abs(x1 - x0), abs(y1 - y0)), 1e-9)
        reach = math.ceil(radius_m / cell_m) + 1
        rows, cols = self.shape
        rr, cc = np.mgrid[
            max(row - reach, 0) : min(row + reach + 1, rows),
            max(col - reach, 0) : min(col + reach + 1, cols),
        ]
        x, y = self.to_work.transform(*_xy(self.transform, cc + 0.5, rr + 0.5))
        dist = np.hypot(np.asarray(x) - point_xy[0], np.asarray(y) - point_xy[1])
        return rr, cc, dist


def _edge_labels(labels: np.ndarray, nodata: np.ndarray) -> set[int]:
    """Labels with a cell on the grid's outer ring or next to a nodata cell."""
    edge = ndimage.binary_dilation(nodata, structure=np.ones((3, 3), bool))
    edge[[0, -1], :] = True
    edge[:, [0, -1]] = True
    return {int(v) for v in np.unique(labels[edge]) if v > 0}


def _downstream_outlet(fdir: np.ndarray, labels: np.ndarray, cells: list[int]) -> list[int]:
    """For each outlet cell, the label of the outlet next downstream (0 for none)."""
    nxt = downstream_index(fdir).ravel()
    out = []
    for flat in cells:
        down = nxt[flat]
        out.append(int(labels.ravel()[down]) if down >= 0 else 0)
    return out


def _hint(upstream_km2: np.ndarray, dist_m: np.ndarray, target_km2: float, widen: bool) -> str:
    """Where the nearest cell draining about ``target_km2`` lies, in words."""
    near = nearest_with_area(upstream_km2, dist_m, target_km2, AREA_MISMATCH_SHARE)
    if near is None:
        return f"no cell within {HINT_RADIUS_M:,.0f} m drains the expected area"
    d, a = float(dist_m.ravel()[near]), float(upstream_km2.ravel()[near])
    text = f"a cell draining {a:,.2f} km2 lies {d:,.0f} m from the given point"
    if widen:
        text += f" (--snap-m {math.ceil(d / 10) * 10:.0f} would reach it)"
    return text


def delineate_outlets(
    dem_path: Path,
    outlets: gpd.GeoDataFrame,
    working_crs: CRS,
    snap_m: float,
    streams: gpd.GeoSeries | None = None,
) -> OutletCatchments:
    """Delineate the catchment of each outlet on the DEM's own grid.

    Parameters
    ----------
    dem_path : pathlib.Path
        Elevation raster, metres, any CRS (geographic included).
    outlets : geopandas.GeoDataFrame
        Points with a CRS; optional name (:data:`NAME_FIELDS`) and expected catchment area
        in km2 (:data:`EXPECTED_AREA_FIELDS`).
    working_crs : pyproj.CRS
        Projected CRS of the region: distances, areas and the polygons are in it.
    snap_m : float
        Snapping radius, metres.
    streams : geopandas.GeoSeries, optional
        Stream lines burned into the DEM before routing.

    Returns
    -------
    OutletCatchments

    Raises
    ------
    ValueError
        An outlet outside the DEM, two outlets on one cell, or a DEM without CRS or data.

    """
    dem, info = read_dem(dem_path)
    assert info.crs is not None
    nodata = ~np.isfinite(dem)
    if streams is not None:
        streams = streams.to_crs(info.crs)
    routing = route_with_streams(dem, info.transform, streams)
    cell_km2 = row_cell_areas_km2(info.transform, dem.shape, info.crs, working_crs)
    weights = np.where(nodata, 0.0, cell_km2[:, None])
    upstream_km2 = upstream_sum(routing.fdir, info.transform, weights)

    points = outlets.geometry
    native = points.to_crs(info.crs)
    work = points.to_crs(working_crs)
    lonlat = points.to_crs(4326)
    names = outlet_names(outlets)
    expected = expected_areas_km2(outlets)
    snapper = _Snapper(info.transform, dem.shape, info.crs, working_crs)
    to_lonlat = Transformer.from_crs(info.crs, 4326, always_xy=True)
    rows, cols = dem.shape
    marks = np.zeros(dem.shape, dtype=np.int32)
    cells: list[int] = []
    found: list[OutletSnap] = []
    for i, (p, w, ll) in enumerate(zip(native, work, lonlat, strict=True)):
        col_f, row_f = ~info.transform * (p.x, p.y)
        r, c = math.floor(row_f), math.floor(col_f)
        if not (0 <= r < rows and 0 <= c < cols):
            raise ValueError(
                f"{_named(i, names)} at ({ll.x:.5f}, {ll.y:.5f}) lies outside the DEM"
                f" {dem_path.name}; check its coordinates or use a DEM that covers it"
            )
        rr, cc, dist = snapper.window(r, c, (w.x, w.y), snap_m)
        pick = snap_outlet(upstream_km2[rr, cc], dist, snap_m)
        sr, sc = int(rr.ravel()[pick]), int(cc.ravel()[pick])
        if marks[sr, sc]:
            first = _named(int(marks[sr, sc]) - 1, names)
            raise ValueError(
                f"{first} and {_named(i, names)} snap to the same cell of {dem_path.name};"
                " remove one or lower --snap-m"
            )
        if nodata[sr, sc]:
            raise ValueError(
                f"{_named(i, names)} at ({ll.x:.5f}, {ll.y:.5f}) lies on nodata of the DEM"
                f" {dem_path.name}; check its coordinates or use a DEM that covers it"
            )
        marks[sr, sc] = i + 1
        cells.append(sr * cols + sc)
        target = expected[i]
        snapped = float(upstream_km2[sr, sc])
        hint = ""
        if target is not None and abs(snapped - target) > AREA_MISMATCH_SHARE * target:
            hr, hc, hdist = snapper.window(r, c, (w.x, w.y), HINT_RADIUS_M)
            hint = _hint(upstream_km2[hr, hc], hdist, target, widen=snapped < target)
        x, y = info.transform * (sc + 0.5, sr + 0.5)
        slon, slat = to_lonlat.transform(x, y)
        found.append(
            OutletSnap(
                watershed_id=f"W{i + 1}",
                outlet=names[i],
                lon=float(ll.x),
                lat=float(ll.y),
                snapped_lon=float(slon),
                snapped_lat=float(slat),
                moved_m=float(dist.ravel()[pick]),
                given_upstream_km2=float(upstream_km2[r, c]),
                snapped_upstream_km2=snapped,
                watershed_km2=0.0,
                expected_km2=target,
                reaches_dem_edge=False,
                hint=hint,
            )
        )
    labels = label_by_outlets(routing.fdir, marks)
    labels[nodata] = 0
    polygons = label_polygons(labels, info.transform, info.crs, working_crs=working_crs)
    polygons.insert(1, "outlet", [names[int(v[1:]) - 1] for v in polygons["id"]])
    own_km2 = dict(zip(polygons["id"], polygons["area_km2"], strict=True))
    # an outlet reaches the edge when its own part or any part upstream of it does
    at_edge = _edge_labels(labels, nodata)
    down = _downstream_outlet(routing.fdir, labels, cells)
    for label in sorted(at_edge):
        nxt = down[label - 1]
        while nxt and nxt not in at_edge:
            at_edge.add(nxt)
            nxt = down[nxt - 1]
    snaps = [
        replace(
            s,
            watershed_km2=float(own_km2[s.watershed_id]),
            reaches_dem_edge=(i + 1) in at_edge,
        )
        for i, s in enumerate(found)
    ]
    return OutletCatchments(polygons, snaps, dem_path, info.crs, info.res, snap_m)
