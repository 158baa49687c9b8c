"""Multi-year trends in headless Chromium: a series region's community profile, dry year marked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import rasterio
from playwright.sync_api import expect

from processing.pipeline import process_region
from tests.browser.conftest import OUTPUT, SERVER_WAIT_MS, serve_region
from tests.regionkit import tiny_region, write_tif, write_toml

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def series_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tiny region with a rainfall series: 2020, a wetter 2021 and 2022, half of 2023.

    Whole-year rain of community A: 780, 1,560 and 1,170 mm; the 20th percentile is
    780 + 0.4 x 390 = 936 mm, so 2020 is the dry year.
    """
    root = tmp_path_factory.mktemp("series") / "tiny"
    cfg = tiny_region(root)
    with rasterio.open(root / "data" / "rain.tif") as ds:
        clim, transform = ds.read(), ds.transform
    series = np.concatenate([clim, clim * 2, clim * 1.5, clim[:6]])
    write_tif(root / "data" / "rain_series.tif", series, "EPSG:4326", transform, -9999.0)
    cfg["layers"]["rainfall"] = {
        "path": "data/rain_series.tif",
        "units": "mm/month",
        "kind": "series",
        "start": "2020-01",
    }
    write_toml(cfg, root / "region.toml")
    process_region(root)
    with serve_region(root, "series-server.log", designer=False) as url:
        yield url


def test_a_series_profile_shows_the_years_with_the_dry_one_marked(
    browser: Any, series_url: str
) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{series_url}/?sel=communities:A")
    pg.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    expect(pg.locator("#profile-panel")).to_contain_text("Year by year")
    chart = pg.locator("#profile-panel .trends-chart")
    expect(
        chart.locator(".legendtext", has_text="dry year (below the 20th percentile)")
    ).to_be_visible()
    rows = pg.locator("#profile-panel .trends-table tbody tr")
    expect(rows).to_have_count(3)  # 2023 has six months: left out
    expect(pg.locator("#profile-panel .trends-table tr.dry-year")).to_have_count(1)
    expect(pg.locator("#profile-panel .trends-table tr.dry-year td").first).to_have_text("2020")
    chart.scroll_into_view_if_needed()
    pg.screenshot(path=str(OUTPUT / "profile-trends.png"))
    assert errors == []
    ctx.close()
