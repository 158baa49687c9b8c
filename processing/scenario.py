"""Scenarios: climate, land-use and intervention changes run through the community balance.

The community balance is lumped (unit-mean rain, crop PET, curve number and storage
capacity; see ``processing.unit_inputs.unit_balance``), so a change to some cells moves a
community's means by exactly the cells' share. :class:`ScenarioEngine` tabulates, once per
region, what those means are made of (cell counts per land-use class and soil group, ET0
sums per class, and per class the sums of AWC x root zone, the root depth capped by the
soil depth, for every root depth a change can give); a scenario then edits the means and
re-runs the monthly balance for every community in milliseconds, and compares it with the
unchanged baseline computed the same way.

Methods and sources (also in the README):

- rainfall change: monthly rain x (1 + pct / 100);
- warming: Hargreaves' temperature term, ET0 x (T + dT + 17.8) / (T + 17.8) with T the
  community's monthly mean temperature (FAO-56 eq. 52; the daily range is unchanged);
- land-use change: a fraction (or hectares) of one class becomes another, with the target
  class's curve number (per soil group), Kc and root depth from the class table;
- terraces on cropland: TR-55 Table 2-2b, row crops "contoured & terraced, good" instead
  of "straight row, good": CN -5, -7, -7, -8 for soil groups A-D;
- agroforestry on cropland (trees on boundaries and contours): half-way between row crops
  (straight row, good) and "woods-grass combination, good" (TR-55: CN 32/58/72/79), root
  depth 1.75 m, Kc +0.05; carbon in woody biomass from IPCC (2006) Vol. 4 Ch. 5 Table 5.1
  (above-ground accumulation in agroforestry systems: tropical dry 1.8, moist 2.6, wet
  10.0 t C/ha/yr; climate zone from annual rain: < 1,000 mm dry, < 2,000 mm moist);
- farm ponds: the community's ponds run as one monthly reservoir
  (:mod:`processing.kernels.pond`): the runoff of their catchment (40 m2 per m3 of storage,
  within the community) fills the room left, open-water
  evaporation (FAO-56 Kc 1.05 x ET0) and seepage (unlined 5 mm/day, FAO 1981; lined 0) take
  their share off the surface, and the crop water deficit (PET - AET) of a command area
  per m3 of storage draws on what is left. Water harvested is the water delivered; the
  inflow is taken off the runoff; storage carries over from month to month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from layers.classes import class_key
from layers.config import WaterBalanceConfig
from processing.grids import calendar_climatology
from processing.hru import (
    HSG_COLUMNS,
    SOIL_GROUPS,
    Hrus,
    class_codes,
    hru_curve_numbers,
    month_rain_days,
)
from processing.kernels.et0 import HARGREAVES_OFFSET_C
from processing.kernels.pond import (
    CATCHMENT_M2_PER_M3,
    COMMAND_M2_PER_M3,
    POND_DEPTH_M,
    SEEPAGE_UNLINED_MM_DAY,
    PondBalance,
    farm_ponds,
    offered_runoff_m3,
)
from processing.kernels.water_balance import DEFICIT_MONTH_MM, MonthlyBalance, thornthwaite_mather
from processing.suitability_engine import SuitabilityEngine

TERRACE_CN_DELTA = np.array([-5.0, -7.0, -7.0, -8.0])  # TR-55: C&T good minus SR good
WOODS_GRASS_CN = np.array([32.0, 58.0, 72.0, 79.0])  # TR-55: woods-grass combination, good
AGROFORESTRY_ROOT_M = 1.75
AGROFORESTRY_KC_DELTA = 0.05
IPCC_AGROFORESTRY_T_C_HA_YR = {"tropical dry": 1.8, "tropical moist": 2.6, "tropical wet": 10.0}
CO2_PER_C = 44.0 / 12.0
VARIABLES = ("rain", "pet", "aet", "runoff", "recharge", "deficit")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LandUseChange(_Strict):
    """Convert part of one land-use class into another (``pct`` of it, or ``ha``)."""

    from_class: int
    to_class: int
    pct: Annotated[float, Field(ge=0, le=100)] | None = None
    ha: Annotated[float, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _amount(self) -> LandUseChange:
        if (self.pct is None) == (self.ha is None):
            raise ValueError("give the converted share as pct or as ha, not both")
        return self


class Scenario(_Strict):
    """A scenario for a set of communities (all when ``communities`` is empty)."""

    name: str = "scenario"
    communities: list[str] = Field(default_factory=list)
    rain_pct: Annotated[float, Field(ge=-80, le=200)] = 0.0
    warming_c: Annotated[float, Field(ge=-5, le=8)] = 0.0
    land_use: list[LandUseChange] = Field(default_factory=list)
    ponds: Annotated[int, Field(ge=0, le=100_000)] = 0  # per community
    pond_volume_m3: Annotated[float, Field(ge=0, le=1e6)] = 0.0
    pond_depth_m: Annotated[float, Field(ge=0.5, le=10)] = POND_DEPTH_M  # volume / surface
    pond_seepage_mm_day: Annotated[float, Field(ge=0, le=250)] = SEEPAGE_UNLINED_MM_DAY  # 0: lined
    pond_command_m2_per_m3: Annotated[float, Field(ge=0, le=100)] = COMMAND_M2_PER_M3
    pond_catchment_m2_per_m3: Annotated[float, Field(gt=0, le=10_000)] = CATCHMENT_M2_PER_M3
    terraces_ha: Annotated[float, Field(ge=0)] = 0.0  # per community, on cropland
    agroforestry_ha: Annotated[float, Field(ge=0)] = 0.0  # per community, on cropland
    # a future climate of the region's [[futures]] instead of the uniform change:
    # "GCM ssp period" (one model) or "ensemble ssp period" (the median over the GCMs)
    future: Annotated[str, Field(max_length=200)] | None = None
    future_spread: Literal["min-max", "10-90"] = "min-max"  # the ensemble's spread

    @model_validator(mode="after")
    def _one_climate(self) -> Scenario:
        if self.future and (self.rain_pct or self.warming_c):
            raise ValueError(
                "a future climate replaces the uniform rain and warming change: "
                "give the future or rain_pct / warming_c, not both"
            )
        return self


@dataclass(frozen=True)
class ClimateInputs:
    """A future climate on the lumped balance: per month and community.

    ``rain`` replaces the communities' mean rain (mm); ``pet_factor`` multiplies their PET
    and ET0 (the Hargreaves ratio of future to baseline temperatures).
    """

    label: str
    rain: np.ndarray  # (months, units) mm
    pet_factor: np.ndarray  # (months, units)


@dataclass(frozen=True)
class ScenarioResult:
    """Baseline and scenario side by side.

    An ensemble's result holds the median over its GCMs, ``{v}_scen_lo_mm_yr`` and
    ``{v}_scen_hi_mm_yr`` columns (and ``scenario_lo_m3`` / ``scenario_hi_m3`` in the
    monthly table) for the spread, and the GCMs in ``members``.
    """

    table: pd.DataFrame  # one row per affected community: baseline, scenario, delta
    totals: dict[str, float]
    monthly: pd.DataFrame  # month, variable, baseline_m3, scenario_m3 (affected communities)
    members: tuple[str, ...] = ()


@dataclass
class ScenarioEngine:
    """Per-community ingredients of the lumped balance, tabulated once per region."""

    ids: np.ndarray
    area_m2: np.ndarray
    households: np.ndarray
    rain: np.ndarray  # (months, units) mean rain, mm
    pet: np.ndarray  # (months, units) mean Kc x ET0, mm
    hrus: Hrus  # land-use class x soil group of each unit (class index * 4 + group)
    capacity: np.ndarray
    cells: np.ndarray  # valid cells per unit
    counts: np.ndarray  # (units, classes, 4) cells per class and soil group
    roots_m: np.ndarray  # sorted root depths a scenario can give a cell, m
    root_zone_sum: np.ndarray  # (roots, units, classes) sum of AWC x root zone (mm) per class
    et0_sum: np.ndarray  # (months, units, classes) sum of ET0 over the class's cells
    tmean: np.ndarray | None  # (12, units) mean temperature, degC (None: no Tmin/Tmax)
    codes: np.ndarray  # land-use code per class index
    table: pd.DataFrame  # land-use class table indexed by code
    cropland: int | None  # class index of cropland
    cell_ha: float
    wb: WaterBalanceConfig
    first_month: int
    cell_index: np.ndarray  # flat grid index of each counted (cell, community) pair
    cell_unit: np.ndarray  # its community (0-based unit index)
    _baseline: MonthlyBalance | None = None

    @property
    def baseline(self) -> MonthlyBalance:
        """The unchanged balance (computed once)."""
        if self._baseline is None:
            self._baseline = self._balance(self.rain, self.pet, self.hrus, self.capacity)
        return self._baseline

    def _balance(
        self, rain: np.ndarray, pet: np.ndarray, hrus: Hrus, cap: np.ndarray
    ) -> MonthlyBalance:
        days = month_rain_days(self.wb, self.first_month, rain.shape[0])
        runoff = hrus.runoff_mm(rain, days, self.wb)
        return thornthwaite_mather(rain, pet, runoff, cap, self.wb.spinup_years)


def build_scenario_engine(engine: SuitabilityEngine) -> ScenarioEngine:
    """Tabulate the community balance's ingredients (one pass over the grid)."""
    reg, c = engine.reg, engine.cells
    labels = engine.labels["communities"]
    n_units = len(engine.unit_ids["communities"])
    table = reg.class_table("land_use")
    table = table.iloc[np.argsort([int(str(c)) for c in table.index], kind="stable")]
    codes = class_codes(table)
    lu = c.land_use.ravel().astype(np.int64)
    cls = np.searchsorted(codes, lu)
    cls = np.where((cls < len(codes)) & (codes[np.minimum(cls, len(codes) - 1)] == lu), cls, -1)
    pet_cells = (c.et0_mm * c.kc[np.newaxis]).reshape(c.et0_mm.shape[0], -1)
    rain_cells = c.rain_mm.reshape(c.rain_mm.shape[0], -1)
    ok = (
        (cls >= 0)
        & np.isfinite(c.cn.ravel())
        & np.isfinite(c.capacity_mm.ravel())
        & np.isfinite(rain_cells).all(axis=0)
        & np.isfinite(pet_cells).all(axis=0)
    )
    # a cell in two overlapping communities counts in both (one pair per group it is in)
    groups = [g.ravel() for g in labels.grids]
    in_group = [np.flatnonzero(ok & (g > 0)) for g in groups]
    idx = np.concatenate(in_group)
    lab = np.concatenate([g[i] - 1 for g, i in zip(groups, in_group, strict=True)])
    k, hsg = cls[idx], c.hsg_index.ravel()[idx]
    n = np.bincount(lab, minlength=n_units).astype(np.float64)
    safe = np.maximum(n, 1)

    def unit_mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(lab, weights=values, minlength=n_units) / safe

    n_cls = len(codes)
    counts = np.bincount((lab * n_cls + k) * 4 + hsg, minlength=n_units * n_cls * 4).reshape(
        n_units, n_cls, 4
    )
    roots_m = np.unique(np.append(table["root_depth_m"].to_numpy(float), AGROFORESTRY_ROOT_M))
    depth_m = c.soil_depth_mm.ravel()[idx] / 1000.0
    awc = c.awc_mm.ravel()[idx]
    root_zone_sum = np.stack(
        [
            np.bincount(
                lab * n_cls + k,
                weights=awc * np.where(np.isfinite(depth_m), np.minimum(r, depth_m), r),
                minlength=n_units * n_cls,
            ).reshape(n_units, n_cls)
            for r in roots_m
        ]
    )
    et0_cells = c.et0_mm.reshape(c.et0_mm.shape[0], -1)[:, idx]
    et0_sum = np.stack(
        [
            np.bincount(lab * n_cls + k, weights=m, minlength=n_units * n_cls).reshape(
                n_units, n_cls
            )
            for m in et0_cells
        ]
    )
    tmean = None
    if reg.has("tmin") and reg.has("tmax"):
        t = calendar_climatology(
            (reg.raster("tmin").astype(np.float64) + reg.raster("tmax")) / 2.0, 1
        ).reshape(12, -1)[:, idx]
        tmean = np.stack([unit_mean(m) for m in t])
    names = table["name"].astype(str).map(class_key)
    crop = [i for i, nm in enumerate(names) if nm.startswith("crop")]
    comm = reg.communities
    hh_field = "households" if "households" in comm.columns else None
    wb = reg.region.config.water_balance
    return ScenarioEngine(
        ids=engine.unit_ids["communities"],
        area_m2=comm.geometry.area.to_numpy(),
        households=comm[hh_field].to_numpy(dtype=float) if hh_field else np.zeros(n_units),
        rain=np.stack([unit_mean(m[idx]) for m in rain_cells]),
        pet=np.stack([unit_mean(m[idx]) for m in pet_cells]),
        hrus=Hrus.from_counts(
            counts.reshape(n_units, -1), hru_curve_numbers(table, reg.region.config.water_balance)
        ),
        capacity=unit_mean(c.capacity_mm.ravel()[idx]),
        cells=n,
        counts=counts,
        roots_m=roots_m,
        root_zone_sum=root_zone_sum,
        et0_sum=et0_sum,
        tmean=tmean,
        codes=codes,
        table=table,
        cropland=crop[0] if crop else None,
        cell_ha=engine.cell_ha,
        wb=wb,
        first_month=c.first_month,
        cell_index=idx,
        cell_unit=lab,
    )


