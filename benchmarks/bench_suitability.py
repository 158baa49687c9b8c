"""Interactive speed of the suitability engine on the demo region.

Budgets (issue 4): after a change of weights, a community ranking in under 50 ms and a
score grid in under 300 ms; a site evaluation in under 100 ms. Memberships are built once
per profile (timed too). Medians of 20 re-weightings per profile, of 50 evaluations at
random points, and of 5 recommendations; writes benchmarks/results/suitability.json.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from layers.build.demo.generate import generate_demo
from layers.region import load_region
from layers.registry import LayerRegistry
from processing.criteria import criterion_grid
from processing.grids import cell_inputs
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from processing.suitability_engine import level_labels
from processing.suitability_model import build_model

RESULTS = Path(__file__).resolve().parent / "results" / "suitability.json"
RUNS = 20


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        region = generate_demo(Path(tmp) / "demo", seed=42)
        process_region(region)
        reg = LayerRegistry(load_region(region))
        cells = cell_inputs(reg)
        results = ResultsStore(region / "results")
        names = {c.layer for iv in reg.region.config.interventions for c in iv.criteria} | {
            "slope_pct"
        }
        t0 = time.perf_counter()
        grids = {n: criterion_grid(n, reg, cells, results.rasters()) for n in names}
        criteria_s = time.perf_counter() - t0
        units = reg.units("communities")
        assert units is not None
        labels = level_labels(units, reg)
        rng = np.random.default_rng(0)
        report: dict[str, object] = {
            "cells": int(np.prod(reg.grid.shape)),
            "criteria_grids_s": round(criteria_s, 3),
            "profiles": {},
        }
        for iv in reg.region.config.interventions:
            t0 = time.perf_counter()
            model = build_model(iv, grids, cells.land_use, grids["slope_pct"], labels)
            build = time.perf_counter() - t0
            rank_t, grid_t = [], []
            for _ in range(RUNS):
                w = rng.uniform(0.1, 1.0, len(iv.criteria))
                t0 = time.perf_counter()
                means = model.unit_means(w)
                np.argsort(-means)
                rank_t.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                model.grid(w)
                grid_t.append(time.perf_counter() - t0)
            report["profiles"][iv.id] = {  # type: ignore[index]
                "criteria": len(iv.criteria),
                "method": iv.method,
                "build_s": round(build, 3),
                "ranking_ms": {"median": round(1000 * statistics.median(rank_t), 1), "budget": 50},
                "grid_ms": {"median": round(1000 * statistics.median(grid_t), 1), "budget": 300},
            }
        report["sites"] = _sites(region, rng)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def _sites(region: Path, rng: np.random.Generator) -> dict[str, object]:
    """Engine build, site evaluation, recommendation and unit tables through the public API."""
    from processing.sites import open_planner
    from processing.suitability_summary import unit_suitability

    t0 = time.perf_counter()
    planner = open_planner(region)
    open_s = time.perf_counter() - t0
    w, s, e, n = planner.engine.reg.communities.to_crs(4326).total_bounds
    ivs = [iv.id for iv in planner.engine.interventions]
    t0 = time.perf_counter()
    for iv in ivs:
        planner.engine.model(iv)
    models_s = time.perf_counter() - t0
    evals = []
    for _ in range(50):
        lon, lat = rng.uniform(w, e), rng.uniform(s, n)
        iv = ivs[int(rng.integers(len(ivs)))]
        t0 = time.perf_counter()
        planner.evaluate_site(iv, lon, lat)
        evals.append(time.perf_counter() - t0)
    recs = []
    for _ in range(5):
        t0 = time.perf_counter()
        planner.recommend_sites("farm_ponds", 20, 1000, max_per_community=2)
        recs.append(time.perf_counter() - t0)
    tables = []
    for iv in ivs:
        t0 = time.perf_counter()
        unit_suitability(planner.engine, iv)
        tables.append(time.perf_counter() - t0)
    return {
        "open_planner_s": round(open_s, 2),
        "build_all_models_s": round(models_s, 2),
        "evaluate_site_ms": {
            "median": round(1000 * statistics.median(evals), 2),
            "max": round(1000 * max(evals), 2),
            "budget": 100,
        },
        "recommend_20_sites_ms": {"median": round(1000 * statistics.median(recs), 1)},
        "unit_table_ms": {"median": round(1000 * statistics.median(tables), 1)},
    }


if __name__ == "__main__":
    main()
