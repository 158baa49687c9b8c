"""Monthly water balance: the vectorised kernel against a straightforward per-unit Python loop.

10,000 units x 480 months (40 years). Both compute the same SCS runoff and
Thornthwaite-Mather bucket; the loop's results are checked against the kernel's before
timing. Writes benchmarks/results/water_balance.json.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path

import numpy as np

from processing.kernels.water_balance import thornthwaite_mather

RESULTS = Path(__file__).resolve().parent / "results" / "water_balance.json"
UNITS, MONTHS, RUNS = 10_000, 480, 5


def loop_balance(p, pet, cn, cap, rain_days, spinup_years=5):  # type: ignore[no-untyped-def]
    """The plain-Python version a first implementation would write: unit by unit, month by month."""
    months, units = len(p), len(p[0])
    aet = [[0.0] * units for _ in range(months)]
    for u in range(units):
        s = 25400.0 / cn[u] - 254.0
        ia = 0.2 * s
        st = cap[u]

        def step(
            st: float, m: int, u: int = u, s: float = s, ia: float = ia
        ) -> tuple[float, float]:
            days = rain_days[m % 12]
            ev = p[m][u] / days
            q = ((ev - ia) ** 2 / (ev - ia + s) if ev > ia else 0.0) * days
            peff = p[m][u] - q
            net = peff - pet[m][u]
            if net >= 0:
                return min(st + net, cap[u]), pet[m][u]
            new = st * math.exp(net / cap[u]) if cap[u] > 0 else 0.0
            return new, peff + (st - new)

        for _ in range(spinup_years):
            start = st
            for m in range(12):
                st, _ = step(st, m)
            if abs(st - start) < 0.01:
                break
        for m in range(months):
            st, aet[m][u] = step(st, m)
    return aet


def main() -> None:
    rng = np.random.default_rng(3)
    p = rng.gamma(0.8, 90, (MONTHS, UNITS))
    pet = rng.uniform(60, 180, (MONTHS, UNITS))
    cn = rng.uniform(40, 95, UNITS)
    cap = rng.uniform(20, 300, UNITS)
    days = rng.uniform(2, 15, 12)
    check = loop_balance(
        p[:, :50].tolist(), pet[:, :50].tolist(), cn[:50].tolist(), cap[:50].tolist(), days.tolist()
    )
    ref = thornthwaite_mather(p[:, :50], pet[:, :50], cn[:50], cap[:50], days)
    np.testing.assert_allclose(np.array(check), ref.aet, rtol=1e-9, atol=1e-9)
    times_np = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        thornthwaite_mather(p, pet, cn, cap, days)
        times_np.append(time.perf_counter() - t0)
    pl, petl, cnl, capl, dl = p.tolist(), pet.tolist(), cn.tolist(), cap.tolist(), days.tolist()
    times_loop = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        loop_balance(pl, petl, cnl, capl, dl)
        times_loop.append(time.perf_counter() - t0)
    report = {
        "units": UNITS,
        "months": MONTHS,
        "runs": RUNS,
        "numpy_s": {
            "runs": [round(t, 4) for t in times_np],
            "median": round(statistics.median(times_np), 4),
            "budget": 0.1,
        },
        "python_loop_s": {
            "runs": [round(t, 3) for t in times_loop],
            "median": round(statistics.median(times_loop), 3),
        },
    }
    report["speedup"] = round(report["python_loop_s"]["median"] / report["numpy_s"]["median"], 1)  # type: ignore[index]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
