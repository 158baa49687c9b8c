from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Transformer
from rasterio.enums import Resampling
from rasterio.warp import reproject
from rasterio.windows import Window

from layers.align import CATEGORICAL_NODATA, align_to_grid, choose_resampling, read_grid_window
from layers.grid import Grid, grid_for_bounds, utm_crs_for
from tests.regionkit import write_tif


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (37.2, -1.4, 32737),
        (37.6, 12.0, 32637),
        (-71.5, 18.6, 32619),
        (3.0, 52.0, 32631),
        (-0.1, 51.5, 32630),
    ],
)
def test_utm_zone(lon: float, lat: float, epsg: int) -> None:
    assert utm_crs_for(lon, lat) == CRS.from_epsg(epsg)


def test_grid_snaps_outwards_to_cell_multiples() -> None:
    g = grid_for_bounds((1001.0, 2001.0, 1899.0, 2599.0), CRS.from_epsg(32737), 100.0)
    assert g.bounds == (1000.0, 2000.0, 1900.0, 2600.0)
    assert g.shape == (6, 9)
    g2 = grid_for_bounds(
        (1001.0, 2001.0, 1899.0, 2599.0), CRS.from_epsg(32737), 100.0, margin_m=150
    )
    assert g2.bounds == (800.0, 1800.0, 2100.0, 2800.0)


def test_grid_refuses_geographic_crs() -> None:
    with pytest.raises(ValueError, match="projected"):
        grid_for_bounds((0, 0, 1, 1), CRS.from_epsg(4326), 0.01)


def test_resampling_choice() -> None:
    assert choose_resampling(1000, 30, categorical=False) == Resampling.bilinear
    assert choose_resampling(10, 30, categorical=False) == Resampling.average
    assert choose_resampling(10, 30, categorical=True) == Resampling.mode
    assert choose_resampling(100, 30, categorical=True) == Resampling.nearest


def _geographic_ramp(path: Path) -> tuple[Affine, np.ndarray]:
    """A 0.01 deg raster whose value is a known function of lon/lat: 1000 * lon + lat."""
    t = Affine(0.01, 0, 37.0, 0, -0.01, -1.0)
    rows, cols = np.indices((50, 50))
    lon = 37.0 + (cols + 0.5) * 0.01
    lat = -1.0 - (rows + 0.5) * 0.01
    values = (1000 * (lon - 37) + 100 * (lat + 1)).astype(np.float32)
    write_tif(path, values, "EPSG:4326", t, -9999.0)
    return t, values


def test_continuous_alignment_reprojects_a_known_point(tmp_path: Path) -> None:
    _geographic_ramp(tmp_path / "ramp.tif")
    crs = CRS.from_epsg(32737)
    to_utm = Transformer.from_crs(4326, crs, always_xy=True)
    x0, y0 = to_utm.transform(37.1, -1.1)
    grid = Grid(crs, Affine(100, 0, round(x0, -2) - 5000, 0, -100, round(y0, -2) + 5000), 100, 100)
    out = align_to_grid(
        [tmp_path / "ramp.tif"], grid, categorical=False, cache_file=tmp_path / "c" / "ramp.tif"
    )
    with rasterio.open(out) as ds:
        assert ds.crs == crs and ds.transform == grid.transform and ds.shape == grid.shape
        arr = ds.read(1)
    # the cell holding (37.1 E, 1.1 S) holds the ramp evaluated at its centre (linear field)
    to_geo = Transformer.from_crs(crs, 4326, always_xy=True)
    col, row = ~grid.transform @ (x0, y0)
    cx, cy = grid.transform @ (int(col) + 0.5, int(row) + 0.5)
    lon, lat = to_geo.transform(cx, cy)
    expected = 1000 * (lon - 37) + 100 * (lat + 1)
    assert arr[int(row), int(col)] == pytest.approx(expected, abs=0.05)


