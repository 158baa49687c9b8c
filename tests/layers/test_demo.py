"""The demo region: complete, realistic, deterministic and valid."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio

from layers.build.demo.generate import generate_demo
from layers.region import load_region
from layers.registry import LayerRegistry
from layers.validate import validate_region


def test_demo_validates_without_problems(demo_region: Path) -> None:
    assert validate_region(demo_region) == []


def test_demo_is_labelled_synthetic(demo_region: Path) -> None:
    region = load_region(demo_region)
    assert region.config.region.synthetic
    assert "synthetic" in region.name.lower()
    for _, spec in region.config.layers:
        if spec is not None:
            assert "synthetic" in spec.source


def test_demo_counts(demo_region: Path) -> None:
    comm = gpd.read_file(demo_region / "data" / "communities.gpkg")
    ws = gpd.read_file(demo_region / "data" / "watersheds.geojson")
    sites = pd.read_csv(demo_region / "data" / "project_sites.csv")
    assert 80 <= len(comm) <= 150
    assert 8 <= len(ws) <= 20
    assert 30 <= len(sites) <= 60
    assert comm["community_id"].is_unique and comm["name"].is_unique
    assert {
        "water_pan",
        "sand_dam",
        "agroforestry_plot",
        "small_irrigation",
        "tree_nursery",
        "spring_protection",
    } <= set(sites["type"])
    assert (sites["households_women_led"] <= sites["households"]).all()
    assert (sites["households_youth_led"] <= sites["households"]).all()


def test_demo_communities_tile_the_area(demo_region: Path) -> None:
    comm = gpd.read_file(demo_region / "data" / "communities.gpkg")
    union = comm.geometry.union_all()
    minx, miny, maxx, maxy = comm.total_bounds
    assert (maxx - minx) == pytest.approx(40_000, rel=0.01) and (maxy - miny) == pytest.approx(
        30_000, rel=0.01
    )
    assert union.area == pytest.approx((maxx - minx) * (maxy - miny), rel=1e-6)
    assert comm.geometry.area.sum() == pytest.approx(union.area, rel=1e-6)  # no overlaps


def test_demo_watersheds_cover_the_area(demo_region: Path) -> None:
    ws = gpd.read_file(demo_region / "data" / "watersheds.geojson").to_crs(32737)
    assert ws.geometry.area.sum() / 1e6 == pytest.approx(40.02 * 30, rel=0.02)
    assert ws.geometry.is_valid.all()


def test_demo_climate_is_bimodal_and_orographic(demo_region: Path) -> None:
    reg = LayerRegistry(load_region(demo_region))
    rain = reg.raster("rainfall")
    dem = reg.raster("elevation")[0]
    annual = rain.sum(axis=0)
    assert np.nanmin(annual) >= 550 and np.nanmax(annual) <= 1700
    assert np.nanmax(annual) - np.nanmin(annual) > 500
    monthly = np.nanmean(rain, axis=(1, 2))
    assert (
        monthly.argmax() in (3, 10) and monthly[3] > 3 * monthly[6] and monthly[10] > 3 * monthly[6]
    )
    ok = np.isfinite(annual) & np.isfinite(dem)
    assert ok.mean() > 0.999
    assert np.corrcoef(annual[ok], dem[ok])[0, 1] > 0.6
    tmin, tmax = reg.raster("tmin"), reg.raster("tmax")
    assert np.all(tmax > tmin)
    tmean = ((tmin + tmax) / 2).mean(axis=0)
    slope = np.polyfit(dem[ok].astype(float), tmean[ok].astype(float), 1)[0]
    assert slope == pytest.approx(-0.0065, rel=0.2)


def test_demo_land_use_is_plausible(demo_region: Path) -> None:
    with rasterio.open(demo_region / "data" / "land_use.tif") as ds:
        lu = ds.read(1)
    with rasterio.open(demo_region / "data" / "dem.tif") as ds:
        dem = ds.read(1)
    assert len(np.unique(lu)) >= 7
    forest, crop = lu == 4, lu == 1
    assert dem[forest].mean() > dem[crop].mean() + 50  # forest on high ground
    water = lu == 6
    assert water.any() and dem[water].mean() < np.median(dem)  # water in valleys


def test_demo_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="--force"):
        generate_demo(tmp_path / "x")
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"
