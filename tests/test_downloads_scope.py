"""Downloads limited to the selection or a drawn area, raster clips from the panel, and the
printable shortlist brief (CLI and server)."""

from __future__ import annotations

import base64
import io
import re
from html import escape
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
import shapely.affinity
import shapely.geometry

from dashboard.downloads import download_view
from dashboard.service import RegionService
from landwater.cli import main
from layers.workspace import Workspace
from processing.glossary import term
from processing.sites import SitePlanner


@pytest.fixture(scope="module")
def service(demo_planner: SitePlanner, demo_region: Path) -> RegionService:
    return RegionService(demo_region).prepare()


def _area(service: RegionService, ids: list[str]) -> tuple[dict[str, Any], shapely.Geometry]:
    """A drawn area (GeoJSON geometry, lon/lat): the hull of some communities, shrunk 5 %."""
    units, id_field = service.units("communities")
    assert units is not None
    chosen = units[units[id_field].astype(str).isin(ids)]
    hull = chosen.geometry.union_all().convex_hull
    hull = shapely.affinity.scale(hull, 0.95, 0.95)
    lonlat = gpd.GeoSeries([hull], crs=units.crs).to_crs(4326).iloc[0]
    return shapely.geometry.mapping(lonlat), hull


def _choice(**kw: str) -> dict[str, str]:
    base = {"level": "community", "format": "csv", "table": "summary", "layer": "", "scope": "all"}
    return base | kw


def _payload(data: dict[str, Any]) -> bytes:
    return base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()


def test_only_the_drawn_area_exports_the_units_it_touches(service: RegionService) -> None:
    area, hull = _area(service, ["C001", "C002"])
    units, id_field = service.units("communities")
    assert units is not None
    expected = set(units[units.intersects(hull)][id_field].astype(str))
    assert {"C001", "C002"} <= expected < set(units[id_field].astype(str))
    data, msg = download_view(service, None, _choice(scope="area"), None, area, None)
    table = pd.read_csv(io.BytesIO(_payload(data)), dtype={"community_id": str})
    assert set(table["community_id"]) == expected and ".csv" in msg
    # the same area for watersheds
    data, _ = download_view(
        service, None, _choice(level="watershed", scope="area"), None, area, None
    )
    assert len(pd.read_csv(io.BytesIO(_payload(data)))) >= 1


def test_raster_clip_of_a_drawn_area_matches_the_layer(
    service: RegionService, tmp_path: Path
) -> None:
    area, hull = _area(service, ["C003"])
    data, msg = download_view(
        service, None, _choice(format="tif", layer="deficit", scope="area"), None, area, None
    )
    assert data["filename"].endswith(".tif") and "_deficit_area_" in data["filename"]
    assert data["filename"] in msg
    out = tmp_path / data["filename"]
    out.write_bytes(_payload(data))
    source = service.results.raster_path("deficit")  # type: ignore[union-attr]
    with rasterio.open(out) as clip, rasterio.open(source) as full:
        assert clip.crs == full.crs and clip.res == full.res
        w, s, e, n = hull.bounds
        assert clip.bounds.left <= w + clip.res[0] and clip.bounds.right >= e - clip.res[0]
        assert clip.bounds.left >= w - clip.res[0] and clip.bounds.top <= n + clip.res[1]
        assert clip.bounds.bottom >= s - clip.res[1] and clip.bounds.top >= n - clip.res[1]
        window = rasterio.windows.from_bounds(*clip.bounds, transform=full.transform)
        ref = full.read(1, window=window.round_offsets().round_lengths())
        got = clip.read(1, masked=True)
        inside = ~np.ma.getmaskarray(got)
        assert inside.sum() > 100
        np.testing.assert_array_equal(got.data[inside], ref[inside])
        # a cell centre outside the drawn area is nodata
        xs, ys = rasterio.transform.xy(clip.transform, *np.nonzero(~inside))
        assert not any(
            hull.contains(shapely.Point(x, y)) for x, y in zip(xs[:50], ys[:50], strict=True)
        )


def test_scope_messages(service: RegionService) -> None:
    assert download_view(service, None, _choice(scope="selection"), None, None, None)[1] == (
        "Select a unit on the map first."
    )
    assert "design page" in download_view(service, None, _choice(scope="area"), None, None, "en")[1]
    msg = download_view(service, None, _choice(format="tif", layer="rainfall"), None, None, None)[1]
    assert "selected unit or a drawn area" in msg
    sel = {"level": "communities", "id": "C004"}
    msg = download_view(
        service, None, _choice(format="tif", layer="nope", scope="selection"), sel, None, None
    )[1]
    assert "unknown layer 'nope'" in msg
    data, _ = download_view(
        service, None, _choice(format="tif", layer="land_use", scope="selection"), sel, None, None
    )
    assert "_land_use_community_c004_" in data["filename"]


