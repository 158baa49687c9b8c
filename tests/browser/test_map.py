"""The map page in headless Chromium: layers render, controls work, no console errors."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from processing.glossary import term
from tests.browser.conftest import (
    OUTPUT,
    SERVER_WAIT_MS,
    search_option,
    server_log,
    wait_for_dash,
)

pytestmark = pytest.mark.browser
YIELD_LABEL = term("water_yield_mm_yr").label


@pytest.fixture(scope="module")
def map_context(browser: Any) -> Iterator[Any]:
    """One browser context for the module's pages: its HTTP cache spares each page the
    scripts' download; the pages hold their state in memory only, so each starts afresh."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 850})
    yield ctx
    ctx.close()


@pytest.fixture
def page(map_context: Any, server_url: str) -> Iterator[Any]:
    pg = map_context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server_url)
    pg.wait_for_selector(".leaflet-container", timeout=SERVER_WAIT_MS)
    yield pg
    pg.close()


def test_map_renders_demo_layers(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/land_use/']", timeout=SERVER_WAIT_MS
    )
    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/hillshade/']", timeout=SERVER_WAIT_MS
    )
    page.wait_for_selector(
        "path.leaflet-interactive[stroke='#1f4e9c']", timeout=SERVER_WAIT_MS
    )  # watersheds
    expect(page.locator(".badge-synthetic")).to_have_text("SYNTHETIC DATA")
    expect(page.locator("#legend-land-use")).to_contain_text("Cropland")
    # the screenshot once every tile requested has arrived
    page.wait_for_function(
        "document.querySelectorAll('img.leaflet-tile:not(.leaflet-tile-loaded)').length === 0",
        timeout=SERVER_WAIT_MS,
    )
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map.png"))
    assert page.errors == []


def test_rainfall_toggle_and_month(page: Any) -> None:
    page.get_by_label("Rainfall", exact=True).check()
    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/rainfall_annual/']", timeout=SERVER_WAIT_MS
    )
    thumb = page.locator("#month-select [role=slider]")
    thumb.focus()
    for _ in range(4):  # keyboard-reachable: Year -> April
        thumb.press("ArrowRight")
    page.wait_for_selector("img.leaflet-tile-loaded[src*='band=4']", timeout=SERVER_WAIT_MS)
    assert page.errors == []
    # a request the server does not answer is said, not swallowed; the next answer clears it
    alert = page.locator("#request-error")
    expect(alert).to_be_hidden()
    fail = "**/_dash-update-component*"
    page.route(fail, lambda route: route.fulfill(status=500, body="Internal Server Error"))
    thumb.press("ArrowRight")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("The server did not answer (HTTP 500)")
    page.unroute(fail)
    thumb.press("ArrowRight")
    page.wait_for_selector("img.leaflet-tile-loaded[src*='band=6']", timeout=SERVER_WAIT_MS)
    expect(alert).to_be_hidden()


def test_click_community_shows_it(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    selected = page.locator("#selected-community")
    expect(selected.locator("strong")).to_be_visible(timeout=SERVER_WAIT_MS)
    expect(selected).to_contain_text("ha")
    expect(selected).to_contain_text("id C")


def test_plotly_loads_when_the_pointer_reaches_a_community(
    map_context: Any, server_url: str
) -> None:
    """The map is drawn without plotly.js (4.8 MB); the pointer over a community loads it,
    and the profile its click opens shows the monthly chart."""
    pg = map_context.new_page()
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url) if "plotly" in r.url else None)
    pg.goto(server_url)
    pg.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    wait_for_dash(pg)
    assert not requested and pg.evaluate("typeof window.Plotly") == "undefined"
    box = pg.locator(".leaflet-container").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.move(*centre)
    pg.wait_for_function("typeof window.Plotly !== 'undefined'", timeout=SERVER_WAIT_MS)
    pg.mouse.click(*centre)
    chart = pg.locator("#profile-panel .js-plotly-plot").first
    expect(chart).to_be_visible(timeout=SERVER_WAIT_MS)
    pg.close()


def _fills(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "path.leaflet-interactive[fill-opacity='0.65']",
        "els => els.map(e => e.getAttribute('fill'))",
    )