def _class_index(se: ScenarioEngine, code: int) -> int:
    hit = np.flatnonzero(se.codes == code)
    if hit.size == 0:
        known = ", ".join(str(int(c)) for c in se.codes)
        raise ValueError(f"land-use class {code} is not in the class table (known: {known})")
    return int(hit[0])


def _convert(
    se: ScenarioEngine,
    hrus: Hrus,
    mask: np.ndarray,
    src: int,
    fraction: np.ndarray,
    cn_to: np.ndarray,
    root_to: float,
    kc_delta: float,
) -> tuple[Hrus, np.ndarray, np.ndarray]:
    """Convert a ``fraction`` of class ``src``'s cells (of the baseline) in each unit.

    The converted cells take curve numbers ``cn_to`` (per soil group, before the
    calibration multiplier), root depth ``root_to`` and Kc + ``kc_delta``. Returns the
    HRUs after the change and the changes of unit-mean capacity and PET.
    """
    t = se.table.iloc[src]
    f = np.where(mask, fraction, 0.0)
    n = np.maximum(se.cells, 1)
    groups = len(SOIL_GROUPS)
    source = np.arange(src * groups, (src + 1) * groups)
    moved = f[:, np.newaxis] * se.hrus.share[:, source]
    cn_new = np.clip(np.asarray(cn_to, dtype=float) * se.wb.cn_multiplier, 1.0, 100.0)
    d_cap = f * (_root_zone(se, src, root_to) - _root_zone(se, src, t["root_depth_m"])) / n
    d_pet = f[np.newaxis] * se.et0_sum[:, :, src] * kc_delta / n[np.newaxis]
    return hrus.converted(source, moved, cn_new), d_cap, d_pet


