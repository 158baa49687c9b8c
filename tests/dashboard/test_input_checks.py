"""The designer's number fields: every problem named by its label, with the fix.

The reference for what is allowed is the Scenario model itself (pydantic): a form the checks
accept must build a Scenario, and a value the model refuses must be reported.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dashboard.i18n import translator
from dashboard.input_checks import (
    MAX_SITES,
    scenario_problems,
    suggest_problems,
)
from dashboard.scenario_view import deficit_months_wording, scenario_from_form, signed
from processing.scenario import Scenario

EN = translator("en")


def test_warming_40_names_the_field_and_its_range() -> None:
    (problem,) = scenario_problems({"warming_c": 40}, EN)
    assert problem == "Warming (°C): 40 is not allowed; enter a number from -5 to 8."


def test_negative_ponds_are_refused_not_ignored() -> None:
    problems = scenario_problems({"ponds": -5, "pond_volume_m3": 100}, EN)
    assert problems == [
        "Farm ponds per community: -5 is not allowed; enter a whole number from 0 to 100,000."
    ]
    # numbers in the page's language: French groups thousands with a narrow space
    (french,) = scenario_problems({"ponds": 2.5, "pond_volume_m3": 100}, translator("fr"))
    assert french.startswith("Mares par communauté : 2,5 n'est pas accepté ; ")
    assert french.endswith("de 0 à 100\u202f000.")


def test_ponds_need_a_volume_and_a_volume_needs_ponds() -> None:
    (problem,) = scenario_problems({"ponds": 2, "pond_volume_m3": None}, EN)
    assert problem.startswith("Pond volume (m³): required with Farm ponds per community")
    (problem,) = scenario_problems({"ponds": None, "pond_volume_m3": 500}, EN)
    assert problem.startswith("Farm ponds per community: required with Pond volume (m³)")
    assert scenario_problems({"ponds": 2, "pond_volume_m3": 500}, EN) == []


def test_every_problem_is_reported_at_once_in_french() -> None:
    problems = scenario_problems({"warming_c": 9, "rain_pct": -90, "ponds": 1.5}, translator("fr"))
    assert len(problems) == 4  # three ranges and the pond volume missing
    assert problems[0].startswith("Variation de la pluie (%) : -90") or problems[0].startswith(
        "Variation de la pluie (%): -90"
    )
    assert any(p.startswith("Réchauffement (°C)") for p in problems)


def test_partial_land_use_change_is_reported() -> None:
    (problem,) = scenario_problems({"lu_from": 3, "lu_pct": 20}, EN)
    assert problem.startswith("Convert land use:")


@pytest.mark.parametrize(
    ("form", "label"),
    [
        ({"count": 0, "spacing": 100}, "Sites: 0 is not allowed; enter a whole number from 1 to"),
        ({"count": 500, "spacing": 100}, "Sites: 500 is not allowed"),
        (
            {"count": 10, "spacing": -5},
            "Min. spacing (m): -5 is not allowed; enter a number above 0",
        ),
        ({"count": 10, "spacing": 0}, "Min. spacing (m): 0 is not allowed"),
        ({"count": None, "spacing": 100}, "Sites: this field is required"),
        ({"count": 2.5, "spacing": 100}, "Sites: 2.5 is not allowed; enter a whole number"),
    ],
)
def test_suggest_fields(form: dict[str, Any], label: str) -> None:
    (problem,) = suggest_problems(form, EN)
    assert problem.startswith(label)


def test_suggest_accepts_its_limits() -> None:
    assert suggest_problems({"count": MAX_SITES, "spacing": 0.5}, EN) == []
    assert suggest_problems({"count": 1, "spacing": 1, "cap": 1, "existing": 0}, EN) == []


NUMBERS = st.one_of(
    st.none(),
    st.integers(-200, 200_000),
    st.floats(-1e7, 1e7, allow_nan=False),
)


@given(
    rain=NUMBERS,
    warm=NUMBERS,
    ponds=NUMBERS,
    volume=NUMBERS,
    terraces=NUMBERS,
)
@settings(max_examples=300, deadline=None)
def test_checks_agree_with_the_scenario_model(
    rain: Any, warm: Any, ponds: Any, volume: Any, terraces: Any
) -> None:
    form = {
        "rain_pct": rain,
        "warming_c": warm,
        "ponds": ponds,
        "pond_volume_m3": volume,
        "terraces_ha": terraces,
    }
    problems = scenario_problems(form, EN)
    try:
        model = Scenario(
            rain_pct=rain or 0,
            warming_c=warm or 0,
            ponds=ponds or 0,  # pydantic refuses a fractional count, as the checks do
            pond_volume_m3=volume or 0,
            terraces_ha=terraces or 0,
        )
    except ValidationError:
        assert problems, form  # what the model refuses, the checks report
        return
    paired = bool(model.ponds) == bool(model.pond_volume_m3)
    assert (problems == []) == paired, (form, problems)
    if not problems:
        assert scenario_from_form(form) == model


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0.0, 0, "0"),
        (-0.0, 1, "0.0"),
        (-0.04, 1, "0.0"),
        (0.4, 0, "0"),
        (-3.46, 1, "-3.5"),
        (1234.5, 0, "+1,234"),
    ],
)
def test_signed_never_shows_minus_zero(value: float, decimals: int, text: str) -> None:
    assert signed(value, decimals) == text


def test_deficit_months_are_worded_by_their_sign() -> None:
    assert deficit_months_wording(-46.0) == ("Months of deficit added", 46.0)
    assert deficit_months_wording(12.0) == ("Months of deficit avoided", 12.0)
    _label, value = deficit_months_wording(-0.2)
    assert value >= 0 and round(value) == 0


def test_fewer_sites_name_every_limit_that_applies() -> None:
    from dashboard.designer_callbacks import suggestion_message

    rec = {"count": 500, "spacing": 50_000, "cap": 2, "existing": 300, "within": {"x": 1}}
    msg = suggestion_message(1, rec, EN)
    assert msg.startswith("1 of 500 sites suggested: no other suitable land is left 50,000 m")
    for part in ("at most 2 per community", "300 m from existing sites", "area of interest"):
        assert part in msg
    assert suggestion_message(10, {"count": 10, "spacing": 100}, EN) == (
        "10 sites suggested, best first."
    )


def test_suggestions_report_the_sites_listed() -> None:
    """The list is full of the user's picks: the message counts what was listed, not found."""
    from dashboard.designer_callbacks import suggestion_message

    msg = suggestion_message(200, {"count": 200, "spacing": 100}, EN, listed=150)
    assert msg.startswith("150 of 200 suggested sites listed")


