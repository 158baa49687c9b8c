"""Suitability of an intervention summarised per community or watershed.

Per unit: mean score (excluded cells count as 0), area (ha) and share (%) per class
S1/S2/S3/N (thresholds in :data:`processing.kernels.suitability.CLASS_LIMITS`), the area excluded
by constraints, the best location (cell centre of the highest score) and the limiting
criterion: the one with the largest mean weighted shortfall ``w (1 - m)`` over the unit's
allowed cells.

Everything is a per-unit sum (:class:`SuitabilitySums`), so the block-wise pipeline adds
the sums of its strips and writes the same table as the whole grid gives.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from layers.grid import Grid
from processing.kernels.per_label import best_per_label, quantized_label_sums
from processing.kernels.suitability import CLASS_LIMITS, normalise_weights
from processing.suitability_engine import SuitabilityEngine
from processing.suitability_model import profile_weights
from processing.unit_labels import SUM_QUANTUM, UnitLabels

CLASSES = ("S1", "S2", "S3", "N")


def _class_index(scores: np.ndarray) -> np.ndarray:
    """0 for S1, 1 for S2, 2 for S3, 3 for N."""
    idx = np.full(scores.shape, 3, dtype=np.int64)
    for i, name in reversed(list(enumerate(CLASSES[:3]))):
        idx[scores >= CLASS_LIMITS[name]] = i
    return idx


@dataclass(frozen=True)
class SuitabilitySums:
    """Per-unit sums of one intervention's cell scores (index 0: cells outside every unit).

    Attributes
    ----------
    count, score, excluded, allowed : numpy.ndarray
        ``(units + 1,)``: cells with a score, sum of their scores, cells excluded by a
        constraint, cells allowed.
    classes : numpy.ndarray
        ``(units + 1, 4)`` cells per class S1, S2, S3, N.
    shortfall : numpy.ndarray
        ``(criteria, units + 1)`` sum of ``w (1 - m)`` over the allowed cells.
    best_score, best_cell : numpy.ndarray
        ``(units + 1,)`` the highest score (-inf when none) and the flat grid index of its
        cell (the lowest index among equal scores).
    """

    count: np.ndarray
    score: np.ndarray
    classes: np.ndarray
    excluded: np.ndarray
    allowed: np.ndarray
    shortfall: np.ndarray
    best_score: np.ndarray
    best_cell: np.ndarray

    @classmethod
    def of_cells(
        cls,
        lab: np.ndarray,
        cells: np.ndarray,
        scores: np.ndarray,
        allowed: np.ndarray,
        members: np.ndarray,
        weights: np.ndarray,
        n: int,
    ) -> SuitabilitySums:
        """Sums over some cells of ``n`` units.

        Per cell: unit label (0 outside), flat grid index, score (float64), allowed, and
        memberships ``(criteria, cells)``; ``weights`` of the criteria.
        """
        m = n + 1
        count = np.bincount(lab, minlength=m).astype(np.float64)
        per_class = np.bincount(lab * 4 + _class_index(scores), minlength=m * 4).reshape(m, 4)
        lab_ok = np.where(allowed, lab, 0)
        gaps = np.asarray(weights, dtype=np.float64)[:, None] * (1.0 - members.astype(np.float64))
        shortfall = quantized_label_sums(gaps, lab_ok, m, SUM_QUANTUM)
        best_score, best_cell = best_per_label(lab, scores, cells, m)
        return cls(
            count=count,
            score=quantized_label_sums(scores, lab, m, SUM_QUANTUM),
            classes=per_class.astype(np.float64),
            excluded=np.bincount(lab[~allowed], minlength=m).astype(np.float64),
            allowed=np.bincount(lab_ok, minlength=m).astype(np.float64),
            shortfall=shortfall,
            best_score=best_score,
            best_cell=best_cell,
        )

    @classmethod
    def empty(cls, n: int, criteria: int) -> SuitabilitySums:
        """The sums of no cell (a level no strip touches)."""
        none = np.zeros(0, np.int64)
        return cls.of_cells(
            none, none, none.astype(float), none.astype(bool), np.zeros((criteria, 0)),
            np.ones(criteria), n,
        )  # fmt: skip

    def __add__(self, other: SuitabilitySums) -> SuitabilitySums:
        """The sums of both sets of cells (the best cell: higher score, then lower index)."""
        theirs = (other.best_score > self.best_score) | (
            (other.best_score == self.best_score)
            & (other.best_cell >= 0)
            & ((self.best_cell < 0) | (other.best_cell < self.best_cell))
        )
        added = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if not f.name.startswith("best_")
        }
        return SuitabilitySums(
            **added,
            best_score=np.where(theirs, other.best_score, self.best_score),
            best_cell=np.where(theirs, other.best_cell, self.best_cell),
        )

    def table(
        self,
        unit_ids: np.ndarray,
        intervention_id: str,
        layers: Sequence[str],
        grid: Grid,
        crs: CRS,
        with_best: bool = True,
    ) -> pd.DataFrame:
        """The summary table (see :func:`unit_suitability`); coordinates on ``grid``."""
        ha = float(grid.res_m) ** 2 / 1e4
        count = self.count[1:]
        out = pd.DataFrame({"unit_id": unit_ids, "intervention": intervention_id})
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mean_score"] = np.round(self.score[1:] / count, 3)
            for i, name in enumerate(CLASSES):
                k_ha = self.classes[1:, i] * ha
                out[f"{name}_ha"] = np.round(k_ha, 1)
                out[f"{name}_pct"] = np.round(100 * k_ha / (count * ha), 1)
        out["excluded_ha"] = np.round(self.excluded[1:] * ha, 1)
        if with_best:
            out = pd.concat([out, self._best(grid, crs)], axis=1)
        out["limiting_criterion"] = self._limiting(layers)
        return out

    def _best(self, grid: Grid, crs: CRS) -> pd.DataFrame:
        has = self.count[1:] > 0
        rows, cols = np.divmod(np.maximum(self.best_cell[1:], 0), grid.width)
        t = grid.transform
        x = t.c + (cols + 0.5) * t.a
        y = t.f + (rows + 0.5) * t.e
        lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(x, y)
        nan = np.nan
        return pd.DataFrame(
            {
                "best_score": np.where(has, np.round(self.best_score[1:], 3), nan),
                "best_x": np.where(has, np.round(x, 1), nan),
                "best_y": np.where(has, np.round(y, 1), nan),
                "best_lon": np.where(has, np.round(lon, 6), nan),
                "best_lat": np.where(has, np.round(lat, 6), nan),
            }
        )

    def _limiting(self, layers: Sequence[str]) -> list[str]:
        shortfall = self.shortfall[:, 1:]
        pick = np.argmax(shortfall, axis=0)
        none_short = shortfall.max(axis=0) <= 0
        return [
            ("" if perfect else layers[k]) if ok else ("constraints" if any_ else "")
            for k, ok, any_, perfect in zip(
                pick, self.allowed[1:] > 0, self.count[1:] > 0, none_short, strict=True
            )
        ]


def unit_suitability(
    engine: SuitabilityEngine,
    intervention_id: str,
    level: str = "communities",
    weights: Sequence[float] | None = None,
    with_best: bool = True,
    labels: UnitLabels | None = None,
    unit_ids: np.ndarray | None = None,
    constraints: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per unit of ``level`` with the intervention's suitability summary.

    ``with_best=False`` leaves out the best-cell columns, for interactive re-ranking.
    ``labels`` and ``unit_ids`` summarise other units than the engine's levels (e.g. a
    drawn area: one label grid of 1s and one id); ``constraints`` names the constraints that
    apply (all of the profile's when None).

    Returns
    -------
    pandas.DataFrame
        ``unit_id, intervention, mean_score, S1_ha .. N_ha, S1_pct .. N_pct,
        excluded_ha, best_score, best_x, best_y, best_lon, best_lat, limiting_criterion``;
        coordinates of the best cell in the working CRS and in WGS84.
    """
    model = engine.model(intervention_id)
    profile = model.profile
    w = profile_weights(profile) if weights is None else normalise_weights(weights)
    ids = engine.unit_ids[level] if unit_ids is None else unit_ids
    unit_labels = engine.labels[level] if labels is None else labels
    units = unit_labels.cell_units(model.cells)
    keep = None
    if labels is not None:  # units of their own (an area): the cells outside them add nothing
        keep = np.flatnonzero(np.any(np.stack(units) > 0, axis=0))
        units = [u[keep] for u in units]
    cells = model.cells if keep is None else model.cells[keep]
    members = model.memberships if keep is None else model.memberships[:, keep]
    scores = model.scores(w, constraints, keep).astype(np.float64)
    allowed = model.allowed_for(constraints)
    allowed = allowed if keep is None else allowed[keep]
    parts = (
        SuitabilitySums.of_cells(unit, cells, scores, allowed, members, w, len(ids))
        for unit in units
    )
    sums = functools.reduce(operator.add, parts)
    layers = [c.layer for c in profile.criteria]
    return sums.table(ids, profile.id, layers, engine.reg.grid, engine.reg.crs, with_best)
