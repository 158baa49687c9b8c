"""Context on the planner's map: roads, protected areas, place names, an "i" per layer and
per indicator, and a layer list that folds on a desktop (headless Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SERVER_WAIT_MS, wait_for_dash

pytestmark = pytest.mark.browser

DRAWN = "document.querySelectorAll('path.leaflet-interactive').length >= 80"


@pytest.fixture(scope="module")
def desktop_context(browser: Any) -> Iterator[Any]:
    """One browser context for the module's pages: its HTTP cache spares each page the
    scripts' download; the pages hold their state in memory only, so each starts afresh."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def desktop(desktop_context: Any) -> Iterator[Any]:
    page = desktop_context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


def _layers_in_url(page: Any) -> list[str]:
    query = parse_qs(urlsplit(page.url).query)
    return query.get("layers", [""])[0].split("|")


def test_roads_and_protected_areas_are_overlays_kept_in_the_url(
    desktop: Any, server_url: str
) -> None:
    page = desktop
    page.goto(server_url)
    page.wait_for_function(DRAWN, timeout=SERVER_WAIT_MS)
    for name in ("Roads", "Protected areas"):
        expect(
            page.locator(".leaflet-control-layers").get_by_label(name, exact=True)
        ).to_be_checked()
    # drawn for reading, in their own pane over the communities; a click goes through them
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-context-pane path').length >= 2",
        timeout=SERVER_WAIT_MS,
    )
    events = page.evaluate(
        "[...document.querySelectorAll('.leaflet-context-pane path')]"
        ".map(p => getComputedStyle(p).pointerEvents)"
    )
    assert set(events) == {"none"}
    legend = page.locator("#legend-context")
    expect(legend).to_contain_text("Roads")
    expect(legend).to_contain_text("Protected areas")
    # switched off, the URL names the layers still on, in English
    control = page.locator(".leaflet-control-layers")
    control.get_by_label("Roads", exact=True).uncheck()
    page.wait_for_function(
        "!new URLSearchParams(location.search).get('layers').split('|').includes('Roads')",
        timeout=SERVER_WAIT_MS,
    )
    assert "Protected areas" in _layers_in_url(page)
    # a shared link reopens them as they were, and so does the French page
    page.goto(f"{server_url}/?lang=fr&layers=Communities|Protected areas")
    page.wait_for_function(DRAWN, timeout=SERVER_WAIT_MS)
    wait_for_dash(page)
    checked = page.evaluate(
        "[...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".filter(l => l.querySelector('input').checked).length"
    )
    assert checked == 2
    assert page.locator(".leaflet-context-pane path").count() >= 1  # the reserve only
    assert page.errors == []


# how far each place name's box centre lies from the map point it labels, px
CENTRE_OFFSETS_JS = """() => {
  const s = window.landwater.communityState;
  const map = Object.values(s.byId)[0]._map;
  const box = map.getContainer().getBoundingClientRect();
  return s.names.getLayers().map((m) => {
    const p = map.latLngToContainerPoint(m.getLatLng());
    const r = m.getElement().querySelector('.place-name').getBoundingClientRect();
    return Math.max(Math.abs(r.left + r.width / 2 - box.left - p.x),
                    Math.abs(r.top + r.height / 2 - box.top - p.y));
  });
}"""


def test_place_names_show_only_when_zoomed_in(desktop: Any, server_url: str) -> None:
    page = desktop
    page.goto(f"{server_url}/?z=11")
    page.wait_for_function(DRAWN, timeout=SERVER_WAIT_MS)
    wait_for_dash(page)
    assert page.locator(".place-name").count() == 0
    page.goto(f"{server_url}/?lat=-1.40&lon=37.38&z=13")
    page.wait_for_function(
        "document.querySelectorAll('.place-name').length >= 5", timeout=SERVER_WAIT_MS
    )
    names = page.evaluate(
        "Object.values(window.landwater.communityState.byId).map(l => l.feature.properties.name)"
    )
    shown = page.locator(".place-name").all_inner_texts()
    assert set(shown) <= set(names)
    # each name is centred on the point it labels (the centre of its community's box), px
    off = page.evaluate(CENTRE_OFFSETS_JS)
    assert off and max(off) < 1.5, off
    # with the communities switched off, their names go too
    page.locator(".leaflet-control-layers").get_by_label("Communities", exact=True).uncheck()
    expect(page.locator(".place-name")).to_have_count(0)
    assert page.errors == []