@pytest.mark.parametrize(
    "value", [10**9, -1, 13, float("nan"), float("inf"), "3", None, True, [1], {"a": 1}]
)
def test_a_crafted_slider_value_falls_back_to_the_default(value: Any) -> None:
    from dashboard.input_checks import MONTH_RANGE, OPACITY_RANGE, slider_value
    from dashboard.map_layout import rainfall_url

    assert slider_value(value, MONTH_RANGE, 0) == 0
    assert slider_value(value, OPACITY_RANGE, 0.7) == 0.7
    assert rainfall_url(int(slider_value(value, MONTH_RANGE, 0))).startswith(
        "/tiles/rainfall_annual/"
    )


def test_crafted_weights_count_as_zero() -> None:
    from dashboard.designer import weight_percentages
    from layers.config import InterventionConfig

    profile = InterventionConfig.model_validate(
        {
            "id": "p",
            "name": "P",
            "criteria": [
                {"layer": "slope_pct", "function": "decreasing", "params": [5, 30], "weight": 0.5},
                {
                    "layer": "rainfall_annual_mm",
                    "function": "increasing",
                    "params": [500, 900],
                    "weight": 0.5,
                },
            ],
        }
    )
    weights, _ = weight_percentages(profile, [-1e9, 4.0])
    assert weights == [0.0, 1.0]
    weights, _ = weight_percentages(profile, [float("nan"), 1e300])
    assert weights is None
