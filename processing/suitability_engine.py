"""A region's suitability engine: criterion grids, unit labels and constraints built once.

One engine per region and process (the dashboard keeps one per app, the CLI one per run);
each intervention's :class:`~processing.suitability_model.SuitabilityModel` is built on
first use and reused for every change of weights, site evaluation and recommendation.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio import features

from layers.config import InterventionConfig
from layers.registry import LayerRegistry
from processing.criteria import RESULT_CRITERIA, criterion_grid, distance_m
from processing.grids import CellInputs, cell_inputs
from processing.results_store import ResultsStore
from processing.suitability_model import SuitabilityModel, build_model
from processing.unit_labels import UnitLabels, overlap_groups, rasterize_units

WATER_WORDS = ("water", "wetland", "river", "lake", "reservoir")


def unit_labels(units: gpd.GeoDataFrame, reg: LayerRegistry) -> np.ndarray:
    """Label grid of polygons (1..n in row order, 0 outside), cell-centre rule."""
    return features.rasterize(
        ((g, i + 1) for i, g in enumerate(units.geometry) if g is not None and not g.is_empty),
        out_shape=reg.grid.shape,
        transform=reg.grid.transform,
        dtype=np.int32,
    )


def level_labels(units: gpd.GeoDataFrame, reg: LayerRegistry) -> UnitLabels:
    """The label grids of a level's units on the whole grid (overlapping units in groups)."""
    geoms = units.geometry
    groups = overlap_groups(geoms, reg.grid.transform, reg.grid.shape)
    return rasterize_units(geoms, groups, reg.grid.transform, reg.grid.shape)


def water_codes(lu_table: pd.DataFrame) -> list[int]:
    """Land-use codes whose class name says water (open water, wetland, river, ...)."""
    names = lu_table["name"].astype(str).str.lower()
    return [int(str(c)) for c, n in names.items() if any(w in n for w in WATER_WORDS)]


def water_cells(reg: LayerRegistry, land_use: np.ndarray) -> np.ndarray:
    """Cells whose land-use class name says water (see :func:`water_codes`)."""
    return np.isin(land_use, water_codes(reg.class_table("land_use")))


