"""Ranking robustness in headless Chromium: the grid's columns, their update, stars, download."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESIGNER_FIRST_LOAD_MS, OUTPUT, SERVER_WAIT_MS

pytestmark = pytest.mark.browser

PROBABILITIES_JS = """() => {
    const rows = [...document.querySelectorAll('#design-ranking .ag-row')];
    const out = {};
    for (const r of rows) {
        const name = r.querySelector('[col-id="name"]');
        const p = r.querySelector('[col-id="top_n_probability"]');
        if (name && p) { out[name.innerText] = p.innerText.trim(); }
    }
    return out;
}"""


def _filled(page: Any) -> dict[str, str]:
    return dict(page.evaluate(PROBABILITIES_JS))


def test_robustness_columns_fill_and_follow_the_weights(design_page: Any) -> None:
    page = design_page
    # the top-N probability and the rank interval fill in for the rows shown
    page.wait_for_function(
        """() => {
            const cells = [...document.querySelectorAll(
                '#design-ranking .ag-row [col-id="top_n_probability"]')];
            return cells.length >= 5 && cells.every((c) => /\\d+\\s?%/.test(c.innerText));
        }""",
        timeout=SERVER_WAIT_MS,
    )
    interval = page.locator("#design-ranking .ag-row .rank-interval").first
    expect(interval.locator(".rank-text")).to_have_text(re.compile(r"^\d+(-\d+)?$"))
    expect(interval.locator(".rank-bar")).to_have_attribute("aria-hidden", "true")
    expect(page.locator("#robust-message")).to_contain_text("in the top 10")
    before = _filled(page)
    page.locator("#design-ranking").scroll_into_view_if_needed()
    page.locator("#design-ranking").screenshot(path=str(OUTPUT / "robustness_grid.png"))

    # slope weight to 0: the probabilities are those of the new weights
    thumb = page.locator(".weight-row [role=slider]").first
    thumb.focus()
    thumb.press("Home")
    page.wait_for_function(
        "document.querySelector('#design-weight-pcts').innerText.includes('Slope 0 %')",
        timeout=SERVER_WAIT_MS,
    )
    page.wait_for_function(
        f"""(before) => {{
            const now = ({PROBABILITIES_JS})();
            const names = Object.keys(now);
            return names.length >= 5 && names.every((n) => /\\d/.test(now[n]))
                && JSON.stringify(now) !== JSON.stringify(before);
        }}""",
        arg=before,
        timeout=SERVER_WAIT_MS,
    )
    assert _filled(page) != before

    # weights that barely move: exactly the top 10 are starred on the map
    field = page.locator("#robust-concentration")
    field.fill("1000000000")
    field.press("Enter")
    expect(page.locator("#robust-message")).to_contain_text("10 communities are in the top 10")
    try:
        expect(page.locator(".robust-marker")).to_have_count(10)
    except AssertionError as e:
        raise AssertionError(f"no stars on the map; page errors: {page.errors}") from e

    # a smaller N: the message and the stars follow
    top = page.locator("#robust-top-n")
    top.fill("3")
    top.press("Enter")
    expect(page.locator("#robust-message")).to_contain_text("3 communities are in the top 3")
    expect(page.locator(".robust-marker")).to_have_count(3)

    # a bad N is reported with its field, the stars stay
    top.fill("0")
    top.press("Enter")
    expect(page.locator("#robust-message")).to_contain_text("Top N: 0 is not allowed")
    expect(page.locator(".robust-marker")).to_have_count(3)
    top.fill("3")
    top.press("Enter")
    expect(page.locator("#robust-message")).to_contain_text("3 communities are in the top 3")

    # the ranking's CSV carries the robustness columns
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#robust-download-button")
    table = pd.read_csv(info.value.path())
    assert {"rank", "median_rank", "rank_p05", "rank_p95", "top_n_probability"} <= set(
        table.columns
    )
    assert table["top_n_probability"].sum() == pytest.approx(3)
    assert (table.loc[table["rank"] <= 3, "top_n_probability"] == 1).all()
    assert page.errors == []


def test_the_planners_layer_list_keeps_the_robust_layer_on(browser: Any, server_url: str) -> None:
    """A planner's URL lists its own layers; on the designer's page the stars start checked."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.goto(server_url + "?layers=Watersheds")
    page.wait_for_selector("#design-link", timeout=SERVER_WAIT_MS)
    expect(page.locator("#design-link")).to_have_attribute(
        "href", re.compile(r"layers=Watersheds%7CRobust\+top\+N")
    )
    page.click("#design-link")
    page.wait_for_selector("#design-ranking .ag-row", timeout=DESIGNER_FIRST_LOAD_MS)
    stars = page.locator(".leaflet-control-layers-overlays label", has_text="Robust top N")
    expect(stars.locator("input")).to_be_checked()
    ctx.close()
