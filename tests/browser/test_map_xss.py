"""Stored script injection on the map: every text of a region is a script payload.

A tiny processed region whose community, watershed, site and land-use class names and a site
column name are all ``<img src=x onerror=...>`` payloads, served by ``landwater serve``. Hover
every community and the watershed, hover and click every site: the tooltips and popups show the
payload as text, and no script runs (the page title stays, no injected image appears).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from playwright.sync_api import expect
from pyproj import Transformer

from tests.browser.conftest import serve_region, wait_for_dash
from tests.regionkit import UTM, X0, Y0, tiny_region, write_toml

pytestmark = pytest.mark.browser

MARK = "PWNED"


# a point on the left edge of a path's stroke (dashed) that hits the path itself
COMMUNITY_PATHS = ".leaflet-overlay-pane path.leaflet-interactive"
# every map layer whose bound tooltip names ``what``: its tooltip opened through Leaflet (as a
# hover opens it; pointing the mouse at a dashed outline or at a polygon under a site or a
# name label is not stable), read as the page shows it, closed again
TOOLTIPS_JS = """what => {
  const any = Object.values(window.landwater.communityState.byId)[0];
  const out = [];
  any._map.eachLayer(layer => {
    const tip = layer.getTooltip && layer.getTooltip();
    if (!tip || !layer.feature || tip.options.permanent) { return; }
    const content = String(tip.getContent());
    if (!content.includes(what)) { return; }
    layer.openTooltip();
    const el = tip.getElement();
    out.push([el.textContent, el.querySelector('img') === null]);
    layer.closeTooltip();
  });
  return out;
}"""


def _tooltips(page: Any, what: str) -> set[str]:
    """Texts of the hover tooltips naming ``what`` (see TOOLTIPS_JS); none holds an image."""
    shown = page.evaluate(TOOLTIPS_JS, what)
    assert shown and all(text_only for _, text_only in shown), shown
    return {text for text, _ in shown}


def payload(what: str) -> str:
    """A script payload that renames the page when it runs, named for the field it fills."""
    return f"<img src=x class=xss onerror=\"document.title='{MARK}'\"> {what}"


@pytest.fixture(scope="module")
def hostile_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from processing.pipeline import process_region

    root = tmp_path_factory.mktemp("xss") / "region"
    cfg = tiny_region(root)
    data = root / "data"
    comm = gpd.read_file(data / "communities.gpkg")
    comm["name"] = [payload(f"community {c}") for c in comm["cid"]]
    comm.to_file(data / "communities.gpkg")
    # one watershed around the communities, reachable by hovering outside them
    gpd.GeoDataFrame(
        {"wid": ["W1"], "name": [payload("watershed")]},
        geometry=[shapely.box(X0 - 150, Y0 - 750, X0 + 750, Y0 + 150)],
        crs=UTM,
    ).to_file(data / "watersheds.gpkg")
    sites = pd.read_csv(data / "sites.csv")
    # the third site away from the top-right corner, which the layer list covers
    lon, lat = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True).transform(X0 + 150, Y0 - 500)
    sites.loc[2, ["lon", "lat"]] = [lon, lat]
    sites["name"] = [payload(f"site {s}") for s in sites["site_id"]]
    sites[payload("column")] = payload("cell")
    sites.to_csv(data / "sites.csv", index=False)
    classes = pd.read_csv(data / "lu_classes.csv")
    classes["name"] = [payload(f"class {c}") for c in classes["code"]]
    classes.to_csv(data / "lu_classes.csv", index=False)
    cfg["layers"]["watersheds"] = {
        "path": "data/watersheds.gpkg",
        "id_field": "wid",
        "name_field": "name",
    }
    cfg["layers"]["project_sites"]["name_field"] = "name"
    write_toml(cfg, root / "region.toml")
    process_region(root)
    return root


@pytest.fixture(scope="module")
def hostile_url(hostile_region: Path) -> Iterator[str]:
    with serve_region(hostile_region, "server-xss.log", designer=False) as url:
        yield url


def _centre(page: Any, locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _no_script_ran(page: Any, title: str) -> None:
    assert page.title() == title
    assert page.locator("img.xss").count() == 0


def test_no_text_of_the_data_runs_as_script(browser: Any, hostile_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    page.goto(hostile_url)
    communities = page.locator(COMMUNITY_PATHS)
    expect(communities).to_have_count(5)  # four communities over one watershed
    wait_for_dash(page)
    title = page.title()
    assert MARK not in title
    # the hover tooltips (community names are drawn as labels of their own, "place-name")
    tooltip = page.locator(".leaflet-tooltip")

    # every community and the watershed: their hover tooltips show the payload as text
    seen = _tooltips(page, "community")
    _no_script_ran(page, title)
    assert seen == {payload(f"community {c}") for c in "ABCD"}
    labels = page.locator(".place-name")
    if labels.count():  # names drawn at this zoom: as text too
        expect(labels.first).to_contain_text("onerror=")

    # every site: hover (tooltip) and click (popup with every column)
    markers = page.locator(".leaflet-pane path.leaflet-interactive[fill-opacity='0.9']")
    expect(markers).to_have_count(3)
    sites = set()
    for k in range(3):
        x, y = _centre(page, markers.nth(k))
        page.mouse.move(x, y)
        expect(tooltip.filter(has_text="site S").last).to_contain_text("onerror=")
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content").last
        expect(popup).to_contain_text(payload("cell"))
        expect(popup).to_contain_text(payload("column"))
        sites.add(popup.inner_text().split("\n")[0])
        _no_script_ran(page, title)
        page.locator(".leaflet-popup-close-button").last.dispatch_event("click")
        expect(page.locator(".leaflet-popup")).to_have_count(0)
    assert sites == {f"Site id: S{k}" for k in (1, 2, 3)}  # snake_case names as words

    # the watershed (a dashed outline, no fill, under the communities): the pointer over its
    # stroke, as Leaflet receives it (hit-testing a dashed stroke under polygons is not stable)
    assert _tooltips(page, "watershed") == {payload("watershed")}
    _no_script_ran(page, title)

    # the land-use legend and the layer list show the class names as text
    expect(page.get_by_text(payload("class 1")).first).to_be_attached()
    _no_script_ran(page, title)
    ctx.close()
