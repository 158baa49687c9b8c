"""Layout of the designer's workbench (a section of the side panel) and its map layers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_leaflet as dl
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.compare_view import compare_controls, compare_map_controls
from dashboard.designer import (
    ahp_grid,
    constraint_options,
    ranking_grid,
    weight_sliders,
)
from dashboard.designer_service import CROP_OPTION, DesignerService
from dashboard.i18n import Translate, language_of
from dashboard.input_checks import LABELS
from dashboard.map_layout import AOI_PANE, DESIGN_OVERLAY, RASTER_OPACITY
from dashboard.portfolio_view import portfolio_controls
from dashboard.robustness_view import robustness_controls
from dashboard.saved_areas import saved_area_controls
from dashboard.search_options import dropdown_labels, initial_options
from dashboard.viewstate import ViewState
from layers.upload import MAX_UPLOAD_BYTES


def _number(id_: str, value: float | None, label: str) -> html.Div:
    """A number field without browser limits: the server checks it (dashboard.input_checks)."""
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dcc.Input(id=id_, type="number", value=value, step="any", debounce=True),
        ],
        className="field",
    )


def future_fields(designer: DesignerService, t: Translate) -> list[Any]:
    """The future climate a scenario runs under, and the ensemble's spread.

    Always in the layout (the callbacks read them); hidden when the region has no
    ``[[futures]]``; a ``[[futures]]`` whose files do not fit is said under the fields.
    """
    try:
        labels, problem = designer.scenario.future_labels(), ""
    except ValueError as exc:
        labels, problem = [], str(exc)
    hidden = {} if labels or problem else {"display": "none"}
    spreads = [
        {"label": t("min-max over the GCMs"), "value": "min-max"},
        {"label": t("10-90 % over the GCMs"), "value": "10-90"},
    ]
    return [
        html.Div(
            [
                html.Div(
                    [
                        html.Label(t("Future climate"), htmlFor=ids.SCEN_FUTURE),
                        dcc.Dropdown(
                            [{"label": label, "value": label} for label in labels],
                            id=ids.SCEN_FUTURE,
                            placeholder=t("Uniform change (below)"),
                            labels=dropdown_labels(t),
                        ),
                    ],
                    className="field",
                ),
                html.Div(
                    [
                        html.Label(t("Spread"), htmlFor=ids.SCEN_SPREAD),
                        dcc.Dropdown(
                            spreads,
                            value="min-max",
                            id=ids.SCEN_SPREAD,
                            clearable=False,
                            labels=dropdown_labels(t),
                        ),
                    ],
                    className="field",
                ),
            ],
            className="rec-fields",
            style=hidden,
        ),
        html.Div(problem, id=ids.SCEN_FUTURE_MSG, role="status", className="design-msg"),
    ]


def designer_section(
    designer: DesignerService, t: Translate, view: ViewState | None = None
) -> html.Section:
    """Intervention and weights, ranking, site picking, recommendation and shortlists.

    The view's intervention and weights (a shared URL's) are shown when it names them.
    """
    names = designer.service.intervention_names_in(language_of(t))
    options = [{"label": names.get(iv, name), "value": iv} for iv, name in designer.interventions]
    ready = designer.ready() and bool(options)
    crops = [
        {"label": f"{t('Crop')}: {t(name)}", "value": f"{CROP_OPTION}{cid}"}
        for cid, name in designer.service.crops()
    ]
    known = [iv for iv, _name in designer.interventions]
    shared = view.intervention if view is not None and view.intervention in known else None
    first = shared or (known[0] if known else None)
    weights = view.weights if view is not None and shared else None
    sliders, ahp, constraints = (
        profile_controls(designer, first, t, weights) if first else ([], None, [])
    )
    lu_options = designer.land_use_options(language_of(t))
    hint = html.P(t("Suitability needs results: run `landwater process` on this region."))
    body: list[Component] = [
        html.Label(t("Intervention"), htmlFor=ids.DESIGN_IV),
        dcc.Dropdown(
            options=options + crops,
            value=first,
            id=ids.DESIGN_IV,
            clearable=False,
            labels=dropdown_labels(t),
        ),
        html.H3(t("Criterion weights")),
        html.Div(sliders, id=ids.DESIGN_WEIGHTS, className="weights"),
        html.Div(id=ids.DESIGN_PCT),
        html.Details(
            [
                html.Summary(t("Pairwise comparisons (AHP)")),
                html.P(
                    t("How much more important is the row's criterion than the column's?"),
                    className="hint",
                ),
                html.Div(ahp, id=ids.AHP_GRID),
                html.Div(id=ids.AHP_INFO),
            ],
            className="ahp",
        ),
        html.Label(t("Constraints"), htmlFor=ids.DESIGN_CONSTRAINTS),
        dcc.Checklist(
            options=constraints,
            value=[o["value"] for o in constraints],
            id=ids.DESIGN_CONSTRAINTS,
        ),
        html.H3(t("Community ranking")),
        ranking_grid([], t),
        robustness_controls(t),
        html.H3(t("Candidate sites")),
        dcc.Checklist(
            options=[{"label": " " + t("Pick sites by clicking the map"), "value": "on"}],
            value=[],
            id=ids.PICK_MODE,
        ),
        dcc.Loading(html.Div(id=ids.EVALUATION), type="dot", delay_show=300),
        html.Div(
            [
                _number(ids.REC_COUNT, 10, t(LABELS["count"])),
                _number(ids.REC_SPACING, 1000, t(LABELS["spacing"])),
                _number(ids.REC_CAP, None, t(LABELS["cap"])),
                _number(ids.REC_EXISTING, None, t(LABELS["existing"])),
            ],
            className="rec-fields",
        ),
        dcc.Checklist(
            options=[{"label": " " + t("Only inside the area of interest"), "value": "on"}],
            value=[],
            id=ids.REC_WITHIN,
        ),
        html.Button(t("Suggest sites"), id=ids.REC_BUTTON, n_clicks=0),
        html.Button(t("Clear"), id=ids.CANDIDATES_CLEAR, n_clicks=0),
        html.Div(id=ids.DESIGN_MSG, role="status", className="design-msg"),
        html.Div(id=ids.CANDIDATE_LIST),
        html.H3(t("Area of interest")),
        html.P(
            t("Draw a polygon or rectangle with the tools on the map, or upload one:"),
            className="hint",
        ),
        # no accept= and no max_size=: a browser drops a refused file silently, so every
        # file reaches the server, which names what is wrong (type, size, no polygon)
        dcc.Upload(
            html.Div(
                t("GeoJSON, GeoPackage, KML or zipped shapefile (max {mb} MB)").format(
                    mb=MAX_UPLOAD_BYTES // 2**20
                )
            ),
            id=ids.AOI_UPLOAD,
            className="upload",
        ),
        html.Button(t("Clear the area"), id=ids.AOI_CLEAR, n_clicks=0),
        html.Div(id=ids.AOI_MSG, role="status", className="design-msg"),
        dcc.Loading(html.Div(id=ids.AOI_SUMMARY), type="dot", delay_show=300),
        html.H3(t("Saved areas")),
        saved_area_controls(t),
        html.H3(t("Scenarios")),
        dcc.Dropdown(
            options=initial_options(designer.community_options(), None),
            multi=True,
            id=ids.SCEN_COMMUNITIES,
            placeholder=t("All communities"),
            labels=dropdown_labels(t),
        ),
        *future_fields(designer, t),
        html.Div(
            [
                _number(ids.SCEN_RAIN, None, t(LABELS["rain_pct"])),
                _number(ids.SCEN_WARM, None, t(LABELS["warming_c"])),
                html.Div(
                    [
                        html.Label(t("Convert land use"), htmlFor=ids.SCEN_LU_FROM),
                        dcc.Dropdown(
                            lu_options,
                            id=ids.SCEN_LU_FROM,
                            placeholder=t("from"),
                            labels=dropdown_labels(t),
                        ),
                    ],
                    className="field",
                ),
                html.Div(
                    [
                        html.Label(t("to"), htmlFor=ids.SCEN_LU_TO),
                        dcc.Dropdown(
                            lu_options,
                            id=ids.SCEN_LU_TO,
                            placeholder=t("to"),
                            labels=dropdown_labels(t),
                        ),
                    ],
                    className="field",
                ),
                _number(ids.SCEN_LU_PCT, None, t(LABELS["lu_pct"])),
                _number(ids.SCEN_PONDS, None, t(LABELS["ponds"])),
                _number(ids.SCEN_POND_VOL, None, t(LABELS["pond_volume_m3"])),
                _number(ids.SCEN_TERRACES, None, t(LABELS["terraces_ha"])),
                _number(ids.SCEN_AGRO, None, t(LABELS["agroforestry_ha"])),
            ],
            className="rec-fields",
        ),
        dcc.Input(id=ids.SCEN_NAME, placeholder=t("Scenario name"), maxLength=200),
        html.Button(t("Run scenario"), id=ids.SCEN_RUN, n_clicks=0),
        html.Button(t("Save scenario"), id=ids.SCEN_SAVE, n_clicks=0),
        dcc.Dropdown(
            id=ids.SCEN_SELECT, placeholder=t("Saved scenarios"), labels=dropdown_labels(t)
        ),
        html.Button(t("Open"), id=ids.SCEN_OPEN, n_clicks=0),
        html.Div(id=ids.SCEN_MSG, role="status", className="design-msg"),
        dcc.Loading(html.Div(id=ids.SCEN_RESULT), type="dot", delay_show=300),
        dcc.Loading(html.Div(id=ids.SCEN_FUTURE_SUIT), type="dot", delay_show=300),
        html.H3(t("Compare")),
        compare_controls(t),
        html.H3(t("Budget portfolio")),
        portfolio_controls(t),
        html.H3(t("Shortlists")),
        html.Div(
            [
                dcc.Input(id=ids.SHORTLIST_NAME, placeholder=t("Shortlist name"), maxLength=200),
                dcc.Input(id=ids.SHORTLIST_AUTHOR, placeholder=t("Your name"), maxLength=100),
                html.Button(t("Save as new"), id=ids.SHORTLIST_SAVE, n_clicks=0),
            ],
            className="shortlist-save",
        ),
        dcc.Dropdown(
            id=ids.SHORTLIST_SELECT,
            placeholder=t("Saved shortlists"),
            labels=dropdown_labels(t),
        ),
        html.Div(
            [
                html.Button(t("Open"), id=ids.SHORTLIST_OPEN, n_clicks=0),
                html.Button(t("Update with candidates"), id=ids.SHORTLIST_UPDATE, n_clicks=0),
                html.Button(t("Rename"), id=ids.SHORTLIST_RENAME, n_clicks=0),
                html.Button(t("Delete"), id=ids.SHORTLIST_DELETE, n_clicks=0),
                html.Button("GeoJSON", id=ids.SHORTLIST_GEOJSON, n_clicks=0, title=t("Download")),
                html.Button("CSV", id=ids.SHORTLIST_CSV, n_clicks=0, title=t("Download")),
                html.A(
                    t("Printable brief"),
                    id=ids.SHORTLIST_BRIEF,
                    target="_blank",
                    rel="noopener",
                    style={"display": "none"},
                ),
                dcc.Download(id=ids.SHORTLIST_DOWNLOAD),
            ],
            className="shortlist-actions",
        ),
        html.Div(id=ids.SHORTLIST_MSG, role="status", className="design-msg"),
    ]
    return html.Section(
        [
            html.H2(t("Design interventions")),
            dcc.Store(id=ids.CANDIDATES, data=[]),
            dcc.Store(id=ids.PICK_CLICK),
            dcc.Store(id=ids.SHORTLIST_VERSIONS, data={}),
            # a saved area to show; a shared link's (``{"id"}``) opens once the page is up
            dcc.Store(id=ids.AREA_OPENED, data={"id": view.area} if view and view.area else None),
            None if ready else hint,
            # every component is in the page, so every callback has its components
            html.Div(body, style=None if ready else {"display": "none"}),
        ],
        id=ids.DESIGN,
        className="designer",
    )


def shared_design_controls(t: Translate) -> html.Div:
    """What the map's callbacks read on both pages (designer state, last scenario, comparison).

    The saved area shown is here: the page's URL follows it.
    """
    scenario = html.Div(
        [
            dcc.Store(id=ids.DESIGN_STATE),
            dcc.Store(id=ids.SCEN_STORE),
            dcc.Store(id=ids.PICK_ON, data=False),
            dcc.Store(id=ids.CATCH_ON, data=False),  # the planner's delineate mode
            dcc.Store(id=ids.AOI_STORE),  # the drawn or uploaded area (design page)
            dcc.Store(id=ids.AOI_SAVED),  # the saved area it is, if any (in the page's URL)
            html.Label(t("Map a scenario's change in"), htmlFor=ids.SCEN_MAPVAR),
            dcc.RadioItems(
                options=[
                    {"label": " " + t(label), "value": v}
                    for v, label in (
                        ("recharge", "Recharge"),
                        ("runoff", "Runoff"),
                        ("aet", "Actual ET"),
                        ("deficit", "Deficit"),
                    )
                ],
                value="recharge",
                id=ids.SCEN_MAPVAR,
                inline=True,
            ),
        ],
        id=ids.SCEN_MAPVAR_BOX,
        className="scenario-mapvar no-scenario",
    )
    return html.Div([scenario, compare_map_controls(t)])


def page_link(page: str, t: Translate) -> html.A:
    """Link between the planner's map and the designer's page (its query follows the view)."""
    text = t("Design interventions") + " →" if page == "map" else "← " + t("Planner's map")
    href = "?page=design" if page == "map" else "?"
    return html.A(text, href=href, id=ids.DESIGN_LINK, className="page-link")


def profile_controls(
    designer: DesignerService,
    intervention_id: str,
    t: Translate,
    weights: Sequence[float] | None = None,
) -> tuple[list[Any], html.Table, list[dict[str, str]]]:
    """Weight sliders, AHP grid and constraint options of one intervention profile.

    ``weights`` (one per criterion, e.g. from a shared URL) replace the profile's own.
    """
    profile = designer.profile(intervention_id)
    if weights is None or len(weights) != len(profile.criteria):
        weights = designer.default_weights(intervention_id)
    return (
        weight_sliders(profile, weights, t),
        ahp_grid(profile, weights, t),
        constraint_options(profile, designer.area_constraints(intervention_id), t),
    )


def designer_overlay(designer: DesignerService, t: Translate, checked: bool = False) -> dl.Overlay:
    """The re-weighted suitability raster (its URL follows the weights)."""
    first = designer.interventions[0][0] if designer.interventions else None
    url = (
        designer.tile_url(first, designer.default_weights(first))
        if first and designer.ready()
        else "/tiles/design/none/{z}/{x}/{y}.png"  # answers 404 until there are results
    )
    return dl.Overlay(
        dl.TileLayer(url=url, id=ids.DESIGN_TILES, opacity=RASTER_OPACITY),
        name=t(DESIGN_OVERLAY),
        checked=checked,
    )


def candidate_layer() -> dl.LayerGroup:
    """Markers of the candidate sites (always on top of the overlays)."""
    return dl.LayerGroup(id=ids.CANDIDATE_LAYER)


AOI_STYLE = {"color": "#d7191c", "weight": 2.5, "dashArray": "6 4", "fillOpacity": 0.05}


def aoi_layer() -> dl.GeoJSON:
    """The area of interest, drawn or uploaded, as a red dashed outline.

    In its own pane, which clicks go through (``assets/landwater.css``) to the community or
    the map under it: dash-leaflet does not pass ``interactive=False`` on to the features.
    """
    return dl.GeoJSON(
        id=ids.AOI_LAYER,
        data={"type": "FeatureCollection", "features": []},
        style=AOI_STYLE,
        interactive=False,
        pane=AOI_PANE,
    )


DRAWN_CLASS = "aoi-drawn"  # the drawn shapes: clicked only to edit or delete them (landwater.css)


def draw_layer() -> dl.FeatureGroup:
    """Drawing tools for an area of interest (polygon or rectangle)."""
    shape = {"shapeOptions": {"className": DRAWN_CLASS}}
    return dl.FeatureGroup(
        dl.EditControl(
            id=ids.AOI_DRAW,
            position="topleft",
            draw={
                "polyline": False,
                "marker": False,
                "circle": False,
                "circlemarker": False,
                "polygon": shape,
                "rectangle": shape,
            },
        )
    )
