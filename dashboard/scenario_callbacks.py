"""Thin callbacks of the scenarios (run, open, save) and their pure action functions."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard import ids
from dashboard.designer_service import DesignerService, error_message
from dashboard.errors import panel_errors, problems_box
from dashboard.future_suitability_view import future_suitability_panel
from dashboard.i18n import translator
from dashboard.input_checks import scenario_problems
from dashboard.layout import indicator_options
from dashboard.scenario_view import (
    form_values,
    future_store,
    map_values,
    profile_future,
    scenario_from_form,
    scenario_panel,
)
from processing.scenario import Scenario

FORM_FIELDS = (
    ("name", ids.SCEN_NAME),
    ("communities", ids.SCEN_COMMUNITIES),
    ("rain_pct", ids.SCEN_RAIN),
    ("warming_c", ids.SCEN_WARM),
    ("future", ids.SCEN_FUTURE),
    ("future_spread", ids.SCEN_SPREAD),
    ("lu_from", ids.SCEN_LU_FROM),
    ("lu_to", ids.SCEN_LU_TO),
    ("lu_pct", ids.SCEN_LU_PCT),
    ("ponds", ids.SCEN_PONDS),
    ("pond_volume_m3", ids.SCEN_POND_VOL),
    ("terraces_ha", ids.SCEN_TERRACES),
    ("agroforestry_ha", ids.SCEN_AGRO),
)
KEEP_FORM = [no_update] * len(FORM_FIELDS)  # the form's fields as the user left them


def scenario_action(
    designer: DesignerService,
    trigger: Any,
    form: dict[str, Any],
    selected: int | None,
    lang: str | None,
) -> tuple[Any, Any, Any, dict[str, Any] | None]:
    """Run the form's scenario, or open a saved one: panel, map store, message, form values."""
    t = translator(lang)
    if not designer.ready():
        return (
            None,
            None,
            t("Suitability needs results: run `landwater process` on this region."),
            None,
        )
    new_form = None
    try:
        if trigger == ids.SCEN_OPEN:
            if selected is None:
                return no_update, no_update, t("Choose a saved scenario first."), None
            record = designer.workspace.get_scenario(int(selected))
            sc = Scenario.model_validate(record.spec)
            new_form = form_values(sc)
        else:
            problems = scenario_problems(form, t)
            if problems:  # the last run's results would read as this one's: cleared
                return None, None, problems_box(problems), None
            sc = scenario_from_form(form)
        result = designer.scenario.run(sc)
    except (KeyError, ValueError) as exc:  # the last run's results would read as this one's
        return None, None, error_message(exc), None
    store = {"values": map_values(result), "name": sc.name, "future": future_store(sc, result)}
    return scenario_panel(sc, result, t, designer.service.unit_names()), store, "", new_form


def future_suitability_action(
    designer: DesignerService, store: dict[str, Any] | None, lang: str | None
) -> Any:
    """Suitability and crop tables of the last scenario's future climate (None without one)."""
    future = (store or {}).get("future")
    if not future:
        return None
    try:
        spread = (future.get("scenario") or {}).get("future_spread") or "min-max"
        effects = designer.scenario.future_effects(future["label"], list(future["rows"]), spread)
    except (KeyError, ValueError) as exc:
        return html.P(error_message(exc), className="design-msg", role="status")
    names = designer.service.intervention_names_in(lang or "en")
    return future_suitability_panel(effects, translator(lang), names)