def _root_zone(se: ScenarioEngine, k: int, root_m: float) -> np.ndarray:
    """Per unit: the sum over class ``k``'s cells of AWC x min(``root_m``, soil depth), mm."""
    i = int(np.searchsorted(se.roots_m, float(root_m)))
    assert i < se.roots_m.size and se.roots_m[i] == float(root_m), root_m
    return se.root_zone_sum[i, :, k]


def _class_ha(se: ScenarioEngine, k: int) -> np.ndarray:
    return se.counts[:, k, :].sum(axis=1) * se.cell_ha


def run_scenario(
    se: ScenarioEngine, sc: Scenario, climate: ClimateInputs | None = None
) -> ScenarioResult:
    """Run a scenario and compare it with the baseline.

    ``climate`` is the scenario's future climate (``sc.future``) on the communities
    (:func:`processing.futures.climate_inputs`).

    Raises
    ------
    ValueError
        Unknown community ids or land-use classes, warming without temperature layers,
        interventions on a region without a cropland class, or a future without its
        climate.
    """
    if sc.future and climate is None:
        raise ValueError(f"future climate {sc.future!r} needs its inputs (processing.futures)")
    ids = list(se.ids)
    if sc.communities:
        unknown = [c for c in sc.communities if c not in ids]
        if unknown:
            raise ValueError(f"unknown community id(s): {', '.join(unknown)}")
    mask = np.isin(se.ids, sc.communities) if sc.communities else np.ones(len(ids), bool)
    rain = se.rain * np.where(mask, 1 + sc.rain_pct / 100.0, 1.0)[np.newaxis]
    pet = se.pet.copy()
    et0 = se.et0_sum.sum(axis=2) / np.maximum(se.cells, 1)[np.newaxis]
    hrus, cap = se.hrus, se.capacity.copy()
    if sc.warming_c:
        if se.tmean is None:
            raise ValueError("warming needs [layers.tmin] and [layers.tmax] (Hargreaves ET0)")
        months = (np.arange(pet.shape[0]) + se.first_month - 1) % 12
        t = se.tmean[months]
        offset = HARGREAVES_OFFSET_C
        factor = np.clip((t + sc.warming_c + offset) / np.maximum(t + offset, 0.1), 0, None)
        pet = np.where(mask[np.newaxis], pet * factor, pet)
        et0 = np.where(mask[np.newaxis], et0 * factor, et0)
    if climate is not None:
        rain = np.where(mask[np.newaxis], climate.rain, rain)
        pet = np.where(mask[np.newaxis], pet * climate.pet_factor, pet)
        et0 = np.where(mask[np.newaxis], et0 * climate.pet_factor, et0)
    for change in sc.land_use:
        src, dst = _class_index(se, change.from_class), _class_index(se, change.to_class)
        src_ha = _class_ha(se, src)
        if change.pct is not None:
            frac = np.full(len(ids), change.pct / 100.0)
        else:
            frac = np.minimum(1.0, (change.ha or 0.0) / np.maximum(src_ha, 1e-9))
        to = se.table.iloc[dst]
        hrus, d_cap, d_pet = _convert(
            se,
            hrus,
            mask,
            src,
            frac,
            to[list(HSG_COLUMNS)].to_numpy(dtype=float),
            float(to["root_depth_m"]),
            float(to["kc"]) - float(se.table.iloc[src]["kc"]),
        )
        cap, pet = cap + d_cap, pet + d_pet
    crop_ha = _class_ha(se, se.cropland) if se.cropland is not None else np.zeros(len(ids))
    terr_ha = np.minimum(sc.terraces_ha, crop_ha)
    agro_ha = np.minimum(sc.agroforestry_ha, np.maximum(crop_ha - terr_ha, 0))
    if (sc.terraces_ha or sc.agroforestry_ha) and se.cropland is None:
        raise ValueError("terraces and agroforestry go on cropland: the class table has none")
    if se.cropland is not None and (sc.terraces_ha or sc.agroforestry_ha):
        k = se.cropland
        row = se.table.iloc[k]
        cn_crop = row[list(HSG_COLUMNS)].to_numpy(dtype=float)
        safe_ha = np.maximum(crop_ha, 1e-9)
        hrus, d_cap, d_pet = _convert(
            se,
            hrus,
            mask,
            k,
            terr_ha / safe_ha,
            cn_crop + TERRACE_CN_DELTA,
            float(row["root_depth_m"]),
            0.0,
        )
        cap, pet = cap + d_cap, pet + d_pet
        hrus, d_cap, d_pet = _convert(
            se,
            hrus,
            mask,
            k,
            agro_ha / safe_ha,
            (cn_crop + WOODS_GRASS_CN) / 2.0,
            AGROFORESTRY_ROOT_M,
            AGROFORESTRY_KC_DELTA,
        )
        cap, pet = cap + d_cap, pet + d_pet
    base = se.baseline
    scen = se._balance(rain, pet, hrus, np.maximum(cap, 0))
    years = rain.shape[0] / 12.0
    area = se.area_m2
    ponds = _ponds(sc, scen, et0, area, mask)
    annual_rain = se.rain.sum(axis=0) / years
    rate = np.where(
        annual_rain < 1000,
        IPCC_AGROFORESTRY_T_C_HA_YR["tropical dry"],
        np.where(
            annual_rain < 2000,
            IPCC_AGROFORESTRY_T_C_HA_YR["tropical moist"],
            IPCC_AGROFORESTRY_T_C_HA_YR["tropical wet"],
        ),
    )
    carbon = np.where(mask, agro_ha * rate, 0.0)
    table = _table(se, base, scen, ponds, carbon, mask, years)
    monthly = _monthly(base, scen, ponds.inflow, area, mask, se.first_month)
    touched = mask & (
        (sc.rain_pct != 0)
        | (sc.warming_c != 0)
        | (climate is not None)
        | bool(sc.land_use)
        | (terr_ha > 0)
        | (agro_ha > 0)
        | (ponds.inflow.sum(axis=0) > 0)
    )
    totals = {
        "communities": int(mask.sum()),
        "water_harvested_m3_yr": float(ponds.delivered.sum() / years),
        "pond_fills_per_yr": float(
            ponds.inflow.sum() / years / max(float(ponds.capacity.sum()), 1e-9)
        ),
        "pond_inflow_m3_yr": float(ponds.inflow.sum() / years),
        "pond_evaporation_m3_yr": float(ponds.evaporation.sum() / years),
        "pond_seepage_m3_yr": float(ponds.seepage.sum() / years),
        "runoff_change_m3_yr": float(table["runoff_delta_m3_yr"].sum()),
        "recharge_change_m3_yr": float(table["recharge_delta_m3_yr"].sum()),
        "aet_change_m3_yr": float(table["aet_delta_m3_yr"].sum()),
        "deficit_months_avoided_per_yr": float(-table["months_in_deficit_delta"].sum()),
        "carbon_t_c_yr": float(carbon.sum()),
        "carbon_t_co2_yr": float(carbon.sum() * CO2_PER_C),
        "households_reached": float(se.households[touched].sum()),
        "terraces_ha": float(terr_ha[mask].sum()) if sc.terraces_ha else 0.0,
        "agroforestry_ha": float(agro_ha[mask].sum()) if sc.agroforestry_ha else 0.0,
    }
    return ScenarioResult(table, totals, monthly)


