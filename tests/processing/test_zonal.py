"""zonal_stats against rasterstats (cell centres, all_touched), exactextract (exact) and sums."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterstats import zonal_stats as rs_zonal_stats

from processing import zonal_grid
from processing.zonal import ALL_STATS, zonal_stats
from tests.regionkit import write_tif

CRS_UTM = "EPSG:32737"
T = Affine(10.0, 0, 1000.0, 0, -10.0, 2000.0)  # 60 x 80 cells of 10 m, x 1000..1800, y 1400..2000
ALL = [s for s in ALL_STATS if s != "nan"]  # NaN cells: test_zonal_cases, differential suite


@pytest.fixture(scope="module")
def raster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(0)
    data = rng.integers(0, 40, (2, 60, 80)).astype(np.float32)
    data[1] += 0.5
    data[:, 10:14, 10:30] = -9999  # a nodata stripe
    return write_tif(tmp_path_factory.mktemp("z") / "r.tif", data, CRS_UTM, T, -9999.0)


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    geoms = [
        shapely.box(1012, 1812, 1203, 1951),  # across the nodata stripe
        shapely.Polygon(
            [(1300.3, 1500.2), (1500.6, 1550.1), (1450.2, 1800.7), (1320.4, 1700.3)]
        ),  # irregular
        shapely.box(1700, 1900, 1900, 2100),  # partly outside the raster
        shapely.box(5000, 5000, 5100, 5100),  # entirely outside
        shapely.MultiPolygon(
            [shapely.box(1050, 1450, 1100, 1500), shapely.box(1600, 1450, 1650, 1480)]
        ),
        shapely.box(1401, 1601, 1408, 1608),  # smaller than a cell, holds one cell centre
        shapely.box(1404, 1604, 1406, 1606).buffer(30),  # small zone overlapping the next one
        shapely.box(1380, 1580, 1460, 1660),  # overlaps the previous zone
    ]
    return gpd.GeoDataFrame(
        {"zid": [f"z{i}" for i in range(len(geoms))]}, geometry=geoms, crs=CRS_UTM
    )


def _rasterstats(raster: Path, zones: gpd.GeoDataFrame, band: int, **kw: object) -> pd.DataFrame:
    rows = rs_zonal_stats(zones, str(raster), stats=ALL, band=band, nodata=-9999.0, **kw)
    # rasterstats gives None for unique of a zone without valid cells; landwater gives 0
    return pd.DataFrame(rows)[ALL].astype(float).fillna({"unique": 0})


@pytest.mark.parametrize("band", [1, 2])
@pytest.mark.parametrize("all_touched", [False, True])
def test_matches_rasterstats(
    raster: Path, zones: gpd.GeoDataFrame, band: int, all_touched: bool
) -> None:
    ours = zonal_stats(raster, zones, stats=ALL, band=band, all_touched=all_touched, id_field="zid")
    theirs = _rasterstats(raster, zones, band, all_touched=all_touched)
    assert list(ours["zid"]) == list(zones["zid"])
    for stat in ALL:
        np.testing.assert_allclose(
            ours[stat].astype(float), theirs[stat], rtol=1e-9, equal_nan=True, err_msg=stat
        )
    assert ours.loc[3, "count"] == 0 and np.isnan(ours.loc[3, "mean"])  # outside: no error
    assert ours.loc[0, "nodata"] > 0


def test_matches_rasterstats_categorical(raster: Path, zones: gpd.GeoDataFrame) -> None:
    ours = zonal_stats(raster, zones, band=1, categorical=True)
    theirs = rs_zonal_stats(zones, str(raster), categorical=True, band=1, nodata=-9999.0)
    for i, counts in enumerate(theirs):
        for value, n in counts.items():
            assert ours.loc[i, f"count_{int(value)}"] == n
            assert ours.loc[i, f"area_ha_{int(value)}"] == pytest.approx(n * 100 / 1e4)
        found = {c for c in ours.columns if c.startswith("count_") and ours.loc[i, c] > 0}
        assert found == {f"count_{int(v)}" for v in counts}


def test_exact_matches_exactextract_and_geometry(raster: Path, zones: gpd.GeoDataFrame) -> None:
    from exactextract import exact_extract

    ours = zonal_stats(
        raster, zones, stats=["count", "sum", "mean", "min", "max", "nodata"], band=1, exact=True
    )
    ref = exact_extract(str(raster), zones, ["count", "sum", "mean", "min", "max"], output="pandas")
    for stat in ["count", "sum", "mean", "min", "max"]:
        np.testing.assert_allclose(
            ours[stat], ref[f"band_1_{stat}"], rtol=1e-6, equal_nan=True, err_msg=stat
        )
    # coverage-weighted count + nodata: the zone's area in cells (beyond the edge is nodata),
    # whatever the cell centres
    area_cells = zones.geometry.area / 100
    np.testing.assert_allclose(ours["count"] + ours["nodata"], area_cells, rtol=1e-6)
    assert ours.loc[5, "count"] == pytest.approx(7 * 7 / 100)  # sub-cell zone still counts


def test_multiband_long_format_and_blocks(
    raster: Path, zones: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = zonal_stats(raster, zones, stats=["count", "sum", "min", "max"])
    assert list(whole.columns) == ["zone_index", "band", "count", "sum", "min", "max"]
    assert len(whole) == 2 * len(zones) and set(whole["band"]) == {1, 2}
    monkeypatch.setattr(zonal_grid, "BLOCK_CELLS", 160)  # two rows per block
    blocked = zonal_stats(raster, zones, stats=["count", "sum", "min", "max"])
    pd.testing.assert_frame_equal(whole, blocked)


@settings(max_examples=200, deadline=None)
@given(
    row_off=st.integers(0, 300),
    col_off=st.integers(0, 300),
    height=st.integers(1, 400),
    width=st.integers(1, 300),
    bands=st.integers(1, 12),
    block_rows=st.integers(1, 64),
    block_cols=st.integers(1, 64),
    block_cells=st.integers(1, 20_000),
    min_file_blocks=st.integers(1, 8),
)
def test_read_blocks_follow_the_file_blocks(
    row_off: int,
    col_off: int,
    height: int,
    width: int,
    bands: int,
    block_rows: int,
    block_cols: int,
    block_cells: int,
    min_file_blocks: int,
) -> None:
    """Blocks tile the window in the file's order, never split one of the file's blocks,
    and hold at most ``BLOCK_CELLS`` values (or ``min_file_blocks`` file blocks, when they
    hold more) unless they are one file block."""
    from rasterio.windows import Window

    window = Window(col_off, row_off, width, height)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zonal_grid, "BLOCK_CELLS", block_cells)
        blocks = list(
            zonal_grid.read_blocks(window, bands, (block_rows, block_cols), min_file_blocks)
        )
    limit = max(block_cells, min_file_blocks * block_rows * block_cols * bands)
    cover = np.zeros((height, width), np.int64)
    for r, c, b in blocks:
        assert (r, c) == (b.row_off - row_off, b.col_off - col_off)
        cover[r : r + b.height, c : c + b.width] += 1
        for edge in (b.row_off, b.row_off + b.height):
            assert edge in (row_off, row_off + height) or edge % block_rows == 0
        for edge in (b.col_off, b.col_off + b.width):
            assert edge in (col_off, col_off + width) or edge % block_cols == 0
        one_block = b.height <= block_rows and b.width <= block_cols
        assert b.height * b.width * bands <= limit or one_block
        if b.width < width:  # cut in columns only when one block row is too large
            assert b.height <= block_rows
            assert width * block_rows * bands > limit
    assert (cover == 1).all()
    order = [(b.row_off, b.col_off) for _, _, b in blocks]
    assert order == sorted(order)


@pytest.mark.parametrize("compress", ["deflate", None])
@pytest.mark.parametrize("block_cells", [16 * 80 * 3, 16 * 16 * 3, 1])
def test_tiled_pixel_interleaved_matches_rasterstats(
    tmp_path: Path,
    zones: gpd.GeoDataFrame,
    monkeypatch: pytest.MonkeyPatch,
    compress: str | None,
    block_cells: int,
) -> None:
    """A tiled, pixel-interleaved multi-band file read by tile rows, tiles or tile columns,
    reopened (and unmapped) after every block."""
    import rasterio

    rng = np.random.default_rng(3)
    data = rng.gamma(2.0, 40.0, (3, 60, 80)).astype(np.float32)
    data[rng.random(data.shape) < 0.05] = -9999.0
    path = tmp_path / "tiled.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=80,
        height=60,
        count=3,
        dtype="float32",
        crs=CRS_UTM,
        transform=T,
        nodata=-9999.0,
        tiled=True,
        blockxsize=16,
        blockysize=16,
        compress=compress,
        interleave="pixel",
    ) as dst:
        dst.write(data)
    monkeypatch.setattr(zonal_grid, "BLOCK_CELLS", block_cells)
    monkeypatch.setattr(zonal_grid, "REOPEN_BYTES", 1)
    stats = ["count", "sum", "mean", "min", "max", "nodata"]
    ours = zonal_stats(path, zones, stats=stats)
    for b in (1, 2, 3):
        theirs = pd.DataFrame(rs_zonal_stats(zones, str(path), stats=stats, band=b))
        mine = ours[ours["band"] == b].reset_index(drop=True)
        for stat in stats:
            np.testing.assert_allclose(
                mine[stat], theirs[stat].astype(float), rtol=1e-6, equal_nan=True, err_msg=stat
            )


def test_pixel_interleaved_read_is_the_bands(tmp_path: Path) -> None:
    """A pixel-interleaved block read gives rasterio's band arrays, from its own buffer."""
    import rasterio
    from rasterio.windows import Window

    data = np.random.default_rng(4).random((4, 40, 50)).astype(np.float32)
    path = tmp_path / "pix.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=50, height=40, count=4, dtype="float32",
        transform=T, tiled=True, blockxsize=16, blockysize=16, interleave="pixel",
    ) as dst:  # fmt: skip
        dst.write(data)
    src = zonal_grid.open_source(path, None, None, None)
    assert src.pixel_interleaved and src.block_shape == (16, 16)
    window = Window(3, 5, 40, 30)
    got = src.read_bands([2, 4, 1], window)
    np.testing.assert_array_equal(got, data[[1, 3, 0], 5:35, 3:43])
    assert got.base is not None and got.base.shape == (30, 40, 3)  # the file's own order


