"""The programme view in headless Chromium: import a monitoring CSV, read its totals."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, SERVER_WAIT_MS, wait_for_dash

pytestmark = pytest.mark.browser

# S001-S003 are demo sites; S002's latest record (2024) counts, its 2023 one does not
MONITORING_CSV = (
    "site_id,date,status,households,households_women_led,households_youth_led\n"
    "S001,2024-03-31,completed,120,50,31\n"
    "S002,2023-03-31,ongoing,40,10,5\n"
    "S002,2024-03-31,completed,90,41,22\n"
    "S003,2024-06-30,ongoing,60,13,9\n"
)
# latest per site: 120 + 90 + 60 = 270 households, 104 women-led, 62 youth-led
EXPECTED = ("270", "104 (38.5%)", "62 (23.0%)")


def test_import_shows_the_csvs_totals(browser: Any, server_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server_url)
    pg.locator("#programme-panel > summary").click()
    # no records yet: no (empty) chart is drawn
    expect(pg.locator("#programme-msg")).to_have_text("No monitoring records yet.")
    wait_for_dash(pg)
    assert pg.locator("#programme-charts > *").count() == 0
    pg.set_input_files(
        "#programme-upload input[type=file]",
        files=[{"name": "m.csv", "mimeType": "text/csv", "buffer": MONITORING_CSV.encode()}],
    )
    expect(pg.locator("#programme-msg")).to_contain_text(
        "4 record(s) stored", timeout=SERVER_WAIT_MS
    )
    totals = pg.locator("#programme-region-totals")
    for text in EXPECTED:
        expect(totals).to_contain_text(text)
    expect(totals.locator("dt").nth(2)).to_have_text("Sites completed")
    expect(totals.locator("dd").nth(2)).to_have_text("2")
    expect(pg.locator("#programme-table")).to_contain_text("All sites")
    # the water numbers say where they come from and why one can be negative
    note = pg.locator("#programme-panel p.hint", has_text="scenario model's numbers")
    expect(note).to_contain_text("negative where trees use more water")
    expect(pg.locator("#programme-charts .js-plotly-plot")).to_have_count(3)
    pg.locator("#programme-water-chart").scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUTPUT / "programme-water.png"))
    assert not errors
    ctx.close()
