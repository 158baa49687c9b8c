"""Every callback family answers a failure with a message in its panel and clears stale results.

The service and designer given to the callbacks fail on every use (as a vanished results
folder or a broken database would); each callback is then called as Dash calls it, inside a
callback context, and must answer instead of raising (Dash would reply HTTP 500 and leave the
previous results on screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

import pytest
from dash import Dash, html, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import ids
from dashboard.app import register_callbacks, register_progress
from dashboard.designer_callbacks import register_designer
from dashboard.downloads import register_downloads
from dashboard.errors import ERROR_CLASS, error_box
from dashboard.scenario_callbacks import FORM_FIELDS

FAILURE = "disk <b>gone</b>"


def _fail(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise OSError(FAILURE)


class Failing:
    """An object whose every attribute, other than those given, fails when read."""

    def __init__(self, **given: Any) -> None:
        self.__dict__.update(given)

    def __getattr__(self, name: str) -> Any:
        _fail()


@pytest.fixture(scope="module")
def app() -> Dash:
    service = Failing(
        result_layers=lambda: [],
        site_types=[],
        site_statuses=[],
        geojson={"watersheds": "/geo/watersheds.json"},
        unit_options=_fail,
    )
    designer = Failing(service=service, community_options=_fail)
    dash_app = Dash(__name__, suppress_callback_exceptions=True)
    register_callbacks(dash_app, service, designer)  # type: ignore[arg-type]
    register_designer(dash_app, designer)  # type: ignore[arg-type]
    register_downloads(dash_app, service, Failing())  # type: ignore[arg-type]
    register_progress(dash_app, Failing())  # type: ignore[arg-type]
    return dash_app


@pytest.fixture
def triggered() -> Iterator[Any]:
    tokens = []

    def set_trigger(prop_id: str) -> None:
        value = AttributeDict(
            triggered_inputs=[{"prop_id": prop_id, "value": 1}],
            state_values={f"{ids.LANG}.value": "fr"},
        )
        tokens.append(context_value.set(value))

    yield set_trigger
    for token in reversed(tokens):
        context_value.reset(token)


def _call(app: Dash, output: str, *args: Any) -> Any:
    """Call the user function of the callback whose outputs start with ``output``."""
    for key, spec in app.callback_map.items():
        if key.lstrip(".").startswith(output):
            return spec["callback"].__wrapped__(*args)
    raise AssertionError(f"no callback writes {output}")


def _message(component: Any) -> str:
    assert isinstance(component, html.Div), component
    props = component.to_plotly_json()["props"]
    assert props["className"] == ERROR_CLASS
    assert props["role"] == "alert"
    assert isinstance(component.children, str)  # text: Dash never renders it as HTML
    assert FAILURE in component.children
    return component.children


POLYGON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[37.0, -1.0], [37.1, -1.0], [37.1, -0.9], [37.0, -1.0]]],
            },
        }
    ],
}


def test_map_profile_shows_the_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.SELECTION}.data")
    _message(_call(app, f"{ids.PROFILE}.children", {"level": "communities", "id": "C001"}, "en"))


def test_map_colours_are_cleared_with_the_message_in_the_legend(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.INDICATOR}.value")
    args = ("recharge_mm", None, None, None, None, None, "en")
    colours, legend = _call(app, f"{ids.CHORO_COLOURS}.data", *args)
    assert colours["classes"] == "" and colours["colours"] == []
    _message(legend)


def test_map_colour_bar_shows_the_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.LAYERS_CONTROL}.overlays")
    (box,) = _call(app, f"{ids.COLORBAR}.children", ["Rainfall"], 3, "en")
    _message(box)


def test_search_shows_the_failure_as_a_disabled_option(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.SEARCH}.search_value")
    (option,) = _call(app, f"{ids.SEARCH}.options", "C00", None)
    assert option["disabled"] is True and FAILURE in option["label"]


def test_scenario_run_clears_the_last_results(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.SCEN_RUN}.n_clicks")
    form = [None] * len(FORM_FIELDS)
    out = _call(app, f"{ids.SCEN_RESULT}.children", 1, None, *form, None, None, "fr")
    panel, store, msg = out[:3]
    assert panel is None and store is None  # the previous run's figures are gone
    text = _message(msg)
    assert "Scénario" in text  # in the page's language
    assert all(v is no_update for v in out[3:])  # the form keeps what the user typed


def test_compare_run_clears_the_last_comparison(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.COMPARE_RUN}.n_clicks")
    args = (1, "runoff", "months", "communities", 1, 7, None, None, "fr")
    panel, store, request, msg, options, value = _call(app, f"{ids.COMPARE_RESULT}.children", *args)
    assert panel is None and store is None and request is None  # map and downloads cleared
    assert "Compare" in _message(msg)
    assert options is no_update and value is no_update


def test_designer_weights_clear_the_ranking(app: Dash, triggered: Any) -> None:
    triggered(f'{{"index":0,"type":"{ids.DESIGN_WEIGHT}"}}.value')
    pct, state, rows, _url = _call(app, f"{ids.DESIGN_PCT}.children", [5, 5], [], "ponds", "en")
    assert state is None and rows == []
    _message(pct)


def test_designer_profile_clears_its_controls(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.DESIGN_IV}.value")
    sliders, ahp, options, on, _ind = _call(app, f"{ids.DESIGN_WEIGHTS}.children", "ponds", "en")
    assert ahp is None and options == [] and on == []
    _message(sliders)


def test_suggest_sites_clears_the_evaluation(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.REC_BUTTON}.n_clicks")
    state = {"intervention": "ponds", "weights": [1.0, 1.0]}
    args: list[Any] = [None, 1, None, [], [], [], None, [{"site": 1}], None, state]
    args += [5, 100.0, None, None, None, None, None, "en"]
    cands, evaluation, msg = _call(app, f"{ids.CANDIDATES}.data", *args)
    assert cands is no_update  # the user's own list of sites is kept
    assert evaluation is None
    _message(msg)


def test_area_of_interest_clears_its_summary(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.AOI_DRAW}.geojson")
    args = [POLYGON, None, 0, None, None, "en", None]
    store, summary, msg, saved = _call(app, f"{ids.AOI_STORE}.data", *args)
    assert store is None and summary is None and saved is None
    _message(msg)


def test_saved_areas_show_the_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.AREA_SAVE}.n_clicks")
    args: list[Any] = [1, None, None, None, "Upper Tana", None, {}, POLYGON, None, None, "en"]
    options, value, versions, msg, opened = _call(app, f"{ids.AREA_SELECT}.options", *args)
    assert options is value is versions is opened is no_update
    _message(msg)


def test_shortlist_save_shows_the_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.SHORTLIST_SAVE}.n_clicks")
    args: list[Any] = [1, None, None, None, "wells", "ann", None, {}, [{"site": 1}], None, "en"]
    _options, _versions, msg = _call(app, f"{ids.SHORTLIST_SELECT}.options", *args)
    _message(msg)


def test_download_shows_the_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.DL_BUTTON}.n_clicks")
    args: list[Any] = [1, "community", "csv", "summary", "", "all", None, None, "en"]
    data, msg = _call(app, f"{ids.DOWNLOAD}.data", *args)
    assert data is no_update
    _message(msg)


def test_progress_banner_stops_polling_on_failure(app: Dash, triggered: Any) -> None:
    triggered(f"{ids.PROGRESS_POLL}.n_intervals")
    banner, disabled = _call(app, f"{ids.PROGRESS}.children", 3, "en")
    assert disabled is True
    _message(banner)


def test_message_is_cut_to_one_readable_line() -> None:
    box = error_box("Scenario", KeyError("a\n\nvery " + "long " * 200))
    assert "\n" not in box.children and len(box.children) < 500
