"""The four real-data examples of the README, built with ``landwater init`` from
../shared/data (skipped when absent), processed, and checked against the raw files.

Robit is also calibrated on its observed flow (1993-1995) and validated (1996-1997).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from landwater.cli import main
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.kernels.pysheds_lazy import load_sgrid
from processing.results_store import ResultsStore
from tests.regionkit import write_tif

pytestmark = [pytest.mark.realdata, pytest.mark.slow]  # init and process real regions
# the store's monthly water-balance variables (mm) and calibrate's flow.csv columns of them
STORE_FLOW_COLUMNS = {
    "runoff": "quick_mm",
    "recharge": "recharge_mm",
    "baseflow": "baseflow_mm",
    "streamflow": "simulated_mm",
}


def _init(region: Path, *args: str) -> int:
    return main(["init", str(region), *args])


@pytest.fixture(scope="module")
def robit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.regionkit import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data folder {SHARED_DATA} is absent (expected beside the project)")
    d = SHARED_DATA / "robit_ethiopia"
    tmp = tmp_path_factory.mktemp("robit")
    # the weather-generator station of the SWAT+ example (WGEN_Robit_stat.csv)
    stat = pd.read_csv(d / "WGEN_Robit_stat.csv").iloc[0]
    pd.DataFrame(
        {
            "station_id": [stat["name"]],
            "lon": [stat["lon"]],
            "lat": [stat["lat"]],
            "elevation_m": [stat["elev"]],
            "rain_file": [str(d / "robit_station_daily_precip.csv")],
            "temperature_file": [str(d / "robit_station_daily_temperature.csv")],
        }
    ).to_csv(tmp / "stations.csv", index=False)
    region = tmp / "robit"
    code = _init(
        region,
        "--name", "Robit",
        "--dem", str(d / "robit_dem_srtm30m.tif"),
        "--land-use", str(d / "robit_landuse.tif"),
        "--land-use-table", str(d / "Robit_landuses.csv"),
        "--soil", str(d / "robit_soil_units.tif"),
        "--swat-soil-lookup", str(d / "Robit_soils.csv"),
        "--swat-usersoil", str(d / "Robit_usersoil.csv"),
        "--stations", str(tmp / "stations.csv"),
        "--period", "1990-01:1997-12",
        "--outlets", str(d / "outlet" / "MainOutlet.shp"),
        "--streams", str(d / "streams" / "robReach.shp"),
        "--hex-size-km", "1.5",
    )  # fmt: skip
    assert code == 0
    return region


def test_robit_watershed_at_the_outlet(robit: Path, shared_data: Path) -> None:
    d = shared_data / "robit_ethiopia"
    ws = gpd.read_file(robit / "data" / "watersheds.gpkg")
    assert len(ws) == 1
    area_km2 = ws.geometry.area.iloc[0] / 1e6
    assert 14 < area_km2 < 19  # pysheds on SRTM with the SWAT+ reaches burned in
    # the SWAT+ example's own stream network (an independent delineation) lies inside it
    reaches = gpd.read_file(d / "streams" / "robReach.shp").to_crs(ws.crs)
    inside = reaches.geometry.intersection(ws.geometry.iloc[0]).length.sum()
    assert inside / reaches.length.sum() > 0.85
    outlet = gpd.read_file(d / "outlet" / "MainOutlet.shp").to_crs(ws.crs).geometry.iloc[0]
    assert ws.geometry.iloc[0].distance(outlet) < 100
    # delineated on the SRTM grid itself: the snap report matches the polygon
    snap = pd.read_csv(robit / "delineation" / "outlets.csv").iloc[0]
    assert snap["moved_m"] <= 90 and snap["snapped_upstream_km2"] == pytest.approx(
        area_km2, rel=1e-3
    )
    # hexagon communities cover the watershed (edge pieces under a tenth of a hexagon dropped)
    comm = gpd.read_file(robit / "data" / "communities.gpkg")
    share = comm.geometry.area.sum() / ws.geometry.area.sum()
    assert 0.95 < share <= 1.0 + 1e-9 and comm.geometry.within(ws.geometry.iloc[0].buffer(1)).all()
    # soils: the SWAT tables' depth-weighted AWC and hydrologic groups
    soils = pd.read_csv(robit / "soil_classes.csv").set_index("code")
    assert set(soils["hsg"]) <= {"A", "B", "C", "D"} and soils.loc[108, "hsg"] == "D"


@pytest.fixture(scope="module")
def calibrated_robit(robit: Path) -> Path:
    """Robit processed and calibrated with the README's commands (once per module)."""
    from tests.regionkit import SHARED_DATA

    observed = SHARED_DATA / "robit_ethiopia" / "observed_monthly_flow.csv"
    assert main(["process", str(robit)]) == 0
    args = ["calibrate", str(robit), "--watershed", "W1", "--observed", str(observed)]
    periods = ["--calibration", "1993-01:1995-12", "--validation", "1996-01:1997-12"]
    assert main(args + periods) == 0
    return robit


