"""Intervention suitability and EcoCrop planting months under a future climate.

Per cell, a GCM's calendar climate comes from :func:`processing.futures.cell_future` (the
delta method of :mod:`processing.futures`): rain by :func:`~processing.futures.future_rain_mm`
on every month of the region's rain, Tmin / Tmax shifted by the GCM's change, ET0 times the
Hargreaves ratio.

- EcoCrop (:mod:`processing.crop_suitability`) runs on the future Tmin, Tavg and rain.
- The suitability criteria that depend on the climate are the annual rain and the result
  rasters (deficit, runoff, recharge, water yield; :data:`processing.criteria.RESULT_CRITERIA`).
  The results change by the delta method too: ``store + (balance(future) -
  balance(baseline))``, both balances from :func:`processing.cell_balance.balance_rasters`
  on the same land parameters and with the runoff of monthly rain events, so only the
  change of climate moves the store's numbers (a GCM equal to the baseline leaves them
  exactly as they are).

Per community, and over a set of communities (sums of hectares and of scores), the
baseline is set against the future; an ensemble gives the median over its GCMs and the
spread (:data:`processing.futures.SPREADS`). For crops, the ensemble's best month is the
best month of the median over GCMs of each month's unit-mean score, with the number of
GCMs whose own best month is that one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from layers.config import CropConfig
from layers.io import fingerprint
from processing.crop_suitability import best_month, month_names
from processing.crops import region_crops
from processing.fingerprint import input_fingerprint
from processing.future_cache import CACHE_FOLDER, load_arrays, one_writer, save_arrays
from processing.future_grid import (
    ClimateSuitability,
    calendars,
    cell_balance,
    climate_suitability,
    delta_results,
    intervention_ids,
)
from processing.futures import SPREADS, RegionFutures
from processing.grids import LandParameters, region_land_parameters
from processing.suitability_engine import SuitabilityEngine

Grids = dict[str, np.ndarray]  # named grids: a climatology's variables, a balance's rasters
SUMS_VERSION = 1  # of the kept sums' layout and method: a change gives other cache keys


def _spread(stack: np.ndarray, spread: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo_q, hi_q = SPREADS[spread]
    return (
        np.median(stack, axis=0),
        np.percentile(stack, lo_q, axis=0),
        np.percentile(stack, hi_q, axis=0),
    )


def intervention_table(
    base: ClimateSuitability,
    gcms: Sequence[ClimateSuitability],
    interventions: Sequence[str],
    unit_ids: Sequence[str],
    spread: str = "min-max",
) -> pd.DataFrame:
    """One row per unit and intervention: S1 + S2 hectares and mean score, baseline and future.

    The future is the median over ``gcms`` (one GCM: its own), ``_lo`` / ``_hi`` the spread.
    """
    ha, ha_lo, ha_hi = _spread(np.stack([g.suitable_ha for g in gcms]), spread)
    sc, sc_lo, sc_hi = _spread(np.stack([g.mean_score for g in gcms]), spread)
    n_iv, n = len(interventions), len(unit_ids)

    def flat(a: np.ndarray, digits: int) -> np.ndarray:
        return np.round(a.T.reshape(-1), digits)

    return pd.DataFrame(
        {
            "unit_id": np.repeat(np.asarray(unit_ids, dtype=str), n_iv),
            "intervention": np.tile(np.asarray(interventions, dtype=str), n),
            "suitable_ha_base": flat(base.suitable_ha, 1),
            "suitable_ha_future": flat(ha, 1),
            "suitable_ha_lo": flat(ha_lo, 1),
            "suitable_ha_hi": flat(ha_hi, 1),
            "mean_score_base": flat(base.mean_score, 3),
            "mean_score_future": flat(sc, 3),
            "mean_score_lo": flat(sc_lo, 3),
            "mean_score_hi": flat(sc_hi, 3),
        }
    )


def crop_table(
    base: ClimateSuitability,
    gcms: Sequence[ClimateSuitability],
    crops: Sequence[CropConfig],
    unit_ids: Sequence[str],
    spread: str = "min-max",
) -> pd.DataFrame:
    """One row per unit and crop: best planting month and potential, baseline and future.

    The future's best month is the best month of the median over ``gcms`` of each month's
    unit-mean score; ``gcms_agreeing`` counts the GCMs whose own best month it is.
    """
    rows = []
    for k, crop in enumerate(crops):
        has = base.crop_count[k] > 0
        month_b, score_b = best_month(base.crop_means[k], has)
        med = np.median(np.stack([g.crop_means[k] for g in gcms]), axis=0)
        has_f = np.all(np.stack([g.crop_count[k] > 0 for g in gcms]), axis=0)
        month_f, score_f = best_month(med, has_f)
        own = np.stack([best_month(g.crop_means[k], has_f)[0] for g in gcms])
        agreeing = (own == month_f[None]).sum(axis=0)
        pot, pot_lo, pot_hi = _spread(np.stack([g.potential[k] for g in gcms]), spread)
        rows.append(
            pd.DataFrame(
                {
                    "unit_id": np.asarray(unit_ids, dtype=str),
                    "crop": crop.id,
                    "crop_name": crop.name,
                    "best_month_base": month_b,
                    "best_month_name_base": month_names(crop, month_b),
                    "best_month_future": month_f,
                    "best_month_name_future": month_names(crop, month_f),
                    "best_month_score_base": np.round(score_b, 3),
                    "best_month_score_future": np.round(score_f, 3),
                    "potential_base": np.round(base.potential[k], 3),
                    "potential_future": np.round(pot, 3),
                    "potential_lo": np.round(pot_lo, 3),
                    "potential_hi": np.round(pot_hi, 3),
                    "gcms_agreeing": agreeing,
                    "gcms": len(gcms),
                }
            )
        )
    columns = ["unit_id", "crop", "best_month_future", "gcms_agreeing"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


ALL_SELECTED = "all"  # the unit id of a table's row over every community of the scenario


@dataclass(frozen=True)
class FutureEffects:
    """A future's suitability and crop months against the baseline, for some communities.

    ``interventions`` and ``crops`` have one row per community (and intervention or crop);
    ``intervention_totals`` and ``crop_totals`` one row per intervention or crop over all
    those communities together (unit id :data:`ALL_SELECTED`): the hectares and scores
    summed over them for each GCM, then the median and spread over the GCMs.
    """

    future: str
    gcms: tuple[str, ...]
    spread: str
    interventions: pd.DataFrame
    crops: pd.DataFrame
    intervention_totals: pd.DataFrame
    crop_totals: pd.DataFrame
    unit_ids: tuple[str, ...] = ()

    @property
    def ensemble(self) -> bool:
        """Whether the future is the median of several GCMs."""
        return len(self.gcms) > 1


@dataclass
class FutureSuitability:
    """Suitability and EcoCrop of a region under its ``[[futures]]`` (each GCM computed once).

    Parameters
    ----------
    engine : SuitabilityEngine
        The baseline engine (its results are the store's result rasters).
    futures : RegionFutures
        The region's future climates (:func:`processing.futures.region_futures`).
    interventions : list of str, optional
        The interventions compared (default: every one the region can score).
    crops : list of CropConfig, optional
        The crops compared (default: the built-in ones and the region's ``[[crops]]``).
    cache : bool
        Keep each GCM's sums (and its scenario inputs) in the region's cache folder and
        read them back; off for climates that are not the GCMs' files (as tests make),
        which must not be kept under the GCMs' names.
    """

    engine: SuitabilityEngine
    futures: RegionFutures
    interventions: list[str] = field(default_factory=list)
    crops: list[CropConfig] = field(default_factory=list)
    cache: bool = True
    _region_key: str | None = None
    _land: LandParameters | None = None
    _base: dict[int, tuple[Grids | None, ClimateSuitability, Grids]] = field(default_factory=dict)
    _gcms: dict[str, tuple[ClimateSuitability, ClimateSuitability]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.interventions = self.interventions or intervention_ids(self.engine)
        self.crops = self.crops or region_crops(self.engine.reg.region.config)

    def _land_parameters(self) -> LandParameters:
        if self._land is None:
            self._land = region_land_parameters(self.engine.reg)
        return self._land

    def of_climate(
        self, fut: dict[str, np.ndarray], ref: dict[str, np.ndarray] | None
    ) -> tuple[ClimateSuitability, ClimateSuitability]:
        """The baseline's and a future climatology's sums per community.

        ``fut`` and ``ref`` as :func:`processing.futures.cell_future` takes them; the
        baseline (and its cell balance) is computed once per reference.

        Raises
        ------
        ValueError
            No results (run ``landwater process``), or temperatures missing.
        """
        store = self.engine.results
        if store is None:
            raise ValueError("future suitability needs results: run `landwater process`")
        baseline, future = calendars(self.futures.base, self.engine.cells.et0_mm, fut, ref)
        land = self._land_parameters()
        key = id(ref)  # the entry holds ``ref`` itself, so its id is not reused meanwhile
        if key not in self._base or self._base[key][0] is not ref:
            base_sums = climate_suitability(self.engine, self.interventions, self.crops, baseline)
            self._base[key] = (ref, base_sums, cell_balance(baseline, land, self.engine))
        _, base_sums, balance = self._base[key]
        results = delta_results(dict(store), cell_balance(future, land, self.engine), balance)
        engine = self.engine.with_climate(future.rain_mm.sum(axis=0), results)
        return base_sums, climate_suitability(engine, self.interventions, self.crops, future)

    def cache_path(self, label: str) -> Path:
        """Where one GCM's sums are kept in the region's cache folder.

        The key holds the GCM's files (and its reference's), the region's inputs, the
        interventions and crops compared and :data:`SUMS_VERSION`.
        """
        fc, rc = self.futures.climates[label]
        files = [*fc.paths, *(rc.paths if rc is not None else ())]
        region = self.engine.reg.region
        if self._region_key is None:
            self._region_key = input_fingerprint(region.root)
        what = json.dumps(
            {
                "version": SUMS_VERSION,
                "label": label,
                "interventions": self.interventions,
                "crops": [c.model_dump(mode="json") for c in self.crops],
                "region": self._region_key,
            },
            sort_keys=True,
        )
        return region.cache_dir / CACHE_FOLDER / f"suitability-{fingerprint(files, extra=what)}.npz"

    def _kept(self, label: str) -> tuple[ClimateSuitability, ClimateSuitability] | None:
        names = [f"{side}_{f.name}" for side in ("base", "gcm") for f in fields(ClimateSuitability)]
        kept = load_arrays(self.cache_path(label), names)
        if kept is None:
            return None
        pair = tuple(
            ClimateSuitability(
                **{f.name: kept[f"{side}_{f.name}"] for f in fields(ClimateSuitability)}
            )
            for side in ("base", "gcm")
        )
        n = len(self.engine.unit_ids["communities"])
        shape_ok = all(
            c.suitable_ha.shape == (len(self.interventions), n)
            and c.crop_months.shape == (len(self.crops), 12, n)
            for c in pair
        )
        return (pair[0], pair[1]) if shape_ok else None

    def gcm(self, label: str) -> tuple[ClimateSuitability, ClimateSuitability]:
        """One GCM's baseline and future sums per community (computed once per GCM).

        Kept in the region's cache (:meth:`cache_path`) when ``cache`` is on, so another
        process reads them back. Reads the GCM's files once for both this and the
        scenario's balance (:meth:`processing.futures.RegionFutures.inputs`).

        Raises
        ------
        ValueError
            As :meth:`of_climate`, or an unknown GCM.
        """
        if label not in self._gcms:
            writer = one_writer(self.cache_path(label)) if self.cache else nullcontext()
            with writer:
                pair = self._kept(label) if self.cache else None
                if pair is None:
                    pair = self._computed(label)
            self._gcms[label] = pair
        return self._gcms[label]

    def _computed(self, label: str) -> tuple[ClimateSuitability, ClimateSuitability]:
        """One GCM's sums computed (and kept when ``cache`` is on)."""
        climate = self.futures.climate(label)
        if self.cache:  # the scenario's inputs from the same read (kept too)
            self.futures.inputs(label, climate)
        pair = self.of_climate(*climate)
        if self.cache:
            arrays = {
                f"{side}_{f.name}": getattr(sums, f.name)
                for side, sums in zip(("base", "gcm"), pair, strict=True)
                for f in fields(ClimateSuitability)
            }
            save_arrays(self.cache_path(label), arrays, f"{label} suitability")
        return pair

    def effects(
        self, future: str, unit_ids: Sequence[str], spread: str = "min-max"
    ) -> FutureEffects:
        """The future (a GCM or an ensemble) against the baseline over ``unit_ids``.

        Raises
        ------
        ValueError
            An unknown future, a community id the region does not have, or no results.
        """
        members = self.futures.members(future)
        pairs = [self.gcm(m) for m in members]
        return effects_of(
            future,
            tuple(self.futures.gcm_names(members)),
            pairs[0][0],
            [p[1] for p in pairs],
            (self.interventions, self.crops, [str(i) for i in self.engine.unit_ids["communities"]]),
            unit_ids,
            spread,
        )


def effects_of(
    future: str,
    gcm_names: tuple[str, ...],
    base: ClimateSuitability,
    gcms: Sequence[ClimateSuitability],
    columns: tuple[Sequence[str], Sequence[CropConfig], Sequence[str]],
    unit_ids: Sequence[str],
    spread: str = "min-max",
) -> FutureEffects:
    """Per community of ``unit_ids`` and over them all: the GCMs' sums against the baseline.

    ``columns``: the interventions and crops of the sums' rows, and the community id of
    each of their columns.

    Raises
    ------
    ValueError
        A community id the region does not have.
    """
    interventions, crops, known = columns
    pos = {str(u): i for i, u in enumerate(known)}
    missing = [str(u) for u in unit_ids if str(u) not in pos]
    if missing:
        raise ValueError(
            f"unknown community id(s) {', '.join(missing[:5])}: choose the region's communities"
        )
    sel = np.array([pos[str(u)] for u in unit_ids], dtype=np.int64)
    ids = [str(u) for u in unit_ids]

    def tables(groups: list[np.ndarray], names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        b, g = base.over(groups), [x.over(groups) for x in gcms]
        return (
            intervention_table(b, g, interventions, names, spread),
            crop_table(b, g, crops, names, spread),
        )

    per_iv, per_crop = tables([np.array([i]) for i in sel], ids)
    tot_iv, tot_crop = tables([sel], [ALL_SELECTED])
    return FutureEffects(future, gcm_names, spread, per_iv, per_crop, tot_iv, tot_crop, tuple(ids))
