"""Monthly soil-water balance kernels: SCS curve-number runoff and a Thornthwaite-Mather bucket.

Arrays are laid out ``(months, units)`` and the loop runs over months only, so ten thousand
units over forty years take a few tens of milliseconds. Every month closes exactly:
``P = AET + runoff + surplus + (storage_end - storage_start)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

MM_PER_INCH = 25.4
SPINUP_TOLERANCE_MM = 0.01


def scs_runoff_mm(
    p_mm: np.ndarray | float, cn: np.ndarray | float, ia_ratio: float = 0.2
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

    ``storage`` is at the end of each month; ``deficit = pet - aet``; ``surplus`` is the
    water that leaves the root zone when it is full (recharge and slow flow).
    """

    p: np.ndarray
    pet: np.ndarray
    aet: np.ndarray
    runoff: np.ndarray
    infiltration: np.ndarray
    storage: np.ndarray
    storage_start: np.ndarray
    surplus: np.ndarray
    deficit: np.ndarray

    @property
    def stress_index(self) -> np.ndarray:
        """AET / PET (1: no water stress); 1 where PET is 0."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.pet > 0, self.aet / self.pet, 1.0)

    def closure_mm(self) -> np.ndarray:
        """Residual of ``P - AET - runoff - surplus - change in storage`` (0 when balanced)."""
        return self.p - self.aet - self.runoff - self.surplus - (self.storage - self.storage_start)


def _step(
    st: np.ndarray,
    p_eff: np.ndarray,
    pet: np.ndarray,
    cap: np.ndarray,
    has_cap: np.ndarray,
    linear: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month of the bucket: returns (storage at the end, AET, surplus)."""
    net = p_eff - pet
    wet = net >= 0
    # wet months fill the store, the excess over capacity is surplus
    filled = np.minimum(st + np.maximum(net, 0.0), cap)
    surplus = np.where(wet, st + np.maximum(net, 0.0) - filled, 0.0)
    # dry months draw storage down exponentially: ST = ST0 exp(-(PET - P_eff) / STmax)
    if linear:  # simple bucket: plants draw storage down at the full shortfall
        decayed = np.maximum(st + np.minimum(net, 0.0), 0.0)
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = np.minimum(net, 0.0) / np.where(has_cap, cap, 1.0)
            decayed = np.where(has_cap, st * np.exp(ratio), 0.0)
    st_new = np.where(wet, filled, decayed)
    aet = np.where(wet, pet, p_eff + (st - st_new))
    return st_new, aet, surplus


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
    has_cap = cap > 0
    months = p.shape[0]
    days = np.asarray(rain_days, dtype=np.float64)[np.arange(months) % 12][:, None]
    runoff = monthly_runoff_mm(p, np.asarray(cn, dtype=np.float64)[None, :], days)
    p_eff = p - runoff
    st = (
        cap.copy()
        if initial_storage_mm is None
        else np.minimum(np.asarray(initial_storage_mm, float), cap)
    )
    first_year = min(12, months)
    linear = drawdown == "linear"
    for _ in range(spinup_years):
        start = st.copy()
        for m in range(first_year):
            st, _, _ = _step(st, p_eff[m], pet[m], cap, has_cap, linear)
        if np.max(np.abs(st - start), initial=0.0) < SPINUP_TOLERANCE_MM:
            break
    aet = np.empty_like(p)
    surplus = np.empty_like(p)
    storage = np.empty_like(p)
    storage_start = np.empty_like(p)
    for m in range(months):
        storage_start[m] = st
        st, aet[m], surplus[m] = _step(st, p_eff[m], pet[m], cap, has_cap, linear)
        storage[m] = st
    return MonthlyBalance(p, pet, aet, runoff, p_eff, storage, storage_start, surplus, pet - aet)


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
