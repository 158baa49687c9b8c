"""An intervention's suitability, precomputed so that a change of weights is cheap.

Each criterion's membership is evaluated once over the region's valid cells; a score for
new weights is then one weighted sum (or geometric mean) over a ``(criteria, cells)``
array, and a community ranking one ``bincount`` over the cells' community labels.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from layers.config import CriterionConfig, InterventionConfig
from processing.hru import SOIL_GROUPS
from processing.kernels.ecocrop import trapezoid
from processing.kernels.suitability import (
    ahp_weights,
    class_lookup,
    combine,
    decreasing,
    increasing,
    normalise_weights,
)
from processing.unit_labels import UnitLabels


def membership(criterion: CriterionConfig, values: np.ndarray) -> np.ndarray:
    """Membership 0..1 of a criterion's values (NaN stays NaN)."""
    p = criterion.params
    if criterion.function == "trapezoid":
        return trapezoid(values, p[0], p[1], p[2], p[3])
    if criterion.function == "increasing":
        return increasing(values, p[0], p[1])
    if criterion.function == "decreasing":
        return decreasing(values, p[0], p[1])
    if criterion.layer == "soil_hsg":
        scores = {
            SOIL_GROUPS.index(k.upper()): v
            for k, v in criterion.classes.items()
            if k.upper() in SOIL_GROUPS
        }
    else:
        scores = {int(k): v for k, v in criterion.classes.items()}
    out = class_lookup(np.nan_to_num(values, nan=-1).astype(np.int64), scores)
    return np.where(np.isnan(values), np.nan, out)


def profile_weights(profile: InterventionConfig) -> np.ndarray:
    """The profile's weights: from its AHP matrix when given, else its criterion weights."""
    if profile.ahp is not None:
        return ahp_weights(profile.ahp).weights
    return normalise_weights([c.weight for c in profile.criteria])


@dataclass(frozen=True)
class SuitabilityModel:
    """Precomputed memberships of one intervention over a region's cells.

    Attributes
    ----------
    profile : InterventionConfig
    memberships : numpy.ndarray
        ``(criteria, cells)`` float32 over the cells inside the region with data.
    cells : numpy.ndarray
        Flat indexes of those cells in the grid.
    allowed : numpy.ndarray
        bool per cell: False where a constraint excludes the intervention (score 0).
    blocked : mapping
        Constraint name (``land_use``, ``slope``, ``protected``, ``water``) -> bool per cell,
        True where that constraint alone excludes the cell; lets a designer switch
        constraints off (``constraints=`` below) without rebuilding the model.
    labels : numpy.ndarray
        ``(groups, cells)``: per group of non-overlapping communities, the community label
        of each cell (1..n_units, 0 when no community of that group holds it).
    n_units : int
    shape : tuple of int
        Grid shape.
    """

    profile: InterventionConfig
    memberships: np.ndarray
    cells: np.ndarray
    allowed: np.ndarray
    labels: np.ndarray
    n_units: int
    shape: tuple[int, int]
    blocked: Mapping[str, np.ndarray] = field(default_factory=dict)

    def allowed_for(self, constraints: Collection[str] | None = None) -> np.ndarray:
        """Cells allowed when only ``constraints`` apply (all of the profile's when None)."""
        if constraints is None:
            return self.allowed
        out = np.ones(self.cells.size, dtype=bool)
        for name in constraints:
            if name in self.blocked:
                out &= ~self.blocked[name]
        return out

    def scores(
        self,
        weights: Sequence[float] | np.ndarray | None = None,
        constraints: Collection[str] | None = None,
        subset: np.ndarray | None = None,
    ) -> np.ndarray:
        """Score 0..1 of every cell for the given weights (the profile's when omitted).

        ``subset``: positions in :attr:`cells` of the only cells to score (all when None).
        """
        n = len(self.profile.criteria)
        if weights is not None and len(weights) != n:
            raise ValueError(
                f"intervention '{self.profile.id}' has {n} criteria, got {len(weights)} weights"
            )
        w = profile_weights(self.profile) if weights is None else normalise_weights(weights)
        members = self.memberships if subset is None else self.memberships[:, subset]
        allowed = self.allowed_for(constraints)
        allowed = allowed if subset is None else allowed[subset]
        s = combine(members, w, self.profile.method).astype(np.float32)
        return np.where(allowed, s, np.float32(0.0))

    def grid(
        self,
        weights: Sequence[float] | np.ndarray | None = None,
        constraints: Collection[str] | None = None,
    ) -> np.ndarray:
        """Score grid (NaN outside the region or where data is missing)."""
        return self.to_grid(self.scores(weights, constraints))

    def to_grid(self, scores: np.ndarray) -> np.ndarray:
        """Scores of the model's cells (from :meth:`scores`) placed on the grid, NaN elsewhere."""
        out = np.full(self.shape[0] * self.shape[1], np.nan, dtype=np.float32)
        out[self.cells] = scores
        return out.reshape(self.shape)

    def unit_means(
        self,
        weights: Sequence[float] | np.ndarray | None = None,
        constraints: Collection[str] | None = None,
    ) -> np.ndarray:
        """Mean score of each community (index 0 = label 1); NaN for a community without cells."""
        s = self.scores(weights, constraints)
        m = self.n_units + 1
        total = np.sum([np.bincount(g, weights=s, minlength=m) for g in self.labels], axis=0)[1:]
        count = np.sum([np.bincount(g, minlength=m) for g in self.labels], axis=0)[1:]
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / count