def _class_layer(tmp_path: Path) -> Grid:
    """``lc.tif``: 10 m classes 3 | 9 with a nodata (255) corner; a 30 m grid over it."""
    codes = np.zeros((60, 60), np.uint8)
    codes[:, :30] = 3
    codes[:, 30:] = 9
    codes[:5, :5] = 255
    write_tif(tmp_path / "lc.tif", codes, "EPSG:32737", Affine(10, 0, 0, 0, -10, 600), 255)
    return Grid(CRS.from_epsg(32737), Affine(30, 0, 0, 0, -30, 600), 20, 20)


def test_categorical_alignment_keeps_codes_and_nodata(tmp_path: Path) -> None:
    grid = _class_layer(tmp_path)
    out = align_to_grid(
        [tmp_path / "lc.tif"], grid, categorical=True, cache_file=tmp_path / "c" / "lc.tif"
    )
    with rasterio.open(out) as ds:
        arr = ds.read(1)
        assert ds.nodata == CATEGORICAL_NODATA
    assert set(np.unique(arr).tolist()) <= {3, 9, CATEGORICAL_NODATA}
    assert arr[0, 0] == CATEGORICAL_NODATA and arr[10, 2] == 3 and arr[10, 17] == 9


def test_cache_reused_then_rebuilt_when_source_changes(tmp_path: Path) -> None:
    src = tmp_path / "v.tif"
    write_tif(src, np.ones((10, 10), np.float32), "EPSG:32737", Affine(30, 0, 0, 0, -30, 300), -1)
    grid = Grid(CRS.from_epsg(32737), Affine(30, 0, 0, 0, -30, 300), 10, 10)
    cache = tmp_path / "c" / "v.tif"
    align_to_grid([src], grid, categorical=False, cache_file=cache)
    first = cache.stat().st_mtime_ns
    align_to_grid([src], grid, categorical=False, cache_file=cache)
    assert cache.stat().st_mtime_ns == first
    write_tif(
        src, np.full((10, 10), 2.0, np.float32), "EPSG:32737", Affine(30, 0, 0, 0, -30, 300), -1
    )
    align_to_grid([src], grid, categorical=False, cache_file=cache)
    with rasterio.open(cache) as ds:
        assert float(ds.read(1).mean()) == 2.0


def test_scale_and_nodata_override(tmp_path: Path) -> None:
    src = tmp_path / "chelsa.tif"
    arr = np.full((10, 10), 12345, np.int32)
    arr[0, 0] = -1
    write_tif(src, arr, "EPSG:32737", Affine(30, 0, 0, 0, -30, 300), None)
    grid = Grid(CRS.from_epsg(32737), Affine(30, 0, 0, 0, -30, 300), 10, 10)
    out = align_to_grid(
        [src], grid, categorical=False, cache_file=tmp_path / "c.tif", nodata=-1, scale=0.01
    )
    with rasterio.open(out) as ds:
        a = ds.read(1)
    assert np.isnan(a[0, 0]) and a[5, 5] == pytest.approx(123.45)


def _stitched(paths: list[Path], grid: Grid, rows: int, **kw: object) -> np.ndarray:
    """The whole grid read strip by strip with ``read_grid_window``."""
    return np.concatenate(
        [
            read_grid_window(
                paths, grid, Window(0, r, grid.width, min(rows, grid.height - r)), **kw
            )  # type: ignore[arg-type]
            for r in range(0, grid.height, rows)
        ],
        axis=1,
    )


def test_windows_of_a_warped_layer_equal_the_aligned_layer(tmp_path: Path) -> None:
    _geographic_ramp(tmp_path / "ramp.tif")  # EPSG:4326, nodata -9999
    crs = CRS.from_epsg(32737)
    x0, y0 = Transformer.from_crs(4326, crs, always_xy=True).transform(37.1, -1.1)
    # a grid reaching beyond the source: cells outside it are missing in both
    grid = Grid(crs, Affine(100, 0, round(x0, -2) - 15000, 0, -100, round(y0, -2) + 5000), 230, 97)
    whole = align_to_grid(
        [tmp_path / "ramp.tif"], grid, categorical=False, cache_file=tmp_path / "c" / "ramp.tif"
    )
    with rasterio.open(whole) as ds:
        ref = ds.read(1).astype(np.float64)
    got = _stitched([tmp_path / "ramp.tif"], grid, 17, categorical=False)
    assert got.shape == (1, *grid.shape) and got.dtype == np.float64
    assert np.isnan(ref).any() and np.isfinite(ref).mean() > 0.5
    np.testing.assert_array_equal(np.isnan(got[0]), np.isnan(ref))
    ok = np.isfinite(ref)
    np.testing.assert_allclose(got[0][ok], ref[ok], rtol=0, atol=1e-3)


