"""EcoCrop crop suitability (Hijmans et al., as in R dismo's ``ecocrop``), vectorised over cells.

For each planting month, a crop scores the lowest monthly suitability over its growing
season (``round((GMIN + GMAX) / 60)`` months): the temperature trapezoid on mean
temperature (TMIN, TOPMN, TOPMX, TMAX), a killing-frost factor (0 when the month's
minimum temperature minus 5 degC is at or below KTMP) and, for rainfed crops, the rainfall
trapezoid (RMIN, ROPMN, ROPMX, RMAX) on the season's rain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CropParams:
    """EcoCrop parameters: temperatures degC, rain mm per season, growing period days."""

    name: str
    tmin: float
    topmn: float
    topmx: float
    tmax: float
    rmin: float
    ropmn: float
    ropmx: float
    rmax: float
    gmin: int
    gmax: int
    ktmp: float | None = None


def trapezoid(x: np.ndarray, a1: float, a2: float, a3: float, a4: float) -> np.ndarray:
    """Membership 0 at or below a1, rising to 1 at a2, 1 up to a3, falling to 0 at a4.

    ``a1 == a2`` makes a step at a1 (0 at or below it), ``a3 == a4 == inf`` never falls.
    NaN stays NaN.
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = np.where(a2 > a1, (x - a1) / (a2 - a1), 1.0)
        fall = np.where(np.isfinite(a4) & (a4 > a3), (a4 - x) / (a4 - a3), 1.0)
        y = np.clip(np.minimum(rise, fall), 0.0, 1.0)
    y = np.where(x <= a1, 0.0, y)
    y = np.where(np.isfinite(a4) & (x >= a4), 0.0, y)
    return np.where(np.isnan(x), np.nan, y)


def _window_min(values: np.ndarray, months: int) -> np.ndarray:
    """Minimum over each month and the following ``months - 1`` months, wrapping the year."""
    out = values.copy()
    for k in range(1, months):
        out = np.minimum(out, np.roll(values, -k, axis=0))
    return out


def season_months(crop: CropParams) -> int:
    """Growing-season length in months, as dismo rounds it."""
    return max(1, round((crop.gmin + crop.gmax) / 60))


def ecocrop_suitability(
    crop: CropParams, tmin_c: np.ndarray, tavg_c: np.ndarray, rain_mm: np.ndarray | None = None
) -> np.ndarray:
    """Suitability (0..1) of planting in each month, shape ``(12, ...)``.

    Parameters
    ----------
    crop : CropParams
    tmin_c, tavg_c : numpy.ndarray
        ``(12, ...)`` monthly mean minimum and mean temperature, degC.
    rain_mm : numpy.ndarray, optional
        ``(12, ...)`` monthly rainfall, mm; None for an irrigated crop (rain not limiting).

    Returns
    -------
    numpy.ndarray
        dismo's example, hot pepper irrigated with Tmin 5..16 and Tavg 15..26 degC, gives
        0, 0.818, 0.909, 1, 1, 1, 1, 1, 0, 0, 0, 0.
    """
    months = season_months(crop)
    temp = trapezoid(tavg_c, crop.tmin, crop.topmn, crop.topmx, crop.tmax)
    factors = [temp]
    if crop.ktmp is not None:
        factors.append(
            trapezoid(np.asarray(tmin_c, float) - 5.0, crop.ktmp, crop.ktmp, np.inf, np.inf)
        )
    if rain_mm is not None:
        rain = np.asarray(rain_mm, dtype=np.float64)
        # dismo: rain from the month before planting through ``months`` months after it
        season = sum(np.roll(rain, -k, axis=0) for k in range(months + 1)) + np.roll(
            rain, 1, axis=0
        )
        factors.append(trapezoid(season, crop.rmin, crop.ropmn, crop.ropmx, crop.rmax))
    monthly = np.minimum.reduce(factors)
    return _window_min(monthly, months)


def best_planting(suitability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best planting month (1..12, 0 when never suitable) and its score, per cell."""
    score = np.nanmax(suitability, axis=0)
    month = np.nanargmax(np.nan_to_num(suitability, nan=-1.0), axis=0) + 1
    return np.where(score > 0, month, 0), score
