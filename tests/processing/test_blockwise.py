"""One pipeline, one strip or many: the whole grid read as one strip and the grid read in
strips of 104 rows give byte-identical tables and identical rasters on the demo, and a Dask
cluster of two worker processes gives the same bytes again (on a fifth of the demo).
Criteria that look at neighbours (slope, distances, water buffers) read halos that make every
strip's cells equal the whole grid's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.windows import Window

from landwater.cli import main
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.criteria import distance_m, distance_near, distance_to
from processing.crop_suitability import climate_step
from processing.fingerprint import input_fingerprint
from processing.grids import land_parameters
from processing.kernels.terrain import slope_pct
from processing.pipeline import process_region
from processing.results_store import RASTER_VARIABLES, ResultsStore
from processing.sites import SitePlanner
from processing.strip import Strip
from processing.strip_rasters import StripRasters
from processing.strip_suitability import (
    _excluded_areas,
    strip_criteria,
    suitability_spec,
)
from processing.strip_sums import strips
from processing.suitability_engine import unit_labels, water_codes
from tests.demo_build import demo_corner


@pytest.fixture(scope="module")
def local_tables(
    demo_planner: SitePlanner, demo_region: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The store of a copy of the demo computed in strips of 97 rows, in REGION/results."""
    region = tmp_path_factory.mktemp("bw") / "region"
    skip = shutil.ignore_patterns("results", ".cache", "*.sqlite*")
    shutil.copytree(demo_region, region, ignore=skip)
    return process_region(region, block_rows=97)


