"""Catchments of clicked points: areas against pysheds run directly, snapping warnings, cache."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS, Transformer
from rasterio import features
from rasterio.warp import Resampling, reproject

from layers.build.delineation import BURN_DEPTH_M
from layers.grid import Grid
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.catchment import (
    EDGE_NOTE,
    FAR_WARNING,
    OTHER_STREAM_WARNING,
    CatchmentError,
    Delineator,
    catchment_at,
)
from processing.catchment_routing import region_routing, route_dem, routing_path
from processing.kernels.pysheds_lazy import load_sgrid
from tests.demo_build import demo_corner

UTM = CRS.from_epsg(32737)
CELL_M = 30.0
X0, Y0 = 300_000.0, 9_850_000.0


def _pysheds_cells(dem_m: np.ndarray, transform: Affine, row: int, col: int) -> int:
    """Cells with data draining through (row, col), routed by pysheds alone.

    pysheds' accumulation at the cell, weighted by data; its ``catchment`` leaves out the
    grid's outer ring, so it is not the reference.
    """
    load_sgrid()  # pysheds' routines compiled on first call, as processing does
    from pysheds.grid import Grid as ShedGrid
    from pysheds.sview import Raster, ViewFinder

    vf = ViewFinder(affine=transform, shape=dem_m.shape, nodata=np.nan)
    grid = ShedGrid(viewfinder=vf)
    dem = Raster(np.where(np.isfinite(dem_m), dem_m, np.nanmin(dem_m) - 1.0), viewfinder=vf)
    fdir = grid.flowdir(grid.resolve_flats(grid.fill_depressions(grid.fill_pits(dem))))
    weights = Raster(np.isfinite(dem_m).astype(np.float64), viewfinder=vf)
    acc = grid.accumulation(fdir, weights=weights)
    return round(float(np.asarray(acc)[row, col]))


def _lonlat(grid: Grid, row: float, col: float) -> tuple[float, float]:
    """WGS84 degrees of a grid position (fractional row and column)."""
    x, y = grid.transform * (col, row)
    lon, lat = Transformer.from_crs(grid.crs, 4326, always_xy=True).transform(x, y)
    return float(lon), float(lat)


def _cell_of(grid: Grid, lon: float, lat: float) -> tuple[int, int]:
    x, y = Transformer.from_crs(4326, grid.crs, always_xy=True).transform(lon, lat)
    col, row = ~grid.transform * (x, y)
    return int(row), int(col)


@pytest.fixture(scope="module")
def valleys() -> tuple[Grid, np.ndarray]:
    """Two valleys running south: a small one at column 20, a bigger one at column 31.

    The ground falls 2 m per row to the south and rises 3 m per column away from the
    nearer valley floor; the divide lies between columns 25 and 26, so the western valley
    drains 26 columns and the eastern one 64. A block of cells has no data.
    """
    rows, cols = 60, 90
    r, c = np.mgrid[0:rows, 0:cols].astype(np.float64)
    dem = 1000.0 - 2.0 * r + 3.0 * np.minimum(np.abs(c - 20), np.abs(c - 31))
    dem[5:8, 50:55] = np.nan
    grid = Grid(UTM, Affine(CELL_M, 0, X0, 0, -CELL_M, Y0), cols, rows)
    return grid, dem


@pytest.fixture(scope="module")
def routed(valleys: tuple[Grid, np.ndarray]) -> tuple[Grid, np.ndarray, object, np.ndarray]:
    grid, dem = valleys
    routing = route_dem(dem, grid.transform)
    return grid, dem, routing, routing.downstream()


def test_a_click_on_a_stream_gets_the_catchment_pysheds_delineates(routed: tuple) -> None:
    grid, dem, routing, down = routed
    lon, lat = _lonlat(grid, 30.5, 20.5)

    c = catchment_at(grid, routing, down, lon, lat, radius_m=0.0)

    expected = _pysheds_cells(dem, grid.transform, 30, 20)
    assert c.moved_m == pytest.approx(0.0, abs=1e-6)
    assert c.cells == expected
    assert c.area_km2 == pytest.approx(expected * CELL_M**2 / 1e6)
    assert [n.template for n in c.notices] == [EDGE_NOTE]  # its valley starts at the grid's edge
    assert c.geometry.is_valid
    # the traced polygon holds the same area (measured in the working CRS)
    area_m2 = gpd.GeoSeries([c.geometry], crs=4326).to_crs(UTM).area.iloc[0]
    assert area_m2 / 1e6 == pytest.approx(c.area_km2, rel=1e-6)


def test_a_click_beside_the_stream_snaps_onto_it_and_says_it_moved_far(routed: tuple) -> None:
    grid, _dem, routing, down = routed
    lon, lat = _lonlat(grid, 30.5, 24.5)  # four cells east of the western stream, a hillside

    with pytest.raises(CatchmentError, match="on a ridge or a slope"):
        catchment_at(grid, routing, down, lon, lat, radius_m=60.0)  # no stream within reach
    snapped = catchment_at(grid, routing, down, lon, lat, radius_m=200.0)

    assert [n.template for n in snapped.notices][:1] == [FAR_WARNING]
    assert snapped.moved_m > 3 * CELL_M
    assert _cell_of(grid, snapped.outlet_lon, snapped.outlet_lat)[1] == 20
    assert snapped.area_km2 > 10 * snapped.clicked_upstream_km2
    assert "m onto a stream" in snapped.notices[0].text()


def test_a_radius_reaching_a_bigger_stream_warns_of_another_stream(routed: tuple) -> None:
    grid, _dem, routing, down = routed
    lon, lat = _lonlat(grid, 30.5, 20.5)  # on the western stream; the eastern one is 330 m off

    own = catchment_at(grid, routing, down, lon, lat, radius_m=150.0)
    other = catchment_at(grid, routing, down, lon, lat, radius_m=600.0)

    assert OTHER_STREAM_WARNING not in [n.template for n in own.notices]
    assert _cell_of(grid, own.outlet_lon, own.outlet_lat)[1] == 20
    assert [n.template for n in other.notices][:1] == [OTHER_STREAM_WARNING]
    assert _cell_of(grid, other.outlet_lon, other.outlet_lat)[1] == 31
    assert other.area_km2 > own.area_km2


def test_an_outlet_beside_missing_data_notes_the_edge(routed: tuple) -> None:
    grid, _dem, routing, down = routed
    c = catchment_at(grid, routing, down, *_lonlat(grid, 59.5, 31.5), radius_m=0.0)
    assert EDGE_NOTE in [n.template for n in c.notices]  # its basin holds the block of no data


@pytest.mark.parametrize(
    ("row", "col", "words"),
    [
        (1.5, 25.5, "is on a ridge or a slope"),
        (6.5, 52.5, "has no elevation data"),
        (-50.0, 20.5, "lies outside the region"),
    ],
)
def test_clicks_without_a_catchment_say_why(
    routed: tuple, row: float, col: float, words: str
) -> None:
    grid, _dem, routing, down = routed
    with pytest.raises(CatchmentError, match=words):
        catchment_at(grid, routing, down, *_lonlat(grid, row, col), radius_m=0.0)


def test_a_radius_out_of_range_is_refused(routed: tuple) -> None:
    grid, _dem, routing, down = routed
    with pytest.raises(CatchmentError, match="between 0 and 5,000 m"):
        catchment_at(grid, routing, down, *_lonlat(grid, 30.5, 20.5), radius_m=-1.0)


def _stream_point(reg: LayerRegistry, routing: object) -> tuple[float, float]:
    """A cell near the middle of the region draining 10 to 40 km2, alone within 300 m."""
    from scipy import ndimage

    up = routing.upstream_cells * reg.grid.cell_area_m2 / 1e6  # type: ignore[attr-defined]
    rows, cols = up.shape
    ok = (up > 10) & (up < 40) & (ndimage.maximum_filter(up, size=21) < 1.1 * up)
    ok[: rows // 3], ok[2 * rows // 3 :], ok[:, : cols // 3], ok[:, 2 * cols // 3 :] = (False,) * 4
    rr, cc = np.nonzero(ok)
    i = len(rr) // 2
    return _lonlat(reg.grid, rr[i] + 0.5, cc[i] + 0.5)


@pytest.mark.slow
def test_demo_catchment_matches_pysheds_and_the_area_summary(
    processed_demo: Path, demo_planner: object
) -> None:
    from processing.area import area_summary

    reg = demo_planner.engine.reg  # type: ignore[attr-defined]
    delineator = Delineator(reg)
    routing, _ = delineator.routing()
    lon, lat = _stream_point(reg, routing)

    c = delineator.catchment(lon, lat, 150.0)

    with rasterio.open(reg.aligned_path("elevation")) as ds:
        dem = ds.read(1, masked=True).filled(np.nan).astype(np.float64)
    row, col = _cell_of(reg.grid, c.outlet_lon, c.outlet_lat)
    expected_km2 = _pysheds_cells(dem, reg.grid.transform, row, col) * reg.grid.cell_area_m2 / 1e6
    assert 10 < c.area_km2 < 45
    assert c.area_km2 == pytest.approx(expected_km2, rel=1e-9)
    summary = area_summary(demo_planner.engine, c.geometry, "Catchment")  # type: ignore[attr-defined]
    assert summary.summary["area_ha"] / 100 == pytest.approx(c.area_km2, rel=0.005)
    assert len(summary.suitability) > 0


@pytest.mark.slow
def test_routing_is_cached_and_follows_the_dem(processed_demo: Path, tmp_path: Path) -> None:
    """On a fifth of the demo (its north-western communities, no cache copied): what is
    checked is when it routes, not the demo's numbers."""
    region = demo_corner(processed_demo, tmp_path / "region")
    reg = LayerRegistry(load_region(region))
    first = region_routing(reg)  # routed now
    path = routing_path(reg)
    assert path.is_file()
    stamp = path.stat().st_mtime_ns

    again = region_routing(reg)
    assert path.stat().st_mtime_ns == stamp  # read, not written again
    np.testing.assert_array_equal(again.upstream_cells, first.upstream_cells)

    dem = reg.source("elevation").files[0]
    st = dem.stat()
    os.utime(dem, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a new DEM: routed anew
    changed = region_routing(LayerRegistry(load_region(region)))
    assert changed.fingerprint != first.fingerprint
    assert path.stat().st_mtime_ns != stamp
    assert not list(path.parent.glob(".*tmp*"))  # written atomically, nothing left beside


ROBIT = "robit_ethiopia"


def test_real_dem_catchment_matches_pysheds(shared_data: Path) -> None:
    """The Robit SRTM DEM on a 30 m UTM grid, clicked at the SWAT+ example's main outlet."""
    folder = shared_data / ROBIT
    if not (folder / "robit_dem_srtm30m.tif").is_file():
        pytest.skip(f"{folder / 'robit_dem_srtm30m.tif'} is absent")
    outlet = gpd.read_file(folder / "outlet" / "MainOutlet.shp").to_crs(4326).geometry.iloc[0]
    utm = CRS.from_epsg(32637)  # Robit lies in UTM zone 37 N
    with rasterio.open(folder / "robit_dem_srtm30m.tif") as src:
        w, s, e, n = rasterio.warp.transform_bounds(src.crs, utm, *src.bounds)
        width, height = int((e - w) // CELL_M), int((n - s) // CELL_M)
        transform = Affine(CELL_M, 0, w, 0, -CELL_M, n)
        dem = np.full((height, width), np.nan)
        reproject(
            rasterio.band(src, 1),
            dem,
            dst_transform=transform,
            dst_crs=utm,
            dst_nodata=np.nan,
            resampling=Resampling.bilinear,
        )
    # the SWAT+ reaches burned in, as `landwater init` does with --streams
    reaches = gpd.read_file(folder / "streams" / "robReach.shp").to_crs(utm).geometry
    channel = features.rasterize(
        ((g, 1) for g in reaches), out_shape=dem.shape, transform=transform
    )
    dem = np.where(channel > 0, dem - BURN_DEPTH_M, dem)
    grid = Grid(utm, transform, width, height)
    routing = route_dem(dem, transform)

    c = catchment_at(grid, routing, routing.downstream(), outlet.x, outlet.y, radius_m=300.0)

    row, col = _cell_of(grid, c.outlet_lon, c.outlet_lat)
    expected_km2 = _pysheds_cells(dem, transform, row, col) * CELL_M**2 / 1e6
    assert c.area_km2 == pytest.approx(expected_km2, rel=1e-9)
    assert 14 < c.area_km2 < 19  # as `landwater init` delineates Robit (test_init_realdata)
