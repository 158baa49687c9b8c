"""InVEST parity of the annual water yield: ``landwater process`` against InVEST's equations.

A constructed region (20 x 20 cells of 30 m, two watersheds) with a sealed class, open water,
a wetland, a shallow soil, missing soil data, missing rain, a cell without rain and a cell
without land use. The expected yields are InVEST's annual water yield model written out
here by hand (natcap/invest ``annual_water_yield.py``, ``fractp_op`` and
``compute_water_yield_volume``; InVEST user guide, "Annual Water Yield"):

- ``PET = Kc ET0``; vegetated (``LULC_veg = 1``): ``AET/P = min(PET/P, 1 + PET/P -
  (1 + (PET/P)^w)^(1/w))``, ``w = Z AWC / P + 1.25`` capped at 5, ``AWC = min(root depth,
  depth to the root-restricting layer) x PAWC``; non-vegetated: ``AET = min(PET, P)``;
- ``Y = (1 - AET/P) P``; nodata where any input is nodata (PAWC and soil depth included,
  for non-vegetated cells too) or where ``P = 0``;
- ``wyield_mn``: mean over the watershed's cells that have a value; ``wyield_vol`` =
  ``wyield_mn`` x polygon area / 1000.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from layers.validate import validate_region
from processing.kernels.water_yield import aet_fraction
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from tests.regionkit import CELL, UTM, X0, Y0, write_tif, write_toml

N = 20
Z = 6.0
AWC_MULTIPLIER = 1.7  # a calibrated region: the InVEST-compatible yield must ignore it
DEFAULT_AWC_MM_PER_M = 100.0
ROW, COL = np.mgrid[0:N, 0:N]
# code: name, Kc, root depth (mm), InVEST's LULC_veg
CLASSES = {
    1: ("Cropland", 0.8, 1000.0, 1),
    2: ("Forest", 1.0, 2500.0, 1),
    3: ("Sealed surfaces", 0.3, 300.0, 0),
    4: ("Open water", 1.05, 0.0, 0),
    5: ("Wetland", 1.1, 500.0, 0),
}
# code: PAWC (mm/m), depth to the root-restricting layer (mm); 2 is a shallow soil
SOILS = {1: (150.0, 2000.0), 2: (100.0, 400.0), 3: (120.0, 1500.0)}
RAIN_MM = np.array([20, 30, 80, 150, 120, 40, 20, 25, 40, 90, 110, 50], dtype=np.float64)
ET0_MM = np.array([110, 115, 120, 105, 95, 85, 85, 95, 110, 120, 110, 105], dtype=np.float64)
NODATA = -9999.0


def _land_use() -> np.ndarray:
    lu = np.select(
        [COL < 5, COL < 10, COL < 15],
        [np.where(ROW < 10, 1, 2), np.where(ROW < 10, 2, 4), np.where(ROW < 10, 3, 1)],
        np.where(ROW < 10, 5, 2),
    ).astype(np.uint8)
    lu[5, 7] = 0  # no land use
    return lu


def _soil() -> np.ndarray:
    soil = np.select([ROW < 7, ROW < 14], [1, 2], 3).astype(np.uint8)
    soil[2:5, 12:15] = 0  # no soil data under the sealed class (non-vegetated)
    soil[15:17, 2:4] = 0  # and under forest
    return soil


def _depth_raster_mm() -> np.ndarray:
    depth = (300.0 + 50.0 * COL + 10.0 * ROW).astype(np.float32)
    depth[18, 6:9] = NODATA  # no depth under open water
    depth[1, 1] = NODATA  # nor under one cropland cell
    return depth


def _rain() -> np.ndarray:
    scale = 1.0 + 0.04 * COL - 0.015 * ROW
    rain = (RAIN_MM[:, None, None] * scale[None]).astype(np.float32)
    rain[:, 0, 0] = 0.0  # a cell without rain all year
    rain[:, 19, 19] = NODATA  # missing rain
    return rain


def _et0() -> np.ndarray:
    return (ET0_MM[:, None, None] * (1.0 + 0.01 * ROW)[None]).astype(np.float32)


def parity_region(root: Path, veg: dict[int, int] | None, depth_raster: bool) -> None:
    """Write the region: ``veg`` is the table's LULC_veg column (None: no such column)."""
    data = root / "data"
    t = Affine(CELL, 0, X0, 0, -CELL, Y0)
    write_tif(data / "lu.tif", _land_use(), UTM, t, 0)
    write_tif(data / "soil.tif", _soil(), UTM, t, 0)
    write_tif(data / "rain.tif", _rain(), UTM, t, NODATA)
    write_tif(data / "et0.tif", _et0(), UTM, t, NODATA)
    classes = pd.DataFrame(
        {
            "code": list(CLASSES),
            "name": [c[0] for c in CLASSES.values()],
            "colour": ["#e6c84f", "#1a7a3a", "#b0413e", "#2b6cb0", "#6fc3c9"],
            "cn_a": [67, 30, 98, 98, 78],
            "cn_b": [78, 55, 98, 98, 78],
            "cn_c": [85, 70, 98, 98, 78],
            "cn_d": [89, 77, 98, 98, 78],
            "kc": [c[1] for c in CLASSES.values()],
            "root_depth_m": [c[2] / 1000.0 for c in CLASSES.values()],
        }
    )
    if veg is not None:
        classes["LULC_veg"] = [veg[c] for c in CLASSES]
    classes.to_csv(data / "lu_classes.csv", index=False)
    pd.DataFrame(
        {
            "code": list(SOILS),
            "name": ["Deep", "Shallow", "Medium"],
            "hsg": ["B", "D", "C"],
            "awc_mm_per_m": [s[0] for s in SOILS.values()],
            "depth_mm": [s[1] for s in SOILS.values()],
        }
    ).to_csv(data / "soil_classes.csv", index=False)
    squares = [
        shapely.box(X0 + i * 300, Y0 - (j + 1) * 300, X0 + (i + 1) * 300, Y0 - j * 300)
        for j in range(2)
        for i in range(2)
    ]
    gpd.GeoDataFrame({"cid": list("ABCD")}, geometry=squares, crs=UTM).to_file(
        data / "communities.gpkg"
    )
    halves = [shapely.box(X0 + i * 300, Y0 - 600, X0 + (i + 1) * 300, Y0) for i in range(2)]
    gpd.GeoDataFrame({"ws_id": ["W", "E"]}, geometry=halves, crs=UTM).to_file(
        data / "watersheds.gpkg"
    )
    layers: dict[str, Any] = {
        "communities": {"path": "data/communities.gpkg", "id_field": "cid"},
        "watersheds": {"path": "data/watersheds.gpkg", "id_field": "ws_id"},
        "rainfall": {"path": "data/rain.tif", "units": "mm/month"},
        "et0": {"path": "data/et0.tif", "units": "mm/month"},
        "land_use": {"path": "data/lu.tif", "class_table": "data/lu_classes.csv"},
        "soil": {"path": "data/soil.tif", "class_table": "data/soil_classes.csv"},
    }
    if depth_raster:
        write_tif(data / "depth.tif", _depth_raster_mm(), UTM, t, NODATA)
        layers["depth_to_root_restricting_layer"] = {"path": "data/depth.tif", "units": "mm"}
    cfg = {
        "region": {"name": "InVEST parity", "resolution_m": CELL},
        "layers": layers,
        "water_balance": {
            "z_parameter": Z,
            "awc_multiplier": AWC_MULTIPLIER,
            "cn_multiplier": 0.8,
            "default_awc_mm_per_m": DEFAULT_AWC_MM_PER_M,
        },
    }
    write_toml(cfg, root / "region.toml")


