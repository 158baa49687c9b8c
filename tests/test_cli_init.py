"""``landwater init`` and ``landwater calibrate`` on small synthetic inputs: a working build,
and every refusal naming the file or option, leaving nothing behind."""

from __future__ import annotations

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
from tests.regionkit import write_raw_inputs, write_tif

T = Affine(100.0, 0, 300000.0, 0, -100.0, 9900000.0)  # UTM 37S, 100 m cells, 60 x 60


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A tilted DEM with a valley, generic land use, 12-band rain, Tmin/Tmax, communities."""
    return write_raw_inputs(tmp_path / "raw")


def _args(src: Path, out: Path, *extra: str) -> list[str]:
    return [
        "init", str(out), "--name", "Tiny",
        "--dem", str(src / "dem.tif"),
        "--land-use", str(src / "lu.tif"), "--land-use-product", "generic",
        "--rainfall", str(src / "rain.tif"),
        "--tmin", str(src / "tmin.tif"), "--tmax", str(src / "tmax.tif"),
        "--resolution-m", "100", *extra,
    ]  # fmt: skip


def test_init_builds_a_valid_region(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "region"
    sites = gpd.GeoDataFrame(
        {"site_id": ["P1", "P2"], "name": ["Pan", "Far"], "type": ["pan"] * 2, "cost": [5, 6]},
        geometry=[shapely.Point(302000, 9896000), shapely.Point(900000, 9000000)],
        crs=32737,
    )
    sites.to_file(raw / "sites.gpkg")
    for var in ("prec", "tmin", "tmax"):  # a future climate, named as WorldClim's
        rain = rasterio.open(raw / "rain.tif")
        meta = {**rain.meta, "count": 12}
        with rasterio.open(raw / f"wc2.1_30s_{var}_MIROC6_ssp585_2081-2100.tif", "w", **meta) as f:
            f.write(rain.read())
        rain.close()
    args = _args(raw, out, "--communities", str(raw / "communities.gpkg"), "--id-field", "code")
    args += ["--future", str(raw / "wc2.1_*.tif")]
    assert main([*args, "--min-watershed-km2", "2", "--sites", str(raw / "sites.gpkg")]) == 0
    kept = gpd.read_file(out / "data" / "project_sites.gpkg")
    assert list(kept["site_id"]) == ["P1"] and list(kept["src_cost"]) == [5]  # P2 is outside
    cfg = load_region(out).config
    assert cfg.region.crs == "EPSG:32737" and cfg.layers.communities.id_field == "code"
    assert [f.path for f in cfg.futures] == [str(raw / "wc2.1_*.tif")]  # never copied
    assert cfg.layers.rainfall.kind == "climatology"
    with rasterio.open(out / "data" / "rainfall.tif") as ds:
        assert ds.count == 12 and ds.res == (100.0, 100.0)
        assert float(np.nanmean(ds.read(5))) == pytest.approx(80.0)  # May: 20 + 15 x 4
    ws = gpd.read_file(out / "data" / "watersheds.gpkg")
    assert len(ws) >= 1 and (ws["area_km2"] >= 2).all()
    assert main(["validate", str(out)]) == 0
    # no soil layer: the starter profiles leave out soil criteria
    layers = {c.layer for iv in cfg.interventions for c in iv.criteria}
    assert "soil_hsg" not in layers and "slope_pct" in layers
    assert main(["process", str(out)]) == 0
    assert not [p for p in tmp_path.iterdir() if ".init." in p.name]


def test_init_refusals(raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "region"
    comm = ["--communities", str(raw / "communities.gpkg"), "--id-field", "code"]
    cases = [
        (["init", str(out), "--dem", str(raw / "dem.tif")], "no land use"),
        (
            [*_args(raw, out, *comm)[:-2], "--dem", str(raw / "nope.tif")],
            "nope.tif: file not found",
        ),
        (_args(raw, out), "no communities: give --communities FILE or --hex-size-km"),
        (
            _args(raw, out, *comm, "--outlets", str(raw / "missing.shp")),
            "missing.shp: file not found",
        ),
        (
            _args(raw, out, "--communities", str(raw / "communities.gpkg"), "--id-field", "nope"),
            "give --id-field",
        ),
        (
            _args(raw, out, *comm, "--future", str(raw / "rain.tif")),
            "rain.tif: not a known future climatology name; expected wc2.1_<res>",
        ),
    ]
    for args, message in cases:
        assert main(args) == 1, message
        assert message in capsys.readouterr().err
        assert not out.exists()
    # a class table that cannot be completed (no known class, no keyword) names the class
    pd.DataFrame({"code": [1, 4], "name": ["Zone A", "Forest"]}).to_csv(raw / "lu.csv", index=False)
    args = _args(raw, out, *comm)
    i = args.index("--land-use-product")
    args[i : i + 2] = ["--land-use-table", str(raw / "lu.csv")]
    assert main(args) == 1
    assert (
        "1 (Zone A) lacks cn_a..cn_d, kc, root_depth_m" in capsys.readouterr().err
        and not out.exists()
    )
    # a non-empty target is left alone
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(_args(raw, out, *comm)) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if ".init." in p.name]


def test_calibrate_needs_a_series(
    demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "flow.csv"
    flow.write_text("date,flow\n2000-01,1\n")
    args = ["calibrate", str(demo_region), "--watershed", "W01", "--observed", str(flow)]
    assert main([*args, "--calibration", "2000-01:2000-12", "--validation", "2001-01:2001-12"]) == 1
    assert "needs a monthly rainfall series" in capsys.readouterr().err


def test_init_from_a_toml_file(raw: Path, tmp_path: Path) -> None:
    """The wizard-like file: the same options, paths relative to the file."""
    (raw / "init.toml").write_text(
        'name = "From file"\ndem = "dem.tif"\nland_use = "lu.tif"\n'
        'land_use_product = "generic"\nrainfall = "rain.tif"\ntmin = "tmin.tif"\n'
        'tmax = "tmax.tif"\ncommunities = "communities.gpkg"\nid_field = "code"\n'
        "resolution_m = 100.0\nmin_watershed_km2 = 2.0\n"
    )
    out = tmp_path / "from_file"
    assert main(["init", str(out), "--from", str(raw / "init.toml")]) == 0
    cfg = load_region(out).config
    assert cfg.region.name == "From file" and cfg.layers.communities.id_field == "code"
    (raw / "init.toml").write_text('name = "x"\nrainfal = "rain.tif"\n')
    assert main(["init", str(tmp_path / "typo"), "--from", str(raw / "init.toml")]) == 1


def test_init_takes_chirps_daily_files_and_writes_their_monthly_sums(
    raw: Path, tmp_path: Path
) -> None:
    daily = raw / "chirps_daily"
    days = pd.date_range("2000-12-20", "2001-12-31", freq="D")  # December 2000 is not whole
    rng = np.random.default_rng(3)
    depth = rng.exponential(12.0, len(days)) * (rng.random(len(days)) < 0.4)
    for day, mm in zip(days, depth, strict=True):
        grid = np.full((60, 60), mm, np.float32)
        write_tif(daily / f"chirps-v2.0.{day:%Y.%m.%d}.tif", grid[None], "EPSG:32737", T, -9999.0)
    out = tmp_path / "region"
    drop = ("--rainfall", str(raw / "rain.tif"), "--dem", str(raw / "dem.tif"))
    args = [a for a in _args(raw, out) if a not in drop]
    args += ["--rainfall-daily", str(daily), "--communities", str(raw / "communities.gpkg")]
    assert main([*args, "--id-field", "code"]) == 0
    rain = load_region(out).config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2001-01")
    assert rain.daily is not None and rain.daily.path == "data/rain_daily"
    kept = days[days >= "2001-01-01"]
    assert len(list((out / "data" / "rain_daily").glob("rain_*.tif"))) == len(kept)
    expected = pd.Series(depth, index=days)["2001"].resample("MS").sum().to_numpy()
    with rasterio.open(out / "data" / "rainfall.tif") as ds:
        assert ds.count == 12
        got = [float(np.nanmean(ds.read(b))) for b in range(1, 13)]
    assert got == pytest.approx(expected, rel=1e-5)
    assert main(["validate", str(out)]) == 0


def test_init_keeps_daily_station_rain_for_the_curve_number(raw: Path, tmp_path: Path) -> None:
    days = pd.date_range("2000-11-15", "2002-01-10", freq="D")
    rng = np.random.default_rng(5)
    lonlat = {"west": (36.81, -0.92), "east": (36.83, -0.91)}
    rows = []
    depths = {}
    for sid, (lon, lat) in lonlat.items():
        depths[sid] = rng.exponential(10.0, len(days)) * (rng.random(len(days)) < 0.4)
        frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "precip_mm": depths[sid]})
        frame.to_csv(raw / f"{sid}.csv", index=False)
        rows.append({"station_id": sid, "lon": lon, "lat": lat, "elevation_m": 1600,
                     "rain_file": f"{sid}.csv"})  # fmt: skip
    pd.DataFrame(rows).to_csv(raw / "stations.csv", index=False)
    out = tmp_path / "region"
    args = [a for a in _args(raw, out) if a not in ("--rainfall", str(raw / "rain.tif"))]
    args += ["--stations", str(raw / "stations.csv"), "--period", "2001-01:2001-12"]
    assert main([*args, "--communities", str(raw / "communities.gpkg"), "--id-field", "code"]) == 0
    rain = load_region(out).config.layers.rainfall
    assert (rain.kind, rain.start) == ("series", "2001-01")
    assert rain.daily is not None and rain.daily.stations == "data/stations/stations.csv"
    kept = pd.read_csv(out / "data" / "stations" / "stations.csv")
    assert list(kept["station_id"]) == ["west", "east"]
    copied = pd.read_csv(out / "data" / "stations" / kept["rain_file"].iloc[0])
    np.testing.assert_allclose(copied["precip_mm"], depths["west"])
    # every cell's monthly rain lies between the two gauges' sums of the month's days
    sums = {s: pd.Series(d, index=days)["2001"].resample("MS").sum() for s, d in depths.items()}
    lo = np.minimum(sums["west"], sums["east"]).to_numpy()
    hi = np.maximum(sums["west"], sums["east"]).to_numpy()
    with rasterio.open(out / "data" / "rainfall.tif") as ds:
        field = ds.read()
    assert field.shape[0] == 12
    assert (field.min(axis=(1, 2)) >= lo * (1 - 1e-6)).all()
    assert (field.max(axis=(1, 2)) <= hi * (1 + 1e-6)).all()
    assert main(["validate", str(out)]) == 0
