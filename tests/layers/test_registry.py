from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.region import load_region
from layers.registry import LayerRegistry
from tests.regionkit import X0, Y0, write_toml


def test_working_crs_defaults_to_utm_of_centroid(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, _ = tiny
    reg = LayerRegistry(load_region(root))
    assert reg.crs == CRS.from_epsg(32737)
    assert reg.grid.shape == (20, 20)
    assert reg.grid.bounds == (X0, Y0 - 600, X0 + 600, Y0)


def test_declared_crs_and_resolution(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, cfg = tiny
    cfg["region"]["crs"] = "EPSG:21037"  # Arc 1960 / UTM 37S, used by Kenyan agencies
    cfg["region"]["resolution_m"] = 100.0
    write_toml(cfg, root / "region.toml")
    reg = LayerRegistry(load_region(root))
    assert reg.crs == CRS.from_epsg(21037)
    assert reg.grid.res_m == 100.0
    assert reg.communities.crs == CRS.from_epsg(21037)
    rain = reg.raster("rainfall")
    assert rain.shape[0] == 12 and rain.shape[1:] == reg.grid.shape
    assert np.nanmax(rain[11]) == np.float32(120.0)


def test_rasters_share_the_grid(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, _ = tiny
    reg = LayerRegistry(load_region(root))
    lu = reg.raster("land_use")
    tmin = reg.raster("tmin")
    assert lu.shape[1:] == tmin.shape[1:] == reg.grid.shape
    assert set(np.unique(lu).tolist()) == {1, 2}
    assert reg.class_table("land_use").loc[2, "name"] == "Forest"


def test_invalid_geometry_repaired_on_load(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, _ = tiny
    path = root / "data" / "communities.gpkg"
    gdf = gpd.read_file(path)
    x0, y0 = X0, Y0 - 300
    gdf.loc[0, "geometry"] = shapely.Polygon(
        [(x0, y0), (x0 + 300, y0 + 300), (x0 + 300, y0), (x0, y0 + 300)]
    )
    gdf.to_file(path)
    reg = LayerRegistry(load_region(root))
    comm = reg.communities
    assert comm.geometry.is_valid.all()
    assert reg.repairs == {"communities": ["A"]}
    assert comm.geometry.iloc[0].area == 300 * 300 / 2


def test_sites_from_csv_in_working_crs(tiny: tuple[Path, dict[str, Any]]) -> None:
    root, _ = tiny
    reg = LayerRegistry(load_region(root))
    sites = reg.sites
    assert sites is not None and len(sites) == 3
    assert sites.crs == CRS.from_epsg(32737)
    assert abs(sites.geometry.x.iloc[0] - (X0 + 100)) < 0.01
