"""Exports read back with the library an analyst would use, and the CLI's exit codes."""

from __future__ import annotations

from html import escape
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import rasterio
from rasterio import features

from landwater.cli import main
from layers.region import load_region
from layers.registry import LayerRegistry
from processing import output_spec
from processing.glossary import term as glossary_term
from processing.results_store import ResultsStore
from processing.sites import SitePlanner


@pytest.fixture(scope="module")
def store(demo_planner: SitePlanner, demo_region: Path) -> ResultsStore:
    return ResultsStore(demo_region / "results")


def _export(region: Path, out: Path, *extra: str) -> int:
    return main(["export", str(region), "-o", str(out), *extra])


def test_csv_keeps_the_users_attributes_and_matches_the_store(
    demo_region: Path, store: ResultsStore, tmp_path: Path
) -> None:
    out = tmp_path / "communities.csv"
    assert _export(demo_region, out) == 0
    table = pd.read_csv(out, dtype={"community_id": str})
    own = gpd.read_file(demo_region / "data" / "communities.gpkg")
    summary = store.summary("communities")
    assert len(table) == len(own) == len(summary)
    assert table["community_id"].tolist() == own["community_id"].astype(str).tolist()
    for col in ("name", "population", "households"):  # the user's own columns, untouched
        assert table[col].tolist() == own[col].tolist()
    merged = table.merge(summary, left_on="community_id", right_on="id", suffixes=("", "_s"))
    for col in ("rain_mm_yr", "deficit_m3_yr", "suit_farm_ponds_score", "crop_maize_score"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_s"])
    assert table["rain_m3_yr"].sum() == pytest.approx(summary["rain_m3_yr"].sum())
    sites = pd.read_csv(demo_region / "data" / "project_sites.csv")
    site_cols = [c for c in table.columns if c.startswith("sites_")]
    assert site_cols and table[site_cols].to_numpy().sum() <= len(sites)
    assert any(c.endswith("_mm_yr") for c in table.columns)  # units in the names


def test_xlsx_sheets_and_readme(demo_region: Path, store: ResultsStore, tmp_path: Path) -> None:
    out = tmp_path / "communities.xlsx"
    assert _export(demo_region, out, "--only", "C001,C002") == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    assert {"summary", "monthly", "suitability", "crops", "README"} <= set(wb.sheetnames)
    summary = pd.read_excel(out, sheet_name="summary", dtype={"community_id": str})
    assert summary["community_id"].tolist() == ["C001", "C002"]
    monthly = pd.read_excel(out, sheet_name="monthly", dtype={"unit_id": str})
    assert set(monthly["unit_id"]) == {"C001", "C002"}
    assert {"unit_id", "year", "month", "variable", "value", "unit"} <= set(monthly.columns)
    readme = pd.read_excel(out, sheet_name="README")
    text = readme.astype(str).to_string()
    config = load_region(demo_region).config
    for role, spec in config.layers:
        if spec is not None:
            assert f"layer {role}" in text and spec.source in text and spec.licence in text
    assert "Demo highlands" in text and "stress_index" in text
    rows = readme.fillna("").set_index("item")
    for item, entry in (
        ("summary column <var>_mm_yr", output_spec.resolve("rain_mm_yr")[0]),
        ("suitability column excluded_ha", output_spec.resolve("excluded_ha", "suitability")[0]),
        ("variable baseflow", output_spec.resolve("baseflow", "variables")[0]),
        ("exports column sites_<type>", output_spec.resolve("sites_x", "exports")[0]),
    ):
        row = rows.loc[item]
        assert (row["value"], row["units / source"], row["method"]) == (
            entry.meaning,
            entry.units,
            entry.method,
        )
    assert "annual column year" not in rows.index  # a climatology has no annual table
    # which water figure to use, from the glossary, ahead of the columns
    assert rows.loc["water figures", "value"] == output_spec.WATER_STORY
    for key in ("runoff", "recharge", "stress_index", "water_yield_mm_yr"):
        term = glossary_term(key)
        row = rows.loc[f"glossary {key}"]
        assert row["value"] == f"{term.label}: {term.means} {term.use}"
        assert row["units / source"] == term.units
    assert "InVEST-compatible cross-check" in rows.loc["glossary water_yield_mm_yr", "value"]
    items = list(rows.index)
    assert items.index("glossary rain") < items.index("summary column <var>_mm_yr")


def test_geojson_and_geopackage(demo_region: Path, store: ResultsStore, tmp_path: Path) -> None:
    gj = tmp_path / "w.geojson"
    assert _export(demo_region, gj, "--level", "watershed") == 0
    ws = gpd.read_file(gj)
    assert ws.crs.to_epsg() == 4326 and len(ws) == len(store.summary("watersheds"))
    assert ws["deficit_mm_yr"].notna().all()
    gpkg = tmp_path / "all.gpkg"
    assert _export(demo_region, gpkg) == 0
    layers = dict(pyogrio.list_layers(gpkg))
    assert {"communities", "watersheds", "project_sites"} <= set(layers)
    comm = gpd.read_file(gpkg, layer="communities")
    assert len(comm) == len(store.summary("communities")) and comm.crs.to_epsg() == 32737


def test_clip_to_a_community(demo_planner: SitePlanner, demo_region: Path, tmp_path: Path) -> None:
    out = tmp_path / "deficit_C010.tif"
    assert (
        main(
            ["clip", str(demo_region), "--layer", "deficit", "--community", "C010", "-o", str(out)]
        )
        == 0
    )
    reg = LayerRegistry(load_region(demo_region))
    comm = reg.communities[reg.communities["community_id"] == "C010"]
    with (
        rasterio.open(out) as clip,
        rasterio.open(demo_region / "results" / "rasters" / "deficit_mm_yr.tif") as full,
    ):
        assert clip.crs == full.crs and clip.res == full.res
        w, s, e, n = comm.total_bounds
        assert clip.bounds.left <= w and clip.bounds.right >= e
        assert clip.bounds.bottom <= s and clip.bounds.top >= n
        assert clip.bounds.right - clip.bounds.left < (e - w) + 2 * full.res[0]
        data = clip.read(1)
        inside = (
            features.rasterize(comm.geometry, out_shape=data.shape, transform=clip.transform) > 0
        )
        window = rasterio.windows.from_bounds(*clip.bounds, transform=full.transform)
        ref = full.read(1, window=window)
        np.testing.assert_allclose(data[inside], ref[inside])
        assert np.isnan(data[~inside]).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--only", "C999"], "unknown community id(s): C999"),
        (["export", "--format", "csv", "--table", "crops", "--level", "watershed"], None),
        (["clip", "--layer", "nope", "--community", "C001"], "unknown layer 'nope'"),
        (["clip", "--layer", "rainfall", "--community", "C999"], "unknown community id(s): C999"),
    ],
)
def test_cli_messages(
    demo_planner: SitePlanner,
    demo_region: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str | None,
) -> None:
    out = tmp_path / "out.csv" if args[0] == "export" else tmp_path / "out.tif"
    code = main([args[0], str(demo_region), *args[1:], "-o", str(out)])
    if message is None:
        assert code == 0 and len(pd.read_csv(out)) > 0
    else:
        assert code == 1 and message in capsys.readouterr().err
        assert not out.exists()


