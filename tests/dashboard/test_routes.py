"""Routes and layout of the map page, through Flask's test client (no browser)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import geobuf
import numpy as np
import orjson
import pytest
from flask.testing import FlaskClient
from PIL import Image

from dashboard.app import create_app
from dashboard.map_layout import rainfall_url
from dashboard.map_views import selected_summary
from dashboard.tiles import valid_tile


@pytest.fixture(scope="module")
def processed_region(processed_demo: Path) -> Path:
    return processed_demo


@pytest.fixture(scope="module")
def client(processed_region: Path) -> FlaskClient:
    return create_app(processed_region).server.test_client()


def test_page_serves_the_app(client: FlaskClient) -> None:
    resp = client.get("/")
    assert resp.status_code == 200 and b"Demo highlands (synthetic)" in resp.data


@pytest.mark.parametrize("layer", ["land_use", "rainfall_annual", "hillshade", "rainfall"])
def test_tiles_are_pngs_with_data(client: FlaskClient, layer: str) -> None:
    resp = client.get(f"/tiles/{layer}/12/2473/2063.png")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    img = Image.open(io.BytesIO(resp.data)).convert("RGBA")
    assert img.size == (256, 256)
    alpha = img.getchannel("A")
    assert alpha.getextrema()[1] == 255  # some opaque pixels: the tile is over the region


def test_tile_outside_region_is_transparent(client: FlaskClient) -> None:
    resp = client.get("/tiles/land_use/12/0/0.png")
    assert resp.status_code == 200
    assert Image.open(io.BytesIO(resp.data)).convert("RGBA").getchannel("A").getextrema() == (0, 0)


@pytest.mark.parametrize(
    "url",
    [
        "/tiles/nope/12/2473/2063.png",
        "/tiles/land_use/12/99999/2063.png",
        "/tiles/land_use/25/1/1.png",
        "/tiles/rainfall/12/2473/2063.png?band=13",
        "/geo/nope.geojson",
        "/geo/..%2F..%2Fregion.toml.geojson",
        "/geo/nope.pbf",
        "/geo/..%2F..%2Fregion.toml.pbf",
        "/geo/communities.geojson",  # the communities go as geobuf
        "/geo/sites.pbf",  # the sites as GeoJSON
    ],
)
def test_bad_requests_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_monthly_rain_tiles_differ(client: FlaskClient) -> None:
    apr = client.get("/tiles/rainfall/12/2473/2063.png?band=4").data
    jul = client.get("/tiles/rainfall/12/2473/2063.png?band=7").data
    assert apr != jul


def test_map_layers_are_gzipped_and_complete(client: FlaskClient) -> None:
    resp = client.get("/geo/communities.pbf")
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.mimetype == "application/x-protobuf"
    assert len(resp.data) < 500_000
    fc = geobuf.decode(gzip.decompress(resp.data))
    assert 80 <= len(fc["features"]) <= 150
    props = fc["features"][0]["properties"]
    assert set(props) == {"id", "i", "name", "area_ha", "tooltip"}
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0]
    assert 37.0 < lon < 37.7 and -1.7 < lat < -1.1
    watersheds = geobuf.decode(gzip.decompress(client.get("/geo/watersheds.pbf").data))
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in watersheds["features"])
    sites = orjson.loads(gzip.decompress(client.get("/geo/sites.geojson").data))
    assert all(f["geometry"]["type"] == "Point" for f in sites["features"])


def test_valid_tile_bounds() -> None:
    assert valid_tile(0, 0, 0) and valid_tile(3, 7, 7)
    assert not valid_tile(3, 8, 0) and not valid_tile(-1, 0, 0) and not valid_tile(21, 0, 0)


def test_rainfall_url() -> None:
    assert rainfall_url(0) == "/tiles/rainfall_annual/{z}/{x}/{y}.png"
    assert rainfall_url(4).endswith("?band=4")


def test_selected_summary_shows_name_and_area() -> None:
    div = selected_summary({"properties": {"name": "Kithi", "id": "C007", "area_ha": 1234.5}})  # type: ignore[arg-type]
    text = str(div)
    assert "Kithi" in text and "id C007 · 1,234 ha" in text


def test_choropleth_view_matches_the_results_store(processed_region: Path) -> None:
    from dashboard.indicators import class_indices
    from dashboard.map_views import choropleth_view, profile_view
    from dashboard.service import RegionService
    from processing.results_store import ResultsStore

    service = RegionService(processed_region).prepare()
    summary = ResultsStore(processed_region / "results").summary("communities")
    first = summary.iloc[0]
    hide, legend = choropleth_view(service, "deficit", selected=first["id"])
    # one class per map feature, in the layer's order (its "i" property)
    features = geobuf.decode(gzip.decompress(service.geojson["communities"].read_bytes()))
    order = [f["properties"]["id"] for f in features["features"]]
    assert [f["properties"]["i"] for f in features["features"]] == list(range(len(order)))
    classes = hide["classes"]
    assert isinstance(classes, str) and len(classes) == len(order) == len(summary)
    limits = hide["limits"]
    assert isinstance(limits, list)
    deficit = summary.set_index("id")["deficit_mm_yr"]
    pos = order.index(first["id"])
    assert classes[pos] == str(class_indices(np.array([first["deficit_mm_yr"]]), limits)[0])
    # every class holds values between its legend limits
    for cid, c in zip(order, classes, strict=True):
        k = int(c)
        assert limits[k] <= deficit[cid] <= limits[k + 1]
    assert hide["selected"] == first["id"]
    assert "Water deficit" in str(legend) and "mm/yr" in str(legend)
    text = str(profile_view(service, {"level": "communities", "id": first["id"]}))
    assert str(first["name"]) in text and f"{first['rain_mm_yr']:,.0f}" in text
    # the suitability summary of every intervention and the crops, from the store
    suit = ResultsStore(processed_region / "results").suitability("communities")
    rows = suit[suit["unit_id"] == first["id"]]
    assert len(rows) == 5
    for _, r in rows.iterrows():
        assert f"suit-{r['intervention']}" in text and f"{r['mean_score']:.2f}" in text
    assert "Crops: best planting month" in text and "Maize" in text
    # no click yet: map coloured, no profile
    hide, _ = choropleth_view(service, "rain")
    assert hide["selected"] is None and profile_view(service, None) is None


def test_service_without_results_shows_a_hint(tiny: tuple[Path, dict[str, object]]) -> None:
    from dashboard.layout import indicator_controls
    from dashboard.service import RegionService

    root, _ = tiny
    service = RegionService(root).prepare()
    assert service.results is None and service.summary() is None
    assert "landwater process" in str(indicator_controls(service))


@pytest.mark.parametrize("layer", ["water_yield", "deficit", "recharge", "runoff"])
def test_result_raster_tiles(client: FlaskClient, layer: str) -> None:
    resp = client.get(f"/tiles/{layer}/12/2473/2063.png")
    assert resp.status_code == 200
    assert Image.open(io.BytesIO(resp.data)).convert("RGBA").getchannel("A").getextrema()[1] == 255


def test_sites_geojson_has_type_and_status(client: FlaskClient) -> None:
    sites = orjson.loads(gzip.decompress(client.get("/geo/sites.geojson").data))
    props = sites["features"][0]["properties"]
    assert {"type", "status", "popup", "tooltip"} <= set(props)
    # the popup names each column and the site's type and status in words, here in French
    french = orjson.loads(gzip.decompress(client.get("/geo/sites.geojson?lang=fr").data))
    assert len(french["features"]) == len(sites["features"])
    words = {"water_pan": "mare", "planned": "prévu", "ongoing": "en cours"}
    for english, feature in zip(sites["features"], french["features"], strict=True):
        popup, kind = feature["properties"]["popup"], feature["properties"]["type"]
        assert english["properties"]["popup"] != popup
        assert f"<b>Type</b>: {kind.replace('_', ' ')}" in english["properties"]["popup"]
        assert "<b>Statut</b>: " in popup and kind not in popup
        for word, french_word in words.items():
            if word in (kind, feature["properties"]["status"]):
                assert french_word in popup, popup


def test_selection_from_each_input() -> None:
    from dashboard import ids
    from dashboard.map_views import selection_from

    click = {"properties": {"id": "C007"}}
    assert selection_from(ids.COMMUNITIES, click, None, None) == {
        "level": "communities",
        "id": "C007",
    }
    assert selection_from(ids.WATERSHEDS, None, {"properties": {"id": "W03"}}, None) == {
        "level": "watersheds",
        "id": "W03",
    }
    assert selection_from(ids.SEARCH, click, None, "watersheds:W05") == {
        "level": "watersheds",
        "id": "W05",
    }
    assert selection_from(ids.SEARCH, click, None, None) is None
    assert selection_from(ids.COMMUNITIES, {"properties": {}}, None, None) is None


def test_watershed_profile_and_search_options(processed_region: Path) -> None:
    from dashboard.map_views import profile_view
    from dashboard.service import RegionService
    from processing.results_store import ResultsStore

    service = RegionService(processed_region).prepare()
    options = service.unit_options()
    assert sum(o["value"].startswith("communities:") for o in options) >= 80
    assert sum(o["value"].startswith("watersheds:") for o in options) >= 8
    ws = ResultsStore(processed_region / "results").summary("watersheds").iloc[0]
    text = str(profile_view(service, {"level": "watersheds", "id": ws["id"]}))
    assert str(ws["name"]) in text and "Monthly water balance" in text
    assert "population" not in text  # watersheds carry no population


def test_sites_filtered_by_query(client: FlaskClient) -> None:
    def features(url: str) -> list[dict[str, dict[str, str]]]:
        return orjson.loads(gzip.decompress(client.get(url).data))["features"]

    everything = features("/geo/sites.geojson")
    pans = features("/geo/sites.geojson?type=water_pan")
    assert 0 < len(pans) < len(everything) and {f["properties"]["type"] for f in pans} == {
        "water_pan"
    }
    done = features("/geo/sites.geojson?type=water_pan&type=sand_dam&status=completed")
    assert all(f["properties"]["status"] == "completed" for f in done)
    assert features("/geo/sites.geojson?none=1") == []


def test_sites_url_and_colorbar_props(processed_region: Path) -> None:
    from dashboard.i18n import translator
    from dashboard.map_layout import colorbar_children, overlay_name, sites_url
    from dashboard.service import RegionService

    assert sites_url(["a", "b"], ["x"], ["a", "b"], ["x"]) == "/geo/sites.geojson"
    assert sites_url(["a"], ["x"], ["a", "b"], ["x"]) == "/geo/sites.geojson?type=a"
    assert "none=1" in sites_url([], ["x"], ["a", "b"], ["x"])
    assert sites_url(["a"], ["x"], ["a", "b"], ["x"], "fr") == "/geo/sites.geojson?type=a&lang=fr"
    service = RegionService(processed_region).prepare()
    assert colorbar_children(service, [], 0) == []
    (rain,) = colorbar_children(service, ["Rainfall"], 0)
    assert rain.unit == "mm/yr" and rain.colorscale == "YlGnBu"
    assert colorbar_children(service, ["Rainfall"], 4)[0].unit == "mm/month"
    (wy,) = colorbar_children(service, ["Rainfall", overlay_name(service, "water_yield")], 0)
    assert wy.colorscale == "Blues" and wy.min < wy.max
    name = overlay_name(service, "suitability_farm_ponds")
    assert name == "Suitability: Farm ponds / water pans (score 0..1)"
    (suit,) = colorbar_children(service, [name], 0)
    assert suit.colorscale == "Greens" and (suit.min, suit.max) == (0.0, 1.0)
    assert suit.tickText == ["0.0", "0.5", "1.0 score 0..1"] and suit.tickValues == [0.0, 0.5, 1.0]
    # ticks in the page's language: the annual rainfall's, in French and in English
    (fr,) = colorbar_children(service, [translator("fr")("Rainfall")], 0, translator("fr"))
    (en,) = colorbar_children(service, ["Rainfall"], 0)
    assert fr.tickValues == en.tickValues and fr.tickValues[0] == en.min
    assert all("," not in label for label in fr.tickText)
    assert fr.tickText[-1].endswith("mm/an") and en.tickText[-1].endswith("mm/yr")
    assert [label.replace("\u202f", ",") for label in fr.tickText[:-1]] == en.tickText[:-1]
    assert len([k for k in service.result_layers() if k.startswith("suitability_")]) == 5


def test_background_processing_when_results_are_missing(
    tiny: tuple[Path, dict[str, object]],
) -> None:
    from dashboard.app import create_app
    from dashboard.background import results_are_current

    root, _ = tiny
    assert not results_are_current(root, root / "results")
    app = create_app(root)  # serves at once; results computed on a background thread
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    # the progress callback reports until the run ends, then offers a reload
    deadline = __import__("time").monotonic() + 120
    while True:
        resp = client.post(
            "/_dash-update-component",
            json={
                "output": "..progress-banner.children...progress-poll.disabled..",
                "outputs": [
                    {"id": "progress-banner", "property": "children"},
                    {"id": "progress-poll", "property": "disabled"},
                ],
                "inputs": [{"id": "progress-poll", "property": "n_intervals", "value": 1}],
                "state": [{"id": "lang-select", "property": "value", "value": "en"}],
                "changedPropIds": ["progress-poll.n_intervals"],
            },
        )
        assert resp.status_code == 200
        body = resp.get_json()["response"]
        if body["progress-poll"]["disabled"]:
            break
        assert "Computing results" in str(body["progress-banner"]["children"])
        assert __import__("time").monotonic() < deadline
        __import__("time").sleep(0.5)
    assert "Results are ready" in str(body["progress-banner"]["children"])
    assert results_are_current(root, root / "results")
    # a reload of the page now has the indicator selector and choropleth
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Annual rainfall" in layout


def test_progress_view_states() -> None:
    from dashboard.background import Status
    from dashboard.map_views import progress_view

    assert progress_view(Status("idle", "", 0)) == (None, True)
    running, stop = progress_view(Status("running", "writing the results store", 3.2))
    assert not stop and "writing the results store (3 s)" in str(running)
    failed, stop = progress_view(Status("failed", "OSError: disk full", 5))
    assert stop and "disk full" in str(failed)
