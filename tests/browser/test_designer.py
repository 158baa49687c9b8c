"""The designer's journey in headless Chromium: weights, picking, suggestions, shortlists."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rasterio
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, SERVER_WAIT_MS, search_option, wait_for_dash

pytestmark = pytest.mark.browser


@pytest.fixture
def page(design_page: Any) -> Any:
    return design_page


def _ranking(page: Any) -> list[str]:
    cells = page.locator("#design-ranking .ag-row [col-id='name']")
    rows = page.locator("#design-ranking .ag-row")
    order = sorted(
        range(rows.count()), key=lambda i: int(rows.nth(i).get_attribute("row-index") or 0)
    )
    return [cells.nth(i).inner_text() for i in order]


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between (lat, lon) pairs, metres."""
    la1, lo1, la2, lo2 = (math.radians(v) for v in (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_weight_slider_reorders_the_ranking(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('#design-ranking .ag-row').length >= 10", timeout=SERVER_WAIT_MS
    )
    pct = page.locator("#design-weight-pcts")
    expect(pct).to_contain_text("Slope 33 %")
    wait_for_dash(page)  # the ranking of the default weights
    before = _ranking(page)
    assert len(before) >= 10
    thumb = page.locator(".weight-row [role=slider]").first
    thumb.focus()
    thumb.press("Home")  # slope weight to 0
    page.wait_for_function(
        "document.querySelector('#design-weight-pcts').innerText.includes('Slope 0 %')",
        timeout=SERVER_WAIT_MS,
    )
    # the ranking's order changes (the top may stay: it can lead on every criterion)
    page.wait_for_function(
        """(before) => {
            const rows = [...document.querySelectorAll('#design-ranking .ag-row')];
            rows.sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'));
            const names = rows.map((r) => r.querySelector('[col-id="name"]').innerText);
            return names.length >= 10 && names.some((n, i) => i < before.length && n !== before[i]);
        }""",
        arg=before,
        timeout=SERVER_WAIT_MS,
    )
    assert _ranking(page) != before
    # the map's choropleth follows the designer's intervention
    expect(page.locator("#choropleth-legend")).to_contain_text("Suitability")
    assert page.errors == []


def _free_map_point(page: Any) -> tuple[float, float]:
    """A point of the map over a community and under no marker (a click there picks a site;
    one on a project-site marker opens its popup instead)."""
    box = page.locator(".leaflet-container").bounding_box()
    for fx, fy in [(0.5, 0.55), (0.45, 0.5), (0.55, 0.6), (0.4, 0.6), (0.6, 0.45), (0.5, 0.4)]:
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        free = page.evaluate(
            """([x, y]) => {
                const el = document.elementFromPoint(x, y);
                return !!el && !el.closest('.leaflet-marker-pane, .leaflet-popup-pane')
                    && !!el.closest('.leaflet-overlay-pane');
            }""",
            [x, y],
        )
        if free:
            return x, y
    raise AssertionError("no point of the map is free of markers")


def test_pick_suggest_save_and_reopen_a_shortlist(page: Any, server_url: str) -> None:
    page.check("#pick-mode input")
    expect(page.locator("#pick-mode input")).to_be_checked()
    page.wait_for_function(  # the communities are drawn: a click lands on one
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    wait_for_dash(page)
    x, y = _free_map_point(page)
    page.mouse.click(x, y)
    page.wait_for_selector("#site-evaluation .evaluation", timeout=SERVER_WAIT_MS)
    evaluation = page.locator("#site-evaluation")
    for text in ("Limited by", "Community", "Slope"):
        expect(evaluation).to_contain_text(text)
    page.uncheck("#pick-mode input")

    page.fill("#recommend-count", "10")
    page.fill("#recommend-spacing", "1200")
    page.click("#recommend-button")
    page.wait_for_function(
        "document.querySelector('#design-message').innerText.includes('sites suggested')",
        timeout=SERVER_WAIT_MS,
    )
    # the picked site and ten suggestions
    page.wait_for_function(
        "document.querySelectorAll('.cand-row').length === 11", timeout=SERVER_WAIT_MS
    )
    texts = page.locator(".cand-row .cand-text")
    points = []
    for i in range(1, texts.count()):
        lat, lon = (float(v) for v in texts.nth(i).get_attribute("title").split(","))
        points.append((lat, lon))
    gaps = [_metres(a, b) for i, a in enumerate(points) for b in points[i + 1 :]]
    assert min(gaps) >= 1200 * 0.995  # metres on the sphere vs. on the UTM grid
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "designer.png"))

    page.fill("#shortlist-name", "Browser test list")
    page.fill("#shortlist-author", "playwright")
    page.click("#shortlist-save")
    page.wait_for_function(
        "document.querySelector('#shortlist-message').innerText.includes('Browser test list')",
        timeout=SERVER_WAIT_MS,
    )
    # a new page (a colleague, or after a restart) finds it in the saved shortlists
    page.goto(server_url + "/?page=design")
    page.wait_for_selector("#design-ranking .ag-row", timeout=SERVER_WAIT_MS)
    page.locator("#shortlist-select").click()
    option = page.get_by_text("Browser test list (11, playwright", exact=False)
    option.first.click()
    page.click("#shortlist-open")
    page.wait_for_function(
        "document.querySelectorAll('.cand-row').length === 11", timeout=SERVER_WAIT_MS
    )
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#shortlist-geojson")
    assert "_shortlist_browser_test_list_" in info.value.suggested_filename
    features = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["features"]
    assert len(features) == 11
    # the printable brief of the shortlist opens in a new tab
    link = page.locator("#shortlist-brief")
    link.wait_for(state="visible", timeout=SERVER_WAIT_MS)
    with page.context.expect_page(timeout=SERVER_WAIT_MS) as new_tab:
        link.click()
    brief = new_tab.value
    brief.wait_for_load_state()
    expect(brief.locator("h1")).to_have_text("Browser test list")
    expect(brief.locator("table").nth(2).locator("tr")).to_have_count(12)  # header + 11 sites
    assert page.errors == []


def test_draw_an_area_and_read_its_summary(page: Any) -> None:
    page.click(".leaflet-draw-draw-rectangle")
    box = page.locator(".leaflet-container").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 80, y0 + 60, steps=5)
    page.mouse.up()
    page.wait_for_selector("#aoi-summary .profile-name", timeout=SERVER_WAIT_MS)
    summary = page.locator("#aoi-summary")
    expect(summary).to_contain_text("Area of interest")
    expect(summary).to_contain_text("Monthly water balance")
    expect(summary.locator(".suitability-table tbody tr")).to_have_count(5)
    expect(page.locator("#aoi-message")).to_contain_text("1 polygon(s)")
    # the drawn area's land use as a raster clip from the downloads panel
    page.click(".downloads summary")
    page.locator("#download-format").click()
    page.get_by_text("Raster clip (COG)", exact=True).click()
    page.locator("#download-layer").click()
    page.get_by_role("option", name="land_use", exact=True).click()
    page.get_by_label("Only the drawn area").check()
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#download-button")
    assert "_land_use_area_" in info.value.suggested_filename
    with rasterio.open(info.value.path()) as clip:
        codes = clip.read(1, masked=True)
        assert clip.crs.to_epsg() == 32737 and codes.count() > 50  # demo: UTM 37S
        assert set(np.unique(codes.compressed())) <= set(range(1, 9))
    assert page.errors == []


