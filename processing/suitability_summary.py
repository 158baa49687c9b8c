"""Suitability of an intervention summarised per community or watershed.

Per unit: mean score (excluded cells count as 0), area (ha) and share (%) per class
S1/S2/S3/N (thresholds in :data:`processing.suitability.CLASS_LIMITS`), the area excluded
by constraints, the best location (cell centre of the highest score) and the limiting
criterion: the one with the largest mean weighted shortfall ``w (1 - m)`` over the unit's
allowed cells.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd
from pyproj import Transformer

from processing.suitability import CLASS_LIMITS, normalise_weights
from processing.suitability_engine import SuitabilityEngine
from processing.suitability_model import profile_weights

CLASSES = ("S1", "S2", "S3", "N")


def _class_index(scores: np.ndarray) -> np.ndarray:
    """0 for S1, 1 for S2, 2 for S3, 3 for N."""
    idx = np.full(scores.shape, 3, dtype=np.int64)
    for i, name in reversed(list(enumerate(CLASSES[:3]))):
        idx[scores >= CLASS_LIMITS[name]] = i
    return idx


def unit_suitability(
    engine: SuitabilityEngine,
    intervention_id: str,
    level: str = "communities",
    weights: Sequence[float] | None = None,
    with_best: bool = True,
    labels: np.ndarray | None = None,
    unit_ids: np.ndarray | None = None,
    constraints: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per unit of ``level`` with the intervention's suitability summary.

    ``with_best=False`` leaves out the best-cell columns (a sort of every cell: the slowest
    part), for interactive re-ranking. ``labels`` and ``unit_ids`` summarise other units
    than the engine's levels (e.g. a drawn area: a label grid of 1s and one id);
    ``constraints`` names the constraints that apply (all of the profile's when None).

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
    n = len(ids)
    grid_labels = engine.labels[level] if labels is None else labels
    lab = grid_labels.ravel()[model.cells]
    scores = model.scores(w, constraints).astype(np.float64)
    allowed = model.allowed_for(constraints)
    count = np.bincount(lab, minlength=n + 1)[1:].astype(np.float64)
    ha = engine.cell_ha
    out = pd.DataFrame({"unit_id": ids, "intervention": profile.id})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_score"] = np.round(
            np.bincount(lab, weights=scores, minlength=n + 1)[1:] / count, 3
        )
        klass = _class_index(scores)
        per_class = np.bincount(lab * 4 + klass, minlength=(n + 1) * 4).reshape(n + 1, 4)[1:]
        for i, name in enumerate(CLASSES):
            k_ha = per_class[:, i] * ha
            out[f"{name}_ha"] = np.round(k_ha, 1)
            out[f"{name}_pct"] = np.round(100 * k_ha / (count * ha), 1)
        excluded = np.bincount(lab[~allowed], minlength=n + 1)[1:] * ha
    out["excluded_ha"] = np.round(excluded, 1)
    if with_best:
        out = pd.concat([out, _best_cells(engine, model.cells, lab, scores, n)], axis=1)
    layers = [c.layer for c in profile.criteria]
    out["limiting_criterion"] = _limiting(model.memberships, allowed, lab, w, n, layers)
    return out


def _best_cells(
    engine: SuitabilityEngine, cells: np.ndarray, lab: np.ndarray, scores: np.ndarray, n: int
) -> pd.DataFrame:
    order = np.lexsort((-scores, lab))  # by unit, best score first
    lab_sorted = lab[order]
    first = np.searchsorted(lab_sorted, np.arange(1, n + 1))
    has = (first < lab_sorted.size) & (
        lab_sorted[np.minimum(first, lab_sorted.size - 1)] == np.arange(1, n + 1)
    )
    pick = order[np.minimum(first, order.size - 1)]
    width = engine.reg.grid.shape[1]
    rows, cols = np.divmod(cells[pick], width)
    t = engine.reg.grid.transform
    x = t.c + (cols + 0.5) * t.a
    y = t.f + (rows + 0.5) * t.e
    lon, lat = Transformer.from_crs(engine.reg.crs, 4326, always_xy=True).transform(x, y)
    nan = np.nan
    return pd.DataFrame(
        {
            "best_score": np.where(has, np.round(scores[pick], 3), nan),
            "best_x": np.where(has, np.round(x, 1), nan),
            "best_y": np.where(has, np.round(y, 1), nan),
            "best_lon": np.where(has, np.round(lon, 6), nan),
            "best_lat": np.where(has, np.round(lat, 6), nan),
        }
    )


def _limiting(
    members: np.ndarray,
    allowed: np.ndarray,
    lab: np.ndarray,
    w: np.ndarray,
    n: int,
    layers: Sequence[str],
) -> list[str]:
    lab_ok = np.where(allowed, lab, 0)
    shortfall = np.stack(
        [
            np.bincount(lab_ok, weights=wi * (1.0 - m.astype(np.float64)), minlength=n + 1)[1:]
            for wi, m in zip(w, members, strict=True)
        ]
    )
    has_allowed = np.bincount(lab_ok, minlength=n + 1)[1:] > 0
    has_any = np.bincount(lab, minlength=n + 1)[1:] > 0
    pick = np.argmax(shortfall, axis=0)
    none_short = shortfall.max(axis=0) <= 0
    return [
        ("" if perfect else layers[k]) if ok else ("constraints" if any_ else "")
        for k, ok, any_, perfect in zip(pick, has_allowed, has_any, none_short, strict=True)
    ]
