"""Future climates as scenario inputs: the delta (change-factor) method and GCM ensembles.

Method (also in the README). For every cell and calendar month, with ``fut`` the GCM's
downscaled climatology and ``ref`` the same product's baseline climatology
(``[[futures]] reference``; without one, the region's own climatology, so that the future
climatology, resampled to the grid, replaces it):

- rain: ``rain x fut / ref`` (a change factor applied to every month of the region's
  rain, series included); where ``ref`` is below :data:`RAIN_RATIO_FLOOR_MM` the change is
  added instead (``max(rain + fut - ref, 0)``): a ratio over a dry month explodes;
- temperature: additive, ``T + (fut - ref)`` for Tmin and Tmax;
- PET and ET0: multiplied by the ratio of Hargreaves' temperature terms (FAO-56 eq. 52),
  ``(Tmean' + 17.8) sqrt(Tmax' - Tmin') / ((Tmean + 17.8) sqrt(Tmax - Tmin))``
  (extraterrestrial radiation cancels), whatever the baseline PET's source.

The per-cell future rain and PET are averaged over each community as the baseline's are
(:func:`processing.scenario.build_scenario_engine`). An ensemble runs the scenario for
each GCM and reports, per community, month and total, the median and the spread (minimum
and maximum, or the 10th and 90th percentiles) over the GCMs: the spread of the results,
not of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from layers.futures import FutureClimate, ensemble_groups, future_climates, reference_climate
from layers.region import Region
from layers.registry import LayerRegistry
from processing.fingerprint import input_fingerprint
from processing.future_cache import cache_file, inputs_key, load_inputs, one_writer, save_inputs
from processing.grids import calendar_climatology
from processing.kernels.et0 import HARGREAVES_OFFSET_C
from processing.scenario import (
    ClimateInputs,
    Scenario,
    ScenarioEngine,
    ScenarioResult,
    run_scenario,
)

RAIN_RATIO_FLOOR_MM = 1.0  # baseline monthly rain below which the change is added, not scaled
# of the delta method on the communities: a change to it gives the kept inputs other keys
INPUTS_METHOD = f"delta v1, rain ratio floor {RAIN_RATIO_FLOOR_MM} mm, Hargreaves PET ratio"
ENSEMBLE = "ensemble"
SPREADS = {"min-max": (0.0, 100.0), "10-90": (10.0, 90.0)}


def future_rain_mm(rain_mm: np.ndarray, fut_mm: np.ndarray, ref_mm: np.ndarray) -> np.ndarray:
    """Rain under the change of ``ref_mm`` to ``fut_mm`` (same shapes), mm.

    Scaled by ``fut / ref`` where ``ref >= RAIN_RATIO_FLOOR_MM``, shifted by ``fut - ref``
    (never below 0) elsewhere. NaN stays NaN.
    """
    wet = ref_mm >= RAIN_RATIO_FLOOR_MM
    ratio = fut_mm / np.where(wet, ref_mm, 1.0)
    return np.where(wet, rain_mm * ratio, np.maximum(rain_mm + (fut_mm - ref_mm), 0.0))


def hargreaves_ratio(
    tmin_c: np.ndarray, tmax_c: np.ndarray, tmin_new_c: np.ndarray, tmax_new_c: np.ndarray
) -> np.ndarray:
    """Hargreaves ET0 with the new temperatures over ET0 with the old (1 where undefined)."""

    def term(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return np.maximum((lo + hi) / 2.0 + HARGREAVES_OFFSET_C, 0.0) * np.sqrt(
            np.maximum(hi - lo, 0.0)
        )

    old, new = term(tmin_c, tmax_c), term(tmin_new_c, tmax_new_c)
    ok = np.isfinite(old) & np.isfinite(new) & (old > 0)
    return np.where(ok, new / np.where(ok, old, 1.0), 1.0)


@dataclass(frozen=True)
class CellClimate:
    """The region's baseline on the grid: monthly rain and PET, calendar Tmin / Tmax."""

    rain_mm: np.ndarray  # (months, rows, cols), the processed series or climatology
    pet_mm: np.ndarray  # (months, rows, cols), Kc x ET0
    tmin_c: np.ndarray | None  # (12, rows, cols), January first
    tmax_c: np.ndarray | None
    first_month: int


