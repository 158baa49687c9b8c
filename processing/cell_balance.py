"""Every cell's own annual balance and water yield, on any window of the working grid.

The result rasters of the store, computed on each strip of the grid (every cell is its own
balance, so a strip needs nothing from its neighbours).
"""

from __future__ import annotations

import numpy as np

from layers.config import WaterBalanceConfig
from processing.kernels.runoff import monthly_runoff_mm
from processing.kernels.water_balance import thornthwaite_mather
from processing.kernels.water_yield import aet_fraction, water_yield_mm

CELL_CHUNK = 250_000  # cells per balance call: bounds the (months, cells) temporaries


def balance_rasters(
    rain: np.ndarray,
    et0: np.ndarray,
    kc: np.ndarray,
    cn: np.ndarray,
    capacity_mm: np.ndarray,
    budyko_awc_mm: np.ndarray,
    vegetated: np.ndarray,
    wb_cfg: WaterBalanceConfig,
    runoff_mm: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Annual AET, runoff, recharge, deficit and water yield (mm/yr, float32) of each cell.

    Works on any window of the grid (the whole grid or a strip of it): every cell is its own
    balance. ``rain`` and ``et0`` are 12 calendar months ``(12, rows, cols)``; the land
    parameters are ``(rows, cols)``: ``capacity_mm`` is the monthly balance's soil store,
    ``budyko_awc_mm`` the water yield's root-zone water (see :func:`budyko_yield_mm`).
    ``runoff_mm``: each cell's runoff of the 12 calendar months from its daily rain
    (:meth:`processing.daily_rain.DailyRain.cell_runoff_mm`); without it, the runoff of
    ``rain`` spread over ``rain_days`` events. Cells with a missing input are NaN.
    """
    shape = rain.shape[1:]
    pet = et0 * kc[np.newaxis]
    flat = lambda a: a.reshape(a.shape[0], -1) if a.ndim == 3 else a.reshape(-1)  # noqa: E731
    p2, pet2, cn1, cap1 = flat(rain), flat(pet), flat(cn), flat(capacity_mm)
    valid = (
        np.isfinite(p2).all(axis=0)
        & np.isfinite(pet2).all(axis=0)
        & np.isfinite(cn1)
        & np.isfinite(cap1)
    )
    idx = np.flatnonzero(valid)
    out = {
        k: np.full(valid.size, np.nan, np.float32) for k in ("aet", "runoff", "recharge", "deficit")
    }
    for s in range(0, idx.size, CELL_CHUNK):
        sel = idx[s : s + CELL_CHUNK]
        if runoff_mm is None:
            runoff = monthly_runoff_mm(
                p2[:, sel], cn1[sel], np.asarray(wb_cfg.rain_days), wb_cfg.rain_event_depths
            )
        else:
            runoff = flat(runoff_mm)[:, sel]
        wb = thornthwaite_mather(p2[:, sel], pet2[:, sel], runoff, cap1[sel], wb_cfg.spinup_years)
        out["aet"][sel] = wb.aet.sum(axis=0)
        out["runoff"][sel] = wb.runoff.sum(axis=0)
        out["recharge"][sel] = wb.surplus.sum(axis=0)
        out["deficit"][sel] = wb.deficit.sum(axis=0)
    rasters = {k: v.reshape(shape) for k, v in out.items()}
    rasters["water_yield"] = budyko_yield_mm(rain, et0, kc, budyko_awc_mm, vegetated, wb_cfg)
    return rasters


def budyko_yield_mm(
    rain: np.ndarray,
    et0: np.ndarray,
    kc: np.ndarray,
    awc_mm: np.ndarray,
    vegetated: np.ndarray,
    wb_cfg: WaterBalanceConfig,
) -> np.ndarray:
    """Annual water yield (mm/yr, float32) of each cell from 12 calendar months (Budyko).

    ``awc_mm`` is the root zone's plant-available water as InVEST takes it (the tables'
    values, never scaled by calibration: ``LandParameters.budyko_awc_mm``), NaN where
    InVEST gives no value.
    """
    annual_p = rain.sum(axis=0)
    frac = aet_fraction(kc, et0.sum(axis=0), annual_p, awc_mm, vegetated, wb_cfg.z_parameter)
    return water_yield_mm(annual_p, frac).astype(np.float32)