def test_every_layer_and_indicator_has_an_info_button(desktop: Any, server_url: str) -> None:
    page = desktop
    page.goto(server_url)
    page.wait_for_function(DRAWN, timeout=SERVER_WAIT_MS)
    labels = page.locator(".leaflet-control-layers-overlays label")
    n = labels.count()
    assert n >= 10
    expect(page.locator(".leaflet-control-layers-overlays .layer-info .info")).to_have_count(n)
    for i in range(n):
        summary = labels.nth(i).locator("xpath=following-sibling::span[1]").locator(".info summary")
        assert summary.get_attribute("aria-label").startswith("What it means:")
    # an input layer: what it is and its provenance from region.toml
    control = page.locator(".leaflet-control-layers")
    info = control.get_by_label("What it means: Land use", exact=True)
    info.click()
    text = page.locator(".leaflet-control-layers [data-term='land_use'] .info-text")
    expect(text).to_be_visible()
    expect(text).to_contain_text("Source: synthetic (landwater demo generator)")
    expect(text).to_contain_text("Licence: CC0-1.0")
    expect(control.get_by_label("Land use", exact=True)).to_be_checked()  # the "i" is no toggle
    info.click()  # closed again
    expect(text).to_be_hidden()
    info.click()
    expect(text).to_be_visible()
    page.keyboard.press("Escape")  # Escape closes it
    expect(text).to_be_hidden()
    info.click()
    expect(text).to_be_visible()
    page.locator("#indicator-select").click()  # so does a click on another control
    expect(text).to_be_hidden()
    # a result raster: its glossary entry
    control.get_by_label("What it means: Deficit", exact=True).click()
    expect(
        page.locator(".leaflet-control-layers [data-term='deficit'] .info-text")
    ).to_contain_text("irrigation need")
    # the indicators: one "i" beside the choice, every indicator in it with its units
    page.get_by_label("What the indicators mean", exact=True).click()
    about = page.locator("#indicator-info .info-text")
    expect(about).to_contain_text("Annual rainfall, mm/yr")
    expect(about).to_contain_text("Suitability: Farm ponds")
    expect(about).to_contain_text("highly suitable (S1)")
    assert page.errors == []


def test_the_layer_list_folds_on_a_desktop(desktop: Any, server_url: str) -> None:
    page = desktop
    page.goto(server_url)
    page.wait_for_function(DRAWN, timeout=SERVER_WAIT_MS)
    layer_list = page.locator(".leaflet-control-layers-list")
    expect(layer_list).to_be_visible()  # open on load on a desktop
    toggle = page.get_by_role("button", name="Show or hide the layer list")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(layer_list).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # the map's north-east is free: the folded control is a small button
    box = page.locator(".leaflet-control-layers").bounding_box()
    assert box["width"] * box["height"] < 50 * 50
    # it stays folded while the page lives (a new indicator, a pan of the map)
    page.locator("#indicator-select").click()
    page.get_by_text("Water deficit (PET - AET) (mm/yr)").click()
    page.mouse.move(700, 400)
    page.mouse.down()
    page.mouse.move(650, 380, steps=4)
    page.mouse.up()
    wait_for_dash(page)
    expect(layer_list).to_be_hidden()
    toggle.press("Enter")  # from the keyboard too
    expect(layer_list).to_be_visible()
    assert page.errors == []
