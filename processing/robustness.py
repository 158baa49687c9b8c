"""How robust a community ranking is to the criterion weights (Dirichlet weight perturbation).

The chosen weights ``w`` (normalised, as the designer and the CLI normalise them) are drawn
again ``n_draws`` times from a Dirichlet distribution centred on them,
``Dirichlet(concentration * w)``: each drawn weight has mean ``w_k`` and variance
``w_k (1 - w_k) / (concentration + 1)``, so a larger concentration keeps the draws closer to
the chosen weights. A criterion with weight 0 stays at 0. For every draw the communities are
scored with the designer's own score formula and ranked (1 = best; equal scores keep the
communities' order, as the designer's stable sort does; a community without scored cells
comes last). Per community the table reports the median rank, the 5-95 % rank interval and
the share of draws that rank it in the top N (Butler, Jia & Dyer 1997, "Simulation
techniques for the sensitivity analysis of multi-criteria decision models", European
Journal of Operational Research 103: 531-546).

The score of a community is the mean of its cells' scores, excluded cells counting 0
(:meth:`processing.suitability_model.SuitabilityModel.unit_means`). For the weighted sum
that mean is linear in the weights: ``score = sum_k w_k a_k`` with ``a_k`` the community's
mean of ``allowed * m_k`` over its cells, so a batch of draws costs one product of the
``(communities, criteria)`` mean memberships by the ``(draws, criteria)`` weights. The
weighted geometric mean is not linear in the weights: for it every draw scores every cell
(:func:`geometric_unit_scores`), which is slower but exact.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from processing.kernels.suitability import normalise_weights
from processing.suitability_engine import SuitabilityEngine
from processing.suitability_model import SuitabilityModel, profile_weights
from processing.unit_labels import UnitLabels

DEFAULT_CONCENTRATION = 50.0
DEFAULT_DRAWS = 500
DEFAULT_TOP_N = 10
DEFAULT_SEED = 0
ROBUST_SHARE = 0.8  # top-N probability from which a community counts as robustly in the top N
INTERVAL_PCT = (5.0, 95.0)
BATCH_CELLS = 2_000_000  # draws x cells per batch of the geometric mean (16 MB of float64)

COLUMNS = ("median_rank", "rank_p05", "rank_p95", "top_n_probability")


@dataclass(frozen=True)
class RobustnessSettings:
    """The perturbation a designer asks for.

    Attributes
    ----------
    concentration : float
        Dirichlet concentration (> 0): larger keeps the drawn weights closer to the chosen.
    n_draws : int
        Number of weight draws (>= 1).
    top_n : int
        The N of "probability of being in the top N" (>= 1).
    seed : int
        Seed of the random draws: the same seed gives the same table.
    """

    concentration: float = DEFAULT_CONCENTRATION
    n_draws: int = DEFAULT_DRAWS
    top_n: int = DEFAULT_TOP_N
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        if not (np.isfinite(self.concentration) and self.concentration > 0):
            raise ValueError(
                f"the concentration must be a positive number, got {self.concentration}"
            )
        if self.n_draws < 1:
            raise ValueError(f"the number of draws must be at least 1, got {self.n_draws}")
        if self.top_n < 1:
            raise ValueError(f"top N must be at least 1, got {self.top_n}")


def draw_weights(
    weights: Sequence[float] | np.ndarray, concentration: float, n_draws: int, seed: int
) -> np.ndarray:
    """``(n_draws, criteria)`` weights from ``Dirichlet(concentration * w)``, w normalised.

    Criteria with weight 0 keep weight 0 in every draw (the Dirichlet is over the others);
    each draw is normalised to sum to 1, as the designer normalises weights.

    Raises
    ------
    ValueError
        For negative or all-zero weights (see :func:`normalise_weights`).
    """
    w = normalise_weights(weights)
    on = w > 0
    out = np.zeros((n_draws, w.size))
    rng = np.random.default_rng(seed)
    if on.sum() == 1:
        out[:, on] = 1.0
    else:
        out[:, on] = rng.dirichlet(concentration * w[on], size=n_draws)
    return out / out.sum(axis=1, keepdims=True)


def linear_scores(memberships: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """``(draws, units)`` weighted sums ``sum_k W[d, k] a[u, k]``.

    Summed criterion by criterion, in the order of
    :func:`processing.kernels.suitability.combine`, so a community's score does not depend
    on its position (equal memberships give equal scores, hence the same tie rule).
    """
    a = np.clip(np.asarray(memberships, dtype=np.float64), 0.0, 1.0)
    out = draws[:, :1] * a[None, :, 0]
    term = np.empty_like(out)
    for k in range(1, a.shape[1]):
        np.multiply(draws[:, k : k + 1], a[None, :, k], out=term)
        out += term
    return out


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """Rank of each unit per row (1 = highest score); ties keep the units' order, NaN last.

    The same rule as ``pandas.Series.rank(method="first", ascending=False,
    na_option="bottom")`` and as the designer's stable sort by score. A quicksort orders
    the scores; the units of a run of equal scores are then put in their own order by a
    stable sort of ``run * units + unit``, which is nearly sorted already (five times
    faster than one stable sort of the scores).
    """
    n = scores.shape[1]
    key = np.where(np.isnan(scores), np.inf, -scores)
    order = np.argsort(key, axis=1)
    ordered = np.take_along_axis(key, order, axis=1)
    run = np.zeros(key.shape, dtype=np.int64)
    np.cumsum(ordered[:, 1:] != ordered[:, :-1], axis=1, out=run[:, 1:])
    stable = np.sort(run * n + order, axis=1, kind="stable") % n
    ranks = np.empty(scores.shape, dtype=np.int32)
    steps = np.broadcast_to(np.arange(1, n + 1, dtype=np.int32), scores.shape)
    np.put_along_axis(ranks, stable, steps, axis=1)
    return ranks


def summarise_ranks(ranks: np.ndarray, top_n: int) -> pd.DataFrame:
    """Per unit: median rank, 5 and 95 % rank percentiles, share of draws in the top N.

    Percentiles use numpy's default (linear) rule over the ``(draws, units)`` ranks.
    """
    ordered = np.sort(ranks, axis=0)  # percentiles of sorted columns select faster
    lo, median, hi = np.percentile(ordered, (INTERVAL_PCT[0], 50.0, INTERVAL_PCT[1]), axis=0)
    return pd.DataFrame(
        {
            "median_rank": median,
            "rank_p05": lo,
            "rank_p95": hi,
            "top_n_probability": (ranks <= top_n).mean(axis=0),
        }
    )


def rank_robustness(
    memberships: np.ndarray,
    weights: Sequence[float] | np.ndarray,
    concentration: float = DEFAULT_CONCENTRATION,
    n_draws: int = DEFAULT_DRAWS,
    top_n: int = DEFAULT_TOP_N,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Robustness of a weighted-sum ranking (the pure function).

    Parameters
    ----------
    memberships : numpy.ndarray
        ``(units, criteria)`` each unit's mean of ``allowed * membership`` per criterion
        (:func:`unit_memberships`); a row of NaN for a unit without scored cells.
    weights : sequence of float
        The chosen weights (normalised here).
    concentration, n_draws, top_n, seed
        See :class:`RobustnessSettings`.

    Returns
    -------
    pandas.DataFrame
        One row per unit, in the units' order: :data:`COLUMNS`.
    """
    settings = RobustnessSettings(concentration, n_draws, top_n, seed)
    a = np.asarray(memberships, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != len(weights):
        raise ValueError(
            f"memberships must be (units, {len(weights)} criteria), got shape {a.shape}"
        )
    draws = draw_weights(weights, settings.concentration, settings.n_draws, settings.seed)
    return summarise_ranks(ranks_of(linear_scores(a, draws)), settings.top_n)


def _membership_matrices(
    model: SuitabilityModel, labels: UnitLabels | None
) -> tuple[list[sparse.csr_matrix], np.ndarray]:
    """Per group of non-overlapping units, ``(units, cells)`` 0/1 membership; cells per unit."""
    groups = list(model.labels) if labels is None else labels.cell_units(model.cells)
    n = model.n_units if labels is None else labels.n_units
    mats = []
    count = np.zeros(n)
    for g in groups:
        cells = np.flatnonzero(g)
        units = g[cells].astype(np.int64) - 1
        mats.append(
            sparse.csr_matrix((np.ones(cells.size), (units, cells)), shape=(n, model.cells.size))
        )
        count += np.bincount(units, minlength=n)
    return mats, count


def _unit_means(mats: list[sparse.csr_matrix], count: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``(units, columns)`` means of ``(cells, columns)`` values: sums per group, then / count.

    The sums run over each unit's cells in cell order and the groups are added in order,
    as :meth:`SuitabilityModel.unit_means` adds them.
    """
    total = mats[0] @ values
    for mat in mats[1:]:
        total = total + mat @ values
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(total) / count[:, None]


def unit_memberships(
    model: SuitabilityModel,
    constraints: Collection[str] | None = None,
    labels: UnitLabels | None = None,
) -> np.ndarray:
    """``(units, criteria)`` mean of ``allowed * clip(membership, 0, 1)`` over each unit.

    ``memberships @ w`` equals :meth:`SuitabilityModel.unit_means` for the weighted sum
    (up to the float32 rounding of its cell scores). NaN rows for units without scored
    cells. ``labels`` summarise another level than the model's communities (watersheds).
    """
    mats, count = _membership_matrices(model, labels)
    m = np.clip(model.memberships.astype(np.float64), 0.0, 1.0)
    m *= model.allowed_for(constraints)[None, :]
    return _unit_means(mats, count, m.T)


def geometric_unit_scores(
    model: SuitabilityModel,
    draws: np.ndarray,
    constraints: Collection[str] | None = None,
    labels: UnitLabels | None = None,
) -> np.ndarray:
    """``(draws, units)`` mean weighted geometric mean of each unit's cells, per draw.

    The cell formula of :func:`processing.kernels.suitability.combine` (``"geometric"``,
    float32 cell scores, excluded cells 0) for every draw, then the unit means of
    :meth:`SuitabilityModel.unit_means`; in batches of draws so a batch holds at most
    :data:`BATCH_CELLS` cell scores.
    """
    mats, count = _membership_matrices(model, labels)
    with np.errstate(divide="ignore"):
        logm = np.log(np.clip(model.memberships.astype(np.float64), 0.0, 1.0))
    allowed = model.allowed_for(constraints)
    step = max(1, BATCH_CELLS // max(model.cells.size, 1))
    out = np.empty((draws.shape[0], count.size))
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, draws.shape[0], step):
            w = draws[start : start + step]
            acc = w[:, :1] * logm[None, 0]
            for k in range(1, logm.shape[0]):
                acc += w[:, k : k + 1] * logm[None, k]
            cell = np.where(allowed[None, :], np.exp(acc).astype(np.float32), np.float32(0.0))
            out[start : start + step] = _unit_means(mats, count, cell.astype(np.float64).T).T
    return out


def model_robustness(
    model: SuitabilityModel,
    weights: Sequence[float] | np.ndarray,
    settings: RobustnessSettings | None = None,
    constraints: Collection[str] | None = None,
    labels: UnitLabels | None = None,
) -> pd.DataFrame:
    """Robustness of an intervention's unit ranking for these weights and constraints.

    The weighted sum goes through :func:`rank_robustness` (one product per batch); the
    weighted geometric mean scores every cell per draw (:func:`geometric_unit_scores`).
    Rows follow the units' order (the engine's ids of the level).
    """
    s = settings or RobustnessSettings()
    if len(weights) != len(model.profile.criteria):
        raise ValueError(
            f"intervention '{model.profile.id}' has {len(model.profile.criteria)} criteria, "
            f"got {len(weights)} weights"
        )
    if model.profile.method == "sum":
        a = unit_memberships(model, constraints, labels)
        return rank_robustness(a, weights, s.concentration, s.n_draws, s.top_n, s.seed)
    draws = draw_weights(weights, s.concentration, s.n_draws, s.seed)
    scores = geometric_unit_scores(model, draws, constraints, labels)
    return summarise_ranks(ranks_of(scores), s.top_n)


def unit_robustness(
    engine: SuitabilityEngine,
    intervention_id: str,
    weights: Sequence[float] | np.ndarray | None = None,
    settings: RobustnessSettings | None = None,
    constraints: Collection[str] | None = None,
    level: str = "communities",
) -> pd.DataFrame:
    """``unit_id`` and :data:`COLUMNS` for every unit of ``level`` (the engine's order).

    ``weights`` default to the profile's (from its AHP matrix when it has one) and
    ``constraints`` to all of the profile's, as in
    :func:`processing.suitability_summary.unit_suitability`.
    """
    model = engine.model(intervention_id)
    w = profile_weights(model.profile) if weights is None else normalise_weights(weights)
    labels = None if level == "communities" else engine.labels[level]
    table = model_robustness(model, w, settings, constraints, labels)
    table.insert(0, "unit_id", engine.unit_ids[level])
    return table
