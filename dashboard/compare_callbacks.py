"""Thin callbacks of the comparison of two states: the choices, the run, the map, downloads.

A refused comparison (the same state twice, a saved scenario since deleted, years asked of
a climatology) is answered in the section's message slot and clears the last comparison
(panel, map and downloads), so nothing stale reads as the answer to the new request.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.compare_view import (
    BASELINE,
    SAVED,
    default_states,
    error_text,
    map_store,
    month_word,
    result_panel,
    state_options,
)
from dashboard.designer_service import DesignerService
from dashboard.errors import panel_errors, problems_box
from dashboard.i18n import Translate, translator
from dashboard.layout import indicator_options
from layers.io import write_csv, write_xlsx
from processing.compare import (
    CompareError,
    Comparison,
    UnitState,
    compare_states,
    export_sheets,
    export_table,
    month_state,
    scenario_state,
    series_years,
    year_state,
)
from processing.exports import readme_table, slug
from processing.future_suitability_exports import sheets_and_readme
from processing.scenario import Scenario

NO_RESULTS = "Suitability needs results: run `landwater process` on this region."
COMPARE_KEY = "compare"  # the indicator of the comparison's map


def _scenario_state(designer: DesignerService, value: Any, t: Translate) -> UnitState:
    """The baseline, or a saved scenario of the team workspace (CompareError once deleted)."""
    se = designer.scenario.scenarios
    if value == BASELINE:
        return scenario_state(se, None, t("Baseline"))
    sid = int(str(value).removeprefix(SAVED))
    try:
        record = designer.workspace.get_scenario(sid)
    except KeyError as exc:
        raise CompareError("deleted", value=sid) from exc
    return scenario_state(
        se, Scenario.model_validate(record.spec), f"{record.name} (#{sid})", designer.scenario.run
    )


def comparison_for(designer: DesignerService, request: dict[str, Any]) -> Comparison:
    """The comparison of a request (mode, level, a, b, lang).

    Raises
    ------
    CompareError
        What to change, in the message (see :data:`processing.compare.MESSAGES`).
    """
    t = translator(request.get("lang"))
    mode, level = request.get("mode"), request.get("level") or "communities"
    a, b = request.get("a"), request.get("b")
    svc = designer.service
    if mode == "years" and not series_years(svc.monthly_mm(level)):
        raise CompareError("climatology")
    if a in (None, "") or b in (None, ""):
        raise CompareError("missing")
    if mode == "scenarios":
        if level != "communities":
            raise CompareError("level")
        se = designer.scenario.scenarios
        area = pd.Series(se.area_m2, index=se.ids)
        return compare_states(
            _scenario_state(designer, a, t), _scenario_state(designer, b, t), area
        )
    summary = svc.summary(level)
    if summary is None:
        raise ValueError(f"no results for {level}: run `landwater process` on this region")
    area = pd.Series(summary["area_ha"].to_numpy(float) * 1e4, index=summary["id"].astype(str))
    monthly = svc.monthly_mm(level)
    if mode == "years":
        return compare_states(year_state(monthly, int(a)), year_state(monthly, int(b)), area)
    ma, mb = int(a), int(b)
    return compare_states(
        month_state(monthly, ma, month_word(ma, t)),
        month_state(monthly, mb, month_word(mb, t)),
        area,
    )


def compare_run(
    designer: DesignerService, request: dict[str, Any], scenario: dict[str, Any] | None
) -> tuple[Any, ...]:
    """Panel, map store, stored request, message, indicator options and value of a request."""
    t = translator(request.get("lang"))
    if not designer.ready():
        return None, None, None, t(NO_RESULTS), no_update, no_update
    try:
        cmp = comparison_for(designer, request)
    except CompareError as exc:
        return None, None, None, problems_box([error_text(exc, t)]), no_update, no_update
    level = request.get("level") or "communities"
    variable = request.get("variable") or "runoff"
    names = designer.service.unit_names(level)
    panel = result_panel(cmp, variable, t, names)
    if level != "communities":  # the map colours communities only
        note = t("The map colours communities: compare communities to see the change on it.")
        return panel, None, request, note, no_update, no_update
    store = map_store(cmp, variable, t)
    scenario_name = (scenario or {}).get("name") if (scenario or {}).get("values") else None
    options = indicator_options(designer.service, t, scenario_name, store["name"])
    return panel, store, request, "", options, COMPARE_KEY


def future_extra(
    designer: DesignerService, request: dict[str, Any]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame] | None:
    """Sheets and README rows of the future suitability of each saved scenario compared.

    None when no side is a saved scenario under a future climate.
    """
    if request.get("mode") != "scenarios":
        return None
    effects = []
    for side in ("a", "b"):
        value = request.get(side)
        if value in (None, "", BASELINE):
            continue
        record = designer.workspace.get_scenario(int(str(value).removeprefix(SAVED)))
        sc = Scenario.model_validate(record.spec)
        if not sc.future:
            continue
        ids = sc.communities or [str(i) for i in designer.scenario.scenarios.ids]
        effects.append((side, designer.scenario.future_effects(sc.future, ids, sc.future_spread)))
    return sheets_and_readme(effects)


def compare_file(
    designer: DesignerService, request: dict[str, Any] | None, fmt: str
) -> tuple[str, bytes]:
    """File name and content of the comparison shown: its table (CSV) or workbook (Excel).

    The workbook also holds, for each saved scenario under a future climate, its
    suitability and crop sheets (:func:`future_extra`).
    """
    if not request:
        raise CompareError("missing")
    cmp = comparison_for(designer, request)
    svc = designer.service
    level = request.get("level") or "communities"
    names = pd.Series(svc.unit_names(level))
    region = svc.region
    name = f"landwater_{slug(region.name)}_compare_{level}_{slug(cmp.a)}_vs_{slug(cmp.b)}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = Path(tmp) / name
        if fmt == "csv":
            write_csv(export_table(cmp, names), path, for_spreadsheets=True)
        else:
            assert svc.results is not None
            readme = readme_table(region, svc.results)
            extra = future_extra(designer, request)
            write_xlsx(export_sheets(cmp, level, readme, names, extra), path)
        return name, path.read_bytes()


def register_compare(app: Dash, designer: DesignerService) -> None:
    """Wire the comparison's callbacks (their components are in the designer's section)."""

    @app.callback(
        Output(ids.COMPARE_A, "options"),
        Output(ids.COMPARE_B, "options"),
        Output(ids.COMPARE_A, "value"),
        Output(ids.COMPARE_B, "value"),
        Input(ids.COMPARE_MODE, "value"),
        Input(ids.COMPARE_LEVEL, "value"),
        Input(ids.SCEN_SELECT, "options"),
        State(ids.COMPARE_A, "value"),
        State(ids.COMPARE_B, "value"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Compare", lambda m: (no_update,) * 4)
    def _choices(
        mode: str | None,
        level: str | None,
        saved: list[dict[str, Any]] | None,
        a: Any,
        b: Any,
        lang: str | None,
    ) -> tuple[Any, ...]:
        t = translator(lang)
        years: list[int] = []
        if mode == "years" and designer.ready():
            years = series_years(designer.service.monthly_mm(level or "communities"))
        options = state_options(mode, t, saved, years)
        chosen = a is not None or b is not None
        if ctx.triggered_id == ids.SCEN_SELECT and chosen:  # the saved list changed: kept
            return options, options, no_update, no_update
        return (options, options, *default_states(mode, years))

    @app.callback(
        Output(ids.COMPARE_RESULT, "children"),
        Output(ids.COMPARE_STORE, "data"),
        Output(ids.COMPARE_REQUEST, "data"),
        Output(ids.COMPARE_MSG, "children"),
        Output(ids.INDICATOR, "options", allow_duplicate=True),
        Output(ids.INDICATOR, "value", allow_duplicate=True),
        Input(ids.COMPARE_RUN, "n_clicks"),
        Input(ids.COMPARE_VAR, "value"),
        State(ids.COMPARE_MODE, "value"),
        State(ids.COMPARE_LEVEL, "value"),
        State(ids.COMPARE_A, "value"),
        State(ids.COMPARE_B, "value"),
        State(ids.COMPARE_REQUEST, "data"),
        State(ids.SCEN_STORE, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Compare", lambda m: (None, None, None, m, no_update, no_update))
    def _run(
        n_clicks: int | None,
        variable: str | None,
        mode: str | None,
        level: str | None,
        a: Any,
        b: Any,
        shown: dict[str, Any] | None,
        scenario: dict[str, Any] | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        if ctx.triggered_id == ids.COMPARE_VAR:
            if not shown:
                raise PreventUpdate  # nothing compared yet: the variable waits for the button
            request = {**shown, "variable": variable, "lang": lang}
        else:
            if not n_clicks:
                raise PreventUpdate
            request = {"mode": mode, "level": level, "a": a, "b": b}
            request |= {"variable": variable, "lang": lang}
        return compare_run(designer, request, scenario)

    @app.callback(
        Output(ids.COMPARE_DOWNLOAD, "data"),
        Output(ids.COMPARE_MSG, "children", allow_duplicate=True),
        Input(ids.COMPARE_CSV, "n_clicks"),
        Input(ids.COMPARE_XLSX, "n_clicks"),
        State(ids.COMPARE_REQUEST, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Compare", lambda m: (no_update, m))
    def _download(
        _csv: int | None, _xlsx: int | None, request: dict[str, Any] | None, lang: str | None
    ) -> Any:
        if not (ctx.triggered and ctx.triggered[0].get("value")):
            raise PreventUpdate
        fmt = "xlsx" if ctx.triggered_id == ids.COMPARE_XLSX else "csv"
        try:
            name, data = compare_file(designer, request, fmt)
        except CompareError as exc:
            return no_update, problems_box([error_text(exc, translator(lang))])
        return dcc.send_bytes(data, name), ""
