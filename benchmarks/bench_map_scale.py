"""The planner's map with 10,000 communities, in Debian chromium.

The synthetic national region of ``bench_scale.py`` at 150 m cells (2,000 x 2,000, the
whole-grid pipeline fits), processed normally and served by ``landwater serve``; medians of
several runs of: first load until the communities are painted, click to profile, and
indicator change to recoloured map; plus the community layer's size as downloaded.

Options:

- ``--detailed``: the communities of ``bench_geojson_scale.py`` instead (wiggly, densified
  shared boundaries, 2 M vertices; the heaviest layer).
- ``--baseline CHECKOUT``: the same region served by another checkout of the project too
  (e.g. one that sends the communities as GeoJSON), measured in the same run, one page
  load of each in turn.

Writes benchmarks/results/map_scale.json (``map_scale_detailed.json`` with ``--detailed``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = 5


def layer_mb(url: str) -> dict[str, object]:
    """The community layer the page downloads (geobuf, or GeoJSON on older code), gzipped MB."""
    # Dash answers unknown paths with its page: the layer is the one with a layer's type
    types = {"pbf": "application/x-protobuf", "geojson": "application/geo+json"}
    for fmt, mimetype in types.items():
        try:
            with urllib.request.urlopen(f"{url}/geo/communities.{fmt}") as resp:
                if resp.headers.get_content_type() == mimetype:
                    return {"format": fmt, "mb_gz": round(len(resp.read()) / 2**20, 3)}
        except urllib.error.HTTPError:
            continue
    raise RuntimeError("no community layer served")


@contextlib.contextmanager
def served(region: Path, checkout: Path) -> Iterator[str]:
    """``region`` served by the code of ``checkout``; yields its URL."""
    from benchmarks.bench_browser import free_port, wait_up

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    cmd = [sys.executable, "-m", "landwater", "serve", str(region), "--port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def measure(browser: Any, urls: dict[str, str]) -> dict[str, dict[str, object]]:
    """Time the map of every server, one run of each in turn (so load on the machine hits all)."""
    from benchmarks.bench_browser import measure_map

    runs: dict[str, tuple[list[float], list[float], list[float]]] = {
        name: ([], [], []) for name in urls
    }
    for _ in range(RUNS):
        for name, url in urls.items():
            for acc, got in zip(runs[name], measure_map(browser, url, 1, 0.55), strict=True):
                acc.extend(got)
    return {
        name: {
            "communities_layer": layer_mb(urls[name]),
            "first_load_to_painted_s": round(statistics.median(loads), 2),
            "click_to_profile_s": round(statistics.median(clicks), 2),
            "indicator_change_to_recoloured_s": round(statistics.median(recolours), 2),
            "all_runs": {"load": loads, "click": clicks, "recolour": recolours},
        }
        for name, (loads, clicks, recolours) in runs.items()
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
        with contextlib.ExitStack() as stack, sync_playwright() as p:
            urls = {"this": stack.enter_context(served(region, here))}
            if args.baseline is not None:
                baseline = args.baseline.resolve()
                urls["baseline"] = stack.enter_context(served(region, baseline))
                report["baseline_code"] = str(baseline)
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            report.update(measure(browser, urls))
            browser.close()
    name = "map_scale_detailed.json" if args.detailed else "map_scale.json"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
