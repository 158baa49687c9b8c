"""Annual water yield with the Budyko curve in Fu/Zhang form, as InVEST computes it.

``AET/P = 1 + PET/P - (1 + (PET/P)^w)^(1/w)`` with ``w = Z AWC / P + 1.25`` (at most 5) and
``PET = Kc ET0``; vegetated cells take the smaller of that and ``PET/P``; other cells
(water, built-up, wetland) take ``min(PET, P) / P``. Yield is ``(1 - AET/P) P``. As in
InVEST's ``fractp_op``, a cell missing any input (the AWC of a non-vegetated cell too) or
without precipitation has no value.
"""

from __future__ import annotations

import numpy as np

W_CAP = 5.0


def aet_fraction(
    kc: np.ndarray,
    eto_mm: np.ndarray,
    precip_mm: np.ndarray,
    awc_mm: np.ndarray,
    vegetated: np.ndarray,
    z: float,
) -> np.ndarray:
    """Actual evapotranspiration as a fraction of precipitation (InVEST's ``fractp``).

    Parameters
    ----------
    kc : numpy.ndarray
        Crop coefficient.
    eto_mm, precip_mm : numpy.ndarray
        Annual reference ET and precipitation, mm.
    awc_mm : numpy.ndarray
        Plant-available water in the root zone, mm (InVEST: min(root depth, soil depth) x PAWC);
        NaN where the soil data are missing.
    vegetated : numpy.ndarray
        True/1 for vegetated land; 0 for water, built-up and other non-vegetated cover.
    z : float
        Seasonality constant Z (1..30).

    Returns
    -------
    numpy.ndarray
        AET/P in 0..1; NaN where precipitation is 0 or any input is missing.
    """
    p = np.asarray(precip_mm, dtype=np.float64)
    pet = np.asarray(kc, dtype=np.float64) * np.asarray(eto_mm, dtype=np.float64)
    awc = np.asarray(awc_mm, dtype=np.float64)
    valid = (p > 0) & np.isfinite(p) & np.isfinite(pet) & np.isfinite(awc)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = pet / p
        w = np.minimum(awc / p * z + 1.25, W_CAP)
        budyko = 1.0 + phi - (1.0 + phi**w) ** (1.0 / w)
        veg = np.minimum(phi, budyko)
        nonveg = np.minimum(pet, p) / p
        out = np.where(np.asarray(vegetated).astype(bool), veg, nonveg)
    return np.where(valid, out, np.nan)


def water_yield_mm(precip_mm: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """Annual water yield, mm: ``(1 - AET/P) P``."""
    return (1.0 - np.asarray(fraction, dtype=np.float64)) * np.asarray(precip_mm, dtype=np.float64)
