"""Saved areas in headless Chromium: upload, save by name, reopen from the link, rename, delete."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESIGNER_FIRST_LOAD_MS

pytestmark = pytest.mark.browser

SIDE_M = 2000.0  # the uploaded square's side in the region's UTM zone
NAME = "Ponds <b>north</b> & 'east'"  # markup and quotes: shown as typed, never as HTML


def _square(region: Path) -> bytes:
    """A 2 km square (UTM) around the first community's centre, as GeoJSON in lon/lat."""
    communities = gpd.read_file(region / "data" / "communities.gpkg")
    centre = communities.geometry.iloc[0].centroid
    square = gpd.GeoSeries([centre.buffer(SIDE_M / 2, cap_style="square")], crs=communities.crs)
    return square.to_crs(4326).to_json().encode()


def _hectares(text: str) -> float:
    return float(re.search(r"([\d,]+\.\d) ha", text).group(1).replace(",", ""))  # type: ignore[union-attr]


def test_save_an_area_reopen_it_from_its_link_rename_and_delete(
    design_page: Any, server_url: str, demo_region: Path
) -> None:
    page = design_page  # the designer's engine is built: an area's summary answers at once
    upload = page.locator("#aoi-upload input[type=file]")
    upload.set_input_files(
        [{"name": "square.geojson", "mimeType": "application/json", "buffer": _square(demo_region)}]
    )
    summary = page.locator("#aoi-summary")
    expect(summary.locator(".profile-name")).to_have_text("Area of interest")
    # save it by name: the list, the URL and the link name the saved area
    page.fill("#area-name", NAME)
    page.click("#area-save")
    message = page.locator("#area-message")
    expect(message).to_contain_text(f"Saved “{NAME}”: ")
    saved_ha = _hectares(message.inner_text())
    # geodesic hectares of a 2 km UTM square: 400 ha within the UTM scale error
    assert saved_ha == pytest.approx(SIDE_M**2 / 10_000, rel=2e-3)
    page.wait_for_function("new URLSearchParams(location.search).get('area') !== null")
    area_id = page.evaluate("new URLSearchParams(location.search).get('area')")
    link = page.locator("#area-link")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href == f"?page=design&area={area_id}"
    assert page.locator("#area-message b, #area-select b, #aoi-summary b").count() == 0
    # the shared link reopens the area's summary under its name
    page.goto(f"{server_url}/{href}")
    expect(summary.locator(".profile-name")).to_have_text(NAME, timeout=DESIGNER_FIRST_LOAD_MS)
    expect(summary).to_contain_text("Monthly water balance")
    expect(summary.locator(".suitability-table tbody tr")).to_have_count(5)
    expect(summary.locator(".profile-facts")).to_contain_text("400 ha")
    expect(message).to_contain_text(f"Opened “{NAME}”: {saved_ha:,.1f} ha.")
    expect(page.locator(".leaflet-aoi-pane path")).to_have_count(1)
    expect(page.locator("#area-select")).to_contain_text(NAME)
    # rename: the list, the message and the summary's title follow
    page.fill("#area-name", "Ponds north, phase 2")
    page.click("#area-rename")
    expect(message).to_have_text("Renamed to “Ponds north, phase 2”.")
    expect(summary.locator(".profile-name")).to_have_text("Ponds north, phase 2")
    expect(page.locator("#area-select")).to_contain_text("Ponds north, phase 2")
    # delete: the area stays drawn, unsaved; the URL and the link forget it
    page.click("#area-delete")
    expect(message).to_have_text("Deleted “Ponds north, phase 2”.")
    page.wait_for_function("new URLSearchParams(location.search).get('area') === null")
    expect(link).to_be_hidden()
    expect(page.locator(".leaflet-aoi-pane path")).to_have_count(1)
    assert page.errors == []