def invest_cell_yield_mm(
    kc: float, eto: float, precip: float, root: float, soil: float, pawc: float, veg: int
) -> float:
    """InVEST's annual water yield of one cell (``fractp_op`` then ``wyield_op``); NaN: nodata.

    ``root`` and ``soil`` in mm, ``pawc`` a fraction; any NaN input is nodata.
    """
    if any(math.isnan(v) for v in (kc, eto, precip, root, soil, pawc)) or precip == 0:
        return math.nan
    pet = kc * eto
    if veg == 1:
        awc = min(root, soil) * pawc
        w = min(awc / precip * Z + 1.25, 5.0)
        aet_p = 1.0 + pet / precip - (1.0 + (pet / precip) ** w) ** (1.0 / w)
        fractp = min(pet / precip, aet_p)
    else:
        fractp = min(pet, precip) / precip
    return (1.0 - fractp) * precip


def _cell_depth_mm(depth_raster: bool, r: int, c: int) -> float:
    """The depth to the root-restricting layer of a cell: the raster's, else the soil's."""
    if depth_raster:
        d = float(_depth_raster_mm()[r, c])
        return math.nan if d == NODATA else d
    s = int(_soil()[r, c])
    return SOILS[s][1] if s else math.nan


def expected_yield_mm(veg: dict[int, int], depth_raster: bool) -> np.ndarray:
    """InVEST's yield of every cell of the region, from the inputs as written."""
    lu, soil, rain, et0 = _land_use(), _soil(), _rain(), _et0()
    out = np.full((N, N), np.nan)
    for r in range(N):
        for c in range(N):
            code, s = int(lu[r, c]), int(soil[r, c])
            if code == 0 or rain[0, r, c] == NODATA:
                continue
            _, kc, root, _ = CLASSES[code]
            pawc = SOILS[s][0] / 1000.0 if s else math.nan
            depth = _cell_depth_mm(depth_raster, r, c)
            p = float(rain[:, r, c].astype(np.float64).sum())
            eto = float(et0[:, r, c].astype(np.float64).sum())
            out[r, c] = invest_cell_yield_mm(kc, eto, p, root, depth, pawc, veg[code])
    return out


