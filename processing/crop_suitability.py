"""EcoCrop suitability of a region's crops, per cell and per community or watershed.

Runs :func:`processing.kernels.ecocrop.ecocrop_suitability` on the region's monthly temperature
(Tmin, and Tavg = (Tmin + Tmax) / 2) and rainfall climatology, sampled every ~250 m (the
climate layers themselves are ~1 km products, so finer sampling only repeats work).
Per unit, the planting month is the one with the best *unit-mean* suitability (one
calendar for the whole community; "all year" for perennials, whose season is 12 months),
and ``potential`` is the mean of each cell's own best.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.config import CropConfig
from layers.registry import LayerRegistry
from processing.crops import crop_params
from processing.grids import CellInputs, calendar_climatology
from processing.kernels.ecocrop import ecocrop_suitability, season_months
from processing.kernels.per_label import quantized_label_sums
from processing.kernels.suitability import CLASS_LIMITS
from processing.unit_labels import SUM_QUANTUM

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CLIMATE_CELL_M = 250.0  # EcoCrop runs on cells of about this size (climate data is ~1 km)


@dataclass(frozen=True)
class CropClimate:
    """Monthly climate sampled on a coarser grid: ``(12, cells)`` arrays, January first.

    The working grid is sampled every ``step`` rows and columns (at block centres), EcoCrop
    runs there, and :meth:`to_grid` repeats each block's answer back onto the working grid.
    """

    tmin_c: np.ndarray
    tavg_c: np.ndarray
    rain_mm: np.ndarray
    cells: np.ndarray  # flat indexes into the coarse grid
    coarse_shape: tuple[int, int]
    shape: tuple[int, int]
    step: int

    def to_grid(self, values: np.ndarray) -> np.ndarray:
        """``(k, cells)`` coarse values to ``(k, rows, cols)`` on the working grid (NaN gaps)."""
        k = values.shape[0]
        flat = np.full((k, self.coarse_shape[0] * self.coarse_shape[1]), np.nan, np.float32)
        flat[:, self.cells] = values
        coarse = flat.reshape(k, *self.coarse_shape)
        full = np.repeat(np.repeat(coarse, self.step, axis=1), self.step, axis=2)
        return full[:, : self.shape[0], : self.shape[1]]


def climate_step(reg: LayerRegistry) -> int:
    """Rows and columns of the working grid per EcoCrop cell (about ``CLIMATE_CELL_M``)."""
    return max(1, round(CLIMATE_CELL_M / reg.grid.res_m))


def crop_climate(reg: LayerRegistry, cells: CellInputs) -> CropClimate | None:
    """The climate EcoCrop needs, or None when the region has no Tmin/Tmax layers."""
    if not (reg.has("tmin") and reg.has("tmax")):
        return None
    return sample_climate(
        calendar_climatology(reg.raster("tmin").astype(np.float32), 1),
        calendar_climatology(reg.raster("tmax").astype(np.float32), 1),
        calendar_climatology(cells.rain_mm, cells.first_month),
        climate_step(reg),
    )


def sample_climate(
    tmin_c: np.ndarray, tmax_c: np.ndarray, rain_mm: np.ndarray, step: int
) -> CropClimate:
    """EcoCrop's climate from 12 calendar months ``(12, rows, cols)``, sampled every ``step``.

    Samples the centre of every ``step`` x ``step`` block (clamped to the grid for the short
    blocks at the right and bottom edges). A strip of the grid whose first row is a
    multiple of ``step`` gets the samples the whole grid has in those rows.
    """
    shape = (int(tmin_c.shape[1]), int(tmin_c.shape[2]))
    rows = np.minimum(np.arange(0, shape[0], step) + step // 2, shape[0] - 1)
    cols = np.minimum(np.arange(0, shape[1], step) + step // 2, shape[1] - 1)
    coarse_shape = (len(rows), len(cols))
    sample = lambda a: a[:, rows][:, :, cols].reshape(12, -1)  # noqa: E731
    tmin, tmax, rain = sample(tmin_c), sample(tmax_c), sample(rain_mm)
    ok = np.isfinite(tmin).all(axis=0) & np.isfinite(tmax).all(axis=0)
    ok &= np.isfinite(rain).all(axis=0)
    idx = np.flatnonzero(ok)
    tmin_v = tmin[:, idx].astype(np.float64)
    return CropClimate(
        tmin_c=tmin_v,
        tavg_c=(tmin_v + tmax[:, idx]) / 2.0,
        rain_mm=rain[:, idx].astype(np.float64),
        cells=idx,
        coarse_shape=coarse_shape,
        shape=shape,
        step=step,
    )


def crop_monthly(crop: CropConfig, climate: CropClimate) -> np.ndarray:
    """Suitability of planting in each month on the working grid, ``(12, rows, cols)``."""
    coarse = ecocrop_suitability(crop_params(crop), climate.tmin_c, climate.tavg_c, climate.rain_mm)
    return climate.to_grid(coarse.astype(np.float32))


def best_score_grid(monthly: np.ndarray) -> np.ndarray:
    """Each cell's best-month score (NaN where climate data is missing)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells stay NaN
        return np.nanmax(monthly, axis=0).astype(np.float32)


