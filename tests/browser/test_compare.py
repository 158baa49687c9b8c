"""Compare in headless Chromium: January against April on the demo (a climatology).

The table with its total, the map's change centred on zero, state A on the map, the CSV,
and the same month twice refused with the last comparison cleared.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser

COMPARE_MS = 120_000  # the first comparison reads the store's monthly table


def _choose(page: Any, dropdown: str, name: str) -> None:
    page.locator(dropdown).click()
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill(name)
    option = page.get_by_role("option", name=name, exact=True)
    expect(option).to_be_visible()
    option.click()


def test_compare_two_months_on_the_demo(design_page: Any) -> None:
    page = design_page
    page.locator("#compare-run").scroll_into_view_if_needed()
    expect(page.locator("#compare-a")).to_contain_text("January")  # months by default
    _choose(page, "#compare-b", "April")
    _choose(page, "#compare-variable", "Actual ET")
    page.click("#compare-run")

    result = page.locator(".compare-result")
    expect(result).to_contain_text("January → April", timeout=COMPARE_MS)
    expect(page.locator("#compare-message")).to_have_text("")
    total = result.locator("tr.compare-total td")
    expect(total.first).to_have_text("Total")
    # the map: the change in actual ET, its classes split at zero (losses and gains)
    legend = page.locator("#choropleth-legend")
    expect(legend).to_contain_text("Compare: change B - A")
    expect(legend).to_contain_text("January → April: Actual ET")
    rows = legend.locator(".legend-row").all_inner_texts()
    assert any(re.search(r" - 0 mm/month$", r) for r in rows), rows
    assert any(r.startswith("0 - ") for r in rows), rows
    result.screenshot(path=str(OUTPUT / "compare.png"))
    page.locator("#map").screenshot(path=str(OUTPUT / "compare_map.png"))

    # the CSV: every unit and the total, whose m3 are the units' sum
    with page.expect_download(timeout=COMPARE_MS) as info:
        page.click("#compare-csv")
    assert re.search(r"_compare_communities_january_vs_april\.csv$", info.value.suggested_filename)
    table = pd.read_csv(info.value.path(), dtype={"id": str})
    assert {
        "id",
        "name",
        "area_ha",
        "aet_a_mm",
        "aet_b_mm",
        "aet_change_mm",
        "aet_change_m3",
    } <= set(table.columns)
    units, last = table[table["id"] != "TOTAL"], table.iloc[-1]
    assert last["id"] == "TOTAL" and len(units) == 108
    assert last["aet_change_m3"] == pytest.approx(units["aet_change_m3"].sum(), abs=len(units))
    shown = f"{last['aet_change_m3']:+,.0f}"
    expect(total.last).to_have_text(shown)

    # state A on the map: its own legend, no longer the change
    page.locator("#compare-show").get_by_text("State A").click()
    expect(legend).to_contain_text("Compare: state A")

    # the same month twice: the message where the user looks, the last comparison cleared
    _choose(page, "#compare-b", "January")
    page.click("#compare-run")
    message = page.locator("#compare-message")
    expect(message).to_contain_text("A and B are both 'January': choose two different states.")
    expect(message.locator("[role=alert]")).to_have_count(1)
    expect(page.locator(".compare-result")).to_have_count(0)
    expect(legend).not_to_contain_text("Compare")
    assert page.errors == []
