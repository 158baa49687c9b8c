"""Catchment from a click in headless Chromium: a demo stream, then a click off the region."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect
from pyproj import Transformer
from scipy import ndimage

from layers.region import load_region
from layers.registry import LayerRegistry
from processing.catchment import DEFAULT_SNAP_M
from processing.catchment_routing import region_routing
from tests.browser.conftest import DESIGNER_FIRST_LOAD_MS, OUTPUT, SERVER_WAIT_MS

pytestmark = pytest.mark.browser

CONTAINER_XY = (
    "([lat, lon]) => { const l = Object.values(window.landwater.communityState.byId)[0];"
    " const c = l._map.latLngToContainerPoint([lat, lon]); return [c.x, c.y]; }"
)


def _targets(region: Path) -> tuple[tuple[float, float], tuple[float, float], float, float]:
    """A demo stream cell alone within 300 m, a point north of the region, and the areas.

    The stream cell drains 10 to 40 km2 and no cell within 300 m drains 10 % more, so the
    catchment after snapping (radius 150 m) lies between its own upstream area and 1.1
    times it.
    """
    reg = LayerRegistry(load_region(region))
    up = region_routing(reg).upstream_cells * reg.grid.cell_area_m2 / 1e6
    rows, cols = up.shape
    ok = (up > 10) & (up < 40) & (ndimage.maximum_filter(up, size=21) < 1.1 * up)
    middle = np.zeros_like(ok)
    middle[rows // 3 : 2 * rows // 3, cols // 3 : 2 * cols // 3] = True
    rr, cc = np.nonzero(ok & middle)
    r, c = rr[len(rr) // 2], cc[len(cc) // 2]
    to_wgs = Transformer.from_crs(reg.grid.crs, 4326, always_xy=True)
    lon, lat = to_wgs.transform(*(reg.grid.transform * (c + 0.5, r + 0.5)))
    w, _s, e, n = reg.grid.bounds
    _, north = to_wgs.transform((w + e) / 2, n)
    return (lat, lon), (north + 0.004, lon), float(up[r, c]), 1.1 * float(up[r, c])


def _click(page: Any, lat: float, lon: float) -> None:
    x, y = page.evaluate(CONTAINER_XY, [lat, lon])
    box = page.locator(".leaflet-container").bounding_box()
    assert 0 < x < box["width"] and 0 < y < box["height"], "the point is off the map's box"
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_a_click_on_a_stream_draws_its_catchment_and_a_click_outside_says_so(
    browser: Any, server_url: str, processed_demo: Path
) -> None:
    stream, outside, low_km2, high_km2 = _targets(processed_demo)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server_url)
    pg.wait_for_function(
        "() => window.landwater && window.landwater.communityState"
        " && Object.keys(window.landwater.communityState.byId).length > 0",
        timeout=SERVER_WAIT_MS,
    )
    expect(pg.locator("#catchment-radius")).to_have_value(f"{DEFAULT_SNAP_M:g}")
    pg.locator("#catchment-mode input").check()

    _click(pg, *stream)

    facts = pg.locator("#catchment-summary .catchment-facts")
    expect(facts).to_contain_text(
        "Catchment:", timeout=DESIGNER_FIRST_LOAD_MS
    )  # the first builds the engine
    expect(facts).to_contain_text(f"(radius {DEFAULT_SNAP_M:,.0f} m)")
    shown = re.search(r"Catchment: ([\d,.]+) km²", facts.inner_text())
    assert shown is not None
    area = float(shown.group(1).replace(",", ""))
    assert low_km2 - 0.005 <= area <= high_km2 + 0.005
    summary = pg.locator("#catchment-summary .profile")
    expect(summary.locator(".profile-name")).to_have_text("Catchment")
    expect(summary).to_contain_text("Monthly water balance")
    expect(summary).to_contain_text("Suitability for interventions")
    # the catchment, the snapping radius and the outlet are on the map; no community selected
    expect(pg.locator("path.catchment-shape")).to_have_count(3)
    expect(pg.locator("#selected-community")).to_have_text("Click a community on the map.")
    pg.screenshot(path=str(OUTPUT / "catchment.png"))

    _click(pg, *outside)

    expect(pg.locator("#catchment-message")).to_contain_text("lies outside the region")
    expect(pg.locator("path.catchment-shape")).to_have_count(0)
    expect(pg.locator("#catchment-summary")).to_be_empty()
    assert errors == []
    ctx.close()