def test_run_a_scenario_and_see_the_change(page: Any) -> None:
    mapvar = page.locator("#scenario-map-variable")
    expect(mapvar).to_be_hidden()  # nothing to map before a run
    page.fill("#scenario-rain-pct", "-10")
    page.fill("#scenario-ponds", "5")
    page.fill("#scenario-pond-volume", "500")
    page.fill("#scenario-name", "Drier with ponds")
    page.click("#scenario-run")
    page.wait_for_selector("#scenario-result .scenario-totals", timeout=SERVER_WAIT_MS)
    result = page.locator("#scenario-result")
    expect(result).to_contain_text("Water harvested (used from ponds)")
    expect(result).to_contain_text("Pond fills per year")
    harvested = result.locator(".scenario-totals dd").first
    expect(harvested).to_have_text(re.compile(r"^\+"))
    expect(harvested).not_to_have_text("+0 m³/yr")
    expect(result.locator(".scenario-table tbody tr").first).to_contain_text("-")
    expect(mapvar).to_be_visible()
    page.wait_for_function(
        "document.querySelector('#choropleth-legend').innerText.includes('Scenario')",
        timeout=SERVER_WAIT_MS,
    )
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "scenario.png"))
    assert page.errors == []


def test_ahp_and_constraint_toggles(page: Any) -> None:
    page.click("#designer .ahp summary")
    cells = page.locator(".ahp-cell")
    expect(cells).to_have_count(6)  # four criteria of farm ponds: six pairs
    cells.first.click()
    page.get_by_role("option", name="9", exact=True).click()
    page.wait_for_function(
        "document.querySelector('#ahp-info').innerText.includes('Consistency ratio')",
        timeout=SERVER_WAIT_MS,
    )
    page.wait_for_function(
        "document.querySelector('#design-weight-pcts').innerText.includes('Slope')",
        timeout=SERVER_WAIT_MS,
    )
    score = (
        'document.querySelector(\'#design-ranking .ag-row[row-index="0"] [col-id="mean_score"]\')'
    )
    wait_for_dash(page)  # the ranking of the AHP weights, before the constraints change
    before = page.evaluate(f"{score}.innerText")
    boxes = page.locator("#design-constraints input[type=checkbox]")
    page.wait_for_function(  # excluded land use, slope limit, (protected areas, water)
        "document.querySelectorAll('#design-constraints input[type=checkbox]').length >= 2",
        timeout=SERVER_WAIT_MS,
    )
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    # without constraints nothing scores 0 by exclusion: the best mean score rises
    page.wait_for_function(
        f"parseFloat({score}.innerText) > {float(before)}", timeout=SERVER_WAIT_MS
    )
    assert page.errors == []