def _ponds(
    sc: Scenario, scen: MonthlyBalance, et0: np.ndarray, area_m2: np.ndarray, mask: np.ndarray
) -> PondBalance:
    """The ponds of every affected community, run as one reservoir per community.

    Fed by the runoff of their catchment (within the community), drawn by the community's
    deficit over their command area.
    """
    capacity = np.where(mask, sc.ponds * sc.pond_volume_m3, 0.0)
    command_m2 = capacity * sc.pond_command_m2_per_m3
    return farm_ponds(
        offered_runoff_m3(scen.runoff, capacity, area_m2, sc.pond_catchment_m2_per_m3),
        et0,
        scen.deficit / 1000.0 * command_m2[np.newaxis],
        capacity,
        depth_m=sc.pond_depth_m,
        seepage_mm_day=sc.pond_seepage_mm_day,
    )


def _annual(wb: MonthlyBalance, years: float) -> dict[str, np.ndarray]:
    return {
        "rain": wb.p.sum(axis=0) / years,
        "pet": wb.pet.sum(axis=0) / years,
        "aet": wb.aet.sum(axis=0) / years,
        "runoff": wb.runoff.sum(axis=0) / years,
        "recharge": wb.surplus.sum(axis=0) / years,
        "deficit": wb.deficit.sum(axis=0) / years,
    }


