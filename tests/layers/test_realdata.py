"""Real public data through the same loader: Robit (Ethiopia, UTM), Sierra de Neiba (lon/lat).

Skipped with a reason when ../shared/data is absent. Nothing is copied: region.toml files
written in tmp_path point at the shared files by absolute path.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import CRS, Transformer

from layers.errors import Problem
from layers.region import load_region
from layers.registry import LayerRegistry
from layers.validate import has_errors, validate_region
from tests.regionkit import write_tif, write_toml

pytestmark = pytest.mark.realdata

ROBIT_LU_TABLE = pd.DataFrame(
    {
        "code": [1, 2, 3, 4],
        "name": ["Water (WATR)", "Agriculture (AGRL)", "Pasture (PAST)", "Forest (FRST)"],
        "colour": ["#2b6cb0", "#e6c84f", "#a6d96a", "#1a7a3a"],
        "cn_a": [98, 67, 39, 30],
        "cn_b": [98, 78, 61, 55],
        "cn_c": [98, 85, 74, 70],
        "cn_d": [98, 89, 80, 77],
        "kc": [1.05, 0.8, 0.75, 1.0],
        "root_depth_m": [0.0, 1.0, 0.8, 2.5],
    }
)


def _station_climatology(robit: Path, out: Path, extent: tuple[float, float, float, float]) -> None:
    """Uniform 12-band monthly fields from the daily station series (mean monthly totals)."""
    rain = pd.read_csv(robit / "robit_station_daily_precip.csv", parse_dates=["date"])
    monthly = rain.set_index("date")["precip_mm"].resample("MS").sum(min_count=20)
    clim = monthly.groupby(monthly.index.month).mean().to_numpy()
    temp = pd.read_csv(robit / "robit_station_daily_temperature.csv", parse_dates=["date"])
    tclim = temp.groupby(temp["date"].dt.month)[["tmin_c", "tmax_c"]].mean()
    left, bottom, right, top = extent
    t = Affine((right - left) / 4, 0, left, 0, -(top - bottom) / 4, top)
    write_tif(
        out / "rain.tif",
        np.broadcast_to(clim[:, None, None], (12, 4, 4)).astype(np.float32),
        "EPSG:32637",
        t,
        -9999.0,
    )
    write_tif(
        out / "tmin.tif",
        np.broadcast_to(tclim["tmin_c"].to_numpy()[:, None, None], (12, 4, 4)).astype(np.float32),
        "EPSG:32637",
        t,
        -9999.0,
    )
    write_tif(
        out / "tmax.tif",
        np.broadcast_to(tclim["tmax_c"].to_numpy()[:, None, None], (12, 4, 4)).astype(np.float32),
        "EPSG:32637",
        t,
        -9999.0,
    )


@pytest.fixture
def robit_region(shared_data: Path, tmp_path: Path) -> Path:
    robit = shared_data / "robit_ethiopia"
    with rasterio.open(robit / "robit_dem_srtm30m.tif") as ds:
        left, bottom, right, top = ds.bounds
    # four communities inside the DEM, in lon/lat so the loader must reproject them
    xs, ys = np.linspace(left + 600, right - 600, 3), np.linspace(bottom + 600, top - 600, 3)
    boxes = [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(2) for j in range(2)]
    comm = gpd.GeoDataFrame(
        {"kebele": ["K1", "K2", "K3", "K4"]}, geometry=boxes, crs="EPSG:32637"
    ).to_crs(4326)
    comm.to_file(tmp_path / "communities.gpkg")
    ROBIT_LU_TABLE.to_csv(tmp_path / "lu.csv", index=False)
    _station_climatology(robit, tmp_path, (left - 3000, bottom - 3000, right + 3000, top + 3000))
    write_toml(
        {
            "region": {"name": "Robit", "resolution_m": 30.0},
            "layers": {
                "communities": {"path": "communities.gpkg", "id_field": "kebele"},
                "rainfall": {
                    "path": "rain.tif",
                    "units": "mm/month",
                    "source": "station 1990-2013 (uniform field)",
                },
                "tmin": {"path": "tmin.tif", "units": "degC"},
                "tmax": {"path": "tmax.tif", "units": "degC"},
                "land_use": {"path": str(robit / "robit_landuse.tif"), "class_table": "lu.csv"},
                "elevation": {"path": str(robit / "robit_dem_srtm30m.tif"), "units": "m"},
            },
        },
        tmp_path / "region.toml",
    )
    return tmp_path


def test_robit_validates(robit_region: Path) -> None:
    problems = validate_region(robit_region)
    assert not has_errors(problems), [str(p) for p in problems]


def test_robit_alignment_keeps_known_points(robit_region: Path, shared_data: Path) -> None:
    robit = shared_data / "robit_ethiopia"
    reg = LayerRegistry(load_region(robit_region))
    assert reg.crs == CRS.from_epsg(32637)  # UTM of the centroid: the data's own zone
    dem, lu = reg.raster("elevation")[0], reg.raster("land_use")[0]
    assert dem.shape == lu.shape == reg.grid.shape
    # the working grid is snapped to 30 m multiples while SRTM is offset: compare at a cell centre
    r, c = reg.grid.shape[0] // 2, reg.grid.shape[1] // 3
    x, y = reg.grid.transform @ (c + 0.5, r + 0.5)
    with rasterio.open(robit / "robit_dem_srtm30m.tif") as ds:
        (near,) = list(ds.sample([(x, y)]))
    assert abs(float(dem[r, c]) - float(near[0])) < 15  # bilinear on 30 m SRTM, same grid spacing
    with rasterio.open(robit / "robit_landuse.tif") as ds:
        codes = ds.read(
            1, window=rasterio.windows.from_bounds(x - 45, y - 45, x + 45, y + 45, ds.transform)
        )
    assert lu[r, c] in set(codes.ravel().tolist())


def test_robit_dem_partial_cover_is_reported(robit_region: Path) -> None:
    """The DEM covers less than the land-use grid; the communities sit inside the DEM."""
    problems = validate_region(robit_region)
    assert not [p for p in problems if p.layer == "elevation" and p.severity == "error"]


@pytest.fixture
def neiba_region(shared_data: Path, tmp_path: Path) -> Path:
    dr = shared_data / "sierra_de_neiba_dr"
    lc = pd.DataFrame(
        {
            "code": [
                0,
                20,
                30,
                40,
                50,
                60,
                80,
                90,
                111,
                112,
                114,
                115,
                116,
                121,
                122,
                124,
                125,
                126,
                200,
            ]
        }
    )
    lc["name"] = lc["code"].astype(str)
    lc["colour"] = "#777777"
    for col, v in {
        "cn_a": 49,
        "cn_b": 69,
        "cn_c": 79,
        "cn_d": 84,
        "kc": 0.8,
        "root_depth_m": 1.0,
    }.items():
        lc[col] = v
    lc.to_csv(tmp_path / "lc100.csv", index=False)
    months = [f"{m:02d}" for m in range(1, 13)]
    write_toml(
        {
            "region": {"name": "Sierra de Neiba", "resolution_m": 100.0},
            "layers": {
                "communities": {"path": str(dr / "area.gpkg"), "id_field": "WDPAID"},
                "rainfall": {
                    "paths": [str(dr / "chirps" / f"chirps-v2.0.2010.{m}.tif") for m in months],
                    "kind": "series",
                    "start": "2010-01",
                    "units": "mm/month",
                },
                "tmin": {
                    "paths": [
                        str(
                            dr
                            / "worldclim_min_temperature"
                            / f"wc2.1_cruts4.09_2.5m_tmin_2018-{m}.tif"
                        )
                        for m in months
                    ],
                    "units": "degC",
                },
                "tmax": {
                    "paths": [
                        str(
                            dr
                            / "worldclim_max_temperature"
                            / f"wc2.1_cruts4.09_2.5m_tmax_2018-{m}.tif"
                        )
                        for m in months
                    ],
                    "units": "degC",
                },
                "land_use": {
                    "path": str(dr / "esalandcover" / "W080N20_LC100_v3.0.1_2018.tif"),
                    "class_table": "lc100.csv",
                },
                "elevation": {
                    "path": str(dr / "nasa_srtm" / "NASADEM_HGT_n18w072.tif"),
                    "units": "m",
                },
            },
        },
        tmp_path / "region.toml",
    )
    return tmp_path


def test_neiba_validates_and_reports_partial_rain_cover(neiba_region: Path) -> None:
    problems = validate_region(neiba_region)
    assert not has_errors(problems), [str(p) for p in problems]
    covers: list[Problem] = [
        p for p in problems if p.layer == "rainfall" and "covers only" in p.message
    ]
    assert covers and all("chirps" in p.file for p in covers)


def test_neiba_geographic_rasters_align_on_one_utm_grid(
    neiba_region: Path, shared_data: Path
) -> None:
    dr = shared_data / "sierra_de_neiba_dr"
    reg = LayerRegistry(load_region(neiba_region))
    assert reg.crs == CRS.from_epsg(32619)
    rain, dem, lc, tmin = (reg.raster(r) for r in ("rainfall", "elevation", "land_use", "tmin"))
    assert rain.shape == (12, *reg.grid.shape) and tmin.shape == (12, *reg.grid.shape)
    assert dem.shape[1:] == lc.shape[1:] == reg.grid.shape
    # a known point: the centre of the protected area's bounding box
    lon, lat = -71.57, 18.64
    x, y = Transformer.from_crs(4326, reg.crs, always_xy=True).transform(lon, lat)
    col, row = (int(v) for v in ~reg.grid.transform @ (x, y))
    with rasterio.open(dr / "nasa_srtm" / "NASADEM_HGT_n18w072.tif") as ds:
        (z,) = next(ds.sample([(lon, lat)]))
        patch = ds.read(
            1,
            window=rasterio.windows.from_bounds(
                lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002, ds.transform
            ),
        )
    # NASADEM at ~110 m averaged onto 100 m cells: within the local relief
    assert patch.min() - 5 <= dem[0, row, col] <= patch.max() + 5
    assert abs(float(dem[0, row, col]) - float(z)) < float(patch.max() - patch.min()) + 5
    with rasterio.open(dr / "chirps" / "chirps-v2.0.2010.05.tif") as ds:
        (may,) = next(ds.sample([(lon, lat)]))
        allmay = ds.read(1)
    assert np.nanmin(allmay) - 1 <= rain[4, row, col] <= np.nanmax(allmay) + 1
    assert abs(float(rain[4, row, col]) - float(may)) <= float(np.ptp(allmay))
    with rasterio.open(dr / "esalandcover" / "W080N20_LC100_v3.0.1_2018.tif") as ds:
        codes = ds.read(
            1,
            window=rasterio.windows.from_bounds(
                lon - 0.0015, lat - 0.0015, lon + 0.0015, lat + 0.0015, ds.transform
            ),
        )
    assert lc[0, row, col] in set(codes.ravel().tolist())


def test_neiba_ecocrop_maize_and_beans(neiba_region: Path, shared_data: Path) -> None:
    """EcoCrop on WorldClim Tmin/Tmax + CHIRPS rain: scores in 0..1, a plausible best month."""
    from processing.crop_suitability import crop_climate, crop_monthly, unit_crop_table
    from processing.crops import BUILTIN_CROPS
    from processing.grids import cell_inputs
    from processing.suitability_engine import unit_labels

    reg = LayerRegistry(load_region(neiba_region))
    climate = crop_climate(reg, cell_inputs(reg))
    assert climate is not None
    labels = unit_labels(reg.communities, reg)
    # the driest 4-month window of the area, from the raw CHIRPS files (not the tool's grid)
    rain = []
    for m in range(1, 13):
        path = shared_data / "sierra_de_neiba_dr" / "chirps" / f"chirps-v2.0.2010.{m:02d}.tif"
        with rasterio.open(path) as ds:
            rain.append(float(ds.read(1, masked=True).mean()))
    window = [sum(rain[(m + k) % 12] for k in range(4)) for m in range(12)]
    driest_start = int(np.argmin(window)) + 1
    for crop_id in ("maize", "beans"):
        crop = next(c for c in BUILTIN_CROPS if c.id == crop_id)
        monthly = crop_monthly(crop, climate)
        ok = np.isfinite(monthly)
        assert ok.any()
        assert monthly[ok].min() >= 0 and monthly[ok].max() <= 1
        table = unit_crop_table(crop, monthly, labels, np.array(["area"]), reg.grid.res_m**2 / 1e4)
        row = table.iloc[0]
        assert 0 < row["best_month_score"] <= 1
        assert 1 <= row["best_month"] <= 12
        assert row["best_month"] != driest_start, "planting at the start of the dry season"
        # the season that starts in the best month is one of the wetter halves of the year
        assert window[row["best_month"] - 1] >= np.median(window)
