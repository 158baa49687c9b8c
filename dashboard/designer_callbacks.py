"""Thin callbacks of the designer's workbench; the work is in ``designer*.py`` and processing."""

from __future__ import annotations

import json
from typing import Any

import shapely.geometry
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.area_callbacks import register_area
from dashboard.designer import (
    ahp_info,
    ahp_matrix,
    candidate_list,
    candidate_markers,
    evaluation_panel,
    ranking_rows,
    weight_percentages,
)
from dashboard.designer_layout import profile_controls
from dashboard.designer_service import CROP_OPTION, DesignerService, error_message
from dashboard.errors import keep_on_bad_input, panel_errors, problems_box
from dashboard.i18n import translator
from dashboard.input_checks import MAX_SITES, suggest_problems
from dashboard.map_layout import PORTFOLIO_OVERLAY, ROBUST_OVERLAY
from dashboard.portfolio_callbacks import register_portfolio
from dashboard.robustness_callbacks import register_robustness
from dashboard.saved_area_callbacks import register_saved_areas
from dashboard.scenario_callbacks import register_scenarios
from dashboard.search_options import register_search
from dashboard.shortlist_callbacks import register_shortlists
from dashboard.viewstate import LAYER_SEP
from processing.kernels.suitability import ahp_weights


def crop_rows(table: Any, t: Any) -> list[dict[str, Any]]:
    """Ranking rows of a crop: score of the best planting month, and that month."""
    rows = ranking_rows(table.assign(limiting_criterion=None), t)
    for row, month in zip(rows, table["limiting_criterion"], strict=True):
        row["limiting_criterion"] = f"{t('plant in')} {t(str(month))}" if month else "-"
    return rows


def suggestion_message(
    found: int, recommend: dict[str, Any], t: Any, listed: int | None = None
) -> str:
    """How many sites were suggested and listed and, when fewer than asked, why."""
    asked = int(recommend["count"])
    if listed is not None and listed < found:
        return t(
            "{listed} of {found} suggested sites listed: the list holds at most {max} sites. "
            "Remove some sites first."
        ).format(listed=listed, found=found, max=MAX_SITES)
    if found >= asked:
        return t("{n} sites suggested, best first.").format(n=found)
    limits = [
        t("{m:,.0f} m apart").format(m=float(recommend["spacing"])),
    ]
    if recommend.get("cap"):
        limits.append(t("at most {n} per community").format(n=int(recommend["cap"])))
    if recommend.get("existing"):
        limits.append(t("{m:,.0f} m from existing sites").format(m=float(recommend["existing"])))
    if recommend.get("within"):
        limits.append(t("inside the area of interest"))
    return t(
        "{found} of {asked} sites suggested: no other suitable land is left {limits}. "
        "Lower the spacing, relax the limits or ask for fewer sites."
    ).format(found=found, asked=asked, limits=", ".join(limits))


def weights_state(
    designer: DesignerService,
    iv: str | None,
    values: list[float | None],
    lang: str | None,
    constraints: list[str] | None = None,
) -> tuple[Any, ...]:
    """Percentages, design state, ranking rows and tile URL for slider values."""
    if not iv or not designer.ready():
        raise PreventUpdate
    t = translator(lang)
    if iv.startswith(CROP_OPTION):
        crop = iv[len(CROP_OPTION) :]
        rows = crop_rows(designer.crop_ranking(crop), t)
        note = html.Div(t("EcoCrop: the crop's own limits, no weights."), className="hint")
        return note, {"crop": crop}, rows, f"/tiles/crop_{crop}/{{z}}/{{x}}/{{y}}.png"
    profile = designer.profile(iv)
    if len(values) != len(profile.criteria):
        raise PreventUpdate  # sliders of the previous profile, about to be replaced
    weights, pct = weight_percentages(profile, values, t)
    if weights is None:
        return pct, no_update, no_update, no_update
    try:
        rows = ranking_rows(designer.ranking(iv, weights, constraints), t)
    except ValueError as exc:  # a grid too large to design on: say so where the weights are
        return html.Div(t(error_message(exc)), className="hint"), no_update, no_update, no_update
    state = {"intervention": iv, "weights": weights, "constraints": constraints}
    return pct, state, rows, designer.tile_url(iv, weights, constraints)