def best_month(means: np.ndarray, has: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best planting month (1..12; 0: none scores above 0) and its score, per unit.

    ``means`` ``(12, units)`` is each planting month's unit-mean score; ``has`` marks the
    units with climate data (the others get month 0 and a NaN score).
    """
    filled = np.nan_to_num(means, nan=-1.0)
    month = np.where(has, np.argmax(filled, axis=0) + 1, 0)
    score = np.where(has, np.max(filled, axis=0), np.nan)
    return np.where(score > 0, month, 0), score


def month_names(crop: CropConfig, month: np.ndarray) -> list[str]:
    """Names of planting months (1..12, 0: none): "all year" for a perennial crop."""
    perennial = season_months(crop_params(crop)) >= 12  # every month the same season
    return ["all year" if perennial and m else (MONTHS[m - 1] if m else "") for m in month]


@dataclass(frozen=True)
class CropSums:
    """Per-unit sums of one crop's monthly scores (index 0: cells outside every unit).

    ``count`` cells with climate data, ``months`` ``(12, units + 1)`` sums of each planting
    month's score, ``potential`` sum of each cell's best-month score, ``good`` cells whose
    best month scores S2 or better (0.5 or more). Strips add up to the whole grid's sums.
    """

    count: np.ndarray
    months: np.ndarray
    potential: np.ndarray
    good: np.ndarray

    @classmethod
    def of_grid(cls, monthly: np.ndarray, labels: np.ndarray, n: int) -> CropSums:
        """Sums of a ``(12, rows, cols)`` monthly score grid over its unit labels (1..n)."""
        flat = monthly.reshape(12, -1)
        ok = np.isfinite(flat[0])
        lab = np.where(ok, labels.ravel(), 0)
        m = n + 1
        # scores are >= 0: a cell's best month ignoring NaN, 0 when every month is NaN
        best_cell = np.nan_to_num(np.fmax.reduce(flat, axis=0))
        return cls(
            count=np.bincount(lab, minlength=m).astype(np.float64),
            months=quantized_label_sums(flat, lab, m, SUM_QUANTUM, skip_nan=True),
            potential=quantized_label_sums(best_cell, lab, m, SUM_QUANTUM),
            good=np.bincount(lab, weights=(best_cell >= CLASS_LIMITS["S2"]), minlength=m),
        )

    @classmethod
    def empty(cls, n: int) -> CropSums:
        """The sums of no cell (a level no strip touches)."""
        zeros = np.zeros(n + 1)
        return cls(zeros, np.zeros((12, n + 1)), zeros, zeros)

    def __add__(self, other: CropSums) -> CropSums:
        """The sums of both sets of cells."""
        return CropSums(
            self.count + other.count,
            self.months + other.months,
            self.potential + other.potential,
            self.good + other.good,
        )

    def table(self, crop: CropConfig, unit_ids: np.ndarray, cell_ha: float) -> pd.DataFrame:
        """One row per unit: best planting month, its score, potential and suitable area."""
        count = self.count[1:]
        with np.errstate(invalid="ignore", divide="ignore"):
            means = self.months[:, 1:] / count
            potential = self.potential[1:] / count
        good_ha = self.good[1:] * cell_ha
        has = count > 0
        month, score = best_month(means, has)
        names = month_names(crop, month)
        return pd.DataFrame(
            {
                "unit_id": unit_ids,
                "crop": crop.id,
                "crop_name": crop.name,
                "best_month": month,
                "best_month_name": names,
                "best_month_score": np.round(score, 3),
                "potential_score": np.round(potential, 3),
                "suitable_ha": np.round(np.where(has, good_ha, np.nan), 1),
            }
        )


def unit_crop_table(
    crop: CropConfig,
    monthly: np.ndarray,
    labels: np.ndarray,
    unit_ids: np.ndarray,
    cell_ha: float,
) -> pd.DataFrame:
    """One row per unit: best planting month, its score, potential and suitable area.

    Parameters
    ----------
    monthly : numpy.ndarray
        ``(12, rows, cols)`` score of planting in each month (see :func:`crop_monthly`).
    labels : numpy.ndarray
        Unit label grid (1..n, 0 outside every unit).
    unit_ids : numpy.ndarray
        Unit id per label (index 0 = label 1).
    cell_ha : float
        Area of one cell, hectares.
    """
    return CropSums.of_grid(monthly, labels, len(unit_ids)).table(crop, unit_ids, cell_ha)