@dataclass(frozen=True)
class CellFuture:
    """One GCM's change on some cells: ``(12, ...)`` arrays, January first.

    ``rain_ref_mm`` is what the region's rain is compared with (the reference's, or the
    region's own climatology); the temperatures are the baseline's and the future's.
    """

    rain_ref_mm: np.ndarray
    prec_mm: np.ndarray
    tmin_c: np.ndarray
    tmax_c: np.ndarray
    tmin_new_c: np.ndarray
    tmax_new_c: np.ndarray

    @property
    def pet_ratio(self) -> np.ndarray:
        """Future over baseline ET0 of each calendar month (:func:`hargreaves_ratio`)."""
        return hargreaves_ratio(self.tmin_c, self.tmax_c, self.tmin_new_c, self.tmax_new_c)

    def rain_mm(self, rain_mm: np.ndarray, month: int) -> np.ndarray:
        """A month's rain (calendar month ``month``, 0 = January) under the change."""
        return future_rain_mm(rain_mm, self.prec_mm[month], self.rain_ref_mm[month])


def cell_future(
    base: CellClimate,
    fut: dict[str, np.ndarray],
    ref: dict[str, np.ndarray] | None,
    take: Callable[[np.ndarray], np.ndarray],
) -> CellFuture:
    """The change of a future climate (``fut``: prec, tmin, tmax) on the cells ``take`` picks.

    ``take`` maps a ``(12, rows, cols)`` grid to the cells wanted (``(12, cells)``, or the
    grid itself). ``ref`` is the product's baseline climatology on the grid; None compares
    the future with the region's own climatology. The baseline temperatures are the
    region's Tmin / Tmax, else the reference's.

    Raises
    ------
    ValueError
        No reference and no [layers.tmin] / [layers.tmax] to compare temperatures with.
    """
    rain_ref = (
        ref["prec"] if ref is not None else calendar_climatology(base.rain_mm, base.first_month)
    )
    if base.tmin_c is not None and base.tmax_c is not None:
        tmin_b, tmax_b = take(base.tmin_c), take(base.tmax_c)
    elif ref is not None:
        tmin_b, tmax_b = take(ref["tmin"]), take(ref["tmax"])
    else:
        raise ValueError(
            "a future climate without a reference climatology needs [layers.tmin] and "
            "[layers.tmax] (the temperatures it replaces); add them or a [[futures]] reference"
        )
    if ref is not None:
        tmin_f = tmin_b + take(fut["tmin"]) - take(ref["tmin"])
        tmax_f = tmax_b + take(fut["tmax"]) - take(ref["tmax"])
    else:
        tmin_f, tmax_f = take(fut["tmin"]), take(fut["tmax"])
    return CellFuture(take(rain_ref), take(fut["prec"]), tmin_b, tmax_b, tmin_f, tmax_f)


def climate_inputs(
    se: ScenarioEngine,
    base: CellClimate,
    fut: dict[str, np.ndarray],
    ref: dict[str, np.ndarray] | None,
    label: str,
) -> ClimateInputs:
    """A future climate (``fut``: prec, tmin, tmax, 12 calendar months) per community.

    ``ref`` is the product's baseline climatology on the grid; None compares the future
    with the region's own climatology (see :func:`cell_future`).

    Raises
    ------
    ValueError
        No reference and no [layers.tmin] / [layers.tmax] to compare temperatures with, or
        future rain missing over the communities.
    """
    months = base.rain_mm.shape[0]
    cal = (np.arange(months) + base.first_month - 1) % 12
    idx, lab = se.cell_index, se.cell_unit
    n_units = len(se.ids)
    safe = np.maximum(np.bincount(lab, minlength=n_units), 1).astype(np.float64)

    def cells(grid: np.ndarray) -> np.ndarray:
        return grid.reshape(grid.shape[0], -1)[:, idx].astype(np.float32, copy=False)

    change = cell_future(base, fut, ref, cells)
    ratio = change.pet_ratio
    rain_cells, pet_cells = cells(base.rain_mm), cells(base.pet_mm)
    rain = np.empty((months, n_units))
    pet = np.empty((months, n_units))
    for t in range(months):
        m = cal[t]
        r = change.rain_mm(rain_cells[t], m)
        missing = ~np.isfinite(r)
        if missing.any():
            raise ValueError(
                f"{label}: the future rain has no data over {int(missing.sum())} cell(s) of the"
                " communities; the files must cover the region"
            )
        rain[t] = np.bincount(lab, weights=r, minlength=n_units) / safe
        pet[t] = np.bincount(lab, weights=pet_cells[t] * ratio[m], minlength=n_units) / safe
    factor = np.where(se.pet > 0, pet / np.where(se.pet > 0, se.pet, 1.0), 1.0)
    return ClimateInputs(label, rain, factor)