def test_robit_calibration_and_validation(calibrated_robit: Path, shared_data: Path) -> None:
    robit = calibrated_robit
    observed = shared_data / "robit_ethiopia" / "observed_monthly_flow.csv"
    report = json.loads((robit / "calibration" / "calibration.json").read_text())
    assert report["calibration"]["nse"] > 0.6
    assert report["validation"]["nse"] >= 0.5  # the target
    assert report["calibration"]["months"] == 36 and report["validation"]["months"] == 24
    # the observed column is the source file, converted back to m3/s
    flows = pd.read_csv(robit / "calibration" / "flow.csv")
    source = pd.read_csv(observed)
    np.testing.assert_allclose(flows["observed_m3s"], source["Flow"], rtol=1e-3, atol=1e-4)
    # the parameters are in region.toml and used by the next process: the store's monthly
    # flow of W1 is the flow calibrate simulated with them (flow.csv's months)
    wb = load_region(robit).config.water_balance
    assert wb.cn_multiplier == pytest.approx(report["params"]["cn_multiplier"], abs=1e-4)
    assert main(["process", str(robit)]) == 0
    monthly = ResultsStore(robit / "results").monthly("watersheds")
    for variable, column in STORE_FLOW_COLUMNS.items():
        rows = monthly[
            (monthly["unit_id"] == "W1")
            & (monthly["variable"] == variable)
            & (monthly["unit"] == "mm")
        ]
        stored = rows.set_index(rows["year"].astype(str) + "-" + rows["month"].map("{:02d}".format))
        np.testing.assert_allclose(
            stored.loc[flows["month"], "value"], flows[column], atol=0.01, err_msg=variable
        )


