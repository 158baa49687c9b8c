# ruff: noqa: E402  (numpy's huge pages are set before numpy is imported)
"""Monthly water balance of 10,000 units x 480 months (40 years) with 8 HRUs per unit.

Times, in the same run:

- the HRU runoff kernel (expected curve-number runoff of exponentially distributed event
  depths, compiled) against its peer, the same expectation written with numpy and
  ``scipy.special.exp1`` (checked equal first);
- the whole balance (HRU runoff + Thornthwaite-Mather bucket) against the balance with
  one curve number per unit and equal event depths.

Writes benchmarks/results/water_balance.json.
"""

from __future__ import annotations

from processing.kernels.numpy_env import default_to_small_pages

default_to_small_pages()  # as in a landwater process: before numpy is imported

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.special import exp1

from processing.kernels.runoff import IA_RATIO, hru_runoff_mm, monthly_runoff_mm
from processing.kernels.water_balance import thornthwaite_mather

RESULTS = Path(__file__).resolve().parent / "results" / "water_balance.json"
UNITS, MONTHS, HRUS, RUNS = 10_000, 480, 8, 5
BUDGET_S = 0.2


def scipy_hru_runoff(p, cn, share, days):  # type: ignore[no-untyped-def]
    """The peer: E[Q] = mu exp(-Ia/mu) (1 - z + z^2 exp(z) E1(z)), z = S / mu, with scipy."""
    out = np.zeros_like(p)
    n = np.maximum(days, 1.0)[:, None]
    mu = p / n
    for h in range(cn.shape[1]):
        s = 25400.0 / cn[:, h] - 254.0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            z = s[None, :] / mu
            big = z > 50.0  # exp(z) E1(z) by its asymptotic series: the closed form cancels
            inv = 1.0 / z
            scaled = np.where(big, inv * (1 - inv * (1 - 2 * inv * (1 - 3 * inv))), 0.0)
            small = ~big & (mu > 0)
            scaled[small] = np.exp(z[small]) * exp1(z[small])
            h_z = np.where(big, inv * (2 - inv * (6 - 24 * inv)), 1 - z + z * z * scaled)
            q = np.where(mu > 0, mu * np.exp(-IA_RATIO * z) * h_z, 0.0)
        out += share[None, :, h] * n * q
    return out


def _median_s(fn: Callable[[], object]) -> tuple[list[float], float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return [round(t, 4) for t in times], round(statistics.median(times), 4)


def main() -> None:
    rng = np.random.default_rng(3)
    p = rng.gamma(0.8, 90, (MONTHS, UNITS))
    pet = rng.uniform(60, 180, (MONTHS, UNITS))
    cn = rng.uniform(40, 95, (UNITS, HRUS))
    share = rng.dirichlet(np.ones(HRUS), UNITS)
    cap = rng.uniform(20, 300, UNITS)
    days = rng.uniform(2, 15, 12)[np.arange(MONTHS) % 12]
    ours = hru_runoff_mm(p[:, :200], cn[:200], share[:200], days)
    peer = scipy_hru_runoff(p[:, :200], cn[:200], share[:200], days)
    np.testing.assert_allclose(ours, peer, rtol=1e-5, atol=1e-6)  # the peer cancels at large z
    runoff_runs, runoff_s = _median_s(lambda: hru_runoff_mm(p, cn, share, days))
    peer_runs, peer_s = _median_s(lambda: scipy_hru_runoff(p, cn, share, days))

    def balance_hrus() -> object:
        return thornthwaite_mather(p, pet, hru_runoff_mm(p, cn, share, days), cap)

    mean_cn = (cn * share).sum(axis=1)

    def balance_equal() -> object:
        return thornthwaite_mather(p, pet, monthly_runoff_mm(p, mean_cn, days, "equal"), cap)

    hru_runs, hru_s = _median_s(balance_hrus)
    equal_runs, equal_s = _median_s(balance_equal)
    report = {
        "units": UNITS,
        "months": MONTHS,
        "hrus_per_unit": HRUS,
        "runs": RUNS,
        "hru_runoff_s": {"runs": runoff_runs, "median": runoff_s},
        "scipy_peer_runoff_s": {"runs": peer_runs, "median": peer_s},
        "runoff_speedup_vs_scipy": round(peer_s / runoff_s, 1),
        "balance_with_hrus_s": {"runs": hru_runs, "median": hru_s, "budget": BUDGET_S},
        "balance_one_cn_equal_events_s": {"runs": equal_runs, "median": equal_s},
        "hru_cost_ratio": round(hru_s / equal_s, 2),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