def ensemble_result(
    results: list[ScenarioResult], members: list[str], spread: str = "min-max"
) -> ScenarioResult:
    """The median over GCMs' results, with the spread (``min-max`` or ``10-90``).

    Every numeric column and total is the median of the GCMs' values; each variable's
    scenario value also gets its spread (``{v}_scen_lo_mm_yr``, ``{v}_scen_hi_mm_yr``) and
    each month's (``scenario_lo_m3``, ``scenario_hi_m3``).
    """
    lo_q, hi_q = SPREADS[spread]
    first = results[0].table
    numeric = [c for c in first.columns if c != "id" and pd.api.types.is_numeric_dtype(first[c])]
    stack = np.stack([r.table[numeric].to_numpy(np.float64) for r in results])
    table = first.copy()
    table[numeric] = np.median(stack, axis=0)
    for j, col in enumerate(numeric):
        if col.endswith("_scen_mm_yr"):
            v = col[: -len("_scen_mm_yr")]
            table[f"{v}_scen_lo_mm_yr"] = np.round(np.percentile(stack[:, :, j], lo_q, axis=0), 1)
            table[f"{v}_scen_hi_mm_yr"] = np.round(np.percentile(stack[:, :, j], hi_q, axis=0), 1)
    totals: dict[str, float] = {}
    for k, first_total in results[0].totals.items():
        values = [r.totals[k] for r in results]
        # what every GCM agrees on (the count of communities) keeps its value and type
        same = all(v == first_total for v in values)
        totals[k] = first_total if same else float(np.median(values))
    monthly = results[0].monthly.copy()
    scen = np.stack([r.monthly["scenario_m3"].to_numpy(np.float64) for r in results])
    monthly["scenario_m3"] = np.median(scen, axis=0)
    monthly["scenario_lo_m3"] = np.percentile(scen, lo_q, axis=0)
    monthly["scenario_hi_m3"] = np.percentile(scen, hi_q, axis=0)
    return ScenarioResult(table, totals, monthly, tuple(members))


Fields = tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None]  # a GCM's and its reference


