"""Budget portfolios: how many units of an intervention each community gets for a budget.

A multiple-choice knapsack solved exactly as a mixed-integer programme (scipy's ``milp``,
the HiGHS solver). Community ``c`` may get ``k = 0..K`` units; ``impact[c, k]`` and
``cost[c, k]`` tabulate what that gives and costs (``impact[c, 0] = cost[c, 0] = 0``), so
any impact curve (saturating, stepped) and a fixed cost per community fit. One binary
``z[c, k]`` (k >= 1) per choice:

    maximise   sum impact[c, k] z[c, k]
    subject to sum_k z[c, k] <= 1                          (one choice per community)
               sum cost[c, k] z[c, k] <= budget
               sum (w[c] - S) cost[c, k] z[c, k] >= 0      (share of the cost, optional)
            or sum (w[c] - S) k z[c, k] >= 0               (share of the units, optional)

with ``w[c] = 1`` for communities whose project sites are led by women or young people and
``S`` the minimum share. HiGHS proves the optimum (relative gap 0) unless its time limit
stops it first; the portfolio then carries the gap it proved. Without a share, when every
cost is a whole multiple of one step and the budget spans few steps (at most
``DP_MAX_CELLS`` communities x K x steps), the same programme is solved exactly by dynamic
programming over the budget instead (the multiple-choice knapsack recursion, best impact
for at most ``b`` steps community by community), which proves its optimum at once where
branch-and-bound can stall on many near-equal communities. Units that add no impact are
then given back, community by community, while the share still holds (the same impact for
less). Pure functions: arrays in, arrays out.

Example
-------
>>> import numpy as np
>>> impact = np.array([[0.0, 5.0, 8.0], [0.0, 6.0, 6.0]])
>>> cost = cost_table(2, 2, unit_cost=10.0)
>>> solve_portfolio(impact, cost, budget=20.0).units.tolist()
[1, 1]
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

ShareBasis = Literal["cost", "units"]
TIME_LIMIT_S = 60.0  # per solve; a portfolio not proven optimal by then reports its gap
FRONTIER_GAP = 1e-3  # frontier points: within 0.1 % of the optimum
FRONTIER_TIME_LIMIT_S = 5.0
FRONTIER_POINTS = 12
DP_MAX_CELLS = 20_000_000  # communities x K x budget steps the exact recursion may take


# every reason a portfolio cannot be chosen, with its fix: English text with {fields}; the
# dashboard shows each in its language (dashboard.i18n catalogues, keyed by this text)
MESSAGES = {
    "budget": "the budget must be a number above 0, got {budget}",
    "share": "the minimum women/youth share must be between 0 and 1, got {value}",
    "no_impact": "no allocation has any impact: choose another impact measure or intervention",
    "buys_nothing": (
        "the budget ({budget}) buys no unit that has an impact: the cheapest costs {cheapest};"
        " raise the budget"
    ),
    "no_led": (
        "no community whose project sites are led by women or young people gains from this"
        " intervention, so a minimum share of {share_pct} % cannot be met; set the share to 0"
    ),
    "share_unmet": (
        "the minimum women/youth share of {share_pct} % cannot be met within the budget"
        " ({budget}); lower the share or raise the budget"
    ),
    "unknown_intervention": "unknown intervention '{name}' (known: {known})",
    "unknown_impact": "unknown impact '{name}': choose one of {known}",
    "cap": "the cap per community must be a whole number from 1 to {max}, got {value}",
    "recharge_needs_scenarios": "recharge gained needs the designer's scenarios",
    "no_cost_model": (
        "[[interventions]] id = '{name}' in region.toml has no cost model: add `unit_cost`"
        " (cost per unit) and `unit` ('site', 'ha' or 'm3' of storage), optionally `unit_size`"
        " and `fixed_cost_per_community`"
    ),
    "no_site_counts": (
        "the project sites have no `households`, `households_women_led` and"
        " `households_youth_led` columns, so a women/youth share cannot be applied: add them to"
        " the file of [layers.project_sites] in region.toml, or set the share to 0"
    ),
    "no_households": (
        "the communities layer has no `households` field: add it to the file of"
        " [layers.communities] in region.toml, or choose another impact"
    ),
    "no_storage": (
        "water harvested needs the water one site stores: add `storage_m3_per_site` to"
        " [[interventions]] id = '{name}' in region.toml, or choose another impact"
    ),
    "no_lever": (
        "recharge gained comes from the designer's scenarios: add `scenario_lever` ('ponds',"
        " 'terraces' or 'agroforestry') to [[interventions]] id = '{name}' in region.toml, or"
        " choose another impact"
    ),
}


def english_value(value: Any) -> str:
    """A message field as English text: amounts with thousands separators, others as given."""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 or value.is_integer() else f"{value:g}"
    return str(value)


class PortfolioError(ValueError):
    """A portfolio that cannot be chosen: the message says why and what to change.

    Parameters
    ----------
    key : str
        The reason, a key of ``MESSAGES``.
    **values
        The message's fields (numbers stay numbers, so a translation formats them its way).
    """

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.template = MESSAGES[key]
        self.values = values
        super().__init__(self.template.format(**{k: english_value(v) for k, v in values.items()}))


@dataclass(frozen=True)
class Portfolio:
    """The chosen allocation: units per community and the totals.

    Attributes
    ----------
    units : numpy.ndarray
        Units per community (int, 0..K), in the order of the tables' rows.
    impact : float
        Total impact, in the impact table's units.
    cost : float
        Total cost, in the cost table's currency.
    gap : float
        Proven relative gap to the optimum (0: optimal; above 0 when the time limit
        stopped the solver first).
    """

    units: np.ndarray
    impact: float
    cost: float
    gap: float = 0.0


def cost_table(
    n_units: int, max_units: int, unit_cost: float, fixed_cost: float = 0.0
) -> np.ndarray:
    """Cost of 0..``max_units`` units in each of ``n_units`` communities.

    ``cost[c, k] = k * unit_cost + fixed_cost`` for k >= 1, and 0 for k = 0.
    """
    k = np.arange(max_units + 1, dtype=np.float64)
    row = np.where(k > 0, k * float(unit_cost) + float(fixed_cost), 0.0)
    return np.tile(row, (n_units, 1))


def _check(
    impact: np.ndarray, cost: np.ndarray, budget: float, min_share: float, women_youth: np.ndarray
) -> None:
    if impact.ndim != 2 or impact.shape != cost.shape or impact.shape[1] < 2:
        raise ValueError(
            f"impact and cost need the same (communities, K + 1) shape with K >= 1, got "
            f"{impact.shape} and {cost.shape}"
        )
    if not (np.isfinite(impact).all() and np.isfinite(cost).all()):
        raise ValueError("impact and cost tables must be finite numbers")
    if (cost[:, 1:] <= 0).any():
        raise ValueError("every unit must cost more than 0")
    if not np.isfinite(budget) or budget <= 0:
        raise PortfolioError("budget", budget=float(budget))
    if not 0.0 <= min_share <= 1.0:
        raise PortfolioError("share", value=float(min_share))
    if women_youth.shape != (impact.shape[0],):
        raise ValueError("women_youth needs one flag per community")


# file descriptor 1 is one per process: one redirection of it at a time (solves in several
# threads of a server wait for each other)
_STDOUT_LOCK = threading.Lock()


def _flush_c_stdout() -> None:
    """Flush the C library's buffered standard output (what compiled code printed)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def solver_output_to_stderr() -> Iterator[None]:
    """Send what is written on file descriptor 1 to standard error while the block runs.

    HiGHS (as scipy 1.17 bundles it) prints a stray debug line,
    ``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``, with C's
    ``printf`` whatever ``disp`` says (ERGO-Code/HiGHS#2783), and ``landwater portfolio``
    writes its CSV on standard output. A process without a usable descriptor 1 or 2 runs
    the block as it is.
    """
    with _STDOUT_LOCK:
        sys.stdout.flush()
        _flush_c_stdout()
        try:
            saved = os.dup(1)
            os.dup2(2, 1)
        except OSError:
            yield
            return
        try:
            yield
        finally:
            _flush_c_stdout()
            os.dup2(saved, 1)
            os.close(saved)