def test_robit_calibrate_errors(
    robit: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    observed = str(shared_data / "robit_ethiopia" / "observed_monthly_flow.csv")
    base = ["calibrate", str(robit), "--observed", observed, "--no-save"]
    periods = ["--calibration", "1993-01:1995-12", "--validation", "1996-01:1997-12"]
    assert main([*base, "--watershed", "W9", *periods]) == 1
    assert "unknown watershed 'W9'; the region has W1" in capsys.readouterr().err
    late = ["--calibration", "1999-01:2000-12", "--validation", "1996-01:1997-12"]
    assert main([*base, "--watershed", "W1", *late]) == 1
    assert "outside the rainfall series 1990-01..1997-12" in capsys.readouterr().err


def test_gura_invest_tables_and_the_tana_basin(shared_data: Path, tmp_path: Path) -> None:
    g = shared_data / "gura_kenya"
    tana = shared_data / "east_africa_basins" / "name_TANA.gpkg"
    region = tmp_path / "gura"
    code = _init(
        region,
        "--name", "Gura, Upper Tana",
        "--rainfall", str(g / "precip_monthly"),
        "--et0", str(g / "et0_monthly"),
        "--land-use-table", str(g / "biophysical_table_gura_SWY.csv"),
        "--land-use-table", str(g / "biophysical_table_gura_AWY.csv"),
        "--land-use-class", "5",
        "--rain-days", str(g / "rain_events_gura.csv"),
        "--watersheds", str(tana),
        "--hex-size-km", "4",
        "--resolution-m", "250",
    )  # fmt: skip
    assert code == 0
    assert main(["process", str(region)]) == 0
    cfg = load_region(region).config
    assert cfg.water_balance.rain_days == [9, 9, 13, 21, 20, 10, 11, 12, 9, 14, 21, 13]
    classes = pd.read_csv(region / "land_use_classes.csv").set_index("code")
    assert classes.loc[5, "cn_b"] == 78 and classes.loc[8, "root_depth_m"] == 3.5  # mm -> m
    store = ResultsStore(region / "results")
    # the Tana basin clipped to the region is the watershed layer
    ws = store.summary("watersheds")
    grid_box = shapely.box(*LayerRegistry(load_region(region)).grid.bounds)
    basin = gpd.read_file(tana).to_crs(cfg.region.crs).geometry.iloc[0]
    assert ws["area_ha"].iloc[0] == pytest.approx(basin.intersection(grid_box).area / 1e4, rel=1e-3)
    # basin-mean annual rain and ET0 against the raw InVEST rasters
    raw_rain = raw_et0 = 0.0
    for m in range(1, 13):
        with rasterio.open(g / "precip_monthly" / f"precip_gura_{m}.tif") as ds:
            raw_rain += float(ds.read(1, masked=True).mean())
        with rasterio.open(g / "et0_monthly" / f"ET0_gura_{m}.tif") as ds:
            raw_et0 += float(ds.read(1, masked=True).mean())
    assert ws["rain_mm_yr"].iloc[0] == pytest.approx(raw_rain, rel=0.05)
    kc = classes.loc[5, "kc"]
    assert ws["pet_mm_yr"].iloc[0] == pytest.approx(raw_et0 * kc, rel=0.05)


def test_neiba_lc100_chirps_worldclim_hexagons(shared_data: Path, tmp_path: Path) -> None:
    n = shared_data / "sierra_de_neiba_dr"
    region = tmp_path / "neiba"
    common = [
        "--area", str(n / "area.gpkg"),
        "--hex-size-km", "3",
        "--resolution-m", "100",
        "--dem", str(n / "nasa_srtm" / "NASADEM_HGT_n18w072.tif"),
        "--land-use", str(n / "esalandcover" / "W080N20_LC100_v3.0.1_2018.tif"),
        "--land-use-product", "lc100",
        "--tmin", str(n / "worldclim_min_temperature"),
        "--tmax", str(n / "worldclim_max_temperature"),
        "--min-watershed-km2", "20",
    ]  # fmt: skip
    assert _init(region, "--name", "Sierra de Neiba", "--rainfall", str(n / "chirps"), *common) == 0
    assert main(["validate", str(region)]) == 0
    assert main(["process", str(region)]) == 0
    cfg = load_region(region).config
    assert cfg.layers.rainfall.kind == "series" and cfg.layers.rainfall.start == "2010-01"
    assert cfg.layers.land_use.nodata == 0
    area = gpd.read_file(n / "area.gpkg").to_crs(cfg.region.crs).geometry.union_all()
    comm = gpd.read_file(region / "data" / "communities.gpkg")
    assert len(comm) > 20 and comm.geometry.within(area.buffer(1)).all()
    ws = gpd.read_file(region / "data" / "watersheds.gpkg")
    assert (ws["area_km2"] >= 20).all()
    store = ResultsStore(region / "results")
    # starter profiles: exclusions by class name (LC100 water 80, urban 50, forests 111-126)
    ponds = next(iv for iv in cfg.interventions if iv.id == "farm_ponds")
    assert {50, 80, 112, 124} <= set(ponds.exclude_land_use) and 40 not in ponds.exclude_land_use
    assert [iv.id for iv in cfg.interventions] == ["farm_ponds", "terraces", "agroforestry"]
    scores = store.summary("communities")["suit_terraces_score"].dropna()
    assert len(scores) > 20 and scores.between(0, 1).all() and scores.max() > 0
    rain = store.summary("communities")["rain_mm_yr"].dropna()
    with rasterio.open(n / "chirps" / "chirps-v2.0.2010.01.tif") as ds:
        window = rasterio.windows.from_bounds(
            *gpd.read_file(n / "area.gpkg").to_crs(4326).total_bounds, transform=ds.transform
        )
    raw = sum(
        float(rasterio.open(p).read(1, window=window, boundless=True, masked=True).mean())
        for p in sorted((n / "chirps").glob("*.tif"))
    )
    assert rain.mean() == pytest.approx(raw, rel=0.15)  # hexagon means vs the area's box
    # CHELSA's 0.01 mm integers are scaled: the same year in the same units as CHIRPS
    chelsa = tmp_path / "neiba_chelsa"
    assert _init(chelsa, "--name", "Neiba CHELSA", "--rainfall", str(n / "chelsa"), *common) == 0
    assert load_region(chelsa).config.layers.rainfall.start == "2010-01"
    with (
        rasterio.open(chelsa / "data" / "rainfall.tif") as a,
        rasterio.open(region / "data" / "rainfall.tif") as b,
    ):
        ratio = np.nanmean(a.read()) / np.nanmean(b.read())
    assert 0.5 < ratio < 2.0  # unscaled it would be about 100


# Sierra de Neiba: a river cell of the NASADEM clip (EPSG:4326, 1 arc-second) draining about
# 45 km2 south of the protected area, and the mouth of a 1 km2 tributary one cell east of it
NEIBA_GAUGE_LONLAT = (-71.73468, 18.58764)  # 40 m west of the river cell's centre
NEIBA_TRIBUTARY_LONLAT = (-71.73319, 18.58764)  # centre of the tributary's last cell


def test_neiba_outlets_on_the_native_grid_match_pysheds(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's check: the gauge's catchment equals pysheds' on the native DEM.

    The region is the small sample area, whose grid alone would cut the catchment; the
    DEM is geographic and the working grid UTM 19N. A second outlet on a tributary beside
    the river, carrying the river's area, is warned about with the fix.
    (../shared/data has no DEM around a GRDC gauge such as the issue's 3,760 km2 one.)
    """
    from pyproj import Geod

    load_sgrid()  # pysheds' routines compiled on first call, as processing does
    from pysheds.grid import Grid as ShedGrid

    n = shared_data / "sierra_de_neiba_dr"
    dem = n / "nasa_srtm" / "NASADEM_HGT_n18w072.tif"
    # the peer: pysheds' own pipeline on the native DEM, its own snap to the river
    grid = ShedGrid.from_raster(str(dem))
    raw = grid.read_raster(str(dem))
    fdir = grid.flowdir(grid.resolve_flats(grid.fill_depressions(grid.fill_pits(raw))))
    acc = grid.accumulation(fdir)
    (x, y), *_ = grid.snap_to_mask(acc > 1000, [NEIBA_GAUGE_LONLAT])
    catch = np.asarray(grid.catchment(x=x, y=y, fdir=fdir, xytype="coordinate")).astype(bool)
    t = grid.affine
    north = t.f + t.e * np.arange(catch.shape[0])
    geod = Geod(ellps="WGS84")
    cell_km2 = [
        abs(geod.polygon_area_perimeter([0, t.a, t.a, 0], [b + t.e, b + t.e, b, b])[0]) / 1e6
        for b in north
    ]
    pysheds_km2 = float((catch * np.array(cell_km2)[:, None]).sum())
    assert 30 < pysheds_km2 < 60

    gpd.GeoDataFrame(
        {"name": ["Neiba gauge", "Beside the river"], "area_km2": [pysheds_km2] * 2},
        geometry=gpd.points_from_xy(*zip(NEIBA_GAUGE_LONLAT, NEIBA_TRIBUTARY_LONLAT, strict=True)),
        crs=4326,
    ).to_file(tmp_path / "gauges.gpkg")
    region = tmp_path / "neiba_outlets"
    code = _init(
        region,
        "--name", "Neiba gauges",
        "--area", str(n / "sample_area.gpkg"),
        "--hex-size-km", "2",
        "--resolution-m", "100",
        "--dem", str(dem),
        "--outlets", str(tmp_path / "gauges.gpkg"),
        "--land-use", str(n / "esalandcover" / "W080N20_LC100_v3.0.1_2018.tif"),
        "--land-use-product", "lc100",
        "--rainfall", str(n / "chirps"),
        "--tmin", str(n / "worldclim_min_temperature"),
        "--tmax", str(n / "worldclim_max_temperature"),
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    report = pd.read_csv(region / "delineation" / "outlets.csv").set_index("outlet")
    gauge, beside = report.loc["Neiba gauge"], report.loc["Beside the river"]
    assert gauge["snapped_upstream_km2"] == pytest.approx(pysheds_km2, rel=0.01)
    assert 0 < gauge["moved_m"] < 90 and pd.isna(gauge["warning"])
    assert not gauge["reaches_dem_edge"]  # its divide lies inside the DEM
    assert beside["snapped_upstream_km2"] < 0.1 * pysheds_km2
    assert "warning: W2 (outlet 'Beside the river')" in out
    assert "raise --snap-m (now 90 m)" in beside["warning"]
    ws = gpd.read_file(region / "data" / "watersheds.gpkg").set_index("id")
    assert ws.crs.to_epsg() == 32619
    assert ws.geometry.area["W1"] / 1e6 == pytest.approx(pysheds_km2, rel=0.01)
    with rasterio.open(region / "data" / "elevation.tif") as ds:
        assert shapely.box(*ds.bounds).contains(ws.geometry["W1"])


def test_water_points_as_project_sites(shared_data: Path, tmp_path: Path) -> None:
    """The Kwale hand pumps load as project sites (ids, names, lon/lat in WGS84 columns).

    ../shared/data has no climate layer over Kwale, so this test alone writes a uniform
    rainfall and ET0 grid there (test scaffolding, not data) to give the region a climate.
    """
    pumps = shared_data / "water_points_east_africa" / "kwale_handpumps_location.csv"
    table = pd.read_csv(pumps)
    t = Affine(0.01, 0, 39.0, 0, -0.01, -4.0)
    write_tif(
        tmp_path / "rain.tif", np.full((12, 80, 80), 90.0, np.float32), "EPSG:4326", t, -9999.0
    )
    write_tif(
        tmp_path / "et0.tif", np.full((12, 80, 80), 120.0, np.float32), "EPSG:4326", t, -9999.0
    )
    region = tmp_path / "kwale"
    code = _init(
        region,
        "--name", "Kwale hand pumps",
        "--rainfall", str(tmp_path / "rain.tif"),
        "--et0", str(tmp_path / "et0.tif"),
        "--land-use-class", "40",
        "--land-use-product", "worldcover",
        "--hex-size-km", "10",
        "--resolution-m", "500",
        "--sites", str(pumps),
    )  # fmt: skip
    assert code == 0
    sites = gpd.read_file(region / "data" / "project_sites.gpkg").to_crs(4326)
    assert len(sites) == len(table) == 299
    assert list(sites["site_id"]) == list(table["pumpid"].astype(str))
    assert list(sites["name"]) == list(table["description"].astype(str))
    np.testing.assert_allclose(sites.geometry.x, table["long_wgs84"], atol=1e-7)
    assert main(["validate", str(region)]) == 0


def test_robit_flow_chart_in_the_profile_and_the_export(
    calibrated_robit: Path, tmp_path: Path
) -> None:
    """After calibration, the watershed profile and Excel export show it."""
    robit = calibrated_robit
    import openpyxl

    from dashboard.profile import profile_panel
    from dashboard.service import RegionService
    from processing.exports import export_level

    report = json.loads((robit / "calibration" / "calibration.json").read_text())
    service = RegionService(robit).prepare()
    data = service.profile("W1", "watersheds")
    assert data is not None and data.calibration is not None
    text = str(profile_panel(data).to_plotly_json())
    assert "Observed and simulated flow at the outlet" in text
    assert f"{report['validation']['nse']:.2f}" in text
    figure = next(
        c.figure
        for c in _walk(profile_panel(data))
        if getattr(c, "className", "") == "profile-chart" and "Observed" in str(c.figure)
    )
    assert len(figure.data[0].y) == 60  # 1993-1997
    out = export_level(
        service.region, service.registry, service.results, "watershed", "xlsx", tmp_path / "w.xlsx"
    )
    sheet = openpyxl.load_workbook(out)["calibration"]
    assert sheet.max_row == 61


def _walk(component: object) -> list[object]:
    out = [component]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            out += _walk(child)
    return out
