"""Layout builders: pure functions from the service's metadata to Dash components."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import dash_leaflet as dl
from dash import dcc, html

from dashboard import ids, indicators
from dashboard.i18n import LANGUAGES, Translate, translator
from dashboard.service import RESULT_LAYERS, LayerInfo, LegendEntry, RegionService
from dashboard.viewstate import ViewState

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
MONTH_MARKS = ["Yr", "J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"]
COMMUNITY_STYLE = {"color": "#3d3d3d", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.05}
WATERSHED_STYLE = {"color": "#1f4e9c", "weight": 2.5, "fill": False, "dashArray": "6 4"}


def fit_zoom(bounds: list[list[float]], width_px: int = 900, height_px: int = 700) -> int:
    """Largest web-mercator zoom at which ``[[south, west], [north, east]]`` fits the given size."""
    (s, w), (n, e) = bounds
    lon_span = max(e - w, 1e-9)
    lat_span = max(n - s, 1e-9) / max(math.cos(math.radians((s + n) / 2)), 1e-6)
    zx = math.log2(width_px * 360.0 / (256.0 * lon_span))
    zy = math.log2(height_px * 360.0 / (256.0 * lat_span))
    return max(0, min(18, math.floor(min(zx, zy))))


def rainfall_url(month: int) -> str:
    """Tile URL of annual (``month == 0``) or monthly rainfall."""
    if month == 0:
        return "/tiles/rainfall_annual/{z}/{x}/{y}.png"
    return f"/tiles/rainfall/{{z}}/{{x}}/{{y}}.png?band={month}"


def choropleth_legend(title: str, rows: list[tuple[str, str]]) -> html.Div:
    """Legend of the community choropleth: class limits with units."""
    return html.Div(
        [html.Div(title, className="legend-title")]
        + [
            html.Div(
                [html.Span(className="swatch", style={"background": c}), html.Span(label)],
                className="legend-row",
            )
            for c, label in rows
        ],
        className="legend",
    )


NO_RESULTS_HINT = (
    "No results yet: run `landwater process` on this region to colour communities by indicator."
)


def chosen_indicator(service: RegionService, key: str | None) -> indicators.Indicator | None:
    """The indicator named ``key`` if the results have it, else the first available one."""
    summary = service.summary("communities")
    if summary is None:
        return None
    available = indicators.available(summary)
    return next((i for i in available if i.key == key), available[0] if available else None)


def initial_hideout(service: RegionService, view: ViewState) -> dict[str, object]:
    """Choropleth colours of the view's indicator, so the map is coloured on first paint."""
    summary = service.summary("communities")
    indicator = chosen_indicator(service, view.indicator)
    if summary is None or indicator is None:
        return {}
    sel = view.selection
    selected = sel["id"] if sel and sel["level"] == "communities" else None
    return indicators.hideout(summary, indicator, selected)


def indicator_controls(service: RegionService, view: ViewState | None = None) -> html.Div:
    """Indicator selector and legend of the choropleth, or a hint to run processing."""
    summary = service.summary("communities")
    if summary is None:
        # the callbacks' components exist (hidden) so they work once results appear
        hint = translator((view or ViewState()).lang)(NO_RESULTS_HINT)
        return html.Div(
            [
                html.P(hint),
                dcc.Dropdown(options=[], id=ids.INDICATOR, style={"display": "none"}),
                html.Div(id=ids.CHORO_LEGEND),
            ],
            className="hint",
        )
    t = translator((view or ViewState()).lang)
    options = [
        {"label": f"{t(i.label)} ({i.units})", "value": i.key}
        for i in indicators.available(summary)
    ]
    return html.Div(
        [
            html.Label(t("Colour communities by"), htmlFor=ids.INDICATOR),
            dcc.Dropdown(
                options=options,
                value=getattr(
                    chosen_indicator(service, (view or ViewState()).indicator), "key", None
                ),
                id=ids.INDICATOR,
                clearable=False,
                searchable=False,
            ),
            html.Div(id=ids.CHORO_LEGEND),
        ]
    )


