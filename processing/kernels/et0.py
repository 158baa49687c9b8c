"""Reference evapotranspiration kernels (FAO-56 Hargreaves, Thornthwaite), vectorised.

Every function takes numpy arrays (any shape, broadcast together) and plain numbers and
returns arrays; latitudes are in degrees, temperatures in degC, results in mm.
"""

from __future__ import annotations

import numpy as np

SOLAR_CONSTANT_MJ_M2_MIN = 0.0820  # FAO-56 Gsc
DAYS_IN_MONTH = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
MID_MONTH_DOY = np.array([15, 46, 74, 105, 135, 166, 196, 227, 258, 288, 319, 349])
MJ_TO_MM = 0.408  # 1 / latent heat of vaporisation (2.45 MJ/kg), FAO-56 eq. 20


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
    tmin = np.asarray(tmin_c, dtype=np.float64)
    tmax = np.asarray(tmax_c, dtype=np.float64)
    tmean = (tmin + tmax) / 2.0
    ra = extraterrestrial_radiation(lat_deg, doy)
    et0 = 0.0023 * (tmean + 17.8) * np.sqrt(np.maximum(tmax - tmin, 0.0)) * MJ_TO_MM * ra
    return np.maximum(et0, 0.0)


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
        Shape ``(12, ...)``: daily ET0 at the middle of each month times its days.
    """
    extra = (1,) * (np.ndim(tmin_c) - 1)
    doy = MID_MONTH_DOY.reshape(12, *extra)
    days = DAYS_IN_MONTH.reshape(12, *extra)
    return hargreaves_daily_mm(tmin_c, tmax_c, lat_deg, doy) * days


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
        ``16 (N/12) (d/30) (10 T / I)^a`` for 0 < T < 26.5 degC, Willmott et al. (1985)'s
        ``-415.85 + 32.24 T - 0.43 T^2`` above 26.5 degC, 0 at or below 0 degC.
    """
    t = np.asarray(tmean_c, dtype=np.float64)
    warm = np.maximum(t, 0.0)
    heat_index = np.sum((warm / 5.0) ** 1.514, axis=0)
    a = 6.75e-7 * heat_index**3 - 7.71e-5 * heat_index**2 + 1.792e-2 * heat_index + 0.49239
    with np.errstate(divide="ignore", invalid="ignore"):
        unadjusted = np.where(heat_index > 0, 16.0 * (10.0 * warm / heat_index) ** a, 0.0)
    hot = -415.85 + 32.24 * t - 0.43 * t**2
    unadjusted = np.where(t >= 26.5, hot, unadjusted)
    extra = (1,) * (t.ndim - 1)
    n_hours = daylight_hours(lat_deg, MID_MONTH_DOY.reshape(12, *extra))
    days = DAYS_IN_MONTH.reshape(12, *extra)
    return np.where(t > 0, unadjusted * (n_hours / 12.0) * (days / 30.0), 0.0)