def test_indicator_recolours_and_click_opens_profile(page: Any) -> None:
    distinct = (
        "new Set([...document.querySelectorAll(\"path.leaflet-interactive[fill-opacity='0.65']\")]"
        ".map(e => e.getAttribute('fill'))).size"
    )
    page.wait_for_function(f"{distinct} >= 4", timeout=SERVER_WAIT_MS)
    before = _fills(page)
    assert len(set(before)) >= 4  # quantile classes, not one flat colour
    page.locator("#indicator-select").click()
    page.get_by_text("Water deficit (PET - AET) (mm/yr)").click()
    page.wait_for_function(
        "document.querySelector('#choropleth-legend').innerText.includes('deficit')",
        timeout=SERVER_WAIT_MS,
    )
    # the fills are restyled in place after the legend: wait for the new colours
    page.wait_for_function(
        "b => JSON.stringify([...document.querySelectorAll("
        "\"path.leaflet-interactive[fill-opacity='0.65']\")]"
        ".map(e => e.getAttribute('fill'))) !== JSON.stringify(b)",
        arg=before,
        timeout=SERVER_WAIT_MS,
    )
    assert _fills(page) != before
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    page.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    expect(page.locator("#profile-panel")).to_contain_text("Monthly water balance")
    page.wait_for_selector("#profile-panel .js-plotly-plot", timeout=SERVER_WAIT_MS)
    expect(page.locator("#profile-panel .suitability-table tbody tr")).to_have_count(5)
    page.wait_for_function(
        "document.querySelectorAll('#profile-panel .crops-table tbody tr').length >= 7",
        timeout=SERVER_WAIT_MS,
    )
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map-profile.png"))
    assert page.errors == []


# the sites' cluster icons (the marker pane: community names are markers of the tooltip pane)
CLUSTERS = ".leaflet-marker-pane .leaflet-marker-icon"


def _site_marks(page: Any) -> int:
    """Visible site markers: single circles plus cluster icons."""
    circles = page.locator("path.leaflet-interactive[fill-opacity='0.9']").count()
    return circles + page.locator(CLUSTERS).count()


def test_site_filters_hide_and_show_sites(page: Any) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('{CLUSTERS}').length > 0", timeout=SERVER_WAIT_MS
    )
    shown = _site_marks(page)
    assert shown > 0
    boxes = page.locator("#site-types input[type=checkbox]")
    expect(boxes).not_to_have_count(0)
    # a fetch of the sites held until every box is unticked, as a slow server holds it: a
    # box unticked while the layer fetched was lost (the layer ignores changes meanwhile)
    held: list[Any] = []
    page.route("**/geo/sites.geojson?*", lambda route: held.append(route))
    boxes.nth(0).uncheck()
    wait_for_dash(page)  # the first filter's answer is in the page
    for i in range(1, boxes.count()):
        boxes.nth(i).uncheck()
    wait_for_dash(page)
    for route in held:
        route.continue_()
    page.unroute("**/geo/sites.geojson?*")
    page.wait_for_function(
        "document.querySelectorAll(\"path.leaflet-interactive[fill-opacity='0.9']\").length"
        f" + document.querySelectorAll('{CLUSTERS}').length === 0",
        timeout=SERVER_WAIT_MS,
    )
    assert _site_marks(page) == 0
    boxes.nth(0).check()
    page.wait_for_function(
        "document.querySelectorAll(\"path.leaflet-interactive[fill-opacity='0.9']\").length"
        f" + document.querySelectorAll('{CLUSTERS}').length > 0",
        timeout=SERVER_WAIT_MS,
    )
    assert 0 < _site_marks(page) < shown + 45
    assert page.errors == []


@pytest.mark.parametrize("load", range(3))
def test_a_click_on_a_site_opens_its_popup(page: Any, load: int) -> None:
    """Issue 19 item 3: site markers lie above the community polygons on every load."""
    marker = page.locator(".leaflet-sites-pane path.leaflet-interactive").first
    expect(marker).to_be_visible()
    # Playwright clicks only an element that is the topmost at its centre
    marker.click(timeout=SERVER_WAIT_MS)
    expect(page.locator(".leaflet-popup-content")).to_be_visible()
    expect(page.locator("#profile-panel .profile-name")).to_have_count(0)
    # the type filter is the markers' legend: a swatch per type in the marker's colour
    swatches = page.locator("#site-types .site-swatch")
    expect(swatches.first).to_be_visible()
    legend = swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    fill = marker.get_attribute("fill") or ""
    rgb = "rgb({}, {}, {})".format(*(int(fill[i : i + 2], 16) for i in (1, 3, 5)))
    assert rgb in legend, (fill, legend)
    assert page.errors == []


