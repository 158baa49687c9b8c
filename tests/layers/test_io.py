from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS

from layers.errors import LayerReadError
from layers.io import (
    atomic_path,
    raster_info,
    read_points_csv,
    read_vector,
    write_cog,
    write_cog_bands,
)


def test_atomic_path_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.tif"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tif"]


def test_write_cog_roundtrip(tmp_path: Path) -> None:
    arr = np.arange(12 * 4 * 5, dtype=np.float32).reshape(12, 4, 5)
    p = write_cog(
        tmp_path / "x.tif",
        arr,
        CRS.from_epsg(32737),
        Affine(30, 0, 0, 0, -30, 120),
        float("nan"),
        {"units": "mm"},
    )
    info = raster_info(p)
    assert info.count == 12 and info.width == 5 and info.crs == CRS.from_epsg(32737)
    assert info.bounds == (0.0, 0.0, 150.0, 120.0)


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(LayerReadError, match=r"missing\.gpkg: file not found"):
        read_vector(tmp_path / "missing.gpkg")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(LayerReadError, match=r"bad\.geojson: not a readable vector file"):
        read_vector(bad)


def test_latin1_csv_needs_the_encoding(tmp_path: Path) -> None:
    p = tmp_path / "sites.csv"
    p.write_bytes("name,lon,lat\nMurang\xe1,37.1,-1.2\n".encode("latin-1"))
    with pytest.raises(LayerReadError, match="encoding = 'latin-1'"):
        read_points_csv(p, "lon", "lat")
    gdf = read_points_csv(p, "lon", "lat", encoding="latin-1")
    assert gdf.loc[0, "name"] == "Murangá" and gdf.geometry.x[0] == 37.1


@pytest.mark.parametrize("dtype", ["float32", "int16"])
def test_band_by_band_cog_equals_the_whole_array_cog(tmp_path: Path, dtype: str) -> None:
    """write_cog_bands (one band in memory at a time) writes the pixels, overviews, layout
    and tags write_cog writes from the whole array, on a raster wider than a block."""
    rng = np.random.default_rng(7)
    arr = (rng.random((6, 700, 600)) * 1000).astype(dtype)
    nodata = -9999 if dtype == "int16" else float("nan")
    if dtype == "float32":
        arr[:, :50, :70] = np.nan
    crs, transform = CRS.from_epsg(32737), Affine(30, 0, 0, 0, -30, 21_000)
    whole = write_cog(tmp_path / "whole.tif", arr, crs, transform, nodata, {"units": "mm"})
    bands = write_cog_bands(
        tmp_path / "bands.tif", iter(arr), len(arr), crs, transform, nodata, {"units": "mm"}
    )
    with rasterio.open(whole) as a, rasterio.open(bands) as b:
        pa, pb = dict(a.profile), dict(b.profile)
        nodatas = [pa.pop("nodata"), pb.pop("nodata")]
        assert pb == pa and np.array_equal(*nodatas, equal_nan=True) and b.tags() == a.tags()
        assert b.overviews(1) == a.overviews(1) != []
        np.testing.assert_array_equal(b.read(), arr)
        np.testing.assert_array_equal(
            b.read(out_shape=(6, 175, 150)), a.read(out_shape=(6, 175, 150))
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bands.tif", "whole.tif"]
