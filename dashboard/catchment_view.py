"""The catchment of a clicked point: its controls, its map layer, its panel and its file.

Pure functions: the callbacks (:mod:`dashboard.catchment_callbacks`) pass them the click,
the radius and the services, and send what they return.
"""

from __future__ import annotations

import json
from typing import Any

import dash_leaflet as dl
import shapely.geometry
from dash import dcc, html

from dashboard import ids
from dashboard.designer_service import DesignerService
from dashboard.errors import problems_box
from dashboard.i18n import Translate, number
from dashboard.map_layout import AOI_PANE
from dashboard.profile import area_profile_data, profile_panel
from processing.area import area_summary
from processing.catchment import (
    DEFAULT_SNAP_M,
    MAX_SNAP_M,
    CatchmentError,
    ClickCatchment,
    Delineator,
)

# purple: apart from the blues and greens of the choropleth and the red area of interest
CATCHMENT_STYLE = {"color": "#6a00a8", "weight": 3, "fillColor": "#6a00a8", "fillOpacity": 0.15}
RADIUS_STYLE = {"color": "#6a00a8", "weight": 2, "dashArray": "4 4", "fill": False}
OUTLET_STYLE = {"color": "#ffffff", "weight": 2, "fillColor": "#6a00a8", "fillOpacity": 1.0}
OUTLET_RADIUS_PX = 6
CATCHMENT_CLASS = "catchment-shape"  # clicks go through it to the map (landwater.css)


def catchment_controls(t: Translate) -> html.Section:
    """The planner's "catchment from a click" tool: switch, radius, message, summary."""
    return html.Section(
        [
            html.H2(t("Catchment from a click")),
            dcc.Checklist(
                options=[{"label": " " + t("Delineate: click a stream on the map"), "value": "on"}],
                value=[],
                id=ids.CATCH_MODE,
            ),
            html.Div(
                [
                    html.Label(t("Snapping radius (m)"), htmlFor=ids.CATCH_RADIUS),
                    dcc.Input(
                        id=ids.CATCH_RADIUS,
                        type="number",
                        value=DEFAULT_SNAP_M,
                        step="any",
                        debounce=True,
                    ),
                ],
                className="field",
            ),
            html.P(
                t(
                    "The click moves to the cell draining the largest area within the radius"
                    " (dashed circle); the outlet is the purple dot."
                ),
                className="hint",
            ),
            html.Div(id=ids.CATCH_MSG, role="status", className="design-msg"),
            html.Div(
                [
                    html.Button(
                        t("Download the catchment (GeoJSON)"),
                        id=ids.CATCH_GEOJSON,
                        n_clicks=0,
                        className="small",
                    ),
                    dcc.Download(id=ids.CATCH_DOWNLOAD),
                ],
                id=f"{ids.CATCH_GEOJSON}-box",
            ),
            dcc.Loading(html.Div(id=ids.CATCH_SUMMARY), type="dot", delay_show=300),
            dcc.Store(id=ids.CATCH_CLICK),
            dcc.Store(id=ids.CATCH_STORE),
        ],
        className="catchment",
    )


def catchment_layer() -> dl.LayerGroup:
    """The catchment, the snapping radius and the outlet on the map (filled by clicks)."""
    return dl.LayerGroup(id=ids.CATCH_LAYER)


def catchment_shapes(c: ClickCatchment) -> list[Any]:
    """Map children: the catchment polygon, the radius around the click, the outlet."""
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": shapely.geometry.mapping(c.geometry),
    }
    return [
        dl.GeoJSON(
            data={"type": "FeatureCollection", "features": [feature]},
            style={**CATCHMENT_STYLE, "className": CATCHMENT_CLASS},
            interactive=False,
            pane=AOI_PANE,  # above the communities; clicks go through it (landwater.css)
        ),
        dl.Circle(
            center=[c.lat, c.lon],
            radius=c.radius_m,
            className=CATCHMENT_CLASS,
            **RADIUS_STYLE,
            interactive=False,
            pane=AOI_PANE,  # above the communities; clicks go through it (landwater.css)
        ),
        dl.CircleMarker(
            center=[c.outlet_lat, c.outlet_lon],
            radius=OUTLET_RADIUS_PX,
            className=CATCHMENT_CLASS,
            **OUTLET_STYLE,
            interactive=False,
            pane=AOI_PANE,  # above the communities; clicks go through it (landwater.css)
        ),
    ]