def _solve(
    objective: np.ndarray,
    rows: list[csr_array],
    lower: list[float],
    upper: list[float],
    rel_gap: float,
    time_limit_s: float,
) -> tuple[np.ndarray | None, float]:
    """Solve the binary programme minimising ``objective``.

    Returns the 0/1 solution (None: none found) and the proven relative gap (0: optimal).
    """
    n = objective.size
    with solver_output_to_stderr():
        res = milp(
            objective,
            constraints=LinearConstraint(vstack(rows).tocsr(), lower, upper),
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.ones(n)),
            # disp=False: no HiGHS log (its one stray line: solver_output_to_stderr)
            options={"disp": False, "mip_rel_gap": rel_gap, "time_limit": time_limit_s},
        )
    if res.x is None:
        return None, 0.0
    gap = 0.0 if res.status == 0 else float(getattr(res, "mip_gap", np.nan) or 0.0)
    return np.round(res.x), gap


def solve_portfolio(
    impact: np.ndarray,
    cost: np.ndarray,
    budget: float,
    women_youth: np.ndarray | None = None,
    min_share: float = 0.0,
    share_of: ShareBasis = "cost",
    rel_gap: float = 0.0,
    time_limit_s: float = TIME_LIMIT_S,
) -> Portfolio:
    """The allocation of greatest impact within the budget.

    Parameters
    ----------
    impact, cost : numpy.ndarray
        (communities, K + 1): impact and cost of 0..K units in each community (column 0
        is the community left out, impact and cost 0). K is the cap per community.
    budget : float
        Most the portfolio may cost, in the cost table's currency (> 0).
    women_youth : numpy.ndarray of bool, optional
        Per community: whether its project sites are led by women or young people.
    min_share : float
        Least share (0..1) of the portfolio's cost (``share_of="cost"``) or of its units
        (``share_of="units"``) in those communities.
    rel_gap, time_limit_s : float
        HiGHS stops at this relative gap (0: the proven optimum) or after this time.

    Returns
    -------
    Portfolio

    Raises
    ------
    PortfolioError
        A budget of 0 or less, a share outside 0..1, or no portfolio of any impact: the
        budget buys no unit, no community qualifies for the share, or nothing gains.
    """
    impact = np.asarray(impact, dtype=np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    flags = (
        np.zeros(impact.shape[0], bool)
        if women_youth is None
        else np.asarray(women_youth, dtype=bool)
    )
    _check(impact, cost, float(budget), float(min_share), flags)
    n, width = impact.shape
    k_max = width - 1
    gain = impact[:, 1:].ravel()
    spend = cost[:, 1:].ravel()
    community = np.repeat(np.arange(n), k_max)
    count = np.tile(np.arange(1, width, dtype=np.float64), n)
    # one choice per community
    rows = [
        csr_array((np.ones(n * k_max), (community, np.arange(n * k_max))), shape=(n, n * k_max))
    ]
    lower, upper = [-np.inf] * n, [1.0] * n
    # the budget
    rows.append(csr_array(spend[np.newaxis]))
    lower.append(-np.inf)
    upper.append(budget)
    if min_share > 0:
        basis = spend if share_of == "cost" else count / k_max
        rows.append(csr_array(((flags[community] - min_share) * basis)[np.newaxis]))
        lower.append(0.0)
        upper.append(np.inf)
    step = _cost_step(cost, budget) if min_share <= 0 else None
    if step is not None:
        units, gap = _knapsack_recursion(impact, cost, budget, step), 0.0
        if impact[np.arange(n), units].sum() <= 0:
            raise _why_empty(impact, cost, budget, flags, min_share)
    else:
        z, gap = _solve(-gain, rows, lower, upper, rel_gap, time_limit_s)
        if z is None or gain @ z <= 0:
            raise _why_empty(impact, cost, budget, flags, min_share)
        chosen = z.reshape(n, k_max)
        units = (chosen * np.arange(1, width)).sum(axis=1).astype(np.int64)
    units = _trim(units, impact, cost, flags, min_share, share_of)
    rows_ = np.arange(n)
    return Portfolio(
        units=units,
        impact=float(impact[rows_, units].sum()),
        cost=float(cost[rows_, units].sum()),
        gap=gap,
    )


def _cost_step(cost: np.ndarray, budget: float) -> int | None:
    """The largest step every cost is a whole multiple of, when the recursion is small enough.

    None: a cost that is not a whole number, or more than ``DP_MAX_CELLS`` cells.
    """
    c = cost[:, 1:]
    whole = np.round(c)
    if not np.all(np.isfinite(c)) or not np.array_equal(c, whole) or (whole <= 0).any():
        return None
    step = int(np.gcd.reduce(whole.astype(np.int64).ravel()))
    steps = int(budget // step)
    if step <= 0 or c.size * (steps + 1) > DP_MAX_CELLS:
        return None
    return step


def _knapsack_recursion(
    impact: np.ndarray, cost: np.ndarray, budget: float, step: int
) -> np.ndarray:
    """Units per community of the greatest impact within the budget, by exact recursion.

    ``best[b]``: the greatest impact of the communities so far for at most ``b`` steps;
    each community takes the choice ``k`` that raises it (strictly: ties keep fewer units).
    """
    n, width = impact.shape
    steps = int(budget // step)
    w = np.round(cost / step).astype(np.int64)
    best = np.zeros(steps + 1)
    choice = np.zeros((n, steps + 1), np.int64)
    for c in range(n):
        new = best.copy()
        for k in range(1, width):
            if w[c, k] > steps:
                continue
            cand = np.full(steps + 1, -np.inf)
            cand[w[c, k] :] = best[: steps + 1 - w[c, k]] + impact[c, k]
            better = cand > new
            new[better] = cand[better]
            choice[c, better] = k
        best = new
    units = np.zeros(n, np.int64)
    b = steps
    for c in range(n - 1, -1, -1):
        units[c] = choice[c, b]
        b -= int(w[c, units[c]])
    return units


def _share_holds(
    units: np.ndarray, cost: np.ndarray, flags: np.ndarray, min_share: float, share_of: str
) -> bool:
    spent = cost[np.arange(units.size), units]
    basis = spent if share_of == "cost" else units.astype(np.float64)
    return bool(basis[flags].sum() >= min_share * basis.sum() - 1e-9 * max(basis.sum(), 1.0))


def _trim(
    units: np.ndarray,
    impact: np.ndarray,
    cost: np.ndarray,
    flags: np.ndarray,
    min_share: float,
    share_of: str,
) -> np.ndarray:
    """Give back units that add no impact (fewest units of the same impact), share kept."""
    out = units.copy()
    for c in np.flatnonzero(out):
        k = int(out[c])
        fewest = int(np.flatnonzero(impact[c, : k + 1] >= impact[c, k])[0])
        if fewest < k:
            trial = out.copy()
            trial[c] = fewest
            if min_share <= 0 or _share_holds(trial, cost, flags, min_share, share_of):
                out = trial
    return out


def _why_empty(
    impact: np.ndarray, cost: np.ndarray, budget: float, flags: np.ndarray, min_share: float
) -> PortfolioError:
    """Why no portfolio has any impact, and what to change."""
    gains = impact[:, 1:] > 0
    if not gains.any():
        return PortfolioError("no_impact")
    cheapest = float(cost[:, 1:][gains].min())
    if cheapest > budget:
        return PortfolioError("buys_nothing", budget=float(budget), cheapest=cheapest)
    share_pct = round(min_share * 100)
    if min_share > 0 and not (gains & flags[:, np.newaxis]).any():
        return PortfolioError("no_led", share_pct=share_pct)
    return PortfolioError("share_unmet", share_pct=share_pct, budget=float(budget))


def frontier_budgets(cost: np.ndarray, points: int = FRONTIER_POINTS) -> np.ndarray:
    """Budgets from the cheapest unit to the cost of every allocation at its cap."""
    cost = np.asarray(cost, dtype=np.float64)
    low = float(cost[:, 1:].min())
    high = float(cost[:, -1].sum())
    return np.unique(np.linspace(low, max(high, low), points))


def efficient_frontier(
    impact: np.ndarray,
    cost: np.ndarray,
    budgets: np.ndarray,
    women_youth: np.ndarray | None = None,
    min_share: float = 0.0,
    share_of: ShareBasis = "cost",
) -> list[tuple[float, float, float]]:
    """(budget, impact, cost) of the best portfolio at each budget (0 impact: none fits).

    Each point is within ``FRONTIER_GAP`` of its optimum (or the best found in
    ``FRONTIER_TIME_LIMIT_S``).
    """
    out = []
    for b in np.asarray(budgets, dtype=np.float64):
        try:
            p = solve_portfolio(
                impact,
                cost,
                float(b),
                women_youth,
                min_share,
                share_of,
                FRONTIER_GAP,
                FRONTIER_TIME_LIMIT_S,
            )
            out.append((float(b), p.impact, p.cost))
        except PortfolioError:
            out.append((float(b), 0.0, 0.0))
    return out
