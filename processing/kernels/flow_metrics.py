"""Goodness-of-fit of simulated against observed streamflow.

- NSE, Nash and Sutcliffe (1970): ``1 - sum((s - o)^2) / sum((o - mean(o))^2)``; 1 is a
  perfect fit, 0 is no better than the observed mean.
- KGE, Gupta et al. (2009): ``1 - sqrt((r - 1)^2 + (alpha - 1)^2 + (beta - 1)^2)`` with
  ``r`` the Pearson correlation, ``alpha = sd(s) / sd(o)`` and ``beta = mean(s) / mean(o)``.
- PBIAS, Moriasi et al. (2007): ``100 * sum(s - o) / sum(o)``, in percent; positive when the
  model over-estimates (hydroGOF's sign; Moriasi and hydroeval report ``sum(o - s)``).

Pairs where either value is missing are dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _pairs(observed: np.ndarray, simulated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    o = np.asarray(observed, dtype=np.float64).ravel()
    s = np.asarray(simulated, dtype=np.float64).ravel()
    if o.shape != s.shape:
        raise ValueError(f"observed and simulated differ in length: {o.size} vs {s.size}")
    ok = np.isfinite(o) & np.isfinite(s)
    if ok.sum() < 2:
        raise ValueError("fewer than two months with both observed and simulated flow")
    return o[ok], s[ok]


def nse(observed: np.ndarray, simulated: np.ndarray) -> float:
    """Nash-Sutcliffe efficiency (-inf..1)."""
    o, s = _pairs(observed, simulated)
    spread = float(np.sum((o - o.mean()) ** 2))
    if spread == 0:
        raise ValueError("observed flow is constant: NSE is undefined")
    return 1.0 - float(np.sum((s - o) ** 2)) / spread


@dataclass(frozen=True)
class KgeParts:
    """KGE and its three components."""

    kge: float
    r: float
    alpha: float
    beta: float


def kge_parts(observed: np.ndarray, simulated: np.ndarray) -> KgeParts:
    """Kling-Gupta efficiency (2009) with its correlation, variability and bias ratios."""
    o, s = _pairs(observed, simulated)
    if o.std() == 0 or o.mean() == 0:
        raise ValueError("observed flow is constant or zero: KGE is undefined")
    r = float(np.corrcoef(o, s)[0, 1]) if s.std() > 0 else 0.0
    alpha = float(s.std() / o.std())
    beta = float(s.mean() / o.mean())
    kge = 1.0 - float(np.sqrt((r - 1) ** 2 + (alpha - 1) ** 2 + (beta - 1) ** 2))
    return KgeParts(kge, r, alpha, beta)


def kge(observed: np.ndarray, simulated: np.ndarray) -> float:
    """Kling-Gupta efficiency (-inf..1)."""
    return kge_parts(observed, simulated).kge


def pbias(observed: np.ndarray, simulated: np.ndarray) -> float:
    """Percent bias of the simulation, ``100 * sum(s - o) / sum(o)``."""
    o, s = _pairs(observed, simulated)
    total = float(o.sum())
    if total == 0:
        raise ValueError("observed flow sums to zero: PBIAS is undefined")
    return 100.0 * float(np.sum(s - o)) / total
