"""Reference evapotranspiration kernels (FAO-56 Hargreaves, Thornthwaite), vectorised.

Every function takes numpy arrays (any shape, broadcast together) and plain numbers and
returns arrays; latitudes are in degrees, temperatures in degC, results in mm.

Monthly totals are sums of the daily values over the days of the month, for a month whose
every day has the month's mean temperatures. They are climatological: the mean over a
four-year leap cycle (three common years, one leap year) of each calendar month's sum, with
the day of the year ``J`` of FAO-56 eq. 23-24 counted in its own year (366 days in the leap
year). February thus counts 28.25 days on average, and a month of a multi-year series
gets the same total in every year. Only the radiation terms (Ra, daylight hours) change
from day to day, so their monthly sums are taken once per month on a latitude lattice of
``LATITUDE_STEP_DEG`` and interpolated linearly to each cell: relative error below 1e-8 up
to 45 degrees of latitude, 2e-7 up to 60 and 1e-5 up to the polar circles, where the
sunset hour angle bends sharply.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SOLAR_CONSTANT_MJ_M2_MIN = 0.0820  # FAO-56 Gsc
MJ_TO_MM = 0.408  # 1 / latent heat of vaporisation (2.45 MJ/kg), FAO-56 eq. 20
HARGREAVES_COEFFICIENT = 0.0023  # FAO-56 eq. 52
HARGREAVES_OFFSET_C = 17.8  # FAO-56 eq. 52: ET0 grows with Tmean + 17.8
COMMON_YEAR_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
LEAP_CYCLE_YEARS = 4  # three common years and one leap year
LATITUDE_STEP_DEG = 0.01  # lattice of the monthly radiation sums
THORNTHWAITE_MONTH_DAYS = 30.0  # Thornthwaite's standard month (30 days of 12 hours)
THORNTHWAITE_DAY_HOURS = 12.0


def _sunset_hour_angle(lat_rad: np.ndarray, declination: np.ndarray) -> np.ndarray:
    return np.arccos(np.clip(-np.tan(lat_rad) * np.tan(declination), -1.0, 1.0))


def extraterrestrial_radiation(lat_deg: np.ndarray | float, doy: np.ndarray | int) -> np.ndarray:
    """Daily extraterrestrial radiation Ra, MJ m-2 day-1 (FAO-56 eq. 21-25).

    Parameters
    ----------
    lat_deg : array_like
        Latitude, degrees (south negative).
    doy : array_like
        Day of the year, 1..366.

    Returns
    -------
    numpy.ndarray
        Ra broadcast over the inputs. FAO-56 example 8 (20 deg S, 3 September) gives 32.2.
    """
    phi = np.deg2rad(np.asarray(lat_deg, dtype=np.float64))
    j = np.asarray(doy, dtype=np.float64)
    dr = 1.0 + 0.033 * np.cos(2.0 * np.pi * j / 365.0)
    delta = 0.409 * np.sin(2.0 * np.pi * j / 365.0 - 1.39)
    ws = _sunset_hour_angle(phi, delta)
    return (
        (24.0 * 60.0 / np.pi)
        * SOLAR_CONSTANT_MJ_M2_MIN
        * dr
        * (ws * np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.sin(ws))
    )


def daylight_hours(lat_deg: np.ndarray | float, doy: np.ndarray | int) -> np.ndarray:
    """Maximum possible duration of sunshine N, hours (FAO-56 eq. 34)."""
    phi = np.deg2rad(np.asarray(lat_deg, dtype=np.float64))
    delta = 0.409 * np.sin(2.0 * np.pi * np.asarray(doy, dtype=np.float64) / 365.0 - 1.39)
    return 24.0 / np.pi * _sunset_hour_angle(phi, delta)


def hargreaves_daily_mm(
    tmin_c: np.ndarray, tmax_c: np.ndarray, lat_deg: np.ndarray | float, doy: np.ndarray | int
) -> np.ndarray:
    """Hargreaves reference ET, mm/day (FAO-56 eq. 52).

    ``ET0 = 0.0023 (Tmean + 17.8) sqrt(Tmax - Tmin) 0.408 Ra`` with Tmean the mean of
    Tmin and Tmax. A negative temperature range counts as zero.
    """
    ra = extraterrestrial_radiation(lat_deg, doy)
    return _hargreaves_temperature_term(tmin_c, tmax_c) * MJ_TO_MM * ra


def _hargreaves_temperature_term(tmin_c: np.ndarray, tmax_c: np.ndarray) -> np.ndarray:
    """``0.0023 (Tmean + 17.8) sqrt(Tmax - Tmin)``, at least 0 (a negative range counts as 0)."""
    tmin = np.asarray(tmin_c, dtype=np.float64)
    tmax = np.asarray(tmax_c, dtype=np.float64)
    tmean = (tmin + tmax) / 2.0
    return (
        HARGREAVES_COEFFICIENT
        * np.maximum(tmean + HARGREAVES_OFFSET_C, 0.0)
        * np.sqrt(np.maximum(tmax - tmin, 0.0))
    )


def _leap_cycle_month_sums(daily: np.ndarray) -> np.ndarray:
    """Mean calendar-month sums over a leap cycle, ``(12, n)``, of daily values ``(n, 366)``.

    Column ``j - 1`` of ``daily`` holds the value on day of the year ``j``; a common year
    uses days 1..365, the leap year days 1..366 (29 February is day 60).
    """
    cumulative = np.zeros((daily.shape[0], daily.shape[1] + 1))
    np.cumsum(daily, axis=1, out=cumulative[:, 1:])
    total = np.zeros((12, daily.shape[0]))
    for leap_days, years in ((0, LEAP_CYCLE_YEARS - 1), (1, 1)):
        days = COMMON_YEAR_MONTH_DAYS.copy()
        days[1] += leap_days
        last = np.cumsum(days)
        total += years * (cumulative[:, last] - cumulative[:, last - days]).T
    return total / LEAP_CYCLE_YEARS


def _month_sums_by_latitude(
    lat_deg: np.ndarray | float,
    daily: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """Leap-cycle monthly sums of ``daily(lat_deg, doy)``, shape ``(12, *lat.shape)``.

    The sums are computed on the lattice of multiples of ``LATITUDE_STEP_DEG`` spanning the
    latitudes and interpolated linearly; a latitude's value does not depend on the others
    (the same cell gets the same total on the whole grid and in a strip of it). NaN
    latitudes give NaN.
    """
    lat = np.asarray(lat_deg, dtype=np.float64)
    finite = np.isfinite(lat)
    if not finite.all():
        fill = lat[finite].min() if finite.any() else 0.0
        out = _month_sums_by_latitude(np.where(finite, lat, fill), daily)
        return np.where(finite, out, np.nan)
    position = lat / LATITUDE_STEP_DEG
    node = np.floor(position)
    first, last = (float(node.min()), float(node.max())) if lat.size else (0.0, 0.0)
    nodes_deg = LATITUDE_STEP_DEG * np.arange(first, last + 2.0)
    doy = np.arange(1, 367, dtype=np.float64)
    table = _leap_cycle_month_sums(daily(nodes_deg[:, np.newaxis], doy[np.newaxis, :]))
    below = (node - first).astype(np.intp)
    weight = position - node
    out = table[:, below]
    out *= 1.0 - weight
    out += table[:, below + 1] * weight
    return out


def _months_first(month_sums: np.ndarray, ndim: int) -> np.ndarray:
    """``(12, *lat.shape)`` reshaped to broadcast against ``ndim``-d ``(12, ...)`` arrays."""
    lat_shape = month_sums.shape[1:]
    return month_sums.reshape(12, *(1,) * (ndim - 1 - len(lat_shape)), *lat_shape)


def monthly_extraterrestrial_radiation_mj_m2(lat_deg: np.ndarray | float) -> np.ndarray:
    """Extraterrestrial radiation summed over the days of each month, MJ m-2 month-1.

    Parameters
    ----------
    lat_deg : array_like
        Latitude, degrees (south negative).

    Returns
    -------
    numpy.ndarray
        Shape ``(12, *lat_deg.shape)``, January first: the leap-cycle mean of the monthly
        sums of :func:`extraterrestrial_radiation` (see the module notes).
    """
    return _month_sums_by_latitude(lat_deg, extraterrestrial_radiation)


def monthly_daylight_hours(lat_deg: np.ndarray | float) -> np.ndarray:
    """Daylight hours summed over the days of each month, hours month-1.

    Parameters
    ----------
    lat_deg : array_like
        Latitude, degrees (south negative).

    Returns
    -------
    numpy.ndarray
        Shape ``(12, *lat_deg.shape)``, January first: the leap-cycle mean of the monthly
        sums of :func:`daylight_hours` (see the module notes).
    """
    return _month_sums_by_latitude(lat_deg, daylight_hours)


def hargreaves_monthly_mm(
    tmin_c: np.ndarray, tmax_c: np.ndarray, lat_deg: np.ndarray | float
) -> np.ndarray:
    """Monthly Hargreaves ET0 totals, mm/month, for 12 monthly mean temperatures.

    Parameters
    ----------
    tmin_c, tmax_c : numpy.ndarray
        Shape ``(12, ...)``: mean daily minimum and maximum of each month, January first.
    lat_deg : array_like
        Latitude, degrees, broadcastable to ``tmin_c.shape[1:]``.

    Returns
    -------
    numpy.ndarray
        Shape ``(12, ...)``: the sum of :func:`hargreaves_daily_mm` over the days of each
        month at the month's temperatures, as the leap-cycle mean (February: 28.25 days;
        see the module notes). Only Ra changes from day to day, so the total is the
        temperature term times Ra summed over the month.
    """
    temperature_term = _hargreaves_temperature_term(tmin_c, tmax_c)
    ra_month = monthly_extraterrestrial_radiation_mj_m2(lat_deg)
    return temperature_term * MJ_TO_MM * _months_first(ra_month, temperature_term.ndim)


def thornthwaite_monthly_mm(tmean_c: np.ndarray, lat_deg: np.ndarray | float) -> np.ndarray:
    """Thornthwaite (1948) potential ET, mm/month, with day-length correction.

    Parameters
    ----------
    tmean_c : numpy.ndarray
        Shape ``(12, ...)``: monthly mean temperature, January first.
    lat_deg : array_like
        Latitude, degrees.

    Returns
    -------
    numpy.ndarray
        ``16 (10 T / I)^a`` for 0 < T < 26.5 degC, Willmott et al. (1985)'s
        ``-415.85 + 32.24 T - 0.43 T^2`` above 26.5 degC, 0 at or below 0 degC, per
        standard month of 30 days of 12 hours, times the month's daylight hours over those
        360 hours (``(N/12) (d/30)`` with ``N d`` the sum of the daily daylight hours over
        the month's ``d`` days, as the leap-cycle mean; see the module notes).
    """
    t = np.asarray(tmean_c, dtype=np.float64)
    warm = np.maximum(t, 0.0)
    heat_index = np.sum((warm / 5.0) ** 1.514, axis=0)
    a = 6.75e-7 * heat_index**3 - 7.71e-5 * heat_index**2 + 1.792e-2 * heat_index + 0.49239
    with np.errstate(divide="ignore", invalid="ignore"):
        unadjusted = np.where(heat_index > 0, 16.0 * (10.0 * warm / heat_index) ** a, 0.0)
    hot = -415.85 + 32.24 * t - 0.43 * t**2
    unadjusted = np.where(t >= 26.5, hot, unadjusted)
    daylight = _months_first(monthly_daylight_hours(lat_deg), t.ndim)
    standard_month_hours = THORNTHWAITE_MONTH_DAYS * THORNTHWAITE_DAY_HOURS
    return np.where(t > 0, unadjusted * daylight / standard_month_hours, 0.0)
