"""Evaluate a candidate site and recommend sites for an intervention.

``SitePlanner.evaluate_site`` reads every criterion at one point and explains its score;
``SitePlanner.recommend_sites`` is the greedy best-first search of DESIGN.md section 4: take
the best remaining cell (ties broken by the neighbourhood's mean score), then remove every
cell closer than the minimum spacing (and the
whole community once it reaches its cap), until ``count`` sites are found or no allowed
cell is left. Distances are between cell centres and exact points, in metres.

Example
-------
>>> planner = open_planner("var/demo")                       # doctest: +SKIP
>>> planner.evaluate_site("farm_ponds", lon=37.35, lat=-1.30)  # doctest: +SKIP
>>> planner.recommend_sites("farm_ponds", count=10, min_spacing_m=1000)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.prepared
from pyproj import CRS, Transformer
from rasterio import features
from scipy import ndimage
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from layers.region import load_region
from layers.registry import LayerRegistry
from processing.kernels.suitability import combine, normalise_weights, suitability_class
from processing.pipeline import process_region
from processing.results_store import ResultsStore
from processing.suitability_engine import SuitabilityEngine, build_engine
from processing.suitability_model import SuitabilityModel, membership, profile_weights

TIE_WINDOW_CELLS = 7
TIE_WEIGHT = 1e-3
WATER_BALANCE_FIELDS = (
    "rain_mm_yr",
    "pet_mm_yr",
    "aet_mm_yr",
    "runoff_mm_yr",
    "recharge_mm_yr",
    "deficit_mm_yr",
    "stress_index",
    "months_in_deficit_per_yr",
)


@dataclass(frozen=True)
class CriterionReading:
    """One criterion at a site: its value (in the layer's units), membership and weight."""

    layer: str
    value: float | None
    membership: float | None
    weight: float
    rationale: str


@dataclass(frozen=True)
class SiteEvaluation:
    """Everything a designer needs to judge one site for one intervention."""

    intervention: str
    lon: float
    lat: float
    x: float
    y: float
    score: float | None
    suitability_class: str
    exclusions: tuple[str, ...]
    criteria: tuple[CriterionReading, ...]
    limiting_criterion: str | None
    community_id: str | None
    community_name: str | None
    watershed_id: str | None
    watershed_name: str | None
    rainfall_annual_mm: float | None
    land_use: str | None
    slope_pct: float | None
    nearest_site_id: str | None
    nearest_site_m: float | None
    water_balance: dict[str, float] = field(default_factory=dict)
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (criteria as a list of dicts)."""
        return asdict(self)


def _num(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), 3)


class SitePlanner:
    """Site evaluation and recommendation over a region's suitability engine.

    Parameters
    ----------
    engine : SuitabilityEngine
    community_summary : pandas.DataFrame, optional
        The results store's community table, for the water-balance figures.
    """

    def __init__(
        self, engine: SuitabilityEngine, community_summary: pd.DataFrame | None = None
    ) -> None:
        self.engine = engine
        reg = engine.reg
        self._to_work = Transformer.from_crs(4326, reg.crs, always_xy=True)
        self._to_wgs84 = Transformer.from_crs(reg.crs, 4326, always_xy=True)
        sites = reg.sites
        spec = reg.region.config.layers.project_sites
        if sites is not None and spec is not None and len(sites):
            self._site_xy = np.column_stack([sites.geometry.x, sites.geometry.y])
            self._site_ids = sites[spec.id_field].astype(str).to_numpy()
            self._tree: cKDTree | None = cKDTree(self._site_xy)
        else:
            self._site_xy = np.empty((0, 2))
            self._site_ids = np.empty(0, dtype=object)
            self._tree = None
        self._lu_names = reg.class_table("land_use")["name"].astype(str).to_dict()
        self._wb = community_summary.set_index("id") if community_summary is not None else None

    # -- evaluation ---------------------------------------------------------------------
    def _cell(self, x: float, y: float) -> tuple[int, int]:
        grid = self.engine.reg.grid
        col, row = ~grid.transform * (x, y)
        r, c = int(np.floor(row)), int(np.floor(col))
        if not (0 <= r < grid.shape[0] and 0 <= c < grid.shape[1]):
            lon, lat = self._to_wgs84.transform(x, y)
            raise ValueError(
                f"point ({lon:.5f}, {lat:.5f}) is outside the region's grid; "
                "pick a point inside the region"
            )
        return r, c

    def _unit(self, level: str, r: int, c: int) -> tuple[str | None, str | None]:
        labels = self.engine.labels.get(level)
        found = labels.units_at(r, c) if labels is not None else []
        if not found:
            return None, None
        i = found[0]  # the first where units overlap
        return str(self.engine.unit_ids[level][i]), str(self.engine.unit_names[level][i])

    def evaluate_site(
        self,
        intervention_id: str,
        lon: float,
        lat: float,
        crs: str | int | CRS = 4326,
        weights: Sequence[float] | None = None,
        constraints: Collection[str] | None = None,
    ) -> SiteEvaluation:
        """Evaluate one point for an intervention.

        Parameters
        ----------
        intervention_id : str
        lon, lat : float
            The point; WGS84 degrees unless ``crs`` says otherwise (then x, y in that CRS).
        crs : str, int or pyproj.CRS
        weights : sequence of float, optional
            Criterion weights (the profile's when omitted).
        constraints : collection of str, optional
            Constraints that apply (``land_use``, ``slope``, ``protected``, ``water``); all
            of the profile's when omitted.

        Raises
        ------
        KeyError
            Unknown intervention.
        ValueError
            The point is outside the region's grid.
        """
        eng = self.engine
        profile = eng.profile(intervention_id)
        if CRS.from_user_input(crs) == eng.reg.crs:
            x, y = float(lon), float(lat)
        else:
            tr = Transformer.from_crs(crs, eng.reg.crs, always_xy=True)
            x, y = (float(v) for v in tr.transform(lon, lat))
        r, c = self._cell(x, y)
        w = profile_weights(profile) if weights is None else normalise_weights(weights)
        readings, members = [], []
        for crit, wi in zip(profile.criteria, w, strict=True):
            v = float(eng.grid(crit.layer)[r, c])
            m = float(membership(crit, np.array([v]))[0])
            members.append(m)
            readings.append(
                CriterionReading(crit.layer, _num(v), _num(m), round(float(wi), 4), crit.rationale)
            )
        exclusions = self._exclusions(profile.id, r, c, constraints)
        m_arr = np.array(members)
        if not np.isfinite(m_arr).all():
            score: float | None = None
            limiting = None
        else:
            score = 0.0 if exclusions else float(combine(m_arr, w, profile.method))
            shortfall = w * (1.0 - m_arr)
            limiting = (
                profile.criteria[int(np.argmax(shortfall))].layer if shortfall.max() > 0 else None
            )
        lu_code = int(eng.cells.land_use[r, c])
        cx, cy = x, y
        lon_, lat_ = self._to_wgs84.transform(cx, cy)
        comm_id, comm_name = self._unit("communities", r, c)
        ws_id, ws_name = self._unit("watersheds", r, c)
        near_id, near_m = self._nearest_site(x, y)
        slope = eng.grid("slope_pct")[r, c] if eng.reg.has("elevation") else np.nan
        return SiteEvaluation(
            intervention=profile.id,
            lon=round(float(lon_), 6),
            lat=round(float(lat_), 6),
            x=round(cx, 1),
            y=round(cy, 1),
            score=None if score is None else round(score, 3),
            suitability_class="" if score is None else str(suitability_class(np.array(score))),
            exclusions=tuple(exclusions),
            criteria=tuple(readings),
            limiting_criterion=limiting,
            community_id=comm_id,
            community_name=comm_name,
            watershed_id=ws_id,
            watershed_name=ws_name,
            rainfall_annual_mm=_num(eng.grid("rainfall_annual_mm")[r, c]),
            land_use=self._lu_names.get(lu_code),
            slope_pct=_num(slope),
            nearest_site_id=near_id,
            nearest_site_m=near_m,
            water_balance=self._water_balance(comm_id),
        )

    def _exclusions(
        self, intervention_id: str, r: int, c: int, constraints: Collection[str] | None
    ) -> list[str]:
        eng = self.engine
        profile = eng.profile(intervention_id)

        def on(name: str) -> bool:
            return constraints is None or name in constraints

        out = []
        lu = int(eng.cells.land_use[r, c])
        if on("land_use") and lu in profile.exclude_land_use:
            out.append(f"land use '{self._lu_names.get(lu, lu)}' is excluded")
        if on("slope") and profile.max_slope_pct is not None:
            s = float(eng.grid("slope_pct")[r, c])
            if s > profile.max_slope_pct:
                out.append(f"slope {s:.1f} % is above {profile.max_slope_pct:g} %")
        areas = eng.excluded_areas(profile)
        if on("protected") and "protected" in areas and areas["protected"][r, c]:
            out.append("inside a protected area")
        if on("water") and "water" in areas and areas["water"][r, c]:
            out.append(f"closer than {profile.water_buffer_m:g} m to water")
        return out

    def _nearest_site(self, x: float, y: float) -> tuple[str | None, float | None]:
        if self._tree is None:
            return None, None
        d, i = self._tree.query([x, y])
        return str(self._site_ids[int(i)]), round(float(d), 1)

    def _water_balance(self, community_id: str | None) -> dict[str, float]:
        if self._wb is None or community_id is None or community_id not in self._wb.index:
            return {}
        row = self._wb.loc[community_id].to_dict()
        return {k: float(row[k]) for k in WATER_BALANCE_FIELDS if pd.notna(row.get(k))}

    # -- recommendation -----------------------------------------------------------------
    def recommend_sites(
        self,
        intervention_id: str,
        count: int,
        min_spacing_m: float,
        max_per_community: int | None = None,
        min_distance_from_existing_m: float | None = None,
        within: BaseGeometry | None = None,
        within_crs: str | int | CRS = 4326,
        weights: Sequence[float] | None = None,
        constraints: Collection[str] | None = None,
    ) -> list[SiteEvaluation]:
        """Ranked sites, best first, that respect every constraint.

        Parameters
        ----------
        intervention_id : str
        count : int
            Sites wanted (fewer are returned when the allowed land runs out).
        min_spacing_m : float
            No two sites closer than this.
        max_per_community : int, optional
            At most this many sites in one community.
        min_distance_from_existing_m : float, optional
            No site closer than this to an existing project site.
        within : shapely geometry, optional
            Only inside this area (coordinates in ``within_crs``).
        weights : sequence of float, optional
            Criterion weights (the profile's when omitted).
        constraints : collection of str, optional
            Constraints that apply (all of the profile's when omitted).
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        if min_spacing_m < 0:
            raise ValueError("min_spacing_m must be zero or more")
        if max_per_community is not None and max_per_community < 1:
            raise ValueError("max_per_community must be at least 1")
        eng = self.engine
        model = eng.model(intervention_id)
        grid = eng.reg.grid
        cand = _ranking_grid(
            model.grid(weights, constraints), model, model.allowed_for(constraints), grid.shape
        )
        inside = None
        if within is not None:
            area = within
            if CRS.from_user_input(within_crs) != eng.reg.crs:
                tr = Transformer.from_crs(within_crs, eng.reg.crs, always_xy=True)
                area = shapely.transform(
                    within, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
                )
            mask = features.rasterize(
                [(area, 1)], out_shape=grid.shape, transform=grid.transform, fill=0
            ).astype(bool)
            cand[~mask] = -np.inf
            inside = shapely.prepared.prep(area)
        if min_distance_from_existing_m:
            for sx, sy in self._site_xy:
                self._clear_disk(cand, sx, sy, min_distance_from_existing_m)
        labels = eng.labels["communities"].first
        per_unit: dict[int, int] = {}
        picks: list[SiteEvaluation] = []
        t = grid.transform
        while len(picks) < count:
            i = int(np.argmax(cand))
            if not np.isfinite(cand.flat[i]):
                break
            r, c = divmod(i, grid.shape[1])
            x, y = t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e
            if inside is not None and not inside.contains(shapely.Point(x, y)):
                cand[r, c] = -np.inf  # centre on the area's edge: rasterized in, not inside
                continue
            ev = self.evaluate_site(
                intervention_id, x, y, crs=eng.reg.crs, weights=weights, constraints=constraints
            )
            picks.append(_ranked(ev, len(picks) + 1))
            cand[r, c] = -np.inf
            self._clear_disk(cand, x, y, min_spacing_m)
            lab = int(labels[r, c])
            per_unit[lab] = per_unit.get(lab, 0) + 1
            if max_per_community is not None and per_unit[lab] >= max_per_community:
                cand[labels == lab] = -np.inf
        return picks

    def _clear_disk(self, cand: np.ndarray, x: float, y: float, radius_m: float) -> None:
        """Remove every cell whose centre is closer than ``radius_m`` to (x, y)."""
        if radius_m <= 0:
            return
        t = self.engine.reg.grid.transform
        res = self.engine.reg.grid.res_m
        col, row = ~t * (x, y)
        k = int(np.ceil(radius_m / res)) + 1
        r0, r1 = max(0, int(row) - k), min(cand.shape[0], int(row) + k + 1)
        c0, c1 = max(0, int(col) - k), min(cand.shape[1], int(col) + k + 1)
        if r0 >= r1 or c0 >= c1:
            return
        yy = t.f + (np.arange(r0, r1) + 0.5) * t.e
        xx = t.c + (np.arange(c0, c1) + 0.5) * t.a
        d2 = (yy[:, None] - y) ** 2 + (xx[None, :] - x) ** 2
        window = cand[r0:r1, c0:c1]
        window[d2 < radius_m**2] = -np.inf


def _ranking_grid(
    score_grid: np.ndarray, model: SuitabilityModel, allowed: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Ranking key per cell: the score, ties broken by the 7 x 7 neighbourhood mean score.

    Many cells reach the top score; among (near-)equals the one surrounded by suitable land
    wins (and the grid edge loses), instead of whichever comes first in row order. The
    neighbourhood adds at most 0.001, so it never outranks a real score difference.
    Excluded and zero-score cells are -inf (never picked).
    """
    filled = np.nan_to_num(score_grid, nan=0.0)
    focal = ndimage.uniform_filter(filled, size=TIE_WINDOW_CELLS, mode="constant")
    key = (filled + TIE_WEIGHT * focal).astype(np.float32).ravel()
    ok = np.zeros(key.size, dtype=bool)
    ok[model.cells[allowed]] = True
    ok &= filled.ravel() > 0
    key[~ok] = -np.inf
    return key.reshape(shape)


def _ranked(ev: SiteEvaluation, rank: int) -> SiteEvaluation:
    return replace(ev, rank=rank)


def open_planner(region_dir: str | Path) -> SitePlanner:
    """A planner for a region: processes it first when results are missing or stale."""
    out = process_region(region_dir)
    store = ResultsStore(out)
    reg = LayerRegistry(load_region(region_dir))
    return SitePlanner(build_engine(reg, results=store), store.summary("communities"))