def unit_search(service: RegionService, view: ViewState | None = None) -> dcc.Dropdown:
    """Searchable list of communities and watersheds that opens a profile (empty before results)."""
    options = service.unit_options()
    return dcc.Dropdown(
        options=options,
        id=ids.SEARCH,
        value=_selection_value((view or ViewState()).selection),
        placeholder=translator((view or ViewState()).lang)("Find a community or watershed..."),
        searchable=True,
    )


def _selection_value(selection: dict[str, str] | None) -> str | None:
    return f"{selection['level']}:{selection['id']}" if selection else None


def sites_url(
    types: list[str], statuses: list[str], all_types: list[str], all_statuses: list[str]
) -> str:
    """URL of the project sites, filtered by the checked types and statuses."""
    query = [("type", t) for t in types if len(types) < len(all_types)]
    query += [("status", s) for s in statuses if len(statuses) < len(all_statuses)]
    if (not types and all_types) or (not statuses and all_statuses):
        query.append(("none", "1"))
    return "/geo/sites.geojson" + ("?" + urlencode(query) if query else "")


def site_filters(service: RegionService, t: Translate = str) -> html.Div | None:
    """Checklists filtering project sites by type and status."""
    if not service.site_types:
        return None
    return html.Div(
        [
            html.Div(t("Type"), className="legend-title"),
            dcc.Checklist(
                options=[{"label": k.replace("_", " "), "value": k} for k in service.site_types],
                value=service.site_types,
                id=ids.SITE_TYPES,
                className="checklist",
            ),
            html.Div(t("Status"), className="legend-title"),
            dcc.Checklist(
                options=[{"label": s, "value": s} for s in service.site_statuses],
                value=service.site_statuses,
                id=ids.SITE_STATUS,
                className="checklist",
            ),
        ]
    )


def legend(entries: list[LegendEntry]) -> html.Div:
    """A categorical legend: colour swatch and class name per entry."""
    return html.Div(
        [
            html.Div(
                [html.Span(className="swatch", style={"background": e.colour}), html.Span(e.name)],
                className="legend-row",
            )
            for e in entries
        ],
        id=ids.LEGEND_LAND_USE,
        className="legend",
    )


def layer_table(infos: list[LayerInfo], t: Translate = str) -> html.Table:
    """Source, date, units and licence of every layer."""
    head = html.Thead(
        html.Tr([html.Th(t(h)) for h in ("Layer", "Source", "Date", "Units", "Licence")])
    )
    rows = [
        html.Tr(
            [
                html.Td(i.title),
                html.Td(i.source),
                html.Td(i.date),
                html.Td(i.units),
                html.Td(i.licence),
            ]
        )
        for i in infos
    ]
    return html.Table([head, html.Tbody(rows)], id=ids.LAYER_INFO, className="layer-table")


RAINFALL_OVERLAY = "Rainfall"
RASTER_OPACITY = 0.7


def result_layer_id(key: str) -> str:
    """Component id of a result raster's tile layer."""
    return f"result-tiles-{key}"


COLORSCALES = {"blues": "Blues", "oranges": "Oranges", "purples": "Purples", "ylgnbu": "YlGnBu"}


def overlay_name(key: str, t: Translate = str) -> str:
    """Layer-control name of a result raster overlay (also its name in shared URLs)."""
    return f"{t(RESULT_LAYERS[key][0])} (mm/yr)"


