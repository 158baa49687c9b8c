"""Multi-criteria suitability kernels: membership functions, weights (direct or AHP), scores.

Arrays in, arrays out; a criterion's membership grid is computed once and re-weighted on
every change of weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from processing.kernels.ecocrop import trapezoid

# Saaty's random consistency index for n = 1..10
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
CR_LIMIT = 0.1
# score thresholds of the FAO land suitability classes (documented in the README)
CLASS_LIMITS = {"S1": 0.75, "S2": 0.5, "S3": 0.25}


def increasing(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """0 at or below ``low``, 1 at or above ``high``, linear between."""
    return trapezoid(x, low, high, np.inf, np.inf)


def decreasing(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """1 at or below ``low``, 0 at or above ``high``, linear between."""
    x = np.asarray(x, dtype=np.float64)
    y = np.clip((high - x) / (high - low), 0.0, 1.0) if high > low else np.where(x <= low, 1.0, 0.0)
    return np.where(np.isnan(x), np.nan, y)


def class_lookup(
    codes: np.ndarray, scores: Mapping[int, float], default: float = 0.0
) -> np.ndarray:
    """Membership of class codes from a table of scores (``default`` for unlisted codes)."""
    codes = np.asarray(codes)
    out = np.full(codes.shape, default, dtype=np.float64)
    for code, score in scores.items():
        out[codes == code] = score
    return out


def normalise_weights(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Weights scaled to sum to 1.

    Raises
    ------
    ValueError
        When a weight is negative or all are zero.
    """
    w = np.asarray(weights, dtype=np.float64)
    if (w < 0).any():
        raise ValueError(f"weights must not be negative, got {w.tolist()}")
    if w.sum() <= 0:
        raise ValueError("every criterion weight is zero: give at least one a positive weight")
    return w / w.sum()


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise comparison matrix and its consistency."""

    weights: np.ndarray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: acceptable when CR < 0.1."""
        return self.consistency_ratio < CR_LIMIT


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Analytic Hierarchy Process weights: the principal eigenvector of a pairwise matrix.

    ``[[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]`` gives weights 0.637, 0.258, 0.105 and
    CR 0.033.

    Raises
    ------
    ValueError
        When the matrix is not square, not positive, or not reciprocal (a_ji = 1/a_ij).
    """
    a = np.asarray(matrix, dtype=np.float64)
    n = a.shape[0]
    if a.ndim != 2 or a.shape[1] != n or n < 1:
        raise ValueError(f"the pairwise matrix must be square, got shape {a.shape}")
    if (a <= 0).any():
        raise ValueError("pairwise comparisons must be positive numbers (1/9 .. 9)")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3):
        raise ValueError("the pairwise matrix must be reciprocal: a[j][i] = 1 / a[i][j]")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(w, lam, ci, cr)


def combine(
    memberships: np.ndarray,
    weights: Sequence[float] | np.ndarray,
    method: Literal["sum", "geometric"] = "sum",
) -> np.ndarray:
    """Suitability score 0..1 from ``(criteria, ...)`` memberships and weights.

    ``"sum"`` is the weighted sum; ``"geometric"`` the weighted geometric mean (a zero in any
    criterion gives zero).
    """
    w = normalise_weights(weights).reshape((-1,) + (1,) * (memberships.ndim - 1))
    m = np.clip(np.asarray(memberships, dtype=np.float64), 0.0, 1.0)
    if method == "sum":
        return np.sum(w * m, axis=0)
    with np.errstate(divide="ignore"):
        return np.exp(np.sum(w * np.log(m), axis=0))


def classes_text() -> str:
    """The class limits as text: ``S1 >= 0.75 > S2 >= 0.5 > S3 >= 0.25 > N``."""
    return " > ".join(f"{name} >= {limit:g}" for name, limit in CLASS_LIMITS.items()) + " > N"


def suitability_class(score: np.ndarray) -> np.ndarray:
    """FAO classes from scores: S1 >= 0.75 > S2 >= 0.5 > S3 >= 0.25 > N."""
    s = np.asarray(score, dtype=np.float64)
    out = np.full(s.shape, "N", dtype="<U2")
    for name in ("S3", "S2", "S1"):
        out[s >= CLASS_LIMITS[name]] = name
    return out


def limiting_criterion(
    memberships: np.ndarray, weights: Sequence[float] | np.ndarray
) -> np.ndarray:
    """Index of the criterion that pulls the weighted score down most: max of w (1 - m)."""
    w = normalise_weights(weights).reshape((-1,) + (1,) * (memberships.ndim - 1))
    return np.argmax(w * (1.0 - np.asarray(memberships, dtype=np.float64)), axis=0)
