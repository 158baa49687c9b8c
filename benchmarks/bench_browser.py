"""The planner's map in a real browser (Debian chromium, headless) on the demo region.

Budgets (issue 5): first load to the map with communities painted < 3 s; click on a
community to its profile < 500 ms; indicator change to recoloured map < 300 ms; raster tile
served < 100 ms (p95, warm); community layer < 500 KB gzipped. Medians of several runs;
writes benchmarks/results/browser.json.
"""

from __future__ import annotations

import contextlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "browser.json"
RUNS = 5
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The communities' fill colours as drawn: SVG paths' fill attributes, or, when the map draws
# on a canvas (thousands of communities), a grid of canvas pixels with the choropleth's
# fill alpha (0.65 x 255 = 166; strokes and site markers have other alphas).
FILLS = """() => {
  const paths = document.querySelectorAll("path.leaflet-interactive[fill-opacity='0.65']");
  if (paths.length) { return [...paths].map(e => e.getAttribute('fill')).join(';'); }
  const c = document.querySelector('.leaflet-overlay-pane canvas');
  if (!c || !c.width || !c.height) { return ''; }
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const out = [];
  const sx = Math.max(1, Math.floor(c.width / 60)), sy = Math.max(1, Math.floor(c.height / 60));
  for (let y = 0; y < c.height; y += sy) {
    for (let x = 0; x < c.width; x += sx) {
      const i = 4 * (y * c.width + x);
      if (Math.abs(d[i + 3] - 166) <= 2) { out.push(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); }
    }
  }
  return out.join(';');
}"""
PAINTED = f"(() => {{ const f = ({FILLS})(); return f && new Set(f.split(';')).size >= 4; }})()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


@contextlib.contextmanager
def served_demo() -> Iterator[str]:
    """The demo region, processed and served by ``landwater serve``; yields its URL."""
    from layers.build.demo.generate import generate_demo
    from processing.pipeline import process_region

    with tempfile.TemporaryDirectory() as tmp:
        region = generate_demo(Path(tmp) / "demo", seed=42)
        process_region(region)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "landwater", "serve", str(region), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(url, proc)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def measure_map(
    browser: Any, url: str, runs: int, x0: float = 0.40, timeout_ms: int = 60_000
) -> tuple[list[float], list[float], list[float]]:
    """Seconds of first load to painted, click to profile and recolour, ``runs`` times.

    An extra first run warms the server's caches and is not counted.
    """
    loads, clicks, recolours = [], [], []
    for run in range(runs + 1):
        ctx = browser.new_context(viewport={"width": 1400, "height": 850})
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(PAINTED, timeout=3 * timeout_ms, polling="raf")
        load = time.perf_counter() - t0
        # plotly.js loads when the pointer first reaches a community (~1 s of script); clicks
        # are timed after it, as a user's first click comes after the pointer got there
        box = page.locator(".leaflet-container").bounding_box()
        x, y = box["x"] + box["width"] * (x0 + 0.03 * run), box["y"] + box["height"] * 0.5
        page.mouse.move(x, y)
        page.wait_for_function("typeof window.Plotly !== 'undefined'", timeout=timeout_ms)
        t0 = time.perf_counter()
        page.mouse.click(x, y)
        page.wait_for_selector("#profile-panel .js-plotly-plot", timeout=timeout_ms)
        click = time.perf_counter() - t0
        before = page.evaluate(FILLS)
        page.locator("#indicator-select").click()
        page.get_by_text("Water deficit (PET - AET) (mm/yr)").click()
        t0 = time.perf_counter()
        page.wait_for_function(
            f"b => ({FILLS})() !== b",
            arg=before,
            timeout=timeout_ms,
            polling="raf",
        )
        recolour = time.perf_counter() - t0
        if run:
            loads.append(load)
            clicks.append(click)
            recolours.append(recolour)
        ctx.close()
    return loads, clicks, recolours


def main() -> None:
    from playwright.sync_api import sync_playwright

    report: dict[str, object] = {}
    with served_demo() as url:
        with urllib.request.urlopen(url + "/geo/communities.pbf") as resp:
            report["communities_layer_gzip_kb"] = round(len(resp.read()) / 1024, 1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            loads, clicks, recolours = measure_map(browser, url, RUNS)
            browser.close()
        tiles = [
            f"/tiles/{layer}/{z}/{x}/{y}.png"
            for layer in ("land_use", "rainfall_annual", "hillshade")
            for z, xs, ys in (
                (11, range(1234, 1240), range(1030, 1034)),
                (12, range(2469, 2478), range(2061, 2067)),
            )
            for x in xs
            for y in ys
        ]
        for t in tiles:  # warm
            urllib.request.urlopen(url + t).read()
        times = []
        for t in tiles * 2:
            t0 = time.perf_counter()
            urllib.request.urlopen(url + t).read()
            times.append(time.perf_counter() - t0)
        cold_times = []
        for t in [
            f"/tiles/deficit/13/{x}/{y}.png" for x in range(4938, 4954) for y in range(4122, 4132)
        ]:
            t0 = time.perf_counter()
            urllib.request.urlopen(url + t).read()
            cold_times.append(time.perf_counter() - t0)
    q = statistics.quantiles
    report.update(
        {
            "runs": RUNS,
            "first_load_to_communities_painted_s": {
                "median": round(statistics.median(loads), 3),
                "runs": [round(x, 3) for x in loads],
                "budget": 3.0,
            },
            "click_to_profile_s": {
                "median": round(statistics.median(clicks), 3),
                "runs": [round(x, 3) for x in clicks],
                "budget": 0.5,
            },
            "indicator_change_to_recoloured_s": {
                "median": round(statistics.median(recolours), 3),
                "runs": [round(x, 3) for x in recolours],
                "budget": 0.3,
            },
            "tile_warm_ms": {
                "n": len(times),
                "median": round(1000 * statistics.median(times), 1),
                "p95": round(1000 * q(times, n=20)[18], 1),
                "budget_p95": 100,
            },
            "tile_cold_ms": {
                "n": len(cold_times),
                "median": round(1000 * statistics.median(cold_times), 1),
                "p95": round(1000 * q(cold_times, n=20)[18], 1),
            },
            "geojson_budget_kb": 500,
        }
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
