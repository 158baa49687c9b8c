"""Printable maps (PNG, PDF) of a :class:`~dashboard.map_export.MapRequest`.

Basemap (the offline hillshade), layers, legend with units, scale bar, north arrow, title
and sources. The map is drawn in the region's working CRS (metres), rasters cell by cell
with the colours of the map's tiles (:func:`dashboard.tiles.colour_cells`), outlines with
the map's styles. Matplotlib draws on its own ``Figure`` (no pyplot, no global figure).
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib as mpl
import numpy as np
import shapely
from geopandas import GeoDataFrame
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pyproj import Geod, Transformer

from dashboard.i18n import Translate, translator
from dashboard.map_export import (
    DPI,
    VECTOR_LAYERS,
    MapRequest,
    layer_label,
    map_filename,
    map_title,
    sources_text,
)
from dashboard.map_layout import (
    COMMUNITY_STYLE,
    PROTECTED_STYLE,
    ROADS_STYLE,
    SITE_COLOURS,
    SITE_OTHER,
    WATERSHED_STYLE,
    colorbar_ticks,
)
from dashboard.service import RegionService
from dashboard.tiles import TileSource, colour_cells, colour_table
from layers.io import read_band_view

# figure fractions: the map's box and the side column (legend, colour bar)
MAP_BOX = (0.02, 0.1, 0.7, 0.8)
SIDE_LEFT, SIDE_WIDTH = 0.75, 0.22
TITLE_PT, TEXT_PT, SOURCES_PT = 15, 8, 6.5
LABEL_CHARS = 40  # the colour bar's label wraps at this width (the side column's)
LEGEND_ROWS = 18  # more legend entries than this go in two columns
SCALE_BAR_SHARE = 0.25  # the scale bar spans at most this share of the map's width
# outline layers: colour (the map's), width in points, dash pattern (offset, (on, off))
LINE_STYLES: dict[str, tuple[str, float, str | tuple[int, tuple[int, int]]]] = {
    "communities": (str(COMMUNITY_STYLE["color"]), 0.6, "solid"),
    "watersheds": (str(WATERSHED_STYLE["color"]), 1.4, (0, (4, 3))),
    "roads": (str(ROADS_STYLE["color"]), 1.0, "solid"),
    "protected_areas": (str(PROTECTED_STYLE["color"]), 1.0, (0, (1, 2))),
}


def _raster_source(service: RegionService, key: str, month: int) -> tuple[TileSource, int]:
    """The tile source of a raster layer and its band (the month of monthly rainfall)."""
    if key == "rainfall":
        return (
            (service.tiles["rainfall"], month) if month else (service.tiles["rainfall_annual"], 1)
        )
    return service.tiles[key], 1


def _view_bounds(
    service: RegionService, bbox: tuple[float, float, float, float] | None
) -> tuple[float, float, float, float]:
    """``(left, bottom, right, top)`` in the working CRS: the bbox's, else the grid's."""
    if bbox is None:
        return tuple(float(v) for v in service.registry.grid.bounds)  # type: ignore[return-value]
    to_crs = Transformer.from_crs(4326, service.registry.crs, always_xy=True)
    return tuple(float(v) for v in to_crs.transform_bounds(*bbox))  # type: ignore[return-value]


def _draw_raster(
    ax: Axes, source: TileSource, band: int, bounds: tuple[float, ...], side: int, opacity: float
) -> None:
    try:
        data, (left, bottom, right, top) = read_band_view(source.path, bounds, band, side)  # type: ignore[arg-type]
    except ValueError:
        return  # the raster does not reach the view
    valid = np.isfinite(data)
    if source.kind == "shade":
        valid &= data > 0  # 0 is the hillshade's no-data
    rgba = colour_cells(source, np.where(valid, data, 0), valid)
    rgba[..., 3] = (rgba[..., 3] * opacity).astype(np.uint8)
    ax.imshow(rgba, extent=(left, right, bottom, top), origin="upper", interpolation="nearest")


def _line_parts(geoms: GeoDataFrame) -> list[np.ndarray]:
    """Coordinates of every line of the geometries (polygons by their rings)."""
    geom = geoms.geometry.to_numpy()
    polygonal = shapely.get_type_id(geom) >= 3
    lines = np.where(polygonal, shapely.boundary(geom), geom)
    return [shapely.get_coordinates(p) for p in shapely.get_parts(lines) if not p.is_empty]


def _vector_frame(service: RegionService, key: str) -> GeoDataFrame | None:
    reg = service.registry
    return {
        "communities": lambda: reg.communities,
        "watersheds": lambda: reg.watersheds,
        "sites": lambda: reg.sites,
        "roads": lambda: reg.roads,
        "protected_areas": lambda: reg.protected_areas,
    }[key]()


def _draw_vector(
    ax: Axes, service: RegionService, key: str, bounds: tuple[float, ...], t: Translate
) -> list[object]:
    """Draw one outline layer clipped to the view; its legend handles."""
    gdf = _vector_frame(service, key)
    if gdf is None:
        return []
    left, bottom, right, top = bounds
    part = gdf.cx[left:right, bottom:top]
    label = t(VECTOR_LAYERS[key][0])
    if key == "sites":
        spec = service.region.config.layers.project_sites
        field = spec.type_field if spec is not None else ""
        types = part[field].astype(str) if field in part else None
        handles: list[object] = []
        for kind in sorted(set(types)) if types is not None else ["site"]:
            pts = part[types == kind] if types is not None else part
            colour = SITE_COLOURS.get(kind, SITE_OTHER)
            ax.scatter(
                pts.geometry.x,
                pts.geometry.y,
                s=18,
                c=colour,
                edgecolors="white",
                linewidths=0.6,
                zorder=6,
            )
            handles.append(
                Line2D([], [], marker="o", ls="", color=colour, label=t(kind.replace("_", " ")))
            )
        return handles
    colour, width, dash = LINE_STYLES[key]
    lines = LineCollection(
        _line_parts(part), colors=colour, linewidths=width, linestyles=dash, zorder=5
    )
    ax.add_collection(lines)
    return [Line2D([], [], color=colour, lw=width, ls=dash, label=label)]


def scale_bar_m(span_m: float) -> float:
    """A round length (1, 2 or 5 x 10^k m) of at most :data:`SCALE_BAR_SHARE` of ``span_m``."""
    most = span_m * SCALE_BAR_SHARE
    power = 10 ** math.floor(math.log10(most))
    return float(max(k * power for k in (1, 2, 5) if k * power <= most))


def _draw_scale_bar(ax: Axes, service: RegionService, t: Translate) -> None:
    """A bar of a round ground length, measured on the ellipsoid (pyproj's geodesic)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    to_lonlat = Transformer.from_crs(service.registry.crs, 4326, always_xy=True)
    xs, ys = x0 + 0.05 * (x1 - x0), y0 + 0.06 * (y1 - y0)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform([xs, x1], [ys, ys])
    ground_m = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2]
    metres_per_unit = ground_m / (x1 - xs)
    length_m = scale_bar_m((x1 - x0) * metres_per_unit)
    length = length_m / metres_per_unit
    text = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    box = Rectangle(
        (xs - 0.01 * (x1 - x0), ys - 0.025 * (y1 - y0)),
        length + 0.02 * (x1 - x0),
        0.07 * (y1 - y0),
        facecolor="white",
        alpha=0.8,
        edgecolor="none",
        zorder=7,
    )
    ax.add_patch(box)
    ax.plot(
        [xs, xs + length],
        [ys, ys],
        color="black",
        lw=3,
        zorder=8,
        gid="scale-bar",
        solid_capstyle="butt",
    )
    ax.text(
        xs + length / 2,
        ys + 0.012 * (y1 - y0),
        text,
        ha="center",
        va="bottom",
        fontsize=TEXT_PT,
        zorder=8,
        gid="scale-bar-label",
    )


