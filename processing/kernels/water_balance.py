"""Monthly soil-water balance kernel: a Thornthwaite-Mather bucket fed by rain less runoff.

Arrays are laid out ``(months, units)``; the runoff comes in computed
(:mod:`processing.kernels.runoff`) and the store runs in a compiled loop (numba), so ten
thousand units over forty years take a few tens of milliseconds. Each store spins up on its
own until it settles. Every month closes exactly:
``P = AET + runoff + surplus + (storage_end - storage_start)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numba import njit, prange

SPINUP_TOLERANCE_MM = 0.01
DEFICIT_MONTH_MM = 10.0  # a month counts as "in deficit" when PET - AET exceeds this


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


UNIT_BLOCK = 512  # units per parallel task: rows stay contiguous inside a block


@njit(cache=True, nogil=True)
def _bucket_block(
    p: np.ndarray,
    pet: np.ndarray,
    q: np.ndarray,
    cap: np.ndarray,
    st0: np.ndarray,
    spinup_years: int,
    linear: bool,
    u0: int,
    u1: int,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # pragma: no cover - compiled
    """Run the stores of units ``u0 .. u1 - 1`` into ``out`` (aet, surplus, storage, initial).

    Each store spins up on the first year until it settles, then runs every month.
    """
    aet, surplus, storage, initial = out
    first_year = min(12, p.shape[0])
    st = st0[u0:u1].copy()
    for u in range(u0, u1):
        for _ in range(spinup_years):
            start = st[u - u0]
            for m in range(first_year):
                p_eff = p[m, u] - q[m, u]
                st[u - u0] = _bucket_month(st[u - u0], p_eff, pet[m, u], cap[u], linear)[0]
            if abs(st[u - u0] - start) < SPINUP_TOLERANCE_MM:
                break
        initial[u] = st[u - u0]
    for m in range(p.shape[0]):
        for u in range(u0, u1):
            new, e, sp = _bucket_month(st[u - u0], p[m, u] - q[m, u], pet[m, u], cap[u], linear)
            st[u - u0] = new
            aet[m, u] = e
            surplus[m, u] = sp
            storage[m, u] = new


def _new_stores(
    shape: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Empty (aet, surplus, storage) of ``(months, units)`` and initial storage ``(units,)``.

    Allocated by numpy, which asks for huge pages: filling them costs fewer page faults than
    arrays allocated inside a compiled function.
    """
    return np.empty(shape), np.empty(shape), np.empty(shape), np.empty(shape[1])


@njit(cache=True, parallel=True)
def _run_buckets(
    p: np.ndarray,
    pet: np.ndarray,
    q: np.ndarray,
    cap: np.ndarray,
    st0: np.ndarray,
    spinup_years: int,
    linear: bool,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # pragma: no cover
    """Run every unit's store into ``out`` (aet, surplus, storage, initial), blocks in parallel."""
    units = p.shape[1]
    n_blocks = (units + UNIT_BLOCK - 1) // UNIT_BLOCK
    for b in prange(n_blocks):  # type: ignore[attr-defined, unused-ignore]
        u0 = b * UNIT_BLOCK
        _bucket_block(
            p, pet, q, cap, st0, spinup_years, linear, u0, min(units, u0 + UNIT_BLOCK), out
        )


@njit(cache=True, nogil=True)
def _run_buckets_serial(
    p: np.ndarray,
    pet: np.ndarray,
    q: np.ndarray,
    cap: np.ndarray,
    st0: np.ndarray,
    spinup_years: int,
    linear: bool,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:  # pragma: no cover
    """:func:`_run_buckets` on one thread (one block: waking a thread pool costs more)."""
    _bucket_block(p, pet, q, cap, st0, spinup_years, linear, 0, p.shape[1], out)


def thornthwaite_mather(
    p_mm: np.ndarray,
    pet_mm: np.ndarray,
    runoff_mm: np.ndarray,
    capacity_mm: np.ndarray,
    spinup_years: int = 5,
    initial_storage_mm: np.ndarray | None = None,
    drawdown: Literal["exponential", "linear"] = "exponential",
) -> MonthlyBalance:
    """Monthly Thornthwaite-Mather water balance of the rain that does not run off.

    Parameters
    ----------
    p_mm, pet_mm : numpy.ndarray
        Rainfall and crop PET (Kc x ET0), mm/month, shape ``(months, units)``; months run
        consecutively from a January (a 12-month climatology or whole years).
    runoff_mm : numpy.ndarray
        Quick runoff of each month, mm, ``(months, units)`` (at most the rain;
        :func:`processing.kernels.runoff.hru_runoff_mm`).
    capacity_mm : numpy.ndarray
        Root-zone storage capacity (AWC x root depth), mm, shape ``(units,)``; 0 allowed.
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
    p = np.ascontiguousarray(p_mm, dtype=np.float64)
    pet = np.ascontiguousarray(pet_mm, dtype=np.float64)
    if p.shape != pet.shape or p.ndim != 2:
        raise ValueError(
            f"p_mm and pet_mm must both be (months, units); got {p.shape} and {pet.shape}"
        )
    cap = np.maximum(np.asarray(capacity_mm, dtype=np.float64), 0.0)
    runoff = np.ascontiguousarray(runoff_mm, dtype=np.float64)
    if runoff.shape != p.shape:
        raise ValueError(f"runoff_mm must be {p.shape} like p_mm; got {runoff.shape}")
    # clipped copies only when needed: a (months, units) copy costs as much as the store
    if (pet < 0.0).any():
        pet = np.maximum(pet, 0.0)
    if (runoff > p).any():
        runoff = np.minimum(runoff, p)
    st = (
        cap.copy()
        if initial_storage_mm is None
        else np.minimum(np.asarray(initial_storage_mm, float), cap)
    )
    run = _run_buckets if p.shape[1] > UNIT_BLOCK else _run_buckets_serial
    out = _new_stores(p.shape)
    run(p, pet, runoff, cap, st, int(spinup_years), drawdown == "linear", out)
    aet, surplus, storage, initial = out
    return MonthlyBalance(p, pet, aet, runoff, storage, initial, surplus)