def test_unwritable_path(
    demo_planner: SitePlanner, demo_region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _export(demo_region, blocker / "out.csv") == 1
    assert "cannot write" in capsys.readouterr().err


def test_dashboard_export_bytes(demo_planner: SitePlanner, demo_region: Path) -> None:
    import datetime as dt
    import io

    from dashboard.export_files import export_bytes
    from dashboard.service import RegionService

    service = RegionService(demo_region).prepare()
    name, data = export_bytes(service, None, "community", "csv")
    assert name == f"landwater_demo_highlands_synthetic_communities_{dt.date.today()}.csv"
    table = pd.read_csv(io.BytesIO(data), dtype={"community_id": str})
    assert len(table) == len(service.summary("communities"))
    name, data = export_bytes(service, None, "watershed", "csv", "monthly", ["W01"])
    assert "_watersheds_w01_monthly_" in name  # one unit's file is named after it
    assert set(pd.read_csv(io.BytesIO(data), dtype={"unit_id": str})["unit_id"]) == {"W01"}
    with pytest.raises(ValueError, match="unknown community"):
        export_bytes(service, None, "community", "xlsx", only=["nope"])
    assert not list(demo_region.glob("landwater_*"))  # nothing written in the region


def test_brief_from_the_cli_and_the_server(
    demo_planner: SitePlanner, demo_region: Path, store: ResultsStore, tmp_path: Path
) -> None:
    from dashboard.app import create_app

    out = tmp_path / "brief.html"
    assert main(["brief", str(demo_region), "--community", "C010", "-o", str(out)]) == 0
    page = out.read_text()
    row = store.summary("communities").set_index("id").loc["C010"]
    assert str(row["name"]) in page and "community C010" in page
    assert f"{row['rain_m3_yr']:,.0f}" in page  # annual totals from the store
    assert "data:image/png;base64," in page and "<svg" in page and "@media print" in page
    assert "Suitability for interventions" in page and "SYNTHETIC DATA" in page
    # what the figures mean, from the glossary, escaped (InVEST's -> InVEST&#x27;s)
    assert "<h2>What the figures mean</h2>" in page and escape(output_spec.WATER_STORY) in page
    for key in ("runoff_mm_yr", "recharge_mm_yr", "stress_index", "water_yield_mm_yr"):
        term = glossary_term(key)
        assert escape(term.means) in page and escape(term.use) in page, key
    assert "InVEST&#x27;s annual water yield" in page and "InVEST's annual" not in page
    assert page.count("Water yield (Budyko, InVEST cross-check)") == 2  # the row and the gloss
    client = create_app(demo_region).server.test_client()
    resp = client.get("/brief/watersheds/W01.html")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert client.get("/brief/communities/C999.html").status_code == 404
    assert client.get("/brief/../../etc/passwd.html").status_code == 404
    assert client.get("/brief/sites/S001.html").status_code == 404
    assert (
        main(["brief", str(demo_region), "--community", "C999", "-o", str(tmp_path / "x.html")])
        == 1
    )
    assert not (tmp_path / "x.html").exists()
