"""Curve number on stations' daily rain through the whole pipeline.

Three rain gauges with daily CSV files, one with missing days. The expected runoff is
written out here: the stations' rain inverse-distance weighted (power 2) onto each cell
centre with numpy, a missing day filled the same way at the station's place from the
others, each unit's mean of a day on each land-use x soil part, the SCS formula of TR-55,
summed by month.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import Transformer

from layers.errors import RegionError
from layers.region import load_region
from layers.registry import LayerRegistry
from layers.validate import validate_region
from processing.calibration import FlowParams, outlet_inputs, simulate_flow
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from tests.processing.test_daily_runoff import CN, SOIL_CODES, scs_q_mm
from tests.regionkit import CELL, UTM, X0, Y0, N, write_tif, write_toml

YEAR = 2001
GRID = Affine(CELL, 0, X0, 0, -CELL, Y0)
CENTRE_X = X0 + N * CELL / 2
# gauges on the north-south line through the middle: the rain field is symmetric east-west
STATIONS_XY = {"north": (CENTRE_X, Y0 + 400.0), "mid": (CENTRE_X, Y0 - 300.0)}
STATIONS_XY |= {"south": (CENTRE_X, Y0 - N * CELL - 500.0)}
GAP = slice(40, 46)  # days the southern gauge misses (blank rows, and one absent row)


def _days() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")


def _station_rain() -> np.ndarray:
    """Each gauge's daily rain, ``(3, days)`` mm: shared storms, each gauge's own depths."""
    rng = np.random.default_rng(23)
    days = len(_days())
    wet = rng.random(days) < 0.4
    storm = rng.exponential(16.0, days) * wet
    return storm[np.newaxis] * rng.uniform(0.6, 1.4, (len(STATIONS_XY), days))


def _idw(xs: np.ndarray, ys: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Inverse-distance weights (power 2) of the points ``pts`` at ``xs, ys``."""
    d2 = (xs[..., np.newaxis] - pts[:, 0]) ** 2 + (ys[..., np.newaxis] - pts[:, 1]) ** 2
    w = 1.0 / d2
    return w / w.sum(axis=-1, keepdims=True)


def _filled(rain: np.ndarray) -> np.ndarray:
    """The southern gauge's missing days from the other two, weighted at its place."""
    pts = np.array(list(STATIONS_XY.values()))
    out = rain.copy()
    w = _idw(pts[2, 0], pts[2, 1], pts[:2])
    out[2, GAP] = w @ rain[:2, GAP]
    return out


def _cell_rain(rain: np.ndarray) -> np.ndarray:
    """Every cell's daily rain, ``(days, N, N)`` mm, from the gauges' (filled) rain."""
    cols, rows = np.meshgrid(np.arange(N), np.arange(N))
    xs, ys = X0 + (cols + 0.5) * CELL, Y0 - (rows + 0.5) * CELL
    w = _idw(xs, ys, np.array(list(STATIONS_XY.values())))  # (N, N, stations)
    return np.einsum("rcs,sd->drc", w, rain)


def _soil() -> np.ndarray:
    return np.repeat(np.arange(1, 5, dtype=np.uint8), N // 4)[:, np.newaxis].repeat(N, axis=1)


@pytest.fixture
def station_region(tiny: tuple[Path, dict[str, Any]]) -> tuple[Path, dict[str, Any], np.ndarray]:
    """The tiny region with three gauges' daily CSVs, their monthly fields and a soil map.

    Returns the region, its config and every cell's daily rain by hand.
    """
    root, cfg = tiny
    data = root / "data"
    rain = _station_rain()
    to_wgs = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    rows = []
    for (sid, (x, y)), series in zip(STATIONS_XY.items(), rain, strict=True):
        frame = pd.DataFrame({"date": _days().strftime("%Y-%m-%d"), "precip_mm": series})
        if sid == "south":
            frame.loc[GAP, "precip_mm"] = np.nan
            frame = frame.drop(index=GAP.start)  # an absent row is a missing day too
        frame.to_csv(data / f"{sid}.csv", index=False)
        lon, lat = to_wgs.transform(x, y)
        rows.append({"station_id": sid, "lon": lon, "lat": lat, "elevation_m": 1500,
                     "rain_file": f"{sid}.csv"})  # fmt: skip
    pd.DataFrame(rows).to_csv(data / "stations.csv", index=False)
    cells = _cell_rain(_filled(rain))
    month = _days().month.to_numpy() - 1
    monthly = np.stack([cells[month == m].sum(axis=0) for m in range(12)]).astype(np.float32)
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
        "daily": {"stations": "data/stations.csv", "source": "three synthetic gauges"},
    }
    cfg["layers"]["soil"] = {"path": "data/soil.tif", "class_table": "data/soil.csv"}
    cfg["water_balance"] = {"daily_curve_number": True}
    write_toml(cfg, root / "region.toml")
    return root, cfg, cells


