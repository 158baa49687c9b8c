"""The map's derived rasters by strips: equal to the kernels run on the whole grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio

import dashboard.map_rasters as map_rasters
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.kernels.terrain import hillshade


@pytest.fixture(scope="module")
def reg(demo_region: Path) -> LayerRegistry:
    return LayerRegistry(load_region(demo_region))


def test_strips_give_the_whole_grid_hillshade_and_annual_rain(
    reg: LayerRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(map_rasters, "STRIP_ROWS", 97)  # several strips of the demo's rows
    shade = map_rasters.hillshade_cog(reg.aligned_path("elevation"), tmp_path / "s.tif", reg.grid)
    with rasterio.open(shade) as ds:
        np.testing.assert_array_equal(
            ds.read(1), hillshade(reg.raster("elevation")[0], reg.grid.res_m)
        )
    rain = reg.raster("rainfall").astype(np.float64)  # the demo: a 12-month climatology
    assert rain.shape[0] == 12
    annual = map_rasters.annual_rain_cog(reg.aligned_path("rainfall"), tmp_path / "a.tif",
                                         reg.grid, 1)  # fmt: skip
    with rasterio.open(annual) as ds:
        got = ds.read(1)
        assert ds.tags()["units"] == "mm/yr"
    np.testing.assert_allclose(got, rain.sum(axis=0), rtol=1e-6)
    assert np.isfinite(got).mean() > 0.9


def test_stretch_reads_large_layers_decimated(
    reg: LayerRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = reg.aligned_path("rainfall")
    values = reg.raster("rainfall")
    exact = np.nanpercentile(values, [2, 98])
    np.testing.assert_allclose(map_rasters.stretch(path), exact, rtol=1e-6)
    monkeypatch.setattr(map_rasters, "STRETCH_CELLS", 200_000)  # 16 M values: 1 in 81 read
    np.testing.assert_allclose(map_rasters.stretch(path), exact, rtol=0.02)
