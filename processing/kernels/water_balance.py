"""Monthly soil-water balance kernels: SCS curve-number runoff and a Thornthwaite-Mather bucket.

Arrays are laid out ``(months, units)``; runoff is vectorised over all of them and the
store runs in a compiled loop (numba), so ten thousand units over forty years take a few
tens of milliseconds. Each store spins up on its own until it settles. Every month closes exactly:
``P = AET + runoff + surplus + (storage_end - storage_start)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numba import njit, prange

MM_PER_INCH = 25.4
SPINUP_TOLERANCE_MM = 0.01
IA_RATIO = 0.2  # initial abstraction Ia as a share of the retention S (TR-55)
DEFICIT_MONTH_MM = 10.0  # a month counts as "in deficit" when PET - AET exceeds this


def scs_runoff_mm(
    p_mm: np.ndarray | float, cn: np.ndarray | float, ia_ratio: float = IA_RATIO
) -> np.ndarray:
    """SCS curve-number runoff depth for one rain event, mm.

    ``S = 25400 / CN - 254``, ``Ia = ia_ratio * S``, ``Q = (P - Ia)^2 / (P - Ia + S)`` when
    ``P > Ia``, else 0. TR-55: CN 80, P = 5 in gives Q = 2.89 in.

    Parameters
    ----------
    p_mm : array_like
        Event rainfall, mm.
    cn : array_like
        Curve number, 1..100 (100: all rain runs off).
    ia_ratio : float
        Initial abstraction as a share of S.
    """
    p = np.asarray(p_mm, dtype=np.float64)
    cn_arr = np.clip(np.asarray(cn, dtype=np.float64), 1.0, 100.0)
    s = 25400.0 / cn_arr - 254.0
    ia = ia_ratio * s
    excess = np.maximum(p - ia, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(excess > 0, excess**2 / (excess + s), 0.0)
    return np.minimum(q, p)


def monthly_runoff_mm(
    p_month_mm: np.ndarray, cn: np.ndarray, rain_days: np.ndarray | float
) -> np.ndarray:
    """Runoff of a month's rain split into ``rain_days`` equal events, mm/month.

    Parameters
    ----------
    p_month_mm : numpy.ndarray
        Monthly rainfall, mm; shape ``(months, units)`` or broadcastable.
    cn : numpy.ndarray
        Curve number per unit, shape ``(units,)``.
    rain_days : array_like
        Rain events in each month, shape ``(months, 1)`` or scalar; at least 1.
    """
    days = np.maximum(np.asarray(rain_days, dtype=np.float64), 1.0)
    return scs_runoff_mm(np.asarray(p_month_mm, dtype=np.float64) / days, cn) * days


@dataclass(frozen=True)
class MonthlyBalance:
    """Monthly water balance, every array ``(months, units)`` in mm.

    ``storage`` is at the end of each month (``initial_storage`` before the first, after
    spin-up); ``deficit = pet - aet``; ``surplus`` is the water that leaves the root zone
    when it is full (recharge and slow flow).
    """

    p: np.ndarray
    pet: np.ndarray
    aet: np.ndarray
    runoff: np.ndarray
    storage: np.ndarray
    initial_storage: np.ndarray  # (units,): storage at the start of the first month
    surplus: np.ndarray

    @property
    def storage_start(self) -> np.ndarray:
        """Storage at the start of each month."""
        return np.vstack([self.initial_storage[np.newaxis], self.storage[:-1]])

    @property
    def infiltration(self) -> np.ndarray:
        """Rain that enters the soil: P - runoff."""
        return self.p - self.runoff

    @property
    def deficit(self) -> np.ndarray:
        """Unmet demand: PET - AET."""
        return self.pet - self.aet

    @property
    def stress_index(self) -> np.ndarray:
        """AET / PET (1: no water stress); 1 where PET is 0."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.pet > 0, self.aet / self.pet, 1.0)

    def closure_mm(self) -> np.ndarray:
        """Residual of ``P - AET - runoff - surplus - change in storage`` (0 when balanced)."""
        return self.p - self.aet - self.runoff - self.surplus - (self.storage - self.storage_start)


@njit(cache=True, nogil=True)
def _bucket_month(
    st: float, p_eff: float, pet: float, cap: float, linear: bool
) -> tuple[float, float, float]:
    """One month of one store: (storage at the end, AET, surplus), all mm."""
    net = p_eff - pet
    if net >= 0.0:  # wet month: fill the store, the excess over capacity is surplus
        filled = min(st + net, cap)
        return filled, pet, st + net - filled
    if linear:  # simple bucket: storage covers the full shortfall
        new = max(st + net, 0.0)
    elif cap > 0.0:  # Thornthwaite-Mather: ST = ST0 exp(-(PET - P_eff) / STmax)
        new = st * np.exp(net / cap)
    else:
        new = 0.0
    return new, p_eff + (st - new), 0.0


@njit(cache=True, nogil=True)
def _event_runoff(p_month: float, cn: float, days: float, ia_ratio: float) -> float:
    """Scalar twin of :func:`monthly_runoff_mm` for the compiled loop."""
    cn = min(max(cn, 1.0), 100.0)
    s = 25400.0 / cn - 254.0
    days = max(days, 1.0)
    event = p_month / days
    excess = event - ia_ratio * s
    if excess <= 0.0:
        return 0.0
    return min(excess * excess / (excess + s), event) * days


