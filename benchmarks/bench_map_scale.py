"""The planner's map with 10,000 communities, in Debian chromium.

The synthetic national region of ``bench_scale.py`` at 150 m cells (2,000 x 2,000, the
whole-grid pipeline fits), processed normally and served by ``landwater serve``; medians of
several runs of: first load until the communities are painted, click to profile, and
indicator change to recoloured map; plus the community layer's size as downloaded.

Options:

- ``--detailed``: the communities of ``bench_geojson_scale.py`` instead (wiggly, densified
  shared boundaries, 2 M vertices; the heaviest layer).
- ``--baseline CHECKOUT``: the same region served by another checkout of the project too
  (e.g. one that sends the communities as GeoJSON), measured in the same run.

Writes benchmarks/results/map_scale.json (``map_scale_detailed.json`` with ``--detailed``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = 3


def layer_mb(url: str) -> dict[str, object]:
    """The community layer the page downloads (geobuf, or GeoJSON on older code), gzipped MB."""
    for fmt in ("pbf", "geojson"):
        try:
            with urllib.request.urlopen(f"{url}/geo/communities.{fmt}") as resp:
                return {"format": fmt, "mb_gz": round(len(resp.read()) / 2**20, 3)}
        except urllib.error.HTTPError:
            continue
    raise RuntimeError("no community layer served")


def measure_server(region: Path, checkout: Path, browser: Any) -> dict[str, object]:
    """Serve ``region`` with the code of ``checkout`` and time the map in ``browser``."""
    from benchmarks.bench_browser import free_port, measure_map, wait_up

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    cmd = [sys.executable, "-m", "landwater", "serve", str(region), "--port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_up(url, proc)
        layer = layer_mb(url)
        loads, clicks, recolours = measure_map(browser, url, RUNS, 0.55)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {
        "code": str(checkout),
        "communities_layer": layer,
        "first_load_to_painted_s": round(statistics.median(loads), 2),
        "click_to_profile_s": round(statistics.median(clicks), 2),
        "indicator_change_to_recoloured_s": round(statistics.median(recolours), 2),
        "all_runs": {"load": loads, "click": clicks, "recolour": recolours},
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import ARGS
    from benchmarks.bench_scale import write_region
    from processing.pipeline import process_region

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detailed", action="store_true")
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    report: dict[str, object] = {
        "communities": 10_000,
        "grid": "2,000 x 2,000 cells of 150 m",
        "runs": RUNS,
        "demo_budgets_for_reference_s": {"load": 3.0, "click": 0.5, "recolour": 0.3},
        "first_paint_budget_s": 1.5,
    }
    with tempfile.TemporaryDirectory(prefix="landwater-mapscale-") as tmp:
        region = Path(tmp) / "region"
        write_region(region, size=2000, cell=150.0)
        if args.detailed:
            from benchmarks.bench_geojson_scale import communities

            detailed = communities(10_000)[["id", "geometry"]].rename(columns={"id": "cid"})
            detailed.to_file(region / "data" / "communities.gpkg")
            report["communities_source"] = "bench_geojson_scale.communities (2 M vertices)"
        t0 = time.perf_counter()
        process_region(region)
        report["process_s"] = round(time.perf_counter() - t0, 1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            report["this"] = measure_server(region, here, browser)
            if args.baseline is not None:
                report["baseline"] = measure_server(region, args.baseline.resolve(), browser)
            browser.close()
    name = "map_scale_detailed.json" if args.detailed else "map_scale.json"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
