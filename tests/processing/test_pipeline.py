"""landwater process on the demo region, the zonal CLI, and the Gura (Kenya) real data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely

from landwater.cli import main
from layers.errors import RegionError
from layers.region import load_region
from layers.registry import LayerRegistry
from processing import results_store
from processing.grids import cell_inputs
from processing.kernels.runoff import monthly_runoff_mm
from processing.kernels.water_balance import thornthwaite_mather
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from processing.unit_inputs import unit_balance
from processing.zonal import zonal_stats


@pytest.fixture(scope="module")
def processed(processed_demo: Path) -> Path:
    """The shared demo's store (processed once per session)."""
    return processed_demo / "results"


def test_store_has_every_output(processed: Path) -> None:
    store = ResultsStore(processed)
    manifest = store.manifest
    assert manifest["synthetic"] is True and manifest["months"] == 12
    for name in ("communities.csv", "watersheds.csv", "monthly_communities.csv", "results.gpkg"):
        assert name in manifest["files"]
    comm = store.summary("communities")
    ws = store.summary("watersheds")
    assert 80 <= len(comm) <= 150 and 8 <= len(ws) <= 20
    assert set(gpd.list_layers(processed / "results.gpkg")["name"]) == {"communities", "watersheds"}
    for var in results_store.RASTER_VARIABLES:
        with rasterio.open(store.raster_path(var)) as ds:
            assert ds.crs.to_epsg() == 32737 and np.isfinite(ds.read(1)).mean() > 0.99


def test_annual_figures_are_plausible(processed: Path) -> None:
    comm = ResultsStore(processed).summary("communities")
    assert comm["rain_mm_yr"].between(550, 1700).all()
    assert comm["pet_mm_yr"].between(900, 1800).all()  # Kc x Hargreaves in the highlands
    assert (comm["aet_mm_yr"] <= comm["pet_mm_yr"] + 1e-6).all() and (
        comm["aet_mm_yr"] <= comm["rain_mm_yr"] + 1
    ).all()
    assert comm["stress_index"].between(0, 1).all()
    assert comm["water_yield_mm_yr"].between(0, comm["rain_mm_yr"].max()).all()
    pct = comm[[c for c in comm.columns if c.startswith("lu_") and c.endswith("_pct")]].sum(axis=1)
    np.testing.assert_allclose(pct, 100, atol=0.1)
    np.testing.assert_allclose(
        comm["aet_m3_yr"], comm["aet_mm_yr"] * comm["area_ha"] * 10, rtol=1e-3
    )


def test_monthly_mass_balance_closes(demo_region: Path, processed: Path) -> None:
    reg = LayerRegistry(load_region(demo_region))
    cells = cell_inputs(reg)
    units = reg.units("communities")
    assert units is not None
    wb, params = unit_balance(cells, units, reg)
    assert params["valid"].all()
    closure = np.abs(wb.closure_mm()) / np.maximum(wb.p, 1.0)
    assert closure.max() < 1e-6
    # the long table written to disk closes too (values rounded to 0.001 mm)
    m = ResultsStore(processed).monthly("communities")
    mm = m[m["unit"] == "mm"].pivot_table(
        index=["unit_id", "month"], columns="variable", values="value"
    )
    storage_change = mm["storage"] - mm.groupby(level=0)["storage"].shift(1).fillna(
        mm.groupby(level=0)["storage"].transform("last")
    )
    resid = mm["rain"] - mm["aet"] - mm["runoff"] - mm["recharge"] - storage_change
    assert resid.abs().max() < 0.01


def test_rerun_is_cached_and_force_recomputes(
    demo_region: Path, processed: Path, tiny: tuple[Path, dict[str, object]]
) -> None:
    """A copy of the processed demo is current: processing it again writes nothing. ``force``
    recomputes a current store (on the tiny region: a forced run of the demo is its build)."""
    before = (processed / "manifest.json").stat().st_mtime_ns
    assert process_region(demo_region) == processed
    assert (processed / "manifest.json").stat().st_mtime_ns == before
    root, _ = tiny
    out = process_region(root)
    first = (out / "manifest.json").stat().st_mtime_ns
    assert process_region(root) == out
    assert (out / "manifest.json").stat().st_mtime_ns == first
    process_region(root, force=True)
    assert (out / "manifest.json").stat().st_mtime_ns != first


