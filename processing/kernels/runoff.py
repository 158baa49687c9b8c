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

Where the rain of each day is known, :func:`daily_hru_runoff_mm` runs the curve number on
each day (one event a day) and sums the days of each month.

A unit (community, watershed) is a set of hydrologic response units (HRUs): land-use class
x hydrologic soil group, each with its own curve number and share of the unit's area. The
unit's runoff is the area-weighted sum of its HRUs' runoff, so the runoff volume of a region
does not depend on how it is cut into units.
"""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=8)
def _expected_runoff_table(ia_ratio: float) -> tuple[np.ndarray, float]:
    """``g(z) = exp(-ia_ratio z) h(z)`` as cubics on intervals evenly spaced in ``ln z``.

    The nodes span ``ln z`` from ``_TABLE_LN_Z0`` to where ``g`` becomes negligible
    (``ia_ratio z = _NEGLIGIBLE_EXPONENT``) or ``_TABLE_LN_Z1``, ``_TABLE_SIZE`` of them. Row
    ``i`` holds the coefficients ``c0 .. c3`` of the four-point (cubic Lagrange) polynomial
    through the nodes ``i - 1 .. i + 2`` on the interval from node ``i`` to ``i + 1``, in
    powers of the position ``f`` in it: ``g = c0 + f (c1 + f (c2 + f c3))``. The error is of
    order ``step^4`` (below 1e-7 relative here). An event's expected runoff is
    ``mu g(S / mu)``: one row of four numbers and three multiply-adds, no exponential or
    logarithm per HRU. Returns the rows and the spacing ``step`` in ``ln z``.
    """
    top = _TABLE_LN_Z1
    if ia_ratio > 0.0:
        top = min(top, math.log(_NEGLIGIBLE_EXPONENT / ia_ratio))
    step = (top - _TABLE_LN_Z0) / (_TABLE_SIZE - 1)
    ln_z = _TABLE_LN_Z0 + step * np.arange(-1, _TABLE_SIZE + 2)
    z = np.exp(ln_z)
    g = np.exp(-ia_ratio * z) * _excess_moment_exact(z)
    y0, y1, y2, y3 = g[:-3], g[1:-2], g[2:-1], g[3:]
    coefficients = np.stack(
        [
            y1,
            y2 - (y0 / 3.0 + 0.5 * y1 + y3 / 6.0),
            0.5 * (y0 + y2) - y1,
            0.5 * (y1 - y2) + (y3 - y0) / 6.0,
        ],
        axis=1,
    )
    return np.ascontiguousarray(coefficients), step


@njit(cache=True, nogil=True)
def _interpolated(cubics: np.ndarray, x: float) -> float:  # pragma: no cover - compiled
    """``g`` at node position ``x`` (``0 <= x < _TABLE_SIZE - 1``) from its interval's cubic."""
    i = int(x)
    f = x - i
    return cubics[i, 0] + f * (cubics[i, 1] + f * (cubics[i, 2] + f * cubics[i, 3]))


@njit(cache=True, nogil=True)
def _beyond_table(z: float, ia_ratio: float) -> float:  # pragma: no cover - compiled
    """``g(z)`` outside the table: ``1 - z`` terms below it, asymptotic series above it."""
    if ia_ratio * z > _NEGLIGIBLE_EXPONENT:
        return 0.0
    if z < 1.0:
        return math.exp(-ia_ratio * z) * (1.0 - z)
    r = 1.0 / z
    return math.exp(-ia_ratio * z) * r * (2.0 - r * (6.0 - 24.0 * r))


@njit(cache=True, nogil=True)
def _equal_event_runoff_mm(depth_mm: float, s: float, ia_ratio: float) -> float:
    """Runoff of one event of ``depth_mm`` on a retention ``s`` (mm)."""
    excess = depth_mm - ia_ratio * s
    if excess <= 0.0:
        return 0.0
    return min(excess * excess / (excess + s), depth_mm)


UNIT_BLOCK = 256  # units per task: a block's rain and runoff rows stay contiguous