COMMUNITY_AT = """([x, y]) => {
    const el = document.elementFromPoint(x, y);
    if (!el || !el.closest('.leaflet-overlay-pane')) { return null; }
    const byId = Object.entries(window.landwater.communityState.byId);
    const hit = byId.find(([, layer]) => layer._path === el);
    return hit ? hit[0] : null;
}"""


def _community_points(page: Any) -> list[tuple[float, float, str]]:
    """Points of the map on a community's own path (no marker, outline or control over them),
    one per community, from the map's middle outwards."""
    box = page.locator(".leaflet-container").bounding_box()
    out: dict[str, tuple[float, float, str]] = {}
    for fy in (0.5, 0.6, 0.4, 0.7):
        for fx in (0.45, 0.5, 0.4, 0.55, 0.35, 0.6, 0.3):
            x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
            uid = page.evaluate(COMMUNITY_AT, [x, y])
            if uid and uid not in out:
                out[uid] = (x, y, uid)
    return list(out.values())


def _centre_of(page: Any, selector: str) -> tuple[float, float]:
    """The centre of the first element matching ``selector`` whose centre lies on the map
    (under no control or other page element)."""
    xy = page.evaluate(
        """(sel) => {
            for (const el of document.querySelectorAll(sel)) {
                const r = el.getBoundingClientRect();
                const x = r.x + r.width / 2, y = r.y + r.height / 2;
                const top = document.elementFromPoint(x, y);
                if (top && top.closest('.leaflet-map-pane')) { return [x, y]; }
            }
            return null;
        }""",
        selector,
    )
    assert xy is not None, f"nothing of {selector} is clickable on the map"
    return xy[0], xy[1]


