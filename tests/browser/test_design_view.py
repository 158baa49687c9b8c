"""The designer's weights belong to the shared view: a reload or a shared link keeps them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESIGNER_FIRST_LOAD_MS

pytestmark = pytest.mark.browser


def test_weights_survive_a_reload(design_page: Any) -> None:
    page = design_page
    sliders = page.locator(".weight-row [role=slider]")
    expect(sliders.first).to_be_visible()
    last = sliders.nth(sliders.count() - 1)
    name = last.get_attribute("aria-label")
    before = last.get_attribute("aria-valuenow")
    w_param = "new URLSearchParams(location.search).get('w')"
    page.wait_for_function(f"{w_param} !== null")  # the page's own weights are in the URL
    first_w = page.evaluate(w_param)
    last.focus()
    last.press("End")  # the keyboard moves the slider to its top, 10
    expect(last).to_have_attribute("aria-valuenow", "10")
    assert before != "10"
    page.wait_for_function(f"{w_param} !== {first_w!r}")
    shared = page.url
    assert "iv=" in shared
    page.goto(shared)
    page.wait_for_selector("#design-ranking .ag-row", timeout=DESIGNER_FIRST_LOAD_MS)
    again = page.get_by_role("slider", name=name, exact=True)
    expect(again).to_have_attribute("aria-valuenow", "10")
    assert page.errors == []


def test_ranking_headers_and_ahp_cells_are_not_cut(design_page: Any) -> None:
    page = design_page
    page.locator("summary", has_text="Pairwise").click()
    expect(page.locator(".ahp-cell").first).to_be_visible()
    cut = page.evaluate(
        """() => [...document.querySelectorAll(
            '#design-ranking .ag-header-cell-text, .ahp-cell .dash-dropdown-value, .ahp-cell')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == []
