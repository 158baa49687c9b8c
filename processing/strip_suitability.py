"""Intervention and crop suitability of one strip of the grid.

Every criterion is computed on the strip alone, except where a cell depends on its
neighbours: the slope reads one more DEM row above and below, and a distance reads the
features within the criterion's :func:`~processing.criteria.constant_beyond_m` of the
strip (beyond it the membership no longer changes, so a nearer feature outside the halo
could not change a score). Water buffers read the land use within the buffer. With those
halos every cell gets the membership the whole grid gives it; the per-unit sums of the
strips (:class:`~processing.suitability_summary.SuitabilitySums`,
:class:`~processing.crop_suitability.CropSums`) then add up to the whole grid's tables.

EcoCrop samples the climate every ``step`` rows (see
:func:`~processing.crop_suitability.sample_climate`), so strips start on multiples of it.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from rasterio import features
from rasterio.windows import transform as window_transform

from layers.align import GridSource
from layers.config import CropConfig, InterventionConfig
from layers.registry import LayerRegistry
from processing.criteria import (
    DISTANCE_CRITERIA,
    RESULT_CRITERIA,
    CellCriteria,
    constant_beyond_m,
    criterion_problem,
    criterion_values,
    distance_m,
)
from processing.crop_suitability import (
    CropSums,
    best_score_grid,
    climate_step,
    crop_monthly,
    sample_climate,
)
from processing.crops import region_crops
from processing.grids import LandParameters, calendar_climatology
from processing.strip import Strip
from processing.suitability_engine import water_codes
from processing.suitability_model import build_model, profile_weights
from processing.suitability_summary import SuitabilitySums
from processing.unit_labels import UnitLabels

Summable = np.ndarray | SuitabilitySums | CropSums


@dataclass(frozen=True)
class SuitabilitySpec:
    """What a strip needs for suitability (picklable: configs, sources, vector features).

    Attributes
    ----------
    profiles : list of InterventionConfig
        The profiles the region can compute (see ``skipped`` for the others).
    crops : list of CropConfig
        Empty when the region has no Tmin/Tmax.
    features : dict
        Criterion layer (``distance_to_roads_m`` ...) -> feature geometries (working CRS),
        and ``"protected"`` -> protected-area polygons when a profile excludes them.
    halo_m : dict
        Criterion layer or ``"water"`` -> the distance the strip must see beyond its rows.
    skipped : dict
        ``intervention:<id>`` or ``crops`` -> why it is not computed (as the pipeline says).
    """

    profiles: list[InterventionConfig]
    crops: list[CropConfig]
    dem: GridSource | None
    tmin: GridSource | None
    tmax: GridSource | None
    features: dict[str, gpd.GeoSeries]
    halo_m: dict[str, float]
    water: list[int]
    crop_step: int
    skipped: dict[str, str]

    @property
    def needs_results(self) -> bool:
        """True when a profile scores a water-balance result (runoff, deficit, ...)."""
        return any(c.layer in RESULT_CRITERIA for p in self.profiles for c in p.criteria)

    @property
    def raster_stems(self) -> list[str]:
        """File stems of the score rasters: ``suitability_<id>``, then ``crop_<id>``."""
        return [f"suitability_{p.id}" for p in self.profiles] + [f"crop_{c.id}" for c in self.crops]


def suitability_spec(reg: LayerRegistry) -> SuitabilitySpec:
    """The suitability spec of a region: which profiles and crops, and their halos.

    A profile the region cannot provide, or one with a class lookup on a distance (no halo
    makes its strips exact), is skipped with the reason, as the pipeline skips them.
    """
    cfg = reg.region.config
    skipped: dict[str, str] = {}
    profiles: list[InterventionConfig] = []
    halo_m: dict[str, float] = {}
    for iv in cfg.interventions:
        layers = [c.layer for c in iv.criteria]
        if iv.max_slope_pct is not None:
            layers.append("slope_pct")
        problems = [criterion_problem(layer, reg) for layer in layers]
        if any(problems):
            skipped[f"intervention:{iv.id}"] = next(p for p in problems if p)
            continue
        try:
            halos = {
                c.layer: constant_beyond_m(c) for c in iv.criteria if c.layer in DISTANCE_CRITERIA
            }
        except ValueError as exc:  # classes on a distance: no halo makes strips exact
            skipped[f"intervention:{iv.id}"] = f"{exc} (needed to compute it block-wise)"
            continue
        profiles.append(iv)
        for layer, metres in halos.items():
            halo_m[layer] = max(halo_m.get(layer, 0.0), metres)
        if iv.water_buffer_m:
            halo_m["water"] = max(halo_m.get("water", 0.0), float(iv.water_buffer_m))
    found: dict[str, gpd.GeoSeries] = {}
    for name in halo_m:
        if name in DISTANCE_CRITERIA:
            gdf = reg.roads if name == "distance_to_roads_m" else reg.sites
            assert gdf is not None  # criterion_problem checked it
            found[name] = gdf.geometry
    if any(p.exclude_protected for p in profiles) and reg.protected_areas is not None:
        found["protected"] = reg.protected_areas.geometry
    has_climate = reg.has("tmin") and reg.has("tmax")
    if not has_climate:
        skipped["crops"] = "EcoCrop needs [layers.tmin] and [layers.tmax]"
    return SuitabilitySpec(
        profiles=profiles,
        crops=region_crops(cfg) if has_climate else [],
        dem=reg.source("elevation") if reg.has("elevation") else None,
        tmin=reg.source("tmin") if has_climate else None,
        tmax=reg.source("tmax") if has_climate else None,
        features=found,
        halo_m=halo_m,
        water=water_codes(reg.class_table("land_use")),
        crop_step=climate_step(reg),
        skipped=skipped,
    )


def strip_criteria(
    spec: SuitabilitySpec,
    strip: Strip,
    lu: np.ndarray,
    land: LandParameters,
    rain12: np.ndarray,
    results: Mapping[str, np.ndarray] | None,
) -> dict[str, np.ndarray]:
    """Every criterion layer the profiles use, on the strip, in the layer's units."""
    names = {c.layer for p in spec.profiles for c in p.criteria}
    if any(p.max_slope_pct is not None for p in spec.profiles):
        names.add("slope_pct")
    cells = CellCriteria(lu, land.hsg_idx, land.awc, rain12, results)
    return {
        name: criterion_values(
            name, strip, cells, spec.dem, spec.features, spec.halo_m.get(name, 0.0)
        )
        for name in sorted(names)
    }