def colorbar_children(
    service: RegionService, overlays: list[str] | None, month: int, t: Translate = str
) -> list[dl.Colorbar]:
    """Colour bar of the last checked continuous raster overlay (none when there is none)."""
    checked = list(overlays or [])
    candidates = [(t(RAINFALL_OVERLAY), "rainfall_annual" if month == 0 else "rainfall")]
    candidates += [(overlay_name(k, t), k) for k in RESULT_LAYERS if k in service.tiles]
    shown = [key for name, key in candidates if name in checked]
    if not shown:
        return []
    source = service.tiles[shown[-1]]
    return [
        dl.Colorbar(
            colorscale=COLORSCALES.get(source.colormap_name, "YlGnBu"),
            min=source.value_range[0],
            max=source.value_range[1],
            unit=source.units,
            position="bottomright",
            width=240,
            height=12,
            nTicks=3,
            className="raster-colorbar",
        )
    ]


def is_on(view: ViewState, name: str, default: bool) -> bool:
    """Whether an overlay starts checked: as in the view's layer list, else its default."""
    return default if view.overlays is None else name in view.overlays


def result_overlays(service: RegionService, view: ViewState | None = None) -> list[dl.Overlay]:
    """Overlays of the result rasters (water yield, deficit, ...)."""
    view = view or ViewState()
    t = translator(view.lang)
    out = []
    for key in RESULT_LAYERS:
        source = service.tiles.get(key)
        if source is None:
            continue
        out.append(
            dl.Overlay(
                dl.TileLayer(
                    url=f"/tiles/{key}/{{z}}/{{x}}/{{y}}.png",
                    opacity=RASTER_OPACITY,
                    id=result_layer_id(key),
                ),
                name=overlay_name(key, t),
                checked=is_on(view, overlay_name(key, t), False),
            )
        )
    return out


def map_component(service: RegionService, view: ViewState | None = None) -> dl.Map:
    """The Leaflet map with base layers (offline hillshade, OpenStreetMap) and overlays."""
    view = view or ViewState()
    t = translator(view.lang)
    centre, bounds = service.map_view()
    if view.lat is not None and view.lon is not None:
        centre = (view.lat, view.lon)
    base = [
        dl.BaseLayer(
            dl.TileLayer(url=OSM_URL, attribution=OSM_ATTRIBUTION, id=ids.OSM),
            name=t("OpenStreetMap (online)"),
            checked=False,
        ),
    ]
    if "hillshade" in service.tiles:
        base.insert(
            0,
            dl.BaseLayer(
                dl.TileLayer(
                    url="/tiles/hillshade/{z}/{x}/{y}.png",
                    id=ids.HILLSHADE,
                    attribution=t("Hillshade from the region DEM"),
                ),
                name=t("Hillshade (offline)"),
                checked=True,
            ),
        )
    overlays = [
        dl.Overlay(
            dl.TileLayer(
                url="/tiles/land_use/{z}/{x}/{y}.png", id=ids.LAND_USE, opacity=RASTER_OPACITY
            ),
            name=t("Land use"),
            checked=is_on(view, t("Land use"), True),
        ),
        dl.Overlay(
            dl.TileLayer(url=rainfall_url(0), id=ids.RAINFALL, opacity=RASTER_OPACITY),
            name=t(RAINFALL_OVERLAY),
            checked=is_on(view, t(RAINFALL_OVERLAY), False),
        ),
        *result_overlays(service, view),
        dl.Overlay(
            dl.GeoJSON(url="/geo/watersheds.geojson", id=ids.WATERSHEDS, style=WATERSHED_STYLE),
            name=t("Watersheds"),
            checked=is_on(view, t("Watersheds"), True),
        )
        if "watersheds" in service.geojson
        else None,
        dl.Overlay(
            dl.GeoJSON(
                url="/geo/communities.geojson",
                id=ids.COMMUNITIES,
                style={"variable": "landwater.choropleth"}
                if service.results is not None
                else COMMUNITY_STYLE,
                hideout=initial_hideout(service, view),
                zoomToBounds=False,
            ),
            name=t("Communities"),
            checked=is_on(view, t("Communities"), True),
        ),
        dl.Overlay(
            dl.GeoJSON(
                url="/geo/sites.geojson",
                id=ids.SITES,
                cluster=True,
                zoomToBoundsOnClick=True,
                superClusterOptions={"radius": 50},
                pointToLayer={"variable": "landwater.sitePoint"},
            ),
            name=t("Project sites"),
            checked=is_on(view, t("Project sites"), True),
        )
        if "sites" in service.geojson
        else None,
    ]
    return dl.Map(
        [
            dl.LayersControl(
                base + [o for o in overlays if o is not None],
                id=ids.LAYERS_CONTROL,
                collapsed=False,
                # the checked overlays from the start, so a view shared before any toggle is right
                overlays=[o.name for o in overlays if o is not None and o.checked],
            ),
            dl.ScaleControl(position="bottomleft", imperial=False),
            dl.LayerGroup(id=ids.COLORBAR),
        ],
        id=ids.MAP,
        center=list(centre),
        zoom=view.zoom if view.zoom is not None else fit_zoom(bounds),
        trackViewport=True,
        style={"height": "100%", "width": "100%"},
    )