def _hand_runoff_mm(cells: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    """Monthly runoff of the unit covering ``rows, cols``, by hand, ``(12,)`` mm."""
    lu = np.where(np.arange(N) < N // 2, 1, 2)[np.newaxis].repeat(N, axis=0)[rows, cols]
    soil = _soil()[rows, cols]
    unit_rain = cells[:, rows, cols].mean(axis=(1, 2))
    month = _days().month.to_numpy() - 1
    out = np.zeros(12)
    for code in (1, 2):
        for g, group in enumerate(SOIL_CODES, start=1):
            share = float(((lu == code) & (soil == g)).mean())
            if share:
                q = scs_q_mm(unit_rain, CN[(code, group)])
                out += share * np.bincount(month, weights=q, minlength=12)
    return out


def test_unit_runoff_is_the_curve_number_on_the_stations_interpolated_days(
    station_region: tuple[Path, dict[str, Any], np.ndarray], tmp_path: Path
) -> None:
    root, _, cells = station_region
    assert not [p for p in validate_region(root) if p.severity != "note"]
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
        expected = _hand_runoff_mm(cells, rows, cols)
        mine = (monthly["unit_id"] == cid) & (monthly["variable"] == "runoff")
        got = monthly[mine & (monthly["unit"] == "mm")].sort_values(["year", "month"])
        assert got["value"].to_numpy() == pytest.approx(expected, rel=1e-5, abs=2e-3)
    summary = store.summary("communities").set_index("id")
    assert summary.loc["C", "runoff_mm_yr"] > 20.0  # cropland on C/D soils runs off
    # every cell of the runoff raster: the curve number on each of its own days
    lu = np.where(np.arange(N) < N // 2, 1, 2)[np.newaxis].repeat(N, axis=0)
    cell_cn = np.vectorize(lambda c, g: CN[(int(c), SOIL_CODES[int(g) - 1])])(lu, _soil())
    by_hand = scs_q_mm(cells, cell_cn[np.newaxis]).sum(axis=0)
    with rasterio.open(path / "rasters" / "runoff_mm_yr.tif") as ds:
        np.testing.assert_allclose(ds.read(1), by_hand, rtol=1e-5, atol=1e-3)


def test_runoff_volume_of_a_unit_split_in_two_and_strips_are_the_same(
    station_region: tuple[Path, dict[str, Any], np.ndarray], tmp_path: Path
) -> None:
    root, _, _ = station_region
    side = N * CELL
    whole = [shapely.box(X0, Y0 - side, X0 + side, Y0)]
    halves = [
        shapely.box(X0, Y0 - side, X0 + side / 2, Y0),
        shapely.box(X0 + side / 2, Y0 - side, X0 + side, Y0),
    ]

    def summary(squares: list[shapely.Polygon], name: str, **options: Any) -> pd.DataFrame:
        gpd.GeoDataFrame(
            {"cid": [f"U{i}" for i in range(len(squares))], "name": ["u"] * len(squares)},
            geometry=squares,
            crs=UTM,
        ).to_file(root / "data" / "communities.gpkg")
        store = process_region(root, tmp_path / name, rasters=False, **options)
        return ResultsStore(store).summary("communities")

    def volume_m3(table: pd.DataFrame) -> float:
        return float((table["runoff_mm_yr"] * table["area_ha"] * 10.0).sum())

    one = volume_m3(summary(whole, "one"))
    two = summary(halves, "two")
    assert one > 0
    assert volume_m3(two) == pytest.approx(one, rel=0.01)
    strips = summary(halves, "strips", block_rows=7)
    pd.testing.assert_series_equal(two["runoff_mm_yr"], strips["runoff_mm_yr"], rtol=1e-12)


def test_daily_curve_number_without_daily_rain_is_an_error(
    station_region: tuple[Path, dict[str, Any], np.ndarray], tmp_path: Path
) -> None:
    root, cfg, _ = station_region
    del cfg["layers"]["rainfall"]["daily"]
    write_toml(cfg, root / "region.toml")
    errors = [p for p in validate_region(root) if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].file == "region.toml" and "daily_curve_number = true" in errors[0].message
    assert "[layers.rainfall.daily]" in errors[0].fix and "false" in errors[0].fix
    with pytest.raises(RegionError, match="daily_curve_number"):
        process_region(root, tmp_path / "store")


def test_calibration_runs_the_flow_model_on_the_same_days_as_process(
    station_region: tuple[Path, dict[str, Any], np.ndarray], tmp_path: Path
) -> None:
    root, cfg, cells = station_region
    side = N * CELL
    gpd.GeoDataFrame(
        {"wid": ["W1"]}, geometry=[shapely.box(X0, Y0 - side, X0 + side, Y0)], crs=UTM
    ).to_file(root / "data" / "watersheds.gpkg")
    cfg["layers"]["watersheds"] = {"path": "data/watersheds.gpkg", "id_field": "wid"}
    write_toml(cfg, root / "region.toml")
    inputs = outlet_inputs(LayerRegistry(load_region(root)), "W1")
    assert inputs.rain_day_mm is not None
    np.testing.assert_allclose(inputs.rain_day_mm, cells.mean(axis=(1, 2)), rtol=1e-6)
    wb = load_region(root).config.water_balance
    params = FlowParams(wb.cn_multiplier, wb.awc_multiplier, wb.baseflow_k_months)
    sim = simulate_flow(inputs, params)
    store = ResultsStore(process_region(root, tmp_path / "store", rasters=False))
    monthly = store.monthly("watersheds")
    q = monthly[(monthly["variable"] == "streamflow") & (monthly["unit"] == "mm")]
    np.testing.assert_allclose(q["value"].to_numpy(), sim["flow_mm"].to_numpy(), atol=0.01)
    assert sim["quick_mm"].sum() > 20.0