def test_result_layer_toggle_shows_its_colour_bar(page: Any) -> None:
    expect(page.locator(".raster-colorbar")).to_have_count(0)
    page.get_by_label(f"{YIELD_LABEL} (mm/yr)", exact=True).check()
    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/water_yield/']", timeout=SERVER_WAIT_MS
    )
    expect(page.locator(".raster-colorbar")).to_contain_text("mm/yr", timeout=SERVER_WAIT_MS)
    page.get_by_label(f"{YIELD_LABEL} (mm/yr)", exact=True).uncheck()
    page.wait_for_function(
        "document.querySelectorAll('.raster-colorbar').length === 0", timeout=SERVER_WAIT_MS
    )
    assert page.errors == []


def test_shared_url_reopens_the_view(browser: Any, server_url: str) -> None:
    query = (
        "lat=-1.38&lon=37.30&z=13&ind=deficit&m=4&sel=communities:C040&layers=Rainfall|Communities"
    )
    url = f"{server_url}/?{query}"
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url)
    pg.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    expect(pg.locator("#profile-panel .profile-id")).to_have_text("C040")
    expect(pg.locator("#choropleth-legend")).to_contain_text("Water deficit")
    pg.wait_for_selector("img.leaflet-tile-loaded[src*='band=4']", timeout=SERVER_WAIT_MS)
    expect(pg.get_by_label("Rainfall", exact=True)).to_be_checked()
    expect(pg.get_by_label("Land use", exact=True)).not_to_be_checked()
    expect(pg.locator("img[src*='/tiles/land_use/']")).to_have_count(0)
    # the tiles requested are zoom-13 tiles: the view's zoom was applied
    pg.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/rainfall/13/']", timeout=SERVER_WAIT_MS
    )
    # interacting rewrites the URL, and that URL reopens the same view
    pg.get_by_label("Land use", exact=True).check()
    pg.wait_for_function(
        "/Land(\\+|%20)use/.test(window.location.search)",
        timeout=SERVER_WAIT_MS,
    )
    shared = pg.url
    assert "sel=communities%3AC040" in shared and "m=4" in shared
    pg2 = ctx.new_page()
    pg2.goto(shared)
    pg2.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    expect(pg2.get_by_label("Land use", exact=True)).to_be_checked()
    expect(pg2.locator("#profile-panel .profile-id")).to_have_text("C040")
    assert errors == []
    ctx.close()