def side_panel(service: RegionService, view: ViewState | None = None) -> html.Aside:
    """Region name and labels, the month selector, legends and layer provenance."""
    view = view or ViewState()
    t = translator(view.lang)
    cfg = service.region.config.region
    badge = html.Span(t("SYNTHETIC DATA"), className="badge-synthetic") if cfg.synthetic else None
    return html.Aside(
        [
            html.Div(
                [
                    html.H1(cfg.name, className="region-name"),
                    dcc.RadioItems(
                        options=[{"label": code.upper(), "value": code} for code in LANGUAGES],
                        value=view.lang,
                        id=ids.LANG,
                        className="lang-select",
                        inline=True,
                    ),
                ],
                className="panel-head",
            ),
            badge,
            html.P(cfg.description, className="region-description"),
            html.Label(t("Rainfall month"), htmlFor=ids.MONTH),
            dcc.Slider(
                0,
                12,
                1,
                value=view.month,
                id=ids.MONTH,
                marks={i: t(m) if i == 0 else m for i, m in enumerate(MONTH_MARKS)},
            ),
            html.H2(t("Communities")),
            indicator_controls(service, view),
            html.H2(t("Selected community")),
            html.Div(t("Click a community on the map."), id=ids.SELECTED, className="selected"),
            unit_search(service, view),
            dcc.Store(id=ids.SELECTION, data=view.selection),
            dcc.Loading(html.Div(id=ids.PROFILE), type="dot", delay_show=300),
            html.H2(t("Project sites")),
            site_filters(service, t),
            html.Label(t("Raster opacity"), htmlFor=ids.OPACITY),
            dcc.Slider(
                0, 1, 0.1, value=RASTER_OPACITY, id=ids.OPACITY, marks={0: "0", 0.5: "0.5", 1: "1"}
            ),
            html.H2(t("Land use")),
            legend(service.land_use_legend()),
            html.H2(t("Layers")),
            layer_table(service.layer_infos(), t),
        ],
        id=ids.PANEL,
        className="side-panel",
    )


def build_layout(service: RegionService, view: ViewState | None = None) -> html.Div:
    """The whole page for a view: side panel, full-height map and the URL that shares it."""
    view = view or ViewState()
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            html.Div(id=ids.PROGRESS, className="progress-banner", role="status"),
            dcc.Interval(id=ids.PROGRESS_POLL, interval=1000),
            # load plotly.js with the page, not on the first profile click
            dcc.Graph(id=ids.PLOTLY_PRELOAD, style={"display": "none"}),
            html.Button(
                translator(view.lang)("Layers & details"),
                id=ids.PANEL_TOGGLE,
                className="panel-toggle",
                n_clicks=0,
                title=translator(view.lang)("Show or hide the side panel"),
            ),
            side_panel(service, view),
            html.Main(map_component(service, view), className="map-wrap"),
        ],
        id=ids.APP,
        className="app",
    )