def test_windows_of_classes_scale_and_on_grid_files(tmp_path: Path) -> None:
    grid = _class_layer(tmp_path)
    whole = align_to_grid(
        [tmp_path / "lc.tif"], grid, categorical=True, cache_file=tmp_path / "c" / "lc.tif"
    )
    with rasterio.open(whole) as ds:
        ref = ds.read(1)
    got = _stitched([tmp_path / "lc.tif"], grid, 7, categorical=True)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got[0], ref)  # mode of 3 x 3 finer cells, nodata kept
    # a file already on the grid is read in place: nodata override and scale applied
    arr = np.full((20, 20), 12345, np.int32)
    arr[0, 0] = -1
    write_tif(tmp_path / "v.tif", arr, "EPSG:32737", grid.transform, None)
    vals = _stitched([tmp_path / "v.tif"] * 2, grid, 6, categorical=False, nodata=-1, scale=0.01)
    assert vals.shape == (2, 20, 20)
    assert np.isnan(vals[:, 0, 0]).all() and vals[1, 5, 5] == pytest.approx(123.45)


@settings(max_examples=40)
@given(
    src_shape=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    origin=st.tuples(st.integers(-6, 6), st.integers(-6, 6)),
    window=st.tuples(st.integers(0, 8), st.integers(0, 8), st.integers(1, 8), st.integers(1, 8)),
    categorical=st.booleans(),
    bands=st.integers(1, 3),
)
def test_a_source_on_the_grids_lattice_reads_as_gdal_warps_it(
    tmp_path_factory: pytest.TempPathFactory,
    src_shape: tuple[int, int],
    origin: tuple[int, int],
    window: tuple[int, int, int, int],
    categorical: bool,
    bands: int,
) -> None:
    """A source whose cells coincide with the grid's, any extent, read in place: the values
    GDAL's nearest-neighbour reprojection gives, with the grid's nodata beyond the source."""
    res = 30.0
    grid = Grid(CRS.from_epsg(32637), Affine(res, 0, 300_000, 0, -res, 1_000_000), 8, 8)
    rows, cols = src_shape
    t = Affine(res, 0, 300_000 + origin[1] * res, 0, -res, 1_000_000 - origin[0] * res)
    rng = np.random.default_rng(rows * 100 + cols)
    values = rng.integers(1, 50, size=(bands, rows, cols)).astype(
        np.int16 if categorical else np.float32
    )
    values[:, 0, 0] = -9  # the source's nodata
    path = write_tif(tmp_path_factory.mktemp("lattice") / "src.tif", values, "EPSG:32637", t, -9)
    r0, c0, h, w = window
    h, w = min(h, 8 - r0), min(w, 8 - c0)
    h, w = max(h, 1), max(w, 1)
    r0, c0 = min(r0, 8 - h), min(c0, 8 - w)
    got = read_grid_window([path], grid, Window(c0, r0, w, h), categorical=categorical)
    fill = CATEGORICAL_NODATA if categorical else np.nan
    expected = np.full((bands, 8, 8), fill, dtype=np.float64)
    reproject(
        values.astype(np.float64),
        expected,
        src_transform=t,
        src_crs="EPSG:32637",
        src_nodata=-9,
        dst_transform=grid.transform,
        dst_crs="EPSG:32637",
        dst_nodata=fill,
        resampling=Resampling.nearest,
    )
    np.testing.assert_array_equal(got, expected[:, r0 : r0 + h, c0 : c0 + w])