def test_array_input_and_reprojected_zones(raster: Path, zones: gpd.GeoDataFrame) -> None:
    import rasterio

    with rasterio.open(raster) as ds:
        arr = ds.read()
    inside = zones.iloc[[0, 1, 4]]
    from_file = zonal_stats(raster, inside.to_crs(4326), stats=["count", "mean"], band=2)
    from_array = zonal_stats(
        arr, inside, stats=["count", "mean"], band=2, transform=T, crs=CRS_UTM, nodata=-9999.0
    )
    pd.testing.assert_frame_equal(from_file, from_array, check_dtype=False, atol=1e-9)


def test_bad_arguments() -> None:
    arr = np.zeros((4, 4), np.float32)
    z = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="transform"):
        zonal_stats(arr, z)
    with pytest.raises(ValueError, match="unknown statistic"):
        zonal_stats(arr, z, stats=["mode"], transform=Affine.identity())
    with pytest.raises(ValueError, match="band 3 does not exist"):
        zonal_stats(arr, z, band=3, transform=Affine.identity())
    with pytest.raises(KeyError, match="id field 'x'"):
        zonal_stats(arr, z, id_field="x", transform=Affine.identity())


@settings(max_examples=40, deadline=None)
@given(
    xs=st.lists(st.integers(1, 49), min_size=0, max_size=5, unique=True),
    ys=st.lists(st.integers(1, 39), min_size=0, max_size=5, unique=True),
    seed=st.integers(0, 1000),
    jitter=st.floats(0.0, 0.49),
)
def test_tiling_conserves_sums(xs: list[int], ys: list[int], seed: int, jitter: float) -> None:
    """For zones tiling the raster, zone sums add up to the raster sum and counts to its cells."""
    rng = np.random.default_rng(seed)
    data = rng.normal(100, 30, (40, 50))
    data[rng.random((40, 50)) < 0.1] = -1.0
    t = Affine(1.0, 0, 0, 0, -1.0, 40.0)
    xb = [0.0, *sorted(x + jitter for x in xs), 50.0]
    yb = [0.0, *sorted(y + jitter for y in ys), 40.0]
    tiles = [shapely.box(x0, y0, x1, y1) for x0, x1 in pairwise(xb) for y0, y1 in pairwise(yb)]
    z = gpd.GeoDataFrame(geometry=tiles)
    out = zonal_stats(data, z, stats=["count", "sum", "nodata"], transform=t, nodata=-1.0)
    valid = data != -1.0
    assert out["count"].sum() == valid.sum()
    assert out["nodata"].sum() == (~valid).sum()
    assert out["sum"].fillna(0).sum() == pytest.approx(data[valid].sum(), rel=1e-12)


@pytest.mark.parametrize(
    ("dtype", "nodata", "low", "high"), [(np.uint8, 0, 1, 12), (np.int16, -32768, -300, 400)]
)
def test_integer_classes_match_rasterstats(
    tmp_path: Path, zones: gpd.GeoDataFrame, dtype: type, nodata: int, low: int, high: int
) -> None:
    rng = np.random.default_rng(5)
    data = rng.integers(low, high, (60, 80)).astype(dtype)
    data[20:25, 30:60] = nodata
    path = write_tif(tmp_path / "classes.tif", data, CRS_UTM, T, nodata)
    ours = zonal_stats(path, zones, categorical=True)
    theirs = rs_zonal_stats(zones, str(path), categorical=True, nodata=nodata)
    for i, counts in enumerate(theirs):
        got = {
            int(c[len("count_") :]): int(ours.loc[i, c])
            for c in ours.columns
            if c.startswith("count_") and ours.loc[i, c] > 0
        }
        assert got == {int(k): int(v) for k, v in counts.items()}, i