def test_phone_width_layout(browser: Any, server_url: str) -> None:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server_url)
    pg.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    box = pg.locator(".leaflet-container").bounding_box()
    assert box["width"] >= 380 and box["height"] >= 700  # the map fills the phone screen
    # the whole region is in view on load: no community cut at the phone's sides
    pg.wait_for_function(
        """() => {
            const c = document.querySelector('.leaflet-container').getBoundingClientRect();
            const pane = '.leaflet-overlay-pane path.leaflet-interactive';
            const paths = document.querySelectorAll(pane);
            return paths.length >= 80 && [...paths].every((p) => {
                const r = p.getBoundingClientRect();
                return r.left >= c.left - 1 && r.right <= c.right + 1;
            });
        }""",
        timeout=SERVER_WAIT_MS,
    )
    # the layer list starts folded behind its button: the map and its zoom buttons are free
    layer_list = pg.locator(".leaflet-control-layers-list")
    expect(layer_list).to_be_hidden()
    expect(pg.locator(".leaflet-control-zoom-in")).to_be_visible()
    control = pg.locator(".leaflet-control-layers").bounding_box()
    assert control["width"] * control["height"] < 0.02 * 390 * 844
    pg.locator(".leaflet-control-layers-toggle").click()
    expect(layer_list).to_be_visible()
    expect(pg.get_by_label("Land use", exact=True)).to_be_visible()
    pg.locator(".leaflet-control-layers-toggle").click()
    expect(layer_list).to_be_hidden()
    panel = pg.locator("#side-panel")
    assert panel.bounding_box()["y"] >= 844 - 1  # drawer closed: below the screen
    pg.locator("#panel-toggle").click()
    # the drawer slides in (a CSS transition): wait for it to be up, not for a fixed time
    pg.wait_for_function(
        "document.querySelector('#side-panel').getBoundingClientRect().top < 844 * 0.5",
        timeout=SERVER_WAIT_MS,
    )
    assert panel.bounding_box()["y"] < 844 * 0.5
    assert pg.locator("#indicator-select").is_visible()
    # the month slider's "Annual" mark lies whole on the screen, clear of January's
    annual, january = (
        pg.locator("#month-select .dash-slider-mark").nth(i).bounding_box() for i in (0, 1)
    )
    assert annual["x"] >= 0 and annual["x"] + annual["width"] <= january["x"]
    # the button sits above the open drawer, not over its content
    pg.wait_for_function(
        """() => {
            const b = document.querySelector('#panel-toggle').getBoundingClientRect();
            const d = document.querySelector('#side-panel').getBoundingClientRect();
            return b.bottom <= d.top;
        }""",
        timeout=SERVER_WAIT_MS,
    )
    OUTPUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUTPUT / "phone.png"))
    pg.locator("#panel-toggle").click()
    pg.wait_for_function(
        "document.querySelector('#side-panel').getBoundingClientRect().top >= 844 - 1",
        timeout=SERVER_WAIT_MS,
    )
    assert panel.bounding_box()["y"] >= 844 - 1
    assert errors == []
    ctx.close()


def test_opacity_and_profile_numbers_match_the_store(page: Any, demo_region: Any) -> None:
    import pandas as pd

    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/land_use/']", timeout=SERVER_WAIT_MS
    )
    thumb = page.locator("#raster-opacity [role=slider]")
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowLeft")  # 0.7 -> 0.4
    page.wait_for_function(
        "[...document.querySelectorAll('.leaflet-layer')]"
        ".some(l => l.querySelector(\"img[src*='/tiles/land_use/']\")"
        " && Math.abs(parseFloat(l.style.opacity) - 0.4) < 1e-6)",
        timeout=SERVER_WAIT_MS,
    )
    summary = pd.read_csv(demo_region / "results" / "communities.csv", dtype={"id": str})
    row = summary[summary["id"] == "C055"].iloc[0]
    search_option(page, f"({row['id']})", f"({row['id']})").click()
    table = page.locator("#profile-panel .annual-table")
    expect(table).to_contain_text(f"{row['rain_mm_yr']:,.0f}", timeout=SERVER_WAIT_MS)
    expect(table).to_contain_text(f"{row['deficit_m3_yr']:,.0f}")
    # each figure's info button: a click opens its glossary text, the keyboard closes it
    runoff = term("runoff")
    button = table.locator(f"summary[aria-label='What it means: {runoff.label}']")
    text = table.locator("details[data-term='runoff'] .info-text")
    expect(text).to_be_hidden()
    button.click()
    expect(text).to_be_visible()
    expect(text).to_contain_text(runoff.use)
    button.press("Enter")
    expect(text).to_be_hidden()
    assert page.errors == []


def test_search_opens_a_watershed_profile(page: Any) -> None:
    search_option(page, "Watershed:", "Watershed:").first.click()
    profile_id = page.locator("#profile-panel .profile-id")
    expect(profile_id).to_have_text(re.compile("^W"), timeout=SERVER_WAIT_MS)
    assert page.errors == []


def test_search_flies_the_map_to_the_community(page: Any) -> None:
    """Issue 19: a search result zooms the map to the unit, not only opens its profile."""
    page.wait_for_selector("img.leaflet-tile-loaded", timeout=SERVER_WAIT_MS)
    zoom_before = _url_zoom(page)
    search_option(page, "C030", "C030").first.click()
    expect(page.locator("#profile-panel .profile-id")).to_have_text("C030", timeout=SERVER_WAIT_MS)
    page.wait_for_function(
        f"(new URLSearchParams(location.search).get('z') | 0) > {zoom_before}",
        timeout=SERVER_WAIT_MS,
    )
    assert page.errors == []


