"""Thousands of communities: drawn on a canvas, coloured as the server says, restyled in place.

The demo's north-western corner with its communities replaced by ~2,700 hexagons of 0.38 km
(above ``CANVAS_ABOVE_UNITS``), processed and served by ``landwater serve``. The canvas has no DOM
per community, so the checks read what is drawn: canvas pixels at points inside communities
against the colour of their quantile class computed here from the results store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from playwright.sync_api import expect

from benchmarks.bench_browser import FILLS, PAINTED
from tests.browser.conftest import SERVER_WAIT_MS, search_option, serve_region
from tests.demo_build import demo_corner

pytestmark = pytest.mark.browser

HEX_KM = 0.38
# pixel of each [id, lat, lon] on the communities' canvas, with the layer's fill colour
PIXELS_JS = """pts => {
  const s = window.landwater.communityState;
  const any = Object.values(s.byId)[0];
  const map = any._map, r = any._renderer, dpr = window.devicePixelRatio || 1;
  const ctx = r._container.getContext('2d');
  const size = map.getSize();
  return pts.map(([id, lat, lon]) => {
    const c = map.latLngToContainerPoint([lat, lon]);
    const inside = c.x > 5 && c.y > 5 && c.x < size.x - 5 && c.y < size.y - 5;
    const p = map.latLngToLayerPoint([lat, lon]).subtract(r._bounds.min);
    const d = ctx.getImageData(Math.round(p.x * dpr), Math.round(p.y * dpr), 1, 1).data;
    return [id, inside, d[0], d[1], d[2], d[3]];
  });
}"""


@pytest.fixture(scope="module")
def hex_region(demo_region: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from layers.build.delineation import hex_grid
    from processing.pipeline import process_region

    # the corner of the session's demo inputs: a fifth of the demo's cells to process
    region = demo_corner(demo_region, tmp_path_factory.mktemp("hexes") / "region")
    path = region / "data" / "communities.gpkg"
    demo = gpd.read_file(path)
    hexes = hex_grid(shapely.box(*demo.total_bounds), HEX_KM, demo.crs)
    hexes = hexes.rename(columns={"id": "community_id"})
    path.unlink()
    hexes.to_file(path, driver="GPKG")
    process_region(region)
    return region


@pytest.fixture(scope="module")
def hex_url(hex_region: Path) -> Iterator[str]:
    with serve_region(hex_region, "server-canvas.log", designer=False) as url:
        yield url


def _expected_colours(region: Path, column: str, palette: str) -> dict[str, tuple[int, ...]]:
    """Colour of each community's quantile class (5 classes, computed here with numpy)."""
    from dashboard.indicators import PALETTES
    from processing.results_store import ResultsStore

    summary = ResultsStore(region / "results").summary("communities")
    values = summary[column].to_numpy(dtype=float)
    limits = np.quantile(values, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert len(np.unique(limits)) == 6  # five distinct classes on this region
    out = {}
    for uid, v in zip(summary["id"], values, strict=True):
        k = int(sum(v >= lim for lim in limits[1:-1]))
        hexcode = PALETTES[palette][k].lstrip("#")
        out[str(uid)] = tuple(int(hexcode[i : i + 2], 16) for i in (0, 2, 4))
    return out


def _check_pixels(page: Any, points: list[list[object]], expected: dict[str, Any]) -> int:
    """Assert every visible sample point shows its community's class colour; count them."""
    seen = 0
    for uid, inside, r, g, b, a in page.evaluate(PIXELS_JS, points):
        if not inside:
            continue
        seen += 1
        assert abs(a - 166) <= 2, (uid, a)  # the fill (0.65 opacity), not a stroke
        assert max(abs(x - y) for x, y in zip((r, g, b), expected[uid], strict=True)) <= 2, (
            uid,
            (r, g, b),
            expected[uid],
        )
    return seen


def test_thousands_of_communities_draw_on_a_canvas(
    browser: Any, hex_url: str, hex_region: Path
) -> None:
    comm = gpd.read_file(hex_region / "data" / "communities.gpkg")
    assert len(comm) > 2000
    inner = comm.to_crs(4326).representative_point()
    points = [[str(i), p.y, p.x] for i, p in zip(comm["community_id"], inner, strict=True)]
    centre = inner.union_all().centroid
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # zoomed in, only the communities overlay (no strokes of other layers over the fills)
    page.goto(f"{hex_url}/?lat={centre.y:.5f}&lon={centre.x:.5f}&z=12&ind=rain&layers=Communities")
    page.wait_for_function(PAINTED, timeout=SERVER_WAIT_MS, polling="raf")
    # one canvas, no SVG path per community
    expect(page.locator(".leaflet-overlay-pane canvas")).to_have_count(1)
    expect(page.locator("path.leaflet-interactive")).to_have_count(0)
    n_layers = page.evaluate("Object.keys(window.landwater.communityState.byId).length")
    assert n_layers == len(comm)

    # the colours drawn are the rainfall classes of the results store
    seen = _check_pixels(page, points, _expected_colours(hex_region, "rain_mm_yr", "ylgnbu"))
    assert seen >= 100

    # a click on a community opens its profile and outlines it, drawn on top
    target = min(points, key=lambda p: (p[1] - centre.y) ** 2 + (p[2] - centre.x) ** 2)
    xy = page.evaluate(
        "([id, lat, lon]) => { const l = window.landwater.communityState.byId[id];"
        " const c = l._map.latLngToContainerPoint([lat, lon]); return [c.x, c.y]; }",
        target,
    )
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    expect(page.locator("#profile-panel .profile-id")).to_have_text(
        target[0], timeout=SERVER_WAIT_MS
    )
    style = (
        "id => { const o = window.landwater.communityState.byId[id].options;"
        " return [o.weight, o.color]; }"
    )
    page.wait_for_function(f"id => ({style})(id)[0] === 3.5", arg=target[0], timeout=SERVER_WAIT_MS)
    assert page.evaluate(style, target[0]) == [3.5, "#000000"]

    # a new indicator restyles the same layers in place (no rebuild of 2,700 features)
    page.evaluate("Object.values(window.landwater.communityState.byId).forEach(l => l._kept = 1)")
    before = page.evaluate(FILLS)
    page.locator("#indicator-select").click()
    page.get_by_text("Water deficit (PET - AET) (mm/yr)").click()
    page.wait_for_function(
        f"b => ({FILLS})() !== b", arg=before, timeout=SERVER_WAIT_MS, polling="raf"
    )
    kept = page.evaluate(
        "Object.values(window.landwater.communityState.byId).filter(l => l._kept).length"
    )
    assert kept == len(comm)
    expected = _expected_colours(hex_region, "deficit_mm_yr", "oranges")
    outline = [p for p in points if p[0] != target[0]]  # its heavy outline may cover the point
    assert _check_pixels(page, outline, expected) >= 100
    assert page.evaluate(style, target[0]) == [3.5, "#000000"]  # still selected

    # the search box: the page carries no list of 2,700 names, the server answers the typing
    other = points[len(points) // 3][0]
    search_option(page, f"({other})", f"({other})").click()
    page.wait_for_function(
        "id => (document.querySelector('#profile-panel .profile-id') || {}).innerText === id",
        arg=other,
        timeout=SERVER_WAIT_MS,
    )
    page.wait_for_function(f"id => ({style})(id)[0] === 3.5", arg=other, timeout=SERVER_WAIT_MS)
    assert page.evaluate(style, target[0]) == [0.8, "#3d3d3d"]  # the old outline is gone
    assert errors == []
    ctx.close()