def _excluded_areas(
    spec: SuitabilitySpec, strip: Strip, land_use: GridSource, profile: InterventionConfig
) -> dict[str, np.ndarray]:
    """The strip's cells excluded by the profile's area constraints (protected, water)."""
    out: dict[str, np.ndarray] = {}
    if profile.exclude_protected and "protected" in spec.features:
        window, _ = strip.window()
        t = window_transform(window, strip.grid.transform)
        polys = spec.features["protected"]
        out["protected"] = features.rasterize(
            ((g, 1) for g in polys if g is not None and not g.is_empty),
            out_shape=(strip.rows, strip.grid.width),
            transform=t,
        ).astype(bool)
    if profile.water_buffer_m:
        window, offset = strip.window(strip.halo_rows(spec.halo_m["water"]))
        lu = land_use.read(strip.grid, window)[0]
        dist = distance_m(np.isin(lu, spec.water), strip.grid.res_m)
        out["water"] = strip.crop(dist, offset) < profile.water_buffer_m
    return out


def strip_suitability(
    spec: SuitabilitySpec,
    strip: Strip,
    lu: np.ndarray,
    land: LandParameters,
    land_use: GridSource,
    rain12: np.ndarray,
    results: Mapping[str, np.ndarray] | None,
    labels: Mapping[str, UnitLabels],
    temperatures: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[dict[tuple[str, str, str], Summable], dict[str, np.ndarray]]:
    """The strip's per-unit suitability sums and its score rasters.

    Parameters
    ----------
    lu, land : numpy.ndarray, LandParameters
        The strip's land-use codes and the parameters from them.
    land_use : GridSource
        The land use, read again with a halo for water buffers.
    labels : mapping
        Level -> the strip's unit labels, for the levels with a unit in the strip; the
        interventions are scored on the cells inside a community.
    temperatures : tuple of numpy.ndarray, optional
        The strip's monthly minimum and maximum temperatures when already read (for the
        reference ET); read from ``spec`` otherwise.

    Returns
    -------
    sums : dict
        ``("suitability", <id>, level)`` -> :class:`SuitabilitySums`, ``("crop", <id>,
        level)`` -> :class:`CropSums`, for the levels of ``labels``.
    rasters : dict
        ``suitability_<id>`` and ``crop_<id>`` -> the strip's scores, float32.
    """
    sums: dict[tuple[str, str, str], Summable] = {}
    rasters: dict[str, np.ndarray] = {}
    offset = strip.row0 * strip.grid.width
    found = labels.get("communities")
    community = found if found is not None else UnitLabels((np.zeros(lu.shape, np.int32),), 0)
    if spec.profiles:
        crit = strip_criteria(spec, strip, lu, land, rain12, results)
    for iv in spec.profiles:
        model = build_model(
            iv,
            crit,
            lu,
            crit.get("slope_pct"),
            community,
            excluded=_excluded_areas(spec, strip, land_use, iv),
        )
        w = profile_weights(iv)
        scores = model.scores(w)
        rasters[f"suitability_{iv.id}"] = model.to_grid(scores)
        for level, lab in labels.items():
            parts = (
                SuitabilitySums.of_cells(
                    unit,
                    model.cells + offset,
                    scores.astype(np.float64),
                    model.allowed,
                    model.memberships,
                    w,
                    lab.n_units,
                )
                for unit in lab.cell_units(model.cells)
            )
            sums[("suitability", iv.id, level)] = functools.reduce(operator.add, parts)
    if spec.crops:
        assert spec.tmin is not None and spec.tmax is not None
        window, _ = strip.window()
        if temperatures is None:
            temperatures = (spec.tmin.read(strip.grid, window), spec.tmax.read(strip.grid, window))
        tmin, tmax = temperatures
        climate = sample_climate(
            calendar_climatology(tmin.astype(np.float32), 1),
            calendar_climatology(tmax.astype(np.float32), 1),
            rain12,
            spec.crop_step,
        )
        for crop in spec.crops:
            monthly = crop_monthly(crop, climate)
            rasters[f"crop_{crop.id}"] = best_score_grid(monthly)
            for level, lab in labels.items():
                crop_parts = (CropSums.of_grid(monthly, g, lab.n_units) for g in lab.grids)
                sums[("crop", crop.id, level)] = functools.reduce(operator.add, crop_parts)
    return sums, rasters