def _table(
    se: ScenarioEngine,
    base: MonthlyBalance,
    scen: MonthlyBalance,
    ponds: PondBalance,
    carbon: np.ndarray,
    mask: np.ndarray,
    years: float,
) -> pd.DataFrame:
    b, s = _annual(base, years), _annual(scen, years)
    inflow_mm = ponds.inflow.sum(axis=0) / years * 1000.0 / se.area_m2
    s["runoff"] = s["runoff"] - inflow_mm  # what the ponds take in leaves the runoff
    out = pd.DataFrame({"id": se.ids})
    for v in VARIABLES:
        out[f"{v}_base_mm_yr"] = np.round(b[v], 1)
        out[f"{v}_scen_mm_yr"] = np.round(s[v], 1)
        out[f"{v}_delta_mm_yr"] = np.round(s[v] - b[v], 1)
        out[f"{v}_delta_m3_yr"] = np.round((s[v] - b[v]) * se.area_m2 / 1000.0, 0)
    months_b = (base.deficit > DEFICIT_MONTH_MM).sum(axis=0) / years
    months_s = (scen.deficit > DEFICIT_MONTH_MM).sum(axis=0) / years
    out["months_in_deficit_base"] = np.round(months_b, 2)
    out["months_in_deficit_scen"] = np.round(months_s, 2)
    out["months_in_deficit_delta"] = np.round(months_s - months_b, 2)
    out["water_harvested_m3_yr"] = np.round(ponds.delivered.sum(axis=0) / years, 0)
    out["pond_fills_per_yr"] = np.round(ponds.fills_per_year(), 2)
    out["carbon_t_c_yr"] = np.round(carbon, 2)
    out["households"] = se.households
    out["area_ha"] = np.round(se.area_m2 / 1e4, 2)
    return out[mask].reset_index(drop=True)