@dataclass
class SuitabilityEngine:
    """Everything the suitability functions need for one region.

    Attributes
    ----------
    reg : LayerRegistry
    cells : CellInputs
    grids : dict
        Criterion layer name -> grid in the layer's units (built on demand).
    labels : dict
        ``"communities"`` / ``"watersheds"`` -> the level's label grids (a unit counts
        every cell whose centre it contains, overlapping units included).
    unit_ids, unit_names : dict
        Level -> array of ids / names per label (index 0 = label 1).
    results : mapping
        Result rasters by variable (``deficit``, ``runoff``, ...), mm/yr.
    """

    reg: LayerRegistry
    cells: CellInputs
    labels: dict[str, UnitLabels]
    unit_ids: dict[str, np.ndarray]
    unit_names: dict[str, np.ndarray]
    results: Mapping[str, np.ndarray] | None
    grids: dict[str, np.ndarray] = field(default_factory=dict)
    _models: dict[str, SuitabilityModel] = field(default_factory=dict)
    _masks: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def interventions(self) -> list[InterventionConfig]:
        """The region's intervention profiles, in config order."""
        return list(self.reg.region.config.interventions)

    @property
    def cell_ha(self) -> float:
        """Area of one cell, hectares."""
        return float(self.reg.grid.res_m) ** 2 / 1e4

    def profile(self, intervention_id: str) -> InterventionConfig:
        """The profile with this id.

        Raises
        ------
        KeyError
            With the known ids and the closest match.
        """
        ids = [iv.id for iv in self.interventions]
        for iv in self.interventions:
            if iv.id == intervention_id:
                return iv
        close = difflib.get_close_matches(intervention_id, ids, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise KeyError(
            f"unknown intervention '{intervention_id}'{hint}; the region has: {', '.join(ids)}"
        )

    def grid(self, name: str) -> np.ndarray:
        """A criterion layer on the working grid (built once)."""
        if name not in self.grids:
            self.grids[name] = criterion_grid(name, self.reg, self.cells, self.results)
        return self.grids[name]

    def with_climate(
        self, rainfall_annual_mm: np.ndarray, results: Mapping[str, np.ndarray]
    ) -> SuitabilityEngine:
        """The same engine under another climate: its annual rain and result rasters.

        The criteria that depend on the climate (``rainfall_annual_mm`` and the result
        criteria of :data:`processing.criteria.RESULT_CRITERIA`) take the new grids; every
        other criterion grid, label and area constraint is shared with this engine.
        """
        climatic = {"rainfall_annual_mm", *RESULT_CRITERIA}
        grids = {k: v for k, v in self.grids.items() if k not in climatic}
        grids["rainfall_annual_mm"] = np.asarray(rainfall_annual_mm, dtype=np.float64)
        return SuitabilityEngine(
            reg=self.reg,
            cells=self.cells,
            labels=self.labels,
            unit_ids=self.unit_ids,
            unit_names=self.unit_names,
            results=results,
            grids=grids,
            _masks=self._masks,
        )

    def _mask(self, key: str) -> np.ndarray:
        if key not in self._masks:
            if key == "protected":
                pa = self.reg.protected_areas
                self._masks[key] = (
                    np.zeros(self.reg.grid.shape, bool)
                    if pa is None
                    else unit_labels(pa, self.reg) > 0
                )
            else:  # distance to water, metres
                water = water_cells(self.reg, self.cells.land_use)
                self._masks[key] = distance_m(water, self.reg.grid.res_m)
        return self._masks[key]

    def excluded_areas(self, profile: InterventionConfig) -> dict[str, np.ndarray]:
        """Cells excluded by the profile's area constraints, by name (protected, water)."""
        out: dict[str, np.ndarray] = {}
        if profile.exclude_protected and self.reg.protected_areas is not None:
            out["protected"] = self._mask("protected")
        if profile.water_buffer_m:
            out["water"] = self._mask("water_distance") < profile.water_buffer_m
        return out

    def excluded(self, profile: InterventionConfig) -> np.ndarray:
        """Cells excluded by any of the profile's area constraints."""
        out = np.zeros(self.reg.grid.shape, bool)
        for mask in self.excluded_areas(profile).values():
            out |= mask
        return out

    def model(self, intervention_id: str) -> SuitabilityModel:
        """The precomputed model of an intervention (built on first use)."""
        if intervention_id not in self._models:
            iv = self.profile(intervention_id)
            crit: dict[str, np.ndarray] = {c.layer: self.grid(c.layer) for c in iv.criteria}
            slope = self.grid("slope_pct") if iv.max_slope_pct is not None else None
            self._models[intervention_id] = build_model(
                iv,
                crit,
                self.cells.land_use,
                slope,
                self.labels["communities"],
                excluded=self.excluded_areas(iv),
            )
        return self._models[intervention_id]


def build_engine(
    reg: LayerRegistry,
    cells: CellInputs | None = None,
    results: Mapping[str, np.ndarray] | ResultsStore | None = None,
) -> SuitabilityEngine:
    """The suitability engine of a region.

    Parameters
    ----------
    reg : LayerRegistry
    cells : CellInputs, optional
        Reused when the caller has them (``landwater process``); built otherwise.
    results : mapping or ResultsStore, optional
        Result rasters (mm/yr) for the water-balance criteria, in memory or from a store.
    """
    if isinstance(results, ResultsStore):
        results = results.rasters()
    labels: dict[str, UnitLabels] = {}
    ids: dict[str, np.ndarray] = {}
    names: dict[str, np.ndarray] = {}
    for level in ("communities", "watersheds"):
        units = reg.units(level)
        if units is None:
            continue
        labels[level] = level_labels(units, reg)
        ids[level] = units["id"].to_numpy()
        names[level] = units["name"].to_numpy()
    return SuitabilityEngine(
        reg=reg,
        cells=cells if cells is not None else cell_inputs(reg),
        labels=labels,
        unit_ids=ids,
        unit_names=names,
        results=results,
    )
