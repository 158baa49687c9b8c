"""Monthly reference ET on a (12, 1000, 1000) grid: the kernels against a day-by-day loop.

Hargreaves and Thornthwaite monthly totals on one million cells (latitudes 1 deg S to 2 deg N
varying along rows and columns, as on a projected grid). The reference sums the daily
kernels day by day over the grid: every day of the year evaluated once on every cell and
added to its month in a common year (weight 3/4) and in the leap year (weight 1/4). Results
are checked equal before timing (Thornthwaite's daylight hours on the first 50 rows).
Writes benchmarks/results/et0.json.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from processing.kernels.et0 import (
    COMMON_YEAR_MONTH_DAYS,
    LEAP_CYCLE_YEARS,
    MJ_TO_MM,
    daylight_hours,
    extraterrestrial_radiation,
    hargreaves_monthly_mm,
    monthly_daylight_hours,
    thornthwaite_monthly_mm,
)

RESULTS = Path(__file__).resolve().parent / "results" / "et0.json"
ROWS, COLS, RUNS = 1000, 1000, 5


def _month_of_day(leap: bool) -> np.ndarray:
    days = COMMON_YEAR_MONTH_DAYS + np.array([0, int(leap)] + [0] * 10)
    return np.repeat(np.arange(12), days)


def day_loop_sums(lat: np.ndarray, daily: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
    """Leap-cycle monthly sums of ``daily(lat, doy)``, one day of the year at a time."""
    common, leap = _month_of_day(False), _month_of_day(True)
    out = np.zeros((12, *lat.shape))
    for doy in range(1, 367):
        value = daily(lat, doy)
        if doy <= common.size:
            out[common[doy - 1]] += (LEAP_CYCLE_YEARS - 1) * value
        out[leap[doy - 1]] += value
    return out / LEAP_CYCLE_YEARS


def _median_s(run: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main() -> None:
    rng = np.random.default_rng(5)
    lat = np.linspace(-1.0, 2.0, ROWS)[:, None] + np.linspace(0.0, 0.05, COLS)[None, :]
    tmin = rng.uniform(5, 15, (12, ROWS, COLS))
    tmax = tmin + rng.uniform(5, 15, (12, ROWS, COLS))
    tmean = (tmin + tmax) / 2

    def loop_hargreaves() -> np.ndarray:
        term = 0.0023 * (tmean + 17.8) * np.sqrt(tmax - tmin) * MJ_TO_MM
        return term * day_loop_sums(lat, extraterrestrial_radiation)

    t0 = time.perf_counter()
    reference = loop_hargreaves()
    loop_s = time.perf_counter() - t0
    np.testing.assert_allclose(hargreaves_monthly_mm(tmin, tmax, lat), reference, rtol=1e-7)
    rows = slice(0, 50)
    daylight = day_loop_sums(lat[rows], daylight_hours)
    np.testing.assert_allclose(monthly_daylight_hours(lat[rows]), daylight, rtol=1e-7)
    harg, harg_runs = _median_s(lambda: hargreaves_monthly_mm(tmin, tmax, lat), RUNS)
    thorn, thorn_runs = _median_s(lambda: thornthwaite_monthly_mm(tmean, lat), RUNS)
    report = {
        "grid": [12, ROWS, COLS],
        "runs": RUNS,
        "hargreaves_s": {"median": round(harg, 3), "runs": [round(t, 3) for t in harg_runs]},
        "thornthwaite_s": {"median": round(thorn, 3), "runs": [round(t, 3) for t in thorn_runs]},
        "day_loop_hargreaves_s": round(loop_s, 2),
        "speedup_hargreaves": round(loop_s / harg, 1),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
