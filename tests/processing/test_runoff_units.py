"""Runoff per hydrologic response unit through the whole pipeline: a region's runoff volume
does not depend on how it is cut into units, and the per-cell rasters agree with the tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterstats import zonal_stats as rs_zonal

from processing.kernels.runoff import monthly_runoff_mm
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from tests.regionkit import CELL, UTM, X0, Y0, N, write_tif


def _with_units(root: Path, squares: list[shapely.Polygon]) -> Path:
    gpd.GeoDataFrame(
        {"cid": [f"U{i}" for i in range(len(squares))], "name": ["u"] * len(squares)},
        geometry=squares,
        crs=UTM,
    ).to_file(root / "data" / "communities.gpkg")
    return root


@pytest.fixture
def mixed_soils(tiny: tuple[Path, dict[str, Any]]) -> Path:
    """The tiny region with a soil map: four soil groups in bands across both land uses."""
    root, _ = tiny
    soil = np.repeat(np.arange(1, 5, dtype=np.uint8), N // 4)[:, np.newaxis].repeat(N, axis=1)
    write_tif(
        root / "data" / "soil.tif",
        soil,
        UTM,
        rasterio.transform.from_origin(X0, Y0, CELL, CELL),
        0,
    )
    (root / "data" / "soil.csv").write_text(
        "code,name,hsg,awc_mm_per_m\n1,Sand,A,80\n2,Loam,B,150\n3,Clay loam,C,130\n4,Clay,D,160\n"
    )
    with (root / "region.toml").open("a", encoding="utf-8") as f:
        f.write('\n[layers.soil]\npath = "data/soil.tif"\nclass_table = "data/soil.csv"\n')
    return root


def _runoff_m3(store: Path) -> float:
    summary = ResultsStore(store).summary("communities")
    return float((summary["runoff_mm_yr"] * summary["area_ha"] * 10.0).sum())


def test_runoff_volume_does_not_depend_on_how_the_region_is_cut(
    mixed_soils: Path, tmp_path: Path
) -> None:
    side = N * CELL
    one = [shapely.box(X0, Y0 - side, X0 + side, Y0)]
    step = side / 10
    hundred = [
        shapely.box(X0 + i * step, Y0 - (j + 1) * step, X0 + (i + 1) * step, Y0 - j * step)
        for j in range(10)
        for i in range(10)
    ]
    whole = _runoff_m3(process_region(_with_units(mixed_soils, one), tmp_path / "one"))
    parts = _runoff_m3(process_region(_with_units(mixed_soils, hundred), tmp_path / "hundred"))
    assert whole > 0
    assert parts == pytest.approx(whole, rel=0.01)


def test_unit_runoff_is_the_area_weighted_runoff_of_its_land_use_and_soil_parts(
    mixed_soils: Path, tmp_path: Path
) -> None:
    store = process_region(mixed_soils, tmp_path / "store")
    summary = ResultsStore(store).summary("communities").set_index("id")
    # the tiny region: rain 10 * month mm, 8 events a month; community A (top left, 10 x 10
    # cells) is cropland on soil bands A, B (5 rows each) -> CN 67 and 78, half each
    rain = 10.0 * np.arange(1, 13, dtype=float)[:, np.newaxis]
    days = np.full(12, 8.0)
    expected = 0.5 * monthly_runoff_mm(rain, np.array([67.0]), days) + 0.5 * monthly_runoff_mm(
        rain, np.array([78.0]), days
    )
    assert summary.loc["A", "runoff_mm_yr"] == pytest.approx(expected.sum(), abs=0.05)
    # the per-cell raster averages to the table (rain is uniform here)
    raster = store / "rasters" / "runoff_mm_yr.tif"
    communities = gpd.read_file(mixed_soils / "data" / "communities.gpkg")
    means = rs_zonal(communities, str(raster), stats=["mean"])
    for cid, row in zip(communities["cid"], means, strict=True):
        assert summary.loc[cid, "runoff_mm_yr"] == pytest.approx(row["mean"], abs=0.05)
