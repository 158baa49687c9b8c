"""The Leaflet map: base layers, overlays (tiles and GeoJSON by URL) and the colour bar."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

import dash_leaflet as dl
from dash.development.base_component import Component

from dashboard import ids, indicators
from dashboard.i18n import Translate, language_of, number, translator, unit
from dashboard.service import RegionService
from dashboard.viewstate import ViewState

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
COMMUNITY_STYLE = {"color": "#3d3d3d", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.05}
WATERSHED_STYLE = {"color": "#1f4e9c", "weight": 2.5, "fill": False, "dashArray": "6 4"}


def rainfall_url(month: int) -> str:
    """Tile URL of annual (``month == 0``) or monthly rainfall."""
    if month == 0:
        return "/tiles/rainfall_annual/{z}/{x}/{y}.png"
    return f"/tiles/rainfall/{{z}}/{{x}}/{{y}}.png?band={month}"


def chosen_indicator(
    service: RegionService, key: str | None, lang: str = "en"
) -> indicators.Indicator | None:
    """The indicator named ``key`` if the results have it, else the first available one.

    Intervention names are in language ``lang`` where the region names them.
    """
    summary = service.summary("communities")
    if summary is None:
        return None
    names = service.intervention_names_in(lang)
    available = indicators.available(summary, names, dict(service.crops()))
    return next((i for i in available if i.key == key), available[0] if available else None)


def initial_hideout(service: RegionService, view: ViewState) -> dict[str, object]:
    """Choropleth colours of the view's indicator, so the map is coloured on first paint."""
    summary = service.summary("communities")
    indicator = chosen_indicator(service, view.indicator)
    if summary is None or indicator is None:
        return {}
    sel = view.selection
    selected = sel["id"] if sel and sel["level"] == "communities" else None
    return indicators.hideout(summary, indicator, service.community_ids, selected)


RAINFALL_OVERLAY = "Rainfall"
# project sites by type (Okabe-Ito, colour-blind safe); other types are drawn in SITE_OTHER
SITE_COLOURS = {
    "water_pan": "#0072B2",
    "sand_dam": "#E69F00",
    "agroforestry_plot": "#009E73",
    "small_irrigation": "#56B4E9",
    "tree_nursery": "#CC79A7",
    "spring_protection": "#D55E00",
}
SITE_OTHER = "#555555"
SITES_PANE = "sites"
SITES_PANE_Z = 450  # above Leaflet's overlayPane (400, the polygons), below markers (600)
CONTEXT_PANE = "context"
CONTEXT_PANE_Z = 420  # roads and protected areas: over the coloured communities, under sites
AOI_PANE = "aoi"
AOI_PANE_Z = 430  # the designer's area of interest: over the context layers, under sites
DESIGN_OVERLAY = "Suitability (designer weights)"  # scores 0..1 of the live weights
ROBUST_OVERLAY = "Robust top N"  # the designer's most robust communities (stars)
PORTFOLIO_OVERLAY = "Budget portfolio"  # the communities the designer's budget funds
CANVAS_ABOVE_UNITS = 2000
RASTER_OPACITY = 0.7


def site_filter(
    types: list[str], statuses: list[str], all_types: list[str], all_statuses: list[str]
) -> tuple[list[str], list[str], bool]:
    """The checked types and statuses as a filter.

    Returns the types and the statuses to keep (an empty list keeps all), and whether nothing
    is to be shown (no type or no status checked).
    """
    keep_types = list(types) if len(types) < len(all_types) else []
    keep_statuses = list(statuses) if len(statuses) < len(all_statuses) else []
    none = bool((not types and all_types) or (not statuses and all_statuses))
    return keep_types, keep_statuses, none


def sites_url(
    types: list[str],
    statuses: list[str],
    all_types: list[str],
    all_statuses: list[str],
    lang: str = "en",
) -> str:
    """URL of the project sites, filtered by the checked types and statuses.

    Their popups are in language ``lang``.
    """
    keep_types, keep_statuses, none = site_filter(types, statuses, all_types, all_statuses)
    query = [("type", t) for t in keep_types] + [("status", s) for s in keep_statuses]
    if none:
        query.append(("none", "1"))
    if lang != "en":
        query.append(("lang", lang))
    return "/geo/sites.geojson" + ("?" + urlencode(query) if query else "")


def result_layer_id(key: str) -> str:
    """Component id of a result raster's tile layer."""
    return f"result-tiles-{key}"


COLORSCALES = {
    "blues": "Blues",
    "oranges": "Oranges",
    "purples": "Purples",
    "ylgnbu": "YlGnBu",
    "greens": "Greens",
}


def overlay_name(service: RegionService, key: str, t: Translate = str) -> str:
    """Layer-control name of a result raster overlay (also its name in shared URLs)."""
    label, subject, units = service.result_layers(language_of(t))[key]
    return f"{t(label)}{': ' + subject if subject else ''} ({unit(units, t)})"