def expected_capacity_mm(depth_raster: bool) -> np.ndarray:
    """The monthly balance's store: AWC x min(root depth, soil depth) x awc_multiplier.

    Where the soil is unknown, ``default_awc_mm_per_m``; where the depth is unknown, the
    root depth alone.
    """
    lu, soil = _land_use(), _soil()
    out = np.full((N, N), np.nan)
    for r in range(N):
        for c in range(N):
            code, s = int(lu[r, c]), int(soil[r, c])
            if code == 0:
                continue
            root_m = CLASSES[code][2] / 1000.0
            awc = SOILS[s][0] if s else DEFAULT_AWC_MM_PER_M
            depth = _cell_depth_mm(depth_raster, r, c)
            zone_m = root_m if math.isnan(depth) else min(root_m, depth / 1000.0)
            out[r, c] = awc * zone_m * AWC_MULTIPLIER
    return out


INVEST_VEG = {code: c[3] for code, c in CLASSES.items()}


@pytest.mark.parametrize(
    ("veg_column", "depth_raster"),
    [
        (INVEST_VEG, False),  # LULC_veg column, soil depth from the soil table's depth_mm
        (None, True),  # vegetation by name, depth from the depth raster (overrides depth_mm)
        ({**INVEST_VEG, 5: 1}, False),  # the column decides: this wetland counts as vegetated
    ],
    ids=["lulc_veg-depth_mm", "names-depth_raster", "lulc_veg_wetland_1"],
)
def test_watershed_water_yield_equals_invest(
    tmp_path: Path, veg_column: dict[int, int] | None, depth_raster: bool
) -> None:
    parity_region(tmp_path, veg_column, depth_raster)
    veg = veg_column or INVEST_VEG  # without the column, the names must give InVEST's flags
    cells = expected_yield_mm(veg, depth_raster)
    # the region holds every case: nodata from soil under a non-vegetated class, from soil
    # depth, from rain, no rain, no land use; vegetated cells capped by the shallow soil
    assert np.isnan(cells[2:5, 12:15]).all() and np.isnan(cells[0, 0])
    assert np.isnan(cells[19, 19]) and np.isnan(cells[5, 7])
    assert np.isfinite(cells).sum() > 300
    store = ResultsStore(process_region(tmp_path, tmp_path / "out"))
    with rasterio.open(store.raster_path("water_yield")) as ds:
        got = ds.read(1, masked=True).filled(np.nan).astype(np.float64)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(cells))
    np.testing.assert_allclose(got, cells, rtol=1e-6, equal_nan=True)
    ws = store.summary("watersheds").set_index("id")
    for wid, cols in (("W", slice(0, 10)), ("E", slice(10, 20))):
        mean_mm = np.nanmean(cells[:, cols])
        vol_m3 = mean_mm * (300.0 * 600.0) / 1000.0
        # the table holds 0.1 mm and whole m3
        assert ws.loc[wid, "water_yield_mm_yr"] == pytest.approx(mean_mm, abs=0.05 + 1e-9)
        assert ws.loc[wid, "water_yield_m3_yr"] == pytest.approx(vol_m3, abs=0.5 + 1e-6)
        cap = np.nanmean(expected_capacity_mm(depth_raster)[:, cols])
        assert ws.loc[wid, "storage_capacity_mm"] == pytest.approx(cap, abs=0.05 + 1e-9)


def test_calibration_leaves_the_invest_yield_alone(tmp_path: Path) -> None:
    parity_region(tmp_path / "a", INVEST_VEG, False)
    parity_region(tmp_path / "b", INVEST_VEG, False)
    toml = tmp_path / "b" / "region.toml"
    toml.write_text(toml.read_text().replace(f"awc_multiplier = {AWC_MULTIPLIER}", ""))
    a = ResultsStore(process_region(tmp_path / "a")).summary("watersheds")
    b = ResultsStore(process_region(tmp_path / "b")).summary("watersheds")
    pd.testing.assert_series_equal(a["water_yield_mm_yr"], b["water_yield_mm_yr"])
    assert (a["storage_capacity_mm"] > b["storage_capacity_mm"] * 1.6).all()


def test_missing_awc_gives_no_value_even_on_non_vegetated_cells() -> None:
    # fractp_op masks PAWC and soil depth nodata before choosing the equation
    frac = aet_fraction(
        np.array([0.3, 0.3, 1.0]),
        np.array([1200.0, 1200.0, 1200.0]),
        np.array([800.0, 800.0, 800.0]),
        np.array([np.nan, 50.0, np.nan]),
        np.array([0, 0, 1]),
        z=Z,
    )
    assert np.isnan(frac[0]) and frac[1] == pytest.approx(360.0 / 800.0) and np.isnan(frac[2])


def test_validate_is_silent_on_a_table_with_lulc_veg(tmp_path: Path) -> None:
    parity_region(tmp_path, INVEST_VEG, True)
    assert validate_region(tmp_path) == []