def build_model(
    profile: InterventionConfig,
    criteria: Mapping[str, np.ndarray],
    land_use: np.ndarray,
    slope_pct: np.ndarray | None,
    unit_labels: UnitLabels,
    excluded: Mapping[str, np.ndarray] | np.ndarray | None = None,
) -> SuitabilityModel:
    """Evaluate every criterion once and apply the profile's constraints.

    Parameters
    ----------
    profile : InterventionConfig
    criteria : mapping
        Criterion layer name to grid (see :func:`processing.criteria.criterion_grid`).
    land_use : numpy.ndarray
        Land-use codes (for ``exclude_land_use``).
    slope_pct : numpy.ndarray or None
        Slope grid (for ``max_slope_pct``).
    unit_labels : UnitLabels
        The communities' label grids: only cells inside a community are scored.
    excluded : mapping or numpy.ndarray, optional
        bool grids of cells excluded by area constraints, by name (``protected``,
        ``water``), or one grid (named ``area``).
    """
    grids = [criteria[c.layer].ravel() for c in profile.criteria]
    finite = np.logical_and.reduce([np.isfinite(g) for g in grids]) & unit_labels.inside.ravel()
    cells = np.flatnonzero(finite)
    members = np.stack(
        [membership(c, g[cells]) for c, g in zip(profile.criteria, grids, strict=True)]
    ).astype(np.float32)
    blocked: dict[str, np.ndarray] = {}
    if profile.exclude_land_use:
        blocked["land_use"] = np.isin(land_use.ravel()[cells], profile.exclude_land_use)
    if profile.max_slope_pct is not None and slope_pct is not None:
        blocked["slope"] = slope_pct.ravel()[cells] > profile.max_slope_pct
    areas = {"area": excluded} if isinstance(excluded, np.ndarray) else dict(excluded or {})
    for name, grid in areas.items():
        blocked[name] = grid.ravel()[cells].astype(bool)
    allowed = np.ones(cells.size, dtype=bool)
    for mask in blocked.values():
        allowed &= ~mask
    labels = np.stack(unit_labels.cell_units(cells))
    return SuitabilityModel(
        profile, members, cells, allowed, labels, unit_labels.n_units, unit_labels.shape, blocked
    )