def ahp_weights_view(
    designer: DesignerService,
    iv: str | None,
    cells: list[dict[str, Any]],
    values: list[float | None],
    lang: str | None,
) -> tuple[list[float], Any]:
    """Slider values (0..10) from the pairwise judgements, and the consistency message."""
    if not iv:
        raise PreventUpdate
    n = len(designer.profile(iv).criteria)
    if n < 2 or len(cells) != n * (n - 1) // 2:
        raise PreventUpdate  # the grid of another profile, about to be replaced
    result = ahp_weights(ahp_matrix(n, cells, values))
    top = float(max(result.weights))
    sliders = [round(10.0 * float(w) / top, 1) for w in result.weights]
    return sliders, ahp_info(result.consistency_ratio, translator(lang))


def candidates_after(
    designer: DesignerService,
    trigger: Any,
    candidates: list[dict[str, Any]],
    click: dict[str, Any] | None,
    pick: list[str] | None,
    state: dict[str, Any] | None,
    recommend: dict[str, Any],
    notes: list[str | None],
    shortlist_id: int | None,
    lang: str | None,
) -> tuple[list[dict[str, Any]], Any, Any]:
    """New candidate list, evaluation panel and message after one user action."""
    t = translator(lang)
    cands = [dict(c) for c in candidates or []]
    weights = (state or {}).get("weights")
    iv = (state or {}).get("intervention")
    constraints = (state or {}).get("constraints")
    moving = next((i for i, c in enumerate(cands) if c.get("moving")), None)
    if trigger in (ids.PICK_CLICK, ids.MAP, ids.REC_BUTTON) and (state or {}).get("crop"):
        return cands, no_update, t("Choose an intervention to pick or suggest sites.")
    if trigger in (ids.MAP, ids.PICK_CLICK):
        if not click or not iv or (not pick and moving is None):
            raise PreventUpdate
        latlng = click.get("latlng") or {}
        try:
            ev = designer.planner.evaluate_site(
                iv, latlng["lng"], latlng["lat"], weights=weights, constraints=constraints
            )
        except (KeyError, ValueError) as exc:
            return cands, no_update, t(error_message(exc))
        if moving is not None:  # the site being moved takes the clicked place
            old = cands[moving]
            keep = {k: old.get(k) for k in ("note", "source", "rank")}
            cands[moving] = ev.to_dict() | keep | {"moving": False}
            return cands, evaluation_panel(cands[moving], t), t("Site moved.")
        data = ev.to_dict() | {"note": "", "source": "picked"}
        cands = [*cands, data][-MAX_SITES:]
        return cands, evaluation_panel(data, t), ""
    if isinstance(trigger, dict) and trigger.get("type") == ids.CANDIDATE_MOVE:
        i = int(trigger["index"])
        for j, c in enumerate(cands):
            c["moving"] = j == i
        return cands, evaluation_panel(cands[i], t), t("Click the map where this site should go.")
    if trigger == ids.REC_BUTTON:
        if not iv:
            raise PreventUpdate
        problems = suggest_problems(recommend, t)
        if problems:
            return cands, None, problems_box(problems)
        try:
            picks = designer.planner.recommend_sites(
                iv,
                int(recommend["count"]),
                float(recommend["spacing"]),
                max_per_community=int(recommend["cap"]) if recommend.get("cap") else None,
                min_distance_from_existing_m=float(recommend["existing"])
                if recommend.get("existing")
                else None,
                within=shapely.geometry.shape(recommend["within"])
                if recommend.get("within")
                else None,
                weights=weights,
                constraints=constraints,
            )
        except ValueError as exc:
            return cands, None, problems_box([error_message(exc)])
        kept = [c for c in cands if c.get("source") != "recommended"]
        new = [p.to_dict() | {"note": "", "source": "recommended"} for p in picks]
        # best first; when the list is full, the user's own picks stay and the weakest
        # suggestions give way: the message counts the suggestions listed
        listed = (kept + new)[:MAX_SITES]
        msg = suggestion_message(len(new), recommend, t, max(0, len(listed) - len(kept)))
        return listed, evaluation_panel(new[0], t) if new else None, msg
    if trigger == ids.CANDIDATES_CLEAR:
        return [], None, ""
    if isinstance(trigger, dict) and trigger.get("type") == ids.CANDIDATE_REMOVE:
        i = int(trigger["index"])
        return [c for j, c in enumerate(cands) if j != i], no_update, ""
    if isinstance(trigger, dict) and trigger.get("type") == ids.CANDIDATE_NOTE:
        for c, note in zip(cands, notes, strict=False):
            c["note"] = (note or "")[:500]
        return cands, no_update, no_update
    if trigger == ids.SHORTLIST_OPEN:
        if shortlist_id is None:
            raise PreventUpdate
        try:
            record = designer.workspace.get_shortlist(int(shortlist_id))
        except KeyError:
            return cands, no_update, t("That shortlist no longer exists.")
        return list(record.sites), None, f"{t('Opened')} {record.name}"
    raise PreventUpdate


