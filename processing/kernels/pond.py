"""Farm ponds as monthly reservoirs: carry-over storage, open-water evaporation, seepage, use.

Arrays are laid out ``(months, units)`` in m3 (ET0 in mm); one unit is the ponds of one
community taken together (identical ponds sharing the runoff offered to them behave as one
pond of their summed volume). Every month, in this order:

1. inflow = min(runoff offered, room left = capacity - storage at the start); the rest of
   the runoff passes the full pond by (``spill``);
2. evaporation = ``OPEN_WATER_KC`` x ET0 x surface area, at most the water held; the
   surface area follows the volume held, ``A = (capacity / depth) x (V / capacity) ** b``
   (``depth``: the mean depth when full, volume / surface area; ``b =
   AREA_VOLUME_EXPONENT``);
3. seepage = a daily rate (mm/day of water depth) x the days of the month x the same
   surface area, at most the water left (0 for a lined pond);
4. use = min(demand, water left): the water the ponds deliver;
5. storage at the end = water held - evaporation - seepage - use.

So every month closes exactly, ``inflow = use + evaporation + seepage + (storage_end -
storage_start)``, and ``runoff offered = inflow + spill``. The store spins up on the first
year (from empty) until it settles, like the soil store of
:mod:`processing.kernels.water_balance`, so a 12-month climatology carries its dry-season
storage over into the next wet season.

Sources of the defaults:

- ``OPEN_WATER_KC``: FAO-56 (Allen et al. 1998) Table 12, open water less than 2 m deep or
  in subhumid climates or the tropics, Kc = 1.05.
- ``AREA_VOLUME_EXPONENT``: small reservoirs in semi-arid Ghana follow ``V = 0.00857 x
  A ** 1.4367`` (Liebe, van de Giesen and Andreini 2005, Phys. Chem. Earth 30: 448-454),
  so the area grows as the volume to the power 1 / 1.4367 = 0.70.
- ``SEEPAGE_UNLINED_MM_DAY``: FAO (1981) natural seepage losses of ponds, in mm/day: loam
  3-20, clayey loam 2.5-15, clay 1.25-10, sandy loam 13-76 (quoted in the Roads for Water
  guideline "Designing roadside farm ponds"); 5 mm/day sits low in the loam and clay-loam
  ranges, for a pond dug in the heavier soils a pond is sited on. A lined pond: 0.
- ``POND_DEPTH_M``: farm ponds and water pans in East Africa are dug 2-3 m deep (Ngigi
  2003, *Rainwater harvesting for improved food security*); 2.5 m full depth with sloping
  sides gives a mean depth (volume / surface area) of about 2 m.
- ``CATCHMENT_M2_PER_M3``: the land that drains to a pond, per m3 of storage. Farm ponds
  are sized at about 250 m3 per hectare of catchment (India Agronet, "Farm ponds"; the
  same order as the 0.2-1 ha per 1,000 m3 of the IIRR 1995 upland kit for wetter
  climates), 40 m2 per m3; the runoff offered to a community's ponds is its runoff depth
  over that area (at most the community's area), not the whole community's runoff.
- ``COMMAND_M2_PER_M3``: the area a pond irrigates per m3 of storage: a command area a
  tenth of the catchment (ICAR-ATARI Hyderabad, NICRA farm ponds: command to catchment
  1:10), 4 m2 per m3. The demand is the crop water deficit (PET - AET) of the community's
  balance over that area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

OPEN_WATER_KC = 1.05  # FAO-56 Table 12: open water < 2 m deep, or in the tropics
AREA_VOLUME_EXPONENT = 1.0 / 1.4367  # Liebe et al. (2005): V = 0.00857 A^1.4367
SEEPAGE_UNLINED_MM_DAY = 5.0  # FAO (1981): loam 3-20, clayey loam 2.5-15 mm/day
POND_DEPTH_M = 2.0  # mean depth when full (volume / surface area)
CATCHMENT_M2_PER_M3 = 40.0  # land draining to a pond per m3 of storage (250 m3/ha)
COMMAND_M2_PER_M3 = 4.0  # irrigated area per m3 of storage (command : catchment 1:10)
DAYS_PER_MONTH = 365.25 / 12.0
SPINUP_TOLERANCE_M3 = 0.01


@dataclass(frozen=True)
class PondBalance:
    """Monthly pond balance, every array ``(months, units)`` in m3.

    ``storage`` is at the end of each month (``initial_storage`` before the first, after
    spin-up); ``delivered`` is the water used (the water the ponds harvest); ``spill`` the
    runoff offered that the ponds could not take.
    """

    capacity: np.ndarray  # (units,)
    inflow: np.ndarray
    evaporation: np.ndarray
    seepage: np.ndarray
    delivered: np.ndarray
    spill: np.ndarray
    storage: np.ndarray
    initial_storage: np.ndarray  # (units,)

    def fills_per_year(self) -> np.ndarray:
        """Inflow per year as a multiple of the capacity, per unit (0 without capacity)."""
        years = self.inflow.shape[0] / 12.0
        with np.errstate(invalid="ignore", divide="ignore"):
            fills = self.inflow.sum(axis=0) / years / self.capacity
        return np.where(self.capacity > 0, fills, 0.0)

    def closure_m3(self) -> np.ndarray:
        """Per month and unit: inflow - use - evaporation - seepage - storage change (0)."""
        start = np.vstack([self.initial_storage[np.newaxis], self.storage[:-1]])
        return (
            self.inflow - self.delivered - self.evaporation - self.seepage - (self.storage - start)
        )


def _month(
    store: np.ndarray,
    runoff: np.ndarray,
    et0_mm: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    full_area_m2: np.ndarray,
    seepage_mm_day: float,
    open_water_kc: float,
) -> tuple[np.ndarray, ...]:
    """One month for every unit: (storage at the end, inflow, evaporation, seepage, use)."""
    inflow = np.minimum(np.maximum(runoff, 0.0), capacity - store)
    held = store + inflow
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(capacity > 0, held / capacity, 0.0)
    area = full_area_m2 * share**AREA_VOLUME_EXPONENT
    evap = np.minimum(held, open_water_kc * np.maximum(et0_mm, 0.0) / 1000.0 * area)
    left = held - evap
    seep = np.minimum(left, seepage_mm_day * DAYS_PER_MONTH / 1000.0 * area)
    left = left - seep
    use = np.minimum(np.maximum(demand, 0.0), left)
    return left - use, inflow, evap, seep, use


def offered_runoff_m3(
    runoff_mm: np.ndarray,
    capacity_m3: np.ndarray,
    area_m2: np.ndarray,
    catchment_m2_per_m3: float = CATCHMENT_M2_PER_M3,
) -> np.ndarray:
    """Runoff reaching the ponds: the runoff depth over their catchment, at most the unit's.

    ``runoff_mm`` is ``(months, units)``; ``capacity_m3`` and ``area_m2`` (the unit's area)
    are per unit. Returns m3, ``(months, units)``.
    """
    catchment = np.minimum(np.asarray(capacity_m3, float) * catchment_m2_per_m3, area_m2)
    return np.asarray(runoff_mm, dtype=np.float64) / 1000.0 * catchment[np.newaxis]


def farm_ponds(
    runoff_m3: np.ndarray,
    et0_mm: np.ndarray,
    demand_m3: np.ndarray,
    capacity_m3: np.ndarray,
    depth_m: float = POND_DEPTH_M,
    seepage_mm_day: float = SEEPAGE_UNLINED_MM_DAY,
    open_water_kc: float = OPEN_WATER_KC,
    spinup_years: int = 5,
) -> PondBalance:
    """Run the ponds of every unit over the months (see the module docstring).

    Parameters
    ----------
    runoff_m3 : ndarray, shape (months, units)
        Runoff offered to the ponds each month, m3.
    et0_mm : ndarray, shape (months, units)
        Reference evapotranspiration, mm/month.
    demand_m3 : ndarray, shape (months, units)
        Water the users would draw each month, m3.
    capacity_m3 : ndarray, shape (units,)
        Storage of the unit's ponds, m3 (0: no ponds).
    depth_m : float
        Mean depth when full (volume / surface area), m; > 0.
    seepage_mm_day : float
        Seepage through the floor, mm/day of water depth (0: lined).
    open_water_kc : float
        Open-water evaporation coefficient applied to ET0.
    spinup_years : int
        At most this many passes over the first year, from empty, until the storage at its
        end settles (0: start empty).

    Returns
    -------
    PondBalance
    """
    if depth_m <= 0:
        raise ValueError(f"pond depth must be above 0 m (got {depth_m})")
    runoff = np.asarray(runoff_m3, dtype=np.float64)
    et0 = np.broadcast_to(np.asarray(et0_mm, dtype=np.float64), runoff.shape)
    demand = np.broadcast_to(np.asarray(demand_m3, dtype=np.float64), runoff.shape)
    cap = np.maximum(np.broadcast_to(np.asarray(capacity_m3, np.float64), runoff.shape[1:]), 0)
    full_area = cap / depth_m
    args = (cap, full_area, float(seepage_mm_day), float(open_water_kc))
    store = np.zeros_like(cap)
    for _ in range(spinup_years):
        start = store
        for m in range(min(12, runoff.shape[0])):
            store = _month(store, runoff[m], et0[m], demand[m], *args)[0]
        if np.all(np.abs(store - start) < SPINUP_TOLERANCE_M3):
            break
    initial = store.copy()
    out = {k: np.zeros_like(runoff) for k in ("storage", "inflow", "evap", "seep", "use")}
    for m in range(runoff.shape[0]):
        store, inflow, evap, seep, use = _month(store, runoff[m], et0[m], demand[m], *args)
        for key, value in zip(out, (store, inflow, evap, seep, use), strict=True):
            out[key][m] = value
    return PondBalance(
        capacity=cap.copy(),
        inflow=out["inflow"],
        evaporation=out["evap"],
        seepage=out["seep"],
        delivered=out["use"],
        spill=np.maximum(runoff, 0.0) - out["inflow"],
        storage=out["storage"],
        initial_storage=initial,
    )
