"""Cells shared by touching and overlapping zones, checked against GDAL and rasterstats.

rasterstats rasterizes zone by zone, so a cell whose centre lies in two zones counts in
both. The engine burns all zones once and finds such cells from that one grid
(:mod:`processing.zonal_layers`); here random touching pieces (a polygon cut in two, Voronoi
cells), overlapping polygons, multipolygons with overlapping parts and points, with vertices
on cell corners, on cell centres or anywhere, must give each zone rasterstats' cells.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterio import features
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import split

from processing.kernels.centre_counts import polygon_centre_counts
from processing.zonal import zonal_stats
from tests.processing.zonal_peers import CRS_UTM, rasterstats_frame, write_raster

STATS = ["count", "sum", "min", "max"]
SNAPS = (0.5, 0.25, 0.0)  # vertices on a 0.5 grid (cell corners and centres), 0.25, anywhere


def _coords(rng: np.random.Generator, n: int, size: int, snap: float) -> np.ndarray:
    """``n`` points in a ``size`` square, snapped to multiples of ``snap`` (0: not snapped)."""
    xy = rng.uniform(-1.0, size + 1.0, (n, 2))
    return np.round(xy / snap) * snap if snap else xy


def _polygon(rng: np.random.Generator, size: int, snap: float) -> Polygon:
    """A random convex polygon at least a cell wide (or a box when the points are flat)."""
    hull = shapely.MultiPoint(_coords(rng, 6, size, snap)).convex_hull
    if not isinstance(hull, Polygon) or hull.area < 1.0:
        x, y = _coords(rng, 1, size - 2, snap)[0]
        return shapely.box(x, y, x + 2.0, y + 2.5)
    return hull


def _zones(rng: np.random.Generator, size: int, snap: float) -> list[BaseGeometry]:
    """Touching pieces, overlapping polygons, a multipolygon with overlapping parts, points
    in one cell, in a random order."""
    whole = _polygon(rng, size, snap)
    a, b = _coords(rng, 2, size, snap)
    if rng.random() < 0.5:  # cut along a row or a column (through cell centres on a 0.5 grid)
        axis = int(rng.integers(2))
        b[axis] = a[axis]
    if np.allclose(a, b):
        b = a + 1.0
    cutter = shapely.LineString([a + 100 * (a - b), b + 100 * (b - a)])
    pieces = list(shapely.get_parts(split(whole, cutter)))
    seeds = shapely.multipoints(_coords(rng, 5, size, snap))
    frame = shapely.box(-1, -1, size + 1, size + 1)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    voronoi = [c for c in shapely.intersection(cells, frame) if c.area > 0]
    overlapping = [_polygon(rng, size, snap), _polygon(rng, size, snap)]
    multi = shapely.MultiPolygon([_polygon(rng, size, snap), _polygon(rng, size, snap)])
    px, py = rng.uniform(0, size, 2)
    in_cell = np.floor([px, py]) + np.array([[0.3, 0.6], [0.7, 0.2], [0.1, 0.9]])
    # three zones in one cell, one of them two points in it
    points = [shapely.Point(px, py), shapely.Point(in_cell[0]), shapely.MultiPoint(in_cell[1:])]
    zones = pieces + voronoi + overlapping + [multi] + points
    return [zones[i] for i in rng.permutation(len(zones))]


@settings(max_examples=40)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(6, 16),
    snap=st.sampled_from(SNAPS),
    geo=st.booleans(),
)
def test_every_zone_gets_the_cells_rasterstats_gives_it(
    seed: int, size: int, snap: float, geo: bool
) -> None:
    rng = np.random.default_rng(seed)
    # values that tell cells apart: the cell's number, so count, sum, min and max of a zone
    # match only for (almost always) the same cells
    data = np.arange(size * size, dtype=np.float64).reshape(size, size)
    cell, left, bottom = (30.0, 300_000.0, 9_000_000.0) if geo else (1.0, 0.0, 0.0)
    transform = Affine(cell, 0, left, 0, -cell, bottom + size * cell)
    to_world = Affine(cell, 0, left, 0, cell, bottom).to_shapely()
    geoms = [shapely.affinity.affine_transform(g, to_world) for g in _zones(rng, size, snap)]
    zones = gpd.GeoDataFrame(geometry=geoms, crs=CRS_UTM)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_raster(Path(tmp) / "r.tif", data, transform, nodata=-1.0)
        ours = zonal_stats(path, zones, stats=STATS)
        theirs = rasterstats_frame(zones, path, STATS)
    pd.testing.assert_frame_equal(
        ours[STATS].astype(float), theirs, check_exact=True, check_dtype=False
    )


@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(4, 20), snap=st.sampled_from(SNAPS))
def test_centre_counts_match_gdal_unless_flagged(seed: int, size: int, snap: float) -> None:
    rng = np.random.default_rng(seed)
    poly = _polygon(rng, size, snap)
    if rng.random() < 0.5:  # a hole
        holed = poly.difference(poly.centroid.buffer(rng.uniform(0.3, 2.0)))
        poly = holed if isinstance(holed, Polygon) and not holed.is_empty else poly
    rings = shapely.get_rings(shapely.get_parts(poly))
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    ring_start = np.concatenate(([0], np.cumsum(np.bincount(ring_of, minlength=len(rings)))))
    transform = Affine(1.0, 0, 0, 0, -1.0, size)  # row = size - y
    counts, ambiguous = polygon_centre_counts(
        xy[:, 0], size - xy[:, 1], ring_start, np.array([0, len(rings)]), size, size, 1e-6
    )
    burned = features.rasterize([(poly, 1)], out_shape=(size, size), transform=transform)
    if snap == 0.0:
        assert not ambiguous[0]  # a centre within 1e-6 of a random edge: never in 60 tries
    if not ambiguous[0]:
        assert counts[0] == int(burned.sum())