def north_angle_deg(service: RegionService, x: float, y: float) -> float:
    """Clockwise angle from the grid's up to true north at ``(x, y)`` (working CRS)."""
    to_lonlat = Transformer.from_crs(service.registry.crs, 4326, always_xy=True)
    to_grid = Transformer.from_crs(4326, service.registry.crs, always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    nx, ny = to_grid.transform(lon, min(lat + 0.01, 89.99))
    return math.degrees(math.atan2(nx - x, ny - y))


def _draw_north_arrow(ax: Axes, service: RegionService) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    angle = math.radians(north_angle_deg(service, (x0 + x1) / 2, (y0 + y1) / 2))
    ax.annotate(
        "N",
        xy=(0.94, 0.92),
        xycoords="axes fraction",
        xytext=(-30 * math.sin(angle), -30 * math.cos(angle)),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=TEXT_PT + 2,
        fontweight="bold",
        zorder=9,
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
        gid="north-arrow",
    )


def _colour_bar(fig: Figure, source: TileSource, label: str, t: Translate) -> None:
    lo, hi = source.value_range
    cax = fig.add_axes((SIDE_LEFT, 0.2, SIDE_WIDTH, 0.025))
    bar = Colorbar(
        cax,
        cmap=ListedColormap(colour_table(source)[:, :3] / 255.0),
        norm=Normalize(lo, hi),
        orientation="horizontal",
    )
    values, labels = colorbar_ticks(lo, hi, t)
    bar.set_ticks(values, labels=labels, fontsize=TEXT_PT)
    bar.set_label(textwrap.fill(label, LABEL_CHARS), fontsize=TEXT_PT)


def fit_bounds(
    bounds: tuple[float, float, float, float], ratio: float
) -> tuple[float, float, float, float]:
    """``bounds`` widened about their centre to ``ratio`` (width / height): nothing is cut."""
    left, bottom, right, top = bounds
    width, height = right - left, top - bottom
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    cx, cy = (left + right) / 2, (bottom + top) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def map_figure(service: RegionService, req: MapRequest) -> tuple[Figure, Axes]:
    """The map's figure and its map axes (data coordinates: the working CRS, metres)."""
    t = translator(req.lang)
    width_px, height_px = req.size_px
    fig = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(MAP_BOX)
    box_ratio = (MAP_BOX[2] * width_px) / (MAP_BOX[3] * height_px)
    bounds = fit_bounds(_view_bounds(service, req.bbox), box_ratio)
    left, bottom, right, top = bounds
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    side = max(req.size_px)
    if "hillshade" in service.tiles:
        _draw_raster(ax, service.tiles["hillshade"], 1, bounds, side, 1.0)
    last_continuous: tuple[TileSource, str] | None = None
    handles: list[object] = []
    for key in req.layers:
        if key in VECTOR_LAYERS:
            continue
        source, band = _raster_source(service, key, req.month)
        _draw_raster(ax, source, band, bounds, side, req.opacity)
        if source.kind == "continuous":
            last_continuous = (source, layer_label(service, key, req.month, t))
        elif key == "land_use":
            handles += [
                Patch(facecolor=e.colour, edgecolor="none", label=e.name)
                for e in service.land_use_legend(req.lang)
            ]
    for key in VECTOR_LAYERS:
        if key in req.layers:
            handles += _draw_vector(ax, service, key, bounds, t)
    ax.set_xlim(left, right)  # drawing may have widened them
    ax.set_ylim(bottom, top)
    ax.set_xticks([])
    ax.set_yticks([])
    _draw_scale_bar(ax, service, t)
    _draw_north_arrow(ax, service)
    fig.text(0.02, 0.95, map_title(service, req), fontsize=TITLE_PT, fontweight="bold")
    legend_ax = fig.add_axes((SIDE_LEFT, 0.3, SIDE_WIDTH, 0.6))
    legend_ax.axis("off")
    if handles:
        legend_ax.legend(
            handles=handles,
            loc="upper left",
            frameon=False,
            fontsize=TEXT_PT,
            ncols=1 if len(handles) <= LEGEND_ROWS else 2,
            title=t("Legend"),
            title_fontsize=TEXT_PT + 1,
            alignment="left",
        )
    if last_continuous is not None:
        _colour_bar(fig, *last_continuous, t)
    chars = int(0.95 * width_px / DPI * 72 / (SOURCES_PT * 0.6))  # ~0.6 em a character
    sources = textwrap.fill(sources_text(service, req, t), width=max(chars, 40))
    fig.text(0.02, 0.015, sources, fontsize=SOURCES_PT, va="bottom", wrap=False)
    return fig, ax


def map_bytes(service: RegionService, req: MapRequest) -> tuple[str, bytes]:
    """The file name and bytes of the map (PNG of ``size_px``, or a one-page PDF)."""
    # TrueType fonts in the PDF: its text (legend, sources) can be searched and copied
    with mpl.rc_context({"pdf.fonttype": 42}):
        fig, _ = map_figure(service, req)
        buf = io.BytesIO()
        fig.savefig(buf, format=req.fmt, dpi=DPI, metadata={"Title": map_title(service, req)})
    return map_filename(service, req), buf.getvalue()
