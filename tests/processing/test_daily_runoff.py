"""Curve number on gridded daily rain (CHIRPS daily names) through the whole pipeline.

The expected runoff is the SCS formula written out here, applied by hand to each day's
unit-mean rain on each land-use x soil part of each unit, summed by month.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from layers.daily_files import daily_source
from layers.validate import validate_region
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from tests.regionkit import CELL, UTM, X0, Y0, N, write_tif, write_toml

YEAR = 2001
GRID = Affine(CELL, 0, X0, 0, -CELL, Y0)
SOIL_CODES = "ABCD"
CN = {(1, "A"): 67, (1, "B"): 78, (1, "C"): 85, (1, "D"): 89}  # cropland (tiny region's table)
CN |= {(2, "A"): 30, (2, "B"): 55, (2, "C"): 70, (2, "D"): 77}  # forest


def scs_q_mm(p_mm: np.ndarray, cn: float) -> np.ndarray:
    """TR-55: S = 25400/CN - 254, Ia = 0.2 S, Q = (P - Ia)^2 / (P - Ia + S) for P > Ia."""
    s = 25400.0 / cn - 254.0
    ia = 0.2 * s
    return np.where(p_mm > ia, (p_mm - ia) ** 2 / np.maximum(p_mm - ia + s, 1e-12), 0.0)


def _days() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")


def _daily_rain() -> np.ndarray:
    """Intermittent rain, ``(days, N, N)`` mm: exponential depths, wetter to the south.

    The gradient runs across the land-use boundary (cropland west, forest east), so each
    land use gets the same rain whichever way the region is cut east-west.
    """
    rng = np.random.default_rng(17)
    days = len(_days())
    wet = rng.random(days) < 0.35
    depth = rng.exponential(18.0, days) * wet
    rows = np.arange(N, dtype=float)[:, np.newaxis].repeat(N, axis=1)
    gradient = 0.85 + 0.3 * rows / N
    noise = rng.uniform(0.9, 1.1, (days, N, N))
    return (depth[:, None, None] * gradient[None] * noise).astype(np.float32)


def _soil() -> np.ndarray:
    """Soil groups A..D as codes 1..4 in bands of N/4 rows."""
    return np.repeat(np.arange(1, 5, dtype=np.uint8), N // 4)[:, np.newaxis].repeat(N, axis=1)


@pytest.fixture
def daily_region(tiny: tuple[Path, dict[str, Any]]) -> tuple[Path, np.ndarray]:
    """The tiny region with CHIRPS-daily files, their monthly sums and a soil map."""
    root, cfg = tiny
    data = root / "data"
    rain = _daily_rain()
    for day, grid in zip(_days(), rain, strict=True):
        write_tif(data / "daily" / f"chirps-v2.0.{day:%Y.%m.%d}.tif", grid, UTM, GRID, -9999.0)
    month = _days().month.to_numpy() - 1
    monthly = np.stack([rain[month == m].sum(axis=0) for m in range(12)])
    write_tif(data / "rain_monthly.tif", monthly, UTM, GRID, -9999.0)
    write_tif(data / "soil.tif", _soil(), UTM, GRID, 0)
    (data / "soil.csv").write_text(
        "code,name,hsg,awc_mm_per_m\n1,Sand,A,80\n2,Loam,B,150\n3,Clay loam,C,130\n4,Clay,D,160\n"
    )
    cfg["layers"]["rainfall"] = {
        "path": "data/rain_monthly.tif",
        "units": "mm/month",
        "kind": "series",
        "start": f"{YEAR}-01",
        "daily": {"path": "data/daily/chirps-v2.0.*.tif", "source": "synthetic CHIRPS daily"},
    }
    cfg["layers"]["soil"] = {"path": "data/soil.tif", "class_table": "data/soil.csv"}
    write_toml(cfg, root / "region.toml")
    return root, rain


def _with_units(root: Path, squares: list[shapely.Polygon]) -> Path:
    gpd.GeoDataFrame(
        {"cid": [f"U{i}" for i in range(len(squares))], "name": ["u"] * len(squares)},
        geometry=squares,
        crs=UTM,
    ).to_file(root / "data" / "communities.gpkg")
    return root


def _hand_runoff_mm(rain: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    """Monthly runoff of the unit covering ``rows, cols`` of the grid, by hand, ``(12,)``."""
    lu = np.where(np.arange(N) < N // 2, 1, 2)[np.newaxis].repeat(N, axis=0)[rows, cols]
    soil = _soil()[rows, cols]
    unit_rain = rain[:, rows, cols].astype(np.float64).mean(axis=(1, 2))
    month = _days().month.to_numpy() - 1
    out = np.zeros(12)
    for code in (1, 2):
        for g, group in enumerate(SOIL_CODES, start=1):
            share = float(((lu == code) & (soil == g)).mean())
            if share:
                q = scs_q_mm(unit_rain, CN[(code, group)])
                out += share * np.bincount(month, weights=q, minlength=12)
    return out


def test_chirps_daily_names_give_consecutive_days(daily_region: tuple[Path, np.ndarray]) -> None:
    root, _ = daily_region
    days = daily_source(str(root / "data" / "daily"), None)
    assert days.product == "CHIRPS v2.0 daily"
    assert (days.first_day, days.last_day) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    (root / "data" / "daily" / f"chirps-v2.0.{YEAR}.03.04.tif").unlink()
    with pytest.raises(ValueError, match=f"after {YEAR}-03-04"):
        daily_source(str(root / "data" / "daily"), None)
    errors = [p for p in validate_region(root) if p.severity == "error"]
    assert any("daily rain" in p.message for p in errors)


def test_unit_runoff_is_the_curve_number_on_each_day_of_its_mean_rain(
    daily_region: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    root, rain = daily_region
    path = process_region(root, tmp_path / "store")
    store = ResultsStore(path)
    monthly = store.monthly("communities")
    half = N // 2
    quarters = {
        "A": (slice(0, half), slice(0, half)),
        "B": (slice(0, half), slice(half, N)),
        "C": (slice(half, N), slice(0, half)),
        "D": (slice(half, N), slice(half, N)),
    }
    for cid, (rows, cols) in quarters.items():
        expected = _hand_runoff_mm(rain, rows, cols)
        mine = (monthly["unit_id"] == cid) & (monthly["variable"] == "runoff")
        got = monthly[mine & (monthly["unit"] == "mm")].sort_values(["year", "month"])
        got = got["value"].to_numpy()
        assert got == pytest.approx(expected, rel=1e-5, abs=2e-3)
    summary = store.summary("communities").set_index("id")
    assert summary.loc["C", "runoff_mm_yr"] > 20.0  # cropland on C/D soils runs off
    # every cell of the runoff raster: the curve number on each of its own days
    lu = np.where(np.arange(N) < N // 2, 1, 2)[np.newaxis].repeat(N, axis=0)
    cell_cn = np.vectorize(lambda c, g: CN[(int(c), SOIL_CODES[int(g) - 1])])(lu, _soil())
    by_hand = scs_q_mm(rain.astype(np.float64), cell_cn[np.newaxis]).sum(axis=0)
    with rasterio.open(path / "rasters" / "runoff_mm_yr.tif") as ds:
        assert (ds.height, ds.width) == (N, N)
        np.testing.assert_allclose(ds.read(1), by_hand, rtol=1e-5, atol=1e-3)
    rain_table = monthly[(monthly["variable"] == "rain") & (monthly["unit"] == "mm")]
    assert rain_table["value"].sum() == pytest.approx(
        sum(rain[:, r, c].astype(float).mean(axis=(1, 2)).sum() for r, c in quarters.values()),
        rel=1e-5,
    )


def test_runoff_volume_of_a_unit_split_in_two_is_the_same(
    daily_region: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    root, _ = daily_region
    side = N * CELL
    whole = [shapely.box(X0, Y0 - side, X0 + side, Y0)]
    halves = [
        shapely.box(X0, Y0 - side, X0 + side / 2, Y0),
        shapely.box(X0 + side / 2, Y0 - side, X0 + side, Y0),
    ]

    def volume_m3(squares: list[shapely.Polygon], name: str) -> float:
        store = process_region(_with_units(root, squares), tmp_path / name, rasters=False)
        summary = ResultsStore(store).summary("communities")
        return float((summary["runoff_mm_yr"] * summary["area_ha"] * 10.0).sum())

    one = volume_m3(whole, "one")
    two = volume_m3(halves, "two")
    assert one > 0
    assert two == pytest.approx(one, rel=0.01)


def test_strips_and_a_dask_cluster_give_the_whole_grid_runoff(
    daily_region: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    """The strips' arithmetic, here and on a Dask cluster of two worker threads (the worker
    processes of ``--scheduler local`` are tested in ``test_blockwise``)."""
    from distributed import LocalCluster

    root, _ = daily_region
    whole = process_region(root, tmp_path / "whole", rasters=False)
    a = ResultsStore(whole).summary("communities")
    assert (a["runoff_mm_yr"] > 0).all()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with cluster:
        for name, scheduler in (("strips", None), ("dask", cluster.scheduler_address)):
            store = process_region(
                root, tmp_path / name, rasters=False, block_rows=7, scheduler=scheduler
            )
            b = ResultsStore(store).summary("communities")
            pd.testing.assert_series_equal(a["runoff_mm_yr"], b["runoff_mm_yr"])
            assert ResultsStore(store).manifest["scheduler"] == (scheduler or "none")


def test_a_daily_netcdf_starts_on_its_time_axis(tmp_path: Path) -> None:
    xr = pytest.importorskip("xarray")
    days = np.arange(31, 31 + 28, dtype=float)  # February 2001, in days since 1 January
    time = ("time", days, {"units": "days since 2001-01-01", "calendar": "standard"})
    lat = ("lat", -1.025 - 0.05 * np.arange(4), {"units": "degrees_north"})
    lon = ("lon", 36.025 + 0.05 * np.arange(4), {"units": "degrees_east"})
    rain = np.zeros((28, 4, 4), np.float32)
    xr.Dataset(
        {"precip": (("time", "lat", "lon"), rain)}, coords={"time": time, "lat": lat, "lon": lon}
    ).to_netcdf(tmp_path / "rain.nc", engine="scipy")
    source = daily_source(str(tmp_path / "rain.nc"), None)
    assert (source.first_day, source.last_day) == (dt.date(2001, 2, 1), dt.date(2001, 2, 28))
    assert source.reads(0, 3) == [(tmp_path / "rain.nc", [1, 2, 3])]