def _pick(page: Any, x: float, y: float) -> None:
    """Click the map at (x, y) and wait for that click's pick in the candidate list."""
    wait_for_dash(page)
    rows = page.locator(".cand-row").count()
    page.mouse.click(x, y)
    page.wait_for_function(
        f"document.querySelectorAll('.cand-row').length > {rows}", timeout=SERVER_WAIT_MS
    )
    wait_for_dash(page)


def test_every_click_in_pick_mode_picks(page: Any) -> None:
    """Picks in a row: other communities, the same community, on an earlier pick's marker, on
    a project site, after a suggestion and after a weight change: each one picks a site."""
    page.check("#pick-mode input")
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    wait_for_dash(page)
    points = _community_points(page)
    assert len(points) >= 4
    (ax, ay, _), (bx, by, _), (cx, cy, _), (dx, dy, _) = points[:4]
    _pick(page, ax, ay)
    _pick(page, bx, by)
    _pick(page, ax + 6, ay + 6)  # the same community again, beside the first pick
    _pick(page, *_centre_of(page, ".cand-marker"))  # on an earlier pick's marker
    _pick(page, *_centre_of(page, ".leaflet-sites-pane path.leaflet-interactive"))
    expect(page.locator(".leaflet-popup")).to_have_count(0)  # a pick, not the site's popup

    page.fill("#recommend-count", "3")
    page.fill("#recommend-spacing", "1200")
    page.click("#recommend-button")
    page.wait_for_function(
        "document.querySelector('#design-message').innerText.includes('sites suggested')",
        timeout=SERVER_WAIT_MS,
    )
    _pick(page, cx, cy)

    pct = page.locator("#design-weight-pcts").inner_text()
    thumb = page.locator(".weight-row [role=slider]").first
    thumb.focus()
    thumb.press("Home")
    page.wait_for_function(
        "pct => document.querySelector('#design-weight-pcts').innerText !== pct",
        arg=pct,
        timeout=SERVER_WAIT_MS,
    )
    _pick(page, dx, dy)
    _pick(page, dx, dy)  # the same point twice in a row
    assert page.errors == []


# a point inside the drawn area over a community and under no marker, with the community's id
_COMMUNITY_IN_AREA = """() => {
    const area = document.querySelector('.leaflet-aoi-pane path');
    const byId = window.landwater.communityState.byId;
    const ids = new Map(Object.entries(byId).map(([id, layer]) => [layer._path, id]));
    const r = area.getBoundingClientRect();
    for (let fy = 0.2; fy < 0.81; fy += 0.1) {
        for (let fx = 0.2; fx < 0.81; fx += 0.1) {
            const x = r.x + r.width * fx, y = r.y + r.height * fy;
            const id = ids.get(document.elementFromPoint(x, y));
            if (id) { return [x, y, id]; }
        }
    }
    return null;
}"""


def test_a_click_inside_the_area_reaches_the_community_under_it(page: Any) -> None:
    """The area of interest (and the shape drawn for it) is drawn for reading: a click inside
    it selects the community under it, as anywhere else on the map."""
    page.wait_for_function(
        "document.querySelectorAll('path.leaflet-interactive').length >= 80", timeout=SERVER_WAIT_MS
    )
    page.click(".leaflet-draw-draw-rectangle")
    box = page.locator(".leaflet-container").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 160, y0 + 120, steps=5)
    page.mouse.up()
    page.wait_for_selector("#aoi-summary .profile-name", timeout=SERVER_WAIT_MS)
    area = page.locator(".leaflet-aoi-pane path")
    expect(area).to_have_count(1)  # the red outline, in its own pane over the communities
    wait_for_dash(page)
    found = page.evaluate(_COMMUNITY_IN_AREA)
    assert found is not None, "no community is reachable inside the drawn area"
    x, y, community = found
    page.mouse.click(x, y)
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('sel') === 'communities:' + id",
        arg=community,
        timeout=SERVER_WAIT_MS,
    )
    assert page.errors == []


