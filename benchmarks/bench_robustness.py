"""Speed of the ranking robustness: 500 weight draws for 10,000 communities x 8 criteria.

Budget (issue 21): under 2 s. Two measures, each against a naive per-draw loop in the
same run:

- the pure function on the communities' mean memberships
  (:func:`processing.robustness.rank_robustness`) against a loop that scores each draw
  with :func:`processing.kernels.suitability.combine` and ranks it with pandas;
- through a suitability model of 10,000 communities x 100 cells (1 million cells): the
  mean memberships (:func:`processing.robustness.unit_memberships`) plus the pure
  function, against a loop calling the designer's ``SuitabilityModel.unit_means`` per draw.

Medians of a few runs; the machine's load average is written beside the figures, since
the machine is shared. Writes benchmarks/results/robustness.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from layers.config import CriterionConfig, InterventionConfig
from processing.kernels.suitability import combine
from processing.robustness import (
    draw_weights,
    rank_robustness,
    summarise_ranks,
    unit_memberships,
)
from processing.suitability_model import SuitabilityModel

RESULTS = Path(__file__).resolve().parent / "results" / "robustness.json"
UNITS, CRITERIA, DRAWS, TOP_N, CONCENTRATION, SEED = 10_000, 8, 500, 10, 50.0, 0
CELLS_PER_UNIT = 100
RUNS = 5
BUDGET_S = 2.0


def _median_s(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _naive(scores_of: Callable[[np.ndarray], np.ndarray], draws: np.ndarray) -> pd.DataFrame:
    ranks = np.array(
        [
            pd.Series(scores_of(d)).rank(method="first", ascending=False, na_option="bottom")
            for d in draws
        ]
    )
    return summarise_ranks(ranks, TOP_N)


def _model(rng: np.random.Generator) -> SuitabilityModel:
    cells = UNITS * CELLS_PER_UNIT
    profile = InterventionConfig(
        id="bench",
        name="bench",
        criteria=[
            CriterionConfig(layer="slope_pct", function="increasing", params=[0, 1], weight=w)
            for w in rng.uniform(0.5, 3.0, CRITERIA)
        ],
    )
    # each community has its own level, so the ranking is not a coin toss
    level = rng.random((CRITERIA, UNITS))
    labels = np.repeat(np.arange(1, UNITS + 1, dtype=np.int32), CELLS_PER_UNIT)
    members = np.clip(level[:, labels - 1] + rng.normal(0, 0.2, (CRITERIA, cells)), 0, 1)
    allowed = rng.random(cells) > 0.1
    return SuitabilityModel(
        profile,
        members.astype(np.float32),
        np.arange(cells),
        allowed,
        labels[None, :],
        UNITS,
        (UNITS, CELLS_PER_UNIT),
        {"slope": ~allowed},
    )


def main() -> None:
    load_before = os.getloadavg()
    rng = np.random.default_rng(SEED)
    weights = rng.uniform(0.5, 3.0, CRITERIA)
    a = rng.random((UNITS, CRITERIA))
    draws = draw_weights(weights, CONCENTRATION, DRAWS, SEED)

    fast_s, fast = _median_s(
        lambda: rank_robustness(a, weights, CONCENTRATION, DRAWS, TOP_N, SEED), RUNS
    )
    naive_s, naive = _median_s(lambda: _naive(lambda d: combine(a.T, d, "sum"), draws), 1)
    pd.testing.assert_frame_equal(fast, naive, check_dtype=False)  # type: ignore[arg-type]

    model = _model(rng)
    w_model = [c.weight for c in model.profile.criteria]
    model_draws = draw_weights(w_model, CONCENTRATION, DRAWS, SEED)
    means_s, members = _median_s(lambda: unit_memberships(model), RUNS)
    ranked_s, _ = _median_s(
        lambda: rank_robustness(members, w_model, CONCENTRATION, DRAWS, TOP_N, SEED),  # type: ignore[arg-type]
        RUNS,
    )
    naive_model_s, naive_model = _median_s(lambda: _naive(model.unit_means, model_draws), 1)
    fast_model = rank_robustness(members, w_model, CONCENTRATION, DRAWS, TOP_N, SEED)  # type: ignore[arg-type]
    agree = (fast_model["top_n_probability"] == naive_model["top_n_probability"]).mean()  # type: ignore[index]

    report = {
        "units": UNITS,
        "criteria": CRITERIA,
        "draws": DRAWS,
        "top_n": TOP_N,
        "concentration": CONCENTRATION,
        "budget_s": BUDGET_S,
        "pure_function": {
            "robustness_s": round(fast_s, 3),
            "naive_loop_s": round(naive_s, 3),
            "ratio": round(naive_s / fast_s, 1),
            "tables_equal": True,
        },
        "through_a_model": {
            "cells": int(model.cells.size),
            "unit_memberships_s": round(means_s, 3),
            "robustness_s": round(ranked_s, 3),
            "total_s": round(means_s + ranked_s, 3),
            "naive_unit_means_loop_s": round(naive_model_s, 3),
            "ratio": round(naive_model_s / (means_s + ranked_s), 1),
            "top_n_probability_equal_share": round(float(agree), 4),
        },
        "runs": RUNS,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "load_average_1_5_15_before": [round(x, 2) for x in load_before],
            "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
            "note": "shared 2-core machine; other users' jobs run alongside",
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