@njit(cache=True, nogil=True)
def _block_runoff(
    p: np.ndarray,
    inv_days: np.ndarray,
    days: np.ndarray,
    s: np.ndarray,
    x_s: np.ndarray,
    share: np.ndarray,
    n_hrus: np.ndarray,
    ia_ratio: float,
    exponential: bool,
    table: np.ndarray,
    step: float,
    x_zero: float,
    out: np.ndarray,
    u0: int,
    u1: int,
) -> None:  # pragma: no cover - compiled
    """Fill ``out[:, u0:u1]`` with the runoff of units ``u0 .. u1 - 1``.

    The HRUs of each unit come compacted (``n_hrus[u]`` HRUs with a share, first), with
    their retention ``s`` (mm) and ``x_s = ln S / step`` (-inf where S is 0). Months run
    outside the units, so a block's rows of ``p`` and ``out`` are read and written
    contiguously. With exponential events of mean ``mu``, ``ln z = ln S - ln mu``: one
    logarithm per unit-month, then one table interpolation per HRU; from node position
    ``x_zero`` on, ``ia_ratio z`` exceeds ``_NEGLIGIBLE_EXPONENT`` and the HRU adds nothing.
    """
    top = _TABLE_SIZE - 1.0
    inv_step = 1.0 / step
    for m in range(p.shape[0]):
        for u in range(u0, u1):
            mu = p[m, u] * inv_days[m]
            if mu <= 0.0:
                out[m, u] = 0.0
                continue
            total = 0.0
            if exponential:
                x0 = (math.log(mu) + _TABLE_LN_Z0) * inv_step
                for k in range(n_hrus[u]):
                    x = x_s[u, k] - x0  # x_s is -inf where S is 0 (CN 100)
                    if 0.0 <= x < top:
                        g = _interpolated(table, x)
                    elif x >= x_zero:
                        continue  # a dry month on this HRU: no event exceeds Ia
                    elif s[u, k] <= 0.0:
                        g = 1.0  # CN 100: every drop runs off
                    else:
                        g = _beyond_table(s[u, k] / mu, ia_ratio)
                    total += share[u, k] * g
                out[m, u] = days[m] * mu * total
            else:
                for k in range(n_hrus[u]):
                    total += share[u, k] * _equal_event_runoff_mm(mu, s[u, k], ia_ratio)
                out[m, u] = days[m] * total


