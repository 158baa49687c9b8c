"""The designer's workbench in a real browser (Debian chromium, headless), demo region.

Budgets (issue 6): weight change to recoloured choropleth + re-sorted ranking < 500 ms;
click in pick mode to the evaluation panel < 300 ms; recommending 20 sites < 2 s; a
scenario over all demo communities < 2 s. Medians of several runs after one warm-up (the
first use builds the suitability and scenario engines: reported separately);
writes benchmarks/results/designer.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run directly or by run_all.py
from bench_browser import ARGS, served_demo

RESULTS = Path(__file__).resolve().parent / "results" / "designer.json"
RUNS = 5
FIRST_NAME = 'document.querySelector(\'#design-ranking .ag-row[row-index="0"] [col-id="name"]\')'
LEGEND_FILLS = (
    "[...document.querySelectorAll(\"path.leaflet-interactive[fill-opacity='0.65']\")]"
    ".map(e => e.getAttribute('fill')).join()"
)


def _median(values: list[float], budget: float) -> dict[str, object]:
    return {
        "median_s": round(statistics.median(values), 3),
        "runs": [round(v, 3) for v in values],
        "budget_s": budget,
    }


def _weights(page: Any) -> list[float]:
    """Move the first weight between its ends; time until ranking and map have changed."""
    out = []
    thumb = page.locator(".weight-row [role=slider]").first
    for i in range(RUNS + 1):
        before_name = page.evaluate(f"{FIRST_NAME}.innerText")
        before_fill = page.evaluate(LEGEND_FILLS)
        thumb.focus()
        t0 = time.perf_counter()
        thumb.press("Home" if i % 2 == 0 else "End")
        page.wait_for_function(
            f"{FIRST_NAME}.innerText !== {json.dumps(before_name)}"
            f" && {LEGEND_FILLS} !== {json.dumps(before_fill)}",
            timeout=15_000,
        )
        if i:
            out.append(time.perf_counter() - t0)
    return out


def _element_at(page: Any, x: float, y: float) -> str:
    """Tag and classes of the element a click at (x, y) lands on (what took a lost pick)."""
    return str(
        page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y);"
            " return e ? e.tagName + '.' + String(e.className.baseVal ?? e.className) : ''; }",
            [x, y],
        )
    )


def _picks(page: Any, lost: list[str]) -> list[float]:
    """Pick-to-evaluation times; a pick with no evaluation in 15 s is retried once and what
    the click landed on is appended to ``lost``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    out = []
    page.check("#pick-mode input")
    box = page.locator(".leaflet-container").bounding_box()

    def evaluation(resp: Any) -> bool:  # the answer to the pick itself, not to a note
        if "_dash-update-component" not in resp.url:
            return False
        body = json.loads(resp.request.post_data or "{}")
        return "pick-click.data" in body.get("changedPropIds", [])

    for i in range(-1, RUNS + 1):  # -1: warm-up, 0: first timed pick not kept
        x = box["x"] + box["width"] * (0.45 + 0.02 * i)
        y = box["y"] + box["height"] * 0.55
        for _attempt in range(2):
            before = _element_at(page, x, y)
            t0 = time.perf_counter()
            try:
                # two picks may give the same text (e.g. both excluded): wait for the pick's
                # own answer, then for its evaluation drawn in the next frame
                with page.expect_response(evaluation, timeout=15_000):
                    page.mouse.click(x, y)
            except PlaywrightTimeout:
                lost.append(f"pick {i}: click landed on {before}")
                continue
            page.wait_for_selector("#site-evaluation .evaluation", timeout=15_000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")
            if i > 0:
                out.append(time.perf_counter() - t0)
            break
    page.uncheck("#pick-mode input")
    page.click("#candidates-clear")
    return out


def _recommend(page: Any) -> list[float]:
    out = []
    page.fill("#recommend-count", "20")
    page.fill("#recommend-spacing", "1000")
    for i in range(RUNS + 1):
        page.click("#candidates-clear")
        page.wait_for_function("document.querySelectorAll('.cand-row').length === 0")
        t0 = time.perf_counter()
        page.click("#recommend-button")
        page.wait_for_function(
            "document.querySelectorAll('.cand-row').length === 20", timeout=20_000
        )
        if i:
            out.append(time.perf_counter() - t0)
    return out


def _scenarios(page: Any) -> tuple[float, list[float]]:
    """Run a scenario (all communities) with a new name each time; time until it shows."""
    out = []
    first = 0.0
    for i in range(RUNS + 1):
        page.fill("#scenario-rain-pct", str(-5 - i))
        page.fill("#scenario-terraces", str(10 + i))
        page.fill("#scenario-name", f"run {i}")
        t0 = time.perf_counter()
        page.click("#scenario-run")
        page.wait_for_function(
            "(document.querySelector('#scenario-result h4') || {}).innerText"
            f"?.startsWith('run {i}:')",
            timeout=60_000,
        )
        dt = time.perf_counter() - t0
        if i:
            out.append(dt)
        else:
            first = dt
    return first, out


def main() -> None:
    from playwright.sync_api import sync_playwright

    report: dict[str, object] = {}
    with served_demo() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(url + "/?page=design")
        page.wait_for_selector("#design-ranking .ag-row", timeout=120_000)
        report["first_ranking_s (page load + engine build)"] = round(time.perf_counter() - t0, 2)
        report["weight_change_to_ranking_and_map"] = _median(_weights(page), 0.5)
        lost: list[str] = []
        report["pick_to_evaluation"] = _median(_picks(page, lost), 0.3)
        report["picks_without_answer (retried)"] = lost
        report["recommend_20_sites"] = _median(_recommend(page), 2.0)
        first, runs = _scenarios(page)
        report["first_scenario_s (engine build)"] = round(first, 2)
        report["scenario_all_communities"] = _median(runs, 2.0)
        browser.close()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