def colorbar_children(
    service: RegionService, overlays: list[str] | None, month: int, t: Translate = str
) -> list[dl.Colorbar]:
    """Colour bar of the last checked continuous raster overlay (none when there is none)."""
    checked = list(overlays or [])
    candidates = [(t(RAINFALL_OVERLAY), "rainfall_annual" if month == 0 else "rainfall")]
    candidates += [(overlay_name(service, k, t), k) for k in service.result_layers()]
    candidates.append((t(DESIGN_OVERLAY), DESIGN_OVERLAY))
    shown = [key for name, key in candidates if name in checked]
    if not shown:
        return []
    if shown[-1] == DESIGN_OVERLAY:  # re-weighted scores (designer_service: greens, 0..1)
        return [_colorbar("Greens", 0.0, 1.0, unit("score 0..1", t), t)]
    source = service.tiles[shown[-1]]
    return [
        _colorbar(
            COLORSCALES.get(source.colormap_name, "YlGnBu"),
            source.value_range[0],
            source.value_range[1],
            unit(source.units, t),
            t,
        )
    ]


COLORBAR_TICKS = 3  # low, middle, high


def colorbar_ticks(low: float, high: float, t: Translate = str) -> tuple[list[float], list[str]]:
    """Tick values of a colour bar and their labels as ``t``'s language writes numbers.

    Decimals follow the range: none from 10 units up, one from 1, two below.
    """
    span = abs(high - low)
    digits = 0 if span >= 10 else 1 if span >= 1 else 2
    values = [low + (high - low) * i / (COLORBAR_TICKS - 1) for i in range(COLORBAR_TICKS)]
    return values, [number(v, digits, t) for v in values]


def _colorbar(
    colorscale: str, low: float, high: float, units: str, t: Translate = str
) -> dl.Colorbar:
    values, labels = colorbar_ticks(low, high, t)
    # with tick texts given, dash-leaflet shows no unit: the last tick carries it
    labels[-1] = f"{labels[-1]} {units}"
    return dl.Colorbar(
        colorscale=colorscale,
        min=low,
        max=high,
        unit=units,
        position="bottomright",
        width=240,
        height=12,
        tickValues=values,
        tickText=labels,
        className="raster-colorbar",
    )


def is_on(view: ViewState, name: str, default: bool) -> bool:
    """Whether the overlay ``name`` (English) starts checked: as in the view, else its default.

    Shared URLs name overlays in English; a translated name is read too.
    """
    if view.overlays is None:
        return default
    return name in view.overlays or translator(view.lang)(name) in view.overlays


FIXED_OVERLAYS = (
    "Land use",
    RAINFALL_OVERLAY,
    DESIGN_OVERLAY,
    ROBUST_OVERLAY,
    PORTFOLIO_OVERLAY,
    "Watersheds",
    "Communities",
)
SITES_OVERLAY = "Project sites"
# context layers (map_assets.CONTEXT_LAYERS): English name, style, shown by default; drawn
# for reading only, so a click reaches the community under them
ROADS_STYLE = {"color": "#7f3b08", "weight": 2, "opacity": 0.85}
PROTECTED_STYLE = {
    "color": "#1b7837",
    "weight": 2,
    "dashArray": "2 4",
    "fillColor": "#1b7837",
    "fillOpacity": 0.12,
}
CONTEXT_OVERLAYS: dict[str, tuple[str, dict[str, object], bool]] = {
    "roads": ("Roads", ROADS_STYLE, True),
    "protected_areas": ("Protected areas", PROTECTED_STYLE, True),
}


def overlay_names(service: RegionService, t: Translate) -> dict[str, str]:
    """Every overlay's name as shown in ``t``'s language -> its English name (used in URLs)."""
    context = tuple(name for name, _, _ in CONTEXT_OVERLAYS.values())
    names = {t(n): n for n in (*FIXED_OVERLAYS, SITES_OVERLAY, *context)}
    names.update(
        {overlay_name(service, k, t): overlay_name(service, k) for k in service.result_layers()}
    )
    return names


def english_overlays(
    service: RegionService, overlays: Sequence[str] | None, t: Translate
) -> list[str] | None:
    """The checked overlays' English names, so a shared view survives a language switch."""
    if overlays is None:
        return None
    names = overlay_names(service, t)
    return [names.get(o, o) for o in overlays]


def result_overlays(service: RegionService, view: ViewState | None = None) -> list[dl.Overlay]:
    """Overlays of the result rasters (water yield, deficit, ...)."""
    view = view or ViewState()
    t = translator(view.lang)
    out = []
    for key in service.result_layers():
        out.append(
            dl.Overlay(
                dl.TileLayer(
                    url=f"/tiles/{key}/{{z}}/{{x}}/{{y}}.png",
                    opacity=RASTER_OPACITY,
                    id=result_layer_id(key),
                ),
                name=overlay_name(service, key, t),
                checked=is_on(view, overlay_name(service, key), False),
            )
        )
    return out


