"""The map's polygon layers as geobuf: neighbours keep one shared edge, nothing opens or overlaps.

Random coverages (Voronoi cells with wiggling, densified shared boundaries, as digitised
boundaries are) go through :func:`dashboard.geometry.to_geobuf_gz` and back through the
geobuf library's own decoder (the algorithm dash-leaflet runs in the browser). The checks
are on the decoded integers of the grid: every inner edge is drawn by exactly two polygons,
the union has no hole and its area is the sum of the parts.
"""

from __future__ import annotations

import gzip
from collections import Counter
from itertools import pairwise

import geobuf
import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.geometry import (
    DEGREE_M,
    GRID_SHARE,
    coord_decimals,
    simplify_coverage,
    simplify_tolerance_m,
    to_geobuf_gz,
)


def _coverage(seed: int, cells: int, side_m: float) -> gpd.GeoDataFrame:
    """``cells`` polygons tiling a square of ``side_m`` near the equator (UTM 37S)."""
    rng = np.random.default_rng(seed)
    x0, y0 = 250_000.0, 9_800_000.0
    box = shapely.box(x0, y0, x0 + side_m, y0 + side_m)
    pts = shapely.MultiPoint(rng.uniform(0, side_m, (cells, 2)) + np.array([x0, y0]))
    voronoi = shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=box))
    edges = shapely.union_all([shapely.intersection(c, box).boundary for c in voronoi])
    step = side_m / 400
    amp, wave = side_m / 500, side_m / 60

    def wiggle(xy: np.ndarray) -> np.ndarray:
        # a smooth shift, nil on the square's sides: edges bend but never cross
        u, v = (xy[:, 0] - x0) / side_m, (xy[:, 1] - y0) / side_m
        taper = np.sin(np.pi * np.clip(u, 0, 1)) * np.sin(np.pi * np.clip(v, 0, 1))
        shift = amp * np.column_stack([np.sin(xy[:, 1] / wave), np.cos(xy[:, 0] / wave)])
        return xy + shift * taper[:, None]

    lines = shapely.transform(shapely.segmentize(edges, step), wiggle)
    polys = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    return gpd.GeoDataFrame({"id": [f"C{i}" for i in range(len(polys))]}, geometry=polys, crs=32737)


def _rings(geometry: dict) -> list[list[tuple[int, int]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for poly in polygons for ring in poly]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    cells=st.integers(3, 40),
    side_m=st.sampled_from([4_000.0, 30_000.0, 300_000.0]),
)
def test_shared_edges_decode_identically_from_both_sides(
    seed: int, cells: int, side_m: float
) -> None:
    gdf = _coverage(seed, cells, side_m)
    assert shapely.union_all(gdf.geometry.values).geom_type == "Polygon"
    tolerance = simplify_tolerance_m(gdf)
    decimals = coord_decimals(tolerance)
    fc = geobuf.decode(gzip.decompress(to_geobuf_gz(gdf, ["id"], tolerance)))
    assert [f["properties"]["id"] for f in fc["features"]] == gdf["id"].tolist()

    # each segment as a pair of grid points (integers), in either direction
    scale = 10**decimals
    segments: Counter[frozenset[tuple[int, int]]] = Counter()
    for feature in fc["features"]:
        for ring in _rings(feature["geometry"]):
            grid = [(round(x * scale), round(y * scale)) for x, y in ring]
            assert grid[0] == grid[-1]
            segments.update(frozenset(s) for s in pairwise(grid))
    # every segment is drawn once (outer edge) or twice (by two neighbours), never more
    assert set(segments.values()) <= {1, 2}

    decoded = [shapely.geometry.shape(f["geometry"]) for f in fc["features"]]
    assert all(p.is_valid for p in decoded)
    union = shapely.union_all(decoded)
    assert union.geom_type == "Polygon" and not union.interiors  # no gap anywhere
    # no overlap: the parts' areas add up to the union's
    assert sum(p.area for p in decoded) == pytest.approx(union.area, rel=1e-9)
    # the segments drawn once are exactly the outer edge
    outer = sum(float(np.hypot(*np.subtract(*sorted(s)))) for s, n in segments.items() if n == 1)
    assert outer / scale == pytest.approx(union.exterior.length, rel=1e-9)
    # the neighbours share what they shared before: one shared edge per source pair
    src = gdf.geometry.values
    left, right = gdf.sindex.query(src, predicate="touches")
    for a, b in zip(left, right, strict=True):
        if a < b and shapely.intersection(src[a], src[b]).length > 2 * tolerance:
            assert shapely.intersection(decoded[a], decoded[b]).length > 0, (a, b)


def test_decoded_vertices_are_the_simplified_ones_on_the_grid() -> None:
    gdf = _coverage(7, 25, 30_000.0)
    tolerance = simplify_tolerance_m(gdf)
    decimals = coord_decimals(tolerance)
    fc = geobuf.decode(gzip.decompress(to_geobuf_gz(gdf, ["id"], tolerance)))
    exact = simplify_coverage(gdf, tolerance).to_crs(4326).values
    half = 0.5 * 10.0**-decimals
    for feature, geom in zip(fc["features"], exact, strict=True):
        got = shapely.geometry.shape(feature["geometry"])
        # every decoded vertex is a simplified vertex moved by at most half a grid step
        vertices = shapely.points(shapely.get_coordinates(got))
        assert float(shapely.distance(vertices, geom.boundary).max()) <= half * np.sqrt(2) + 1e-12


@pytest.mark.parametrize(
    ("tolerance_m", "decimals"),
    [(None, 5), (20.0, 5), (36.0, 5), (38.0, 4), (45.0, 4), (370.0, 4), (372.0, 3), (6e4, 1)],
)
def test_grid_is_the_coarsest_decimal_step_within_a_share_of_the_tolerance(
    tolerance_m: float | None, decimals: int
) -> None:
    assert coord_decimals(tolerance_m) == decimals
    if tolerance_m is not None and decimals < 5:
        assert DEGREE_M * 10.0**-decimals <= GRID_SHARE * tolerance_m
        assert DEGREE_M * 10.0 ** -(decimals - 1) > GRID_SHARE * tolerance_m


def test_a_community_smaller_than_a_grid_cell_keeps_its_feature() -> None:
    tiles = [
        shapely.box(250_000 + i * 3000, 9_800_000, 250_000 + (i + 1) * 3000, 9_803_000)
        for i in range(3)
    ]
    speck = shapely.box(250_000.0, 9_803_000.0, 250_000.3, 9_803_000.3)  # 0.09 m2
    gdf = gpd.GeoDataFrame({"id": ["a", "b", "c", "speck"]}, geometry=[*tiles, speck], crs=32737)
    fc = geobuf.decode(gzip.decompress(to_geobuf_gz(gdf, ["id"], 45.0)))
    assert [f["properties"]["id"] for f in fc["features"]] == ["a", "b", "c", "speck"]
    assert all(f["geometry"]["coordinates"][0] for f in fc["features"])
