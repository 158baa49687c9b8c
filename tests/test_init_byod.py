"""``landwater init`` on data in the forms it comes in (issue 24): provenance only from the
user, dates from any file name, series in one file (multi-band GeoTIFF, CF NetCDF), tables
as they come, and ``--dry-run``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio

from landwater.cli import main
from layers.region import load_region
from tests.regionkit import RAW_TRANSFORM as T
from tests.regionkit import write_raw_inputs, write_tif
from tests.test_cli_init import _args


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The raw inputs of the init tests (DEM, land use, 12-band climate, communities)."""
    return write_raw_inputs(tmp_path / "raw")


def _with_communities(raw: Path, out: Path, *extra: str) -> list[str]:
    """The fixture's inputs without the DEM (no delineation: these tests are about climate)."""
    comm = ["--communities", str(raw / "communities.gpkg"), "--id-field", "code"]
    args = _args(raw, out, *comm, *extra)
    i = args.index("--dem")
    return args[:i] + args[i + 2 :]


def _replace(args: list[str], option: str, value: str) -> list[str]:
    out = list(args)
    out[out.index(option) + 1] = value
    return out


def _worldclim_tmin(raw: Path) -> Path:
    folder = raw / "wc_tmin"
    for m in range(1, 13):
        grid = np.full((1, 60, 60), 10.0 + m, np.float32)
        write_tif(folder / f"wc2.1_cruts4.09_2.5m_tmin_2018-{m:02d}.tif", grid, "EPSG:32737", T)
    return folder