def _monthly(
    base: MonthlyBalance,
    scen: MonthlyBalance,
    pond_inflow_m3: np.ndarray,
    area: np.ndarray,
    mask: np.ndarray,
    first_month: int,
) -> pd.DataFrame:
    """Calendar-month means over the affected communities, m3 (runoff net of pond inflow)."""
    cal = (np.arange(base.p.shape[0]) + first_month - 1) % 12 + 1
    rows = []
    pairs = {
        "rain": (base.p, scen.p),
        "aet": (base.aet, scen.aet),
        "runoff": (base.runoff, scen.runoff - pond_inflow_m3 * 1000.0 / area[np.newaxis]),
        "recharge": (base.surplus, scen.surplus),
        "deficit": (base.deficit, scen.deficit),
    }
    for var, (b, s) in pairs.items():
        bm3 = (b * area[np.newaxis] / 1000.0)[:, mask].sum(axis=1)
        sm3 = (s * area[np.newaxis] / 1000.0)[:, mask].sum(axis=1)
        for m in range(1, 13):
            sel = cal == m
            rows.append(
                {
                    "month": m,
                    "variable": var,
                    "baseline_m3": float(bm3[sel].mean()),
                    "scenario_m3": float(sm3[sel].mean()),
                }
            )
    return pd.DataFrame(rows)