UNIT_BLOCK = 512  # units per parallel task: rows stay contiguous inside a block


@njit(cache=True, parallel=True)
def _run_buckets(
    p: np.ndarray,
    pet: np.ndarray,
    cn: np.ndarray,
    cap: np.ndarray,
    days: np.ndarray,
    st0: np.ndarray,
    spinup_years: int,
    linear: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
    """Runoff and stores of every unit: (runoff, aet, surplus, storage, initial storage).

    Each store spins up on the first year until it settles; blocks of units run in parallel.
    """
    months, units = p.shape
    first_year = min(12, months)
    runoff = np.empty((months, units))
    aet = np.empty((months, units))
    surplus = np.empty((months, units))
    storage = np.empty((months, units))
    initial = np.empty(units)
    n_blocks = (units + UNIT_BLOCK - 1) // UNIT_BLOCK
    for b in prange(n_blocks):  # type: ignore[attr-defined, unused-ignore]
        u0 = b * UNIT_BLOCK
        u1 = min(units, u0 + UNIT_BLOCK)
        st = st0[u0:u1].copy()
        for u in range(u0, u1):
            for _ in range(spinup_years):
                start = st[u - u0]
                for m in range(first_year):
                    q = _event_runoff(p[m, u], cn[u], days[m], IA_RATIO)
                    st[u - u0] = _bucket_month(st[u - u0], p[m, u] - q, pet[m, u], cap[u], linear)[
                        0
                    ]
                if abs(st[u - u0] - start) < SPINUP_TOLERANCE_MM:
                    break
            initial[u] = st[u - u0]
        for m in range(months):
            for u in range(u0, u1):
                q = _event_runoff(p[m, u], cn[u], days[m], IA_RATIO)
                runoff[m, u] = q
                new, e, sp = _bucket_month(st[u - u0], p[m, u] - q, pet[m, u], cap[u], linear)
                st[u - u0] = new
                aet[m, u] = e
                surplus[m, u] = sp
                storage[m, u] = new
    return runoff, aet, surplus, storage, initial


def thornthwaite_mather(
    p_mm: np.ndarray,
    pet_mm: np.ndarray,
    cn: np.ndarray,
    capacity_mm: np.ndarray,
    rain_days: np.ndarray,
    spinup_years: int = 5,
    initial_storage_mm: np.ndarray | None = None,
    drawdown: Literal["exponential", "linear"] = "exponential",
) -> MonthlyBalance:
    """Monthly Thornthwaite-Mather water balance with curve-number runoff.

    Parameters
    ----------
    p_mm, pet_mm : numpy.ndarray
        Rainfall and crop PET (Kc x ET0), mm/month, shape ``(months, units)``; months run
        consecutively from a January (a 12-month climatology or whole years).
    cn : numpy.ndarray
        Composite curve number per unit, shape ``(units,)``.
    capacity_mm : numpy.ndarray
        Root-zone storage capacity (AWC x root depth), mm, shape ``(units,)``; 0 allowed.
    rain_days : numpy.ndarray
        Rain events per calendar month, shape ``(12,)``.
    spinup_years : int
        Times the first year is cycled to settle the starting storage (stops early once
        the end-of-year storage changes by less than 0.01 mm).
    initial_storage_mm : numpy.ndarray, optional
        Storage before spin-up; full capacity when omitted.
    drawdown : {"exponential", "linear"}
        Dry-month storage loss: Thornthwaite-Mather (1957)'s ``ST = ST0 exp(-(PET - P)/STmax)``
        or the simple bucket of introductory texts (``ST = max(ST0 - (PET - P), 0)``).

    Returns
    -------
    MonthlyBalance
    """
    p = np.asarray(p_mm, dtype=np.float64)
    pet = np.maximum(np.asarray(pet_mm, dtype=np.float64), 0.0)
    if p.shape != pet.shape or p.ndim != 2:
        raise ValueError(
            f"p_mm and pet_mm must both be (months, units); got {p.shape} and {pet.shape}"
        )
    cap = np.maximum(np.asarray(capacity_mm, dtype=np.float64), 0.0)
    months = p.shape[0]
    days = np.asarray(rain_days, dtype=np.float64)[np.arange(months) % 12]
    st = (
        cap.copy()
        if initial_storage_mm is None
        else np.minimum(np.asarray(initial_storage_mm, float), cap)
    )
    runoff, aet, surplus, storage, initial = _run_buckets(
        np.ascontiguousarray(p),
        np.ascontiguousarray(pet),
        np.asarray(cn, dtype=np.float64),
        cap,
        days,
        st,
        int(spinup_years),
        drawdown == "linear",
    )
    return MonthlyBalance(p, pet, aet, runoff, storage, initial, surplus)


def composite_weighted(values_by_class: np.ndarray, class_share: np.ndarray) -> np.ndarray:
    """Area-weighted mean of a per-class value for each unit.

    Parameters
    ----------
    values_by_class : numpy.ndarray
        ``(classes,)`` value of each class (e.g. CN of each land-use x soil-group pair).
    class_share : numpy.ndarray
        ``(units, classes)`` area share of each class in each unit (rows sum to 1, or 0 for
        units without data, which get NaN).
    """
    total = class_share.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, class_share @ values_by_class / total, np.nan)
