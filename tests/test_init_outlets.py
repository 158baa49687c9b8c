"""``landwater init --outlets`` on synthetic valleys whose catchments are known exactly.

Each DEM is a V-shaped valley: every cell drains straight across to the valley floor (the
cross slope is ten times the down-valley slope), then down the valley. The catchment of a
valley cell is therefore every cell from the top edge down to its row, and the catchment
of an off-valley cell is the cells of its own row on its side of the valley.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import Geod, Transformer

from landwater.cli import main
from layers.build.outlets import AREA_MISMATCH_SHARE
from layers.region import load_region
from tests.regionkit import write_tif

pytestmark = pytest.mark.slow  # pysheds routing and a full init per case

CROSS_M, DOWN_M = 20.0, 2.0  # metres of drop per cell across and down the valley


def _valley(rows: int, cols: int) -> np.ndarray:
    r, c = np.mgrid[0:rows, 0:cols]
    return (1000.0 + DOWN_M * (rows - 1 - r) + CROSS_M * np.abs(c - cols // 2)).astype(np.float32)


def _climate(folder: Path, crs: str, transform: Affine, shape: tuple[int, int]) -> list[str]:
    rain = np.stack([np.full(shape, 20.0 + 10 * m, np.float32) for m in range(12)])
    write_tif(folder / "rain.tif", rain, crs, transform, -9999.0)
    write_tif(folder / "et0.tif", np.full((12, *shape), 110.0, np.float32), crs, transform)
    return [
        "--rainfall", str(folder / "rain.tif"), "--et0", str(folder / "et0.tif"),
        "--land-use-class", "40", "--land-use-product", "worldcover",
    ]  # fmt: skip


# --- a gauge beside a one-row tributary, 300 m from the main valley (UTM 37S, 100 m) ---

T_UTM = Affine(100.0, 0, 300_000.0, 0, -100.0, 9_900_000.0)
ROWS, COLS = 120, 81  # valley in column 40
GAUGE_RC = (100, 43)
MAIN_KM2 = (GAUGE_RC[0] + 1) * COLS * 0.01  # rows 0..100, all columns: 81.81 km2
TRIBUTARY_KM2 = (COLS - GAUGE_RC[1]) * 0.01  # its own row east of the gauge: 0.38 km2


@pytest.fixture
def tributary(tmp_path: Path) -> tuple[Path, list[str]]:
    raw = tmp_path / "raw"
    write_tif(raw / "dem.tif", _valley(ROWS, COLS), "EPSG:32737", T_UTM, -9999.0)
    x, y = T_UTM * (GAUGE_RC[1] + 0.5, GAUGE_RC[0] + 0.5)
    gauge = gpd.GeoDataFrame(
        {"name": ["Main bridge"], "area_km2": [MAIN_KM2]},
        geometry=[shapely.Point(x, y)],
        crs=32737,
    )
    gauge.to_file(raw / "gauge.gpkg")
    box = shapely.box(303_000, 9_889_000, 305_000, 9_891_000)
    gpd.GeoDataFrame({"id": ["C1"]}, geometry=[box], crs=32737).to_file(raw / "comm.gpkg")
    args = [
        "--dem", str(raw / "dem.tif"), "--outlets", str(raw / "gauge.gpkg"),
        "--communities", str(raw / "comm.gpkg"), "--resolution-m", "100",
        *_climate(raw, "EPSG:32737", T_UTM, (ROWS, COLS)),
    ]  # fmt: skip
    return raw, args


def test_gauge_beside_a_tributary_is_reported_and_warned(
    tributary: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, args = tributary
    region = tmp_path / "near"
    assert main(["init", str(region), *args]) == 0  # default radius 90 m: stays on the row
    out = capsys.readouterr().out
    report = pd.read_csv(region / "delineation" / "outlets.csv").iloc[0]
    assert report["moved_m"] == pytest.approx(0.0, abs=1e-6)
    assert report["given_upstream_km2"] == pytest.approx(TRIBUTARY_KM2, rel=1e-6)
    assert report["snapped_upstream_km2"] == pytest.approx(TRIBUTARY_KM2, rel=1e-6)
    assert "W1 (outlet 'Main bridge'): snapped 0 m" in out
    warning = next(line for line in out.splitlines() if line.startswith("warning: W1"))
    assert "'Main bridge'" in warning and f"{TRIBUTARY_KM2:,.2f} km2" in warning
    assert f"{MAIN_KM2:,.2f} km2" in warning and "raise --snap-m (now 90 m)" in warning
    # the nearest cell of the expected area is the valley floor, 3 cells west
    assert "lies 300 m from the given point" in warning
    assert report["warning"].startswith("warning: W1")
    ws = load_region(region).config.layers.watersheds
    assert ws is not None and "delineation/outlets.csv" in ws.source

    # with the radius the warning names, the gauge lands on the main valley: no warning
    again = tmp_path / "far"
    assert main(["init", str(again), *args, "--snap-m", "300"]) == 0
    out = capsys.readouterr().out
    assert "warning: W1" not in out
    report = pd.read_csv(again / "delineation" / "outlets.csv").iloc[0]
    assert report["moved_m"] == pytest.approx(300.0)
    assert report["snapped_upstream_km2"] == pytest.approx(MAIN_KM2, rel=1e-6)
    assert abs(report["difference_pct"]) < 100 * AREA_MISMATCH_SHARE
    area_km2 = gpd.read_file(again / "data" / "watersheds.gpkg").geometry.area.sum() / 1e6
    assert area_km2 == pytest.approx(MAIN_KM2, rel=1e-6)


# --- a geographic DEM (EPSG:4326), a UTM working grid, communities near the outlet only ---

CELL_DEG = 0.001
T_GEO = Affine(CELL_DEG, 0, 37.0, 0, -CELL_DEG, -1.0)
GEO_ROWS, GEO_COLS = 160, 101  # valley in column 50
OUTLET_ROW = 140


def _geodesic_km2(west: float, south: float, east: float, north: float) -> float:
    """Area of a lon/lat box on the WGS84 ellipsoid, edges densified along the parallels."""
    lon = np.linspace(west, east, 201)
    ring_lon = np.concatenate([lon, lon[::-1]])
    ring_lat = np.concatenate([np.full(201, south), np.full(201, north)])
    area_m2, _ = Geod(ellps="WGS84").polygon_area_perimeter(ring_lon, ring_lat)
    return abs(area_m2) / 1e6


@pytest.mark.parametrize("crs", [None, "EPSG:32736"])
def test_snapping_and_delineation_on_the_native_geographic_grid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crs: str | None
) -> None:
    raw = tmp_path / "raw"
    write_tif(raw / "dem.tif", _valley(GEO_ROWS, GEO_COLS), "EPSG:4326", T_GEO, -9999.0)
    # the gauge one cell east of the valley floor; 150 m reaches the floor (111 m) only
    lon, lat = T_GEO * (GEO_COLS // 2 + 1.5, OUTLET_ROW + 0.5)
    gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs=4326).to_file(raw / "gauge.gpkg")
    # communities around the outlet only: the catchment reaches 14 km north of them
    box = shapely.box(37.03, -1.15, 37.07, -1.13)
    gpd.GeoDataFrame({"id": ["C1"]}, geometry=[box], crs=4326).to_file(raw / "comm.gpkg")
    region = tmp_path / "region"
    args = [
        "init", str(region), "--dem", str(raw / "dem.tif"),
        "--outlets", str(raw / "gauge.gpkg"), "--snap-m", "150",
        "--communities", str(raw / "comm.gpkg"), "--resolution-m", "100",
        *_climate(raw, "EPSG:4326", T_GEO, (GEO_ROWS, GEO_COLS)),
    ]  # fmt: skip
    assert main([*args, *(["--crs", crs] if crs else [])]) == 0
    out = capsys.readouterr().out
    working = crs or "EPSG:32737"  # the UTM zone of 37.05 E, 1.1 S
    assert load_region(region).config.region.crs == working
    # the catchment: rows 0..140 of the valley, full width
    expected_km2 = _geodesic_km2(37.0, -1.0 - (OUTLET_ROW + 1) * CELL_DEG, 37.101, -1.0)
    ws = gpd.read_file(region / "data" / "watersheds.gpkg")
    assert ws.crs.to_string() == working and len(ws) == 1
    assert ws.geometry.area.iloc[0] / 1e6 == pytest.approx(expected_km2, rel=0.01)
    report = pd.read_csv(region / "delineation" / "outlets.csv").iloc[0]
    assert report["snapped_upstream_km2"] == pytest.approx(expected_km2, rel=0.01)
    row_km2 = _geodesic_km2(
        lon - 0.5 * CELL_DEG, lat - 0.5 * CELL_DEG, 37.101, lat + 0.5 * CELL_DEG
    )
    assert report["given_upstream_km2"] == pytest.approx(row_km2, rel=0.01)
    to_utm = Transformer.from_crs(4326, working, always_xy=True)
    x0, y0 = to_utm.transform(lon, lat)
    x1, y1 = to_utm.transform(lon - CELL_DEG, lat)
    assert report["moved_m"] == pytest.approx(np.hypot(x1 - x0, y1 - y0), rel=1e-3)
    # no warning on the snap (the inputs' missing provenance is warned about, as it should)
    warnings = [line for line in out.splitlines() if "warning" in line]
    assert "W1: snapped 1" in out and all("no source given" in w for w in warnings), warnings
    # the working grid grew to cover the whole catchment
    with rasterio.open(region / "data" / "elevation.tif") as ds:
        assert shapely.box(*ds.bounds).contains(ws.geometry.iloc[0])


def test_crs_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    write_tif(raw / "dem.tif", _valley(20, 21), "EPSG:32737", T_UTM, -9999.0)
    base = [
        "init", str(tmp_path / "r"), "--dem", str(raw / "dem.tif"), "--hex-size-km", "1",
        *_climate(raw, "EPSG:32737", T_UTM, (20, 21)),
    ]  # fmt: skip
    for crs, message in (
        ("EPSG:4326", "must be projected in metres (got geographic)"),
        ("EPSG:2229", "must be projected in metres (got US survey foot)"),
        ("EPSG:999999", "not a known CRS"),
    ):
        assert main([*base, "--crs", crs]) == 1, crs
        assert message in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