def context_overlays(service: RegionService, view: ViewState) -> list[dl.Overlay]:
    """The region's roads and protected areas (those it has), not clickable."""
    t = translator(view.lang)
    out = []
    for role, (name, style, default) in CONTEXT_OVERLAYS.items():
        if role not in service.geojson:
            continue
        layer = dl.GeoJSON(
            url=f"/geo/{role}.geojson",
            id=f"context-{role}",
            style=style,
            interactive=False,
            pane=CONTEXT_PANE,
        )
        out.append(dl.Overlay(layer, name=t(name), checked=is_on(view, name, default)))
    return out


def base_layers(service: RegionService, t: Translate) -> list[dl.BaseLayer]:
    """Base layers: the offline hillshade (default), OpenStreetMap and the user's basemap.

    The online ones are fetched only once chosen (Leaflet loads the tiles of the shown base).
    """
    base = [
        dl.BaseLayer(
            dl.TileLayer(url=OSM_URL, attribution=OSM_ATTRIBUTION, id=ids.OSM),
            name=t("OpenStreetMap (online)"),
            checked=False,
        ),
    ]
    user = service.region.config.map
    if user.basemap_url:
        base.append(
            dl.BaseLayer(
                dl.TileLayer(
                    url=user.basemap_url,
                    attribution=escape(user.basemap_attribution),
                    id=ids.USER_BASEMAP,
                ),
                name=escape(f"{user.basemap_name} ({t('online')})"),
                checked=False,
            )
        )
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
    return base


def map_component(
    service: RegionService,
    view: ViewState | None = None,
    extra_overlays: Sequence[dl.Overlay] = (),
    extra_layers: Sequence[Component] = (),
) -> dl.Map:
    """The Leaflet map with base layers (offline hillshade, OpenStreetMap) and overlays.

    ``extra_overlays`` join the layer control after the result rasters; ``extra_layers``
    (e.g. the designer's candidate markers) are always shown.
    """
    view = view or ViewState()
    t = translator(view.lang)
    centre, bounds = service.map_view()
    if view.lat is not None and view.lon is not None:
        centre = (view.lat, view.lon)
    base = base_layers(service, t)
    overlays = [
        dl.Overlay(
            dl.TileLayer(
                url="/tiles/land_use/{z}/{x}/{y}.png", id=ids.LAND_USE, opacity=RASTER_OPACITY
            ),
            name=t("Land use"),
            checked=is_on(view, "Land use", True),
        ),
        dl.Overlay(
            dl.TileLayer(url=rainfall_url(0), id=ids.RAINFALL, opacity=RASTER_OPACITY),
            name=t(RAINFALL_OVERLAY),
            checked=is_on(view, RAINFALL_OVERLAY, False),
        ),
        *result_overlays(service, view),
        *extra_overlays,
        dl.Overlay(
            dl.GeoJSON(
                url="/geo/watersheds.pbf",
                format="geobuf",
                id=ids.WATERSHEDS,
                style=WATERSHED_STYLE,
            ),
            name=t("Watersheds"),
            checked=is_on(view, "Watersheds", True),
        )
        if "watersheds" in service.geojson
        else None,
        *context_overlays(service, view),
        dl.Overlay(
            dl.GeoJSON(
                url="/geo/communities.pbf",
                format="geobuf",
                id=ids.COMMUNITIES,
                style={"variable": "landwater.choropleth"}
                if service.results is not None
                else COMMUNITY_STYLE,
                hideout=initial_hideout(service, view),
                onEachFeature={"variable": "landwater.communityFeature"},
                zoomToBounds=False,
            ),
            name=t("Communities"),
            checked=is_on(view, "Communities", True),
        ),
        dl.Overlay(
            dl.GeoJSON(
                url=sites_url([], [], [], [], view.lang),
                id=ids.SITES,
                cluster=True,
                zoomToBoundsOnClick=True,
                superClusterOptions={"radius": 50},
                pointToLayer={"variable": "landwater.sitePoint"},
                hideout={"colours": SITE_COLOURS, "pane": SITES_PANE},
            ),
            name=t("Project sites"),
            checked=is_on(view, "Project sites", True),
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
            # the sites' own pane lies above the community polygons, so a click on a site
            # reaches the site (its popup), not the community under it
            dl.Pane(name=SITES_PANE, style={"zIndex": SITES_PANE_Z}),
            dl.Pane(name=CONTEXT_PANE, style={"zIndex": CONTEXT_PANE_Z}),
            # drawn for reading: clicks go through these two panes (assets/landwater.css)
            dl.Pane(name=AOI_PANE, style={"zIndex": AOI_PANE_Z}),
            dl.LayerGroup(id=ids.COLORBAR),
            *extra_layers,
        ],
        id=ids.MAP,
        # thousands of polygons draw on one canvas; a few hundred stay SVG paths (crisp,
        # styled and inspectable in the DOM)
        preferCanvas=len(service.community_ids) > CANVAS_ABOVE_UNITS,
        # the zoom of the URL, or the region fitted by Leaflet to the map's own box (a phone's
        # too): react-leaflet fits the bounds when given no zoom (the centre is still needed by
        # dash-leaflet's viewport tracking)
        center=list(centre),
        **({"zoom": view.zoom} if view.zoom is not None else {"bounds": bounds}),
        trackViewport=True,
        style={"height": "100%", "width": "100%"},
    )