def scenario_save(
    designer: DesignerService,
    form: dict[str, Any],
    author: str | None,
    lang: str | None,
    save: bool = True,
) -> tuple[list[dict[str, Any]], str]:
    """Save the form's scenario with its impact figures; the refreshed list and a message."""
    t = translator(lang)
    ws = designer.workspace
    msg = ""
    refusal = designer.access.refusal() if save else None
    if refusal is not None:
        msg = t(refusal)
    elif save:
        problems = scenario_problems(form, t)
        try:
            if problems:
                raise ValueError(" ".join(problems))
            sc = scenario_from_form(form)
            if not form.get("name"):
                raise ValueError("a name is required")
            result = designer.scenario.run(sc)
            rec = ws.save_scenario(
                sc.name, sc.model_dump(), {"totals": result.totals}, author=author or ""
            )
            msg = f"{t('Saved')} {rec.name}"
        except (KeyError, ValueError) as exc:
            msg = error_message(exc)
    options = [
        {"label": f"{r.name} ({r.author or '-'}, {r.updated_at:%Y-%m-%d %H:%M})", "value": r.id}
        for r in ws.list_scenarios()
    ]
    return options, msg


def register_scenarios(app: Dash, designer: DesignerService) -> None:
    """Run, open and save scenarios; the map shows the last run's change."""
    form_states = [State(cid, "value") for _, cid in FORM_FIELDS]

    @app.callback(
        Output(ids.SCEN_RESULT, "children"),
        Output(ids.SCEN_STORE, "data"),
        Output(ids.SCEN_MSG, "children"),
        *[Output(cid, "value") for _, cid in FORM_FIELDS],
        Output(ids.INDICATOR, "options"),
        Output(ids.INDICATOR, "value", allow_duplicate=True),
        Input(ids.SCEN_RUN, "n_clicks"),
        Input(ids.SCEN_OPEN, "n_clicks"),
        *form_states,
        State(ids.SCEN_SELECT, "value"),
        State(ids.COMPARE_STORE, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Scenario", lambda m: (None, None, m, *KEEP_FORM, no_update, no_update))
    def _scenario(_run: int, _open: int, *values: Any) -> tuple[Any, ...]:
        *fields, selected, comparison, lang = values
        form = {k: v for (k, _), v in zip(FORM_FIELDS, fields, strict=True)}
        panel, store, msg, new_form = scenario_action(
            designer, ctx.triggered_id, form, selected, lang
        )
        restored = (
            [new_form[k] for k, _ in FORM_FIELDS] if new_form else [no_update] * len(FORM_FIELDS)
        )
        if not isinstance(store, dict):
            return (panel, store, msg, *restored, no_update, no_update)
        compared = (comparison or {}).get("name") if (comparison or {}).get("change") else None
        options = indicator_options(designer.service, translator(lang), store["name"], compared)
        return (panel, store, msg, *restored, options, "scenario")

    @app.callback(
        Output(ids.PROFILE_FUTURE, "children"),
        Input(ids.SELECTION, "data"),
        Input(ids.SCEN_STORE, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Profile", lambda m: m)
    def _profile_future(
        selection: dict[str, str] | None, store: dict[str, Any] | None, lang: str | None
    ) -> Any:
        if (selection or {}).get("level", "communities") != "communities":
            return None
        return profile_future(
            (store or {}).get("future"), (selection or {}).get("id"), translator(lang)
        )

    @app.callback(
        Output(ids.SCEN_FUTURE_SUIT, "children"),
        Input(ids.SCEN_STORE, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Scenario", lambda m: m)
    def _future_suitability(store: dict[str, Any] | None, lang: str | None) -> Any:
        return future_suitability_action(designer, store, lang)

    @app.callback(
        Output(ids.SCEN_SELECT, "options"),
        Output(ids.SCEN_MSG, "children", allow_duplicate=True),
        Input(ids.SCEN_SAVE, "n_clicks"),
        *form_states,
        State(ids.SHORTLIST_AUTHOR, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call="initial_duplicate",
    )
    @panel_errors("Scenario", lambda m: (no_update, m))
    def _scenario_save(n: int, *values: Any) -> tuple[Any, ...]:
        *fields, author, lang = values
        form = {k: v for (k, _), v in zip(FORM_FIELDS, fields, strict=True)}
        save = ctx.triggered_id == ids.SCEN_SAVE and bool(n)
        return scenario_save(designer, form, author, lang, save)
