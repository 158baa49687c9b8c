"""Budget portfolio in headless Chromium: totals, frontier, map markers, download, bad input."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, SERVER_WAIT_MS

pytestmark = pytest.mark.browser

BUDGET_USD = 60_000
SOLVE_MS = 240_000  # the first portfolio reads the results store and solves the frontier


def _run(page: Any, budget: str) -> None:
    field = page.locator("#portfolio-budget")
    field.fill(budget)
    field.press("Enter")
    page.click("#portfolio-run")


def test_budget_portfolio_on_the_demo(design_page: Any) -> None:
    page = design_page
    # the designer's intervention (farm ponds) and its cost model, the budget in its currency
    expect(page.locator("#portfolio-intervention")).to_contain_text("USD a unit")
    expect(page.locator("#portfolio-budget-label")).to_have_text("Budget (USD)")

    _run(page, str(BUDGET_USD))
    totals = page.locator(".portfolio-totals")
    expect(totals).to_contain_text("Budget left", timeout=SOLVE_MS)
    expect(totals).to_contain_text("proven optimum")
    expect(page.locator("#portfolio-message")).to_have_text("")
    # the frontier and the chosen point
    expect(page.locator("#portfolio-frontier .scatterlayer .trace")).to_have_count(2)
    expect(page.locator("#portfolio-frontier .legendtext").last).to_have_text("Your budget")
    page.locator(".portfolio-result").scroll_into_view_if_needed()
    page.locator(".portfolio-result").screenshot(path=str(OUTPUT / "portfolio.png"))

    # the table: never over the budget; every funded community marked on the map
    with page.expect_download(timeout=SERVER_WAIT_MS) as info:
        page.click("#portfolio-csv")
    assert info.value.suggested_filename.endswith(".csv")
    table = pd.read_csv(info.value.path())
    assert {"community_id", "units", "storage_m3", "cost_usd", "water_harvested_m3_yr"} <= set(
        table.columns
    )
    assert len(table) > 0 and (table["units"] >= 1).all()
    assert 0 < table["cost_usd"].sum() <= BUDGET_USD
    expect(page.locator(".portfolio-marker")).to_have_count(len(table))
    # every layer of the designer's list has its "i", the portfolio's and the stars' too
    overlays = page.locator(".leaflet-control-layers-overlays label")
    infos = page.locator(".leaflet-control-layers-overlays .layer-info .info")
    expect(infos).to_have_count(overlays.count())
    for term, words in (("portfolio", "the budget funds"), ("robust", "in the top N")):
        info = page.locator(f".leaflet-control-layers [data-term='{term}']")
        info.locator("summary").click()
        expect(info.locator(".info-text")).to_contain_text(words)
        page.keyboard.press("Escape")
        expect(info.locator(".info-text")).to_be_hidden()
    page.locator("#map").screenshot(path=str(OUTPUT / "portfolio_map.png"))
    spent = f"{table['cost_usd'].sum():,.0f} USD"
    expect(totals.locator("dd").first).to_have_text(spent)

    # a negative budget: the message where the user looks, the last portfolio cleared
    _run(page, "-5")
    message = page.locator("#portfolio-message")
    expect(message).to_contain_text("Budget: -5 is not allowed; enter a number above 0.")
    expect(message.locator("[role=alert]")).to_have_count(1)
    expect(page.locator(".portfolio-totals")).to_have_count(0)
    expect(page.locator("#portfolio-frontier")).to_have_count(0)
    expect(page.locator(".portfolio-marker")).to_have_count(0)

    # a budget below the cheapest pond (1,800 USD with the community's fixed cost)
    _run(page, "100")
    expect(message).to_contain_text("the budget (100) buys no unit that has an impact")
    expect(page.locator(".portfolio-totals")).to_have_count(0)
    assert page.errors == []
