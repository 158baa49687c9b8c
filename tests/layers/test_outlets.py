"""Outlet catchments on a valley whose catchments are known exactly, and the outlet fields.

The DEM drains every cell straight across to the valley floor (column 20), then south down
it: a valley cell at row r drains rows 0..r, all 41 columns (100 m cells, 0.01 km2 each).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine
from pyproj import CRS

from layers.build.outlets import delineate_outlets, expected_areas_km2, outlet_names
from tests.regionkit import write_tif

pytestmark = pytest.mark.slow  # pysheds routing

T = Affine(100.0, 0, 300_000.0, 0, -100.0, 9_900_000.0)
ROWS, COLS, MID = 60, 41, 20
UTM = CRS.from_epsg(32737)


@pytest.fixture(scope="module")
def dem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    r, c = np.mgrid[0:ROWS, 0:COLS]
    valley = 1000.0 + 2.0 * (ROWS - 1 - r) + 20.0 * np.abs(c - MID)
    path = tmp_path_factory.mktemp("valley") / "dem.tif"
    return write_tif(path, valley.astype(np.float32)[None], "EPSG:32737", T, -9999.0)


def _points(
    cells: list[tuple[int, int]], east_m: float = 0.0, **columns: list[object]
) -> gpd.GeoDataFrame:
    """Points at the centres of (row, col) cells, moved ``east_m`` east."""
    xy = [(T.c + (c + 0.5) * T.a + east_m, T.f + (r + 0.5) * T.e) for r, c in cells]
    return gpd.GeoDataFrame(columns, geometry=[shapely.Point(p) for p in xy], crs=32737)


def test_nested_outlets_report_the_whole_catchment_and_their_own_part(dem: Path) -> None:
    found = delineate_outlets(dem, _points([(20, MID), (50, MID)]), UTM, 90.0)
    up, down = found.snaps
    assert up.snapped_upstream_km2 == pytest.approx(21 * COLS * 0.01)
    assert down.snapped_upstream_km2 == pytest.approx(51 * COLS * 0.01)
    assert up.watershed_km2 == pytest.approx(21 * COLS * 0.01)
    assert down.watershed_km2 == pytest.approx(30 * COLS * 0.01)  # rows 21..50
    # both reach the DEM's edges (the valley sides end there), the downstream one through
    # the upstream one as well
    assert up.reaches_dem_edge and down.reaches_dem_edge
    assert all(line.startswith("note: W") for line in found.lines()[2:])


def test_snapping_radius_is_a_circle_in_metres(dem: Path) -> None:
    # 240 m east of the floor at row 30 (in column 22): within 300 m lie the floor cells of
    # rows 29..31 (260 m); row 32 is sqrt(240^2 + 200^2) = 312 m away
    gauge = _points([(30, MID)], east_m=240.0)
    snap = delineate_outlets(dem, gauge, UTM, 300.0).snaps[0]
    assert snap.snapped_upstream_km2 == pytest.approx(32 * COLS * 0.01)
    assert snap.moved_m == pytest.approx(np.hypot(240.0, 100.0))
    assert snap.given_upstream_km2 == pytest.approx((COLS - MID - 2) * 0.01)


def test_outlet_refusals(dem: Path) -> None:
    far = _points([(10, MID)], east_m=1e5)
    with pytest.raises(ValueError, match=r"outlet 1 at .* lies outside the DEM dem\.tif"):
        delineate_outlets(dem, far, UTM, 90.0)
    twins = _points([(30, MID), (30, MID + 1)], name=["A", "B"])
    with pytest.raises(ValueError, match=r"outlet 1 'A' and outlet 2 'B' snap to the same cell"):
        delineate_outlets(dem, twins, UTM, 150.0)


def test_expected_area_and_name_fields() -> None:
    grdc = _points(
        [(0, 0)] * 3,
        GRDC_NO=[1, 2, 3],
        STATION=["X", "Y", "Z"],
        AREA=[3760.0, -999.0, None],
        area_hys=[3700.0, 10.0, 20.0],
    )
    assert expected_areas_km2(grdc) == [3760.0, None, None]  # reported area, -999 is missing
    assert outlet_names(grdc) == ["X", "Y", "Z"]
    hys = grdc.drop(columns=["AREA"])
    assert expected_areas_km2(hys) == [3700.0, 10.0, 20.0]
    bare = _points([(0, 0)], code=["Q"])
    assert expected_areas_km2(bare) == [None] and outlet_names(bare) == [""]