def test_provenance_is_never_taken_from_file_names(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _replace(_with_communities(raw, tmp_path / "a"), "--tmin", str(_worldclim_tmin(raw)))
    assert main(args) == 0
    out = capsys.readouterr().out
    tmin = load_region(tmp_path / "a").config.layers.tmin
    assert tmin is not None and (tmin.source, tmin.licence) == ("unknown", "unknown")
    assert "warning: no source given for" in out and "tmin" in out.split("no source given")[1]
    assert "WorldClim 2.1 monthly weather file names" in out  # what was recognised is said
    given = _replace(_with_communities(raw, tmp_path / "b"), "--tmin", str(raw / "wc_tmin"))
    given += [
        "--source",
        "tmin=CRU-TS 4.09 downscaled with WorldClim 2.1",
        "--licence",
        "CC BY 4.0",
    ]
    assert main(given) == 0
    layers = load_region(tmp_path / "b").config.layers
    assert layers.tmin is not None and layers.tmin.source.startswith("CRU-TS 4.09")
    assert layers.tmin.licence == "CC BY 4.0" and layers.rainfall.licence == "CC BY 4.0"
    assert layers.rainfall.source == "unknown"
    # the init TOML: a table per layer
    (raw / "init.toml").write_text(
        'land_use = "lu.tif"\nland_use_product = "generic"\n'
        'rainfall = "rain.tif"\ntmin = "wc_tmin"\ntmax = "tmax.tif"\n'
        'communities = "communities.gpkg"\nid_field = "code"\nresolution_m = 100.0\n'
        '[source]\nrainfall = "Station-blended rain of the county office"\n'
    )
    assert main(["init", str(tmp_path / "c"), "--from", str(raw / "init.toml")]) == 0
    layers = load_region(tmp_path / "c").config.layers
    assert layers.rainfall.source == "Station-blended rain of the county office"
    assert layers.tmin is not None and layers.tmin.source == "unknown"


def _rain_by_month(raw: Path, name: str) -> dict[tuple[int, int], float]:
    """24 rain files 2001-2002 named by ``name`` (a format of y and m): 10 m + y - 2000 mm."""
    values = {}
    for y in (2001, 2002):
        for m in range(1, 13):
            values[(y, m)] = 10.0 * m + (y - 2000)
            grid = np.full((1, 60, 60), values[(y, m)], np.float32)
            write_tif(raw / "rain_months" / name.format(y=y, m=m), grid, "EPSG:32737", T, -9999.0)
    return values


def _band_means(path: Path) -> list[float]:
    with rasterio.open(path) as ds:
        return [float(np.nanmean(ds.read(b))) for b in range(1, ds.count + 1)]


def test_per_month_files_under_any_name_with_a_date_pattern(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = _rain_by_month(raw, "precip.{y}.m{m:02d}.tif")
    args = _replace(_with_communities(raw, tmp_path / "r"), "--rainfall", str(raw / "rain_months"))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--rainfall" in err and "hold no month" in err and "--date-pattern" in err
    assert main([*args, "--date-pattern", "rainfall=precip.{yyyy}.m{mm}.tif"]) == 0
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2001-01")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([values[k] for k in sorted(values)])


def test_the_issues_pre_yyyy_mm_names_need_no_option(raw: Path, tmp_path: Path) -> None:
    values = _rain_by_month(raw, "pre_{y}-{m:02d}.tif")
    args = _replace(_with_communities(raw, tmp_path / "r"), "--rainfall", str(raw / "rain_months"))
    assert main([*args, "--period", "2002-01:2002-12"]) == 0
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start, rain.source) == ("series", "2002-01", "unknown")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([values[(2002, m)] for m in range(1, 13)])


def test_a_24_band_series_in_one_geotiff(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    months = [(y, m) for y in (2001, 2002) for m in range(1, 13)]
    stack = np.stack([np.full((60, 60), 10.0 * m + (y - 2000), np.float32) for y, m in months])
    write_tif(raw / "rain24.tif", stack, "EPSG:32737", T, -9999.0)
    args = _replace(_with_communities(raw, tmp_path / "r"), "--rainfall", str(raw / "rain24.tif"))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{raw / 'rain24.tif'}: 24 bands and no dates" in err and "--start YYYY-MM" in err
    assert ".init." not in err and not (tmp_path / "r").exists()
    assert main([*args, "--start", "2001-01"]) == 0
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2001-01")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([10.0 * m + (y - 2000) for y, m in months])
    # dates in the band descriptions need no --start; --period keeps a whole year of them
    with rasterio.open(raw / "rain24.tif", "r+") as ds:
        for b, (y, m) in enumerate(months, start=1):
            ds.set_band_description(b, f"precipitation {y}-{m:02d}")
    assert main([*_replace(args, "--tmin", str(raw / "tmin.tif")), "--period", "2002-01:2002-12",
                 "--force"]) == 0  # fmt: skip
    rain = load_region(tmp_path / "r").config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2002-01")
    got = _band_means(tmp_path / "r" / "data" / "rainfall.tif")
    assert got == pytest.approx([10.0 * m + 2 for m in range(1, 13)])


def _cf_netcdf(path: Path, name: str, units: str, values: np.ndarray, months: list) -> Path:
    """A CF NetCDF on longitude/latitude (latitude ascending) over the raw inputs' area."""
    xr = pytest.importorskip("xarray")
    pytest.importorskip("scipy")
    lon = np.arange(37.15, 37.31, 0.01)
    lat = np.arange(-1.00, -0.86, 0.01)  # south to north, as CF files often are
    time = [np.datetime64(f"{y}-{m:02d}-15") for y, m in months]
    field = np.broadcast_to(values[:, None, None], (len(months), lat.size, lon.size))
    ds = xr.Dataset(
        {name: (("time", "lat", "lon"), field.astype(np.float32), {"units": units})},
        coords={
            "time": ("time", time),
            "lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
            "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
        },
    )
    ds.time.encoding.update(units="days since 1900-01-01", calendar="standard")
    ds.to_netcdf(path, engine="scipy")
    return path


def test_cf_netcdf_series_in_kelvin_and_kg_per_m2_per_second(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """December 2003 .. January 2005 in the files, 2004 (a leap year) kept by --period."""
    import calendar

    from pyproj import Transformer

    w, s, e, n = 300000, 9894000, 306000, 9900000
    to_lonlat = Transformer.from_crs(32737, 4326, always_xy=True)
    lons, lats = to_lonlat.transform([w, e, w, e], [s, s, n, n])
    assert min(lons) > 37.17 and max(lons) < 37.28 and min(lats) > -0.98 and max(lats) < -0.88
    months = [(2003, 12)] + [(2004, m) for m in range(1, 13)] + [(2005, 1)]
    rate = np.array([1e-5 * m for _, m in months])  # kg m-2 s-1
    kelvin = np.array([280.0 + m + 0.25 * (y - 2003) for y, m in months])
    pr = _cf_netcdf(raw / "pr.nc", "pr", "kg m-2 s-1", rate, months)
    tas = _cf_netcdf(raw / "tasmin.nc", "tasmin", "K", kelvin, months)
    args = _replace(_with_communities(raw, tmp_path / "nc"), "--rainfall", str(pr))
    args = _replace(args, "--tmin", str(tas))
    assert main(args) == 1  # December 2003 .. January 2005 is not whole years
    assert "--period 2004-01:2004-12" in capsys.readouterr().err
    assert main([*args, "--period", "2004-01:2004-12"]) == 0
    out = capsys.readouterr().out
    assert "kg m-2 s-1 -> mm/month" in out and "K -> degC" in out
    layers = load_region(tmp_path / "nc").config.layers
    assert (layers.rainfall.kind, layers.rainfall.start) == ("series", "2004-01")
    assert layers.tmin is not None and layers.tmin.start == "2004-01"
    # by hand: 1e-5 m kg m-2 s-1 x 86400 s x days (February 2004: 29 days); K - 273.15
    rain_mm = [1e-5 * m * 86400 * calendar.monthrange(2004, m)[1] for m in range(1, 13)]
    assert rain_mm[1] == pytest.approx(2e-5 * 86400 * 29)
    got = _band_means(tmp_path / "nc" / "data" / "rainfall.tif")
    assert got == pytest.approx(rain_mm, rel=1e-5)
    tmin_c = [280.0 + m + 0.25 - 273.15 for m in range(1, 13)]
    assert _band_means(tmp_path / "nc" / "data" / "tmin.tif") == pytest.approx(tmin_c, abs=1e-4)


def test_an_awy_table_alone_and_invest_watersheds(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import geopandas as gpd
    import pandas as pd
    import shapely

    pd.DataFrame(
        {"lucode": [1, 4], "LULC_desc": ["Maize fields", "Natural forest"], "LULC_veg": [1, 1]}
        | {"root_depth": [1000, 3000], "Kc": [0.8, 1.0]}
    ).to_csv(raw / "biophysical_awy.csv", index=False)
    halves = [shapely.box(x, 9894000, x + 3000, 9900000) for x in (300000, 303000)]
    gpd.GeoDataFrame(
        {"ws_id": [1, 2], "gauge": ["G-01", "G-02"]}, geometry=halves, crs=32737
    ).to_file(raw / "subwatersheds.gpkg")
    args = _with_communities(raw, tmp_path / "a", "--watersheds", str(raw / "subwatersheds.gpkg"))
    i = args.index("--land-use-product")
    args[i : i + 2] = ["--land-use-table", str(raw / "biophysical_awy.csv")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "filled class 1 (Maize fields): cn_a..cn_d = 67/78/85/89" in out
    classes = pd.read_csv(tmp_path / "a" / "land_use_classes.csv").set_index("code")
    assert tuple(classes.loc[4, ["cn_a", "cn_b", "cn_c", "cn_d"]]) == (
        30,
        55,
        70,
        77,
    )  # TR-55 woods
    ws = gpd.read_file(tmp_path / "a" / "data" / "watersheds.gpkg")
    assert sorted(ws["ws_id"]) == ["1", "2"]  # InVEST's ws_id is the id without a flag
    # an id field beside InVEST's ws_id: the ws_id is kept aside, not a crash
    args = [*_replace(args, "--tmin", str(raw / "tmin.tif")), "--watershed-id-field", "gauge"]
    assert main([*args[:1], str(tmp_path / "b"), *args[2:]]) == 0
    assert "kept as 'src_ws_id'" in capsys.readouterr().out
    ws = gpd.read_file(tmp_path / "b" / "data" / "watersheds.gpkg")
    assert sorted(ws["ws_id"]) == ["G-01", "G-02"] and sorted(ws["src_ws_id"]) == [1, 2]
    assert load_region(tmp_path / "b").config.layers.watersheds is not None


def test_dry_run_says_the_plan_and_writes_nothing(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    months = [(y, m) for y in (2001, 2002) for m in range(1, 13)]
    stack = np.stack([np.full((60, 60), 10.0 * m, np.float32) for _, m in months])
    write_tif(raw / "rain24.tif", stack, "EPSG:32737", T, -9999.0)
    out = tmp_path / "r"
    args = _replace(_with_communities(raw, out), "--rainfall", str(raw / "rain24.tif"))
    before = sorted(p.name for p in tmp_path.iterdir())
    # every input's problem at once: the rain has no dates, the tmin file does not exist
    broken = _replace(args, "--tmin", str(raw / "nope.tif"))
    assert main([*broken, "--dry-run"]) == 1
    said = capsys.readouterr().out
    assert "24 bands and no dates" in said and "nope.tif" in said
    assert "2 problem(s) found" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert (
        main([*args, "--start", "2001-01", "--source", "rainfall=Gauge-merged", "--dry-run"]) == 0
    )
    plan = capsys.readouterr().out
    rain = next(line for line in plan.splitlines() if line.startswith("- **rainfall"))
    assert "a series of 24 months from 2001-01" in rain
    assert "12 band(s), 60 x 60 cells of 100 m, EPSG:32737" in plan  # tmin: bands, cells, CRS
    assert "covers 94 % of the area" in plan  # the 6 km inputs on the 6.2 x 4.2 km grid
    assert "source: Gauge-merged" in plan and "source: unknown" in plan
    assert "- data/rainfall.tif (24 bands, mm/month)" in plan
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == before
    # a normal init saves the same plan, and what the run said, in the region
    assert main([*args, "--start", "2001-01", "--source", "rainfall=Gauge-merged"]) == 0
    report = (out / "init-report.md").read_text()
    inputs = plan.split("## Inputs")[1].split("## Written")[0]
    assert inputs in report and "## What the run said" in report
    assert "warning: no source given for" in report
