"""One climate's suitability and EcoCrop sums per community, on every cell of the grid.

A GCM's calendar climate per cell (:func:`calendars`, the delta method of
:mod:`processing.futures`), each cell's balance under it (:func:`cell_balance`), the store's
result rasters moved by the change of that balance (:func:`delta_results`), and the sums of
every intervention's and crop's scores per community under a climate
(:func:`climate_suitability`, :class:`ClimateSuitability`).
:mod:`processing.future_suitability` compares the baseline with each GCM and an ensemble.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from layers.config import CropConfig
from processing.cell_balance import balance_rasters
from processing.criteria import criterion_problem
from processing.crop_suitability import CropSums, climate_step, crop_monthly, sample_climate
from processing.futures import CellClimate, cell_future
from processing.grids import LandParameters, calendar_climatology
from processing.suitability_engine import SuitabilityEngine
from processing.suitability_model import profile_weights
from processing.suitability_summary import CLASSES, SuitabilitySums

SUITABLE_CLASSES = CLASSES[:2]  # S1 and S2: the hectares called suitable


@dataclass(frozen=True)
class CalendarClimate:
    """12 calendar months on the working grid, January first: ``(12, rows, cols)``."""

    rain_mm: np.ndarray
    et0_mm: np.ndarray
    tmin_c: np.ndarray
    tmax_c: np.ndarray


def calendars(
    base: CellClimate,
    et0_mm: np.ndarray,
    fut: dict[str, np.ndarray],
    ref: dict[str, np.ndarray] | None,
) -> tuple[CalendarClimate, CalendarClimate]:
    """The baseline's and one GCM's calendar climate on every cell of the grid.

    ``et0_mm`` is the region's reference ET aligned with ``base.rain_mm``'s months. The
    future rain is :meth:`~processing.futures.CellFuture.rain_mm` of every month of the
    region's rain, then averaged per calendar month; ET0 is the baseline's times the
    Hargreaves ratio.

    Raises
    ------
    ValueError
        Temperatures missing (see :func:`processing.futures.cell_future`).
    """
    change = cell_future(base, fut, ref, lambda g: g.astype(np.float32, copy=False))
    months = base.rain_mm.shape[0]
    cal = (np.arange(months) + base.first_month - 1) % 12
    future_series = np.stack([change.rain_mm(base.rain_mm[t], int(cal[t])) for t in range(months)])
    et0 = calendar_climatology(et0_mm, base.first_month)
    baseline = CalendarClimate(
        calendar_climatology(base.rain_mm, base.first_month), et0, change.tmin_c, change.tmax_c
    )
    future = CalendarClimate(
        calendar_climatology(future_series, base.first_month),
        et0 * change.pet_ratio,
        change.tmin_new_c,
        change.tmax_new_c,
    )
    return baseline, future


def cell_balance(
    cal: CalendarClimate, land: LandParameters, engine: SuitabilityEngine
) -> dict[str, np.ndarray]:
    """Every cell's annual balance (mm/yr) under a calendar climate (runoff of rain events)."""
    return balance_rasters(
        cal.rain_mm,
        cal.et0_mm,
        land.kc,
        land.cn,
        land.capacity,
        land.budyko_awc_mm,
        land.vegetated,
        engine.reg.region.config.water_balance,
    )