@dataclass
class RegionFutures:
    """The region's ``[[futures]]``: their labels, their inputs (cached) and scenario runs."""

    reg: LayerRegistry
    se: ScenarioEngine
    base: CellClimate
    climates: dict[str, tuple[FutureClimate, FutureClimate | None]]
    groups: dict[str, list[str]]  # "ensemble ssp period" -> GCM labels
    _inputs: dict[str, ClimateInputs] = field(default_factory=dict)
    _refs: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """Ensembles first (each SSP and period), then every GCM."""
        return list(self.groups) + list(self.climates)

    def climate(self, label: str) -> Fields:
        """One GCM's climatology on the grid and its reference's (None: the region's own).

        The GCM's files are read on each call; a reference once.
        """
        fc, rc = self.climates[label]
        grid = self.reg.grid
        ref = None
        if rc is not None:
            if id(rc) not in self._refs:
                self._refs[id(rc)] = rc.read(grid)
            ref = self._refs[id(rc)]
        return fc.read(grid), ref

    def members(self, label: str) -> list[str]:
        """The GCM labels a future stands for: an ensemble's members, or the GCM itself.

        Raises
        ------
        ValueError
            A future the region does not have (naming the ones it has).
        """
        if label in self.groups:
            return list(self.groups[label])
        if label in self.climates:
            return [label]
        known = ", ".join(self.labels) or "none: add [[futures]] to region.toml"
        raise ValueError(f"unknown future climate {label!r}; the region has: {known}")

    def cache_path(self, label: str) -> Path:
        """Where one GCM's community inputs are kept (:mod:`processing.future_cache`)."""
        fc, rc = self.climates[label]
        files = [*fc.paths, *(rc.paths if rc is not None else ())]
        region = self.reg.region
        key = inputs_key(label, files, f"{input_fingerprint(region.root)}|{INPUTS_METHOD}", self.se)
        return cache_file(region.cache_dir, key)

    def inputs(self, label: str, fields: Fields | None = None) -> ClimateInputs:
        """One GCM's climate on the communities (computed once, then kept on disk).

        See :mod:`processing.future_cache`: a server started again, or another worker of
        the same region, reads the kept inputs instead of warping the files again.
        ``fields``: the GCM's :meth:`climate` when the caller has read it already.
        """
        if label in self._inputs:
            return self._inputs[label]
        path = self.cache_path(label)
        with one_writer(path):
            kept = load_inputs(path, label, self.se.rain.shape)
            if kept is None:
                fut, ref = self.climate(label) if fields is None else fields
                kept = climate_inputs(self.se, self.base, fut, ref, label)
                save_inputs(path, kept)
        self._inputs[label] = kept
        return kept

    def run(self, sc: Scenario) -> ScenarioResult:
        """Run a scenario, under its future climate when it names one.

        Raises
        ------
        ValueError
            A future the region does not have (naming the ones it has), or the scenario's
            own errors.
        """
        if not sc.future:
            return run_scenario(self.se, sc)
        members = self.members(sc.future)
        if sc.future in self.groups:
            results = [run_scenario(self.se, sc, self.inputs(m)) for m in members]
            return ensemble_result(results, self.gcm_names(members), sc.future_spread)
        return run_scenario(self.se, sc, self.inputs(sc.future))

    def gcm_names(self, members: list[str]) -> list[str]:
        """The GCMs' names of some GCM labels (``DEMO-DRY`` of ``DEMO-DRY ssp245 2041-2060``)."""
        return [self.climates[m][0].key.gcm for m in members]  # type: ignore[union-attr]


Grouped = tuple[dict[str, tuple[FutureClimate, FutureClimate | None]], dict[str, list[str]]]


def _grouped(region: Region) -> Grouped:
    """Every GCM's climate (with its reference) by label, and each ensemble's members."""
    climates: dict[str, tuple[FutureClimate, FutureClimate | None]] = {}
    groups: dict[str, list[str]] = {}
    for fc in region.config.futures:
        ref = reference_climate(str(region.resolve(fc.reference))) if fc.reference else None
        found = future_climates(str(region.resolve(fc.path)))
        for c in found:
            assert c.key is not None
            if c.key.label in climates:
                raise ValueError(f"{c.key.label} is given twice in [[futures]]")
            climates[c.key.label] = (c, ref)
        for (ssp, period), members in ensemble_groups(found).items():
            if len(members) > 1:
                groups[f"{ENSEMBLE} {ssp} {period}"] = [m.key.label for m in members if m.key]
    return climates, groups


def future_labels(region: Region) -> list[str]:
    """The future climates a scenario can name: ensembles first, then every GCM.

    Reads file names only. Raises ValueError as :func:`region_futures` does.
    """
    climates, groups = _grouped(region)
    return list(groups) + list(climates)


def region_futures(reg: LayerRegistry, se: ScenarioEngine, base: CellClimate) -> RegionFutures:
    """The ``[[futures]]`` of a region, grouped (no raster is read until a scenario asks).

    Raises
    ------
    ValueError
        A file name, month or GCM set that does not fit (see :mod:`layers.futures`), or a
        climate given twice.
    """
    climates, groups = _grouped(reg.region)
    return RegionFutures(reg, se, base, climates, groups)


def cell_climate(
    reg: LayerRegistry, rain_mm: np.ndarray, pet_mm: np.ndarray, first: int
) -> CellClimate:
    """The baseline fields a future is compared with (temperatures when the region has them)."""
    tmin = tmax = None
    if reg.has("tmin") and reg.has("tmax"):
        tmin = calendar_climatology(reg.raster("tmin").astype(np.float64), 1)
        tmax = calendar_climatology(reg.raster("tmax").astype(np.float64), 1)
    return CellClimate(rain_mm, pet_mm, tmin, tmax, first)
