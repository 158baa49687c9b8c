"""Issue 19's broken steps, reproduced in headless Chromium on the designer's page.

1. scenario errors are shown, stale results cleared; 4. an upload always gets a message and
the uploaded area is drawn and can be cleared; 5. the designer-weights raster loads every
tile and has a colour bar; 6. the scenario change map of a loss uses only the loss hue.
"""

from __future__ import annotations

import colorsys
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SERVER_WAIT_MS, wait_for_dash

pytestmark = pytest.mark.browser


def _hue(rgb: str) -> tuple[float, float]:
    """Hue (degrees) and saturation of a CSS ``rgb(r, g, b)`` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    h, _l, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def test_scenario_errors_clear_results_and_a_loss_maps_in_one_hue(design_page: Any) -> None:
    page = design_page
    page.fill("#scenario-warming", "1.5")
    page.click("#scenario-run")
    result = page.locator("#scenario-result")
    expect(result.locator(".scenario-totals")).to_be_visible()
    expect(result).to_contain_text("Months of deficit")
    expect(result.locator(".scenario-totals")).not_to_contain_text(re.compile(r"[-+±]0\s"))
    legend = page.locator("#choropleth-legend")
    expect(legend).to_contain_text("Scenario")
    # issue item 6: warming only loses recharge, so no class may be drawn in the gains' hue
    swatches = legend.locator(".swatch")
    expect(swatches.first).to_be_visible()
    colours = swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    hues = [_hue(c) for c in colours]
    assert all(s < 0.05 or 15 <= h <= 45 for h, s in hues), colours
    assert any(s >= 0.05 for _h, s in hues), colours
    # the monthly chart: every month name whole, above the legend (not cut by it)
    ticks = result.locator(".xtick text")
    expect(ticks).to_have_count(12)
    legend_top = result.locator(".legend").bounding_box()["y"]
    for box in (ticks.nth(i).bounding_box() for i in range(12)):
        assert box["y"] + box["height"] <= legend_top + 1, (box, legend_top)
    # issue item 1: 40 degC is refused by name, and the 1.5 degC results leave the screen
    page.fill("#scenario-warming", "40")
    page.click("#scenario-run")
    message = page.locator("#scenario-message")
    expect(message).to_contain_text("Warming (°C): 40 is not allowed; enter a number from -5 to 8")
    expect(result.locator(".scenario-totals")).to_have_count(0)
    page.fill("#scenario-warming", "")
    page.fill("#scenario-ponds", "-5")
    page.click("#scenario-run")
    expect(message).to_contain_text("Farm ponds per community: -5 is not allowed")
    page.fill("#scenario-ponds", "2")
    page.click("#scenario-run")
    expect(message).to_contain_text("Pond volume (m³): required with Farm ponds per community")
    assert page.errors == []


def _area_geojson(region: Path) -> bytes:
    """A square of about 2 km around the first community's centre, in lon/lat."""
    communities = gpd.read_file(region / "data" / "communities.gpkg")
    centre = communities.geometry.iloc[0].centroid
    square = gpd.GeoSeries([centre.buffer(1000, cap_style="square")], crs=communities.crs)
    return square.to_crs(4326).to_json().encode()


def test_uploads_get_a_message_and_the_area_is_drawn_and_cleared(
    design_page: Any, demo_region: Path
) -> None:
    page = design_page
    upload = page.locator("#aoi-upload input[type=file]")
    message = page.locator("#aoi-message")
    upload.set_input_files([{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"}])
    expect(message).to_contain_text("notes.txt: unsupported file type '.txt'")
    big = json.dumps({"type": "FeatureCollection", "features": [], "pad": "x" * 6_000_000})
    upload.set_input_files(
        [{"name": "big.geojson", "mimeType": "application/json", "buffer": big.encode()}]
    )
    expect(message).to_contain_text("big.geojson: 5.7 MB is over the 5 MB limit")
    points = {"type": "Point", "coordinates": [37.0, -1.0]}
    upload.set_input_files(
        [
            {
                "name": "p.geojson",
                "mimeType": "application/json",
                "buffer": json.dumps(points).encode(),
            }
        ]
    )
    expect(message).to_contain_text("p.geojson:")
    area = _area_geojson(demo_region)
    upload.set_input_files(
        [{"name": "area.geojson", "mimeType": "application/json", "buffer": area}]
    )
    expect(message).to_contain_text("1 polygon(s)")
    outline = page.locator("path[stroke='#d7191c'][stroke-dasharray='6 4']")
    expect(outline).to_have_count(1)
    expect(page.locator("#aoi-summary")).to_contain_text("Area of interest")
    page.get_by_role("button", name="Clear the area").click()
    expect(outline).to_have_count(0)
    expect(message).to_contain_text("Area cleared.")
    expect(page.locator("#aoi-summary")).to_be_empty()
    assert page.errors == []


def test_designer_weights_layer_loads_every_tile_with_a_colour_bar(design_page: Any) -> None:
    page = design_page
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 500 else None)
    page.locator("#design-intervention").click()
    page.get_by_role("option", name="Sand dams", exact=True).click()
    wait_for_dash(page, timeout=SERVER_WAIT_MS)  # the sand dams' sliders replace the ponds'
    thumb = page.locator(".weight-row [role=slider]").first
    thumb.focus()
    thumb.press("Home")
    expect(page.locator("#design-weight-pcts")).to_contain_text(" 0 %")
    page.get_by_label("Suitability (designer weights)", exact=True).check()
    tiles = page.locator("img.leaflet-tile[src*='/tiles/design/sand_dams/']")
    expect(tiles.first).to_be_attached()
    page.wait_for_function(
        """() => {
            const imgs = [...document.querySelectorAll("img.leaflet-tile[src*='/tiles/design/']")];
            return imgs.length > 0 && imgs.every((i) => i.complete);
        }""",
        timeout=SERVER_WAIT_MS,
    )
    loaded = page.locator("img.leaflet-tile-loaded[src*='/tiles/design/sand_dams/']")
    assert loaded.count() == tiles.count()  # no tile left as a hole
    expect(page.locator(".raster-colorbar")).to_be_visible()
    expect(page.locator(".raster-colorbar")).to_contain_text("score")
    assert failed == []
    assert page.errors == []