def test_a_future_climate_scenario_shows_baseline_against_the_gcm_spread(page: Any) -> None:
    page.locator("#scenario-future").click()
    page.get_by_role("option", name="ensemble ssp245 2041-2060", exact=True).click()
    page.fill("#scenario-name", "Mid-century")
    page.click("#scenario-run")
    future = page.locator("#scenario-result .future-result")
    expect(future).to_contain_text("Median of 3 GCMs (DEMO-DRY, DEMO-MID, DEMO-WET)")
    rows = future.locator("tbody tr")
    expect(rows).to_have_count(6)
    # potential ET: every demo model warms, so the whole spread lies above the baseline
    pet = [c.strip() for c in rows.nth(1).locator("td").all_inner_texts()]
    base, median = float(pet[1].replace(",", "")), float(pet[2].replace(",", ""))
    low, high = (float(x.replace(",", "")) for x in pet[3].split("–"))
    assert base < low <= median <= high
    # the monthly chart draws the spread as a band named in the legend
    expect(
        page.locator("#scenario-result .legendtext", has_text="GCM spread").first
    ).to_be_visible()
    # each variable: baseline, the band (high edge, then low filled up to it), the median
    traces = page.locator("#scenario-result .js-plotly-plot").first.evaluate(
        # _fullData: the drawn traces, their y decoded from the figure's binary arrays
        "g => g._fullData.map(d => ({name: d.name || '', fill: d.fill || '', y: Array.from(d.y)}))"
    )
    bands = [i for i, d in enumerate(traces) if d["fill"] == "tonexty"]
    assert len(bands) == 4
    for i in bands:
        base_t, hi_t, lo_t, median_t = traces[i - 2 : i + 2]
        assert "(baseline)" in base_t["name"] and "(GCM spread)" in lo_t["name"]
        assert "(future median)" in median_t["name"]
        lo_y, hi_y, mid_y = (np.array(x["y"], float) for x in (lo_t, hi_t, median_t))
        assert len(lo_y) == 12
        assert (lo_y <= mid_y + 1e-6).all() and (mid_y <= hi_y + 1e-6).all()
    # suitability and crops under the future: per intervention and crop, with the spread
    suit = page.locator("#scenario-future-suitability .future-suitability")
    expect(suit.locator(".future-suit-table thead")).to_contain_text(
        "GCM spread", timeout=SERVER_WAIT_MS
    )
    expect(suit.locator(".future-suit-table tbody tr")).to_have_count(5)
    expect(suit.locator(".future-crop-table thead")).to_contain_text("GCMs agreeing")
    expect(suit.locator(".future-crop-table tbody tr").first).to_contain_text("/3")
    OUTPUT.mkdir(exist_ok=True)
    suit.screenshot(path=str(OUTPUT / "scenario-future-suitability.png"))
    # a community's profile: its baseline against the future's median and spread
    search_option(page, "C030", "C030").first.click()
    profile = page.locator("#profile-future")
    expect(profile).to_contain_text("ensemble ssp245 2041-2060", timeout=SERVER_WAIT_MS)
    expect(profile.locator("thead")).to_contain_text("GCM spread")
    expect(profile.locator("tbody tr")).to_have_count(4)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "scenario-future.png"))
    # its printable brief carries the future too
    with page.context.expect_page(timeout=SERVER_WAIT_MS) as new_tab:
        profile.locator("a.brief-link").click()
    brief = new_tab.value
    brief.wait_for_load_state()
    section = brief.locator("section.future")
    expect(section.locator("h2")).to_contain_text("ensemble ssp245 2041-2060")
    expect(section.locator("tr")).to_have_count(5)  # header + 4 variables
    brief.close()
    assert page.errors == []