@njit(cache=True, parallel=True)
def _hru_runoff_parallel(
    p: np.ndarray,
    inv_days: np.ndarray,
    days: np.ndarray,
    s: np.ndarray,
    x_s: np.ndarray,
    share: np.ndarray,
    n_hrus: np.ndarray,
    ia_ratio: float,
    exponential: bool,
    table: np.ndarray,
    step: float,
    x_zero: float,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    units = p.shape[1]
    for b in prange((units + UNIT_BLOCK - 1) // UNIT_BLOCK):  # type: ignore[attr-defined, unused-ignore]
        u0 = b * UNIT_BLOCK
        u1 = min(units, u0 + UNIT_BLOCK)
        _block_runoff(
            p,
            inv_days,
            days,
            s,
            x_s,
            share,
            n_hrus,
            ia_ratio,
            exponential,
            table,
            step,
            x_zero,
            out,
            u0,
            u1,
        )


@njit(cache=True, nogil=True)
def _hru_runoff_serial(
    p: np.ndarray,
    inv_days: np.ndarray,
    days: np.ndarray,
    s: np.ndarray,
    x_s: np.ndarray,
    share: np.ndarray,
    n_hrus: np.ndarray,
    ia_ratio: float,
    exponential: bool,
    table: np.ndarray,
    step: float,
    x_zero: float,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    units = p.shape[1]
    for u0 in range(0, units, UNIT_BLOCK):
        u1 = min(units, u0 + UNIT_BLOCK)
        _block_runoff(
            p,
            inv_days,
            days,
            s,
            x_s,
            share,
            n_hrus,
            ia_ratio,
            exponential,
            table,
            step,
            x_zero,
            out,
            u0,
            u1,
        )


def _compact_hrus(s: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's HRUs with a share first: ``(s, share, count)``, the columns cut to the most."""
    order = np.argsort(share <= 0.0, axis=1, kind="stable")
    count = (share > 0.0).sum(axis=1)
    width = max(int(count.max(initial=0)), 1)
    take = order[:, :width]
    return (
        np.ascontiguousarray(np.take_along_axis(s, take, axis=1)),
        np.ascontiguousarray(np.take_along_axis(share, take, axis=1)),
        count.astype(np.int64),
    )


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
    s, w, n_hrus = _compact_hrus(np.asarray(_retention_mm(np.nan_to_num(cn2)), dtype=np.float64), w)
    run = _hru_runoff_parallel if w.size * p.shape[0] > PARALLEL_MIN_EVENTS else _hru_runoff_serial
    table, step = _expected_runoff_table(float(ia_ratio))
    with np.errstate(divide="ignore", invalid="ignore"):
        x_s = np.where(s > 0.0, np.log(np.maximum(s, 1e-300)) / step, -np.inf)
    n = np.maximum(days, 1.0)
    exponential = events == "exponential"
    # node position beyond which g(z) < exp(-_NEGLIGIBLE_EXPONENT): the HRU is skipped
    x_zero = (
        (math.log(_NEGLIGIBLE_EXPONENT / ia_ratio) - _TABLE_LN_Z0) / step
        if ia_ratio > 0.0
        else math.inf
    )
    out = np.empty(p.shape)  # allocated by numpy (its huge pages when they are on)
    run(p, 1.0 / n, n, s, x_s, w, n_hrus, float(ia_ratio), exponential, table, step, x_zero, out)
    return out


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


@njit(cache=True, nogil=True)
def _unit_daily_runoff(
    p_day: np.ndarray,
    month: np.ndarray,
    s: np.ndarray,
    share: np.ndarray,
    ia_ratio: float,
    out: np.ndarray,
    u: int,
) -> None:  # pragma: no cover - compiled
    """Add each day's HRU runoff of unit ``u`` to its month in ``out[:, u]``.

    The HRUs with a share are gathered once per unit, not once per day.
    """
    hrus = np.empty(s.shape[1], dtype=np.int64)
    n = 0
    for h in range(s.shape[1]):
        if share[u, h] > 0.0:
            hrus[n] = h
            n += 1
    for d in range(p_day.shape[0]):
        p = p_day[d, u]
        if not p > 0.0:  # no rain, or a missing day
            continue
        total = 0.0
        for k in range(n):
            h = hrus[k]
            total += share[u, h] * _equal_event_runoff_mm(p, s[u, h], ia_ratio)
        out[month[d], u] += total


@njit(cache=True, parallel=True)
def _daily_runoff_parallel(
    p_day: np.ndarray, month: np.ndarray, months: int, s: np.ndarray, share: np.ndarray, ia: float
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros((months, p_day.shape[1]))
    for u in prange(p_day.shape[1]):  # type: ignore[attr-defined, unused-ignore]
        _unit_daily_runoff(p_day, month, s, share, ia, out, u)
    return out


@njit(cache=True, nogil=True)
def _daily_runoff_serial(
    p_day: np.ndarray, month: np.ndarray, months: int, s: np.ndarray, share: np.ndarray, ia: float
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros((months, p_day.shape[1]))
    for u in range(p_day.shape[1]):
        _unit_daily_runoff(p_day, month, s, share, ia, out, u)
    return out


def daily_hru_runoff_mm(
    p_day_mm: np.ndarray,
    month_of_day: np.ndarray,
    months: int,
    cn: np.ndarray,
    share: np.ndarray,
    ia_ratio: float = IA_RATIO,
) -> np.ndarray:
    """Monthly runoff of units made of HRUs from their daily rain: the curve number per day, mm.

    Each day is one event: an HRU's runoff that day is :func:`scs_runoff_mm` of the unit's
    rain that day with the HRU's curve number; a unit's is the area-weighted sum of its
    HRUs'; a month's is the sum of its days.

    Parameters
    ----------
    p_day_mm : numpy.ndarray
        Daily rain of each unit, mm, ``(days, units)``; NaN (a missing day) gives no runoff.
    month_of_day : numpy.ndarray
        Month of each day, ``0 .. months - 1``, ``(days,)``.
    months : int
        Months of the result.
    cn, share : numpy.ndarray
        Curve number and area share of each HRU of each unit, ``(units, hrus)`` (see
        :func:`hru_runoff_mm`).
    ia_ratio : float
        Initial abstraction as a share of the retention S.

    Returns
    -------
    numpy.ndarray
        ``(months, units)`` runoff, mm/month.
    """
    p = np.ascontiguousarray(np.asarray(p_day_mm, dtype=np.float64))
    cn2 = np.asarray(cn, dtype=np.float64)
    w = np.asarray(share, dtype=np.float64)
    if p.ndim != 2 or cn2.shape != w.shape or cn2.shape[0] != p.shape[1]:
        raise ValueError(
            "p_day_mm must be (days, units) and cn, share (units, hrus);"
            f" got {p.shape}, {cn2.shape} and {w.shape}"
        )
    month = np.asarray(month_of_day, dtype=np.int64).reshape(-1)
    if month.size != p.shape[0] or (month.size and not 0 <= month.min() <= month.max() < months):
        raise ValueError(f"month_of_day needs one month 0..{months - 1} per day ({p.shape[0]})")
    w = np.ascontiguousarray(np.where(np.isfinite(cn2) & np.isfinite(w), w, 0.0))
    s = np.ascontiguousarray(_retention_mm(np.nan_to_num(cn2)), dtype=np.float64)
    run = (
        _daily_runoff_parallel
        if w.size * p.shape[0] > PARALLEL_MIN_EVENTS
        else _daily_runoff_serial
    )
    return run(p, month, int(months), s, w, float(ia_ratio))