def test_failed_write_keeps_previous_results(
    tiny: tuple[Path, dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = tiny
    processed = process_region(root)
    before = (processed / "communities.csv").read_bytes()

    def boom(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("processing.pipeline.write_tables", boom)
    with pytest.raises(OSError, match="disk full"):
        process_region(root, force=True)
    assert (processed / "communities.csv").read_bytes() == before
    assert not [p for p in processed.parent.iterdir() if p.name.startswith(".results.")]


def test_invalid_region_is_refused(
    tiny: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = tiny
    (root / "data" / "rain.tif").unlink()
    with pytest.raises(RegionError, match=r"rain\.tif"):
        process_region(root)
    assert main(["process", str(root)]) == 1
    assert "rain.tif: file not found" in capsys.readouterr().err
    assert not (root / "results").exists()


def test_tiny_region_processes(tiny: tuple[Path, dict[str, object]]) -> None:
    root, _ = tiny
    out = process_region(root, root / "out")
    comm = ResultsStore(out).summary("communities")
    assert list(comm["id"]) == ["A", "B", "C", "D"]
    assert comm["rain_mm_yr"].iloc[0] == pytest.approx(sum(10 * m for m in range(1, 13)), rel=1e-3)
    assert comm["lu_cropland_pct"].iloc[0] == 100 and comm["lu_forest_pct"].iloc[1] == 100


def test_zonal_cli_shapefile_in_another_crs(
    demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comm = gpd.read_file(demo_region / "data" / "communities.gpkg").iloc[:5]
    shp = tmp_path / "five.shp"
    comm.to_crs(4326).to_file(shp)
    rain = demo_region / "data" / "rainfall_monthly.tif"
    out = tmp_path / "z.csv"
    args = ["zonal", str(rain), str(shp), "--all-bands", "--stats", "mean,max", "-o", str(out)]
    # shapefiles truncate field names to 10 characters: the error lists the real ones
    assert main([*args, "--id-field", "community_id"]) == 1
    assert "'community_'" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--id-field", "community_"]) == 0
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["community_", "b1_mean", "b2_mean"] and len(table) == 5
    assert "b12_max" in table.columns
    direct = zonal_stats(rain, comm, stats=["mean"], band=4)
    np.testing.assert_allclose(table["b4_mean"], direct["mean"], rtol=1e-9)


def test_zonal_cli_stdout_geojson_and_errors(
    demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gj = tmp_path / "z.geojson"
    gpd.GeoDataFrame(
        {"k": [1]}, geometry=[shapely.box(37.3, -1.45, 37.35, -1.4)], crs=4326
    ).to_file(gj)
    lu = demo_region / "data" / "land_use.tif"
    assert main(["zonal", str(lu), str(gj), "--categorical"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("zone_index,count_") and "area_ha_1" in out[0]
    assert main(["zonal", str(lu), str(gj), "--stats", "mode"]) == 2
    assert main(["zonal", str(tmp_path / "none.tif"), str(gj)]) == 2
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"II*\x00junk")
    assert main(["zonal", str(bad), str(gj)]) == 1
    assert "bad.tif" in capsys.readouterr().err


@pytest.mark.realdata
def test_gura_rasters_through_zonal_and_balance(shared_data: Path) -> None:
    gura = shared_data / "gura_kenya"
    with rasterio.open(gura / "precip_monthly" / "precip_gura_1.tif") as ds:
        left, bottom, right, top = ds.bounds
        crs = ds.crs
    # eight 4 x 6 km blocks over the sub-watershed's raster extent
    xs, ys = np.linspace(left, right, 5), np.linspace(bottom, top, 3)
    blocks = [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(4) for j in range(2)]
    zones = gpd.GeoDataFrame({"block": range(8)}, geometry=blocks, crs=crs)
    rain = np.stack(
        [
            zonal_stats(
                gura / "precip_monthly" / f"precip_gura_{m}.tif", zones, stats=["mean", "nodata"]
            )["mean"].to_numpy()
            for m in range(1, 13)
        ]
    )
    et0 = np.stack(
        [
            zonal_stats(gura / "et0_monthly" / f"ET0_gura_{m}.tif", zones, stats=["mean"])[
                "mean"
            ].to_numpy()
            for m in range(1, 13)
        ]
    )
    ok = np.isfinite(rain).all(axis=0) & np.isfinite(et0).all(axis=0)
    assert ok.sum() >= 4  # int16 -32767 and float32-min nodata are excluded, not averaged in
    rain, et0 = rain[:, ok], et0[:, ok]
    assert ((rain.sum(axis=0) > 500) & (rain.sum(axis=0) < 3000)).all()
    assert ((et0.sum(axis=0) > 800) & (et0.sum(axis=0) < 2000)).all()
    events = pd.read_csv(gura / "rain_events_gura.csv")["events"].to_numpy(dtype=float)
    bio = pd.read_csv(gura / "biophysical_table_gura_SWY.csv")
    cn_b = float(bio.loc[bio["description"] == "General agriculture", "CN_B"].iloc[0])
    days = events[np.arange(rain.shape[0]) % 12]
    runoff = monthly_runoff_mm(rain, np.full(rain.shape[1], cn_b), days)
    wb = thornthwaite_mather(rain, et0 * 0.9, runoff, np.full(rain.shape[1], 150.0))
    assert np.abs(wb.closure_mm()).max() < 1e-6
    annual = {k: getattr(wb, k).sum(axis=0) for k in ("p", "aet", "runoff", "surplus")}
    assert (annual["aet"] < annual["p"]).all() and (annual["runoff"] < 0.5 * annual["p"]).all()
    # a humid highland catchment (about 1,300-1,800 mm of rain) yields water every year
    assert ((annual["runoff"] + annual["surplus"]) > 0.1 * annual["p"]).all()


def test_monthly_series_gives_per_year_figures(tiny: tuple[Path, dict[str, object]]) -> None:
    from tests.regionkit import write_toml

    root, cfg = tiny
    with rasterio.open(root / "data" / "rain.tif") as ds:
        clim, t = ds.read(), ds.transform
    series = np.concatenate([clim, clim * 2, clim[:6]])  # 2020, a wetter 2021, half of 2022
    from tests.regionkit import write_tif

    write_tif(root / "data" / "rain_series.tif", series, "EPSG:4326", t, -9999.0)
    layers = cfg["layers"]
    assert isinstance(layers, dict)
    layers["rainfall"] = {
        "path": "data/rain_series.tif",
        "units": "mm/month",
        "kind": "series",
        "start": "2020-01",
    }
    write_toml(cfg, root / "region.toml")
    out = process_region(root, root / "out")
    store = ResultsStore(out)
    monthly = store.monthly("communities")
    assert sorted(monthly["year"].dropna().unique().tolist()) == [2020, 2021, 2022]
    annual = pd.read_csv(out / "annual_communities.csv", dtype={"unit_id": str})
    rain = annual[
        (annual["variable"] == "rain") & (annual["unit"] == "mm") & (annual["unit_id"] == "A")
    ]
    np.testing.assert_allclose(rain["value"], [780, 1560, 210], rtol=1e-3)
    assert rain["months"].tolist() == [12, 12, 6]
    trends = store.folder / "trends_communities.csv"
    by_year = pd.read_csv(trends, dtype={"unit_id": str}).query("unit_id == 'A'")
    assert by_year["year"].tolist() == [2020, 2021]  # half of 2022 is left out
    np.testing.assert_allclose(by_year["rain_mm"], [780, 1560], rtol=1e-3)
    np.testing.assert_allclose(by_year["rain_anomaly_pct"], [-100 / 3, 100 / 3], rtol=1e-3)
    assert by_year["dry_year"].tolist() == [True, False]  # 780 < 780 + 0.2 x 780
    assert "trends" in store.manifest["outputs"]["tables"]
    # the Excel export's trends sheet, described in its README sheet; the CLI's trends CSV
    from landwater.cli import main
    from processing import output_spec

    xlsx, csv = root / "communities.xlsx", root / "trends.csv"
    assert main(["export", str(root), "-o", str(xlsx), "--only", "A"]) == 0
    sheet = pd.read_excel(xlsx, sheet_name="trends", dtype={"unit_id": str})
    assert sheet["year"].tolist() == [2020, 2021] and sheet["dry_year"].tolist() == [True, False]
    readme = pd.read_excel(xlsx, sheet_name="README").fillna("").set_index("item")
    dry = output_spec.resolve("dry_year", "trends")[0]
    assert readme.loc["trends column dry_year", "method"] == dry.method
    assert main(["export", str(root), "-o", str(csv), "--table", "trends"]) == 0
    assert set(pd.read_csv(csv, dtype={"unit_id": str})["unit_id"]) == {"A", "B", "C", "D"}
    # the summary is the mean annual figure over the 30 months
    comm = store.summary("communities")
    assert comm.loc[0, "rain_mm_yr"] == pytest.approx((780 + 1560 + 210) / 2.5, rel=1e-3)
