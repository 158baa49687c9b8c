"""The planner's map with 10,000 communities, in Debian chromium.

The synthetic national region of ``bench_scale.py`` at 150 m cells (2,000 x 2,000, the
whole-grid pipeline fits), processed normally and served by ``landwater serve``; medians of
several runs of: first load until the communities are painted, click to profile, and
indicator change to recoloured map; plus the community GeoJSON's size. Writes
benchmarks/results/map_scale.json.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "map_scale.json"
RUNS = 3


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import ARGS, free_port, measure_map, wait_up
    from benchmarks.bench_scale import write_region
    from processing.pipeline import process_region

    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="landwater-mapscale-") as tmp:
        region = Path(tmp) / "region"
        write_region(region, size=2000, cell=150.0)
        t0 = time.perf_counter()
        process_region(region)
        report["process_s"] = round(time.perf_counter() - t0, 1)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "landwater", "serve", str(region), "--port", str(port)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_up(url, proc)
            with urllib.request.urlopen(url + "/geo/communities.pbf") as resp:
                report["communities_geojson_gzip_mb"] = round(len(resp.read()) / 2**20, 2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                loads, clicks, recolours = measure_map(browser, url, RUNS, 0.55)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    report.update(
        {
            "communities": 10_000,
            "grid": "2,000 x 2,000 cells of 150 m",
            "runs": RUNS,
            "first_load_to_painted_s": round(statistics.median(loads), 2),
            "click_to_profile_s": round(statistics.median(clicks), 2),
            "indicator_change_to_recoloured_s": round(statistics.median(recolours), 2),
            "all_runs": {"load": loads, "click": clicks, "recolour": recolours},
            "demo_budgets_for_reference_s": {"load": 3.0, "click": 0.5, "recolour": 0.3},
        }
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
