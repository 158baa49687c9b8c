"""One test per numbered case of issue 18, with the issue's reproductions and numbers.

Expected numbers are rasterstats' (or numpy's, or exactextract's) on the same input.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

from processing.zonal import zonal_stats
from tests.processing.zonal_peers import (
    CRS_UTM,
    exactextract_frame,
    rasterstats_frame,
    write_raster,
)


def _t(rows: int) -> Affine:
    return Affine(1, 0, 0, 0, -1, rows)


def test_1_touching_boxes_all_touched_keep_shared_cells() -> None:
    data = np.arange(100.0).reshape(10, 10)
    zones = gpd.GeoDataFrame(
        geometry=[shapely.box(1.2, 2.2, 4.3, 7.7), shapely.box(4.3, 2.2, 8.6, 7.7)]
    )
    out = zonal_stats(
        data, zones, stats=["count", "sum"], all_touched=True, transform=_t(10), nodata=-1
    )
    assert out["count"].tolist() == [24, 30]  # rasterstats
    assert out["sum"].tolist() == [1140.0, 1530.0]


@pytest.mark.parametrize("all_touched", [False, True])
def test_1_two_points_in_one_cell_each_get_it(all_touched: bool) -> None:
    data = np.arange(100.0).reshape(10, 10)
    zones = gpd.GeoDataFrame(geometry=[shapely.Point(3.2, 4.3), shapely.Point(3.7, 4.9)])
    out = zonal_stats(
        data, zones, stats=["count", "mean"], all_touched=all_touched, transform=_t(10), nodata=-1
    )
    assert out["count"].tolist() == [1, 1]
    assert out["mean"].tolist() == [53.0, 53.0]  # row 5, col 3


@pytest.mark.parametrize("all_touched", [False, True])
def test_1_lines_sharing_a_vertex_keep_it(tmp_path: Path, all_touched: bool) -> None:
    rng = np.random.default_rng(1)
    data = rng.random((30, 30)).astype(np.float32)
    path = write_raster(tmp_path / "r.tif", data, _t(30), nodata=-1.0)
    lines = [
        shapely.LineString([(2.3, 3.1), (11.6, 14.2), (20.4, 9.7)]),
        shapely.LineString([(20.4, 9.7), (27.1, 25.6)]),  # shares a vertex with the first
        shapely.MultiLineString([[(5.5, 25.2), (15.2, 20.1)], [(15.2, 20.1), (16.9, 2.3)]]),
    ]
    zones = gpd.GeoDataFrame(geometry=lines, crs=CRS_UTM)
    out = zonal_stats(path, zones, stats=["count", "sum"], all_touched=all_touched)
    ref = rasterstats_frame(zones, path, ["count", "sum"], all_touched=all_touched)
    assert out["count"].tolist() == ref["count"].tolist()
    np.testing.assert_allclose(out["sum"], ref["sum"], rtol=1e-6)


@pytest.mark.parametrize(
    ("offset", "dtype"), [(1e6, np.float64), (1e8, np.float64), (1e6, np.float32)]
)
def test_2_std_is_stable_on_a_large_offset(offset: float, dtype: type) -> None:
    rng = np.random.default_rng(0)
    data = (offset + rng.normal(0, 1, (50, 50))).astype(dtype)
    zones = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 50, 50)])
    out = zonal_stats(data, zones, stats=["std"], transform=_t(50))
    expected = np.std(data.astype(np.float64))  # 0.998 / 0.994 / 1.016 in the issue
    assert out.loc[0, "std"] == pytest.approx(expected, rel=1e-9)


def test_3_float32_nodata_compared_in_float32(tmp_path: Path) -> None:
    data = np.arange(16, dtype=np.float32).reshape(4, 4)
    data[0, 0] = data[0, 1] = np.float32(-9999.9)
    path = write_raster(tmp_path / "f.tif", data, _t(4), nodata=-9999.9)
    zones = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 4, 4)], crs=CRS_UTM)
    stats = ["count", "min", "mean", "median", "majority", "nodata"]
    out = zonal_stats(path, zones, stats=stats)
    assert out.loc[0, ["count", "min", "mean", "nodata"]].tolist() == [14, 2.0, 8.5, 2.0]
    ref = rasterstats_frame(zones, path, stats)
    np.testing.assert_allclose(out[stats].astype(float), ref, rtol=1e-12)
    exact = zonal_stats(path, zones, stats=["count", "min", "mean", "nodata"], exact=True)
    assert exact.loc[0, ["count", "min", "mean", "nodata"]].tolist() == [14, 2.0, 8.5, 2.0]


@pytest.fixture
def masked_tif(tmp_path: Path) -> Path:
    data = np.full((12, 18), 22.0, np.float32)
    valid = np.ones((12, 18), bool)
    valid[:, ::2] = False
    data[~valid] = 0.0
    return write_raster(tmp_path / "m.tif", data, _t(12), nodata=None, mask=valid)


def test_4_dataset_mask_is_honoured(masked_tif: Path) -> None:
    zones = gpd.GeoDataFrame(
        geometry=[
            shapely.box(0, 0, 18, 12),
            shapely.box(-4, 0, 4, 12),
            shapely.box(1.2, 1.2, 5.5, 5.5),
        ],
        crs=CRS_UTM,
    )
    stats = ["count", "mean", "nodata", "nan"]
    out = zonal_stats(masked_tif, zones, stats=stats)
    assert out.loc[0, ["count", "mean"]].tolist() == [108, 22.0]  # not 216 and 11.0
    ref = rasterstats_frame(zones, masked_tif, stats)
    np.testing.assert_allclose(out[stats].astype(float), ref)
    exact = zonal_stats(masked_tif, zones, stats=["count", "mean"], exact=True)
    ref_exact = exactextract_frame(zones, masked_tif, ["count", "mean"])
    np.testing.assert_allclose(exact[["count", "mean"]], ref_exact)


def test_4_a_zone_inside_one_hidden_cell_covers_no_valid_cell(masked_tif: Path) -> None:
    """Hidden cells hold no value for a zone of any size. exactextract 0.3, reading the file,
    gives a zone smaller than a hidden cell a count (0.14 of a cell); the whole cell, 0."""
    tiny = shapely.box(0.3, 3.2, 0.65, 3.6)  # column 0: hidden
    zones = gpd.GeoDataFrame(geometry=[shapely.box(0, 3, 1, 4), tiny], crs=CRS_UTM)
    exact = zonal_stats(masked_tif, zones, stats=["count", "sum"], exact=True)
    assert exact["count"].tolist() == [0.0, 0.0] and exact["sum"].tolist() == [0.0, 0.0]
    peer = exactextract_frame(zones, masked_tif, ["count"])["count"].tolist()
    assert peer[0] == 0.0 and peer[1] == pytest.approx(0.14)  # the peer's sub-cell read


def test_5_nan_is_not_nodata() -> None:
    # rasterstats' test_nan_nodata
    zones = gpd.GeoDataFrame(geometry=[shapely.Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])])
    arr = np.array([[np.nan, 12.25], [-999, 12.75]])
    out = zonal_stats(
        arr, zones, stats=["nodata", "nan", "count", "mean"], transform=_t(2), nodata=-999
    )
    assert out.loc[0, ["nodata", "nan", "count", "mean"]].tolist() == [1, 1, 2, 12.5]


def test_6_exact_accepts_zones_without_crs(tmp_path: Path) -> None:
    data = np.arange(100.0, dtype=np.float32).reshape(10, 10)
    path = write_raster(tmp_path / "r.tif", data, _t(10), nodata=-1.0)
    bare = gpd.GeoDataFrame(geometry=[shapely.box(1.5, 1.5, 6.2, 4.4)])
    for exact in (False, True):
        with pytest.warns(UserWarning, match="no CRS"):
            out = zonal_stats(path, bare, stats=["count", "mean"], exact=exact)
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            same = zonal_stats(path, bare.set_crs(CRS_UTM), stats=["count", "mean"], exact=exact)
        np.testing.assert_allclose(out[["count", "mean"]], same[["count", "mean"]])


def test_7_empty_zones(tmp_path: Path) -> None:
    data = np.arange(100.0, dtype=np.float32).reshape(10, 10)
    path = write_raster(tmp_path / "r.tif", data, _t(10), nodata=-1.0)
    zones = gpd.GeoDataFrame(
        geometry=[shapely.box(2.6, 2.6, 2.9, 2.9), shapely.box(8, 8, 12, 12)], crs=CRS_UTM
    )
    out = zonal_stats(path, zones, stats=["count", "nodata", "unique"])
    ref = rasterstats_frame(zones, path, ["count", "nodata"])
    assert np.isnan(out.loc[0, "nodata"]) and np.isnan(ref.loc[0, "nodata"])  # no cell centre
    assert out.loc[1, "nodata"] == ref.loc[1, "nodata"] == 12  # beyond the edge
    assert out["unique"].dtype.kind == "i" and out.loc[0, "unique"] == 0
    exact = zonal_stats(path, zones, stats=["count", "nodata"], exact=True)
    # beyond the edge counts as nodata in the exact mode too: 4 x 4 cells, 4 inside
    assert exact.loc[1, "count"] + exact.loc[1, "nodata"] == pytest.approx(16.0)
    assert exact.loc[0, "count"] == pytest.approx(0.09)
