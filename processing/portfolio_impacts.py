"""What each allocation of an intervention gives a community: the portfolio's impact tables.

Built from the results store and the designer's scenario numbers; no new hydrology. For
``k`` units of ``unit_size`` in community ``c`` (``CostModel`` of ``layers.config``):

- ``m3``, water harvested (m3/yr). Storage (``unit = "m3"``, or sites with
  ``storage_m3_per_site``): the scenarios' farm-pond reservoir
  (:func:`processing.kernels.pond.farm_ponds` with its default depth, seepage and command
  area), ``k`` units of volume ``V`` as one store of ``k V`` fed by the monthly runoff of
  its catchment (the community's runoff depth over ``CATCHMENT_M2_PER_M3`` x ``k V``) and
  drawn by its monthly deficit (PET - AET) over the command area, less open-water
  evaporation (ET0 = PET / the community's mean Kc) and seepage: the water delivered per
  year. Hectares
  (``unit = "ha"``): the runoff the treated hectares shed (the community's mean runoff,
  mm/yr), held where it falls, on at most the community's S1+S2 hectares.
- ``recharge``, recharge gained (m3/yr): the designer's scenario (``processing.scenario``)
  with ``k`` units in every community, for the intervention's ``scenario_lever`` (ponds of
  the unit's storage, or ``k x unit_size`` ha of terraces or agroforestry), minus the
  baseline.
- ``households``, households reached: the community's households once it has a unit (as
  the scenarios count them).
- ``ha``, hectares S1+S2: hectares treated, at most the community's S1+S2 hectares, for
  ``unit = "ha"``; otherwise the S1+S2 hectares of the communities given a unit.

A community counts as led by women or young people when at least
``WOMEN_YOUTH_MAJORITY`` of the households its project sites serve are led by women or by
young people (``households_women_led + households_youth_led``, each site's sum capped at
its ``households``: a household headed by a young woman may be counted in both).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.config import CostModel, InterventionConfig
from layers.registry import LayerRegistry
from processing.kernels.pond import COMMAND_M2_PER_M3, farm_ponds, offered_runoff_m3
from processing.portfolio import PortfolioError
from processing.portfolio_terms import IMPACTS, MAX_UNITS, Impact
from processing.results_store import ResultsStore
from processing.scenario import Scenario, ScenarioEngine, run_scenario

WOMEN_YOUTH_MAJORITY = 0.5  # share of the sites' households led by women or young people
SITE_HOUSEHOLDS = ("households", "households_women_led", "households_youth_led")
HOUSEHOLDS_FIELD = "households"  # on the communities layer
M3_PER_HA_MM = 10.0
MAX_CACHED_RECHARGE = 8  # recharge tables kept (one per intervention, the widest asked for)


@dataclass(frozen=True)
class CommunityFacts:
    """Per community, the numbers the impact tables are made of (rows in ``ids`` order)."""

    ids: np.ndarray
    names: np.ndarray
    households: np.ndarray | None  # None: the communities layer has no households field
    runoff_mm_yr: np.ndarray
    runoff_month_m3: np.ndarray  # (months, communities)
    area_m2: np.ndarray
    et0_month_mm: np.ndarray  # (months, communities) reference ET, mm
    deficit_month_mm: np.ndarray  # (months, communities) PET - AET, mm
    s1s2_ha: dict[str, np.ndarray]  # by intervention id
    women_youth_share: np.ndarray | None  # None: the sites carry no such counts; NaN: no site


def community_facts(store: ResultsStore, reg: LayerRegistry) -> CommunityFacts:
    """Read the community numbers from the results store and the region's layers."""
    summary = store.summary("communities")
    ids = summary["id"].astype(str).to_numpy()
    monthly = store.monthly("communities")
    order = ["year", "month"] if monthly["year"].notna().any() else ["month"]

    def wide(variable: str) -> np.ndarray:
        rows = monthly[(monthly["variable"] == variable) & (monthly["unit"] == "mm")]
        table = rows.pivot_table(index=order, columns="unit_id", values="value", aggfunc="first")
        return np.asarray(table.reindex(columns=ids).to_numpy(float))

    area_m2 = summary["area_ha"].to_numpy(float) * 1e4
    runoff_m3 = wide("runoff") * area_m2[np.newaxis] / 1000.0
    kc = summary["kc"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        et0 = wide("pet") / np.where(kc > 0, kc, np.nan)[np.newaxis]
    s1s2 = {
        col.removeprefix("suit_").removesuffix("_s1s2_ha"): summary[col].to_numpy(float)
        for col in summary.columns
        if col.startswith("suit_") and col.endswith("_s1s2_ha")
    }
    comm = reg.units("communities")
    own = reg.communities
    households = None
    if comm is not None and HOUSEHOLDS_FIELD in own.columns:
        by_id = pd.Series(own[HOUSEHOLDS_FIELD].to_numpy(float), index=comm["id"].to_numpy())
        households = by_id.reindex(ids).fillna(0.0).to_numpy()
    share = _women_youth_share(reg, comm, ids) if comm is not None else None
    return CommunityFacts(
        ids=ids,
        names=summary["name"].astype(str).to_numpy(),
        households=households,
        runoff_mm_yr=summary["runoff_mm_yr"].to_numpy(float),
        runoff_month_m3=np.nan_to_num(runoff_m3),
        area_m2=area_m2,
        et0_month_mm=np.nan_to_num(et0),
        deficit_month_mm=np.nan_to_num(wide("deficit")),
        s1s2_ha=s1s2,
        women_youth_share=share,
    )


def _women_youth_share(
    reg: LayerRegistry, comm: gpd.GeoDataFrame, ids: np.ndarray
) -> np.ndarray | None:
    sites = reg.sites
    if sites is None or not set(SITE_HOUSEHOLDS) <= set(sites.columns):
        return None
    zones = gpd.GeoDataFrame({"_id": comm["id"].to_numpy()}, geometry=comm.geometry, crs=comm.crs)
    joined = sites.sjoin(zones, how="inner", predicate="within")
    hh = pd.to_numeric(joined["households"], errors="coerce").fillna(0).clip(lower=0)
    led = (
        pd.to_numeric(joined["households_women_led"], errors="coerce").fillna(0).clip(lower=0)
        + pd.to_numeric(joined["households_youth_led"], errors="coerce").fillna(0).clip(lower=0)
    ).clip(upper=hh)
    sums = pd.DataFrame({"_id": joined["_id"], "hh": hh, "led": led}).groupby("_id").sum()
    sums = sums.reindex(ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums["hh"].to_numpy() > 0, sums["led"] / sums["hh"], np.nan)


def women_youth_flags(facts: CommunityFacts, min_share: float) -> np.ndarray:
    """Communities whose project sites are led by women or young people (bool per row).

    Raises
    ------
    PortfolioError
        A minimum share above 0 on a region whose sites carry no such counts.
    """
    if facts.women_youth_share is None:
        if min_share > 0:
            raise PortfolioError("no_site_counts")
        return np.zeros(facts.ids.size, bool)
    share = facts.women_youth_share
    return np.isfinite(share) & (np.nan_to_num(share) >= WOMEN_YOUTH_MAJORITY)


def check_priced(iv: InterventionConfig) -> None:
    """Raise PortfolioError naming the fix when the intervention has no cost model."""
    if not iv.priced:
        raise PortfolioError("no_cost_model", name=iv.id)


def _storage(facts: CommunityFacts, volume_m3: float, k_max: int) -> np.ndarray:
    """Water delivered per year by 0..``k_max`` ponds of ``volume_m3`` (communities, K + 1)."""
    months, n = facts.runoff_month_m3.shape
    years = months / 12.0
    capacity = np.repeat(np.arange(k_max + 1, dtype=np.float64) * volume_m3, n)  # k-major
    area = np.tile(facts.area_m2, k_max + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        runoff_mm = np.where(area > 0, np.tile(facts.runoff_month_m3, k_max + 1) * 1000.0 / area, 0)
    ponds = farm_ponds(
        offered_runoff_m3(runoff_mm, capacity, area),
        np.tile(facts.et0_month_mm, k_max + 1),
        np.tile(facts.deficit_month_mm, k_max + 1) / 1000.0 * capacity * COMMAND_M2_PER_M3,
        capacity,
    )
    return np.asarray(ponds.delivered.sum(axis=0).reshape(k_max + 1, n).T / years)


def _treated_ha(facts: CommunityFacts, iv: CostModel, s1s2: np.ndarray, k_max: int) -> np.ndarray:
    k = np.arange(k_max + 1, dtype=np.float64)
    return np.minimum(k[np.newaxis] * iv.unit_size, s1s2[:, np.newaxis])


def impact_table(
    facts: CommunityFacts,
    iv: InterventionConfig,
    impact: Impact,
    max_units: int,
    recharge: Callable[[InterventionConfig, int], np.ndarray] | None = None,
) -> np.ndarray:
    """Impact of 0..``max_units`` units in every community: (communities, K + 1).

    ``recharge(iv, K)`` gives the recharge-gained table (the designer's scenarios); it is
    called only for ``impact = "recharge"``.

    Raises
    ------
    PortfolioError
        An impact the intervention or the region cannot give (naming the fix).
    """
    check_priced(iv)
    if impact not in IMPACTS:
        raise PortfolioError("unknown_impact", name=impact, known=", ".join(IMPACTS))
    if not 1 <= max_units <= MAX_UNITS:
        raise PortfolioError("cap", max=MAX_UNITS, value=max_units)
    n = facts.ids.size
    s1s2 = facts.s1s2_ha.get(iv.id, np.zeros(n))
    reached = np.arange(max_units + 1)[np.newaxis] > 0
    if impact == "households":
        if facts.households is None:
            raise PortfolioError("no_households")
        return np.where(reached, facts.households[:, np.newaxis], 0.0)
    if impact == "ha":
        if iv.unit == "ha":
            return _treated_ha(facts, iv, s1s2, max_units)
        return np.where(reached, s1s2[:, np.newaxis], 0.0)
    if impact == "m3":
        if iv.unit == "ha":
            treated = _treated_ha(facts, iv, s1s2, max_units)
            return np.asarray(treated * facts.runoff_mm_yr[:, np.newaxis] * M3_PER_HA_MM)
        if iv.storage_m3 is None:
            raise PortfolioError("no_storage", name=iv.id)
        return _storage(facts, iv.storage_m3, max_units)
    if iv.scenario_lever is None or recharge is None:
        raise PortfolioError("no_lever", name=iv.id)
    return recharge(iv, max_units)


def recharge_table(
    se: ScenarioEngine, iv: InterventionConfig, max_units: int, ids: np.ndarray
) -> np.ndarray:
    """Recharge gained (m3/yr) by 0..``max_units`` units in every community (rows ``ids``).

    One scenario per ``k`` with ``k`` units in every community (the scenarios' balance is per
    community, so one run gives every community's change), minus the baseline.
    """
    out = np.zeros((ids.size, max_units + 1))
    for k in range(1, max_units + 1):
        if iv.scenario_lever == "ponds":
            sc = Scenario(name="portfolio", ponds=k, pond_volume_m3=float(iv.storage_m3 or 0.0))
        elif iv.scenario_lever == "terraces":
            sc = Scenario(name="portfolio", terraces_ha=k * iv.unit_size)
        else:
            sc = Scenario(name="portfolio", agroforestry_ha=k * iv.unit_size)
        table = run_scenario(se, sc).table
        delta = pd.Series(table["recharge_delta_m3_yr"].to_numpy(float), index=table["id"])
        out[:, k] = delta.reindex(ids).fillna(0.0).to_numpy()
    return out


class RechargeTables:
    """Recharge-gained tables of a region's interventions, each scenario run once.

    Called as ``recharge(iv, max_units)`` (the ``recharge`` argument of
    :func:`impact_table`). Per intervention the widest table asked for is kept, as column
    ``k`` does not depend on the width: a narrower request is a slice of it. At most
    ``MAX_CACHED_RECHARGE`` interventions are kept (the oldest goes first); safe to call
    from several threads.

    Parameters
    ----------
    scenarios : callable
        Returns the designer's scenario engine (called on the first table computed).
    ids : numpy.ndarray
        Community ids, the rows of every table.
    """

    def __init__(self, scenarios: Callable[[], ScenarioEngine], ids: np.ndarray) -> None:
        self._scenarios = scenarios
        self.ids = ids
        self._tables: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, iv: InterventionConfig, max_units: int) -> np.ndarray:
        """Recharge gained (m3/yr) by 0..``max_units`` units (communities, K + 1)."""
        with self._lock:
            table = self._tables.get(iv.id)
            if table is None or table.shape[1] <= max_units:
                table = recharge_table(self._scenarios(), iv, max_units, self.ids)
                self._tables.pop(iv.id, None)
                if len(self._tables) >= MAX_CACHED_RECHARGE:
                    self._tables.pop(next(iter(self._tables)))
                self._tables[iv.id] = table
            return table[:, : max_units + 1]
