"""SCS curve-number runoff of a month's rain: per event, per month, per hydrologic response unit.

A month's rain falls in ``rain_days`` events. Two ways to spread it:

``"exponential"`` (default)
    Event depths are exponentially distributed with mean ``P / rain_days`` (the daily-rain
    model of Eagleson (1978) and Rodriguez-Iturbe et al. (1999)), and the month's runoff
    is the *expected* curve-number runoff of those events. With ``S = 25400 / CN - 254``,
    ``Ia = ia_ratio * S``, mean depth ``mu`` and ``z = S / mu`` the expectation has the
    closed form

    ``E[Q] = mu * exp(-ia_ratio * z) * (1 - z + z^2 exp(z) E1(z))``

    (``E1``: the exponential integral; the excess over ``Ia`` of an exponential depth is
    again exponential with mean ``mu``, and ``x^2 / (x + S) = x - S + S^2 / (x + S)``).
``"equal"``
    Every event has the same depth ``P / rain_days``: no runoff at all until a single
    event exceeds ``Ia`` (the simple splitting of monthly models; it under-states runoff
    wherever rain is intermittent, because the curve number is convex in the depth).

A unit (community, watershed) is a set of hydrologic response units (HRUs): land-use class
x hydrologic soil group, each with its own curve number and share of the unit's area. The
unit's runoff is the area-weighted sum of its HRUs' runoff, so the runoff volume of a region
does not depend on how it is cut into units.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from processing.kernels.event_depths import EVENT_DEPTHS, EventDepths

IA_RATIO = 0.2  # initial abstraction Ia as a share of the retention S (TR-55)
_EULER_GAMMA = 0.5772156649015329
_SERIES_Z = 2.0  # below: power series of E1; above: Gauss-Laguerre quadrature
_LAGUERRE_NODES = 24  # 3e-10 relative at z = 2, better above
_TABLE_LN_Z0 = math.log(1e-6)  # below: h = 1 - z (error under 1e-11)
_TABLE_LN_Z1 = math.log(1e4)  # above: the asymptotic series 2/z - 6/z^2 + 24/z^3
_TABLE_SIZE = 16384
PARALLEL_MIN_EVENTS = 200_000  # below: one thread (waking a thread pool costs more)
_NEGLIGIBLE_EXPONENT = 40.0  # exp(-40): a share of the mean depth below 5e-18


def _retention_mm(cn: np.ndarray | float) -> np.ndarray | float:
    """Potential retention ``S = 25400 / CN - 254`` (mm), CN clipped to 1..100."""
    return 25400.0 / np.clip(cn, 1.0, 100.0) - 254.0


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
    s = np.asarray(_retention_mm(np.asarray(cn, dtype=np.float64)))
    excess = np.maximum(p - ia_ratio * s, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(excess > 0, excess**2 / (excess + s), 0.0)
    return np.minimum(q, p)


def _excess_moment_exact(z: np.ndarray) -> np.ndarray:
    """``h(z) = integral of t^2 / (t + z) exp(-t) dt`` over t >= 0, ``= 1 - z + z^2 exp(z) E1(z)``.

    Up to ``_SERIES_Z`` from the power series of ``E1``; above it by Gauss-Laguerre
    quadrature (the integrand is smooth there, and the closed form would cancel).
    """
    z = np.asarray(z, dtype=np.float64)
    small = np.minimum(z, _SERIES_Z)
    total = np.zeros_like(small)
    term = np.ones_like(small)
    for k in range(1, 80):
        term = term * -small / k
        total += term / k
    e1 = -_EULER_GAMMA - np.log(small) - total
    series = 1.0 - small + small * small * np.exp(small) * e1
    t, w = np.polynomial.laguerre.laggauss(_LAGUERRE_NODES)
    big = np.maximum(z, _SERIES_Z)[..., np.newaxis]
    quadrature = (w * t * t / (t + big)).sum(axis=-1)
    return np.where(z <= _SERIES_Z, series, quadrature)


_TABLE_LN_Z = np.linspace(_TABLE_LN_Z0, _TABLE_LN_Z1, _TABLE_SIZE)
_TABLE_H = _excess_moment_exact(np.exp(_TABLE_LN_Z))
_TABLE_STEP = (_TABLE_LN_Z1 - _TABLE_LN_Z0) / (_TABLE_SIZE - 1)


@njit(cache=True, nogil=True)
def _excess_moment(z: float) -> float:  # pragma: no cover - compiled
    """``h(z)`` interpolated in ``ln z`` (relative error below 1e-6); series beyond the table."""
    x = (math.log(z) - _TABLE_LN_Z0) / _TABLE_STEP
    if x <= 0.0:
        return 1.0 - z
    if x >= _TABLE_SIZE - 1:
        r = 1.0 / z
        return r * (2.0 - r * (6.0 - 24.0 * r))
    i = int(x)
    f = x - i
    return _TABLE_H[i] * (1.0 - f) + _TABLE_H[i + 1] * f


@njit(cache=True, nogil=True)
def _event_runoff_mm(mean_mm: float, cn: float, ia_ratio: float, exponential: bool) -> float:
    """Runoff of one event of depth ``mean_mm`` (``"equal"``) or its expectation (mm)."""
    if mean_mm <= 0.0:
        return 0.0
    cn = min(max(cn, 1.0), 100.0)
    s = 25400.0 / cn - 254.0
    if not exponential:
        excess = mean_mm - ia_ratio * s
        if excess <= 0.0:
            return 0.0
        return min(excess * excess / (excess + s), mean_mm)
    if s <= 0.0:
        return mean_mm
    z = s / mean_mm
    if ia_ratio * z > _NEGLIGIBLE_EXPONENT:
        return 0.0
    return mean_mm * math.exp(-ia_ratio * z) * _excess_moment(z)


@njit(cache=True, nogil=True)
def _unit_runoff(
    p: np.ndarray,
    cn: np.ndarray,
    share: np.ndarray,
    days: np.ndarray,
    ia_ratio: float,
    exponential: bool,
    out: np.ndarray,
    u: int,
) -> None:  # pragma: no cover - compiled
    """Fill ``out[:, u]`` with the runoff of unit ``u``."""
    for h in range(cn.shape[1]):
        w = share[u, h]
        if w <= 0.0:
            continue
        for m in range(p.shape[0]):
            n = max(days[m], 1.0)
            out[m, u] += w * n * _event_runoff_mm(p[m, u] / n, cn[u, h], ia_ratio, exponential)


@njit(cache=True, parallel=True)
def _hru_runoff_parallel(
    p: np.ndarray,
    cn: np.ndarray,
    share: np.ndarray,
    days: np.ndarray,
    ia_ratio: float,
    exponential: bool,
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros(p.shape)
    for u in prange(p.shape[1]):  # type: ignore[attr-defined, unused-ignore]
        _unit_runoff(p, cn, share, days, ia_ratio, exponential, out, u)
    return out


@njit(cache=True, nogil=True)
def _hru_runoff_serial(
    p: np.ndarray,
    cn: np.ndarray,
    share: np.ndarray,
    days: np.ndarray,
    ia_ratio: float,
    exponential: bool,
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros(p.shape)
    for u in range(p.shape[1]):
        _unit_runoff(p, cn, share, days, ia_ratio, exponential, out, u)
    return out


def hru_runoff_mm(
    p_month_mm: np.ndarray,
    cn: np.ndarray,
    share: np.ndarray,
    rain_days: np.ndarray,
    events: EventDepths = "exponential",
    ia_ratio: float = IA_RATIO,
) -> np.ndarray:
    """Monthly runoff of units made of HRUs: the area-weighted sum of the HRUs' runoff, mm.

    Parameters
    ----------
    p_month_mm : numpy.ndarray
        Monthly rain of each unit, mm, ``(months, units)``.
    cn : numpy.ndarray
        Curve number of each HRU of each unit, ``(units, hrus)`` (NaN where ``share`` is 0).
    share : numpy.ndarray
        Area share of each HRU in its unit, ``(units, hrus)``; rows sum to 1 (or 0: no runoff).
    rain_days : numpy.ndarray
        Rain events in each month, ``(months,)``; fewer than 1 counts as 1.
    events : {"exponential", "equal"}
        How a month's rain is spread over its events (see the module).
    ia_ratio : float
        Initial abstraction as a share of the retention S.

    Returns
    -------
    numpy.ndarray
        ``(months, units)`` runoff, mm/month.
    """
    if events not in EVENT_DEPTHS:
        raise ValueError(f"events must be one of {EVENT_DEPTHS}, got {events!r}")
    p = np.ascontiguousarray(np.asarray(p_month_mm, dtype=np.float64))
    cn2 = np.asarray(cn, dtype=np.float64)
    w = np.asarray(share, dtype=np.float64)
    if p.ndim != 2 or cn2.shape != w.shape or cn2.shape[0] != p.shape[1]:
        raise ValueError(
            "p_month_mm must be (months, units) and cn, share (units, hrus);"
            f" got {p.shape}, {cn2.shape} and {w.shape}"
        )
    days = np.asarray(rain_days, dtype=np.float64).reshape(-1)
    if days.size != p.shape[0]:
        raise ValueError(f"rain_days needs one value per month ({p.shape[0]}), got {days.size}")
    w = np.where(np.isfinite(cn2) & np.isfinite(w), w, 0.0)
    w = np.ascontiguousarray(w)
    run = _hru_runoff_parallel if w.size * p.shape[0] > PARALLEL_MIN_EVENTS else _hru_runoff_serial
    return run(p, np.nan_to_num(cn2), w, days, float(ia_ratio), events == "exponential")


def monthly_runoff_mm(
    p_month_mm: np.ndarray,
    cn: np.ndarray,
    rain_days: np.ndarray,
    events: EventDepths = "exponential",
    ia_ratio: float = IA_RATIO,
) -> np.ndarray:
    """Monthly runoff of units (or cells) that each have one curve number, mm.

    Parameters
    ----------
    p_month_mm : numpy.ndarray
        Monthly rain, mm, ``(months, units)``.
    cn : numpy.ndarray
        Curve number of each unit, ``(units,)``.
    rain_days : numpy.ndarray
        Rain events in each month, ``(months,)``.
    events : {"exponential", "equal"}
        How a month's rain is spread over its events (see the module).
    ia_ratio : float
        Initial abstraction as a share of the retention S.
    """
    cn1 = np.asarray(cn, dtype=np.float64).reshape(-1, 1)
    return hru_runoff_mm(p_month_mm, cn1, np.ones_like(cn1), rain_days, events, ia_ratio)