def delta_results(
    store: dict[str, np.ndarray], future: dict[str, np.ndarray], baseline: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The store's result rasters moved by the change of the cell balance (delta method)."""
    return {v: store[v] + (future[v] - baseline[v]) for v in store}


@dataclass(frozen=True)
class ClimateSuitability:
    """Per-unit sums of one climate's suitability and EcoCrop scores.

    ``suitable_ha``, ``scored_ha`` and ``score_ha`` are ``(interventions, units)``: the S1 +
    S2 hectares, the hectares scored and the sum of score x hectares; ``crop_count``
    ``(crops, units)`` cells with climate data, ``crop_months`` ``(crops, 12, units)`` sums
    of each planting month's score and ``crop_potential`` ``(crops, units)`` sums of each
    cell's best-month score.
    """

    suitable_ha: np.ndarray
    scored_ha: np.ndarray
    score_ha: np.ndarray
    crop_count: np.ndarray
    crop_months: np.ndarray
    crop_potential: np.ndarray

    def over(self, groups: Sequence[np.ndarray]) -> ClimateSuitability:
        """The sums over each group of unit positions (one column per group)."""

        def summed(a: np.ndarray) -> np.ndarray:
            return np.stack([a[..., g].sum(axis=-1) for g in groups], axis=-1)

        return ClimateSuitability(
            *(summed(a) for a in (self.suitable_ha, self.scored_ha, self.score_ha)),
            *(summed(a) for a in (self.crop_count, self.crop_months, self.crop_potential)),
        )

    @property
    def mean_score(self) -> np.ndarray:
        """Mean suitability score of each intervention and unit (NaN where none is scored)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.scored_ha > 0, self.score_ha / self.scored_ha, np.nan)

    @property
    def crop_means(self) -> np.ndarray:
        """Unit-mean score of each crop and planting month, ``(crops, 12, units)``."""
        with np.errstate(invalid="ignore", divide="ignore"):
            count = self.crop_count[:, None, :]
            return np.where(count > 0, self.crop_months / np.maximum(count, 1), np.nan)

    @property
    def potential(self) -> np.ndarray:
        """Unit mean of each cell's best-month score, ``(crops, units)``."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                self.crop_count > 0, self.crop_potential / np.maximum(self.crop_count, 1), np.nan
            )


def intervention_ids(engine: SuitabilityEngine) -> list[str]:
    """The interventions whose every criterion the region can provide (as ``process`` scores)."""
    out = []
    for iv in engine.interventions:
        layers = [c.layer for c in iv.criteria]
        if iv.max_slope_pct is not None:
            layers.append("slope_pct")
        if all(criterion_problem(name, engine.reg) is None for name in layers):
            out.append(iv.id)
    return out


def climate_suitability(
    engine: SuitabilityEngine, interventions: Sequence[str], crops: Sequence[CropConfig],
    cal: CalendarClimate,
) -> ClimateSuitability:  # fmt: skip
    """Suitability sums of every intervention and crop per community under ``engine``'s grids.

    ``engine`` carries the climate's annual rain and result rasters
    (:meth:`~processing.suitability_engine.SuitabilityEngine.with_climate`); EcoCrop runs
    on ``cal``.
    """
    lab = engine.labels["communities"]
    n = lab.n_units
    ha = engine.cell_ha
    suitable, scored, score = (np.zeros((len(interventions), n)) for _ in range(3))
    for i, iv_id in enumerate(interventions):
        model = engine.model(iv_id)
        w = profile_weights(model.profile)
        scores = model.scores(w).astype(np.float64)
        parts = (
            SuitabilitySums.of_cells(
                unit, model.cells, scores, model.allowed, model.memberships, w, n
            )
            for unit in model.labels
        )
        sums = functools.reduce(operator.add, parts)
        good = [CLASSES.index(c) for c in SUITABLE_CLASSES]
        suitable[i] = sums.classes[1:, good].sum(axis=1) * ha
        scored[i] = sums.count[1:] * ha
        score[i] = sums.score[1:] * ha
    count, potential = np.zeros((len(crops), n)), np.zeros((len(crops), n))
    months = np.zeros((len(crops), 12, n))
    if crops:
        climate = sample_climate(cal.tmin_c, cal.tmax_c, cal.rain_mm, climate_step(engine.reg))
        for k, crop in enumerate(crops):
            monthly = crop_monthly(crop, climate)
            s = functools.reduce(operator.add, (CropSums.of_grid(monthly, g, n) for g in lab.grids))
            count[k], months[k], potential[k] = s.count[1:], s.months[:, 1:], s.potential[1:]
    return ClimateSuitability(suitable, scored, score, count, months, potential)