def _url_zoom(page: Any) -> int:
    """The map's zoom as the shared URL holds it (the fitted zoom before any move)."""
    z = page.evaluate("new URLSearchParams(location.search).get('z')")
    if z is not None:
        return int(z)
    return int(
        page.evaluate(
            "document.querySelector('img.leaflet-tile-loaded').src.match(/\\/(\\d+)\\/\\d+\\/\\d+\\.png/)[1]"
        )
    )


def test_download_the_community_table(page: Any) -> None:
    import pandas as pd

    page.click(".downloads summary")
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#download-button")
    download = info.value
    assert download.suggested_filename.startswith("landwater_demo_highlands_synthetic_communities_")
    table = pd.read_csv(download.path(), dtype={"community_id": str})
    assert len(table) >= 100 and table["community_id"].is_unique
    assert {"rain_mm_yr", "deficit_m3_yr", "suit_farm_ponds_score"} <= set(table.columns)
    assert page.errors == []


def test_direct_link_follows_the_choice_and_streams(page: Any) -> None:
    import pandas as pd

    page.click(".downloads summary")
    link = page.locator("#download-link")
    expect(link).to_have_attribute("href", "/export/community/csv?table=summary")
    # only the selected unit: hidden until a community is selected, then carries its id
    page.get_by_label("Only the selected unit").check()
    page.wait_for_function(
        "getComputedStyle(document.querySelector('#download-link')).display === 'none'"
    )
    search_option(page, "Community:", "Community:").first.click()
    page.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    uid = page.locator("#profile-panel .profile-id").inner_text()
    page.wait_for_function(
        "id => (document.querySelector('#download-link').getAttribute('href') || '')"
        ".endsWith('only=' + id)",
        arg=uid,
        timeout=SERVER_WAIT_MS,
    )
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        link.click()
    table = pd.read_csv(info.value.path(), dtype={"community_id": str})
    assert list(table["community_id"]) == [uid]
    page.get_by_label("Only the drawn area").check()  # drawn areas go by the button
    page.wait_for_function(
        "getComputedStyle(document.querySelector('#download-link')).display === 'none'"
    )
    assert page.errors == []


def test_served_by_waitress_without_a_development_warning(server_url: str) -> None:
    """``landwater serve`` (what ``make run`` starts) runs a production server: waitress
    answers the page, and nothing on its stdout or stderr warns of a development server."""
    with urllib.request.urlopen(server_url, timeout=60) as resp:
        body = resp.read().decode()
        assert resp.status == 200 and resp.headers["Server"] == "waitress"
    assert "_dash-renderer" in body or "dash_renderer" in body
    log = server_log().read_text()
    assert f"at {server_url}" in log
    assert "development server" not in log.lower()
    assert "werkzeug" not in log.lower()


def test_export_map_downloads_the_view_as_a_pdf(page: Any) -> None:
    from pypdf import PdfReader

    page.get_by_label(f"{YIELD_LABEL} (mm/yr)", exact=True).check()
    # the colour bar follows the checked overlays: the view the export reads is current
    expect(page.locator(".raster-colorbar")).to_contain_text("mm/yr", timeout=SERVER_WAIT_MS)
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#map-export-button")
    download = info.value
    assert download.suggested_filename == "landwater-map-demo-highlands-synthetic-water-yield.pdf"
    text = " ".join(PdfReader(download.path()).pages[0].extract_text().split())
    assert f"{YIELD_LABEL} (mm/yr)" in text  # the colour bar of the checked result layer
    assert "Sources:" in text
    expect(page.locator("#map-export-message")).to_contain_text("KB")
    # a shared link's view has no bounds until moved: the export computes them from the
    # centre and zoom as Leaflet does (to its rounding of the map's origin to a whole pixel)
    got, leaflet, zoom = page.evaluate(
        "() => { const m = Object.values(window.landwater.communityState.byId)[0]._map;"
        " const c = m.getContainer(), b = m.getBounds();"
        " return [window.landwater.viewBounds(m.getCenter(), m.getZoom(), c.clientWidth,"
        " c.clientHeight), [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]],"
        " m.getZoom()]; }"
    )
    np.testing.assert_allclose(got, leaflet, atol=360 / (256 * 2**zoom))  # one pixel
    assert page.errors == []