def catchment_facts(c: ClickCatchment, t: Translate) -> html.Div:
    """Area, outlet and snap of the catchment, with its warnings and notes."""
    facts = html.P(
        [
            html.Strong(f"{t('Catchment')}: {number(c.area_km2, 2, t)} km²"),
            " · ",
            t("outlet {lat}, {lon}").format(lat=f"{c.outlet_lat:.5f}", lon=f"{c.outlet_lon:.5f}"),
            " · ",
            t("moved {moved} m (radius {radius} m)").format(
                moved=number(c.moved_m, 0, t), radius=number(c.radius_m, 0, t)
            ),
        ],
        className="catchment-facts",
    )
    notes = [
        html.Li(t(n.template).format(**n.values), className="catchment-warning") for n in c.notices
    ]
    return html.Div([facts, html.Ul(notes) if notes else None])


def catchment_feature(c: ClickCatchment, summary: dict[str, Any]) -> dict[str, Any]:
    """The catchment as a GeoJSON feature: its snap and its area-of-interest summary."""
    return {
        "type": "Feature",
        "properties": {**c.properties(), **summary},
        "geometry": shapely.geometry.mapping(c.geometry),
    }


def _plain(value: Any) -> Any:
    """A JSON-ready scalar (numpy numbers to Python, NaN to None)."""
    item = getattr(value, "item", None)
    value = item() if callable(item) else value
    if isinstance(value, float) and value != value:
        return None
    return value


def catchment_view(
    designer: DesignerService,
    delineator: Delineator,
    click: dict[str, Any] | None,
    radius_m: float | None,
    t: Translate,
) -> tuple[Any, Any, Any, Any, Any]:
    """Map shapes, summary panel, message, area of interest and feature of a click.

    A click that has no catchment gives its message and clears all the rest.
    """
    cleared: tuple[Any, Any] = ([], None)
    latlng = (click or {}).get("latlng") or {}
    try:
        lat, lon = float(latlng["lat"]), float(latlng["lng"])
    except (KeyError, TypeError, ValueError):
        return *cleared, t("Click on the map to delineate a catchment."), None, None
    if radius_m is None:
        text = t("Enter a snapping radius from 0 to {max_m} m.").format(max_m=f"{MAX_SNAP_M:,.0f}")
        return *cleared, problems_box([text]), None, None
    try:
        c = delineator.catchment(lon, lat, float(radius_m))
    except CatchmentError as exc:
        return *cleared, problems_box([t(exc.template).format(**exc.values)]), None, None
    except ValueError as exc:  # no elevation layer
        return *cleared, problems_box([str(exc)]), None, None
    area = shapely.geometry.mapping(c.geometry)
    feature = catchment_feature(c, {})
    if not designer.ready():
        hint = t("Summaries need results: run `landwater process` on this region.")
        return catchment_shapes(c), catchment_facts(c, t), hint, area, feature
    try:
        summary = area_summary(designer.planner.engine, c.geometry, t("Catchment"))
    except ValueError as exc:
        return catchment_shapes(c), catchment_facts(c, t), problems_box([str(exc)]), area, feature
    data = area_profile_data(summary, designer.service.land_use_colours())
    figures = {str(k): _plain(v) for k, v in summary.summary.items() if k not in ("id", "name")}
    panel = html.Div([catchment_facts(c, t), profile_panel(data, t)])
    return catchment_shapes(c), panel, "", area, catchment_feature(c, figures)


def catchment_file(feature: dict[str, Any] | None) -> tuple[str, bytes]:
    """The shown catchment as a GeoJSON file (name, bytes).

    Raises
    ------
    ValueError
        When no catchment is shown.
    """
    if not feature:
        raise ValueError("no catchment")
    collection = {"type": "FeatureCollection", "features": [feature]}
    return "catchment.geojson", json.dumps(collection, ensure_ascii=False).encode()
