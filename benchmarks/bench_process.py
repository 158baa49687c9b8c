# ruff: noqa: E402  (numpy's huge pages are set before numpy is imported)
"""``landwater process`` on the demo region, end to end: cold (no caches) and warm (aligned
layers cached, results recomputed with force). Writes benchmarks/results/process.json."""

from __future__ import annotations

from processing.kernels.numpy_env import default_to_small_pages

default_to_small_pages()  # as in a landwater process: before numpy is imported

import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from layers.build.demo.generate import generate_demo
from processing.kernels.hydrology import compile_routing
from processing.pipeline import process_region

RESULTS = Path(__file__).resolve().parent / "results" / "process.json"
RUNS = 5
BUDGET_S = 15  # seconds for a warm run on the demo


def main() -> None:
    compile_routing()  # numba's compile of the routing routines, not measured

    with tempfile.TemporaryDirectory() as tmp:
        region = generate_demo(Path(tmp) / "demo", seed=42)
        t0 = time.perf_counter()
        process_region(region, force=True)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            process_region(region, force=True)
            warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        process_region(region)
        unchanged = time.perf_counter() - t0
        shutil.rmtree(region / "results")
    report = {
        "region": "demo (1,334 x 1,000 cells of 30 m, 108 communities, 14 watersheds)",
        "cold_s": round(cold, 2),
        "warm_s": {
            "runs": [round(t, 2) for t in warm],
            "median": round(statistics.median(warm), 2),
            "budget": BUDGET_S,
        },
        "unchanged_inputs_s": round(unchanged, 2),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
