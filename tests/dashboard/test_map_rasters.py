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


def _tiles_over(reg: LayerRegistry, z: int) -> list[tuple[int, int, int]]:
    """The web-mercator tiles of zoom ``z`` over the grid (its edges included)."""
    from pyproj import Transformer

    west, south, east, north = Transformer.from_crs(reg.crs, 4326, always_xy=True).transform_bounds(
        *reg.grid.bounds
    )
    n = 2**z

    def xy(lon: float, lat: float) -> tuple[int, int]:
        y = (1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * n
        return int((lon + 180) / 360 * n), int(y)

    (x0, y0), (x1, y1) = xy(west, north), xy(east, south)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def test_a_month_tiles_from_the_band_copy_as_from_its_own_cog(
    reg: LayerRegistry, tmp_path: Path
) -> None:
    """The map's monthly rainfall: a band-interleaved copy with the source's pixels, tags and
    overviews, and every tile of a month (read alone, ``vrt://``) the PNG a one-band COG of
    that month gives; in a folder whose name has a space."""
    from dashboard.tiles import TileSource, render_tile
    from layers.io import write_cog

    source = reg.aligned_path("rainfall")
    copy = map_rasters.band_interleaved_copy(source, tmp_path / "a map" / "monthly.tif")
    with rasterio.open(source) as src, rasterio.open(copy) as out:
        assert out.profile["interleave"] == "band" and out.count == src.count == 12
        np.testing.assert_array_equal(out.read(), src.read())
        assert out.tags() == src.tags() and out.overviews(1) == src.overviews(1) != []
        months = {m: src.read(m) for m in (1, 7, 12)}
        crs, transform = src.crs, src.transform
    monthly = TileSource("rainfall", copy, "continuous", 12, (0.0, 250.0))
    for month, values in months.items():
        alone = write_cog(tmp_path / f"m{month}.tif", values, crs, transform, float("nan"))
        one = TileSource("rainfall", alone, "continuous", 1, (0.0, 250.0))
        for z, x, y in _tiles_over(reg, 11) + _tiles_over(reg, 13)[::7]:
            assert render_tile(monthly, z, x, y, month) == render_tile(one, z, x, y, 1), (z, x, y)