def test_blockwise_store_has_the_pipeline_files(
    local_tables: Path, demo_region: Path, demo_planner: SitePlanner
) -> None:
    files = lambda root: {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}  # noqa: E731
    assert files(local_tables) == files(demo_region / "results")
    manifest = ResultsStore(local_tables).manifest
    step = climate_step(demo_planner.engine.reg)  # EcoCrop's sampling step, in rows
    assert manifest["mode"] == "blockwise"
    assert manifest["block_rows"] == -(-97 // step) * step  # 97 rounded up to a whole step
    assert ResultsStore(demo_region / "results").manifest["mode"] == "whole grid"
    assert manifest["fingerprint"] == input_fingerprint(local_tables.parent)  # its own region


def test_strips_give_byte_identical_tables(local_tables: Path, demo_region: Path) -> None:
    """One strip (the whole grid) and strips of 104 rows: every table byte for byte, the
    GeoPackage's tables equal."""
    ref = demo_region / "results"
    tables = sorted(p.name for p in ref.glob("*.csv"))
    assert len(tables) == 8  # the demo is a climatology: no annual tables
    for name in tables:
        assert (local_tables / name).read_bytes() == (ref / name).read_bytes(), name
    summary = ResultsStore(ref).summary("communities")
    assert {"water_yield_m3_yr", "suit_farm_ponds_score", "best_crop"} <= set(summary.columns)
    assert sum(c.startswith("lu_") for c in summary.columns) >= 8
    for layer in ("communities", "watersheds"):
        got = gpd.read_file(local_tables / "results.gpkg", layer=layer)
        pd.testing.assert_frame_equal(got, gpd.read_file(ref / "results.gpkg", layer=layer))


RASTERS = [
    "aet_mm_yr", "runoff_mm_yr", "recharge_mm_yr", "deficit_mm_yr", "water_yield_mm_yr",
    "suitability_farm_ponds", "suitability_sand_dams", "suitability_agroforestry",
    "suitability_small_irrigation", "crop_maize", "crop_coffee_arabica",
]  # fmt: skip


@pytest.mark.parametrize("stem", RASTERS)
def test_strips_give_identical_rasters(local_tables: Path, demo_region: Path, stem: str) -> None:
    name = f"rasters/{stem}.tif"
    with (
        rasterio.open(local_tables / name) as got,
        rasterio.open(demo_region / "results" / name) as ref,
    ):
        assert got.crs == ref.crs and got.transform == ref.transform
        assert got.shape == ref.shape and got.dtypes == ref.dtypes
        assert got.tags()["units"] == ref.tags()["units"] and got.overviews(1)  # a COG
        a, b = got.read(1), ref.read(1)
    assert np.isfinite(b).mean() > 0.5
    np.testing.assert_array_equal(a, b)


def test_off_grid_layers_read_the_same_in_any_window(demo_reg: LayerRegistry) -> None:
    """The demo's rain and temperatures are 0.01 deg EPSG:4326 rasters warped onto the UTM
    grid: a strip's rows equal the same rows of the whole grid, bit for bit."""
    grid = demo_reg.grid
    for role in ("rainfall", "tmin"):
        source = demo_reg.source(role)
        whole = source.read(grid, Window(0, 0, grid.width, grid.height))
        for r, n in strips(grid, 45):
            np.testing.assert_array_equal(source.read(grid, Window(0, r, grid.width, n)),
                                          whole[:, r : r + n])  # fmt: skip
        inner = source.read(grid, Window(7, 13, 50, 61))  # any window, columns too
        np.testing.assert_array_equal(inner, whole[:, 13:74, 7:57])


@pytest.fixture(scope="module")
def demo_reg(demo_region: Path) -> LayerRegistry:
    return LayerRegistry(load_region(demo_region))


@pytest.mark.parametrize("cap_m", [150.0, 5000.0])
def test_strip_distance_is_exact_within_its_halo(demo_reg: LayerRegistry, cap_m: float) -> None:
    """Within the cap a strip's distance to roads equals the whole grid's; beyond it both
    exceed the cap (so a membership constant beyond the cap is the same)."""
    roads = demo_reg.roads
    assert roads is not None
    whole = distance_to(roads.geometry, demo_reg)
    assert (whole <= cap_m).mean() > 0.02 and (whole > 150.0).mean() > 0.1
    for r, n in strips(demo_reg.grid, 61):
        got = distance_near(Strip(demo_reg.grid, r, n), roads.geometry, cap_m)
        ref = whole[r : r + n]
        near = ref <= cap_m
        np.testing.assert_array_equal(got[near], ref[near])
        assert (got[~near] > cap_m).all()


def test_strip_slope_and_area_constraints_equal_the_whole_grid(demo_reg: LayerRegistry) -> None:
    """Slope (one DEM row of halo), the water buffer (the land use within the buffer) and
    protected areas, strip by strip, equal the whole grid's cell for cell."""
    spec = suitability_spec(demo_reg)
    grid = demo_reg.grid
    whole_slope = slope_pct(demo_reg.raster("elevation")[0].astype(np.float64), grid.res_m)
    whole_lu = demo_reg.raster("land_use")[0]
    near_water = distance_m(np.isin(whole_lu, water_codes(demo_reg.class_table("land_use"))),
                            grid.res_m) < 60.0  # fmt: skip
    assert demo_reg.protected_areas is not None
    protected = unit_labels(demo_reg.protected_areas, demo_reg) > 0
    assert 0 < near_water.mean() < 0.5 and 0 < protected.mean() < 0.5
    ponds = next(p for p in spec.profiles if p.id == "farm_ponds")
    assert ponds.water_buffer_m == 60 and ponds.exclude_protected
    lu_source = demo_reg.source("land_use")
    fake_results = dict.fromkeys(RASTER_VARIABLES, np.zeros((61, grid.width)))
    for r, n in strips(grid, 61):
        strip = Strip(grid, r, n)
        lu = lu_source.read(grid, strip.window()[0])[0]
        land = land_parameters(lu, None, demo_reg.class_table("land_use"), None,
                               demo_reg.region.config.water_balance)  # fmt: skip
        results = {k: v[:n] for k, v in fake_results.items()}
        crit = strip_criteria(spec, strip, lu, land, np.zeros((12, n, grid.width)), results)
        np.testing.assert_array_equal(crit["slope_pct"], whole_slope[r : r + n])
        areas = _excluded_areas(spec, strip, lu_source, ponds)
        np.testing.assert_array_equal(areas["water"], near_water[r : r + n])
        np.testing.assert_array_equal(areas["protected"], protected[r : r + n])
    # farm ponds: decreasing 500..5000 m; small irrigation: decreasing 1000..8000 m
    assert spec.halo_m["distance_to_roads_m"] == 8000.0
    assert spec.halo_m["water"] == 60.0


def test_strip_writer_has_a_real_block_cache(tmp_path: Path, demo_reg: LayerRegistry) -> None:
    """rasterio takes an int GDAL_CACHEMAX as bytes: 256 was a 256-byte cache, which made
    every windowed read of a warped layer 10 times slower."""
    with StripRasters(tmp_path, demo_reg.grid, ["aet_mm_yr"]):
        assert int(rasterio.env.get_gdal_config("GDAL_CACHEMAX")) >= 64 * 2**20


def test_dask_local_cluster_gives_identical_tables(
    demo_region: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On a fifth of the demo (a real region that processes in seconds): two Dask worker
    processes give the whole grid's tables byte for byte."""
    tmp_path = tmp_path_factory.mktemp("dask")
    region = demo_corner(demo_region, tmp_path / "region")
    local_tables = process_region(region)
    out = tmp_path / "dask"
    code = main(
        [
            "process",
            str(region),
            "--scheduler",
            "local",
            "--block-rows",
            "200",  # three strips
            "--out",
            str(out),
        ]
    )
    assert code == 0
    tables = sorted(p.name for p in local_tables.glob("*.csv"))
    assert len(tables) == 8  # the demo is a climatology: no annual tables
    for name in tables:
        assert (out / name).read_bytes() == (local_tables / name).read_bytes(), name
    for stem in ("aet_mm_yr", "deficit_mm_yr", "suitability_farm_ponds", "crop_maize"):
        name = f"rasters/{stem}.tif"  # strips arrive in any order
        with rasterio.open(out / name) as a, rasterio.open(local_tables / name) as b:
            np.testing.assert_array_equal(a.read(1), b.read(1))
    assert not list(tmp_path.glob(".dask.strips-*"))  # the strips' scratch files are gone
    assert ResultsStore(out).manifest["scheduler"] == "local"


def test_the_dashboard_serves_a_blockwise_store(local_tables: Path) -> None:
    """A block-wise store in REGION/results is current (same fingerprint) and the map,
    profile and suitability ranking read it."""
    from dashboard.background import results_are_current
    from dashboard.map_views import choropleth_view, profile_view
    from dashboard.service import RegionService

    region = local_tables.parent
    assert local_tables == region / "results" and results_are_current(region, local_tables)
    service = RegionService(region).prepare()
    assert service.results is not None and service.results.manifest["mode"] == "blockwise"
    hide, legend = choropleth_view(service, "suit_farm_ponds", "en")
    assert len(str(hide["classes"])) == len(service.community_ids) and legend is not None
    uid = str(service.summary("communities")["id"].iloc[0])
    panel = str(profile_view(service, {"level": "communities", "id": uid}, "en"))
    assert "Farm ponds" in panel and "mm" in panel
