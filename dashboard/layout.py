"""Layout builders: pure functions from the service's metadata to Dash components."""

from __future__ import annotations

import math

import dash_leaflet as dl
from dash import dcc, html

from dashboard import ids, indicators
from dashboard.service import LayerInfo, LegendEntry, RegionService

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


def indicator_controls(service: RegionService) -> html.Div:
    """Indicator selector and legend of the choropleth, or a hint to run processing."""
    summary = service.summary("communities")
    if summary is None:
        return html.Div(
            [
                html.P(
                    "No results yet: run `landwater process` on this region "
                    "to colour communities by indicator."
                )
            ],
            className="hint",
        )
    options = [
        {"label": f"{i.label} ({i.units})", "value": i.key} for i in indicators.available(summary)
    ]
    return html.Div(
        [
            html.Label("Colour communities by", htmlFor=ids.INDICATOR),
            dcc.Dropdown(
                options=options,
                value=options[0]["value"],
                id=ids.INDICATOR,
                clearable=False,
                searchable=False,
            ),
            html.Div(id=ids.CHORO_LEGEND),
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


def layer_table(infos: list[LayerInfo]) -> html.Table:
    """Source, date, units and licence of every layer."""
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Layer", "Source", "Date", "Units", "Licence")])
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


def map_component(service: RegionService) -> dl.Map:
    """The Leaflet map with base layers (offline hillshade, OpenStreetMap) and overlays."""
    centre, bounds = service.map_view()
    rain = service.tiles["rainfall_annual"]
    base = [
        dl.BaseLayer(
            dl.TileLayer(url=OSM_URL, attribution=OSM_ATTRIBUTION, id=ids.OSM),
            name="OpenStreetMap (online)",
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
                    attribution="Hillshade from the region DEM",
                ),
                name="Hillshade (offline)",
                checked=True,
            ),
        )
    overlays = [
        dl.Overlay(
            dl.TileLayer(url="/tiles/land_use/{z}/{x}/{y}.png", id=ids.LAND_USE, opacity=0.7),
            name="Land use",
            checked=True,
        ),
        dl.Overlay(
            dl.TileLayer(url=rainfall_url(0), id=ids.RAINFALL, opacity=0.7),
            name="Rainfall",
            checked=False,
        ),
        dl.Overlay(
            dl.GeoJSON(url="/geo/watersheds.geojson", id=ids.WATERSHEDS, style=WATERSHED_STYLE),
            name="Watersheds",
            checked=True,
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
                hideout={},
                zoomToBounds=False,
            ),
            name="Communities",
            checked=True,
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
            name="Project sites",
            checked=True,
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
            ),
            dl.ScaleControl(position="bottomleft", imperial=False),
            dl.Colorbar(
                id=ids.RAIN_COLORBAR,
                colorscale="YlGnBu",
                min=rain.value_range[0],
                max=rain.value_range[1],
                unit=rain.units,
                position="bottomright",
                width=240,
                height=12,
                nTicks=3,
            ),
        ],
        id=ids.MAP,
        center=list(centre),
        zoom=fit_zoom(bounds),
        bounds=bounds,
        style={"height": "100%", "width": "100%"},
    )


def side_panel(service: RegionService) -> html.Aside:
    """Region name and labels, the month selector, legends and layer provenance."""
    cfg = service.region.config.region
    badge = html.Span("SYNTHETIC DATA", className="badge-synthetic") if cfg.synthetic else None
    return html.Aside(
        [
            html.H1(cfg.name, className="region-name"),
            badge,
            html.P(cfg.description, className="region-description"),
            html.Label("Rainfall month", htmlFor=ids.MONTH),
            dcc.Slider(
                0, 12, 1, value=0, id=ids.MONTH, marks={i: m for i, m in enumerate(MONTH_MARKS)}
            ),
            html.H2("Communities"),
            indicator_controls(service),
            html.H2("Selected community"),
            html.Div("Click a community on the map.", id=ids.SELECTED, className="selected"),
            html.Div(id=ids.PROFILE),
            html.H2("Land use"),
            legend(service.land_use_legend()),
            html.H2("Layers"),
            layer_table(service.layer_infos()),
        ],
        id=ids.PANEL,
        className="side-panel",
    )


def build_layout(service: RegionService) -> html.Div:
    """The whole page: side panel and full-height map."""
    return html.Div(
        [side_panel(service), html.Main(map_component(service), className="map-wrap")],
        className="app",
    )
