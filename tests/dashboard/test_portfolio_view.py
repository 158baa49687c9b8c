"""The budget portfolio's builders: form checks, refusals in every language, totals, markers."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from dashboard.i18n import CATALOGUES, TRANSLATIONS, number, translator
from dashboard.portfolio_view import (
    PORTFOLIO_MARKER,
    cost_model_note,
    error_text,
    frontier_figure,
    portfolio_markers,
    portfolio_problems,
    request_from_form,
    result_panel,
)
from layers.config import InterventionConfig
from processing.portfolio import MESSAGES, PortfolioError
from processing.portfolio_impacts import CommunityFacts
from processing.portfolio_plan import (
    PortfolioPlanner,
    PortfolioRequest,
    PortfolioResult,
    export_sheets,
    export_table,
)

CRITERION = {"layer": "rainfall_annual_mm", "function": "decreasing", "params": [2, 10]}
HOUSEHOLDS = np.array([120.0, 80.0, 300.0, 45.0, 210.0])


def _intervention(**costs: Any) -> InterventionConfig:
    return InterventionConfig.model_validate(
        {"id": "terraces", "name": "Terraces", "criteria": [CRITERION], **costs}
    )


def _facts() -> CommunityFacts:
    n = HOUSEHOLDS.size
    return CommunityFacts(
        ids=np.array([f"c{i}" for i in range(n)]),
        names=np.array(["Alpha", "<b>Beta</b>", "Gamma", "Delta", "=Epsilon"]),
        households=HOUSEHOLDS,
        runoff_mm_yr=np.full(n, 50.0),
        runoff_month_m3=np.full((12, n), 1000.0),
        area_m2=np.full(n, 1e6),
        et0_month_mm=np.full((12, n), 120.0),
        deficit_month_mm=np.full((12, n), 20.0),
        s1s2_ha={"terraces": np.full(n, 40.0)},
        women_youth_share=np.array([0.8, 0.1, 0.2, np.nan, 0.6]),
    )


@pytest.fixture(scope="module")
def result() -> PortfolioResult:
    iv = _intervention(unit="ha", unit_cost=100, unit_size=10, fixed_cost_per_community=500)
    planner = PortfolioPlanner(_facts(), [iv])
    return planner.plan(
        PortfolioRequest("terraces", budget=5000.0, impact="households", max_per_community=2)
    )


def test_the_portfolio_is_the_brute_force_optimum(result: PortfolioResult) -> None:
    """Households reached once a community gets a unit (1,500 each): the best 3 of 5."""
    best = max(
        HOUSEHOLDS[list(c)].sum()
        for k in range(HOUSEHOLDS.size + 1)
        for c in itertools.combinations(range(HOUSEHOLDS.size), k)
        if 1500 * k <= 5000
    )
    assert result.totals["impact"] == best == 300 + 210 + 120
    assert result.totals["cost"] == 4500 and result.totals["budget_left"] == 500
    assert set(result.chosen_ids) == {"c2", "c4", "c0"}


@pytest.mark.parametrize(
    ("form", "wanted"),
    [
        ({"budget": None}, "Budget: this field is required"),
        ({"budget": ""}, "Budget: this field is required"),
        ({"budget": 0}, "Budget: 0 is not allowed; enter a number above 0"),
        ({"budget": -5}, "Budget: -5 is not allowed"),
        ({"budget": "abc"}, "Budget: not a number"),
        ({"share": 1.5}, "Min. women/youth share (0-1): 1.5 is not allowed"),
        ({"share": -0.1}, "Min. women/youth share (0-1): -0.1 is not allowed"),
        ({"max_units": 0}, "Max. units per community: 0 is not allowed"),
        ({"max_units": 2.5}, "Max. units per community: 2.5 is not allowed"),
        ({"max_units": 101}, "Max. units per community: 101 is not allowed"),
    ],
)
def test_bad_input_is_named_with_its_fix(form: dict[str, Any], wanted: str) -> None:
    full = {"budget": 1000, "max_units": 10, "share": None} | form
    problems = portfolio_problems(full, translator("en"))
    assert len(problems) == 1 and problems[0].startswith(wanted), problems


def test_a_good_form_makes_the_request() -> None:
    form = {"budget": "2500.5", "max_units": 3.0, "share": ""}
    assert portfolio_problems(form, translator("en")) == []
    req = request_from_form("farm_ponds", "m3", form)
    assert (req.budget, req.max_per_community, req.min_women_youth_share) == (2500.5, 3, 0.0)


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_refusal_is_translated(lang: str) -> None:
    missing = [m for m in MESSAGES.values() if m not in CATALOGUES[lang]]
    assert not missing, missing


def test_a_refusal_reads_in_the_language_and_its_numbers() -> None:
    exc = PortfolioError("buys_nothing", budget=1000.0, cheapest=4500.0)
    assert str(exc) == (
        "the budget (1,000) buys no unit that has an impact: the cheapest costs 4,500; raise "
        "the budget"
    )
    fr = translator("fr")
    text = error_text(exc, fr)
    assert text.startswith(f"le budget ({number(1000, 0, fr)}) n'achète aucune unité")
    assert number(4500, 0, fr) in text and "4,500" not in text


def test_an_intervention_without_costs_says_which_keys_to_add() -> None:
    note, label = cost_model_note(_intervention(), translator("en"))
    text = str(note.children)
    assert "id = 'terraces' in region.toml has no cost model" in text
    assert "`unit_cost`" in text and "`unit`" in text and note.role == "alert"
    assert label == "Budget"
    priced = _intervention(unit="ha", unit_cost=300, unit_size=10, fixed_cost_per_community=1000)
    note, label = cost_model_note(priced, translator("en"))
    assert label == "Budget (USD)"
    assert note == "Terraces: 3,000 USD a unit (10 ha), 1,000 USD once per community given units."
    assert "crop" in cost_model_note(None, translator("en"))[0]


def test_totals_frontier_and_markers(result: PortfolioResult) -> None:
    t = translator("en")
    panel = str(result_panel(result, "Terraces", t))
    assert "Terraces: 3 communities for 5,000 USD" in panel
    iv = _intervention(unit="ha", unit_cost=100, unit_size=10, fixed_cost_per_community=500)
    one = PortfolioPlanner(_facts(), [iv]).plan(
        PortfolioRequest("terraces", budget=2000.0, impact="households", max_per_community=2)
    )
    assert "Terraces: 1 community for 2,000 USD" in str(result_panel(one, "Terraces", t))
    fr = str(result_panel(one, "Terraces", translator("fr")))
    assert "1 communauté pour" in fr
    assert "4,500 USD" in panel and "500 USD" in panel and "proven optimum" in panel
    fig = frontier_figure(result, t)
    assert [tr.name for tr in fig.data] == ["Efficient frontier", "Your budget"]
    assert list(fig.data[1].x) == [5000.0] and list(fig.data[1].y) == [630.0]
    # the frontier never falls as the budget grows
    assert np.all(np.diff(result.frontier.sort_values("budget")["impact"]) >= -1e-9)
    points = {f"c{i}": (0.1 * i, 36.0) for i in range(5)}
    markers = portfolio_markers(result, points, t)
    assert len(markers) == 3
    for m in markers:
        assert m.iconOptions["className"] == PORTFOLIO_MARKER
        assert m.iconOptions["html"] in ("<span>1</span>", "<span>2</span>")
    # a name reaches the tooltip as text, never the marker's HTML
    assert all("Beta" not in m.iconOptions["html"] for m in markers)


def test_the_files_name_their_units(result: PortfolioResult) -> None:
    table = export_table(result)
    assert "cost_usd" in table.columns and "households_reached" in table.columns
    assert table["cost_usd"].sum() <= result.totals["budget"]
    sheets = export_sheets(result)
    assert list(sheets) == ["portfolio", "frontier", "totals", "README"]
    assert set(sheets["README"]["column"]) == set(table.columns)
    assert {"budget_usd", "households_reached", "cost_usd"} == set(sheets["frontier"].columns)
