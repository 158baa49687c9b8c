"""The map page in headless Chromium: layers render, controls work, no console errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any, server_url: str) -> Any:
    ctx = browser.new_context(viewport={"width": 1400, "height": 850})
    pg = ctx.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server_url)
    pg.wait_for_selector(".leaflet-container", timeout=30_000)
    yield pg
    ctx.close()


def test_map_renders_demo_layers(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=30_000
    )
    page.wait_for_selector("img.leaflet-tile-loaded[src*='/tiles/land_use/']", timeout=30_000)
    page.wait_for_selector("img.leaflet-tile-loaded[src*='/tiles/hillshade/']", timeout=30_000)
    page.wait_for_selector(
        "path.leaflet-interactive[stroke='#1f4e9c']", timeout=10_000
    )  # watersheds
    assert page.locator(".badge-synthetic").inner_text() == "SYNTHETIC DATA"
    assert "Cropland" in page.locator("#legend-land-use").inner_text()
    page.wait_for_timeout(500)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map.png"))
    assert page.errors == []


def test_rainfall_toggle_and_month(page: Any) -> None:
    page.get_by_label("Rainfall", exact=True).check()
    page.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/rainfall_annual/']", timeout=20_000
    )
    thumb = page.locator("#month-select [role=slider]")
    thumb.focus()
    for _ in range(4):  # keyboard-reachable: Year -> April
        thumb.press("ArrowRight")
    page.wait_for_selector("img.leaflet-tile-loaded[src*='band=4']", timeout=20_000)
    assert page.errors == []


def test_click_community_shows_it(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=30_000
    )
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "document.querySelector('#selected-community strong') !== null", timeout=10_000
    )
    text = page.locator("#selected-community").inner_text()
    assert "ha" in text and "id C" in text


def _fills(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "path.leaflet-interactive[fill-opacity='0.65']",
        "els => els.map(e => e.getAttribute('fill'))",
    )


def test_indicator_recolours_and_click_opens_profile(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll(\"path.leaflet-interactive[fill-opacity='0.65']\").length >= 80",
        timeout=30_000,
    )
    before = _fills(page)
    assert len(set(before)) >= 4  # quantile classes, not one flat colour
    page.locator("#indicator-select").click()
    page.get_by_text("Water deficit (PET - AET) (mm/yr)").click()
    page.wait_for_function(
        "document.querySelector('#choropleth-legend').innerText.includes('deficit')", timeout=10_000
    )
    page.wait_for_timeout(300)
    assert _fills(page) != before
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    page.wait_for_selector("#profile-panel .profile-name", timeout=10_000)
    assert "Monthly water balance" in page.locator("#profile-panel").inner_text()
    page.wait_for_selector("#profile-panel .js-plotly-plot", timeout=10_000)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map-profile.png"))
    assert page.errors == []