def test_shortlist_brief_cli_and_route(
    demo_planner: SitePlanner, service: RegionService, demo_region: Path, tmp_path: Path
) -> None:
    from dashboard.app import create_app

    sites = [
        ev.to_dict() | {"note": f"pick {i}"}
        for i, ev in enumerate(demo_planner.recommend_sites("farm_ponds", 4, 800.0))
    ]
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    ws = Workspace.for_region(demo_region, url)
    rec = ws.save_shortlist("Ponds <phase 2>", sites, intervention="farm_ponds", author="Amina")
    client = create_app(demo_region, url).server.test_client()
    resp = client.get(f"/brief/shortlist/{rec.id}.html")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert "Ponds &lt;phase 2&gt;" in page and "<phase 2>" not in page  # escaped
    assert "Amina" in page and "data:image/png;base64," in page and "@media print" in page
    for s in sites:
        assert f"{s['lon']:.5f}, {s['lat']:.5f}" in page
        assert f"{s['score']:,.2f}" in page and s["note"] in page
    assert page.count("<tr>") >= 1 + len(sites) + len(sites[0]["criteria"])
    assert "<h2>What the figures mean</h2>" in page
    # the map's dots carry the sites' numbers (# of the table), with a scale bar and legend
    for k in range(1, len(sites) + 1):
        assert f'text-anchor="middle">{k}</text>' in page
    assert re.search(r'class="scale-bar".*?>(\d+ k?m)</text>', page)
    legend = page[page.index('class="map-legend"') :]
    assert "site, numbered as # in the sites table" in legend
    assert any(e.name in legend for e in service.land_use_legend())
    assert escape(term("rain").means) in page  # the sites' rainfall, from the glossary
    assert client.get(f"/brief/shortlist/{rec.id + 99}.html").status_code == 404
    assert client.get("/brief/shortlist/..%2F..%2Fetc.html").status_code == 404
    # the CLI reads the region's own workspace
    region_ws = Workspace.for_region(demo_region)
    saved = region_ws.save_shortlist("CLI brief", sites[:2], intervention="farm_ponds")
    try:
        out = tmp_path / "shortlist.html"
        assert main(["brief", str(demo_region), "--shortlist", str(saved.id), "-o", str(out)]) == 0
        assert "CLI brief" in out.read_text() and "2 site(s)" in out.read_text()
        bad = tmp_path / "none.html"
        assert main(["brief", str(demo_region), "--shortlist", "9999", "-o", str(bad)]) == 1
        assert not bad.exists()
    finally:
        region_ws.delete_shortlist(saved.id)


def _private_tempdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point this process's temporary files at a folder no other test worker writes to.

    The export folders are compared before and after; in the shared temporary folder,
    another worker's export in the same second would look like a folder left behind.
    """
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_streamed_export_route(
    demo_planner: SitePlanner, demo_region: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dashboard.app import create_app

    client = create_app(demo_region).server.test_client()
    temp = _private_tempdir(monkeypatch, tmp_path)
    resp = client.get("/export/community/csv?table=summary")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    table = pd.read_csv(io.BytesIO(resp.get_data()), dtype={"community_id": str})
    resp.close()
    assert len(table) == len(RegionService(demo_region).prepare().summary("communities"))
    one = client.get("/export/watershed/xlsx?only=W01")
    sheets = pd.read_excel(io.BytesIO(one.get_data()), sheet_name=None)
    one.close()
    assert len(sheets["summary"]) == 1 and "README" in sheets
    tif = client.get("/export/community/tif?only=C004&layer=deficit")
    assert tif.status_code == 200 and tif.get_data()[:2] in (b"II", b"MM")
    tif.close()
    assert client.get("/export/community/tif?layer=deficit").status_code == 400
    bad = client.get("/export/community/csv?only=C999")
    assert bad.status_code == 400 and "C999" in bad.get_data(as_text=True)
    assert client.get("/export/country/csv").status_code == 404
    assert client.get("/export/community/exe").status_code == 404
    page = client.get("/export/../../region.toml")  # normalised to /region.toml: the app page
    assert page.mimetype == "text/html" and "[region]" not in page.get_data(as_text=True)
    assert list(temp.iterdir()) == []  # every export's folder removed


def test_streamed_export_failure_leaves_no_file(
    demo_planner: SitePlanner, demo_region: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dashboard import downloads
    from dashboard.app import create_app

    def half_written(
        _service: object, _ws: object, _level: str, _fmt: str, folder: Path, *_: object
    ) -> Path:
        (folder / "half.xlsx").write_bytes(b"PK")  # a file begun, then the build fails
        raise RuntimeError("disk full")

    app = create_app(demo_region)
    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(downloads, "build_export", half_written)
    temp = _private_tempdir(monkeypatch, tmp_path)
    assert app.server.test_client().get("/export/community/xlsx").status_code == 500
    assert list(temp.iterdir()) == []