def register_designer(app: Dash, designer: DesignerService) -> None:
    """Wire the workbench's callbacks (their components are always in the page)."""
    register_area(app, designer)
    register_saved_areas(app, designer)
    register_scenarios(app, designer)
    register_shortlists(app, designer)
    register_robustness(app, designer)
    register_portfolio(app, designer)
    register_search(app, ids.SCEN_COMMUNITIES, lambda _lang: designer.community_options())

    @app.callback(
        Output(ids.DESIGN_WEIGHTS, "children"),
        Output(ids.AHP_GRID, "children"),
        Output(ids.DESIGN_CONSTRAINTS, "options"),
        Output(ids.DESIGN_CONSTRAINTS, "value"),
        Output(ids.INDICATOR, "value", allow_duplicate=True),
        Input(ids.DESIGN_IV, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Intervention", lambda m: (m, None, [], [], no_update))
    def _profile(iv: str | None, lang: str | None) -> tuple[Any, ...]:
        if not iv:
            raise PreventUpdate
        if iv.startswith(CROP_OPTION):
            return [], None, [], [], f"crop_{iv[len(CROP_OPTION) :]}"
        sliders, ahp, constraints = profile_controls(designer, iv, translator(lang))
        on = [o["value"] for o in constraints]
        return sliders, ahp, constraints, on, f"suit_{iv}"

    @app.callback(
        Output(ids.DESIGN_PCT, "children"),
        Output(ids.DESIGN_STATE, "data"),
        Output(ids.DESIGN_RANKING, "rowData"),
        Output(ids.DESIGN_TILES, "url"),
        Input({"type": ids.DESIGN_WEIGHT, "index": ALL}, "value"),
        Input(ids.DESIGN_CONSTRAINTS, "value"),
        State(ids.DESIGN_IV, "value"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Weights", lambda m: (m, None, [], no_update))
    def _weights(
        values: list[float | None],
        constraints: list[str] | None,
        iv: str | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        return weights_state(designer, iv, values, lang, list(constraints or []))

    @app.callback(
        Output({"type": ids.DESIGN_WEIGHT, "index": ALL}, "value"),
        Output(ids.AHP_INFO, "children"),
        Input({"type": ids.AHP_CELL, "i": ALL, "j": ALL}, "value"),
        State({"type": ids.AHP_CELL, "i": ALL, "j": ALL}, "id"),
        State(ids.DESIGN_IV, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Pairwise comparison", lambda m: (no_update, m))
    def _ahp(
        values: list[float | None], cells: list[dict[str, Any]], iv: str | None, lang: str | None
    ) -> tuple[Any, ...]:
        return ahp_weights_view(designer, iv, cells, values, lang)

    @app.callback(
        Output(ids.INDICATOR, "value", allow_duplicate=True),
        Input({"type": ids.DESIGN_WEIGHT, "index": ALL}, "value"),
        State(ids.DESIGN_IV, "value"),
        prevent_initial_call=True,
    )
    @keep_on_bad_input
    def _follow(_values: list[float | None], iv: str | None) -> str:
        # a weight change shows that intervention's (live) scores on the community map
        if not iv or iv.startswith(CROP_OPTION):
            raise PreventUpdate
        return f"suit_{iv}"

    # the page link keeps the view: same query, page switched (no server round trip); the
    # planner's list of layers knows nothing of the designer's, so the designer's layers that
    # start checked (the robust top N, the budget portfolio; see layout.build_layout) join it
    # on the way there
    app.clientside_callback(
        "function(search) { const q = new URLSearchParams(search || '');"
        " if (q.get('page') === 'design') { q.delete('page'); } else { q.set('page', 'design');"
        " if (q.has('layers')) { const sep = " + json.dumps(LAYER_SEP) + ";"
        " const on = q.get('layers').split(sep).filter(Boolean);"
        " for (const n of " + json.dumps([ROBUST_OVERLAY, PORTFOLIO_OVERLAY]) + ") {"
        " if (!on.includes(n)) { on.push(n); } } q.set('layers', on.join(sep)); } }"
        " const s = q.toString(); return s ? '?' + s : '?'; }",
        Output(ids.DESIGN_LINK, "href"),
        Input(ids.URL, "search"),
    )

    app.clientside_callback(
        "function(pick) { return Boolean(pick && pick.length); }",
        Output(ids.PICK_ON, "data"),
        Input(ids.PICK_MODE, "value"),
    )

    # while map clicks pick sites, the markers on the map let clicks through to the land
    # under them (assets/landwater.css): a click on a project site or on an earlier pick
    # picks there too, instead of opening the marker's popup and sending nothing
    app.clientside_callback(
        "function(pick, cands) { const moving = (cands || []).some(c => c.moving);"
        " return (pick || moving) ? 'map-wrap picking' : 'map-wrap'; }",
        Output(ids.MAP_WRAP, "className"),
        Input(ids.PICK_ON, "data"),
        Input(ids.CANDIDATES, "data"),
    )

    # only clicks in pick mode (or while a site is being moved) go to the server; each click
    # counts (n_clicks): a second click on the same spot has the same clickData, which Dash
    # would not pass on as a change
    app.clientside_callback(
        "function(n, click, pick, cands) {"
        " const moving = (cands || []).some(c => c.moving);"
        " if (!click || !((pick && pick.length) || moving)) {"
        " return window.dash_clientside.no_update; }"
        " return Object.assign({}, click, {n: n}); }",
        Output(ids.PICK_CLICK, "data"),
        Input(ids.MAP, "n_clicks"),
        State(ids.MAP, "clickData"),
        State(ids.PICK_MODE, "value"),
        State(ids.CANDIDATES, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.CANDIDATES, "data"),
        Output(ids.EVALUATION, "children"),
        Output(ids.DESIGN_MSG, "children"),
        Input(ids.PICK_CLICK, "data"),
        Input(ids.REC_BUTTON, "n_clicks"),
        Input(ids.CANDIDATES_CLEAR, "n_clicks"),
        Input({"type": ids.CANDIDATE_REMOVE, "index": ALL}, "n_clicks"),
        Input({"type": ids.CANDIDATE_MOVE, "index": ALL}, "n_clicks"),
        Input({"type": ids.CANDIDATE_NOTE, "index": ALL}, "value"),
        Input(ids.SHORTLIST_OPEN, "n_clicks"),
        State(ids.CANDIDATES, "data"),
        State(ids.PICK_MODE, "value"),
        State(ids.DESIGN_STATE, "data"),
        State(ids.REC_COUNT, "value"),
        State(ids.REC_SPACING, "value"),
        State(ids.REC_CAP, "value"),
        State(ids.REC_EXISTING, "value"),
        State(ids.REC_WITHIN, "value"),
        State(ids.AOI_STORE, "data"),
        State(ids.SHORTLIST_SELECT, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Candidate sites", lambda m: (no_update, None, m))
    def _candidates(
        click: dict[str, Any] | None,
        _rec: int,
        _clear: int,
        removes: list[int | None],
        moves: list[int | None],
        notes: list[str | None],
        _open: int,
        candidates: list[dict[str, Any]],
        pick: list[str] | None,
        state: dict[str, Any] | None,
        count: int | None,
        spacing: float | None,
        cap: int | None,
        existing: float | None,
        within: list[str] | None,
        area: dict[str, Any] | None,
        shortlist_id: int | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") in (
            ids.CANDIDATE_REMOVE,
            ids.CANDIDATE_MOVE,
        ):
            clicks = removes if trigger["type"] == ids.CANDIDATE_REMOVE else moves
            if not clicks[int(trigger["index"])]:
                raise PreventUpdate  # the list was re-rendered, nothing clicked
        recommend = {
            "count": count,
            "spacing": spacing,
            "cap": cap,
            "existing": existing,
            "within": area if within and area else None,
        }
        return candidates_after(
            designer,
            trigger,
            candidates,
            click,
            pick,
            state,
            recommend,
            notes,
            shortlist_id,
            lang,
        )

    @app.callback(
        Output(ids.CANDIDATE_LAYER, "children"),
        Output(ids.CANDIDATE_LIST, "children"),
        Input(ids.CANDIDATES, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Candidate sites", lambda m: ([], m))
    def _render_candidates(candidates: list[dict[str, Any]], lang: str | None) -> tuple[Any, Any]:
        cands = candidates or []
        return candidate_markers(cands), candidate_list(cands, translator(lang))
