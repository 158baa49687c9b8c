"""Baseflow from recharge: a linear reservoir (monthly)."""

from __future__ import annotations

import numpy as np


def linear_reservoir(recharge_mm: np.ndarray, k_months: float) -> np.ndarray:
    """Baseflow of a linear reservoir fed by monthly recharge, mm/month (same shape).

    Each month ``S += R; Qb = S (1 - a); S -= Qb`` with ``a = exp(-1 / k)`` and ``k`` the
    recession constant in months (a store with no inflow falls to ``1/e`` in ``k`` months).
    The store starts at the steady state of the first year's mean recharge,
    ``S0 = R a / (1 - a)``, so the first months already carry baseflow. Works on
    ``(months,)`` or ``(months, units)`` arrays.
    """
    r = np.asarray(recharge_mm, dtype=np.float64)
    if k_months <= 0:
        raise ValueError(f"baseflow recession constant must be positive, got {k_months}")
    a = float(np.exp(-1.0 / k_months))
    store = r[:12].mean(axis=0) * a / (1.0 - a)
    out = np.empty_like(r)
    for t in range(r.shape[0]):
        store = store + r[t]
        out[t] = store * (1.0 - a)
        store = store - out[t]
    return out
